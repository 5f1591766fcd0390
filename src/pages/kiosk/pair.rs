//! The kiosk's pairing form: the code from Settings (or a scanned link) and the PIN that will
//! guard leaving.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{ClientError, error_key};
use crate::app::use_session;
use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, pick, t, tr, use_i18n};
use crate::realtime::use_realtime;

use super::{PIN_KEY, storage};

const REVOKED: [&str; 3] = [
    "This display was removed in Settings. Pair it again with a new code.",
    "អេក្រង់នេះត្រូវបានដកចេញក្នុងការកំណត់។ សូមផ្គូផ្គងម្តងទៀតដោយលេខកូដថ្មី។",
    "此显示屏已在设置中移除。请用新的配对码重新配对。",
];

/// The pairing form: code and the PIN that will guard leaving.
#[component]
pub fn PairForm(
    /// the merchant revoked this display: say so above the form
    revoked: bool,
) -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let code = RwSignal::new(crate::router::query_param("code").unwrap_or_default());
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Key>);
    let busy = RwSignal::new(false);
    let rt = use_realtime();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = pin.get_untracked();
        if p.len() != 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            error.set(Some(Key::ErrPin));
            return;
        }
        busy.set(true);
        let c = code.get_untracked();
        spawn_local(async move {
            match crate::api::pair_device(&c).await {
                Ok(_) => {
                    if let Some(s) = storage() {
                        let _ = s.set_item(PIN_KEY, &p);
                    }
                    if let Some(rt) = rt {
                        crate::realtime::rearm(rt);
                    }
                    if let Ok(s) = crate::api::session().await {
                        session.set(Some(s));
                    }
                }
                Err(ClientError::Api(d)) if d.code == api::ErrorCode::NotFound => {
                    error.set(Some(Key::ErrCode));
                }
                Err(e) => error.set(Some(error_key(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="card kiosk-pair" on:submit=submit data-testid="kiosk-pair-form" novalidate>
            <LangSwitch/>
            <h1>{tr(Key::KioskTitle)}</h1>
            {revoked.then(|| view! { <p class="form-error" role="status" data-testid="kiosk-revoked">{move || pick(lang.get(), REVOKED)}</p> })}
            <label for="kiosk-code">{tr(Key::PairingCode)}</label>
            <input id="kiosk-code" class="code-input" inputmode="numeric" autocomplete="one-time-code" maxlength="8"
                data-testid="kiosk-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            <label for="kiosk-pin">{tr(Key::KioskPin)}</label>
            <input id="kiosk-pin" class="code-input" type="password" inputmode="numeric" maxlength="4"
                data-testid="kiosk-pin" prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
            <p class="form-error" role="alert" data-testid="kiosk-error">{move || error.get().map(|k| t(lang.get(), k))}</p>
            <button type="submit" class="primary big" data-testid="kiosk-pair" disabled=move || busy.get()>{tr(Key::Pair)}</button>
        </form>
    }
}
