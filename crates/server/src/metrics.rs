//! What an operator watches: Prometheus text at `/metrics` on a listener of its own
//! (`--metrics-addr`, default 127.0.0.1:9091), built on the `metrics` facade and
//! `metrics-exporter-prometheus`. Names are `tonle_…` in base units; no label carries a merchant,
//! a user or an email: routes are templates, statuses classes, results and kinds fixed words.
//!
//! Every recording function here is a no-op until [`install`] has run (tests that never install
//! pay nothing), and the recorder is one per process.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Request and latency buckets, in seconds: 0.5 ms to 10 s.
const SECONDS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Payment-writer group sizes.
const GROUP: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process's recorder (once; later calls return the same handle).
pub fn install() -> anyhow::Result<PrometheusHandle> {
    if let Some(h) = HANDLE.get() {
        return Ok(h.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS)?
        .set_buckets_for_metric(
            Matcher::Full("tonle_payment_writer_group_size".into()),
            GROUP,
        )?
        .install_recorder()
        .or_else(|e| HANDLE.get().cloned().ok_or(e))?;
    let handle = HANDLE.get_or_init(|| handle).clone();
    describe();
    build_info();
    Ok(handle)
}

/// The exposition text.
pub fn render() -> String {
    HANDLE
        .get()
        .map(PrometheusHandle::render)
        .unwrap_or_default()
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_gauge!(
        "tonle_build_info",
        "1, with the version and commit as labels"
    );
    describe_counter!(
        "tonle_http_requests_total",
        "HTTP requests answered, by route template, method and status class"
    );
    describe_histogram!(
        "tonle_http_request_duration_seconds",
        Unit::Seconds,
        "time to answer a request (headers out), by route template"
    );
    describe_gauge!(
        "tonle_websockets_open",
        "event websockets open on this instance"
    );
    describe_counter!(
        "tonle_events_appended_total",
        "events appended to the log by this instance"
    );
    describe_counter!(
        "tonle_events_published_total",
        "events handed to this instance's websockets (local and from other instances)"
    );
    describe_histogram!(
        "tonle_notification_commit_seconds",
        Unit::Seconds,
        "payment notification received → stored (committed), by network"
    );
    describe_histogram!(
        "tonle_payment_writer_group_size",
        "notifications committed together by the payment writer"
    );
    describe_counter!(
        "tonle_bakong_rounds_total",
        "Bakong poll rounds run by this instance"
    );
    describe_counter!(
        "tonle_bakong_calls_total",
        "calls to the Bakong Open API, by result"
    );
    describe_gauge!(
        "tonle_bakong_oldest_unchecked_seconds",
        Unit::Seconds,
        "age of the oldest open dynamic KHQR not yet checked with Bakong"
    );
    describe_gauge!(
        "tonle_webhook_outbox_depth",
        "webhook deliveries due or waiting"
    );
    describe_counter!(
        "tonle_webhook_deliveries_total",
        "webhook delivery attempts, by result"
    );
    describe_counter!(
        "tonle_throttle_refusals_total",
        "requests refused by a throttle or a cap, by kind"
    );
    describe_histogram!(
        "tonle_password_hash_wait_seconds",
        Unit::Seconds,
        "time a password waited for a hashing thread"
    );
    describe_counter!(
        "tonle_telegram_sends_total",
        "Telegram sendMessage calls, by result (sent, retry_after, unavailable, maybe_delivered, migrated, removed, unauthorized, rejected)"
    );
    describe_histogram!(
        "tonle_telegram_delivery_seconds",
        Unit::Seconds,
        "event committed → Telegram accepted its message"
    );
    describe_gauge!(
        "tonle_telegram_token_refused",
        "1 while Telegram refuses the bot token (messages wait)"
    );
    describe_gauge!(
        "tonle_fx_rate_age_seconds",
        "time since the latest reference rate per currency was fetched"
    );
    describe_counter!(
        "tonle_fx_fetches_total",
        "reference-rate fetches by outcome (ok, failed)"
    );
    describe_gauge!("tonle_db_pool_in_use", "database connections in use");
    describe_gauge!("tonle_db_pool_size", "database connections open");
}

fn build_info() {
    gauge!(
        "tonle_build_info",
        "version" => env!("CARGO_PKG_VERSION"),
        "commit" => crate::VERSION_COMMIT,
    )
    .set(1.0);
}

/// Status class of an HTTP status: `2xx`, `4xx`, …
fn class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// One answered request, by its route template (never its path: ids stay out of labels).
pub fn http_request(route: &str, method: &str, status: u16, took: Duration) {
    let route = route.to_owned();
    // Any word can be a method: only the known ones become labels.
    let method: &'static str = match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    counter!("tonle_http_requests_total", "route" => route.clone(), "method" => method, "status" => class(status)).increment(1);
    histogram!("tonle_http_request_duration_seconds", "route" => route).record(took.as_secs_f64());
}

/// Event websockets open now.
pub fn websockets_open(n: usize) {
    gauge!("tonle_websockets_open").set(n as f64);
}

/// Events appended to the log.
pub fn events_appended(n: usize) {
    counter!("tonle_events_appended_total").increment(n as u64);
}

/// An event handed to this instance's subscribers.
pub fn event_published() {
    counter!("tonle_events_published_total").increment(1);
}

/// A notification of `network` committed `took` after it was received.
pub fn notification_committed(network: &'static str, took: Duration) {
    histogram!("tonle_notification_commit_seconds", "network" => network)
        .record(took.as_secs_f64());
}

/// The payment writer committed `n` notifications together.
pub fn writer_group(n: usize) {
    histogram!("tonle_payment_writer_group_size").record(n as f64);
}

/// A Bakong poll round ran.
pub fn bakong_round() {
    counter!("tonle_bakong_rounds_total").increment(1);
}

/// A call to the Bakong Open API ended with `result` (`ok`, `not_found`, `unauthorized`, …).
pub fn bakong_call(result: &'static str) {
    counter!("tonle_bakong_calls_total", "result" => result).increment(1);
}

/// Age in ms of the oldest open dynamic KHQR not yet checked (`None`: every one has been).
pub fn bakong_oldest_unchecked(age_ms: Option<i64>) {
    gauge!("tonle_bakong_oldest_unchecked_seconds").set(age_ms.unwrap_or(0).max(0) as f64 / 1e3);
}

/// Webhook deliveries due or waiting.
pub fn webhook_outbox(depth: u64) {
    gauge!("tonle_webhook_outbox_depth").set(depth as f64);
}

/// A webhook delivery attempt ended with `result` (`delivered`, `retrying`: failed and due again, `failed`: failed for good).
pub fn webhook_delivery(result: &'static str) {
    counter!("tonle_webhook_deliveries_total", "result" => result).increment(1);
}

/// A Telegram `sendMessage` ended with `result`.
pub fn telegram_send(result: &'static str) {
    counter!("tonle_telegram_sends_total", "result" => result).increment(1);
}

/// A message was accepted by Telegram `ms` after its row was queued.
pub fn telegram_latency(ms: i64) {
    histogram!("tonle_telegram_delivery_seconds").record(ms.max(0) as f64 / 1e3);
}

/// Whether Telegram refuses the deployment's bot token.
pub fn telegram_token_refused(refused: bool) {
    gauge!("tonle_telegram_token_refused").set(if refused { 1.0 } else { 0.0 });
}

/// A reference-rate fetch ended with `outcome` (`ok`, `failed`).
pub fn fx_fetch(outcome: &'static str) {
    counter!("tonle_fx_fetches_total", "outcome" => outcome).increment(1);
}

/// The latest rate of `currency` was fetched `age_ms` ago.
pub fn fx_rate_age(currency: &'static str, age_ms: i64) {
    gauge!("tonle_fx_rate_age_seconds", "currency" => currency).set(age_ms.max(0) as f64 / 1e3);
}

/// A throttle or a cap refused a request (`signin`, `registration`, `connections_per_ip`, …).
pub fn throttled(kind: &'static str) {
    counter!("tonle_throttle_refusals_total", "kind" => kind).increment(1);
}

/// A password waited `took` for a hashing thread.
pub fn hash_wait(took: Duration) {
    histogram!("tonle_password_hash_wait_seconds").record(took.as_secs_f64());
}

/// Database connections open and in use.
pub fn db_pool(size: u32, idle: usize) {
    gauge!("tonle_db_pool_size").set(f64::from(size));
    gauge!("tonle_db_pool_in_use").set(f64::from(size).max(idle as f64) - idle as f64);
}
