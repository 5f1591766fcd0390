//! `/dashboard`: today's totals per currency and top items, the 7/30-day chart, the live feed and the review
//! queue. Every figure reloads when the websocket brings an event, so nothing needs a refresh.

use std::collections::BTreeMap;

use khqr::{Currency, Money};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{self as api, calendar};

use crate::api::{self as client, HistoryFilter};
use crate::app::use_session;
use crate::components::daily_chart::{Bar, DailyChart};
use crate::components::payment_list::PaymentList;
use crate::components::review_queue::ReviewQueue;
use crate::components::top_bar::TopBar;
use crate::components::top_items::{TopItems, top_items};
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::use_realtime;

/// Days the chart can show.
const RANGES: [(u32, Key); 2] = [(7, Key::Days7), (30, Key::Days30)];

/// Everything the dashboard shows, loaded together.
#[derive(Debug, Clone, Default)]
struct Figures {
    totals: Vec<api::DailyTotal>,
    late: Vec<api::ChargeView>,
    unmatched: Vec<api::PaymentView>,
}

async fn load(from: String, to: String, reviews: bool) -> Result<Figures, client::ClientError> {
    let totals = client::daily_totals(&from, &to).await?;
    // The review queue is an owner's or manager's to work through; a cashier sees their day.
    if !reviews {
        return Ok(Figures {
            totals,
            ..Figures::default()
        });
    }
    let late = client::charges(&HistoryFilter {
        status: Some("paid_late".into()),
        limit: Some(50),
        ..Default::default()
    })
    .await?
    .items
    .into_iter()
    .filter(|c| c.resolution.is_none())
    .collect();
    let unmatched = client::payments(&HistoryFilter {
        unmatched: true,
        limit: Some(50),
        ..Default::default()
    })
    .await?
    .items;
    Ok(Figures {
        totals,
        late,
        unmatched,
    })
}

/// The dashboard.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session().0;
    let rt = use_realtime();
    let lang = use_i18n().lang;
    let country = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or(api::Country::KH);
    let default_currency = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.default_currency))
        .unwrap_or(Currency::Khr);
    let reviews = session.with_untracked(|s| s.as_ref().is_some_and(|s| s.role.manages()));
    let days = RwSignal::new(7u32);
    let currency = RwSignal::new(default_currency);
    let today = move || calendar::local_day(js_sys::Date::now() as i64, country);
    // The last event seen: a new one reloads the figures.
    let seq = move || rt.and_then(|rt| rt.last_seq.get());
    let figures = Load::new(move || {
        let _ = seq();
        let to = today();
        load(
            calendar::civil_from_days(to - 29),
            calendar::civil_from_days(to),
            reviews,
        )
    });
    // Today's best sellers, reloaded with the figures on each event; a failure just hides them.
    let top = Load::new(move || {
        let _ = seq();
        let day = calendar::civil_from_days(today());
        async move {
            client::item_report(&day, &day, None)
                .await
                .map(|r| top_items(r.items))
                .unwrap_or_default()
        }
    });
    if let Some(rt) = rt {
        spawn_local(async move {
            if let Ok(list) = client::recent_payments(20).await {
                rt.merge_payments(list);
            }
        });
    }
    let on_resolve = Callback::new(move |(id, resolution): (String, api::Resolution)| {
        spawn_local(async move {
            let _ = client::resolve_charge(&id, resolution).await;
            figures.refetch();
        });
    });
    let on_resolve_payment = Callback::new(move |(id, resolution): (String, api::Resolution)| {
        spawn_local(async move {
            let _ = client::resolve_payment(&id, resolution).await;
            figures.refetch();
        });
    });
    let payments = Signal::derive(move || rt.map(|rt| rt.payments.get()).unwrap_or_default());

    let view_figures = move |f: Figures| {
        let today_text = calendar::civil_from_days(today());
        let todays: Vec<_> = f
            .totals
            .iter()
            .filter(|t| t.date == today_text)
            .cloned()
            .collect();
        let totals = f.totals.clone();
        let bars = Signal::derive(move || {
            let n = i64::from(days.get());
            let cur = currency.get();
            let by_day: BTreeMap<&str, (u64, u64)> = totals
                .iter()
                .filter(|t| t.currency == cur)
                .map(|t| {
                    let minor = Money::parse(&t.total, cur)
                        .map(|m| m.amount.get())
                        .unwrap_or(0);
                    (t.date.as_str(), (minor, t.count))
                })
                .collect();
            let end = today();
            (end - n + 1..=end)
                .map(|d| {
                    let date = calendar::civil_from_days(d);
                    let (minor, count) = by_day.get(date.as_str()).copied().unwrap_or((0, 0));
                    Bar { date, minor, count }
                })
                .collect::<Vec<_>>()
        });
        let currencies: Vec<Currency> = match country {
            api::Country::KH => vec![Currency::Khr, Currency::Usd],
            api::Country::CN => vec![Currency::Cny],
        };
        crate::components::mark_ready("tonle:dashboard-ready");
        view! {
            <section class="card totals" aria-labelledby="today-title" data-testid="today-totals">
                <h2 id="today-title">{tr(Key::Today)}</h2>
                {if todays.is_empty() {
                    view! { <p class="muted" data-testid="today-empty">{tr(Key::NothingToday)}</p> }.into_any()
                } else {
                    view! {
                        <div class="total-list">
                            {todays.into_iter().map(|t| view! {
                                <p class="total" data-testid=format!("today-{}", t.currency.code())>
                                    <span class="amount-big">{format::amount(&t.total, t.currency)}</span>
                                    <span class="muted">{t.count}" "{tr(if t.count == 1 { Key::PaymentOne } else { Key::PaymentsCount })}</span>
                                </p>
                            }).collect_view()}
                        </div>
                    }.into_any()
                }}
            </section>
            {move || top.get().filter(|t| !t.is_empty()).map(|items| view! { <TopItems items=items/> })}
            <section class="card chart-card" aria-labelledby="chart-title">
                <div class="chart-head">
                    <h2 id="chart-title">{tr(Key::Received)}</h2>
                    <div class="segmented" role="group">
                        {RANGES.into_iter().map(|(n, key)| view! {
                            <button type="button" data-testid=format!("chart-{n}d") aria-pressed=move || (days.get() == n).to_string()
                                on:click=move |_| days.set(n)>{tr(key)}</button>
                        }).collect_view()}
                    </div>
                    <div class="segmented" role="group">
                        {currencies.into_iter().map(|c| view! {
                            <button type="button" data-testid=format!("chart-{}", c.code()) aria-pressed=move || (currency.get() == c).to_string()
                                on:click=move |_| currency.set(c)>{c.code()}</button>
                        }).collect_view()}
                    </div>
                </div>
                <DailyChart bars=bars currency=currency/>
            </section>
            <Show when=move || reviews fallback=|| ()>
                <ReviewQueue late=f.late.clone() unmatched=f.unmatched.clone() on_resolve=on_resolve on_resolve_payment=on_resolve_payment/>
            </Show>
        }
    };

    view! {
        <TopBar/>
        <div class="dashboard-page">
            <div class="dashboard-main">
                {figures.show(view_figures)}
            </div>
            <aside class="card feed" aria-label=move || t(lang.get(), Key::LiveFeed)>
                <PaymentList payments=payments/>
            </aside>
        </div>
    }
}
