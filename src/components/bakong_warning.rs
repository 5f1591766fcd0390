//! The banner every payment screen shows when payments cannot be checked with Bakong.

use leptos::prelude::*;
use protocol::BakongStatus;

use crate::i18n::{Key, tr};

/// Shown while checks are refused or Bakong cannot be reached; nothing otherwise.
#[component]
pub fn BakongWarning(
    /// how checks go (`None` until known)
    #[prop(into)]
    status: Signal<Option<BakongStatus>>,
) -> impl IntoView {
    let why = move || match status.get() {
        Some(BakongStatus::Unauthorized) => Some(Key::BakongUnauthorized),
        Some(BakongStatus::Unreachable) => Some(Key::BakongUnreachable),
        _ => None,
    };
    move || {
        why().map(|key| {
            view! {
                <p class="bakong-warning" role="alert" data-testid="bakong-warning"
                    data-status=move || status.get().map(BakongStatus::as_str)>
                    <strong>{tr(Key::BakongCannotCheck)}</strong>" · "{tr(key)}
                </p>
            }
        })
    }
}
