//! The last payments, so a cashier never has to ask "did it go through?".

use leptos::prelude::*;
use protocol as api;

use crate::format;
use crate::i18n::{Key, tr};

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
    view! {
        <li class="payment" data-testid="payment-row" data-payment-id=payment.id.clone()>
            <span class="amount">{credited}</span>
            <span class="payer">{payer}</span>
            <span class="bill muted">{payment.bill_number.clone().unwrap_or_default()}</span>
            {format::refund_mark(&payment).map(|k| view! { <span class="refund-mark" data-testid="payment-refund">{tr(k)}</span> })}
        </li>
    }
}
