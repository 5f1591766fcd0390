//! Amount entry: the amount, KHR/USD switch, optional note and the Charge button; when the shop
//! has items, the item grid and the cart beside it (on a phone, the cart is a sheet over the
//! grid). An empty cart charges the keypad's amount, as before there were items.

use khqr::{Currency, Money};
use leptos::prelude::*;
use protocol::{CartLine, FxRates, ItemView};

use crate::cart::{Cart, Priced, price_lines, total};
use crate::components::cny_estimate::{CnyEstimateLine, Estimate};
use crate::components::keypad::Keypad;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

/// The cart's views: the item grid, the cart, the custom line and the phone's bar. They are
/// drawn from a chunk of their own, so the keypad is drawn without their code: the merchant app's
/// binary puts them in it and hands them over with [`set_cart_views`]. Without them the form is
/// the keypad alone.
#[derive(Clone, Copy)]
pub struct CartViews {
    /// the category tabs and the items to tap
    pub grid: fn(GridArgs) -> AnyView,
    /// the cart's lines and total
    pub panel: fn(PanelArgs) -> AnyView,
    /// the keypad's amount as a custom line
    pub custom: fn(CustomArgs) -> AnyView,
    /// a phone's bar that opens the cart
    pub bar: fn(BarArgs) -> AnyView,
}

/// What the item grid is drawn from.
#[derive(Clone, Copy)]
pub struct GridArgs {
    /// the counter's items
    pub items: Signal<Vec<ItemView>>,
    /// the charge's currency
    pub currency: Signal<Currency>,
    /// the shop's riel per dollar × 10⁸
    pub usd_khr: Option<u64>,
    /// an item tapped
    pub on_add: Callback<String>,
}

/// What the cart is drawn from.
#[derive(Clone, Copy)]
pub struct PanelArgs {
    /// the cart
    pub cart: RwSignal<Cart>,
    /// its lines priced
    pub priced: Signal<Vec<Priced>>,
    /// their sum
    pub total: Signal<Option<Money>>,
    /// what the server said about one line
    pub line_error: Signal<Option<(usize, Key)>>,
}

/// What the custom line is drawn from.
#[derive(Clone, Copy)]
pub struct CustomArgs {
    /// the cart
    pub cart: RwSignal<Cart>,
    /// the keypad's amount
    pub amount: RwSignal<String>,
    /// the charge's currency
    pub currency: Signal<Currency>,
    /// the line's text
    pub description: RwSignal<String>,
}

/// What the phone's bar is drawn from.
#[derive(Clone, Copy)]
pub struct BarArgs {
    /// the cart
    pub cart: RwSignal<Cart>,
    /// what Charge asks
    pub total: Signal<Option<Money>>,
    /// whether the cart's sheet is open
    pub open: RwSignal<bool>,
}

static CART_VIEWS: std::sync::OnceLock<CartViews> = std::sync::OnceLock::new();

/// Hands the form the cart's views (once, before the app is mounted).
pub fn set_cart_views(views: CartViews) {
    let _ = CART_VIEWS.set(views);
}

/// What the cashier asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRequest {
    /// the keypad's amount (decimal string) when the cart is empty; none with lines
    pub amount: Option<String>,
    /// currency
    pub currency: Currency,
    /// note
    pub note: Option<String>,
    /// the cart, priced by the server
    pub lines: Vec<CartLine>,
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
    /// the items this counter sells (none: the keypad alone)
    #[prop(into)]
    items: Signal<Vec<ItemView>>,
    /// the shop's riel per dollar × 10⁸
    usd_khr: Option<u64>,
    /// the yuan reference rates, once loaded
    #[prop(into)]
    rates: Signal<Option<FxRates>>,
    /// what the server said about one cart line; cleared when the cart changes
    line_error: RwSignal<Option<(usize, Key)>>,
) -> impl IntoView {
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let currency = RwSignal::new(currency);
    let cart = RwSignal::new(Cart::default());
    let description = RwSignal::new(String::new());
    let sheet = RwSignal::new(false);
    let lang = use_i18n().lang;
    let has_items = Memo::new(move |_| items.with(|i| !i.is_empty()));
    let priced = Memo::new(move |_| {
        cart.with(|c| items.with(|i| price_lines(c, i, currency.get(), usd_khr, lang.get().tag())))
    });
    let cart_total = Memo::new(move |_| priced.with(|p| total(p, currency.get())));
    let typed = Memo::new(move |_| Money::parse(amount.get().trim(), currency.get()).ok());
    // What Charge asks: the keypad's amount, the cart's total, or both (the amount typed becomes
    // a custom line when charging).
    let grand = Memo::new(move |_| {
        if cart.with(Cart::is_empty) {
            return typed.get();
        }
        let sum = cart_total.get()?;
        if amount.with(|a| a.trim().is_empty()) {
            return Some(sum);
        }
        crate::cart::plus(sum, typed.get()?)
    });
    let estimate = Signal::derive(move || {
        let m = grand.get()?;
        rates.with(|r| r.as_ref().and_then(|r| Estimate::of(&m, r)))
    });
    // What is wrong with the amount, said as it is typed (not only by a disabled button).
    let live_error = move || {
        let a = amount.get();
        (!a.trim().is_empty() && typed.get().is_none()).then_some(Key::ErrAmount)
    };
    // A very large amount asks for a second press, so an extra 000 is caught before the QR.
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        amount.track();
        currency.track();
        cart.track();
        confirming.set(false);
    });
    Effect::new(move |_| {
        cart.track();
        line_error.set(None);
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(sum) = grand.get_untracked() else {
            return;
        };
        let cur = currency.get_untracked();
        if format::amount_is_large(&sum.to_decimal_string(), cur) && !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let n = note.get_untracked();
        let note = (!n.trim().is_empty()).then_some(n);
        if cart.with_untracked(Cart::is_empty) {
            on_charge.run(ChargeRequest {
                amount: Some(amount.get_untracked().trim().to_owned()),
                currency: cur,
                note,
                lines: Vec::new(),
            });
            return;
        }
        // The amount typed joins the cart, so what is on screen is what was sent.
        if let Some(m) = typed.get_untracked() {
            cart.update(|c| c.add_custom(&description.get_untracked(), m));
            amount.set(String::new());
            description.set(String::new());
        }
        let fallback = t(lang.get_untracked(), Key::CartCustom);
        on_charge.run(ChargeRequest {
            amount: None,
            currency: cur,
            note,
            lines: cart.with_untracked(|c| c.wire(fallback)),
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
    let on_add = Callback::new(move |id: String| cart.update(|c| c.add_item(&id)));
    let views = CART_VIEWS.get().copied();
    let currency_signal: Signal<Currency> = currency.into();
    let grid = move || {
        views.map(|v| {
            (v.grid)(GridArgs {
                items,
                currency: currency_signal,
                usd_khr,
                on_add,
            })
        })
    };
    let custom = move || {
        views.map(|v| {
            (v.custom)(CustomArgs {
                cart,
                amount,
                currency: currency_signal,
                description,
            })
        })
    };
    let panel = move || {
        views.map(|v| {
            (v.panel)(PanelArgs {
                cart,
                priced: priced.into(),
                total: cart_total.into(),
                line_error: line_error.into(),
            })
        })
    };
    let bar = move || {
        views.map(|v| {
            (v.bar)(BarArgs {
                cart,
                total: grand.into(),
                open: sheet,
            })
        })
    };
    let typed_hint = move || has_items.get() && !cart.with(Cart::is_empty) && typed.get().is_some();
    view! {
        <div class="cart-register" class:cart-mode=move || has_items.get() class:sheet-open=move || sheet.get()>
            <Show when=move || has_items.get() fallback=|| ()>
                {grid}
            </Show>
            <form class="charge-form card" on:submit=submit data-testid="charge-form" novalidate>
                <Show when=move || has_items.get() fallback=|| ()>
                    <button type="button" class="link cart-close" data-testid="cart-close" on:click=move |_| sheet.set(false)>
                        "← "{tr(Key::CartBack)}
                    </button>
                </Show>
                // Two columns on a wide screen with items (the keypad; the cart with Charge);
                // otherwise one, in this order, as before there were items.
                <div class="cart-pad">
                    <div class="currency-switch" role="group">
                        {cur_button(Currency::Khr, "currency-khr")}
                        {cur_button(Currency::Usd, "currency-usd")}
                    </div>
                    <label for="amount">{tr(Key::Amount)}</label>
                    <input id="amount" class="amount-input" inputmode="decimal" autocomplete="off" data-testid="charge-amount"
                        prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))
                        aria-describedby="amount-err" />
                    <CnyEstimateLine estimate=estimate/>
                    <Keypad amount=amount currency=currency/>
                    <Show when=move || has_items.get() fallback=|| ()>
                        {custom}
                    </Show>
                </div>
                <div class="cart-side">
                    <Show when=move || has_items.get() fallback=|| ()>
                        {panel}
                    </Show>
                    <Show when=typed_hint fallback=|| ()>
                        <p class="muted cart-typed-hint">{tr(Key::CartTypedAmount)}</p>
                    </Show>
                    <p id="amount-err" class="field-error" role="alert" data-testid="charge-error">
                        {move || error.get().or_else(live_error).map(|k| t(lang.get(), k))}
                    </p>
                    <Show when=move || confirming.get() fallback=|| ()>
                        <p class="bakong-warning" role="alert" data-testid="charge-confirm-large">{tr(Key::ConfirmLarge)}</p>
                    </Show>
                    // Charge right under the keypad (and the cart), so it is on screen on a tablet; the optional note after.
                    <button type="submit" class="primary big cart-charge" data-testid="charge-submit" disabled=move || busy.get() || grand.get().is_none()>{tr(Key::Charge)}</button>
                    <label for="note">{tr(Key::Note)}</label>
                    <input id="note" maxlength="200" data-testid="charge-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) />
                </div>
            </form>
            <Show when=move || has_items.get() fallback=|| ()>
                {bar}
            </Show>
        </div>
    }
}
