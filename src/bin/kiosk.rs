//! The kiosk: the customer display at a counter (`/kiosk`), an entry of its own.
use leptos::prelude::*;
use protocol::web::KioskPage;
use tonle_app::pages::kiosk::KioskPage as Kiosk;

fn main() {
    tonle_app::app::mount(|page| match page {
        KioskPage::Kiosk => view! { <Kiosk/> }.into_any(),
    });
}
