//! What the separate-process benches (and the two-process test) share: start `tonle serve` as
//! its own process, sign up, make charges, post signed notifications, open websockets.
// reason: each bench uses the part it needs
#![allow(dead_code)]

pub mod nginx;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tonle_server::api;
use tonle_server::signing::WebhookSecret;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The numbers given on the command line, in order (what does not parse is skipped).
pub fn numeric_args() -> Vec<usize> {
    std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// The `tonle` binary: `TONLE_BIN`, else the one built beside this example.
pub fn tonle_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("TONLE_BIN") {
        return bin.into();
    }
    let me = std::env::current_exe().expect("own path");
    me.parent()
        .and_then(Path::parent)
        .expect("examples/ inside the profile directory")
        .join("tonle")
}

/// A database URL that puts this run in a fresh schema of `base`.
pub fn fresh_schema(base: &str, prefix: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    let n: u64 = rand::random();
    format!("{base}{sep}options=-c%20search_path%3D{prefix}_{n:016x}")
}

/// Raises this process's open-files limit as far as the system allows (children inherit it).
pub fn raise_open_files() -> u64 {
    rlimit::increase_nofile_limit(u64::MAX).expect("the open-files limit")
}

/// Resident memory of a process, KB.
pub fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

/// CPU time a process has used so far (user + system), seconds.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    // After the command name in parentheses: fields 14 and 15 (utime, stime) in clock ticks.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    // `rest` starts at field 3 (the state), so utime and stime are its 12th and 13th.
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The machine's busy and idle CPU time so far (all cores), seconds.
pub fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").expect("/proc/stat");
    let f: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let idle = f.get(3).copied().unwrap_or(0.0) + f.get(4).copied().unwrap_or(0.0);
    (f.iter().sum::<f64>() / 100.0 - idle / 100.0, idle / 100.0)
}

/// The `p` quantile of sorted samples.
pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One `tonle serve` process; killed when dropped.
pub struct Instance {
    child: Child,
    pub addr: String,
    pub base: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

impl Instance {
    /// Starts `tonle serve --sandbox` on a free port (`db`: a PostgreSQL URL, else SQLite in
    /// `data_dir`) with `extra` arguments, and waits until it answers.
    pub async fn start(bin: &Path, data_dir: &Path, db: Option<&str>, extra: &[&str]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--sandbox", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--metrics-addr", "off"])
            .arg("--data-dir")
            .arg(data_dir)
            .args(extra)
            .env("RUST_LOG", "warn")
            // Load and crash runs measure the server's capacity, not an account's charge rate.
            .env("TONLE_CHARGES_PER_MINUTE", "100000000")
            .env("TONLE_CHARGES_PER_KEY_MINUTE", "100000000")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(db) = db {
            cmd.env("DATABASE_URL", db);
        }
        let child = cmd.spawn().expect("the tonle binary");
        let addr = format!("127.0.0.1:{port}");
        let me = Self {
            child,
            base: format!("http://{addr}"),
            addr,
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(me.url("/healthz")).await
                && r.status().is_success()
            {
                return me;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "tonle did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, as systemd or an orchestrator stops it; then waits up to `within` for it to
    /// exit. `None`: still running then.
    pub async fn terminate(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        while started.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }

    /// SIGKILL: no shutdown, no flush.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Signs up a merchant; returns its session cookie.
pub async fn register(http: &reqwest::Client, base: &str, email: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/merchants"))
        .json(
            &json!({"email": email, "password": "0123456789abc", "business_name": "Bench Shop",
                      "merchant_city": "Phnom Penh", "bakong_account_id": "bench@aclb"}),
        )
        .send()
        .await
        .expect("sign-up");
    assert_eq!(res.status(), 201, "sign-up");
    res.headers()["set-cookie"]
        .to_str()
        .ok()
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

pub async fn create_charge(
    http: &reqwest::Client,
    base: &str,
    cookie: &str,
    amount: u64,
) -> api::ChargeView {
    let res = http
        .post(format!("{base}/api/v1/charges"))
        .header("cookie", cookie)
        .json(&json!({"amount": amount.to_string(), "currency": "KHR"}))
        .send()
        .await
        .expect("charge");
    assert_eq!(res.status(), 201, "charge");
    res.json().await.expect("a charge")
}

/// A wallet's report that `c` was paid, as transaction `tx`.
pub fn payment_body(c: &api::ChargeView, tx: &str) -> Value {
    json!({
        "transaction_id": tx, "md5": c.md5, "bill_number": c.bill_number,
        "amount": c.amount, "currency": c.currency,
        "paid_at_ms": tonle_server::clock::now_ms(),
        "payer": {"wallet": "UnionPay App", "country": "CN", "amount": "1.00", "currency": "CNY", "rate": "565"}
    })
}

/// Posts a signed sandbox notification; `None` when the server never answered.
pub async fn notify(
    http: &reqwest::Client,
    base: &str,
    secret: &WebhookSecret,
    msg_id: &str,
    body: &Value,
) -> Option<reqwest::StatusCode> {
    let bytes = serde_json::to_vec(body).ok()?;
    let ts = tonle_server::clock::now_ms() / 1000;
    http.post(format!("{base}/api/v1/notifications/sandbox"))
        .header("content-type", "application/json")
        .header("webhook-id", msg_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", secret.sign(msg_id, ts, &bytes))
        .body(bytes)
        .send()
        .await
        .ok()
        .map(|r| r.status())
}

/// Opens the event websocket after `since`; returns it with the head its hello names.
pub async fn connect(addr: &str, cookie: &str, since: u64) -> Result<(Ws, u64), String> {
    let mut req = format!("ws://{addr}/api/v1/events?since={since}")
        .into_client_request()
        .map_err(|e| e.to_string())?;
    req.headers_mut()
        .insert("cookie", cookie.parse().map_err(|_| "cookie")?);
    let (mut ws, _) = tokio_tungstenite::connect_async_with_config(req, None, true)
        .await
        .map_err(|e| e.to_string())?;
    match ws.next().await {
        Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t))) => {
            match serde_json::from_str(&t) {
                Ok(api::ServerMsg::Hello { head }) => Ok((ws, head)),
                _ => Err(format!("expected hello, got {t}")),
            }
        }
        other => Err(format!("expected hello, got {other:?}")),
    }
}

/// The events a socket carries, as they come (a reader that stops reading is dropped by the
/// server, by design, so this keeps reading).
pub fn events(mut ws: Ws) -> tokio::sync::mpsc::UnboundedReceiver<api::Event> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(Ok(msg)) = ws.next().await {
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg
                && let Ok(api::ServerMsg::Event { event }) = serde_json::from_str(&t)
                && tx.send(event).is_err()
            {
                return;
            }
        }
    });
    rx
}

/// Keeps a socket read and otherwise idle.
pub fn idle(mut ws: Ws) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move { while let Some(Ok(_)) = ws.next().await {} })
}

/// The id of the charge a `charge_paid` event names.
pub fn paid_charge(e: &api::Event) -> Option<&str> {
    match &e.data {
        api::EventData::ChargePaid { charge, .. } => Some(&charge.id),
        _ => None,
    }
}

/// Makes a charge at `base`, posts its notification (transaction `tx`) and waits until `events`
/// carries its `charge_paid`: the time from the post to the event.
pub async fn time_payment(
    http: &reqwest::Client,
    base: &str,
    secret: &WebhookSecret,
    shop: &str,
    events: &mut tokio::sync::mpsc::UnboundedReceiver<api::Event>,
    amount: u64,
    tx: &str,
) -> Duration {
    let c = create_charge(http, base, shop, amount).await;
    let body = payment_body(&c, tx);
    let t0 = Instant::now();
    let status = notify(http, base, secret, &format!("msg_{tx}"), &body).await;
    assert_eq!(status, Some(reqwest::StatusCode::OK));
    loop {
        let e = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("an event in time")
            .expect("socket open");
        if paid_charge(&e) == Some(c.id.as_str()) {
            return t0.elapsed();
        }
    }
}
