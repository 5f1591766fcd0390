//! A button for what cannot be undone (cancel a charge, refund a payer, revoke a display): the
//! first tap asks, the second within a few seconds does it.

use leptos::prelude::*;

use crate::i18n::{Key, tr};

/// How long the button waits for the second tap.
const ARMED_MS: u64 = 4_000;

/// Asks once, then acts.
#[component]
pub fn ConfirmButton(
    /// what it does
    label: Key,
    /// `data-testid` (a row's button carries its row's id)
    #[prop(into)]
    testid: String,
    /// the action, on the second tap
    on_confirm: Callback<()>,
    /// button class
    #[prop(default = "")]
    class: &'static str,
) -> impl IntoView {
    let armed = RwSignal::new(false);
    let click = move |_| {
        if armed.get_untracked() {
            armed.set(false);
            on_confirm.run(());
        } else {
            armed.set(true);
            set_timeout(
                move || armed.set(false),
                std::time::Duration::from_millis(ARMED_MS),
            );
        }
    };
    view! {
        <button type="button" class=class data-testid=testid data-confirming=move || armed.get().to_string()
            on:click=click>
            {move || if armed.get() { tr(Key::TapAgain)() } else { tr(label)() }}
        </button>
    }
}
