//! Hearing other instances' events: one connection `LISTEN`s on `tonle_events`, whose payloads
//! carry only `merchant:seq`. For a merchant somebody here listens to, the events after what this
//! instance already published are read from the log and published, in order; the log is the
//! truth, a notification only says where to read. After a reconnect (notifications sent while
//! the connection was down are lost) every listened merchant is caught up from its last sequence.
//! Revocations (`tonle_revoked`, a device's or key's id) go to the bus as they come; after a
//! reconnect every session checks itself.

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::*;

/// Most events read per merchant per notification.
const PAGE: i64 = 500;

/// Connects the listener (so the first commit after start-up is heard) and runs it.
pub(super) async fn spawn(pool: Pool, bus: EventBus) -> anyhow::Result<()> {
    let mut listener = PgListener::connect_with(&pool)
        .await
        .context("connecting the event listener")?;
    listener.listen_all([CHANNEL, REVOKED_CHANNEL]).await?;
    tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) if n.channel() == REVOKED_CHANNEL => bus.revoke(n.payload()),
                Ok(Some(n)) => {
                    if let Some((merchant, seq)) = parse(n.payload())
                        && let Err(e) = catch_up(&pool, &bus, merchant, Some(seq)).await
                    {
                        tracing::warn!(error = ?e, merchant, "reading a notified event failed");
                    }
                }
                // Reconnected: what was sent meanwhile is read from the log, and every session
                // checks it was not revoked meanwhile.
                Ok(None) => {
                    tracing::info!("event listener reconnected; catching up");
                    bus.revoke(crate::bus::RECHECK);
                    for (merchant, _) in bus.listened() {
                        if let Err(e) = catch_up(&pool, &bus, &merchant, None).await {
                            tracing::warn!(error = ?e, merchant, "catching up failed");
                        }
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "event listener failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

fn parse(payload: &str) -> Option<(&str, u64)> {
    let (merchant, seq) = payload.rsplit_once(':')?;
    Some((merchant, seq.parse().ok()?))
}

/// Publishes a merchant's events after this instance's head, up to `seq` (or the log's head);
/// one notification may stand for several events (a payment writer's group). Nobody here
/// listening to the merchant: nothing to do. A head of 0 (nothing published since the first
/// subscriber came) reads just the newest: subscribers read older events themselves.
async fn catch_up(
    pool: &Pool,
    bus: &EventBus,
    merchant: &str,
    seq: Option<u64>,
) -> StoreResult<()> {
    let Some(head) = bus.head(merchant) else {
        return Ok(());
    };
    let newest = match seq {
        Some(seq) => seq,
        None => {
            let h: i64 = sqlx::query_scalar(
                "select coalesce(max(seq), 0) from event where merchant_id = $1",
            )
            .bind(merchant)
            .fetch_one(pool)
            .await?;
            h as u64
        }
    };
    if newest <= head {
        return Ok(());
    }
    let from = if head == 0 { newest - 1 } else { head };
    let rows = sqlx::query(
        "select seq, data, created_at from event where merchant_id = $1 and seq > $2 order by seq limit $3",
    )
    .bind(merchant)
    .bind(from as i64)
    .bind(PAGE)
    .fetch_all(pool)
    .await?;
    for row in &rows {
        bus.publish(merchant, event_row(row)?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn payloads_name_a_merchant_and_a_sequence() {
        assert_eq!(super::parse("m_1:42"), Some(("m_1", 42)));
        assert_eq!(super::parse("m:1:7"), Some(("m:1", 7)));
        assert_eq!(super::parse("m_1"), None);
        assert_eq!(super::parse("m_1:x"), None);
    }
}
