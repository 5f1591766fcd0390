//! The OpenAPI 3.1 description of the API, generated from the handlers and the protocol types,
//! served at `/api/openapi.json` for POS integrators and API fuzzers.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    api_keys, charges, devices, events, integrations, items, items_csv, merchants, notifications,
    password_resets, payments, rates, sales, session, sessions, staff, stores, telegram,
    test_payments, webhooks,
};
use crate::state::AppState;

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "tonle", description = "Merchant software for KHQR and UnionPay QR payments: accounts, charges, payment ingestion, history and a replayable event stream.\n\nIntegrations call with `Authorization: Bearer tk_…` (an API key with scopes charges:read, charges:write, payments:read, events:read) and receive signed webhooks (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>`, body `WebhookBody`), retried at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h."),
    paths(
        merchants::register, merchants::show, merchants::update, merchants::change,
        session::login, session::current, session::logout,
        sessions::list, sessions::end_one, sessions::end_all,
        password_resets::request, password_resets::reset,
        charges::create, charges::show, charges::cancel, charges::resolve, test_payments::pay,
        payments::list, payments::show, payments::resolve, payments::list_charges, payments::csv_export, payments::daily,
        notifications::receive, events::upgrade,
        stores::create_store, stores::list_stores, stores::create_terminal, stores::list_terminals, stores::static_qr,
        staff::invite, staff::list, staff::preview, staff::accept,
        staff::update, staff::remove, staff::invitations, staff::revoke_invitation,
        devices::open_pairing, devices::pair, devices::list, devices::revoke,
        integrations::show, integrations::save, integrations::remove, integrations::check_now,
        webhooks::create, webhooks::list, webhooks::show, webhooks::update, webhooks::remove,
        webhooks::rotate, webhooks::deliveries, webhooks::retry,
        api_keys::create, api_keys::list, api_keys::revoke,
        telegram::link, telegram::list, telegram::change, telegram::unlink, telegram::test,
        items::list, items::create, items::show, items::change, items::remove,
        items_csv::export, items_csv::import, rates::show, rates::set, rates::confirm,
        sales::items, sales::lines_csv,
    ),
    components(schemas(protocol::ServerMsg, protocol::Event, protocol::EventData, protocol::WebhookBody)),
    modifiers(&Security, &CommonRefusals),
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

/// The refusals every operation of a kind can give, whatever its handler: a body that is not
/// JSON (400), too large (413) or has an invalid field (422); a query or path that does not parse
/// (400, 422); no or a revoked credential (401) and a role that may not (403) where a credential is
/// needed. Added here once instead of in each handler's list, so the document cannot forget one.
struct CommonRefusals;

impl CommonRefusals {
    fn refusal(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            )
            .build()
            .into()
    }
}

impl Modify for CommonRefusals {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for item in doc.paths.paths.values_mut() {
            let ops = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in ops.into_iter().flatten() {
                let has_body = op.request_body.is_some();
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let signed_in = op.security.is_none();
                let mut add = |status: &str, why: &str| {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| Self::refusal(why));
                };
                if has_body || has_params {
                    add(
                        "400",
                        "malformed request: the body is not JSON or not application/json, or a parameter does not parse",
                    );
                    add("422", "a field is invalid");
                }
                if has_body {
                    add("413", "the body is too large");
                }
                if signed_in {
                    add("401", "not signed in, or the credential was revoked");
                    add("403", "not allowed for this caller");
                }
            }
        }
    }
}

/// `GET /api/openapi.json`
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}
