//! The counter bundle, the app's front door: sign-up, sign-in, the charge screen, staff joining.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::{Home, signed_in};
use tonle_app::pages::{
    charge::ChargePage, join::JoinPage, login::LoginPage, register::RegisterPage,
};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Counter, page);
}

fn page(route: Route) -> AnyView {
    match route {
        Route::Register => view! { <RegisterPage/> }.into_any(),
        Route::Login => view! { <LoginPage/> }.into_any(),
        Route::Join(token) => view! { <JoinPage token/> }.into_any(),
        Route::Charge => signed_in(|| view! { <ChargePage/> }.into_any()),
        _ => view! { <Home/> }.into_any(),
    }
}
