//! The payment writer: one named OS thread with its own synchronous SQLite connection. It takes
//! every notification waiting (up to `GROUP_MAX`), records them in one immediate transaction, and
//! commits once, so one fsync covers the group; each caller hears its outcome only after that
//! commit (durable before 2xx). Running the statements on this thread, instead of handing each one
//! to an async driver's worker, is what lets ingestion keep up with a busy network.

use crate::bus::EventBus;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot};

use super::dialect::{APPEND_EVENT, ENQUEUE, TG_ENQUEUE};
use super::{
    CHARGE_COLS, Cols, PAYMENT_COLS, SET_CHARGE_STATUS, charge_row, kind, other, payment_row,
};
use crate::domain::settlement::{self, Verdict};
use crate::store::{ChargeRow, NewPayment, PaymentOutcome, PaymentRow, StoreError, StoreResult};
use protocol as api;

/// A notification waiting for the payment writer, and where its outcome goes.
pub(crate) struct PaymentJob {
    pub(crate) new: NewPayment,
    pub(crate) reply: oneshot::Sender<StoreResult<PaymentOutcome>>,
}

/// Most notifications one transaction takes.
const GROUP_MAX: usize = 128;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            e => other(e),
        }
    }
}

impl Cols for rusqlite::Row<'_> {
    fn text(&self, col: &str) -> StoreResult<String> {
        Ok(self.get(col)?)
    }
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        Ok(self.get(col)?)
    }
    fn int(&self, col: &str) -> StoreResult<i64> {
        Ok(self.get(col)?)
    }
}

/// Opens the writer's connection (after migrations ran) and starts its thread.
pub(crate) fn spawn(path: &Path, bus: EventBus) -> anyhow::Result<mpsc::Sender<PaymentJob>> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.pragma_update(None, "synchronous", "full")?;
    conn.pragma_update(None, "foreign_keys", "on")?;
    let (tx, rx) = mpsc::channel(4 * GROUP_MAX);
    std::thread::Builder::new()
        .name("tonle-payment-writer".into())
        .spawn(move || run(conn, rx, bus))?;
    Ok(tx)
}

/// Tells the live screens of a committed outcome's event.
fn publish(bus: &EventBus, outcome: &StoreResult<PaymentOutcome>) {
    if let Ok(PaymentOutcome::Recorded { payment, event, .. }) = outcome {
        crate::metrics::events_appended(1);
        bus.publish(&payment.merchant_id, event.clone());
    }
}

fn run(mut conn: Connection, mut jobs: mpsc::Receiver<PaymentJob>, bus: EventBus) {
    let mut batch = Vec::with_capacity(GROUP_MAX);
    while let Some(first) = jobs.blocking_recv() {
        batch.push(first);
        while batch.len() < GROUP_MAX {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        crate::metrics::writer_group(batch.len());
        match write_group(&mut conn, batch.iter().map(|j| &j.new)) {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    let outcome = Ok(outcome);
                    publish(&bus, &outcome);
                    let _ = job.reply.send(outcome);
                }
            }
            Err(e) => {
                // One bad notification must not sink its neighbours: write each on its own.
                tracing::warn!(error = ?e, size = batch.len(), "payment group failed; writing one by one");
                for job in batch.drain(..) {
                    let outcome =
                        write_group(&mut conn, std::iter::once(&job.new)).map(|mut o| o.remove(0));
                    if let Err(e) = &outcome {
                        tracing::error!(error = ?e, "payment failed to commit");
                    }
                    publish(&bus, &outcome);
                    let _ = job.reply.send(outcome);
                }
            }
        }
    }
}

fn write_group<'a>(
    conn: &mut Connection,
    jobs: impl ExactSizeIterator<Item = &'a NewPayment>,
) -> StoreResult<Vec<PaymentOutcome>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for new in jobs {
        outcomes.push(record(&tx, new)?);
    }
    tx.commit()?;
    Ok(outcomes)
}

/// Records one notification: a refused one writes nothing but its receipt.
fn record(tx: &Connection, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    // The receipt: inserted, or the earlier one's body hash returned (the update changes nothing).
    let hash: String = tx
        .prepare_cached(
            "insert into webhook_receipt (network, webhook_id, body_hash, created_at, updated_at) \
             values (?1, ?2, ?3, ?4, ?4) \
             on conflict (network, webhook_id) do update set updated_at = webhook_receipt.updated_at \
             returning body_hash",
        )?
        .query_row(
            params![new.network.as_str(), new.webhook_id, new.body_hash, new.now],
            |r| r.get(0),
        )?;
    if hash != new.body_hash {
        return Ok(PaymentOutcome::WebhookIdReused);
    }
    // The charge: by md5 first, then by bill number (what each found means is the settlement
    // rule's to say).
    let found = if new.md5.is_some() || new.bill_number.is_some() {
        let sql = format!(
            "select {CHARGE_COLS} from charge where md5 = ?1 or bill_number = ?2 \
             order by md5 = ?1 desc limit 1"
        );
        let md5 = new.md5.as_deref().map(str::to_ascii_lowercase);
        tx.prepare_cached(&sql)?
            .query_row(params![md5, new.bill_number], |r| Ok(charge_row(r)))
            .optional()?
            .transpose()?
    } else {
        None
    };
    let Some(charge) = found else {
        if let Some(counter) = counter_of(tx, new)? {
            return record_counter_sale(tx, new, counter);
        }
        return record_unmatched(tx, new);
    };
    let verdict = settlement::judge(
        &charge,
        &settlement::Reported {
            md5: new.md5.as_deref(),
            bill_number: new.bill_number.as_deref(),
            payee: new.merchant_account.as_deref(),
            money: new.money,
            paid_at: new.paid_at,
        },
    );
    let review = match verdict {
        Verdict::Settles { note, .. } => note,
        Verdict::Review(reason) => Some(reason),
    };
    let Some(payment) = insert_payment(
        tx,
        new,
        &charge.merchant_id,
        Some(&charge),
        review,
        Counter(None),
    )?
    else {
        return duplicate(tx, new);
    };
    let settles = matches!(verdict, Verdict::Settles { .. });
    let charge_after = match verdict {
        Verdict::Settles { status, .. } => {
            // rusqlite binds by position: `?N`, not sqlx's `$N`
            let sql = format!("{SET_CHARGE_STATUS} returning {CHARGE_COLS}").replace('$', "?");
            tx.prepare_cached(&sql)?.query_row(
                params![
                    status.as_str(),
                    new.paid_at,
                    new.now,
                    charge.charge_id.as_str(),
                    payment.payment_id.as_str()
                ],
                |r| Ok(charge_row(r)),
            )??
        }
        Verdict::Review(_) => charge,
    };
    // A payment kept for review leaves the charge as it was: it is no `charge_paid` (a second
    // payment of a paid charge must not ring the counter again).
    let data = settlement::event(
        settles.then_some(&charge_after),
        crate::domain::payment::view(&payment),
    );
    let event = append_event(tx, &charge_after.merchant_id, data, new.now)?;
    Ok(PaymentOutcome::Recorded {
        payment,
        charge: Some(charge_after),
        event,
    })
}

fn append_event(
    tx: &Connection,
    merchant_id: &str,
    data: api::EventData,
    now: i64,
) -> StoreResult<api::Event> {
    let json = serde_json::to_string(&data).map_err(other)?;
    let seq: i64 = tx
        .prepare_cached(APPEND_EVENT)?
        .query_row(params![merchant_id, kind(&data), json, now], |r| r.get(0))?;
    let event = api::Event {
        seq: seq as u64,
        at_ms: now,
        data,
    };
    if let Some((kind, body)) = crate::domain::webhook::body(&event).map_err(other)? {
        tx.prepare_cached(ENQUEUE)?
            .execute(params![merchant_id, seq, kind.as_str(), body, now])?;
    }
    if let Some((chat_kind, counter)) = crate::domain::alert::of(&event) {
        let body = crate::domain::alert::body(&event).map_err(other)?;
        tx.prepare_cached(TG_ENQUEUE)?.execute(params![
            merchant_id,
            seq,
            chat_kind.as_str(),
            body,
            now,
            counter
        ])?;
    }
    Ok(event)
}

/// The (merchant, counter) whose static code has this md5 and pays the notified account
/// (`store::counters::counter_of_sql`).
fn counter_of(tx: &Connection, new: &NewPayment) -> StoreResult<Option<(String, String)>> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(crate::store::counters::counter_of_sql);
    let Some(md5) = new.md5.as_deref() else {
        return Ok(None);
    };
    Ok(tx
        .prepare_cached(&SQL)?
        .query_row(
            params![md5.to_ascii_lowercase(), new.merchant_account.as_deref()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// A payment to a counter's static code: a sale at that counter, nothing to review (the payer
/// typed the amount; the code's md5 names the payee).
fn record_counter_sale(
    tx: &Connection,
    new: &NewPayment,
    (merchant_id, terminal_id): (String, String),
) -> StoreResult<PaymentOutcome> {
    let at = Counter(Some(&terminal_id));
    let Some(payment) = insert_payment(tx, new, &merchant_id, None, None, at)? else {
        return duplicate(tx, new);
    };
    let data = api::EventData::PaymentReceived {
        payment: crate::domain::payment::view(&payment),
    };
    let event = append_event(tx, &merchant_id, data, new.now)?;
    Ok(PaymentOutcome::Recorded {
        payment,
        charge: None,
        event,
    })
}

/// The counter a payment without a charge was made at, if any.
#[derive(Clone, Copy)]
struct Counter<'a>(Option<&'a str>);

/// Inserts the payment unless its (network, transaction id) is already recorded (then `None`).
fn insert_payment(
    tx: &Connection,
    new: &NewPayment,
    merchant_id: &str,
    charge: Option<&ChargeRow>,
    review: Option<api::ReviewReason>,
    Counter(counter): Counter<'_>,
) -> StoreResult<Option<PaymentRow>> {
    let inserted = tx
        .prepare_cached(
            "insert into payment (payment_id, merchant_id, network, transaction_id, charge_id, amount_minor, currency, payer, paid_at, created_at, updated_at, review_reason, terminal_id) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12) \
             on conflict (network, transaction_id) do nothing",
        )?
        .execute(params![
            new.payment_id,
            merchant_id,
            new.network.as_str(),
            new.transaction_id,
            charge.map(|c| c.charge_id.as_str()),
            new.money.amount.get() as i64,
            new.money.currency.code(),
            serde_json::to_string(&new.payer).map_err(other)?,
            new.paid_at,
            new.now,
            review.map(api::ReviewReason::as_str),
            counter,
        ])?;
    Ok((inserted == 1).then(|| new.row(merchant_id, charge, counter, review)))
}

/// The earlier payment with this (network, transaction id), and its charge's state now.
fn earlier(tx: &Connection, new: &NewPayment) -> StoreResult<Option<PaymentOutcome>> {
    let sql = format!(
        "select {PAYMENT_COLS}, c.status as charge_status from payment p \
         left join charge c on c.charge_id = p.charge_id \
         where p.network = ?1 and p.transaction_id = ?2"
    );
    tx.prepare_cached(&sql)?
        .query_row(params![new.network.as_str(), new.transaction_id], |r| {
            Ok((|| {
                let status = r.opt_text("charge_status")?;
                Ok(PaymentOutcome::Duplicate {
                    payment: payment_row(r)?,
                    charge_status: status.as_deref().map(api::ChargeStatus::parse),
                })
            })())
        })
        .optional()?
        .transpose()
}

/// The outcome for a payment whose insert found its (network, transaction id) taken.
fn duplicate(tx: &Connection, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    earlier(tx, new)?.ok_or_else(|| {
        other(anyhow::anyhow!(
            "payment {}/{} conflicted but cannot be read",
            new.network.as_str(),
            new.transaction_id
        ))
    })
}

/// A payment that names no charge but names its payee account: credited, for review, to the
/// merchant holding a verified claim on that account; with no such merchant, held unassigned.
fn record_unmatched(tx: &Connection, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    if let Some(earlier) = earlier(tx, new)? {
        return Ok(earlier);
    }
    let Some(account) = new
        .merchant_account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        return Ok(PaymentOutcome::UnknownCharge);
    };
    // The claim counts while the verified merchant's profile still names the account.
    let verified: Option<String> = tx
        .prepare_cached(
            "select v.merchant_id from account_verification v join merchant m on m.merchant_id = v.merchant_id \
             where v.account = ?1 and (m.bakong_account_id = ?1 or substr(m.upi_account, 17) = ?1 or m.upi_account = ?1)",
        )?
        .query_row(params![account], |r| r.get(0))
        .optional()?;
    let Some(merchant_id) = verified else {
        return hold(tx, new, account);
    };
    let review = Some(api::ReviewReason::NoCharge);
    let Some(payment) = insert_payment(tx, new, &merchant_id, None, review, Counter(None))? else {
        return duplicate(tx, new);
    };
    let data = settlement::event(None, crate::domain::payment::view(&payment));
    let event = append_event(tx, &merchant_id, data, new.now)?;
    Ok(PaymentOutcome::Recorded {
        payment,
        charge: None,
        event,
    })
}

/// Keeps a payment for an unverified account, once per (network, transaction id).
fn hold(tx: &Connection, new: &NewPayment, account: &str) -> StoreResult<PaymentOutcome> {
    let payment_id: String = tx
        .prepare_cached(
            "insert into unassigned_payment (payment_id, network, transaction_id, account, amount_minor, currency, payer, paid_at, created_at, updated_at) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) \
             on conflict (network, transaction_id) do update set updated_at = unassigned_payment.updated_at \
             returning payment_id",
        )?
        .query_row(
            params![
                new.payment_id,
                new.network.as_str(),
                new.transaction_id,
                account,
                new.money.amount.get() as i64,
                new.money.currency.code(),
                serde_json::to_string(&new.payer).map_err(other)?,
                new.paid_at,
                new.now,
            ],
            |r| r.get(0),
        )?;
    Ok(PaymentOutcome::Held { payment_id })
}
