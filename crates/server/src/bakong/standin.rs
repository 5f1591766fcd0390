//! A stand-in for the Bakong Open API, answering as the NBC's documents and real responses show
//! (see `shared/docs/standards.md` §3): the envelope, errorCode 1 for not found, 401 with
//! errorCode 6, 429, list items with `status`, and production's bare 403 on the list form. It is
//! what tests, the bench and `tonle simulate bakong` poll; a control API under `/standin/` marks
//! md5s paid, accepts tokens and injects faults.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// A fault the stand-in answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// HTTP 429
    RateLimited,
    /// HTTP 500
    ServerError,
    /// a bare nginx 403 on the list endpoint (single checks still work)
    ListForbidden,
    /// a 404 on the list endpoint
    ListNotFound,
    /// answer nothing for longer than any client waits
    Hang,
}

/// One call the stand-in answered.
#[derive(Debug, Clone)]
pub struct Call {
    /// when
    pub at: Instant,
    /// `md5` or `md5_list`
    pub kind: &'static str,
    /// the bearer token used
    pub token: String,
    /// md5s asked about
    pub md5s: usize,
}

#[derive(Default)]
struct Inner {
    tokens: HashSet<String>,
    any_token: bool,
    paid: HashMap<String, (Value, Instant)>,
    static_md5s: HashSet<String>,
    /// faults to answer with: (fault, calls left; `u32::MAX` until cleared)
    faults: Vec<(Fault, u32)>,
    calls: Vec<Call>,
}

/// The stand-in's state; clones share it.
#[derive(Clone, Default)]
pub struct StandIn {
    inner: Arc<Mutex<Inner>>,
}

/// What marks an md5 paid (`POST /standin/paid`).
#[derive(Debug, Clone, Deserialize)]
pub struct Paid {
    /// the paid code's md5
    pub md5: String,
    /// amount as Bakong writes it (a JSON number)
    pub amount: Value,
    /// `KHR` or `USD`
    pub currency: String,
    /// payee
    pub to_account_id: String,
    /// payer
    #[serde(default)]
    pub from_account_id: Option<String>,
    /// when the payer sent it (default: now)
    #[serde(default)]
    pub created_date_ms: Option<i64>,
    /// the transaction hash (default: random)
    #[serde(default)]
    pub hash: Option<String>,
}

fn envelope(code: i64, message: &str, error: Option<i64>, data: Value) -> Value {
    json!({"responseCode": code, "responseMessage": message, "errorCode": error, "data": data})
}

/// 401 with errorCode 6, as Bakong answers a wrong or expired token.
fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(envelope(1, "Unauthorized", Some(6), Value::Null)),
    )
        .into_response()
}

fn not_found() -> Value {
    envelope(
        1,
        "Transaction could not be found. Please check and try again.",
        Some(1),
        Value::Null,
    )
}

impl StandIn {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Accepts `token` from now on.
    pub fn allow_token(&self, token: &str) {
        self.lock().tokens.insert(token.to_owned());
    }

    /// Refuses `token` from now on (as an expired token is).
    pub fn revoke_token(&self, token: &str) {
        self.lock().tokens.remove(token);
    }

    /// Accepts every non-empty token (for trying tonle by hand).
    pub fn accept_any_token(&self) {
        self.lock().any_token = true;
    }

    /// Marks an md5 paid; returns the transaction hash.
    pub fn mark_paid(&self, p: &Paid) -> String {
        let now_ms = crate::clock::now_ms();
        let hash = p.hash.clone().unwrap_or_else(|| {
            let a = uuid::Uuid::new_v4().simple().to_string();
            let b = uuid::Uuid::new_v4().simple().to_string();
            format!("{a}{b}")
        });
        let tx = json!({
            "hash": hash,
            "fromAccountId": p.from_account_id.clone().unwrap_or_else(|| "abaakhppxxx@abaa".into()),
            "toAccountId": p.to_account_id,
            "currency": p.currency,
            "amount": p.amount,
            "description": null,
            "createdDateMs": p.created_date_ms.unwrap_or(now_ms),
            "acknowledgedDateMs": now_ms,
            "trackingStatus": null,
            "receiverBank": null,
            "receiverBankAccount": null,
            "instructionRef": null,
            "externalRef": format!("100FT{}", &hash[..11.min(hash.len())]),
        });
        self.lock()
            .paid
            .insert(p.md5.to_ascii_lowercase(), (tx, Instant::now()));
        hash
    }

    /// When `md5` was marked paid.
    pub fn paid_at(&self, md5: &str) -> Option<Instant> {
        self.lock().paid.get(md5).map(|(_, at)| *at)
    }

    /// Answers `md5` as a static QR (errorCode 2).
    pub fn mark_static(&self, md5: &str) {
        self.lock().static_md5s.insert(md5.to_ascii_lowercase());
    }

    /// Answers the next `count` calls (`None`: every call until cleared) with `fault`.
    pub fn inject(&self, fault: Fault, count: Option<u32>) {
        self.lock().faults.push((fault, count.unwrap_or(u32::MAX)));
    }

    /// Clears every fault.
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Every call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    /// The fault this call meets, if any (counting it down).
    fn fault_for(&self, list: bool) -> Option<Fault> {
        let mut inner = self.lock();
        let i = inner
            .faults
            .iter()
            .position(|(f, _)| list || !matches!(f, Fault::ListForbidden | Fault::ListNotFound))?;
        let (fault, left) = &mut inner.faults[i];
        let fault = *fault;
        if *left != u32::MAX {
            *left -= 1;
            if *left == 0 {
                inner.faults.remove(i);
            }
        }
        Some(fault)
    }

    /// The token of a call, when it is one the stand-in accepts.
    fn authorized(&self, headers: &HeaderMap) -> Option<String> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned();
        let inner = self.lock();
        let accepted = inner.tokens.contains(&token) || (inner.any_token && !token.is_empty());
        accepted.then_some(token)
    }

    async fn faulted(&self, list: bool) -> Option<Response> {
        Some(match self.fault_for(list)? {
            Fault::RateLimited => (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                Json(envelope(1, "Too many requests", None, Value::Null)),
            )
                .into_response(),
            Fault::ServerError => (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(envelope(1, "Internal server error", Some(9), Value::Null)),
            )
                .into_response(),
            Fault::ListForbidden => (
                StatusCode::FORBIDDEN,
                [("content-type", "text/html")],
                "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            )
                .into_response(),
            Fault::ListNotFound => StatusCode::NOT_FOUND.into_response(),
            Fault::Hang => {
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                StatusCode::GATEWAY_TIMEOUT.into_response()
            }
        })
    }

    fn record(&self, kind: &'static str, token: String, md5s: usize) {
        self.lock().calls.push(Call {
            at: Instant::now(),
            kind,
            token,
            md5s,
        });
    }

    fn lookup(&self, md5: &str) -> Result<Value, i64> {
        let inner = self.lock();
        let md5 = md5.to_ascii_lowercase();
        if inner.static_md5s.contains(&md5) {
            return Err(2);
        }
        inner.paid.get(&md5).map(|(tx, _)| tx.clone()).ok_or(1)
    }

    /// The stand-in's routes: the Open API under `/v1`, the control API under `/standin`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/v1/check_transaction_by_md5", post(check_md5))
            .route("/v1/check_transaction_by_md5_list", post(check_md5_list))
            .route("/standin/tokens", post(add_token))
            .route("/standin/paid", post(mark_paid))
            .route("/standin/fault", post(inject).delete(clear))
            .route("/standin/calls", get(calls))
            .with_state(self.clone())
    }
}

async fn check_md5(State(s): State<StandIn>, headers: HeaderMap, body: Json<Value>) -> Response {
    if let Some(r) = s.faulted(false).await {
        return r;
    }
    let Some(token) = s.authorized(&headers) else {
        return unauthorized();
    };
    s.record("md5", token, 1);
    let Some(md5) = body.get("md5").and_then(Value::as_str) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(envelope(1, "Missing required fields", Some(5), Value::Null)),
        )
            .into_response();
    };
    Json(match s.lookup(md5) {
        Ok(tx) => envelope(0, "Getting transaction successfully.", None, tx),
        Err(2) => envelope(
            1,
            "System does not support static QR code",
            Some(2),
            Value::Null,
        ),
        Err(_) => not_found(),
    })
    .into_response()
}

async fn check_md5_list(
    State(s): State<StandIn>,
    headers: HeaderMap,
    body: Json<Value>,
) -> Response {
    if let Some(r) = s.faulted(true).await {
        return r;
    }
    let Some(token) = s.authorized(&headers) else {
        return unauthorized();
    };
    let Some(md5s) = body.as_array() else {
        return (
            StatusCode::BAD_REQUEST,
            Json(envelope(1, "Missing required fields", Some(5), Value::Null)),
        )
            .into_response();
    };
    if md5s.len() > 50 {
        return (
            StatusCode::BAD_REQUEST,
            Json(envelope(
                1,
                "At most 50 md5 per request",
                Some(5),
                Value::Null,
            )),
        )
            .into_response();
    }
    s.record("md5_list", token, md5s.len());
    let items: Vec<Value> = md5s
        .iter()
        .filter_map(Value::as_str)
        .map(|md5| match s.lookup(md5) {
            Ok(tx) => json!({"md5": md5, "status": "SUCCESS", "message": "Getting transaction successfully.", "data": tx}),
            Err(2) => json!({"md5": md5, "status": "STATIC_QR", "message": "System does not support static QR code", "data": null}),
            Err(_) => json!({"md5": md5, "status": "NOT_FOUND", "message": "Transaction could not be found. Please check and try again.", "data": null}),
        })
        .collect();
    Json(envelope(
        0,
        "Getting transaction successfully.",
        None,
        Value::Array(items),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
}

async fn add_token(State(s): State<StandIn>, Json(b): Json<TokenBody>) -> StatusCode {
    s.allow_token(&b.token);
    StatusCode::NO_CONTENT
}

async fn mark_paid(State(s): State<StandIn>, Json(p): Json<Paid>) -> Json<Value> {
    let hash = s.mark_paid(&p);
    Json(json!({ "hash": hash }))
}

#[derive(Deserialize)]
struct FaultBody {
    fault: Fault,
    count: Option<u32>,
}

async fn inject(State(s): State<StandIn>, Json(b): Json<FaultBody>) -> StatusCode {
    s.inject(b.fault, b.count);
    StatusCode::NO_CONTENT
}

async fn clear(State(s): State<StandIn>) -> StatusCode {
    s.clear_faults();
    StatusCode::NO_CONTENT
}

async fn calls(State(s): State<StandIn>) -> Json<Value> {
    let calls = s.calls();
    Json(json!({
        "total": calls.len(),
        "md5": calls.iter().filter(|c| c.kind == "md5").count(),
        "md5_list": calls.iter().filter(|c| c.kind == "md5_list").count(),
    }))
}
