//! A merchant's Bakong Open API connection and the poller's work.

use super::*;

/// A merchant's Bakong Open API connection as stored (the token only sealed).
#[derive(Debug, Clone)]
pub struct BakongRow {
    /// merchant
    pub merchant_id: String,
    /// the token, sealed by `secrets::SecretBox` for this merchant
    pub token_sealed: String,
    /// its last 4 characters
    pub token_hint: String,
    /// when it expires, epoch ms, when it says
    pub token_expires_at: Option<i64>,
    /// how checks go
    pub status: api::BakongStatus,
    /// what went wrong last
    pub last_error: Option<String>,
    /// when the status last changed after a check, epoch ms
    pub last_checked_at: Option<i64>,
}

/// An open charge the Bakong poller asks about.
#[derive(Debug, Clone)]
pub struct PollCharge {
    /// charge
    pub charge_id: String,
    /// its merchant
    pub merchant_id: String,
    /// md5 of its code
    pub md5: String,
    /// created, epoch ms
    pub created_at: i64,
    /// expires, epoch ms
    pub expires_at: i64,
}

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
    /// Every merchant whose token is not refused and whom no other instance polls, leased to
    /// `lease.holder` until `lease.until`, with its open charges created since `since` (pending,
    /// expired or cancelled — a customer may still pay a code they scanned — and not yet asked
    /// about for the last time), newest first.
    async fn bakong_work(
        &self,
        lease: &PollLease,
        since: i64,
    ) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>>;
    /// Gives up the merchants `holder` polls (it is stopping).
    async fn release_bakong_leases(&self, holder: &str) -> StoreResult<()>;
    /// Marks charges as asked about for the last time.
    async fn finish_bakong_checks(&self, charge_ids: &[String]) -> StoreResult<()>;
}

/// Which instance polls, and until when its lease on the merchants it takes holds. One instance
/// polls a merchant at a time; when it stops renewing (killed), another takes over at `until`.
#[derive(Debug, Clone)]
pub struct PollLease {
    /// the instance
    pub holder: String,
    /// now (epoch ms)
    pub now: i64,
    /// the lease ends (epoch ms)
    pub until: i64,
}
