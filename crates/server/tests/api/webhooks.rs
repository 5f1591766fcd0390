//! Webhooks out: signed, filtered, retried on the Svix schedule (on a clock the test moves),
//! kept across a restart, refused for inward addresses, signed twice during a rotation.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tonle_server::api;
use tonle_server::clock::Clock;
use tonle_server::config::Settings;
use tonle_server::signing::WebhookSecret;

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app_with, start};

/// One call a receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: Vec<u8>,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn verifies_with(&self, secret: &WebhookSecret) -> bool {
        secret
            .verify(
                Some(&self.id),
                Some(&self.timestamp),
                Some(&self.signature),
                &self.body,
                tonle_server::clock::now_ms() / 1000,
            )
            .is_ok()
    }
}

/// A receiver that answers 500 to its first `fail` calls, then 200.
struct Receiver {
    url: String,
    fail: Arc<AtomicUsize>,
    calls: mpsc::UnboundedReceiver<Received>,
}

impl Receiver {
    async fn start(fail: usize) -> Self {
        let fail = Arc::new(AtomicUsize::new(fail));
        let (tx, calls) = mpsc::unbounded_channel();
        let left = Arc::clone(&fail);
        let router = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
                let left = Arc::clone(&left);
                let tx = tx.clone();
                async move {
                    let h = |n: &str| headers[n].to_str().unwrap().to_owned();
                    let _ = tx.send(Received {
                        id: h("webhook-id"),
                        timestamp: h("webhook-timestamp"),
                        signature: h("webhook-signature"),
                        body: body.to_vec(),
                    });
                    let failing = left
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if failing {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::OK
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, fail, calls }
    }

    async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(10), self.calls.recv())
            .await
            .expect("a webhook within 10 s")
            .unwrap()
    }

    async fn nothing_within(&mut self, wait: Duration) -> bool {
        tokio::time::timeout(wait, self.calls.recv()).await.is_err()
    }
}

async fn app_with_clock(allow_private: bool) -> (TestApp, Clock) {
    let mut clock = None;
    let app = spawn_app_with(|s| {
        s.webhook_allow_private = allow_private;
        clock = Some(s.clock.clone());
    })
    .await;
    (app, clock.unwrap())
}

async fn call(
    app: &TestApp,
    m: &Merchant,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .header("cookie", &m.cookie);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn endpoint(
    app: &TestApp,
    m: &Merchant,
    url: &str,
    events: Value,
) -> (String, WebhookSecret) {
    let (status, made) = call(
        app,
        m,
        "POST",
        "/api/v1/webhook-endpoints",
        Some(json!({"url": url, "events": events, "description": "POS"})),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let secret = WebhookSecret::parse(made["secret"].as_str().unwrap()).unwrap();
    (made["id"].as_str().unwrap().to_owned(), secret)
}

async fn paid_charge(app: &TestApp, m: &Merchant, tx: &str) -> api::ChargeView {
    let charge = app.charge(m, "12500", "KHR").await;
    assert_eq!(app.notify(&payment_for(&charge, tx)).await.status(), 200);
    charge
}

#[tokio::test]
async fn a_receiver_failing_three_times_gets_the_event_on_schedule_with_one_id_and_a_valid_signature()
 {
    let (app, clock) = app_with_clock(true).await;
    let owner = app.register("hooks@shop.kh", "hooks@aclb").await;
    let mut rx = Receiver::start(3).await;
    let (id, secret) = endpoint(&app, &owner, &rx.url, json!(["charge.paid"])).await;
    let charge = paid_charge(&app, &owner, "wh-1").await;

    let first = rx.next().await;
    // The schedule waits 5 s, 5 min, then 30 min: nothing comes before the clock gets there.
    for wait in [5, 5 * 60, 30 * 60] {
        assert!(
            rx.nothing_within(Duration::from_millis(1500)).await,
            "retried early"
        );
        clock.advance(Duration::from_secs(wait));
        let again = rx.next().await;
        assert_eq!(again.id, first.id, "every attempt keeps its webhook-id");
        assert!(again.verifies_with(&secret));
    }
    assert_eq!(rx.fail.load(Ordering::SeqCst), 0);
    let body = first.json();
    assert_eq!(
        body["type"], "charge.paid",
        "filtered: charge.created is not sent"
    );
    assert_eq!(body["data"]["charge"]["id"], charge.id.as_str());
    assert_eq!(body["data"]["payment"]["transaction_id"], "wh-1");
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));

    // The log says how it went.
    let (status, log) = call(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/webhook-endpoints/{id}/deliveries"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert!(log.is_array(), "{log}");
    let d = wait_until_delivered(&app, &owner, &id).await;
    assert_eq!(d.id, first.id);
    assert_eq!(d.status, api::DeliveryStatus::Delivered);
    assert_eq!(d.attempts, 4);
    assert_eq!(d.last_status_code, Some(200));
    assert_eq!(d.event, api::WebhookEvent::ChargePaid);

    // A person may send it again: same id, one more attempt.
    let (status, _) = call(
        &app,
        &owner,
        "POST",
        &format!("/api/v1/webhook-deliveries/{}/retry", d.id),
        None,
    )
    .await;
    assert_eq!(status, 202);
    assert_eq!(rx.next().await.id, first.id);

    // The log keeps 30 days.
    tokio::time::sleep(Duration::from_millis(300)).await;
    clock.advance(Duration::from_secs(31 * 24 * 3600));
    let path = format!("/api/v1/webhook-endpoints/{id}/deliveries");
    let log = get_until(&app, &owner, &path, |v| {
        v.as_array().is_some_and(Vec::is_empty)
    })
    .await;
    let left = log.as_array().map_or(usize::MAX, Vec::len);
    assert_eq!(left, 0, "a delivery older than 30 days is pruned");
}

/// GETs `path` as `m` until `done` holds for the answer (5 s at most); the last answer.
async fn get_until(
    app: &TestApp,
    m: &Merchant,
    path: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut v = Value::Null;
    for _ in 0..50 {
        v = call(app, m, "GET", path, None).await.1;
        if done(&v) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    v
}

/// The last attempt's result is written just after the receiver answers: wait for it.
async fn wait_until_delivered(
    app: &TestApp,
    m: &Merchant,
    endpoint: &str,
) -> api::WebhookDeliveryView {
    let path = format!("/api/v1/webhook-endpoints/{endpoint}/deliveries");
    let v = get_until(app, m, &path, |v| v[0]["status"] == "delivered").await;
    let mut log: Vec<api::WebhookDeliveryView> = serde_json::from_value(v).unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    log.remove(0)
}

#[tokio::test]
async fn a_delivery_waiting_for_its_retry_survives_a_restart() {
    let data_dir = tempfile::tempdir().unwrap();
    let settings = Settings::for_tests(data_dir.path().to_path_buf());
    let app = start(settings, data_dir).await;
    let owner = app.register("restart-hooks@shop.kh", "restart@aclb").await;
    let mut rx = Receiver::start(1).await;
    endpoint(&app, &owner, &rx.url, json!([])).await;
    let charge = app.charge(&owner, "5000", "KHR").await;
    let first = rx.next().await;
    assert_eq!(first.json()["type"], "charge.created");
    assert_eq!(first.json()["data"]["charge"]["id"], charge.id.as_str());
    let data_dir = app.stop().await;

    // A new process: its clock is past the 5-second retry.
    let settings = Settings::for_tests(data_dir.path().to_path_buf());
    settings.clock.advance(Duration::from_secs(6));
    let app = start(settings, data_dir).await;
    let again = rx.next().await;
    assert_eq!(again.id, first.id);
    assert_eq!(again.body, first.body);
    drop(app);
}

#[tokio::test]
async fn inward_addresses_are_refused_unless_the_server_allows_them() {
    let (app, _) = app_with_clock(false).await;
    let owner = app.register("ssrf@shop.kh", "ssrf@aclb").await;
    for url in [
        "https://127.0.0.1/hook",
        "https://localhost:8443/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.0.0.8/hook",
        "http://pos.example.com/hook",
        "https://user:pw@pos.example.com/hook",
        "file:///etc/passwd",
    ] {
        let (status, body) = call(
            &app,
            &owner,
            "POST",
            "/api/v1/webhook-endpoints",
            Some(json!({"url": url})),
        )
        .await;
        assert_eq!(status, 422, "{url}: {body}");
        assert_eq!(body["error"]["field"], "url", "{url}: {body}");
    }
    // Nor can an endpoint be moved inward later.
    let (status, made) = call(
        &app,
        &owner,
        "POST",
        "/api/v1/webhook-endpoints",
        Some(json!({"url": "https://1.1.1.1/hook", "events": ["payment.resolved"]})),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().unwrap();
    let (status, body) = call(
        &app,
        &owner,
        "PATCH",
        &format!("/api/v1/webhook-endpoints/{id}"),
        Some(json!({"url": "https://127.0.0.1/hook"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("url")),
        "{body}"
    );
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_old_one_for_a_day() {
    let (app, clock) = app_with_clock(true).await;
    let owner = app.register("rotate@shop.kh", "rotate@aclb").await;
    let mut rx = Receiver::start(0).await;
    let (id, old) = endpoint(&app, &owner, &rx.url, json!(["charge.created"])).await;
    let (status, rotated) = call(
        &app,
        &owner,
        "POST",
        &format!("/api/v1/webhook-endpoints/{id}/rotate-secret"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let new = WebhookSecret::parse(rotated["secret"].as_str().unwrap()).unwrap();
    assert!(rotated["endpoint"]["previous_secret_until_ms"].is_i64());

    app.charge(&owner, "100", "KHR").await;
    let during = rx.next().await;
    assert_eq!(
        during.signature.split(' ').count(),
        2,
        "{}",
        during.signature
    );
    assert!(during.verifies_with(&old), "the old secret still verifies");
    assert!(during.verifies_with(&new), "the new secret verifies");

    clock.advance(Duration::from_secs(24 * 3600 + 1));
    app.charge(&owner, "200", "KHR").await;
    let after = rx.next().await;
    assert_eq!(after.signature.split(' ').count(), 1);
    assert!(
        !after.verifies_with(&old),
        "the old secret is retired after 24 h"
    );
    assert!(after.verifies_with(&new));
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_turned_off_and_says_why() {
    let (app, clock) = app_with_clock(true).await;
    let owner = app.register("failing@shop.kh", "failing@aclb").await;
    let mut rx = Receiver::start(usize::MAX).await;
    let (id, _) = endpoint(&app, &owner, &rx.url, json!(["charge.created"])).await;
    app.charge(&owner, "100", "KHR").await;
    rx.next().await;
    // The first failure is recorded before the clock moves on.
    let path = format!("/api/v1/webhook-endpoints/{id}");
    get_until(&app, &owner, &path, |v| v["failing_since_ms"].is_i64()).await;
    clock.advance(Duration::from_secs(5 * 24 * 3600));
    rx.next().await;
    let shown = get_until(&app, &owner, &path, |v| v["enabled"] == false).await;
    assert_eq!(shown["enabled"], false, "{shown}");
    let reason = shown["disabled_reason"].as_str().unwrap();
    assert!(reason.contains("HTTP 500"), "{reason}");
    // Off: new events are not queued for it; turned on again, it sends again.
    app.charge(&owner, "300", "KHR").await;
    assert!(rx.nothing_within(Duration::from_millis(1500)).await);
    rx.fail.store(0, Ordering::SeqCst);
    let (status, on) = call(
        &app,
        &owner,
        "PATCH",
        &format!("/api/v1/webhook-endpoints/{id}"),
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(on["disabled_reason"], Value::Null);
    app.charge(&owner, "400", "KHR").await;
    assert_eq!(rx.next().await.json()["data"]["charge"]["amount"], "400");
}

#[tokio::test]
async fn endpoint_fields_are_checked_and_a_deleted_endpoint_is_gone() {
    let (app, _) = app_with_clock(true).await;
    let owner = app.register("fields@shop.kh", "fields@aclb").await;
    let (status, body) = call(
        &app,
        &owner,
        "POST",
        "/api/v1/webhook-endpoints",
        Some(json!({"url": "http://127.0.0.1:9/h", "events": ["charge.refunded"]})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = call(
        &app,
        &owner,
        "POST",
        "/api/v1/webhook-endpoints",
        Some(json!({"url": "http://127.0.0.1:9/h", "description": "x".repeat(201)})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("description"))
    );
    let (id, _) = endpoint(
        &app,
        &owner,
        "http://127.0.0.1:9/h",
        json!(["charge.paid", "charge.paid"]),
    )
    .await;
    let (_, shown) = call(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/webhook-endpoints/{id}"),
        None,
    )
    .await;
    assert_eq!(shown["events"], json!(["charge.paid"]));
    assert!(shown.get("secret").is_none(), "the secret is shown once");
    let (status, _) = call(
        &app,
        &owner,
        "DELETE",
        &format!("/api/v1/webhook-endpoints/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = call(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/webhook-endpoints/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_receiver_that_never_answers_does_not_hold_up_another_endpoint() {
    let (app, _) = app_with_clock(true).await;
    let owner = app.register("slow-hook@shop.kh", "slowhook@aclb").await;
    // Accepts connections and never answers: each attempt waits out the 10-second limit.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}/hook", silent.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = silent.accept().await {
            held.push(sock);
        }
    });
    endpoint(&app, &owner, &silent_url, json!(["charge.created"])).await;
    let mut rx = Receiver::start(0).await;
    endpoint(&app, &owner, &rx.url, json!(["charge.paid"])).await;
    for _ in 0..30 {
        app.charge(&owner, "100", "KHR").await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = std::time::Instant::now();
    paid_charge(&app, &owner, "fair-1").await;
    let got = rx.next().await;
    assert_eq!(got.json()["type"], "charge.paid");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "30 deliveries to a silent receiver held up another endpoint for {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn one_account_with_ten_silent_endpoints_does_not_hold_up_another_merchants_webhooks() {
    let (app, _) = app_with_clock(true).await;
    // A free account points its ten endpoints (the cap) at a host that accepts and never
    // answers, and makes 40 charges: 400 deliveries, each worth a 10-second wait.
    let greedy = app.register("greedy@free.kh", "greedy@aclb").await;
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("http://{}/hook", silent.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&accepted);
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = silent.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(sock);
        }
    });
    for _ in 0..10 {
        endpoint(&app, &greedy, &silent_url, json!(["charge.created"])).await;
    }
    for _ in 0..40 {
        app.charge(&greedy, "100", "KHR").await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Another shop's webhook goes at once.
    let shop = app.register("patient@shop.kh", "patient@aclb").await;
    let mut rx = Receiver::start(0).await;
    endpoint(&app, &shop, &rx.url, json!(["charge.paid"])).await;
    let started = std::time::Instant::now();
    paid_charge(&app, &shop, "fair-other").await;
    assert_eq!(rx.next().await.json()["type"], "charge.paid");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "another account's 400 stalled deliveries held this one up for {:?}",
        started.elapsed()
    );
    // The silent endpoints rest as a whole after their first timeouts: over 12 s the host saw
    // a handful of attempts (the account's share, then one probe per endpoint), not hundreds.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let tries = accepted.load(Ordering::SeqCst);
    assert!(
        (1..=20).contains(&tries),
        "{tries} attempts reached the silent host in 12 s"
    );
}

/// Broken, oversized and wrongly typed input to the integration routes is a 4xx naming what is
/// wrong, never a 500.
#[tokio::test]
async fn hostile_input_to_integration_routes_is_refused_cleanly() {
    let (app, _) = app_with_clock(true).await;
    let owner = app.register("hostile@shop.kh", "hostile@aclb").await;
    let (id, _) = endpoint(&app, &owner, "http://127.0.0.1:9/h", json!([])).await;
    for (method, path) in [
        ("POST", "/api/v1/webhook-endpoints".to_owned()),
        ("PATCH", format!("/api/v1/webhook-endpoints/{id}")),
        ("POST", "/api/v1/api-keys".to_owned()),
    ] {
        for body in ["{", "[]", "{\"url\": 5, \"name\": [], \"scopes\": \"all\"}"] {
            // serde reads `[]` as a struct with every field left out: for PATCH, "no change".
            if method == "PATCH" && body == "[]" {
                continue;
            }
            let res = app
                .http
                .request(method.parse().unwrap(), app.url(&path))
                .header("cookie", &owner.cookie)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let v: Value = res.json().await.unwrap_or(Value::Null);
            assert!(
                (400..500).contains(&status),
                "{method} {path} {body}: {status}"
            );
            assert!(
                v["error"]["message"].is_string(),
                "{method} {path} {body}: {v}"
            );
        }
    }
    let long_url = format!("https://pos.example.com/{}", "a".repeat(3000));
    let (status, v) = call(
        &app,
        &owner,
        "POST",
        "/api/v1/webhook-endpoints",
        Some(json!({"url": long_url})),
    )
    .await;
    assert_eq!((status, v["error"]["field"].clone()), (422, json!("url")));
    let (status, v) = call(
        &app,
        &owner,
        "POST",
        "/api/v1/api-keys",
        Some(json!({"name": "x".repeat(81), "scopes": ["charges:read"]})),
    )
    .await;
    assert_eq!((status, v["error"]["field"].clone()), (422, json!("name")));
    for limit in ["0", "101", "abc"] {
        let (status, _) = call(
            &app,
            &owner,
            "GET",
            &format!("/api/v1/webhook-endpoints/{id}/deliveries?limit={limit}"),
            None,
        )
        .await;
        assert!((400..500).contains(&status), "limit={limit}: {status}");
    }
    let (status, v) = call(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/webhook-endpoints/{id}/deliveries?before=no-such"),
        None,
    )
    .await;
    assert_eq!(
        (status, v),
        (200, json!([])),
        "an unknown cursor is an empty page"
    );
}
