//! `/kiosk`: the customer-facing display of one counter. Unpaired, it asks for the pairing code
//! from Settings (or takes it from a scanned link); paired, it shows the merchant's name while idle,
//! the QR of every charge made for its counter with the amount and a countdown, and a full-screen
//! "thank you" with a chime and voice when paid, then returns to idle by itself. It keeps the screen
//! awake, can go fullscreen, and leaving needs the PIN chosen at pairing.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{self as api, ChargeStatus, ChargeView};
use wasm_bindgen::JsCast;

use crate::api::{ClientError, error_key};
use crate::app::use_session;
use crate::components::bakong_warning::BakongWarning;
use crate::components::qr_code::QrImage;
use crate::components::top_bar::{LangSwitch, LiveBadge};
use crate::format;
use crate::i18n::{Key, Lang, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::use_realtime;

/// How long "thank you" and "expired" stay before the idle screen.
const BACK_TO_IDLE_MS: i64 = 6_000;
const PIN_KEY: &str = "tonle.kiosk.pin";
const STATIC_KEY: &str = "tonle.kiosk.static-qr";

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The kiosk: pairing form or display, by what the server says this browser is.
#[component]
pub fn KioskPage() -> impl IntoView {
    let session = use_session().0;
    let checked = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(s) = crate::api::session().await
            && s.role == "device"
        {
            session.set(Some(s));
        }
        checked.set(true);
    });
    // Revoked from settings: the server closed the socket; back to pairing at once.
    let revoked = use_realtime().map(|rt| rt.revoked);
    let paired = move || {
        session.with(|s| s.as_ref().is_some_and(|s| s.role == "device"))
            && !revoked.is_some_and(|r| r.get())
    };
    view! {
        <div class="kiosk">
            {move || if !checked.get() {
                view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }.into_any()
            } else if paired() {
                view! { <KioskDisplay/> }.into_any()
            } else {
                view! { <PairForm/> }.into_any()
            }}
        </div>
    }
}

/// The pairing form: code and the PIN that will guard leaving.
#[component]
fn PairForm() -> impl IntoView {
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

/// Keeps the screen on while the kiosk shows (Screen Wake Lock, where the browser has it), and
/// asks again when the tab is shown (the lock is released when hidden).
fn keep_awake() {
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

/// The newest charge of this counter: the one a customer at the counter is paying.
fn newest(charges: &std::collections::HashMap<String, ChargeView>) -> Option<ChargeView> {
    charges
        .values()
        .filter(|c| c.status != ChargeStatus::Unknown)
        .max_by_key(|c| c.created_at_ms)
        .cloned()
}

/// The paired display.
#[component]
fn KioskDisplay() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let rt = use_realtime();
    if let Some(rt) = rt {
        crate::realtime::start(rt);
    }
    keep_awake();
    // A charge already open at this counter when the display (re)loads is shown too.
    if let Some(rt) = rt {
        spawn_local(async move {
            let pending = crate::api::HistoryFilter {
                status: Some("pending".into()),
                limit: Some(1),
                ..Default::default()
            };
            if let Ok(page) = crate::api::charges(&pending).await {
                rt.charges.update(|m| {
                    for c in page.items {
                        m.entry(c.id.clone()).or_insert(c);
                    }
                });
            }
        });
    }
    let now = RwSignal::new(now_ms());
    if let Ok(h) = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_millis(250),
    ) {
        on_cleanup(move || h.clear());
    }
    // When each charge was last seen changing, so "thank you" stays a fixed while.
    let changed_at = RwSignal::new(std::collections::HashMap::<String, (ChargeStatus, i64)>::new());
    Effect::new(move |_| {
        let Some(rt) = rt else { return };
        rt.charges.with(|m| {
            changed_at.update(|seen| {
                for c in m.values() {
                    let entry = seen.entry(c.id.clone()).or_insert((c.status, now_ms()));
                    if entry.0 != c.status {
                        *entry = (c.status, now_ms());
                    }
                }
            });
        });
    });
    let current = Memo::new(move |_| {
        let t = now.get();
        let rt = rt?;
        let c = rt.charges.with(newest)?;
        let since = changed_at.with(|s| s.get(&c.id).map(|x| x.1)).unwrap_or(t);
        let fresh = c.status == ChargeStatus::Pending && t < c.expires_at_ms;
        (fresh || t - since < BACK_TO_IDLE_MS).then_some(c)
    });
    // Memos, so the display is redrawn when what it shows changes, not on every clock tick.
    let state = Memo::new(move |_| match current.get() {
        None => "idle",
        Some(c) => match c.status {
            ChargeStatus::Paid | ChargeStatus::PaidLate => "paid",
            ChargeStatus::Pending if now.get() < c.expires_at_ms => "pending",
            ChargeStatus::Cancelled => "idle",
            _ => "expired",
        },
    });
    let shown = Memo::new(move |_| (state.get(), current.get()));
    // Announce each payment once, and count them (a kiosk script can check none is missed).
    let announced = RwSignal::new(std::collections::HashSet::<String>::new());
    Effect::new(move |_| {
        if state.get() == "paid"
            && let Some(c) = current.get_untracked()
            && !announced.with_untracked(|a| a.contains(&c.id))
        {
            announced.update(|a| {
                a.insert(c.id.clone());
            });
            crate::sound::chime();
            let l = lang.get_untracked();
            crate::sound::speak(t(l, Key::PaidVoice), l.tag());
        }
    });
    let (name, alt) = session
        .with_untracked(|s| {
            s.as_ref().map(|s| {
                let p = &s.merchant.profile;
                (
                    p.business_name.clone(),
                    p.alternate.as_ref().map(|a| a.name.clone()),
                )
            })
        })
        .unwrap_or_default();
    // Optionally, the counter's static QR while idle (for customers who type their own amount).
    let show_static = RwSignal::new(
        storage()
            .and_then(|s| s.get_item(STATIC_KEY).ok().flatten())
            .is_some_and(|v| v == "1"),
    );
    Effect::new(move |_| {
        if let Some(s) = storage() {
            let _ = s.set_item(STATIC_KEY, if show_static.get() { "1" } else { "0" });
        }
    });
    let terminal = session.with_untracked(|s| s.as_ref().and_then(|s| s.terminal_id.clone()));
    let counter_qr = Load::new(move || {
        let terminal = terminal.clone();
        async move {
            match terminal {
                Some(t) => crate::api::terminal_qr(&t).await,
                None => Err(ClientError::Decode),
            }
        }
    });
    let bakong = crate::realtime::bakong_status(rt);
    // "I have paid": the customer may ask for a check at once (the server throttles it).
    let checking = RwSignal::new(false);
    let check_now = move |id: String| {
        checking.set(true);
        spawn_local(async move {
            if let Ok(c) = crate::api::check_charge(&id).await
                && let Some(rt) = rt
            {
                rt.charges.update(|m| {
                    m.insert(c.id.clone(), c);
                });
            }
            checking.set(false);
        });
    };
    let locked = RwSignal::new(false);
    let pin_open = RwSignal::new(false);
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
                let _ = crate::api::logout().await;
                if let Some(s) = storage() {
                    let _ = s.remove_item(PIN_KEY);
                }
                session.set(None);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_href("/kiosk");
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
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el.request_fullscreen();
        }
    };
    view! {
        <section class="kiosk-display" data-testid="kiosk-display" data-state=move || state.get()
            data-paid-count=move || announced.with(|a| a.len())>
            <header class="kiosk-head">
                <LiveBadge/>
                <LangSwitch/>
                <button type="button" class="link" data-testid="kiosk-fullscreen" on:click=fullscreen>{tr(Key::StartKiosk)}</button>
                <button type="button" class="link" data-testid="kiosk-static-toggle" aria-pressed=move || show_static.get().to_string()
                    on:click=move |_| show_static.update(|v| *v = !*v)>{tr(Key::IdleQr)}</button>
                <button type="button" class="link" data-testid="kiosk-leave" on:click=move |_| pin_open.update(|o| *o = !*o)>{tr(Key::LeaveKiosk)}</button>
            </header>
            <Show when=move || pin_open.get() fallback=|| ()>
                <form class="kiosk-leave" on:submit=leave>
                    <label for="leave-pin">{tr(Key::EnterPin)}</label>
                    <input id="leave-pin" type="password" inputmode="numeric" maxlength="4" data-testid="kiosk-leave-pin"
                        prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    <button type="submit" data-testid="kiosk-leave-submit">{tr(Key::LeaveKiosk)}</button>
                    <p class="form-error" role="alert" data-testid="kiosk-leave-error">{move || wrong_pin.get().then(|| t(lang.get(), Key::WrongPin))}</p>
                </form>
            </Show>
            <BakongWarning status=bakong/>
            <h1 class="kiosk-name" data-testid="kiosk-merchant">{name.clone()}</h1>
            {alt.clone().map(|a| view! { <p class="kiosk-alt">{a}</p> })}
            {move || match shown.get() {
                ("pending", Some(c)) => {
                    let expires = c.expires_at_ms;
                    view! {
                        <div class="kiosk-charge" data-testid="kiosk-charge" data-charge-id=c.id.clone()
                            data-created-at=c.created_at_ms data-shown-at=js_sys::Date::now() as i64>
                            <p class="amount-big" data-testid="kiosk-amount">{format::amount(&c.amount, c.currency)}</p>
                            <QrImage payload=c.payload.clone() label=Signal::derive(tr(Key::ScanToPay)) testid="kiosk-qr"/>
                            <ul class="poster-scan">
                                {[Lang::Km, Lang::Zh, Lang::En].into_iter().map(|l| view! { <li lang=l.tag()>{t(l, Key::ScanToPay)}</li> }).collect_view()}
                            </ul>
                            <p class="countdown" data-testid="kiosk-countdown">
                                {[Lang::Km, Lang::Zh, Lang::En].into_iter().map(|l| view! { <span lang=l.tag()>{t(l, Key::ExpiresIn)}" · "</span> }).collect_view()}
                                {move || format::countdown(expires - now.get())}
                            </p>
                            <button type="button" class="secondary" data-testid="kiosk-check-now" disabled=move || checking.get()
                                on:click={let id = c.id.clone(); move |_| check_now(id.clone())}>{tr(Key::CheckNow)}</button>
                        </div>
                    }.into_any()
                }
                ("paid", Some(c)) => view! {
                    <div class="paid-overlay" data-testid="kiosk-paid" role="status" aria-live="assertive">
                        <span class="tick" aria-hidden="true">"✓"</span>
                        <p class="paid-title">{tr(Key::ThankYou)}</p>
                        <p class="amount-big">{format::amount(&c.amount, c.currency)}</p>
                    </div>
                }.into_any(),
                ("expired", _) => view! { <p class="expired" data-testid="kiosk-expired" role="status">{tr(Key::Expired)}</p> }.into_any(),
                _ => view! {
                    <div class="kiosk-idle" data-testid="kiosk-idle">
                        <p class="kiosk-welcome">{tr(Key::Welcome)}</p>
                        {move || match (show_static.get(), counter_qr.get()) {
                            (true, Some(Ok(q))) => view! {
                                <QrImage payload=q.payload label=Signal::derive(tr(Key::ScanToPay)) testid="kiosk-static-qr"/>
                                <p class="muted">{tr(Key::ScanToPay)}</p>
                            }.into_any(),
                            _ => view! { <p class="muted">{tr(Key::KioskIdle)}</p> }.into_any(),
                        }}
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
