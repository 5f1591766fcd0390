//! Sandbox mode, as every screen shows it: whether this server runs with `--sandbox` (asked once
//! per page load), the band that says so, and paying a charge as a test wallet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::i18n::{Key, tr};

/// Whether this server is in sandbox mode (`false` until known).
#[derive(Debug, Clone, Copy)]
pub struct Sandbox(pub RwSignal<bool>);

/// Asks the server once, and provides the answer to every screen.
pub fn provide_sandbox() {
    let on = RwSignal::new(false);
    provide_context(Sandbox(on));
    spawn_local(async move {
        if let Ok(true) = crate::api::sandbox().await {
            on.set(true);
        }
    });
}

/// Whether this server is in sandbox mode.
pub fn use_sandbox() -> Signal<bool> {
    let on = use_context::<Sandbox>().map(|s| s.0);
    Signal::derive(move || on.is_some_and(|s| s.get()))
}

/// The thin band over every screen of a sandbox server: no real money here.
#[component]
pub fn SandboxBand() -> impl IntoView {
    let on = use_sandbox();
    move || {
        on.get().then(|| {
            view! { <p class="sandbox-band" role="note" data-testid="sandbox-band">{tr(Key::SandboxBand)}</p> }
        })
    }
}

/// "Pay as a test wallet" for the charge `payable` names (with whether its QR has expired), on a
/// sandbox server only: the charge screen and the kiosk's controls both show it. Redrawn when
/// another charge comes, not on every tick; a new charge starts without the last one's error.
#[component]
pub fn TestWallet(payable: Signal<Option<(api::ChargeView, bool)>>) -> impl IntoView {
    let sandbox = use_sandbox();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<Key>);
    let shown =
        Memo::new(move |_| payable.with(|p| p.as_ref().map(|(c, _)| (c.id.clone(), c.currency))));
    let expired = Signal::derive(move || payable.with(|p| p.as_ref().is_some_and(|(_, e)| *e)));
    Effect::new(move |_| {
        shown.track();
        error.set(None);
    });
    move || {
        let (id, currency) = shown.get().filter(|_| sandbox.get())?;
        let on_pay = Callback::new(move |body| pay(id.clone(), body, busy, error));
        Some(view! {
            <crate::components::test_wallet::TestWalletPanel currency=currency expired=expired
                busy=busy error=error on_pay=on_pay/>
        })
    }
}

/// What a press of "Pay as a test wallet" does: the request, then its outcome in `busy` and
/// `error` (the charge turns Paid through the event stream, as for a real payment).
fn pay(
    charge_id: String,
    body: api::TestPayment,
    busy: RwSignal<bool>,
    error: RwSignal<Option<Key>>,
) {
    busy.set(true);
    error.set(None);
    spawn_local(async move {
        if let Err(e) = crate::api::test_payment(&charge_id, &body).await {
            error.set(Some(crate::api::error_key(&e)));
        }
        busy.set(false);
    });
}
