//! `/settings`: the business profile, Bakong, stores and counters with their posters and
//! displays, and staff. Each card is its own module.

use leptos::prelude::*;

use crate::app::use_session;
use crate::components::top_bar::{LangSwitch, TopBar};
use crate::i18n::{Key, t, use_i18n};

mod bakong;
mod counters;
mod displays;
mod profile;
mod staff;

pub use profile::{ProfileDraft, ProfileForm};

/// The settings screen.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let (email, role) = session
        .with_untracked(|s| s.as_ref().map(|s| (s.email.clone(), s.role.clone())))
        .unwrap_or_default();
    // Payout details, counters and staff are for owners and managers (the server enforces it too).
    let managers = role != "cashier";
    let owner = role == "owner";
    let cashier = move || {
        view! {
            <section class="card" data-testid="settings-cashier">
                <p>{email.clone()}" · "{move || t(lang.get(), Key::RoleCashier)}</p>
                <LangSwitch/>
            </section>
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

/// The cards owners and managers work with; stores and counters are loaded once for the two
/// that show them.
#[component]
fn ManagerCards(
    /// the signed-in user owns the business (Bakong tokens are theirs to change)
    owner: bool,
) -> impl IntoView {
    let counters = counters::load_counters();
    view! {
        <ProfileForm/>
        <bakong::BakongSection owner=owner/>
        <counters::StoresSection data=counters/>
        <staff::StaffSection data=counters/>
    }
}
