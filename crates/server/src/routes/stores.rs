//! Stores and terminals, and each terminal's static counter QR (names in tag 62).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{StoreError, StoreRow, TerminalRow};

/// `GET|POST /stores`, `GET|POST /terminals`, `GET /terminals/{id}/qr`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stores", get(list_stores).post(create_store))
        .route("/terminals", get(list_terminals).post(create_terminal))
        .route("/terminals/{id}/qr", get(static_qr))
}

/// A label that fits tag 62 (≤ 25 characters, printable).
fn label(text: &str, field: &str) -> Result<String, ApiError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 25 {
        return Err(ApiError::field(field, "1 to 25 characters"));
    }
    crate::profile::plain_text(field, t, 25)?;
    Ok(t.to_owned())
}

/// Stores one merchant may have.
pub const MAX_STORES: usize = 100;
/// Counters one merchant may have, over all its stores.
pub const MAX_COUNTERS: usize = 500;

fn at_most(max: usize, what: &str) -> ApiError {
    ApiError::Conflict {
        field: None,
        message: format!("a merchant has at most {max} {what}; ask the operator for more"),
    }
}

#[utoipa::path(post, path = "/api/v1/stores", tag = "stores", request_body = api::CreateStore, responses((status = 201, body = api::StoreView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody)))]
async fn create_store(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::CreateStore>,
) -> Result<(StatusCode, Json<api::StoreView>), ApiError> {
    policy::allow(&caller, Action::EditCounters)?;
    let row = StoreRow {
        store_id: uuid::Uuid::new_v4().to_string(),
        merchant_id: caller.merchant_id().to_string(),
        name: label(&req.name, "name")?,
    };
    if !state.store.create_store(&row, MAX_STORES, now_ms()).await? {
        return Err(at_most(MAX_STORES, "stores"));
    }
    Ok((
        StatusCode::CREATED,
        Json(api::StoreView {
            id: row.store_id,
            name: row.name,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/stores", tag = "stores", responses((status = 200, body = Vec<api::StoreView>), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn list_stores(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::StoreView>>, ApiError> {
    policy::allow(&caller, Action::ReadCounters)?;
    let rows = state.store.stores(caller.merchant_id()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|s| api::StoreView {
                id: s.store_id,
                name: s.name,
            })
            .collect(),
    ))
}

fn terminal_view(t: TerminalRow) -> api::TerminalView {
    api::TerminalView {
        id: t.terminal_id,
        store_id: t.store_id,
        store_name: t.store_name,
        label: t.label,
    }
}

#[utoipa::path(post, path = "/api/v1/terminals", tag = "stores", request_body = api::CreateTerminal, responses((status = 201, body = api::TerminalView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody)))]
async fn create_terminal(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::CreateTerminal>,
) -> Result<(StatusCode, Json<api::TerminalView>), ApiError> {
    policy::allow(&caller, Action::EditCounters)?;
    let stores = state.store.stores(caller.merchant_id()).await?;
    let store = stores
        .into_iter()
        .find(|s| s.store_id == req.store_id)
        .ok_or_else(|| ApiError::field("store_id", "no such store"))?;
    let row = TerminalRow {
        terminal_id: uuid::Uuid::new_v4().to_string(),
        merchant_id: caller.merchant_id().to_string(),
        store_id: store.store_id,
        store_name: store.name,
        label: label(&req.label, "label")?,
    };
    if !state
        .store
        .create_terminal(&row, MAX_COUNTERS, now_ms())
        .await?
    {
        return Err(at_most(MAX_COUNTERS, "counters"));
    }
    Ok((StatusCode::CREATED, Json(terminal_view(row))))
}

#[utoipa::path(get, path = "/api/v1/terminals", tag = "stores", responses((status = 200, body = Vec<api::TerminalView>), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn list_terminals(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::TerminalView>>, ApiError> {
    policy::allow(&caller, Action::ReadCounters)?;
    let rows = state.store.terminals(caller.merchant_id()).await?;
    Ok(Json(
        rows.into_iter()
            .filter(|t| policy::sees_counter(&caller, Some(&t.terminal_id)))
            .map(terminal_view)
            .collect(),
    ))
}

/// The terminal's static code for the counter poster: the payer types the amount.
#[utoipa::path(get, path = "/api/v1/terminals/{id}/qr", tag = "stores", params(("id" = String, Path)), responses((status = 200, body = api::StaticQr), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn static_qr(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<api::StaticQr>, ApiError> {
    policy::allow(&caller, Action::CounterQr)?;
    if !policy::sees_counter(&caller, Some(&id)) {
        return Err(ApiError::NotFound("no such terminal".into()));
    }
    let terminal = state
        .store
        .terminal(caller.merchant_id(), &id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such terminal".into()),
            other => other.into(),
        })?;
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let encoded = match merchant.country {
        api::Country::KH => {
            let mut input =
                crate::profile::khqr_input(&merchant, None, None, Some(&terminal.label), 0, 0);
            input.store_label = Some(terminal.store_name.clone());
            khqr::khqr::encode(&input, 0)?
        }
        api::Country::CN => {
            let input =
                crate::profile::unionpay_input(&merchant, None, None, Some(&terminal.label))
                    .ok_or_else(|| {
                        ApiError::field(
                            "upi",
                            "add a UnionPay merchant account to the profile first",
                        )
                    })?;
            khqr::unionpay::encode(&input)?
        }
    };
    let md5 = encoded.md5.to_string();
    // The payee account the code encodes: the code is this merchant's only while the account is.
    let account = match merchant.country {
        api::Country::KH => merchant.bakong_account_id.clone(),
        api::Country::CN => merchant.upi_account.clone(),
    }
    .unwrap_or_default();
    // A payment to this code is then a sale at this counter.
    state
        .store
        .remember_counter_code(caller.merchant_id(), &id, &md5, &account, now_ms())
        .await?;
    Ok(Json(api::StaticQr {
        payload: encoded.payload,
        md5,
    }))
}
