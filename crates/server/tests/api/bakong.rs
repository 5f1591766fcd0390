//! Real payments through the Bakong Open API: the poller asks a stand-in Bakong (answering as the
//! NBC documents) and what it finds reaches the charge screen's websocket, exactly once.

use std::time::Duration;

use serde_json::{Value, json};
use tonle_server::api;
use tonle_server::bakong::standin::{Fault, Paid};
use tonle_server::signing::WebhookSecret;

use crate::events::{connect, next_event};
use crate::helpers::{Merchant, StandInServer, TestApp, spawn_app_with, spawn_standin, start};

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig-one";
const ACCOUNT: &str = "sokha@aclb";

async fn setup() -> (TestApp, StandInServer, Merchant) {
    let bakong = spawn_standin().await;
    let url = bakong.url.clone();
    let app = spawn_app_with(move |s| {
        s.bakong_api_url = url;
        s.bakong_secret = Some(BAKONG_SECRET.clone());
    })
    .await;
    let m = app.register("bakong@shop.kh", ACCOUNT).await;
    bakong.standin.allow_token(TOKEN);
    let saved = save_token(&app, &m, TOKEN).await;
    assert_eq!(saved["status"], "ok", "{saved}");
    (app, bakong, m)
}

async fn save_token(app: &TestApp, m: &Merchant, token: &str) -> Value {
    let res = app
        .http
        .put(app.url("/api/v1/integrations/bakong"))
        .header("cookie", &m.cookie)
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn paid(c: &api::ChargeView, amount: Value, to: &str) -> Paid {
    serde_json::from_value(json!({
        "md5": c.md5, "amount": amount, "currency": c.currency, "to_account_id": to,
        "from_account_id": "payer@abaa"
    }))
    .unwrap()
}

async fn charge_status(app: &TestApp, m: &Merchant, id: &str) -> String {
    let v: Value = app
        .get_json(&m.cookie, &format!("/api/v1/charges/{id}"))
        .await;
    v["status"].as_str().unwrap().to_owned()
}

/// The next `bakong_status` the stream carries (within 5 s).
async fn next_status(ws: &mut crate::events::Ws) -> api::BakongStatus {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let api::EventData::BakongStatus { bakong } = next_event(ws).await.data {
                return bakong.status;
            }
        }
    })
    .await
    .expect("a bakong_status event")
}

/// Waits (up to `secs`) for `check` to hold.
async fn eventually<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn a_payment_found_on_bakong_turns_the_charge_paid_live_and_keeps_the_payers_details() {
    let (app, bakong, m) = setup().await;
    let c = app.charge(&m, "4400", "KHR").await;
    let mut ws = connect(&app, &m, None).await;
    let hash = bakong.standin.mark_paid(&paid(&c, json!(4400), ACCOUNT));
    let event = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = next_event(&mut ws).await;
            if let api::EventData::ChargePaid { .. } = e.data {
                return e;
            }
        }
    })
    .await
    .expect("charge_paid within 5 s of the payment");
    let api::EventData::ChargePaid { charge, payment } = event.data else {
        unreachable!()
    };
    assert_eq!(charge.id, c.id);
    assert_eq!(charge.status, api::ChargeStatus::Paid);
    assert_eq!(payment.network, api::Network::Bakong);
    assert_eq!(payment.transaction_id, hash);
    assert_eq!(payment.payer.account.as_deref(), Some("payer@abaa"));
    assert!(
        payment
            .payer
            .reference
            .as_deref()
            .is_some_and(|r| r.starts_with("100FT"))
    );
    // Asked in one list call per round for this merchant, never more.
    let calls = bakong.standin.calls();
    assert!(calls.iter().all(|c| c.kind == "md5_list" || c.md5s == 1));
}

#[tokio::test]
async fn the_same_payment_found_by_polling_and_notified_is_credited_once_either_way() {
    let (app, bakong, m) = setup().await;
    // Polled first, then notified.
    let c = app.charge(&m, "1000", "KHR").await;
    let hash = bakong.standin.mark_paid(&paid(&c, json!(1000), ACCOUNT));
    assert!(
        eventually(5, || async {
            charge_status(&app, &m, &c.id).await == "paid"
        })
        .await
    );
    let body = json!({
        "transaction_id": hash, "md5": c.md5, "amount": "1000", "currency": "KHR",
        "paid_at_ms": tonle_server::clock::now_ms(), "merchant_account": ACCOUNT,
        "payer": {"wallet": "Bakong", "country": "KH"}
    });
    let ack = notify_bakong(&app, &body).await;
    assert_eq!(ack["credited"], false, "{ack}");
    // Notified first, then found by polling.
    let c2 = app.charge(&m, "2000", "KHR").await;
    let hash2 = "f".repeat(64);
    let mut body2 = body.clone();
    body2["transaction_id"] = json!(hash2);
    body2["md5"] = json!(c2.md5);
    body2["amount"] = json!("2000");
    assert_eq!(notify_bakong(&app, &body2).await["credited"], true);
    let mut p = paid(&c2, json!(2000), ACCOUNT);
    p.hash = Some(hash2.clone());
    bakong.standin.mark_paid(&p);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let page: Value = app.get_json(&m.cookie, "/api/v1/payments?limit=50").await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "one payment each: {page}");
    assert_eq!(
        items
            .iter()
            .filter(|p| p["transaction_id"] == hash2.as_str())
            .count(),
        1
    );
}

async fn notify_bakong(app: &TestApp, body: &Value) -> Value {
    let bytes = serde_json::to_vec(body).unwrap();
    let secret = &*BAKONG_SECRET;
    let now = tonle_server::clock::now_ms() / 1000;
    let id = format!("msg_{}", crate::helpers::uuid_like());
    app.http
        .post(app.url("/api/v1/notifications/bakong"))
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", now.to_string())
        .header("webhook-signature", secret.sign(&id, now, &bytes))
        .body(bytes)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The Bakong notification secret every app here is started with.
static BAKONG_SECRET: std::sync::LazyLock<WebhookSecret> =
    std::sync::LazyLock::new(WebhookSecret::generate);

#[tokio::test]
async fn an_amount_or_payee_mismatch_goes_to_review_and_the_charge_stays_pending() {
    let (app, bakong, m) = setup().await;
    let short = app.charge(&m, "5000", "KHR").await;
    bakong.standin.mark_paid(&paid(&short, json!(500), ACCOUNT));
    let elsewhere = app.charge(&m, "6000", "KHR").await;
    bakong
        .standin
        .mark_paid(&paid(&elsewhere, json!(6000), "thief@aclb"));
    let queue = || async {
        let page: Value = app
            .get_json(&m.cookie, "/api/v1/payments?unmatched=true")
            .await;
        page["items"].as_array().unwrap().clone()
    };
    assert!(eventually(6, || async { queue().await.len() == 2 }).await);
    let reasons: Vec<String> = queue()
        .await
        .iter()
        .map(|p| p["review"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(
        reasons.contains(&"amount_mismatch".to_owned()),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"payee_mismatch".to_owned()),
        "{reasons:?}"
    );
    assert_eq!(charge_status(&app, &m, &short.id).await, "pending");
    assert_eq!(charge_status(&app, &m, &elsewhere.id).await, "pending");
}

#[tokio::test]
async fn a_refused_token_shows_unauthorized_pauses_polling_and_a_new_token_resumes_it() {
    let (app, bakong, m) = setup().await;
    let c = app.charge(&m, "3000", "KHR").await;
    let mut ws = connect(&app, &m, None).await;
    bakong.standin.revoke_token(TOKEN);
    let status = next_status(&mut ws).await;
    assert_eq!(status, api::BakongStatus::Unauthorized);
    let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
    assert_eq!(shown["status"], "unauthorized");
    assert!(
        shown["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("unauthorized"))
    );
    // Paused: no more calls with the refused token.
    let before = bakong.standin.calls().len();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(bakong.standin.calls().len(), before, "polling paused");
    // A new token resumes it, and the payment made meanwhile is found.
    bakong.standin.mark_paid(&paid(&c, json!(3000), ACCOUNT));
    let fresh = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig-two";
    bakong.standin.allow_token(fresh);
    let saved = save_token(&app, &m, fresh).await;
    assert_eq!(saved["status"], "ok");
    assert_eq!(saved["token_hint"], "-two");
    assert!(
        saved["expires_at"]
            .as_str()
            .is_some_and(|e| e.starts_with("2100-01-01"))
    );
    assert!(
        eventually(5, || async {
            charge_status(&app, &m, &c.id).await == "paid"
        })
        .await
    );
    let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
    assert!(shown.get("token").is_none() && !shown.to_string().contains("sig-two"));
}

#[tokio::test]
async fn a_restart_mid_poll_loses_nothing() {
    let bakong = spawn_standin().await;
    let url = bakong.url.clone();
    let app = spawn_app_with(move |s| s.bakong_api_url = url).await;
    let m = app.register("restart@shop.kh", ACCOUNT).await;
    bakong.standin.allow_token(TOKEN);
    save_token(&app, &m, TOKEN).await;
    let c = app.charge(&m, "7000", "KHR").await;
    let data_dir = app.stop().await;
    // Paid while tonle is down.
    bakong.standin.mark_paid(&paid(&c, json!(7000), ACCOUNT));
    let mut settings = tonle_server::config::Settings::for_tests(data_dir.path().to_path_buf());
    settings.bakong_api_url = bakong.url.clone();
    let app = start(settings, data_dir).await;
    let signed_in = app
        .http
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": "restart@shop.kh", "password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    let m = Merchant {
        cookie: crate::helpers::cookie_of(&signed_in),
    };
    assert!(
        eventually(5, || async {
            charge_status(&app, &m, &c.id).await == "paid"
        })
        .await
    );
}

#[tokio::test]
async fn the_list_endpoints_403_falls_back_to_single_checks_and_faults_back_off() {
    let (app, bakong, m) = setup().await;
    bakong.standin.inject(Fault::ListForbidden, None);
    let c = app.charge(&m, "8000", "KHR").await;
    bakong.standin.mark_paid(&paid(&c, json!(8000), ACCOUNT));
    assert!(
        eventually(5, || async {
            charge_status(&app, &m, &c.id).await == "paid"
        })
        .await
    );
    assert!(bakong.standin.calls().iter().any(|c| c.kind == "md5"));

    // A 429 then 500s: status says so, polling backs off, then recovers and finds the payment.
    bakong.standin.clear_faults();
    bakong.standin.inject(Fault::RateLimited, Some(1));
    let c2 = app.charge(&m, "9000", "KHR").await;
    let mut ws = connect(&app, &m, None).await;
    let seen = next_status(&mut ws).await;
    assert_eq!(seen, api::BakongStatus::RateLimited);
    bakong.standin.mark_paid(&paid(&c2, json!(9000), ACCOUNT));
    assert!(
        eventually(8, || async {
            charge_status(&app, &m, &c2.id).await == "paid"
        })
        .await
    );
    // The poller records the payment, then writes that checks recovered: wait for the second.
    eventually(3, || async {
        let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
        shown["status"] == "ok"
    })
    .await;
    let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
    assert_eq!(shown["status"], "ok", "recovered: {shown}");
}

#[tokio::test]
async fn check_now_asks_at_once_and_is_throttled() {
    let (app, bakong, m) = setup().await;
    let c = app.charge(&m, "1500", "KHR").await;
    bakong.standin.mark_paid(&paid(&c, json!(1500), ACCOUNT));
    let (app_ref, cookie) = (&app, m.cookie.as_str());
    let check = |id: String| async move {
        app_ref
            .http
            .post(app_ref.url(&format!("/api/v1/charges/{id}/check")))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap()
    };
    let first = check(c.id.clone()).await;
    assert_eq!(first.status(), 200);
    let first: Value = first.json().await.unwrap();
    assert_eq!(first["status"], "paid", "found by the check itself");
    let c2 = app.charge(&m, "1600", "KHR").await;
    assert_eq!(check(c2.id.clone()).await.status(), 200);
    let again = check(c2.id.clone()).await;
    assert_eq!(again.status(), 429);
    assert!(again.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn only_the_owner_saves_or_removes_the_token_and_it_never_comes_back() {
    let (app, _bakong, m) = setup().await;
    let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
    assert_eq!(shown["configured"], true);
    assert_eq!(shown["token_hint"], "-one");
    assert!(!shown.to_string().contains(TOKEN));
    let gone = app
        .http
        .delete(app.url("/api/v1/integrations/bakong"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    let shown: Value = app.get_json(&m.cookie, "/api/v1/integrations/bakong").await;
    assert_eq!(shown["status"], "not_configured");
    let bad = app
        .http
        .put(app.url("/api/v1/integrations/bakong"))
        .header("cookie", &m.cookie)
        .json(&json!({"token": "has spaces in it"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["field"], "token");
}
