//! A flapping network between the screens and the server: a kiosk and a charge screen reach the
//! server through a proxy that cuts silently (no FIN, no RST), resets connections and delays
//! every chunk, at random, while charges are made and paid (some notifications twice, as networks
//! retry). Each silent cut must show on both badges within 2 s; at the end every payment is shown
//! once on each screen. `TONLE_FLAP_SECONDS` sets how long it flaps (40 s in the test command;
//! `scripts/prove.sh` runs 600). Prints its figures as one JSON line.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::Rng;

use crate::support::browser::Browser;
use crate::support::proxy::{Fault, Proxy};
use crate::support::server::Server;

/// The goal: a silent cut shows on the badge within this.
const BADGE_GOAL: Duration = Duration::from_secs(2);

/// The merchant's API, straight to the server (the networks' side of the proxy).
struct Api {
    http: reqwest::Client,
    base: String,
    cookie: String,
    terminal: String,
}

impl Api {
    async fn sign_in(base: &str, email: &str) -> Result<Self, String> {
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({"email": email, "password": "a long enough password"}))
            .send()
            .await
            .map_err(|e| format!("sign in: {e}"))?;
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|c| c.to_str().ok())
            .and_then(|c| c.split(';').next())
            .ok_or("sign in: no cookie")?
            .to_owned();
        let terminals: serde_json::Value = http
            .get(format!("{base}/api/v1/terminals"))
            .header("cookie", &cookie)
            .send()
            .await
            .map_err(|e| format!("terminals: {e}"))?
            .json()
            .await
            .map_err(|e| format!("terminals: {e}"))?;
        let terminal = terminals[0]["id"].as_str().ok_or("no counter")?.to_owned();
        Ok(Self {
            http,
            base: base.to_owned(),
            cookie,
            terminal,
        })
    }

    /// A charge at the paired counter; its QR payload.
    async fn charge(&self, amount: u32) -> Result<String, String> {
        let res: serde_json::Value = self
            .http
            .post(format!("{}/api/v1/charges", self.base))
            .header("cookie", &self.cookie)
            .json(&serde_json::json!({"amount": amount.to_string(), "currency": "KHR", "terminal_id": self.terminal}))
            .send()
            .await
            .map_err(|e| format!("charge: {e}"))?
            .json()
            .await
            .map_err(|e| format!("charge: {e}"))?;
        res["payload"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("charge: {res}"))
    }
}

async fn badge(b: &Browser) -> String {
    b.attr("live-badge", "data-state").await.unwrap_or_default()
}

/// How long until the badge says `want` (polling included), at most `limit`.
async fn until_badge(b: &Browser, want: &str, since: Instant, limit: Duration) -> Option<Duration> {
    while since.elapsed() < limit {
        if badge(b).await == want {
            return Some(since.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}

fn ms(d: &[Duration], q: f64) -> u128 {
    let mut v = d.to_vec();
    v.sort();
    v.get(((v.len().max(1) - 1) as f64 * q).round() as usize)
        .map_or(0, Duration::as_millis)
}

async fn flap(owner: &Browser, kiosk: &Browser, server: &mut Server) -> Result<(), String> {
    let proxy = Proxy::start(server.direct.trim_start_matches("http://")).await;
    server.url = proxy.url.clone();
    crate::screens::sign_up(owner, server, "owner@flap-market.kh").await?;
    let code = crate::kiosk::open_code(owner).await?;
    crate::kiosk::pair(kiosk, server, &code).await?;
    owner.goto(&format!("{}/charge", server.url)).await?;
    owner.find("charge-form").await?;
    for b in [owner, kiosk] {
        b.wait_attr("live-badge", "data-state", "live").await?;
    }
    let api = Api::sign_in(&server.direct, "owner@flap-market.kh").await?;

    let seconds: u64 = std::env::var("TONLE_FLAP_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    let end = Instant::now() + Duration::from_secs(seconds);
    // The payer: charges at the counter, paid a moment later; every fourth notification twice.
    let paid = Arc::new(AtomicUsize::new(0));
    let payer = {
        let paid = paid.clone();
        let server_dir = server.data_dir.path().to_owned();
        let direct = server.direct.clone();
        tokio::spawn(async move {
            let mut n = 0u32;
            while Instant::now() < end {
                n += 1;
                let payload = api.charge(1000 + n).await?;
                let wait = rand::thread_rng().gen_range(200..900);
                tokio::time::sleep(Duration::from_millis(wait)).await;
                let tx = format!("flap-{n}");
                let times = if n.is_multiple_of(4) { 2 } else { 1 };
                for _ in 0..times {
                    let out = std::process::Command::new(crate::support::server::tonle_bin())
                        .args([
                            "simulate",
                            "pay",
                            "--payload",
                            &payload,
                            "--server",
                            &direct,
                        ])
                        .args(["--transaction-id", &tx, "--data-dir"])
                        .arg(&server_dir)
                        .output()
                        .map_err(|e| format!("simulate pay: {e}"))?;
                    if !out.status.success() {
                        return Err(format!(
                            "simulate pay: {}",
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
                paid.fetch_add(1, Ordering::SeqCst);
                let pause = rand::thread_rng().gen_range(1500..3500);
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            Ok::<(), String>(())
        })
    };

    let (mut cuts, mut resets, mut delays) = (0usize, 0usize, 0usize);
    let (mut detect, mut recover) = (Vec::new(), Vec::new());
    while Instant::now() < end {
        let calm = rand::thread_rng().gen_range(2000..5000);
        tokio::time::sleep(Duration::from_millis(calm)).await;
        let pick = rand::thread_rng().gen_range(0..4);
        match pick {
            0 | 1 => {
                cuts += 1;
                let hold = Duration::from_millis(rand::thread_rng().gen_range(2500..4000));
                let t0 = Instant::now();
                proxy.set(Fault::Silent);
                let (a, b) = tokio::join!(
                    until_badge(owner, "reconnecting", t0, Duration::from_secs(6)),
                    until_badge(kiosk, "reconnecting", t0, Duration::from_secs(6)),
                );
                for (screen, d) in [("charge screen", a), ("kiosk", b)] {
                    let d = d.ok_or_else(|| {
                        format!("{screen}: a silent cut never showed on the badge")
                    })?;
                    detect.push(d);
                }
                tokio::time::sleep(hold.saturating_sub(t0.elapsed())).await;
                let t1 = Instant::now();
                proxy.set(Fault::Pass);
                let (a, b) = tokio::join!(
                    until_badge(owner, "live", t1, Duration::from_secs(30)),
                    until_badge(kiosk, "live", t1, Duration::from_secs(30)),
                );
                recover.push(a.ok_or("the charge screen did not come back")?);
                recover.push(b.ok_or("the kiosk did not come back")?);
            }
            2 => {
                resets += 1;
                proxy.drop_all();
            }
            _ => {
                delays += 1;
                proxy.set(Fault::Delay(Duration::from_millis(300)));
                tokio::time::sleep(Duration::from_secs(3)).await;
                proxy.set(Fault::Pass);
            }
        }
    }
    proxy.set(Fault::Pass);
    payer.await.map_err(|e| format!("payer: {e}"))??;
    let payments = paid.load(Ordering::SeqCst);
    for b in [owner, kiosk] {
        b.wait_attr("live-badge", "data-state", "live").await?;
    }
    // Every payment shown once: the kiosk's thank-you count, and the charge screen's list.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut kiosk_shown = String::new();
    while Instant::now() < deadline {
        kiosk_shown = kiosk.attr("kiosk-display", "data-paid-count").await?;
        if kiosk_shown == payments.to_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ids = owner
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=payment-row]')].map(e => e.dataset.paymentId);",
            vec![],
        )
        .await
        .map_err(|e| format!("payment rows: {e}"))?;
    let ids: Vec<String> = serde_json::from_value(ids).map_err(|e| e.to_string())?;
    let unique: HashSet<&String> = ids.iter().collect();
    println!(
        "{{\"bench\":\"network_faults\",\"seconds\":{seconds},\"silent_cuts\":{cuts},\"resets\":{resets},\"delays\":{delays},\"payments\":{payments},\"kiosk_shown\":{kiosk_shown},\"charge_screen_rows\":{},\"charge_screen_doubled\":{},\"badge_detect_p50_ms\":{},\"badge_detect_max_ms\":{},\"reconnect_p50_ms\":{},\"reconnect_max_ms\":{}}}",
        ids.len(),
        ids.len() - unique.len(),
        ms(&detect, 0.5),
        ms(&detect, 1.0),
        ms(&recover, 0.5),
        ms(&recover, 1.0),
    );
    if kiosk_shown != payments.to_string() {
        return Err(format!(
            "the kiosk showed {kiosk_shown} of {payments} payments"
        ));
    }
    if unique.len() != ids.len() {
        return Err(format!("the charge screen lists a payment twice: {ids:?}"));
    }
    // The list keeps the latest 50.
    if ids.len() != payments.min(50) {
        return Err(format!(
            "the charge screen lists {} of {payments} payments",
            ids.len()
        ));
    }
    if let Some(slow) = detect.iter().find(|d| **d > BADGE_GOAL) {
        return Err(format!(
            "a silent cut took {} ms to show on a badge (goal 2,000 ms)",
            slow.as_millis()
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_network_loses_and_doubles_no_payment() {
    let mut server = Server::start();
    let owner = Browser::start().await;
    let kiosk = Browser::start().await;
    let result = flap(&owner, &kiosk, &mut server).await;
    if result.is_err() {
        owner.screenshot("FAILED-network-owner").await;
        kiosk.screenshot("FAILED-network-kiosk").await;
    }
    owner.close().await;
    kiosk.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}
