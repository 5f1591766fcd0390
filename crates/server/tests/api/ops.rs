//! What an operator watches: `/readyz` beside `/healthz`, and Prometheus text on the metrics
//! listener with the documented names, base units, and no merchant, user or email in a label.

use crate::helpers::{get_with, spawn_app_with};

#[tokio::test]
async fn readyz_and_metrics_answer_with_no_personal_data_in_labels() {
    let app = spawn_app_with(|s| s.metrics_addr = Some(([127, 0, 0, 1], 0).into())).await;
    let (addr, http) = (app.addr, app.http.clone());
    let metrics = app.metrics.expect("a metrics listener");
    let res = get_with(&http, &format!("http://{addr}/readyz"), &[]).await;
    assert_eq!(res.status(), 200);
    let health: serde_json::Value = get_with(&http, &format!("http://{addr}/healthz"), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(health["sandbox"], true);
    assert!(!health["commit"].as_str().unwrap().is_empty());

    // Traffic with an email in it and a charge read by its id.
    let email = "metrics-owner@shop.kh";
    let m = app.register(email, "metrics@aclb").await;
    let id = app.charge(&m, "5000", "KHR").await.id.to_string();
    let res = get_with(
        &http,
        &format!("http://{addr}/api/v1/charges/{id}"),
        &[("cookie", &m.cookie)],
    )
    .await;
    assert_eq!(res.status(), 200);

    let res = get_with(&http, &format!("http://{metrics}/metrics"), &[]).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = res.text().await.unwrap();
    for name in [
        "tonle_build_info{",
        "tonle_http_requests_total{",
        "tonle_http_request_duration_seconds_bucket{",
        "tonle_events_appended_total",
        "tonle_events_published_total",
        "tonle_password_hash_wait_seconds_bucket",
        "tonle_db_pool_in_use",
        "tonle_db_pool_size",
        "tonle_webhook_outbox_depth",
        "tonle_websockets_open",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    // Routes are templates: the charge's id is not a label, nor the email anywhere.
    assert!(text.contains("route=\"/api/v1/charges/{id}\""), "{text}");
    assert!(!text.contains(&id), "a charge id in a label");
    assert!(
        !text.contains(email) && !text.contains("metrics@aclb"),
        "personal data in metrics"
    );
    // The metrics are not on the public listener.
    let res = get_with(&http, &format!("http://{addr}/metrics"), &[]).await;
    assert_ne!(res.status(), 200);
}

#[tokio::test]
async fn https_through_a_trusted_proxy_makes_cookies_secure_and_origins_https() {
    let app = spawn_app_with(|s| s.forwarding.trusted = "127.0.0.1".parse().unwrap()).await;
    let body = serde_json::json!({
        "email": "tls@shop.kh", "password": "0123456789abc", "business_name": "Sokha Noodles",
        "merchant_city": "Phnom Penh", "bakong_account_id": "tls@aclb"
    });
    let signup = |proto: &'static str, email: &'static str| {
        let mut body = body.clone();
        body["email"] = serde_json::json!(email);
        app.http
            .post(app.url("/api/v1/merchants"))
            .header("x-forwarded-for", "198.51.100.7")
            .header("x-forwarded-proto", proto)
            .json(&body)
            .send()
    };
    let res = signup("https", "tls@shop.kh").await.unwrap();
    assert_eq!(res.status(), 201);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("Secure"), "{cookie}");
    let plain = signup("http", "plain@shop.kh").await.unwrap();
    assert!(
        !plain.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
    // A cookie write that came over https must carry the https origin.
    let session = cookie.split(';').next().unwrap().to_owned();
    let host = app.addr.to_string();
    let write = |origin: String| {
        app.http
            .post(app.url("/api/v1/charges"))
            .header("cookie", &session)
            .header("x-forwarded-proto", "https")
            .header("origin", origin)
            .json(&serde_json::json!({"amount": "5000", "currency": "KHR"}))
            .send()
    };
    assert_eq!(write(format!("http://{host}")).await.unwrap().status(), 403);
    assert_eq!(
        write(format!("https://{host}")).await.unwrap().status(),
        201
    );
}
