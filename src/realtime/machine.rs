//! Reconnect timing, kept pure so it is tested natively: exponential backoff with jitter, capped.

/// Backoff state.
#[derive(Debug, Clone, Default)]
pub struct Backoff {
    attempt: u32,
}

/// First retry after this long.
pub const BASE_MS: u32 = 250;
/// Never wait longer than this.
pub const CAP_MS: u32 = 8_000;

impl Backoff {
    /// Delay before the next attempt; `jitter` in [0, 1) spreads tablets that lost Wi-Fi together.
    pub fn next_delay_ms(&mut self, jitter: f64) -> u32 {
        let exp = BASE_MS
            .saturating_mul(1u32 << self.attempt.min(10))
            .min(CAP_MS);
        self.attempt = self.attempt.saturating_add(1);
        let j = jitter.clamp(0.0, 1.0);
        // Full jitter on the upper half keeps a floor so retries never spin.
        (f64::from(exp) * (0.5 + 0.5 * j)) as u32
    }

    /// Connected: start over.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_caps_and_resets() {
        let mut b = Backoff::default();
        let seq: Vec<u32> = (0..8).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(seq[..6], [250, 500, 1000, 2000, 4000, 8000]);
        assert_eq!(seq[7], CAP_MS);
        b.reset();
        assert_eq!(b.next_delay_ms(0.0), 125);
    }
}
