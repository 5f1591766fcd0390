//! `/history`: payments filtered by dates, network and bill number, a page at a time, each opening
//! into its details; the same filters download as CSV.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, HistoryFilter, error_key};
use crate::app::use_session;
use crate::components::sold_lines::SoldLines;
use crate::components::top_bar::TopBar;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

const PAGE: u32 = 50;

/// The history screen.
/// A network's name in the language, or as the server wrote it.
fn network_name(lang: crate::i18n::Lang, network: protocol::Network) -> String {
    format::network_key(network)
        .map_or_else(|| network.as_str().to_owned(), |k| t(lang, k).to_owned())
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    // Counter names, for each payment's details.
    let counters =
        crate::load::Load::new(|| async { client::terminals().await.unwrap_or_default() });
    let counters = Signal::derive(move || counters.get().unwrap_or_default());
    let lang = use_i18n().lang;
    let country = use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or(api::Country::KH);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let network = RwSignal::new(String::new());
    let bill = RwSignal::new(String::new());
    let applied = RwSignal::new(HistoryFilter {
        limit: Some(PAGE),
        ..Default::default()
    });
    let items = RwSignal::new(Vec::<api::PaymentView>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<Key>);
    let open = RwSignal::new(None::<String>);

    let fetch = move |append: bool| {
        let mut f = applied.get_untracked();
        if append {
            f.cursor = next.get_untracked();
        }
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            match client::payments(&f).await {
                Ok(page) => {
                    items.update(|l| {
                        if !append {
                            l.clear();
                        }
                        l.extend(page.items);
                    });
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(error_key(&e))),
            }
            loading.set(false);
            if !append {
                crate::components::mark_now("tonle:history-ready");
            }
        });
    };
    fetch(false);
    let non_empty = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(HistoryFilter {
            from: non_empty(from),
            to: non_empty(to),
            network: non_empty(network),
            bill_number: non_empty(bill),
            limit: Some(PAGE),
            ..Default::default()
        });
        fetch(false);
    };
    let csv = move || client::payments_csv_url(&applied.get());
    let lines_csv = move || client::payment_lines_csv_url(&applied.get());

    view! {
        <TopBar/>
        <div class="history-page">
            <form class="card filters" on:submit=search data-testid="history-filters">
                <label>{tr(Key::From)}<input type="date" data-testid="filter-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/></label>
                <label>{tr(Key::To)}<input type="date" data-testid="filter-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/></label>
                <label>{tr(Key::Network)}
                    <select data-testid="filter-network" on:change=move |ev| network.set(event_target_value(&ev))>
                        <option value="">{tr(Key::AllNetworks)}</option>
                        {protocol::Network::ALL.into_iter().map(|n| view! { <option value=n.as_str()>{move || network_name(lang.get(), n)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{tr(Key::BillNumber)}<input type="search" data-testid="filter-bill" prop:value=move || bill.get() on:input=move |ev| bill.set(event_target_value(&ev))/></label>
                <button type="submit" class="primary" data-testid="filter-apply">{tr(Key::Search)}</button>
                <a class="button-link" href=csv download="tonle-payments.csv" data-testid="download-csv">{tr(Key::DownloadCsv)}</a>
                <a class="button-link" href=lines_csv download="tonle-lines.csv" data-testid="export-lines-csv">{tr(Key::SalesLinesCsv)}</a>
                <a class="button-link" href=crate::router::Route::SHIFT.path() data-testid="shift-link">{tr(Key::ShiftClose)}</a>
            </form>
            <p class="field-error" role="alert" data-testid="history-error">{move || error.get().map(|k| t(lang.get(), k))}</p>
            <Show when=move || !items.with(Vec::is_empty) || loading.get()
                fallback=move || view! { <p class="card muted" data-testid="history-empty">{tr(Key::NoMatches)}</p> }>
                <ul class="history-list" data-testid="history-list">
                    <For each=move || items.get() key=|p| p.id.clone() let:p>
                        <HistoryRow payment=p open=open country=country counters=counters/>
                    </For>
                </ul>
            </Show>
            <Show when=move || next.with(Option::is_some) fallback=|| ()>
                <button type="button" class="secondary" data-testid="load-more" disabled=move || loading.get() on:click=move |_| fetch(true)>{tr(Key::LoadMore)}</button>
            </Show>
        </div>
    }
}

/// One payment; a tap opens its details.
#[component]
fn HistoryRow(
    payment: api::PaymentView,
    open: RwSignal<Option<String>>,
    country: api::Country,
    counters: Signal<Vec<api::TerminalView>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let id = payment.id.clone();
    let is_open = Signal::derive({
        let id = id.clone();
        move || open.with(|o| o.as_deref() == Some(id.as_str()))
    });
    let toggle = {
        let id = id.clone();
        move |_| {
            open.update(|o| {
                *o = if o.as_deref() == Some(id.as_str()) {
                    None
                } else {
                    Some(id.clone())
                }
            })
        }
    };
    let at = payment.received_at_ms;
    let p = payment.clone();
    let detail = move || {
        let p = p.clone();
        let payer_paid = match (&p.payer.amount, p.payer.currency) {
            (Some(a), Some(c)) => format::amount(a, c),
            _ => "—".into(),
        };
        let rate = match (&p.payer.rate, p.payer.currency) {
            (Some(r), Some(c)) => format!("1 {} = {r} {}", c.code(), p.currency.code()),
            (Some(r), None) => r.clone(),
            _ => "—".into(),
        };
        let lines = (!p.lines.is_empty()).then(|| {
            // The shop's dollar rate is on the charge: asked for only when a line was converted.
            let rate_load = crate::load::Load::new({
                let p = p.clone();
                move || {
                    let p = p.clone();
                    async move { client::payment_dollar_rate(&p).await }
                }
            });
            let rate = Signal::derive(move || rate_load.get().flatten());
            view! { <SoldLines lines=p.lines.clone() currency=p.currency total=p.amount.clone() rate=rate/> }
        });
        view! {
            {lines}
            <dl class="detail" data-testid="payment-detail">
                <dt>{tr(Key::Transaction)}</dt><dd data-testid="payment-network">{let n = p.network; move || network_name(lang.get(), n)}" · "{p.transaction_id.clone()}</dd>
                <dt>{tr(Key::Wallet)}</dt><dd>{p.payer.wallet.clone()}{p.payer.institution.clone().map(|i| format!(" · {i}"))}</dd>
                <dt>{tr(Key::PayerCountry)}</dt><dd>{p.payer.country.clone()}</dd>
                <dt>{tr(Key::PayerPaid)}</dt><dd>{payer_paid}</dd>
                <dt>{tr(Key::Rate)}</dt><dd>{rate}</dd>
                <dt>{tr(Key::Bill)}</dt><dd>{p.bill_number.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{tr(Key::Counter)}</dt><dd data-testid="payment-counter">{let t = p.terminal_id.clone(); move || counters.with(|list| {
                    list.iter().find(|c| Some(&c.id) == t.as_ref()).map_or_else(|| "—".to_owned(), |c| format!("{} · {}", c.label, c.store_name))
                })}</dd>
                <dt></dt><dd><a href=crate::router::Route::from(protocol::web::PrintPage::Receipt(p.id.as_str().into())).path() data-testid="receipt-link">{tr(Key::Receipt)}</a></dd>
            </dl>
        }
    };
    view! {
        <li class="history-item" data-testid="history-row" data-payment-id=id>
            <button type="button" class="row" aria-expanded=move || is_open.get().to_string() on:click=toggle>
                <span class="amount">{format::amount(&payment.amount, payment.currency)}</span>
                <span class="muted">{payment.payer.wallet.clone()}" · "{payment.payer.country.clone()}</span>
                <span class="muted">{payment.bill_number.clone().unwrap_or_default()}</span>
                <span class="muted when">{move || format::date_time(lang.get(), at, country)}</span>
                {format::refund_mark(&payment).map(|k| view! { <span class="refund-mark" data-testid="history-refund">{tr(k)}</span> })}
            </button>
            <Show when=move || is_open.get() fallback=|| ()>{detail.clone()}</Show>
        </li>
    }
}
