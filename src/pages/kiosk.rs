//! `/kiosk`: the customer-facing display of one counter. Unpaired, it asks for the pairing code
//! from Settings (or takes it from a scanned link); paired, it shows the merchant's name while idle,
//! the QR of every charge made for its counter with the amount and a countdown, and a full-screen
//! "thank you" with a chime and voice when paid, then returns to idle by itself.
//!
//! What it shows is [`crate::screens::kiosk_screen`], a pure function of the charges, what was
//! already shown and the clock; the parts around it (pairing, wake lock, the merchant's controls
//! behind a long press, sound) are small modules.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::ChargeView;

use crate::api::ClientError;
use crate::app::use_session;
use crate::components::bakong_warning::BakongWarning;
use crate::components::charge_lines::ChargeLines;
use crate::components::cny_estimate::{Estimate, KioskCnyEstimate};
use crate::components::qr_code::{KhqrCard, QrImage};
use crate::components::top_bar::{LangSwitch, LiveBadge};
use crate::format;
use crate::i18n::{Key, Lang, pick, t, tr, use_i18n};
use crate::load::Load;
use crate::realtime::{LinkStatus, use_realtime};
use crate::screens::{KioskLink, KioskScreen, Shown, kiosk_screen};

mod controls;
mod pair;

const PIN_KEY: &str = "tonle.kiosk.pin";
const STATIC_KEY: &str = "tonle.kiosk.static-qr";
const OFFLINE: [&str; 3] = [
    "Not connected. Payments will show as soon as the connection is back.",
    "មិនបានភ្ជាប់។ ការបង់ប្រាក់នឹងបង្ហាញភ្លាមៗពេលភ្ជាប់ឡើងវិញ។",
    "未连接。连接恢复后将立即显示付款。",
];

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The kiosk: the screen the machine picks, drawn.
#[component]
pub fn KioskPage() -> impl IntoView {
    let session = use_session().0;
    let lang = use_i18n().lang;
    let rt = use_realtime();
    let paired = RwSignal::new(None::<bool>);
    spawn_local(async move {
        match crate::api::session().await {
            Ok(s) if s.role == protocol::SessionRole::Device => {
                session.set(Some(s));
                paired.set(Some(true));
            }
            _ => paired.set(Some(false)),
        }
    });
    // Paired from the form: the session arrives.
    Effect::new(move |_| {
        if session.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.role == protocol::SessionRole::Device)
        }) {
            paired.set(Some(true));
        }
    });
    let now = RwSignal::new(now_ms());
    if let Ok(h) = set_interval_with_handle(
        move || now.set(now_ms()),
        std::time::Duration::from_millis(250),
    ) {
        on_cleanup(move || h.clear());
    }
    let charges = Signal::derive(move || rt.map(|rt| rt.charges.get()).unwrap_or_default());
    let shown = RwSignal::new(Shown::default());
    Effect::new(move |_| charges.with(|c| shown.update(|s| s.observe(c, now_ms()))));
    let down_since = RwSignal::new(Some(now_ms()));
    Effect::new(move |_| {
        let live = rt.is_some_and(|rt| rt.status.get() == LinkStatus::Live);
        match (live, down_since.get_untracked()) {
            (true, Some(_)) => down_since.set(None),
            (false, None) => down_since.set(Some(now_ms())),
            _ => {}
        }
    });
    let screen = Memo::new(move |_| {
        let link = KioskLink {
            paired: paired.get(),
            revoked: rt.is_some_and(|rt| rt.revoked.get()),
            down_since: down_since.get(),
        };
        charges.with(|c| shown.with(|s| kiosk_screen(link, c, s, now.get())))
    });
    // The display is built once per pairing, not on every change of what it shows.
    let outer = Memo::new(move |_| match screen.get() {
        s @ (KioskScreen::Checking | KioskScreen::Pairing | KioskScreen::Revoked) => s.name(),
        _ => "paired",
    });
    view! {
        <div class="kiosk">
            {move || match outer.get() {
                "checking" => view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }.into_any(),
                "pairing" => view! { <pair::PairForm revoked=false/> }.into_any(),
                "revoked" => view! { <pair::PairForm revoked=true/> }.into_any(),
                _ => view! { <KioskDisplay screen=screen now=now lang=lang/> }.into_any(),
            }}
        </div>
    }
}

/// The paired display.
#[component]
fn KioskDisplay(
    /// what to show
    screen: Memo<KioskScreen>,
    /// the clock, for the countdown
    now: RwSignal<i64>,
    /// the language chosen
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let session = use_session().0;
    let rt = use_realtime();
    if let Some(rt) = rt
        && let Some(owner) = session.with_untracked(|s| s.as_ref().map(crate::realtime::owner_of))
    {
        crate::realtime::start(rt, owner);
    }
    controls::keep_awake();
    crate::components::mark_ready("tonle:kiosk-ready");
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
    // Announce each payment once, and count them (a kiosk script can check none is missed).
    let announced = RwSignal::new(HashSet::<String>::new());
    Effect::new(move |_| {
        if let KioskScreen::Paid(c) = screen.get()
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
    let showing = move |c: ChargeView| {
        let expires = c.expires_at_ms;
        view! {
                <div class="kiosk-charge" data-testid="kiosk-charge" data-charge-id=c.id.clone()
                    data-created-at=c.created_at_ms data-shown-at=js_sys::Date::now() as i64>
                    <KhqrCard payload=c.payload.clone() merchant=c.merchant_name.clone() amount=format::amount(&c.amount, c.currency)
                        currency=c.currency testid="kiosk-qr" amount_testid="kiosk-amount"/>
                    <ChargeLines lines=c.lines.clone() currency=c.currency total=c.amount.clone() testid="kiosk-lines" usd_khr_rate=c.usd_khr_rate.clone()/>
                    {c.cny_estimate.as_ref().map(|e| view! { <KioskCnyEstimate estimate=Estimate::kept(e)/> })}
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
    };
    let idle = move || {
        view! {
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
        }
    };
    // The charge a merchant may pay as a test wallet from the controls (sandbox servers), and
    // whether its QR has expired.
    let payable = Signal::derive(move || match screen.get() {
        KioskScreen::Showing(c) => Some((c, false)),
        KioskScreen::Expired(c) => Some((c, true)),
        _ => None,
    });
    view! {
        <section class="kiosk-display" data-testid="kiosk-display" data-state=move || screen.with(KioskScreen::name)
            data-paid-count=move || announced.with(HashSet::len)>
            <header class="kiosk-head">
                <LiveBadge/>
                <LangSwitch/>
                <controls::MerchantControls show_static=show_static payable=payable/>
            </header>
            <BakongWarning status=bakong/>
            <h1 class="kiosk-name" data-testid="kiosk-merchant">{name.clone()}</h1>
            {alt.clone().map(|a| view! { <p class="kiosk-alt">{a}</p> })}
            // Redrawn when the screen changes, not on every clock tick (the countdown ticks itself).
            {move || match screen.get() {
                KioskScreen::Showing(c) => showing(c).into_any(),
                KioskScreen::Paid(c) => view! {
                    <div class="paid-overlay" data-testid="kiosk-paid" role="status" aria-live="assertive">
                        <span class="tick" aria-hidden="true">"✓"</span>
                        <p class="paid-title">{tr(Key::ThankYou)}</p>
                        <p class="amount-big">{format::amount(&c.amount, c.currency)}</p>
                    </div>
                }.into_any(),
                KioskScreen::Expired(_) => view! { <p class="expired" data-testid="kiosk-expired" role="status">{tr(Key::Expired)}</p> }.into_any(),
                KioskScreen::Offline => view! {
                    <p class="kiosk-offline" data-testid="kiosk-offline" role="status">{move || pick(lang.get(), OFFLINE)}</p>
                }.into_any(),
                _ => idle().into_any(),
            }}
        </section>
    }
}
