use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[tokio::test]
async fn terminals_put_their_names_on_the_qr_and_filter_history() {
    let app = spawn_app().await;
    let m = app.register("t1@shop.kh", "sokha@aclb").await;
    let post = |path: &'static str, body: Value| app.post_as(&m.cookie, path, body);
    let store: Value = post("/api/v1/stores", json!({"name": "Riverside"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        post("/api/v1/stores", json!({"name": "Riverside"}))
            .await
            .unwrap()
            .status(),
        409
    );
    assert_eq!(
        post("/api/v1/stores", json!({"name": ""}))
            .await
            .unwrap()
            .status(),
        422
    );
    let t1: Value = post(
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Counter 1"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let t2: Value = post(
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Counter 2"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let bad = post(
        "/api/v1/terminals",
        json!({"store_id": "nope", "label": "Counter 3"}),
    )
    .await
    .unwrap();
    assert_eq!(
        bad.json::<Value>().await.unwrap()["error"]["field"],
        "store_id"
    );

    let qr: Value = app
        .http
        .get(app.url(&format!(
            "/api/v1/terminals/{}/qr",
            t1["id"].as_str().unwrap()
        )))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let f = khqr::decode_any(qr["payload"].as_str().unwrap())
        .unwrap()
        .fields;
    assert_eq!(
        f.point_of_initiation_method.as_deref(),
        Some("11"),
        "a counter poster is static"
    );
    assert_eq!(f.store_label.as_deref(), Some("Riverside"));
    assert_eq!(f.terminal_label.as_deref(), Some("Counter 1"));

    let c1 = app
        .create_charge(
            &m,
            json!({"amount": "1000", "currency": "KHR", "terminal_id": t1["id"]}),
            None,
        )
        .await;
    let c1: Value = c1.json().await.unwrap();
    let f = khqr::decode_any(c1["payload"].as_str().unwrap())
        .unwrap()
        .fields;
    assert_eq!(f.terminal_label.as_deref(), Some("Counter 1"));
    assert!(f.bill_number.is_some());
    app.create_charge(
        &m,
        json!({"amount": "2000", "currency": "KHR", "terminal_id": t2["id"]}),
        None,
    )
    .await;
    let res = app
        .create_charge(
            &m,
            json!({"amount": "2000", "currency": "KHR", "terminal_id": "nope"}),
            None,
        )
        .await;
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["field"],
        "terminal_id"
    );
    let page: Value = app
        .http
        .get(app.url(&format!(
            "/api/v1/charges?terminal={}",
            t2["id"].as_str().unwrap()
        )))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["amount"], "2000");

    let other = app.register("t2@shop.kh", "other@aclb").await;
    let res = app
        .http
        .get(app.url(&format!(
            "/api/v1/terminals/{}/qr",
            t1["id"].as_str().unwrap()
        )))
        .header("cookie", &other.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "another merchant's terminal does not exist for them"
    );
}

/// Each unique constraint a person can run into answers 409 naming the field to change.
#[tokio::test]
async fn every_taken_name_is_a_conflict_naming_its_field() {
    let app = spawn_app().await;
    let m = app.register("taken@shop.kh", "taken@aclb").await;
    let field_of = |res: reqwest::Response| async move {
        assert_eq!(res.status(), 409);
        let v: Value = res.json().await.unwrap();
        v["error"]["field"].as_str().unwrap_or_default().to_owned()
    };
    let again = app
        .http
        .post(app.url("/api/v1/merchants"))
        .json(
            &json!({"email": "TAKEN@shop.kh", "password": "0123456789abc", "business_name": "B",
            "merchant_city": "Phnom Penh", "bakong_account_id": "other@aclb"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(field_of(again).await, "email");
    let post = |path: &'static str, body: Value| app.post_as(&m.cookie, path, body);
    let store: Value = post("/api/v1/stores", json!({"name": "Main"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dup = post("/api/v1/stores", json!({"name": "Main"}))
        .await
        .unwrap();
    assert_eq!(field_of(dup).await, "name");
    let counter = json!({"store_id": store["id"], "label": "Till"});
    assert_eq!(
        post("/api/v1/terminals", counter.clone())
            .await
            .unwrap()
            .status(),
        201
    );
    let dup = post("/api/v1/terminals", counter).await.unwrap();
    assert_eq!(field_of(dup).await, "label");
    let first = app
        .create_charge(&m, json!({"amount": "100", "currency": "KHR"}), Some("k-1"))
        .await;
    assert_eq!(first.status(), 201);
    let reused = app
        .create_charge(&m, json!({"amount": "200", "currency": "KHR"}), Some("k-1"))
        .await;
    assert_eq!(field_of(reused).await, "Idempotency-Key");
}
