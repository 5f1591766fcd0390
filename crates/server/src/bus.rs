//! In-process fan-out of committed events to websocket sessions: one bounded channel per
//! merchant, so a payment wakes only that merchant's screens, and events are shared (`Arc`), not
//! copied per socket. A lagging subscriber is told so and resumes from the log; publishing never
//! waits for a subscriber.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::api;

/// Per-subscriber buffer before it counts as lagging.
const CAPACITY: usize = 1024;

/// A merchant's live channel, and the highest sequence number published on it.
struct Channel {
    tx: broadcast::Sender<Arc<api::Event>>,
    head: u64,
}

/// The bus.
#[derive(Clone)]
pub struct EventBus {
    channels: Arc<Mutex<HashMap<String, Channel>>>,
    /// wakes the webhook worker: an event was committed, its outbox may have work
    committed: Arc<tokio::sync::Notify>,
    /// ids of revoked devices and API keys: their open websockets close at once
    revoked: broadcast::Sender<String>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self {
            channels: Arc::default(),
            committed: Arc::default(),
            revoked: broadcast::channel(64).0,
        }
    }
}

/// Told instead of an id when revocations may have been missed (another instance's, while the
/// database connection that carries them was down): every session checks itself.
pub const RECHECK: &str = "*";

impl EventBus {
    /// A new bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Tells open sessions that a device or API key was revoked (the store does, on commit).
    pub fn revoke(&self, id: &str) {
        let _ = self.revoked.send(id.to_owned());
    }

    /// Revocations as they are told.
    pub fn revocations(&self) -> broadcast::Receiver<String> {
        self.revoked.subscribe()
    }

    fn channels(&self) -> std::sync::MutexGuard<'_, HashMap<String, Channel>> {
        self.channels.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Publishes a committed event to the merchant's live subscribers (none is fine). An event
    /// at or below what was published already is dropped: with several instances the same event
    /// arrives from this one's commit and from the database's notification, and a subscriber
    /// that sees a gap reads it from the log.
    pub fn publish(&self, merchant_id: &str, event: api::Event) {
        crate::metrics::event_published();
        self.committed.notify_one();
        let mut map = self.channels();
        let Some(channel) = map.get_mut(merchant_id) else {
            return;
        };
        if event.seq <= channel.head {
            return;
        }
        channel.head = event.seq;
        // Nobody listens any more: forget the channel.
        if channel.tx.send(Arc::new(event)).is_err() {
            map.remove(merchant_id);
        }
    }

    /// The highest sequence number published to a merchant's live subscribers here (0 before
    /// the first), or `None` when nobody here listens to that merchant.
    pub fn head(&self, merchant_id: &str) -> Option<u64> {
        self.channels().get(merchant_id).map(|c| c.head)
    }

    /// Every merchant somebody here listens to, with its published head.
    pub fn listened(&self) -> Vec<(String, u64)> {
        self.channels()
            .iter()
            .map(|(m, c)| (m.clone(), c.head))
            .collect()
    }

    /// Wakes the webhook worker: a delivery was made due.
    pub fn wake_outbox(&self) {
        self.committed.notify_one();
    }

    /// Resolves after the next publish (at once if one came since the last call).
    pub async fn committed(&self) {
        self.committed.notified().await;
    }

    /// A subscription to one merchant's events.
    pub fn subscribe(&self, merchant_id: &str) -> broadcast::Receiver<Arc<api::Event>> {
        let mut map = self.channels();
        match map.get(merchant_id) {
            Some(channel) => channel.tx.subscribe(),
            None => {
                let (tx, rx) = broadcast::channel(CAPACITY);
                map.insert(merchant_id.to_owned(), Channel { tx, head: 0 });
                rx
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: u64) -> api::Event {
        api::Event {
            seq,
            at_ms: 0,
            data: api::EventData::Unknown,
        }
    }

    #[tokio::test]
    async fn only_the_merchants_own_subscribers_hear_its_events() {
        let bus = EventBus::new();
        let mut a = bus.subscribe("a");
        let mut b = bus.subscribe("b");
        bus.publish("a", event(1));
        assert_eq!(a.recv().await.unwrap().seq, 1);
        assert!(b.try_recv().is_err());
        drop(a);
        bus.publish("a", event(2));
        bus.publish("nobody", event(3));
        bus.publish("b", event(4));
        assert_eq!(b.recv().await.unwrap().seq, 4);
    }

    #[tokio::test]
    async fn an_event_published_twice_reaches_subscribers_once() {
        let bus = EventBus::new();
        let mut a = bus.subscribe("a");
        assert_eq!(bus.head("a"), Some(0));
        assert_eq!(bus.head("b"), None);
        bus.publish("a", event(2));
        bus.publish("a", event(2));
        bus.publish("a", event(1));
        bus.publish("a", event(3));
        assert_eq!(a.recv().await.unwrap().seq, 2);
        assert_eq!(a.recv().await.unwrap().seq, 3);
        assert!(a.try_recv().is_err());
        assert_eq!(bus.listened(), vec![("a".to_owned(), 3)]);
    }
}
