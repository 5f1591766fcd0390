//! The per-merchant event log as the websocket carries it: sequenced, replayable, forward compatible.

use serde::{Deserialize, Serialize};

use crate::{ChargeView, PaymentView};

/// One entry of a merchant's event log. `seq` rises by one per merchant, with no gaps.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// sequence number within the merchant's log
    pub seq: u64,
    /// when it happened, epoch ms
    pub at_ms: i64,
    /// what happened
    #[serde(flatten)]
    pub data: EventData,
}

/// What happened.
// reason: short-lived wire values; boxing would only add noise at every construction site
#[allow(clippy::large_enum_variant)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventData {
    /// a charge was created
    ChargeCreated {
        /// the charge
        charge: ChargeView,
    },
    /// a payment settled a charge (paid or paid late)
    ChargePaid {
        /// the charge after payment
        charge: ChargeView,
        /// the payment
        payment: PaymentView,
    },
    /// a charge was cancelled
    ChargeCancelled {
        /// the charge
        charge: ChargeView,
    },
    /// a charge expired unpaid
    ChargeExpired {
        /// the charge
        charge: ChargeView,
    },
    /// a late payment was resolved by the merchant
    ChargeResolved {
        /// the charge
        charge: ChargeView,
    },
    /// a payment matched no charge; kept for the merchant to resolve
    PaymentUnmatched {
        /// the payment
        payment: PaymentView,
    },
    /// the merchant resolved a payment that settled no charge
    PaymentResolved {
        /// the payment, with its resolution
        payment: PaymentView,
    },
    /// an event kind this client does not know yet
    #[serde(other)]
    Unknown,
}

/// A message from server to client on `GET /api/v1/events`.
// reason: as for EventData
#[allow(clippy::large_enum_variant)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// sent first: the replay after `since` follows, then live events
    Hello {
        /// the highest sequence number at connect time
        head: u64,
    },
    /// one event
    Event {
        /// the event
        event: Event,
    },
    /// keep-alive
    Heartbeat {
        /// head sequence number now
        head: u64,
    },
    /// a message kind this client does not know yet
    #[serde(other)]
    Unknown,
}

/// Close codes: 4000–4499 reconnect and resume; 4500–4999 do not reconnect.
pub mod close {
    /// the client fell behind the live stream; reconnect with `since`
    pub const LAGGED: u16 = 4000;
    /// server shutting down; reconnect
    pub const SHUTDOWN: u16 = 4001;
    /// credentials no longer valid
    pub const UNAUTHORIZED: u16 = 4501;
    /// this device was revoked from settings; pair again
    pub const REVOKED: u16 = 4503;
}
