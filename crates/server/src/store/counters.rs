//! Stores, their counters (terminals), and the counters' printed codes.

use super::*;

/// A store.
#[derive(Debug, Clone)]
pub struct StoreRow {
    /// id
    pub store_id: String,
    /// merchant
    pub merchant_id: String,
    /// name
    pub name: String,
}

/// A terminal with its store's name.
#[derive(Debug, Clone)]
pub struct TerminalRow {
    /// id
    pub terminal_id: String,
    /// merchant
    pub merchant_id: String,
    /// store
    pub store_id: String,
    /// store name
    pub store_name: String,
    /// label
    pub label: String,
}

/// Stores, their counters (terminals), and the counters' printed codes.
#[async_trait::async_trait]
pub trait CounterStore: Send + Sync {
    /// Creates a store. Conflict("name") when the merchant has one so named.
    async fn create_store(&self, s: &StoreRow, now: i64) -> StoreResult<()>;
    /// A merchant's stores.
    async fn stores(&self, merchant_id: &str) -> StoreResult<Vec<StoreRow>>;
    /// Creates a terminal. Conflict("label") when the merchant has one so labelled.
    async fn create_terminal(&self, t: &TerminalRow, now: i64) -> StoreResult<()>;
    /// A merchant's terminals.
    async fn terminals(&self, merchant_id: &str) -> StoreResult<Vec<TerminalRow>>;
    /// One terminal of a merchant.
    async fn terminal(&self, merchant_id: &str, terminal_id: &str) -> StoreResult<TerminalRow>;
    /// Remembers that the static code with `md5`, paying `account`, is `terminal_id`'s, so a
    /// payment to it is a sale at that counter. A code already another merchant's passes to
    /// this one only when this merchant holds `account` beyond doubt and the other does not:
    /// two merchants never hold one code.
    async fn remember_counter_code(
        &self,
        merchant_id: &str,
        terminal_id: &str,
        md5: &str,
        account: &str,
        now: i64,
    ) -> StoreResult<()>;
}
