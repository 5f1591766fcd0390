//! The cart at the counter: its lines with their quantities (+/−, remove, clear) and the total;
//! and on a phone the bar at the bottom (count, total, Charge) that opens it as a sheet.

use khqr::Money;
use leptos::prelude::*;

use crate::cart::{Cart, Priced};
use crate::components::item_grid::money_text;
use crate::i18n::{Key, t, tr, use_i18n};

/// The cart's lines and total.
#[component]
pub fn CartPanel(
    /// the cart
    cart: RwSignal<Cart>,
    /// its lines priced in the charge's currency
    #[prop(into)]
    priced: Signal<Vec<Priced>>,
    /// the sum of the lines (none while one cannot be sold)
    #[prop(into)]
    total: Signal<Option<Money>>,
    /// what the server said about one line (its index)
    #[prop(into)]
    line_error: Signal<Option<(usize, Key)>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let line = move |i: usize, p: Priced| {
        let name = if p.name.is_empty() {
            t(lang.get(), Key::CartCustom).to_owned()
        } else {
            p.name.clone()
        };
        let unit = match (p.unavailable, p.unit) {
            (true, _) => t(lang.get(), Key::CartSoldOut).to_owned(),
            (false, None) => t(lang.get(), Key::CartNoPrice).to_owned(),
            (false, Some(u)) => match p.usd {
                Some(usd) => format!("{} ({})", money_text(u), money_text(usd)),
                None => money_text(u),
            },
        };
        let bad = p.unavailable || p.unit.is_none();
        let error = move || {
            line_error
                .get()
                .filter(|(at, _)| *at == i)
                .map(|(_, k)| t(lang.get(), k))
        };
        view! {
            <li class="cart-line" class:bad=bad data-testid=format!("cart-line-{i}") data-quantity=p.quantity>
                <span class="cart-line-name">{name}</span>
                <span class="cart-line-unit">{unit}</span>
                <span class="cart-qty">
                    <button type="button" class="cart-step" data-testid=format!("cart-minus-{i}") aria-label=move || t(lang.get(), Key::CartLess)
                        on:click=move |_| cart.update(|c| c.minus(i))>"−"</button>
                    <span class="cart-qty-n">{p.quantity}</span>
                    <button type="button" class="cart-step" data-testid=format!("cart-plus-{i}") aria-label=move || t(lang.get(), Key::CartMore)
                        on:click=move |_| cart.update(|c| c.plus(i))>"+"</button>
                </span>
                <span class="cart-line-total">{p.total.map(money_text)}</span>
                <button type="button" class="cart-remove" data-testid=format!("cart-remove-{i}") aria-label=move || t(lang.get(), Key::CartRemove)
                    on:click=move |_| cart.update(|c| c.remove(i))>"×"</button>
                <p class="field-error cart-line-error" role="alert" data-testid=format!("cart-line-error-{i}")>{error}</p>
            </li>
        }
    };
    view! {
        <section class="cart" data-testid="cart" aria-labelledby="cart-title">
            <div class="cart-head">
                <h2 id="cart-title">{tr(Key::CartTitle)}</h2>
                <Show when=move || cart.with(|c| !c.is_empty()) fallback=|| ()>
                    <button type="button" class="secondary cart-clear" data-testid="cart-clear"
                        on:click=move |_| cart.set(Cart::default())>{tr(Key::CartClear)}</button>
                </Show>
            </div>
            <Show when=move || cart.with(|c| !c.is_empty())
                fallback=move || view! { <p class="muted cart-empty">{tr(Key::CartEmpty)}</p> }>
                <ul class="cart-lines">
                    {move || priced.get().into_iter().enumerate().map(|(i, p)| line(i, p)).collect_view()}
                </ul>
            </Show>
            <Show when=move || cart.with(|c| !c.is_empty()) fallback=|| ()>
                <p class="cart-total-row">
                    <span>{tr(Key::CartTotal)}</span>
                    <strong data-testid="cart-total">{move || total.get().map(money_text)}</strong>
                </p>
            </Show>
        </section>
    }
}

/// A phone's bar at the bottom of the item grid: how many things, the total, and Charge, which
/// opens the cart as a sheet.
#[component]
pub fn CartBar(
    /// the cart
    cart: RwSignal<Cart>,
    /// what Charge would ask now
    #[prop(into)]
    total: Signal<Option<Money>>,
    /// the sheet is open
    open: RwSignal<bool>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let count =
        move || t(lang.get(), Key::CartCount).replace("{n}", &cart.with(Cart::count).to_string());
    view! {
        <div class="cart-bar">
            <button type="button" class="cart-bar-open" data-testid="cart-open" on:click=move |_| open.set(true)>
                <span class="cart-bar-count">{count}</span>
                <span class="cart-bar-total">{move || total.get().map(money_text)}</span>
                <span class="cart-bar-charge">{tr(Key::Charge)}</span>
            </button>
        </div>
    }
}

/// The keypad's amount as a custom line of the cart, with an optional text.
#[component]
pub fn CustomLine(
    /// the cart
    cart: RwSignal<Cart>,
    /// the amount on the keypad (emptied once added)
    amount: RwSignal<String>,
    /// the charge's currency
    #[prop(into)]
    currency: Signal<khqr::Currency>,
    /// the line's text (also used when Charge adds the amount typed)
    description: RwSignal<String>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let typed = move || Money::parse(amount.get().trim(), currency.get()).ok();
    let add = move |_| {
        if let Some(m) = typed() {
            cart.update(|c| c.add_custom(&description.get_untracked(), m));
            amount.set(String::new());
            description.set(String::new());
        }
    };
    view! {
        <div class="cart-custom">
            <input class="cart-description" maxlength="60" data-testid="cart-description"
                aria-label=move || t(lang.get(), Key::CartDescription) placeholder=move || t(lang.get(), Key::CartDescription)
                prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            <button type="button" class="secondary" data-testid="cart-add-custom" disabled=move || typed().is_none()
                on:click=add>{tr(Key::CartAddCustom)}</button>
        </div>
    }
}
