//! The bar over every signed-in screen: merchant, live badge, language switch, sign out.

use crate::router::{Route, go};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::use_session;

use crate::i18n::{Key, Lang, t, tr, use_i18n};
use crate::realtime::{LinkStatus, use_realtime};

/// Live / reconnecting, always visible so a cashier knows the screen is current.
#[component]
pub fn LiveBadge() -> impl IntoView {
    let status = use_realtime().map(|r| r.status);
    let live = move || status.is_some_and(|s| s.get() == LinkStatus::Live);
    view! {
        <span class="badge" class:live=live data-testid="live-badge" data-state=move || if live() { "live" } else { "reconnecting" } role="status">
            <span class="dot" aria-hidden="true"></span>
            <span class="badge-text">{move || if live() { tr(Key::Live)() } else { tr(Key::Reconnecting)() }}</span>
        </span>
    }
}

/// Language buttons, each in its own script.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_i18n().lang;
    view! {
        <div class="lang-switch" role="group" aria-label="Language / ភាសា / 语言">
            {Lang::ALL.into_iter().map(|l| view! {
                <button
                    type="button"
                    lang=l.tag()
                    data-testid=format!("lang-{}", l.tag())
                    aria-pressed=move || if lang.get() == l { "true" } else { "false" }
                    on:click=move |_| lang.set(l)
                >{l.endonym()}</button>
            }).collect_view()}
        </div>
    }
}

/// The sections of the signed-in app; the current one is marked with `aria-current`.
#[component]
pub fn Nav() -> impl IntoView {
    let path = crate::router::use_path();
    let tab = move |route: Route, testid: &'static str, key: Key| {
        let href = route.path();
        let current = move || {
            path.with(|p| Route::parse(p) == Some(route.clone()))
                .then_some("page")
        };
        view! { <a href=href data-testid=testid aria-current=current>{tr(key)}</a> }
    };
    view! {
        <nav class="tabs" aria-label="tonle">
            {tab(Route::CHARGE, "nav-charge", Key::NavCharge)}
            {tab(Route::DASHBOARD, "nav-dashboard", Key::NavDashboard)}
            {tab(Route::HISTORY, "nav-history", Key::NavHistory)}
            {tab(Route::SETTINGS, "nav-settings", Key::NavSettings)}
        </nav>
    }
}

/// The top bar over every signed-in screen.
#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let merchant = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| s.merchant.profile.business_name.clone())
                .unwrap_or_default()
        })
    };
    let rt = use_realtime();
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = crate::api::logout().await;
            if let Some(rt) = rt {
                crate::realtime::end(rt);
            }
            session.set(None);
            go(&Route::LOGIN);
        });
    };
    view! {
        <header class="top-bar">
            <span class="brand">"tonle"</span>
            <span class="merchant" data-testid="merchant-name">{merchant}</span>
            <Nav/>
            <LiveBadge/>
            <LangSwitch/>
            <a class="help-link" href=Route::HELP.path() data-testid="nav-help" aria-label=move || t(lang.get(), Key::Help) title=move || t(lang.get(), Key::Help)>"?"</a>
            <button type="button" class="link" data-testid="sign-out" on:click=sign_out>{tr(Key::SignOut)}</button>
        </header>
    }
}
