//! The setup bundle: settings (profile, stores and counters, staff, displays) and onboarding.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::signed_in;
use tonle_app::pages::{settings::SettingsPage, welcome::WelcomePage};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Setup, |route| match route {
        Route::Welcome => signed_in(|| view! { <WelcomePage/> }.into_any()),
        _ => signed_in(|| view! { <SettingsPage/> }.into_any()),
    });
}
