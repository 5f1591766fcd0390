//! Merchant registration and profile.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};

use crate::api;
use crate::auth::Caller;
use crate::client::ClientAddr;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{MerchantRow, NewMerchant};

/// `POST /merchants`, `GET /merchant`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/merchants", post(register))
        .route("/merchant", get(show).put(update).patch(change))
}

/// The answer when a sign-up names an email that has an account.
fn email_taken() -> ApiError {
    ApiError::Conflict {
        field: Some("email".into()),
        message: "this email cannot sign up; if it is yours, sign in".into(),
    }
}

pub(crate) fn check_email(email: &str) -> Result<String, ApiError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !e.contains(char::is_whitespace);
    if ok {
        Ok(e)
    } else {
        Err(ApiError::field(
            "email",
            "enter an email address like owner@shop.com",
        ))
    }
}

/// A profile that cannot produce a valid KHQR is refused, field by field, by the codec itself.
fn check_profile(req: &api::RegisterMerchant) -> Result<(), ApiError> {
    let name = req.business_name.trim();
    crate::profile::plain_text("business_name", name, 100)?;
    crate::profile::plain_text("merchant_city", req.merchant_city.trim(), 100)?;
    crate::profile::plain_text(
        "bakong_account_id",
        req.bakong_account_id.as_deref().unwrap_or("").trim(),
        32,
    )?;
    if name.is_empty() {
        return Err(ApiError::field("business_name", "enter your business name"));
    }
    let city = req.merchant_city.trim();
    if city.is_empty() {
        return Err(ApiError::field("merchant_city", "enter your city"));
    }
    if req.country == api::Country::KH {
        let account = req.bakong_account_id.as_deref().unwrap_or("").trim();
        let probe = khqr::KhqrInput {
            bakong_account_id: account.to_owned(),
            merchant_name: name.to_owned(),
            merchant_city: Some(city.to_owned()),
            ..Default::default()
        };
        khqr::khqr::encode(&probe, 0).map_err(|e| {
            let field = match e.field {
                "merchant_name" => "business_name",
                other => other,
            };
            ApiError::field(field, e.message.clone() + &format!(" ({})", e.code))
        })?;
    } else if name.chars().count() > 25 || city.chars().count() > 15 {
        let field = if name.chars().count() > 25 {
            "business_name"
        } else {
            "merchant_city"
        };
        return Err(ApiError::field(field, "too long for a QR code"));
    }
    Ok(())
}

fn bill_prefix() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..5)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// A new merchant's profile from its sign-up, with a fresh id and bill prefix.
fn new_merchant(req: &api::RegisterMerchant) -> MerchantRow {
    MerchantRow {
        max_charge: Vec::new(),
        usd_khr_rate: None,
        merchant_id: uuid::Uuid::new_v4().to_string(),
        business_name: req.business_name.trim().to_owned(),
        merchant_city: req.merchant_city.trim().to_owned(),
        country: req.country,
        bakong_account_id: req
            .bakong_account_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        default_currency: match req.country {
            api::Country::KH => khqr::Currency::Khr,
            api::Country::CN => khqr::Currency::Cny,
        },
        qr_lifetime_secs: 300,
        bill_prefix: bill_prefix(),
        merchant_category_code: "5999".into(),
        khqr_merchant_id: None,
        acquiring_bank: None,
        upi_account: None,
        alt_language: None,
        alt_name: None,
        alt_city: None,
    }
}

#[utoipa::path(post, path = "/api/v1/merchants", security(()), tag = "merchants", request_body = api::RegisterMerchant, responses((status = 201, description = "registered and signed in", body = api::SessionView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody), (status = 429, description = "too many sign-ups from this address", body = api::ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    client: ClientAddr,
    agent: super::sessions::UserAgent,
    AppJson(req): AppJson<api::RegisterMerchant>,
) -> Result<Response, ApiError> {
    // Cheap checks first; a password is hashed only for a sign-up that can succeed.
    let email = check_email(&req.email)?;
    if req.password.chars().count() < 10 {
        return Err(ApiError::field("password", "use at least 10 characters"));
    }
    if req.password.len() > 1024 {
        return Err(ApiError::field("password", "at most 1024 characters"));
    }
    check_profile(&req)?;
    state.throttles.register(client.key, now_ms())?;
    if state.store.user_by_email(&email).await?.is_some() {
        return Err(email_taken());
    }
    let hash = state.hasher.hash(&req.password).await?;
    let now = now_ms();
    let mut attempt = 0;
    let merchant = loop {
        let new = NewMerchant {
            merchant: new_merchant(&req),
            user_id: uuid::Uuid::new_v4().to_string(),
            email: email.clone(),
            password_hash: hash.clone(),
        };
        // A bill prefix is random and unique across merchants: a clash draws another.
        match state.store.register(new, now).await {
            Err(crate::store::StoreError::Conflict("bill_prefix")) if attempt < 5 => attempt += 1,
            Err(crate::store::StoreError::Conflict("email")) => return Err(email_taken()),
            other => break other?,
        }
    };
    let user = state
        .store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("user vanished after register")))?;
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

#[utoipa::path(get, path = "/api/v1/merchant", tag = "merchants", responses((status = 200, body = api::MerchantView), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::MerchantView>, ApiError> {
    policy::allow(&caller, Action::ReadProfile)?;
    let m = state.store.merchant(caller.merchant_id()).await?;
    Ok(Json(crate::views::merchant(&m)))
}

#[utoipa::path(put, path = "/api/v1/merchant", tag = "merchants", request_body = api::MerchantProfile, responses((status = 200, body = api::MerchantView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::MerchantProfile>,
) -> Result<Json<api::MerchantView>, ApiError> {
    policy::allow(&caller, Action::EditProfile)?;
    let current = state.store.merchant(caller.merchant_id()).await?;
    save(&state, &caller, &current, &req).await
}

#[utoipa::path(patch, path = "/api/v1/merchant", tag = "merchant", request_body(content = Object, description = "any fields of the profile; the others stay"), responses((status = 200, body = api::MerchantView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn change(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(patch): AppJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<Json<api::MerchantView>, ApiError> {
    policy::allow(&caller, Action::EditProfile)?;
    let current = state.store.merchant(caller.merchant_id()).await?;
    let req = crate::profile::patched(&current, patch)?;
    save(&state, &caller, &current, &req).await
}

async fn save(
    state: &AppState,
    caller: &Caller,
    current: &crate::store::MerchantRow,
    req: &api::MerchantProfile,
) -> Result<Json<api::MerchantView>, ApiError> {
    let next = crate::profile::apply(current, req)?;
    // Payout details route money: only the owner changes them.
    let payout_changed = next.bakong_account_id != current.bakong_account_id
        || next.khqr_merchant_id != current.khqr_merchant_id
        || next.acquiring_bank != current.acquiring_bank
        || next.upi_account != current.upi_account
        || next.country != current.country;
    if payout_changed {
        policy::allow(caller, Action::EditPayout)?;
    }
    state.store.update_merchant(&next, now_ms()).await?;
    Ok(Json(crate::views::merchant(&next)))
}
