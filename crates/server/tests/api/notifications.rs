use serde_json::{Value, json};
use tonle_server::signing::WebhookSecret;

use crate::helpers::{payment_for, spawn_app};

#[tokio::test]
async fn the_same_transaction_twice_credits_once() {
    let app = spawn_app().await;
    let m = app.register("n1@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "48000", "KHR").await;
    let body = payment_for(&c, "tx-1");
    let first: serde_json::Value = app.notify(&body).await.json().await.unwrap();
    assert_eq!(first["credited"], true);
    assert_eq!(first["charge_status"], "paid");
    let second = app.notify(&body).await;
    assert_eq!(second.status(), 200);
    let second: serde_json::Value = second.json().await.unwrap();
    assert_eq!(second["credited"], false);
    assert_eq!(second["payment_id"], first["payment_id"]);
    let page: serde_json::Value = app.get_json(&m.cookie, "/api/v1/payments").await;
    let list = page["items"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["payer"]["currency"], "CNY");
}

#[tokio::test]
async fn forged_and_stale_notifications_get_401() {
    let app = spawn_app().await;
    let m = app.register("n2@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "1000", "KHR").await;
    let body = payment_for(&c, "tx-2");
    let now = tonle_server::clock::now_ms() / 1000;
    let forged = app
        .notify_signed(&body, &WebhookSecret::generate(), "msg_x", now)
        .await;
    assert_eq!(forged.status(), 401);
    let stale = app
        .notify_signed(&body, &app.sandbox_secret(), "msg_y", now - 301)
        .await;
    assert_eq!(stale.status(), 401);
    let unsigned = app
        .http
        .post(app.url("/api/v1/notifications/sandbox"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 401);
    let charge: serde_json::Value = app
        .http
        .get(app.url(&format!("/api/v1/charges/{}", c.id)))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(charge["status"], "pending");
}

#[tokio::test]
async fn unknown_payloads_and_networks_get_clear_4xx() {
    let app = spawn_app().await;
    let res = app
        .notify(&json!({
            "transaction_id": "tx-3", "md5": "00000000000000000000000000000000", "amount": "1000", "currency": "KHR",
            "paid_at_ms": tonle_server::clock::now_ms(), "payer": {"wallet": "W", "country": "CN"}
        }))
        .await;
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["error"]["field"], "md5");
    let res = app
        .http
        .post(app.url("/api/v1/notifications/visa"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let res = app
        .http
        .post(app.url("/api/v1/notifications/bakong"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "bakong has no secret configured in tests"
    );
}

#[tokio::test]
async fn a_payment_after_expiry_marks_the_charge_paid_late() {
    let app = spawn_app().await;
    let m = app.register("n4@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "2000", "KHR").await;
    let mut body = payment_for(&c, "tx-4");
    body["paid_at_ms"] = json!(c.expires_at_ms + 1);
    let ack: serde_json::Value = app.notify(&body).await.json().await.unwrap();
    assert_eq!(ack["charge_status"], "paid_late");
}

#[tokio::test]
async fn a_replayed_webhook_id_credits_nothing_and_a_reused_one_with_another_body_is_refused() {
    let app = spawn_app().await;
    let m = app.register("n5@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "3000", "KHR").await;
    let body = payment_for(&c, "tx-5");
    let now = tonle_server::clock::now_ms() / 1000;
    let secret = app.sandbox_secret();
    let first = app.notify_signed(&body, &secret, "msg_replay", now).await;
    assert_eq!(
        first.json::<serde_json::Value>().await.unwrap()["credited"],
        true
    );
    let replay = app.notify_signed(&body, &secret, "msg_replay", now).await;
    assert_eq!(replay.status(), 200);
    assert_eq!(
        replay.json::<serde_json::Value>().await.unwrap()["credited"],
        false
    );
    let mut other = payment_for(&c, "tx-6");
    other["amount"] = json!("3000");
    let reused = app.notify_signed(&other, &secret, "msg_replay", now).await;
    assert_eq!(reused.status(), 409);
}

#[tokio::test]
async fn a_second_payment_for_a_paid_charge_is_kept_for_review_not_credited_to_it() {
    let app = spawn_app().await;
    let m = app.register("n6@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "4000", "KHR").await;
    app.notify(&payment_for(&c, "tx-7")).await;
    let ack: serde_json::Value = app
        .notify(&payment_for(&c, "tx-8"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ack["credited"], true, "the money arrived; it is recorded");
    assert_eq!(ack["charge_status"], "paid");
    let page: serde_json::Value = app.get_json(&m.cookie, "/api/v1/payments").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "never dropped");
    let queue: serde_json::Value = app
        .get_json(&m.cookie, "/api/v1/payments?unmatched=true")
        .await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the payment that settled nothing");
    assert_eq!(items[0]["transaction_id"], "tx-8");
    // The merchant resolves it once: it leaves the queue and is marked; the settling payment and a
    // second resolution are refused.
    let second = items[0]["id"].as_str().unwrap().to_owned();
    let all: serde_json::Value = app.get_json(&m.cookie, "/api/v1/payments").await;
    let first = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["transaction_id"] == "tx-7")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let resolve = |id: &str, how: &str| {
        app.http
            .post(app.url(&format!("/api/v1/payments/{id}/resolve")))
            .header("cookie", &m.cookie)
            .json(&serde_json::json!({"resolution": how}))
            .send()
    };
    let res = resolve(&second, "refund_due").await.unwrap();
    assert_eq!(res.status(), 200);
    let p: serde_json::Value = res.json().await.unwrap();
    assert_eq!(p["resolution"], "refund_due");
    assert_eq!(resolve(&second, "accepted").await.unwrap().status(), 409);
    assert_eq!(resolve(&first, "accepted").await.unwrap().status(), 409);
    assert_eq!(resolve("nope", "accepted").await.unwrap().status(), 404);
    assert_eq!(resolve(&second, "maybe").await.unwrap().status(), 422);
    let queue: serde_json::Value = app
        .get_json(&m.cookie, "/api/v1/payments?unmatched=true")
        .await;
    assert!(queue["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn concurrent_notifications_grouped_into_one_commit_keep_every_outcome_apart() {
    let app = spawn_app().await;
    let m = app.register("n7@shop.kh", "sokha@aclb").await;
    let mut charges = Vec::new();
    for i in 0..20 {
        charges.push(app.charge(&m, &format!("{}", 500 + i), "KHR").await);
    }
    let mut bodies = Vec::new();
    for (i, c) in charges.iter().enumerate() {
        bodies.push(payment_for(c, &format!("grp-{i}")));
        bodies.push(payment_for(c, &format!("grp-{i}"))); // the network retries
    }
    for i in 0..5 {
        bodies.push(json!({"transaction_id": format!("grp-unknown-{i}"), "md5": "ffffffffffffffffffffffffffffffff",
                           "amount": "1", "currency": "KHR", "paid_at_ms": tonle_server::clock::now_ms(), "payer": {"wallet": "W", "country": "CN"}}));
    }
    let results = futures::future::join_all(bodies.iter().map(|b| app.notify(b))).await;
    let mut credited = 0;
    let mut unknown = 0;
    for r in results {
        match r.status().as_u16() {
            200 => {
                credited +=
                    usize::from(r.json::<serde_json::Value>().await.unwrap()["credited"] == true)
            }
            422 => unknown += 1,
            s => panic!("unexpected {s}"),
        }
    }
    assert_eq!(
        (credited, unknown),
        (20, 5),
        "each transaction credited once; unknowns refused"
    );
    for c in &charges {
        let v: serde_json::Value = app
            .http
            .get(app.url(&format!("/api/v1/charges/{}", c.id)))
            .header("cookie", &m.cookie)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["status"], "paid");
    }
    let page: serde_json::Value = app.get_json(&m.cookie, "/api/v1/payments?limit=200").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn a_payment_matching_no_charge_is_held_until_its_account_is_verified_then_credited_once() {
    let app = spawn_app().await;
    let m = app.register("n8@shop.kh", "payee@aclb").await;
    // Anyone may claim the same account in their profile: a claim alone routes nothing.
    let squatter = app.register("squat@shop.kh", "payee@aclb").await;
    let body = json!({
        "transaction_id": "static-1", "amount": "7000", "currency": "KHR", "paid_at_ms": tonle_server::clock::now_ms(),
        "bill_number": "PAID-FROM-A-POSTER", "merchant_account": "payee@aclb",
        "payer": {"wallet": "ABA", "country": "KH"}
    });
    let res = app.notify(&body).await;
    assert_eq!(res.status(), 202);
    let ack: serde_json::Value = res.json().await.unwrap();
    assert_eq!(ack["held"], true);
    assert_eq!(ack["credited"], false);
    let again: serde_json::Value = app.notify(&body).await.json().await.unwrap();
    assert_eq!(again["payment_id"], ack["payment_id"], "held once");
    for who in [&m, &squatter] {
        let page: serde_json::Value = app.get_json(&who.cookie, "/api/v1/payments").await;
        assert_eq!(
            page["items"].as_array().unwrap().len(),
            0,
            "nobody is credited yet"
        );
    }
    let waiting = tonle_server::cli::admin::unassigned(app.data_dir.path(), &app.database_url)
        .await
        .unwrap();
    assert!(
        waiting.contains("payee@aclb") && waiting.contains("7000"),
        "{waiting}"
    );
    let claims = tonle_server::cli::admin::accounts(app.data_dir.path(), &app.database_url)
        .await
        .unwrap();
    assert_eq!(claims.matches("payee@aclb\tno\t1").count(), 2, "{claims}");

    let said = tonle_server::cli::admin::verify_account(
        app.data_dir.path(),
        &app.database_url,
        "payee@aclb",
        "n8@shop.kh",
    )
    .await
    .unwrap();
    assert!(said.contains("1 waiting payment"), "{said}");
    let page: serde_json::Value = app.get_json(&m.cookie, "/api/v1/payments").await;
    assert_eq!(page["items"][0]["amount"], "7000");
    assert_eq!(page["items"][0]["review"], "no_charge");
    assert_eq!(page["items"][0]["id"], ack["payment_id"]);
    let theirs: serde_json::Value = app.get_json(&squatter.cookie, "/api/v1/payments").await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);

    // Now that the claim is verified, the next such payment goes straight to its owner.
    let mut next = body.clone();
    next["transaction_id"] = json!("static-3");
    let ack: serde_json::Value = app.notify(&next).await.json().await.unwrap();
    assert_eq!(ack["credited"], true);
    assert_eq!(ack["held"], false);
    let dup: serde_json::Value = app.notify(&body).await.json().await.unwrap();
    assert_eq!(
        dup["credited"], false,
        "the held one, credited on verification, is not credited twice"
    );

    let mut nobody = body.clone();
    nobody["transaction_id"] = json!("static-2");
    nobody["merchant_account"] = serde_json::Value::Null;
    assert_eq!(
        app.notify(&nobody).await.status(),
        422,
        "no charge and no payee: nothing to keep it for"
    );
}

#[tokio::test]
async fn a_late_payment_waits_in_the_queue_until_the_merchant_resolves_it_once() {
    let app = spawn_app().await;
    let m = app.register("n9@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "2500", "KHR").await;
    let mut body = payment_for(&c, "late-1");
    body["paid_at_ms"] = json!(c.expires_at_ms + 60_000);
    app.notify(&body).await;
    let queue: serde_json::Value = app
        .get_json(&m.cookie, "/api/v1/charges?status=paid_late")
        .await;
    assert_eq!(queue["items"][0]["id"], c.id.as_str());
    assert_eq!(queue["items"][0]["resolution"], serde_json::Value::Null);
    let resolve = |r: &'static str, id: String| {
        app.http
            .post(app.url(&format!("/api/v1/charges/{id}/resolve")))
            .header("cookie", &m.cookie)
            .json(&json!({"resolution": r}))
            .send()
    };
    let done = resolve("refund_due", c.id.clone()).await.unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(
        done.json::<serde_json::Value>().await.unwrap()["resolution"],
        "refund_due"
    );
    assert_eq!(
        resolve("accepted", c.id.clone()).await.unwrap().status(),
        409,
        "resolved once"
    );
    let pending = app.charge(&m, "100", "KHR").await;
    assert_eq!(
        resolve("accepted", pending.id.clone())
            .await
            .unwrap()
            .status(),
        409,
        "only late payments"
    );
    assert_eq!(resolve("maybe", c.id.clone()).await.unwrap().status(), 422);
}

#[tokio::test]
async fn a_payment_time_far_from_now_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let m = app.register("when@shop.kh", "when@aclb").await;
    let c = app.charge(&m, "1000", "KHR").await;
    let now = tonle_server::clock::now_ms();
    for (at, why) in [
        (-99_999_999_999_999, "before 1970"),
        (now - 8 * 86_400_000, "eight days ago"),
        (now + 3_600_000, "an hour ahead"),
    ] {
        let mut body = payment_for(&c, &format!("when-{at}"));
        body["paid_at_ms"] = json!(at);
        let res = app.notify(&body).await;
        assert_eq!(res.status(), 422, "{why}");
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"]["field"], "paid_at_ms", "{why}");
    }
    let charge: tonle_server::api::ChargeView = app
        .get_json(&m.cookie, &format!("/api/v1/charges/{}", c.id))
        .await;
    assert_eq!(
        charge.status,
        tonle_server::api::ChargeStatus::Pending,
        "nothing settled it"
    );
    // Within the window: credited.
    let res = app.notify(&payment_for(&c, "when-ok")).await;
    assert_eq!(res.status(), 200);
}
