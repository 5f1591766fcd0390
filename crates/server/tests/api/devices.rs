//! Paired devices: a one-time code for a terminal becomes a device token that watches only that
//! terminal's charges, makes none, and is refused at once when revoked, open websocket included.

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;

use crate::events::{Ws, next_event, next_msg};
use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

async fn post(app: &TestApp, cookie: &str, path: &str, body: Value) -> reqwest::Response {
    app.http
        .post(app.url(path))
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// A store with one terminal; returns the terminal id.
async fn terminal(app: &TestApp, m: &Merchant, label: &str) -> String {
    let store: Value = post(
        app,
        &m.cookie,
        "/api/v1/stores",
        json!({"name": format!("S {label}")}),
    )
    .await
    .json()
    .await
    .unwrap();
    let t: Value = post(
        app,
        &m.cookie,
        "/api/v1/terminals",
        json!({"store_id": store["id"], "label": label}),
    )
    .await
    .json()
    .await
    .unwrap();
    t["id"].as_str().unwrap().to_owned()
}

async fn pairing_code(app: &TestApp, m: &Merchant, terminal: &str) -> String {
    let res = post(
        app,
        &m.cookie,
        &format!("/api/v1/terminals/{terminal}/pairing"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let v: Value = res.json().await.unwrap();
    v["code"].as_str().unwrap().to_owned()
}

async fn device_socket(app: &TestApp, token: &str) -> Ws {
    let mut req = format!("ws://{}/api/v1/events?since=0", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

#[tokio::test]
async fn a_paired_device_watches_its_terminal_and_a_revoked_one_is_refused_at_once() {
    let app = spawn_app().await;
    let m = app.register("kiosk@shop.kh", "kiosk@aclb").await;
    let till = terminal(&app, &m, "Till 1").await;
    let other = terminal(&app, &m, "Till 2").await;
    let code = pairing_code(&app, &m, &till).await;
    assert_eq!(code.len(), 8);

    let res = post(
        &app,
        "",
        "/api/v1/devices/pair",
        json!({"code": code, "name": "Counter tablet"}),
    )
    .await;
    assert_eq!(res.status(), 201);
    assert!(
        res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly")
    );
    let paired: api::DevicePaired = res.json().await.unwrap();
    assert_eq!(paired.device.terminal_id, till);
    assert!(paired.token.starts_with("dev_"));
    // The code is single use.
    let again = post(&app, "", "/api/v1/devices/pair", json!({"code": code})).await;
    assert_eq!(again.status(), 404);

    // The device sees charges of its terminal only, and cannot make one.
    let mut ws = device_socket(&app, &paired.token).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { .. }
    ));
    let elsewhere: api::ChargeView = app
        .create_charge(
            &m,
            json!({"amount": "1000", "currency": "KHR", "terminal_id": other}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let here: api::ChargeView = app
        .create_charge(
            &m,
            json!({"amount": "2000", "currency": "KHR", "terminal_id": till}),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let seen = next_event(&mut ws).await;
    let api::EventData::ChargeCreated { charge } = seen.data else {
        panic!("expected charge_created")
    };
    assert_eq!(charge.id, here.id, "not {}", elsewhere.id);
    app.notify(&payment_for(&here, "kiosk-tx-1")).await;
    assert!(matches!(
        next_event(&mut ws).await.data,
        api::EventData::ChargePaid { .. }
    ));
    let made = app
        .http
        .post(app.url("/api/v1/charges"))
        .bearer_auth(&paired.token)
        .json(&json!({"amount": "1000", "currency": "KHR"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 403);

    // Revoked: the open socket closes with the revoked code and the token is refused.
    let devices: Vec<api::DeviceView> = app.get_json(&m.cookie, "/api/v1/devices").await;
    assert_eq!(devices.len(), 1);
    let gone = app
        .http
        .delete(app.url(&format!("/api/v1/devices/{}", paired.device.id)))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    let closed = loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(2), ws.next())
            .await
            .expect("closed within 2 s of the revocation");
        match msg {
            Some(Ok(Message::Close(frame))) => break frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            other => panic!("socket ended without a close frame: {other:?}"),
        }
    };
    assert_eq!(closed, Some(api::close::REVOKED));
    let refused = app
        .http
        .get(app.url("/api/v1/session"))
        .bearer_auth(&paired.token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
}

#[tokio::test]
async fn only_owners_and_managers_pair_and_only_their_own_terminals_and_devices() {
    let app = spawn_app().await;
    let a = app.register("pa@shop.kh", "pa@aclb").await;
    let b = app.register("pb@shop.kh", "pb@aclb").await;
    let till_a = terminal(&app, &a, "A1").await;
    let code = pairing_code(&app, &a, &till_a).await;
    // Merchant B cannot open a code for A's terminal, list A's devices or revoke them.
    let res = post(
        &app,
        &b.cookie,
        &format!("/api/v1/terminals/{till_a}/pairing"),
        json!({}),
    )
    .await;
    assert_eq!(res.status(), 404);
    let paired: api::DevicePaired = post(&app, "", "/api/v1/devices/pair", json!({"code": code}))
        .await
        .json()
        .await
        .unwrap();
    let listed: Vec<api::DeviceView> = app.get_json(&b.cookie, "/api/v1/devices").await;
    assert!(listed.is_empty());
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/devices/{}", paired.device.id)))
        .header("cookie", &b.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    // A device cannot pair others; a malformed code names the field; wrong codes are throttled.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/terminals/{till_a}/pairing")))
        .bearer_auth(&paired.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = post(&app, "", "/api/v1/devices/pair", json!({"code": "12"})).await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "code");
    let mut statuses = Vec::new();
    let limit = tonle_server::throttle::PAIRING_PER_IP;
    for _ in 0..limit + 2 {
        statuses.push(
            post(
                &app,
                "",
                "/api/v1/devices/pair",
                json!({"code": "00000000"}),
            )
            .await
            .status()
            .as_u16(),
        );
    }
    assert!(statuses[..limit].iter().all(|s| *s == 404), "{statuses:?}");
    assert_eq!(statuses[limit + 1], 429);
}

#[tokio::test]
async fn a_display_that_leaves_kiosk_mode_is_unpaired_not_just_forgotten() {
    let app = spawn_app().await;
    let m = app.register("leave@shop.kh", "leave@aclb").await;
    let till = terminal(&app, &m, "Till 9").await;
    let code = pairing_code(&app, &m, &till).await;
    let paired: api::DevicePaired = post(&app, "", "/api/v1/devices/pair", json!({"code": code}))
        .await
        .json()
        .await
        .unwrap();
    let left = app
        .http
        .delete(app.url("/api/v1/session"))
        .bearer_auth(&paired.token)
        .send()
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let devices: Vec<api::DeviceView> = app.get_json(&m.cookie, "/api/v1/devices").await;
    assert!(
        devices[0].revoked_at_ms.is_some(),
        "Settings lists it as revoked"
    );
    let again = app
        .http
        .get(app.url("/api/v1/session"))
        .bearer_auth(&paired.token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401, "its token no longer works");
}
