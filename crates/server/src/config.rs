//! Server configuration in one struct, from flags and `TONLE_*` environment variables.
//! Printed at start with secrets redacted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::signing::WebhookSecret;

/// Everything `tonle serve` needs.
#[derive(Clone)]
pub struct Settings {
    /// where to listen; port 0 picks a free port
    pub addr: SocketAddr,
    /// SQLite database (unless `database_url`), sandbox secret, sealing key
    pub data_dir: PathBuf,
    /// `postgres://…`: PostgreSQL instead of SQLite in the data dir (several instances share it)
    pub database_url: Option<String>,
    /// connections each instance keeps to PostgreSQL at most
    pub database_max_connections: u32,
    /// the web app from a folder (trunk's `dist/`, development); `None`: the app built into the
    /// binary. Not served when the source has no `index.html`.
    pub static_dir: Option<PathBuf>,
    /// the reverse proxies whose forwarding headers say who the client is
    pub forwarding: crate::client::Forwarding,
    /// where `/metrics` is served (its own listener); `None`: not served
    pub metrics_addr: Option<SocketAddr>,
    /// accept `sandbox` notifications (simulated wallets)
    pub sandbox: bool,
    /// secret for `bakong` notifications
    pub bakong_secret: Option<WebhookSecret>,
    /// secret for `unionpay` notifications
    pub unionpay_secret: Option<WebhookSecret>,
    /// set `Secure` on cookies (behind TLS); a trusted proxy saying the client came over https
    /// does it per request too
    pub secure_cookies: bool,
    /// what one client, or all of them, may take of the server
    pub limits: Limits,
    /// the Bakong Open API the poller asks
    pub bakong_api_url: String,
    /// base64 of the 32-byte key that seals merchants' tokens (else a key file in the data dir)
    pub secret_key: Option<String>,
    /// outgoing email for password-reset links; none: whoever runs the server resets passwords
    pub mail: Option<MailSettings>,
    /// send webhooks to plain http and to loopback, private and link-local addresses (tests, a
    /// LAN install); off, only public https
    pub webhook_allow_private: bool,
    /// the clock webhook retries are scheduled on (tests move it)
    pub clock: crate::clock::Clock,
    /// origins besides this one that may show the app in a frame (`frame-ancestors`)
    pub frame_ancestors: Vec<String>,
    /// the deployment's Telegram bot, when set up
    pub telegram: Option<TelegramSettings>,
    /// where reference rates for the yuan estimate come from; `None`: not fetched
    pub fx: Option<FxSettings>,
}

/// Where email goes out, and the address links in it point at.
#[derive(Clone)]
pub struct MailSettings {
    /// `smtp://user:pass@host:587?tls=required`, `smtps://…:465`, or `smtp://host:25` (no TLS)
    pub smtp_url: String,
    /// the sender, e.g. `tonle <no-reply@shop.example>`
    pub from: String,
    /// the address merchants open tonle at, e.g. `https://pay.shop.example`: links are built on
    /// it, never on a request's Host header
    pub public_url: String,
}

/// The SQLite database's file name inside the data dir.
pub const DATABASE_FILE: &str = "tonle.db";

/// The NBC's production Bakong Open API.
pub const BAKONG_API_URL: &str = "https://api-bakong.nbc.gov.kh";

/// What the server gives out before it refuses: connections, time, hashing. Defaults suit one
/// shop or a small PSP on one machine; see the security model in docs/ARCHITECTURE.md.
#[derive(Debug, Clone)]
pub struct Limits {
    /// open connections in all (websockets included); past it new connections are closed
    pub max_connections: usize,
    /// open connections from one address (a trusted proxy's connections are not counted here)
    pub max_connections_per_ip: usize,
    /// event websockets open from one client address, for as long as each is open
    pub max_websockets_per_ip: usize,
    /// event websockets open for one merchant, for as long as each is open
    pub max_websockets_per_merchant: usize,
    /// time to send a request's headers once a connection has started sending them
    pub header_timeout: Duration,
    /// time to send a whole request (headers and body) and be answered
    pub request_timeout: Duration,
    /// threads that hash passwords (argon2id, ~19 MiB each); requests beyond wait, then 503
    pub hashing_threads: usize,
    /// sign-ups allowed from one address per 15 minutes
    pub registrations_per_ip: usize,
    /// charges one merchant may make per minute
    pub charges_per_minute: usize,
    /// charges one API key may make per minute
    pub charges_per_key_minute: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 20_000,
            max_connections_per_ip: 512,
            max_websockets_per_ip: 256,
            max_websockets_per_merchant: 1_000,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            hashing_threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            registrations_per_ip: 10,
            charges_per_minute: crate::throttle::CHARGES_PER_MERCHANT_MINUTE,
            charges_per_key_minute: crate::throttle::CHARGES_PER_KEY_MINUTE,
        }
    }
}

impl Settings {
    /// Defaults for tests: port 0, the given data dir, sandbox on. With `TONLE_TEST_DATABASE_URL`
    /// set, PostgreSQL there, in a schema of the data dir's own (made on first open; a test that
    /// restarts on the same data dir finds its data again).
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            static_dir: Some(data_dir.join("no-dist")),
            forwarding: crate::client::Forwarding::default(),
            metrics_addr: None,
            database_url: std::env::var("TONLE_TEST_DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .map(|url| test_schema_url(&url, &data_dir)),
            database_max_connections: 8,
            data_dir,
            sandbox: true,
            bakong_secret: None,
            unionpay_secret: None,
            secure_cookies: false,
            // Test clients all come from 127.0.0.1: only the attack tests set tight limits.
            limits: Limits {
                max_connections_per_ip: 20_000,
                max_websockets_per_ip: 20_000,
                max_websockets_per_merchant: 20_000,
                registrations_per_ip: 10_000,
                // Suites make charges by the thousand; the rate's own tests set it.
                charges_per_minute: 1_000_000,
                charges_per_key_minute: 1_000_000,
                ..Limits::default()
            },
            // Nothing listens on the discard port: tests that poll point this at a stand-in.
            bakong_api_url: "http://127.0.0.1:9".into(),
            secret_key: None,
            mail: None,
            webhook_allow_private: true,
            clock: crate::clock::Clock::default(),
            frame_ancestors: Vec::new(),
            telegram: None,
            fx: None,
        }
    }

    /// Which store, for the start-up line (never the URL: it may hold a password).
    pub fn database_kind(&self) -> &'static str {
        if self.database_url.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// Where the web app comes from: the folder of `--static-dir`, else the binary.
    pub fn web_source(&self) -> crate::web::Source {
        match &self.static_dir {
            Some(dir) => crate::web::Source::Dir(dir.clone()),
            None => crate::web::Source::Embedded,
        }
    }

    /// SQLite file inside the data dir.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |s: &Option<WebhookSecret>| if s.is_some() { "<redacted>" } else { "<unset>" };
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database", &self.database_kind())
            .field("database_max_connections", &self.database_max_connections)
            .field("static_dir", &self.static_dir)
            .field("trusted_proxies", &self.forwarding.trusted.to_string())
            .field("client_ip_header", &self.forwarding.header)
            .field("metrics_addr", &self.metrics_addr)
            .field("sandbox", &self.sandbox)
            .field("bakong_secret", &set(&self.bakong_secret))
            .field("unionpay_secret", &set(&self.unionpay_secret))
            .field("secure_cookies", &self.secure_cookies)
            .field("limits", &self.limits)
            .field("bakong_api_url", &self.bakong_api_url)
            .field("webhook_allow_private", &self.webhook_allow_private)
            .field(
                "mail",
                &self
                    .mail
                    .as_ref()
                    .map(|m| (&m.from, &m.public_url, "<smtp url redacted>")),
            )
            .field(
                "secret_key",
                &if self.secret_key.is_some() {
                    "<redacted>"
                } else {
                    "<key file in the data dir>"
                },
            )
            .finish()
    }
}

/// `url` with `search_path` set to a schema named after `data_dir` (tests: one schema each).
fn test_schema_url(url: &str, data_dir: &std::path::Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut h);
    let sep = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{sep}options=-c%20search_path%3Dtest_{:016x}",
        h.finish()
    )
}

/// Where the bot is and who it is.
#[derive(Debug, Clone)]
pub struct TelegramSettings {
    /// the Bot API (`https://api.telegram.org`, or a stand-in)
    pub api_url: String,
    /// the bot's token, from BotFather
    pub token: String,
}

impl TelegramSettings {
    /// The default Bot API.
    pub const API_URL: &str = "https://api.telegram.org";
}

/// Where rates come from, and how often.
#[derive(Debug, Clone)]
pub struct FxSettings {
    /// the source
    pub url: String,
    /// `nbc` for the NBC's URL, else `configured`
    pub source: crate::api::RateSource,
    /// between good fetches
    pub every: std::time::Duration,
    /// after a failed one
    pub retry: std::time::Duration,
    /// how long one fetch may take
    pub timeout: std::time::Duration,
}

impl FxSettings {
    /// The NBC's exchange-rate table (XML; see `fx::parse`).
    pub const NBC_URL: &str = "https://www.nbc.gov.kh/api/exRate.php";

    /// A source at `url`, fetched every 6 hours (retried after 30 minutes).
    pub fn new(url: &str) -> Self {
        let url = url.trim().to_owned();
        Self {
            source: if url == Self::NBC_URL {
                crate::api::RateSource::Nbc
            } else {
                crate::api::RateSource::Configured
            },
            url,
            every: std::time::Duration::from_secs(6 * 3600),
            retry: std::time::Duration::from_secs(30 * 60),
            timeout: std::time::Duration::from_secs(10),
        }
    }
}
