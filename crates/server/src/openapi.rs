//! The OpenAPI 3.1 description of the API, generated from the handlers and the protocol types,
//! served at `/api/openapi.json` for POS integrators and API fuzzers.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    api_keys, charges, devices, events, integrations, merchants, notifications, password_resets,
    payments, session, staff, stores, webhooks,
};
use crate::state::AppState;

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "tonle", description = "Merchant software for KHQR and UnionPay QR payments: accounts, charges, payment ingestion, history and a replayable event stream.\n\nIntegrations call with `Authorization: Bearer tk_…` (an API key with scopes charges:read, charges:write, payments:read, events:read) and receive signed webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`, body `WebhookBody`), retried at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h."),
    paths(
        merchants::register, merchants::show, merchants::update,
        session::login, session::current, session::logout,
        password_resets::request, password_resets::reset,
        charges::create, charges::show, charges::cancel, charges::resolve,
        payments::list, payments::show, payments::resolve, payments::list_charges, payments::csv_export, payments::daily,
        notifications::receive, events::upgrade,
        stores::create_store, stores::list_stores, stores::create_terminal, stores::list_terminals, stores::static_qr,
        staff::invite, staff::list, staff::preview, staff::accept,
        devices::open_pairing, devices::pair, devices::list, devices::revoke,
        integrations::show, integrations::save, integrations::remove, integrations::check_now,
        webhooks::create, webhooks::list, webhooks::show, webhooks::update, webhooks::remove,
        webhooks::rotate, webhooks::deliveries, webhooks::retry,
        api_keys::create, api_keys::list, api_keys::revoke,
    ),
    components(schemas(protocol::ServerMsg, protocol::Event, protocol::EventData, protocol::WebhookBody)),
    modifiers(&Security),
    security(("session" = []), ("device" = []), ("bearer" = [])),
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "device",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::DEVICE_COOKIE))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/openapi.json`
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
