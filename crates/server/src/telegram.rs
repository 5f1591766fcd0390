//! Payment alerts in Telegram. The deployment has one bot (`--telegram-bot-token`); shops link
//! their groups to it with one-time codes (`routes::telegram`), and every event a chat asks for
//! is put in its outbox in the event's own transaction (`store`). Here: the Bot API client
//! (`api`), what is said (`text`, `notice`, `render`), pacing (`pace`), the sender (`sender`),
//! the update poller that links chats (`updates`), the day's summary (`summary`), and a stand-in
//! Bot API (`standin`, `tonle simulate telegram`) that answers as Telegram does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::{Notify, watch};

use crate::state::AppState;

pub mod api;
pub mod notice;
pub mod pace;
pub mod render;
pub mod sender;
pub mod standin;
pub mod summary;
pub mod text;
pub mod updates;

#[cfg(test)]
mod tests;

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

/// The deployment's bot: its client, its username (from `getMe`), whether Telegram refuses its
/// token, and a bell that wakes the sender.
pub struct Telegram {
    api: api::BotApi,
    username: RwLock<Option<String>>,
    refused: AtomicBool,
    wake: Notify,
    /// this instance, as it holds the update poller's lease
    holder: String,
}

impl Telegram {
    /// The bot at `settings`; `getMe` checks the token. A refused token stops the start (it
    /// would never work); an unreachable Telegram does not (the poller asks again).
    pub async fn start(settings: &TelegramSettings) -> anyhow::Result<Arc<Self>> {
        let api = api::BotApi::new(&settings.api_url, &settings.token)?;
        let username = match api.get_me().await {
            Ok(me) => {
                tracing::info!(bot = %me.username, "telegram bot");
                Some(me.username)
            }
            Err(api::Failure::Unauthorized) => anyhow::bail!(
                "--telegram-bot-token: Telegram refused the token (getMe answered 401); make one with @BotFather"
            ),
            Err(e) => {
                tracing::warn!(error = %e, "telegram getMe failed; trying again in the background");
                None
            }
        };
        Ok(Arc::new(Self {
            api,
            username: RwLock::new(username),
            refused: AtomicBool::new(false),
            wake: Notify::new(),
            holder: format!("tg-{}", uuid::Uuid::new_v4().simple()),
        }))
    }

    /// The bot's username, once `getMe` answered.
    pub fn username(&self) -> Option<String> {
        self.username
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_username(&self, name: String) {
        *self.username.write().unwrap_or_else(|p| p.into_inner()) = Some(name);
    }

    /// Whether Telegram refuses the token now.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }

    fn refuse(&self) {
        if !self.refused.swap(true, Ordering::Relaxed) {
            tracing::error!(
                "Telegram refuses the bot token (401): alerts wait until it is replaced (--telegram-bot-token)"
            );
            crate::metrics::telegram_token_refused(true);
        }
    }

    fn accepted(&self) {
        if self.refused.swap(false, Ordering::Relaxed) {
            crate::metrics::telegram_token_refused(false);
        }
    }

    /// Wakes the sender (a message was queued outside an event).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    async fn woken(&self) {
        self.wake.notified().await;
    }
}

/// Runs the bot's tasks until shutdown: the sender, the update poller, the summary clock.
pub async fn run(state: AppState, bot: Arc<Telegram>, shutdown: watch::Receiver<bool>) {
    let tasks = [
        tokio::spawn(sender::run(state.clone(), bot.clone(), shutdown.clone())),
        tokio::spawn(updates::run(state.clone(), bot.clone(), shutdown.clone())),
        tokio::spawn(summary::run(state, bot, shutdown)),
    ];
    for t in tasks {
        let _ = t.await;
    }
}
