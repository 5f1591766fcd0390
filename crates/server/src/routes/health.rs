//! Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers
//! and its schema is this binary's) for load balancers, orchestrators and the run command.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::state::AppState;

/// `GET /healthz`, `GET /readyz`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "commit": crate::VERSION_COMMIT,
        "sandbox": state.settings.sandbox,
    }))
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.is_shutting_down() {
        let body = serde_json::json!({ "status": "stopping" });
        return (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
    }
    match state.store.ready().await {
        Ok(()) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            let body = serde_json::json!({ "status": "not_ready", "reason": e.to_string() });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}
