//! A merchant's Bakong Open API connection and the poller's work.

use super::*;

/// A merchant's Bakong Open API connection and the poller's work.
#[async_trait::async_trait]
pub trait BakongStore: Send + Sync {
    /// Saves (or replaces) a merchant's Bakong token and status; appends `bakong_status`.
    async fn save_bakong(&self, row: &BakongRow, now: i64) -> StoreResult<api::Event>;
    /// A merchant's Bakong connection.
    async fn bakong(&self, merchant_id: &str) -> StoreResult<Option<BakongRow>>;
    /// Forgets a merchant's Bakong token; appends `bakong_status` (not configured) when there was one.
    async fn delete_bakong(&self, merchant_id: &str, now: i64) -> StoreResult<Option<api::Event>>;
    /// Records how checks go; writes and appends `bakong_status` only when it changed.
    async fn set_bakong_status(
        &self,
        merchant_id: &str,
        status: api::BakongStatus,
        last_error: Option<&str>,
        now: i64,
    ) -> StoreResult<Option<api::Event>>;
    /// Every merchant whose token is not refused, with its open charges created since `since`
    /// (pending, expired or cancelled — a customer may still pay a code they scanned — and not yet
    /// asked about for the last time), newest first.
    async fn bakong_work(&self, since: i64) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>>;
    /// Marks charges as asked about for the last time.
    async fn finish_bakong_checks(&self, charge_ids: &[String]) -> StoreResult<()>;
}
