//! Payee accounts claimed by profiles, their verification, and payments waiting for it.

use super::*;

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
