//! The attacks of the third list, as a competing shop, an ex-employee and a free account would
//! try them: an account that makes everything it can, a removed manager who keeps watching,
//! invitation links that would tell who has an account, pairing guesses spread over a network,
//! and raw text and times that would forge a log line or settle a late payment.

use super::*;

use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A socket's close code within 3 s (`None`: no close frame came).
async fn close_code(ws: &mut Ws) -> Option<u16> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

async fn open_ws(s: &Server, cookie: &str) -> Ws {
    let mut req = format!("ws://{}/api/v1/events", s.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("cookie", cookie.parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

/// Sends `n` requests made by `make`, 16 at a time (the server allows 40 connections from one
/// address); their statuses (0: no answer).
async fn burst<F, Fut>(n: usize, make: F) -> Vec<u16>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>>,
{
    futures::stream::iter((0..n).map(make))
        .buffer_unordered(16)
        .map(|r| r.map_or(0, |r| r.status().as_u16()))
        .collect()
        .await
}

/// One free account making what it can, from its own address.
pub async fn greedy_account(t: &mut Tally, s: &Server) {
    let http = client_from("127.0.0.31");
    let greedy = register(&http, s, "greedy@free.kh", "greedy@aclb").await;
    let send = |path: &'static str, body: Value| {
        http.post(s.url(path))
            .header("cookie", &greedy)
            .json(&body)
            .send()
    };
    let made = burst(200, |_| {
        send(
            "/api/v1/charges",
            json!({"amount": "1000", "currency": "KHR"}),
        )
    })
    .await
    .iter()
    .filter(|s| **s == 201)
    .count();
    t.check(
        "200 charges in a burst from one free account (120 a minute)",
        made <= tonle_server::throttle::CHARGES_PER_MERCHANT_MINUTE,
    );
    let stores = burst(120, |i| {
        send("/api/v1/stores", json!({"name": format!("S{i}")}))
    })
    .await
    .iter()
    .filter(|s| **s == 201)
    .count();
    t.check("120 stores (100 at most)", stores <= 100);
    let invites = burst(60, |i| {
        send(
            "/api/v1/staff/invitations",
            json!({"email": format!("x{i}@free.kh"), "role": "cashier"}),
        )
    })
    .await
    .iter()
    .filter(|s| **s == 201)
    .count();
    t.check("60 open invitations (50 at most)", invites <= 50);
    let throttled = burst(80, |_| {
        http.put(s.url("/api/v1/integrations/bakong"))
            .header("cookie", &greedy)
            .json(&json!({"token": "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.sig"}))
            .send()
    })
    .await
    .iter()
    .filter(|s| **s == 429)
    .count();
    t.check("80 Bakong token saves, each a call out", throttled > 0);
}

/// A removed manager, and sessions that end, keep nothing.
pub async fn ex_employee(t: &mut Tally, s: &Server) {
    let http = client_from("127.0.0.32");
    let owner = register(&http, s, "boss@leaving.kh", "leaving@aclb").await;
    let inv = post_json(
        &http,
        s,
        &owner,
        "/api/v1/staff/invitations",
        json!({"email": "mgr@leaving.kh", "role": "manager"}),
    )
    .await;
    let joined = http
        .post(s.url(&format!(
            "/api/v1/invitations/{}/accept",
            inv["token"].as_str().unwrap_or_default()
        )))
        .json(&json!({"password": "0123456789abc"}))
        .send()
        .await
        .unwrap();
    let manager = cookie_of(&joined);
    let theirs = post_json(
        &http,
        s,
        &manager,
        "/api/v1/staff/invitations",
        json!({"email": "friend@leaving.kh", "role": "cashier"}),
    )
    .await;
    let mut ws = open_ws(s, &manager).await;
    let staff = get_json(&http, s, &owner, "/api/v1/staff").await;
    let id = staff
        .as_array()
        .and_then(|v| v.iter().find(|m| m["email"] == "mgr@leaving.kh"))
        .and_then(|m| m["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    let removed = http
        .delete(s.url(&format!("/api/v1/staff/{id}")))
        .header("cookie", &owner)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204, "the owner removes the manager");
    t.check(
        "a removed manager's event stream stays open",
        close_code(&mut ws).await == Some(tonle_server::api::close::UNAUTHORIZED),
    );
    let hook = post(
        &http,
        s,
        &manager,
        "/api/v1/webhook-endpoints",
        json!({"url": "https://hooks.example/x"}),
    )
    .await;
    t.check("a removed manager adds a webhook", hook.status() == 401);
    let link = http
        .get(s.url(&format!(
            "/api/v1/invitations/{}",
            theirs["token"].as_str().unwrap_or_default()
        )))
        .send()
        .await
        .unwrap();
    t.check(
        "a removed manager's invitation still works",
        link.status() == 404,
    );
    // Signing out closes the socket the session opened.
    let mut ws = open_ws(s, &owner).await;
    let _ = http
        .delete(s.url("/api/v1/session"))
        .header("cookie", &owner)
        .send()
        .await;
    t.check(
        "a signed-out session keeps its event stream",
        close_code(&mut ws).await == Some(tonle_server::api::close::UNAUTHORIZED),
    );
}

/// Invitation links that would tell who has an account, and pairing guesses from many /64s.
pub async fn enumeration(t: &mut Tally, s: &Server, owner: &str) {
    let http = client_from("127.0.0.33");
    let taken = post_json(
        &http,
        s,
        owner,
        "/api/v1/staff/invitations",
        json!({"email": "greedy@free.kh", "role": "cashier"}),
    )
    .await;
    let accept = |token: String| {
        http.post(s.url(&format!("/api/v1/invitations/{token}/accept")))
            .json(&json!({"password": "0123456789abc"}))
            .send()
    };
    let a = accept(taken["token"].as_str().unwrap_or_default().to_owned())
        .await
        .unwrap();
    let (a_status, a_body) = (a.status(), a.text().await.unwrap_or_default());
    let b = accept("no-such-link".into()).await.unwrap();
    let (b_status, b_body) = (b.status(), b.text().await.unwrap_or_default());
    t.check(
        "an invitation link tells whether its email has an account",
        a_status == b_status && a_body == b_body,
    );
    let mut limited = false;
    for i in 0..40 {
        if accept(format!("probe-{i}")).await.unwrap().status() == 429 {
            limited = true;
            break;
        }
    }
    t.check("40 invitation probes from one address", limited);
}

/// Text and times that would forge a log line, settle a late payment or hide in a note.
pub async fn raw_text_and_times(t: &mut Tally, s: &Server, owner: &str) {
    let http = client_from("127.0.0.34");
    let c = post_json(
        &http,
        s,
        owner,
        "/api/v1/charges",
        json!({"amount": "3000", "currency": "KHR"}),
    )
    .await;
    let mut body = json!({"transaction_id": "when-1", "md5": c["md5"], "bill_number": c["bill_number"],
        "amount": "3000", "currency": "KHR", "paid_at_ms": -99_999_999_999_999_i64,
        "payer": {"wallet": "ABA", "country": "KH"}});
    t.check(
        "paid_at_ms -99999999999999",
        notify(&http, s, &body, &now_secs()).await == 422,
    );
    body["paid_at_ms"] = json!(tonle_server::clock::now_ms() + 86_400_000);
    t.check(
        "paid_at_ms a day ahead",
        notify(&http, s, &body, &now_secs()).await == 422,
    );
    body["paid_at_ms"] = json!(tonle_server::clock::now_ms());
    body["transaction_id"] = json!("x\n2026-12-03T00:00:00Z INFO forged=1\u{1b}[31m");
    t.check(
        "a transaction_id that forges a log line",
        notify(&http, s, &body, &now_secs()).await == 422,
    );
    for note in ["a\0b", "line\nbreak", "pay \u{202E}001"] {
        let res = post(
            &http,
            s,
            owner,
            "/api/v1/charges",
            json!({"amount": "1000", "currency": "KHR", "note": note}),
        )
        .await;
        t.check(&format!("a note {note:?}"), res.status() == 422);
    }
}

/// Pairing guesses spread over many addresses of one wider network.
pub async fn pairing_spread(t: &mut Tally, s: &Server) {
    // 127.0.0.0/24 is one network: 12 addresses × 20 guesses each would be 240 tries.
    let mut statuses = Vec::new();
    for host in 100..112 {
        let http = client_from(&format!("127.0.0.{host}"));
        for i in 0..20 {
            let res = http
                .post(s.url("/api/v1/devices/pair"))
                .json(&json!({"code": format!("{:08}", 20_000_000 + host * 1000 + i)}))
                .send()
                .await
                .unwrap();
            statuses.push(res.status().as_u16());
        }
    }
    t.check(
        "240 pairing guesses spread over one network's addresses",
        statuses.iter().all(|s| *s != 201) && statuses.contains(&429),
    );
}
