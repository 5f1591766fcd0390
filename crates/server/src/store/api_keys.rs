//! API keys, as stored (only the key's SHA-256).

use super::StoreResult;
use crate::api;

/// An API key.
#[derive(Debug, Clone)]
pub struct ApiKeyRow {
    /// id
    pub key_id: String,
    /// merchant
    pub merchant_id: String,
    /// what uses it
    pub name: String,
    /// the key's first characters
    pub prefix: String,
    /// what it may do
    pub scopes: Vec<api::Scope>,
    /// who made it (a user id)
    pub created_by: String,
    /// last used, epoch ms (to the minute)
    pub last_used_at: Option<i64>,
    /// made, epoch ms
    pub created_at: i64,
}

/// API keys.
#[async_trait::async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Stores a new API key (by hash) unless its merchant has `max` unrevoked keys already
    /// (counted and inserted under the merchant's lock); `false` at the cap.
    async fn create_api_key(
        &self,
        key: &ApiKeyRow,
        key_hash: &str,
        max: usize,
        now: i64,
    ) -> StoreResult<bool>;
    /// A merchant's unrevoked keys, newest first.
    async fn api_keys(&self, merchant_id: &str) -> StoreResult<Vec<ApiKeyRow>>;
    /// The unrevoked key with this hash; notes its use (at most once a minute).
    async fn use_api_key(&self, key_hash: &str, now: i64) -> StoreResult<Option<ApiKeyRow>>;
    /// Revokes a key of the merchant; NotFound when it has none so named.
    async fn revoke_api_key(&self, merchant_id: &str, key_id: &str, now: i64) -> StoreResult<()>;
}
