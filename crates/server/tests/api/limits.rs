//! What one account may make: charges per minute (per merchant and per API key), stores,
//! counters, and pairing codes per counter. Every cap is counted under the merchant's lock, so
//! parallel requests cannot race past it.

use serde_json::{Value, json};

use crate::helpers::{Merchant, TestApp, spawn_app, spawn_app_with};

async fn post(app: &TestApp, m: &Merchant, path: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .header("cookie", &m.cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn charges_are_rate_limited_per_merchant_and_per_api_key() {
    let app = spawn_app_with(|s| {
        s.limits.charges_per_minute = 6;
        s.limits.charges_per_key_minute = 2;
    })
    .await;
    let owner = app.register("rate@shop.kh", "rate@aclb").await;
    let key: Value = post(
        &app,
        &owner,
        "/api/v1/api-keys",
        json!({"name": "POS", "scopes": ["charges:write"]}),
    )
    .await
    .json()
    .await
    .unwrap();
    let by_key = || {
        app.http
            .post(app.url("/api/v1/charges"))
            .header(
                "authorization",
                format!("Bearer {}", key["key"].as_str().unwrap()),
            )
            .json(&json!({"amount": "1000", "currency": "KHR"}))
            .send()
    };
    assert_eq!(by_key().await.unwrap().status(), 201);
    assert_eq!(by_key().await.unwrap().status(), 201);
    let over = by_key().await.unwrap();
    assert_eq!(over.status(), 429, "the key's own rate");
    assert!(over.headers().contains_key("retry-after"));
    // The counters still charge: the key's rate is its own. The merchant's is all of them.
    let charge = json!({"amount": "1000", "currency": "KHR"});
    let mut made = 0;
    for _ in 0..6 {
        if post(&app, &owner, "/api/v1/charges", charge.clone())
            .await
            .status()
            == 201
        {
            made += 1;
        }
    }
    assert_eq!(
        made, 4,
        "six a minute in all: two by the key, four at the counter"
    );
    // A replayed idempotency key is not a new charge and is not counted.
    let other = spawn_app_with(|s| s.limits.charges_per_minute = 1).await;
    let m = other.register("replay@shop.kh", "replay@aclb").await;
    let send = || {
        other
            .http
            .post(other.url("/api/v1/charges"))
            .header("cookie", &m.cookie)
            .header("idempotency-key", "same-sale-1")
            .json(&json!({"amount": "1000", "currency": "KHR"}))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), 201);
    assert_eq!(
        send().await.unwrap().status(),
        200,
        "a replay answers the first charge"
    );
    let fresh = post(
        &other,
        &m,
        "/api/v1/charges",
        json!({"amount": "1000", "currency": "KHR"}),
    )
    .await;
    assert_eq!(fresh.status(), 429);
}

#[tokio::test]
async fn stores_and_counters_are_capped_even_in_parallel() {
    let app = spawn_app().await;
    let owner = app.register("caps@shop.kh", "caps@aclb").await;
    let tries = (0..110).map(|i| {
        post(
            &app,
            &owner,
            "/api/v1/stores",
            json!({"name": format!("Store {i}")}),
        )
    });
    let answers = futures::future::join_all(tries).await;
    let made: Vec<Value> = {
        let mut v = Vec::new();
        for r in answers {
            match r.status().as_u16() {
                201 => v.push(r.json().await.unwrap()),
                409 => {}
                other => panic!("store: {other}"),
            }
        }
        v
    };
    assert_eq!(made.len(), 100);
    let store = made[0]["id"].as_str().unwrap().to_owned();
    let tries = (0..510).map(|i| {
        post(
            &app,
            &owner,
            "/api/v1/terminals",
            json!({"store_id": store, "label": format!("Till {i}")}),
        )
    });
    let answers = futures::future::join_all(tries).await;
    let made = answers.iter().filter(|r| r.status() == 201).count();
    let refused = answers.iter().filter(|r| r.status() == 409).count();
    assert_eq!((made, refused), (500, 10));
}

#[tokio::test]
async fn a_counter_keeps_its_three_newest_pairing_codes_open() {
    let app = spawn_app().await;
    let owner = app.register("codes@shop.kh", "codes@aclb").await;
    let store: Value = post(&app, &owner, "/api/v1/stores", json!({"name": "Main"}))
        .await
        .json()
        .await
        .unwrap();
    let till: Value = post(
        &app,
        &owner,
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Till"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!("/api/v1/terminals/{}/pairing", till["id"].as_str().unwrap());
    let mut codes = Vec::new();
    for _ in 0..5 {
        let res = post(&app, &owner, &path, json!({})).await;
        assert_eq!(res.status(), 201);
        let code: Value = res.json().await.unwrap();
        codes.push(code["code"].as_str().unwrap().to_owned());
    }
    let pair = |code: String| {
        app.http
            .post(app.url("/api/v1/devices/pair"))
            .json(&json!({"code": code}))
            .send()
    };
    assert_eq!(
        pair(codes[0].clone()).await.unwrap().status(),
        404,
        "the oldest ended"
    );
    assert_eq!(pair(codes[1].clone()).await.unwrap().status(), 404);
    assert_eq!(
        pair(codes[4].clone()).await.unwrap().status(),
        201,
        "the newest works"
    );
}

#[tokio::test]
async fn a_shop_sets_its_largest_charge_and_a_larger_one_is_refused() {
    let app = spawn_app().await;
    let owner = app.register("cap@shop.kh", "cap@aclb").await;
    let mut profile: Value = app.get_json(&owner.cookie, "/api/v1/merchant").await;
    profile.as_object_mut().unwrap().remove("id");
    profile["max_charge"] =
        json!([{"currency": "USD", "amount": "500"}, {"currency": "KHR", "amount": "2000000"}]);
    let saved = app
        .http
        .put(app.url("/api/v1/merchant"))
        .header("cookie", &owner.cookie)
        .json(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let shown: Value = saved.json().await.unwrap();
    assert_eq!(shown["max_charge"][0]["amount"], "500.00");
    let over = post(
        &app,
        &owner,
        "/api/v1/charges",
        json!({"amount": "5000", "currency": "USD"}),
    )
    .await;
    assert_eq!(over.status(), 422, "an extra zero typed at the counter");
    let v: Value = over.json().await.unwrap();
    assert_eq!(v["error"]["field"], "amount");
    let ok = post(
        &app,
        &owner,
        "/api/v1/charges",
        json!({"amount": "500", "currency": "USD"}),
    )
    .await;
    assert_eq!(ok.status(), 201);
    assert_eq!(
        post(
            &app,
            &owner,
            "/api/v1/charges",
            json!({"amount": "2000100", "currency": "KHR"})
        )
        .await
        .status(),
        422
    );
    // A cap in a currency the country does not charge in, or twice in one, names the field.
    for bad in [
        json!([{"currency": "CNY", "amount": "1"}]),
        json!([{"currency": "USD", "amount": "1"}, {"currency": "USD", "amount": "2"}]),
        json!([{"currency": "USD", "amount": "-1"}]),
    ] {
        profile["max_charge"] = bad;
        let res = app
            .http
            .put(app.url("/api/v1/merchant"))
            .header("cookie", &owner.cookie)
            .json(&profile)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"]["field"], "max_charge");
    }
}
