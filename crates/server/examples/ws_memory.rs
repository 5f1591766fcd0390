//! Server memory per idle websocket: starts `tonle serve` as its own process, opens N websockets
//! to it from this one, and reads the server's resident memory (`VmRSS`) before and after.
//!
//! `cargo build --profile release-server -p tonle-server --bin tonle --example ws_memory` then
//! `$CARGO_TARGET_DIR/release-server/examples/ws_memory [N]` (the `tonle` beside it is used;
//! `TONLE_BIN` names another).
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let bin = std::env::var("TONLE_BIN").unwrap_or_else(|_| {
        let me = std::env::current_exe().unwrap();
        me.parent()
            .unwrap()
            .parent()
            .unwrap()
            .join("tonle")
            .display()
            .to_string()
    });
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(&bin)
        .args(["serve", "--sandbox", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "warn")
        .spawn()
        .expect("the tonle binary");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let res = http
        .post(format!("{base}/api/v1/merchants"))
        .json(&json!({"email": "mem@shop.kh", "password": "0123456789abc", "business_name": "Bench Shop",
                      "merchant_city": "Phnom Penh", "bakong_account_id": "bench@aclb"}))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let connect = || async {
        let mut req = format!("ws://127.0.0.1:{port}/api/v1/events")
            .into_client_request()
            .unwrap();
        req.headers_mut().insert("cookie", cookie.parse().unwrap());
        let (mut ws, _) = tokio_tungstenite::connect_async(req).await.unwrap();
        ws.next().await.unwrap().unwrap(); // hello
        // Keep reading (heartbeats) so the server never counts it as slow.
        tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} });
    };
    // Warm up: the runtime's and allocator's first growth is not per socket.
    for _ in 0..50 {
        connect().await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = rss_kb(server.id());
    for _ in 0..n {
        connect().await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kb(server.id());
    println!(
        "{{\"bench\":\"idle_websocket_memory\",\"sockets\":{n},\"server_rss_before_kb\":{before},\"server_rss_after_kb\":{after},\"kb_per_socket\":{:.1}}}",
        (after.saturating_sub(before)) as f64 / n as f64
    );
    let _ = server.kill();
    let _ = server.wait();
}
