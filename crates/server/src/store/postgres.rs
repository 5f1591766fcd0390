//! The PostgreSQL store, for many instances behind a load balancer: the aggregates' SQL is
//! shared with SQLite (`sql/`); what differs is in `dialect` here. Each merchant's event sequence
//! is taken from its `event_head` row inside the event's transaction (writers of one merchant
//! queue on that row, so the sequence is gap-free and commits in order), and the same statement
//! raises `NOTIFY tonle_events, 'merchant:seq'`, delivered on commit to every instance
//! (`listen.rs`). Commits are synchronous (the server's default): durable before any 2xx.

use std::str::FromStr;

use anyhow::Context;
use async_trait::async_trait;
use khqr::{Currency, MinorUnits, Money};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Row};

use crate::bus::EventBus;

use super::errors::other;
use super::*;

type Db = sqlx::Postgres;
type Backend = PgStore;
type Pool = sqlx::PgPool;
type DbRow = sqlx::postgres::PgRow;
type Conn = sqlx::PgConnection;

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
mod listen;
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
mod writer;

use base::*;

/// This binary's schema.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
use rows::*;

/// The channel every instance listens on for events; a payload is `merchant_id:seq`.
const CHANNEL: &str = "tonle_events";
/// The channel for revocations; a payload is a device's or an API key's id.
const REVOKED_CHANNEL: &str = "tonle_revoked";

/// What PostgreSQL says differently.
mod dialect {
    /// Whether the writer and reader pools are one pool.
    pub(super) const ONE_POOL: bool = true;
    /// Read committed: a read that decides a write locks its rows (`LOCK`).
    pub(super) const BEGIN: &str = "begin";
    /// Locks the rows read until the transaction ends.
    pub(super) const LOCK: &str = " for update";
    /// Tells every instance a device or API key was revoked. Binds: its id.
    pub(super) const REVOKED: Option<&str> = Some("select pg_notify('tonle_revoked', $1)");
    /// Locks the rows read, passing over those another instance holds.
    pub(super) const LOCK_SKIP: &str = " for update skip locked";
    /// The rows of a JSON array of text bound as one parameter (2), as column `value`.
    pub(super) const JSON_TEXT_LIST: &str = "json_array_elements_text($2::json)";
    /// The merchant's next sequence number from its head row (created on the first event), the
    /// event, and the notification every instance hears at commit, in one round trip.
    /// Binds: merchant, kind, JSON data, time.
    pub(super) const APPEND_EVENT: &str = "with head as ( \
           insert into event_head (merchant_id, seq) values ($1, 1) \
           on conflict (merchant_id) do update set seq = event_head.seq + 1 \
           returning seq) \
         insert into event (merchant_id, seq, kind, data, created_at, updated_at) \
         select $1, head.seq, $2, $3, $4, $4 from head, \
           lateral (select pg_notify('tonle_events', $1 || ':' || head.seq)) told \
         returning seq";
    /// Puts an event in the outbox of every enabled endpoint of its merchant that asks for its
    /// type. Binds: merchant, seq, type, body, now.
    pub(super) const ENQUEUE: &str = "insert into webhook_delivery (delivery_id, endpoint_id, merchant_id, seq, event_type, body, next_attempt_at, created_at, updated_at) \
         select 'msg_' || replace(gen_random_uuid()::text, '-', ''), endpoint_id, merchant_id, $2, $3, $4, $5, $5, $5 \
         from webhook_endpoint where merchant_id = $1 and enabled = 1 and deleted_at is null \
         and (events = '[]' or strpos(events, '\"' || $3 || '\"') > 0)";
    /// Puts an event in the outbox of every active Telegram chat of its merchant that asks for
    /// its kind and whose scope (a store, a counter) takes in the counter it happened at.
    /// Binds: merchant, seq, kind, body, now, counter.
    pub(super) const TG_ENQUEUE: &str = "insert into telegram_message (message_row_id, link_id, merchant_id, seq, kind, body, created_at, updated_at) \
         select 'tgm_' || replace(gen_random_uuid()::text, '-', ''), link_id, merchant_id, $2, $3, $4, $5, $5 \
         from telegram_chat where merchant_id = $1 and status = 'active' and deleted_at is null \
         and (events = '[]' or events like '%\"' || $3 || '\"%') \
         and (terminal_id is null or terminal_id = $6) \
         and (store_id is null or store_id = (select t.store_id from terminal t where t.terminal_id = $6))";
}

/// PostgreSQL-backed [`Store`].
pub struct PgStore {
    writer: Pool,
    reader: Pool,
    payments: tokio::sync::mpsc::Sender<writer::PaymentJob>,
    bus: EventBus,
}

impl PgStore {
    /// Connects (creating the schema first named in `search_path` when it is missing), runs
    /// migrations, and starts hearing other instances' events; committed events go to `bus`.
    pub async fn open(url: &str, max_connections: u32, bus: EventBus) -> anyhow::Result<Self> {
        let opts = PgConnectOptions::from_str(url).context("reading the database URL")?;
        create_schema(&opts).await?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .connect_with(opts)
            .await
            .context("connecting to PostgreSQL")?;
        MIGRATOR.run(&pool).await.context("running migrations")?;
        listen::spawn(pool.clone(), bus.clone()).await?;
        Ok(Self {
            payments: writer::spawn(pool.clone(), bus.clone()),
            writer: pool.clone(),
            reader: pool,
            bus,
        })
    }
}

/// A `search_path` naming a schema that is not there yet (a fresh deployment, a test's own
/// schema) gets it, so migrations land where the URL says.
async fn create_schema(opts: &PgConnectOptions) -> anyhow::Result<()> {
    let mut conn = sqlx::PgConnection::connect_with(opts)
        .await
        .context("connecting to PostgreSQL")?;
    let current: Option<String> = sqlx::query_scalar("select current_schema()")
        .fetch_one(&mut conn)
        .await?;
    if current.is_none() {
        let path: String = sqlx::query_scalar("select current_setting('search_path')")
            .fetch_one(&mut conn)
            .await?;
        let first = path.split(',').next().unwrap_or_default().trim();
        let name = first.trim_matches('"').replace('"', "\"\"");
        if !name.is_empty() && name != "$user" {
            sqlx::query(&format!("create schema if not exists \"{name}\""))
                .execute(&mut conn)
                .await
                .with_context(|| format!("creating schema {first}"))?;
        }
    }
    conn.close().await?;
    Ok(())
}

impl PgStore {
    /// Hands a notification to the payment writers and waits for its committed outcome.
    async fn record(&self, new: NewPayment) -> StoreResult<PaymentOutcome> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.payments
            .send(writer::PaymentJob { new, reply })
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writers stopped")))?;
        answer
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writers dropped a job")))?
    }
}
