//! Reference rates behind the yuan estimate: everyone at the shop reads them (the charge screen
//! and the kiosk show the estimate); the owner sets the shop's own rate, or confirms a fetched
//! rate that jumped more than 10%.

use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use khqr::Currency;

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::domain::fx;
use crate::error::{ApiError, AppJson};
use crate::history::civil_from_days;
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::FxRow;

/// `GET /fx`, `PUT /fx/{currency}`, `POST /fx/{currency}/confirm`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fx", get(show))
        .route("/fx/{currency}", put(set))
        .route("/fx/{currency}/confirm", post(confirm))
}

fn currency(code: &str) -> Result<Currency, ApiError> {
    match Currency::from_code(code) {
        Some(c @ (Currency::Khr | Currency::Usd)) => Ok(c),
        _ => Err(ApiError::field("currency", "KHR or USD")),
    }
}

async fn rates(state: &AppState, merchant_id: &str) -> Result<api::FxRates, ApiError> {
    let s = state.store.fx_state(merchant_id).await?;
    let now = now_ms();
    Ok(api::FxRates {
        fetching: match &state.settings.fx {
            Some(f) => f.source.as_str().to_owned(),
            None => "off".to_owned(),
        },
        rates: s.used.iter().map(|r| fx::view(r, now)).collect(),
        pending: fx::pending(&s)
            .into_iter()
            .map(|r| fx::view(r, now))
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/fx", tag = "items", responses((status = 200, body = api::FxRates), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::FxRates>, ApiError> {
    policy::allow(&caller, Action::ReadRates)?;
    Ok(Json(rates(&state, caller.merchant_id()).await?))
}

#[utoipa::path(put, path = "/api/v1/fx/{currency}", tag = "items", params(("currency" = String, Path, description = "KHR or USD")), request_body = api::SetFxRate, responses((status = 200, body = api::FxRates), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "only the owner", body = api::ErrorBody)))]
async fn set(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    AppJson(req): AppJson<api::SetFxRate>,
) -> Result<Json<api::FxRates>, ApiError> {
    policy::allow(&caller, Action::ManageRates)?;
    let currency = currency(&code)?;
    let row = match req
        .cny_per_unit
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => None,
        Some(text) => {
            let e8 = api::parse_rate(text)
                .ok_or_else(|| ApiError::field("cny_per_unit", "yuan per unit, e.g. 7.08"))?;
            let now = now_ms();
            Some(FxRow {
                currency,
                cny_e8: e8,
                source: api::RateSource::Owner,
                rate_date: civil_from_days(now.div_euclid(86_400_000)),
                fetched_at: now,
            })
        }
    };
    state
        .store
        .set_merchant_fx(caller.merchant_id(), currency, row)
        .await?;
    Ok(Json(rates(&state, caller.merchant_id()).await?))
}

#[utoipa::path(post, path = "/api/v1/fx/{currency}/confirm", tag = "items", params(("currency" = String, Path, description = "KHR or USD")), responses((status = 200, body = api::FxRates), (status = 409, description = "no fetched rate waits for confirmation", body = api::ErrorBody), (status = 403, description = "only the owner", body = api::ErrorBody)))]
async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<api::FxRates>, ApiError> {
    policy::allow(&caller, Action::ManageRates)?;
    let currency = currency(&code)?;
    let s = state.store.fx_state(caller.merchant_id()).await?;
    let waiting = fx::pending(&s)
        .into_iter()
        .find(|r| r.currency == currency)
        .cloned()
        .ok_or_else(|| ApiError::Conflict {
            field: Some("currency".into()),
            message: "no fetched rate waits for confirmation".into(),
        })?;
    state
        .store
        .set_merchant_fx(caller.merchant_id(), currency, Some(waiting))
        .await?;
    Ok(Json(rates(&state, caller.merchant_id()).await?))
}
