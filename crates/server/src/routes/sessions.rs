//! A person's sessions: where they are signed in, ending one, and signing out everywhere. Each
//! ends at once on every instance, with the event streams it opened.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};

use crate::api;
use crate::auth::{self, Caller};
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::StoreError;

/// How much of a browser's name for itself a session keeps.
pub const USER_AGENT_CHARS: usize = 120;

/// `GET|DELETE /sessions`, `DELETE /sessions/{id}`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sessions", get(list).delete(end_all))
        .route("/sessions/{id}", delete(end_one))
}

/// The browser's `User-Agent`, one line, cut to [`USER_AGENT_CHARS`]: how a session is named
/// in the list of sessions.
#[derive(Debug, Clone, Default)]
pub struct UserAgent(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for UserAgent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|v| protocol::text::clean_one_line(v.trim(), USER_AGENT_CHARS))
            .filter(|v| !v.is_empty());
        Ok(Self(agent))
    }
}

/// The person behind a session cookie: `(user, this session)`.
fn person(caller: &Caller) -> Result<(&str, &str), ApiError> {
    policy::allow(caller, Action::OwnSessions)?;
    match caller {
        Caller::Staff {
            user_id,
            session_id,
            ..
        } => Ok((user_id, session_id)),
        _ => Err(ApiError::Forbidden("only a person has sessions".into())),
    }
}

#[utoipa::path(get, path = "/api/v1/sessions", tag = "session", responses((status = 200, body = Vec<api::SessionInfo>), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "a display or an API key has no sessions", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<api::SessionInfo>>, ApiError> {
    let (user, current) = person(&caller)?;
    let rows = state.store.sessions_of(user, now_ms()).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| api::SessionInfo {
                current: r.session_id == current,
                id: r.session_id,
                user_agent: r.user_agent,
                created_at_ms: r.created_at,
                last_seen_at_ms: r.last_seen_at,
                expires_at_ms: r.expires_at.min(r.last_seen_at + auth::SESSION_IDLE_MS),
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/sessions/{id}", tag = "session", params(("id" = String, Path)), responses((status = 204, description = "that session is signed out, its screens at once"), (status = 404, description = "no such session of yours", body = api::ErrorBody), (status = 403, description = "a display or an API key has no sessions", body = api::ErrorBody)))]
async fn end_one(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (user, current) = person(&caller)?;
    state
        .store
        .end_session(user, &id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such session of yours".into()),
            other => other.into(),
        })?;
    if id == current {
        let cookie = auth::clear_cookie(state.secure_cookies(&client));
        return Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(delete, path = "/api/v1/sessions", tag = "session", responses((status = 204, description = "signed out everywhere, this browser too; every screen of yours closes at once"), (status = 403, description = "a display or an API key has no sessions", body = api::ErrorBody)))]
async fn end_all(
    State(state): State<AppState>,
    caller: Caller,
    client: ClientAddr,
) -> Result<Response, ApiError> {
    let (user, _) = person(&caller)?;
    state.store.end_sessions_of(user).await?;
    let cookie = auth::clear_cookie(state.secure_cookies(&client));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
