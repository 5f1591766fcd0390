//! Forgotten passwords: a link emailed to the account's address (where SMTP is configured),
//! which sets a new password once and signs the account out everywhere. Without SMTP, whoever
//! runs the server resets it (`tonle admin reset-password`).
//!
//! The request is answered the same whether or not the email has an account, and the email is
//! sent after the answer, so neither the answer nor its timing tells who has an account.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};

use crate::api;
use crate::auth;
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::state::AppState;
use crate::store::StoreError;

/// How long an emailed link works.
pub const LINK_LIFETIME_MS: i64 = 60 * 60 * 1000;

/// `POST /password-resets`, `POST /password-resets/{token}`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/password-resets", post(request))
        .route("/password-resets/{token}", post(reset))
}

#[utoipa::path(post, path = "/api/v1/password-resets", security(()), tag = "session", request_body = api::RequestPasswordReset, responses((status = 202, description = "a link is on its way if the email has an account, or the server has no email", body = api::PasswordResetRequested), (status = 422, description = "not an email address", body = api::ErrorBody), (status = 429, description = "too many requests from this address", body = api::ErrorBody)))]
async fn request(
    State(state): State<AppState>,
    client: ClientAddr,
    AppJson(req): AppJson<api::RequestPasswordReset>,
) -> Result<(StatusCode, Json<api::PasswordResetRequested>), ApiError> {
    let email = super::merchants::check_email(&req.email)?;
    let Some(mailer) = state.mailer.clone() else {
        return Ok((
            StatusCode::ACCEPTED,
            Json(api::PasswordResetRequested {
                delivery: api::ResetDelivery::Operator,
            }),
        ));
    };
    let now = now_ms();
    state.throttles.password_reset(client.key, now)?;
    if state.throttles.reset_email(&email, now)
        && state.store.user_by_email(&email).await?.is_some()
    {
        let token = auth::new_token();
        state
            .store
            .create_password_reset(
                &auth::token_hash(&token),
                &email,
                now + LINK_LIFETIME_MS,
                now,
            )
            .await?;
        tokio::spawn(async move {
            if let Err(e) = mailer.send_reset(&email, &token).await {
                tracing::warn!(error = %e, "password-reset email not sent");
            }
        });
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(api::PasswordResetRequested {
            delivery: api::ResetDelivery::Email,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/password-resets/{token}", security(()), tag = "session", request_body = api::ResetPassword, params(("token" = String, Path)), responses((status = 204, description = "the password is changed; every session of the account is signed out"), (status = 404, description = "the link is wrong, used or expired", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 429, description = "too many tries from this address", body = api::ErrorBody)))]
async fn reset(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(token): Path<String>,
    AppJson(req): AppJson<api::ResetPassword>,
) -> Result<StatusCode, ApiError> {
    if req.password.chars().count() < 10 || req.password.len() > 1024 {
        return Err(ApiError::field("password", "use 10 to 1024 characters"));
    }
    // Cheap checks first: the link must be real before a password is hashed for it.
    let now = now_ms();
    state.throttles.password_reset(client.key, now)?;
    let token_hash = auth::token_hash(&token);
    if state
        .store
        .password_reset(&token_hash, now)
        .await?
        .is_none()
    {
        return Err(link_gone());
    }
    let hash = state.hasher.hash(&req.password).await?;
    state
        .store
        .use_password_reset(&token_hash, &hash, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => link_gone(),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

fn link_gone() -> ApiError {
    ApiError::NotFound("this reset link is wrong, used or expired: ask for a new one".into())
}
