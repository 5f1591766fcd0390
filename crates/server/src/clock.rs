//! The server's one reading of wall-clock time, so everything else takes `now` as a value.

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    // reason: the server runs natively; the wasm ban on SystemTime::now does not apply here.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
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
