//! The office bundle: today's figures, the live feed and the review queue; payment history.
use leptos::prelude::*;
use protocol::web::Bundle;
use tonle_app::app::signed_in;
use tonle_app::pages::{dashboard::DashboardPage, history::HistoryPage};
use tonle_app::router::Route;

fn main() {
    tonle_app::app::mount(Bundle::Office, |route| match route {
        Route::History => signed_in(|| view! { <HistoryPage/> }.into_any()),
        _ => signed_in(|| view! { <DashboardPage/> }.into_any()),
    });
}
