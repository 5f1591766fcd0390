//! The named background task that moves pending charges past their expiry to `expired`, and
//! once an hour forgets shared throttle counters whose window has ended and sign-in material
//! that can no longer be used (ended sessions, spent pairing codes, reset links, invitations).

use std::time::Duration;

use tokio::sync::watch;

use crate::clock::now_ms;
use crate::state::AppState;

/// Runs until `shutdown` turns true, checking once a second.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        ticks += 1;
        if ticks % 3600 == 1 {
            let before = now_ms() - crate::throttle::WINDOW_MS;
            if let Err(e) = state.store.prune_throttles(before).await {
                tracing::warn!(error = ?e, "pruning throttle counters failed");
            }
            match state.store.prune_spent(now_ms()).await {
                Ok(gone) if gone > 0 => {
                    tracing::info!(rows = gone, "forgot spent sessions, codes and links")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "pruning spent sessions and codes failed"),
            }
        }
        // The store tells the screens once the expiries are committed.
        if let Err(e) = state.store.expire_due(now_ms()).await {
            tracing::warn!(error = ?e, "expiry pass failed; retrying");
        }
    }
}
