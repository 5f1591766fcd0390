//! `/settings`: the business profile, Bakong, Telegram alerts, stores and counters with their
//! posters and displays, and staff. Each card is its own module.

use leptos::prelude::*;

use crate::app::use_session;
use crate::components::top_bar::{LangSwitch, TopBar};
use crate::i18n::{Key, t, tr, use_i18n};
use crate::pages::items::ItemsLink;
use crate::router::Route;

mod bakong;
mod counters;
mod displays;
mod profile;
mod sessions;
mod staff;
mod telegram;

pub use profile::{ProfileDraft, ProfileForm};

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let (email, role) = session
        .with_untracked(|s| s.as_ref().map(|s| (s.email.clone(), s.role)))
        .unwrap_or_default();
    // Payout details, counters and staff are for owners and managers (the server enforces it too).
    let managers = role.manages();
    let owner = role == protocol::SessionRole::Owner;
    let cashier = move || {
        view! {
            <section class="card" data-testid="settings-cashier">
                <p>{email.clone()}" · "{move || t(lang.get(), Key::RoleCashier)}</p>
                <LangSwitch/>
            </section>
            <ItemsLink/>
            <sessions::SessionsSection/>
        }
    };
    view! {
        <TopBar/>
        <div class="settings-page">
            <Show when=move || managers fallback=cashier>
                <ManagerCards owner=owner/>
            </Show>
        </div>
    }
}

/// The cards owners and managers work with; stores and counters are loaded once for the cards
/// that show them.
#[component]
fn ManagerCards(
    /// the signed-in user owns the business (Bakong tokens are theirs to change)
    owner: bool,
) -> impl IntoView {
    let counters = counters::load_counters();
    view! {
        <ProfileForm/>
        <ItemsLink/>
        <bakong::BakongSection owner=owner/>
        <telegram::TelegramSection data=counters/>
        <counters::StoresSection data=counters/>
        <staff::StaffSection data=counters/>
        <sessions::SessionsSection/>
        <IntegrationsLink/>
    }
}

// [en, km, zh]: only this card says it.
const INTEGRATIONS_HINT: [&str; 3] = [
    "Webhooks and API keys for your POS, ERP or accounting.",
    "Webhooks និង API keys សម្រាប់ POS, ERP ឬប្រព័ន្ធគណនេយ្យរបស់អ្នក។",
    "为 POS、ERP 或财务系统提供 Webhook 和 API 密钥。",
];

/// Where a shop's other systems are connected (their own page: its code is not downloaded here).
#[component]
fn IntegrationsLink() -> impl IntoView {
    let lang = use_i18n().lang;
    view! {
        <section class="card" aria-labelledby="integrations-link-title" data-testid="integrations-card">
            <h2 id="integrations-link-title">{tr(Key::Integrations)}</h2>
            <p class="muted">{move || crate::i18n::pick(lang.get(), INTEGRATIONS_HINT)}</p>
            <a class="button-link" href=Route::INTEGRATIONS.path() data-testid="integrations-link">{tr(Key::Integrations)}" →"</a>
        </section>
    }
}
