use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_charge_carries_a_verifiable_dynamic_khqr_with_a_unique_bill_number() {
    let app = spawn_app().await;
    let m = app.register("a@shop.kh", "sokha@aclb").await;
    let c1 = app.charge(&m, "48000", "KHR").await;
    let c2 = app.charge(&m, "12.5", "USD").await;
    assert_ne!(c1.bill_number, c2.bill_number);
    assert_eq!(c2.amount, "12.50");
    let now = tonle_server::clock::now_ms() as u64;
    let f = khqr::khqr::verify(&c1.payload, now).expect("valid KHQR");
    assert_eq!(f.amount.as_deref(), Some("48000"));
    assert_eq!(f.bill_number.as_deref(), Some(c1.bill_number.as_str()));
    assert_eq!(khqr::khqr::md5_hex(&c1.payload), c1.md5);
    assert!(
        khqr::khqr::verify(&c2.payload, now)
            .unwrap()
            .amount
            .as_deref()
            == Some("12.50")
    );
}

#[tokio::test]
async fn bad_amounts_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let m = app.register("b@shop.kh", "sokha@aclb").await;
    for (body, field) in [
        (json!({"amount": "100.5", "currency": "KHR"}), "amount"),
        (json!({"amount": "-3", "currency": "USD"}), "amount"),
        (json!({"amount": "0", "currency": "USD"}), "amount"),
        (json!({"amount": "12", "currency": "CNY"}), "currency"),
        (json!({"currency": "USD"}), "amount"),
        (json!({"amount": "12", "currency": "EUR"}), "currency"),
    ] {
        let res = app.create_charge(&m, body.clone(), None).await;
        assert_eq!(res.status(), 422, "{body}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
}

#[tokio::test]
async fn an_idempotency_key_replays_the_same_charge_and_refuses_another_body() {
    let app = spawn_app().await;
    let m = app.register("c@shop.kh", "sokha@aclb").await;
    let body = json!({"amount": "5000", "currency": "KHR"});
    let first = app.create_charge(&m, body.clone(), Some("key-1")).await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    let again = app.create_charge(&m, body, Some("key-1")).await;
    assert_eq!(again.status(), 200);
    let again: serde_json::Value = again.json().await.unwrap();
    assert_eq!(first["id"], again["id"]);
    let other = app
        .create_charge(
            &m,
            json!({"amount": "6000", "currency": "KHR"}),
            Some("key-1"),
        )
        .await;
    assert_eq!(other.status(), 409);
}

#[tokio::test]
async fn a_merchant_cannot_read_another_merchants_charge() {
    let app = spawn_app().await;
    let a = app.register("owner-a@shop.kh", "a@aclb").await;
    let b = app.register("owner-b@shop.kh", "b@aclb").await;
    let c = app.charge(&a, "1000", "KHR").await;
    let res = app
        .http
        .get(app.url(&format!("/api/v1/charges/{}", c.id)))
        .header("cookie", &b.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = app
        .http
        .get(app.url(&format!("/api/v1/charges/{}", c.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn registration_refuses_bad_profiles_field_by_field() {
    let app = spawn_app().await;
    for (body, field) in [
        (
            json!({"email": "nope", "password": "0123456789", "business_name": "S", "merchant_city": "PP", "bakong_account_id": "s@aclb"}),
            "email",
        ),
        (
            json!({"email": "x@y.kh", "password": "short", "business_name": "S", "merchant_city": "PP", "bakong_account_id": "s@aclb"}),
            "password",
        ),
        (
            json!({"email": "x@y.kh", "password": "0123456789", "business_name": "S", "merchant_city": "PP", "bakong_account_id": "no-at-sign"}),
            "bakong_account_id",
        ),
        (
            json!({"email": "x@y.kh", "password": "0123456789", "business_name": "A name that is far too long for a QR", "merchant_city": "PP", "bakong_account_id": "s@aclb"}),
            "business_name",
        ),
        (
            json!({"email": "x@y.kh", "password": "0123456789", "merchant_city": "PP"}),
            "business_name",
        ),
    ] {
        let res = app
            .http
            .post(app.url("/api/v1/merchants"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{body}");
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    app.register("dup@shop.kh", "s@aclb").await;
    let res = app
        .http
        .post(app.url("/api/v1/merchants"))
        .json(&json!({"email": "DUP@shop.kh", "password": "0123456789", "business_name": "S", "merchant_city": "PP", "bakong_account_id": "s@aclb"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
}

#[tokio::test]
async fn notes_and_names_refuse_control_and_direction_characters() {
    let app = spawn_app().await;
    let m = app.register("text@shop.kh", "text@aclb").await;
    for bad in ["table 4\nVIP", "a\0b", "pay \u{202E}001", "\u{1b}[31mred"] {
        let res = app
            .create_charge(
                &m,
                serde_json::json!({"amount": "1000", "currency": "KHR", "note": bad}),
                None,
            )
            .await;
        assert_eq!(res.status(), 422, "{bad:?}");
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["error"]["field"], "note", "{bad:?}");
        let res = app
            .post_as(
                &m.cookie,
                "/api/v1/stores",
                serde_json::json!({"name": bad}),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "store name {bad:?}");
    }
    let ok = app
        .create_charge(
            &m,
            serde_json::json!({"amount": "1000", "currency": "KHR", "note": "តុ ៤ · 4号桌"}),
            None,
        )
        .await;
    assert_eq!(ok.status(), 201);
}
