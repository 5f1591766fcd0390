//! One linked Telegram group in the card: what it is, why it stopped if it did, its settings
//! (language, events, quiet hours, the summary's hour) saved together, a test message, removal.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;
use protocol::{ChatEvent, ChatLanguage, ChatStatus};

use super::{Alerts, EventChecks, endonym, events_or_all, language_options};
use crate::api::{self as client, ClientError, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, Lang, t, tr, use_i18n};

fn status_name(s: ChatStatus) -> &'static str {
    match s {
        ChatStatus::Active => "active",
        ChatStatus::Removed => "removed",
        ChatStatus::Unknown => "unknown",
    }
}

fn hour_of(ev: &leptos::ev::Event) -> Option<u8> {
    event_target_value(ev).parse().ok().filter(|h| *h < 24)
}

fn hour_options(
    hours: impl Iterator<Item = u8>,
    selected: impl Fn(u8) -> bool + Copy + Send + Sync + 'static,
) -> impl IntoView {
    hours
        .map(|h| view! { <option value=h.to_string() selected=move || selected(h)>{format!("{h:02}:00")}</option> })
        .collect_view()
}

impl Alerts {
    fn remove(self, id: String) {
        spawn_local(async move {
            match client::remove_telegram_chat(&id).await {
                Ok(()) => {
                    self.error.set(None);
                    self.list.refetch();
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Language, where the alerts come from, state, last message and what waits, in words.
    fn info(self, lang: Lang, c: &api::TelegramChat) -> String {
        let (stores, counters) = self.places();
        let scope = match (&c.terminal_id, &c.store_id) {
            (Some(id), _) => counters.iter().find(|x| &x.id == id).map_or_else(
                || id.clone(),
                |x| format!("{} {} · {}", t(lang, Key::Counter), x.label, x.store_name),
            ),
            (None, Some(id)) => stores.iter().find(|x| &x.id == id).map_or_else(
                || id.clone(),
                |x| format!("{} {}", t(lang, Key::Store), x.name),
            ),
            (None, None) => t(lang, Key::WholeBusiness).to_owned(),
        };
        let mut parts = vec![endonym(c.language).to_owned(), scope];
        if c.status == ChatStatus::Active {
            parts.push(t(lang, Key::ReceivingAlerts).to_owned());
        }
        if let Some(at) = c.last_delivered_at_ms {
            let when = format::date_time(lang, at, self.country);
            parts.push(format!("{} {when}", t(lang, Key::LastMessage)));
        }
        if c.waiting > 0 {
            parts.push(format!("{} {}", t(lang, Key::WaitingToSend), c.waiting));
        }
        parts.join(" · ")
    }
}

/// One linked group: what it is, why it stopped if it did, its settings, and disconnecting it.
#[component]
pub(super) fn ChatRow(id: String, alerts: Alerts) -> impl IntoView {
    let lang = use_i18n().lang;
    let chat = {
        let id = id.clone();
        Memo::new(move |_| alerts.chats().into_iter().find(|c| c.id == id))
    };
    let Some(first) = chat.get_untracked() else {
        return ().into_any();
    };
    let status = move || chat.with(|c| c.as_ref().map_or(ChatStatus::Unknown, |c| c.status));
    let title = move || chat.with(|c| c.as_ref().map(|c| c.title.clone()));
    let info = move || chat.with(|c| c.as_ref().map(|c| alerts.info(lang.get(), c)));
    let reason = move || chat.with(|c| c.as_ref().and_then(|c| c.removed_reason.clone()));
    let remove = {
        let id = id.clone();
        Callback::new(move |()| alerts.remove(id.clone()))
    };
    view! {
        <li class="endpoint telegram-chat" data-testid="telegram-chat" data-chat-id=id data-status=move || status_name(status())>
            <p><strong data-testid="telegram-chat-title">{title}</strong></p>
            <p class="muted" data-testid="telegram-chat-info">{info}</p>
            <Show when=move || status() == ChatStatus::Removed fallback=|| ()>
                <p class="bakong-warning" role="alert" data-testid="telegram-chat-removed">
                    {tr(Key::GroupRemoved)}{move || reason().map(|r| view! { <span class="mono telegram-reason">{r}</span> })}
                </p>
            </Show>
            <Show when=move || status() == ChatStatus::Active fallback=|| ()>
                <ChatControls chat=first.clone() alerts=alerts/>
            </Show>
            <div class="row-actions">
                <ConfirmButton label=Key::Disconnect testid="telegram-chat-remove" class="secondary" on_confirm=remove/>
            </div>
        </li>
    }
    .into_any()
}

/// A linked group's settings, saved together, and its test message.
#[component]
fn ChatControls(chat: api::TelegramChat, alerts: Alerts) -> impl IntoView {
    let lang = use_i18n().lang;
    let language = RwSignal::new(chat.language);
    // No event named is every event.
    let named = Some(chat.events.clone()).filter(|e| !e.is_empty());
    let events = RwSignal::new(named.unwrap_or_else(|| ChatEvent::ALL.to_vec()));
    let quiet = RwSignal::new(chat.quiet_hours);
    let summary = RwSignal::new(chat.summary_hour);
    let note = RwSignal::new(None::<Key>);
    let error = RwSignal::new(None::<ClientError>);
    let done = move |r: Result<(), ClientError>, said: Key| match r {
        Ok(()) => {
            error.set(None);
            note.set(Some(said));
            alerts.list.refetch();
        }
        Err(e) => {
            note.set(None);
            error.set(Some(e));
        }
    };
    let (id_save, id_test) = (chat.id.clone(), chat.id.clone());
    let save = move |_| {
        let body = api::ChatPatch {
            language: Some(language.get_untracked()),
            events: Some(events_or_all(&events.get_untracked())),
            quiet_hours: Some(quiet.get_untracked()),
            summary_hour: Some(summary.get_untracked()),
        };
        let id = id_save.clone();
        spawn_local(async move {
            done(
                client::update_telegram_chat(&id, &body).await.map(|_| ()),
                Key::Saved,
            );
        });
    };
    let test = move |_| {
        let id = id_test.clone();
        spawn_local(async move {
            done(client::test_telegram_chat(&id).await, Key::TestMessageSent);
            // The message leaves within a moment: then its time is the last message's.
            set_timeout(move || alerts.list.refetch(), Duration::from_millis(2_000));
        });
    };
    let pick_from = move |ev: leptos::ev::Event| {
        quiet.set(hour_of(&ev).map(|from| {
            // Quiet hours end at another hour than they start (the server refuses the same).
            let to = quiet.get_untracked().map(|q| q.to).filter(|to| *to != from);
            let to = to.unwrap_or((from + 9) % 24);
            api::QuietHours { from, to }
        }));
    };
    let pick_to = move |ev: leptos::ev::Event| {
        if let Some(to) = hour_of(&ev) {
            quiet.update(|q| *q = q.map(|q| api::QuietHours { to, ..q }));
        }
    };
    view! {
        <div class="telegram-settings">
            <label>{tr(Key::MessageLanguage)}
                <select data-testid="telegram-chat-language"
                    on:change=move |ev| if let Some(l) = ChatLanguage::parse(&event_target_value(&ev)) { language.set(l) }>
                    {language_options(move |l| language.get() == l)}
                </select>
            </label>
            <label>{tr(Key::QuietFrom)}
                <select data-testid="telegram-chat-quiet-from" on:change=pick_from>
                    <option value="" selected=move || quiet.with(Option::is_none)>{tr(Key::NoQuietHours)}</option>
                    {hour_options(0..24, move |h| quiet.with(|q| q.is_some_and(|q| q.from == h)))}
                </select>
            </label>
            <Show when=move || quiet.with(Option::is_some) fallback=|| ()>
                <label>{tr(Key::QuietUntil)}
                    <select data-testid="telegram-chat-quiet-to" on:change=pick_to>
                        {move || {
                            let from = quiet.with(|q| q.map(|q| q.from));
                            let to = move |h| quiet.with(|q| q.is_some_and(|q| q.to == h));
                            hour_options((0..24).filter(move |h| Some(*h) != from), to)
                        }}
                    </select>
                </label>
            </Show>
            <label>{tr(Key::SummaryAt)}
                <select data-testid="telegram-chat-summary-hour"
                    on:change=move |ev| if let Some(h) = hour_of(&ev) { summary.set(h) }>
                    {hour_options(0..24, move |h| summary.get() == h)}
                </select>
            </label>
        </div>
        <EventChecks chosen=events testid="telegram-chat-event"/>
        <div class="row-actions">
            <button type="button" class="primary" data-testid="telegram-chat-save"
                disabled=move || events.with(Vec::is_empty) on:click=save>{tr(Key::Save)}</button>
            <button type="button" class="secondary" data-testid="telegram-chat-test" on:click=test>{tr(Key::SendTestMessage)}</button>
        </div>
        <p class="ok" role="status" data-testid="telegram-chat-feedback">{move || note.get().map(|k| t(lang.get(), k))}</p>
        <p class="form-error" role="alert" data-testid="telegram-chat-error">
            {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
        </p>
    }
}
