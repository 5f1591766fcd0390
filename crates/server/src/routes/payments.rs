//! Payments and charges a merchant received: filtered keyset pages, a streamed CSV an accountant
//! can open, and daily totals per currency in the merchant's own business day.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use khqr::{MinorUnits, Money};

use crate::api;
use crate::auth::Caller;
use crate::error::{ApiError, AppQuery};
use crate::history::{HistoryQuery, civil_from_days, encode_cursor, utc_offset_ms};
use crate::policy::{self, Action, Counters};
use crate::state::AppState;
use crate::store::{ChargeQuery, PaymentQuery, PaymentRow, StoreError};
use crate::views;

/// `GET /payments`, `GET /payments.csv`, `GET /charges`, `GET /reports/daily`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/payments", get(list))
        .route("/payments/{id}", get(show))
        .route("/payments/{id}/resolve", axum::routing::post(resolve))
        .route("/payments.csv", get(csv_export))
        .route("/charges", get(list_charges))
        .route("/reports/daily", get(daily))
}

/// A caller bound to one counter (a cashier, a display) sees today's activity of that counter,
/// whatever they ask for.
pub(crate) fn scope_to_counter(caller: &Caller, q: &mut HistoryQuery, offset_ms: i64) {
    if let Counters::One(_) = policy::counters(caller) {
        let today = civil_from_days((crate::clock::now_ms() + offset_ms).div_euclid(86_400_000));
        q.from = Some(today.clone());
        q.to = Some(today);
    }
    q.terminal = policy::counter_filter(caller, q.terminal.take());
}

async fn payment_query(
    state: &AppState,
    caller: &Caller,
    q: &HistoryQuery,
) -> Result<PaymentQuery, ApiError> {
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let mut scoped = q.clone();
    scope_to_counter(caller, &mut scoped, utc_offset_ms(merchant.country));
    let q = &scoped;
    if q.status.is_some() {
        return Err(ApiError::field(
            "status",
            "payments have no status; filter charges by status",
        ));
    }
    let network = match q.network.as_deref() {
        None => None,
        Some(n) => Some(
            api::Network::parse(n)
                .ok_or_else(|| ApiError::field("network", "bakong, unionpay or sandbox"))?,
        ),
    };
    Ok(PaymentQuery {
        range: q.range(utc_offset_ms(merchant.country))?,
        network,
        bill_number: q.bill_number.clone(),
        terminal_id: q.terminal.clone(),
        unmatched: q.unmatched.unwrap_or(false),
        before: q.before()?,
        limit: q.limit()?,
    })
}

#[utoipa::path(get, path = "/api/v1/payments", tag = "history", params(HistoryQuery), responses((status = 200, body = api::Page<api::PaymentView>), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> Result<Json<api::Page<api::PaymentView>>, ApiError> {
    policy::allow(&caller, Action::ReadPayments)?;
    let pq = payment_query(&state, &caller, &q).await?;
    let rows = state.store.list_payments(caller.merchant_id(), &pq).await?;
    let next_cursor = (rows.len() == pq.limit as usize)
        .then(|| {
            rows.last()
                .map(|p| encode_cursor(p.created_at, &p.payment_id))
        })
        .flatten();
    Ok(Json(api::Page {
        items: rows.iter().map(views::payment).collect(),
        next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/payments/{id}", tag = "history", params(("id" = String, Path)), responses((status = 200, body = api::PaymentView), (status = 404, description = "not found", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::PaymentId>,
) -> Result<Json<api::PaymentView>, ApiError> {
    policy::allow(&caller, Action::ReadPayments)?;
    let not_found = || ApiError::NotFound("no such payment".into());
    let (payment, terminal) = state
        .store
        .payment(caller.merchant_id(), &id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => not_found(),
            other => other.into(),
        })?;
    // A cashier sees the payments of their own counter only; a payment that settled no charge
    // is at no counter and only owners and managers see it.
    let bound = matches!(policy::counters(&caller), Counters::One(_));
    if bound && (payment.charge_id.is_none() || !policy::sees_counter(&caller, terminal.as_deref()))
    {
        return Err(not_found());
    }
    Ok(Json(views::payment(&payment)))
}

#[utoipa::path(post, path = "/api/v1/payments/{id}/resolve", tag = "history", params(("id" = String, Path)), request_body = api::ResolveCharge, responses((status = 200, body = api::PaymentView), (status = 403, description = "not allowed for this role", body = api::ErrorBody), (status = 404, description = "not found", body = api::ErrorBody), (status = 409, description = "it settled a charge or was resolved already", body = api::ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<api::PaymentId>,
    crate::error::AppJson(req): crate::error::AppJson<api::ResolveCharge>,
) -> Result<Json<api::PaymentView>, ApiError> {
    policy::allow(&caller, Action::ResolvePayment)?;
    if req.resolution == api::Resolution::Unknown {
        return Err(ApiError::field("resolution", "accepted or refund_due"));
    }
    let (payment, _) = state
        .store
        .resolve_payment(
            caller.merchant_id(),
            &id,
            req.resolution,
            crate::clock::now_ms(),
        )
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::NotFound("no such payment".into()),
            StoreError::Conflict(_) => ApiError::Conflict {
                field: Some("status".into()),
                message: "only an unresolved payment that settled no charge can be resolved".into(),
            },
            other => other.into(),
        })?;
    Ok(Json(views::payment(&payment)))
}

#[utoipa::path(get, path = "/api/v1/charges", tag = "history", params(HistoryQuery), responses((status = 200, body = api::Page<api::ChargeView>), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody)))]
async fn list_charges(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(mut q): AppQuery<HistoryQuery>,
) -> Result<Json<api::Page<api::ChargeView>>, ApiError> {
    policy::allow(&caller, Action::ReadCharges)?;
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    scope_to_counter(&caller, &mut q, utc_offset_ms(merchant.country));
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => match api::ChargeStatus::parse(s) {
            api::ChargeStatus::Unknown => {
                return Err(ApiError::field(
                    "status",
                    "pending, paid, expired, paid_late or cancelled",
                ));
            }
            known => Some(known),
        },
    };
    if q.network.is_some() {
        return Err(ApiError::field(
            "network",
            "filter payments by network, not charges",
        ));
    }
    let cq = ChargeQuery {
        range: q.range(utc_offset_ms(merchant.country))?,
        status,
        bill_number: q.bill_number.clone(),
        terminal_id: q.terminal.clone(),
        before: q.before()?,
        limit: q.limit()?,
    };
    let rows = state.store.list_charges(caller.merchant_id(), &cq).await?;
    let next_cursor = (rows.len() == cq.limit as usize)
        .then(|| {
            rows.last()
                .map(|c| encode_cursor(c.created_at, &c.charge_id))
        })
        .flatten();
    Ok(Json(api::Page {
        items: rows.iter().map(views::charge).collect(),
        next_cursor,
    }))
}

/// A cell an accountant's spreadsheet will not run as a formula, on one line: every text cell
/// of the export goes through here (values stored before fields were checked included).
pub(crate) fn cell(v: &str) -> String {
    let v = api::text::clean_one_line(v, 1024);
    if v.trim_start()
        .starts_with(['=', '+', '-', '@', '\t', '\r', '|', '%'])
    {
        format!("'{v}")
    } else {
        v
    }
}

fn csv_rows(rows: &[PaymentRow], header: bool) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if header {
        let _ = w.write_record([
            "received_at",
            "paid_at",
            "payment_id",
            "network",
            "transaction_id",
            "bill_number",
            "amount",
            "currency",
            "payer_wallet",
            "payer_institution",
            "payer_country",
            "payer_amount",
            "payer_currency",
            "rate",
            "review",
            "resolution",
            "payer_account",
            "payer_reference",
        ]);
    }
    for p in rows {
        let _ = w.write_record([
            crate::clock::rfc3339(p.created_at),
            crate::clock::rfc3339(p.paid_at),
            p.payment_id.to_string(),
            p.network.as_str().to_owned(),
            cell(&p.transaction_id),
            cell(p.bill_number.as_deref().unwrap_or("")),
            p.money.to_decimal_string(),
            p.money.currency.code().to_owned(),
            cell(&p.payer.wallet),
            cell(p.payer.institution.as_deref().unwrap_or("")),
            cell(&p.payer.country),
            cell(p.payer.amount.as_deref().unwrap_or("")),
            p.payer
                .currency
                .map(|c| c.code().to_owned())
                .unwrap_or_default(),
            cell(p.payer.rate.as_deref().unwrap_or("")),
            p.review
                .map(api::ReviewReason::as_str)
                .unwrap_or("")
                .to_owned(),
            match p.resolution {
                Some(api::Resolution::Accepted) => "accepted",
                Some(api::Resolution::RefundDue) => "refund_due",
                Some(api::Resolution::Unknown) | None => "",
            }
            .to_owned(),
            cell(p.payer.account.as_deref().unwrap_or("")),
            cell(p.payer.reference.as_deref().unwrap_or("")),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// Streams every matching payment, page by page, so a year of history never sits in memory.
#[utoipa::path(get, path = "/api/v1/payments.csv", tag = "history", params(HistoryQuery), responses((status = 200, description = "CSV, streamed", content_type = "text/csv"), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn csv_export(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    policy::allow(&caller, Action::ExportPayments)?;
    let mut pq = payment_query(&state, &caller, &q).await?;
    pq.limit = 500;
    let merchant_id = caller.merchant_id().to_owned();
    let stream = futures::stream::unfold(Some((pq, true)), move |cursor| {
        let state = state.clone();
        let merchant_id = merchant_id.clone();
        async move {
            let (mut pq, first) = cursor?;
            match state.store.list_payments(&merchant_id, &pq).await {
                Ok(rows) => {
                    let bytes = csv_rows(&rows, first);
                    let next = (rows.len() == pq.limit as usize).then(|| {
                        pq.before = rows
                            .last()
                            .map(|p| (p.created_at, p.payment_id.to_string()));
                        (pq, false)
                    });
                    Some((Ok::<_, std::io::Error>(bytes), next))
                }
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"tonle-payments.csv\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/reports/daily", tag = "history", params(HistoryQuery), responses((status = 200, body = Vec<api::DailyTotal>), (status = 422, description = "a field is invalid", body = api::ErrorBody), (status = 401, description = "not signed in", body = api::ErrorBody), (status = 403, description = "not allowed for this role", body = api::ErrorBody)))]
async fn daily(
    State(state): State<AppState>,
    caller: Caller,
    AppQuery(q): AppQuery<HistoryQuery>,
) -> Result<Json<Vec<api::DailyTotal>>, ApiError> {
    policy::allow(&caller, Action::ReadTotals)?;
    let merchant = state.store.merchant(caller.merchant_id()).await?;
    let offset = utc_offset_ms(merchant.country);
    // A cashier's totals are their counter's, today.
    let mut q = q;
    scope_to_counter(&caller, &mut q, offset);
    let rows = state
        .store
        .daily_totals(
            caller.merchant_id(),
            q.range(offset)?,
            offset,
            q.terminal.as_deref(),
        )
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|(day, currency, count, total)| api::DailyTotal {
                date: civil_from_days(day),
                currency,
                count,
                total: Money::new(MinorUnits::new(total), currency).to_decimal_string(),
            })
            .collect(),
    ))
}
