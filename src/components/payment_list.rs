//! The last payments, so a cashier never has to ask "did it go through?".

use leptos::prelude::*;
use protocol as api;

use crate::format;
use crate::i18n::{Key, tr, use_i18n};

/// A list of payments, newest first.
#[component]
pub fn PaymentList(
    /// payments
    #[prop(into)]
    payments: Signal<Vec<api::PaymentView>>,
) -> impl IntoView {
    view! {
        <section class="recent" aria-labelledby="recent-title">
            <h2 id="recent-title">{tr(Key::RecentPayments)}</h2>
            <Show when=move || payments.with(|p| !p.is_empty()) fallback=move || view! { <p class="muted" data-testid="no-payments">{tr(Key::NoPayments)}</p> }>
                <ul data-testid="recent-payments">
                    <For each=move || payments.get() key=|p| format!("{}:{:?}", p.id, p.resolution) let:p>
                        <PaymentRow payment=p/>
                    </For>
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn PaymentRow(payment: api::PaymentView) -> impl IntoView {
    let credited = format::amount(&payment.amount, payment.currency);
    let payer = format::payer_line(&payment);
    let lang = use_i18n().lang;
    let lines = payment.lines.clone();
    let sold = (!lines.is_empty()).then(|| {
        view! { <span class="sales-summary" data-testid="payment-lines">{move || lines_summary(&lines, lang.get().tag())}</span> }
    });
    view! {
        <li class="payment" data-testid="payment-row" data-payment-id=payment.id.clone()>
            <span class="amount">{credited}</span>
            <span class="payer">{payer}</span>
            <span class="bill muted">{payment.bill_number.clone().unwrap_or_default()}</span>
            {sold}
            {format::refund_mark(&payment).map(|k| view! { <span class="refund-mark" data-testid="payment-refund">{tr(k)}</span> })}
        </li>
    }
}

/// "Iced coffee ×2 · Noodle soup": what a payment's charge sold, on one line.
fn lines_summary(lines: &[api::SoldLine], language: &str) -> String {
    lines
        .iter()
        .map(|l| match l.quantity {
            1 => l.name_in(language).to_owned(),
            n => format!("{} ×{n}", l.name_in(language)),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_row_sums_up_its_lines_in_the_language() {
        let line = |name: &str, zh: &str, quantity| api::SoldLine {
            item_id: None,
            name: name.into(),
            names: api::ItemNames {
                km: None,
                zh: Some(zh.into()),
            },
            unit_price: "1000".into(),
            quantity,
            total: "1000".into(),
            usd_price: None,
        };
        let lines = [
            line("Iced coffee", "冰咖啡", 2),
            line("Noodle soup", "粉", 1),
        ];
        assert_eq!(lines_summary(&lines, "en"), "Iced coffee ×2 · Noodle soup");
        assert_eq!(lines_summary(&lines, "zh"), "冰咖啡 ×2 · 粉");
    }
}
