//! Sends the chats' outboxes. A chat is leased to one sender at a time, which sends its rows in
//! order, paced under Telegram's limits (`pace`; 30 messages a second over all chats); a backlog
//! past the pace goes as one message listing the payments. Every answer is acted on here: 429
//! waits `retry_after` and keeps the order, 5xx and lost connections back off, a timeout after
//! the request went out is retried once and then left `unconfirmed`, a migrated group moves the
//! link, a blocked bot removes it, a refused token stops nothing from waiting.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::millis;
use crate::state::AppState;
use crate::store::{ChatRow, MessageRow, SendResult};
use crate::telegram::api::{Failure, Outgoing};
use crate::telegram::pace::{ChatPace, DIGEST_MAX, Plan};
use crate::telegram::{Telegram, render};

/// A chat is not taken by another sender for this long; a sender gives it back before.
const LEASE: Duration = Duration::from_secs(90);
/// Chats sent to at once by one instance: a chat's task mostly sleeps until its next slot, so
/// many are cheap, and a busy chat's pace never holds up the others.
const PARALLEL: usize = 512;
/// Messages a second over every chat (Telegram: about 30).
const GLOBAL_PER_SECOND: usize = 30;

/// Every sender's memory: each chat's pace, the chats being sent to, the last second's sends.
#[derive(Default)]
struct Shared {
    paces: Mutex<HashMap<String, ChatPace>>,
    busy: Mutex<HashSet<String>>,
    second: Mutex<VecDeque<i64>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    /// Waits for a place in the global rate.
    async fn global_slot(&self, state: &AppState) {
        loop {
            let now = state.settings.clock.now_ms();
            let wait = {
                let mut q = lock(&self.second);
                while q.front().is_some_and(|t| *t <= now - 1_000) {
                    q.pop_front();
                }
                if q.len() < GLOBAL_PER_SECOND {
                    q.push_back(now);
                    return;
                }
                q.front().map_or(1, |t| t + 1_000 - now)
            };
            tokio::time::sleep(Duration::from_millis(wait.max(1) as u64)).await;
        }
    }
}

/// Back-off after `failures` failures in a row: 1 s, 2 s, 4 s … at most a minute.
pub fn back_off(failures: u32) -> i64 {
    1_000i64
        .saturating_mul(1 << failures.saturating_sub(1).min(6))
        .min(60_000)
}

/// Runs until shutdown; sends in flight finish and are recorded.
pub async fn run(state: AppState, bot: Arc<Telegram>, mut shutdown: watch::Receiver<bool>) {
    let shared = Arc::new(Shared::default());
    let mut in_flight = tokio::task::JoinSet::new();
    loop {
        let now = state.settings.clock.now_ms();
        let free = PARALLEL.saturating_sub(in_flight.len());
        if free > 0 {
            let limit = u32::try_from(free).unwrap_or(u32::MAX);
            match state
                .store
                .claim_telegram_chats(now, now + millis(LEASE), limit)
                .await
            {
                Ok(chats) => {
                    for chat in chats {
                        if !lock(&shared.busy).insert(chat.link_id.clone()) {
                            continue;
                        }
                        let (state, bot, shared) = (state.clone(), bot.clone(), shared.clone());
                        let stop = shutdown.clone();
                        in_flight.spawn(async move {
                            let id = chat.link_id.clone();
                            work(&state, &bot, &shared, chat, now + millis(LEASE), stop).await;
                            lock(&shared.busy).remove(&id);
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "telegram outbox"),
            }
        }
        tokio::select! {
            () = state.bus.committed() => {}
            () = bot.woken() => {}
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = shutdown.wait_for(|down| *down) => break,
        }
    }
    while in_flight.join_next().await.is_some() {}
}

/// What one chat's sender does next.
enum Next {
    /// send again (after this many ms)
    Continue(i64),
    /// give the chat back, paused until
    Release(Option<i64>),
}

/// Sends a chat's rows until it is empty, paused, or its lease nears its end.
async fn work(
    state: &AppState,
    bot: &Telegram,
    shared: &Shared,
    mut chat: ChatRow,
    lease_until: i64,
    mut stop: watch::Receiver<bool>,
) {
    let mut failures = chat.failures;
    let paused = loop {
        let now = state.settings.clock.now_ms();
        if now > lease_until - 15_000 || *stop.borrow() {
            break None;
        }
        match step(state, bot, shared, &mut chat, &mut failures).await {
            Next::Continue(0) => {}
            // A busy chat's next slot may be a minute away: shutting down does not wait for it.
            Next::Continue(ms) => tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(ms as u64)) => {}
                _ = stop.wait_for(|down| *down) => {}
            },
            Next::Release(until) => break until,
        }
    };
    if let Err(e) = state
        .store
        .release_telegram_chat(&chat.link_id, paused, failures)
        .await
    {
        tracing::warn!(error = %e, chat = %chat.link_id, "giving a telegram chat back");
    }
}

/// One message (or listing) to a chat, and what it answered.
async fn step(
    state: &AppState,
    bot: &Telegram,
    shared: &Shared,
    chat: &mut ChatRow,
    failures: &mut u32,
) -> Next {
    let now = state.settings.clock.now_ms();
    let waiting = match state
        .store
        .telegram_waiting(&chat.link_id, DIGEST_MAX as u32 + 1)
        .await
    {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!(error = %e, "telegram outbox");
            return Next::Release(Some(now + 1_000));
        }
    };
    let payments = waiting.iter().take_while(|r| render::is_payment(r)).count();
    let plan = lock(&shared.paces)
        .entry(chat.link_id.clone())
        .or_default()
        .plan(waiting.len(), now);
    let rows: Vec<MessageRow> = match plan {
        Plan::Idle => return Next::Release(None),
        Plan::WaitUntil(t) => return Next::Continue((t - now).max(1)),
        Plan::Listing(n) if payments > 1 => waiting.into_iter().take(n.min(payments)).collect(),
        Plan::One | Plan::Listing(_) => waiting.into_iter().take(1).collect(),
    };
    let ids: Vec<String> = rows.iter().map(|r| r.message_row_id.clone()).collect();
    let store = state.store.as_ref();
    let written = match render::Shop::of(store, &chat.merchant_id).await {
        Ok(shop) => render::html(store, chat, &shop, &rows)
            .await
            .map(|html| (html, shop.offset_ms)),
        Err(e) => Err(e),
    };
    let (html, offset_ms) = match written {
        Ok(w) => w,
        Err(error) => {
            tracing::warn!(%error, chat = %chat.link_id, "a telegram message could not be written");
            let give_up = SendResult::GiveUp {
                status: "failed",
                error,
            };
            finish(state, chat, &ids, &give_up).await;
            return Next::Continue(0);
        }
    };
    let local_hour = crate::clock::local_hour(now, offset_ms);
    let out = Outgoing {
        chat_id: chat.chat_id,
        thread_id: chat.thread_id,
        html,
        silent: chat.quiet_hours.is_some_and(|q| q.covers(local_hour)),
    };
    shared.global_slot(state).await;
    lock(&shared.paces)
        .entry(chat.link_id.clone())
        .or_default()
        .record(now);
    let answer = bot.api.send_message(&out).await;
    crate::metrics::telegram_send(match &answer {
        Ok(_) => "sent",
        Err(f) => f.metric(),
    });
    let now = state.settings.clock.now_ms();
    match answer {
        Ok(message_id) => {
            *failures = 0;
            bot.accepted();
            if let Some(first) = rows.first() {
                crate::metrics::telegram_latency(now - first.created_at);
            }
            finish(state, chat, &ids, &SendResult::Sent(message_id)).await;
            Next::Continue(0)
        }
        Err(Failure::RetryAfter(wait)) => {
            retry(state, chat, &ids, "Telegram asked to wait (429)", false).await;
            Next::Release(Some(now + wait.as_millis() as i64))
        }
        Err(Failure::Migrated(to)) => {
            tracing::info!(
                from = chat.chat_id,
                to,
                "a telegram group became a supergroup: the link moves"
            );
            if let Err(e) = state
                .store
                .migrate_telegram_chat(chat.chat_id, to, now)
                .await
            {
                tracing::warn!(error = %e, "moving a telegram link");
                return Next::Release(Some(now + 1_000));
            }
            chat.chat_id = to;
            Next::Continue(0)
        }
        Err(Failure::Removed(reason)) => {
            tracing::info!(chat = %chat.link_id, %reason, "a telegram chat removed the bot");
            if let Err(e) = state
                .store
                .remove_telegram_chat(&chat.link_id, &reason, now)
                .await
            {
                tracing::warn!(error = %e, "removing a telegram chat");
            }
            Next::Release(None)
        }
        Err(Failure::Unauthorized) => {
            bot.refuse();
            retry(state, chat, &ids, "Telegram refused the bot token", false).await;
            Next::Release(Some(now + 60_000))
        }
        Err(Failure::Rejected(why)) => {
            finish(
                state,
                chat,
                &ids,
                &SendResult::GiveUp {
                    status: "failed",
                    error: why,
                },
            )
            .await;
            Next::Continue(0)
        }
        Err(Failure::Unavailable(why)) => {
            *failures = failures.saturating_add(1);
            retry(state, chat, &ids, &why, false).await;
            Next::Release(Some(now + back_off(*failures)))
        }
        Err(Failure::MaybeDelivered) => {
            *failures = failures.saturating_add(1);
            // At most one more try of what may have arrived: then it is left unconfirmed.
            if rows.iter().any(|r| r.maybe_sent) {
                let error = "no answer twice; it may have been delivered".to_owned();
                finish(
                    state,
                    chat,
                    &ids,
                    &SendResult::GiveUp {
                        status: "unconfirmed",
                        error,
                    },
                )
                .await;
                Next::Continue(0)
            } else {
                retry(state, chat, &ids, "no answer in time", true).await;
                Next::Release(Some(now + back_off(*failures)))
            }
        }
    }
}

async fn retry(state: &AppState, chat: &ChatRow, ids: &[String], error: &str, maybe_sent: bool) {
    let r = SendResult::Retry {
        error: error.to_owned(),
        maybe_sent,
    };
    finish(state, chat, ids, &r).await;
}

async fn finish(state: &AppState, chat: &ChatRow, ids: &[String], result: &SendResult) {
    let now = state.settings.clock.now_ms();
    if let Err(e) = state
        .store
        .finish_telegram_send(&chat.link_id, ids, result, now)
        .await
    {
        tracing::warn!(error = %e, chat = %chat.link_id, "recording a telegram send");
    }
}
