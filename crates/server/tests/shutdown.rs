//! SIGTERM while notifications flow, as systemd or an orchestrator stops an instance: the open
//! websocket is closed with 1012 (service restart), the process exits within
//! 10 s, every notification it acknowledged is stored, and those it never answered, retried on
//! the next instance (same data dir), are stored once.
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use tonle_server::api;

#[path = "../examples/support/mod.rs"]
mod support;

use support::{Instance, notify, payment_body};

/// Charges paid while the instance is stopped.
const LOAD: usize = 80;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_sockets_with_1012_and_loses_nothing_acknowledged() {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_tonle"));
    let data_dir = tempfile::tempdir().unwrap();
    let http = reqwest::Client::new();
    let mut a = Instance::start(bin, data_dir.path(), None, &[]).await;
    let cookie = support::register(&http, &a.base, "stop@shop.kh").await;
    let mut charges = Vec::new();
    for _ in 0..LOAD {
        charges.push(support::create_charge(&http, &a.base, &cookie, 5000).await);
    }
    let secret = tonle_server::signing::read_sandbox_secret(data_dir.path()).unwrap();
    let (mut ws, _) = support::connect(&a.addr, &cookie, 0).await.unwrap();

    // Notifications pour in, four at a time; SIGTERM lands among them.
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut senders = Vec::new();
    for (i, c) in charges.iter().enumerate() {
        let (http, secret, base, done_tx) = (
            http.clone(),
            secret.clone(),
            a.base.clone(),
            done_tx.clone(),
        );
        let body = payment_body(c, &format!("tx-{i}"));
        senders.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis((i as u64 / 4) * 15)).await;
            let status = notify(&http, &base, &secret, &format!("msg-{i}"), &body).await;
            let _ = done_tx.send(i);
            (i, body, status)
        }));
    }
    for _ in 0..LOAD / 4 {
        done_rx.recv().await;
    }
    let ready = http.get(a.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200, "ready before the stop");
    let exited = tokio::spawn(async move {
        let status = a.terminate(Duration::from_secs(10)).await;
        (a, status)
    });

    // The socket is told the server restarts.
    let close = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match ws.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                _ => return None,
            }
        }
    })
    .await
    .expect("a close within 10 s");
    assert_eq!(close, Some(api::close::SHUTDOWN), "close code 1012");
    let (a, status) = exited.await.unwrap();
    let status = status.expect("exits within 10 s of SIGTERM");
    assert!(status.success(), "exits cleanly: {status:?}");
    drop(a);

    let mut acked = BTreeMap::new();
    let mut retry = Vec::new();
    for s in senders {
        let (i, body, status) = s.await.unwrap();
        match status {
            Some(st) if st.is_success() => {
                acked.insert(i, body);
            }
            _ => retry.push((i, body)),
        }
    }
    assert!(acked.len() >= LOAD / 4, "{} acknowledged", acked.len());

    // The next instance: what was never answered is retried there, and a network that retries
    // an acknowledged one too is answered without a second payment.
    let b = Instance::start(bin, data_dir.path(), None, &[]).await;
    for (i, body) in retry.iter().chain(
        acked
            .iter()
            .map(|(i, b)| (*i, b.clone()))
            .take(5)
            .collect::<Vec<_>>()
            .iter(),
    ) {
        let status = notify(&http, &b.base, &secret, &format!("msg-{i}"), body).await;
        assert!(
            status.is_some_and(|s| s.is_success()),
            "retry of {i}: {status:?}"
        );
    }
    let res = http
        .get(b.url("/api/v1/payments?limit=200"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page: Value = res.json().await.unwrap();
    let mut per_tx: BTreeMap<String, usize> = BTreeMap::new();
    for p in page["items"].as_array().expect("items") {
        *per_tx
            .entry(p["transaction_id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    for i in 0..LOAD {
        assert_eq!(
            per_tx.get(&format!("tx-{i}")).copied(),
            Some(1),
            "payment {i} stored once (acknowledged: {})",
            acked.contains_key(&i)
        );
    }
    assert_eq!(per_tx.len(), LOAD, "nothing else stored");
    eprintln!(
        "SIGTERM mid-flow: {} acknowledged by the stopping instance, {} retried on the next",
        acked.len(),
        retry.len()
    );
}
