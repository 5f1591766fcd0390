//! Payee accounts claimed by profiles, their verification, and payments waiting for it.

use super::*;

/// A payee account a merchant's profile names, and whether whoever runs the server verified it.
#[derive(Debug, Clone)]
pub struct AccountClaim {
    /// Bakong account ID or UnionPay merchant ID
    pub account: String,
    /// the claiming merchant
    pub merchant_id: String,
    /// its name
    pub business_name: String,
    /// its owner's email
    pub owner_email: Option<String>,
    /// verified for this merchant
    pub verified: bool,
    /// payments waiting for this account to be verified
    pub waiting: u64,
}

/// A payment that settled no charge and names an account no merchant holds a verified claim on.
#[derive(Debug, Clone)]
pub struct UnassignedPayment {
    /// id (kept when it is credited)
    pub payment_id: String,
    /// network
    pub network: String,
    /// network's transaction id
    pub transaction_id: String,
    /// the payee account it names
    pub account: String,
    /// amount
    pub money: Money,
    /// when paid, epoch ms
    pub paid_at: i64,
    /// when received, epoch ms
    pub received_at: i64,
}

/// Payee accounts claimed by profiles, their verification, and payments waiting for it.
#[async_trait::async_trait]
pub trait ClaimStore: Send + Sync {
    /// Every payee account claimed by a profile, with its verification and waiting payments.
    async fn account_claims(&self) -> StoreResult<Vec<AccountClaim>>;
    /// Verifies that `account` is `merchant_id`'s (its profile must name it; NotFound otherwise),
    /// replacing any earlier verification, and credits the payments waiting for it to that
    /// merchant's review queue; returns the events appended.
    async fn verify_account(
        &self,
        account: &str,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<api::Event>>;
    /// Payments waiting for an account to be verified, oldest first.
    async fn unassigned_payments(&self) -> StoreResult<Vec<UnassignedPayment>>;
}
