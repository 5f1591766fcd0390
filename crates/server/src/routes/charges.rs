//! Charges: one dynamic QR for one amount, with an optional `Idempotency-Key`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use khqr::{Currency, Money};
use sha2::{Digest, Sha256};

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::domain::charge::Sale;
use crate::domain::{fx, item};
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action, Counters};
use crate::state::AppState;
use crate::store::{ChargeRow, MerchantRow, NewCharge, StoreError, TerminalRow};
use crate::views;

/// `POST /charges`, `GET /charges/{id}`, `POST /charges/{id}/cancel`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/charges", post(create))
        .route("/charges/{id}", get(show))
        .route("/charges/{id}/cancel", post(cancel))
        .route("/charges/{id}/resolve", post(resolve))
}

const NOTE_MAX: usize = 200;

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || ApiError::field("Idempotency-Key", "use 1 to 255 visible ASCII characters");
    let s = v.to_str().map_err(|_| bad())?;
    if s.is_empty() || s.len() > 255 || !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(s.to_owned()))
}

fn request_hash(money: &Money, note: Option<&str>, terminal: Option<&str>, lines: &str) -> String {
    let text = format!(
        "{}|{}|{}|{}|{lines}",
        money.amount.get(),
        money.currency,
        note.unwrap_or(""),
        terminal.unwrap_or("")
    );
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn check_currency(merchant: &MerchantRow, currency: Currency) -> Result<(), ApiError> {
    let allowed: &[Currency] = match merchant.country {
        api::Country::KH => &[Currency::Khr, Currency::Usd],
        api::Country::CN => &[Currency::Cny],
    };
    if allowed.contains(&currency) {
        return Ok(());
    }
    Err(ApiError::field(
        "currency",
        format!(
            "this merchant charges in {}",
            allowed
                .iter()
                .map(|c| c.code())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    ))
}

/// What a charge asks and sells: the amount (typed, or the sum of the cart's lines priced from
/// the catalog), its note, and the sale kept with it (lines, the dollar rate, the yuan estimate).
async fn sale_of(
    state: &AppState,
    merchant: &MerchantRow,
    req: &api::CreateCharge,
    terminal: Option<&TerminalRow>,
) -> Result<(Money, Option<String>, Sale), ApiError> {
    check_currency(merchant, req.currency)?;
    let typed = match req.amount.as_deref() {
        Some(a) => Some(
            Money::parse(a, req.currency).map_err(|e| ApiError::field("amount", e.to_string()))?,
        ),
        None if req.lines.is_empty() => {
            return Err(ApiError::field("amount", "an amount, or the cart's lines"));
        }
        None => None,
    };
    let mut sale = Sale::default();
    let money = if req.lines.is_empty() {
        typed.ok_or_else(|| ApiError::field("amount", "an amount, or the cart's lines"))?
    } else {
        let mut ids: Vec<String> = req.lines.iter().filter_map(|l| l.item_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let items = state.store.items_by_id(&merchant.merchant_id, &ids).await?;
        let store_id = terminal.map(|t| t.store_id.as_str());
        let priced = item::price(
            &req.lines,
            req.currency,
            &items,
            merchant.usd_khr_rate,
            store_id,
        )
        .map_err(|r| ApiError::field(&r.field, r.message))?;
        if let Some(t) = typed
            && t != priced.total
        {
            return Err(ApiError::field(
                "amount",
                format!(
                    "does not equal the lines' sum, {}",
                    priced.total.to_decimal_string()
                ),
            ));
        }
        sale.lines = priced.lines;
        sale.usd_khr_rate = priced
            .converted
            .then(|| merchant.usd_khr_rate.map(api::rate_text))
            .flatten();
        priced.total
    };
    if let Some(cap) = merchant
        .max_charge
        .iter()
        .find(|cap| cap.currency == money.currency && money.amount.get() > cap.amount.get())
    {
        return Err(ApiError::field(
            "amount",
            format!("above this shop's largest charge, {cap}"),
        ));
    }
    let note = req
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    if let Some(n) = &note {
        crate::profile::plain_text("note", n, NOTE_MAX)?;
    }
    // A rate is read from the store, never fetched here: an estimate never delays a charge.
    let rates = state.store.fx_state(&merchant.merchant_id).await?;
    sale.cny_estimate = fx::estimate(&money, &rates.used, now_ms());
    Ok((money, note, sale))
}

/// The dynamic code for a charge: a KHQR in Cambodia, a UnionPay code in China.
fn build_qr(
    merchant: &MerchantRow,
    money: &Money,
    bill: &str,
    terminal: Option<&TerminalRow>,
    now: i64,
    expires: i64,
) -> Result<khqr::Encoded, ApiError> {
    let label = terminal.map(|t| t.label.as_str());
    match merchant.country {
        api::Country::KH => {
            let mut input =
                crate::profile::khqr_input(merchant, Some(money), Some(bill), label, now, expires);
            input.store_label = terminal.map(|t| t.store_name.clone());
            Ok(khqr::khqr::encode(&input, now as u64)?)
        }
        api::Country::CN => {
            let input = crate::profile::unionpay_input(merchant, Some(money), Some(bill), label)
                .ok_or_else(|| {
                    ApiError::field(
                        "upi",
                        "add a UnionPay merchant account to the profile before charging",
                    )
                })?;
            Ok(khqr::unionpay::encode(&input)?)
        }
    }
}

fn replay(
    existing: ChargeRow,
    hash: &str,
) -> Result<(StatusCode, Json<api::ChargeView>), ApiError> {
    if existing.request_hash.as_deref() == Some(hash) {
        Ok((StatusCode::OK, Json(views::charge(&existing))))
    } else {
        Err(ApiError::IdempotencyConflict)
    }
}

#[utoipa::path(post, path = "/api/v1/charges", tag = "charges", request_body = api::CreateCharge, params(("Idempotency-Key" = Option<String>, Header, description = "replays the same charge for the same body")), responses((status = 201, body = api::ChargeView), (status = 200, description = "replayed for the same Idempotency-Key", body = api::ChargeView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    AppJson(req): AppJson<api::CreateCharge>,
) -> Result<(StatusCode, Json<api::ChargeView>), ApiError> {
    policy::allow(&caller, Action::CreateCharge)?;
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let terminal = counter_of(&state, &caller, &merchant, req.terminal_id.as_deref()).await?;
    let (money, note, sale) = sale_of(&state, &merchant, &req, terminal.as_ref()).await?;
    let terminal_id = terminal.as_ref().map(|t| t.terminal_id.clone());
    let key = idempotency_key(&headers)?;
    let lines = serde_json::to_string(&req.lines).unwrap_or_default();
    let hash = request_hash(&money, note.as_deref(), terminal_id.as_deref(), &lines);
    if let Some(k) = &key
        && let Some(existing) = state
            .store
            .charge_by_idempotency_key(caller.merchant_id(), k)
            .await?
    {
        return replay(existing, &hash);
    }
    payee_ready(&merchant)?;
    let now = now_ms();
    // Counted once the charge is sure to be new (a replay above costs nothing).
    let key_id = match &caller {
        Caller::ApiKey { key_id, .. } => Some(key_id.as_str()),
        _ => None,
    };
    state.throttles.charge(caller.merchant_id(), key_id, now)?;
    let expires = now + i64::from(merchant.qr_lifetime_secs) * 1000;
    let bill = state
        .store
        .next_bill_number(caller.merchant_id(), now)
        .await?;
    let qr = build_qr(&merchant, &money, &bill, terminal.as_ref(), now, expires)?;
    let charge = ChargeRow {
        charge_id: uuid::Uuid::new_v4().to_string().into(),
        merchant_id: caller.merchant_id().clone(),
        bill_number: bill,
        money,
        status: api::ChargeStatus::Pending,
        payload: qr.payload,
        md5: qr.md5,
        merchant_name: merchant.business_name.clone(),
        note,
        request_hash: Some(hash.clone()),
        terminal_id: terminal_id.map(api::TerminalId::from),
        resolution: None,
        expires_at: expires,
        created_at: now,
        sale,
    };
    insert(&state, charge, key, &hash, now).await
}

/// The counter a charge is made at: the one asked for (which must be the merchant's), and for a
/// cashier their own (or, invited without one, none).
async fn counter_of(
    state: &AppState,
    caller: &Caller,
    merchant: &MerchantRow,
    asked: Option<&str>,
) -> Result<Option<TerminalRow>, ApiError> {
    let terminal_id = match policy::counters(caller) {
        Counters::All => asked,
        Counters::One(mine) => {
            if asked.is_some() && asked != mine {
                return Err(ApiError::Forbidden(
                    "a cashier charges at their own counter".into(),
                ));
            }
            mine
        }
    };
    let Some(id) = terminal_id else {
        return Ok(None);
    };
    match state.store.terminal(&merchant.merchant_id, id).await {
        Ok(t) => Ok(Some(t)),
        Err(StoreError::NotFound) => Err(ApiError::field("terminal_id", "no such terminal")),
        Err(other) => Err(other.into()),
    }
}

/// A merchant can be paid only once its profile names where the money goes.
fn payee_ready(merchant: &MerchantRow) -> Result<(), ApiError> {
    if merchant.country == api::Country::CN && merchant.upi_account.is_none() {
        return Err(ApiError::field(
            "upi",
            "add a UnionPay merchant account to the profile before charging",
        ));
    }
    if merchant.country == api::Country::KH && merchant.bakong_account_id.is_none() {
        return Err(ApiError::field(
            "bakong_account_id",
            "add a Bakong account to the profile before charging",
        ));
    }
    Ok(())
}

/// Stores a new charge and publishes its event; when another request with the same key won the
/// race, answers with the winner's charge.
async fn insert(
    state: &AppState,
    charge: ChargeRow,
    key: Option<String>,
    hash: &str,
    now: i64,
) -> Result<(StatusCode, Json<api::ChargeView>), ApiError> {
    let merchant_id = charge.merchant_id.clone();
    let new = NewCharge {
        charge,
        idempotency_key: key.clone(),
    };
    match state.store.insert_charge(new, now).await {
        Ok((charge, _)) => Ok((StatusCode::CREATED, Json(views::charge(&charge)))),
        Err(StoreError::Conflict("idempotency_key")) => {
            let k = key.unwrap_or_default();
            let existing = state
                .store
                .charge_by_idempotency_key(&merchant_id, &k)
                .await?
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("idempotent charge vanished")))?;
            replay(existing, hash)
        }
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(get, path = "/api/v1/charges/{id}", tag = "charges", params(("id" = String, Path)), responses((status = 200, body = api::ChargeView), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::ChargeId>,
) -> Result<Json<api::ChargeView>, ApiError> {
    policy::allow(&caller, Action::ReadCharges)?;
    let charge = visible_charge(&state, &caller, &id).await?;
    Ok(Json(views::charge(&charge)))
}

/// A charge of the caller's merchant at a counter the caller works with; any other is "no such
/// charge", so ids of other counters are not confirmed either.
pub(crate) async fn visible_charge(
    state: &AppState,
    caller: &Caller,
    id: &api::ChargeId,
) -> Result<ChargeRow, ApiError> {
    let not_found = || ApiError::NotFound("no such charge".into());
    let charge = state
        .store
        .charge(caller.merchant_id(), id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
    if !policy::sees_counter(caller, charge.terminal_id.as_deref()) {
        return Err(not_found());
    }
    Ok(charge)
}

#[utoipa::path(post, path = "/api/v1/charges/{id}/cancel", tag = "charges", params(("id" = String, Path)), responses((status = 200, body = api::ChargeView), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody), (status = 409, description = "conflict", body = api::ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::ChargeId>,
) -> Result<Json<api::ChargeView>, ApiError> {
    policy::allow(&caller, Action::CancelCharge)?;
    visible_charge(&state, &caller, &id).await?;
    let (charge, _) = state
        .store
        .cancel_charge(caller.merchant_id(), &id, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such charge".into()),
            StoreError::Conflict(_) => ApiError::Conflict {
                field: Some("status".into()),
                message: "only a pending charge can be cancelled".into(),
            },
            other => other.into(),
        })?;
    Ok(Json(views::charge(&charge)))
}

#[utoipa::path(post, path = "/api/v1/charges/{id}/resolve", tag = "charges", params(("id" = String, Path)), request_body = api::ResolveCharge, responses((status = 200, body = api::ChargeView), (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody), (status = 409, description = "not an unresolved late payment", body = api::ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::ChargeId>,
    AppJson(req): AppJson<api::ResolveCharge>,
) -> Result<Json<api::ChargeView>, ApiError> {
    policy::allow(&caller, Action::ResolvePayment)?;
    if req.resolution == api::Resolution::Unknown {
        return Err(ApiError::field("resolution", "accepted or refund_due"));
    }
    let (charge, _) = state
        .store
        .resolve_charge(caller.merchant_id(), &id, req.resolution, now_ms())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such charge".into()),
            StoreError::Conflict(_) => ApiError::Conflict {
                field: Some("status".into()),
                message: "only an unresolved late payment can be resolved".into(),
            },
            other => other.into(),
        })?;
    Ok(Json(views::charge(&charge)))
}
