//! The embedded SQLite store: WAL, `synchronous=FULL` (durable before any 2xx), one writer
//! connection so write transactions never fight for the lock, and a pool of readers. The
//! aggregates' SQL is shared with PostgreSQL (`sql/`); what differs is in `dialect` here, and
//! payments are written by their own thread (`sqlite/ingest.rs`).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use khqr::{Currency, MinorUnits, Money};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{mpsc, oneshot};

use crate::bus::EventBus;

use super::errors::other;
use super::*;

type Db = sqlx::Sqlite;
type Backend = SqliteStore;
type Pool = sqlx::SqlitePool;
type DbRow = sqlx::sqlite::SqliteRow;
type Conn = sqlx::SqliteConnection;

#[path = "sql/accounts.rs"]
mod accounts;
#[path = "sql/api_keys.rs"]
mod api_keys;
#[path = "sql/bakong.rs"]
mod bakong;
#[path = "sql/base.rs"]
mod base;
#[path = "sql/charges.rs"]
mod charges;
#[path = "sql/claims.rs"]
mod claims;
#[path = "sql/counters.rs"]
mod counters;
#[path = "sql/devices.rs"]
mod devices;
#[path = "sql/events.rs"]
mod events;
#[path = "sql/health.rs"]
mod health;
mod ingest;
#[path = "sql/items.rs"]
mod items;
#[path = "sql/payments.rs"]
mod payments;
#[path = "sql/people.rs"]
mod people;
#[path = "sql/rows.rs"]
mod rows;
#[path = "sql/telegram.rs"]
mod telegram;
#[path = "sql/telegram_outbox.rs"]
mod telegram_outbox;
#[path = "sql/throttles.rs"]
mod throttles;
#[path = "sql/webhooks.rs"]
mod webhooks;

use base::*;

/// This binary's schema.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
use rows::*;

/// What SQLite says differently.
mod dialect {
    /// Whether the writer and reader pools are one pool.
    pub(super) const ONE_POOL: bool = false;

    /// Takes the write lock at once: the one writer decides every read-then-write alone.
    pub(super) const BEGIN: &str = "begin immediate";
    /// Nothing to lock row by row under the write lock.
    pub(super) const LOCK: &str = "";
    /// Nor rows to skip because another writer holds them.
    pub(super) const LOCK_SKIP: &str = "";
    /// The rows of a JSON array of text bound as one parameter (2), as column `value`.
    pub(super) const JSON_TEXT_LIST: &str = "json_each($2)";
    /// One process serves the file: nobody else to tell of a revocation.
    pub(super) const REVOKED: Option<&str> = None;
    /// The merchant's next sequence number in one statement, gap-free under the write lock.
    /// Binds: merchant, kind, JSON data, time.
    pub(super) const APPEND_EVENT: &str = "insert into event (merchant_id, seq, kind, data, created_at, updated_at) \
         select ?1, coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?4 from event where merchant_id = ?1 \
         returning seq";
    /// Puts an event in the outbox of every enabled endpoint of its merchant that asks for its
    /// type. Binds: merchant, seq, type, body, now.
    pub(super) const ENQUEUE: &str = "insert into webhook_delivery (delivery_id, endpoint_id, merchant_id, seq, event_type, body, next_attempt_at, created_at, updated_at) \
         select 'msg_' || lower(hex(randomblob(16))), endpoint_id, merchant_id, ?2, ?3, ?4, ?5, ?5, ?5 \
         from webhook_endpoint where merchant_id = ?1 and enabled = 1 and deleted_at is null \
         and (events = '[]' or instr(events, '\"' || ?3 || '\"') > 0)";
    /// Puts an event in the outbox of every active Telegram chat of its merchant that asks for
    /// its kind and whose scope (a store, a counter) takes in the counter it happened at.
    /// Binds: merchant, seq, kind, body, now, counter.
    pub(super) const TG_ENQUEUE: &str = "insert into telegram_message (message_row_id, link_id, merchant_id, seq, kind, body, created_at, updated_at) \
         select 'tgm_' || lower(hex(randomblob(16))), link_id, merchant_id, ?2, ?3, ?4, ?5, ?5 \
         from telegram_chat where merchant_id = ?1 and status = 'active' and deleted_at is null \
         and (events = '[]' or events like '%\"' || ?3 || '\"%') \
         and (terminal_id is null or terminal_id = ?6) \
         and (store_id is null or store_id = (select t.store_id from terminal t where t.terminal_id = ?6))";
}

/// SQLite-backed [`Store`].
pub struct SqliteStore {
    writer: Pool,
    reader: Pool,
    payments: mpsc::Sender<ingest::PaymentJob>,
    bus: EventBus,
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
        MIGRATOR.run(&writer).await.context("running migrations")?;
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
    /// Hands a notification to the payment writer and waits for its committed outcome.
    async fn record(&self, new: NewPayment) -> StoreResult<PaymentOutcome> {
        let (reply, answer) = oneshot::channel();
        self.payments
            .send(ingest::PaymentJob { new, reply })
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writer stopped")))?;
        answer
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writer dropped a job")))?
    }
}
