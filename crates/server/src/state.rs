//! What every handler and background task shares: storage, the bus, settings, secrets, the
//! throttles. Its own module, so routes, tasks and wiring all depend on it and it on none of them.

use std::sync::Arc;

use tokio::sync::watch;

use crate::bus::EventBus;
use crate::config::Settings;
use crate::signing::WebhookSecret;
use crate::store::Store;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    /// storage
    pub store: Arc<dyn Store>,
    /// live fan-out
    pub bus: EventBus,
    /// configuration
    pub settings: Arc<Settings>,
    /// sandbox notification secret, when sandbox is on
    pub sandbox_secret: Option<WebhookSecret>,
    /// throttles for sign-in, pairing, registration and invitation links
    pub throttles: Arc<crate::throttle::Throttles>,
    /// the bounded password-hashing pool
    pub hasher: crate::hashing::Hasher,
    /// the Bakong poller's client, key and memory
    pub bakong: Arc<crate::bakong::Bakong>,
    /// outgoing email (password-reset links), when SMTP is configured
    pub mailer: Option<crate::mail::Mailer>,
    /// seals what is kept secret at rest (Bakong tokens, webhook secrets)
    pub secrets: crate::secrets::SecretBox,
    /// the deployment's Telegram bot, when set up
    pub telegram: Option<Arc<crate::telegram::Telegram>>,
    /// open event websockets, capped per client address and per merchant
    pub sockets: crate::sockets::Sockets,
    pub(crate) shutdown: watch::Receiver<bool>,
}

impl AppState {
    /// Whether cookies set for `client` are `Secure`: with `--secure-cookies`, when the public
    /// address merchants use is https (`--public-url`), or when a trusted proxy says the client
    /// came over https.
    pub fn secure_cookies(&self, client: &crate::client::ClientAddr) -> bool {
        self.settings.secure_cookies
            || client.https
            || self
                .settings
                .mail
                .as_ref()
                .is_some_and(|m| m.public_url.starts_with("https://"))
    }

    /// Whether the server has started shutting down.
    pub fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Resolves when the server starts shutting down.
    pub async fn shutdown_signal(&self) {
        let mut rx = self.shutdown.clone();
        let _ = rx.wait_for(|down| *down).await;
    }
}
