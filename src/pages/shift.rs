//! `/shift`: the end-of-day summary of a counter (or all), per currency and by item, with every
//! payment of the day listed, printable on 58/80 mm thermal paper or A4 when the shift closes.

use std::collections::BTreeMap;

use khqr::{Currency, MinorUnits, Money};
use leptos::prelude::*;
use protocol::{self as api, calendar};

use crate::api::{self as client, HistoryFilter};
use crate::app::use_session;
use crate::components::paper::{Paper, PrintButtons};
use crate::components::top_bar::TopBar;
use crate::components::top_items::ItemTotals;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;

/// Every payment of one local day at a counter, following the cursor to the end.
async fn day_payments(
    day: String,
    terminal: Option<String>,
) -> Result<Vec<api::PaymentView>, client::ClientError> {
    let mut all = Vec::new();
    let mut cursor = None;
    loop {
        let page = client::payments(&HistoryFilter {
            from: Some(day.clone()),
            to: Some(day.clone()),
            terminal: terminal.clone(),
            limit: Some(200),
            cursor,
            ..Default::default()
        })
        .await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(all),
        }
    }
}

/// Count and total per currency of what is kept: a payment marked to refund is not takings.
fn totals(payments: &[api::PaymentView]) -> Vec<(Currency, usize, Money)> {
    let mut by: BTreeMap<&'static str, (Currency, usize, u64)> = BTreeMap::new();
    for p in payments
        .iter()
        .filter(|p| p.resolution != Some(api::Resolution::RefundDue))
    {
        let minor = Money::parse(&p.amount, p.currency).map_or(0, |m| m.amount.get());
        let e = by.entry(p.currency.code()).or_insert((p.currency, 0, 0));
        e.1 += 1;
        e.2 = e.2.saturating_add(minor);
    }
    by.into_values()
        .map(|(c, n, minor)| (c, n, Money::new(MinorUnits::new(minor), c)))
        .collect()
}

/// The summary.
#[component]
pub fn ShiftPage() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let paper = RwSignal::new(Paper::Roll80);
    let country = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or(api::Country::KH);
    let name = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.business_name.clone()))
        .unwrap_or_default();
    let today = calendar::civil_from_days(calendar::local_day(js_sys::Date::now() as i64, country));
    let day = RwSignal::new(today);
    let terminal = RwSignal::new(String::new());
    let counters = Load::new(|| async { client::terminals().await.unwrap_or_default() });
    let data = Load::new(move || {
        let d = day.get();
        let t = Some(terminal.get()).filter(|t| !t.is_empty());
        day_payments(d, t)
    });
    // What sold by item the same day at the same counter; a failure leaves the section out.
    let items = Load::new(move || {
        let d = day.get();
        let t = Some(terminal.get()).filter(|t| !t.is_empty());
        async move {
            client::item_report(&d, &d, t.as_deref())
                .await
                .map(|r| r.items)
                .unwrap_or_default()
        }
    });
    let counter_name = move || {
        let id = terminal.get();
        counters
            .get()
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} · {}", c.label, c.store_name))
    };
    let summary = move |payments: Vec<api::PaymentView>| {
        let sums = totals(&payments);
        view! {
            <article class=move || format!("receipt shift {}", paper.get().class()) data-testid="shift-summary">
                <header>
                    <h1>{name.clone()}</h1>
                    <p>{tr(Key::ShiftTitle)}</p>
                    <p class="muted">{move || format::short_date(lang.get(), &day.get())}" · "{move || counter_name().unwrap_or_else(|| t(lang.get(), Key::AllCounters).to_owned())}</p>
                </header>
                <table class="shift-totals">
                    <thead><tr><th>{tr(Key::Total)}</th><th>{tr(Key::Payments)}</th></tr></thead>
                    <tbody>
                        {sums.into_iter().map(|(c, n, m)| view! {
                            <tr data-testid=format!("shift-total-{}", c.code())>
                                <td>{format::amount(&m.to_decimal_string(), c)}</td><td>{n}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {move || items.get().filter(|i| !i.is_empty()).map(|items| view! { <ItemTotals items=items/> })}
                <ul class="shift-lines">
                    {payments.into_iter().map(|p| {
                        let at = p.received_at_ms;
                        view! {
                            <li data-testid="shift-line">
                                <span>{move || format::date_time(lang.get(), at, country)}</span>
                                <span>{p.bill_number.clone().unwrap_or_default()}</span>
                                <span class="amount">{format::amount(&p.amount, p.currency)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </article>
        }
    };
    view! {
        <div class="no-print"><TopBar/></div>
        <div class="print-page">
            <form class="card filters no-print" on:submit=|ev| ev.prevent_default()>
                <label>{tr(Key::Day)}<input type="date" data-testid="shift-day" prop:value=move || day.get() on:change=move |ev| day.set(event_target_value(&ev))/></label>
                <label>{tr(Key::Counter)}
                    <select data-testid="shift-counter" on:change=move |ev| terminal.set(event_target_value(&ev))>
                        <option value="">{tr(Key::AllCounters)}</option>
                        {move || counters.get().unwrap_or_default().into_iter().map(|c| view! {
                            <option value=c.id.clone()>{c.label.clone()}" · "{c.store_name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </form>
            <PrintButtons paper=paper/>
            {data.show(summary)}
        </div>
    }
}
