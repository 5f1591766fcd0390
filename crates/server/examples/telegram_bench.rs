//! Telegram alerts benchmark, against the stand-in Bot API (in-process, loopback, temp SQLite):
//!
//! 1. latency: CHATS shops, each with its group linked; payments go round the shops, one every
//!    INTERVAL ms, so no group is held back by its pace. Reports payment committed (the
//!    notification answered 200) → the stand-in took the `sendMessage`: p50/p95/max.
//! 2. one busy group: BURST payments to one shop, one every BURST_INTERVAL ms (default 120: 500 a
//!    minute, 25 times what single messages can carry), then as fast as they can be posted. Reports the
//!    messages it took, whether every payment was told exactly once, the least gap between two
//!    messages and the most in any minute (Telegram: about 1 a second, 20 a minute in a group),
//!    and the longest any payment waited.
//!
//! `cargo run --profile release-server -p tonle-server --example telegram_bench [-- CHATS PAYMENTS INTERVAL_MS BURST BURST_INTERVAL_MS]`
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: a bench binary: a failed step aborts the run

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::json;
use tonle_server::api;
use tonle_server::config::{Settings, TelegramSettings};
use tonle_server::signing::WebhookSecret;
use tonle_server::startup::Application;
use tonle_server::telegram::standin::StandIn;

#[path = "support/mod.rs"]
mod support;

use support::pct;

const TOKEN: &str = "42:bench";

struct Bench {
    http: reqwest::Client,
    base: String,
    secret: WebhookSecret,
    bot: StandIn,
    origin: Instant,
}

impl Bench {
    async fn shop(&self, n: usize) -> String {
        let cookie = support::register(&self.http, &self.base, &format!("tg{n}@bench.kh")).await;
        let link: api::ChatLink = self
            .http
            .post(format!("{}/api/v1/telegram/links", self.base))
            .header("cookie", &cookie)
            .json(&json!({"language": "en", "events": ["paid"]}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let chat = -(1000 + n as i64);
        self.bot
            .post(chat, "Bench group", None, &format!("/start {}", link.code));
        while !self.bot.sent().iter().any(|s| s.chat_id == chat) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        cookie
    }

    /// Pays a new charge of the shop; its bill number and when the payment was committed.
    async fn pay(&self, cookie: &str, n: usize) -> (String, Duration) {
        let c = support::create_charge(&self.http, &self.base, cookie, 1000).await;
        let body = support::payment_body(&c, &format!("tx-{n}-{}", c.id));
        let id = format!("msg-{n}-{}", c.id);
        let answered = support::notify(&self.http, &self.base, &self.secret, &id, &body).await;
        assert_eq!(answered, Some(reqwest::StatusCode::OK));
        (c.bill_number, self.origin.elapsed())
    }

    /// When each bill was first told, and how many times, in chat `chat`.
    fn told(&self, chat: Option<i64>) -> HashMap<String, (Duration, usize)> {
        let mut out: HashMap<String, (Duration, usize)> = HashMap::new();
        for s in self.bot.sent() {
            if chat.is_some_and(|c| c != s.chat_id) {
                continue;
            }
            for part in s.text.split("<code>").skip(1) {
                let bill = part.split("</code>").next().unwrap_or_default();
                if bill.contains('-') && !bill.starts_with("tx-") {
                    let e = out.entry(bill.to_owned()).or_insert((s.at, 0));
                    e.1 += 1;
                }
            }
        }
        out
    }
}

#[tokio::main]
async fn main() {
    let args = support::numeric_args();
    let arg = |i: usize, d: usize| args.get(i).copied().unwrap_or(d);
    let (chats, payments, interval) = (arg(0, 50), arg(1, 500), arg(2, 100));
    let (burst, burst_interval) = (arg(3, 1000), arg(4, 120));
    let bot = StandIn::new(TOKEN, "tonle_bench_bot");
    let origin = Instant::now();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = bot.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::for_tests(dir.path().to_path_buf());
    settings.telegram = Some(TelegramSettings {
        api_url: url,
        token: TOKEN.into(),
    });
    let app = Application::build(settings).await.unwrap();
    let base = format!("http://{}", app.addr().unwrap());
    let (_stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run(async move {
        let _ = stop_rx.await;
    }));
    let secret = tonle_server::signing::read_sandbox_secret(dir.path()).unwrap();
    let b = Bench {
        http: reqwest::Client::new(),
        base,
        secret,
        bot,
        origin,
    };

    eprintln!("linking {chats} groups");
    let mut shops = Vec::new();
    for n in 0..chats {
        shops.push(b.shop(n).await);
    }
    eprintln!("{payments} payments round the shops, one every {interval} ms");
    let mut committed = HashMap::new();
    for n in 0..payments {
        let started = Instant::now();
        let (bill, at) = b.pay(&shops[n % chats], n).await;
        committed.insert(bill, at);
        tokio::time::sleep(
            Duration::from_millis(interval as u64).saturating_sub(started.elapsed()),
        )
        .await;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while b.told(None).len() < committed.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let told = b.told(None);
    let mut lat: Vec<Duration> = committed
        .iter()
        .filter_map(|(bill, at)| told.get(bill).map(|(sent, _)| sent.saturating_sub(*at)))
        .collect();
    lat.sort();
    println!(
        "latency: {} of {} told ({} twice or more); committed → sendMessage p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        lat.len(),
        committed.len(),
        told.values().filter(|(_, n)| *n > 1).count(),
        pct(&lat, 0.5).as_secs_f64() * 1e3,
        pct(&lat, 0.95).as_secs_f64() * 1e3,
        lat.last().unwrap().as_secs_f64() * 1e3
    );

    eprintln!("{burst} payments to one group");
    let busy = b.shop(chats).await;
    let chat = -(1000 + chats as i64);
    let mut committed = HashMap::new();
    let started = Instant::now();
    for n in 0..burst {
        let step = Instant::now();
        let (bill, at) = b.pay(&busy, payments + n).await;
        committed.insert(bill, at);
        tokio::time::sleep(
            Duration::from_millis(burst_interval as u64).saturating_sub(step.elapsed()),
        )
        .await;
    }
    let posting = started.elapsed();
    let deadline = Instant::now() + Duration::from_secs(600);
    while b.told(Some(chat)).len() < committed.len() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let told = b.told(Some(chat));
    let mut times: Vec<Duration> = b
        .bot
        .sent()
        .iter()
        .filter(|s| s.chat_id == chat)
        .map(|s| s.at)
        .collect();
    times.sort();
    let least_gap = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .min()
        .unwrap_or_default();
    let most_in_minute = (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t - times[i] < Duration::from_secs(60))
                .count()
        })
        .max()
        .unwrap_or(0);
    let longest = committed
        .iter()
        .filter_map(|(bill, at)| told.get(bill).map(|(sent, _)| sent.saturating_sub(*at)))
        .max()
        .unwrap_or_default();
    println!(
        "one group: {} payments posted in {:.1} s went out as {} messages; {} told, {} lost, {} told twice; \
         least gap {:.2} s, most in a minute {}, longest wait {:.1} s",
        committed.len(),
        posting.as_secs_f64(),
        times.len(),
        told.len(),
        committed.keys().filter(|b| !told.contains_key(*b)).count(),
        told.values().filter(|(_, n)| *n > 1).count(),
        least_gap.as_secs_f64(),
        most_in_minute,
        longest.as_secs_f64()
    );
}
