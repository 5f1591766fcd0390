//! Webhook endpoints and their outbox, as stored.

use super::StoreResult;
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
    /// attempts failed in a row (it rests between them)
    pub failures: u32,
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
    /// the endpoint's failures in a row after this attempt
    pub failures: u32,
    /// nothing more goes to the endpoint before this (after a failure)
    pub paused_until: Option<i64>,
    /// now, epoch ms
    pub now: i64,
}

/// How many deliveries may be in flight at once (over every worker): per endpoint (a failing one
/// gets one, its probe) and per merchant (over all its endpoints), so no account holds up the
/// others' webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// one endpoint
    pub per_endpoint: u32,
    /// one merchant
    pub per_merchant: u32,
}

#[async_trait::async_trait]
pub trait WebhookStore: Send + Sync {
    /// Adds a webhook endpoint unless its merchant has `max` already (counted and inserted under
    /// the merchant's lock, so parallel requests cannot pass the cap together); `false` at the
    /// cap. From then on every event it asks for is put in its outbox.
    async fn create_webhook_endpoint(
        &self,
        e: &EndpointRow,
        max: usize,
        now: i64,
    ) -> StoreResult<bool>;
    /// A merchant's endpoints (not deleted), oldest first.
    async fn webhook_endpoints(&self, merchant_id: &str) -> StoreResult<Vec<EndpointRow>>;
    /// One endpoint of a merchant; NotFound when it has none so named (or it was deleted).
    async fn webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
    ) -> StoreResult<EndpointRow>;
    /// Saves an endpoint's address, filter, description, state and secrets.
    async fn update_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()>;
    /// Deletes an endpoint; its waiting deliveries fail (kept in the log).
    async fn delete_webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// An endpoint's deliveries, newest first, after the delivery `before` (a cursor).
    async fn webhook_deliveries(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        before: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryRow>>;
    /// Makes a delivery of the merchant's due now (again, if it was delivered or failed).
    async fn retry_webhook_delivery(
        &self,
        merchant_id: &str,
        delivery_id: &str,
        now: i64,
    ) -> StoreResult<DeliveryRow>;
    /// Takes up to `limit` deliveries due at `now` of enabled endpoints not paused, in fair
    /// shares (see [`Share`]), round the merchants and soonest due first, leasing each until
    /// `lease_until` so no other worker sends it meanwhile (a crash mid-send retries after it).
    async fn claim_webhook_deliveries(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        share: Share,
    ) -> StoreResult<Vec<(DeliveryRow, EndpointRow)>>;
    /// Records an attempt on its delivery and endpoint.
    async fn finish_webhook_attempt(&self, outcome: &AttemptOutcome) -> StoreResult<()>;
    /// Forgets deliveries delivered or failed before `before` (the log keeps recent ones);
    /// returns how many.
    async fn prune_webhook_deliveries(&self, before: i64) -> StoreResult<u64>;
}
