//! The parts around the kiosk's screen: keeping the screen awake, and the merchant's controls
//! (kiosk mode in fullscreen, the counter QR when idle, leaving with the PIN), hidden from
//! customers behind a long press in the top-left corner.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::app::use_session;
use crate::i18n::{Key, pick, t, tr, use_i18n};
use crate::router::Route;

use super::{PIN_KEY, storage};

/// How long the corner must be held to open the controls.
const HOLD_MS: u64 = 1_200;
const HOLD_HINT: [&str; 3] = [
    "Merchant: hold the top-left corner for the kiosk controls",
    "ម្ចាស់ហាង៖ សង្កត់ជ្រុងខាងលើខាងឆ្វេងឲ្យយូរ ដើម្បីបើកការគ្រប់គ្រង",
    "商家：长按左上角打开控制项",
];

/// Keeps the screen on while the kiosk shows (Screen Wake Lock, where the browser has it), and
/// asks again when the tab is shown (the lock is released when hidden).
pub fn keep_awake() {
    let request = || {
        let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
            return;
        };
        let Ok(lock) = js_sys::Reflect::get(&nav, &"wakeLock".into()) else {
            return;
        };
        if lock.is_undefined() {
            return;
        }
        if let Ok(f) = js_sys::Reflect::get(&lock, &"request".into())
            && let Ok(f) = f.dyn_into::<js_sys::Function>()
        {
            // A refused lock (battery saver) leaves a promise we need not await.
            let _ = f.call1(&lock, &"screen".into());
        }
    };
    request();
    let handle = window_event_listener(leptos::ev::visibilitychange, move |_| request());
    on_cleanup(move || handle.remove());
}

/// The merchant's controls: a corner that opens them when held, and the panel.
#[component]
pub fn MerchantControls(
    /// show the counter's static QR while idle
    show_static: RwSignal<bool>,
    /// the charge on screen, and whether its QR has expired (a sandbox server's test wallet
    /// pays it from here)
    #[prop(into)]
    payable: Signal<Option<(protocol::ChargeView, bool)>>,
) -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let open = RwSignal::new(false);
    let hold = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    let release = move || {
        if let Some(h) = hold.try_update_value(Option::take).flatten() {
            h.clear();
        }
    };
    let press = move |_| {
        release();
        if let Ok(h) = set_timeout_with_handle(
            move || open.set(true),
            std::time::Duration::from_millis(HOLD_MS),
        ) {
            hold.set_value(Some(h));
        }
    };
    on_cleanup(release);
    let locked = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let wrong_pin = RwSignal::new(false);
    let leave = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let stored = storage().and_then(|s| s.get_item(PIN_KEY).ok().flatten());
        let right = stored.as_deref() == Some(pin.get_untracked().as_str());
        wrong_pin.set(!right);
        if right {
            locked.set(false);
            spawn_local(async move {
                // Signing out revokes the device on the server, not only on this tablet.
                let _ = crate::api::logout().await;
                if let Some(s) = storage() {
                    let _ = s.remove_item(PIN_KEY);
                }
                session.set(None);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href(&Route::KIOSK.path());
                }
            });
        }
        pin.set(String::new());
    };
    // In kiosk mode the browser asks before leaving the page; the PIN lifts it.
    let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if locked.get_untracked() {
            ev.prevent_default();
        }
    });
    on_cleanup(move || guard.remove());
    let fullscreen = move |_| {
        locked.set(true);
        open.set(false);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.request_fullscreen();
        }
    };
    view! {
        <button type="button" class="kiosk-corner" data-testid="kiosk-corner"
            aria-label=move || pick(lang.get(), HOLD_HINT) title=move || pick(lang.get(), HOLD_HINT)
            on:pointerdown=press on:pointerup=move |_| release() on:pointerleave=move |_| release()
            on:pointercancel=move |_| release() on:contextmenu=|ev| ev.prevent_default()></button>
        <Show when=move || open.get() fallback=|| ()>
            <div class="kiosk-controls card" data-testid="kiosk-controls" role="dialog" aria-modal="false">
                <button type="button" data-testid="kiosk-fullscreen" on:click=fullscreen>{tr(Key::StartKiosk)}</button>
                <button type="button" data-testid="kiosk-static-toggle" aria-pressed=move || show_static.get().to_string()
                    on:click=move |_| show_static.update(|v| *v = !*v)>{tr(Key::IdleQr)}</button>
                <form class="kiosk-leave" on:submit=leave>
                    <label for="leave-pin">{tr(Key::EnterPin)}</label>
                    <input id="leave-pin" type="password" inputmode="numeric" maxlength="4" data-testid="kiosk-leave-pin"
                        prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    <button type="submit" data-testid="kiosk-leave-submit">{tr(Key::LeaveKiosk)}</button>
                    <p class="form-error" role="alert" data-testid="kiosk-leave-error">{move || wrong_pin.get().then(|| t(lang.get(), Key::WrongPin))}</p>
                </form>
                <crate::sandbox::TestWallet payable=payable/>
                <button type="button" class="link" data-testid="kiosk-controls-close" on:click=move |_| open.set(false)>{tr(Key::Close)}</button>
            </div>
        </Show>
    }
}
