//! The Bakong poller: a named task that, every round, asks Bakong about each merchant's open
//! dynamic charges (one `check_transaction_by_md5_list` call per merchant, at most 50 md5s;
//! single checks when production's list endpoint answers 403/404), records what it finds as
//! payments, and tells every screen how checks are going.
//!
//! Cadence per charge: every round (1 s) in its first 3 minutes, while the payer may be standing
//! at the counter; every 10 s after; one last check at expiry plus a 10-minute grace window,
//! then never again. What is open is read from the database every round, so a restart forgets
//! nothing; only the cadence bookkeeping lives in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use futures::StreamExt;
use rand::Rng;
use tokio::sync::{Notify, watch};

use super::client::{BakongClient, Fault, Lookup};
use super::record::record;
use crate::api;
use crate::clock::now_ms;
use crate::error::ApiError;
use crate::secrets::SecretBox;
use crate::store::{BakongRow, PollCharge, PollLease, Store};

/// Time between rounds.
pub const ROUND: Duration = Duration::from_secs(1);
/// How long after its creation a charge is checked every round.
pub const FRESH_MS: i64 = 3 * 60_000;
/// How often an older charge is checked.
pub const SLOW_EVERY_MS: i64 = 10_000;
/// How long after expiry a late payment is still looked for (one last check then).
pub const GRACE_MS: i64 = 10 * 60_000;
/// How long the list endpoint is left alone after it answered 403/404.
const LIST_OFF_MS: i64 = 10 * 60_000;
/// Back-off after a fault: this, doubling per fault in a row, at most `BACKOFF_MAX_MS`.
const BACKOFF_BASE_MS: i64 = 2_000;
const BACKOFF_MAX_MS: i64 = 60_000;
/// A charge asked about by hand is not asked again sooner than this.
pub const CHECK_NOW_EVERY_MS: i64 = 2_000;
/// Charges older than this are never looked at (bounds the round's query).
const LOOKBACK_MS: i64 = 2 * 86_400_000;
/// Merchants asked about at once.
const CONCURRENCY: usize = 32;
/// How long an instance holds the merchants it polls without renewing (every round renews): when
/// it dies, another instance takes them over this long after its last round.
pub const LEASE_MS: i64 = 10_000;

#[derive(Default)]
struct MerchantMemory {
    failures: u32,
    backoff_until: i64,
    list_off_until: i64,
    last_call_at: Option<i64>,
}

#[derive(Default)]
struct Memory {
    /// when each charge was last asked about
    checked: HashMap<String, i64>,
    /// when each charge was last asked about by hand
    by_hand: HashMap<String, i64>,
    merchants: HashMap<String, MerchantMemory>,
}

/// The poller's client, key and memory; one per server, shared with the routes.
pub struct Bakong {
    /// this instance, as the holder of poll leases
    instance: String,
    client: BakongClient,
    secrets: SecretBox,
    memory: Mutex<Memory>,
    wake: Notify,
}

impl Bakong {
    /// A poller of the Open API at `base`, opening tokens with `secrets`.
    pub fn new(base: &str, secrets: SecretBox) -> anyhow::Result<Self> {
        Ok(Self {
            instance: format!("poller_{:016x}", rand::thread_rng().r#gen::<u64>()),
            client: BakongClient::new(base)?,
            secrets,
            memory: Mutex::default(),
            wake: Notify::new(),
        })
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key that seals tokens.
    pub fn secrets(&self) -> &SecretBox {
        &self.secrets
    }

    /// The client (a token is probed with it when saved).
    pub fn client(&self) -> &BakongClient {
        &self.client
    }

    /// Starts the next round now (a token was saved).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// When tonle last called Bakong for this merchant.
    pub fn last_call(&self, merchant_id: &str) -> Option<i64> {
        self.memory()
            .merchants
            .get(merchant_id)
            .and_then(|m| m.last_call_at)
    }

    /// One round: every merchant's due charges, one call each.
    pub async fn round(&self, store: &dyn Store, now: i64) -> anyhow::Result<()> {
        let lease = PollLease {
            holder: self.instance.clone(),
            now,
            until: now + LEASE_MS,
        };
        let work = store.bakong_work(&lease, now - LOOKBACK_MS).await?;
        {
            // Forget the cadence of charges no longer open.
            let open: std::collections::HashSet<&str> = work
                .iter()
                .flat_map(|(_, cs)| cs.iter().map(|c| c.charge_id.as_str()))
                .collect();
            let mut memory = self.memory();
            memory.checked.retain(|id, _| open.contains(id.as_str()));
            let unchecked = work.iter().flat_map(|(_, cs)| cs);
            let unchecked = unchecked.filter(|c| !memory.checked.contains_key(&c.charge_id));
            crate::metrics::bakong_oldest_unchecked(unchecked.map(|c| now - c.created_at).max());
            memory
                .by_hand
                .retain(|_, at| now - *at < CHECK_NOW_EVERY_MS);
        }
        crate::metrics::bakong_round();
        futures::stream::iter(work)
            .for_each_concurrent(CONCURRENCY, |(row, charges)| async move {
                if let Err(e) = self.merchant_round(store, &row, &charges, now).await {
                    tracing::warn!(merchant = %row.merchant_id, error = ?e, "bakong round failed");
                }
            })
            .await;
        Ok(())
    }

    /// The charges of one merchant due for a check now, most urgent first, at most one call's
    /// worth; and which of them get their last check.
    fn due(&self, charges: &[PollCharge], now: i64) -> (Vec<PollCharge>, Vec<String>) {
        let memory = self.memory();
        let mut due: Vec<(u8, &PollCharge)> = charges
            .iter()
            .filter_map(|c| {
                let last = memory.checked.get(&c.charge_id).copied();
                let since = |every: i64| last.is_none_or(|l| now - l >= every);
                if now >= c.expires_at + GRACE_MS {
                    Some((1, c))
                } else if now - c.created_at < FRESH_MS {
                    // A little under a round, so round jitter never skips one.
                    since(ROUND.as_millis() as i64 - 200).then_some((0, c))
                } else {
                    since(SLOW_EVERY_MS).then_some((2, c))
                }
            })
            .collect();
        due.sort_by_key(|(rank, c)| (*rank, std::cmp::Reverse(c.created_at)));
        due.truncate(super::client::LIST_MAX);
        let last: Vec<String> = due
            .iter()
            .filter(|(rank, _)| *rank == 1)
            .map(|(_, c)| c.charge_id.clone())
            .collect();
        (due.into_iter().map(|(_, c)| c.clone()).collect(), last)
    }

    async fn merchant_round(
        &self,
        store: &dyn Store,
        row: &BakongRow,
        charges: &[PollCharge],
        now: i64,
    ) -> anyhow::Result<()> {
        let backing_off = self
            .memory()
            .merchants
            .get(&row.merchant_id)
            .is_some_and(|m| now < m.backoff_until);
        if backing_off {
            return Ok(());
        }
        let (due, last) = self.due(charges, now);
        if due.is_empty() {
            return Ok(());
        }
        let answer = self.ask(row, &due, now).await;
        crate::metrics::bakong_call(answer.as_ref().map_or_else(Fault::metric, |_| "ok"));
        let lookups = match answer {
            Ok(lookups) => lookups,
            Err(fault) => return self.fault(store, row, fault, now).await,
        };
        let mut finished = last;
        {
            let mut memory = self.memory();
            for c in &due {
                memory.checked.insert(c.charge_id.clone(), now);
            }
        }
        for (md5, lookup) in lookups {
            let Some(charge) = due.iter().find(|c| c.md5.eq_ignore_ascii_case(&md5)) else {
                continue;
            };
            match lookup {
                Lookup::Paid(tx) => {
                    record(store, charge, &tx).await?;
                    finished.push(charge.charge_id.clone());
                }
                Lookup::StaticQr => finished.push(charge.charge_id.clone()),
                Lookup::NotFound | Lookup::Failed => {}
            }
        }
        store.finish_bakong_checks(&finished).await?;
        self.settled(store, &row.merchant_id, api::BakongStatus::Ok, None, now)
            .await
    }

    /// Asks about `due` in one list call, or one by one where the list form is not served.
    async fn ask(
        &self,
        row: &BakongRow,
        due: &[PollCharge],
        now: i64,
    ) -> Result<Vec<(String, Lookup)>, Fault> {
        let token = self
            .secrets
            .open(&row.merchant_id, &row.token_sealed)
            .map_err(|_| Fault::Unauthorized)?;
        self.memory()
            .merchants
            .entry(row.merchant_id.clone())
            .or_default()
            .last_call_at = Some(now);
        let list_off = self
            .memory()
            .merchants
            .get(&row.merchant_id)
            .is_some_and(|m| now < m.list_off_until);
        let md5s: Vec<String> = due.iter().map(|c| c.md5.clone()).collect();
        if !list_off {
            match self.client.check_md5_list(&token, &md5s).await {
                Err(Fault::ListUnavailable(code)) => {
                    tracing::info!(merchant = %row.merchant_id, code, "bakong md5 list unavailable; checking one by one");
                    self.memory()
                        .merchants
                        .entry(row.merchant_id.clone())
                        .or_default()
                        .list_off_until = now + LIST_OFF_MS;
                }
                other => return other,
            }
        }
        let mut out = Vec::with_capacity(md5s.len());
        for md5 in md5s {
            let lookup = self.client.check_md5(&token, &md5).await?;
            out.push((md5, lookup));
        }
        Ok(out)
    }

    /// A fault: refused tokens pause the merchant; anything else backs off with jitter.
    async fn fault(
        &self,
        store: &dyn Store,
        row: &BakongRow,
        fault: Fault,
        now: i64,
    ) -> anyhow::Result<()> {
        let status = match &fault {
            Fault::Unauthorized => api::BakongStatus::Unauthorized,
            Fault::RateLimited { .. } => api::BakongStatus::RateLimited,
            Fault::Unreachable(_) | Fault::ListUnavailable(_) => api::BakongStatus::Unreachable,
        };
        if status != api::BakongStatus::Unauthorized {
            let mut memory = self.memory();
            let m = memory.merchants.entry(row.merchant_id.clone()).or_default();
            m.failures = m.failures.saturating_add(1);
            let exp = BACKOFF_BASE_MS.saturating_mul(1 << m.failures.min(6).saturating_sub(1));
            let jitter = rand::thread_rng().gen_range(0.8..1.2);
            let mut wait = (exp.min(BACKOFF_MAX_MS) as f64 * jitter) as i64;
            if let Fault::RateLimited {
                retry_after: Some(r),
            } = &fault
            {
                wait = wait.max(r.as_millis() as i64);
            }
            m.backoff_until = now + wait;
        }
        tracing::warn!(merchant = %row.merchant_id, error = %fault, "bakong check failed");
        self.settled(
            store,
            &row.merchant_id,
            status,
            Some(&fault.to_string()),
            now,
        )
        .await
    }

    /// Records how checks go; tells every screen when that changed.
    async fn settled(
        &self,
        store: &dyn Store,
        merchant_id: &str,
        status: api::BakongStatus,
        error: Option<&str>,
        now: i64,
    ) -> anyhow::Result<()> {
        if status == api::BakongStatus::Ok
            && let Some(m) = self.memory().merchants.get_mut(merchant_id)
        {
            m.failures = 0;
            m.backoff_until = 0;
        }
        store
            .set_bakong_status(merchant_id, status, error, now)
            .await?;
        Ok(())
    }

    /// Asks about one charge now (the "check now" button), at most once per
    /// `CHECK_NOW_EVERY_MS`; the answer is recorded like a round's.
    pub async fn check_now(
        &self,
        store: &dyn Store,
        charge: &crate::store::ChargeRow,
    ) -> Result<(), ApiError> {
        let now = now_ms();
        let recent = {
            let mut memory = self.memory();
            let last = memory.by_hand.get(charge.charge_id.as_str()).copied();
            if last.is_some_and(|l| now - l < CHECK_NOW_EVERY_MS) {
                true
            } else {
                memory.by_hand.insert(charge.charge_id.to_string(), now);
                false
            }
        };
        if recent {
            return Err(ApiError::rate_limited("checked a moment ago", 2));
        }
        let Some(row) = store.bakong(&charge.merchant_id).await? else {
            return Err(ApiError::Conflict {
                field: None,
                message: "no Bakong token is saved; the owner connects Bakong in Settings".into(),
            });
        };
        if row.status == api::BakongStatus::Unauthorized {
            return Err(ApiError::Conflict {
                field: None,
                message: "Bakong refuses the saved token; the owner saves a new one in Settings"
                    .into(),
            });
        }
        let poll = PollCharge {
            charge_id: charge.charge_id.to_string(),
            merchant_id: charge.merchant_id.to_string(),
            md5: charge.md5.to_string(),
            created_at: charge.created_at,
            expires_at: charge.expires_at,
        };
        let token = self
            .secrets
            .open(&row.merchant_id, &row.token_sealed)
            .map_err(ApiError::Internal)?;
        match self.client.check_md5(&token, &poll.md5).await {
            Ok(Lookup::Paid(tx)) => {
                record(store, &poll, &tx)
                    .await
                    .map_err(ApiError::Internal)?;
                self.settled(store, &row.merchant_id, api::BakongStatus::Ok, None, now)
                    .await
                    .map_err(ApiError::Internal)
            }
            Ok(_) => self
                .settled(store, &row.merchant_id, api::BakongStatus::Ok, None, now)
                .await
                .map_err(ApiError::Internal),
            Err(fault) => {
                self.fault(store, &row, fault, now)
                    .await
                    .map_err(ApiError::Internal)?;
                Err(ApiError::Busy {
                    message: "Bakong did not answer; payments are checked again shortly".into(),
                    retry_after_secs: 2,
                })
            }
        }
    }
}

/// The poller task: a round every `ROUND` (or at once when woken), until shutdown.
pub async fn run(
    bakong: std::sync::Arc<Bakong>,
    store: std::sync::Arc<dyn Store>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        if let Err(e) = bakong.round(store.as_ref(), now_ms()).await {
            tracing::warn!(error = ?e, "bakong poll round failed");
        }
        tokio::select! {
            () = tokio::time::sleep(ROUND) => {}
            () = bakong.wake.notified() => {}
            _ = shutdown.wait_for(|down| *down) => break,
        }
    }
    // Another instance (or this one, restarted) takes these merchants over at once.
    if let Err(e) = store.release_bakong_leases(&bakong.instance).await {
        tracing::warn!(error = ?e, "releasing bakong poll leases failed");
    }
}

#[cfg(test)]
mod tests;
