//! Webhook endpoints and their outbox, as stored.

use crate::api;

/// A webhook endpoint (its secrets only sealed).
#[derive(Debug, Clone)]
pub struct EndpointRow {
    /// id
    pub endpoint_id: String,
    /// merchant
    pub merchant_id: String,
    /// where it sends
    pub url: String,
    /// what it is for
    pub description: Option<String>,
    /// which events (empty: every event)
    pub events: Vec<api::WebhookEvent>,
    /// the signing secret, sealed by `secrets::SecretBox` for this endpoint
    pub secret_sealed: String,
    /// the secret before the last rotation, sealed
    pub previous_secret_sealed: Option<String>,
    /// until when the previous secret also signs, epoch ms
    pub previous_secret_until: Option<i64>,
    /// whether it sends
    pub enabled: bool,
    /// why tonle turned it off
    pub disabled_reason: Option<String>,
    /// since when every attempt has failed, epoch ms
    pub failing_since: Option<i64>,
    /// created, epoch ms
    pub created_at: i64,
}

/// One event for one endpoint.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// id: the `webhook-id` of every attempt
    pub delivery_id: String,
    /// endpoint
    pub endpoint_id: String,
    /// merchant
    pub merchant_id: String,
    /// the event's sequence number
    pub seq: u64,
    /// its type
    pub event: api::WebhookEvent,
    /// the JSON body sent
    pub body: String,
    /// where it stands
    pub status: api::DeliveryStatus,
    /// attempts made
    pub attempts: u32,
    /// next attempt due, epoch ms
    pub next_attempt_at: Option<i64>,
    /// HTTP status of the last answer
    pub last_status_code: Option<u16>,
    /// what went wrong last
    pub last_error: Option<String>,
    /// when answered 2xx, epoch ms
    pub delivered_at: Option<i64>,
    /// the event's time, epoch ms
    pub created_at: i64,
}

/// How one attempt went, and what follows from it (decided by `webhooks::schedule`).
#[derive(Debug, Clone)]
pub struct AttemptOutcome {
    /// the delivery
    pub delivery_id: String,
    /// its endpoint
    pub endpoint_id: String,
    /// answered 2xx
    pub delivered: bool,
    /// the answer's status, when there was one
    pub status_code: Option<u16>,
    /// what went wrong
    pub error: Option<String>,
    /// the next attempt (`None` after a failure: the delivery has failed for good)
    pub next_attempt_at: Option<i64>,
    /// the endpoint's failing-since after this attempt
    pub failing_since: Option<i64>,
    /// set when this failure turns the endpoint off
    pub disable_reason: Option<String>,
    /// now, epoch ms
    pub now: i64,
}
