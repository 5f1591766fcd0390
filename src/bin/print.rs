//! The printouts bundle: the counter poster, payment receipts and the end-of-day summary.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::signed_in;
use tonle_app::pages::{poster::PosterPage, receipt::ReceiptPage, shift::ShiftPage};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Print, |route| match route {
        Route::Poster(terminal) => {
            signed_in(move || view! { <PosterPage terminal=terminal.clone()/> }.into_any())
        }
        Route::Receipt(id) => signed_in(move || view! { <ReceiptPage id=id.clone()/> }.into_any()),
        _ => signed_in(|| view! { <ShiftPage/> }.into_any()),
    });
}
