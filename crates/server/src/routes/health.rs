//! Liveness for load balancers and the README's run command.

use axum::routing::get;
use axum::{Json, Router};

use crate::state::AppState;

/// `GET /healthz`
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/healthz",
        get(|| async { Json(serde_json::json!({ "status": "ok" })) }),
    )
}
