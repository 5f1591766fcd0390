//! Settings → Telegram: a shop links its group to the deployment's bot with a one-time link (its
//! QR, or `/start CODE` sent in the group), then chooses per group the language, what is sent,
//! quiet hours and the summary's hour, sends a test message, or disconnects the group.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;
use protocol::{ChatEvent, ChatLanguage, ChatStatus};

use super::counters::Counters;
use crate::api::{self as client, ClientError, error_key};
use crate::components::qr_code::QrImage;
use crate::format;
use crate::i18n::{Key, Lang, t, tr, use_i18n};
use crate::load::{Load, failed, pending};

mod chat;

/// How often the list is asked again while something is awaited (a group, a message).
const POLL_MS: u64 = 3_000;
/// The languages a chat can be posted in, in the app's switcher order.
const LANGUAGES: [ChatLanguage; 3] = [ChatLanguage::Km, ChatLanguage::Zh, ChatLanguage::En];

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn event_key(e: ChatEvent) -> Key {
    match e {
        ChatEvent::Paid => Key::EventPaid,
        ChatEvent::PaidLate => Key::EventPaidLate,
        ChatEvent::Review => Key::EventReview,
        ChatEvent::Summary => Key::EventSummary,
        ChatEvent::Bakong => Key::EventBakong,
        ChatEvent::WebhookOff => Key::EventWebhookOff,
    }
}

/// A chat language's own name (the app's languages are the chats').
fn endonym(l: ChatLanguage) -> &'static str {
    Lang::from_tag(l.as_str()).map_or(l.as_str(), Lang::endonym)
}

/// What to ask the server for: nothing when every event is ticked (its "everything").
fn events_or_all(chosen: &[ChatEvent]) -> Vec<ChatEvent> {
    if ChatEvent::ALL.iter().all(|e| chosen.contains(e)) {
        return Vec::new();
    }
    ChatEvent::ALL
        .into_iter()
        .filter(|e| chosen.contains(e))
        .collect()
}

/// The scope select's value (`store:ID`, `counter:ID` or empty) as (store, counter).
fn scope_ids(value: &str) -> (Option<String>, Option<String>) {
    match value.split_once(':') {
        Some(("store", id)) => (Some(id.to_owned()), None),
        Some(("counter", id)) => (None, Some(id.to_owned())),
        _ => (None, None),
    }
}

fn language_options(
    selected: impl Fn(ChatLanguage) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    LANGUAGES
        .map(|l| view! { <option value=l.as_str() lang=l.as_str() selected=move || selected(l)>{endonym(l)}</option> })
        .collect_view()
}

/// The card's state.
#[derive(Clone, Copy)]
struct Alerts {
    list: Load<Result<api::TelegramChats, ClientError>>,
    counters: Counters,
    /// the link just made, until its group is linked
    link: RwSignal<Option<api::ChatLink>>,
    expired: RwSignal<bool>,
    /// active chats when the link was made: one active now and not among them was just linked
    known: StoredValue<Vec<String>>,
    /// the title of the group the last link linked
    joined: RwSignal<Option<String>>,
    error: RwSignal<Option<ClientError>>,
    country: api::Country,
}

impl Alerts {
    fn chats(self) -> Vec<api::TelegramChat> {
        let list = self.list.get().and_then(Result::ok);
        list.map(|c| c.items).unwrap_or_default()
    }

    fn places(self) -> (Vec<api::StoreView>, Vec<api::TerminalView>) {
        self.counters.get().and_then(Result::ok).unwrap_or_default()
    }

    fn show_link(self, link: api::ChatLink) {
        let active = self
            .chats()
            .into_iter()
            .filter(|c| c.status == ChatStatus::Active);
        self.known.set_value(active.map(|c| c.id).collect());
        self.error.set(None);
        self.joined.set(None);
        self.expired.set(false);
        self.link.set(Some(link));
    }

    /// While a link waits for its group, or messages wait to be sent, the list is asked again
    /// every few seconds; once a new group is in it, the link is done.
    fn watch(self) {
        let queued = Memo::new(move |_| self.chats().iter().any(|c| c.waiting > 0));
        Effect::new(move |_| {
            let link = self.link.with(|l| l.as_ref().map(|l| l.expires_at_ms));
            let until = link.filter(|_| !self.expired.get());
            if (until.is_some() || queued.get())
                && let Ok(h) = set_interval_with_handle(
                    move || {
                        if until.is_some_and(|u| now_ms() >= u) {
                            self.expired.set(true);
                        }
                        self.list.refetch();
                    },
                    Duration::from_millis(POLL_MS),
                )
            {
                on_cleanup(move || h.clear());
            }
        });
        Effect::new(move |_| {
            let chats = self.chats();
            if self.link.with_untracked(Option::is_none) {
                return;
            }
            let known = self.known.get_value();
            let new = chats
                .into_iter()
                .find(|c| c.status == ChatStatus::Active && !known.contains(&c.id));
            if let Some(c) = new {
                self.joined.set(Some(c.title));
                self.link.set(None);
            }
        });
    }
}

/// The Telegram card.
#[component]
pub fn TelegramSection(
    /// the merchant's stores and counters, for a group that hears of one of them only
    data: Counters,
) -> impl IntoView {
    let country = crate::app::use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or_default();
    let alerts = Alerts {
        list: Load::new(client::telegram_chats),
        counters: data,
        link: RwSignal::new(None),
        expired: RwSignal::new(false),
        known: StoredValue::new(Vec::new()),
        joined: RwSignal::new(None),
        error: RwSignal::new(None),
        country,
    };
    alerts.watch();
    // Only the bot decides what the card holds, so a poll redraws rows, never the forms.
    let bot = Memo::new(move |_| alerts.list.get().map(|r| r.map(|c| (c.configured, c.bot))));
    let retry = Callback::new(move |()| alerts.list.refetch());
    let body = move || match bot.get() {
        None => pending(),
        Some(Err(e)) => failed(e, retry),
        Some(Ok((true, None))) => view! {
            <div data-testid="telegram-bot-starting">
                <p>{tr(Key::TelegramNotAnswered)}</p>
                <button type="button" class="secondary" data-testid="telegram-retry"
                    on:click=move |_| retry.run(())>{tr(Key::Retry)}</button>
            </div>
        }
        .into_any(),
        Some(Ok((false, _))) => view! {
            <div data-testid="telegram-no-bot">
                <p>{tr(Key::TelegramNoBot)}</p>
                <p><code class="telegram-command">"tonle serve --telegram-bot-token …"</code></p>
            </div>
        }
        .into_any(),
        Some(Ok((true, Some(name)))) => view! { <Linked alerts=alerts bot=name/> }.into_any(),
    };
    view! {
        <section class="card telegram" aria-labelledby="telegram-title" data-testid="telegram-section">
            <h2 id="telegram-title">{tr(Key::TelegramAlerts)}</h2>
            <p class="muted">{tr(Key::TelegramIntro)}</p>
            {body}
        </section>
    }
}

/// The linked groups, the form that links one more, and the link it made.
#[component]
fn Linked(alerts: Alerts, bot: String) -> impl IntoView {
    let lang = use_i18n().lang;
    // The rows are drawn again only when a group comes or goes (a plain list: `For`'s keyed
    // diffing would be downloaded for this one list).
    let ids = Memo::new(move |_| alerts.chats().into_iter().map(|c| c.id).collect::<Vec<_>>());
    view! {
        <p class="muted" data-testid="telegram-bot">{tr(Key::MessagesFrom)}" "<span class="mono">"@"{bot}</span></p>
        <ul class="endpoint-list" data-testid="telegram-chats">
            {move || ids.get().into_iter().map(|id| view! { <chat::ChatRow id=id alerts=alerts/> }).collect_view()}
        </ul>
        <Show when=move || ids.with(Vec::is_empty) fallback=|| ()>
            <p class="muted" data-testid="telegram-chats-empty">{tr(Key::NoGroupYet)}</p>
        </Show>
        {move || alerts.joined.get().map(|title| view! {
            <p class="ok" role="status" data-testid="telegram-connected">{tr(Key::GroupConnected)}" "{title}</p>
        })}
        <LinkForm alerts=alerts/>
        <p class="form-error" role="alert" data-testid="telegram-error">
            {move || alerts.error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
        </p>
        {move || alerts.link.get().map(|l| view! { <LinkShown link=l alerts=alerts/> })}
    }
}

/// Ticks for the events a group is told of.
#[component]
fn EventChecks(chosen: RwSignal<Vec<ChatEvent>>, testid: &'static str) -> impl IntoView {
    view! {
        <fieldset class="checks" data-testid=testid>
            <legend>{tr(Key::WhatToSend)}</legend>
            {ChatEvent::ALL.into_iter().map(|e| view! {
                <label class="check">
                    <input type="checkbox" data-testid=format!("{testid}-{}", e.as_str())
                        prop:checked=move || chosen.with(|v| v.contains(&e))
                        on:change=move |_| chosen.update(|v| match v.iter().position(|x| *x == e) {
                            Some(i) => { v.remove(i); }
                            None => v.push(e),
                        })/>
                    <span>{tr(event_key(e))}</span>
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// Language, scope and events of the next group, and the button that makes its link.
#[component]
fn LinkForm(alerts: Alerts) -> impl IntoView {
    let app_lang = use_i18n().lang;
    // The app's language until another is picked.
    let picked = RwSignal::new(None::<ChatLanguage>);
    let language = move || picked.get().or(ChatLanguage::parse(app_lang.get().tag()));
    let scope = RwSignal::new(String::new());
    let events = RwSignal::new(ChatEvent::ALL.to_vec());
    let busy = RwSignal::new(false);
    let connect = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (store_id, terminal_id) = scope_ids(&scope.get_untracked());
        let chosen = events_or_all(&events.get_untracked());
        let body = api::NewChatLink {
            language: language().unwrap_or_default(),
            store_id,
            terminal_id,
            events: (!chosen.is_empty()).then_some(chosen),
        };
        busy.set(true);
        spawn_local(async move {
            match client::telegram_link(&body).await {
                Ok(link) => alerts.show_link(link),
                Err(e) => alerts.error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let options = move || {
        let (stores, counters) = alerts.places();
        let is = move |v: String| move || scope.with(|s| *s == v);
        view! {
            {(!stores.is_empty()).then(|| view! {
                <optgroup label=tr(Key::Store)>
                    {stores.into_iter().map(|s| { let v = format!("store:{}", s.id); view! {
                        <option value=v.clone() selected=is(v)>{s.name}</option>
                    }}).collect_view()}
                </optgroup>
            })}
            {(!counters.is_empty()).then(|| view! {
                <optgroup label=tr(Key::Counter)>
                    {counters.into_iter().map(|c| { let v = format!("counter:{}", c.id); view! {
                        <option value=v.clone() selected=is(v)>{c.label}" · "{c.store_name}</option>
                    }}).collect_view()}
                </optgroup>
            })}
        }
    };
    view! {
        <form class="stack-form telegram-form" on:submit=connect data-testid="telegram-link-form">
            <label>{tr(Key::MessageLanguage)}
                <select data-testid="telegram-link-language"
                    on:change=move |ev| picked.set(ChatLanguage::parse(&event_target_value(&ev)))>
                    {language_options(move |l| language() == Some(l))}
                </select>
            </label>
            <label>{tr(Key::AlertsFor)}
                <select data-testid="telegram-link-scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                    <option value="" selected=move || scope.with(String::is_empty)>{tr(Key::WholeBusiness)}</option>
                    {options}
                </select>
            </label>
            <EventChecks chosen=events testid="telegram-link-event"/>
            <button type="submit" class="primary" data-testid="telegram-connect"
                disabled=move || busy.get() || events.with(Vec::is_empty)>{tr(Key::ConnectGroup)}</button>
        </form>
    }
}

/// The link just made: to open or scan, its expiry, and the code to send by hand.
#[component]
fn LinkShown(link: api::ChatLink, alerts: Alerts) -> impl IntoView {
    let lang = use_i18n().lang;
    let until = link.expires_at_ms;
    let state = [Key::WaitingForGroup, Key::LinkExpired];
    let state = move || t(lang.get(), state[usize::from(alerts.expired.get())]);
    view! {
        <div class="telegram-link" data-testid="telegram-link" data-expired=move || alerts.expired.get().to_string()>
            <p>{tr(Key::OpenTelegramLink)}</p>
            <a href=link.url.clone() target="_blank" rel="noopener" class="telegram-url" data-testid="telegram-link-url">{link.url.clone()}</a>
            <QrImage payload=Signal::stored(link.url.clone()) label=Signal::derive(tr(Key::TelegramLinkQr)) testid="telegram-link-qr"/>
            <p class="muted" data-testid="telegram-link-expires">
                {tr(Key::WorksOnceUntil)}" "{move || format::date_time(lang.get(), until, alerts.country)}
            </p>
            <p>{tr(Key::SendCodeInGroup)}</p>
            <p class="telegram-command"><code>"/start "<span data-testid="telegram-link-code">{link.code}</span></code></p>
            <p class="warn" role="status" data-testid="telegram-link-state">{state}</p>
        </div>
    }
}
