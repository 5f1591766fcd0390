//! Late and unmatched payments waiting for an owner or manager to decide.

use leptos::prelude::*;
use protocol as api;

use crate::format;
use crate::i18n::{Key, tr};

/// What the merchant reads for why a payment settled nothing.
fn reason(r: Option<api::ReviewReason>) -> Key {
    use api::ReviewReason as R;
    match r {
        Some(R::NoCharge) => Key::ReasonNoCharge,
        Some(R::AmountMismatch) => Key::ReasonAmount,
        Some(R::PayeeMismatch) => Key::ReasonPayee,
        Some(R::Md5Mismatch) => Key::ReasonMd5,
        Some(R::ChargeClosed) => Key::ReasonClosed,
        Some(R::BillNumberMismatch | R::Unknown) | None => Key::Unmatched,
    }
}

/// The queue, with a decision per late charge.
#[component]
pub fn ReviewQueue(
    /// charges paid after expiry, unresolved
    #[prop(into)]
    late: Signal<Vec<api::ChargeView>>,
    /// payments that settled no charge
    #[prop(into)]
    unmatched: Signal<Vec<api::PaymentView>>,
    /// the merchant's decision on a late charge
    on_resolve: Callback<(String, api::Resolution)>,
    /// the merchant's decision on a payment that settled no charge
    on_resolve_payment: Callback<(String, api::Resolution)>,
) -> impl IntoView {
    let empty = move || late.with(Vec::is_empty) && unmatched.with(Vec::is_empty);
    view! {
        <section class="card review" aria-labelledby="review-title" data-testid="review-queue">
            <h2 id="review-title">{tr(Key::Review)}</h2>
            <Show when=move || !empty() fallback=move || view! { <p class="muted" data-testid="review-empty">{tr(Key::ReviewEmpty)}</p> }>
                <ul>
                    <For each=move || late.get() key=|c| c.id.clone() let:c>
                        <li class="review-item" data-testid="review-late" data-charge-id=c.id.clone()>
                            <span class="amount">{format::amount(&c.amount, c.currency)}</span>
                            <span>{tr(Key::PaidLate)}" · "{c.bill_number.clone()}</span>
                            <span class="actions">
                                <button type="button" data-testid="resolve-accept"
                                    on:click={let id = c.id.clone(); move |_| on_resolve.run((id.clone(), api::Resolution::Accepted))}>{tr(Key::Accept)}</button>
                                <button type="button" data-testid="resolve-refund"
                                    on:click={let id = c.id.clone(); move |_| on_resolve.run((id.clone(), api::Resolution::RefundDue))}>{tr(Key::RefundDue)}</button>
                            </span>
                        </li>
                    </For>
                    <For each=move || unmatched.get() key=|p| p.id.clone() let:p>
                        <li class="review-item" data-testid="review-unmatched" data-payment-id=p.id.clone()>
                            <span class="amount">{format::amount(&p.amount, p.currency)}</span>
                            <span data-testid="review-reason" data-reason=p.review.map(api::ReviewReason::as_str)>
                                {tr(reason(p.review))}" · "{p.payer.wallet.clone()}" · "{p.bill_number.clone().unwrap_or_else(|| p.transaction_id.clone())}
                            </span>
                            <span class="actions">
                                <button type="button" data-testid="resolve-payment-accept"
                                    on:click={let id = p.id.clone(); move |_| on_resolve_payment.run((id.clone(), api::Resolution::Accepted))}>{tr(Key::Accept)}</button>
                                <button type="button" data-testid="resolve-payment-refund"
                                    on:click={let id = p.id.clone(); move |_| on_resolve_payment.run((id.clone(), api::Resolution::RefundDue))}>{tr(Key::RefundDue)}</button>
                            </span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
