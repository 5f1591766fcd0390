//! Payments as they arrive and are resolved, and the history of charges and payments.

use super::*;

/// Payments as they arrive and are resolved, and the history of charges and payments.
#[async_trait::async_trait]
pub trait PaymentStore: Send + Sync {
    /// Records a payment exactly once per (network, transaction id), matches it by md5 then bill
    /// number, moves the charge and appends the event — one transaction.
    async fn record_payment(&self, new: NewPayment) -> StoreResult<PaymentOutcome>;
    /// Resolves a payment that settled no charge, once; Conflict("status") when it settled one or
    /// was resolved before, NotFound when it is not the merchant's.
    async fn resolve_payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(PaymentRow, api::Event)>;
    /// One payment of a merchant, with its charge's terminal (NotFound when not theirs).
    async fn payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
    ) -> StoreResult<(PaymentRow, Option<String>)>;
    /// Payments of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_payments(
        &self,
        merchant_id: &str,
        q: &PaymentQuery,
    ) -> StoreResult<Vec<PaymentRow>>;
    /// Charges of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_charges(&self, merchant_id: &str, q: &ChargeQuery)
    -> StoreResult<Vec<ChargeRow>>;
    /// (local day index, currency, count, total minor units) of the payments kept (not marked
    /// to refund) in a range, at one terminal when given (`""`: charges made at none).
    async fn daily_totals(
        &self,
        merchant_id: &str,
        range: Range,
        offset_ms: i64,
        terminal: Option<&str>,
    ) -> StoreResult<Vec<(i64, Currency, u64, u64)>>;
}
