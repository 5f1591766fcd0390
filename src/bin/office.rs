//! The office bundle: today's figures, the live feed and the review queue; payment history; help.
use leptos::prelude::*;
use protocol::web::OfficePage;
use tonle_app::pages::{dashboard::DashboardPage, help::HelpPage, history::HistoryPage};

fn main() {
    tonle_app::app::mount(|page| match page {
        OfficePage::Dashboard => view! { <DashboardPage/> }.into_any(),
        OfficePage::History => view! { <HistoryPage/> }.into_any(),
        OfficePage::Help => view! { <HelpPage/> }.into_any(),
    });
}
