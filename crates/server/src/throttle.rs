//! Sign-in throttling. Only failures count, in a sliding window, per account and per IP, with a
//! per-IP ceiling high enough that a busy shop with many devices behind one address never trips
//! it, while guessing one account's password stops after a handful of tries.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failures allowed per account per window.
pub const PER_ACCOUNT: usize = 10;
/// Failures allowed per IP per window.
pub const PER_IP: usize = 200;
/// The window.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Keys remembered at most (oldest windows are dropped first when full).
const MAX_KEYS: usize = 100_000;

/// Failure counters. One mutex: sign-in is rare next to payments, and the lock is never held
/// across an await.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl LoginThrottle {
    fn key_account(email: &str) -> String {
        format!("a:{email}")
    }

    fn key_ip(ip: &str) -> String {
        format!("i:{ip}")
    }

    /// Seconds to wait when this account or IP is locked out now; `None` when a try is allowed.
    pub fn retry_after(&self, email: &str, ip: &str, now: i64) -> Option<i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for (key, limit) in [
            (Self::key_account(email), PER_ACCOUNT),
            (Self::key_ip(ip), PER_IP),
        ] {
            if let Some(q) = map.get_mut(&key) {
                while q.front().is_some_and(|t| *t <= now - WINDOW_MS) {
                    q.pop_front();
                }
                if q.len() >= limit {
                    let oldest = q.front().copied().unwrap_or(now);
                    let secs = (oldest + WINDOW_MS - now + 999) / 1000;
                    wait = Some(wait.map_or(secs, |w: i64| w.max(secs)));
                }
            }
        }
        wait
    }

    /// Records a failed sign-in.
    pub fn failed(&self, email: &str, ip: &str, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, q| q.back().is_some_and(|t| *t > now - WINDOW_MS));
        }
        for key in [Self::key_account(email), Self::key_ip(ip)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A success clears the account's failures (the IP's stay: they guard other accounts).
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&Self::key_account(email));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_locks_after_ten_failures_and_unlocks_after_the_window() {
        let t = LoginThrottle::default();
        for i in 0..PER_ACCOUNT {
            assert_eq!(t.retry_after("a@x", "1.1.1.1", i as i64), None);
            t.failed("a@x", "1.1.1.1", i as i64);
        }
        assert!(
            t.retry_after("a@x", "2.2.2.2", 100).is_some(),
            "another IP does not help a guesser"
        );
        assert_eq!(
            t.retry_after("b@x", "1.1.1.1", 100),
            None,
            "other accounts behind the same IP still sign in"
        );
        assert_eq!(t.retry_after("a@x", "1.1.1.1", WINDOW_MS + 10), None);
    }

    #[test]
    fn a_shop_of_many_devices_behind_one_ip_does_not_trip_the_ip_limit() {
        let t = LoginThrottle::default();
        // 40 cashiers each mistype once, then sign in.
        for n in 0..40 {
            let email = format!("cashier{n}@shop");
            t.failed(&email, "10.0.0.1", n);
            assert_eq!(t.retry_after(&email, "10.0.0.1", n), None);
            t.succeeded(&email);
        }
    }
}
