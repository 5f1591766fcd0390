//! What every aggregate of a SQL store uses: the event-appending transaction, and reading a
//! charge or a payment inside one. Compiled once per store (`Db`, `Conn`, `dialect` are the
//! including store's).

use std::sync::LazyLock;

use super::*;

/// A write transaction that appends events: committing it is the one place committed events
/// reach the bus (never before the commit: a screen must not show what a rollback undoes).
pub(crate) struct EventTx {
    tx: sqlx::Transaction<'static, Db>,
    bus: EventBus,
    appended: Vec<(String, api::Event)>,
}

impl std::ops::Deref for EventTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for EventTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

impl EventTx {
    /// A write transaction on `pool` whose events go to `bus` on commit.
    pub(crate) async fn begin(pool: &Pool, bus: &EventBus) -> StoreResult<Self> {
        Ok(Self {
            tx: pool.begin_with(dialect::BEGIN).await?,
            bus: bus.clone(),
            appended: Vec::new(),
        })
    }

    /// An event appended by the caller's own statement, to publish on commit.
    pub(crate) fn appended(&mut self, merchant_id: &str, event: api::Event) {
        self.appended.push((merchant_id.to_owned(), event));
    }

    /// Commits, then publishes what was appended, in order.
    pub(crate) async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await?;
        crate::metrics::events_appended(self.appended.len());
        for (merchant_id, event) in self.appended {
            self.bus.publish(&merchant_id, event);
        }
        Ok(())
    }
}

impl Backend {
    /// A write transaction whose events are published on commit.
    pub(crate) async fn begin(&self) -> StoreResult<EventTx> {
        EventTx::begin(&self.writer, &self.bus).await
    }
}

/// Tells open sessions a device or API key was revoked: this instance's bus at once, other
/// instances through the database (`dialect::REVOKED`, none for SQLite).
pub(crate) async fn revoked(store: &Backend, id: &str) -> StoreResult<()> {
    if let Some(sql) = dialect::REVOKED {
        sqlx::query(sql).bind(id).execute(&store.writer).await?;
    }
    store.bus.revoke(id);
    Ok(())
}

/// The stored name of an event's kind.
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

/// Appends an event inside the caller's transaction, with the merchant's next sequence number,
/// and puts it in the outbox of the merchant's webhook endpoints and Telegram chats that ask for it.
pub(crate) async fn append_event(
    tx: &mut EventTx,
    merchant_id: &str,
    data: api::EventData,
    now: i64,
) -> StoreResult<api::Event> {
    let json = serde_json::to_string(&data).map_err(other)?;
    let seq: i64 = sqlx::query_scalar(dialect::APPEND_EVENT)
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
        sqlx::query(dialect::ENQUEUE)
            .bind(merchant_id)
            .bind(seq)
            .bind(kind.as_str())
            .bind(body)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    if let Some((chat_kind, counter)) = crate::domain::alert::of(&event) {
        sqlx::query(dialect::TG_ENQUEUE)
            .bind(merchant_id)
            .bind(seq)
            .bind(chat_kind.as_str())
            .bind(crate::domain::alert::body(&event).map_err(other)?)
            .bind(now)
            .bind(counter)
            .execute(&mut **tx)
            .await?;
    }
    tx.appended(merchant_id, event.clone());
    Ok(event)
}

/// Binds: status, paid_at, now, charge id, settling payment id.
pub(crate) const SET_CHARGE_STATUS: &str = "update charge set status = $1, paid_at = coalesce($2, paid_at), \
     payment_id = coalesce($5, payment_id), updated_at = $3 where charge_id = $4";

pub(crate) const CHARGE_COLS: &str = "charge_id, merchant_id, bill_number, amount_minor, currency, status, payload, md5, merchant_name, note, request_hash, terminal_id, resolution, expires_at, created_at, sale";
pub(crate) const PAYMENT_COLS: &str = "p.payment_id, p.merchant_id, p.network, p.transaction_id, p.charge_id, c.bill_number, p.amount_minor, p.currency, p.payer, p.paid_at, p.created_at, \
     coalesce(p.resolution, case when c.payment_id = p.payment_id then c.resolution end) as resolution, p.review_reason, \
     coalesce(p.terminal_id, c.terminal_id) as terminal_id, case when c.payment_id = p.payment_id then c.sale end as sale";

/// One charge of a merchant, from the pool or inside a transaction (where it is locked until
/// the transaction ends, so a move decided on it is not raced).
pub(crate) async fn charge_by_id(
    conn: &mut Conn,
    merchant_id: &str,
    charge_id: &str,
) -> StoreResult<ChargeRow> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {CHARGE_COLS} from charge where merchant_id = $1 and charge_id = $2{}",
            dialect::LOCK
        )
    });
    let row = sqlx::query(SQL.as_str())
        .bind(merchant_id)
        .bind(charge_id)
        .fetch_one(conn)
        .await?;
    charge_row(&row)
}

/// One payment of a merchant, with the counter of the charge it names, if any.
pub(crate) async fn payment_by_id(
    conn: &mut Conn,
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
pub(crate) async fn set_password(
    conn: &mut Conn,
    email: &str,
    password_hash: &str,
    proved: bool,
    now: i64,
) -> StoreResult<String> {
    // A reset by emailed link proves the address; one by the operator does not.
    let user: Option<String> = sqlx::query_scalar(
        "update app_user set password_hash = $2, updated_at = $3, \
         email_verified_at = case when $4 then coalesce(email_verified_at, $3) else email_verified_at end \
         where email = $1 and removed_at is null returning user_id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(now)
    .bind(proved)
    .fetch_optional(&mut *conn)
    .await?;
    let user = user.ok_or(StoreError::NotFound)?;
    sqlx::query("delete from session where user_id = $1")
        .bind(&user)
        .execute(&mut *conn)
        .await?;
    Ok(user)
}

pub(crate) async fn set_charge_status(
    tx: &mut Conn,
    charge_id: &str,
    status: api::ChargeStatus,
    settled_by: Option<(&str, i64)>,
    now: i64,
) -> StoreResult<ChargeRow> {
    static SQL: LazyLock<String> =
        LazyLock::new(|| format!("{SET_CHARGE_STATUS} returning {CHARGE_COLS}"));
    let (payment_id, paid_at) = settled_by.unzip();
    let row = sqlx::query(SQL.as_str())
        .bind(status.as_str())
        .bind(paid_at)
        .bind(now)
        .bind(charge_id)
        .bind(payment_id)
        .fetch_one(&mut *tx)
        .await?;
    charge_row(&row)
}

/// Takes the merchant's row lock (PostgreSQL; SQLite's one writer holds the whole database) and
/// counts `table`'s rows of the merchant matching `live`: a count that decides an insert in the
/// same transaction, so parallel inserts cannot all pass a cap.
pub(crate) async fn locked_count(
    conn: &mut Conn,
    merchant_id: &str,
    table: &str,
    live: &str,
) -> StoreResult<usize> {
    sqlx::query(&format!(
        "select merchant_id from merchant where merchant_id = $1{}",
        dialect::LOCK
    ))
    .bind(merchant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let n: i64 = sqlx::query_scalar(&format!(
        "select count(*) from {table} where merchant_id = $1 and {live}"
    ))
    .bind(merchant_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n.max(0) as usize)
}
