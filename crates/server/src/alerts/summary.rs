//! The day's summary: once a minute, each chat whose hour has come (in its shop's time zone) and
//! whose summary for today is not queued gets it, with the same totals as the dashboard (payments
//! marked to refund left out), per currency and per counter of the chat's scope. The store
//! queues a day's summary once however many instances run this. A shop whose Bakong token
//! expires within 14 days is reminded at the same hour.

use std::sync::Arc;
use std::time::Duration;

use khqr::{MinorUnits, Money};
use tokio::sync::watch;

use crate::api;
use crate::history::civil_from_days;
use crate::state::AppState;
use crate::store::{ChatRow, Range, Store, StoreResult};
use crate::telegram::Telegram;
use crate::telegram::notice::{self, Summary};

const DAY_MS: i64 = 86_400_000;
/// A token expiring within this is reminded of.
const EXPIRY_WARNING_MS: i64 = 14 * DAY_MS;

/// Runs until shutdown.
pub async fn run(state: AppState, bot: Arc<Telegram>, mut shutdown: watch::Receiver<bool>) {
    loop {
        match due(&state).await {
            Ok(0) => {}
            Ok(_) => bot.wake(),
            Err(e) => tracing::warn!(error = %e, "telegram summaries"),
        }
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs(30)) => {}
            () = state.settings.clock.moved() => {}
            _ = shutdown.wait_for(|down| *down) => break,
        }
    }
}

/// Queues the summaries due now; how many.
pub async fn due(state: &AppState) -> StoreResult<usize> {
    let now = state.settings.clock.now_ms();
    let mut queued = 0;
    for (chat, country) in state.store.telegram_summary_chats().await? {
        let offset = api::calendar::utc_offset_ms(country);
        let today = (now + offset).div_euclid(DAY_MS);
        let hour = crate::clock::local_hour(now, offset);
        let reached = hour >= chat.summary_hour;
        let Some(last) = chat.summary_day else {
            first_day(state, &chat).await?;
            continue;
        };
        if !reached || last >= today {
            continue;
        }
        let mut messages = Vec::new();
        if chat.wants(api::ChatEvent::Summary) {
            let s = summarise(state.store.as_ref(), &chat, today, offset).await?;
            messages.push(("summary", notice::summary(chat.language, &s)));
        }
        if chat.wants(api::ChatEvent::Bakong)
            && chat.store_id.is_none()
            && chat.terminal_id.is_none()
            && let Some(b) = state.store.bakong(&chat.merchant_id).await?
            && let Some(at) = b.token_expires_at
            && at > now
            && at - now <= EXPIRY_WARNING_MS
        {
            messages.push(("bakong_expiring", at.to_string()));
        }
        if state
            .store
            .queue_telegram_summary(&chat.link_id, today, &messages, now)
            .await?
            && !messages.is_empty()
        {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A chat just linked gets its first summary at the next of its hours to come, not at once.
pub async fn first_day(state: &AppState, chat: &ChatRow) -> StoreResult<()> {
    let now = state.settings.clock.now_ms();
    let merchant = state.store.merchant(&chat.merchant_id).await?;
    let offset = api::calendar::utc_offset_ms(merchant.country);
    let today = (now + offset).div_euclid(DAY_MS);
    let reached = crate::clock::local_hour(now, offset) >= chat.summary_hour;
    let from = if reached { today } else { today - 1 };
    state
        .store
        .queue_telegram_summary(&chat.link_id, from, &[], now)
        .await?;
    Ok(())
}

/// A day's totals in a chat's scope: per currency, and per counter when it sees several.
pub async fn summarise(
    store: &dyn Store,
    chat: &ChatRow,
    day: i64,
    offset: i64,
) -> StoreResult<Summary> {
    let range = Range {
        from_ms: Some(day * DAY_MS - offset),
        to_ms: Some((day + 1) * DAY_MS - offset),
    };
    let merchant = api::MerchantId::from(chat.merchant_id.clone());
    let counters: Vec<(String, String)> = store
        .terminals(&chat.merchant_id)
        .await?
        .into_iter()
        .filter(|t| {
            chat.terminal_id
                .as_ref()
                .is_none_or(|x| *x == t.terminal_id)
        })
        .filter(|t| chat.store_id.as_ref().is_none_or(|x| *x == t.store_id))
        .map(|t| (t.terminal_id, t.label))
        .collect();
    let totals = |rows: Vec<(i64, khqr::Currency, u64, u64)>| -> Vec<(Money, u64)> {
        rows.into_iter()
            .map(|(_, c, n, total)| (Money::new(MinorUnits::new(total), c), n))
            .collect()
    };
    let mut per_counter = Vec::new();
    for (id, label) in &counters {
        let rows = store
            .daily_totals(&merchant, range, offset, Some(id.as_str()))
            .await?;
        if !rows.is_empty() {
            per_counter.push((label.clone(), totals(rows)));
        }
    }
    let whole = chat.store_id.is_none() && chat.terminal_id.is_none();
    let all = if whole {
        totals(store.daily_totals(&merchant, range, offset, None).await?)
    } else {
        // A scoped chat's totals are its counters' together.
        let mut sum: std::collections::BTreeMap<khqr::Currency, (u64, u64)> = Default::default();
        for (_, t) in &per_counter {
            for (m, n) in t {
                let e = sum.entry(m.currency).or_default();
                e.0 += m.amount.get();
                e.1 += n;
            }
        }
        sum.into_iter()
            .map(|(c, (minor, n))| (Money::new(MinorUnits::new(minor), c), n))
            .collect()
    };
    let counters = if whole && per_counter.len() < 2 && counters.len() < 2 {
        Vec::new()
    } else {
        per_counter
    };
    Ok(Summary {
        date: civil_from_days(day),
        totals: all,
        counters,
    })
}
