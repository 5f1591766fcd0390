//! Bakong poll benchmark: 1,000 pending charges across 100 merchants, each merchant with its own
//! token on a stand-in Bakong Open API. Reports the calls tonle makes (per second, and per
//! merchant per round: the goal is at most one), then the time from the stand-in recording a
//! payment to the `charge_paid` event on the merchant's websocket (p50/p95/max; goal p95 ≤ 2.5 s).
//! Runs the real server and the stand-in in-process on loopback with a temp SQLite database.
//!
//! `cargo run --profile release-server -p tonle-server --example bakong_bench [-- MERCHANTS CHARGES_EACH PAYMENTS]`
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;
use tonle_server::bakong::standin::{Paid, StandIn};
use tonle_server::config::Settings;
use tonle_server::startup::Application;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Shop {
    cookie: String,
    account: String,
    charges: Vec<api::ChargeView>,
}

#[tokio::main]
async fn main() {
    let merchants = arg(1, 100);
    let each = arg(2, 10);
    let payments = arg(3, 200);
    let standin = StandIn::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let standin_url = format!("http://{}", listener.local_addr().unwrap());
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(dir.path().to_path_buf());
    settings.bakong_api_url = standin_url;
    let app = Application::build(settings).await.unwrap();
    let addr = app.addr().unwrap().to_string();
    let (_stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run(async move {
        let _ = stop_rx.await;
    }));
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();

    eprintln!("setting up {merchants} merchants with {each} pending charges each");
    let mut shops = Vec::new();
    for m in 0..merchants {
        let account = format!("shop{m}@aclb");
        let res = http
            .post(format!("{base}/api/v1/merchants"))
            .json(&json!({"email": format!("bench{m}@shop.kh"), "password": "0123456789abc",
                "business_name": "Bench Shop", "merchant_city": "Phnom Penh", "bakong_account_id": account}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let token = format!("bench-token-{m}-{}", uuid::Uuid::new_v4().simple());
        standin.allow_token(&token);
        let saved = http
            .put(format!("{base}/api/v1/integrations/bakong"))
            .header("cookie", &cookie)
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        let mut charges = Vec::new();
        for i in 0..each {
            let c: api::ChargeView = http
                .post(format!("{base}/api/v1/charges"))
                .header("cookie", &cookie)
                .json(&json!({"amount": format!("{}", 1000 + i * 100), "currency": "KHR"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            charges.push(c);
        }
        shops.push(Shop {
            cookie,
            account,
            charges,
        });
    }

    // One websocket per merchant, recording when each charge_paid arrives.
    let arrived: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    for shop in &shops {
        let mut req = format!("ws://{addr}/api/v1/events")
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("cookie", shop.cookie.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        let arrived = Arc::clone(&arrived);
        tokio::spawn(async move {
            while let Some(Ok(msg)) = ws.next().await {
                let Message::Text(text) = msg else { continue };
                if let Ok(api::ServerMsg::Event { event }) = serde_json::from_str(&text)
                    && let api::EventData::ChargePaid { charge, .. } = event.data
                {
                    arrived.lock().unwrap().insert(charge.id, Instant::now());
                }
            }
        });
    }

    // Calls while nothing is paid: the steady polling load.
    let window = Duration::from_secs(10);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let from = standin.calls().len();
    let started = Instant::now();
    tokio::time::sleep(window).await;
    let calls: Vec<_> = standin.calls()[from..].to_vec();
    let secs = started.elapsed().as_secs_f64();
    // Per merchant per round: the most calls one token made within any one-second round.
    let mut by_token: HashMap<&str, Vec<Instant>> = HashMap::new();
    for c in &calls {
        by_token.entry(c.token.as_str()).or_default().push(c.at);
    }
    let max_per_round = by_token
        .values()
        .map(|ats| {
            ats.iter()
                .map(|a| {
                    ats.iter()
                        .filter(|b| **b >= *a && b.duration_since(*a) < Duration::from_millis(900))
                        .count()
                })
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let md5s: usize = calls.iter().map(|c| c.md5s).sum();
    println!(
        "{{\"bench\":\"bakong_poll_load\",\"merchants\":{merchants},\"pending_charges\":{},\"seconds\":{secs:.1},\"calls\":{},\"calls_per_second\":{:.1},\"md5s_per_second\":{:.0},\"max_calls_per_merchant_per_round\":{max_per_round}}}",
        merchants * each,
        calls.len(),
        calls.len() as f64 / secs,
        md5s as f64 / secs,
    );

    // Payments: one every 40 ms on random charges; time from the stand-in recording it to the
    // websocket event.
    eprintln!("paying {payments} charges on the stand-in");
    let mut rng_state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        rng_state
    };
    let mut paid: Vec<(String, String)> = Vec::new();
    for _ in 0..payments {
        let shop = &shops[(next() % shops.len() as u64) as usize];
        let open: Vec<&api::ChargeView> = shop
            .charges
            .iter()
            .filter(|c| !paid.iter().any(|(id, _)| *id == c.id))
            .collect();
        let Some(c) = open.get((next() % open.len().max(1) as u64) as usize) else {
            continue;
        };
        let p: Paid = serde_json::from_value(json!({
            "md5": c.md5, "amount": c.amount.parse::<u64>().unwrap(), "currency": "KHR",
            "to_account_id": shop.account
        }))
        .unwrap();
        standin.mark_paid(&p);
        paid.push((c.id.clone(), c.md5.clone()));
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while arrived.lock().unwrap().len() < paid.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let arrived = arrived.lock().unwrap().clone();
    let mut lat: Vec<f64> = paid
        .iter()
        .filter_map(|(id, md5)| {
            let at = arrived.get(id)?;
            let marked = standin.paid_at(md5)?;
            Some(at.duration_since(marked).as_secs_f64() * 1000.0)
        })
        .collect();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let missing = paid.len() - lat.len();
    println!(
        "{{\"bench\":\"bakong_payment_to_websocket\",\"payments\":{},\"delivered\":{},\"missing\":{missing},\"p50_ms\":{:.0},\"p95_ms\":{:.0},\"max_ms\":{:.0}}}",
        paid.len(),
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        lat.last().copied().unwrap_or(0.0),
    );
}
