//! Throttle counters every instance shares, kept in the store: what guessing would gain from
//! spreading its tries over instances behind a load balancer.

use std::net::IpAddr;

use super::{SIGNIN_PER_IP, SIGNIN_PER_PAIR, WINDOW_MS};
use crate::error::ApiError;

/// A try counted against a limit every instance shares (in the store), in fixed windows of
/// `WINDOW_MS`, so tries spread over several instances count together; `release` takes it back
/// when it turns out not to count (a sign-in that succeeded, a right code).
#[derive(Debug)]
pub struct SharedTry {
    key: String,
    window: i64,
}

impl SharedTry {
    /// Counts a try on `key`; refused (and not counted) past `limit` in this window.
    pub async fn take(
        store: &dyn crate::store::Store,
        key: String,
        limit: usize,
        now: i64,
        refused: &str,
    ) -> Result<Self, ApiError> {
        let window = now - now.rem_euclid(WINDOW_MS);
        if store.throttle_hit(&key, window, now).await? > limit as u64 {
            store.throttle_unhit(&key, window).await?;
            let retry = ((window + WINDOW_MS - now) / 1000).max(1) as u64;
            return Err(ApiError::rate_limited(refused, retry));
        }
        Ok(Self { key, window })
    }

    /// Takes the try back.
    pub async fn release(&self, store: &dyn crate::store::Store) -> Result<(), ApiError> {
        Ok(store.throttle_unhit(&self.key, self.window).await?)
    }

    /// Forgets every try on this key (this address's failures on an account it just proved).
    pub async fn clear(&self, store: &dyn crate::store::Store) -> Result<(), ApiError> {
        Ok(store.throttle_clear(&self.key).await?)
    }
}

/// Before a sign-in, after this instance's own (cheaper) check: the try counted on the
/// (email, address) pair and on the address, across instances, at the same limits.
pub async fn signin_shared(
    store: &dyn crate::store::Store,
    email: &str,
    ip: IpAddr,
    now: i64,
) -> Result<[SharedTry; 2], ApiError> {
    let refused = "too many failed sign-ins";
    let pair = SharedTry::take(
        store,
        format!("signin:{email}|{ip}"),
        SIGNIN_PER_PAIR,
        now,
        refused,
    )
    .await?;
    match SharedTry::take(
        store,
        format!("signin-ip:{ip}"),
        SIGNIN_PER_IP,
        now,
        refused,
    )
    .await
    {
        Ok(addr) => Ok([pair, addr]),
        Err(e) => {
            pair.release(store).await?;
            Err(e)
        }
    }
}

/// A sign-in succeeded: its try is not a failure, and this address's failures on the account
/// are forgotten on every instance.
pub async fn signin_shared_succeeded(
    store: &dyn crate::store::Store,
    [pair, addr]: &[SharedTry; 2],
) -> Result<(), ApiError> {
    pair.clear(store).await?;
    addr.release(store).await
}
