//! The merchant's event log.

use super::*;

#[async_trait]
impl EventStore for Backend {
    async fn events_since(
        &self,
        merchant_id: &api::MerchantId,
        since: api::Seq,
        limit: u32,
    ) -> StoreResult<Vec<api::Event>> {
        let rows = sqlx::query("select seq, data, created_at from event where merchant_id = $1 and seq > $2 order by seq limit $3")
            .bind(merchant_id.as_str())
            .bind(since.0.min(i64::MAX as u64) as i64)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(event_row).collect()
    }

    async fn head_seq(&self, merchant_id: &api::MerchantId) -> StoreResult<api::Seq> {
        let seq: i64 =
            sqlx::query_scalar("select coalesce(max(seq), 0) from event where merchant_id = $1")
                .bind(merchant_id.as_str())
                .fetch_one(&self.reader)
                .await?;
        Ok(api::Seq(seq.max(0) as u64))
    }
}
