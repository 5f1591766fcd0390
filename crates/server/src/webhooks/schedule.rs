//! When a failed delivery is tried again, and when an endpoint that keeps failing is turned off.
//! Pure: the worker asks, the store keeps the answer.

use std::time::Duration;

use crate::clock::{millis, rfc3339};

/// Waits before the 2nd to 8th attempt (the Svix schedule; the 1st is at once). After the 8th
/// failure the delivery has failed for good (a person may still retry it).
pub const RETRY_DELAYS: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(10 * 3600),
];

/// An endpoint whose every attempt has failed for this long is turned off.
pub const DISABLE_AFTER: Duration = Duration::from_secs(5 * 24 * 3600);

/// The first pause of an endpoint after a failed attempt; each failure in a row doubles it, up
/// to [`MAX_PAUSE`]. Never longer than a lone delivery's own wait, so one delivery keeps its
/// schedule.
pub const FIRST_PAUSE: Duration = Duration::from_secs(5);
/// The longest an endpoint is paused between probes.
pub const MAX_PAUSE: Duration = Duration::from_secs(10 * 60);

/// How long an endpoint rests after `failures` attempts failed in a row (0: not at all).
pub fn pause(failures: u64) -> Duration {
    match failures {
        0 => Duration::ZERO,
        n => {
            let doublings = u32::try_from(n - 1).unwrap_or(u32::MAX).min(16);
            FIRST_PAUSE.saturating_mul(1 << doublings).min(MAX_PAUSE)
        }
    }
}

/// What follows from one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Next {
    /// the next attempt, epoch ms; `None`: delivered, or failed for good
    pub attempt_at: Option<i64>,
    /// the endpoint's failing-since after it
    pub failing_since: Option<i64>,
    /// set when this failure turns the endpoint off
    pub disable_reason: Option<String>,
}

/// After an attempt: `made` attempts came before it; `failing_since` is the endpoint's.
pub fn after(
    made: u32,
    delivered: bool,
    failing_since: Option<i64>,
    now: i64,
    error: &str,
) -> Next {
    if delivered {
        return Next {
            attempt_at: None,
            failing_since: None,
            disable_reason: None,
        };
    }
    let since = failing_since.unwrap_or(now);
    let disable_reason = (now.saturating_sub(since) >= millis(DISABLE_AFTER)).then(|| {
        format!(
            "turned off: every delivery has failed since {} (last: {error}); fix the receiver, then turn it on again",
            rfc3339(since)
        )
    });
    let attempt_at = usize::try_from(made)
        .ok()
        .and_then(|i| RETRY_DELAYS.get(i))
        .map(|d| now.saturating_add(millis(*d)));
    Next {
        attempt_at,
        failing_since: Some(since),
        disable_reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_svix_schedule_then_failed_for_good() {
        let mut at = 0;
        let mut waits = Vec::new();
        for made in 0..8 {
            let next = after(made, false, Some(0), at, "HTTP 500");
            match next.attempt_at {
                Some(t) => {
                    waits.push((t - at) / 1000);
                    at = t;
                }
                None => assert_eq!(made, 7, "the 8th failure ends it"),
            }
        }
        assert_eq!(waits, [5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
        // A person's retry of a failed delivery is one more attempt, not a new schedule.
        assert_eq!(after(8, false, Some(at), at, "x").attempt_at, None);
    }

    #[test]
    fn a_failing_endpoint_rests_longer_each_time_but_never_past_a_deliverys_own_wait() {
        let rests: Vec<u64> = (0..12).map(|n| pause(n).as_secs()).collect();
        assert_eq!(rests, [0, 5, 10, 20, 40, 80, 160, 320, 600, 600, 600, 600]);
        for (i, wait) in RETRY_DELAYS.iter().enumerate() {
            assert!(
                pause(i as u64 + 1) <= *wait,
                "pause after {} failures",
                i + 1
            );
        }
        assert_eq!(pause(u64::MAX), MAX_PAUSE);
    }

    #[test]
    fn success_clears_failing_and_five_days_of_failures_turn_the_endpoint_off() {
        let ok = after(3, true, Some(10), 20, "");
        assert_eq!(ok.failing_since, None);
        assert_eq!(ok.attempt_at, None);
        let first = after(0, false, None, 1_000, "HTTP 502");
        assert_eq!(first.failing_since, Some(1_000));
        assert!(first.disable_reason.is_none());
        let day = 24 * 3600 * 1000;
        let almost = after(0, false, Some(1_000), 1_000 + 5 * day - 1, "HTTP 502");
        assert!(almost.disable_reason.is_none());
        let off = after(0, false, Some(1_000), 1_000 + 5 * day, "HTTP 502");
        let reason = off.disable_reason.unwrap();
        assert!(reason.contains("HTTP 502"), "{reason}");
    }
}
