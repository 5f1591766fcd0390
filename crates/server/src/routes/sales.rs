//! What sold: totals by item over paid charges (the dashboard's top items, the shift summary),
//! and the sold lines as CSV beside the payments export. A cashier sees their counter's day.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use khqr::{Currency, MinorUnits, Money};

use super::payments::{cell, scope_to_counter};
use crate::api;
use crate::auth::Caller;
use crate::error::{ApiError, AppQuery};
use crate::history::{HistoryQuery, utc_offset_ms};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::ChargeRow;

/// `GET /reports/items`, `GET /payments/lines.csv`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/items", get(items))
        .route("/payments/lines.csv", get(lines_csv))
}

async fn sold(
    state: &AppState,
    caller: &Caller,
    q: HistoryQuery,
) -> Result<Vec<(ChargeRow, i64)>, ApiError> {
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let offset = utc_offset_ms(merchant.country);
    let mut q = q;
    scope_to_counter(caller, &mut q, offset);
    Ok(state
        .store
        .sold_charges(
            caller.merchant_id(),
            q.range(offset)?,
            q.terminal.as_deref(),
        )
        .await?)
}

/// Sums lines by item (custom lines by their text) and currency, most sold first.
pub fn totals(charges: &[(ChargeRow, i64)]) -> Vec<api::ItemSales> {
    let mut by: HashMap<(String, Currency), (api::ItemSales, u64)> = HashMap::new();
    for (c, _) in charges {
        let currency = c.money.currency;
        for l in &c.sale.lines {
            let key = l
                .item_id
                .clone()
                .unwrap_or_else(|| format!("custom:{}", l.name));
            let minor = Money::parse(&l.total, currency).map_or(0, |m| m.amount.get());
            let e = by.entry((key, currency)).or_insert_with(|| {
                (
                    api::ItemSales {
                        item_id: l.item_id.clone(),
                        name: l.name.clone(),
                        names: l.names.clone(),
                        quantity: 0,
                        currency,
                        total: String::new(),
                    },
                    0,
                )
            });
            // the name as last sold
            e.0.name.clone_from(&l.name);
            e.0.names = l.names.clone();
            e.0.quantity += u64::from(l.quantity);
            e.1 += minor;
        }
    }
    let mut out: Vec<_> = by
        .into_values()
        .map(|(mut s, minor)| {
            s.total = Money::new(MinorUnits::new(minor), s.currency).to_decimal_string();
            (s, minor)
        })
        .collect();
    out.sort_by(|(a, am), (b, bm)| {
        b.quantity
            .cmp(&a.quantity)
            .then(bm.cmp(am))
            .then(a.name.cmp(&b.name))
    });
    out.into_iter().map(|(s, _)| s).collect()
}

#[utoipa::path(get, path = "/api/v1/reports/items", tag = "history", params(HistoryQuery), responses((status = 200, body = api::ItemReport), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn items(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> Result<Json<api::ItemReport>, ApiError> {
    policy::allow(&caller, Action::ReadTotals)?;
    let charges = sold(&state, &caller, q).await?;
    Ok(Json(api::ItemReport {
        items: totals(&charges),
    }))
}

#[utoipa::path(get, path = "/api/v1/payments/lines.csv", tag = "history", params(HistoryQuery), responses((status = 200, description = "CSV, one row per sold line", content_type = "text/csv"), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn lines_csv(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    policy::allow(&caller, Action::ExportPayments)?;
    let charges = sold(&state, &caller, q).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "paid_at",
        "bill_number",
        "charge_id",
        "item_id",
        "name",
        "quantity",
        "unit_price",
        "total",
        "currency",
        "usd_price",
        "usd_khr_rate",
    ]);
    for (c, paid_at) in &charges {
        for l in &c.sale.lines {
            let _ = w.write_record([
                crate::clock::rfc3339(*paid_at),
                c.bill_number.to_string(),
                c.charge_id.to_string(),
                l.item_id.clone().unwrap_or_default(),
                cell(&l.name),
                l.quantity.to_string(),
                l.unit_price.clone(),
                l.total.clone(),
                c.money.currency.code().to_owned(),
                l.usd_price.clone().unwrap_or_default(),
                c.sale.usd_khr_rate.clone().unwrap_or_default(),
            ]);
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tonle-lines.csv\"",
            ),
        ],
        w.into_inner().unwrap_or_default(),
    )
        .into_response())
}
