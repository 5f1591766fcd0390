//! The bar over every signed-in screen: merchant, live badge, language switch, sign out.

use leptos::prelude::*;

use crate::i18n::{Key, Lang, tr, use_i18n};
use crate::realtime::{LinkStatus, use_realtime};

/// Live / reconnecting, always visible so a cashier knows the screen is current.
#[component]
pub fn LiveBadge() -> impl IntoView {
    let status = use_realtime().map(|r| r.status);
    let live = move || status.is_some_and(|s| s.get() == LinkStatus::Live);
    view! {
        <span class="badge" class:live=live data-testid="live-badge" data-state=move || if live() { "live" } else { "reconnecting" } role="status">
            <span class="dot" aria-hidden="true"></span>
            {move || if live() { tr(Key::Live)() } else { tr(Key::Reconnecting)() }}
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

/// The top bar.
#[component]
pub fn TopBar(
    /// merchant name
    #[prop(into)]
    merchant: Signal<String>,
    /// sign-out handler
    on_sign_out: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="top-bar">
            <span class="brand">"tonle"</span>
            <span class="merchant" data-testid="merchant-name">{move || merchant.get()}</span>
            <LiveBadge/>
            <LangSwitch/>
            <button type="button" class="link" data-testid="sign-out" on:click=move |_| on_sign_out.run(())>{tr(Key::SignOut)}</button>
        </header>
    }
}
