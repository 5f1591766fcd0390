//! The update poller: long-polls `getUpdates` so the bot learns of `/start <code>` in chats (no
//! public URL needed) and of groups that became supergroups. One instance polls at a time (a
//! lease in the database, as the Bakong poller's); the offset is kept there too, so a restart or
//! another instance goes on from where this one was.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::millis;
use crate::state::AppState;
use crate::store::Starting;
use crate::telegram::Telegram;
use crate::telegram::api::{Failure, Outgoing, Seen, start_code};

/// How long one `getUpdates` waits for an update.
const WAIT: Duration = Duration::from_secs(20);
/// The poller's lease: longer than a poll.
const LEASE: Duration = Duration::from_secs(60);

/// Runs until shutdown.
pub async fn run(state: AppState, bot: Arc<Telegram>, mut shutdown: watch::Receiver<bool>) {
    let mut failures = 0u32;
    loop {
        let pause = poll(&state, &bot, &mut failures).await;
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = shutdown.wait_for(|down| *down) => break,
        }
    }
}

/// One poll; how long to wait before the next.
async fn poll(state: &AppState, bot: &Telegram, failures: &mut u32) -> Duration {
    let now = state.settings.clock.now_ms();
    let offset = match state
        .store
        .telegram_poll_lease(&bot.holder, now, now + millis(LEASE))
        .await
    {
        Ok(Some(offset)) => offset,
        // Another instance polls.
        Ok(None) => return Duration::from_secs(5),
        Err(e) => {
            tracing::warn!(error = %e, "telegram poller lease");
            return Duration::from_secs(5);
        }
    };
    if bot.username().is_none() {
        match bot.api.get_me().await {
            Ok(me) => bot.set_username(me.username),
            Err(e) => return failed(bot, &e, failures),
        }
    }
    let mut stop = state.shutdown.clone();
    let answer = tokio::select! {
        a = bot.api.get_updates(offset, WAIT) => a,
        _ = stop.wait_for(|down| *down) => return Duration::ZERO,
    };
    match answer {
        Ok(seen) => {
            *failures = 0;
            let next = seen.iter().map(|s| s.update_id + 1).max();
            for s in &seen {
                handle(state, bot, s).await;
            }
            if let Some(next) = next
                && let Err(e) = state.store.telegram_poll_advance(&bot.holder, next).await
            {
                tracing::warn!(error = %e, "telegram update offset");
            }
            Duration::ZERO
        }
        Err(e) => failed(bot, &e, failures),
    }
}

fn failed(bot: &Telegram, e: &Failure, failures: &mut u32) -> Duration {
    *failures = failures.saturating_add(1);
    match e {
        Failure::Unauthorized => {
            bot.refuse();
            Duration::from_secs(30)
        }
        Failure::RetryAfter(wait) => *wait,
        other => {
            tracing::warn!(error = %other, "telegram getUpdates");
            Duration::from_millis(super::sender::back_off(*failures) as u64)
        }
    }
}

/// What one update asks of tonle.
async fn handle(state: &AppState, bot: &Telegram, s: &Seen) {
    let now = state.settings.clock.now_ms();
    if let Some(to) = s.migrate_to_chat_id {
        tracing::info!(from = s.chat_id, to, "a telegram group became a supergroup");
        if let Err(e) = state.store.migrate_telegram_chat(s.chat_id, to, now).await {
            tracing::warn!(error = %e, "moving a telegram link");
        }
        return;
    }
    let Some(username) = bot.username() else {
        return;
    };
    let Some(code) = s.text.as_deref().and_then(|t| start_code(t, &username)) else {
        return;
    };
    let starting = Starting {
        chat_id: s.chat_id,
        thread_id: s.thread_id,
        title: s.title.clone(),
        link_id: format!("tgc_{}", uuid::Uuid::new_v4().simple()),
    };
    match state
        .store
        .use_link_code(&crate::auth::token_hash(code), &starting, now)
        .await
    {
        Ok(Some(chat)) => {
            tracing::info!(chat = %chat.link_id, merchant = %chat.merchant_id, "a telegram chat was linked");
            if let Err(e) = super::summary::first_day(state, &chat).await {
                tracing::warn!(error = %e, "a linked chat's first summary day");
            }
            bot.wake();
        }
        Ok(None) => {
            // Said in all three languages: the chat has no language until it is linked.
            let out = Outgoing {
                chat_id: s.chat_id,
                thread_id: s.thread_id,
                html: "⚠️ This link code is unknown, used or expired: make a new one in tonle → Settings → Telegram.\n\
                       ⚠️ កូដនេះមិនស្គាល់ ប្រើរួច ឬផុតកំណត់៖ សូមបង្កើតកូដថ្មីក្នុង tonle → ការកំណត់ → Telegram។\n\
                       ⚠️ 此绑定码无效、已使用或已过期：请在 tonle → 设置 → Telegram 中重新生成。"
                    .into(),
                silent: false,
            };
            if let Err(e) = bot.api.send_message(&out).await {
                tracing::debug!(error = %e, "telling a chat its code is unknown");
            }
        }
        Err(e) => tracing::warn!(error = %e, "linking a telegram chat"),
    }
}
