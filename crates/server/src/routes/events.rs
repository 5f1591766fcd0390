//! `GET /api/v1/events`: the merchant's event log over a websocket. Replays everything after
//! `since`, then streams live events in order with no gaps; heartbeats; slow clients are dropped.

use std::time::Duration;

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

#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(("since" = Option<u64>, Query, description = "replay every event after this sequence number")), responses((status = 101, description = "websocket of api::ServerMsg: hello, then events in order, heartbeats"), (status = 400, description = "not a websocket upgrade request", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn upgrade(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<EventsQuery>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    policy::allow(&caller, Action::WatchEvents)?;
    let ws = ws.map_err(|e| {
        ApiError::BadRequest(format!("this is a websocket endpoint: {}", e.body_text()))
    })?;
    // Without `since` a client starts at the head: it loaded current state over REST.
    let since = q.since;
    // Small buffers: a screen sends nothing but pings and receives small JSON, and thousands
    // stay connected (the library's defaults, 128 KiB to read and 128 KiB to write, made an idle
    // socket cost ~140 KB). A slow reader is still cut off by `SEND_TIMEOUT`, and what waits to
    // be written is capped.
    let ws = ws
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(MAX_WRITE_BUFFER)
        .max_message_size(MAX_INCOMING)
        .max_frame_size(MAX_INCOMING);
    Ok(ws.on_upgrade(move |socket| async move {
        if let Err(e) = run_session(socket, state, caller, since).await {
            tracing::debug!(error = %e, "websocket session ended");
        }
    }))
}

/// Bytes read from a socket at a time.
const READ_BUFFER: usize = 4 * 1024;
/// Most bytes waiting to be written to one socket before sending fails.
const MAX_WRITE_BUFFER: usize = 256 * 1024;
/// Largest message or frame a client may send (it only sends pings and a close).
const MAX_INCOMING: usize = 16 * 1024;

enum Ended {
    Closed,
    Code(u16, &'static str),
}

async fn send(
    ws: &mut futures::stream::SplitSink<WebSocket, Message>,
    msg: &api::ServerMsg,
) -> anyhow::Result<()> {
    let text = serde_json::to_string(msg)?;
    tokio::time::timeout(SEND_TIMEOUT, ws.send(Message::Text(text.into())))
        .await
        .map_err(|_| anyhow::anyhow!("client too slow"))??;
    Ok(())
}

/// Sends every event after `last` from the log; returns the new `last`.
async fn catch_up(
    ws: &mut futures::stream::SplitSink<WebSocket, Message>,
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
                send(ws, &api::ServerMsg::Event { event }).await?;
            }
        }
        if n < PAGE as usize {
            return Ok(last);
        }
    }
}

/// Whether a device is still paired, or a key unrevoked (people's sessions end by expiry).
async fn still_valid(state: &AppState, caller: &Caller) -> anyhow::Result<bool> {
    let merchant = caller.merchant_id();
    Ok(match caller {
        Caller::Staff { .. } => true,
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

async fn run_session(
    socket: WebSocket,
    state: AppState,
    caller: Caller,
    since: Option<u64>,
) -> anyhow::Result<()> {
    let (mut tx, mut rx) = socket.split();
    let merchant_id = caller.merchant_id().to_owned();
    let mut revoked = state.bus.revocations();
    // Subscribe before reading the log so nothing committed in between is missed.
    let mut live = state.bus.subscribe(&merchant_id);
    let head = state.store.head_seq(&merchant_id).await?;
    let head = head.0;
    send(&mut tx, &api::ServerMsg::Hello { head }).await?;
    let mut last = catch_up(&mut tx, &state, &caller, since.unwrap_or(head).min(head)).await?;
    let mut beat = tokio::time::interval(HEARTBEAT);
    beat.reset();
    let ended = loop {
        tokio::select! {
            msg = live.recv() => match msg {
                Ok(event) => {
                    if event.seq <= last {
                        continue;
                    }
                    if event.seq == last + 1 {
                        last = event.seq;
                        if policy::sees_event(&caller, &event) {
                            send(&mut tx, &api::ServerMsg::Event { event: (*event).clone() }).await?;
                        }
                    } else {
                        // Published out of order or missed: the log is the truth.
                        last = catch_up(&mut tx, &state, &caller, last).await?;
                    }
                }
                Err(RecvError::Lagged(_)) => break Ended::Code(api::close::LAGGED, "lagged; reconnect with since"),
                Err(RecvError::Closed) => break Ended::Code(api::close::SHUTDOWN, "server shutting down"),
            },
            incoming = rx.next() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break Ended::Closed,
                Some(Ok(_)) => {}
            },
            _ = beat.tick() => {
                send(&mut tx, &api::ServerMsg::Heartbeat { head: last }).await?;
            }
            gone = revoked.recv() => match gone {
                Ok(id) if caller.revocable_id() == Some(id.as_str()) => break Ended::Code(api::close::REVOKED, "revoked"),
                // Missed revocations: check this device or key is still valid.
                Ok(id) if id != crate::bus::RECHECK => {}
                Ok(_) | Err(_) => if !still_valid(&state, &caller).await? {
                    break Ended::Code(api::close::REVOKED, "revoked");
                },
            },
            _ = state.shutdown_signal() => break Ended::Code(api::close::SHUTDOWN, "server shutting down"),
        }
    };
    if let Ended::Code(code, reason) = ended {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = tokio::time::timeout(SEND_TIMEOUT, tx.send(Message::Close(Some(frame)))).await;
    }
    Ok(())
}
