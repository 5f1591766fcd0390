//! The named background task that moves pending charges past their expiry to `expired`.

use std::time::Duration;

use tokio::sync::watch;

use crate::clock::now_ms;
use crate::state::AppState;

/// Runs until `shutdown` turns true, checking once a second.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = shutdown.changed() => return,
        }
        match state.store.expire_due(now_ms()).await {
            Ok(events) => {
                for (merchant_id, event) in events {
                    state.bus.publish(&merchant_id, event);
                }
            }
            Err(e) => tracing::warn!(error = ?e, "expiry pass failed; retrying"),
        }
    }
}
