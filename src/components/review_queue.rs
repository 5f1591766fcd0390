//! Late and unmatched payments waiting for an owner or manager to decide.

use leptos::prelude::*;
use protocol as api;

use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, Lang, pick, t, tr, use_i18n};

// Reasons only the review queue shows, kept here so other bundles do not download them.
const NO_CHARGE: [&str; 3] = [
    "Paid to your account without a charge",
    "បានបង់ចូលគណនីរបស់អ្នក ដោយគ្មានការគិតប្រាក់",
    "未对应任何收款单的入账",
];
const AMOUNT: [&str; 3] = [
    "Amount differs from the charge",
    "ចំនួនទឹកប្រាក់ខុសពីការគិតប្រាក់",
    "金额与收款单不符",
];
const PAYEE: [&str; 3] = [
    "Paid to another account than the charge's",
    "បានបង់ទៅគណនីផ្សេងពីការគិតប្រាក់",
    "收款账户与收款单不符",
];
const MD5: [&str; 3] = [
    "The paid QR is not this charge's QR",
    "QR ដែលបានបង់ មិនមែនជា QR នៃការគិតប្រាក់នេះទេ",
    "所付二维码不是该收款单的二维码",
];
const CLOSED: [&str; 3] = [
    "The charge was already paid or cancelled",
    "ការគិតប្រាក់នេះបានបង់ ឬបានបោះបង់រួចហើយ",
    "该收款单已付款或已取消",
];

/// What the merchant reads for why a payment settled nothing.
fn reason(lang: Lang, r: Option<api::ReviewReason>) -> &'static str {
    use api::ReviewReason as R;
    match r {
        Some(R::NoCharge) => pick(lang, NO_CHARGE),
        Some(R::AmountMismatch) => pick(lang, AMOUNT),
        Some(R::PayeeMismatch) => pick(lang, PAYEE),
        Some(R::Md5Mismatch) => pick(lang, MD5),
        Some(R::ChargeClosed) => pick(lang, CLOSED),
        Some(R::BillNumberMismatch | R::Unknown) | None => t(lang, Key::Unmatched),
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
    let lang = use_i18n().lang;
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
                                <ConfirmButton label=Key::RefundDue testid="resolve-refund"
                                    on_confirm={let id = c.id.clone(); Callback::new(move |()| on_resolve.run((id.clone(), api::Resolution::RefundDue)))}/>
                            </span>
                        </li>
                    </For>
                    <For each=move || unmatched.get() key=|p| p.id.clone() let:p>
                        <li class="review-item" data-testid="review-unmatched" data-payment-id=p.id.clone()>
                            <span class="amount">{format::amount(&p.amount, p.currency)}</span>
                            <span data-testid="review-reason" data-reason=p.review.map(api::ReviewReason::as_str)>
                                {let review = p.review; move || reason(lang.get(), review)}" · "{p.payer.wallet.clone()}" · "{p.bill_number.clone().unwrap_or_else(|| p.transaction_id.clone())}
                            </span>
                            <span class="actions">
                                <button type="button" data-testid="resolve-payment-accept"
                                    on:click={let id = p.id.clone(); move |_| on_resolve_payment.run((id.clone(), api::Resolution::Accepted))}>{tr(Key::Accept)}</button>
                                <ConfirmButton label=Key::RefundDue testid="resolve-payment-refund"
                                    on_confirm={let id = p.id.clone(); Callback::new(move |()| on_resolve_payment.run((id.clone(), api::Resolution::RefundDue)))}/>
                            </span>
                        </li>
                    </For>
                </ul>
            </Show>
        </section>
    }
}
