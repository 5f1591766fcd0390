//! The shop's items as big tiles to tap, under category tabs ("All" first). A sold-out item is
//! greyed and cannot be tapped; one without a price in the charge's currency neither.

use khqr::{Currency, Money};
use leptos::prelude::*;
use protocol::ItemView;

use crate::cart::{Price, categories, item_price};
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

/// An amount as people read it: "12,300 ៛", "$3.00".
pub fn money_text(m: Money) -> String {
    format::amount(&m.to_decimal_string(), m.currency)
}

/// Category tabs and the grid of items.
#[component]
pub fn ItemGrid(
    /// the items this counter sells, in grid order
    #[prop(into)]
    items: Signal<Vec<ItemView>>,
    /// the charge's currency
    #[prop(into)]
    currency: Signal<Currency>,
    /// the shop's riel per dollar × 10⁸, for dollar-priced items in riel
    usd_khr: Option<u64>,
    /// an item was tapped (its id)
    on_add: Callback<String>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    // None: "All"
    let category = RwSignal::new(None::<String>);
    let names = Memo::new(move |_| items.with(|i| categories(i)));
    // A category that no longer exists (its last item moved) falls back to "All".
    Effect::new(move |_| {
        if let Some(c) = category.get()
            && !names.with(|n| n.contains(&c))
        {
            category.set(None);
        }
    });
    let tab = move |name: Option<String>| {
        let testid = format!("category-tab-{}", name.as_deref().unwrap_or("all"));
        let label = name.clone();
        let pressed = name.clone();
        view! {
            <button type="button" class="cart-tab" data-testid=testid
                aria-pressed=move || (category.get() == pressed).to_string()
                on:click=move |_| category.set(name.clone())>
                {move || label.clone().unwrap_or_else(|| t(lang.get(), Key::CartAll).to_owned())}
            </button>
        }
    };
    let tile = move |item: ItemView| {
        let id = item.id.clone();
        let price = item_price(&item, currency.get(), usd_khr);
        let sellable = item.available && price.is_some();
        let name = item.name_in(lang.get().tag()).to_owned();
        let (shown, from) = match price {
            Some(Price::Own(m)) => (Some(money_text(m)), None),
            Some(Price::Converted { riel, usd }) => (Some(money_text(riel)), Some(money_text(usd))),
            None => (None, None),
        };
        let status = if !item.available {
            Some(Key::CartSoldOut)
        } else if price.is_none() {
            Some(Key::CartNoPrice)
        } else {
            None
        };
        view! {
            <li>
                <button type="button" class="cart-tile" class:sold-out=!item.available data-testid=format!("item-tile-{}", item.id)
                    disabled=!sellable on:click=move |_| on_add.run(id.clone())>
                    <span class="cart-tile-name">{name}</span>
                    {shown.map(|p| view! { <span class="cart-tile-price">{p}</span> })}
                    {from.map(|u| view! { <span class="cart-tile-from">{u}</span> })}
                    {status.map(|k| view! { <span class="cart-tile-status">{tr(k)}</span> })}
                </button>
            </li>
        }
    };
    view! {
        <section class="cart-catalog" aria-label=move || t(lang.get(), Key::CartItems)>
            <Show when=move || names.with(|n| !n.is_empty()) fallback=|| ()>
                <div class="cart-tabs" role="group" aria-label=move || t(lang.get(), Key::CartCategories)>
                    {tab(None)}
                    {move || names.get().into_iter().map(|n| tab(Some(n))).collect_view()}
                </div>
            </Show>
            <ul class="cart-grid" data-testid="item-grid">
                {move || {
                    let c = category.get();
                    items.get().into_iter()
                        .filter(|i| c.is_none() || i.category == c)
                        .map(tile)
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
