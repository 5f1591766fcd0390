//! The Telegram bot's work, beside the server: the sender of the chats' outboxes (`sender`), the
//! update poller that links chats (`updates`) and the day's summary (`summary`).

use std::sync::Arc;

use tokio::sync::watch;

use crate::state::AppState;
use crate::telegram::Telegram;

pub mod sender;
pub mod summary;
pub mod updates;

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
