use futures::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(app: &TestApp, m: &Merchant, since: Option<u64>) -> Ws {
    let q = since.map(|s| format!("?since={s}")).unwrap_or_default();
    let mut req = format!("ws://{}/api/v1/events{q}", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("cookie", m.cookie.parse().unwrap());
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

pub async fn next_msg(ws: &mut Ws) -> api::ServerMsg {
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
            .await
            .expect("message in time")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

pub async fn next_event(ws: &mut Ws) -> api::Event {
    loop {
        match next_msg(ws).await {
            api::ServerMsg::Event { event } => return event,
            _ => continue,
        }
    }
}

#[tokio::test]
async fn a_payment_is_pushed_live_and_a_reconnect_with_since_gets_exactly_the_missed_events() {
    let app = spawn_app().await;
    let m = app.register("ws@shop.kh", "sokha@aclb").await;
    let mut ws = connect(&app, &m, Some(0)).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { head: 0 }
    ));
    let c = app.charge(&m, "48000", "KHR").await;
    let e1 = next_event(&mut ws).await;
    assert_eq!(e1.seq, 1);
    assert!(matches!(e1.data, api::EventData::ChargeCreated { .. }));
    app.notify(&payment_for(&c, "tx-ws-1")).await;
    let e2 = next_event(&mut ws).await;
    assert_eq!(e2.seq, 2);
    let api::EventData::ChargePaid { charge, payment } = e2.data else {
        panic!("expected charge_paid")
    };
    assert_eq!(charge.status, api::ChargeStatus::Paid);
    assert_eq!(payment.payer.amount.as_deref(), Some("84.96"));
    drop(ws);

    // Missed while away: two charges and a payment.
    let c2 = app.charge(&m, "1000", "KHR").await;
    app.charge(&m, "2.50", "USD").await;
    app.notify(&payment_for(&c2, "tx-ws-2")).await;
    let mut ws = connect(&app, &m, Some(2)).await;
    assert!(matches!(
        next_msg(&mut ws).await,
        api::ServerMsg::Hello { head: 5 }
    ));
    let seqs: Vec<u64> = [
        next_event(&mut ws).await,
        next_event(&mut ws).await,
        next_event(&mut ws).await,
    ]
    .iter()
    .map(|e| e.seq)
    .collect();
    assert_eq!(seqs, [3, 4, 5]);
}

#[tokio::test]
async fn a_merchant_never_sees_another_merchants_events() {
    let app = spawn_app().await;
    let a = app.register("wa@shop.kh", "a@aclb").await;
    let b = app.register("wb@shop.kh", "b@aclb").await;
    let mut ws_b = connect(&app, &b, Some(0)).await;
    next_msg(&mut ws_b).await;
    app.charge(&a, "1000", "KHR").await;
    app.charge(&b, "2000", "KHR").await;
    let e = next_event(&mut ws_b).await;
    let api::EventData::ChargeCreated { charge } = e.data else {
        panic!()
    };
    assert_eq!(charge.amount, "2000");
    assert_eq!(e.seq, 1);
}

#[tokio::test]
async fn the_event_socket_needs_a_session() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(app.url("/api/v1/events"))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

/// A websocket client that stops reading (a frozen tablet) never slows the ingest path or other
/// clients, and the server drops it instead of holding events for it without bound.
#[tokio::test]
async fn a_client_that_stops_reading_is_dropped_and_blocks_nobody() {
    let app = spawn_app().await;
    let m = app.register("slow@shop.kh", "slow@aclb").await;
    // The frozen client: a tiny receive window, and it never reads.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(app.addr).await.unwrap();
    let mut req = format!("ws://{}/api/v1/events", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("cookie", m.cookie.parse().unwrap());
    let (mut frozen, _) = tokio_tungstenite::client_async(req, stream).await.unwrap();
    let mut healthy = connect(&app, &m, None).await;
    assert!(matches!(
        next_msg(&mut healthy).await,
        api::ServerMsg::Hello { .. }
    ));

    // The healthy client reads as a browser does, all along (and so answers the server's pings).
    let n = 1200;
    let reader = tokio::spawn(async move {
        let mut seqs = Vec::with_capacity(n as usize);
        while seqs.len() < n as usize {
            seqs.push(next_event(&mut healthy).await.seq);
        }
        seqs
    });

    // Far more than the server's send buffer holds (a long note makes each event large); every
    // charge is answered while the frozen client sits there.
    let note = "n".repeat(200);
    let started = std::time::Instant::now();
    for i in 0..n {
        let body =
            serde_json::json!({"amount": format!("{}", 1000 + i), "currency": "KHR", "note": note});
        assert_eq!(app.create_charge(&m, body, None).await.status(), 201);
    }
    // The healthy client received every one of them, in order.
    let seqs = tokio::time::timeout(std::time::Duration::from_secs(30), reader)
        .await
        .expect("the healthy client got every event")
        .unwrap();
    assert_eq!(seqs, (1..=n).collect::<Vec<u64>>());
    // The server pings the frozen client within a second of connecting and drops it 10 s after
    // that ping goes unanswered (whatever the kernel buffers hold): past that, with room for a
    // loaded machine, what it can still read ends in a close or an error before the last event.
    tokio::time::sleep(std::time::Duration::from_secs(16).saturating_sub(started.elapsed())).await;
    let mut got = 0u64;
    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            match frozen.next().await {
                Some(Ok(Message::Text(t))) if t.contains("\"event\"") => got += 1,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the frozen client is still being fed");
    assert!(
        got < n,
        "the frozen client got all {n} events: it was never held back"
    );
}

#[tokio::test]
async fn a_slow_but_steady_reader_gets_every_event_past_the_unread_cap() {
    let app = spawn_app().await;
    let m = app.register("steady@shop.kh", "steady@aclb").await;
    // Far past the server's unread cap (256 KiB) before the reader starts: the log is replayed
    // to it in pages while it reads slowly, answering pings as it goes.
    let note = "n".repeat(200);
    let n = 1200;
    for i in 0..n {
        let body =
            serde_json::json!({"amount": format!("{}", 1000 + i), "currency": "KHR", "note": note});
        assert_eq!(app.create_charge(&m, body, None).await.status(), 201);
    }
    let mut ws = connect(&app, &m, Some(0)).await;
    for seq in 1..=n {
        assert_eq!(next_event(&mut ws).await.seq, seq, "in order, none missing");
        if seq % 50 == 0 {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }
}

#[tokio::test]
async fn an_open_websocket_counts_toward_the_connection_cap_until_it_closes() {
    let app = crate::helpers::spawn_app_with(|s| s.limits.max_connections = 5).await;
    let m = app.register("cap@shop.kh", "cap@aclb").await;
    // Sockets until the cap (the sign-up's kept-alive connection may hold one place).
    let mut open = Vec::new();
    for _ in 0..10 {
        let mut req = format!("ws://{}/api/v1/events", app.addr)
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("cookie", m.cookie.parse().unwrap());
        match tokio_tungstenite::connect_async(req).await {
            Ok((mut ws, _)) => {
                assert!(matches!(
                    next_msg(&mut ws).await,
                    api::ServerMsg::Hello { .. }
                ));
                open.push(ws);
            }
            Err(_) => break,
        }
    }
    assert!(
        (4..=5).contains(&open.len()),
        "{} websockets open under a cap of 5 connections",
        open.len()
    );
    // Another connection of any kind is closed at once: the upgraded sockets still count.
    let fresh = reqwest::Client::new();
    let refused = fresh
        .get(format!("http://{}/healthz", app.addr))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a fifth connection was served: {refused:?}"
    );
    // Closing one gives its place back.
    let mut ws = open.pop().unwrap();
    ws.close(None).await.unwrap();
    while ws.next().await.is_some() {}
    let started = std::time::Instant::now();
    loop {
        match fresh
            .get(format!("http://{}/healthz", app.addr))
            .send()
            .await
        {
            Ok(res) if res.status() == 200 => break,
            _ if started.elapsed() < std::time::Duration::from_secs(5) => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            other => panic!("the closed socket's place was not given back: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_plain_get_of_the_event_socket_is_refused_with_json() {
    let app = spawn_app().await;
    let m = app.register("plain@shop.kh", "plain@aclb").await;
    let res = app
        .http
        .get(app.url("/api/v1/events"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
}
