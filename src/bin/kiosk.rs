//! The kiosk bundle: the customer display at a counter (`/kiosk`).
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::pages::kiosk::KioskPage;

fn main() {
    tonle_app::app::mount(Bundle::Kiosk, |_| view! { <KioskPage/> }.into_any());
}
