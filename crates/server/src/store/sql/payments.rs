//! Payments as they arrive and are resolved, and the history of charges and payments.

use super::*;

#[async_trait]
impl PaymentStore for Backend {
    async fn record_payment(&self, new: NewPayment) -> StoreResult<PaymentOutcome> {
        self.record(new).await
    }

    async fn resolve_payment(
        &self,
        merchant_id: &api::MerchantId,
        payment_id: &api::PaymentId,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(PaymentRow, api::Event)> {
        let name = resolution_name(resolution)?;
        let mut tx = self.begin().await?;
        // Only a payment that settled no charge, and only once.
        let done = sqlx::query(
            "update payment set resolution = $3, resolved_at = $4, updated_at = $4 \
             where merchant_id = $1 and payment_id = $2 and resolution is null \
               and not exists (select 1 from charge c where c.payment_id = payment.payment_id)",
        )
        .bind(merchant_id.as_str())
        .bind(payment_id.as_str())
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
                payment: crate::domain::payment::view(&payment),
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((payment, event))
    }

    async fn payment(
        &self,
        merchant_id: &api::MerchantId,
        payment_id: &api::PaymentId,
    ) -> StoreResult<(PaymentRow, Option<String>)> {
        payment_by_id(&mut *self.reader.acquire().await?, merchant_id, payment_id).await
    }

    async fn list_payments(
        &self,
        merchant_id: &api::MerchantId,
        q: &PaymentQuery,
    ) -> StoreResult<Vec<PaymentRow>> {
        let sql = format!(
            "select {PAYMENT_COLS} from payment p left join charge c on c.charge_id = p.charge_id \
             where p.merchant_id = $1 \
               and ($2 is null or p.created_at >= $2) and ($3 is null or p.created_at < $3) \
               and ($4 is null or p.network = $4) and ($5 is null or c.bill_number = $5) \
               and ($6 is null or p.created_at < $6 or (p.created_at = $6 and p.payment_id < $7)) \
               and ($9 is null or ((p.charge_id is not null or p.terminal_id is not null) and coalesce(p.terminal_id, c.terminal_id, '') = $9)) \
               and (not $10 or ((c.payment_id is null or c.payment_id <> p.payment_id) and p.resolution is null and p.terminal_id is null)) \
             order by p.created_at desc, p.payment_id desc limit $8"
        );
        let (before_at, before_id) = q.before.clone().unzip();
        let rows = sqlx::query(&sql)
            .bind(merchant_id.as_str())
            .bind(q.range.from_ms)
            .bind(q.range.to_ms)
            .bind(q.network.map(api::Network::as_str))
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
        merchant_id: &api::MerchantId,
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
            .bind(merchant_id.as_str())
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
        merchant_id: &api::MerchantId,
        range: Range,
        offset_ms: i64,
        terminal: Option<&str>,
    ) -> StoreResult<Vec<(i64, Currency, u64, u64)>> {
        let rows = sqlx::query(
            // Takings: a payment the merchant marked to refund (itself, or the late charge it
            // settled) is not money kept.
            "select (p.created_at + $4) / 86400000 as day, p.currency as currency, count(*) as n, cast(sum(p.amount_minor) as bigint) as total \
             from payment p left join charge c on c.charge_id = p.charge_id \
             where p.merchant_id = $1 and ($2 is null or p.created_at >= $2) and ($3 is null or p.created_at < $3) \
               and coalesce(p.resolution, case when c.payment_id = p.payment_id then c.resolution end, '') != 'refund_due' \
               and ($5 is null or ((p.charge_id is not null or p.terminal_id is not null) and coalesce(p.terminal_id, c.terminal_id, '') = $5)) \
             group by day, p.currency order by day, p.currency",
        )
        .bind(merchant_id.as_str())
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
}
