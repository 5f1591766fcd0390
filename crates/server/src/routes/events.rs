//! `GET /api/v1/events`: the merchant's event log over a websocket. Replays everything after
//! `since`, then streams live events in order with no gaps; heartbeats; slow clients are dropped.
//!
//! A client that stops reading is found by the server itself, whatever the kernel buffers: every
//! 32 KiB sent, and every heartbeat, a ping goes out with a random token; the client's pong for it says it
//! has read everything before it. What was sent after the last answered ping is what waits
//! unread: past `MAX_UNREAD_BYTES` or `MAX_UNREAD_MESSAGES` the server stops sending until a pong
//! comes, and a ping unanswered for `PONG_DEADLINE` ends the socket (code 4000: reconnect with
//! `since`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::api;
use crate::auth::Caller;
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppQuery};
use crate::policy::{self, Action};
use crate::state::AppState;

/// `GET /events`
pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(upgrade))
}

#[derive(Debug, Deserialize)]
struct EventsQuery {
    since: Option<u64>,
}

/// Often enough that a client notices a silent cut within two seconds.
const HEARTBEAT: Duration = Duration::from_secs(1);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const PAGE: u32 = 500;
/// How long a client has to answer a ping (browsers answer at once, in the network stack).
const PONG_DEADLINE: Duration = Duration::from_secs(10);
/// Most bytes sent and not yet known to be read by the client.
pub const MAX_UNREAD_BYTES: usize = 256 * 1024;
/// Most messages sent and not yet known to be read by the client.
pub const MAX_UNREAD_MESSAGES: usize = 1_000;
/// A ping goes out after this many bytes since the last one (and at every heartbeat).
const PING_EVERY_BYTES: usize = 32 * 1024;

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(("since" = Option<u64>, Query, description = "replay every event after this sequence number")), responses((status = 101, description = "websocket of api::ServerMsg: hello, then events in order, heartbeats"), (status = 400, description = "not a websocket upgrade request", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 429, description = "this address or this merchant has as many live connections open as allowed", body = api::ErrorBody)))]
async fn upgrade(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
    held: Option<axum::Extension<crate::serve::Held>>,
    AppQuery(q): AppQuery<EventsQuery>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    policy::allow(&caller, Action::WatchEvents)?;
    let ws = ws.map_err(|e| {
        ApiError::BadRequest(format!("this is a websocket endpoint: {}", e.body_text()))
    })?;
    // Counted from here until the socket closes.
    let place = state.sockets.admit(client.key, caller.merchant_id())?;
    // Without `since` a client starts at the head: it loaded current state over REST.
    let since = q.since;
    // Small buffers: a screen sends nothing but pings and receives small JSON, and thousands
    // stay connected (the library's defaults, 128 KiB to read and 128 KiB to write, made an idle
    // socket cost ~140 KB). What waits unread is capped by the ping accounting below.
    let ws = ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(MAX_INCOMING)
        .max_frame_size(MAX_INCOMING);
    Ok(ws.on_upgrade(move |socket| async move {
        let (tx, rx) = socket.split();
        let mut link = Link::new(tx, rx);
        let ended = match run_session(&mut link, &state, &caller, since).await {
            Ok(ended) => ended,
            Err(e) => {
                tracing::debug!(error = %e, "websocket session ended");
                e.downcast_ref::<TooSlow>().map_or(Ended::Closed, |_| {
                    Ended::Code(api::close::LAGGED, "too much unread; reconnect with since")
                })
            }
        };
        link.close(ended).await;
        drop(place);
        drop(held);
    }))
}

/// Bytes read from a socket at a time.
const READ_BUFFER: usize = 4 * 1024;
/// Most bytes waiting in the library's buffer to be written to one socket before sending fails.
const MAX_WRITE_BUFFER: usize = 256 * 1024;
/// Largest message or frame a client may send (it only sends pings and a close).
const MAX_INCOMING: usize = 16 * 1024;

enum Ended {
    Closed,
    Code(u16, &'static str),
}

/// The client stopped reading: a ping went unanswered for `PONG_DEADLINE`.
#[derive(Debug, thiserror::Error)]
#[error("client too slow: a ping unanswered for {0:?}")]
struct TooSlow(Duration);

/// A ping sent and not yet answered: what had been sent when it went out.
struct Mark {
    id: u64,
    at: Instant,
    bytes: usize,
    messages: usize,
}

/// One socket, and what it has sent that the client may not have read yet.
struct Link {
    tx: futures::stream::SplitSink<WebSocket, Message>,
    rx: futures::stream::SplitStream<WebSocket>,
    sent_bytes: usize,
    sent_messages: usize,
    read_bytes: usize,
    read_messages: usize,
    since_ping: usize,
    pending: VecDeque<Mark>,
}

/// What the client sent.
enum Incoming {
    /// nothing that matters (a pong is accounted for, a ping answered by the library)
    Nothing,
    /// a close, an error or the end of the stream
    Gone,
}

impl Link {
    fn new(
        tx: futures::stream::SplitSink<WebSocket, Message>,
        rx: futures::stream::SplitStream<WebSocket>,
    ) -> Self {
        Self {
            tx,
            rx,
            sent_bytes: 0,
            sent_messages: 0,
            read_bytes: 0,
            read_messages: 0,
            since_ping: 0,
            pending: VecDeque::new(),
        }
    }

    fn unread(&self) -> (usize, usize) {
        (
            self.sent_bytes - self.read_bytes,
            self.sent_messages - self.read_messages,
        )
    }

    /// Sends one message; first waits for the client to read enough when too much is unread.
    async fn send(&mut self, msg: &api::ServerMsg) -> anyhow::Result<()> {
        loop {
            let (bytes, messages) = self.unread();
            if bytes < MAX_UNREAD_BYTES && messages < MAX_UNREAD_MESSAGES {
                break;
            }
            if self.pending.is_empty() {
                self.ping().await?;
            }
            // Wait for a pong until the oldest ping's deadline, not a fresh one: a client that
            // stopped reading is dropped `PONG_DEADLINE` after its first unanswered ping.
            let left = self.pending.front().map_or(PONG_DEADLINE, |m| {
                PONG_DEADLINE.saturating_sub(m.at.elapsed())
            });
            match tokio::time::timeout(left, self.rx.next()).await {
                Ok(incoming) => {
                    if let Incoming::Gone = self.take(incoming) {
                        anyhow::bail!("client gone");
                    }
                }
                Err(_) => return Err(TooSlow(PONG_DEADLINE).into()),
            }
        }
        let text = serde_json::to_string(msg)?;
        let len = text.len();
        tokio::time::timeout(SEND_TIMEOUT, self.tx.send(Message::Text(text.into())))
            .await
            .map_err(|_| TooSlow(SEND_TIMEOUT))??;
        self.sent_bytes += len;
        self.sent_messages += 1;
        self.since_ping += len;
        if self.since_ping >= PING_EVERY_BYTES {
            self.ping().await?;
        }
        Ok(())
    }

    /// Sends a ping marking everything sent so far. Its payload is random, so only a client
    /// that read the ping can answer it (a forged pong cannot mark unread bytes as read).
    async fn ping(&mut self) -> anyhow::Result<()> {
        let id = rand::random::<u64>();
        self.since_ping = 0;
        self.pending.push_back(Mark {
            id,
            at: Instant::now(),
            bytes: self.sent_bytes,
            messages: self.sent_messages,
        });
        let payload = id.to_be_bytes().to_vec();
        tokio::time::timeout(SEND_TIMEOUT, self.tx.send(Message::Ping(payload.into())))
            .await
            .map_err(|_| TooSlow(SEND_TIMEOUT))??;
        Ok(())
    }

    /// An error when the oldest unanswered ping is past its deadline.
    fn overdue(&self) -> Result<(), TooSlow> {
        match self.pending.front() {
            Some(mark) if mark.at.elapsed() >= PONG_DEADLINE => Err(TooSlow(PONG_DEADLINE)),
            _ => Ok(()),
        }
    }

    /// Accounts for what the client sent.
    fn take(&mut self, incoming: Option<Result<Message, axum::Error>>) -> Incoming {
        match incoming {
            Some(Ok(Message::Pong(payload))) => {
                let id = <[u8; 8]>::try_from(payload.as_ref()).map(u64::from_be_bytes);
                // The pong of a ping sent: it and every earlier one are answered.
                if let Some(at) = id
                    .ok()
                    .and_then(|id| self.pending.iter().position(|m| m.id == id))
                {
                    for mark in self.pending.drain(..=at) {
                        self.read_bytes = mark.bytes;
                        self.read_messages = mark.messages;
                    }
                }
                Incoming::Nothing
            }
            Some(Ok(Message::Close(_))) | None | Some(Err(_)) => Incoming::Gone,
            Some(Ok(_)) => Incoming::Nothing,
        }
    }

    /// Says why the socket ends (when the server ends it), then drops it.
    async fn close(mut self, ended: Ended) {
        if let Ended::Code(code, reason) = ended {
            let frame = CloseFrame {
                code,
                reason: reason.into(),
            };
            let _ =
                tokio::time::timeout(SEND_TIMEOUT, self.tx.send(Message::Close(Some(frame)))).await;
        }
    }
}

/// Sends every event after `last` from the log; returns the new `last`.
async fn catch_up(
    link: &mut Link,
    state: &AppState,
    caller: &Caller,
    mut last: u64,
) -> anyhow::Result<u64> {
    loop {
        let page = state
            .store
            .events_since(caller.merchant_id(), api::Seq(last), PAGE)
            .await?;
        let n = page.len();
        for event in page {
            last = event.seq;
            if policy::sees_event(caller, &event) {
                link.send(&api::ServerMsg::Event { event }).await?;
            }
        }
        if n < PAGE as usize {
            return Ok(last);
        }
    }
}

/// Whether a device is still paired, a key unrevoked, or a person's session live.
async fn still_valid(state: &AppState, caller: &Caller) -> anyhow::Result<bool> {
    let merchant = caller.merchant_id();
    Ok(match caller {
        Caller::Staff {
            token_hash,
            role,
            terminal_id,
            ..
        } => state
            .store
            .session(token_hash, now_ms())
            .await?
            .is_some_and(|s| s.role == *role && s.terminal_id == *terminal_id),
        Caller::Device { device_id, .. } => state
            .store
            .devices(merchant)
            .await?
            .iter()
            .any(|d| &d.device_id == device_id && d.revoked_at.is_none()),
        Caller::ApiKey { key_id, .. } => state
            .store
            .api_keys(merchant)
            .await?
            .iter()
            .any(|k| &k.key_id == key_id),
    })
}

/// How a revoked caller's stream ends: a device or key revoked; a person's session ended (sign
/// in again) or still live with new access (reconnect in it).
async fn ended(state: &AppState, caller: &Caller) -> anyhow::Result<Ended> {
    Ok(match caller {
        Caller::Staff { token_hash, .. } => {
            match state.store.session(token_hash, now_ms()).await? {
                Some(_) => {
                    Ended::Code(api::close::ACCESS_CHANGED, "your access changed; reconnect")
                }
                None => Ended::Code(api::close::UNAUTHORIZED, "signed out"),
            }
        }
        _ => Ended::Code(api::close::REVOKED, "revoked"),
    })
}

/// How often an open stream notes its session as used.
const TOUCH_EVERY: Duration = Duration::from_millis(crate::auth::SESSION_TOUCH_MS as u64);
/// How often an open stream of a person looks whether their session is still live.
const RECHECK_EVERY: Duration = Duration::from_secs(60);

async fn run_session(
    link: &mut Link,
    state: &AppState,
    caller: &Caller,
    since: Option<u64>,
) -> anyhow::Result<Ended> {
    let merchant_id = caller.merchant_id().to_owned();
    let mut revoked = state.bus.revocations();
    // Subscribe before reading the log so nothing committed in between is missed.
    let mut live = state.bus.subscribe(&merchant_id);
    let head = state.store.head_seq(&merchant_id).await?;
    let head = head.0;
    link.send(&api::ServerMsg::Hello { head }).await?;
    let mut last = catch_up(link, state, caller, since.unwrap_or(head).min(head)).await?;
    let mut beat = tokio::time::interval(HEARTBEAT);
    beat.reset();
    // A person's session ends at its expiry at the latest, and its stream with it.
    let session_left = match caller {
        Caller::Staff { expires_at, .. } => {
            Duration::from_millis(u64::try_from(expires_at - now_ms()).unwrap_or(0))
        }
        _ => Duration::MAX,
    };
    let session_left = tokio::time::sleep(session_left.min(Duration::from_secs(86_400 * 365)));
    tokio::pin!(session_left);
    let (mut touched, mut checked) = (Instant::now(), Instant::now());
    let ended = loop {
        tokio::select! {
            msg = live.recv() => match msg {
                Ok(event) => {
                    if event.seq <= last {
                        continue;
                    }
                    if event.seq == last + 1 {
                        last = event.seq;
                        if policy::sees_event(caller, &event) {
                            link.send(&api::ServerMsg::Event { event: (*event).clone() }).await?;
                        }
                    } else {
                        // Published out of order or missed: the log is the truth.
                        last = catch_up(link, state, caller, last).await?;
                    }
                }
                Err(RecvError::Lagged(_)) => break Ended::Code(api::close::LAGGED, "lagged; reconnect with since"),
                Err(RecvError::Closed) => break Ended::Code(api::close::SHUTDOWN, "server shutting down"),
            },
            incoming = link.rx.next() => if let Incoming::Gone = link.take(incoming) {
                break Ended::Closed;
            },
            _ = beat.tick() => {
                link.overdue()?;
                // An open stream is a screen in use: its session does not end for being idle.
                // Now and then it also looks whether the session ended where no revocation
                // could reach this instance (an operator's reset on the command line).
                if let Caller::Staff { token_hash, .. } = caller {
                    if touched.elapsed() >= TOUCH_EVERY {
                        state.store.touch_session(token_hash, now_ms()).await?;
                        touched = Instant::now();
                    }
                    if checked.elapsed() >= RECHECK_EVERY {
                        checked = Instant::now();
                        if !still_valid(state, caller).await? {
                            break ended(state, caller).await?;
                        }
                    }
                }
                link.send(&api::ServerMsg::Heartbeat { head: last }).await?;
                link.ping().await?;
            }
            gone = revoked.recv() => match gone {
                Ok(id) if caller.ended_by(&id) => break ended(state, caller).await?,
                // Missed revocations: check this device, key or session is still valid.
                Ok(id) if id != crate::bus::RECHECK => {}
                Ok(_) | Err(_) => if !still_valid(state, caller).await? {
                    break ended(state, caller).await?;
                },
            },
            _ = &mut session_left => break Ended::Code(api::close::UNAUTHORIZED, "session expired; sign in again"),
            _ = state.shutdown_signal() => break Ended::Code(api::close::SHUTDOWN, "server restarting; reconnect"),
        }
    };
    Ok(ended)
}
