//! Sends the outbox: claims due deliveries, signs each with the endpoint's secret (and the
//! previous one during a rotation's overlap), posts it with a 10-second limit, and records the
//! answer and the next attempt. Wakes when an event is committed, when the clock is moved, and
//! every second; a restart picks up whatever was due or in flight.

use std::time::Duration;

use tokio::sync::watch;

use super::{schedule, target};
use crate::clock::{millis, now_ms};
use crate::signing::WebhookSecret;
use crate::state::AppState;
use crate::store::{AttemptOutcome, DeliveryRow, EndpointRow, Share};

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// A claimed delivery is not sent by anyone else for this long (longer than any attempt).
const LEASE: Duration = Duration::from_secs(60);
/// How long delivered and failed deliveries stay in the log.
pub const KEEP: Duration = Duration::from_secs(30 * 24 * 3600);
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// Attempts in flight at once on one instance: they mostly wait on the network, so many are
/// cheap, and it takes eight accounts each at its share to fill them.
pub const PARALLEL: usize = 64;
/// Deliveries in flight at once: per endpoint (one while it is failing) and per merchant (so
/// a merchant's slow endpoint leaves room for its other ones, and for everyone else).
pub const SHARE: Share = Share {
    per_endpoint: 4,
    per_merchant: 8,
};

/// The HTTP client deliveries go out with: no redirects, no proxy, public addresses only
/// (unless allowed), 10 s per attempt.
pub fn client(allow_private: bool) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(std::sync::Arc::new(target::PublicOnly { allow_private }))
        .user_agent(concat!("tonle-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

/// Runs until shutdown, then lets the attempts in flight finish and be recorded. Up to
/// `PARALLEL` attempts run at once; a slow receiver holds one slot for at most 10 s; one merchant
/// holds at most `SHARE.per_merchant` slots however many endpoints it has, and slots go round
/// the merchants; an endpoint that fails is paused as a whole (longer each time, see
/// `schedule::pause`) and then probed with one delivery, not tried once per queued delivery.
pub async fn run(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let http = match client(state.settings.webhook_allow_private) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks cannot be sent: no HTTP client");
            return;
        }
    };
    let mut in_flight = tokio::task::JoinSet::new();
    // What this worker is sending now: a lease that ran out while its attempt still runs (a
    // stalled database, a moved clock) must not start a second send of the same delivery.
    let sending = std::sync::Arc::new(std::sync::Mutex::new(
        std::collections::HashSet::<String>::new(),
    ));
    let mut pruned_at = None::<i64>;
    loop {
        let now = state.settings.clock.now_ms();
        if pruned_at.is_none_or(|at| now - at >= millis(PRUNE_EVERY)) {
            pruned_at = Some(now);
            if let Err(e) = state
                .store
                .prune_webhook_deliveries(now - millis(KEEP))
                .await
            {
                tracing::warn!(error = %e, "pruning the webhook log");
            }
        }
        let free = PARALLEL.saturating_sub(in_flight.len());
        if free > 0 {
            let lease = now + millis(LEASE);
            let limit = u32::try_from(free).unwrap_or(u32::MAX);
            let claimed = state
                .store
                .claim_webhook_deliveries(now, lease, limit, SHARE)
                .await;
            match claimed {
                Ok(due) => {
                    for (delivery, endpoint) in due {
                        let fresh = sending
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(delivery.delivery_id.clone());
                        if !fresh {
                            continue;
                        }
                        let (state, http, sending) = (state.clone(), http.clone(), sending.clone());
                        in_flight.spawn(async move {
                            let outcome = attempt(&state, &http, &delivery, &endpoint).await;
                            crate::metrics::webhook_delivery(match (&outcome.delivered, &outcome.next_attempt_at) {
                                (true, _) => "delivered",
                                (false, Some(_)) => "retrying",
                                (false, None) => "failed",
                            });
                            if let Err(e) = state.store.finish_webhook_attempt(&outcome).await {
                                tracing::warn!(error = %e, delivery = %delivery.delivery_id, "recording a webhook attempt");
                            }
                            sending
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .remove(&delivery.delivery_id);
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "webhook outbox"),
            }
        }
        tokio::select! {
            () = state.bus.committed() => {}
            () = state.settings.clock.moved() => {}
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = shutdown.wait_for(|down| *down) => break,
        }
    }
    while in_flight.join_next().await.is_some() {}
}

/// The `webhook-signature` value: one `v1,` signature per secret in use.
fn signature(
    state: &AppState,
    endpoint: &EndpointRow,
    id: &str,
    ts: i64,
    body: &[u8],
    now: i64,
) -> anyhow::Result<String> {
    let open = |sealed: &str| -> anyhow::Result<WebhookSecret> {
        let text = state.secrets.open(&endpoint.endpoint_id, sealed)?;
        WebhookSecret::parse(&text).ok_or_else(|| anyhow::anyhow!("stored secret unreadable"))
    };
    let mut sig = open(&endpoint.secret_sealed)?.sign(id, ts, body);
    if let (Some(prev), Some(until)) = (
        &endpoint.previous_secret_sealed,
        endpoint.previous_secret_until,
    ) && until > now
    {
        sig.push(' ');
        sig.push_str(&open(prev)?.sign(id, ts, body));
    }
    Ok(sig)
}

/// What went wrong, in words for the delivery log.
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    if e.is_timeout() {
        return format!("no answer within {} s", TIMEOUT.as_secs());
    }
    let mut cause: Option<&dyn Error> = e.source();
    while let Some(c) = cause {
        if let Some(refused) = c.downcast_ref::<target::Refused>() {
            return format!("refused: {refused}");
        }
        cause = c.source();
    }
    if e.is_connect() {
        return "could not connect".into();
    }
    "the request failed".into()
}

/// One attempt, and what follows from it.
async fn attempt(
    state: &AppState,
    http: &reqwest::Client,
    d: &DeliveryRow,
    e: &EndpointRow,
) -> AttemptOutcome {
    let now = state.settings.clock.now_ms();
    let sent = send(state, http, d, e, now).await;
    let (delivered, status_code, error) = match sent {
        Ok(code) if (200..300).contains(&code) => (true, Some(code), None),
        Ok(code) => (false, Some(code), Some(format!("HTTP {code}"))),
        Err(why) => (false, None, Some(why)),
    };
    let next = schedule::after(
        d.attempts,
        delivered,
        e.failing_since,
        now,
        error.as_deref().unwrap_or_default(),
    );
    // A failure rests the whole endpoint, longer each time in a row; a success ends it.
    let failures = if delivered {
        0
    } else {
        e.failures.saturating_add(1)
    };
    let paused_until =
        (!delivered).then(|| now.saturating_add(millis(schedule::pause(u64::from(failures)))));
    if let Some(reason) = &next.disable_reason {
        tracing::warn!(endpoint = %e.endpoint_id, %reason, "webhook endpoint turned off");
    }
    AttemptOutcome {
        delivery_id: d.delivery_id.clone(),
        endpoint_id: e.endpoint_id.clone(),
        delivered,
        status_code,
        error,
        next_attempt_at: next.attempt_at,
        failing_since: next.failing_since,
        disable_reason: next.disable_reason,
        failures,
        paused_until,
        now,
    }
}

/// Posts a delivery; the status code, or why there was none.
async fn send(
    state: &AppState,
    http: &reqwest::Client,
    d: &DeliveryRow,
    e: &EndpointRow,
    now: i64,
) -> Result<u16, String> {
    let allow_private = state.settings.webhook_allow_private;
    let url = target::parse(&e.url, allow_private).map_err(|r| format!("refused: {r}"))?;
    target::check_literal(&url, allow_private).map_err(|r| format!("refused: {r}"))?;
    // The signed timestamp is the real time: receivers check it against their clocks.
    let ts = now_ms() / 1000;
    let sig = signature(state, e, &d.delivery_id, ts, d.body.as_bytes(), now)
        .map_err(|err| format!("could not sign: {err}"))?;
    let res = http
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &d.delivery_id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", sig)
        .body(d.body.clone())
        .send()
        .await
        .map_err(|err| describe(&err))?;
    Ok(res.status().as_u16())
}
