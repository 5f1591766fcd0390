//! Items as CSV, one row per item, with the columns a spreadsheet user expects: `id` (empty for
//! a new item), `name`, `name_km`, `name_zh`, `category`, `price_khr`, `price_usd`, `price_cny`,
//! `available` (yes / no), `position`, `stores` (store names, `;` between). An import is all or
//! nothing: a bad row is refused by its number and column, and nothing is saved.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use khqr::Currency;

use super::items::{build, stored, view};
use super::payments::cell;
use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{ItemRow, MAX_ITEMS, MerchantRow, StoreRow};

/// The largest file an import takes.
pub const FILE_LIMIT: usize = 1024 * 1024;

const COLUMNS: [&str; 11] = [
    "id",
    "name",
    "name_km",
    "name_zh",
    "category",
    "price_khr",
    "price_usd",
    "price_cny",
    "available",
    "position",
    "stores",
];

#[utoipa::path(get, path = "/api/v1/items.csv", tag = "items", responses((status = 200, description = "CSV, one row per item", content_type = "text/csv"), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
pub(super) async fn export(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    policy::allow(&caller, Action::EditItems)?;
    let items = state.store.items(caller.merchant_id()).await?;
    let stores = state.store.stores(caller.merchant_id()).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    for it in &items {
        let v = view(it);
        let store_names: Vec<&str> = v
            .store_ids
            .iter()
            .filter_map(|id| stores.iter().find(|s| &s.store_id == id))
            .map(|s| s.name.as_str())
            .collect();
        let opt = |s: &Option<String>| cell(s.as_deref().unwrap_or(""));
        let _ = w.write_record([
            v.id.clone(),
            cell(&v.name),
            opt(&v.names.km),
            opt(&v.names.zh),
            opt(&v.category),
            opt(&v.prices.khr),
            opt(&v.prices.usd),
            opt(&v.prices.cny),
            if v.available { "yes" } else { "no" }.to_owned(),
            v.position.to_string(),
            cell(&store_names.join("; ")),
        ]);
    }
    let body = w.into_inner().unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tonle-items.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// A cell as typed in a spreadsheet: trimmed, the export's leading `'` (formula guard) removed.
fn typed(v: &str) -> &str {
    let v = v.trim();
    v.strip_prefix('\'').unwrap_or(v)
}

fn yes_no(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" | "sold out" => Some(false),
        _ => None,
    }
}

/// One row as the body of an item; the error names the row (1 is the first under the header)
/// and the column.
fn row_item(
    n: usize,
    rec: &csv::StringRecord,
    at: &[Option<usize>; 11],
    stores: &[StoreRow],
) -> Result<(Option<String>, api::NewItem), ApiError> {
    let get = |col: usize| at[col].and_then(|i| rec.get(i)).map(typed).unwrap_or("");
    let opt = |col: usize| Some(get(col).to_owned()).filter(|s| !s.is_empty());
    let bad = |col: usize, msg: &str| ApiError::field(&format!("row {n}: {}", COLUMNS[col]), msg);
    let available = yes_no(get(8)).ok_or_else(|| bad(8, "yes or no"))?;
    let position = match get(9) {
        "" => None,
        p => Some(p.parse().map_err(|_| bad(9, "a whole number"))?),
    };
    let mut store_ids = Vec::new();
    for name in get(10).split(';').map(str::trim).filter(|s| !s.is_empty()) {
        let s = stores
            .iter()
            .find(|s| s.name == name || s.store_id == name)
            .ok_or_else(|| bad(10, &format!("no store named {name}")))?;
        store_ids.push(s.store_id.clone());
    }
    let mut prices = api::ItemPrices::default();
    for (col, currency) in [(5, Currency::Khr), (6, Currency::Usd), (7, Currency::Cny)] {
        prices.set(currency, opt(col));
    }
    Ok((
        opt(0),
        api::NewItem {
            name: get(1).to_owned(),
            names: api::ItemNames {
                km: opt(2),
                zh: opt(3),
            },
            category: opt(4),
            prices,
            available,
            position,
            store_ids: Some(store_ids),
        },
    ))
}

/// Puts `row N: ` before the field a check named.
fn in_row(n: usize, e: ApiError) -> ApiError {
    match e {
        ApiError::Validation { field, message } => ApiError::Validation {
            field: format!("row {n}: {}", column_of(&field)),
            message,
        },
        other => other,
    }
}

fn column_of(field: &str) -> &str {
    match field {
        "names.km" => "name_km",
        "names.zh" => "name_zh",
        "prices.KHR" => "price_khr",
        "prices.USD" => "price_usd",
        "prices.CNY" => "price_cny",
        "prices" => "price_khr",
        "store_ids" => "stores",
        other => other,
    }
}

#[utoipa::path(post, path = "/api/v1/items.csv", tag = "items", request_body(content = String, content_type = "text/csv", description = "the columns of the export; rows with an id change that item, rows without add one"), responses((status = 200, body = api::ItemImport), (status = 422, description = "a row is invalid (`row N: column`); nothing was saved", body = api::ErrorBody), (status = 409, description = "the shop would hold more items than it may keep", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
pub(super) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<api::ItemImport>, ApiError> {
    policy::allow(&caller, Action::EditItems)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::field("file", "save the file as CSV UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::field("file", format!("not CSV: {e}")))?
        .clone();
    let at: [Option<usize>; 11] = COLUMNS.map(|c| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(c))
    });
    if at[1].is_none() {
        return Err(ApiError::field(
            "file",
            "a header row with at least the column name",
        ));
    }
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let stores = state.store.stores(caller.merchant_id()).await?;
    let current = state.store.items(caller.merchant_id()).await?;
    let (new, changed) = rows(&mut reader, &at, &merchant, &stores, &current)?;
    state
        .store
        .save_items(caller.merchant_id(), &new, &changed, now_ms())
        .await
        .map_err(stored)?;
    Ok(Json(api::ItemImport {
        created: new.len() as u32,
        updated: changed.len() as u32,
    }))
}

/// Every row of the file as items to add and items to change; the first bad row is refused.
fn rows(
    reader: &mut csv::Reader<&[u8]>,
    at: &[Option<usize>; 11],
    merchant: &MerchantRow,
    stores: &[StoreRow],
    current: &[ItemRow],
) -> Result<(Vec<ItemRow>, Vec<ItemRow>), ApiError> {
    let (mut new, mut changed) = (Vec::new(), Vec::new());
    for (i, rec) in reader.records().enumerate() {
        let n = i + 1;
        if n > MAX_ITEMS {
            return Err(ApiError::field("file", format!("at most {MAX_ITEMS} rows")));
        }
        let rec = rec.map_err(|e| ApiError::field(&format!("row {n}"), format!("not CSV: {e}")))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (id, item) = row_item(n, &rec, at, stores)?;
        match id {
            Some(id) => {
                if !current.iter().any(|c| c.item_id == id) {
                    return Err(ApiError::field(
                        &format!("row {n}: id"),
                        "no such item (leave id empty to add one)",
                    ));
                }
                changed.push(build(merchant, stores, id, &item).map_err(|e| in_row(n, e))?);
            }
            None => {
                let id = format!("item_{}", uuid::Uuid::new_v4().simple());
                new.push(build(merchant, stores, id, &item).map_err(|e| in_row(n, e))?);
            }
        }
    }
    Ok((new, changed))
}
