//! API keys (owner only): a POS or ERP calls the API with `Authorization: Bearer tk_…`, doing
//! what the key's scopes allow. The key is shown once and kept only hashed; revoking refuses it
//! at once and closes its open websockets.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};

use crate::api;
use crate::auth::{self, Caller};
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{ApiKeyRow, StoreError};

/// Keys one merchant may have.
pub const MAX_KEYS: usize = 20;
const MAX_NAME: usize = 80;
/// Characters of a key shown in lists (`tk_` and 6 more).
const PREFIX_LEN: usize = 9;

/// `GET|POST /api-keys`, `DELETE /api-keys/{id}`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api-keys", get(list).post(create))
        .route("/api-keys/{id}", delete(revoke))
}

fn view(k: &ApiKeyRow) -> api::ApiKeyView {
    api::ApiKeyView {
        id: k.key_id.clone(),
        name: k.name.clone(),
        prefix: k.prefix.clone(),
        scopes: k.scopes.clone(),
        created_at_ms: k.created_at,
        last_used_at_ms: k.last_used_at,
    }
}

fn too_many_keys() -> ApiError {
    ApiError::field(
        "name",
        format!("a merchant has at most {MAX_KEYS} API keys; revoke one first"),
    )
}

#[utoipa::path(post, path = "/api/v1/api-keys", tag = "api-keys", request_body = api::CreateApiKey, responses((status = 201, body = api::ApiKeyCreated, description = "made; the key is shown this once"), (status = 403, description = "only the owner", body = api::ErrorBody), (status = 422, description = "a field is wrong", body = api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<api::CreateApiKey>,
) -> Result<(StatusCode, Json<api::ApiKeyCreated>), ApiError> {
    policy::allow(&caller, Action::ManageApiKeys)?;
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(ApiError::field(
            "name",
            format!("name the key after what uses it (1 to {MAX_NAME} characters)"),
        ));
    }
    crate::profile::plain_text("name", name, MAX_NAME)?;
    let mut scopes = body.scopes;
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        return Err(ApiError::field("scopes", "give the key at least one scope"));
    }
    let merchant_id = caller.merchant_id();
    if state.store.api_keys(merchant_id).await?.len() >= MAX_KEYS {
        return Err(too_many_keys());
    }
    let key = auth::new_api_key();
    let now = now_ms();
    let row = ApiKeyRow {
        key_id: format!("key_{}", uuid::Uuid::new_v4().simple()),
        merchant_id: merchant_id.to_string(),
        name: name.to_owned(),
        prefix: key.chars().take(PREFIX_LEN).collect(),
        scopes,
        created_by: caller.user_id().to_owned(),
        last_used_at: None,
        created_at: now,
    };
    let made = state
        .store
        .create_api_key(&row, &auth::token_hash(&key), MAX_KEYS, now)
        .await?;
    if !made {
        return Err(too_many_keys());
    }
    Ok((
        StatusCode::CREATED,
        Json(api::ApiKeyCreated {
            id: row.key_id.clone(),
            key,
            api_key: view(&row),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/api-keys", tag = "api-keys", responses((status = 200, body = Vec<api::ApiKeyView>, description = "unrevoked keys, newest first"), (status = 403, description = "only the owner", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::ApiKeyView>>, ApiError> {
    policy::allow(&caller, Action::ManageApiKeys)?;
    let rows = state.store.api_keys(caller.merchant_id()).await?;
    Ok(Json(rows.iter().map(view).collect()))
}

#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)), responses((status = 204, description = "revoked: refused from now on, its open websockets closed"), (status = 403, description = "only the owner", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(key_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageApiKeys)?;
    state
        .store
        .revoke_api_key(caller.merchant_id(), &key_id, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such API key".into()),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
