//! Payment alerts in Telegram. The deployment has one bot (`--telegram-bot-token`); shops link
//! their groups to it with one-time codes (`routes::telegram`), and every event a chat asks for
//! is put in its outbox in the event's own transaction (`store`); `alerts` runs the sender, the
//! update poller and the summary clock. Here: the bot, its Bot API client (`api`), what is said
//! (`text`, `notice`, `render`), pacing (`pace`), and a stand-in Bot API (`standin`,
//! `tonle simulate telegram`) that answers as Telegram does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::Notify;

use crate::config::TelegramSettings;

pub mod api;
pub mod notice;
pub mod pace;
pub mod render;
pub mod standin;
pub mod text;

#[cfg(test)]
mod tests;

/// The deployment's bot: its client, its username (from `getMe`), whether Telegram refuses its
/// token, and a bell that wakes the sender.
pub struct Telegram {
    pub(crate) api: api::BotApi,
    username: RwLock<Option<String>>,
    refused: AtomicBool,
    wake: Notify,
    /// this instance, as it holds the update poller's lease
    pub(crate) holder: String,
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

    pub(crate) fn set_username(&self, name: String) {
        *self.username.write().unwrap_or_else(|p| p.into_inner()) = Some(name);
    }

    /// Whether Telegram refuses the token now.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }

    pub(crate) fn refuse(&self) {
        if !self.refused.swap(true, Ordering::Relaxed) {
            tracing::error!(
                "Telegram refuses the bot token (401): alerts wait until it is replaced (--telegram-bot-token)"
            );
            crate::metrics::telegram_token_refused(true);
        }
    }

    pub(crate) fn accepted(&self) {
        if self.refused.swap(false, Ordering::Relaxed) {
            crate::metrics::telegram_token_refused(false);
        }
    }

    /// Wakes the sender (a message was queued outside an event).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}
