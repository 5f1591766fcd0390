//! Staff and roles: the owner (or a manager, for cashiers) invites by email with a one-time link;
//! the invitee sets a password and is signed in.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use protocol::web::{OnboardingPage, Route};

use crate::api;
use crate::auth::{self, Caller};
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{InvitationRow, StoreError};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// `POST /staff/invitations`, `GET /staff`, `POST /invitations/{token}/accept`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list))
        .route("/staff/invitations", post(invite))
        .route("/invitations/{token}", get(preview))
        .route("/invitations/{token}/accept", post(accept))
}

#[utoipa::path(post, path = "/api/v1/staff/invitations", tag = "staff", request_body = api::InviteStaff, responses((status = 201, body = api::Invitation), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody)))]
async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::InviteStaff>,
) -> Result<(StatusCode, Json<api::Invitation>), ApiError> {
    if req.role == api::StaffRole::Owner {
        return Err(ApiError::field(
            "role",
            "a merchant has one owner; invite a manager or a cashier",
        ));
    }
    policy::allow(&caller, Action::Invite(req.role))?;
    // Whether the email already has an account is not said here: the invitation is made either
    // way, and the invitee learns it when they open the link (their own email).
    let email = crate::routes::merchants::check_email(&req.email)?;
    if let Some(t) = &req.terminal_id {
        state
            .store
            .terminal(caller.merchant_id(), t)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => ApiError::field("terminal_id", "no such terminal"),
                other => other.into(),
            })?;
    }
    let token = auth::new_token();
    let now = now_ms();
    let expires_at = now + INVITATION_DAYS * 86_400_000;
    let row = InvitationRow {
        token_hash: auth::token_hash(&token),
        merchant_id: caller.merchant_id().to_string(),
        email: email.clone(),
        role: req.role,
        terminal_id: req.terminal_id.clone(),
        invited_by: caller.user_id().to_owned(),
        expires_at,
    };
    state.store.create_invitation(&row, now).await?;
    let invitation = api::Invitation {
        email,
        role: req.role,
        accept_path: Route::from(OnboardingPage::Join(token.as_str().into())).path(),
        token,
        expires_at_ms: expires_at,
    };
    Ok((StatusCode::CREATED, Json(invitation)))
}

#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", responses((status = 200, body = Vec<api::StaffMember>), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::StaffMember>>, ApiError> {
    policy::allow(&caller, Action::ReadStaff)?;
    let rows = state.store.staff(caller.merchant_id()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| api::StaffMember {
                id: r.user_id,
                email: r.email,
                role: r.role,
                terminal_id: r.terminal_id,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/invitations/{token}", security(()), tag = "staff", params(("token" = String, Path)), responses((status = 200, body = api::InvitationPreview), (status = 404, description = "used, expired or wrong", body = api::ErrorBody), (status = 429, description = "too many wrong links", body = api::ErrorBody)))]
async fn preview(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(token): Path<String>,
) -> Result<Json<api::InvitationPreview>, ApiError> {
    // The link is the secret: whoever holds it may see whom it invites, and to which shop.
    let ip = client.key;
    state.throttles.invitation(ip, now_ms())?;
    let Some(invitation) = state
        .store
        .invitation(&auth::token_hash(&token), now_ms())
        .await?
    else {
        state.throttles.invitation_failed(ip, now_ms());
        return Err(invitation_gone());
    };
    let merchant = state.store.merchant(&invitation.merchant_id).await?;
    Ok(Json(api::InvitationPreview {
        business_name: merchant.business_name,
        email: invitation.email,
        role: invitation.role,
        expires_at_ms: invitation.expires_at,
    }))
}

fn invitation_gone() -> ApiError {
    ApiError::NotFound("this invitation link is used, expired or wrong; ask for a new one".into())
}

fn email_has_account() -> ApiError {
    ApiError::Conflict {
        field: Some("email".into()),
        message: "this email already has an account; sign in with it instead".into(),
    }
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", security(()), tag = "staff", request_body = api::AcceptInvitation, params(("token" = String, Path)), responses((status = 201, body = api::SessionView), (status = 409, description = "the email already has an account", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    client: ClientAddr,
    Path(token): Path<String>,
    AppJson(req): AppJson<api::AcceptInvitation>,
) -> Result<Response, ApiError> {
    if req.password.chars().count() < 10 || req.password.len() > 1024 {
        return Err(ApiError::field("password", "use 10 to 1024 characters"));
    }
    // Cheap checks first: the link must be real before a password is hashed for it.
    let ip = client.key;
    state.throttles.invitation(ip, now_ms())?;
    let token_hash = auth::token_hash(&token);
    let Some(invitation) = state.store.invitation(&token_hash, now_ms()).await? else {
        state.throttles.invitation_failed(ip, now_ms());
        return Err(invitation_gone());
    };
    if state
        .store
        .user_by_email(&invitation.email)
        .await?
        .is_some()
    {
        return Err(email_has_account());
    }
    let hash = state.hasher.hash(&req.password).await?;
    let now = now_ms();
    let user = state
        .store
        .accept_invitation(&token_hash, &uuid::Uuid::new_v4().to_string(), &hash, now)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => invitation_gone(),
            StoreError::Conflict(_) => email_has_account(),
            other => other.into(),
        })?;
    let merchant = state.store.merchant(&user.merchant_id).await?;
    super::session::start_session(&state, user, &merchant, StatusCode::CREATED, &client, now).await
}
