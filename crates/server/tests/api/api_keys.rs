//! API keys: shown once, scoped, refused the moment they are revoked (open websocket included),
//! and never checked for CSRF (no cookies travel with them).

use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;

use crate::helpers::{Merchant, TestApp, spawn_app};

async fn make_key(app: &TestApp, owner: &Merchant, scopes: Value) -> api::ApiKeyCreated {
    let res = app
        .http
        .post(app.url("/api/v1/api-keys"))
        .header("cookie", &owner.cookie)
        .json(&json!({"name": "Front POS", "scopes": scopes}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn with_key(
    app: &TestApp,
    key: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        // A page on another site cannot ride on a key: it has no cookie to ride on.
        .header("origin", "https://evil.example");
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_key_does_what_its_scopes_say_and_no_more() {
    let app = spawn_app().await;
    let owner = app.register("keys@shop.kh", "keys@aclb").await;
    let reader = make_key(&app, &owner, json!(["charges:read"])).await;
    assert!(reader.key.starts_with("tk_"));
    assert!(reader.key.starts_with(&reader.api_key.prefix));

    let charge = json!({"amount": "2.50", "currency": "USD"});
    let (status, body) = with_key(
        &app,
        &reader.key,
        "POST",
        "/api/v1/charges",
        Some(charge.clone()),
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("charges:write"),
        "{body}"
    );
    let (status, _) = with_key(&app, &reader.key, "GET", "/api/v1/charges", None).await;
    assert_eq!(status, 200);
    let (status, body) = with_key(&app, &reader.key, "GET", "/api/v1/payments", None).await;
    assert_eq!(status, 403);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("payments:read")
    );

    let writer = make_key(&app, &owner, json!(["charges:write", "charges:read"])).await;
    let (status, made) = with_key(&app, &writer.key, "POST", "/api/v1/charges", Some(charge)).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().unwrap();
    let (status, _) = with_key(
        &app,
        &writer.key,
        "POST",
        &format!("/api/v1/charges/{id}/cancel"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    // Never staff, settings or other keys.
    for (method, path) in [
        ("GET", "/api/v1/staff"),
        ("GET", "/api/v1/api-keys"),
        ("GET", "/api/v1/webhook-endpoints"),
        ("DELETE", "/api/v1/session"),
    ] {
        let (status, _) = with_key(&app, &writer.key, method, path, None).await;
        assert_eq!(status, 403, "{method} {path}");
    }

    // Listed without the key; last use noted.
    let list: Vec<api::ApiKeyView> = app.get_json(&owner.cookie, "/api/v1/api-keys").await;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|k| k.prefix.len() == 9));
    let used = list.iter().find(|k| k.id == writer.id).unwrap();
    assert!(used.last_used_at_ms.is_some());
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains(&writer.key) && !text.contains(&reader.key));

    // A key is for a bearer header, not a cookie.
    let res = app
        .http
        .get(app.url("/api/v1/charges"))
        .header("cookie", format!("tonle_session={}", writer.key))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn key_fields_are_checked_and_only_the_owner_makes_keys() {
    let app = spawn_app().await;
    let owner = app.register("keyfields@shop.kh", "keyfields@aclb").await;
    for (body, field) in [
        (json!({"name": "", "scopes": ["charges:read"]}), "name"),
        (json!({"name": "POS", "scopes": []}), "scopes"),
    ] {
        let res = app
            .http
            .post(app.url("/api/v1/api-keys"))
            .header("cookie", &owner.cookie)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["error"]["field"], field);
    }
    let res = app
        .http
        .post(app.url("/api/v1/api-keys"))
        .header("cookie", &owner.cookie)
        .json(&json!({"name": "POS", "scopes": ["refunds:write"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422, "an unknown scope is named, not ignored");
}

#[tokio::test]
async fn a_revoked_key_is_refused_at_once_and_its_websocket_closes() {
    let app = spawn_app().await;
    let owner = app.register("revoke-key@shop.kh", "revokekey@aclb").await;
    let key = make_key(&app, &owner, json!(["events:read", "charges:read"])).await;
    let mut req = format!("ws://{}/api/v1/events", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert(
        "authorization",
        format!("Bearer {}", key.key).parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let Some(Ok(Message::Text(hello))) = ws.next().await else {
        panic!("no hello")
    };
    assert!(hello.contains("hello"));

    let res = app
        .http
        .delete(app.url(&format!("/api/v1/api-keys/{}", key.id)))
        .header("cookie", &owner.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (status, _) = with_key(&app, &key.key, "GET", "/api/v1/charges", None).await;
    assert_eq!(status, 401);

    let closed = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(msg) = ws.next().await {
            if let Ok(Message::Close(frame)) = msg {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("closed within 3 s");
    assert_eq!(closed, Some(api::close::REVOKED));
}

#[tokio::test]
async fn parallel_requests_cannot_pass_the_key_and_endpoint_caps() {
    let app = spawn_app().await;
    let owner = app.register("race@shop.kh", "race@aclb").await;
    let keys = futures::future::join_all((0..60).map(|i| {
        app.http
            .post(app.url("/api/v1/api-keys"))
            .header("cookie", &owner.cookie)
            .json(&json!({"name": format!("POS {i}"), "scopes": ["charges:read"]}))
            .send()
    }))
    .await;
    let made = keys
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|r| r.status() == 201))
        .count();
    assert_eq!(made, 20, "60 at once leave exactly the cap of 20");
    let list: Vec<api::ApiKeyView> = app.get_json(&owner.cookie, "/api/v1/api-keys").await;
    assert_eq!(list.len(), 20);

    let hooks = futures::future::join_all((0..30).map(|i| {
        app.http
            .post(app.url("/api/v1/webhook-endpoints"))
            .header("cookie", &owner.cookie)
            .json(&json!({"url": format!("http://127.0.0.1:9/hook-{i}")}))
            .send()
    }))
    .await;
    let made = hooks
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|r| r.status() == 201))
        .count();
    assert_eq!(made, 10, "30 at once leave exactly the cap of 10");
    let list: Value = app
        .get_json(&owner.cookie, "/api/v1/webhook-endpoints")
        .await;
    let n = list
        .as_array()
        .or_else(|| list["items"].as_array())
        .map_or(0, Vec::len);
    assert_eq!(n, 10, "{list}");
}
