//! The Telegram outbox's side of the store: which chats are due and whose, what waits in them,
//! how a send ended, groups that moved and bots that were removed, and the update poller's
//! lease and offset. The chats and link codes are in `telegram.rs`.

use super::*;

use super::telegram::{MESSAGE_COLS, message, one_chat};
use crate::store::{ChatRow, MessageRow, SendResult, StoreResult};

pub(super) async fn finish(
    pool: &Pool,
    link_id: &str,
    rows: &[String],
    result: &SendResult,
    now: i64,
) -> StoreResult<()> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    for id in rows {
        let q = match result {
            SendResult::Sent(message_id) => sqlx::query(
                "update telegram_message set status = 'sent', message_id = $2, sent_at = $3, attempts = attempts + 1, updated_at = $3 \
                 where message_row_id = $1 and status = 'pending'",
            )
            .bind(id)
            .bind(*message_id),
            SendResult::Retry { error, maybe_sent } => sqlx::query(
                "update telegram_message set attempts = attempts + 1, last_error = $2, \
                 maybe_sent = case when $4 then 1 else maybe_sent end, updated_at = $3 where message_row_id = $1",
            )
            .bind(id)
            .bind(error)
            .bind(now)
            .bind(*maybe_sent),
            SendResult::GiveUp { status, error } => sqlx::query(
                "update telegram_message set status = $4, attempts = attempts + 1, last_error = $2, updated_at = $3 \
                 where message_row_id = $1",
            )
            .bind(id)
            .bind(error)
            .bind(now)
            .bind(*status),
        };
        let q = if matches!(result, SendResult::Sent(_)) {
            q.bind(now)
        } else {
            q
        };
        q.execute(&mut *tx).await?;
    }
    if matches!(result, SendResult::Sent(_)) {
        sqlx::query(
            "update telegram_chat set last_delivered_at = $2, updated_at = $2 where link_id = $1",
        )
        .bind(link_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn drop_waiting(
    conn: &mut Conn,
    link_id: &str,
    reason: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "update telegram_message set status = 'dropped', last_error = $2, updated_at = $3 where link_id = $1 and status = 'pending'",
    )
    .bind(link_id)
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Tells the merchant's Telegram chats that ask for it that an endpoint was turned off.
pub(super) async fn tell_chats_off(
    conn: &mut Conn,
    endpoint_id: &str,
    reason: &str,
    now: i64,
) -> StoreResult<()> {
    let links: Vec<(String, String)> = sqlx::query_as(
        "select c.link_id, c.merchant_id from telegram_chat c join webhook_endpoint e on e.merchant_id = c.merchant_id \
         where e.endpoint_id = $1 and c.status = 'active' and c.deleted_at is null \
           and c.store_id is null and c.terminal_id is null \
           and (c.events = '[]' or c.events like '%\"webhook_off\"%')",
    )
    .bind(endpoint_id)
    .fetch_all(&mut *conn)
    .await?;
    let body = serde_json::json!({"endpoint_id": endpoint_id, "reason": reason}).to_string();
    for (link_id, merchant_id) in links {
        sqlx::query(
            "insert into telegram_message (message_row_id, link_id, merchant_id, kind, body, created_at, updated_at) \
             values ($1, $2, $3, 'webhook_off', $4, $5, $5)",
        )
        .bind(format!("tgm_{}", uuid::Uuid::new_v4().simple()))
        .bind(link_id)
        .bind(merchant_id)
        .bind(&body)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub(super) async fn claim_telegram_chats(
    store: &Backend,
    now: i64,
    lease_until: i64,
    limit: u32,
) -> StoreResult<Vec<ChatRow>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "update telegram_chat set leased_until = $2 where link_id in ( \
           select c.link_id from telegram_chat c where c.status = 'active' and c.deleted_at is null \
             and (c.leased_until is null or c.leased_until <= $1) and (c.paused_until is null or c.paused_until <= $1) \
             and exists (select 1 from telegram_message m where m.link_id = c.link_id and m.status = 'pending') \
           order by c.link_id limit $3) \
         and (leased_until is null or leased_until <= $1) returning link_id",
    )
    .bind(now)
    .bind(lease_until)
    .bind(i64::from(limit))
    .fetch_all(&store.writer)
    .await?;
    let mut conn = store.reader.acquire().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(one_chat(&mut conn, &id).await?);
    }
    Ok(out)
}

pub(super) async fn telegram_waiting(
    store: &Backend,
    link_id: &str,
    limit: u32,
) -> StoreResult<Vec<MessageRow>> {
    sqlx::query(&format!(
        "select {MESSAGE_COLS} from telegram_message where link_id = $1 and status = 'pending' \
         order by created_at, coalesce(seq, 0), message_row_id limit $2"
    ))
    .bind(link_id)
    .bind(i64::from(limit))
    .fetch_all(&store.writer)
    .await?
    .iter()
    .map(message)
    .collect()
}

pub(super) async fn release_telegram_chat(
    store: &Backend,
    link_id: &str,
    paused_until: Option<i64>,
    failures: u32,
) -> StoreResult<()> {
    sqlx::query("update telegram_chat set leased_until = null, paused_until = $2, failures = $3 where link_id = $1")
        .bind(link_id)
        .bind(paused_until)
        .bind(i64::from(failures))
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub(super) async fn migrate_telegram_chat(
    store: &Backend,
    from: i64,
    to: i64,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("update telegram_chat set chat_id = $2, updated_at = $3 where chat_id = $1")
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(&store.writer)
        .await?;
    Ok(())
}

pub(super) async fn remove_telegram_chat(
    store: &Backend,
    link_id: &str,
    reason: &str,
    now: i64,
) -> StoreResult<()> {
    let mut tx = store.writer.begin_with(dialect::BEGIN).await?;
    sqlx::query(
        "update telegram_chat set status = 'removed', removed_reason = $2, leased_until = null, updated_at = $3 where link_id = $1",
    )
    .bind(link_id)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    drop_waiting(&mut tx, link_id, reason, now).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn telegram_poll_lease(
    store: &Backend,
    holder: &str,
    now: i64,
    until: i64,
) -> StoreResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "update telegram_bot set holder = $1, until = $3 where id = 1 and (holder is null or holder = $1 or until <= $2) \
         returning next_update",
    )
    .bind(holder)
    .bind(now)
    .bind(until)
    .fetch_optional(&store.writer)
    .await?)
}

pub(super) async fn telegram_poll_advance(
    store: &Backend,
    holder: &str,
    next_update: i64,
) -> StoreResult<()> {
    sqlx::query("update telegram_bot set next_update = $2 where id = 1 and holder = $1 and next_update < $2")
        .bind(holder)
        .bind(next_update)
        .execute(&store.writer)
        .await?;
    Ok(())
}
