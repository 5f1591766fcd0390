//! The shop's items: everyone signed in at the shop reads them (a cart is built from them);
//! owners and managers add, change, reorder, mark sold out and delete them, one by one here or
//! many at once as CSV (`items_csv`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use khqr::{Currency, Money};

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::profile::plain_text;
use crate::state::AppState;
use crate::store::{ItemRow, MerchantRow, StoreError, StoreRow};

/// Longest item name.
pub const NAME_MAX: usize = 60;
/// Longest category.
pub const CATEGORY_MAX: usize = 30;
/// Largest grid position.
pub const POSITION_MAX: i64 = 1_000_000;

/// `GET|POST /items`, `GET|PATCH|DELETE /items/{id}`, `GET|POST /items.csv`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/items", get(list).post(create))
        .route(
            "/items.csv",
            get(super::items_csv::export)
                .post(super::items_csv::import)
                // a catalog of MAX_ITEMS rows with Khmer and Chinese names outgrows the API's
                // usual body limit
                .layer(axum::extract::DefaultBodyLimit::max(
                    super::items_csv::FILE_LIMIT,
                )),
        )
        .route("/items/{id}", get(show).patch(change).delete(remove))
}

/// An item for the wire.
pub fn view(it: &ItemRow) -> api::ItemView {
    let mut prices = api::ItemPrices::default();
    for p in &it.prices {
        prices.set(p.currency, Some(p.to_decimal_string()));
    }
    api::ItemView {
        id: it.item_id.clone(),
        name: it.name.clone(),
        names: it.names.clone(),
        category: it.category.clone(),
        prices,
        available: it.available,
        position: it.position.unwrap_or_default(),
        store_ids: it.store_ids.clone(),
        updated_at_ms: it.updated_at,
    }
}

fn short(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, ApiError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    plain_text(field, v, max)?;
    Ok(Some(v.to_owned()))
}

/// Checks an item as sent and makes its row; every refusal names the field (`prefix` goes
/// before it, e.g. `row 3: ` in an import).
pub fn build(
    merchant: &MerchantRow,
    stores: &[StoreRow],
    item_id: String,
    it: &api::NewItem,
) -> Result<ItemRow, ApiError> {
    let name = short("name", Some(&it.name), NAME_MAX)?
        .ok_or_else(|| ApiError::field("name", "the item's name"))?;
    let names = api::ItemNames {
        km: short("names.km", it.names.km.as_deref(), NAME_MAX)?,
        zh: short("names.zh", it.names.zh.as_deref(), NAME_MAX)?,
    };
    let allowed: &[Currency] = match merchant.country {
        api::Country::KH => &[Currency::Khr, Currency::Usd],
        api::Country::CN => &[Currency::Cny],
    };
    let mut prices = Vec::new();
    for currency in Currency::ALL {
        let field = format!("prices.{}", currency.code());
        let Some(text) = it
            .prices
            .get(currency)
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        if !allowed.contains(&currency) {
            return Err(ApiError::field(
                &field,
                "not a currency this shop charges in",
            ));
        }
        prices.push(
            Money::parse(text, currency).map_err(|e| ApiError::field(&field, e.to_string()))?,
        );
    }
    if prices.is_empty() {
        let codes: Vec<_> = allowed.iter().map(|c| c.code()).collect();
        return Err(ApiError::field(
            "prices",
            format!("at least one price ({})", codes.join(" or ")),
        ));
    }
    if let Some(p) = it.position
        && !(0..=POSITION_MAX).contains(&p)
    {
        return Err(ApiError::field("position", format!("0 to {POSITION_MAX}")));
    }
    let mut store_ids = it.store_ids.clone().unwrap_or_default();
    store_ids.sort();
    store_ids.dedup();
    if let Some(bad) = store_ids
        .iter()
        .find(|id| !stores.iter().any(|s| &&s.store_id == id))
    {
        return Err(ApiError::field("store_ids", format!("no store {bad}")));
    }
    Ok(ItemRow {
        item_id,
        merchant_id: merchant.merchant_id.clone(),
        name,
        names,
        category: short("category", it.category.as_deref(), CATEGORY_MAX)?,
        prices,
        available: it.available,
        position: it.position,
        store_ids,
        deleted: false,
        updated_at: 0,
    })
}

/// A stored item as the body that would make it (a patch is put over it).
pub fn as_new(it: &ItemRow) -> api::NewItem {
    let v = view(it);
    api::NewItem {
        name: v.name,
        names: v.names,
        category: v.category,
        prices: v.prices,
        available: v.available,
        position: it.position,
        store_ids: Some(v.store_ids),
    }
}

pub(crate) fn stored(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::NotFound("no such item".into()),
        StoreError::Conflict(_) => ApiError::Conflict {
            field: Some("items".into()),
            message: format!("a shop keeps at most {} items", crate::store::MAX_ITEMS),
        },
        other => other.into(),
    }
}

async fn one(state: &AppState, merchant_id: &str, id: &str) -> Result<ItemRow, ApiError> {
    state
        .store
        .items_by_id(merchant_id, &[id.to_owned()])
        .await?
        .into_iter()
        .find(|it| !it.deleted)
        .ok_or_else(|| ApiError::NotFound("no such item".into()))
}

#[utoipa::path(get, path = "/api/v1/items", tag = "items", responses((status = 200, body = api::ItemList), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::ItemList>, ApiError> {
    policy::allow(&caller, Action::ReadItems)?;
    let items = state.store.items(caller.merchant_id()).await?;
    Ok(Json(api::ItemList {
        items: items.iter().map(view).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/items", tag = "items", request_body = api::NewItem, responses((status = 201, body = api::ItemView), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 409, description = "the shop has the most items it may keep", body = api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<api::NewItem>,
) -> Result<(StatusCode, Json<api::ItemView>), ApiError> {
    policy::allow(&caller, Action::EditItems)?;
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let stores = state.store.stores(caller.merchant_id()).await?;
    let id = format!("item_{}", uuid::Uuid::new_v4().simple());
    let row = build(&merchant, &stores, id.clone(), &req)?;
    state
        .store
        .save_items(caller.merchant_id(), &[row], &[], now_ms())
        .await
        .map_err(stored)?;
    let saved = one(&state, caller.merchant_id(), &id).await?;
    Ok((StatusCode::CREATED, Json(view(&saved))))
}

#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "items", params(("id" = String, Path)), responses((status = 200, body = api::ItemView), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<api::ItemView>, ApiError> {
    policy::allow(&caller, Action::ReadItems)?;
    Ok(Json(view(&one(&state, caller.merchant_id(), &id).await?)))
}

#[utoipa::path(patch, path = "/api/v1/items/{id}", tag = "items", params(("id" = String, Path)), request_body = api::ItemPatch, responses((status = 200, body = api::ItemView), (status = 404, description = "not found", body = api::ErrorBody), (status = 422, description = "a field is invalid", body = api::ErrorBody)))]
async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(patch): AppJson<api::ItemPatch>,
) -> Result<Json<api::ItemView>, ApiError> {
    policy::allow(&caller, Action::EditItems)?;
    let current = one(&state, caller.merchant_id(), &id).await?;
    let mut next = as_new(&current);
    next.name = patch.name.unwrap_or(next.name);
    next.names = patch.names.unwrap_or(next.names);
    next.category = patch.category.unwrap_or(next.category);
    next.prices = patch.prices.unwrap_or(next.prices);
    next.available = patch.available.unwrap_or(next.available);
    next.position = patch.position.or(next.position);
    next.store_ids = patch.store_ids.or(next.store_ids);
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let stores = state.store.stores(caller.merchant_id()).await?;
    let row = build(&merchant, &stores, id.clone(), &next)?;
    state
        .store
        .save_items(caller.merchant_id(), &[], &[row], now_ms())
        .await
        .map_err(stored)?;
    Ok(Json(view(&one(&state, caller.merchant_id(), &id).await?)))
}

#[utoipa::path(delete, path = "/api/v1/items/{id}", tag = "items", params(("id" = String, Path)), responses((status = 204, description = "deleted; past sales keep their lines"), (status = 404, description = "not found", body = api::ErrorBody)))]
async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::EditItems)?;
    state
        .store
        .delete_item(caller.merchant_id(), &id, now_ms())
        .await
        .map_err(stored)?;
    Ok(StatusCode::NO_CONTENT)
}
