//! The integrations bundle: webhooks and API keys for a shop's other systems.
use leptos::prelude::*;
use protocol::web::IntegrationsPage;
use tonle_app::pages::integrations::IntegrationsPage as Page;

fn main() {
    tonle_app::app::mount(|page| match page {
        IntegrationsPage::Integrations => view! { <Page/> }.into_any(),
    });
}
