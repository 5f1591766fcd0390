//! The load generator: runs `tonle serve` as its own process(es) and drives it from this one.
//!
//! 1. opens CLIENTS idle websockets (another merchant's) and reads the serving instance's
//!    resident memory before and after: memory per idle connection;
//! 2. notification → websocket latency (p50/p99/max) of a measured client of the bench merchant,
//!    LATENCY notifications one after another, with those CLIENTS connected;
//! 3. durable notifications per second: THROUGHPUT notifications, CONCURRENCY in flight (every
//!    200 answered is committed and fsynced), then checks each reached the measured websocket.
//!
//! SQLite by default (one instance). With `TONLE_BENCH_DATABASE_URL=postgres://…` a fresh schema
//! there; `TONLE_BENCH_INSTANCES=2` runs two instances: notifications to the first, websockets on
//! the second (latency across instances through LISTEN/NOTIFY), throughput posted to both.
//!
//! `cargo build --profile release-server -p tonle-server --bin tonle --example loadgen`, then
//! `$CARGO_TARGET_DIR/release-server/examples/loadgen [CLIENTS [LATENCY [THROUGHPUT [CONCURRENCY]]]]`
//! (defaults 1000 500 10000 64). Prints one JSON object per figure.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

#[path = "support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::StreamExt;
use support::{Instance, ms, pct};

async fn next_paid(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<tonle_server::api::Event>,
) -> String {
    loop {
        let e = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("an event in time")
            .expect("socket open");
        if let Some(id) = support::paid_charge(&e) {
            return id.to_owned();
        }
    }
}

#[tokio::main]
async fn main() {
    let args = support::numeric_args();
    let arg = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let (clients, latency_n, throughput_n, concurrency) =
        (arg(0, 1000), arg(1, 500), arg(2, 10_000), arg(3, 64));
    let nofile = support::raise_open_files();
    assert!(
        nofile as usize > clients + 200,
        "the open-files limit ({nofile}) is too low for {clients} clients: raise the hard limit"
    );
    let pg = std::env::var("TONLE_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|u| support::fresh_schema(&u, "bench"));
    let instances: usize = match &pg {
        Some(_) => std::env::var("TONLE_BENCH_INSTANCES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2),
        None => 1,
    };
    let store = if pg.is_some() { "postgres" } else { "sqlite" };
    let dir = tempfile::tempdir().unwrap();
    let bin = support::tonle_bin();
    let room = (clients + 1000).to_string();
    let extra = [
        "--max-connections",
        &room,
        "--max-connections-per-ip",
        &room,
        "--max-websockets-per-ip",
        &room,
        "--max-websockets-per-merchant",
        &room,
        "--registrations-per-ip",
        "100",
        "--database-max-connections",
        "32",
    ];
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(Instance::start(&bin, dir.path(), pg.as_deref(), &extra).await);
    }
    let (first, serving) = (&servers[0], &servers[instances - 1]);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency * 2)
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let secret = tonle_server::signing::read_sandbox_secret(dir.path()).unwrap();
    let shop = support::register(&http, &first.base, "bench@shop.kh").await;
    let idle_shop = support::register(&http, &first.base, "idle@shop.kh").await;

    // 1. Memory per idle connection (after a warm-up: the runtime's first growth is not per socket).
    let open = |n: usize| {
        futures::stream::iter(0..n)
            .map(|_| async {
                let (ws, _) = support::connect(&serving.addr, &idle_shop, 0)
                    .await
                    .unwrap();
                support::idle(ws);
            })
            .buffer_unordered(64)
            .collect::<Vec<()>>()
    };
    open(50).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = support::rss_kb(serving.pid());
    let t0 = Instant::now();
    open(clients).await;
    let connect_secs = t0.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = support::rss_kb(serving.pid());
    println!(
        "{{\"bench\":\"idle_websocket_memory\",\"store\":\"{store}\",\"instances\":{instances},\"clients\":{clients},\"connect_seconds\":{connect_secs:.1},\"server_rss_before_kb\":{before},\"server_rss_after_kb\":{after},\"kb_per_socket\":{:.1}}}",
        after.saturating_sub(before) as f64 / clients as f64
    );

    // 2. Latency, one notification at a time.
    let (ws, _) = support::connect(&serving.addr, &shop, 0).await.unwrap();
    let mut paid = support::events(ws);
    eprintln!("{store}: {clients} idle clients connected; {latency_n} notifications one by one");
    let mut lat = Vec::with_capacity(latency_n);
    for i in 0..latency_n {
        let (tx, amount) = (format!("lat-{i}"), 1000 + i as u64);
        let took =
            support::time_payment(&http, &first.base, &secret, &shop, &mut paid, amount, &tx).await;
        lat.push(took);
    }
    lat.sort();
    println!(
        "{{\"bench\":\"notification_to_websocket\",\"store\":\"{store}\",\"instances\":{instances},\"clients\":{clients},\"n\":{latency_n},\"p50_ms\":{:.2},\"p99_ms\":{:.2},\"max_ms\":{:.2}}}",
        ms(pct(&lat, 0.5)),
        ms(pct(&lat, 0.99)),
        ms(*lat.last().unwrap())
    );
    if throughput_n == 0 {
        return;
    }

    // 3. Durable notifications per second.
    eprintln!("creating {throughput_n} charges for the throughput run");
    let charges: Vec<_> = futures::stream::iter(0..throughput_n)
        .map(|i| support::create_charge(&http, &first.base, &shop, 2000 + i as u64))
        .buffered(16)
        .collect()
        .await;
    // Where the CPU goes while it runs: this client, the server(s), the rest (PostgreSQL).
    let me = std::process::id();
    let cpu = |servers: &[Instance]| {
        let tonle: f64 = servers.iter().map(|s| support::cpu_seconds(s.pid())).sum();
        (support::cpu_seconds(me), tonle, support::machine_cpu())
    };
    let (client0, tonle0, (busy0, idle0)) = cpu(&servers);
    eprintln!("posting {throughput_n} notifications, {concurrency} in flight");
    let t0 = Instant::now();
    futures::stream::iter(charges.iter().enumerate())
        .map(|(i, c)| {
            let (http, secret) = (&http, &secret);
            let base = &servers[i % instances].base;
            async move {
                let body = support::payment_body(c, &format!("tp-{i}"));
                let status =
                    support::notify(http, base, secret, &format!("msg_tp-{i}"), &body).await;
                assert_eq!(status, Some(reqwest::StatusCode::OK));
            }
        })
        .buffer_unordered(concurrency)
        .collect::<Vec<()>>()
        .await;
    let secs = t0.elapsed().as_secs_f64();
    let (client1, tonle1, (busy1, idle1)) = cpu(&servers);
    let (client, tonle) = (client1 - client0, tonle1 - tonle0);
    let rest = (busy1 - busy0) - client - tonle;
    println!(
        "{{\"bench\":\"throughput_cpu\",\"store\":\"{store}\",\"seconds\":{secs:.3},\"load_generator_cpu_s\":{client:.2},\"tonle_cpu_s\":{tonle:.2},\"other_cpu_s\":{rest:.2},\"idle_cpu_s\":{:.2}}}",
        idle1 - idle0
    );
    let mut got = HashSet::new();
    while got.len() < throughput_n {
        got.insert(next_paid(&mut paid).await);
    }
    println!(
        "{{\"bench\":\"durable_notifications\",\"store\":\"{store}\",\"instances\":{instances},\"n\":{throughput_n},\"concurrency\":{concurrency},\"seconds\":{secs:.3},\"per_second\":{:.0},\"delivered_to_websocket\":{}}}",
        throughput_n as f64 / secs,
        got.len()
    );
}
