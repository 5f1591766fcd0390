//! Settings → Bakong: the merchant's Bakong Open API token (saved, never shown again), how checks
//! with it go, when it expires (warned 14 days before), and the last check. Owners change it;
//! managers see it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{BakongIntegration, BakongStatus};

use crate::api::{self as client, ClientError, error_key};
use crate::format;
use crate::i18n::{Key, Lang, pick, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::use_realtime;

// Text only this card shows, kept here so other bundles do not download it: [en, km, zh].
const TITLE: [&str; 3] = ["Bakong", "បាគង (Bakong)", "Bakong 付款核对"];
const INTRO: [&str; 3] = [
    "tonle asks Bakong every second whether your QR codes were paid. Paste the Open API token the NBC gave you.",
    "tonle សួរ Bakong រៀងរាល់វិនាទីថា QR របស់អ្នកត្រូវបានបង់ឬនៅ។ សូមបិទភ្ជាប់ token Open API ដែលធនាគារជាតិផ្តល់ឱ្យអ្នក។",
    "tonle 每秒向 Bakong 查询您的二维码是否已付款。请粘贴柬埔寨国家银行发给您的 Open API 令牌。",
];
const TOKEN: [&str; 3] = [
    "Bakong Open API token",
    "Token Bakong Open API",
    "Bakong Open API 令牌",
];
const STATUS_OK: [&str; 3] = [
    "Payments are checked with Bakong",
    "កំពុងពិនិត្យការបង់ប្រាក់ជាមួយ Bakong",
    "正在通过 Bakong 核对付款",
];
const STATUS_RATE_LIMITED: [&str; 3] = [
    "Bakong asked to slow down: retrying",
    "Bakong ស្នើឱ្យបន្ថយល្បឿន៖ កំពុងព្យាយាមម្តងទៀត",
    "Bakong 要求放慢：正在重试",
];
const STATUS_NONE: [&str; 3] = [
    "Not connected: payments arrive only from notifications",
    "មិនទាន់ភ្ជាប់៖ ការបង់ប្រាក់មកតែពីការជូនដំណឹង",
    "未连接：仅通过通知接收付款",
];
const EXPIRES: [&str; 3] = ["Token expires", "Token ផុតកំណត់", "令牌到期"];
const EXPIRES_SOON: [&str; 3] = [
    "The token expires soon: renew it with the NBC",
    "Token ជិតផុតកំណត់៖ សូមបន្តជាមួយធនាគារជាតិ",
    "令牌即将到期：请向国家银行续期",
];
const LAST_CHECK: [&str; 3] = ["Last check", "ពិនិត្យចុងក្រោយ", "上次核对"];
const REMOVE: [&str; 3] = ["Disconnect", "ផ្តាច់", "断开"];

/// How long before a token's expiry the owner is warned.
const WARN_BEFORE_MS: i64 = 14 * 86_400_000;

fn status_text(lang: Lang, s: BakongStatus) -> &'static str {
    match s {
        BakongStatus::Ok => pick(lang, STATUS_OK),
        BakongStatus::Unauthorized => t(lang, Key::BakongUnauthorized),
        BakongStatus::Unreachable => t(lang, Key::BakongUnreachable),
        BakongStatus::RateLimited => pick(lang, STATUS_RATE_LIMITED),
        BakongStatus::NotConfigured | BakongStatus::Unknown => pick(lang, STATUS_NONE),
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
            parts.push(format!("{} {}", pick(lang.get(), EXPIRES), when(e)));
        }
        if let Some(c) = b.last_checked_at_ms {
            parts.push(format!("{} {}", pick(lang.get(), LAST_CHECK), when(c)));
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
            <h2 id="bakong-title">{move || pick(lang.get(), TITLE)}</h2>
            <p class="muted">{move || pick(lang.get(), INTRO)}</p>
            {move || info().map(|b| view! {
                // The server's own words stay a hover detail: the status line says it in the language.
                <p class="bakong-status" role="status" data-testid="bakong-status" data-status=b.status.as_str()
                    title=b.last_error.clone()>
                    <strong>{move || status_text(lang.get(), b.status)}</strong>
                </p>
                <p class="muted" data-testid="bakong-detail">{line(&b)}</p>
            })}
            <Show when=expiring fallback=|| ()>
                <p class="bakong-warning" role="alert" data-testid="bakong-expiry-warning">{move || pick(lang.get(), EXPIRES_SOON)}</p>
            </Show>
            <Show when=move || owner fallback=|| ()>
                <form class="inline-form" on:submit=save data-testid="bakong-form">
                    <label for="bakong-token">{move || pick(lang.get(), TOKEN)}</label>
                    <input id="bakong-token" type="password" autocomplete="off" data-testid="bakong-token"
                        prop:value=move || token.get() on:input=move |ev| token.set(event_target_value(&ev))/>
                    <button type="submit" class="primary" data-testid="bakong-save"
                        disabled=move || busy.get() || token.with(|v| v.trim().is_empty())>{tr(Key::Save)}</button>
                </form>
                <p class="form-error" role="alert" data-testid="bakong-form-error">
                    {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
                </p>
                <Show when=move || info().is_some_and(|b| b.configured) fallback=|| ()>
                    <button type="button" class="secondary" data-testid="bakong-remove" on:click=remove>{move || pick(lang.get(), REMOVE)}</button>
                </Show>
            </Show>
        </section>
    }
}
