//! Settings → where you are signed in: every session of the signed-in person, the one in use
//! marked, each one signed out on its own, or all of them at once (this browser too).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::app::use_session;
use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;
use crate::router::{Route, go};

/// A short name for a browser from its `User-Agent`: the browser and the system it runs on.
fn browser_name(agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(mark, _)| agent.contains(mark))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} · {s}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => agent.chars().take(40).collect(),
    }
}

/// The signed-in person's sessions.
#[component]
pub fn SessionsSection() -> impl IntoView {
    let lang = use_i18n().lang;
    let session = use_session().0;
    let sessions = Load::new(client::sessions);
    let error = RwSignal::new(None::<ClientError>);
    let country = session
        .with_untracked(|s| s.as_ref().map(|s| s.merchant.profile.country))
        .unwrap_or(api::Country::KH);
    let signed_out = move || {
        session.set(None);
        go(&Route::LOGIN);
    };
    let end = move |id: String, current: bool| {
        spawn_local(async move {
            match client::end_session(&id).await {
                Ok(()) if current => signed_out(),
                Ok(()) => sessions.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let end_all = move |()| {
        spawn_local(async move {
            match client::end_all_sessions().await {
                Ok(()) => signed_out(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let rows = move || {
        sessions.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|s| {
            let (id, current, seen) = (s.id.clone(), s.current, s.last_seen_at_ms);
            let name = s.user_agent.as_deref().map(browser_name);
            view! {
                <li data-testid="session-row" data-current=current.to_string()>
                    <span>
                        {move || name.clone().unwrap_or_else(|| t(lang.get(), Key::UnknownBrowser).to_owned())}
                        {current.then(|| view! { <span class="badge" data-testid="session-current">{tr(Key::ThisDevice)}</span> })}
                    </span>
                    <span class="muted">{tr(Key::LastUsed)}" "{move || format::date_time(lang.get(), seen, country)}</span>
                    <ConfirmButton label=Key::SignOut testid="session-end" on_confirm=Callback::new(move |()| end(id.clone(), current))/>
                </li>
            }
        }).collect_view()
    };
    view! {
        <section class="card" aria-labelledby="sessions-title" data-testid="sessions-section">
            <h2 id="sessions-title">{tr(Key::SessionsTitle)}</h2>
            <ul class="staff-list" data-testid="session-list">{rows}</ul>
            <p class="form-error" role="alert" data-testid="sessions-error">
                {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            <ConfirmButton label=Key::SignOutEverywhere testid="sessions-end-all" on_confirm=Callback::new(end_all)/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::browser_name;

    #[test]
    fn browsers_are_named_by_their_browser_and_system() {
        let android = "Mozilla/5.0 (Linux; Android 14; SM-T220) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(browser_name(android), "Chrome · Android");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_name(iphone), "Safari · iPhone");
        assert_eq!(browser_name("curl/8.5"), "curl/8.5");
    }
}
