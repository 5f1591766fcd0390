//! Notification → websocket latency with CLIENTS idle websockets connected, straight to tonle and
//! through nginx (docs/deploy/nginx.conf), in one run on one tonle process: what a proxy in front
//! adds. Notifications go the same way as the screens (through nginx in the second phase).
//!
//! `cargo build --profile release-server -p tonle-server --bin tonle --example proxy_latency`,
//! then `$CARGO_TARGET_DIR/release-server/examples/proxy_latency [CLIENTS [LATENCY]]` (defaults
//! 1000 500). Needs nginx (Debian's nginx-light). Prints one JSON object per path.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

#[path = "support/mod.rs"]
mod support;

use std::time::Duration;

use futures::StreamExt;
use support::{Instance, ms, pct};

#[tokio::main]
async fn main() {
    let args = support::numeric_args();
    let arg = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let (clients, latency_n) = (arg(0, 1000), arg(1, 500));
    let nofile = support::raise_open_files();
    assert!(
        nofile as usize > 3 * clients + 200,
        "the open-files limit ({nofile}) is too low for {clients} clients through a proxy"
    );
    let nginx_bin = support::nginx::binary().expect("nginx (apt-get install nginx-light)");
    let dir = tempfile::tempdir().unwrap();
    let room = (clients + 1000).to_string();
    let extra = [
        "--trusted-proxies",
        "127.0.0.1",
        "--max-connections",
        &room,
        "--max-websockets-per-ip",
        &room,
        "--max-websockets-per-merchant",
        &room,
        "--registrations-per-ip",
        "100",
    ];
    let tonle = Instance::start(
        &support::tonle_bin(),
        &dir.path().join("data"),
        None,
        &extra,
    )
    .await;
    let nginx =
        support::nginx::Nginx::start(&nginx_bin, dir.path(), tonle.addr.parse().unwrap()).await;
    let proxy = format!("127.0.0.1:{}", nginx.port);
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let secret = tonle_server::signing::read_sandbox_secret(&dir.path().join("data")).unwrap();
    let shop = support::register(&http, &tonle.base, "bench@shop.kh").await;
    let idle_shop = support::register(&http, &tonle.base, "idle@shop.kh").await;

    for (path, addr) in [("direct", tonle.addr.clone()), ("nginx", proxy)] {
        let base = format!("http://{addr}");
        let idle: Vec<support::Ws> = futures::stream::iter(0..clients)
            .map(|_| async { support::connect(&addr, &idle_shop, 0).await.unwrap().0 })
            .buffer_unordered(64)
            .collect()
            .await;
        let idle: Vec<_> = idle.into_iter().map(support::idle).collect();
        let (ws, _) = support::connect(&addr, &shop, 0).await.unwrap();
        let mut events = support::events(ws);
        let mut lat = Vec::with_capacity(latency_n);
        for i in 0..latency_n {
            let tx = format!("{path}-{i}");
            let amount = 1000 + i as u64;
            lat.push(
                support::time_payment(&http, &base, &secret, &shop, &mut events, amount, &tx).await,
            );
        }
        lat.sort();
        println!(
            "{{\"bench\":\"notification_to_websocket\",\"path\":\"{path}\",\"clients\":{clients},\"n\":{latency_n},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2}}}",
            ms(pct(&lat, 0.5)),
            ms(pct(&lat, 0.99)),
            ms(*lat.last().unwrap())
        );
        for task in idle {
            task.abort();
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    drop(nginx);
}
