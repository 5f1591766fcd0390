//! Webhooks out: a merchant's other systems (POS, ERP, accounting) are told of charges and
//! payments by signed HTTPS calls (Standard Webhooks), kept in an outbox and retried on a known
//! schedule until they answer 2xx.

use serde::{Deserialize, Serialize};

use crate::{ChargeStatus, EventData};

/// What a webhook tells of. The wire names are dotted (`charge.paid`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WebhookEvent {
    /// a charge was made (its QR can be shown)
    #[serde(rename = "charge.created")]
    ChargeCreated,
    /// a charge was paid in time
    #[serde(rename = "charge.paid")]
    ChargePaid,
    /// a charge was paid after it expired: the merchant keeps or refunds it
    #[serde(rename = "charge.paid_late")]
    ChargePaidLate,
    /// a charge expired unpaid
    #[serde(rename = "charge.expired")]
    ChargeExpired,
    /// a charge was cancelled
    #[serde(rename = "charge.cancelled")]
    ChargeCancelled,
    /// a payment to a counter's printed code (the payer typed the amount)
    #[serde(rename = "payment.received")]
    PaymentReceived,
    /// a payment settled no charge (wrong amount, second payment, unknown bill)
    #[serde(rename = "payment.unmatched")]
    PaymentUnmatched,
    /// the merchant kept or refunded a late or unmatched payment
    #[serde(rename = "payment.resolved")]
    PaymentResolved,
}

impl WebhookEvent {
    /// Every type, in the order screens list them.
    pub const ALL: [Self; 8] = [
        Self::ChargeCreated,
        Self::ChargePaid,
        Self::ChargePaidLate,
        Self::ChargeExpired,
        Self::ChargeCancelled,
        Self::PaymentReceived,
        Self::PaymentUnmatched,
        Self::PaymentResolved,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ChargeCreated => "charge.created",
            Self::ChargePaid => "charge.paid",
            Self::ChargePaidLate => "charge.paid_late",
            Self::ChargeExpired => "charge.expired",
            Self::ChargeCancelled => "charge.cancelled",
            Self::PaymentReceived => "payment.received",
            Self::PaymentUnmatched => "payment.unmatched",
            Self::PaymentResolved => "payment.resolved",
        }
    }

    /// Reads a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// What an entry of the event log is told as, if it is told at all (Bakong's status is a
    /// screen matter, not an integration's).
    pub fn of(data: &EventData) -> Option<Self> {
        Some(match data {
            EventData::ChargeCreated { .. } => Self::ChargeCreated,
            EventData::ChargePaid { charge, .. } if charge.status == ChargeStatus::PaidLate => {
                Self::ChargePaidLate
            }
            EventData::ChargePaid { .. } => Self::ChargePaid,
            EventData::ChargeExpired { .. } => Self::ChargeExpired,
            EventData::ChargeCancelled { .. } => Self::ChargeCancelled,
            EventData::PaymentReceived { .. } => Self::PaymentReceived,
            EventData::PaymentUnmatched { .. } => Self::PaymentUnmatched,
            EventData::ChargeResolved { .. } | EventData::PaymentResolved { .. } => {
                Self::PaymentResolved
            }
            EventData::BakongStatus { .. } | EventData::Unknown => return None,
        })
    }
}

/// `POST /api/v1/webhook-endpoints`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWebhookEndpoint {
    /// where to send: `https://…` (plain http and private addresses only when the server allows
    /// them)
    pub url: String,
    /// which events to send; empty: every event
    #[serde(default)]
    pub events: Vec<WebhookEvent>,
    /// what it is for ("POS", "accounting")
    #[serde(default)]
    pub description: Option<String>,
}

/// `PATCH /api/v1/webhook-endpoints/{id}`: only what is given changes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateWebhookEndpoint {
    /// a new address
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// a new event filter (empty: every event)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<WebhookEvent>>,
    /// a new description
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// turn sending off, or on again (which also clears a disable for failures)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// A webhook endpoint (its secret is shown only when made or rotated).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    /// id
    pub id: String,
    /// where it sends
    pub url: String,
    /// which events (empty: every event)
    pub events: Vec<WebhookEvent>,
    /// what it is for
    pub description: Option<String>,
    /// whether it sends
    pub enabled: bool,
    /// why tonle turned it off (every delivery failed for 5 days), when it did
    pub disabled_reason: Option<String>,
    /// since when every delivery has failed, epoch ms
    pub failing_since_ms: Option<i64>,
    /// until when the previous secret also signs, epoch ms (after a rotation)
    pub previous_secret_until_ms: Option<i64>,
    /// when made, epoch ms
    pub created_at_ms: i64,
}

/// Answer to making an endpoint or rotating its secret: the secret, this once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEndpointSecret {
    /// the endpoint id
    pub id: String,
    /// `whsec_…`: verify `webhook-signature` with it; shown once
    pub secret: String,
    /// the endpoint
    pub endpoint: WebhookEndpointView,
}

/// Where a delivery stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// waiting for its next attempt
    Pending,
    /// answered 2xx
    Delivered,
    /// every scheduled attempt failed
    Failed,
    /// a status this client does not know yet
    #[serde(other)]
    Unknown,
}

impl DeliveryStatus {
    /// The stored and wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "delivered" => Self::Delivered,
            "failed" => Self::Failed,
            _ => Self::Unknown,
        }
    }
}

/// One event sent to one endpoint, with how its attempts went.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDeliveryView {
    /// id; also the `webhook-id` header of every attempt
    pub id: String,
    /// the endpoint
    pub endpoint_id: String,
    /// what it tells
    pub event: WebhookEvent,
    /// the event log's sequence number
    pub seq: u64,
    /// where it stands
    pub status: DeliveryStatus,
    /// attempts made
    pub attempts: u32,
    /// HTTP status of the last answer, when there was one
    pub last_status_code: Option<u16>,
    /// what went wrong last ("HTTP 500", "timed out after 10 s", "refused: private address")
    pub last_error: Option<String>,
    /// when the next attempt is due, epoch ms (pending only)
    pub next_attempt_at_ms: Option<i64>,
    /// when it answered 2xx, epoch ms
    pub delivered_at_ms: Option<i64>,
    /// when the event happened, epoch ms
    pub created_at_ms: i64,
}

/// The body tonle sends: `{"type", "timestamp", "data"}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookBody {
    /// event type, e.g. `charge.paid`
    #[serde(rename = "type")]
    pub kind: WebhookEvent,
    /// when it happened, RFC 3339
    pub timestamp: String,
    /// the event: `seq`, and `charge` and/or `payment` as the REST API shows them
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: serde_json::Value,
}
