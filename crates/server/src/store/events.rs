//! The merchant's event log.

use super::*;

/// The merchant's event log.
#[async_trait::async_trait]
pub trait EventStore: Send + Sync {
    /// Events with seq > since, ascending, at most `limit`.
    async fn events_since(
        &self,
        merchant_id: &api::MerchantId,
        since: api::Seq,
        limit: u32,
    ) -> StoreResult<Vec<api::Event>>;
    /// Highest seq of a merchant (0 when none).
    async fn head_seq(&self, merchant_id: &api::MerchantId) -> StoreResult<api::Seq>;
}
