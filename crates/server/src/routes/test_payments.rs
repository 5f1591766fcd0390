//! The sandbox's test wallet: "Pay as a test wallet" beside a QR. Mounted only on a server started
//! with `--sandbox` (elsewhere the path is no endpoint, 404). The wallet's notification is built as
//! `tonle simulate pay` builds it, signed with the sandbox secret and taken in through the same
//! `notifications::ingest` as a real network's, signature check included.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::domain::test_wallet::{self, Wallet};
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;

/// `POST /charges/{id}/test-payment`
pub fn router() -> Router<AppState> {
    Router::new().route("/charges/{id}/test-payment", post(pay))
}

#[utoipa::path(post, path = "/api/v1/charges/{id}/test-payment", tag = "charges", params(("id" = String, Path)), request_body = api::TestPayment, responses((status = 200, description = "the test wallet paid; what its network was answered", body = api::NotificationAck), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this caller", body = api::ErrorBody), (status = 404, description = "no such charge, or this server is not in sandbox mode", body = api::ErrorBody), (status = 422, description = "a field is invalid, or the QR expired and after_expiry is not set", body = api::ErrorBody), (status = 429, description = "too many charges and test payments a minute", body = api::ErrorBody)))]
async fn pay(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::ChargeId>,
    AppJson(req): AppJson<api::TestPayment>,
) -> Result<(StatusCode, Json<api::NotificationAck>), ApiError> {
    policy::allow(&caller, Action::TestPayment)?;
    let secret = state
        .sandbox_secret
        .clone()
        .ok_or_else(|| ApiError::NotFound("no such API endpoint".into()))?;
    let charge = super::charges::visible_charge(&state, &caller, &id).await?;
    if let Some(rate) = &req.rate
        && (rate.len() > 20 || !api::text::is_decimal(rate, 12, 6))
    {
        return Err(ApiError::field(
            "rate",
            "a positive decimal number of yuan's worth, like 565 or 0.1385",
        ));
    }
    // A test payment is paid for like a charge: it counts in the merchant's (and key's) rate.
    let key_id = match &caller {
        Caller::ApiKey { key_id, .. } => Some(key_id.as_str()),
        _ => None,
    };
    let now = now_ms();
    state.throttles.charge(caller.merchant_id(), key_id, now)?;
    let mut wallet = Wallet::picked(req.wallet, charge.money.currency, req.rate.clone());
    wallet.allow_expired = req.after_expiry;
    let n = test_wallet::notification(&charge.payload, &wallet, now)
        .map_err(|e| ApiError::field(e.field(), e.to_string()))?;
    let body = serde_json::to_vec(&n).map_err(|e| ApiError::Internal(e.into()))?;
    let msg = format!("msg_{}", uuid::Uuid::new_v4().simple());
    let ts = now / 1000;
    let signature = secret.sign(&msg, ts, &body);
    let ts = ts.to_string();
    let signed = super::notifications::Signed {
        id: Some(&msg),
        timestamp: Some(&ts),
        signature: Some(&signature),
    };
    super::notifications::ingest(&state, api::Network::Sandbox, signed, &body).await
}
