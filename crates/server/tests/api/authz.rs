//! Every route with every kind of caller: nobody, the owner, a manager, a cashier of counter 1, a
//! cashier invited without a counter, a display paired to counter 1, another merchant's owner,
//! and an API key with every scope. One table says what each may get; the event stream is
//! checked the same way.

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

/// How a caller authenticates.
#[derive(Clone)]
enum Auth {
    Nobody,
    Cookie(String),
    Bearer(String),
}

struct Fixture {
    app: TestApp,
    callers: Vec<(&'static str, Auth)>,
    t1: String,
    t2: String,
    /// paid charges at counter 1, counter 2 and at no counter
    c1: api::ChargeView,
    c2: api::ChargeView,
    c0: api::ChargeView,
    /// their payments
    p1: String,
    p2: String,
}

const CALLERS: [&str; 8] = [
    "nobody", "owner", "manager", "cashier1", "cashier0", "device1", "stranger", "apikey",
];

async fn send(
    app: &TestApp,
    auth: &Auth,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut req = app.http.request(method.parse().unwrap(), app.url(path));
    match auth {
        Auth::Nobody => {}
        Auth::Cookie(c) => req = req.header("cookie", c),
        Auth::Bearer(t) => req = req.header("authorization", format!("Bearer {t}")),
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.unwrap()
}

async fn json_of(res: reqwest::Response) -> Value {
    res.json().await.unwrap()
}

async fn staff_member(
    app: &TestApp,
    owner: &Merchant,
    email: &str,
    role: &str,
    terminal: Option<&str>,
) -> String {
    let inv = json_of(
        send(
            app,
            &Auth::Cookie(owner.cookie.clone()),
            "POST",
            "/api/v1/staff/invitations",
            Some(&json!({"email": email, "role": role, "terminal_id": terminal})),
        )
        .await,
    )
    .await;
    let res = send(
        app,
        &Auth::Nobody,
        "POST",
        &format!(
            "/api/v1/invitations/{}/accept",
            inv["token"].as_str().unwrap()
        ),
        Some(&json!({"password": "0123456789abc"})),
    )
    .await;
    assert_eq!(res.status(), 201);
    crate::helpers::cookie_of(&res)
}

async fn paid_charge(
    app: &TestApp,
    owner: &Merchant,
    terminal: Option<&str>,
    tx: &str,
) -> (api::ChargeView, String) {
    let res = app
        .create_charge(
            owner,
            json!({"amount": "1000", "currency": "KHR", "terminal_id": terminal}),
            None,
        )
        .await;
    assert_eq!(res.status(), 201);
    let c: api::ChargeView = res.json().await.unwrap();
    let ack = json_of(app.notify(&payment_for(&c, tx)).await).await;
    (c, ack["payment_id"].as_str().unwrap().to_owned())
}

async fn fixture() -> Fixture {
    let app = spawn_app().await;
    let owner = app.register("authz-owner@shop.kh", "owner@aclb").await;
    let stranger = app.register("authz-other@shop.kh", "other@aclb").await;
    let o = Auth::Cookie(owner.cookie.clone());
    let store = json_of(
        send(
            &app,
            &o,
            "POST",
            "/api/v1/stores",
            Some(&json!({"name": "Main"})),
        )
        .await,
    )
    .await;
    let mut terminals = Vec::new();
    for label in ["Counter 1", "Counter 2"] {
        let t = json_of(
            send(
                &app,
                &o,
                "POST",
                "/api/v1/terminals",
                Some(&json!({"store_id": store["id"], "label": label})),
            )
            .await,
        )
        .await;
        terminals.push(t["id"].as_str().unwrap().to_owned());
    }
    let (t1, t2) = (terminals[0].clone(), terminals[1].clone());
    let manager = staff_member(&app, &owner, "authz-mgr@shop.kh", "manager", None).await;
    let cashier1 = staff_member(&app, &owner, "authz-c1@shop.kh", "cashier", Some(&t1)).await;
    let cashier0 = staff_member(&app, &owner, "authz-c0@shop.kh", "cashier", None).await;
    let code = json_of(
        send(
            &app,
            &o,
            "POST",
            &format!("/api/v1/terminals/{t1}/pairing"),
            Some(&json!({})),
        )
        .await,
    )
    .await;
    let paired = json_of(
        send(
            &app,
            &Auth::Nobody,
            "POST",
            "/api/v1/devices/pair",
            Some(&json!({"code": code["code"]})),
        )
        .await,
    )
    .await;
    let device = paired["token"].as_str().unwrap().to_owned();
    let key = json_of(
        send(
            &app,
            &o,
            "POST",
            "/api/v1/api-keys",
            Some(&json!({"name": "POS", "scopes": ["charges:read", "charges:write", "payments:read", "events:read"]})),
        )
        .await,
    )
    .await;
    let key = key["key"].as_str().unwrap().to_owned();
    let (c1, p1) = paid_charge(&app, &owner, Some(&t1), "authz-1").await;
    let (c2, p2) = paid_charge(&app, &owner, Some(&t2), "authz-2").await;
    let (c0, _) = paid_charge(&app, &owner, None, "authz-0").await;
    Fixture {
        callers: vec![
            ("nobody", Auth::Nobody),
            ("owner", o),
            ("manager", Auth::Cookie(manager)),
            ("cashier1", Auth::Cookie(cashier1)),
            ("cashier0", Auth::Cookie(cashier0)),
            ("device1", Auth::Bearer(device)),
            ("stranger", Auth::Cookie(stranger.cookie)),
            ("apikey", Auth::Bearer(key)),
        ],
        app,
        t1,
        t2,
        c1,
        c2,
        c0,
        p1,
        p2,
    }
}

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_the_policy_says() {
    let f = fixture().await;
    let mut profile =
        json_of(send(&f.app, &f.callers[1].1, "GET", "/api/v1/merchant", None).await).await;
    profile.as_object_mut().unwrap().remove("id");
    let (t1, t2) = (&f.t1, &f.t2);
    let (c1, c2, c0) = (&f.c1.id, &f.c2.id, &f.c0.id);
    let charge = json!({"amount": "100", "currency": "KHR"});
    let charge_t2 = json!({"amount": "100", "currency": "KHR", "terminal_id": t2});
    let accepted = json!({"resolution": "accepted"});
    let hook = json_of(
        send(
            &f.app,
            &f.callers[1].1,
            "POST",
            "/api/v1/webhook-endpoints",
            Some(&json!({"url": "http://127.0.0.1:9/hook", "events": ["charge.paid"]})),
        )
        .await,
    )
    .await;
    let hook = hook["id"].as_str().unwrap();
    let staff = json_of(send(&f.app, &f.callers[1].1, "GET", "/api/v1/staff", None).await).await;
    let id_of = |email: &str| {
        staff
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == email)
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let (owner_id, manager_id, cashier0_id) = (
        id_of("authz-owner@shop.kh"),
        id_of("authz-mgr@shop.kh"),
        id_of("authz-c0@shop.kh"),
    );
    // Expected status per caller, in CALLERS order:
    //            nobody owner manager cashier1 cashier0 device1 stranger
    let table: Vec<(&str, String, Option<Value>, [u16; 8])> = vec![
        (
            "GET",
            "/api/v1/session".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/merchant".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "PUT",
            "/api/v1/merchant".into(),
            Some(profile.clone()),
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/charges".into(),
            Some(charge.clone()),
            [401, 201, 201, 201, 201, 403, 201, 201],
        ),
        (
            "POST",
            "/api/v1/charges".into(),
            Some(charge_t2),
            [401, 201, 201, 403, 403, 403, 422, 201],
        ),
        (
            "GET",
            format!("/api/v1/charges/{c1}"),
            None,
            [401, 200, 200, 200, 404, 200, 404, 200],
        ),
        (
            "GET",
            format!("/api/v1/charges/{c2}"),
            None,
            [401, 200, 200, 404, 404, 404, 404, 200],
        ),
        (
            "GET",
            format!("/api/v1/charges/{c0}"),
            None,
            [401, 200, 200, 404, 200, 404, 404, 200],
        ),
        // Paid charges: whoever may cancel gets "only a pending charge" (409), not a change.
        (
            "POST",
            format!("/api/v1/charges/{c1}/cancel"),
            None,
            [401, 409, 409, 409, 404, 403, 404, 409],
        ),
        (
            "POST",
            format!("/api/v1/charges/{c2}/cancel"),
            None,
            [401, 409, 409, 404, 404, 403, 404, 409],
        ),
        (
            "POST",
            format!("/api/v1/charges/{c1}/resolve"),
            Some(accepted.clone()),
            [401, 409, 409, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/charges".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/payments".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/payments/{}", f.p1),
            None,
            [401, 200, 200, 200, 404, 403, 404, 200],
        ),
        (
            "GET",
            format!("/api/v1/payments/{}", f.p2),
            None,
            [401, 200, 200, 404, 404, 403, 404, 200],
        ),
        (
            "POST",
            format!("/api/v1/payments/{}/resolve", f.p1),
            Some(accepted),
            [401, 409, 409, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/payments.csv".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/reports/daily".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/stores".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/stores".into(),
            Some(json!({"name": "Second"})),
            [401, 201, 409, 403, 403, 403, 201, 403],
        ),
        (
            "GET",
            "/api/v1/terminals".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/terminals".into(),
            Some(json!({"store_id": "nope", "label": "X"})),
            [401, 422, 422, 403, 403, 403, 422, 403],
        ),
        (
            "GET",
            format!("/api/v1/terminals/{t1}/qr"),
            None,
            [401, 200, 200, 200, 404, 200, 404, 200],
        ),
        (
            "GET",
            format!("/api/v1/terminals/{t2}/qr"),
            None,
            [401, 200, 200, 404, 404, 404, 404, 200],
        ),
        (
            "GET",
            "/api/v1/staff".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/staff/invitations".into(),
            Some(json!({"email": "new-mgr@shop.kh", "role": "manager"})),
            [401, 201, 403, 403, 403, 403, 201, 403],
        ),
        (
            "POST",
            "/api/v1/staff/invitations".into(),
            Some(json!({"email": "new-cashier@shop.kh", "role": "cashier"})),
            [401, 201, 201, 403, 403, 403, 201, 403],
        ),
        (
            "POST",
            format!("/api/v1/terminals/{t1}/pairing"),
            Some(json!({})),
            [401, 201, 201, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/devices".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "GET",
            "/api/v1/invitations/not-a-real-link".into(),
            None,
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        // Anyone may ask for a reset (the answer is the same for every caller), and a wrong
        // link is wrong for everyone.
        (
            "POST",
            "/api/v1/password-resets".into(),
            Some(json!({"email": "someone@shop.kh"})),
            [202, 202, 202, 202, 202, 202, 202, 202],
        ),
        (
            "POST",
            "/api/v1/password-resets/not-a-real-link".into(),
            Some(json!({"password": "a long enough password"})),
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "GET",
            "/api/v1/integrations/bakong".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "PUT",
            "/api/v1/integrations/bakong".into(),
            Some(json!({"token": "eyJ.some-token.sig"})),
            [401, 200, 403, 403, 403, 403, 200, 403],
        ),
        (
            "DELETE",
            "/api/v1/integrations/bakong".into(),
            None,
            [401, 204, 403, 403, 403, 403, 204, 403],
        ),
        (
            "POST",
            format!("/api/v1/charges/{c1}/check"),
            None,
            [401, 200, 200, 200, 404, 200, 404, 200],
        ),
        (
            "POST",
            format!("/api/v1/charges/{c2}/check"),
            None,
            [401, 200, 200, 404, 404, 404, 404, 200],
        ),
        // The sandbox's test wallet (this server runs with --sandbox): whoever works the counter,
        // its paired display (behind the kiosk's long press) and a charges:write key.
        (
            "POST",
            format!("/api/v1/charges/{c1}/test-payment"),
            Some(json!({"wallet": "unionpay"})),
            [401, 200, 200, 200, 404, 200, 404, 200],
        ),
        (
            "POST",
            format!("/api/v1/charges/{c2}/test-payment"),
            Some(json!({"wallet": "bakong"})),
            [401, 200, 200, 404, 404, 404, 404, 200],
        ),
        (
            "DELETE",
            "/api/v1/devices/no-such-device".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/webhook-endpoints".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/webhook-endpoints".into(),
            Some(json!({"url": "http://127.0.0.1:9/hook"})),
            [401, 201, 201, 403, 403, 403, 201, 403],
        ),
        (
            "GET",
            format!("/api/v1/webhook-endpoints/{hook}"),
            None,
            [401, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/webhook-endpoints/{hook}"),
            Some(json!({"description": "till"})),
            [401, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            format!("/api/v1/webhook-endpoints/{hook}/deliveries"),
            None,
            [401, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "POST",
            format!("/api/v1/webhook-endpoints/{hook}/rotate-secret"),
            None,
            [401, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "POST",
            "/api/v1/webhook-deliveries/no-such-delivery/retry".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "DELETE",
            "/api/v1/webhook-endpoints/no-such-endpoint".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/api-keys".into(),
            None,
            [401, 200, 403, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/api-keys".into(),
            Some(json!({"name": "POS", "scopes": ["charges:read"]})),
            [401, 201, 403, 403, 403, 403, 201, 403],
        ),
        (
            "DELETE",
            "/api/v1/api-keys/no-such-key".into(),
            None,
            [401, 404, 403, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/telegram/chats".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/telegram/links".into(),
            Some(json!({"language": "en"})),
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "PATCH",
            "/api/v1/telegram/chats/no-such-chat".into(),
            Some(json!({"language": "zh"})),
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "DELETE",
            "/api/v1/telegram/chats/no-such-chat".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "POST",
            "/api/v1/telegram/chats/no-such-chat/test".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        // Items: everyone at the shop reads them; owners and managers edit them.
        (
            "GET",
            "/api/v1/items".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/items".into(),
            Some(json!({"name": "Noodle soup", "prices": {"KHR": "12000"}})),
            [401, 201, 201, 403, 403, 403, 201, 403],
        ),
        (
            "GET",
            "/api/v1/items/no-such-item".into(),
            None,
            [401, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "PATCH",
            "/api/v1/items/no-such-item".into(),
            Some(json!({"available": false})),
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "DELETE",
            "/api/v1/items/no-such-item".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/items.csv".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        // An empty file: refused by whoever may import, after the role is checked.
        (
            "POST",
            "/api/v1/items.csv".into(),
            None,
            [401, 422, 422, 403, 403, 403, 422, 403],
        ),
        (
            "PATCH",
            "/api/v1/merchant".into(),
            Some(json!({"usd_khr_rate": "4100"})),
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        // Rates: everyone reads; only the owner sets or confirms.
        (
            "GET",
            "/api/v1/fx".into(),
            None,
            [401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "PUT",
            "/api/v1/fx/USD".into(),
            Some(json!({"cny_per_unit": "7.08"})),
            [401, 200, 403, 403, 403, 403, 200, 403],
        ),
        (
            "POST",
            "/api/v1/fx/USD/confirm".into(),
            None,
            [401, 409, 403, 403, 403, 403, 409, 403],
        ),
        (
            "GET",
            "/api/v1/reports/items".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/payments/lines.csv".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/staff/invitations".into(),
            None,
            [401, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "DELETE",
            "/api/v1/staff/invitations/no-such-invitation".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        // The same role again: allowed to whoever manages that role; another shop's member is
        // not there.
        (
            "PATCH",
            format!("/api/v1/staff/{cashier0_id}"),
            Some(json!({"role": "cashier"})),
            [401, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "PATCH",
            format!("/api/v1/staff/{manager_id}"),
            Some(json!({"role": "manager"})),
            [401, 200, 403, 403, 403, 403, 404, 403],
        ),
        (
            "DELETE",
            format!("/api/v1/staff/{owner_id}"),
            None,
            [401, 403, 403, 403, 403, 403, 404, 403],
        ),
        (
            "DELETE",
            "/api/v1/staff/no-such-member".into(),
            None,
            [401, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "GET",
            "/api/v1/sessions".into(),
            None,
            [401, 200, 200, 200, 200, 403, 200, 403],
        ),
        (
            "DELETE",
            "/api/v1/sessions/no-such-session".into(),
            None,
            [401, 404, 404, 404, 404, 403, 404, 403],
        ),
        // Last: it signs each person out.
        (
            "DELETE",
            "/api/v1/sessions".into(),
            None,
            [401, 204, 204, 204, 204, 403, 204, 403],
        ),
    ];
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &table {
        for ((name, auth), want) in f.callers.iter().zip(expected) {
            let got = send(&f.app, auth, method, path, body.as_ref())
                .await
                .status()
                .as_u16();
            if got != *want {
                wrong.push(format!("{method} {path} as {name}: got {got}, want {want}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the policy:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(f.callers.len(), CALLERS.len());
}

#[tokio::test]
async fn lists_show_a_cashier_and_a_display_only_their_counter() {
    let f = fixture().await;
    let terminals_of = |v: &Value| -> Vec<Option<String>> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["terminal_id"].as_str().map(str::to_owned))
            .collect()
    };
    let by = |name: &str| {
        f.callers
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .clone()
    };
    let all = json_of(send(&f.app, &by("owner"), "GET", "/api/v1/charges", None).await).await;
    assert_eq!(terminals_of(&all).len(), 3);
    for (who, counter) in [
        ("cashier1", Some(f.t1.clone())),
        ("device1", Some(f.t1.clone())),
        ("cashier0", None),
    ] {
        let mine = json_of(send(&f.app, &by(who), "GET", "/api/v1/charges", None).await).await;
        let seen = terminals_of(&mine);
        assert_eq!(seen, vec![counter.clone()], "{who} sees {seen:?}");
        let asked = json_of(
            send(
                &f.app,
                &by(who),
                "GET",
                &format!("/api/v1/charges?terminal={}", f.t2),
                None,
            )
            .await,
        )
        .await;
        assert_eq!(
            terminals_of(&asked),
            vec![counter],
            "{who} cannot ask for counter 2"
        );
    }
    let pays = json_of(send(&f.app, &by("cashier1"), "GET", "/api/v1/payments", None).await).await;
    let ids: Vec<&str> = pays["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![f.p1.as_str()]);
    let terminals =
        json_of(send(&f.app, &by("cashier1"), "GET", "/api/v1/terminals", None).await).await;
    assert_eq!(terminals.as_array().unwrap().len(), 1);
    assert_eq!(terminals[0]["id"], f.t1.as_str());
}

async fn stream_events(app: &TestApp, auth: &Auth) -> Vec<api::Event> {
    let mut req = format!("ws://{}/api/v1/events?since=0", app.addr)
        .into_client_request()
        .unwrap();
    match auth {
        Auth::Cookie(c) => {
            req.headers_mut().insert("cookie", c.parse().unwrap());
        }
        Auth::Bearer(t) => {
            req.headers_mut()
                .insert("authorization", format!("Bearer {t}").parse().unwrap());
        }
        Auth::Nobody => {}
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut events = Vec::new();
    // The replay comes first; the first heartbeat follows it.
    while let Some(Ok(Message::Text(t))) = ws.next().await {
        match serde_json::from_str::<api::ServerMsg>(&t).unwrap() {
            api::ServerMsg::Event { event } => events.push(event),
            api::ServerMsg::Heartbeat { .. } => break,
            _ => {}
        }
    }
    events
}

#[tokio::test]
async fn the_event_stream_carries_a_cashier_and_a_display_only_their_counters_charges() {
    let f = fixture().await;
    let by = |name: &str| {
        f.callers
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .clone()
    };
    let counter_of = |e: &api::Event| match &e.data {
        api::EventData::ChargeCreated { charge } | api::EventData::ChargePaid { charge, .. } => {
            Some(charge.terminal_id.clone())
        }
        _ => None,
    };
    let owner = stream_events(&f.app, &by("owner")).await;
    assert_eq!(owner.len(), 6, "three charges made and paid");
    let key = stream_events(&f.app, &by("apikey")).await;
    assert_eq!(key, owner, "an API key with events:read sees every counter");
    for (who, counter) in [
        ("cashier1", Some(f.t1.clone())),
        ("device1", Some(f.t1.clone())),
        ("cashier0", None),
    ] {
        let seen = stream_events(&f.app, &by(who)).await;
        assert_eq!(seen.len(), 2, "{who}: its counter's charge, made and paid");
        assert!(
            seen.iter().all(|e| counter_of(e) == Some(counter.clone())),
            "{who} saw another counter: {seen:?}"
        );
    }
}

#[tokio::test]
async fn a_cashiers_totals_are_their_counters_day() {
    let f = fixture().await;
    let by = |name: &str| {
        f.callers
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap()
            .1
            .clone()
    };
    let totals = |who: &'static str| {
        let auth = by(who);
        let app = &f.app;
        async move { json_of(send(app, &auth, "GET", "/api/v1/reports/daily", None).await).await }
    };
    let count = |v: &Value| -> u64 {
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["count"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(count(&totals("owner").await), 3, "every counter");
    assert_eq!(count(&totals("cashier1").await), 1, "counter 1 only");
    assert_eq!(
        count(&totals("cashier0").await),
        1,
        "the counter-less till only"
    );
}
