//! Server configuration in one struct, from flags and `TONLE_*` environment variables.
//! Printed at start with secrets redacted.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::signing::WebhookSecret;

/// Everything `tonle serve` needs.
#[derive(Clone)]
pub struct Settings {
    /// where to listen; port 0 picks a free port
    pub addr: SocketAddr,
    /// SQLite database, sandbox secret
    pub data_dir: PathBuf,
    /// the built web app (trunk's `dist/`); not served when missing
    pub static_dir: PathBuf,
    /// accept `sandbox` notifications (simulated wallets)
    pub sandbox: bool,
    /// secret for `bakong` notifications
    pub bakong_secret: Option<WebhookSecret>,
    /// secret for `unionpay` notifications
    pub unionpay_secret: Option<WebhookSecret>,
    /// set `Secure` on cookies (behind TLS)
    pub secure_cookies: bool,
}

impl Settings {
    /// Defaults for tests: port 0, the given data dir, sandbox on.
    pub fn for_tests(data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            static_dir: data_dir.join("no-dist"),
            data_dir,
            sandbox: true,
            bakong_secret: None,
            unionpay_secret: None,
            secure_cookies: false,
        }
    }

    /// SQLite file inside the data dir.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("tonle.db")
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |s: &Option<WebhookSecret>| if s.is_some() { "<redacted>" } else { "<unset>" };
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("static_dir", &self.static_dir)
            .field("sandbox", &self.sandbox)
            .field("bakong_secret", &set(&self.bakong_secret))
            .field("unionpay_secret", &set(&self.unionpay_secret))
            .field("secure_cookies", &self.secure_cookies)
            .finish()
    }
}
