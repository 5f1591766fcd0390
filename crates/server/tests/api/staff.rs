use serde_json::{Value, json};

use crate::helpers::{Merchant, payment_for, spawn_app};

#[tokio::test]
async fn an_invited_cashier_charges_at_their_terminal_and_sees_only_its_payments_today() {
    let app = spawn_app().await;
    let owner = app.register("boss@shop.kh", "sokha@aclb").await;
    let post = |m: &Merchant, path: &str, body: Value| {
        app.http
            .post(app.url(path))
            .header("cookie", &m.cookie)
            .json(&body)
            .send()
    };
    let store: Value = post(&owner, "/api/v1/stores", json!({"name": "Main"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let t1: Value = post(
        &owner,
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Counter 1"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let t2: Value = post(
        &owner,
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Counter 2"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();

    // A payment at another counter the cashier must not see.
    let other = app
        .create_charge(
            &owner,
            json!({"amount": "9000", "currency": "KHR", "terminal_id": t2["id"]}),
            None,
        )
        .await;
    let other: tonle_server::api::ChargeView = other.json().await.unwrap();
    app.notify(&payment_for(&other, "staff-tx-0")).await;

    let inv = post(
        &owner,
        "/api/v1/staff/invitations",
        json!({"email": "Dara@shop.kh", "role": "cashier", "terminal_id": t1["id"]}),
    )
    .await
    .unwrap();
    assert_eq!(inv.status(), 201);
    let inv: Value = inv.json().await.unwrap();
    assert!(inv["accept_path"].as_str().unwrap().starts_with("/join/"));
    let token = inv["token"].as_str().unwrap();
    let accept = |pw: &'static str| {
        app.http
            .post(app.url(&format!("/api/v1/invitations/{token}/accept")))
            .json(&json!({"password": pw}))
            .send()
    };
    assert_eq!(accept("short").await.unwrap().status(), 422);
    let joined = accept("a good long password").await.unwrap();
    assert_eq!(joined.status(), 201);
    let cashier = Merchant {
        cookie: crate::helpers::cookie_of(&joined),
    };
    let session: Value = joined.json().await.unwrap();
    assert_eq!(
        session["terminal_id"], t1["id"],
        "the answer names the cashier's counter, as GET /session does"
    );
    assert_eq!(
        accept("a good long password").await.unwrap().status(),
        404,
        "a link works once"
    );

    let c = app
        .create_charge(&cashier, json!({"amount": "1500", "currency": "KHR"}), None)
        .await;
    assert_eq!(c.status(), 201);
    let c: tonle_server::api::ChargeView = c.json().await.unwrap();
    assert_eq!(
        c.terminal_id.as_deref(),
        t1["id"].as_str(),
        "charged at their own counter"
    );
    let elsewhere = app
        .create_charge(
            &cashier,
            json!({"amount": "1500", "currency": "KHR", "terminal_id": t2["id"]}),
            None,
        )
        .await;
    assert_eq!(elsewhere.status(), 403);
    app.notify(&payment_for(&c, "staff-tx-1")).await;

    let page: Value = app
        .http
        .get(app.url("/api/v1/payments"))
        .header("cookie", &cashier.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    assert_eq!(items[0]["amount"], "1500");
    let all: Value = app
        .http
        .get(app.url("/api/v1/payments"))
        .header("cookie", &owner.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);

    // Payout details, reports and staff are not a cashier's.
    let profile: Value = app
        .http
        .get(app.url("/api/v1/merchant"))
        .header("cookie", &cashier.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut changed = profile.clone();
    changed["bakong_account_id"] = json!("thief@aclb");
    let put = app
        .http
        .put(app.url("/api/v1/merchant"))
        .header("cookie", &cashier.cookie)
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 403);
    // Their counter's totals, yes (see authz.rs); exports and staff, no.
    for path in ["/api/v1/payments.csv", "/api/v1/staff"] {
        let res = app
            .http
            .get(app.url(path))
            .header("cookie", &cashier.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{path}");
    }
    let res = post(
        &cashier,
        "/api/v1/staff/invitations",
        json!({"email": "x@shop.kh", "role": "cashier"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    let res = post(&cashier, "/api/v1/stores", json!({"name": "Mine"}))
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    let staff: Value = app
        .http
        .get(app.url("/api/v1/staff"))
        .header("cookie", &owner.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(staff.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn roles_bound_who_may_invite_whom() {
    let app = spawn_app().await;
    let owner = app.register("boss2@shop.kh", "sokha@aclb").await;
    let post = |m: &Merchant, body: Value| {
        app.http
            .post(app.url("/api/v1/staff/invitations"))
            .header("cookie", &m.cookie)
            .json(&body)
            .send()
    };
    assert_eq!(
        post(&owner, json!({"email": "o2@shop.kh", "role": "owner"}))
            .await
            .unwrap()
            .status(),
        422
    );
    // An email that has an account is invited like any other, and its link is refused as a
    // wrong one is: neither answer tells the inviter which emails have accounts.
    let taken = post(&owner, json!({"email": "boss2@shop.kh", "role": "manager"}))
        .await
        .unwrap();
    assert_eq!(taken.status(), 201);
    let taken: Value = taken.json().await.unwrap();
    let accepted = app
        .http
        .post(app.url(&format!(
            "/api/v1/invitations/{}/accept",
            taken["token"].as_str().unwrap()
        )))
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 404);
    let inv: Value = post(&owner, json!({"email": "mgr@shop.kh", "role": "manager"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let joined = app
        .http
        .post(app.url(&format!(
            "/api/v1/invitations/{}/accept",
            inv["token"].as_str().unwrap()
        )))
        .json(&json!({"password": "manager password"}))
        .send()
        .await
        .unwrap();
    let manager = Merchant {
        cookie: crate::helpers::cookie_of(&joined),
    };
    assert_eq!(
        post(&manager, json!({"email": "m2@shop.kh", "role": "manager"}))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        post(&manager, json!({"email": "c2@shop.kh", "role": "cashier"}))
            .await
            .unwrap()
            .status(),
        201
    );
    // A manager edits the profile but not payout details.
    let profile: Value = app
        .http
        .get(app.url("/api/v1/merchant"))
        .header("cookie", &manager.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut renamed = profile.clone();
    renamed["business_name"] = json!("Sokha Noodles 2");
    assert_eq!(
        app.http
            .put(app.url("/api/v1/merchant"))
            .header("cookie", &manager.cookie)
            .json(&renamed)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let mut payout = renamed.clone();
    payout["bakong_account_id"] = json!("elsewhere@aclb");
    assert_eq!(
        app.http
            .put(app.url("/api/v1/merchant"))
            .header("cookie", &manager.cookie)
            .json(&payout)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
