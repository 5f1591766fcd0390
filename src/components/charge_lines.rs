//! What a charge sold, line by line with the total: on the cashier's waiting and paid screens
//! and beside the QR on the kiosk. Names follow the screen's language.

use khqr::Currency;
use leptos::prelude::*;
use protocol::SoldLine;

use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

/// The lines of a charge and its total; nothing for a charge typed on the keypad.
#[component]
pub fn ChargeLines(
    /// the lines, as sold
    lines: Vec<SoldLine>,
    /// the charge's currency
    currency: Currency,
    /// the charge's amount
    total: String,
    /// `data-testid` of the list
    testid: &'static str,
    /// the shop's riel per dollar the dollar-priced lines were converted at
    usd_khr_rate: Option<String>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    // "4,100" for the note under converted lines
    let rate = usd_khr_rate
        .filter(|_| lines.iter().any(|l| l.usd_price.is_some()))
        .map(|r| khqr::Money::parse(&r, Currency::Khr).map_or(r, |m| m.grouped()));
    (!lines.is_empty()).then(|| {
        view! {
            <div class="cart-sold" data-testid=testid>
                <ul class="cart-sold-lines">
                    {lines.into_iter().enumerate().map(|(i, l)| {
                        let amount = format::amount(&l.total, currency);
                        let quantity = l.quantity;
                        view! {
                            <li data-testid=format!("{testid}-{i}")>
                                <span class="cart-sold-name">{move || l.name_in(lang.get().tag()).to_owned()}</span>
                                <span class="cart-sold-qty">"× "{quantity}</span>
                                <span class="cart-sold-amount">{amount}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="cart-sold-total">
                    <span>{tr(Key::CartTotal)}</span>
                    <strong data-testid=format!("{testid}-total")>{format::amount(&total, currency)}</strong>
                </p>
                {rate.map(|r| view! {
                    <p class="cart-sold-note muted">{move || t(lang.get(), Key::CartAtShopRate).replace("{rate}", &r)}</p>
                })}
            </div>
        }
    })
}
