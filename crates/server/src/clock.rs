//! The server's one reading of wall-clock time, so everything else takes `now` as a value.

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    // reason: the server runs natively; the wasm ban on SystemTime::now does not apply here.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A duration in milliseconds, as the clock counts them (saturating).
pub fn millis(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// The hour (0–23) at `epoch_ms` in a zone `offset_ms` from UTC.
pub fn local_hour(epoch_ms: i64, offset_ms: i64) -> u8 {
    ((epoch_ms + offset_ms).rem_euclid(86_400_000) / 3_600_000) as u8
}

/// RFC 3339 with milliseconds, UTC.
pub fn rfc3339(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The clock background schedules read (webhook retries): wall-clock time plus an offset that
/// only tests move, so a schedule of minutes and hours is checked in seconds.
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: std::sync::Arc<std::sync::atomic::AtomicI64>,
    moved: std::sync::Arc<tokio::sync::Notify>,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock(+{} ms)", self.offset())
    }
}

impl Clock {
    /// Milliseconds since the Unix epoch, as this clock reads them.
    pub fn now_ms(&self) -> i64 {
        now_ms().saturating_add(self.offset())
    }

    fn offset(&self) -> i64 {
        self.offset_ms.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Moves the clock forward and wakes whoever waits on it.
    pub fn advance(&self, by: std::time::Duration) {
        self.offset_ms
            .fetch_add(millis(by), std::sync::atomic::Ordering::Relaxed);
        self.moved.notify_waiters();
    }

    /// Resolves when the clock is moved.
    pub async fn moved(&self) {
        self.moved.notified().await;
    }
}
