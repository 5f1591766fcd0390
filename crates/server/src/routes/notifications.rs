//! Payment ingestion: networks post signed notifications; each transaction is credited once.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};

use crate::api;
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::signing::WebhookSecret;
use crate::state::AppState;
use crate::store::{NewPayment, PaymentOutcome};

/// `POST /notifications/{network}`
pub fn router() -> Router<AppState> {
    Router::new().route("/notifications/{network}", post(receive))
}

fn secret_for(state: &AppState, network: api::Network) -> Result<&WebhookSecret, ApiError> {
    let s = match network {
        api::Network::Bakong => state.settings.bakong_secret.as_ref(),
        api::Network::Unionpay => state.settings.unionpay_secret.as_ref(),
        api::Network::Sandbox => state.sandbox_secret.as_ref(),
        api::Network::Unknown => None,
    };
    s.ok_or_else(|| {
        ApiError::NotFound(format!(
            "network {} is not enabled on this server",
            network.as_str()
        ))
    })
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

#[utoipa::path(post, path = "/api/v1/notifications/{network}", security(()), tag = "notifications", request_body = api::PaymentNotification, params(("network" = String, Path, description = "bakong, unionpay or sandbox"), ("webhook-id" = String, Header), ("webhook-timestamp" = String, Header), ("webhook-signature" = String, Header, description = "v1,<base64 HMAC-SHA256 of id.timestamp.body>")), responses((status = 200, body = api::NotificationAck), (status = 202, description = "kept unassigned: it settled no charge and its account has no verified claim", body = api::NotificationAck), (status = 401, description = "bad, missing or stale signature", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody)))]
async fn receive(
    State(state): State<AppState>,
    Path(network): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<api::NotificationAck>), ApiError> {
    let network = api::Network::parse(&network).ok_or_else(|| {
        ApiError::NotFound(format!(
            "unknown network {network:?}; use bakong, unionpay or sandbox"
        ))
    })?;
    let signed = Signed {
        id: header(&headers, "webhook-id"),
        timestamp: header(&headers, "webhook-timestamp"),
        signature: header(&headers, "webhook-signature"),
    };
    ingest(&state, network, signed, &body).await
}

/// A notification's Standard Webhooks headers, as they came.
pub(crate) struct Signed<'a> {
    /// `webhook-id`
    pub id: Option<&'a str>,
    /// `webhook-timestamp`
    pub timestamp: Option<&'a str>,
    /// `webhook-signature`
    pub signature: Option<&'a str>,
}

/// Every notification's one way in, from a network or from the sandbox's test wallet: the
/// signature is checked, the body read and validated, and the payment recorded exactly once.
pub(crate) async fn ingest(
    state: &AppState,
    network: api::Network,
    signed: Signed<'_>,
    body: &[u8],
) -> Result<(StatusCode, Json<api::NotificationAck>), ApiError> {
    let received = std::time::Instant::now();
    let secret = secret_for(state, network)?;
    let now = now_ms();
    secret
        .verify(
            signed.id,
            signed.timestamp,
            signed.signature,
            body,
            now / 1000,
        )
        .map_err(|e| ApiError::Unauthorized(e.to_string()))?;
    let n: api::PaymentNotification = serde_json::from_slice(body)
        .map_err(|e| ApiError::BadRequest(format!("notification body: {e}")))?;
    let money = n
        .validate()
        .map_err(|e| ApiError::field(e.field, e.message))?;
    if !crate::domain::payment::plausible_paid_at(n.paid_at_ms, now) {
        return Err(ApiError::field(
            "paid_at_ms",
            "must be within the last 7 days and at most 10 minutes ahead of this server's clock",
        ));
    }
    let new = NewPayment {
        payment_id: uuid::Uuid::new_v4().to_string(),
        network,
        transaction_id: n.transaction_id.trim().to_owned(),
        md5: n.md5.clone(),
        bill_number: n.bill_number.clone(),
        merchant_account: n.merchant_account.clone(),
        money,
        payer: n.payer.clone(),
        paid_at: n.paid_at_ms,
        now,
        webhook_id: signed.id.unwrap_or_default().to_owned(),
        body_hash: crate::auth::token_hash_bytes(body),
    };
    let outcome = state.store.record_payment(new).await?;
    crate::metrics::notification_committed(network.as_str(), received.elapsed());
    answer(network.as_str(), &n.transaction_id, outcome)
}

/// What the network is told about a recorded notification (the screens were told by the store
/// when it committed).
fn answer(
    network: &str,
    transaction_id: &str,
    outcome: PaymentOutcome,
) -> Result<(StatusCode, Json<api::NotificationAck>), ApiError> {
    let ack = |payment_id, credited, charge_id, charge_status, held| api::NotificationAck {
        payment_id,
        credited,
        charge_id,
        charge_status,
        held,
    };
    match outcome {
        PaymentOutcome::Duplicate {
            payment,
            charge_status,
        } => Ok((
            StatusCode::OK,
            Json(ack(
                payment.payment_id.into(),
                false,
                payment.charge_id.map(String::from),
                charge_status,
                false,
            )),
        )),
        PaymentOutcome::Recorded {
            payment,
            charge,
            event,
        } => {
            tracing::info!(network, transaction_id = ?payment.transaction_id, seq = event.seq, "payment recorded");
            let status = charge.map(|c| c.status);
            Ok((
                StatusCode::OK,
                Json(ack(
                    payment.payment_id.into(),
                    true,
                    payment.charge_id.map(String::from),
                    status,
                    false,
                )),
            ))
        }
        PaymentOutcome::Held { payment_id } => {
            tracing::warn!(
                network,
                transaction_id,
                "payment held: its account has no verified claim"
            );
            Ok((
                StatusCode::ACCEPTED,
                Json(ack(payment_id, false, None, None, true)),
            ))
        }
        PaymentOutcome::WebhookIdReused => Err(ApiError::Conflict {
            field: Some("webhook-id".into()),
            message: "this webhook-id was already used for a different notification".into(),
        }),
        PaymentOutcome::UnknownCharge => {
            tracing::warn!(network, transaction_id, "notification for an unknown QR");
            Err(ApiError::field(
                "md5",
                "no charge matches this md5 or bill_number",
            ))
        }
    }
}
