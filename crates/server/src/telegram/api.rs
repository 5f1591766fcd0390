//! The Telegram Bot API, the three calls tonle makes: `getMe` (is the token good, and the bot's
//! name for links), `getUpdates` (long polling: chats send `/start <code>` to be linked) and
//! `sendMessage`. A thin client on reqwest; every answer is typed here, so the sender decides
//! what to do with a 429, a migrated group or a blocked bot in one place.
//!
//! The token is part of every URL (`{api}/bot{token}/{method}`): no error or log line carries a
//! URL (reqwest's errors are stripped of theirs).

use std::time::Duration;

use serde_json::{Value, json};

/// How long a `sendMessage` or `getMe` may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The bot, as `getMe` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Me {
    /// the bot's user id
    pub id: i64,
    /// its username, without `@` (links are `https://t.me/<username>?startgroup=…`)
    pub username: String,
}

/// A message the bot saw, reduced to what linking needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// the update's id: the next poll asks from `update_id + 1`
    pub update_id: i64,
    /// the chat it was sent in (may have 52 significant bits)
    pub chat_id: i64,
    /// the chat's title (groups) or the sender's first name (private chats)
    pub title: String,
    /// the forum topic it was sent in
    pub thread_id: Option<i64>,
    /// its text, when it has one
    pub text: Option<String>,
    /// the group became a supergroup with this id (sent in the old group)
    pub migrate_to_chat_id: Option<i64>,
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// the chat
    pub chat_id: i64,
    /// the forum topic, if the link was made in one
    pub thread_id: Option<i64>,
    /// HTML (`parse_mode` HTML), escaped by [`super::text`]
    pub html: String,
    /// quiet hours: delivered without sound
    pub silent: bool,
}

/// Why a call did not succeed, as the sender acts on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// 429: wait this long, then send again (keeping the chat's order)
    #[error("Telegram asked to wait {0:?} (429)")]
    RetryAfter(Duration),
    /// 400, the group became a supergroup: send there from now on
    #[error("the group moved to {0}")]
    Migrated(i64),
    /// 403: the bot was blocked, kicked or the chat deleted; nothing more goes there
    #[error("the chat is gone: {0}")]
    Removed(String),
    /// 401 (or 404 on a malformed token): the deployment's token is wrong or revoked
    #[error("Telegram refused the bot token")]
    Unauthorized,
    /// another 4xx: this message cannot be sent as it is (a bad entity, a chat not found)
    #[error("Telegram refused the message: {0}")]
    Rejected(String),
    /// not sent: no connection, or a 5xx; try again later
    #[error("Telegram could not be reached: {0}")]
    Unavailable(String),
    /// no answer after the request went out: it may have been delivered
    #[error("no answer from Telegram in time; the message may have been delivered")]
    MaybeDelivered,
}

/// A client for one bot.
#[derive(Clone)]
pub struct BotApi {
    http: reqwest::Client,
    /// `{api}/bot{token}`
    base: String,
}

impl std::fmt::Debug for BotApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BotApi { .. }")
    }
}

impl Failure {
    /// Its name in metrics.
    pub fn metric(&self) -> &'static str {
        match self {
            Self::RetryAfter(_) => "retry_after",
            Self::Migrated(_) => "migrated",
            Self::Removed(_) => "removed",
            Self::Unauthorized => "unauthorized",
            Self::Rejected(_) => "rejected",
            Self::Unavailable(_) => "unavailable",
            Self::MaybeDelivered => "maybe_delivered",
        }
    }
}

impl BotApi {
    /// The bot of `token` at `api_url` (`https://api.telegram.org`, or a stand-in).
    pub fn new(api_url: &str, token: &str) -> Result<Self, Failure> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| Failure::Unavailable(e.without_url().to_string()))?;
        Ok(Self {
            http,
            base: format!("{}/bot{token}", api_url.trim_end_matches('/')),
        })
    }

    /// `getMe`.
    pub async fn get_me(&self) -> Result<Me, Failure> {
        let r = self.call("getMe", &json!({}), TIMEOUT).await?;
        let id = r["id"].as_i64();
        let username = r["username"].as_str();
        match (id, username) {
            (Some(id), Some(u)) => Ok(Me {
                id,
                username: u.to_owned(),
            }),
            _ => Err(Failure::Unavailable(
                "getMe answered without a username".into(),
            )),
        }
    }

    /// `getUpdates` from `offset`, waiting up to `wait` for one (long polling). Updates other
    /// than messages are skipped but still counted, so the next offset passes them.
    pub async fn get_updates(&self, offset: i64, wait: Duration) -> Result<Vec<Seen>, Failure> {
        let body = json!({
            "offset": offset,
            "timeout": wait.as_secs(),
            "allowed_updates": ["message"],
        });
        let r = self.call("getUpdates", &body, wait + TIMEOUT).await?;
        let Some(list) = r.as_array() else {
            return Err(Failure::Unavailable("getUpdates answered no list".into()));
        };
        Ok(list.iter().filter_map(seen).collect())
    }

    /// `sendMessage`; its `message_id`.
    pub async fn send_message(&self, m: &Outgoing) -> Result<i64, Failure> {
        let mut body = json!({
            "chat_id": m.chat_id,
            "text": m.html,
            "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": true},
            "disable_notification": m.silent,
        });
        if let Some(t) = m.thread_id {
            body["message_thread_id"] = json!(t);
        }
        let r = self.call("sendMessage", &body, TIMEOUT).await?;
        r["message_id"]
            .as_i64()
            .ok_or_else(|| Failure::Unavailable("sendMessage answered no message_id".into()))
    }

    async fn call(&self, method: &str, body: &Value, timeout: Duration) -> Result<Value, Failure> {
        let res = self
            .http
            .post(format!("{}/{method}", self.base))
            .timeout(timeout)
            .json(body)
            .send()
            .await
            .map_err(|e| sent_error(&e))?;
        let status = res.status().as_u16();
        let answer: Value = match res.json().await {
            Ok(v) => v,
            Err(e) if status < 300 => return Err(sent_error(&e)),
            Err(_) => Value::Null,
        };
        if status < 300 && answer["ok"] == json!(true) {
            return Ok(answer["result"].clone());
        }
        Err(failure(status, &answer))
    }
}

/// A transport error: before anything was sent (connecting) it is safe to send again; after, the
/// message may have arrived.
fn sent_error(e: &reqwest::Error) -> Failure {
    if e.is_connect() || e.is_builder() {
        Failure::Unavailable(
            std::error::Error::source(e)
                .map_or_else(|| "no connection".to_owned(), |s| s.to_string()),
        )
    } else {
        Failure::MaybeDelivered
    }
}

/// An error answer (`{"ok": false, "error_code", "description", "parameters"}`).
fn failure(status: u16, answer: &Value) -> Failure {
    let description = answer["description"]
        .as_str()
        .unwrap_or("no description")
        .to_owned();
    let params = &answer["parameters"];
    match status {
        429 => Failure::RetryAfter(Duration::from_secs(
            params["retry_after"].as_u64().unwrap_or(1).max(1),
        )),
        400 if params["migrate_to_chat_id"].is_i64() => {
            Failure::Migrated(params["migrate_to_chat_id"].as_i64().unwrap_or_default())
        }
        401 | 404 => Failure::Unauthorized,
        403 => Failure::Removed(description),
        400..=499 => Failure::Rejected(description),
        _ => Failure::Unavailable(format!("{status}: {description}")),
    }
}

fn seen(update: &Value) -> Option<Seen> {
    let update_id = update["update_id"].as_i64()?;
    let m = &update["message"];
    let chat = &m["chat"];
    // An update that is no message (a member change) still moves the offset past it.
    let chat_id = chat["id"].as_i64().unwrap_or_default();
    let title = chat["title"]
        .as_str()
        .or_else(|| chat["first_name"].as_str())
        .unwrap_or_default()
        .to_owned();
    Some(Seen {
        update_id,
        chat_id,
        title,
        thread_id: m["message_thread_id"].as_i64(),
        text: m["text"].as_str().map(str::to_owned),
        migrate_to_chat_id: m["migrate_to_chat_id"].as_i64(),
    })
}

/// The code of a `/start <code>` (or `/start@<bot> <code>`) addressed to `bot`, if `text` is one.
pub fn start_code<'a>(text: &'a str, bot: &str) -> Option<&'a str> {
    let (command, code) = text.trim().split_once(char::is_whitespace)?;
    let to = command.strip_prefix("/start")?;
    if !(to.is_empty()
        || to
            .strip_prefix('@')
            .is_some_and(|b| b.eq_ignore_ascii_case(bot)))
    {
        return None;
    }
    let code = code.trim();
    let ok = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then_some(code)
}
