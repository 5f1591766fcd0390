//! The sandbox's test wallet: a charge paid from the screen, through the same ingestion as a
//! network's notification; refused fields named; absent (404) on a server without `--sandbox`.

use serde_json::{Value, json};
use tonle_server::api;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

async fn test_pay(app: &TestApp, cookie: &str, charge: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(&format!("/api/v1/charges/{charge}/test-payment")))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_unionpay_test_wallet_pays_in_yuan_and_the_charge_is_paid() {
    let app = spawn_app().await;
    let m = app.register("tp1@shop.kh", "tp1@aclb").await;
    let c = app.charge(&m, "48000", "KHR").await;
    let res = test_pay(&app, &m.cookie, &c.id, json!({"wallet": "unionpay"})).await;
    assert_eq!(res.status(), 200);
    let ack: api::NotificationAck = res.json().await.unwrap();
    assert!(ack.credited);
    assert_eq!(ack.charge_id.as_deref(), Some(c.id.as_str()));
    assert_eq!(ack.charge_status, Some(api::ChargeStatus::Paid));
    let p: api::PaymentView = app
        .get_json(&m.cookie, &format!("/api/v1/payments/{}", ack.payment_id))
        .await;
    assert_eq!(p.network, api::Network::Sandbox);
    assert_eq!(p.payer.wallet, "UnionPay");
    assert_eq!(p.payer.country, "CN");
    assert_eq!(p.payer.currency, Some(khqr::Currency::Cny));
    assert_eq!(
        p.payer.amount.as_deref(),
        Some("84.96"),
        "48,000 riel at 565"
    );
    assert_eq!(p.payer.rate.as_deref(), Some("565"));

    // The merchant's own rate of the day, and a Bakong wallet paying dollars as they are.
    let c2 = app.charge(&m, "12.50", "USD").await;
    let res = test_pay(
        &app,
        &m.cookie,
        &c2.id,
        json!({"wallet": "unionpay", "rate": "0.14"}),
    )
    .await;
    let ack: api::NotificationAck = res.json().await.unwrap();
    let p: api::PaymentView = app
        .get_json(&m.cookie, &format!("/api/v1/payments/{}", ack.payment_id))
        .await;
    assert_eq!(p.payer.amount.as_deref(), Some("89.29"));
    let c3 = app.charge(&m, "3", "USD").await;
    let ack: api::NotificationAck = test_pay(&app, &m.cookie, &c3.id, json!({"wallet": "bakong"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ack.charge_status, Some(api::ChargeStatus::Paid));
    let p: api::PaymentView = app
        .get_json(&m.cookie, &format!("/api/v1/payments/{}", ack.payment_id))
        .await;
    assert_eq!(
        (p.payer.wallet.as_str(), p.payer.currency),
        ("Bakong", None)
    );
}

#[tokio::test]
async fn bad_test_payments_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let m = app.register("tp2@shop.kh", "tp2@aclb").await;
    let c = app.charge(&m, "1000", "KHR").await;
    for (body, field) in [
        (json!({"wallet": "unionpay", "rate": "abc"}), "rate"),
        (json!({"wallet": "unionpay", "rate": "0"}), "rate"),
        (json!({"wallet": "unionpay", "rate": "-1"}), "rate"),
        (json!({"wallet": "visa"}), "wallet"),
        (json!({}), "wallet"),
    ] {
        let res = test_pay(&app, &m.cookie, &c.id, body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let res = test_pay(
        &app,
        &m.cookie,
        "no-such-charge",
        json!({"wallet": "bakong"}),
    )
    .await;
    assert_eq!(res.status(), 404);
    let res = app
        .http
        .post(app.url(&format!("/api/v1/charges/{}/test-payment", c.id)))
        .json(&json!({"wallet": "bakong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "nobody signed in");
    // Nothing was paid by the refusals.
    let now: api::ChargeView = app
        .get_json(&m.cookie, &format!("/api/v1/charges/{}", c.id))
        .await;
    assert_eq!(now.status, api::ChargeStatus::Pending);
}

#[tokio::test]
async fn without_sandbox_there_is_no_test_wallet_and_health_says_so() {
    let app = spawn_app_with(|s| s.sandbox = false).await;
    let m = app.register("tp3@shop.kh", "tp3@aclb").await;
    let c = app.charge(&m, "1000", "KHR").await;
    let res = test_pay(&app, &m.cookie, &c.id, json!({"wallet": "bakong"})).await;
    assert_eq!(res.status(), 404);
    assert!(!sandbox_said(&app).await);
    assert!(sandbox_said(&spawn_app().await).await);
}

/// What `/healthz` (public: no cookie) says of sandbox mode.
async fn sandbox_said(app: &TestApp) -> bool {
    let health: Value = app.get_json("", "/healthz").await;
    health["sandbox"].as_bool().unwrap()
}

#[tokio::test]
async fn test_payments_count_in_the_merchants_charge_rate_and_a_repeat_is_a_new_payment() {
    let app = spawn_app_with(|s| s.limits.charges_per_minute = 3).await;
    let m = app.register("tp4@shop.kh", "tp4@aclb").await;
    let c = app.charge(&m, "1000", "KHR").await;
    let first: api::NotificationAck = test_pay(&app, &m.cookie, &c.id, json!({"wallet": "bakong"}))
        .await
        .json()
        .await
        .unwrap();
    // Pressed again on a paid charge: another wallet's payment, credited once more (it goes to
    // the review queue as paid twice), never a replay of the first.
    let again: api::NotificationAck = test_pay(&app, &m.cookie, &c.id, json!({"wallet": "bakong"}))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(first.payment_id, again.payment_id);
    assert!(again.credited);
    // One charge and two test payments spent the rate of 3: the next is refused.
    let res = test_pay(&app, &m.cookie, &c.id, json!({"wallet": "bakong"})).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}
