//! Paired devices (customer-facing kiosks): an owner or manager opens a pairing code for a
//! terminal; the tablet trades the code for a device token scoped to that terminal (no staff
//! password on the device); revoking it refuses it at once, open websocket included.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};

use crate::api;
use crate::auth::{self, Caller};
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{DeviceRow, StoreError};
use crate::throttle;

/// How long a pairing code works.
const PAIRING_TTL_MS: i64 = 10 * 60 * 1000;

/// `POST /terminals/{id}/pairing`, `POST /devices/pair`, `GET /devices`, `DELETE /devices/{id}`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/terminals/{id}/pairing", post(open_pairing))
        .route("/devices/pair", post(pair))
        .route("/devices", get(list))
        .route("/devices/{id}", delete(revoke))
}

fn view(d: &DeviceRow) -> api::DeviceView {
    api::DeviceView {
        id: d.device_id.clone(),
        terminal_id: d.terminal_id.clone(),
        name: d.name.clone(),
        paired_at_ms: d.created_at,
        revoked_at_ms: d.revoked_at,
    }
}

/// Eight random digits: typed on a tablet in seconds, and single-use, short-lived and throttled.
fn new_code() -> String {
    use rand::Rng;
    format!("{:08}", rand::rngs::OsRng.gen_range(0..100_000_000u32))
}

#[utoipa::path(post, path = "/api/v1/terminals/{id}/pairing", tag = "devices", params(("id" = String, Path)), responses((status = 201, body = api::PairingCode), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn open_pairing(
    State(state): State<AppState>,
    caller: Caller,
    Path(terminal_id): Path<String>,
) -> Result<(StatusCode, Json<api::PairingCode>), ApiError> {
    policy::allow(&caller, Action::ManageDevices)?;
    // The terminal must be this merchant's.
    state
        .store
        .terminal(caller.merchant_id(), &terminal_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such terminal".into()),
            other => other.into(),
        })?;
    let now = now_ms();
    let expires_at = now + PAIRING_TTL_MS;
    // Eight digits are one space for every merchant: a code drawn twice is drawn again.
    let mut tries = 0;
    let code = loop {
        let code = new_code();
        let made = state
            .store
            .create_pairing(
                &auth::token_hash(&code),
                caller.merchant_id(),
                &terminal_id,
                expires_at,
                now,
            )
            .await;
        match made {
            Ok(()) => break code,
            Err(StoreError::Conflict("code")) if tries < 8 => tries += 1,
            Err(e) => return Err(e.into()),
        }
    };
    Ok((
        StatusCode::CREATED,
        Json(api::PairingCode {
            code,
            terminal_id,
            expires_at_ms: expires_at,
        }),
    ))
}

/// The name a device pairs under: what it asked for, trimmed, or "Kiosk".
fn device_name(asked: Option<&str>) -> Result<&str, ApiError> {
    let name = asked
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Kiosk");
    crate::profile::plain_text("name", name, 40)?;
    Ok(name)
}

#[utoipa::path(post, path = "/api/v1/devices/pair", security(()), tag = "devices", request_body = api::PairDevice, responses((status = 201, body = api::DevicePaired), (status = 404, description = "unknown, used or expired code", body = api::ErrorBody), (status = 429, description = "too many wrong codes", body = api::ErrorBody)))]
async fn pair(
    State(state): State<AppState>,
    client: ClientAddr,
    AppJson(req): AppJson<api::PairDevice>,
) -> Result<Response, ApiError> {
    let ip = client.key;
    let now = now_ms();
    let delay = state.throttles.pairing(ip, now)?;
    if !delay.is_zero() {
        // Wrong codes pour in from everywhere: every try waits a little.
        tokio::time::sleep(delay).await;
    }
    let code: String = req.code.chars().filter(char::is_ascii_digit).collect();
    if code.len() != 8 {
        return Err(ApiError::field("code", "the 8 digits shown in settings"));
    }
    let name = device_name(req.name.as_deref())?;
    // Wrong codes count across instances too (a right one is taken back).
    let tried = throttle::SharedTry::take(
        state.store.as_ref(),
        format!("pairing-ip:{ip}"),
        throttle::PAIRING_PER_IP,
        now,
        "too many wrong codes",
    )
    .await?;
    let token = format!("{}{}", auth::DEVICE_TOKEN_PREFIX, auth::new_token());
    let device = state
        .store
        .pair_device(
            &auth::token_hash(&code),
            &uuid::Uuid::new_v4().to_string(),
            name,
            &auth::token_hash(&token),
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::NotFound => {
                state.throttles.pairing_failed(ip, now);
                ApiError::NotFound("this code is wrong, used or expired; open a new one".into())
            }
            other => other.into(),
        })?;
    tried.release(state.store.as_ref()).await?;
    let merchant = state.store.merchant(&device.merchant_id).await?;
    let body = api::DevicePaired {
        device: view(&device),
        token: token.clone(),
        merchant_name: merchant.business_name,
    };
    let cookie = auth::device_cookie(&token, state.secure_cookies(&client));
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, cookie)],
        Json(body),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/devices", tag = "devices", responses((status = 200, body = Vec<api::DeviceView>), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::DeviceView>>, ApiError> {
    policy::allow(&caller, Action::ManageDevices)?;
    let rows = state.store.devices(caller.merchant_id()).await?;
    Ok(Json(rows.iter().map(view).collect()))
}

#[utoipa::path(delete, path = "/api/v1/devices/{id}", tag = "devices", params(("id" = String, Path)), responses((status = 204, description = "revoked; its open websocket is closed"), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(device_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageDevices)?;
    state
        .store
        .revoke_device(caller.merchant_id(), &device_id, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such device".into()),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
