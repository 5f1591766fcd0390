//! `tonle simulate pay`: plays a wallet against a payload. Decodes it, checks CRC and expiry,
//! converts to the payer's currency at a stated rate, and posts a signed notification.

use std::path::PathBuf;

use anyhow::Context;

use crate::api;
use crate::domain::test_wallet::{self, Refusal, Wallet};
use crate::signing::{self, WebhookSecret};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct PayArgs {
    /// the QR payload
    pub payload: String,
    /// server base URL
    pub server: String,
    /// the server's data dir (holds the sandbox secret)
    pub data_dir: PathBuf,
    /// explicit secret (overrides the data dir)
    pub secret: Option<String>,
    /// network name in the URL
    pub network: String,
    /// who pays, and how
    pub wallet: Wallet,
    /// pay through a stand-in Bakong Open API at this URL (tonle finds it by polling) instead of
    /// posting a notification
    pub bakong: Option<String>,
    /// now, epoch ms
    pub now_ms: i64,
}

/// Builds the notification for a payload.
pub fn notification(args: &PayArgs) -> anyhow::Result<api::PaymentNotification> {
    test_wallet::notification(&args.payload, &args.wallet, args.now_ms).map_err(|e| match e {
        Refusal::Expired(_) => anyhow::anyhow!("payload: {e} (use --allow-expired to pay anyway)"),
        Refusal::NoAmount => anyhow::anyhow!("payload: static QR without an amount; pass --amount"),
        Refusal::Rate(_) => anyhow::anyhow!("--rate: {e}"),
        other => anyhow::anyhow!("{}: {other}", other.field()),
    })
}

/// Records the payment on a stand-in Bakong Open API (`tonle simulate bakong`), where tonle's
/// poller finds it; returns the HTTP status and body.
async fn pay_on_bakong(
    standin: &str,
    n: &api::PaymentNotification,
    now_ms: i64,
) -> anyhow::Result<(u16, String)> {
    let amount: serde_json::Value =
        serde_json::from_str(&n.amount).context("amount is not a number")?;
    let body = serde_json::json!({
        "md5": n.md5, "amount": amount, "currency": n.currency.code(),
        "to_account_id": n.merchant_account, "from_account_id": "payer@abaa",
        "created_date_ms": now_ms,
    });
    let url = format!("{}/standin/paid", standin.trim_end_matches('/'));
    let res = reqwest::Client::new()
        .post(&url)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?;
    Ok((res.status().as_u16(), res.text().await.unwrap_or_default()))
}

/// Posts the signed notification (or, with `bakong`, pays on the stand-in Bakong); returns the
/// HTTP status and body.
pub async fn pay(args: &PayArgs) -> anyhow::Result<(u16, String)> {
    let n = notification(args)?;
    if let Some(standin) = &args.bakong {
        return pay_on_bakong(standin, &n, args.now_ms).await;
    }
    let secret = match &args.secret {
        Some(s) => WebhookSecret::parse(s).context("--secret is not a whsec_ secret")?,
        None => signing::read_sandbox_secret(&args.data_dir)?,
    };
    let body = serde_json::to_vec(&n)?;
    let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    let ts = args.now_ms / 1000;
    let url = format!(
        "{}/api/v1/notifications/{}",
        args.server.trim_end_matches('/'),
        args.network
    );
    let res = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", secret.sign(&id, ts, &body))
        .body(body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    Ok((status, text))
}

/// Pays as [`pay`] does, prints the server's answer, and says whether it was taken (exit code).
pub async fn pay_and_say(args: &PayArgs) -> anyhow::Result<std::process::ExitCode> {
    let (status, body) = pay(args).await?;
    println!("{body}");
    if (200..300).contains(&status) {
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        eprintln!("server answered HTTP {status}");
        Ok(std::process::ExitCode::FAILURE)
    }
}

/// `tonle simulate bakong`: a stand-in Bakong Open API on `addr` accepting `tokens` (every token
/// when none), until `stop`.
pub async fn bakong_standin(
    addr: std::net::SocketAddr,
    tokens: &[String],
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let standin = crate::bakong::standin::StandIn::default();
    if tokens.is_empty() {
        standin.accept_any_token();
    }
    for t in tokens {
        standin.allow_token(t);
    }
    serve_standin("bakong", standin.router(), addr, stop).await
}

/// `tonle simulate telegram`: a stand-in Telegram Bot API on `addr` for the bot of the first of
/// `tokens` (`123456:sandbox` when none), named `tonle_sandbox_bot`, until `stop`.
pub async fn telegram_standin(
    addr: std::net::SocketAddr,
    tokens: &[String],
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = tokens.first().map_or("123456:sandbox", String::as_str);
    let standin = crate::telegram::standin::StandIn::new(token, "tonle_sandbox_bot");
    serve_standin("telegram", standin.router(), addr, stop).await
}

/// Serves a stand-in's `router` on `addr`, saying where, until `stop`.
async fn serve_standin(
    name: &str,
    router: axum::Router,
    addr: std::net::SocketAddr,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!(
        "{name} stand-in listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(())
}
