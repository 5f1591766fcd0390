//! Payee accounts: who claims which (their profiles), which claims whoever runs the server has
//! verified, and the payments that wait for an account to be verified.

use super::*;
use sqlx::Row;

use super::{append_event, payment_by_id};
use crate::api;
use crate::store::{AccountClaim, StoreError, StoreResult, UnassignedPayment};

/// Every account a merchant's profile names (Bakong account, UnionPay merchant id).
const CLAIMS: &str = "with claim as ( \
       select bakong_account_id as account, merchant_id from merchant where bakong_account_id is not null \
       union all \
       select substr(upi_account, 17), merchant_id from merchant where upi_account is not null) \
     select c.account, c.merchant_id, m.business_name, \
       (select u.email from app_user u where u.merchant_id = c.merchant_id and u.role = 'owner' limit 1) as owner_email, \
       (select count(*) from account_verification v where v.account = c.account and v.merchant_id = c.merchant_id) as verified, \
       (select count(*) from unassigned_payment p where p.account = c.account and p.assigned_to is null) as waiting \
     from claim c join merchant m on m.merchant_id = c.merchant_id \
     order by c.account, m.business_name";

pub(super) async fn account_claims(pool: &Pool) -> StoreResult<Vec<AccountClaim>> {
    let rows = sqlx::query(CLAIMS).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(AccountClaim {
                account: r.try_get("account")?,
                merchant_id: r.try_get("merchant_id")?,
                business_name: r.try_get("business_name")?,
                owner_email: r.try_get("owner_email")?,
                verified: r.try_get::<i64, _>("verified")? != 0,
                waiting: r.try_get::<i64, _>("waiting")? as u64,
            })
        })
        .collect()
}

pub(super) async fn unassigned_payments(pool: &Pool) -> StoreResult<Vec<UnassignedPayment>> {
    let rows = sqlx::query(
        "select payment_id, network, transaction_id, account, amount_minor, currency, paid_at, created_at \
         from unassigned_payment where assigned_to is null order by created_at",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(UnassignedPayment {
                payment_id: r.try_get("payment_id")?,
                network: r.try_get("network")?,
                transaction_id: r.try_get("transaction_id")?,
                account: r.try_get("account")?,
                money: super::money(r)?,
                paid_at: r.try_get("paid_at")?,
                received_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub(super) async fn verify_account(
    store: &Backend,
    account: &str,
    merchant_id: &str,
    now: i64,
) -> StoreResult<Vec<api::Event>> {
    let mut tx = store.begin().await?;
    // A merchant can be verified only for an account its own profile names.
    let claims: i64 = sqlx::query_scalar(
        "select count(*) from merchant where merchant_id = $2 \
         and (bakong_account_id = $1 or substr(upi_account, 17) = $1 or upi_account = $1)",
    )
    .bind(account)
    .bind(merchant_id)
    .fetch_one(&mut *tx)
    .await?;
    if claims == 0 {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "insert into account_verification (account, merchant_id, verified_at, created_at, updated_at) \
         values ($1, $2, $3, $3, $3) \
         on conflict (account) do update set merchant_id = excluded.merchant_id, \
           verified_at = excluded.verified_at, updated_at = excluded.updated_at",
    )
    .bind(account)
    .bind(merchant_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // What waited for this account is credited now, each once, for the merchant's review.
    let waiting: Vec<String> = sqlx::query_scalar(
        "select payment_id from unassigned_payment where account = $1 and assigned_to is null order by created_at",
    )
    .bind(account)
    .fetch_all(&mut *tx)
    .await?;
    let mut events = Vec::with_capacity(waiting.len());
    for payment_id in waiting {
        let moved = sqlx::query(
            "insert into payment (payment_id, merchant_id, network, transaction_id, charge_id, amount_minor, currency, payer, paid_at, created_at, updated_at, review_reason) \
             select payment_id, $2, network, transaction_id, null, amount_minor, currency, payer, paid_at, created_at, $3, 'no_charge' \
             from unassigned_payment where payment_id = $1 \
             on conflict (network, transaction_id) do nothing",
        )
        .bind(&payment_id)
        .bind(merchant_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "update unassigned_payment set assigned_to = $2, assigned_at = $3, updated_at = $3 where payment_id = $1",
        )
        .bind(&payment_id)
        .bind(merchant_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if moved.rows_affected() == 0 {
            continue;
        }
        let (payment, _) = payment_by_id(&mut tx, merchant_id, &payment_id).await?;
        let data = crate::domain::settlement::event(None, crate::domain::payment::view(&payment));
        events.push(append_event(&mut tx, merchant_id, data, now).await?);
    }
    tx.commit().await?;
    Ok(events)
}

#[async_trait]
impl ClaimStore for Backend {
    async fn account_claims(&self) -> StoreResult<Vec<AccountClaim>> {
        account_claims(&self.reader).await
    }

    async fn verify_account(
        &self,
        account: &str,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<api::Event>> {
        verify_account(self, account, merchant_id, now).await
    }

    async fn unassigned_payments(&self) -> StoreResult<Vec<UnassignedPayment>> {
        unassigned_payments(&self.reader).await
    }
}
