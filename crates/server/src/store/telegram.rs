//! Telegram chats linked to merchants, their link codes, and their outbox, as stored.

use super::StoreResult;
use crate::api;

/// A link code, as stored (only its hash).
#[derive(Debug, Clone)]
pub struct LinkCodeRow {
    /// SHA-256 of the code
    pub code_hash: String,
    /// merchant
    pub merchant_id: String,
    /// the chat's language
    pub language: api::ChatLanguage,
    /// only this store
    pub store_id: Option<String>,
    /// only this counter
    pub terminal_id: Option<String>,
    /// what to post (empty: everything)
    pub events: Vec<api::ChatEvent>,
    /// valid until, epoch ms
    pub expires_at: i64,
}

/// A chat that sent `/start <code>`.
#[derive(Debug, Clone)]
pub struct Starting {
    /// Telegram's chat id
    pub chat_id: i64,
    /// the forum topic
    pub thread_id: Option<i64>,
    /// its title
    pub title: String,
    /// the new link's id
    pub link_id: String,
}

/// A linked chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRow {
    /// id of the link
    pub link_id: String,
    /// merchant
    pub merchant_id: String,
    /// Telegram's chat id
    pub chat_id: i64,
    /// forum topic
    pub thread_id: Option<i64>,
    /// title
    pub title: String,
    /// language
    pub language: api::ChatLanguage,
    /// only this store
    pub store_id: Option<String>,
    /// only this counter
    pub terminal_id: Option<String>,
    /// what is posted (empty: everything)
    pub events: Vec<api::ChatEvent>,
    /// quiet hours
    pub quiet_hours: Option<api::QuietHours>,
    /// the summary's hour
    pub summary_hour: u8,
    /// posted to or removed
    pub status: api::ChatStatus,
    /// why removed
    pub removed_reason: Option<String>,
    /// last delivery, epoch ms
    pub last_delivered_at: Option<i64>,
    /// the last shop-local day whose summary was queued
    pub summary_day: Option<i64>,
    /// sends failed in a row
    pub failures: u32,
    /// messages waiting
    pub waiting: u64,
}

impl ChatRow {
    /// Whether the chat is told of `kind`.
    pub fn wants(&self, kind: api::ChatEvent) -> bool {
        self.events.is_empty() || self.events.contains(&kind)
    }
}

/// One message waiting in a chat's outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    /// id
    pub message_row_id: String,
    /// the chat's link
    pub link_id: String,
    /// what it is: a [`api::ChatEvent`] name, `linked`, `test` or `bakong_expiring`
    pub kind: String,
    /// the event (JSON), or what the kind needs
    pub body: String,
    /// sent before and timed out: it may have arrived
    pub maybe_sent: bool,
    /// attempts made
    pub attempts: u32,
    /// queued, epoch ms
    pub created_at: i64,
}

/// How a send ended, for the rows it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    /// Telegram answered with this message id
    Sent(i64),
    /// not sent; try again (`maybe_sent`: it may have arrived)
    Retry {
        /// what went wrong
        error: String,
        /// it timed out after going out
        maybe_sent: bool,
    },
    /// never to be sent: `unconfirmed` (timed out twice) or `failed` (refused)
    GiveUp {
        /// `unconfirmed` or `failed`
        status: &'static str,
        /// why
        error: String,
    },
}

/// Telegram chats, link codes, the outbox and the bot's update offset.
#[async_trait::async_trait]
pub trait TelegramStore: Send + Sync {
    /// Keeps a link code unless the merchant has `max` unused ones still valid; `false` then.
    async fn create_link_code(&self, code: &LinkCodeRow, max: usize, now: i64)
    -> StoreResult<bool>;
    /// Uses a code once: links the chat (or relinks it with the code's scope and language) and
    /// queues the bot's `linked` message to it. `None` when the code is unknown, used or expired.
    async fn use_link_code(
        &self,
        code_hash: &str,
        chat: &Starting,
        now: i64,
    ) -> StoreResult<Option<ChatRow>>;
    /// A merchant's chats (not deleted), oldest first.
    async fn telegram_chats(&self, merchant_id: &str) -> StoreResult<Vec<ChatRow>>;
    /// One chat of a merchant.
    async fn telegram_chat(&self, merchant_id: &str, link_id: &str) -> StoreResult<ChatRow>;
    /// Saves a chat's language, events, quiet hours and summary hour (a new hour forgets which
    /// day's summary was queued last: `summary::first_day` decides it again).
    async fn update_telegram_chat(&self, chat: &ChatRow, now: i64) -> StoreResult<()>;
    /// Unlinks a chat; what waits for it is dropped.
    async fn delete_telegram_chat(
        &self,
        merchant_id: &str,
        link_id: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Queues a message to one chat (a test, a summary, a reminder).
    async fn queue_telegram(
        &self,
        link_id: &str,
        kind: &str,
        body: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// Queues the day's summary once per shop-local `day`: `false` when it was queued already.
    async fn queue_telegram_summary(
        &self,
        link_id: &str,
        day: i64,
        messages: &[(&str, String)],
        now: i64,
    ) -> StoreResult<bool>;
    /// Active chats with `summary_hour`, with their merchants' countries, for the summary clock.
    async fn telegram_summary_chats(&self) -> StoreResult<Vec<(ChatRow, api::Country)>>;
    /// Takes up to `limit` active chats with messages due, not paused, not leased by another
    /// sender, leasing each until `lease_until`.
    async fn claim_telegram_chats(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> StoreResult<Vec<ChatRow>>;
    /// A chat's waiting messages, oldest first.
    async fn telegram_waiting(&self, link_id: &str, limit: u32) -> StoreResult<Vec<MessageRow>>;
    /// Records a send of `rows` to a chat.
    async fn finish_telegram_send(
        &self,
        link_id: &str,
        rows: &[String],
        result: &SendResult,
        now: i64,
    ) -> StoreResult<()>;
    /// Gives a chat back to the senders, paused until `paused_until`, with its failures in a row.
    async fn release_telegram_chat(
        &self,
        link_id: &str,
        paused_until: Option<i64>,
        failures: u32,
    ) -> StoreResult<()>;
    /// The group became a supergroup: every link to `from` moves to `to`.
    async fn migrate_telegram_chat(&self, from: i64, to: i64, now: i64) -> StoreResult<()>;
    /// The bot was blocked or removed: the link is `removed` with `reason`; what waits is dropped.
    async fn remove_telegram_chat(&self, link_id: &str, reason: &str, now: i64) -> StoreResult<()>;
    /// Takes or keeps the update poller's lease; the next update id to ask for, or `None` while
    /// another instance holds it.
    async fn telegram_poll_lease(
        &self,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<Option<i64>>;
    /// Moves the update offset past what was handled.
    async fn telegram_poll_advance(&self, holder: &str, next_update: i64) -> StoreResult<()>;
}
