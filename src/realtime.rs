//! The one websocket of a tab: resumes from the last sequence number, reconnects with capped
//! exponential backoff and jitter, and folds events into the charge and payment stores.

pub mod machine;

use std::collections::HashMap;

use futures::StreamExt;
use gloo_net::websocket::{Message, futures::WebSocket};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

/// Connection state shown by the live badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStatus {
    /// connected and streaming
    Live,
    /// connecting or waiting to retry
    Reconnecting,
}

/// What the socket has told us, as signals.
#[derive(Debug, Clone, Copy)]
pub struct Realtime {
    /// badge state
    pub status: RwSignal<LinkStatus>,
    /// last applied sequence number
    pub last_seq: RwSignal<Option<u64>>,
    /// latest known state of each charge, by id
    pub charges: RwSignal<HashMap<String, api::ChargeView>>,
    /// payments, newest first
    pub payments: RwSignal<Vec<api::PaymentView>>,
    started: RwSignal<bool>,
    /// whose stream this is (merchant, person, role): another sign-in in the same page starts
    /// a new one
    owner: RwSignal<Option<String>>,
    /// bumped when a stream ends for good (signed out, another person): its loop stops
    generation: RwSignal<u32>,
    /// bumped when the device wakes, comes online or the tab is shown: retry now, not after backoff
    wake: RwSignal<u32>,
    /// the wake listeners are installed (once per page)
    watching: RwSignal<bool>,
    /// the server closed the socket because this paired device was revoked
    pub revoked: RwSignal<bool>,
    /// how payment checks with Bakong go, once the stream said
    pub bakong: RwSignal<Option<api::BakongStatus>>,
}

impl Realtime {
    fn apply(&self, event: api::Event) {
        self.last_seq.set(Some(event.seq));
        match event.data {
            api::EventData::ChargeCreated { charge }
            | api::EventData::ChargeCancelled { charge }
            | api::EventData::ChargeExpired { charge }
            | api::EventData::ChargeResolved { charge } => {
                self.charges.update(|m| {
                    m.insert(charge.id.clone(), charge);
                });
            }
            api::EventData::ChargePaid { charge, payment } => {
                self.charges.update(|m| {
                    m.insert(charge.id.clone(), charge);
                });
                self.add_payment(payment);
            }
            api::EventData::PaymentUnmatched { payment }
            | api::EventData::PaymentReceived { payment } => self.add_payment(payment),
            api::EventData::PaymentResolved { payment } => self.payments.update(|list| {
                if let Some(p) = list.iter_mut().find(|p| p.id == payment.id) {
                    *p = payment;
                }
            }),
            api::EventData::BakongStatus { bakong } => self.bakong.set(Some(bakong.status)),
            api::EventData::Unknown => {}
        }
    }

    /// Merges payments loaded over REST (the socket adds newer ones).
    pub fn merge_payments(&self, loaded: Vec<api::PaymentView>) {
        for p in loaded.into_iter().rev() {
            self.add_payment(p);
        }
        self.payments
            .update(|l| l.sort_by_key(|p| std::cmp::Reverse(p.received_at_ms)));
    }

    fn add_payment(&self, payment: api::PaymentView) {
        self.payments.update(|list| {
            if !list.iter().any(|p| p.id == payment.id) {
                list.insert(0, payment);
                list.truncate(50);
            }
        });
    }
}

fn events_url(since: Option<u64>) -> Option<String> {
    let loc = web_sys::window()?.location();
    let scheme = if loc.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = loc.host().ok()?;
    Some(match since {
        Some(s) => format!("{scheme}://{host}/api/v1/events?since={s}"),
        None => format!("{scheme}://{host}/api/v1/events"),
    })
}

/// Provides the realtime context; the socket starts with [`start`] once signed in.
pub fn provide_realtime() -> Realtime {
    let rt = Realtime {
        status: RwSignal::new(LinkStatus::Reconnecting),
        last_seq: RwSignal::new(None),
        charges: RwSignal::new(HashMap::new()),
        payments: RwSignal::new(Vec::new()),
        started: RwSignal::new(false),
        owner: RwSignal::new(None),
        generation: RwSignal::new(0),
        wake: RwSignal::new(0),
        watching: RwSignal::new(false),
        revoked: RwSignal::new(false),
        bakong: RwSignal::new(None),
    };
    provide_context(rt);
    rt
}

/// Whose stream a session opens: its merchant, person and role.
pub fn owner_of(s: &api::SessionView) -> String {
    format!(
        "{}/{}/{:?}/{:?}",
        s.merchant.id, s.email, s.role, s.terminal_id
    )
}

/// Starts the socket loop for `owner` (see [`owner_of`]) once per page: moving between screens
/// keeps it; another person signing in on this page ends the last one's stream and opens theirs.
pub fn start(rt: Realtime, owner: String) {
    if rt.started.get_untracked() && rt.owner.with_untracked(|o| o.as_ref() == Some(&owner)) {
        return;
    }
    if rt.started.get_untracked() {
        end(rt);
    }
    if !rt.watching.get_untracked() {
        rt.watching.set(true);
        watch_wake(rt);
    }
    rt.started.set(true);
    rt.owner.set(Some(owner));
    spawn_local(run(rt, rt.generation.get_untracked()));
}

/// The session is over (signed out here or elsewhere): its loop stops and what it showed goes,
/// so whoever signs in next on this page sees only their own.
pub fn end(rt: Realtime) {
    rt.generation.update(|g| *g = g.wrapping_add(1));
    rt.started.set(false);
    rt.owner.set(None);
    rt.last_seq.set(None);
    rt.charges.update(HashMap::clear);
    rt.payments.update(Vec::clear);
    rt.bakong.set(None);
    rt.status.set(LinkStatus::Reconnecting);
}

/// After a revoked device is paired again: the socket loop may start anew.
pub fn rearm(rt: Realtime) {
    if rt.revoked.get_untracked() {
        rt.revoked.set(false);
        rt.started.set(false);
    }
}

/// The realtime context.
pub fn use_realtime() -> Option<Realtime> {
    use_context::<Realtime>()
}

async fn run(rt: Realtime, generation: u32) {
    let mut backoff = machine::Backoff::default();
    let current = move || rt.generation.get_untracked() == generation;
    loop {
        if !current() {
            return;
        }
        let Some(url) = events_url(rt.last_seq.get_untracked()) else {
            return;
        };
        // The server is restarting (1012): come back at once (a balancer sends the new socket to
        // another instance), spread over a fifth of a second so a room of screens do not all hit
        // it in one millisecond.
        let mut restarting = false;
        if let Ok(socket) = WebSocket::open(&url) {
            let (_tx, mut rx) = socket.split();
            loop {
                // Silence longer than two heartbeats means the link is gone even if no close came
                // (Wi-Fi dropped, tablet slept): show it and reconnect.
                let next = futures::future::select(
                    rx.next(),
                    gloo_timers::future::TimeoutFuture::new(SILENCE_MS),
                )
                .await;
                let futures::future::Either::Left((Some(msg), _)) = next else {
                    break;
                };
                // This stream's session ended while the message came: drop the socket.
                if !current() {
                    return;
                }
                let text = match msg {
                    Ok(Message::Text(text)) => text,
                    Err(gloo_net::websocket::WebSocketError::ConnectionClose(ev))
                        if ev.code == api::close::REVOKED =>
                    {
                        rt.revoked.set(true);
                        rt.status.set(LinkStatus::Reconnecting);
                        return;
                    }
                    // Signed out (here or everywhere, removed from the shop, a new password,
                    // expired): to the sign-in page.
                    Err(gloo_net::websocket::WebSocketError::ConnectionClose(ev))
                        if ev.code == api::close::UNAUTHORIZED =>
                    {
                        end(rt);
                        crate::router::sign_in_and_return();
                        return;
                    }
                    // A new role or counter: the page starts again in it.
                    Err(gloo_net::websocket::WebSocketError::ConnectionClose(ev))
                        if ev.code == api::close::ACCESS_CHANGED =>
                    {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                        return;
                    }
                    Err(gloo_net::websocket::WebSocketError::ConnectionClose(ev))
                        if ev.code == api::close::SHUTDOWN =>
                    {
                        restarting = true;
                        break;
                    }
                    _ => break,
                };
                let Ok(server) = serde_json::from_str::<api::ServerMsg>(&text) else {
                    continue;
                };
                match server {
                    api::ServerMsg::Hello { head } => {
                        rt.status.set(LinkStatus::Live);
                        backoff.reset();
                        if rt.last_seq.get_untracked().is_none() {
                            rt.last_seq.set(Some(head));
                        }
                    }
                    api::ServerMsg::Event { event } => {
                        let last = rt.last_seq.get_untracked().unwrap_or(0);
                        if event.seq > last {
                            rt.apply(event);
                        }
                    }
                    api::ServerMsg::Heartbeat { .. } | api::ServerMsg::Unknown => {}
                }
            }
        }
        rt.status.set(LinkStatus::Reconnecting);
        let wait = if restarting {
            (js_sys::Math::random() * f64::from(RESTART_SPREAD_MS)) as u32
        } else {
            backoff.next_delay_ms(js_sys::Math::random())
        };
        let woken = rt.wake.get_untracked();
        // Sleep in short slices so a wake-up (online, tab shown) retries at once.
        let mut slept = 0;
        while slept < wait && rt.wake.get_untracked() == woken && current() {
            gloo_timers::future::TimeoutFuture::new(WAKE_SLICE_MS.min(wait - slept)).await;
            slept += WAKE_SLICE_MS;
        }
    }
}

/// The server sends a heartbeat every second; this long without any message ends the socket, so
/// a connection cut silently (no FIN: a dead Wi-Fi, a NAT that forgot it) shows on the badge
/// within 1.6 s of its last message, under the 2 s goal with room for a loaded device.
const SILENCE_MS: u32 = 1_600;

/// After a server restart (close 1012) screens reconnect within this long, spread at random.
const RESTART_SPREAD_MS: u32 = 200;

/// Granularity of the backoff sleep, so a wake-up is acted on within this long.
const WAKE_SLICE_MS: u32 = 100;

/// Retries at once when the browser comes online or the tab becomes visible again (a tablet
/// waking from sleep), and closes a socket the browser kept open through the sleep.
fn watch_wake(rt: Realtime) {
    let bump = move || rt.wake.update(|w| *w = w.wrapping_add(1));
    let online = window_event_listener(leptos::ev::online, move |_| bump());
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        let shown = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
        if shown {
            bump();
        }
    });
    // The listeners live as long as the tab: the socket loop is per tab.
    std::mem::forget((online, visible));
}

/// How payment checks with Bakong go: loaded once, then as the stream tells.
pub fn bakong_status(rt: Option<Realtime>) -> Signal<Option<api::BakongStatus>> {
    let loaded = crate::load::Load::new(crate::api::bakong_status);
    Signal::derive(move || {
        rt.and_then(|rt| rt.bakong.get())
            .or_else(|| loaded.get().and_then(Result::ok))
    })
}
