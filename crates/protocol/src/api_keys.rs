//! API keys: how a POS, an ERP or a script calls tonle without a browser. A key belongs to the
//! merchant, carries scopes, is shown once and stored only hashed.

use serde::{Deserialize, Serialize};

/// What a key may do.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scope {
    /// see charges (and ask Bakong about one now)
    #[serde(rename = "charges:read")]
    ChargesRead,
    /// make and cancel charges
    #[serde(rename = "charges:write")]
    ChargesWrite,
    /// see payments, daily totals and the CSV export
    #[serde(rename = "payments:read")]
    PaymentsRead,
    /// the live event websocket
    #[serde(rename = "events:read")]
    EventsRead,
}

impl Scope {
    /// Every scope, in the order screens list them.
    pub const ALL: [Self; 4] = [
        Self::ChargesRead,
        Self::ChargesWrite,
        Self::PaymentsRead,
        Self::EventsRead,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ChargesRead => "charges:read",
            Self::ChargesWrite => "charges:write",
            Self::PaymentsRead => "payments:read",
            Self::EventsRead => "events:read",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// `POST /api/v1/api-keys`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateApiKey {
    /// what uses it ("Front POS")
    pub name: String,
    /// what it may do (at least one)
    pub scopes: Vec<Scope>,
}

/// A key as listed: never the key itself.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyView {
    /// id
    pub id: String,
    /// what uses it
    pub name: String,
    /// the key's first characters, to tell keys apart (`tk_3fa9…`)
    pub prefix: String,
    /// what it may do
    pub scopes: Vec<Scope>,
    /// when made, epoch ms
    pub created_at_ms: i64,
    /// when last used, epoch ms (to the minute)
    pub last_used_at_ms: Option<i64>,
}

/// Answer to making a key: the key, this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyCreated {
    /// the key's id
    pub id: String,
    /// `tk_…`: send as `Authorization: Bearer <key>`; shown once
    pub key: String,
    /// the key as listed
    pub api_key: ApiKeyView,
}
