//! Recording a notification on PostgreSQL: the same steps as SQLite's payment writer
//! (`sqlite/ingest.rs`), as sqlx statements in the writer's transaction. The charge it settles is
//! locked while it is judged, so a cancel, an expiry or a second payment waits its turn. The event
//! is not appended here but staged: the writer appends a group's events per merchant in one
//! statement just before commit (`writer.rs`), so the merchant's sequence row is held briefly.

use std::sync::LazyLock;

use super::*;
use crate::domain::settlement::{self, Verdict};

/// A recorded notification: decided, or recorded with its event still to append.
pub(super) enum Staged {
    /// nothing to append (a duplicate, a held or refused notification)
    Done(PaymentOutcome),
    /// the payment is written; its event gets the merchant's next sequence number at the end
    Event {
        payment: PaymentRow,
        charge: Option<ChargeRow>,
        merchant_id: String,
        data: api::EventData,
        now: i64,
    },
}

impl From<PaymentOutcome> for Staged {
    fn from(o: PaymentOutcome) -> Self {
        Staged::Done(o)
    }
}

/// Records one notification: a refused one writes nothing but its receipt.
pub(super) async fn record(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Staged> {
    // The receipt (inserted, or the earlier one's body hash returned: the update changes
    // nothing) and the charge it names, locked, in one round trip.
    let (hash, found) = receipt_and_charge(tx, new).await?;
    if hash != new.body_hash {
        return Ok(PaymentOutcome::WebhookIdReused.into());
    }
    let Some(charge) = found else {
        if let Some(counter) = counter_of(tx, new).await? {
            return record_counter_sale(tx, new, counter).await;
        }
        return record_unmatched(tx, new).await;
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
    let settles = match verdict {
        Verdict::Settles { status, .. } => Some(status),
        Verdict::Review(_) => None,
    };
    let to = Payee {
        merchant_id: &charge.merchant_id,
        charge: Some(&charge),
        counter: None,
        settles,
    };
    let Some((payment, settled)) = insert_payment(tx, new, to, review).await? else {
        return duplicate(tx, new).await;
    };
    // A payment kept for review leaves the charge as it was: it is no `charge_paid`.
    let data = settlement::event(settled.as_ref(), crate::domain::payment::view(&payment));
    let charge_after = settled.unwrap_or(charge);
    Ok(Staged::Event {
        merchant_id: charge_after.merchant_id.to_string(),
        payment,
        charge: Some(charge_after),
        data,
        now: new.now,
    })
}

/// Writes the notification's receipt and reads the charge it names, by md5 first, then by bill
/// number (what each found means is the settlement rule's to say), locked.
async fn receipt_and_charge(
    tx: &mut EventTx,
    new: &NewPayment,
) -> StoreResult<(String, Option<ChargeRow>)> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "with receipt as ( \
               insert into webhook_receipt (network, webhook_id, body_hash, created_at, updated_at) \
               values ($1, $2, $3, $4, $4) \
               on conflict (network, webhook_id) do update set updated_at = webhook_receipt.updated_at \
               returning body_hash) \
             select receipt.body_hash as receipt_hash, c.* from receipt left join lateral ( \
               select {CHARGE_COLS} from charge where md5 = $5 or bill_number = $6 \
               order by md5 = $5 desc limit 1 for update) c on true"
        )
    });
    let md5 = new.md5.as_deref().map(str::to_ascii_lowercase);
    let row = sqlx::query(SQL.as_str())
        .bind(new.network.as_str())
        .bind(&new.webhook_id)
        .bind(&new.body_hash)
        .bind(new.now)
        .bind(md5)
        .bind(&new.bill_number)
        .fetch_one(&mut **tx)
        .await?;
    let found = match row.try_get::<Option<String>, _>("charge_id")? {
        Some(_) => Some(charge_row(&row)?),
        None => None,
    };
    Ok((row.try_get("receipt_hash")?, found))
}

/// The (merchant, counter) whose static code has this md5 and pays the notified account
/// (`store::counters::counter_of_sql`).
async fn counter_of(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Option<(String, String)>> {
    static SQL: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(crate::store::counters::counter_of_sql);
    let Some(md5) = new.md5.as_deref() else {
        return Ok(None);
    };
    let row = sqlx::query(SQL.as_str())
        .bind(md5.to_ascii_lowercase())
        .bind(new.merchant_account.as_deref())
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|r| Ok((r.try_get("merchant_id")?, r.try_get("terminal_id")?)))
        .transpose()
}

/// A payment to a counter's static code: a sale at that counter.
async fn record_counter_sale(
    tx: &mut EventTx,
    new: &NewPayment,
    (merchant_id, terminal_id): (String, String),
) -> StoreResult<Staged> {
    let to = Payee {
        merchant_id: &merchant_id,
        charge: None,
        counter: Some(&terminal_id),
        settles: None,
    };
    let Some((payment, _)) = insert_payment(tx, new, to, None).await? else {
        return duplicate(tx, new).await;
    };
    let data = api::EventData::PaymentReceived {
        payment: crate::domain::payment::view(&payment),
    };
    Ok(Staged::Event {
        payment,
        charge: None,
        merchant_id,
        data,
        now: new.now,
    })
}

/// Whose a payment is: the merchant, the charge it names, or the counter whose printed code was
/// paid; and the status it moves the charge to when it settles it.
struct Payee<'a> {
    merchant_id: &'a str,
    charge: Option<&'a ChargeRow>,
    counter: Option<&'a str>,
    settles: Option<api::ChargeStatus>,
}

/// Inserts the payment unless its (network, transaction id) is already recorded (then `None`)
/// and, when it settles its charge, moves the charge, in one round trip; gives back the payment
/// and the settled charge.
async fn insert_payment(
    tx: &mut EventTx,
    new: &NewPayment,
    to: Payee<'_>,
    review: Option<api::ReviewReason>,
) -> StoreResult<Option<(PaymentRow, Option<ChargeRow>)>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "with p as ( \
               insert into payment (payment_id, merchant_id, network, transaction_id, charge_id, amount_minor, currency, payer, paid_at, created_at, updated_at, review_reason, terminal_id) \
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) \
               on conflict (network, transaction_id) do nothing \
               returning payment_id), \
             c as ( \
               update charge set status = $13, paid_at = $9, payment_id = $1, updated_at = $10 \
               where charge_id = $5 and $13::text is not null and exists (select 1 from p) \
               returning {CHARGE_COLS}) \
             select (select count(*) from p) as inserted, c.* from (select 1) as one left join c on true"
        )
    });
    let Payee {
        merchant_id,
        charge,
        counter,
        settles,
    } = to;
    let row = sqlx::query(SQL.as_str())
        .bind(&new.payment_id)
        .bind(merchant_id)
        .bind(new.network.as_str())
        .bind(&new.transaction_id)
        .bind(charge.map(|c| c.charge_id.as_str()))
        .bind(new.money.amount.get() as i64)
        .bind(new.money.currency.code())
        .bind(serde_json::to_string(&new.payer).map_err(other)?)
        .bind(new.paid_at)
        .bind(new.now)
        .bind(review.map(api::ReviewReason::as_str))
        .bind(counter)
        .bind(settles.map(api::ChargeStatus::as_str))
        .fetch_one(&mut **tx)
        .await?;
    if row.try_get::<i64, _>("inserted")? == 0 {
        return Ok(None);
    }
    let settled = match row.try_get::<Option<String>, _>("charge_id")? {
        Some(_) => Some(charge_row(&row)?),
        None => None,
    };
    let payment = new.row(merchant_id, charge, counter, review);
    Ok(Some((payment, settled)))
}

/// The earlier payment with this (network, transaction id), and its charge's state now.
async fn earlier(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Option<PaymentOutcome>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {PAYMENT_COLS}, c.status as charge_status from payment p \
             left join charge c on c.charge_id = p.charge_id \
             where p.network = $1 and p.transaction_id = $2"
        )
    });
    let Some(r) = sqlx::query(SQL.as_str())
        .bind(new.network.as_str())
        .bind(&new.transaction_id)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let status: Option<String> = r.try_get("charge_status")?;
    Ok(Some(PaymentOutcome::Duplicate {
        payment: payment_row(&r)?,
        charge_status: status.as_deref().map(api::ChargeStatus::parse),
    }))
}

/// The outcome for a payment whose insert found its (network, transaction id) taken.
async fn duplicate(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Staged> {
    let earlier = earlier(tx, new).await?.ok_or_else(|| {
        other(anyhow::anyhow!(
            "payment {}/{} conflicted but cannot be read",
            new.network.as_str(),
            new.transaction_id
        ))
    })?;
    Ok(earlier.into())
}

/// A payment that names no charge but names its payee account: credited, for review, to the
/// merchant holding a verified claim on that account; with no such merchant, held unassigned.
async fn record_unmatched(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Staged> {
    if let Some(earlier) = earlier(tx, new).await? {
        return Ok(earlier.into());
    }
    let Some(account) = new
        .merchant_account
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    else {
        return Ok(PaymentOutcome::UnknownCharge.into());
    };
    // The claim counts while the verified merchant's profile still names the account.
    let verified: Option<String> = sqlx::query_scalar(
        "select v.merchant_id from account_verification v join merchant m on m.merchant_id = v.merchant_id \
         where v.account = $1 and (m.bakong_account_id = $1 or substr(m.upi_account, 17) = $1 or m.upi_account = $1)",
    )
    .bind(account)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(merchant_id) = verified else {
        return hold(tx, new, account).await;
    };
    let review = Some(api::ReviewReason::NoCharge);
    let to = Payee {
        merchant_id: &merchant_id,
        charge: None,
        counter: None,
        settles: None,
    };
    let Some((payment, _)) = insert_payment(tx, new, to, review).await? else {
        return duplicate(tx, new).await;
    };
    let data = settlement::event(None, crate::domain::payment::view(&payment));
    Ok(Staged::Event {
        payment,
        charge: None,
        merchant_id,
        data,
        now: new.now,
    })
}

/// Keeps a payment for an unverified account, once per (network, transaction id).
async fn hold(tx: &mut EventTx, new: &NewPayment, account: &str) -> StoreResult<Staged> {
    let payment_id: String = sqlx::query_scalar(
        "insert into unassigned_payment (payment_id, network, transaction_id, account, amount_minor, currency, payer, paid_at, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         on conflict (network, transaction_id) do update set updated_at = unassigned_payment.updated_at \
         returning payment_id",
    )
    .bind(&new.payment_id)
    .bind(new.network.as_str())
    .bind(&new.transaction_id)
    .bind(account)
    .bind(new.money.amount.get() as i64)
    .bind(new.money.currency.code())
    .bind(serde_json::to_string(&new.payer).map_err(other)?)
    .bind(new.paid_at)
    .bind(new.now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(PaymentOutcome::Held { payment_id }.into())
}
