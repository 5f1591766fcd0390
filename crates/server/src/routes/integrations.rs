//! The merchant's Bakong Open API token (owner only; sealed at rest; never sent back), how checks
//! with it go (every screen), and "check now" on a charge.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::api;
use crate::auth::Caller;
use crate::bakong::client::{Fault, Lookup};
use crate::clock::{now_ms, rfc3339};
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::BakongRow;
use crate::views;

/// `GET|PUT|DELETE /integrations/bakong`, `POST /charges/{id}/check`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/integrations/bakong", get(show).put(save).delete(remove))
        .route("/charges/{id}/check", post(check_now))
}

/// A token as the NBC issues it: printable ASCII without spaces (JWTs are), at most 4 KiB.
fn check_token(token: &str) -> Result<&str, ApiError> {
    let t = token.trim();
    if t.len() < 8 || t.len() > 4096 || !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::field(
            "token",
            "paste the whole Bakong Open API token (8 to 4096 characters, no spaces)",
        ));
    }
    Ok(t)
}

/// The expiry a JWT token states (`exp`, seconds), in epoch ms.
fn jwt_expiry(token: &str) -> Option<i64> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("exp")?.as_i64()?.checked_mul(1000)
}

fn hint(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn view(row: Option<&BakongRow>, last_call: Option<i64>) -> api::BakongIntegration {
    let Some(row) = row else {
        return api::BakongIntegration {
            configured: false,
            status: api::BakongStatus::NotConfigured,
            token_hint: None,
            expires_at: None,
            expires_at_ms: None,
            last_checked_at: None,
            last_checked_at_ms: None,
            last_error: None,
        };
    };
    let checked = last_call.max(row.last_checked_at);
    api::BakongIntegration {
        configured: true,
        status: row.status,
        token_hint: Some(row.token_hint.clone()),
        expires_at: row.token_expires_at.map(rfc3339),
        expires_at_ms: row.token_expires_at,
        last_checked_at: checked.map(rfc3339),
        last_checked_at_ms: checked,
        last_error: row.last_error.clone(),
    }
}

#[utoipa::path(get, path = "/api/v1/integrations/bakong", tag = "integrations", responses((status = 200, body = api::BakongIntegration), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::BakongIntegration>, ApiError> {
    policy::allow(&caller, Action::ReadIntegrations)?;
    let row = state.store.bakong(caller.merchant_id()).await?;
    Ok(Json(view(
        row.as_ref(),
        state.bakong.last_call(caller.merchant_id()),
    )))
}

#[utoipa::path(put, path = "/api/v1/integrations/bakong", tag = "integrations", request_body = api::SaveBakongToken, responses((status = 200, description = "saved; `status` says whether Bakong accepts it", body = api::BakongIntegration), (status = 403, description = "only the owner", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody)))]
async fn save(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::SaveBakongToken>,
) -> Result<Json<api::BakongIntegration>, ApiError> {
    policy::allow(&caller, Action::ManageIntegrations)?;
    let token = check_token(&req.token)?;
    let merchant_id = caller.merchant_id();
    state.throttles.outbound(merchant_id, now_ms())?;
    // Ask Bakong about an md5 no code has: a token it accepts answers "not found".
    let probe = state
        .bakong
        .client()
        .check_md5(token, &"0".repeat(32))
        .await;
    let (status, last_error) = match probe {
        Ok(Lookup::NotFound | Lookup::Paid(_) | Lookup::StaticQr | Lookup::Failed) => {
            (api::BakongStatus::Ok, None)
        }
        Err(f @ Fault::Unauthorized) => (api::BakongStatus::Unauthorized, Some(f.to_string())),
        Err(f @ Fault::RateLimited { .. }) => (api::BakongStatus::RateLimited, Some(f.to_string())),
        Err(f) => (api::BakongStatus::Unreachable, Some(f.to_string())),
    };
    let now = now_ms();
    let row = BakongRow {
        merchant_id: merchant_id.to_string(),
        token_sealed: state
            .bakong
            .secrets()
            .seal(merchant_id, token)
            .map_err(ApiError::Internal)?,
        token_hint: hint(token),
        token_expires_at: jwt_expiry(token),
        status,
        last_error,
        last_checked_at: Some(now),
    };
    state.store.save_bakong(&row, now).await?;
    state.bakong.wake();
    Ok(Json(view(Some(&row), Some(now))))
}

#[utoipa::path(delete, path = "/api/v1/integrations/bakong", tag = "integrations", responses((status = 204, description = "forgotten; payments are seen from notifications only"), (status = 403, description = "only the owner", body = api::ErrorBody)))]
async fn remove(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageIntegrations)?;
    state
        .store
        .delete_bakong(caller.merchant_id(), now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/charges/{id}/check", tag = "integrations", params(("id" = String, Path)), responses((status = 200, description = "asked Bakong; the charge as it is now", body = api::ChargeView), (status = 404, description = "not found", body = api::ErrorBody), (status = 409, description = "no usable Bakong token", body = api::ErrorBody), (status = 429, description = "asked a moment ago", body = api::ErrorBody), (status = 503, description = "Bakong did not answer", body = api::ErrorBody)))]
async fn check_now(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::ChargeId>,
) -> Result<Json<api::ChargeView>, ApiError> {
    policy::allow(&caller, Action::CheckCharge)?;
    let charge = super::charges::visible_charge(&state, &caller, &id).await?;
    if !matches!(
        charge.status,
        api::ChargeStatus::Pending | api::ChargeStatus::Expired
    ) {
        return Ok(Json(views::charge(&charge)));
    }
    state
        .bakong
        .check_now(state.store.as_ref(), &charge)
        .await?;
    // Read again: the check may have settled it.
    let charge = super::charges::visible_charge(&state, &caller, &id).await?;
    Ok(Json(views::charge(&charge)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwt_states_its_expiry_and_only_the_last_four_characters_are_kept() {
        let payload =
            URL_SAFE_NO_PAD.encode(br#"{"data":{"id":"x"},"iat":1700000000,"exp":1707776000}"#);
        let token = format!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{payload}.c2lnbmF0dXJl");
        assert_eq!(jwt_expiry(&token), Some(1_707_776_000_000));
        assert_eq!(jwt_expiry("not-a-jwt-token"), None);
        assert_eq!(hint(&token), "dXJl");
        assert!(check_token("short").is_err());
        assert!(check_token("has a space in it").is_err());
        assert!(check_token(&token).is_ok());
    }
}
