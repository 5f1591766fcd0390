//! The big keypad of the charge screen: thumbs on a tablet, keys on a laptop.

use khqr::Currency;
use leptos::prelude::*;

use crate::format::{PadKey, keypad_press};
use crate::i18n::{Key, t, use_i18n};

/// Keypad buttons editing `amount` under the rules of `currency`.
#[component]
pub fn Keypad(
    /// the amount being typed
    amount: RwSignal<String>,
    /// its currency (riel gets `000`, dollars a point)
    #[prop(into)]
    currency: Signal<Currency>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let press =
        move |key: PadKey| amount.update(|a| *a = keypad_press(a, key, currency.get_untracked()));
    let key = move |label: &'static str, k: PadKey, testid: String| {
        view! {
            <button type="button" class="key" data-testid=testid on:click=move |_| press(k)>{label}</button>
        }
    };
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    view! {
        <div class="keypad" role="group" aria-label=move || t(lang.get(), Key::Keypad) data-testid="keypad">
            {(1..=9u8).map(|d| key(DIGITS[usize::from(d)], PadKey::Digit(d), format!("key-{d}"))).collect_view()}
            {move || if currency.get().minor_digits() == 0 {
                key("000", PadKey::Thousand, "key-000".into()).into_any()
            } else {
                key(".", PadKey::Point, "key-point".into()).into_any()
            }}
            {key("0", PadKey::Digit(0), "key-0".into())}
            <button type="button" class="key" data-testid="key-back" aria-label=move || t(lang.get(), Key::KeyBack)
                on:click=move |_| press(PadKey::Back)>"⌫"</button>
        </div>
    }
}
