//! The printouts bundle: the counter poster, payment receipts and the end-of-day summary.
use leptos::prelude::*;
use protocol::web::PrintPage;
use tonle_app::pages::{poster::PosterPage, receipt::ReceiptPage, shift::ShiftPage};

fn main() {
    tonle_app::app::mount(|page| match page {
        PrintPage::Poster(terminal) => view! { <PosterPage terminal/> }.into_any(),
        PrintPage::Receipt(id) => view! { <ReceiptPage id/> }.into_any(),
        PrintPage::Shift => view! { <ShiftPage/> }.into_any(),
    });
}
