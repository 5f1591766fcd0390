//! Telegram chats, link codes and the outbox. Rows for events are put in the outbox by
//! `dialect::TG_ENQUEUE` inside the transaction that appends the event (see `append_event`).

use super::*;

use sqlx::Row;

use super::other;
use crate::store::{
    ChatRow, LinkCodeRow, MessageRow, SendResult, Starting, StoreError, StoreResult,
};

const CHAT_COLS: &str = "c.link_id, c.merchant_id, c.chat_id, c.thread_id, c.title, c.language, c.store_id, c.terminal_id, c.events, \
     c.quiet_from, c.quiet_to, c.summary_hour, c.status, c.removed_reason, c.last_delivered_at, c.summary_day, c.failures, \
     (select count(*) from telegram_message m where m.link_id = c.link_id and m.status = 'pending') as waiting";
pub(super) const MESSAGE_COLS: &str =
    "message_row_id, link_id, kind, body, maybe_sent, attempts, created_at";

pub(super) fn chat(r: &DbRow) -> StoreResult<ChatRow> {
    let events: String = r.try_get("events")?;
    let hour = |n: Option<i64>| n.and_then(|h| u8::try_from(h).ok());
    let quiet = match (hour(r.try_get("quiet_from")?), hour(r.try_get("quiet_to")?)) {
        (Some(from), Some(to)) => Some(api::QuietHours { from, to }),
        _ => None,
    };
    let language: String = r.try_get("language")?;
    Ok(ChatRow {
        link_id: r.try_get("link_id")?,
        merchant_id: r.try_get("merchant_id")?,
        chat_id: r.try_get("chat_id")?,
        thread_id: r.try_get("thread_id")?,
        title: r.try_get("title")?,
        language: api::ChatLanguage::parse(&language).unwrap_or_default(),
        store_id: r.try_get("store_id")?,
        terminal_id: r.try_get("terminal_id")?,
        events: serde_json::from_str(&events).map_err(other)?,
        quiet_hours: quiet,
        summary_hour: hour(r.try_get("summary_hour")?).unwrap_or(22),
        status: if r.try_get::<String, _>("status")? == "active" {
            api::ChatStatus::Active
        } else {
            api::ChatStatus::Removed
        },
        removed_reason: r.try_get("removed_reason")?,
        last_delivered_at: r.try_get("last_delivered_at")?,
        summary_day: r.try_get("summary_day")?,
        failures: u32::try_from(r.try_get::<i64, _>("failures")?).unwrap_or(u32::MAX),
        waiting: r.try_get::<i64, _>("waiting")?.max(0) as u64,
    })
}

pub(super) fn message(r: &DbRow) -> StoreResult<MessageRow> {
    Ok(MessageRow {
        message_row_id: r.try_get("message_row_id")?,
        link_id: r.try_get("link_id")?,
        kind: r.try_get("kind")?,
        body: r.try_get("body")?,
        maybe_sent: r.try_get::<i64, _>("maybe_sent")? != 0,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        created_at: r.try_get("created_at")?,
    })
}

fn json(events: &[api::ChatEvent]) -> StoreResult<String> {
    serde_json::to_string(events).map_err(other)
}

fn new_id() -> String {
    format!("tgm_{}", uuid::Uuid::new_v4().simple())
}

async fn queue(
    conn: &mut Conn,
    link_id: &str,
    kind: &str,
    body: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "insert into telegram_message (message_row_id, link_id, merchant_id, kind, body, created_at, updated_at) \
         select $1, link_id, merchant_id, $3, $4, $5, $5 from telegram_chat \
         where link_id = $2 and status = 'active' and deleted_at is null",
    )
    .bind(new_id())
    .bind(link_id)
    .bind(kind)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub(super) async fn one_chat(conn: &mut Conn, link_id: &str) -> StoreResult<ChatRow> {
    let r = sqlx::query(&format!(
        "select {CHAT_COLS} from telegram_chat c where c.link_id = $1"
    ))
    .bind(link_id)
    .fetch_one(conn)
    .await?;
    chat(&r)
}

async fn use_code(
    store: &Backend,
    code_hash: &str,
    s: &Starting,
    now: i64,
) -> StoreResult<Option<ChatRow>> {
    let mut tx = store.writer.begin_with(dialect::BEGIN).await?;
    let code = sqlx::query(
        "update telegram_link_code set used_at = $2 where code_hash = $1 and used_at is null and expires_at > $2 \
         returning merchant_id, language, store_id, terminal_id, events",
    )
    .bind(code_hash)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(code) = code else {
        return Ok(None);
    };
    let merchant_id: String = code.try_get("merchant_id")?;
    // A chat linked again takes the new code's scope and language, and is active again.
    let existing: Option<String> = sqlx::query_scalar(
        "select link_id from telegram_chat where merchant_id = $1 and chat_id = $2 \
         and coalesce(thread_id, 0) = coalesce($3, 0) and deleted_at is null",
    )
    .bind(&merchant_id)
    .bind(s.chat_id)
    .bind(s.thread_id)
    .fetch_optional(&mut *tx)
    .await?;
    let link_id = existing.unwrap_or_else(|| s.link_id.clone());
    sqlx::query(
        "insert into telegram_chat (link_id, merchant_id, chat_id, thread_id, title, language, store_id, terminal_id, events, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
         on conflict (link_id) do update set title = $5, language = $6, store_id = $7, terminal_id = $8, events = $9, \
           status = 'active', removed_reason = null, paused_until = null, failures = 0, updated_at = $10",
    )
    .bind(&link_id)
    .bind(&merchant_id)
    .bind(s.chat_id)
    .bind(s.thread_id)
    .bind(&s.title)
    .bind(code.try_get::<String, _>("language")?)
    .bind(code.try_get::<Option<String>, _>("store_id")?)
    .bind(code.try_get::<Option<String>, _>("terminal_id")?)
    .bind(code.try_get::<String, _>("events")?)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    queue(&mut tx, &link_id, "linked", "", now).await?;
    let row = one_chat(&mut tx, &link_id).await?;
    tx.commit().await?;
    Ok(Some(row))
}

#[async_trait]
impl TelegramStore for Backend {
    async fn create_link_code(&self, c: &LinkCodeRow, max: usize, now: i64) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        let live = format!("used_at is null and expires_at > {now}");
        if locked_count(&mut tx, &c.merchant_id, "telegram_link_code", &live).await? >= max {
            return Ok(false);
        }
        sqlx::query(
            "insert into telegram_link_code (code_hash, merchant_id, language, store_id, terminal_id, events, expires_at, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&c.code_hash)
        .bind(&c.merchant_id)
        .bind(c.language.as_str())
        .bind(&c.store_id)
        .bind(&c.terminal_id)
        .bind(json(&c.events)?)
        .bind(c.expires_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Spent codes are kept a day, for nothing but this count's index.
        sqlx::query("delete from telegram_link_code where merchant_id = $1 and expires_at < $2")
            .bind(&c.merchant_id)
            .bind(now - 86_400_000)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn use_link_code(
        &self,
        code_hash: &str,
        chat: &Starting,
        now: i64,
    ) -> StoreResult<Option<ChatRow>> {
        use_code(self, code_hash, chat, now).await
    }

    async fn telegram_chats(&self, merchant_id: &str) -> StoreResult<Vec<ChatRow>> {
        sqlx::query(&format!(
            "select {CHAT_COLS} from telegram_chat c where c.merchant_id = $1 and c.deleted_at is null \
             order by c.created_at, c.link_id"
        ))
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(chat)
        .collect()
    }

    async fn telegram_chat(&self, merchant_id: &str, link_id: &str) -> StoreResult<ChatRow> {
        let mut conn = self.reader.acquire().await?;
        let c = one_chat(&mut conn, link_id).await?;
        if c.merchant_id != merchant_id {
            return Err(StoreError::NotFound);
        }
        Ok(c)
    }

    async fn update_telegram_chat(&self, c: &ChatRow, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update telegram_chat set language = $3, events = $4, quiet_from = $5, quiet_to = $6, \
               summary_day = case when summary_hour = $7 then summary_day end, summary_hour = $7, updated_at = $8 \
             where merchant_id = $1 and link_id = $2 and deleted_at is null",
        )
        .bind(&c.merchant_id)
        .bind(&c.link_id)
        .bind(c.language.as_str())
        .bind(json(&c.events)?)
        .bind(c.quiet_hours.map(|q| i64::from(q.from)))
        .bind(c.quiet_hours.map(|q| i64::from(q.to)))
        .bind(i64::from(c.summary_hour))
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn delete_telegram_chat(
        &self,
        merchant_id: &str,
        link_id: &str,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        let done = sqlx::query(
            "update telegram_chat set deleted_at = $3, updated_at = $3 where merchant_id = $1 and link_id = $2 and deleted_at is null",
        )
        .bind(merchant_id)
        .bind(link_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        super::telegram_outbox::drop_waiting(&mut tx, link_id, "chat unlinked", now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn queue_telegram(
        &self,
        link_id: &str,
        kind: &str,
        body: &str,
        now: i64,
    ) -> StoreResult<()> {
        let mut conn = self.writer.acquire().await?;
        queue(&mut conn, link_id, kind, body, now).await
    }

    async fn queue_telegram_summary(
        &self,
        link_id: &str,
        day: i64,
        messages: &[(&str, String)],
        now: i64,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin_with(dialect::BEGIN).await?;
        let done = sqlx::query(
            "update telegram_chat set summary_day = $2 where link_id = $1 and (summary_day is null or summary_day < $2)",
        )
        .bind(link_id)
        .bind(day)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        for (kind, body) in messages {
            queue(&mut tx, link_id, kind, body, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn telegram_summary_chats(&self) -> StoreResult<Vec<(ChatRow, api::Country)>> {
        let rows = sqlx::query(&format!(
            "select {CHAT_COLS}, m.country from telegram_chat c join merchant m on m.merchant_id = c.merchant_id \
             where c.status = 'active' and c.deleted_at is null"
        ))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                let country = if r.try_get::<String, _>("country")? == "CN" {
                    api::Country::CN
                } else {
                    api::Country::KH
                };
                Ok((chat(r)?, country))
            })
            .collect()
    }

    async fn finish_telegram_send(
        &self,
        link_id: &str,
        rows: &[String],
        result: &SendResult,
        now: i64,
    ) -> StoreResult<()> {
        super::telegram_outbox::finish(&self.writer, link_id, rows, result, now).await
    }

    async fn claim_telegram_chats(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
    ) -> StoreResult<Vec<ChatRow>> {
        super::telegram_outbox::claim_telegram_chats(self, now, lease_until, limit).await
    }

    async fn telegram_waiting(&self, link_id: &str, limit: u32) -> StoreResult<Vec<MessageRow>> {
        super::telegram_outbox::telegram_waiting(self, link_id, limit).await
    }

    async fn release_telegram_chat(
        &self,
        link_id: &str,
        paused_until: Option<i64>,
        failures: u32,
    ) -> StoreResult<()> {
        super::telegram_outbox::release_telegram_chat(self, link_id, paused_until, failures).await
    }

    async fn migrate_telegram_chat(&self, from: i64, to: i64, now: i64) -> StoreResult<()> {
        super::telegram_outbox::migrate_telegram_chat(self, from, to, now).await
    }

    async fn remove_telegram_chat(&self, link_id: &str, reason: &str, now: i64) -> StoreResult<()> {
        super::telegram_outbox::remove_telegram_chat(self, link_id, reason, now).await
    }

    async fn telegram_poll_lease(
        &self,
        holder: &str,
        now: i64,
        until: i64,
    ) -> StoreResult<Option<i64>> {
        super::telegram_outbox::telegram_poll_lease(self, holder, now, until).await
    }

    async fn telegram_poll_advance(&self, holder: &str, next_update: i64) -> StoreResult<()> {
        super::telegram_outbox::telegram_poll_advance(self, holder, next_update).await
    }
}
