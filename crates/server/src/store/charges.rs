//! Charges and the moves a merchant or the clock makes them take.

use super::*;

/// What to insert for a new charge.
#[derive(Debug, Clone)]
pub struct NewCharge {
    /// the charge (status pending)
    pub charge: ChargeRow,
    /// Idempotency-Key header
    pub idempotency_key: Option<String>,
}

/// Filters of a charge list.
#[derive(Debug, Clone, Default)]
pub struct ChargeQuery {
    /// time range
    pub range: Range,
    /// status
    pub status: Option<api::ChargeStatus>,
    /// bill number
    pub bill_number: Option<String>,
    /// terminal; `""` for charges made at no terminal
    pub terminal_id: Option<String>,
    /// keyset: (created_at, id) of the last item already seen
    pub before: Option<(i64, String)>,
    /// page size
    pub limit: u32,
}

/// Charges and the moves a merchant or the clock makes them take.
#[async_trait::async_trait]
pub trait ChargeStore: Send + Sync {
    /// Reserves the next bill number of a merchant.
    async fn next_bill_number(
        &self,
        merchant_id: &api::MerchantId,
        now: i64,
    ) -> StoreResult<api::BillNumber>;
    /// A charge created earlier with this idempotency key.
    async fn charge_by_idempotency_key(
        &self,
        merchant_id: &api::MerchantId,
        key: &str,
    ) -> StoreResult<Option<ChargeRow>>;
    /// Inserts a pending charge and appends `charge_created`.
    async fn insert_charge(&self, new: NewCharge, now: i64)
    -> StoreResult<(ChargeRow, api::Event)>;
    /// A charge of a merchant.
    async fn charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
    ) -> StoreResult<ChargeRow>;
    /// Moves a pending charge to cancelled and appends `charge_cancelled`.
    async fn cancel_charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)>;
    /// Resolves a late payment; Conflict("status") unless the charge is paid late and unresolved.
    async fn resolve_charge(
        &self,
        merchant_id: &api::MerchantId,
        charge_id: &api::ChargeId,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)>;
    /// Expires pending charges past their expiry; returns (merchant, event) per charge.
    async fn expire_due(&self, now: i64) -> StoreResult<Vec<(String, api::Event)>>;
}
