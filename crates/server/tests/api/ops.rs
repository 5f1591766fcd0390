//! What an operator watches: `/readyz` beside `/healthz`, and Prometheus text on the metrics
//! listener with the documented names, base units, and no merchant, user or email in a label.

use tokio::sync::oneshot;

use crate::helpers::get_with;
use tonle_server::config::Settings;
use tonle_server::startup::Application;

#[tokio::test]
async fn readyz_and_metrics_answer_with_no_personal_data_in_labels() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(data_dir.path().to_path_buf());
    settings.metrics_addr = Some(([127, 0, 0, 1], 0).into());
    let app = Application::build(settings).await.unwrap();
    let addr = app.addr().unwrap();
    let metrics = app.metrics_addr().expect("a metrics listener");
    let (_stop, rx) = oneshot::channel::<()>();
    tokio::spawn(app.run(async move {
        let _ = rx.await;
    }));
    let http = reqwest::Client::new();
    let res = get_with(&http, &format!("http://{addr}/readyz"), &[]).await;
    assert_eq!(res.status(), 200);
    let health: serde_json::Value = get_with(&http, &format!("http://{addr}/healthz"), &[])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(health["sandbox"], true);
    assert!(!health["commit"].as_str().unwrap().is_empty());

    // Traffic with an email in it, a wrong sign-in, a charge.
    let email = "metrics-owner@shop.kh";
    let res = http
        .post(format!("http://{addr}/api/v1/merchants"))
        .json(&serde_json::json!({
            "email": email, "password": "0123456789abc", "business_name": "Sokha Noodles",
            "merchant_city": "Phnom Penh", "bakong_account_id": "metrics@aclb"
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
    let res = http
        .post(format!("http://{addr}/api/v1/charges"))
        .header("cookie", &cookie)
        .json(&serde_json::json!({"amount": "5000", "currency": "KHR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let charge: serde_json::Value = res.json().await.unwrap();
    let id = charge["id"].as_str().unwrap().to_owned();
    let res = get_with(
        &http,
        &format!("http://{addr}/api/v1/charges/{id}"),
        &[("cookie", &cookie)],
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
