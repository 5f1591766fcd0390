//! The setup bundle: settings (profile, stores and counters, staff, displays, Bakong).
use leptos::prelude::*;
use protocol::web::SetupPage;
use tonle_app::pages::settings::SettingsPage;

fn main() {
    tonle_app::app::mount(|page| match page {
        SetupPage::Settings => view! { <SettingsPage/> }.into_any(),
    });
}
