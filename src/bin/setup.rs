//! The setup bundle: settings (profile, stores and counters, staff, displays, Bakong).
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::signed_in;
use tonle_app::pages::settings::SettingsPage;

fn main() {
    tonle_app::app::mount(Bundle::Setup, |_| {
        signed_in(|| view! { <SettingsPage/> }.into_any())
    });
}
