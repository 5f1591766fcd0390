//! Charges and the moves a merchant or the clock makes them take.

use super::*;
use crate::domain::charge::{self, Move};

/// A move the charge's state does not allow: a conflict on its status.
fn refused(_: charge::Refused) -> StoreError {
    StoreError::Conflict("status")
}

#[async_trait]
impl ChargeStore for Backend {
    async fn next_bill_number(
        &self,
        merchant_id: &api::MerchantId,
        now: i64,
    ) -> StoreResult<api::BillNumber> {
        let row = sqlx::query("update merchant set bill_counter = bill_counter + 1, updated_at = $2 where merchant_id = $1 returning bill_prefix, bill_counter")
            .bind(merchant_id.as_str())
            .bind(now)
            .fetch_one(&self.writer)
            .await?;
        let prefix: String = row.try_get("bill_prefix")?;
        let n: i64 = row.try_get("bill_counter")?;
        Ok(format!("{prefix}-{n:06}").into())
    }

    async fn charge_by_idempotency_key(
        &self,
        merchant_id: &api::MerchantId,
        key: &str,
    ) -> StoreResult<Option<ChargeRow>> {
        let sql = format!(
            "select {CHARGE_COLS} from charge where merchant_id = $1 and idempotency_key = $2"
        );
        let row = sqlx::query(&sql)
            .bind(merchant_id.as_str())
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
        let mut tx = self.begin().await?;
        sqlx::query(
            "insert into charge (charge_id, merchant_id, bill_number, amount_minor, currency, status, payload, md5, merchant_name, note, idempotency_key, request_hash, expires_at, created_at, updated_at, terminal_id, sale) values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15)",
        )
        .bind(c.charge_id.as_str())
        .bind(c.merchant_id.as_str())
        .bind(c.bill_number.as_str())
        .bind(c.money.amount.get() as i64)
        .bind(c.money.currency.code())
        .bind(&c.payload)
        .bind(c.md5.as_str())
        .bind(&c.merchant_name)
        .bind(&c.note)
        .bind(&new.idempotency_key)
        .bind(&c.request_hash)
        .bind(c.expires_at)
        .bind(now)
        .bind(c.terminal_id.as_deref())
        .bind(
            (!c.sale.is_empty())
                .then(|| serde_json::to_string(&c.sale))
                .transpose()
                .map_err(other)?,
        )
        .execute(&mut *tx)
        .await?;
        let event = append_event(
            &mut tx,
            &c.merchant_id,
            api::EventData::ChargeCreated {
                charge: crate::domain::charge::view(c),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((new.charge, event))
    }

    async fn charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
    ) -> StoreResult<ChargeRow> {
        charge_by_id(&mut *self.reader.acquire().await?, merchant_id, charge_id).await
    }

    async fn cancel_charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)> {
        let mut tx = self.begin().await?;
        let current = charge_by_id(&mut tx, merchant_id, charge_id).await?;
        let (status, _) = charge::step(&current, Move::Cancel).map_err(refused)?;
        let charge = set_charge_status(&mut tx, charge_id, status, None, now).await?;
        let event = append_event(
            &mut tx,
            merchant_id,
            charge::event(Move::Cancel, &charge),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((charge, event))
    }

    async fn resolve_charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)> {
        let mut tx = self.begin().await?;
        let current = charge_by_id(&mut tx, merchant_id, charge_id).await?;
        let mv = Move::Resolve(resolution);
        charge::step(&current, mv).map_err(refused)?;
        let name = resolution_name(resolution)?;
        sqlx::query("update charge set resolution = $3, resolved_at = $4, updated_at = $4 where merchant_id = $1 and charge_id = $2")
            .bind(merchant_id.as_str())
            .bind(charge_id.as_str())
            .bind(name)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let charge = charge_by_id(&mut tx, merchant_id, charge_id).await?;
        let event = append_event(&mut tx, merchant_id, charge::event(mv, &charge), now).await?;
        tx.commit().await?;
        Ok((charge, event))
    }

    async fn expire_due(&self, now: i64) -> StoreResult<Vec<(String, api::Event)>> {
        let mut tx = self.begin().await?;
        let due: Vec<ChargeRow> = sqlx::query(&format!(
            "select {CHARGE_COLS} from charge where status = 'pending' and expires_at <= $1 order by expires_at, charge_id limit 500{}",
            dialect::LOCK_SKIP
        ))
        .bind(now)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(charge_row)
        .collect::<StoreResult<_>>()?;
        let mut out = Vec::with_capacity(due.len());
        for current in due {
            let (status, _) = charge::step(&current, Move::Expire).map_err(refused)?;
            let charge = set_charge_status(&mut tx, &current.charge_id, status, None, now).await?;
            let event = append_event(
                &mut tx,
                &charge.merchant_id,
                charge::event(Move::Expire, &charge),
                now,
            )
            .await?;
            out.push((charge.merchant_id.into(), event));
        }
        tx.commit().await?;
        Ok(out)
    }
}
