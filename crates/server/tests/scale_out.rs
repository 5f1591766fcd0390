//! Two `tonle serve` processes on one fresh PostgreSQL schema, as a load balancer would run them:
//! a payment posted to one reaches a websocket client of the other in order; sign-in guesses and
//! wrong pairing codes spread over both count together; one is killed with
//! SIGKILL while notifications pour into both and nothing acknowledged is lost or doubled (what
//! the dead one never answered is retried on the survivor, as a network retries); the Bakong
//! poller keeps polling from the survivor once the dead one's lease lapses; a member of staff
//! removed on one instance is signed out on the other at once, event stream included.
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;
use tonle_server::bakong::standin::{Paid, StandIn};

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig-one";
const ACCOUNT: &str = "sokha@aclb";
/// Charges paid while an instance is killed.
const LOAD: usize = 60;

#[path = "../examples/support/mod.rs"]
mod support;

use support::{Instance, notify, payment_body};

fn database_url() -> String {
    let base = std::env::var("TONLE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into());
    support::fresh_schema(&base, "test_scale")
}

/// Starts `tonle serve` on the shared schema and data dir, polling the stand-in Bakong.
async fn start(data_dir: &std::path::Path, db: &str, bakong: &str) -> Instance {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_tonle"));
    let args = [
        "--bakong-api-url",
        bakong,
        "--database-max-connections",
        "16",
    ];
    Instance::start(bin, data_dir, Some(db), &args).await
}

async fn charge(http: &reqwest::Client, at: &Instance, cookie: &str) -> api::ChargeView {
    support::create_charge(http, &at.base, cookie, 5000).await
}

async fn get(http: &reqwest::Client, at: &Instance, cookie: &str, path: &str) -> Value {
    let res = http
        .get(at.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

async fn next_event(ws: &mut support::Ws) -> api::Event {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("an event within 10 s")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg
            && let Ok(api::ServerMsg::Event { event }) = serde_json::from_str(&t)
        {
            return event;
        }
    }
}

async fn poll_holder(pool: &sqlx::PgPool) -> Option<String> {
    sqlx::query_scalar("select poll_holder from bakong_integration")
        .fetch_optional(pool)
        .await
        .unwrap()
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_stream_and_survive_a_kill() {
    let db = database_url();
    let data_dir = tempfile::tempdir().unwrap();
    let standin = StandIn::default();
    standin.allow_token(TOKEN);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bakong = format!("http://{}", listener.local_addr().unwrap());
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = client();

    // Instance a: a merchant signs up and saves a Bakong token; a's poller takes the merchant.
    let mut a = start(data_dir.path(), &db, &bakong).await;
    let res = http
        .post(a.url("/api/v1/merchants"))
        .json(&json!({
            "email": "two@shop.kh", "password": "0123456789abc", "business_name": "Sokha Noodles",
            "merchant_city": "Phnom Penh", "bakong_account_id": ACCOUNT
        }))
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
    let saved = http
        .put(a.url("/api/v1/integrations/bakong"))
        .header("cookie", &cookie)
        .json(&json!({ "token": TOKEN }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    let started = Instant::now();
    let holder_a = loop {
        if let Some(h) = poll_holder(&pool).await {
            break h;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "a polls");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    // Instance b: same database, same data dir (sealing key, sandbox secret). Its websocket
    // client hears what is posted to a, in order, once.
    let b = start(data_dir.path(), &db, &bakong).await;
    let secret = tonle_server::signing::read_sandbox_secret(data_dir.path()).unwrap();
    let mut req = b
        .url("/api/v1/events")
        .replace("http", "ws")
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let first = charge(&http, &a, &cookie).await;
    let body = payment_body(&first, "tx-first");
    assert_eq!(
        notify(&http, &a.base, &secret, "msg-first", &body).await,
        Some(reqwest::StatusCode::OK)
    );
    // The Bakong poller's status may come first or between (it is an event of the log too).
    let not_bakong = |e: &api::Event| !matches!(e.data, api::EventData::BakongStatus { .. });
    let mut created = next_event(&mut ws).await;
    while !not_bakong(&created) {
        created = next_event(&mut ws).await;
    }
    assert!(matches!(created.data, api::EventData::ChargeCreated { .. }));
    let mut seq = created.seq;
    let paid = loop {
        let e = next_event(&mut ws).await;
        assert_eq!(e.seq, seq + 1, "in order, none skipped or repeated");
        seq = e.seq;
        if not_bakong(&e) {
            break e;
        }
    };
    match paid.data {
        api::EventData::ChargePaid { charge, .. } => assert_eq!(charge.id, first.id),
        other => panic!("{other:?}"),
    }
    let mut last = paid.seq;

    // A guesser spreading wrong passwords over both instances is stopped at the same limit as
    // on one: the failures count together.
    let guess = |at: &Instance| {
        http.post(at.url("/api/v1/session"))
            .json(&json!({"email": "two@shop.kh", "password": "not-the-password"}))
            .send()
    };
    for n in 0..10 {
        let at = if n % 2 == 0 { &a } else { &b };
        assert_eq!(guess(at).await.unwrap().status(), 401, "guess {n}");
    }
    assert_eq!(guess(&a).await.unwrap().status(), 429);
    assert_eq!(guess(&b).await.unwrap().status(), 429);
    // So do wrong pairing codes.
    let pair = |at: &Instance| {
        http.post(at.url("/api/v1/devices/pair"))
            .json(&json!({"code": "0000-0000"}))
            .send()
    };
    for n in 0..20 {
        let at = if n % 2 == 0 { &a } else { &b };
        assert_eq!(pair(at).await.unwrap().status(), 404, "code {n}");
    }
    assert_eq!(pair(&a).await.unwrap().status(), 429);
    assert_eq!(pair(&b).await.unwrap().status(), 429);

    // Load on both; a is killed with SIGKILL part-way.
    let mut charges = Vec::new();
    for _ in 0..LOAD {
        charges.push(charge(&http, &b, &cookie).await);
    }
    // Each body is made once: a retry repeats it byte for byte, as a network does.
    let bodies: Vec<Value> = charges
        .iter()
        .enumerate()
        .map(|(i, c)| payment_body(c, &format!("tx-{i}")))
        .collect();
    let mut posts = tokio::task::JoinSet::new();
    for (i, body) in bodies.iter().enumerate() {
        let to = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let (http, secret, body) = (http.clone(), secret.clone(), body.clone());
        posts.spawn(async move {
            tokio::time::sleep(Duration::from_millis(10 * i as u64)).await;
            (
                i,
                notify(&http, &to, &secret, &format!("msg-{i}"), &body).await,
            )
        });
    }
    tokio::time::sleep(Duration::from_millis(250)).await;
    a.kill();
    let mut acknowledged = BTreeSet::new();
    let mut unanswered = Vec::new();
    while let Some(done) = posts.join_next().await {
        let (i, answer) = done.unwrap();
        match answer {
            Some(status) => {
                assert_eq!(status, reqwest::StatusCode::OK, "notification {i}");
                acknowledged.insert(i);
            }
            None => unanswered.push(i),
        }
    }
    eprintln!(
        "killed mid-load: {} acknowledged, {} never answered (retried on b)",
        acknowledged.len(),
        unanswered.len()
    );
    assert!(!unanswered.is_empty(), "a was killed mid-load");
    assert!(
        acknowledged.len() > LOAD / 2,
        "a answered some before it died"
    );
    // The network retries what was never answered, same id and body, on the survivor.
    for &i in &unanswered {
        let again = notify(&http, &b.base, &secret, &format!("msg-{i}"), &bodies[i]).await;
        assert_eq!(again, Some(reqwest::StatusCode::OK), "retry of {i}");
    }

    // Every payment once; every charge paid; the stream on b carried each payment once, in order.
    let page = get(&http, &b, &cookie, "/api/v1/payments?limit=200").await;
    let mut per_tx: BTreeMap<String, usize> = BTreeMap::new();
    for p in page["items"].as_array().unwrap() {
        *per_tx
            .entry(p["transaction_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    assert_eq!(per_tx.len(), LOAD + 1, "{per_tx:?}");
    assert!(per_tx.values().all(|n| *n == 1), "{per_tx:?}");
    for c in &charges {
        let now = get(&http, &b, &cookie, &format!("/api/v1/charges/{}", c.id)).await;
        assert_eq!(now["status"], "paid", "{}", c.id);
    }
    let mut paid_seen = BTreeSet::new();
    while paid_seen.len() < LOAD {
        let e = next_event(&mut ws).await;
        assert_eq!(e.seq, last + 1, "in order, none skipped or repeated");
        last = e.seq;
        if let api::EventData::ChargePaid { charge, .. } = e.data {
            assert!(paid_seen.insert(charge.id), "each payment once");
        }
    }

    // The Bakong poller: b takes the merchant over when a's lease lapses, and finds a payment.
    let polled = charge(&http, &b, &cookie).await;
    standin.mark_paid(
        &serde_json::from_value::<Paid>(json!({
            "md5": polled.md5, "amount": 5000, "currency": "KHR", "to_account_id": ACCOUNT,
            "from_account_id": "payer@abaa"
        }))
        .unwrap(),
    );
    let started = Instant::now();
    loop {
        let now = get(
            &http,
            &b,
            &cookie,
            &format!("/api/v1/charges/{}", polled.id),
        )
        .await;
        if now["status"] == "paid" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the survivor polls Bakong"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let holder_b = poll_holder(&pool).await.unwrap();
    assert_ne!(holder_b, holder_a, "b holds the lease now");
}

/// The close code a socket ends with, waiting up to `within`.
async fn close_code(ws: &mut support::Ws, within: Duration) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("closed in time")
        {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            other => panic!("socket ended without a close frame: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_removed_on_one_instance_are_signed_out_on_the_other_at_once() {
    let db = database_url();
    let data_dir = tempfile::tempdir().unwrap();
    let bakong = "http://127.0.0.1:9";
    let http = client();
    let a = start(data_dir.path(), &db, bakong).await;
    let b = start(data_dir.path(), &db, bakong).await;
    let owner = support::register(&http, &a.base, "gone-owner@shop.kh").await;
    let with = |at: &Instance, cookie: &str, method: &str, path: &str| {
        http.request(method.parse().unwrap(), at.url(path))
            .header("cookie", cookie)
    };
    let inv: Value = with(&a, &owner, "POST", "/api/v1/staff/invitations")
        .json(&json!({"email": "gone-mgr@shop.kh", "role": "manager"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let joined = http
        .post(b.url(&format!(
            "/api/v1/invitations/{}/accept",
            inv["token"].as_str().unwrap()
        )))
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(joined.status(), 201);
    let manager = joined.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    // The manager invites someone on b, and watches the stream on b.
    let theirs: Value = with(&b, &manager, "POST", "/api/v1/staff/invitations")
        .json(&json!({"email": "gone-later@shop.kh", "role": "cashier"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (mut ws, _) = support::connect(&b.addr, &manager, 0).await.unwrap();
    let staff = get(&http, &a, &owner, "/api/v1/staff").await;
    let id = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == "gone-mgr@shop.kh")
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .unwrap();

    // Removed on a: b's socket closes, b refuses the session and the invitation.
    let removed = with(&a, &owner, "DELETE", &format!("/api/v1/staff/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    assert_eq!(
        close_code(&mut ws, Duration::from_secs(3)).await,
        Some(api::close::UNAUTHORIZED)
    );
    let session = with(&b, &manager, "GET", "/api/v1/session")
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), 401);
    let link = http
        .get(b.url(&format!(
            "/api/v1/invitations/{}",
            theirs["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), 404);
}

/// An HTTP client that gives up on a request after 30 s: an instance that stops answering fails
/// the test with its step named, instead of holding the run until CI's limit.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}
