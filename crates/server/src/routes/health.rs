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
    // A balancer asks every few seconds: answer within its timeout even when the pool is busy,
    // and say why only in the log (the reason can name hosts).
    match tokio::time::timeout(READY_TIMEOUT, state.store.ready()).await {
        Ok(Ok(())) => Json(serde_json::json!({ "status": "ready" })).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready");
            not_ready("database")
        }
        Err(_) => {
            tracing::warn!("not ready: the database did not answer within {READY_TIMEOUT:?}");
            not_ready("database_timeout")
        }
    }
}

/// How long `/readyz` waits for the database.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

fn not_ready(what: &'static str) -> Response {
    let body = serde_json::json!({ "status": "not_ready", "reason": what });
    (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}
