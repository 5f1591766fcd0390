//! `/receipt/{payment}`: a receipt for one payment, printable on 58/80 mm thermal paper or A4.

use leptos::prelude::*;
use protocol as api;

use crate::app::use_session;
use crate::components::paper::{Paper, PrintButtons};
use crate::components::sold_lines::SoldLines;
use crate::components::top_bar::TopBar;
use crate::format;
use crate::i18n::{Key, tr, use_i18n};
use crate::load::Load;

/// The receipt.
#[component]
pub fn ReceiptPage(
    /// the payment receipted
    id: protocol::web::PaymentId,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let session = use_session().0;
    let paper = RwSignal::new(Paper::Roll80);
    let payment = Load::new(move || {
        let id = id.clone();
        async move { crate::api::payment(id.as_str()).await }
    });
    // The shop's dollar rate, from the charge, once the payment shows converted lines.
    let rate_load = Load::new(move || {
        let paid = payment.get().and_then(Result::ok);
        async move {
            match paid {
                Some(p) => crate::api::payment_dollar_rate(&p).await,
                None => None,
            }
        }
    });
    let dollar_rate = Signal::derive(move || rate_load.get().flatten());
    let profile = session.with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.clone()));
    let country = profile.as_ref().map_or(api::Country::KH, |p| p.country);
    let body = move |p: api::PaymentView| {
        let profile = profile.clone();
        let payer_paid = match (&p.payer.amount, p.payer.currency) {
            (Some(a), Some(c)) => Some(format::amount(a, c)),
            _ => None,
        };
        let rate = match (&p.payer.rate, p.payer.currency) {
            (Some(r), Some(c)) => Some(format!("1 {} = {r} {}", c.code(), p.currency.code())),
            _ => None,
        };
        let at = p.received_at_ms;
        let lines = (!p.lines.is_empty()).then(
            || view! { <SoldLines lines=p.lines.clone() currency=p.currency rate=dollar_rate/> },
        );
        view! {
            <article class=move || format!("receipt {}", paper.get().class()) data-testid="receipt">
                <header>
                    <h1>{profile.as_ref().map(|p| p.business_name.clone())}</h1>
                    {profile.as_ref().and_then(|p| p.alternate.as_ref()).map(|a| view! { <p class="alt">{a.name.clone()}</p> })}
                    <p class="muted">{profile.as_ref().map(|p| p.merchant_city.clone())}</p>
                </header>
                {lines}
                <p class="receipt-amount" data-testid="receipt-amount">{format::amount(&p.amount, p.currency)}</p>
                {format::refund_mark(&p).map(|k| view! { <p class="refund-mark" data-testid="receipt-refund">{tr(k)}</p> })}
                <dl>
                    <dt>{tr(Key::ReceivedAt)}</dt><dd>{move || format::date_time(lang.get(), at, country)}</dd>
                    <dt>{tr(Key::Bill)}</dt><dd>{p.bill_number.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{tr(Key::Wallet)}</dt><dd>{p.payer.wallet.clone()}{p.payer.institution.clone().map(|i| format!(" · {i}"))}</dd>
                    <dt>{tr(Key::PayerCountry)}</dt><dd>{p.payer.country.clone()}</dd>
                    {payer_paid.map(|v| view! { <dt>{tr(Key::PayerPaid)}</dt><dd>{v}</dd> })}
                    {rate.map(|v| view! { <dt>{tr(Key::Rate)}</dt><dd>{v}</dd> })}
                    <dt>{tr(Key::Transaction)}</dt><dd class="mono">{p.network.as_str()}" · "{p.transaction_id.clone()}</dd>
                </dl>
                <p class="receipt-thanks">{tr(Key::ThankYou)}</p>
            </article>
        }
    };
    view! {
        <div class="no-print"><TopBar/></div>
        <div class="print-page">
            <PrintButtons paper=paper/>
            {payment.show(body)}
        </div>
    }
}
