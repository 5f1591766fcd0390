//! `tonle admin …`: what whoever runs the server does on its database directly (no account, no
//! HTTP): see which payee accounts merchants claim, verify a claim, see payments that wait for one.

use std::fmt::Write as _;
use std::path::Path;

use crate::clock::{now_ms, rfc3339};
use crate::store::Store;
use crate::store::StoreError;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;

/// The database `tonle serve` uses: PostgreSQL at `url`, else SQLite in the data dir.
async fn open(data_dir: &Path, url: &Option<String>) -> anyhow::Result<Box<dyn Store>> {
    // A separate process: nobody here listens to live events.
    let bus = crate::bus::EventBus::new();
    if let Some(url) = url {
        return Ok(Box::new(PgStore::open(url, 2, bus).await?));
    }
    let path = data_dir.join(crate::config::DATABASE_FILE);
    if !path.is_file() {
        anyhow::bail!(
            "no database at {} (is this the data dir `tonle serve` uses?)",
            path.display()
        );
    }
    Ok(Box::new(SqliteStore::open(&path, bus).await?))
}

/// Every claimed payee account: account, merchant, owner, verified or not, payments waiting.
pub async fn accounts(data_dir: &Path, url: &Option<String>) -> anyhow::Result<String> {
    let store = open(data_dir, url).await?;
    let mut out = String::from("account\tverified\twaiting\tmerchant_id\towner\tbusiness\n");
    for c in store.account_claims().await? {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            c.account,
            if c.verified { "yes" } else { "no" },
            c.waiting,
            c.merchant_id,
            c.owner_email.as_deref().unwrap_or("-"),
            c.business_name
        );
    }
    Ok(out)
}

/// Verifies that `account` belongs to `merchant` (its id or its owner's email); payments that
/// waited for the account are credited to that merchant's review queue.
pub async fn verify_account(
    data_dir: &Path,
    url: &Option<String>,
    account: &str,
    merchant: &str,
) -> anyhow::Result<String> {
    let store = open(data_dir, url).await?;
    let merchant_id = if merchant.contains('@') {
        store
            .user_by_email(&merchant.trim().to_lowercase())
            .await?
            .ok_or_else(|| anyhow::anyhow!("no account has the email {merchant}"))?
            .merchant_id
    } else {
        merchant.to_owned()
    };
    match store
        .verify_account(account.trim(), &merchant_id, now_ms())
        .await
    {
        Ok(events) => Ok(format!(
            "verified: {account} is merchant {merchant_id}'s; {} waiting payment(s) credited to its review queue\n",
            events.len()
        )),
        Err(StoreError::NotFound) => anyhow::bail!(
            "merchant {merchant_id} does not name {account} in its profile; see `tonle admin accounts`"
        ),
        Err(e) => Err(e.into()),
    }
}

/// Gives the user with `email` a new random password (printed once) and signs them out
/// everywhere: for a merchant who forgot theirs, on a server without email.
pub async fn reset_password(
    data_dir: &Path,
    url: &Option<String>,
    email: &str,
) -> anyhow::Result<String> {
    let store = open(data_dir, url).await?;
    let email = email.trim().to_lowercase();
    let password = crate::auth::new_token();
    let hasher = crate::hashing::Hasher::start(1)?;
    let hash = hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    match store.reset_password(&email, &hash, now_ms()).await {
        Ok(()) => Ok(format!(
            "new password for {email}: {password}\n(signed out everywhere; they sign in with it and may keep it)\n"
        )),
        Err(StoreError::NotFound) => anyhow::bail!("no account has the email {email}"),
        Err(e) => Err(e.into()),
    }
}

/// Payments that settled no charge and wait for their account to be verified.
pub async fn unassigned(data_dir: &Path, url: &Option<String>) -> anyhow::Result<String> {
    let store = open(data_dir, url).await?;
    let mut out = String::from(
        "received_at\taccount\tamount\tcurrency\tnetwork\ttransaction_id\tpayment_id\n",
    );
    for p in store.unassigned_payments().await? {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            rfc3339(p.received_at),
            p.account,
            p.money.to_decimal_string(),
            p.money.currency.code(),
            p.network,
            p.transaction_id,
            p.payment_id
        );
    }
    Ok(out)
}
