//! The counter bundle, the app's front door: sign-in and the charge screen.
use leptos::prelude::*;
use protocol::web::CounterPage;
use tonle_app::app::Home;
use tonle_app::pages::{charge::ChargePage, login::LoginPage};

fn main() {
    tonle_app::app::mount(|page| match page {
        CounterPage::Home => view! { <Home/> }.into_any(),
        CounterPage::Login => view! { <LoginPage/> }.into_any(),
        CounterPage::Charge => view! { <ChargePage/> }.into_any(),
    });
}
