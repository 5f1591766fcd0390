//! A merchant's Bakong Open API token (sealed) and check status, and the open charges the
//! Bakong poller asks about.

use super::*;

use sqlx::Row;

use super::append_event;
use crate::api;
use crate::store::{BakongRow, PollCharge, PollLease, StoreResult};

const COLS: &str =
    "merchant_id, token_sealed, token_hint, token_expires_at, status, last_error, last_checked_at";

fn row(r: &DbRow) -> StoreResult<BakongRow> {
    Ok(BakongRow {
        merchant_id: r.try_get("merchant_id")?,
        token_sealed: r.try_get("token_sealed")?,
        token_hint: r.try_get("token_hint")?,
        token_expires_at: r.try_get("token_expires_at")?,
        status: api::BakongStatus::parse(&r.try_get::<String, _>("status")?),
        last_error: r.try_get("last_error")?,
        last_checked_at: r.try_get("last_checked_at")?,
    })
}

fn health(status: api::BakongStatus, last_error: Option<String>) -> api::EventData {
    api::EventData::BakongStatus {
        bakong: api::BakongHealth { status, last_error },
    }
}

pub(super) async fn save(store: &Backend, b: &BakongRow, now: i64) -> StoreResult<api::Event> {
    let mut tx = store.begin().await?;
    sqlx::query(
        "insert into bakong_integration (merchant_id, token_sealed, token_hint, token_expires_at, status, last_error, last_checked_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $8) \
         on conflict (merchant_id) do update set token_sealed = excluded.token_sealed, token_hint = excluded.token_hint, \
           token_expires_at = excluded.token_expires_at, status = excluded.status, last_error = excluded.last_error, \
           last_checked_at = excluded.last_checked_at, updated_at = excluded.updated_at",
    )
    .bind(&b.merchant_id)
    .bind(&b.token_sealed)
    .bind(&b.token_hint)
    .bind(b.token_expires_at)
    .bind(b.status.as_str())
    .bind(&b.last_error)
    .bind(b.last_checked_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let event = append_event(
        &mut tx,
        &b.merchant_id,
        health(b.status, b.last_error.clone()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(event)
}

pub(super) async fn get(pool: &Pool, merchant_id: &str) -> StoreResult<Option<BakongRow>> {
    let sql = format!("select {COLS} from bakong_integration where merchant_id = $1");
    sqlx::query(&sql)
        .bind(merchant_id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(row)
        .transpose()
}

pub(super) async fn delete(
    store: &Backend,
    merchant_id: &str,
    now: i64,
) -> StoreResult<Option<api::Event>> {
    let mut tx = store.begin().await?;
    let gone = sqlx::query("delete from bakong_integration where merchant_id = $1")
        .bind(merchant_id)
        .execute(&mut *tx)
        .await?;
    if gone.rows_affected() == 0 {
        return Ok(None);
    }
    let event = append_event(
        &mut tx,
        merchant_id,
        health(api::BakongStatus::NotConfigured, None),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(event))
}

pub(super) async fn set_status(
    store: &Backend,
    merchant_id: &str,
    status: api::BakongStatus,
    last_error: Option<&str>,
    now: i64,
) -> StoreResult<Option<api::Event>> {
    let mut tx = store.begin().await?;
    // Only a change is written (and told): checks that keep going as they were write nothing.
    let changed = sqlx::query(
        "update bakong_integration set status = $2, last_error = $3, last_checked_at = $4, updated_at = $4 \
         where merchant_id = $1 and (status != $2 or coalesce(last_error, '') != coalesce($3, ''))",
    )
    .bind(merchant_id)
    .bind(status.as_str())
    .bind(last_error)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Ok(None);
    }
    let event = append_event(
        &mut tx,
        merchant_id,
        health(status, last_error.map(str::to_owned)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(event))
}

pub(super) async fn work(
    store: &Backend,
    lease: &PollLease,
    since: i64,
) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>> {
    let mut tx = store.writer.begin_with(dialect::BEGIN).await?;
    // Take (or keep) the merchants nobody else holds; a lapsed lease is anyone's.
    sqlx::query(
        "update bakong_integration set poll_holder = $1, poll_until = $3 \
         where status != 'unauthorized' and (poll_until is null or poll_until <= $2 or poll_holder = $1)",
    )
    .bind(&lease.holder)
    .bind(lease.now)
    .bind(lease.until)
    .execute(&mut *tx)
    .await?;
    let rows = sqlx::query(
        "select b.merchant_id, b.token_sealed, b.token_hint, b.token_expires_at, b.status, b.last_error, b.last_checked_at, \
           c.charge_id, c.md5, c.created_at as charge_created_at, c.expires_at as charge_expires_at \
         from bakong_integration b \
         left join charge c on c.merchant_id = b.merchant_id and c.bakong_done = 0 \
           and c.status in ('pending', 'expired', 'cancelled') and c.created_at >= $1 \
         where b.status != 'unauthorized' and b.poll_holder = $2 \
         order by b.merchant_id, c.created_at desc",
    )
    .bind(since)
    .bind(&lease.holder)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut out: Vec<(BakongRow, Vec<PollCharge>)> = Vec::new();
    for r in &rows {
        let merchant_id: String = r.try_get("merchant_id")?;
        if out.last().is_none_or(|(b, _)| b.merchant_id != merchant_id) {
            out.push((row(r)?, Vec::new()));
        }
        let Some(charge_id) = r.try_get::<Option<String>, _>("charge_id")? else {
            continue;
        };
        if let Some((_, charges)) = out.last_mut() {
            charges.push(PollCharge {
                charge_id,
                merchant_id,
                md5: r.try_get("md5")?,
                created_at: r.try_get("charge_created_at")?,
                expires_at: r.try_get("charge_expires_at")?,
            });
        }
    }
    Ok(out)
}

pub(super) async fn finish(pool: &Pool, charge_ids: &[String]) -> StoreResult<()> {
    if charge_ids.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    for id in charge_ids {
        sqlx::query("update charge set bakong_done = 1 where charge_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[async_trait]
impl BakongStore for Backend {
    async fn save_bakong(&self, row: &BakongRow, now: i64) -> StoreResult<api::Event> {
        save(self, row, now).await
    }

    async fn bakong(&self, merchant_id: &str) -> StoreResult<Option<BakongRow>> {
        get(&self.reader, merchant_id).await
    }

    async fn delete_bakong(&self, merchant_id: &str, now: i64) -> StoreResult<Option<api::Event>> {
        delete(self, merchant_id, now).await
    }

    async fn set_bakong_status(
        &self,
        merchant_id: &str,
        status: api::BakongStatus,
        last_error: Option<&str>,
        now: i64,
    ) -> StoreResult<Option<api::Event>> {
        set_status(self, merchant_id, status, last_error, now).await
    }

    async fn bakong_work(
        &self,
        lease: &PollLease,
        since: i64,
    ) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>> {
        work(self, lease, since).await
    }

    async fn release_bakong_leases(&self, holder: &str) -> StoreResult<()> {
        sqlx::query("update bakong_integration set poll_holder = null, poll_until = null where poll_holder = $1")
            .bind(holder)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn finish_bakong_checks(&self, charge_ids: &[String]) -> StoreResult<()> {
        finish(&self.writer, charge_ids).await
    }
}
