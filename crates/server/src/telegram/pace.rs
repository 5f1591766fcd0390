//! Pacing one chat under Telegram's limits (core.telegram.org/bots/faq: about one message a
//! second in a chat, no more than 20 a minute in a group): when the chat may be sent to next,
//! and whether the payments waiting go one by one or as one message listing them. A busy counter
//! can pass 20 payments a minute; none is dropped and none waits much beyond a minute: once more
//! are waiting than a slot should carry, the next slot carries them all (up to [`DIGEST_MAX`]).
//! Pure: times are epoch ms passed in.

use std::collections::VecDeque;

/// Least time between two messages in a chat.
pub const GAP_MS: i64 = 1_000;
/// Messages a group takes in [`WINDOW_MS`].
pub const PER_WINDOW: usize = 20;
/// The window of [`PER_WINDOW`].
pub const WINDOW_MS: i64 = 60_000;
/// The window is kept this much wider: a send arrives some ms after it was planned, and a
/// request slowed on the way must not make 21 land within Telegram's minute.
pub const MARGIN_MS: i64 = 1_000;
/// Most payments one listing message carries (it stays far under 4096 characters).
pub const DIGEST_MAX: usize = 25;
/// Waiting payments a slot sends one by one; more go as one listing.
pub const SINGLY_UP_TO: usize = 2;

/// When a chat was last sent to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatPace {
    /// send times within the last window, oldest first
    sent: VecDeque<i64>,
}

/// What to do for a chat now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// nothing waits
    Idle,
    /// the next slot opens at this time
    WaitUntil(i64),
    /// send the oldest waiting message alone
    One,
    /// send the oldest `n` waiting payments as one message listing them
    Listing(usize),
}

impl ChatPace {
    /// The earliest time the chat may be sent to, from `now`.
    pub fn next_slot(&self, now: i64) -> i64 {
        let after_gap = self.sent.back().map_or(now, |last| last + GAP_MS);
        let after_window = if self.sent.len() >= PER_WINDOW {
            self.sent[self.sent.len() - PER_WINDOW] + WINDOW_MS + MARGIN_MS
        } else {
            now
        };
        now.max(after_gap).max(after_window)
    }

    /// A message went at `at`.
    pub fn record(&mut self, at: i64) {
        self.sent.push_back(at);
        while self
            .sent
            .front()
            .is_some_and(|t| *t <= at - WINDOW_MS - MARGIN_MS)
        {
            self.sent.pop_front();
        }
    }

    /// What to do at `now` with `waiting` payments in the queue.
    pub fn plan(&self, waiting: usize, now: i64) -> Plan {
        if waiting == 0 {
            return Plan::Idle;
        }
        let slot = self.next_slot(now);
        if slot > now {
            Plan::WaitUntil(slot)
        } else if waiting <= SINGLY_UP_TO {
            Plan::One
        } else {
            Plan::Listing(waiting.min(DIGEST_MAX))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plays `arrivals` (epoch ms, sorted) through one chat, sending whenever the plan says;
    /// returns (send times, each payment's delay).
    fn play(arrivals: &[i64]) -> (Vec<i64>, Vec<i64>) {
        let mut pace = ChatPace::default();
        let mut queue: VecDeque<i64> = VecDeque::new();
        let (mut sends, mut delays) = (Vec::new(), Vec::new());
        let mut next = 0;
        let mut now = arrivals.first().copied().unwrap_or(0);
        while next < arrivals.len() || !queue.is_empty() {
            while next < arrivals.len() && arrivals[next] <= now {
                queue.push_back(arrivals[next]);
                next += 1;
            }
            let n = match pace.plan(queue.len(), now) {
                Plan::One => 1,
                Plan::Listing(n) => n,
                Plan::Idle | Plan::WaitUntil(_) => 0,
            };
            if n > 0 {
                for at in queue.drain(..n) {
                    delays.push(now - at);
                }
                pace.record(now);
                sends.push(now);
            }
            now += 10;
        }
        (sends, delays)
    }

    fn within_limits(sends: &[i64]) {
        for w in sends.windows(2) {
            assert!(
                w[1] - w[0] >= GAP_MS,
                "two messages {} ms apart",
                w[1] - w[0]
            );
        }
        for (i, at) in sends.iter().enumerate() {
            let in_window = sends[i..]
                .iter()
                .take_while(|t| **t < at + WINDOW_MS)
                .count();
            assert!(in_window <= PER_WINDOW, "{in_window} messages in a minute");
        }
    }

    #[test]
    fn a_quiet_shop_gets_every_payment_alone_at_once() {
        let arrivals: Vec<i64> = (0..30).map(|i| i * 5_000).collect();
        let (sends, delays) = play(&arrivals);
        assert_eq!(sends.len(), 30);
        assert!(delays.iter().all(|d| *d == 0));
        within_limits(&sends);
    }

    #[test]
    fn a_thousand_payments_in_two_minutes_stay_within_limits_lose_none_and_wait_at_most_a_minute() {
        let arrivals: Vec<i64> = (0..1_000).map(|i| i * 120).collect();
        let (sends, delays) = play(&arrivals);
        assert_eq!(delays.len(), 1_000, "every payment posted once");
        within_limits(&sends);
        let worst = delays.iter().max().copied().unwrap_or_default();
        eprintln!(
            "1000 payments: {} messages, worst wait {worst} ms",
            sends.len()
        );
        assert!(worst <= WINDOW_MS + GAP_MS, "a payment waited {worst} ms");
    }

    #[test]
    fn a_burst_goes_as_listings_after_the_first_alone() {
        let arrivals = vec![0; 10];
        let (sends, delays) = play(&arrivals);
        assert_eq!(delays.len(), 10);
        assert_eq!(sends.len(), 1, "ten at once: one listing");
        let (sends, _) = play(&[0, 0]);
        assert_eq!(sends, vec![0, GAP_MS], "two go one by one, a second apart");
    }
}
