//! Amount entry: the amount, KHR/USD switch, optional note and the Charge button.

use khqr::Currency;
use leptos::prelude::*;

use crate::components::keypad::Keypad;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

/// What the cashier typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRequest {
    /// decimal string
    pub amount: String,
    /// currency
    pub currency: Currency,
    /// note
    pub note: Option<String>,
}

/// The entry form.
#[component]
pub fn ChargeForm(
    /// starting currency
    currency: Currency,
    /// busy: creating a charge
    #[prop(into)]
    busy: Signal<bool>,
    /// error to show
    #[prop(into)]
    error: Signal<Option<Key>>,
    /// submit
    on_charge: Callback<ChargeRequest>,
) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let currency = RwSignal::new(currency);
    let lang = use_i18n().lang;
    let valid = move || format::amount_ok(amount.get().trim(), currency.get());
    // What is wrong with the amount, said as it is typed (not only by a disabled button).
    let live_error = move || {
        let a = amount.get();
        (!a.trim().is_empty() && !valid()).then_some(Key::ErrAmount)
    };
    // A very large amount asks for a second press, so an extra 000 is caught before the QR.
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        amount.track();
        currency.track();
        confirming.set(false);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if format::amount_is_large(amount.get_untracked().trim(), currency.get_untracked())
            && !confirming.get_untracked()
        {
            confirming.set(true);
            return;
        }
        let n = note.get_untracked();
        on_charge.run(ChargeRequest {
            amount: amount.get_untracked().trim().to_owned(),
            currency: currency.get_untracked(),
            note: (!n.trim().is_empty()).then_some(n),
        });
    };
    // Keys typed anywhere but a text field go to the amount, as on a till.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if let Some(k) = format::pad_key_of(&ev.key()) {
            ev.prevent_default();
            amount.update(|a| *a = format::keypad_press(a, k, currency.get_untracked()));
        }
    });
    on_cleanup(move || handle.remove());
    // The charge screen can take an amount from here.
    crate::components::mark_ready("tonle:charge-ready");
    let cur_button = move |c: Currency, testid: &'static str| {
        view! {
            <button type="button" data-testid=testid aria-pressed=move || if currency.get() == c { "true" } else { "false" }
                on:click=move |_| currency.set(c)>
                {c.code()}
            </button>
        }
    };
    view! {
        <form class="charge-form card" on:submit=submit data-testid="charge-form" novalidate>
            <div class="currency-switch" role="group">
                {cur_button(Currency::Khr, "currency-khr")}
                {cur_button(Currency::Usd, "currency-usd")}
            </div>
            <label for="amount">{tr(Key::Amount)}</label>
            <input id="amount" class="amount-input" inputmode="decimal" autocomplete="off" data-testid="charge-amount"
                prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))
                aria-describedby="amount-err" />
            <Keypad amount=amount currency=currency/>
            <p id="amount-err" class="field-error" role="alert" data-testid="charge-error">
                {move || error.get().or_else(live_error).map(|k| t(lang.get(), k))}
            </p>
            <Show when=move || confirming.get() fallback=|| ()>
                <p class="bakong-warning" role="alert" data-testid="charge-confirm-large">{tr(Key::ConfirmLarge)}</p>
            </Show>
            // Charge right under the keypad, so it is on screen on a tablet; the optional note after.
            <button type="submit" class="primary big" data-testid="charge-submit" disabled=move || busy.get() || !valid()>{tr(Key::Charge)}</button>
            <label for="note">{tr(Key::Note)}</label>
            <input id="note" maxlength="200" data-testid="charge-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
        </form>
    }
}
