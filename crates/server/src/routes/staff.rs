//! Staff and roles: the owner (or a manager, for cashiers) invites by email with a one-time link;
//! the invitee sets a password and is signed in. Open invitations are listed and revoked; a
//! member's role changes, or they are removed, and their screens follow at once.
//!
//! Where the server sends email the link goes to the address (accepting it proves the address);
//! without email the inviter hands the link over and the account stays unverified. Accepting
//! answers the same refusal for a wrong link and for an email that already has an account, and
//! counts both in the invitation throttle, so links do not tell who has an account.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use protocol::web::{OnboardingPage, Route};

use crate::api;
use crate::auth::{self, Caller};
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{InvitationRow, StaffRow, StoreError};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;
/// Invitations a merchant may have open (unused, unrevoked, unexpired) at once.
pub const MAX_OPEN_INVITATIONS: usize = 50;

/// `GET /staff`, `PATCH|DELETE /staff/{id}`, `GET|POST /staff/invitations`,
/// `DELETE /staff/invitations/{id}`, `GET /invitations/{token}`,
/// `POST /invitations/{token}/accept`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(list))
        .route("/staff/{id}", patch(update).delete(remove))
        .route("/staff/invitations", post(invite).get(invitations))
        .route("/staff/invitations/{id}", delete(revoke_invitation))
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
        known_terminal(&state, &caller, t).await?;
    }
    let token = auth::new_token();
    let now = now_ms();
    let expires_at = now + INVITATION_DAYS * 86_400_000;
    let mailer = state.mailer.clone();
    let row = InvitationRow {
        invitation_id: format!("inv_{}", uuid::Uuid::new_v4().simple()),
        token_hash: auth::token_hash(&token),
        merchant_id: caller.merchant_id().to_string(),
        email,
        role: req.role,
        terminal_id: req.terminal_id.clone(),
        invited_by: caller.user_id().to_owned(),
        expires_at,
        created_at: now,
        emailed: mailer.is_some(),
    };
    if !state
        .store
        .create_invitation(&row, MAX_OPEN_INVITATIONS, now)
        .await?
    {
        return Err(ApiError::Conflict {
            field: None,
            message: format!(
                "at most {MAX_OPEN_INVITATIONS} invitations may be open at once; revoke some or wait until they are used"
            ),
        });
    }
    let invitation = deliver(&state, &caller, mailer, &row, token).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Sends the link to the address (the inviter never sees it), or hands it to the inviter
/// where this server sends no email.
async fn deliver(
    state: &AppState,
    caller: &Caller,
    mailer: Option<crate::mail::Mailer>,
    row: &InvitationRow,
    token: String,
) -> Result<api::Invitation, ApiError> {
    let mut invitation = api::Invitation {
        id: row.invitation_id.clone(),
        email: row.email.clone(),
        role: row.role,
        delivery: api::InvitationDelivery::Link,
        accept_path: None,
        token: None,
        expires_at_ms: row.expires_at,
    };
    let Some(mailer) = mailer else {
        invitation.accept_path =
            Some(Route::from(OnboardingPage::Join(token.as_str().into())).path());
        invitation.token = Some(token);
        return Ok(invitation);
    };
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let to = row.email.clone();
    tokio::spawn(async move {
        if let Err(e) = mailer
            .send_invitation(&to, &merchant.business_name, &token)
            .await
        {
            tracing::warn!(error = %e, "invitation email not sent");
        }
    });
    invitation.delivery = api::InvitationDelivery::Email;
    Ok(invitation)
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
                email_verified: r.email_verified,
            })
            .collect(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "staff", request_body = api::UpdateStaff, params(("id" = String, Path)), responses((status = 200, body = api::StaffMember), (status = 403, description = "not allowed for this role (the owner cannot be changed)", body = api::ErrorBody), (status = 404, description = "no such member", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(req): AppJson<api::UpdateStaff>,
) -> Result<Json<api::StaffMember>, ApiError> {
    policy::allow(&caller, Action::ReadStaff)?;
    if req.role == api::StaffRole::Owner {
        return Err(ApiError::field(
            "role",
            "a merchant has one owner; choose manager or cashier",
        ));
    }
    let member = member(&state, &caller, &id).await?;
    // Both the role they have and the one they get must be the caller's to give.
    policy::allow(&caller, Action::ManageStaff(member.role))?;
    policy::allow(&caller, Action::ManageStaff(req.role))?;
    let terminal = match req.role {
        api::StaffRole::Cashier => req.terminal_id.clone(),
        _ => None,
    };
    if let Some(t) = &terminal {
        known_terminal(&state, &caller, t).await?;
    }
    state
        .store
        .update_staff(
            caller.merchant_id(),
            &id,
            req.role,
            terminal.as_deref(),
            now_ms(),
        )
        .await?;
    Ok(Json(api::StaffMember {
        id,
        email: member.email,
        role: req.role,
        terminal_id: terminal,
        email_verified: member.email_verified,
    }))
}

#[utoipa::path(delete, path = "/api/v1/staff/{id}", tag = "staff", params(("id" = String, Path)), responses((status = 204, description = "removed: their sessions, event streams and the invitations they made end at once"), (status = 403, description = "not allowed for this role (the owner cannot be removed)", body = api::ErrorBody), (status = 404, description = "no such member", body = api::ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ReadStaff)?;
    let member = member(&state, &caller, &id).await?;
    policy::allow(&caller, Action::ManageStaff(member.role))?;
    state
        .store
        .remove_staff(caller.merchant_id(), &id, now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A member of the caller's merchant, or 404 (another merchant's are not there).
async fn member(state: &AppState, caller: &Caller, id: &str) -> Result<StaffRow, ApiError> {
    state
        .store
        .staff_member(caller.merchant_id(), id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such member of staff".into()),
            other => other.into(),
        })
}

async fn known_terminal(state: &AppState, caller: &Caller, t: &str) -> Result<(), ApiError> {
    state
        .store
        .terminal(caller.merchant_id(), t)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::field("terminal_id", "no such terminal"),
            other => other.into(),
        })
}

#[utoipa::path(get, path = "/api/v1/staff/invitations", tag = "staff", responses((status = 200, body = Vec<api::PendingInvitation>), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn invitations(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::PendingInvitation>>, ApiError> {
    policy::allow(&caller, Action::ReadStaff)?;
    let rows = state
        .store
        .open_invitations(caller.merchant_id(), now_ms())
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| api::PendingInvitation {
                id: r.invitation_id,
                email: r.email,
                role: r.role,
                terminal_id: r.terminal_id,
                created_at_ms: r.created_at,
                expires_at_ms: r.expires_at,
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/staff/invitations/{id}", tag = "staff", params(("id" = String, Path)), responses((status = 204, description = "revoked: the link no longer works"), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 404, description = "no such open invitation", body = api::ErrorBody)))]
async fn revoke_invitation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ReadStaff)?;
    let now = now_ms();
    let open = state
        .store
        .open_invitations(caller.merchant_id(), now)
        .await?;
    let gone = || ApiError::NotFound("no such open invitation".into());
    let invitation = open
        .into_iter()
        .find(|i| i.invitation_id == id)
        .ok_or_else(gone)?;
    // Whoever may invite this role may take the invitation back.
    policy::allow(&caller, Action::Invite(invitation.role))?;
    state
        .store
        .revoke_invitation(caller.merchant_id(), &id, now)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => gone(),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
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
    ApiError::NotFound(
        "this invitation link is used, expired, revoked or cannot make an account here; ask for a new one, or sign in if you have an account"
            .into(),
    )
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", security(()), tag = "staff", request_body = api::AcceptInvitation, params(("token" = String, Path)), responses((status = 201, body = api::SessionView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 404, description = "the link is used, expired, revoked or wrong, or cannot make an account (the same answer either way)", body = api::ErrorBody), (status = 429, description = "too many refused links from this address", body = api::ErrorBody)))]
async fn accept(
    State(state): State<AppState>,
    client: ClientAddr,
    agent: super::sessions::UserAgent,
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
    // An email that has an account gets the wrong link's answer, counted the same: the link's
    // holder learns nothing about who has an account.
    if state
        .store
        .user_by_email(&invitation.email)
        .await?
        .is_some()
    {
        state.throttles.invitation_failed(ip, now_ms());
        return Err(invitation_gone());
    }
    let hash = state.hasher.hash(&req.password).await?;
    let now = now_ms();
    let user = state
        .store
        .accept_invitation(&token_hash, &uuid::Uuid::new_v4().to_string(), &hash, now)
        .await
        .map_err(|e| match e {
            StoreError::NotFound | StoreError::Conflict(_) => {
                state.throttles.invitation_failed(ip, now_ms());
                invitation_gone()
            }
            other => other.into(),
        })?;
    let merchant = state.store.merchant(&user.merchant_id).await?;
    super::session::start_session(
        &state,
        user,
        &merchant,
        StatusCode::CREATED,
        &client,
        &agent,
        now,
    )
    .await
}
