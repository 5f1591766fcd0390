//! Stores and terminals (counters). Their names go into tag 62 of every QR made there.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/stores`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateStore {
    /// ≤ 25 characters (tag 62-03)
    pub name: String,
}

/// A store.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreView {
    /// id
    pub id: String,
    /// name
    pub name: String,
}

/// `POST /api/v1/terminals`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTerminal {
    /// the store it stands in
    pub store_id: String,
    /// ≤ 25 characters (tag 62-07), unique per merchant
    pub label: String,
}

/// A terminal.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalView {
    /// id
    pub id: String,
    /// its store
    pub store_id: String,
    /// store name
    pub store_name: String,
    /// label
    pub label: String,
}

/// A static counter QR: the payer types the amount.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticQr {
    /// the payload
    pub payload: String,
    /// its md5
    pub md5: String,
}
