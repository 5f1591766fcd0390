//! The counter bundle, the app's front door: sign-in and the charge screen.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::{Home, signed_in};
use tonle_app::pages::{charge::ChargePage, login::LoginPage};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Counter, page);
}

fn page(route: Route) -> AnyView {
    match route {
        Route::Login => view! { <LoginPage/> }.into_any(),
        Route::Charge => signed_in(|| view! { <ChargePage/> }.into_any()),
        _ => view! { <Home/> }.into_any(),
    }
}
