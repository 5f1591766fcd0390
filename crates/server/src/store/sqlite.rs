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

use super::*;

mod api_keys;
mod claims;
mod ingest;
mod integrations;
mod webhooks;

/// SQLite-backed [`Store`].
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    payments: mpsc::Sender<ingest::PaymentJob>,
}

pub(crate) fn other(e: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Other(e.into())
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let msg = db.message();
                if msg.contains("email") {
                    StoreError::Conflict("email")
                } else if msg.contains("idempotency_key") {
                    StoreError::Conflict("idempotency_key")
                } else if msg.contains("bill_prefix") {
                    StoreError::Conflict("bill_prefix")
                } else if msg.contains("store.") {
                    StoreError::Conflict("name")
                } else if msg.contains("terminal.") {
                    StoreError::Conflict("label")
                } else {
                    StoreError::Other(e.into())
                }
            }
            _ => StoreError::Other(e.into()),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and runs migrations.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
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
        let payments = ingest::spawn(path).context("starting the payment writer")?;
        Ok(Self {
            writer,
            reader,
            payments,
        })
    }
}

fn role(stored: &str) -> Result<api::StaffRole, StoreError> {
    api::StaffRole::parse(stored)
        .ok_or_else(|| other(anyhow::anyhow!("unknown role {stored} in database")))
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::from_code(code)
        .ok_or_else(|| other(anyhow::anyhow!("unknown currency {code} in database")))
}

/// Reading a column by name, from sqlx's rows and from the payment writer's rusqlite rows alike,
/// so each row type is mapped once.
pub(crate) trait Cols {
    fn text(&self, col: &str) -> StoreResult<String>;
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>>;
    fn int(&self, col: &str) -> StoreResult<i64>;
}

impl Cols for SqliteRow {
    fn text(&self, col: &str) -> StoreResult<String> {
        Ok(self.try_get(col)?)
    }
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.try_get(col)?)
    }
    fn int(&self, col: &str) -> StoreResult<i64> {
        Ok(self.try_get(col)?)
    }
}

fn money(row: &impl Cols) -> Result<Money, StoreError> {
    let minor = row.int("amount_minor")?;
    Ok(Money::new(
        MinorUnits::new(minor.max(0) as u64),
        currency(&row.text("currency")?)?,
    ))
}

fn merchant_row(r: &SqliteRow) -> Result<MerchantRow, StoreError> {
    let country: String = r.try_get("country")?;
    Ok(MerchantRow {
        merchant_id: r.try_get("merchant_id")?,
        business_name: r.try_get("business_name")?,
        merchant_city: r.try_get("merchant_city")?,
        country: if country == "CN" {
            api::Country::CN
        } else {
            api::Country::KH
        },
        bakong_account_id: r.try_get("bakong_account_id")?,
        default_currency: currency(r.try_get("default_currency")?)?,
        qr_lifetime_secs: r.try_get::<i64, _>("qr_lifetime_secs")? as u32,
        bill_prefix: r.try_get("bill_prefix")?,
        merchant_category_code: r.try_get("merchant_category_code")?,
        khqr_merchant_id: r.try_get("khqr_merchant_id")?,
        acquiring_bank: r.try_get("acquiring_bank")?,
        upi_account: r.try_get("upi_account")?,
        alt_language: r.try_get("alt_language")?,
        alt_name: r.try_get("alt_name")?,
        alt_city: r.try_get("alt_city")?,
    })
}

fn country_code(c: api::Country) -> &'static str {
    match c {
        api::Country::KH => "KH",
        api::Country::CN => "CN",
    }
}

fn resolution(stored: &str) -> api::Resolution {
    match stored {
        "accepted" => api::Resolution::Accepted,
        "refund_due" => api::Resolution::RefundDue,
        _ => api::Resolution::Unknown,
    }
}

fn resolution_name(r: api::Resolution) -> StoreResult<&'static str> {
    match r {
        api::Resolution::Accepted => Ok("accepted"),
        api::Resolution::RefundDue => Ok("refund_due"),
        api::Resolution::Unknown => Err(StoreError::Conflict("resolution")),
    }
}

pub(crate) fn charge_row(r: &impl Cols) -> Result<ChargeRow, StoreError> {
    Ok(ChargeRow {
        charge_id: r.text("charge_id")?,
        merchant_id: r.text("merchant_id")?,
        bill_number: r.text("bill_number")?,
        money: money(r)?,
        status: api::ChargeStatus::parse(&r.text("status")?),
        payload: r.text("payload")?,
        md5: r.text("md5")?,
        merchant_name: r.text("merchant_name")?,
        note: r.opt_text("note")?,
        request_hash: r.opt_text("request_hash")?,
        terminal_id: r.opt_text("terminal_id")?,
        resolution: r.opt_text("resolution")?.as_deref().map(resolution),
        expires_at: r.int("expires_at")?,
        created_at: r.int("created_at")?,
    })
}

fn device_row(r: &SqliteRow) -> Result<DeviceRow, StoreError> {
    Ok(DeviceRow {
        device_id: r.try_get("device_id")?,
        merchant_id: r.try_get("merchant_id")?,
        terminal_id: r.try_get("terminal_id")?,
        name: r.try_get("name")?,
        revoked_at: r.try_get("revoked_at")?,
        created_at: r.try_get("created_at")?,
    })
}

fn terminal_row(r: &SqliteRow) -> Result<TerminalRow, StoreError> {
    Ok(TerminalRow {
        terminal_id: r.try_get("terminal_id")?,
        merchant_id: r.try_get("merchant_id")?,
        store_id: r.try_get("store_id")?,
        store_name: r.try_get("store_name")?,
        label: r.try_get("label")?,
    })
}

pub(crate) fn payment_row(r: &impl Cols) -> Result<PaymentRow, StoreError> {
    let payer = r.text("payer")?;
    Ok(PaymentRow {
        payment_id: r.text("payment_id")?,
        merchant_id: r.text("merchant_id")?,
        network: r.text("network")?,
        transaction_id: r.text("transaction_id")?,
        charge_id: r.opt_text("charge_id")?,
        bill_number: r.opt_text("bill_number")?,
        terminal_id: r.opt_text("terminal_id")?,
        money: money(r)?,
        payer: serde_json::from_str(&payer).map_err(other)?,
        paid_at: r.int("paid_at")?,
        created_at: r.int("created_at")?,
        resolution: r.opt_text("resolution")?.as_deref().map(resolution),
        review: r
            .opt_text("review_reason")?
            .as_deref()
            .map(api::ReviewReason::parse),
    })
}

fn event_row(r: &SqliteRow) -> Result<api::Event, StoreError> {
    let data: String = r.try_get("data")?;
    Ok(api::Event {
        seq: r.try_get::<i64, _>("seq")? as u64,
        at_ms: r.try_get("created_at")?,
        data: serde_json::from_str(&data).map_err(other)?,
    })
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
    tx: &mut SqliteConnection,
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
        .fetch_one(&mut *tx)
        .await?;
    let event = api::Event {
        seq: seq as u64,
        at_ms: now,
        data,
    };
    if let Some((kind, body)) = crate::webhooks::body(&event)? {
        sqlx::query(webhooks::ENQUEUE)
            .bind(merchant_id)
            .bind(seq)
            .bind(kind.as_str())
            .bind(body)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
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

#[async_trait]
impl Store for SqliteStore {
    async fn save_bakong(&self, row: &BakongRow, now: i64) -> StoreResult<api::Event> {
        integrations::save(&self.writer, row, now).await
    }

    async fn bakong(&self, merchant_id: &str) -> StoreResult<Option<BakongRow>> {
        integrations::get(&self.reader, merchant_id).await
    }

    async fn delete_bakong(&self, merchant_id: &str, now: i64) -> StoreResult<Option<api::Event>> {
        integrations::delete(&self.writer, merchant_id, now).await
    }

    async fn set_bakong_status(
        &self,
        merchant_id: &str,
        status: api::BakongStatus,
        last_error: Option<&str>,
        now: i64,
    ) -> StoreResult<Option<api::Event>> {
        integrations::set_status(&self.writer, merchant_id, status, last_error, now).await
    }

    async fn bakong_work(&self, since: i64) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>> {
        integrations::work(&self.reader, since).await
    }

    async fn finish_bakong_checks(&self, charge_ids: &[String]) -> StoreResult<()> {
        integrations::finish(&self.writer, charge_ids).await
    }

    async fn account_claims(&self) -> StoreResult<Vec<AccountClaim>> {
        claims::account_claims(&self.reader).await
    }

    async fn verify_account(
        &self,
        account: &str,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<api::Event>> {
        claims::verify_account(&self.writer, account, merchant_id, now).await
    }

    async fn unassigned_payments(&self) -> StoreResult<Vec<UnassignedPayment>> {
        claims::unassigned_payments(&self.reader).await
    }

    async fn register(&self, new: NewMerchant, now: i64) -> StoreResult<MerchantRow> {
        let m = &new.merchant;
        let mut tx = self.writer.begin_with("begin immediate").await?;
        sqlx::query(
            "insert into merchant (merchant_id, business_name, merchant_city, country, bakong_account_id, default_currency, qr_lifetime_secs, bill_prefix, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(&m.merchant_id)
        .bind(&m.business_name)
        .bind(&m.merchant_city)
        .bind(country_code(m.country))
        .bind(&m.bakong_account_id)
        .bind(m.default_currency.code())
        .bind(i64::from(m.qr_lifetime_secs))
        .bind(&m.bill_prefix)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("insert into app_user (user_id, merchant_id, email, password_hash, role, created_at, updated_at) values ($1, $2, $3, $4, 'owner', $5, $5)")
            .bind(&new.user_id)
            .bind(&m.merchant_id)
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(new.merchant)
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        let row = sqlx::query("select user_id, merchant_id, email, password_hash, role from app_user where email = $1")
            .bind(email)
            .fetch_optional(&self.reader)
            .await?;
        row.map(|r| -> StoreResult<UserRow> {
            Ok(UserRow {
                user_id: r.try_get("user_id")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                password_hash: r.try_get("password_hash")?,
                role: role(&r.try_get::<String, _>("role")?)?,
            })
        })
        .transpose()
    }

    async fn merchant(&self, merchant_id: &str) -> StoreResult<MerchantRow> {
        let r = sqlx::query("select * from merchant where merchant_id = $1")
            .bind(merchant_id)
            .fetch_one(&self.reader)
            .await?;
        merchant_row(&r)
    }

    async fn update_merchant(&self, m: &MerchantRow, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update merchant set business_name = $2, merchant_city = $3, country = $4, bakong_account_id = $5, default_currency = $6, qr_lifetime_secs = $7, merchant_category_code = $8, khqr_merchant_id = $9, acquiring_bank = $10, upi_account = $11, alt_language = $12, alt_name = $13, alt_city = $14, updated_at = $15 where merchant_id = $1",
        )
        .bind(&m.merchant_id)
        .bind(&m.business_name)
        .bind(&m.merchant_city)
        .bind(country_code(m.country))
        .bind(&m.bakong_account_id)
        .bind(m.default_currency.code())
        .bind(i64::from(m.qr_lifetime_secs))
        .bind(&m.merchant_category_code)
        .bind(&m.khqr_merchant_id)
        .bind(&m.acquiring_bank)
        .bind(&m.upi_account)
        .bind(&m.alt_language)
        .bind(&m.alt_name)
        .bind(&m.alt_city)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_invitation(&self, inv: &InvitationRow, now: i64) -> StoreResult<()> {
        sqlx::query(
            "insert into invitation (token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&inv.token_hash)
        .bind(&inv.merchant_id)
        .bind(&inv.email)
        .bind(inv.role.as_str())
        .bind(&inv.terminal_id)
        .bind(&inv.invited_by)
        .bind(inv.expires_at)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn invitation(&self, token_hash: &str, now: i64) -> StoreResult<Option<InvitationRow>> {
        let row = sqlx::query(
            "select token_hash, merchant_id, email, role, terminal_id, invited_by, expires_at from invitation \
             where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(InvitationRow {
                token_hash: r.try_get("token_hash")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                terminal_id: r.try_get("terminal_id")?,
                invited_by: r.try_get("invited_by")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<UserRow> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        // Claiming the invitation and creating the user are one step: a link works exactly once.
        let row = sqlx::query(
            "update invitation set used_at = $2, updated_at = $2 where token_hash = $1 and used_at is null and expires_at > $2 returning merchant_id, email, role, terminal_id",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user = UserRow {
            user_id: user_id.to_owned(),
            merchant_id: row.try_get("merchant_id")?,
            email: row.try_get("email")?,
            password_hash: password_hash.to_owned(),
            role: role(&row.try_get::<String, _>("role")?)?,
        };
        let terminal: Option<String> = row.try_get("terminal_id")?;
        sqlx::query(
            "insert into app_user (user_id, merchant_id, email, password_hash, role, terminal_id, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(&user.user_id)
        .bind(&user.merchant_id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(terminal)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn staff(&self, merchant_id: &str) -> StoreResult<Vec<StaffRow>> {
        let rows = sqlx::query("select user_id, email, role, terminal_id from app_user where merchant_id = $1 order by created_at")
            .bind(merchant_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StaffRow {
                    user_id: r.try_get("user_id")?,
                    email: r.try_get("email")?,
                    role: role(&r.try_get::<String, _>("role")?)?,
                    terminal_id: r.try_get("terminal_id")?,
                })
            })
            .collect()
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user: &UserRow,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("insert into session (token_hash, user_id, merchant_id, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(token_hash)
            .bind(&user.user_id)
            .bind(&user.merchant_id)
            .bind(expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
        let row = sqlx::query(
            "select s.user_id, s.merchant_id, u.email, u.role, u.terminal_id from session s join app_user u on u.user_id = s.user_id where s.token_hash = $1 and s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| -> StoreResult<SessionRow> {
            Ok(SessionRow {
                user_id: r.try_get("user_id")?,
                merchant_id: r.try_get("merchant_id")?,
                email: r.try_get("email")?,
                role: role(&r.try_get::<String, _>("role")?)?,
                terminal_id: r.try_get("terminal_id")?,
            })
        })
        .transpose()
    }

    async fn reset_password(&self, email: &str, password_hash: &str, now: i64) -> StoreResult<()> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        set_password(&mut tx, email, password_hash, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("delete from session where token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn create_pairing(
        &self,
        code_hash: &str,
        merchant_id: &str,
        terminal_id: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("insert into pairing (code_hash, merchant_id, terminal_id, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(code_hash)
            .bind(merchant_id)
            .bind(terminal_id)
            .bind(expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn pair_device(
        &self,
        code_hash: &str,
        device_id: &str,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<DeviceRow> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        let row = sqlx::query(
            "update pairing set used_at = $2, updated_at = $2 \
             where code_hash = $1 and used_at is null and expires_at > $2 \
             returning merchant_id, terminal_id",
        )
        .bind(code_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let device = DeviceRow {
            device_id: device_id.to_owned(),
            merchant_id: row.try_get("merchant_id")?,
            terminal_id: row.try_get("terminal_id")?,
            name: name.to_owned(),
            revoked_at: None,
            created_at: now,
        };
        sqlx::query("insert into device (device_id, merchant_id, terminal_id, token_hash, name, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $6)")
            .bind(&device.device_id)
            .bind(&device.merchant_id)
            .bind(&device.terminal_id)
            .bind(token_hash)
            .bind(&device.name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(device)
    }

    async fn device(&self, token_hash: &str) -> StoreResult<Option<DeviceRow>> {
        let row = sqlx::query(
            "select device_id, merchant_id, terminal_id, name, revoked_at, created_at from device \
             where token_hash = $1 and revoked_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(device_row).transpose()
    }

    async fn devices(&self, merchant_id: &str) -> StoreResult<Vec<DeviceRow>> {
        let rows = sqlx::query(
            "select device_id, merchant_id, terminal_id, name, revoked_at, created_at from device \
             where merchant_id = $1 order by created_at desc, device_id desc",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(device_row).collect()
    }

    async fn revoke_device(&self, merchant_id: &str, device_id: &str, now: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "update device set revoked_at = coalesce(revoked_at, $3), updated_at = $3 \
             where merchant_id = $1 and device_id = $2",
        )
        .bind(merchant_id)
        .bind(device_id)
        .bind(now)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn create_store(&self, st: &StoreRow, now: i64) -> StoreResult<()> {
        sqlx::query("insert into store (store_id, merchant_id, name, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(&st.store_id)
            .bind(&st.merchant_id)
            .bind(&st.name)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn stores(&self, merchant_id: &str) -> StoreResult<Vec<StoreRow>> {
        let rows = sqlx::query(
            "select store_id, merchant_id, name from store where merchant_id = $1 order by name",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoreRow {
                    store_id: r.try_get("store_id")?,
                    merchant_id: r.try_get("merchant_id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    async fn create_terminal(&self, t: &TerminalRow, now: i64) -> StoreResult<()> {
        sqlx::query("insert into terminal (terminal_id, merchant_id, store_id, label, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)")
            .bind(&t.terminal_id)
            .bind(&t.merchant_id)
            .bind(&t.store_id)
            .bind(&t.label)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn terminals(&self, merchant_id: &str) -> StoreResult<Vec<TerminalRow>> {
        let rows = sqlx::query(
            "select t.terminal_id, t.merchant_id, t.store_id, s.name as store_name, t.label from terminal t join store s on s.store_id = t.store_id where t.merchant_id = $1 order by t.label",
        )
        .bind(merchant_id)
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(terminal_row).collect()
    }

    async fn terminal(&self, merchant_id: &str, terminal_id: &str) -> StoreResult<TerminalRow> {
        let row = sqlx::query(
            "select t.terminal_id, t.merchant_id, t.store_id, s.name as store_name, t.label from terminal t join store s on s.store_id = t.store_id where t.merchant_id = $1 and t.terminal_id = $2",
        )
        .bind(merchant_id)
        .bind(terminal_id)
        .fetch_one(&self.reader)
        .await?;
        terminal_row(&row)
    }

    async fn create_password_reset(
        &self,
        token_hash: &str,
        email: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query("insert into password_reset (token_hash, email, expires_at, created_at, updated_at) values ($1, $2, $3, $4, $4)")
            .bind(token_hash)
            .bind(email)
            .bind(expires_at)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn password_reset(&self, token_hash: &str, now: i64) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "select email from password_reset where token_hash = $1 and used_at is null and expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?)
    }

    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        let email: Option<String> = sqlx::query_scalar(
            "update password_reset set used_at = $2, updated_at = $2 \
             where token_hash = $1 and used_at is null and expires_at > $2 returning email",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let email = email.ok_or(StoreError::NotFound)?;
        set_password(&mut tx, &email, password_hash, now).await?;
        // Every other link for the account is spent too.
        sqlx::query("update password_reset set used_at = $2, updated_at = $2 where email = $1 and used_at is null")
            .bind(&email)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remember_counter_code(
        &self,
        merchant_id: &str,
        terminal_id: &str,
        md5: &str,
        now: i64,
    ) -> StoreResult<()> {
        // A code already known keeps its first counter: an md5 names one payee and one label.
        sqlx::query("insert into counter_code (md5, merchant_id, terminal_id, created_at, updated_at) values ($1, $2, $3, $4, $4) on conflict (md5) do nothing")
            .bind(md5.to_ascii_lowercase())
            .bind(merchant_id)
            .bind(terminal_id)
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn next_bill_number(&self, merchant_id: &str, now: i64) -> StoreResult<String> {
        let row = sqlx::query("update merchant set bill_counter = bill_counter + 1, updated_at = $2 where merchant_id = $1 returning bill_prefix, bill_counter")
            .bind(merchant_id)
            .bind(now)
            .fetch_one(&self.writer)
            .await?;
        let prefix: String = row.try_get("bill_prefix")?;
        let n: i64 = row.try_get("bill_counter")?;
        Ok(format!("{prefix}-{n:06}"))
    }

    async fn charge_by_idempotency_key(
        &self,
        merchant_id: &str,
        key: &str,
    ) -> StoreResult<Option<ChargeRow>> {
        let sql = format!(
            "select {CHARGE_COLS} from charge where merchant_id = $1 and idempotency_key = $2"
        );
        let row = sqlx::query(&sql)
            .bind(merchant_id)
            .bind(key)
            .fetch_optional(&self.writer)
            .await?;
        row.as_ref().map(charge_row).transpose()
    }

    async fn insert_charge(
        &self,
        new: NewCharge,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)> {
        let c = &new.charge;
        let mut tx = self.writer.begin_with("begin immediate").await?;
        sqlx::query(
            "insert into charge (charge_id, merchant_id, bill_number, amount_minor, currency, status, payload, md5, merchant_name, note, idempotency_key, request_hash, expires_at, created_at, updated_at, terminal_id) values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)",
        )
        .bind(&c.charge_id)
        .bind(&c.merchant_id)
        .bind(&c.bill_number)
        .bind(c.money.amount.get() as i64)
        .bind(c.money.currency.code())
        .bind(&c.payload)
        .bind(&c.md5)
        .bind(&c.merchant_name)
        .bind(&c.note)
        .bind(&new.idempotency_key)
        .bind(&c.request_hash)
        .bind(c.expires_at)
        .bind(now)
        .bind(&c.terminal_id)
        .execute(&mut *tx)
        .await?;
        let event = append_event(
            &mut tx,
            &c.merchant_id,
            api::EventData::ChargeCreated {
                charge: crate::views::charge(c),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((new.charge, event))
    }

    async fn payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
    ) -> StoreResult<(PaymentRow, Option<String>)> {
        payment_by_id(&mut *self.reader.acquire().await?, merchant_id, payment_id).await
    }

    async fn charge(&self, merchant_id: &str, charge_id: &str) -> StoreResult<ChargeRow> {
        charge_by_id(&mut *self.reader.acquire().await?, merchant_id, charge_id).await
    }

    async fn cancel_charge(
        &self,
        merchant_id: &str,
        charge_id: &str,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        let current = charge_by_id(&mut tx, merchant_id, charge_id).await?;
        if current.status != api::ChargeStatus::Pending {
            return Err(StoreError::Conflict("status"));
        }
        let charge =
            set_charge_status(&mut tx, charge_id, api::ChargeStatus::Cancelled, None, now).await?;
        let event = append_event(
            &mut tx,
            merchant_id,
            api::EventData::ChargeCancelled {
                charge: crate::views::charge(&charge),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((charge, event))
    }

    async fn resolve_charge(
        &self,
        merchant_id: &str,
        charge_id: &str,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        let name = resolution_name(resolution)?;
        let done = sqlx::query("update charge set resolution = $3, resolved_at = $4, updated_at = $4 where merchant_id = $1 and charge_id = $2 and status = 'paid_late' and resolution is null")
            .bind(merchant_id)
            .bind(charge_id)
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let charge = charge_by_id(&mut tx, merchant_id, charge_id).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("status"));
        }
        let event = append_event(
            &mut tx,
            merchant_id,
            api::EventData::ChargeResolved {
                charge: crate::views::charge(&charge),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((charge, event))
    }

    async fn resolve_payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(PaymentRow, api::Event)> {
        let name = resolution_name(resolution)?;
        let mut tx = self.writer.begin_with("begin immediate").await?;
        // Only a payment that settled no charge, and only once.
        let done = sqlx::query(
            "update payment set resolution = $3, resolved_at = $4, updated_at = $4 \
             where merchant_id = $1 and payment_id = $2 and resolution is null \
               and not exists (select 1 from charge c where c.payment_id = payment.payment_id)",
        )
        .bind(merchant_id)
        .bind(payment_id)
        .bind(name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let (payment, _) = payment_by_id(&mut tx, merchant_id, payment_id).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict("status"));
        }
        let event = append_event(
            &mut tx,
            merchant_id,
            api::EventData::PaymentResolved {
                payment: crate::views::payment(&payment),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((payment, event))
    }

    async fn expire_due(&self, now: i64) -> StoreResult<Vec<(String, api::Event)>> {
        let mut tx = self.writer.begin_with("begin immediate").await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "select charge_id from charge where status = 'pending' and expires_at <= $1 limit 500",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let charge =
                set_charge_status(&mut tx, &id, api::ChargeStatus::Expired, None, now).await?;
            let event = append_event(
                &mut tx,
                &charge.merchant_id,
                api::EventData::ChargeExpired {
                    charge: crate::views::charge(&charge),
                },
                now,
            )
            .await?;
            out.push((charge.merchant_id, event));
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn record_payment(&self, new: NewPayment) -> StoreResult<PaymentOutcome> {
        let (reply, answer) = oneshot::channel();
        self.payments
            .send(ingest::PaymentJob { new, reply })
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writer stopped")))?;
        answer
            .await
            .map_err(|_| other(anyhow::anyhow!("payment writer dropped a job")))?
    }

    async fn list_payments(
        &self,
        merchant_id: &str,
        q: &PaymentQuery,
    ) -> StoreResult<Vec<PaymentRow>> {
        let sql = format!(
            "select {PAYMENT_COLS} from payment p left join charge c on c.charge_id = p.charge_id \
             where p.merchant_id = $1 \
               and ($2 is null or p.created_at >= $2) and ($3 is null or p.created_at < $3) \
               and ($4 is null or p.network = $4) and ($5 is null or c.bill_number = $5) \
               and ($6 is null or p.created_at < $6 or (p.created_at = $6 and p.payment_id < $7)) \
               and ($9 is null or ((p.charge_id is not null or p.terminal_id is not null) and coalesce(p.terminal_id, c.terminal_id, '') = $9)) \
               and ($10 = 0 or ((c.payment_id is null or c.payment_id <> p.payment_id) and p.resolution is null and p.terminal_id is null)) \
             order by p.created_at desc, p.payment_id desc limit $8"
        );
        let (before_at, before_id) = q.before.clone().unzip();
        let rows = sqlx::query(&sql)
            .bind(merchant_id)
            .bind(q.range.from_ms)
            .bind(q.range.to_ms)
            .bind(&q.network)
            .bind(&q.bill_number)
            .bind(before_at)
            .bind(before_id)
            .bind(i64::from(q.limit))
            .bind(&q.terminal_id)
            .bind(q.unmatched)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(payment_row).collect()
    }

    async fn list_charges(
        &self,
        merchant_id: &str,
        q: &ChargeQuery,
    ) -> StoreResult<Vec<ChargeRow>> {
        let sql = format!(
            "select {CHARGE_COLS} from charge where merchant_id = $1 \
               and ($2 is null or created_at >= $2) and ($3 is null or created_at < $3) \
               and ($4 is null or status = $4) and ($5 is null or bill_number = $5) \
               and ($6 is null or created_at < $6 or (created_at = $6 and charge_id < $7)) \
               and ($9 is null or coalesce(terminal_id, '') = $9) \
             order by created_at desc, charge_id desc limit $8"
        );
        let (before_at, before_id) = q.before.clone().unzip();
        let rows = sqlx::query(&sql)
            .bind(merchant_id)
            .bind(q.range.from_ms)
            .bind(q.range.to_ms)
            .bind(q.status.map(api::ChargeStatus::as_str))
            .bind(&q.bill_number)
            .bind(before_at)
            .bind(before_id)
            .bind(i64::from(q.limit))
            .bind(&q.terminal_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(charge_row).collect()
    }

    async fn daily_totals(
        &self,
        merchant_id: &str,
        range: Range,
        offset_ms: i64,
        terminal: Option<&str>,
    ) -> StoreResult<Vec<(i64, Currency, u64, u64)>> {
        let rows = sqlx::query(
            // Takings: a payment the merchant marked to refund (itself, or the late charge it
            // settled) is not money kept.
            "select (p.created_at + $4) / 86400000 as day, p.currency as currency, count(*) as n, sum(p.amount_minor) as total \
             from payment p left join charge c on c.charge_id = p.charge_id \
             where p.merchant_id = $1 and ($2 is null or p.created_at >= $2) and ($3 is null or p.created_at < $3) \
               and coalesce(p.resolution, case when c.payment_id = p.payment_id then c.resolution end, '') != 'refund_due' \
               and ($5 is null or ((p.charge_id is not null or p.terminal_id is not null) and coalesce(p.terminal_id, c.terminal_id, '') = $5)) \
             group by day, p.currency order by day, p.currency",
        )
        .bind(merchant_id)
        .bind(range.from_ms)
        .bind(range.to_ms)
        .bind(offset_ms)
        .bind(terminal)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                let n: i64 = r.try_get("n")?;
                let total: i64 = r.try_get("total")?;
                Ok((
                    r.try_get("day")?,
                    currency(r.try_get("currency")?)?,
                    n.max(0) as u64,
                    total.max(0) as u64,
                ))
            })
            .collect()
    }

    async fn events_since(
        &self,
        merchant_id: &str,
        since: u64,
        limit: u32,
    ) -> StoreResult<Vec<api::Event>> {
        let rows = sqlx::query("select seq, data, created_at from event where merchant_id = $1 and seq > $2 order by seq limit $3")
            .bind(merchant_id)
            .bind(since.min(i64::MAX as u64) as i64)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(event_row).collect()
    }

    async fn head_seq(&self, merchant_id: &str) -> StoreResult<u64> {
        let seq: i64 =
            sqlx::query_scalar("select coalesce(max(seq), 0) from event where merchant_id = $1")
                .bind(merchant_id)
                .fetch_one(&self.reader)
                .await?;
        Ok(seq as u64)
    }

    async fn create_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()> {
        webhooks::create(&self.writer, e, now).await
    }

    async fn webhook_endpoints(&self, merchant_id: &str) -> StoreResult<Vec<EndpointRow>> {
        webhooks::list(&self.reader, merchant_id).await
    }

    async fn webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
    ) -> StoreResult<EndpointRow> {
        webhooks::get(&self.reader, merchant_id, endpoint_id).await
    }

    async fn update_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()> {
        webhooks::update(&self.writer, e, now).await
    }

    async fn delete_webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        now: i64,
    ) -> StoreResult<()> {
        webhooks::delete(&self.writer, merchant_id, endpoint_id, now).await
    }

    async fn webhook_deliveries(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        before: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryRow>> {
        webhooks::deliveries(&self.reader, merchant_id, endpoint_id, before, limit).await
    }

    async fn retry_webhook_delivery(
        &self,
        merchant_id: &str,
        delivery_id: &str,
        now: i64,
    ) -> StoreResult<DeliveryRow> {
        webhooks::retry(&self.writer, merchant_id, delivery_id, now).await
    }

    async fn claim_webhook_deliveries(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        per_endpoint: u32,
    ) -> StoreResult<Vec<(DeliveryRow, EndpointRow)>> {
        webhooks::claim(&self.writer, now, lease_until, limit, per_endpoint).await
    }

    async fn finish_webhook_attempt(&self, outcome: &AttemptOutcome) -> StoreResult<()> {
        webhooks::finish(&self.writer, outcome).await
    }

    async fn prune_webhook_deliveries(&self, before: i64) -> StoreResult<u64> {
        webhooks::prune(&self.writer, before).await
    }

    async fn create_api_key(&self, key: &ApiKeyRow, key_hash: &str, now: i64) -> StoreResult<()> {
        api_keys::create(&self.writer, key, key_hash, now).await
    }

    async fn api_keys(&self, merchant_id: &str) -> StoreResult<Vec<ApiKeyRow>> {
        api_keys::list(&self.reader, merchant_id).await
    }

    async fn use_api_key(&self, key_hash: &str, now: i64) -> StoreResult<Option<ApiKeyRow>> {
        api_keys::by_hash(&self.reader, &self.writer, key_hash, now).await
    }

    async fn revoke_api_key(&self, merchant_id: &str, key_id: &str, now: i64) -> StoreResult<()> {
        api_keys::revoke(&self.writer, merchant_id, key_id, now).await
    }
}
