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

/// The bus.
#[derive(Clone, Default)]
pub struct EventBus {
    channels: Arc<Mutex<HashMap<String, broadcast::Sender<Arc<api::Event>>>>>,
    /// wakes the webhook worker: an event was committed, its outbox may have work
    committed: Arc<tokio::sync::Notify>,
}

impl EventBus {
    /// A new bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Publishes a committed event to the merchant's live subscribers (none is fine).
    pub fn publish(&self, merchant_id: &str, event: api::Event) {
        self.committed.notify_one();
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        // Nobody listens any more: forget the channel.
        if let Some(tx) = map.get(merchant_id)
            && tx.send(Arc::new(event)).is_err()
        {
            map.remove(merchant_id);
        }
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
        let mut map = self.channels.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(merchant_id) {
            Some(tx) => tx.subscribe(),
            None => {
                let (tx, rx) = broadcast::channel(CAPACITY);
                map.insert(merchant_id.to_owned(), tx);
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
}
