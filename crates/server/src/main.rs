//! `tonle`: the server (`serve`), the QR codec (`qr encode|decode|verify`) and a wallet simulator
//! (`simulate pay`), in one binary.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use tonle_server::cli::{admin, qr, simulate};
use tonle_server::client::{ForwardedHeader, Forwarding, TrustedProxies};
use tonle_server::clock::now_ms;
use tonle_server::config::{MailSettings, Settings};
use tonle_server::signing::WebhookSecret;
use tonle_server::startup::Application;

#[derive(Parser)]
#[command(
    name = "tonle",
    version = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("TONLE_COMMIT"), ")"),
    about = "Merchant software for KHQR and UnionPay QR payments"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (API, websocket, web app).
    Serve(Box<ServeArgs>),
    /// Encode, decode or verify QR payloads, one per stdin line.
    #[command(subcommand)]
    Qr(QrCommand),
    /// Play a payer against a running server.
    #[command(subcommand)]
    Simulate(SimulateCommand),
    /// Operate the server's database: payee account claims and unassigned payments.
    Admin(AdminArgs),
}

#[derive(Args)]
struct AdminArgs {
    /// The data dir `tonle serve` uses.
    #[arg(long, env = "TONLE_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    command: AdminCommand,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Every payee account a merchant's profile claims, verified or not, with waiting payments.
    Accounts,
    /// Verify that ACCOUNT belongs to MERCHANT (merchant id or owner email); payments that waited
    /// for it are credited to that merchant's review queue.
    VerifyAccount {
        /// Bakong account ID (name@bank) or UnionPay merchant ID
        account: String,
        /// merchant id, or the owner's email
        merchant: String,
    },
    /// Payments that settled no charge and wait for their account to be verified.
    Unassigned,
    /// Give a user who forgot their password a new one (printed once) and sign them out.
    ResetPassword {
        /// the user's email
        email: String,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "TONLE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Where the SQLite database, sandbox secret and sealing key live.
    #[arg(long, env = "TONLE_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Serve the web app from this folder (trunk's dist/, for development) instead of the copy
    /// built into this binary.
    #[arg(long, env = "TONLE_STATIC_DIR")]
    static_dir: Option<PathBuf>,
    /// Reverse proxies whose X-Forwarded-For (or Forwarded) header names the client:
    /// `CIDR[,CIDR…]`, e.g. `127.0.0.1,10.0.0.0/8`. Empty (the default): forwarding headers are
    /// ignored and the TCP peer is the client.
    #[arg(long, env = "TONLE_TRUSTED_PROXIES", default_value = "", value_parser = parse_trusted)]
    trusted_proxies: TrustedProxies,
    /// Which header the trusted proxies write the client into (only that one is read).
    #[arg(long, env = "TONLE_CLIENT_IP_HEADER", value_enum, default_value_t = ForwardedHeader::XForwardedFor)]
    client_ip_header: ForwardedHeader,
    /// Where Prometheus scrapes `/metrics` (keep it off the public address), or `off`.
    #[arg(long, env = "TONLE_METRICS_ADDR", default_value = "127.0.0.1:9091", value_parser = parse_metrics_addr)]
    metrics_addr: MetricsAddr,
    /// Accept simulated payments on /api/v1/notifications/sandbox.
    #[arg(long, env = "TONLE_SANDBOX")]
    sandbox: bool,
    /// Secret (whsec_…) for Bakong notifications.
    #[arg(long, env = "TONLE_BAKONG_SECRET", hide_env_values = true)]
    bakong_secret: Option<String>,
    /// Secret (whsec_…) for UnionPay notifications.
    #[arg(long, env = "TONLE_UNIONPAY_SECRET", hide_env_values = true)]
    unionpay_secret: Option<String>,
    /// Mark cookies Secure (set when served behind TLS).
    #[arg(long, env = "TONLE_SECURE_COOKIES")]
    secure_cookies: bool,
    #[command(flatten)]
    limits: tonle_server::cli::limits::LimitArgs,
    #[command(flatten)]
    telegram: tonle_server::cli::bot::TelegramArgs,
    #[command(flatten)]
    fx: tonle_server::cli::fx::FxArgs,
    /// The Bakong Open API that tonle asks whether dynamic KHQRs were paid.
    #[arg(long, env = "TONLE_BAKONG_API_URL", default_value = tonle_server::config::BAKONG_API_URL)]
    bakong_api_url: String,
    /// Base64 of a 32-byte key that seals merchants' Bakong tokens (default: `secret.key` made
    /// in the data dir on first start).
    #[arg(long, env = "TONLE_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// SMTP server for password-reset emails: `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host:465`, or `smtp://host:25`. Without it, whoever runs the server
    /// resets passwords with `tonle admin reset-password`.
    #[arg(long, env = "TONLE_SMTP_URL", hide_env_values = true, requires_all = ["mail_from", "public_url"])]
    smtp_url: Option<String>,
    /// Sender of tonle's emails, e.g. `tonle <no-reply@shop.example>`.
    #[arg(long, env = "TONLE_MAIL_FROM")]
    mail_from: Option<String>,
    /// The address merchants open tonle at (e.g. `https://pay.shop.example`); emailed links use it.
    #[arg(long, env = "TONLE_PUBLIC_URL")]
    public_url: Option<String>,
    /// Let merchants send webhooks to plain http and to loopback, private and link-local
    /// addresses (a LAN install, tests). Off: public https only.
    #[arg(long, env = "TONLE_WEBHOOK_ALLOW_PRIVATE")]
    webhook_allow_private: bool,
    /// Origins besides tonle's own that may show it in a frame (a POS web shell, a kiosk
    /// manager), comma-separated: `https://pos.example,https://kiosk.example:8443`.
    #[arg(long, env = "TONLE_FRAME_ANCESTORS", value_delimiter = ',', value_parser = frame_ancestor)]
    frame_ancestors: Vec<String>,
}

fn frame_ancestor(v: &str) -> Result<String, String> {
    let v = v.trim().trim_end_matches('/');
    if tonle_server::web::csp::valid_ancestor(v) {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "{v:?}: an origin such as https://pos.example[:port]"
        ))
    }
}

/// Which database: SQLite in the data dir, or PostgreSQL.
#[derive(Args)]
struct DatabaseArgs {
    /// PostgreSQL (`postgres://user:pass@host:5432/db`, `?options=-c%20search_path%3Dschema`
    /// for a schema of its own): several instances behind a load balancer share it. Without it,
    /// SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    database_url: Option<String>,
    /// Connections each instance keeps to PostgreSQL at most.
    #[arg(
        long,
        env = "TONLE_DATABASE_MAX_CONNECTIONS",
        default_value_t = 32,
        global = true
    )]
    database_max_connections: u32,
}

#[derive(Subcommand)]
enum QrCommand {
    /// JSON object per line in; {"payload","md5"} or {"error"} per line out.
    Encode,
    /// Payload per line in; {"scheme","crc_valid","fields","tlv"} or {"error"} out.
    Decode,
    /// Payload per line in; {"valid","error"} out.
    Verify,
}

#[derive(Subcommand)]
enum SimulateCommand {
    /// Pay a QR payload as a wallet would.
    Pay(Box<PayArgs>),
    /// Run a stand-in Bakong Open API (point `tonle serve --bakong-api-url` at it).
    Bakong(StandInArgs),
    /// Run a stand-in Telegram Bot API (the tokens are the bot's; `/standin/` controls it).
    Telegram(StandInArgs),
}

#[derive(Args)]
struct StandInArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:9100")]
    addr: SocketAddr,
    /// Tokens it accepts (repeat); without any, it accepts every token.
    #[arg(long)]
    token: Vec<String>,
}

#[derive(Args)]
struct PayArgs {
    /// The QR payload string.
    #[arg(long)]
    payload: String,
    /// The server's base URL.
    #[arg(long, env = "TONLE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// The server's data dir (holds the sandbox secret).
    #[arg(long, env = "TONLE_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The notification secret, instead of reading it from the data dir.
    #[arg(long, env = "TONLE_SANDBOX_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Network to post as.
    #[arg(long, default_value = "sandbox")]
    network: String,
    /// Wallet name shown to the merchant.
    #[arg(long, default_value = "UnionPay App")]
    wallet: String,
    /// Issuing institution.
    #[arg(long, default_value = "Bank of China")]
    institution: String,
    /// Payer's country (ISO alpha-2).
    #[arg(long, default_value = "CN")]
    payer_country: String,
    /// Payer's currency.
    #[arg(long, default_value = "CNY")]
    payer_currency: String,
    /// Units of the QR's currency per unit of the payer's (e.g. 565 KHR per CNY).
    #[arg(long)]
    rate: Option<String>,
    /// Network transaction id (random when absent); reuse one to test deduplication.
    #[arg(long)]
    transaction_id: Option<String>,
    /// Amount to pay a static QR.
    #[arg(long)]
    amount: Option<String>,
    /// Pay even when the QR has expired.
    #[arg(long)]
    allow_expired: bool,
    /// Pay through the stand-in Bakong Open API at this URL (`tonle simulate bakong`): tonle's
    /// poller finds the payment, as it finds real ones.
    #[arg(long)]
    bakong: Option<String>,
}

fn parse_trusted(s: &str) -> Result<TrustedProxies, String> {
    s.parse()
}

/// `--metrics-addr`: an address, or `off`.
#[derive(Clone)]
struct MetricsAddr(Option<SocketAddr>);

fn parse_metrics_addr(s: &str) -> Result<MetricsAddr, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(MetricsAddr(None));
    }
    s.parse()
        .map(|a| MetricsAddr(Some(a)))
        .map_err(|_| format!("{s:?} is not an address like 127.0.0.1:9091, or off"))
}

fn secret(name: &str, v: Option<String>) -> anyhow::Result<Option<WebhookSecret>> {
    v.map(|s| {
        WebhookSecret::parse(&s)
            .ok_or_else(|| anyhow::anyhow!("{name} must be whsec_<base64 of at least 16 bytes>"))
    })
    .transpose()
}

async fn serve(a: ServeArgs) -> anyhow::Result<()> {
    tonle_server::telemetry::init("info,sqlx=warn,tower_http=warn");
    let settings = Settings {
        addr: a.addr,
        data_dir: a.data_dir,
        database_url: a.database.database_url,
        database_max_connections: a.database.database_max_connections,
        static_dir: a.static_dir,
        forwarding: Forwarding {
            trusted: a.trusted_proxies,
            header: a.client_ip_header,
        },
        metrics_addr: a.metrics_addr.0,
        sandbox: a.sandbox,
        bakong_secret: secret("--bakong-secret", a.bakong_secret)?,
        unionpay_secret: secret("--unionpay-secret", a.unionpay_secret)?,
        secure_cookies: a.secure_cookies,
        limits: a.limits.limits()?,
        bakong_api_url: a.bakong_api_url,
        secret_key: a.secret_key,
        mail: match (a.smtp_url, a.mail_from, a.public_url) {
            (Some(smtp_url), Some(from), Some(public_url)) => Some(MailSettings {
                smtp_url,
                from,
                public_url,
            }),
            _ => None,
        },
        webhook_allow_private: a.webhook_allow_private,
        clock: tonle_server::clock::Clock::default(),
        frame_ancestors: a.frame_ancestors,
        telegram: a.telegram.settings(),
        fx: a.fx.settings(),
    };
    tracing::info!(?settings, "starting");
    tonle_server::serve::raise_open_files(settings.limits.max_connections);
    let web = settings.web_source();
    if !web.has_app() {
        tracing::warn!(source = ?web, "no web app; serving the API only (build it with scripts/build-web.sh, then rebuild tonle or pass --static-dir dist)");
    }
    let sandbox = settings.sandbox;
    let app = Application::build(settings).await?;
    let addr = app.addr()?;
    // Said before the "listening" line: whoever reads stdout up to it may close the pipe after.
    if sandbox {
        println!(
            "sandbox mode: no real money; pay a QR with \"Pay as a test wallet\" beside it, or `tonle simulate pay`"
        );
    }
    println!("tonle listening on http://{addr}");
    app.run(shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn simulate_pay(a: PayArgs) -> anyhow::Result<ExitCode> {
    let payer_currency = khqr::Currency::from_code(&a.payer_currency)
        .ok_or_else(|| anyhow::anyhow!("--payer-currency must be KHR, USD or CNY"))?;
    let args = simulate::PayArgs {
        payload: a.payload,
        server: a.server,
        data_dir: a.data_dir,
        secret: a.secret,
        network: a.network,
        wallet: tonle_server::domain::test_wallet::Wallet {
            wallet: a.wallet,
            institution: Some(a.institution),
            payer_country: a.payer_country,
            payer_currency,
            rate: a.rate,
            transaction_id: a.transaction_id,
            amount: a.amount,
            allow_expired: a.allow_expired,
        },
        bakong: a.bakong,
        now_ms: now_ms(),
    };
    simulate::pay_and_say(&args).await
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(a) => serve(*a).await.map(|_| ExitCode::SUCCESS),
        Command::Qr(QrCommand::Encode) => {
            qr::run(qr::encode_line, now_ms() as u64).map(|_| ExitCode::SUCCESS)
        }
        Command::Qr(QrCommand::Decode) => {
            qr::run(|l, _| qr::decode_line(l), 0).map(|_| ExitCode::SUCCESS)
        }
        Command::Qr(QrCommand::Verify) => {
            qr::run(qr::verify_line, now_ms() as u64).map(|_| ExitCode::SUCCESS)
        }
        Command::Simulate(SimulateCommand::Pay(a)) => simulate_pay(*a).await,
        Command::Simulate(SimulateCommand::Bakong(a)) => {
            simulate::bakong_standin(a.addr, &a.token, shutdown())
                .await
                .map(|_| ExitCode::SUCCESS)
        }
        Command::Simulate(SimulateCommand::Telegram(a)) => {
            simulate::telegram_standin(a.addr, &a.token, shutdown())
                .await
                .map(|_| ExitCode::SUCCESS)
        }
        Command::Admin(a) => {
            let out = match &a.command {
                AdminCommand::Accounts => {
                    admin::accounts(&a.data_dir, &a.database.database_url).await
                }
                AdminCommand::VerifyAccount { account, merchant } => {
                    admin::verify_account(&a.data_dir, &a.database.database_url, account, merchant)
                        .await
                }
                AdminCommand::Unassigned => {
                    admin::unassigned(&a.data_dir, &a.database.database_url).await
                }
                AdminCommand::ResetPassword { email } => {
                    admin::reset_password(&a.data_dir, &a.database.database_url, email).await
                }
            };
            out.map(|text| {
                print!("{text}");
                ExitCode::SUCCESS
            })
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tonle: {e:#}");
            ExitCode::FAILURE
        }
    }
}
