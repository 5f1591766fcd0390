//! Webhook endpoints (owner or manager): where the merchant's other systems hear of charges and
//! payments; their secrets (shown once, rotated with a 24-hour overlap) and delivery log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson, AppQuery};
use crate::policy::{self, Action};
use crate::signing::WebhookSecret;
use crate::state::AppState;
use crate::store::{DeliveryRow, EndpointRow, StoreError};
use crate::webhooks::target;

/// Endpoints one merchant may have.
pub const MAX_ENDPOINTS: usize = 10;
/// How long the secret before a rotation keeps signing beside the new one.
pub const ROTATION_OVERLAP_MS: i64 = 24 * 3600 * 1000;
const MAX_DESCRIPTION: usize = 200;

/// `GET|POST /webhook-endpoints`, `GET|PATCH|DELETE /webhook-endpoints/{id}`,
/// `POST /webhook-endpoints/{id}/rotate-secret`, `GET /webhook-endpoints/{id}/deliveries`,
/// `POST /webhook-deliveries/{id}/retry`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webhook-endpoints", get(list).post(create))
        .route(
            "/webhook-endpoints/{id}",
            get(show).patch(update).delete(remove),
        )
        .route("/webhook-endpoints/{id}/rotate-secret", post(rotate))
        .route("/webhook-endpoints/{id}/deliveries", get(deliveries))
        .route("/webhook-deliveries/{id}/retry", post(retry))
}

fn view(e: &EndpointRow, now: i64) -> api::WebhookEndpointView {
    api::WebhookEndpointView {
        id: e.endpoint_id.clone(),
        url: e.url.clone(),
        events: e.events.clone(),
        description: e.description.clone(),
        enabled: e.enabled,
        disabled_reason: e.disabled_reason.clone(),
        failing_since_ms: e.failing_since,
        previous_secret_until_ms: e.previous_secret_until.filter(|until| *until > now),
        created_at_ms: e.created_at,
    }
}

fn delivery_view(d: &DeliveryRow) -> api::WebhookDeliveryView {
    api::WebhookDeliveryView {
        id: d.delivery_id.clone(),
        endpoint_id: d.endpoint_id.clone(),
        event: d.event,
        seq: d.seq,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_error: d.last_error.clone(),
        next_attempt_at_ms: d
            .next_attempt_at
            .filter(|_| d.status == api::DeliveryStatus::Pending),
        delivered_at_ms: d.delivered_at,
        created_at_ms: d.created_at,
    }
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::NotFound("no such webhook endpoint".into()),
        other => other.into(),
    }
}

async fn check_url(state: &AppState, merchant: &str, url: &str) -> Result<String, ApiError> {
    // The address is looked up in DNS: what is wrong on its face is refused first, free; a
    // lookup is counted per merchant.
    target::parse(url, state.settings.webhook_allow_private)
        .map_err(|r| ApiError::field("url", r.0))?;
    state.throttles.outbound(merchant, crate::clock::now_ms())?;
    target::check(url, state.settings.webhook_allow_private)
        .await
        .map(|u| u.to_string())
        .map_err(|r| ApiError::field("url", r.0))
}

fn check_description(d: Option<String>) -> Result<Option<String>, ApiError> {
    let d = d.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
    if let Some(d) = &d {
        crate::profile::plain_text("description", d, MAX_DESCRIPTION)?;
    }
    Ok(d)
}

fn event_filter(mut events: Vec<api::WebhookEvent>) -> Vec<api::WebhookEvent> {
    // A filter naming every type stays a filter: a type added later is not sent unasked.
    events.sort();
    events.dedup();
    events
}

fn seal(state: &AppState, endpoint_id: &str, secret: &WebhookSecret) -> Result<String, ApiError> {
    state
        .secrets
        .seal(endpoint_id, &secret.to_text())
        .map_err(ApiError::Internal)
}

fn too_many_endpoints() -> ApiError {
    ApiError::field(
        "url",
        format!("a merchant has at most {MAX_ENDPOINTS} webhook endpoints; delete one first"),
    )
}

#[utoipa::path(post, path = "/api/v1/webhook-endpoints", tag = "webhooks", request_body = api::CreateWebhookEndpoint, responses((status = 201, body = api::WebhookEndpointSecret, description = "made; the secret is shown this once"), (status = 403, description = "not allowed for this caller", body = api::ErrorBody), (status = 422, description = "a field is wrong (the address is not public https…)", body = api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<api::CreateWebhookEndpoint>,
) -> Result<(StatusCode, Json<api::WebhookEndpointSecret>), ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let merchant_id = caller.merchant_id();
    // Cheap first (no address resolution at the cap); the store decides under its lock.
    if state.store.webhook_endpoints(merchant_id).await?.len() >= MAX_ENDPOINTS {
        return Err(too_many_endpoints());
    }
    let description = check_description(body.description)?;
    let url = check_url(&state, merchant_id, &body.url).await?;
    let now = now_ms();
    let endpoint_id = format!("we_{}", uuid::Uuid::new_v4().simple());
    let secret = WebhookSecret::generate();
    let row = EndpointRow {
        secret_sealed: seal(&state, &endpoint_id, &secret)?,
        endpoint_id,
        merchant_id: merchant_id.to_string(),
        url,
        description,
        events: event_filter(body.events),
        previous_secret_sealed: None,
        previous_secret_until: None,
        enabled: true,
        disabled_reason: None,
        failing_since: None,
        failures: 0,
        created_at: now,
    };
    if !state
        .store
        .create_webhook_endpoint(&row, MAX_ENDPOINTS, now)
        .await?
    {
        return Err(too_many_endpoints());
    }
    Ok((
        StatusCode::CREATED,
        Json(api::WebhookEndpointSecret {
            id: row.endpoint_id.clone(),
            secret: secret.to_text(),
            endpoint: view(&row, now),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/webhook-endpoints", tag = "webhooks", responses((status = 200, body = Vec<api::WebhookEndpointView>), (status = 403, description = "not allowed for this caller", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::WebhookEndpointView>>, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let now = now_ms();
    let rows = state.store.webhook_endpoints(caller.merchant_id()).await?;
    Ok(Json(rows.iter().map(|e| view(e, now)).collect()))
}

#[utoipa::path(get, path = "/api/v1/webhook-endpoints/{id}", tag = "webhooks", params(("id" = String, Path)), responses((status = 200, body = api::WebhookEndpointView), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<api::WebhookEndpointView>, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let row = state
        .store
        .webhook_endpoint(caller.merchant_id(), &id)
        .await
        .map_err(not_found)?;
    Ok(Json(view(&row, now_ms())))
}

#[utoipa::path(patch, path = "/api/v1/webhook-endpoints/{id}", tag = "webhooks", params(("id" = String, Path)), request_body = api::UpdateWebhookEndpoint, responses((status = 200, body = api::WebhookEndpointView), (status = 404, description = "not found", body = api::ErrorBody), (status = 422, description = "a field is wrong", body = api::ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(body): AppJson<api::UpdateWebhookEndpoint>,
) -> Result<Json<api::WebhookEndpointView>, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let mut row = state
        .store
        .webhook_endpoint(caller.merchant_id(), &id)
        .await
        .map_err(not_found)?;
    if let Some(url) = body.url {
        row.url = check_url(&state, caller.merchant_id(), &url).await?;
    }
    if let Some(events) = body.events {
        row.events = event_filter(events);
    }
    if let Some(description) = body.description {
        row.description = check_description(Some(description))?;
    }
    if let Some(enabled) = body.enabled {
        row.enabled = enabled;
        if enabled {
            // Turned on again by a person: the failures so far are forgiven.
            row.disabled_reason = None;
            row.failing_since = None;
        }
    }
    let now = now_ms();
    state
        .store
        .update_webhook_endpoint(&row, now)
        .await
        .map_err(not_found)?;
    Ok(Json(view(&row, now)))
}

#[utoipa::path(delete, path = "/api/v1/webhook-endpoints/{id}", tag = "webhooks", params(("id" = String, Path)), responses((status = 204, description = "deleted; its waiting deliveries are not sent"), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    state
        .store
        .delete_webhook_endpoint(caller.merchant_id(), &id, now_ms())
        .await
        .map_err(not_found)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhook-endpoints/{id}/rotate-secret", tag = "webhooks", params(("id" = String, Path)), responses((status = 200, body = api::WebhookEndpointSecret, description = "the new secret, shown this once; the old one also signs for 24 hours"), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn rotate(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<api::WebhookEndpointSecret>, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let mut row = state
        .store
        .webhook_endpoint(caller.merchant_id(), &id)
        .await
        .map_err(not_found)?;
    // The overlap runs on the clock deliveries are signed by.
    let now = state.settings.clock.now_ms();
    let secret = WebhookSecret::generate();
    row.previous_secret_sealed = Some(std::mem::replace(
        &mut row.secret_sealed,
        seal(&state, &row.endpoint_id, &secret)?,
    ));
    row.previous_secret_until = Some(now + ROTATION_OVERLAP_MS);
    state
        .store
        .update_webhook_endpoint(&row, now)
        .await
        .map_err(not_found)?;
    Ok(Json(api::WebhookEndpointSecret {
        id: row.endpoint_id.clone(),
        secret: secret.to_text(),
        endpoint: view(&row, now),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct DeliveryQuery {
    /// page size, 1 to 100 (default 50)
    limit: Option<u32>,
    /// the id of the last delivery already seen: the page after it
    before: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/webhook-endpoints/{id}/deliveries", tag = "webhooks", params(("id" = String, Path), DeliveryQuery), responses((status = 200, body = Vec<api::WebhookDeliveryView>, description = "newest first"), (status = 404, description = "not found", body = api::ErrorBody), (status = 422, description = "a parameter is wrong", body = api::ErrorBody)))]
async fn deliveries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppQuery(q): AppQuery<DeliveryQuery>,
) -> Result<Json<Vec<api::WebhookDeliveryView>>, ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::field("limit", "between 1 and 100"));
    }
    let merchant_id = caller.merchant_id();
    state
        .store
        .webhook_endpoint(merchant_id, &id)
        .await
        .map_err(not_found)?;
    let rows = state
        .store
        .webhook_deliveries(merchant_id, &id, q.before.as_deref(), limit)
        .await?;
    Ok(Json(rows.iter().map(delivery_view).collect()))
}

#[utoipa::path(post, path = "/api/v1/webhook-deliveries/{id}/retry", tag = "webhooks", params(("id" = String, Path)), responses((status = 202, body = api::WebhookDeliveryView, description = "due now: sent within a second"), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<api::WebhookDeliveryView>), ApiError> {
    policy::allow(&caller, Action::ManageWebhooks)?;
    let row = state
        .store
        .retry_webhook_delivery(caller.merchant_id(), &id, state.settings.clock.now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such webhook delivery".into()),
            other => other.into(),
        })?;
    state.bus.wake_outbox();
    Ok((StatusCode::ACCEPTED, Json(delivery_view(&row))))
}
