//! Recording a notification on PostgreSQL: the same steps as SQLite's payment writer
//! (`sqlite/ingest.rs`), as sqlx statements in the caller's transaction. The charge it settles is
//! locked while it is judged, so a cancel, an expiry or a second payment waits its turn.

use std::sync::LazyLock;

use super::*;
use crate::domain::settlement::{self, Verdict};

/// Records one notification: a refused one writes nothing but its receipt.
pub(super) async fn record(tx: &mut EventTx, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    // The receipt: inserted, or the earlier one's body hash returned (the update changes nothing).
    let hash: String = sqlx::query_scalar(
        "insert into webhook_receipt (network, webhook_id, body_hash, created_at, updated_at) \
         values ($1, $2, $3, $4, $4) \
         on conflict (network, webhook_id) do update set updated_at = webhook_receipt.updated_at \
         returning body_hash",
    )
    .bind(new.network.as_str())
    .bind(&new.webhook_id)
    .bind(&new.body_hash)
    .bind(new.now)
    .fetch_one(&mut **tx)
    .await?;
    if hash != new.body_hash {
        return Ok(PaymentOutcome::WebhookIdReused);
    }
    let Some(charge) = charge_named(tx, new).await? else {
        if let Some(counter) = counter_of(tx, new.md5.as_deref()).await? {
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
    let at = Counter(None);
    let Some(payment) =
        insert_payment(tx, new, &charge.merchant_id, Some(&charge), review, at).await?
    else {
        return duplicate(tx, new).await;
    };
    let charge_after = match verdict {
        Verdict::Settles { status, .. } => {
            let settled_by = Some((payment.payment_id.as_str(), new.paid_at));
            set_charge_status(tx, &charge.charge_id, status, settled_by, new.now).await?
        }
        Verdict::Review(_) => charge,
    };
    let data = settlement::event(Some(&charge_after), crate::domain::payment::view(&payment));
    let event = append_event(tx, &charge_after.merchant_id, data, new.now).await?;
    Ok(PaymentOutcome::Recorded {
        payment,
        charge: Some(charge_after),
        event,
    })
}

/// The charge a notification names, by md5 first, then by bill number (what each found means
/// is the settlement rule's to say), locked.
async fn charge_named(tx: &mut EventTx, new: &NewPayment) -> StoreResult<Option<ChargeRow>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "select {CHARGE_COLS} from charge where md5 = $1 or bill_number = $2 \
             order by md5 = $1 desc limit 1 for update"
        )
    });
    if new.md5.is_none() && new.bill_number.is_none() {
        return Ok(None);
    }
    let md5 = new.md5.as_deref().map(str::to_ascii_lowercase);
    sqlx::query(SQL.as_str())
        .bind(md5)
        .bind(&new.bill_number)
        .fetch_optional(&mut **tx)
        .await?
        .as_ref()
        .map(charge_row)
        .transpose()
}

/// The (merchant, counter) whose static code has this md5, when that merchant's payee account
/// is theirs beyond doubt (see the SQLite writer's `counter_of`).
async fn counter_of(tx: &mut EventTx, md5: Option<&str>) -> StoreResult<Option<(String, String)>> {
    let Some(md5) = md5 else {
        return Ok(None);
    };
    let row = sqlx::query(
        "select c.merchant_id, c.terminal_id from counter_code c \
         join merchant m on m.merchant_id = c.merchant_id \
         where c.md5 = $1 and ( \
           exists (select 1 from account_verification v where v.merchant_id = m.merchant_id \
                   and v.account in (m.bakong_account_id, m.upi_account, substr(m.upi_account, 17))) \
           or not exists (select 1 from merchant o where o.merchant_id <> m.merchant_id \
                   and (o.bakong_account_id = m.bakong_account_id or o.upi_account = m.upi_account)))",
    )
    .bind(md5.to_ascii_lowercase())
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
) -> StoreResult<PaymentOutcome> {
    let at = Counter(Some(&terminal_id));
    let Some(payment) = insert_payment(tx, new, &merchant_id, None, None, at).await? else {
        return duplicate(tx, new).await;
    };
    let data = api::EventData::PaymentReceived {
        payment: crate::domain::payment::view(&payment),
    };
    let event = append_event(tx, &merchant_id, data, new.now).await?;
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
async fn insert_payment(
    tx: &mut EventTx,
    new: &NewPayment,
    merchant_id: &str,
    charge: Option<&ChargeRow>,
    review: Option<api::ReviewReason>,
    Counter(counter): Counter<'_>,
) -> StoreResult<Option<PaymentRow>> {
    let inserted = sqlx::query(
        "insert into payment (payment_id, merchant_id, network, transaction_id, charge_id, amount_minor, currency, payer, paid_at, created_at, updated_at, review_reason, terminal_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $12) \
         on conflict (network, transaction_id) do nothing",
    )
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
    .execute(&mut **tx)
    .await?;
    Ok((inserted.rows_affected() == 1).then(|| PaymentRow {
        payment_id: new.payment_id.clone(),
        merchant_id: merchant_id.to_owned(),
        network: new.network,
        transaction_id: new.transaction_id.clone(),
        charge_id: charge.map(|c| c.charge_id.clone()),
        bill_number: charge.map(|c| c.bill_number.clone()),
        terminal_id: counter
            .map(str::to_owned)
            .or_else(|| charge.and_then(|c| c.terminal_id.clone())),
        money: new.money,
        payer: new.payer.clone(),
        paid_at: new.paid_at,
        created_at: new.now,
        resolution: None,
        review,
    }))
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
async fn duplicate(tx: &mut EventTx, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    earlier(tx, new).await?.ok_or_else(|| {
        other(anyhow::anyhow!(
            "payment {}/{} conflicted but cannot be read",
            new.network.as_str(),
            new.transaction_id
        ))
    })
}

/// A payment that names no charge but names its payee account: credited, for review, to the
/// merchant holding a verified claim on that account; with no such merchant, held unassigned.
async fn record_unmatched(tx: &mut EventTx, new: &NewPayment) -> StoreResult<PaymentOutcome> {
    if let Some(earlier) = earlier(tx, new).await? {
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
    let at = Counter(None);
    let Some(payment) = insert_payment(tx, new, &merchant_id, None, review, at).await? else {
        return duplicate(tx, new).await;
    };
    let data = settlement::event(None, crate::domain::payment::view(&payment));
    let event = append_event(tx, &merchant_id, data, new.now).await?;
    Ok(PaymentOutcome::Recorded {
        payment,
        charge: None,
        event,
    })
}

/// Keeps a payment for an unverified account, once per (network, transaction id).
async fn hold(tx: &mut EventTx, new: &NewPayment, account: &str) -> StoreResult<PaymentOutcome> {
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
    Ok(PaymentOutcome::Held { payment_id })
}
