//! Paired devices: a customer-facing kiosk gets a token scoped to one terminal from a short code.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/terminals/{id}/pairing` answers with a one-time code for a kiosk to enter.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCode {
    /// 8 digits, single use
    pub code: String,
    /// the terminal the device will serve
    pub terminal_id: String,
    /// when the code stops working, epoch ms
    pub expires_at_ms: i64,
}

/// `POST /api/v1/devices/pair`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairDevice {
    /// the code shown on the owner's screen
    pub code: String,
    /// a name for the device in settings, e.g. "Counter tablet"
    #[serde(default)]
    pub name: Option<String>,
}

/// A paired device.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    /// device id
    pub id: String,
    /// the terminal it serves
    pub terminal_id: String,
    /// its name
    pub name: String,
    /// when paired, epoch ms
    pub paired_at_ms: i64,
    /// when revoked, if it was
    pub revoked_at_ms: Option<i64>,
}

/// The answer to a pairing: the device token (also set as an HttpOnly cookie for browsers).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevicePaired {
    /// the device
    pub device: DeviceView,
    /// bearer token for API clients (`Authorization: Bearer …`); shown once
    pub token: String,
    /// the merchant's display name, for the idle screen
    pub merchant_name: String,
}
