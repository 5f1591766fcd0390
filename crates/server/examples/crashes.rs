//! Crash safety: kills `tonle serve` with SIGKILL at random moments while notifications flow,
//! ROUNDS times, then checks what survived.
//!
//! Each round starts the server on the same database, reconnects a websocket client with
//! `since` = the last sequence number it saw, makes PER_ROUND charges, and posts one notification
//! per charge (plus every notification an earlier round never got an answer to, as a network
//! retries), 16 in flight, and kills the server part-way: at a random 5–95% of the time the round's
//! notifications take (measured by a first round that is not killed). After the last round the server is
//! started once more and the unanswered rest is posted. Then:
//! - every acknowledged notification is stored exactly once (and so is every retried one);
//! - no charge is paid twice: one payment and one `charge_paid` event per charge;
//! - the event log has no gap: a replay from 0 numbers events 1..head;
//! - the reconnecting client saw each payment exactly once, its sequence numbers consecutive.
//!
//! SQLite by default; `TONLE_BENCH_DATABASE_URL=postgres://…` runs it on a fresh schema there.
//! `$CARGO_TARGET_DIR/release-server/examples/crashes [ROUNDS [PER_ROUND]]` (defaults 20 100).
//! Prints one JSON summary; exits with 1 when anything was lost, doubled or out of order.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

#[path = "support/mod.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use rand::Rng;
use reqwest::StatusCode;
use serde_json::Value;
use support::Instance;
use tonle_server::api;

/// A notification to deliver: its message id, body and the charge it pays.
struct Pending {
    msg_id: String,
    body: Value,
    charge: String,
}

/// What the reconnecting websocket client has seen, across every server it talked to.
#[derive(Default)]
struct Seen {
    seqs: Vec<u64>,
    paid: Vec<String>,
}

fn watch(ws: support::Ws, seen: Arc<Mutex<Seen>>) {
    let mut rx = support::events(ws);
    tokio::spawn(async move {
        while let Some(e) = rx.recv().await {
            let mut s = seen.lock().unwrap();
            s.seqs.push(e.seq);
            if let Some(id) = support::paid_charge(&e) {
                s.paid.push(id.to_owned());
            }
        }
    });
}

async fn page(http: &reqwest::Client, at: &Instance, cookie: &str, cursor: Option<&str>) -> Value {
    let mut url = at.url("/api/v1/payments?limit=200");
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={c}"));
    }
    let res = http.get(url).header("cookie", cookie).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::main]
async fn main() {
    let args = support::numeric_args();
    let rounds = args.first().copied().unwrap_or(20);
    let per_round = args.get(1).copied().unwrap_or(100);
    let db = std::env::var("TONLE_BENCH_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .map(|u| support::fresh_schema(&u, "crash"));
    let store = if db.is_some() { "postgres" } else { "sqlite" };
    let dir = tempfile::tempdir().unwrap();
    let bin = support::tonle_bin();
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let started = Instant::now();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut pending: Vec<Pending> = Vec::new();
    let mut acked: BTreeMap<String, String> = BTreeMap::new(); // transaction id → charge
    let (mut cookie, mut secret) = (None, None);
    let (mut unanswered, mut kills_in_flight) = (0usize, 0usize);
    let mut rng = rand::thread_rng();
    // Round 0 measures how long a round's posting takes; the rounds after it are killed
    // part-way until ROUNDS kills landed while notifications were in flight (a round whose
    // posting finished first is not counted); the last round posts what is left.
    let mut per_notification = Duration::ZERO;
    let (mut round, mut sigkills) = (0, 0);
    loop {
        round += 1;
        let round = round - 1;
        let mut at = Instance::start(&bin, dir.path(), db.as_deref(), &[]).await;
        let cookie = match &cookie {
            Some(c) => c,
            None => cookie.insert(support::register(&http, &at.base, "crash@shop.kh").await),
        };
        let secret = secret
            .get_or_insert_with(|| tonle_server::signing::read_sandbox_secret(dir.path()).unwrap());
        let since = seen.lock().unwrap().seqs.last().copied().unwrap_or(0);
        let (ws, _) = support::connect(&at.addr, cookie, since).await.unwrap();
        watch(ws, seen.clone());
        let last = round > 0 && kills_in_flight >= rounds;
        if !last {
            for i in 0..per_round {
                let c = support::create_charge(&http, &at.base, cookie, 100 + i as u64).await;
                let tx = format!("r{round}-{i}");
                pending.push(Pending {
                    msg_id: format!("msg_{tx}"),
                    body: support::payment_body(&c, &tx),
                    charge: c.id,
                });
            }
        }
        let batch = std::mem::take(&mut pending);
        let batch_len = batch.len();
        let kill_after = (per_notification * batch_len as u32).mul_f64(rng.gen_range(0.05..0.95));
        let t0 = Instant::now();
        let base = at.base.clone();
        let posting = futures::stream::iter(batch)
            .map(|p| {
                let (http, base, secret) = (&http, &base, &*secret);
                async move {
                    let status = support::notify(http, base, secret, &p.msg_id, &p.body).await;
                    (p, status)
                }
            })
            .buffer_unordered(16)
            .collect::<Vec<_>>();
        let results = if last {
            posting.await
        } else if round == 0 {
            let r = posting.await;
            per_notification = t0.elapsed() / batch_len as u32;
            at.kill();
            sigkills += 1;
            r
        } else {
            tokio::pin!(posting);
            let results = tokio::select! {
                r = &mut posting => r,
                () = tokio::time::sleep(kill_after) => {
                    at.kill();
                    kills_in_flight += 1;
                    posting.await
                }
            };
            at.kill();
            sigkills += 1;
            results
        };
        for (p, status) in results {
            match status {
                Some(StatusCode::OK) => {
                    let tx = p.body["transaction_id"].as_str().unwrap().to_owned();
                    acked.insert(tx, p.charge);
                }
                Some(s) if !last => panic!("{}: {s}", p.msg_id),
                Some(s) => panic!("after the last restart {} answered {s}", p.msg_id),
                None => {
                    unanswered += 1;
                    pending.push(p);
                }
            }
        }
        eprintln!(
            "{store} round {round}: killed after {:.1} ms, {} acknowledged so far, {} to retry",
            t0.elapsed().min(kill_after).as_secs_f64() * 1e3,
            acked.len(),
            pending.len()
        );
        if last {
            break;
        }
    }
    assert!(
        pending.is_empty(),
        "after the last restart every notification is answered"
    );

    // The checks, on a fresh start.
    let at = Instance::start(&bin, dir.path(), db.as_deref(), &[]).await;
    let cookie = cookie.unwrap();
    let mut stored: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_charge: BTreeMap<String, usize> = BTreeMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let p = page(&http, &at, &cookie, cursor.as_deref()).await;
        for item in p["items"].as_array().unwrap() {
            *stored
                .entry(item["transaction_id"].as_str().unwrap().into())
                .or_default() += 1;
            if let Some(c) = item["charge_id"].as_str() {
                *per_charge.entry(c.into()).or_default() += 1;
            }
        }
        match p["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.into()),
            None => break,
        }
    }
    let lost = acked.keys().filter(|tx| !stored.contains_key(*tx)).count();
    let doubled = stored.values().filter(|n| **n > 1).count()
        + per_charge.values().filter(|n| **n > 1).count();
    let unpaid = acked
        .values()
        .filter(|c| per_charge.get(*c) != Some(&1))
        .count();
    // Full replay from 0: events 1..head, no gap, each charge paid once.
    let (ws, head) = support::connect(&at.addr, &cookie, 0).await.unwrap();
    let mut rx = support::events(ws);
    let (mut replay, mut paid_events) = (Vec::new(), BTreeMap::<String, usize>::new());
    while replay.len() < head as usize {
        let e: api::Event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the replay in time")
            .expect("socket open");
        if let Some(id) = support::paid_charge(&e) {
            *paid_events.entry(id.into()).or_default() += 1;
        }
        replay.push(e.seq);
    }
    let gaps = replay
        .iter()
        .enumerate()
        .filter(|(i, s)| **s != *i as u64 + 1)
        .count();
    let paid_twice = paid_events.values().filter(|n| **n > 1).count();
    // The client that reconnected with `since` after every crash.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let s = seen.lock().unwrap();
    let client_gaps = s.seqs.windows(2).filter(|w| w[1] != w[0] + 1).count()
        + usize::from(s.seqs.first().is_some_and(|f| *f != 1));
    let client_seen: BTreeSet<&String> = s.paid.iter().collect();
    let client_doubled = s.paid.len() - client_seen.len();
    let client_missed = acked.values().filter(|c| !client_seen.contains(c)).count();
    let ok =
        lost + doubled + unpaid + gaps + paid_twice + client_gaps + client_doubled + client_missed
            == 0
            && head as usize == replay.len();
    println!(
        "{{\"bench\":\"crash_safety\",\"store\":\"{store}\",\"sigkills\":{sigkills},\"sigkill_mid_flow\":{kills_in_flight},\"notifications\":{},\"unanswered_then_retried\":{unanswered},\"events\":{head},\"lost\":{lost},\"doubled\":{doubled},\"unpaid\":{unpaid},\"paid_twice\":{paid_twice},\"sequence_gaps\":{gaps},\"client_gaps\":{client_gaps},\"client_doubled\":{client_doubled},\"client_missed\":{client_missed},\"seconds\":{:.1},\"ok\":{ok}}}",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
    drop(s);
    if !ok {
        std::process::exit(1);
    }
}
