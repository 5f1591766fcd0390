//! The embedded SQLite store: WAL, `synchronous=FULL` (durable before any 2xx), one writer
//! connection so write transactions never fight for the lock, and a pool of readers.

use std::path::Path;
use std::str::FromStr;
use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use khqr::{Currency, MinorUnits, Money};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::bus::EventBus;

use super::*;

mod accounts;
mod api_keys;
mod bakong;
mod charges;
mod claims;
mod counters;
mod devices;
mod events;
mod ingest;
mod payments;
mod rows;
mod webhooks;

use rows::*;

/// SQLite-backed [`Store`].
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    payments: mpsc::Sender<ingest::PaymentJob>,
    bus: EventBus,
}

/// A write transaction that appends events: committing it is the one place committed events
/// reach the bus (never before the commit: a screen must not show what a rollback undoes).
pub(crate) struct EventTx {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    bus: EventBus,
    appended: Vec<(String, api::Event)>,
}

impl std::ops::Deref for EventTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for EventTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.tx
    }
}

impl EventTx {
    /// Commits, then publishes what was appended, in order.
    pub(crate) async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        for (merchant_id, event) in self.appended {
            self.bus.publish(&merchant_id, event);
        }
        Ok(())
    }
}

pub(crate) fn other(e: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Other(e.into())
}

/// The field a unique constraint guards, by the constraint: SQLite names an inline or table
/// `unique` by its columns (`table.column, …`), exactly. A constraint not listed here is not
/// a conflict a caller can fix by changing a field: it stays an error.
fn conflict_field(constraint: &str) -> Option<&'static str> {
    Some(match constraint {
        "app_user.email" => "email",
        "charge.merchant_id, charge.idempotency_key" => "idempotency_key",
        "merchant.bill_prefix" => "bill_prefix",
        "store.merchant_id, store.name" => "name",
        "terminal.merchant_id, terminal.label" => "label",
        _ => return None,
    })
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // "UNIQUE constraint failed: <columns>"
                let columns = db.message().rsplit(": ").next().unwrap_or_default();
                match conflict_field(columns) {
                    Some(field) => StoreError::Conflict(field),
                    None => StoreError::Other(e.into()),
                }
            }
            _ => StoreError::Other(e.into()),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and runs migrations; committed events go
    /// to `bus`.
    pub async fn open(path: &Path, bus: EventBus) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let opts = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&writer)
            .await
            .context("running migrations")?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(opts.read_only(true))
            .await?;
        let payments = ingest::spawn(path, bus.clone()).context("starting the payment writer")?;
        Ok(Self {
            writer,
            reader,
            payments,
            bus,
        })
    }
}

impl SqliteStore {
    /// A write transaction (taking the write lock at once) whose events are published on commit.
    pub(crate) async fn begin(&self) -> StoreResult<EventTx> {
        Ok(EventTx {
            tx: self.writer.begin_with("begin immediate").await?,
            bus: self.bus.clone(),
            appended: Vec::new(),
        })
    }
}

pub(crate) fn kind(data: &api::EventData) -> &'static str {
    match data {
        api::EventData::ChargeCreated { .. } => "charge_created",
        api::EventData::ChargePaid { .. } => "charge_paid",
        api::EventData::ChargeCancelled { .. } => "charge_cancelled",
        api::EventData::ChargeExpired { .. } => "charge_expired",
        api::EventData::PaymentReceived { .. } => "payment_received",
        api::EventData::PaymentUnmatched { .. } => "payment_unmatched",
        api::EventData::ChargeResolved { .. } => "charge_resolved",
        api::EventData::PaymentResolved { .. } => "payment_resolved",
        api::EventData::BakongStatus { .. } => "bakong_status",
        api::EventData::Unknown => "unknown",
    }
}

/// Appends an event with the merchant's next sequence number: one statement, so the sequence is
/// gap-free under the write lock. Binds: merchant, kind, JSON data, time.
pub(crate) const APPEND_EVENT: &str = "insert into event (merchant_id, seq, kind, data, created_at, updated_at) \
     select ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?4 from event where merchant_id = ?1 \
     returning seq";

/// Appends an event inside the caller's transaction, with the merchant's next sequence number.
async fn append_event(
    tx: &mut EventTx,
    merchant_id: &str,
    data: api::EventData,
    now: i64,
) -> StoreResult<api::Event> {
    let json = serde_json::to_string(&data).map_err(other)?;
    let seq: i64 = sqlx::query_scalar(APPEND_EVENT)
        .bind(merchant_id)
        .bind(kind(&data))
        .bind(json)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    let event = api::Event {
        seq: seq as u64,
        at_ms: now,
        data,
    };
    if let Some((kind, body)) = crate::domain::webhook::body(&event).map_err(other)? {
        sqlx::query(webhooks::ENQUEUE)
            .bind(merchant_id)
            .bind(seq)
            .bind(kind.as_str())
            .bind(body)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    tx.appended.push((merchant_id.to_owned(), event.clone()));
    Ok(event)
}

/// Binds: status, paid_at, now, charge id, settling payment id.
pub(crate) const SET_CHARGE_STATUS: &str = "update charge set status = ?1, paid_at = coalesce(?2, paid_at), \
     payment_id = coalesce(?5, payment_id), updated_at = ?3 where charge_id = ?4";

pub(crate) const CHARGE_COLS: &str = "charge_id, merchant_id, bill_number, amount_minor, currency, status, payload, md5, merchant_name, note, request_hash, terminal_id, resolution, expires_at, created_at";
pub(crate) const PAYMENT_COLS: &str = "p.payment_id, p.merchant_id, p.network, p.transaction_id, p.charge_id, c.bill_number, p.amount_minor, p.currency, p.payer, p.paid_at, p.created_at, \
     coalesce(p.resolution, case when c.payment_id = p.payment_id then c.resolution end) as resolution, p.review_reason, \
     coalesce(p.terminal_id, c.terminal_id) as terminal_id";

/// One charge of a merchant, from the pool or inside a transaction.
async fn charge_by_id(
    conn: &mut SqliteConnection,
    merchant_id: &str,
    charge_id: &str,
) -> StoreResult<ChargeRow> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!("select {CHARGE_COLS} from charge where merchant_id = $1 and charge_id = $2")
    });
    let row = sqlx::query(SQL.as_str())
        .bind(merchant_id)
        .bind(charge_id)
        .fetch_one(conn)
        .await?;
    charge_row(&row)
}

/// One payment of a merchant, with the counter of the charge it names, if any.
async fn payment_by_id(
    conn: &mut SqliteConnection,
    merchant_id: &str,
    payment_id: &str,
) -> StoreResult<(PaymentRow, Option<String>)> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {PAYMENT_COLS} from payment p \
             left join charge c on c.charge_id = p.charge_id \
             where p.merchant_id = $1 and p.payment_id = $2"
        )
    });
    let row = sqlx::query(SQL.as_str())
        .bind(merchant_id)
        .bind(payment_id)
        .fetch_one(conn)
        .await?;
    Ok((payment_row(&row)?, row.try_get("terminal_id")?))
}

/// Sets the password of the account with `email` and signs it out everywhere (`NotFound` when
/// no account has it). The admin reset and the emailed link both end here.
async fn set_password(
    conn: &mut SqliteConnection,
    email: &str,
    password_hash: &str,
    now: i64,
) -> StoreResult<()> {
    let user: Option<String> = sqlx::query_scalar(
        "update app_user set password_hash = $2, updated_at = $3 where email = $1 returning user_id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let user = user.ok_or(StoreError::NotFound)?;
    sqlx::query("delete from session where user_id = $1")
        .bind(&user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn set_charge_status(
    tx: &mut SqliteConnection,
    charge_id: &str,
    status: api::ChargeStatus,
    settled_by: Option<(&str, i64)>,
    now: i64,
) -> StoreResult<ChargeRow> {
    let sql = format!("{SET_CHARGE_STATUS} returning {CHARGE_COLS}");
    let (payment_id, paid_at) = settled_by.unzip();
    let row = sqlx::query(&sql)
        .bind(status.as_str())
        .bind(paid_at)
        .bind(now)
        .bind(charge_id)
        .bind(payment_id)
        .fetch_one(&mut *tx)
        .await?;
    charge_row(&row)
}
