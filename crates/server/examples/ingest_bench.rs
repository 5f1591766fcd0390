//! Ingest benchmark: notification → websocket latency (p50/p99/max) with 1,000 websocket clients
//! connected, then durable notifications per second (every 200 is a committed, fsynced
//! transaction). Runs the real server in-process on loopback.
//!
//! SQLite (default): one instance on a temp database, 1,000 idle clients of another merchant.
//! PostgreSQL (`TONLE_BENCH_DATABASE_URL=postgres://…`, a fresh schema there): two instances;
//! notifications go to the first, the measured client and the 1,000 idle ones are on the second
//! (cross-instance latency through LISTEN/NOTIFY); the throughput run posts to both.
//!
//! `cargo run --profile release-server -p tonle-server --example ingest_bench [-- LATENCY_N THROUGHPUT_N CONCURRENCY]`
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;
use tonle_server::config::Settings;
use tonle_server::startup::Application;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn register(http: &reqwest::Client, base: &str, email: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/merchants"))
        .json(
            &json!({"email": email, "password": "0123456789abc", "business_name": "Bench Shop",
                      "merchant_city": "Phnom Penh", "bakong_account_id": "bench@aclb"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn connect(addr: &str, cookie: &str) -> Ws {
    let mut req = format!("ws://{addr}/api/v1/events")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, None, true)
        .await
        .unwrap();
    // hello
    ws.next().await.unwrap().unwrap();
    ws
}

async fn charges(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    n: usize,
) -> Vec<api::ChargeView> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let res = http
            .post(format!("{base}/api/v1/charges"))
            .header("cookie", cookie)
            .json(&json!({"amount": format!("{}", 1000 + i), "currency": "KHR"}))
            .send()
            .await
            .unwrap();
        out.push(res.json().await.unwrap());
    }
    out
}

async fn notify(
    http: &reqwest::Client,
    base: &str,
    secret: &tonle_server::signing::WebhookSecret,
    c: &api::ChargeView,
    tx: &str,
) {
    let body = serde_json::to_vec(&json!({
        "transaction_id": tx, "md5": c.md5, "amount": c.amount, "currency": c.currency,
        "paid_at_ms": tonle_server::clock::now_ms(),
        "payer": {"wallet": "UnionPay App", "country": "CN", "amount": "1.00", "currency": "CNY", "rate": "565"}
    }))
    .unwrap();
    let id = format!("msg_{tx}");
    let ts = tonle_server::clock::now_ms() / 1000;
    let res = http
        .post(format!("{base}/api/v1/notifications/sandbox"))
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", secret.sign(&id, ts, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// Reads the socket continuously (a client that stops reading is dropped by the server, by
/// design) and forwards the ids of paid charges.
fn paid_ids(mut ws: Ws) -> tokio::sync::mpsc::UnboundedReceiver<String> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(msg)) = ws.next().await {
            if let Message::Text(t) = msg
                && let Ok(api::ServerMsg::Event { event }) = serde_json::from_str(&t)
                && let api::EventData::ChargePaid { charge, .. } = event.data
                && tx.send(charge.id).is_err()
            {
                return;
            }
        }
    });
    rx
}

async fn next_paid(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("event in time")
        .expect("socket open")
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (latency_n, throughput_n, concurrency) = (
        args.first().copied().unwrap_or(500),
        args.get(1).copied().unwrap_or(5000),
        args.get(2).copied().unwrap_or(64),
    );
    let dir = tempfile::tempdir().unwrap();
    let pg = std::env::var("TONLE_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|url| {
            let sep = if url.contains('?') { '&' } else { '?' };
            let n: u64 = rand::random();
            format!("{url}{sep}options=-c%20search_path%3Dbench_{n:016x}")
        });
    let store = if pg.is_some() { "postgres" } else { "sqlite" };
    // Instance a takes notifications; b (PostgreSQL only) serves the websockets.
    let mut addrs = Vec::new();
    for _ in 0..if pg.is_some() { 2 } else { 1 } {
        let mut settings = Settings::for_tests(dir.path().to_path_buf());
        settings.database_url = pg.clone();
        settings.database_max_connections = 32;
        let app = Application::build(settings).await.unwrap();
        addrs.push(app.addr().unwrap().to_string());
        tokio::spawn(app.run(std::future::pending()));
    }
    let base = format!("http://{}", addrs[0]);
    let ws_addr = addrs.last().unwrap().clone();
    let bases: Vec<String> = addrs.iter().map(|a| format!("http://{a}")).collect();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let secret = tonle_server::signing::read_sandbox_secret(dir.path()).unwrap();

    let shop = register(&http, &base, "bench@shop.kh").await;
    let idle_shop = register(&http, &base, "idle@shop.kh").await;
    // 1,000 clients of another merchant (on the second instance with PostgreSQL): the bus and
    // the listener must pick the bench merchant's events out of theirs.
    let mut idle = Vec::with_capacity(1000);
    for _ in 0..1000 {
        idle.push(connect(&ws_addr, &idle_shop).await);
    }
    let mut ws = paid_ids(connect(&ws_addr, &shop).await);
    eprintln!("{store}: 1000 websocket clients connected; creating {latency_n} charges");

    let lat_charges = charges(&http, &base, &shop, latency_n).await;
    // Drain the charge_created events so only charge_paid is waited for.
    let mut samples = Vec::with_capacity(latency_n);
    for (i, c) in lat_charges.iter().enumerate() {
        let t0 = Instant::now();
        notify(&http, &base, &secret, c, &format!("lat-{i}")).await;
        loop {
            if next_paid(&mut ws).await == c.id {
                break;
            }
        }
        samples.push(t0.elapsed());
    }
    samples.sort();
    println!(
        "{{\"bench\":\"notification_to_websocket\",\"store\":\"{store}\",\"instances\":{},\"clients\":1000,\"n\":{latency_n},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2}}}",
        addrs.len(),
        pct(&samples, 0.5).as_secs_f64() * 1e3,
        pct(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );

    eprintln!("creating {throughput_n} charges for the throughput run");
    let tp_charges = charges(&http, &base, &shop, throughput_n).await;
    let t0 = Instant::now();
    let jobs = futures::stream::iter(tp_charges.iter().enumerate())
        .map(|(i, c)| {
            let http = http.clone();
            let base = bases[i % bases.len()].clone();
            let secret = secret.clone();
            async move { notify(&http, &base, &secret, c, &format!("tp-{i}")).await }
        })
        .buffer_unordered(concurrency);
    jobs.collect::<Vec<()>>().await;
    let secs = t0.elapsed().as_secs_f64();
    // Every acknowledged payment reaches the live client, in order, exactly once.
    let mut got = std::collections::HashSet::new();
    while got.len() < throughput_n {
        got.insert(next_paid(&mut ws).await);
    }
    println!(
        "{{\"bench\":\"durable_notifications\",\"store\":\"{store}\",\"n\":{throughput_n},\"concurrency\":{concurrency},\"seconds\":{secs:.3},\"per_second\":{:.0},\"delivered_to_websocket\":{}}}",
        throughput_n as f64 / secs,
        got.len()
    );
    for mut w in idle {
        let _ = w.close(None).await;
    }
}
