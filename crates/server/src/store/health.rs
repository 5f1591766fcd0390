//! Whether the store can serve: the database answers and its schema is the one this binary
//! expects (`/readyz`), and how busy its connections are (`/metrics`).

use super::*;

/// Readiness and pool figures.
#[async_trait::async_trait]
pub trait HealthStore: Send + Sync {
    /// `Ok` when the database answers and every migration this binary knows is applied.
    async fn ready(&self) -> StoreResult<()>;
    /// Webhook deliveries pending (due or waiting for their next attempt), all merchants.
    async fn outbox_depth(&self) -> StoreResult<u64>;
    /// Whether any payment came from the sandbox network (a server started without
    /// `--sandbox` on such data warns: its history mixes test money with real).
    async fn holds_sandbox_payments(&self) -> StoreResult<bool>;
    /// Connections open, and idle among them, over the store's pools.
    fn pool_stats(&self) -> (u32, usize);
}
