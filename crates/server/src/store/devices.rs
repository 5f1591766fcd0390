//! Paired customer displays and their pairing codes.

use super::*;

/// A paired device as stored (its token only as a hash).
#[derive(Debug, Clone)]
pub struct DeviceRow {
    /// device id
    pub device_id: String,
    /// merchant
    pub merchant_id: String,
    /// the terminal it serves
    pub terminal_id: String,
    /// its name
    pub name: String,
    /// when revoked
    pub revoked_at: Option<i64>,
    /// when paired
    pub created_at: i64,
}

/// Paired customer displays and their pairing codes.
/// Pairing codes one counter may have open at once.
pub const MAX_OPEN_PAIRINGS: usize = 3;

#[async_trait::async_trait]
pub trait DeviceStore: Send + Sync {
    /// Stores a one-time pairing code (by hash) for a terminal of the merchant; past
    /// `MAX_OPEN_PAIRINGS` open codes of the terminal the oldest ends. Conflict("code") when
    /// another open or spent code has the same hash (draw another).
    async fn create_pairing(
        &self,
        code_hash: &str,
        merchant_id: &str,
        terminal_id: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()>;
    /// Uses a pairing code once and records the device; NotFound when the code is unknown,
    /// used or expired.
    async fn pair_device(
        &self,
        code_hash: &str,
        device_id: &str,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<DeviceRow>;
    /// The unrevoked device holding this token.
    async fn device(&self, token_hash: &str) -> StoreResult<Option<DeviceRow>>;
    /// The merchant's devices, newest first.
    async fn devices(&self, merchant_id: &str) -> StoreResult<Vec<DeviceRow>>;
    /// Revokes a device of the merchant; NotFound when it has none so named.
    async fn revoke_device(&self, merchant_id: &str, device_id: &str, now: i64) -> StoreResult<()>;
}
