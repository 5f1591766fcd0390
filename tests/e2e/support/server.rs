//! Runs the real `tonle` binary on port 0 with a temp data dir and the built web app.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running `tonle serve`; killed on drop.
pub struct Server {
    child: Child,
    /// base URL the browsers use, e.g. http://127.0.0.1:43123 (a test may put a proxy here)
    pub url: String,
    /// the server's own address, for the payment networks and restarts
    pub direct: String,
    /// its data dir
    pub data_dir: tempfile::TempDir,
    extra: Vec<String>,
    sandbox: bool,
}

/// The `tonle` binary: `TONLE_BIN`, else next to this test executable's target dir.
pub fn tonle_bin() -> PathBuf {
    if let Ok(p) = std::env::var("TONLE_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("test exe path");
    // target/<profile>/deps/e2e-<hash>  ->  target/<profile>/tonle
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .join("tonle");
    assert!(
        bin.is_file(),
        "{} not found: run `cargo build -p tonle-server` first or set TONLE_BIN",
        bin.display()
    );
    bin
}

/// The built web app: `TONLE_DIST`, else `dist/` at the repo root.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var("TONLE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "{} has no index.html: run `scripts/build-web.sh` first",
        dir.display()
    );
    dir
}

impl Server {
    /// Starts the server on a free port and waits for its "listening" line.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts the server with more `tonle serve` arguments.
    pub fn start_with(extra: &[&str]) -> Self {
        Self::start_as(extra, true)
    }

    /// Starts the server as a shop would run it: without `--sandbox`.
    pub fn start_without_sandbox() -> Self {
        Self::start_as(&[], false)
    }

    fn start_as(extra: &[&str], sandbox: bool) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let extra: Vec<String> = extra.iter().map(|a| (*a).to_owned()).collect();
        let (child, url) = spawn("127.0.0.1:0", &data_dir, &extra, sandbox);
        Self {
            child,
            direct: url.clone(),
            url,
            data_dir,
            extra,
            sandbox,
        }
    }

    /// Kills the server (as a crash would) and leaves it down.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same address and data dir.
    pub fn restart(&mut self) {
        self.kill();
        let addr = self.direct.trim_start_matches("http://").to_owned();
        let (child, url) = spawn(&addr, &self.data_dir, &self.extra, self.sandbox);
        assert_eq!(url, self.direct, "restarted on another address");
        self.child = child;
    }

    /// Runs `tonle simulate pay` against this server; returns (success, stdout).
    pub fn simulate_pay(&self, payload: &str, extra: &[&str]) -> (bool, String) {
        let out = Command::new(tonle_bin())
            .args([
                "simulate",
                "pay",
                "--payload",
                payload,
                "--server",
                &self.direct,
                "--data-dir",
            ])
            .arg(self.data_dir.path())
            .args(extra)
            .output()
            .expect("run tonle simulate pay");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    }
}

fn spawn(
    addr: &str,
    data_dir: &tempfile::TempDir,
    extra: &[String],
    sandbox: bool,
) -> (Child, String) {
    let mut cmd = Command::new(tonle_bin());
    cmd.args(["serve", "--addr", addr]);
    if sandbox {
        cmd.arg("--sandbox");
    }
    cmd.arg("--data-dir").arg(data_dir.path());
    // The built app of this checkout, unless the caller names another folder.
    if !extra.iter().any(|a| a == "--static-dir") {
        cmd.arg("--static-dir").arg(dist_dir());
    }
    // Metrics off, unless the test reads them.
    if !extra.iter().any(|a| a == "--metrics-addr") {
        cmd.args(["--metrics-addr", "off"]);
    }
    // No reference-rate fetching from the internet, unless the test names a source.
    if !extra.iter().any(|a| a == "--fx" || a == "--fx-url") {
        cmd.args(["--fx", "off"]);
    }
    let mut child = cmd
        .args(extra)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn tonle serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("tonle serve exited before listening")
            .expect("read stdout");
        if let Some(url) = line.strip_prefix("tonle listening on ") {
            break url.trim().to_owned();
        }
    };
    (child, url)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A stand-in Bakong Open API (`tonle simulate bakong`) that accepts only `token`; killed on drop.
pub struct BakongStandIn {
    child: Child,
    /// base URL
    pub url: String,
}

impl BakongStandIn {
    /// Starts it on a free port.
    pub fn start(token: &str) -> Self {
        let (child, url) = spawn_standin("bakong", &["--token", token]);
        Self { child, url }
    }
}

/// Runs `tonle simulate <kind> --addr 127.0.0.1:0 <args>` and waits for the line saying where.
fn spawn_standin(kind: &str, args: &[&str]) -> (Child, String) {
    let mut child = Command::new(tonle_bin())
        .args(["simulate", kind, "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn tonle simulate {kind}: {e}"));
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let prefix = format!("{kind} stand-in listening on ");
    let url = loop {
        let line = lines
            .next()
            .expect("the stand-in exited before listening")
            .expect("read stdout");
        if let Some(url) = line.strip_prefix(&prefix) {
            break url.trim().to_owned();
        }
    };
    (child, url)
}

impl Drop for BakongStandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A stand-in Telegram Bot API (`tonle simulate telegram`) for the bot `@tonle_sandbox_bot`
/// with token [`TelegramStandIn::TOKEN`]; killed on drop.
pub struct TelegramStandIn {
    child: Child,
    /// base URL, for `--telegram-api-url`
    pub url: String,
}

impl TelegramStandIn {
    /// The bot's token.
    pub const TOKEN: &str = "123456:sandbox";

    /// Starts it on a free port.
    pub fn start() -> Self {
        let (child, url) = spawn_standin("telegram", &["--token", Self::TOKEN]);
        Self { child, url }
    }

    /// Someone writes `text` in the group `chat_id` titled `title`.
    pub async fn post(&self, chat_id: i64, title: &str, text: &str) -> Result<(), String> {
        let body = serde_json::json!({"chat_id": chat_id, "title": title, "text": text});
        let res = reqwest::Client::new()
            .post(format!("{}/standin/post", self.url))
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("post to the Telegram stand-in: {e}"))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("the Telegram stand-in answered {}", res.status()))
        }
    }

    /// The bot is removed from `chat_id`: what it sends there is refused (403).
    pub async fn block(&self, chat_id: i64) -> Result<(), String> {
        let res = reqwest::Client::new()
            .post(format!("{}/standin/block", self.url))
            .json(&serde_json::json!({"chat_id": chat_id}))
            .send()
            .await
            .map_err(|e| format!("block in the Telegram stand-in: {e}"))?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("the Telegram stand-in answered {}", res.status()))
        }
    }

    /// The texts the bot sent to `chat_id`, in order.
    pub async fn sent_to(&self, chat_id: i64) -> Result<Vec<String>, String> {
        let all: Vec<serde_json::Value> = reqwest::get(format!("{}/standin/sent", self.url))
            .await
            .map_err(|e| format!("ask the Telegram stand-in: {e}"))?
            .json()
            .await
            .map_err(|e| format!("read the Telegram stand-in: {e}"))?;
        Ok(all
            .iter()
            .filter(|m| m["chat_id"].as_i64() == Some(chat_id))
            .map(|m| m["text"].as_str().unwrap_or_default().to_owned())
            .collect())
    }

    /// Waits until the bot has sent `chat_id` more than `after` messages; returns them all.
    pub async fn wait_sent(&self, chat_id: i64, after: usize) -> Result<Vec<String>, String> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let sent = self.sent_to(chat_id).await?;
            if sent.len() > after {
                return Ok(sent);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("the bot sent chat {chat_id} only {sent:?}"));
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for TelegramStandIn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
