//! Webhook endpoints and the outbox. Deliveries are put in the outbox by `ENQUEUE` inside the
//! transaction that appends their event (see `append_event`), so none is lost to a crash.

use super::*;

use sqlx::Row;

use super::other;
use crate::api;
use crate::store::{AttemptOutcome, DeliveryRow, EndpointRow, Share, StoreError, StoreResult};

const ENDPOINT_COLS: &str = "endpoint_id, merchant_id, url, description, events, secret_sealed, previous_secret_sealed, previous_secret_until, enabled, disabled_reason, failing_since, failures, created_at";
const DELIVERY_COLS: &str = "delivery_id, endpoint_id, merchant_id, seq, event_type, body, status, attempts, next_attempt_at, last_status_code, last_error, delivered_at, created_at";

fn events_json(events: &[api::WebhookEvent]) -> StoreResult<String> {
    serde_json::to_string(events).map_err(other)
}

fn endpoint(r: &DbRow) -> StoreResult<EndpointRow> {
    let events: String = r.try_get("events")?;
    Ok(EndpointRow {
        endpoint_id: r.try_get("endpoint_id")?,
        merchant_id: r.try_get("merchant_id")?,
        url: r.try_get("url")?,
        description: r.try_get("description")?,
        events: serde_json::from_str(&events).map_err(other)?,
        secret_sealed: r.try_get("secret_sealed")?,
        previous_secret_sealed: r.try_get("previous_secret_sealed")?,
        previous_secret_until: r.try_get("previous_secret_until")?,
        enabled: r.try_get::<i64, _>("enabled")? != 0,
        disabled_reason: r.try_get("disabled_reason")?,
        failing_since: r.try_get("failing_since")?,
        failures: u32::try_from(r.try_get::<i64, _>("failures")?).unwrap_or(u32::MAX),
        created_at: r.try_get("created_at")?,
    })
}

fn delivery(r: &DbRow) -> StoreResult<DeliveryRow> {
    let kind: String = r.try_get("event_type")?;
    Ok(DeliveryRow {
        delivery_id: r.try_get("delivery_id")?,
        endpoint_id: r.try_get("endpoint_id")?,
        merchant_id: r.try_get("merchant_id")?,
        seq: r.try_get::<i64, _>("seq")? as u64,
        event: api::WebhookEvent::parse(&kind)
            .ok_or_else(|| other(anyhow::anyhow!("unknown webhook event {kind} in database")))?,
        body: r.try_get("body")?,
        status: api::DeliveryStatus::parse(&r.try_get::<String, _>("status")?),
        attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: r.try_get("next_attempt_at")?,
        last_status_code: r
            .try_get::<Option<i64>, _>("last_status_code")?
            .and_then(|c| u16::try_from(c).ok()),
        last_error: r.try_get("last_error")?,
        delivered_at: r.try_get("delivered_at")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) async fn create(
    pool: &Pool,
    e: &EndpointRow,
    max: usize,
    now: i64,
) -> StoreResult<bool> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    if locked_count(
        &mut tx,
        &e.merchant_id,
        "webhook_endpoint",
        "deleted_at is null",
    )
    .await?
        >= max
    {
        return Ok(false);
    }
    sqlx::query(
        "insert into webhook_endpoint (endpoint_id, merchant_id, url, description, events, secret_sealed, enabled, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(&e.endpoint_id)
    .bind(&e.merchant_id)
    .bind(&e.url)
    .bind(&e.description)
    .bind(events_json(&e.events)?)
    .bind(&e.secret_sealed)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub(super) async fn list(pool: &Pool, merchant_id: &str) -> StoreResult<Vec<EndpointRow>> {
    sqlx::query(&format!(
        "select {ENDPOINT_COLS} from webhook_endpoint where merchant_id = $1 and deleted_at is null order by created_at, endpoint_id"
    ))
    .bind(merchant_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(endpoint)
    .collect()
}

pub(super) async fn get(
    pool: &Pool,
    merchant_id: &str,
    endpoint_id: &str,
) -> StoreResult<EndpointRow> {
    let r = sqlx::query(&format!(
        "select {ENDPOINT_COLS} from webhook_endpoint where merchant_id = $1 and endpoint_id = $2 and deleted_at is null"
    ))
    .bind(merchant_id)
    .bind(endpoint_id)
    .fetch_one(pool)
    .await?;
    endpoint(&r)
}

pub(super) async fn update(pool: &Pool, e: &EndpointRow, now: i64) -> StoreResult<()> {
    let done = sqlx::query(
        "update webhook_endpoint set url = $3, description = $4, events = $5, secret_sealed = $6, \
           previous_secret_sealed = $7, previous_secret_until = $8, enabled = $9, disabled_reason = $10, \
           failing_since = $11, updated_at = $12 \
         where merchant_id = $1 and endpoint_id = $2 and deleted_at is null",
    )
    .bind(&e.merchant_id)
    .bind(&e.endpoint_id)
    .bind(&e.url)
    .bind(&e.description)
    .bind(events_json(&e.events)?)
    .bind(&e.secret_sealed)
    .bind(&e.previous_secret_sealed)
    .bind(e.previous_secret_until)
    .bind(i64::from(e.enabled))
    .bind(&e.disabled_reason)
    .bind(e.failing_since)
    .bind(now)
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(super) async fn delete(
    pool: &Pool,
    merchant_id: &str,
    endpoint_id: &str,
    now: i64,
) -> StoreResult<()> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    let done = sqlx::query(
        "update webhook_endpoint set deleted_at = $3, enabled = 0, updated_at = $3 \
         where merchant_id = $1 and endpoint_id = $2 and deleted_at is null",
    )
    .bind(merchant_id)
    .bind(endpoint_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "update webhook_delivery set status = 'failed', next_attempt_at = null, last_error = 'endpoint deleted', updated_at = $2 \
         where endpoint_id = $1 and status = 'pending'",
    )
    .bind(endpoint_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn deliveries(
    pool: &Pool,
    merchant_id: &str,
    endpoint_id: &str,
    before: Option<&str>,
    limit: u32,
) -> StoreResult<Vec<DeliveryRow>> {
    sqlx::query(&format!(
        "select {DELIVERY_COLS} from webhook_delivery where merchant_id = $1 and endpoint_id = $2 \
         and ($3 is null or (created_at, delivery_id) < (select created_at, delivery_id from webhook_delivery where delivery_id = $3)) \
         order by created_at desc, delivery_id desc limit $4"
    ))
    .bind(merchant_id)
    .bind(endpoint_id)
    .bind(before)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?
    .iter()
    .map(delivery)
    .collect()
}

pub(super) async fn retry(
    pool: &Pool,
    merchant_id: &str,
    delivery_id: &str,
    now: i64,
) -> StoreResult<DeliveryRow> {
    let r = sqlx::query(&format!(
        "update webhook_delivery set status = 'pending', next_attempt_at = $3, leased_until = null, updated_at = $3 \
         where merchant_id = $1 and delivery_id = $2 \
         and endpoint_id in (select endpoint_id from webhook_endpoint where deleted_at is null) \
         returning {DELIVERY_COLS}"
    ))
    .bind(merchant_id)
    .bind(delivery_id)
    .bind(now)
    .fetch_one(pool)
    .await?;
    let d = delivery(&r)?;
    // A person's retry is the probe: it goes now, even while the endpoint rests.
    sqlx::query("update webhook_endpoint set paused_until = null where endpoint_id = $1")
        .bind(&d.endpoint_id)
        .execute(pool)
        .await?;
    Ok(d)
}

pub(super) async fn claim(
    pool: &Pool,
    now: i64,
    lease_until: i64,
    limit: u32,
    share: Share,
) -> StoreResult<Vec<(DeliveryRow, EndpointRow)>> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    // Fair shares: an endpoint that is failing gets one probe, and only once its pause is over;
    // a healthy one up to `per_endpoint` at once; a merchant up to `per_merchant` over all its
    // endpoints; and slots go round the merchants (everyone's first, then everyone's second).
    let due = sqlx::query(&format!(
        "with busy_e as (select endpoint_id, count(*) as n from webhook_delivery \
             where status = 'pending' and leased_until > $1 group by endpoint_id), \
         busy_m as (select merchant_id, count(*) as n from webhook_delivery \
             where status = 'pending' and leased_until > $1 group by merchant_id), \
         ranked as (select d.delivery_id, d.merchant_id, d.next_attempt_at, \
               row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.delivery_id) \
                 + coalesce(be.n, 0) as nth, \
               case when e.failures > 0 then 1 else $4 end as cap \
             from webhook_delivery d join webhook_endpoint e on e.endpoint_id = d.endpoint_id \
             left join busy_e be on be.endpoint_id = d.endpoint_id \
             where d.status = 'pending' and d.next_attempt_at <= $1 \
               and (d.leased_until is null or d.leased_until <= $1) \
               and e.enabled = 1 and e.deleted_at is null \
               and (e.paused_until is null or e.paused_until <= $1)), \
         fair as (select r.delivery_id, r.next_attempt_at, \
               row_number() over (partition by r.merchant_id order by r.next_attempt_at, r.delivery_id) \
                 + coalesce(bm.n, 0) as mth \
             from ranked r left join busy_m bm on bm.merchant_id = r.merchant_id \
             where r.nth <= r.cap) \
         update webhook_delivery set leased_until = $2 where delivery_id in ( \
           select delivery_id from fair where mth <= $5 order by mth, next_attempt_at, delivery_id limit $3) \
         and (leased_until is null or leased_until <= $1) \
         returning {DELIVERY_COLS}"
    ))
    .bind(now)
    .bind(lease_until)
    .bind(i64::from(limit))
    .bind(i64::from(share.per_endpoint))
    .bind(i64::from(share.per_merchant))
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(delivery)
    .collect::<StoreResult<Vec<_>>>()?;
    let mut out = Vec::with_capacity(due.len());
    for d in due {
        let r = sqlx::query(&format!(
            "select {ENDPOINT_COLS} from webhook_endpoint where endpoint_id = $1"
        ))
        .bind(&d.endpoint_id)
        .fetch_one(&mut *tx)
        .await?;
        out.push((d, endpoint(&r)?));
    }
    tx.commit().await?;
    Ok(out)
}

pub(super) async fn finish(pool: &Pool, o: &AttemptOutcome) -> StoreResult<()> {
    let mut tx = pool.begin_with(dialect::BEGIN).await?;
    let status = match (o.delivered, o.next_attempt_at) {
        (true, _) => api::DeliveryStatus::Delivered,
        (false, Some(_)) => api::DeliveryStatus::Pending,
        (false, None) => api::DeliveryStatus::Failed,
    };
    sqlx::query(
        "update webhook_delivery set status = $2, attempts = attempts + 1, next_attempt_at = $3, leased_until = null, \
           last_status_code = $4, last_error = $5, delivered_at = case when $6 then $7 else delivered_at end, updated_at = $7 \
         where delivery_id = $1",
    )
    .bind(&o.delivery_id)
    .bind(status.as_str())
    .bind(o.next_attempt_at)
    .bind(o.status_code.map(i64::from))
    .bind(&o.error)
    .bind(o.delivered)
    .bind(o.now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update webhook_endpoint set failing_since = case when $2 is null then null else case when failing_since < $2 then failing_since else $2 end end, \
           enabled = case when $3 is null then enabled else 0 end, \
           disabled_reason = coalesce($3, disabled_reason), failures = $5, paused_until = $6, updated_at = $4 \
         where endpoint_id = $1",
    )
    .bind(&o.endpoint_id)
    .bind(o.failing_since)
    .bind(&o.disable_reason)
    .bind(o.now)
    .bind(i64::from(o.failures))
    .bind(o.paused_until)
    .execute(&mut *tx)
    .await?;
    if let Some(reason) = &o.disable_reason {
        super::telegram_outbox::tell_chats_off(&mut tx, &o.endpoint_id, reason, o.now).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(super) async fn prune(pool: &Pool, before: i64) -> StoreResult<u64> {
    let done = sqlx::query(
        "delete from webhook_delivery where status in ('delivered', 'failed') and updated_at < $1",
    )
    .bind(before)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

#[async_trait]
impl WebhookStore for Backend {
    async fn create_webhook_endpoint(
        &self,
        e: &EndpointRow,
        max: usize,
        now: i64,
    ) -> StoreResult<bool> {
        create(&self.writer, e, max, now).await
    }

    async fn webhook_endpoints(&self, merchant_id: &str) -> StoreResult<Vec<EndpointRow>> {
        list(&self.reader, merchant_id).await
    }

    async fn webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
    ) -> StoreResult<EndpointRow> {
        get(&self.reader, merchant_id, endpoint_id).await
    }

    async fn update_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()> {
        update(&self.writer, e, now).await
    }

    async fn delete_webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        now: i64,
    ) -> StoreResult<()> {
        delete(&self.writer, merchant_id, endpoint_id, now).await
    }

    async fn webhook_deliveries(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        before: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryRow>> {
        deliveries(&self.reader, merchant_id, endpoint_id, before, limit).await
    }

    async fn retry_webhook_delivery(
        &self,
        merchant_id: &str,
        delivery_id: &str,
        now: i64,
    ) -> StoreResult<DeliveryRow> {
        retry(&self.writer, merchant_id, delivery_id, now).await
    }

    async fn claim_webhook_deliveries(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        share: Share,
    ) -> StoreResult<Vec<(DeliveryRow, EndpointRow)>> {
        claim(&self.writer, now, lease_until, limit, share).await
    }

    async fn finish_webhook_attempt(&self, outcome: &AttemptOutcome) -> StoreResult<()> {
        finish(&self.writer, outcome).await
    }

    async fn prune_webhook_deliveries(&self, before: i64) -> StoreResult<u64> {
        prune(&self.writer, before).await
    }
}
