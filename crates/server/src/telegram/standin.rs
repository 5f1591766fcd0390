//! A stand-in for the Telegram Bot API, answering `getMe`, `getUpdates` and `sendMessage` as
//! the Bot API documents (see `shared/docs/telegram.md` §2): the `{"ok", "result"}` envelope,
//! 429 with `parameters.retry_after`, 400 with `parameters.migrate_to_chat_id` for a group that
//! became a supergroup, 403 for a blocked bot, 401 for a wrong token, and long polling. It is
//! what tests and `tonle simulate telegram` talk to; a control API under `/standin/` posts
//! messages into chats, migrates groups, blocks the bot, injects faults and lists what was sent.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// A fault the next `sendMessage` calls answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Fault {
    /// HTTP 429 with `retry_after` seconds
    TooManyRequests {
        /// seconds to wait
        retry_after: u64,
    },
    /// HTTP 500
    ServerError,
    /// no answer for longer than any client waits (the message is not kept)
    Hang,
    /// the message is kept, then no answer (a send that timed out after delivery)
    HangAfterDelivery,
}

/// A message the stand-in took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// its `message_id`
    pub message_id: i64,
    /// the chat
    pub chat_id: i64,
    /// the topic
    pub thread_id: Option<i64>,
    /// the text as sent
    pub text: String,
    /// `disable_notification`
    pub silent: bool,
    /// when, since the stand-in started
    pub at: Duration,
}

#[derive(Default)]
struct Inner {
    token: String,
    username: String,
    updates: VecDeque<Value>,
    next_update: i64,
    sent: Vec<Sent>,
    faults: VecDeque<Fault>,
    migrated: HashMap<i64, i64>,
    blocked: HashSet<i64>,
    calls: u64,
}

/// The stand-in's state; clones share it.
#[derive(Clone)]
pub struct StandIn {
    inner: Arc<Mutex<Inner>>,
    arrived: Arc<Notify>,
    started: Instant,
}

impl StandIn {
    /// A bot `@username` that accepts `token`.
    pub fn new(token: &str, username: &str) -> Self {
        let inner = Inner {
            token: token.to_owned(),
            username: username.to_owned(),
            next_update: 1,
            ..Inner::default()
        };
        Self {
            inner: Arc::new(Mutex::new(inner)),
            arrived: Arc::new(Notify::new()),
            started: Instant::now(),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut g = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut g)
    }

    /// Someone writes `text` in chat `chat_id` (titled `title`, in topic `thread_id`).
    pub fn post(&self, chat_id: i64, title: &str, thread_id: Option<i64>, text: &str) {
        self.with(|s| {
            let id = s.next_update;
            s.next_update += 1;
            let mut message = json!({
                "message_id": id, "date": 0, "text": text,
                "chat": {"id": chat_id, "type": "group", "title": title},
            });
            if let Some(t) = thread_id {
                message["message_thread_id"] = json!(t);
            }
            s.updates
                .push_back(json!({"update_id": id, "message": message}));
        });
        self.arrived.notify_waiters();
    }

    /// The group `from` became the supergroup `to`: sends to `from` answer 400 with the move.
    pub fn migrate(&self, from: i64, to: i64) {
        self.with(|s| s.migrated.insert(from, to));
    }

    /// The bot was removed from `chat_id`: sends there answer 403.
    pub fn block(&self, chat_id: i64) {
        self.with(|s| s.blocked.insert(chat_id));
    }

    /// The next `sendMessage` calls answer with `faults`, one each, in order.
    pub fn fail_next(&self, faults: &[Fault]) {
        self.with(|s| s.faults.extend(faults.iter().copied()));
    }

    /// Every message taken, in order.
    pub fn sent(&self) -> Vec<Sent> {
        self.with(|s| s.sent.clone())
    }

    /// `sendMessage` calls answered, faults included.
    pub fn send_calls(&self) -> u64 {
        self.with(|s| s.calls)
    }

    /// The Bot API under `/bot{token}/{method}` and the control API under `/standin/`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/{bot}/{method}", post(api))
            .route("/standin/sent", get(sent))
            .route("/standin/post", post(control_post))
            .route("/standin/migrate", post(control_migrate))
            .route("/standin/block", post(control_block))
            .route("/standin/fail", post(control_fail))
            .with_state(self.clone())
    }
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn error(status: StatusCode, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (status, Json(body)).into_response()
}

async fn api(
    State(st): State<StandIn>,
    Path((bot, method)): Path<(String, String)>,
    body: Option<Json<Value>>,
) -> Response {
    let body = body.map(|Json(v)| v).unwrap_or(Value::Null);
    let (token_ok, username) = st.with(|s| (bot == format!("bot{}", s.token), s.username.clone()));
    if !token_ok {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized", None);
    }
    match method.as_str() {
        "getMe" => {
            ok(json!({"id": 7, "is_bot": true, "first_name": "tonle", "username": username}))
        }
        "getUpdates" => updates(&st, &body).await,
        "sendMessage" => send(&st, &body).await,
        _ => error(StatusCode::NOT_FOUND, "Not Found: method not found", None),
    }
}

async fn updates(st: &StandIn, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let wait = Duration::from_secs(body["timeout"].as_u64().unwrap_or(0).min(50));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let arrived = st.arrived.notified();
        let list: Vec<Value> = st.with(|s| {
            // Asking from `offset` confirms every update before it.
            s.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            s.updates.iter().cloned().collect()
        });
        if !list.is_empty() || tokio::time::Instant::now() >= deadline {
            return ok(Value::Array(list));
        }
        let _ = tokio::time::timeout_at(deadline, arrived).await;
    }
}

async fn send(st: &StandIn, body: &Value) -> Response {
    let Some(chat_id) = body["chat_id"].as_i64() else {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request: chat_id is empty",
            None,
        );
    };
    let text = body["text"].as_str().unwrap_or_default().to_owned();
    if text.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "Bad Request: message text is empty",
            None,
        );
    }
    let fault = st.with(|s| {
        s.calls += 1;
        s.faults.pop_front()
    });
    match fault {
        Some(Fault::TooManyRequests { retry_after }) => {
            let d = format!("Too Many Requests: retry after {retry_after}");
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                &d,
                Some(json!({"retry_after": retry_after})),
            );
        }
        Some(Fault::ServerError) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal Server Error",
                None,
            );
        }
        Some(Fault::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
        Some(Fault::HangAfterDelivery) | None => {}
    }
    let refused = st.with(|s| {
        if let Some(to) = s.migrated.get(&chat_id) {
            return Some(error(
                StatusCode::BAD_REQUEST,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Some(json!({"migrate_to_chat_id": to})),
            ));
        }
        s.blocked.contains(&chat_id).then(|| {
            error(
                StatusCode::FORBIDDEN,
                "Forbidden: bot was kicked from the group chat",
                None,
            )
        })
    });
    if let Some(r) = refused {
        return r;
    }
    let at = st.started.elapsed();
    let message_id = st.with(|s| {
        let id = i64::try_from(s.sent.len()).unwrap_or(i64::MAX - 1) + 1;
        s.sent.push(Sent {
            message_id: id,
            chat_id,
            thread_id: body["message_thread_id"].as_i64(),
            text,
            silent: body["disable_notification"].as_bool().unwrap_or(false),
            at,
        });
        id
    });
    if fault == Some(Fault::HangAfterDelivery) {
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
    ok(json!({"message_id": message_id, "chat": {"id": chat_id}, "date": 0}))
}

async fn sent(State(st): State<StandIn>) -> Json<Value> {
    let list: Vec<Value> = st
        .sent()
        .into_iter()
        .map(|m| {
            json!({"message_id": m.message_id, "chat_id": m.chat_id, "thread_id": m.thread_id,
                   "text": m.text, "silent": m.silent, "at_ms": m.at.as_millis()})
        })
        .collect();
    Json(Value::Array(list))
}

/// `POST /standin/post`: a message written in a chat.
#[derive(Debug, Deserialize)]
struct Post {
    chat_id: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    thread_id: Option<i64>,
    text: String,
}

async fn control_post(State(st): State<StandIn>, Json(p): Json<Post>) -> StatusCode {
    st.post(p.chat_id, &p.title, p.thread_id, &p.text);
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct Migrate {
    from: i64,
    to: i64,
}

async fn control_migrate(State(st): State<StandIn>, Json(m): Json<Migrate>) -> StatusCode {
    st.migrate(m.from, m.to);
    StatusCode::NO_CONTENT
}

#[derive(Debug, Deserialize)]
struct Block {
    chat_id: i64,
}

async fn control_block(State(st): State<StandIn>, Json(b): Json<Block>) -> StatusCode {
    st.block(b.chat_id);
    StatusCode::NO_CONTENT
}

async fn control_fail(State(st): State<StandIn>, Json(f): Json<Vec<Fault>>) -> StatusCode {
    st.fail_next(&f);
    StatusCode::NO_CONTENT
}
