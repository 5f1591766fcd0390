//! The onboarding bundle: sign-up with the counter QR previewed live, joining a team by
//! invitation, and the profile step after sign-up.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::signed_in;
use tonle_app::pages::{join::JoinPage, register::RegisterPage, welcome::WelcomePage};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Onboarding, |route| match route {
        Route::Join(token) => view! { <JoinPage token/> }.into_any(),
        Route::Welcome => signed_in(|| view! { <WelcomePage/> }.into_any()),
        _ => view! { <RegisterPage/> }.into_any(),
    });
}
