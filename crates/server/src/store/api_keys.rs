//! API keys, as stored (only the key's SHA-256).

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
