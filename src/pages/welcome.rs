//! `/welcome`: right after sign-up, the profile step of onboarding: a name in Khmer or Chinese and
//! an optional UnionPay account, checked by the codec as they are typed, with the counter QR
//! previewed live; then on to charging.

use leptos::prelude::*;

use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, tr};
use crate::pages::settings::ProfileForm;

/// The onboarding step.
#[component]
pub fn WelcomePage() -> impl IntoView {
    view! {
        <div class="welcome-page" data-testid="welcome">
            <header class="welcome-head">
                <h1>{tr(Key::WelcomeTitle)}</h1>
                <LangSwitch/>
            </header>
            <p class="muted">{tr(Key::WelcomeHint)}</p>
            <ProfileForm/>
            <a class="button-link primary-link" href=crate::router::Route::CHARGE.path() data-testid="welcome-done">{tr(Key::StartCharging)}</a>
        </div>
    }
}
