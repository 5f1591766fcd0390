//! A transaction Bakong reports, recorded as a payment.

use sha2::{Digest, Sha256};

use super::client::Transaction;
use crate::api;
use crate::clock::now_ms;
use crate::store::{NewPayment, PaymentOutcome, PollCharge, Store};

/// A found transaction as a payment notification would carry it, recorded through the same
/// exactly-once path (network `bakong`, transaction id = Bakong's hash).
pub(super) async fn record(
    store: &dyn Store,
    charge: &PollCharge,
    tx: &Transaction,
) -> anyhow::Result<()> {
    let now = now_ms();
    let Some(money) = tx.money else {
        tracing::warn!(hash = ?tx.hash, amount = ?tx.amount_text, "bakong transaction with an unreadable amount");
        return Ok(());
    };
    // Only fields Bakong never changes go into the receipt's hash, so seeing the same transaction
    // again is a duplicate, not a conflicting reuse.
    let stable = format!(
        "{}|{}|{}|{}|{}|{}",
        tx.hash,
        charge.md5,
        money.amount.get(),
        money.currency,
        tx.to_account_id.as_deref().unwrap_or(""),
        tx.created_date_ms.unwrap_or(0)
    );
    let institution = tx
        .from_account_id
        .as_deref()
        .and_then(|a| a.split_once('@'))
        .map(|(_, bank)| api::text::clean_one_line(bank, 64));
    let new = NewPayment {
        payment_id: uuid::Uuid::new_v4().to_string(),
        network: api::Network::Bakong,
        transaction_id: tx.hash.clone(),
        md5: Some(charge.md5.to_ascii_lowercase()),
        bill_number: None,
        merchant_account: tx.to_account_id.clone(),
        money,
        payer: api::Payer {
            wallet: "Bakong".into(),
            institution,
            country: "KH".into(),
            amount: None,
            currency: None,
            rate: None,
            account: tx
                .from_account_id
                .as_deref()
                .map(|a| api::text::clean_one_line(a, 128)),
            reference: tx
                .external_ref
                .as_deref()
                .map(|r| api::text::clean_one_line(r, 128)),
        },
        // Bakong's own time, unless it is implausible: then when this server found it.
        paid_at: tx
            .created_date_ms
            .filter(|t| crate::domain::payment::plausible_paid_at(*t, now))
            .unwrap_or(now),
        now,
        webhook_id: format!("poll:{}", tx.hash),
        body_hash: Sha256::digest(stable.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    };
    match store.record_payment(new).await? {
        PaymentOutcome::Recorded { event, .. } => {
            tracing::info!(hash = ?tx.hash, seq = event.seq, "payment found on Bakong");
        }
        PaymentOutcome::Duplicate { .. } => {}
        other => {
            tracing::warn!(hash = ?tx.hash, outcome = ?other, "bakong transaction not recorded")
        }
    }
    Ok(())
}
