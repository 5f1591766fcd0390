//! Password resets through the API (the emailed link, its throttles, its single use, the
//! operator answer without SMTP) and payments to a counter's static code.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{Merchant, TestApp, spawn_app, spawn_app_with, uuid_like};
use tonle_server::config::MailSettings;

/// A one-connection-at-a-time SMTP sink; every message body is sent down the channel.
pub async fn smtp_sink() -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 sink\r\n").await.unwrap();
            let mut data: Option<String> = None;
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(body) = data.as_mut() {
                    if line == "." {
                        tx.send(data.take().unwrap_or_default()).unwrap();
                        write.write_all(b"250 kept\r\n").await.unwrap();
                    } else {
                        body.push_str(&line);
                        body.push('\n');
                    }
                    continue;
                }
                let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
                if verb == "QUIT" {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    break;
                }
                let reply: &[u8] = if verb == "DATA" {
                    data = Some(String::new());
                    b"354 go\r\n"
                } else {
                    b"250 OK\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
        }
    });
    (url, rx)
}

pub fn token_in(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.trim().strip_prefix("https://pay.shop.example/reset/"))
        .unwrap_or_else(|| panic!("no link in {mail}"))
        .to_owned()
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_once_and_signs_out_everywhere() {
    let (smtp_url, mut mails) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.mail = Some(MailSettings {
            smtp_url,
            from: "tonle <no-reply@shop.example>".into(),
            public_url: "https://pay.shop.example/".into(),
        });
    })
    .await;
    let m = app.register("reset@shop.kh", "reset@aclb").await;
    let ask = |email: &'static str| {
        app.http
            .post(app.url("/api/v1/password-resets"))
            .json(&json!({ "email": email }))
            .send()
    };
    // Known and unknown emails get the same answer; only the known one gets mail.
    for email in ["reset@shop.kh", "nobody@shop.kh"] {
        let res = ask(email).await.unwrap();
        assert_eq!(res.status(), 202);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["delivery"], "email");
    }
    let mail = tokio::time::timeout(std::time::Duration::from_secs(10), mails.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(mail.contains("To: reset@shop.kh"), "{mail}");
    let token = token_in(&mail);
    assert!(
        tokio::time::timeout(std::time::Duration::from_millis(500), mails.recv())
            .await
            .is_err(),
        "an email went to an address without an account"
    );
    assert_eq!(ask("not an email").await.unwrap().status(), 422);

    let reset = |token: String, password: &'static str| {
        app.http
            .post(app.url(&format!("/api/v1/password-resets/{token}")))
            .json(&json!({ "password": password }))
            .send()
    };
    let short = reset(token.clone(), "short").await.unwrap();
    assert_eq!(short.status(), 422);
    assert_eq!(
        short.json::<Value>().await.unwrap()["error"]["field"],
        "password"
    );
    assert_eq!(
        reset("wrong".into(), "a brand new password")
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        reset(token.clone(), "a brand new password")
            .await
            .unwrap()
            .status(),
        204
    );
    // Used once; the old session is gone; the new password signs in, the old one not.
    assert_eq!(
        reset(token, "yet another password").await.unwrap().status(),
        404
    );
    let old = app
        .http
        .get(app.url("/api/v1/session"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let sign_in = |password: &'static str| {
        app.http
            .post(app.url("/api/v1/session"))
            .json(&json!({ "email": "reset@shop.kh", "password": password }))
            .send()
    };
    assert_eq!(sign_in("a brand new password").await.unwrap().status(), 200);
    assert_eq!(
        sign_in("correct horse battery").await.unwrap().status(),
        401
    );
}

#[tokio::test]
async fn reset_requests_are_throttled_per_address_and_emails_per_inbox() {
    let (smtp_url, mut mails) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.mail = Some(MailSettings {
            smtp_url,
            from: "tonle <no-reply@shop.example>".into(),
            public_url: "https://pay.shop.example".into(),
        });
    })
    .await;
    app.register("flood@shop.kh", "flood@aclb").await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = app
            .http
            .post(app.url("/api/v1/password-resets"))
            .json(&json!({ "email": "flood@shop.kh" }))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        10,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        2,
        "{statuses:?}"
    );
    // Ten accepted requests, three emails: one inbox is not flooded through tonle.
    let mut sent = 0;
    while tokio::time::timeout(std::time::Duration::from_secs(2), mails.recv())
        .await
        .is_ok_and(|m| m.is_some())
    {
        sent += 1;
    }
    assert_eq!(sent, 3);
}

#[tokio::test]
async fn without_smtp_the_answer_names_the_operator() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(app.url("/api/v1/password-resets"))
        .json(&json!({ "email": "someone@shop.kh" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202);
    assert_eq!(res.json::<Value>().await.unwrap()["delivery"], "operator");
}

/// A store and its counter "Till 1" for `m`; the counter's id and the md5 of its static code
/// (reading the code is what makes tonle remember it).
async fn counter_code(app: &TestApp, m: &Merchant) -> (String, String) {
    let post = |path: &'static str, body: Value| app.post_as(&m.cookie, path, body);
    let store: Value = post("/api/v1/stores", json!({"name": "Market"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let till: Value = post(
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": "Till 1"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let till_id = till["id"].as_str().unwrap().to_owned();
    let qr: Value = app
        .get_json(&m.cookie, &format!("/api/v1/terminals/{till_id}/qr"))
        .await;
    (till_id, qr["md5"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_payment_to_a_counters_static_code_is_a_sale_at_that_counter() {
    let app = spawn_app().await;
    let m = app.register("poster@shop.kh", "poster@aclb").await;
    let (till_id, md5) = counter_code(&app, &m).await;
    let till_id = till_id.as_str();
    let body = json!({
        "transaction_id": format!("tx-{}", uuid_like()),
        "md5": md5,
        "amount": "15000",
        "currency": "KHR",
        "paid_at_ms": tonle_server::clock::now_ms(),
        "payer": { "wallet": "ABA", "country": "KH" },
    });
    let res = app.notify(&body).await;
    assert_eq!(res.status(), 200);
    let ack: Value = res.json().await.unwrap();
    assert_eq!(ack["credited"], true, "{ack}");
    // Listed as that counter's, not waiting for review, and counted in the day's takings.
    let unmatched: Value = app
        .get_json(&m.cookie, "/api/v1/payments?unmatched=true")
        .await;
    assert_eq!(
        unmatched["items"].as_array().unwrap().len(),
        0,
        "{unmatched}"
    );
    let at_till: Value = app
        .get_json(&m.cookie, &format!("/api/v1/payments?terminal={till_id}"))
        .await;
    let items = at_till["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{at_till}");
    assert_eq!(items[0]["terminal_id"], till_id);
    assert!(items[0].get("review").is_none(), "{at_till}");
    let daily: Value = app
        .get_json(
            &m.cookie,
            &format!("/api/v1/reports/daily?terminal={till_id}"),
        )
        .await;
    assert!(daily.to_string().contains("15000"), "{daily}");
}

#[tokio::test]
async fn a_counter_code_of_a_disputed_account_is_held_not_credited() {
    let app = spawn_app().await;
    // Two merchants claim the same Bakong account: neither is verified.
    let _first = app.register("first@shop.kh", "same@aclb").await;
    let m = app.register("copy@shop.kh", "same@aclb").await;
    let (till_id, md5) = counter_code(&app, &m).await;
    let till_id = till_id.as_str();
    let body = json!({
        "transaction_id": format!("tx-{}", uuid_like()),
        "md5": md5,
        "merchant_account": "same@aclb",
        "amount": "15000",
        "currency": "KHR",
        "paid_at_ms": tonle_server::clock::now_ms(),
        "payer": { "wallet": "ABA", "country": "KH" },
    });
    let res = app.notify(&body).await;
    assert_eq!(res.status(), 202);
    let ack: Value = res.json().await.unwrap();
    assert_eq!(ack["held"], true, "{ack}");
    let at_till: Value = app
        .get_json(&m.cookie, &format!("/api/v1/payments?terminal={till_id}"))
        .await;
    assert_eq!(at_till["items"].as_array().unwrap().len(), 0, "{at_till}");
}

/// Sets `m`'s Bakong account, everything else of its profile kept.
async fn set_bakong_account(app: &TestApp, m: &Merchant, account: &str) {
    let mut profile: Value = app.get_json(&m.cookie, "/api/v1/merchant").await;
    profile["bakong_account_id"] = json!(account);
    let res = app
        .http
        .put(app.url("/api/v1/merchant"))
        .header("cookie", &m.cookie)
        .json(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_competitor_who_showed_a_shops_poster_code_first_does_not_get_its_sales() {
    let app = spawn_app().await;
    let shop = app.register("shop-a@shop.kh", "shop-a@aclb").await;
    let rival = app.register("shop-b@shop.kh", "shop-b@aclb").await;
    // The rival copies the shop's public profile (name and city match already: the same
    // sign-up), takes its account for a moment, shows a counter with the shop's labels, and
    // switches back.
    set_bakong_account(&app, &rival, "shop-a@aclb").await;
    let (_, rival_md5) = counter_code(&app, &rival).await;
    set_bakong_account(&app, &rival, "shop-b@aclb").await;
    // The shop prints its poster: the very same code.
    let (till_id, md5) = counter_code(&app, &shop).await;
    assert_eq!(md5, rival_md5, "the premise: one md5 for both");
    let pay = |tx: &str, account: &str| {
        json!({
            "transaction_id": tx, "md5": md5, "merchant_account": account,
            "amount": "15000", "currency": "KHR",
            "paid_at_ms": tonle_server::clock::now_ms(),
            "payer": { "wallet": "ABA", "country": "KH" },
        })
    };
    let res = app.notify(&pay("poster-sale-1", "shop-a@aclb")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["credited"], true);
    let at_till: Value = app
        .get_json(
            &shop.cookie,
            &format!("/api/v1/payments?terminal={till_id}"),
        )
        .await;
    assert_eq!(
        at_till["items"].as_array().unwrap().len(),
        1,
        "the shop's sale"
    );
    let rivals: Value = app.get_json(&rival.cookie, "/api/v1/payments").await;
    assert_eq!(rivals["items"].as_array().unwrap().len(), 0, "{rivals}");
    // A notification naming another payee account is not a sale at that counter.
    let res = app.notify(&pay("poster-sale-2", "shop-b@aclb")).await;
    assert_ne!(res.status(), 200);
    let at_till: Value = app
        .get_json(
            &shop.cookie,
            &format!("/api/v1/payments?terminal={till_id}"),
        )
        .await;
    assert_eq!(at_till["items"].as_array().unwrap().len(), 1);
    let rivals: Value = app.get_json(&rival.cookie, "/api/v1/payments").await;
    assert_eq!(rivals["items"].as_array().unwrap().len(), 0, "{rivals}");
}
