//! A stand-in for a rate source, answering as the NBC's `exRate.php` does (XML `<ex>` items), or
//! with what a test asks: a malformed page, no answer for longer than any client waits, an
//! error status, or a jump. `/standin/answer` sets the next answers; `/standin/fetches` counts.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

/// What the source answers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Answer {
    /// the NBC table with these riel per yuan and per dollar, dated
    Table {
        /// riel per yuan (e.g. "566")
        khr_per_cny: String,
        /// riel per dollar (e.g. "4020")
        khr_per_usd: String,
        /// `YYYY-MM-DD`
        date: String,
    },
    /// an HTML error page with status 200 (what broken sources send)
    Malformed,
    /// HTTP 503
    Unavailable,
    /// no answer for a minute
    Hang,
}

/// The stand-in.
#[derive(Clone)]
pub struct StandIn {
    answer: Arc<Mutex<Answer>>,
    fetches: Arc<AtomicU64>,
}

impl StandIn {
    /// Answers the table of `khr_per_cny` and `khr_per_usd` dated `date`.
    pub fn new(khr_per_cny: &str, khr_per_usd: &str, date: &str) -> Self {
        Self {
            answer: Arc::new(Mutex::new(Answer::Table {
                khr_per_cny: khr_per_cny.into(),
                khr_per_usd: khr_per_usd.into(),
                date: date.into(),
            })),
            fetches: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Changes what it answers.
    pub fn set(&self, answer: Answer) {
        if let Ok(mut a) = self.answer.lock() {
            *a = answer;
        }
    }

    /// How many fetches it has answered (or begun to).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::SeqCst)
    }

    /// Its routes: `GET /api/exRate.php`, `POST /standin/answer`, `GET /standin/fetches`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/api/exRate.php", get(table))
            .route("/standin/answer", post(set_answer))
            .route("/standin/fetches", get(count))
            .with_state(self.clone())
    }
}

async fn table(State(s): State<StandIn>) -> Response {
    s.fetches.fetch_add(1, Ordering::SeqCst);
    let answer = s
        .answer
        .lock()
        .map(|a| a.clone())
        .unwrap_or(Answer::Unavailable);
    match answer {
        Answer::Table {
            khr_per_cny,
            khr_per_usd,
            date,
        } => {
            let ex = |key: &str, avg: &str| {
                format!(
                    "<ex><date>{date}</date><key>{key}</key><unit>1</unit><bid>{avg}</bid><ask>{avg}</ask><average>{avg}</average></ex>"
                )
            };
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><ExchangeRate>{}{}{}</ExchangeRate>",
                ex("USD/KHR", &khr_per_usd),
                ex("THB/KHR", "120"),
                ex("CNY/KHR", &khr_per_cny)
            );
            ([("content-type", "text/xml")], body).into_response()
        }
        Answer::Malformed => (
            [("content-type", "text/html")],
            "<html><body><h1>Site under maintenance</h1></body></html>",
        )
            .into_response(),
        Answer::Unavailable => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}

async fn set_answer(State(s): State<StandIn>, Json(a): Json<Answer>) -> StatusCode {
    s.set(a);
    StatusCode::NO_CONTENT
}

async fn count(State(s): State<StandIn>) -> Json<u64> {
    Json(s.fetches())
}
