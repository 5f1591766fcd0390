//! Settings → Bakong: the merchant's Bakong Open API token (saved, never shown again), how checks
//! with it go, when it expires (warned 14 days before), and the last check. Owners change it;
//! managers see it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{BakongIntegration, BakongStatus};

use crate::api::{self as client, ClientError, error_key};
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::use_realtime;

/// How long before a token's expiry the owner is warned.
const WARN_BEFORE_MS: i64 = 14 * 86_400_000;

fn status_key(s: BakongStatus) -> Key {
    match s {
        BakongStatus::Ok => Key::BakongOk,
        BakongStatus::Unauthorized => Key::BakongUnauthorized,
        BakongStatus::Unreachable => Key::BakongUnreachable,
        BakongStatus::RateLimited => Key::BakongRateLimited,
        BakongStatus::NotConfigured | BakongStatus::Unknown => Key::BakongNone,
    }
}

/// The Bakong card.
#[component]
pub fn BakongSection(
    /// the owner may save or remove the token
    owner: bool,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let country = crate::app::use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or_default();
    let shown = Load::new(client::bakong);
    // A status change on the stream (refused, recovered…) reloads the card.
    if let Some(rt) = use_realtime() {
        Effect::new(move |prev: Option<Option<BakongStatus>>| {
            let now = rt.bakong.get();
            if prev.is_some_and(|p| p != now) {
                shown.refetch();
            }
            now
        });
    }
    let token = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ClientError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = token.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match client::save_bakong(value).await {
                Ok(_) => {
                    token.set(String::new());
                    error.set(None);
                    shown.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let remove = move |_| {
        spawn_local(async move {
            if client::remove_bakong().await.is_ok() {
                shown.refetch();
            }
        });
    };
    let info = move || shown.get().and_then(Result::ok);
    let line = move |b: &BakongIntegration| {
        let mut parts = Vec::new();
        if let Some(h) = &b.token_hint {
            parts.push(format!("…{h}"));
        }
        let when = |ms: i64| format::date_time(lang.get(), ms, country);
        if let Some(e) = b.expires_at_ms {
            parts.push(format!("{} {}", t(lang.get(), Key::BakongExpires), when(e)));
        }
        if let Some(c) = b.last_checked_at_ms {
            parts.push(format!(
                "{} {}",
                t(lang.get(), Key::BakongLastCheck),
                when(c)
            ));
        }
        parts.join(" · ")
    };
    let expiring = move || {
        info()
            .and_then(|b| b.expires_at_ms)
            .is_some_and(|e| e - (js_sys::Date::now() as i64) < WARN_BEFORE_MS)
    };
    view! {
        <section class="card" aria-labelledby="bakong-title" data-testid="bakong-section">
            <h2 id="bakong-title">{tr(Key::BakongTitle)}</h2>
            <p class="muted">{tr(Key::BakongIntro)}</p>
            {move || info().map(|b| view! {
                // The server's own words stay a hover detail: the status line says it in the language.
                <p class="bakong-status" role="status" data-testid="bakong-status" data-status=b.status.as_str()
                    title=b.last_error.clone()>
                    <strong>{move || t(lang.get(), status_key(b.status))}</strong>
                </p>
                <p class="muted" data-testid="bakong-detail">{line(&b)}</p>
            })}
            <Show when=expiring fallback=|| ()>
                <p class="bakong-warning" role="alert" data-testid="bakong-expiry-warning">{tr(Key::BakongExpiresSoon)}</p>
            </Show>
            <Show when=move || owner fallback=|| ()>
                <form class="inline-form" on:submit=save data-testid="bakong-form">
                    <label for="bakong-token">{tr(Key::BakongToken)}</label>
                    <input id="bakong-token" type="password" autocomplete="off" data-testid="bakong-token"
                        prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                    <button type="submit" class="primary" data-testid="bakong-save"
                        disabled=move || busy.get() || token.with(|v| v.trim().is_empty())>{tr(Key::Save)}</button>
                </form>
                <p class="form-error" role="alert" data-testid="bakong-form-error">
                    {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
                </p>
                <Show when=move || info().is_some_and(|b| b.configured) fallback=|| ()>
                    <button type="button" class="secondary" data-testid="bakong-remove" on:click=remove>{tr(Key::BakongRemove)}</button>
                </Show>
            </Show>
        </section>
    }
}
