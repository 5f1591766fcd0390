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
    /// Creates a store unless the merchant has `max` (counted and inserted under its lock);
    /// false when it has. Conflict("name") when the merchant has one so named.
    async fn create_store(&self, s: &StoreRow, max: usize, now: i64) -> StoreResult<bool>;
    /// A merchant's stores.
    async fn stores(&self, merchant_id: &str) -> StoreResult<Vec<StoreRow>>;
    /// Creates a terminal unless the merchant has `max`; false when it has.
    /// Conflict("label") when the merchant has one so labelled.
    async fn create_terminal(&self, t: &TerminalRow, max: usize, now: i64) -> StoreResult<bool>;
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

/// SQL: whether merchant `merchant` (an SQL expression) holds payee account `account` (another)
/// beyond doubt: a verified claim on it, or it claims it and nobody else does (no other claim,
/// no other verification). Both stores' counter-code checks use it.
pub(crate) fn holds_account(merchant: &str, account: &str) -> String {
    format!(
        "(exists (select 1 from account_verification v where v.merchant_id = {merchant} \
                  and v.account in ({account}, substr({account}, 17))) \
          or (exists (select 1 from merchant h where h.merchant_id = {merchant} \
                      and (h.bakong_account_id = {account} or h.upi_account = {account})) \
              and not exists (select 1 from account_verification v where v.merchant_id <> {merchant} \
                              and v.account in ({account}, substr({account}, 17))) \
              and not exists (select 1 from merchant o where o.merchant_id <> {merchant} \
                              and (o.bakong_account_id = {account} or o.upi_account = {account}))))"
    )
}

/// SQL: the (merchant, counter) of the counter code `$1`, when its merchant holds the account
/// the code pays beyond doubt and the notification's payee account (`$2`, may be null) is that
/// account. Otherwise a merchant who copied another's profile and showed the same code would
/// see the other's sales: such a payment takes the claims path (held until verified).
pub(crate) fn counter_of_sql() -> String {
    let account = "coalesce(c.account, m.bakong_account_id, m.upi_account)";
    format!(
        "select c.merchant_id, c.terminal_id from counter_code c \
         join merchant m on m.merchant_id = c.merchant_id \
         where c.md5 = $1 \
           and ($2 is null or $2 = {account} or $2 = substr({account}, 17)) \
           and {}",
        holds_account("c.merchant_id", account)
    )
}
