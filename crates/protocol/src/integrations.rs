//! A merchant's connections to outside systems. Today: the NBC's Bakong Open API, which tonle
//! polls with the merchant's own token to see payments of its dynamic KHQRs.

use serde::{Deserialize, Serialize};

/// How tonle's checks with Bakong are going for a merchant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BakongStatus {
    /// checks answer
    Ok,
    /// Bakong refuses the token (wrong or expired): checks are paused until a new one is saved
    Unauthorized,
    /// Bakong cannot be reached (timeouts, errors): checks retry with back-off
    Unreachable,
    /// Bakong asked tonle to slow down: checks retry with back-off
    RateLimited,
    /// no token saved: payments are seen only from notifications
    NotConfigured,
    /// a status this client does not know yet
    #[serde(other)]
    Unknown,
}

impl BakongStatus {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Unauthorized => "unauthorized",
            Self::Unreachable => "unreachable",
            Self::RateLimited => "rate_limited",
            Self::NotConfigured => "not_configured",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "ok" => Self::Ok,
            "unauthorized" => Self::Unauthorized,
            "unreachable" => Self::Unreachable,
            "rate_limited" => Self::RateLimited,
            "not_configured" => Self::NotConfigured,
            _ => Self::Unknown,
        }
    }

    /// Whether payments can be seen by checking now.
    pub fn checking(self) -> bool {
        matches!(self, Self::Ok | Self::RateLimited)
    }
}

/// `PUT /api/v1/integrations/bakong`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveBakongToken {
    /// the Bakong Open API token the NBC issued to the merchant
    pub token: String,
}

/// `GET /api/v1/integrations/bakong`: the token itself never comes back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BakongIntegration {
    /// a token is saved
    pub configured: bool,
    /// how checks are going
    pub status: BakongStatus,
    /// the token's last 4 characters
    #[serde(default)]
    pub token_hint: Option<String>,
    /// when the token expires (RFC 3339), when it is a JWT that says
    #[serde(default)]
    pub expires_at: Option<String>,
    /// the same, epoch ms
    #[serde(default)]
    pub expires_at_ms: Option<i64>,
    /// the last call to Bakong (RFC 3339)
    #[serde(default)]
    pub last_checked_at: Option<String>,
    /// the same, epoch ms
    #[serde(default)]
    pub last_checked_at_ms: Option<i64>,
    /// what went wrong last, in words
    #[serde(default)]
    pub last_error: Option<String>,
}

/// The status part, as the event stream carries it to every screen of the merchant.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BakongHealth {
    /// how checks are going
    pub status: BakongStatus,
    /// what went wrong, in words
    #[serde(default)]
    pub last_error: Option<String>,
}
