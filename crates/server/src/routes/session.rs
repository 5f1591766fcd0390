//! Sign in and sign out with a session cookie.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};

use super::sessions::UserAgent;
use crate::api;
use crate::auth::{self, Caller};
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::state::AppState;
use crate::store::{MerchantRow, NewSession, UserRow};
use crate::throttle;

/// `POST|GET|DELETE /session`
pub fn router() -> Router<AppState> {
    Router::new().route("/session", post(login).get(current).delete(logout))
}

#[utoipa::path(post, path = "/api/v1/session", security(()), tag = "session", request_body = api::Login, responses((status = 200, body = api::SessionView), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 429, description = "too many failed sign-ins", body = api::ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    agent: UserAgent,
    AppJson(req): AppJson<api::Login>,
) -> Result<Response, ApiError> {
    // Cheap checks first: no hashing, no lookup for what cannot be an account.
    if req.email.len() > 254 {
        return Err(ApiError::field("email", "at most 254 characters"));
    }
    if req.password.len() > 1024 {
        return Err(ApiError::field("password", "at most 1024 characters"));
    }
    let email = req.email.trim().to_lowercase();
    let ip = client.key;
    let now = now_ms();
    let delay = state.throttles.signin(&email, ip, now)?;
    let shared = throttle::signin_shared(state.store.as_ref(), &email, ip, now).await?;
    if !delay.is_zero() {
        // This account is being guessed at from elsewhere: every try on it waits a little.
        tokio::time::sleep(delay).await;
    }
    let user = state.store.user_by_email(&email).await?;
    // An unknown email costs a hash too, so timing does not reveal which emails exist.
    let stored = user.as_ref().map(|u| u.password_hash.as_str());
    let ok = state.hasher.verify(&req.password, stored).await?;
    let Some(user) = user.filter(|_| ok) else {
        // Counted as a failure already, when the try began.
        return Err(ApiError::Unauthorized("email or password is wrong".into()));
    };
    state.throttles.signin_succeeded(&email, ip);
    throttle::signin_shared_succeeded(state.store.as_ref(), &shared).await?;
    let merchant = state.store.merchant(&user.merchant_id).await?;
    start_session(
        &state,
        user,
        &merchant,
        StatusCode::OK,
        &client,
        &agent,
        now_ms(),
    )
    .await
}

/// Signs `user` in: stores a new session and answers `status` with the session and its cookie.
/// Sign-in, registration and accepting an invitation all end here.
pub(crate) async fn start_session(
    state: &AppState,
    user: UserRow,
    merchant: &MerchantRow,
    status: StatusCode,
    client: &ClientAddr,
    agent: &UserAgent,
    now: i64,
) -> Result<Response, ApiError> {
    let token = auth::new_token();
    let session_id = format!("ses_{}", uuid::Uuid::new_v4().simple());
    let session = NewSession {
        token_hash: &auth::token_hash(&token),
        session_id: &session_id,
        user: &user,
        user_agent: agent.0.as_deref(),
        expires_at: now + auth::SESSION_DAYS * 86_400_000,
    };
    state.store.create_session(&session, now).await?;
    // A cashier's counter, as `GET /session` names it.
    let terminal_id = match user.role {
        api::StaffRole::Cashier => {
            state
                .store
                .staff_member(&user.merchant_id, &user.user_id)
                .await?
                .terminal_id
        }
        _ => None,
    };
    let body = api::SessionView {
        email: user.email,
        role: user.role.into(),
        merchant: crate::views::merchant(merchant),
        terminal_id,
    };
    let cookie = auth::session_cookie(&token, state.secure_cookies(client));
    Ok((status, [(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/v1/session", tag = "session", responses((status = 200, body = api::SessionView), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn current(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::SessionView>, ApiError> {
    let (email, role) = match &caller {
        Caller::Staff { email, role, .. } => (email.clone(), api::SessionRole::from(*role)),
        // A paired kiosk: named by its device id, with the role the app shows a kiosk for.
        Caller::Device { device_id, .. } => (device_id.clone(), api::SessionRole::Device),
        Caller::ApiKey { key_id, .. } => (key_id.clone(), api::SessionRole::ApiKey),
    };
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    Ok(Json(api::SessionView {
        email,
        role,
        merchant: crate::views::merchant(&merchant),
        terminal_id: caller.terminal_id().map(str::to_owned),
    }))
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204, description = "signed out"), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
) -> Result<Response, ApiError> {
    let cookie = match caller {
        Caller::Staff { token_hash, .. } => {
            state.store.delete_session(&token_hash).await?;
            auth::clear_cookie(state.secure_cookies(&client))
        }
        // A display leaving kiosk mode (with its PIN) is unpaired: its token is revoked, so
        // Settings no longer lists it as active and the token cannot be reused.
        Caller::Device {
            device_id,
            merchant_id,
            ..
        } => {
            state
                .store
                .revoke_device(&merchant_id, &device_id, crate::clock::now_ms())
                .await?;
            auth::clear_device_cookie(state.secure_cookies(&client))
        }
        Caller::ApiKey { .. } => {
            return Err(ApiError::Forbidden(
                "an API key has no session; the owner revokes keys in Settings".into(),
            ));
        }
    };
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
