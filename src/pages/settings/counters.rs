//! Settings → stores and counters: each counter with its poster and a button to pair a display
//! to it (see [`super::displays`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::components::field::Field;
use crate::i18n::{Key, pick, tr, use_i18n};
use crate::load::Load;

use super::displays::{Displays, DisplaysPanel};

// Text only this card shows, kept here so other bundles do not download it: [en, km, zh].
const POSTER_NO_CHECK: [&str; 3] = [
    "Bakong cannot check payments to a poster's static QR: they arrive from bank notifications only.",
    "Bakong មិនអាចពិនិត្យការបង់ប្រាក់តាម QR ស្តាទិចលើផ្ទាំងបានទេ៖ វាមកតែពីការជូនដំណឹងរបស់ធនាគារ។",
    "Bakong 无法核对海报静态二维码的付款：仅通过银行通知接收。",
];
const ADD_STORE_FIRST: [&str; 3] = [
    "Add a store first (below), then its counters",
    "សូមបន្ថែមហាងជាមុនសិន (ខាងក្រោម) រួចបន្ថែមតុគិតលុយ",
    "请先在下方添加门店，再添加收银台",
];

/// The merchant's stores and counters, loaded once for the settings cards that show them.
pub type Counters = Load<Result<(Vec<api::StoreView>, Vec<api::TerminalView>), ClientError>>;

/// Loads the stores and counters.
pub fn load_counters() -> Counters {
    Load::new(|| async { Ok((client::stores().await?, client::terminals().await?)) })
}

/// Stores, their counters, and each counter's poster.
#[component]
pub fn StoresSection(
    /// the merchant's stores and counters (Settings loads them once for every card)
    data: Counters,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let store_name = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let store_pick = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let add_store = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name = store_name.get_untracked();
        spawn_local(async move {
            match client::create_store(&name).await {
                Ok(_) => {
                    store_name.set(String::new());
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let add_counter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let stores = data
            .get()
            .and_then(Result::ok)
            .map(|(s, _)| s)
            .unwrap_or_default();
        let store_id = Some(store_pick.get_untracked())
            .filter(|s| !s.is_empty())
            .or_else(|| stores.first().map(|s| s.id.clone()))
            .unwrap_or_default();
        let body = api::CreateTerminal {
            store_id,
            label: label.get_untracked(),
        };
        spawn_local(async move {
            match client::create_terminal(&body).await {
                Ok(_) => {
                    label.set(String::new());
                    error.set(None);
                    data.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let err_for = move |name: &'static str| {
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .filter(|e| e.field() == Some(name))
                    .map(error_key)
            })
        })
    };
    let displays = Displays::new();
    let counters = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, terms)| terms)
            .unwrap_or_default()
    });
    view! {
        <section class="card" aria-labelledby="stores-title" data-testid="stores-section">
            <h2 id="stores-title">{tr(Key::StoresTitle)}</h2>
            {data.show(move |(stores, terminals)| view! {
                    <Show when={let empty = terminals.is_empty(); move || empty} fallback=|| ()>
                        <p class="muted">{tr(Key::NoCounters)}</p>
                    </Show>
                    <ul class="counter-list">
                        {terminals.into_iter().map(|term| view! {
                            <li data-testid="counter-row">
                                <span><strong>{term.label.clone()}</strong>" · "{term.store_name.clone()}</span>
                                <span class="actions">
                                    <a href=crate::router::Route::from(protocol::web::PrintPage::Poster(term.id.as_str().into())).path() data-testid="counter-poster">{tr(Key::Poster)}</a>
                                    <button type="button" data-testid="counter-pair"
                                        on:click={let id = term.id.clone(); move |_| displays.pair(id.clone())}>{tr(Key::PairDisplay)}</button>
                                </span>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="muted" data-testid="poster-no-check">{move || pick(lang.get(), POSTER_NO_CHECK)}</p>
                    <form class="inline-form" on:submit=add_counter data-testid="counter-form">
                        <label>{tr(Key::Store)}
                            <select data-testid="counter-store" on:change=move |ev| store_pick.set(event_target_value(&ev))>
                                {stores.into_iter().map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <Field label=Key::CounterLabel value=label testid="counter-label" error=err_for("label")/>
                        <button type="submit" data-testid="counter-add">{tr(Key::AddCounter)}</button>
                    </form>
                    <p class="form-error" role="alert" data-testid="counter-store-error">
                        {move || err_for("store_id").get().map(|_| pick(lang.get(), ADD_STORE_FIRST))}
                    </p>
            })}
            <form class="inline-form" on:submit=add_store data-testid="store-form">
                <Field label=Key::StoreName value=store_name testid="store-name" error=err_for("name")/>
                <button type="submit" data-testid="store-add">{tr(Key::AddStore)}</button>
            </form>
            <DisplaysPanel displays=displays counters=counters/>
        </section>
    }
}
