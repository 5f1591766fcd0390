//! Counters every instance shares: sign-in failures per (email, address) and per address, so
//! guesses spread over several instances behind a load balancer count together. Fixed windows
//! (`window_start` = the window's first ms); a hit in a new window starts its count again.

use super::*;

/// Counters every instance shares.
#[async_trait::async_trait]
pub trait ThrottleStore: Send + Sync {
    /// Counts one hit on `key` in the window starting at `window_start`; the count after it.
    async fn throttle_hit(&self, key: &str, window_start: i64, now: i64) -> StoreResult<u64>;
    /// Takes one hit back (a try that turned out not to count).
    async fn throttle_unhit(&self, key: &str, window_start: i64) -> StoreResult<()>;
    /// Forgets `key`.
    async fn throttle_clear(&self, key: &str) -> StoreResult<()>;
    /// Forgets counters of windows that started before `before`.
    async fn prune_throttles(&self, before: i64) -> StoreResult<u64>;
}
