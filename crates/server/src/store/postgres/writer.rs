//! The PostgreSQL payment writers: a few tasks share one queue; each takes every notification
//! waiting (up to `GROUP_MAX`), records them in one transaction, appends the group's events per
//! merchant (merchants in id order, so writers and instances never wait on each other in a
//! circle) with one statement each, and commits once; each caller hears its outcome only after
//! that commit (durable before 2xx). A group that fails is written again one by one, so one bad
//! notification does not sink its neighbours.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

use super::ingest::{Staged, record};
use super::*;

/// Most notifications one transaction takes.
const GROUP_MAX: usize = 64;
/// Writer tasks per instance.
const WRITERS: usize = 2;

/// A notification waiting for a writer, and where its outcome goes.
pub(super) struct PaymentJob {
    pub(super) new: NewPayment,
    pub(super) reply: oneshot::Sender<StoreResult<PaymentOutcome>>,
}

/// Starts the writers; notifications go to the returned queue.
pub(super) fn spawn(pool: Pool, bus: EventBus) -> mpsc::Sender<PaymentJob> {
    let (tx, rx) = mpsc::channel(4 * GROUP_MAX);
    let rx = Arc::new(Mutex::new(rx));
    for _ in 0..WRITERS {
        let (pool, bus, rx) = (pool.clone(), bus.clone(), Arc::clone(&rx));
        tokio::spawn(async move { run(pool, bus, rx).await });
    }
    tx
}

async fn run(pool: Pool, bus: EventBus, jobs: Arc<Mutex<mpsc::Receiver<PaymentJob>>>) {
    loop {
        let mut batch = Vec::with_capacity(GROUP_MAX);
        {
            let mut jobs = jobs.lock().await;
            let Some(first) = jobs.recv().await else {
                return;
            };
            batch.push(first);
            while batch.len() < GROUP_MAX {
                match jobs.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        crate::metrics::writer_group(batch.len());
        match write_group(&pool, &bus, batch.iter().map(|j| &j.new)).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.into_iter().zip(outcomes) {
                    let _ = job.reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                tracing::warn!(error = ?e, size = batch.len(), "payment group failed; writing one by one");
                for job in batch {
                    let outcome = write_group(&pool, &bus, std::iter::once(&job.new))
                        .await
                        .map(|mut o| o.remove(0));
                    if let Err(e) = &outcome {
                        tracing::error!(error = ?e, "payment failed to commit");
                    }
                    let _ = job.reply.send(outcome);
                }
            }
        }
    }
}

async fn write_group<'a>(
    pool: &Pool,
    bus: &EventBus,
    jobs: impl ExactSizeIterator<Item = &'a NewPayment>,
) -> StoreResult<Vec<PaymentOutcome>> {
    let mut tx = EventTx::begin(pool, bus).await?;
    let mut staged = Vec::with_capacity(jobs.len());
    for new in jobs {
        staged.push(record(&mut tx, new).await?);
    }
    let outcomes = append_staged(&mut tx, staged).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Appends a merchant's staged events: reserves `n` sequence numbers on its head row, inserts
/// the events, tells every instance the last one, and says whether the merchant has webhook
/// endpoints to put them out to. Binds: merchant, n, kinds, data, times.
const APPEND_MANY: &str = "with head as ( \
       insert into event_head (merchant_id, seq) values ($1, $2) \
       on conflict (merchant_id) do update set seq = event_head.seq + $2 \
       returning seq), \
     ev as ( \
       insert into event (merchant_id, seq, kind, data, created_at, updated_at) \
       select $1, head.seq - $2 + e.n, e.kind, e.data, e.at, e.at \
       from head, unnest($3::text[], $4::text[], $5::bigint[]) with ordinality as e(kind, data, at, n) \
       returning seq) \
     select max(seq) as last, pg_notify('tonle_events', $1 || ':' || max(seq)), \
       exists (select 1 from webhook_endpoint w where w.merchant_id = $1 and w.enabled = 1 \
               and w.deleted_at is null) as hooked, \
       exists (select 1 from telegram_chat t where t.merchant_id = $1 and t.status = 'active' \
               and t.deleted_at is null) as chatted \
     from ev";

/// Puts a merchant's events in the outbox of its Telegram chats that ask for them (as
/// `dialect::TG_ENQUEUE`, many at once). Binds: merchant, seqs, kinds, bodies, times, counters.
const TG_ENQUEUE_MANY: &str = "insert into telegram_message (message_row_id, link_id, merchant_id, seq, kind, body, created_at, updated_at) \
     select 'tgm_' || replace(gen_random_uuid()::text, '-', ''), c.link_id, c.merchant_id, e.seq, e.kind, e.body, e.at, e.at \
     from telegram_chat c, unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[]) as e(seq, kind, body, at, counter) \
     where c.merchant_id = $1 and c.status = 'active' and c.deleted_at is null \
       and (c.events = '[]' or c.events like '%\"' || e.kind || '\"%') \
       and (c.terminal_id is null or c.terminal_id = e.counter) \
       and (c.store_id is null or c.store_id = (select t.store_id from terminal t where t.terminal_id = e.counter))";

/// Puts a merchant's events in the outbox of its endpoints that ask for them.
/// Binds: merchant, seqs, types, bodies, times.
const ENQUEUE_MANY: &str = "insert into webhook_delivery (delivery_id, endpoint_id, merchant_id, seq, event_type, body, next_attempt_at, created_at, updated_at) \
     select 'msg_' || replace(gen_random_uuid()::text, '-', ''), w.endpoint_id, w.merchant_id, e.seq, e.kind, e.body, e.at, e.at, e.at \
     from webhook_endpoint w, unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[]) as e(seq, kind, body, at) \
     where w.merchant_id = $1 and w.enabled = 1 and w.deleted_at is null \
       and (w.events = '[]' or strpos(w.events, '\"' || e.kind || '\"') > 0)";

/// One merchant's webhook deliveries of a group, as the columns `ENQUEUE_MANY` unnests.
#[derive(Default)]
struct Outbox {
    seqs: Vec<i64>,
    kinds: Vec<&'static str>,
    bodies: Vec<String>,
    times: Vec<i64>,
}

/// One merchant's Telegram rows of a group, as the columns `TG_ENQUEUE_MANY` unnests.
#[derive(Default)]
struct Alerts {
    seqs: Vec<i64>,
    kinds: Vec<&'static str>,
    bodies: Vec<String>,
    times: Vec<i64>,
    counters: Vec<Option<String>>,
}

/// Gives each staged event its merchant's next sequence number, in order, and makes the
/// outcomes.
async fn append_staged(tx: &mut EventTx, staged: Vec<Staged>) -> StoreResult<Vec<PaymentOutcome>> {
    let mut per_merchant: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in staged.iter().enumerate() {
        if let Staged::Event { merchant_id, .. } = s {
            per_merchant.entry(merchant_id.clone()).or_default().push(i);
        }
    }
    let mut seqs = vec![0u64; staged.len()];
    let mut hooked = std::collections::BTreeSet::new();
    let mut chatted = std::collections::BTreeSet::new();
    for (merchant_id, idx) in &per_merchant {
        let (mut kinds, mut data, mut times) = (Vec::new(), Vec::new(), Vec::new());
        for &i in idx {
            if let Staged::Event { data: d, now, .. } = &staged[i] {
                kinds.push(kind(d));
                data.push(serde_json::to_string(d).map_err(other)?);
                times.push(*now);
            }
        }
        let row = sqlx::query(APPEND_MANY)
            .bind(merchant_id)
            .bind(idx.len() as i64)
            .bind(&kinds)
            .bind(&data)
            .bind(&times)
            .fetch_one(&mut **tx)
            .await?;
        let last: i64 = row.try_get("last")?;
        if row.try_get::<bool, _>("hooked")? {
            hooked.insert(merchant_id.as_str());
        }
        if row.try_get::<bool, _>("chatted")? {
            chatted.insert(merchant_id.as_str());
        }
        let first = last as u64 + 1 - idx.len() as u64;
        for (k, &i) in idx.iter().enumerate() {
            seqs[i] = first + k as u64;
        }
    }
    let mut outcomes = Vec::with_capacity(staged.len());
    let mut hooks: BTreeMap<String, Outbox> = BTreeMap::new();
    let mut alerts: BTreeMap<String, Alerts> = BTreeMap::new();
    for (i, s) in staged.into_iter().enumerate() {
        match s {
            Staged::Done(outcome) => outcomes.push(outcome),
            Staged::Event {
                payment,
                charge,
                merchant_id,
                data,
                now,
            } => {
                let event = api::Event {
                    seq: seqs[i],
                    at_ms: now,
                    data,
                };
                let hook = if hooked.contains(merchant_id.as_str()) {
                    crate::domain::webhook::body(&event).map_err(other)?
                } else {
                    None
                };
                if let Some((kind, body)) = hook {
                    let o = hooks.entry(merchant_id.clone()).or_default();
                    o.seqs.push(event.seq as i64);
                    o.kinds.push(kind.as_str());
                    o.bodies.push(body);
                    o.times.push(now);
                }
                let alert = if chatted.contains(merchant_id.as_str()) {
                    crate::domain::alert::of(&event)
                } else {
                    None
                };
                if let Some((kind, counter)) = alert {
                    let a = alerts.entry(merchant_id.clone()).or_default();
                    a.seqs.push(event.seq as i64);
                    a.kinds.push(kind.as_str());
                    a.bodies
                        .push(crate::domain::alert::body(&event).map_err(other)?);
                    a.times.push(now);
                    a.counters.push(counter.map(str::to_owned));
                }
                tx.appended(&merchant_id, event.clone());
                outcomes.push(PaymentOutcome::Recorded {
                    payment,
                    charge,
                    event,
                });
            }
        }
    }
    for (merchant_id, o) in &hooks {
        sqlx::query(ENQUEUE_MANY)
            .bind(merchant_id)
            .bind(&o.seqs)
            .bind(&o.kinds)
            .bind(&o.bodies)
            .bind(&o.times)
            .execute(&mut **tx)
            .await?;
    }
    for (merchant_id, a) in &alerts {
        sqlx::query(TG_ENQUEUE_MANY)
            .bind(merchant_id)
            .bind(&a.seqs)
            .bind(&a.kinds)
            .bind(&a.bodies)
            .bind(&a.times)
            .bind(&a.counters)
            .execute(&mut **tx)
            .await?;
    }
    Ok(outcomes)
}
