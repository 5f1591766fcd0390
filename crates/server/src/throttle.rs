//! Throttles for everything a stranger can try without an account: sign-in, pairing codes,
//! registration and invitation links; and the rate at which an account makes charges. Each throttle is its own sliding window with its own key
//! type, so no request can spend or forge another throttle's keys.
//!
//! Sign-in never hands a lockout to a stranger: a pair (account, address) that keeps failing is
//! stopped, an address that fails across many accounts is stopped, and an account under attack
//! from many addresses only answers more slowly (a delay that grows, capped), so its owner still
//! gets in from an address that never failed.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use crate::error::ApiError;

mod shared;
pub use shared::{SharedTry, signin_shared, signin_shared_succeeded};

/// The sliding window every throttle uses.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed sign-ins allowed per (account, address) per window.
pub const SIGNIN_PER_PAIR: usize = 10;
/// Failed sign-ins allowed per address per window, across accounts (a shop's many devices
/// behind one address never come near it).
pub const SIGNIN_PER_IP: usize = 200;
/// Failures on one account (from anywhere) before its sign-ins start to slow down.
pub const SIGNIN_SLOW_AFTER: usize = 5;
/// The longest an attacked account makes a sign-in wait.
pub const SIGNIN_MAX_DELAY: Duration = Duration::from_secs(4);
/// Wrong pairing codes allowed per address per window.
pub const PAIRING_PER_IP: usize = 20;
/// Wrong pairing codes allowed per wider network (an IPv4 /24, an IPv6 /48: what one
/// customer or one cloud tenant gets) per window.
pub const PAIRING_PER_NETWORK: usize = 200;
/// Wrong pairing codes from everywhere in a window before every pairing starts to wait (a
/// growing delay, never a refusal: a shop pairing its display still gets in).
pub const PAIRING_SLOW_AFTER: usize = 1_000;
/// Wrong or used invitation links allowed per address per window.
pub const INVITE_PER_IP: usize = 20;
/// Password-reset requests from one address per window (each may send an email).
pub const RESET_PER_IP: usize = 10;
/// Reset emails to one address per window: nobody's inbox is flooded through tonle.
pub const RESET_PER_EMAIL: usize = 3;
/// Charges one merchant may make per minute (every person, display and key together): a
/// department store's busiest hour is far below it; a script making thousands is not.
pub const CHARGES_PER_MERCHANT_MINUTE: usize = 120;
/// Charges one API key may make per minute: a runaway POS script leaves the counters room.
pub const CHARGES_PER_KEY_MINUTE: usize = 60;
/// Settings saves that call out (a Bakong token is tried on Bakong, a webhook address is looked
/// up in DNS) one merchant may make per window: Bakong limits this server's address, so one
/// account's saves must not spend everyone's.
pub const OUTBOUND_PER_MERCHANT: usize = 60;
/// Keys one throttle remembers at most (expired windows are dropped first when full).
const MAX_KEYS: usize = 100_000;

/// Hits per key in a sliding window.
pub struct Window<K> {
    limit: usize,
    span: i64,
    hits: Mutex<HashMap<K, VecDeque<i64>>>,
}

impl<K: Hash + Eq + Clone> Window<K> {
    /// A window allowing `limit` hits per key per `WINDOW_MS`.
    pub fn new(limit: usize) -> Self {
        Self::spanning(limit, WINDOW_MS)
    }

    /// A window allowing `limit` hits per key per `span_ms`.
    pub fn spanning(limit: usize, span_ms: i64) -> Self {
        Self {
            limit,
            span: span_ms,
            hits: Mutex::new(HashMap::new()),
        }
    }

    /// Hits of `key` still inside the window.
    pub fn count(&self, key: &K, now: i64) -> usize {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        map.get_mut(key).map_or(0, |q| {
            while q.front().is_some_and(|t| *t <= now - self.span) {
                q.pop_front();
            }
            q.len()
        })
    }

    /// Seconds until `key` may try again, when it is at its limit now.
    pub fn retry_after(&self, key: &K, now: i64) -> Option<u64> {
        if self.count(key, now) < self.limit {
            return None;
        }
        let map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = map.get(key).and_then(|q| q.front().copied()).unwrap_or(now);
        Some(
            ((oldest + self.span - now).max(0) as u64)
                .div_ceil(1000)
                .max(1),
        )
    }

    /// Records a hit unless `key` is at its limit (checked and recorded under one lock, so
    /// concurrent requests cannot all pass the check before any records); else the seconds to
    /// wait.
    pub fn try_hit(&self, key: K, now: i64) -> Result<(), u64> {
        if let Some(secs) = self.retry_after(&key, now) {
            return Err(secs);
        }
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        make_room(&mut map, &key, now, self.span);
        let q = map.entry(key).or_default();
        while q.front().is_some_and(|t| *t <= now - self.span) {
            q.pop_front();
        }
        if q.len() >= self.limit {
            let oldest = q.front().copied().unwrap_or(now);
            return Err(((oldest + self.span - now).max(0) as u64)
                .div_ceil(1000)
                .max(1));
        }
        q.push_back(now);
        Ok(())
    }

    /// Takes back the latest hit of `key` (a try that turned out to succeed).
    pub fn unhit(&self, key: &K) {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(q) = map.get_mut(key) {
            q.pop_back();
        }
    }

    /// Records a hit.
    pub fn hit(&self, key: K, now: i64) {
        let mut map = self.hits.lock().unwrap_or_else(|p| p.into_inner());
        make_room(&mut map, &key, now, self.span);
        let q = map.entry(key).or_default();
        q.push_back(now);
        // A key never needs more history than its limit (plus one to know it is over).
        while q.len() > self.limit + 1 {
            q.pop_front();
        }
    }

    /// Forgets a key.
    pub fn clear(&self, key: &K) {
        self.hits
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

/// Before a new key goes in: at `MAX_KEYS`, expired keys go first, then, when every key is
/// recent (a flood from many addresses), the least recently seen tenth. Memory stays bounded;
/// what is forgotten is the oldest evidence.
fn make_room<K: Hash + Eq + Clone>(
    map: &mut HashMap<K, VecDeque<i64>>,
    key: &K,
    now: i64,
    span: i64,
) {
    if map.len() < MAX_KEYS || map.contains_key(key) {
        return;
    }
    map.retain(|_, q| q.back().is_some_and(|t| *t > now - span));
    if map.len() < MAX_KEYS {
        return;
    }
    let mut last: Vec<i64> = map
        .values()
        .map(|q| q.back().copied().unwrap_or(0))
        .collect();
    let cut = map.len() / 10;
    let (_, nth, _) = last.select_nth_unstable(cut);
    let nth = *nth;
    map.retain(|_, q| q.back().is_some_and(|t| *t > nth));
}

/// Every throttle of the server, one window each.
pub struct Throttles {
    signin_pair: Window<(String, IpAddr)>,
    signin_ip: Window<IpAddr>,
    signin_account: Window<String>,
    pairing_ip: Window<IpAddr>,
    pairing_network: Window<IpAddr>,
    pairing_all: Window<()>,
    register_ip: Window<IpAddr>,
    invite_ip: Window<IpAddr>,
    reset_ip: Window<IpAddr>,
    reset_email: Window<String>,
    charges_merchant: Window<String>,
    charges_key: Window<String>,
    outbound_merchant: Window<String>,
}

impl Throttles {
    /// Throttles with the default limits and `registrations_per_ip` sign-ups per address per
    /// window.
    pub fn new(registrations_per_ip: usize) -> Self {
        Self {
            signin_pair: Window::new(SIGNIN_PER_PAIR),
            signin_ip: Window::new(SIGNIN_PER_IP),
            // Counted far past the point where the delay stops growing.
            signin_account: Window::new(1_000),
            pairing_ip: Window::new(PAIRING_PER_IP),
            pairing_network: Window::new(PAIRING_PER_NETWORK),
            // Counted far past the point where the delay stops growing.
            pairing_all: Window::new(PAIRING_SLOW_AFTER * 100),
            register_ip: Window::new(registrations_per_ip),
            invite_ip: Window::new(INVITE_PER_IP),
            reset_ip: Window::new(RESET_PER_IP),
            reset_email: Window::new(RESET_PER_EMAIL),
            charges_merchant: Window::spanning(CHARGES_PER_MERCHANT_MINUTE, 60_000),
            charges_key: Window::spanning(CHARGES_PER_KEY_MINUTE, 60_000),
            outbound_merchant: Window::new(OUTBOUND_PER_MERCHANT),
        }
    }

    /// These throttles with other charge rates (per merchant, per API key, each a minute).
    pub fn with_charge_rates(mut self, per_merchant: usize, per_key: usize) -> Self {
        self.charges_merchant = Window::spanning(per_merchant, 60_000);
        self.charges_key = Window::spanning(per_key, 60_000);
        self
    }

    /// Before a sign-in: refused when this address failed too often (on this account or
    /// overall); otherwise how long to wait first, which grows with the account's failures from
    /// anywhere. The try is counted as a failure now (so concurrent guesses cannot all slip past
    /// the limit) and taken back by `signin_succeeded`.
    pub fn signin(&self, email: &str, ip: IpAddr, now: i64) -> Result<Duration, ApiError> {
        let refused = |secs| {
            crate::metrics::throttled("signin");
            ApiError::rate_limited("too many failed sign-ins", secs)
        };
        let pair = (email.to_owned(), ip);
        self.signin_pair
            .try_hit(pair.clone(), now)
            .map_err(refused)?;
        if let Err(secs) = self.signin_ip.try_hit(ip, now) {
            self.signin_pair.unhit(&pair);
            return Err(refused(secs));
        }
        let account = email.to_owned();
        let earlier = self.signin_account.count(&account, now);
        self.signin_account.hit(account, now);
        Ok(signin_delay(earlier))
    }

    /// A sign-in succeeded: its try is not a failure, and this address's failures on the
    /// account are forgotten. The account's other failures stay: they measure an attack from
    /// elsewhere, which the owner signing in does not end.
    pub fn signin_succeeded(&self, email: &str, ip: IpAddr) {
        self.signin_pair.clear(&(email.to_owned(), ip));
        self.signin_ip.unhit(&ip);
        self.signin_account.unhit(&email.to_owned());
    }

    /// Before a pairing attempt: refused when this address or its wider network failed too
    /// often; otherwise how long to wait first, which grows once wrong codes pour in from
    /// everywhere (many networks guessing together get slower, none is locked out).
    pub fn pairing(&self, ip: IpAddr, now: i64) -> Result<Duration, ApiError> {
        let refused = |secs| {
            crate::metrics::throttled("pairing");
            ApiError::rate_limited("too many wrong codes", secs)
        };
        if let Some(secs) = self.pairing_ip.retry_after(&ip, now) {
            return Err(refused(secs));
        }
        if let Some(secs) = self.pairing_network.retry_after(&network_of(ip), now) {
            return Err(refused(secs));
        }
        let all = self.pairing_all.count(&(), now);
        Ok(match all.checked_sub(PAIRING_SLOW_AFTER) {
            Some(over) => signin_delay(SIGNIN_SLOW_AFTER + over / 100),
            None => Duration::ZERO,
        })
    }

    /// Records a wrong pairing code.
    pub fn pairing_failed(&self, ip: IpAddr, now: i64) {
        self.pairing_ip.hit(ip, now);
        self.pairing_network.hit(network_of(ip), now);
        self.pairing_all.hit((), now);
    }

    /// Before a registration that will hash a password: counts it, or refuses it.
    pub fn register(&self, ip: IpAddr, now: i64) -> Result<(), ApiError> {
        // Checked and counted under one lock: concurrent sign-ups cannot all pass the check.
        self.register_ip.try_hit(ip, now).map_err(|secs| {
            crate::metrics::throttled("registration");
            ApiError::rate_limited("too many sign-ups from this address", secs)
        })
    }

    /// Before accepting an invitation.
    pub fn invitation(&self, ip: IpAddr, now: i64) -> Result<(), ApiError> {
        match self.invite_ip.retry_after(&ip, now) {
            Some(secs) => {
                crate::metrics::throttled("invitation");
                Err(ApiError::rate_limited(
                    "too many wrong invitation links",
                    secs,
                ))
            }
            None => Ok(()),
        }
    }

    /// Records a wrong, used or expired invitation link.
    pub fn invitation_failed(&self, ip: IpAddr, now: i64) {
        self.invite_ip.hit(ip, now);
    }

    /// Before a password-reset request (or a reset link's use) from `ip`: refused past the
    /// address's limit.
    pub fn password_reset(&self, ip: IpAddr, now: i64) -> Result<(), ApiError> {
        self.reset_ip.try_hit(ip, now).map_err(|secs| {
            crate::metrics::throttled("password_reset");
            ApiError::rate_limited("too many password resets from this address", secs)
        })
    }

    /// Before a charge is made: counts it for its merchant and (when an API key makes it) for
    /// the key, or refuses it past either's rate.
    pub fn charge(
        &self,
        merchant_id: &str,
        key_id: Option<&str>,
        now: i64,
    ) -> Result<(), ApiError> {
        let refused = |secs| {
            crate::metrics::throttled("charges");
            ApiError::rate_limited("too many charges a minute; wait a moment", secs)
        };
        if let Some(key) = key_id {
            self.charges_key
                .try_hit(key.to_owned(), now)
                .map_err(refused)?;
        }
        if let Err(secs) = self.charges_merchant.try_hit(merchant_id.to_owned(), now) {
            if let Some(key) = key_id {
                self.charges_key.unhit(&key.to_owned());
            }
            return Err(refused(secs));
        }
        Ok(())
    }

    /// Before a settings save that calls out of the server for `merchant_id`.
    pub fn outbound(&self, merchant_id: &str, now: i64) -> Result<(), ApiError> {
        self.outbound_merchant
            .try_hit(merchant_id.to_owned(), now)
            .map_err(|secs| {
                crate::metrics::throttled("outbound");
                ApiError::rate_limited(
                    "too many checks with Bakong or webhook addresses; wait a little",
                    secs,
                )
            })
    }

    /// Whether another reset email may go to `email` now (answered the same either way).
    pub fn reset_email(&self, email: &str, now: i64) -> bool {
        self.reset_email.try_hit(email.to_owned(), now).is_ok()
    }
}

/// The wider network of an address: its IPv4 /24 or IPv6 /48.
pub fn network_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, 0))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0))
        }
    }
}

/// The wait an account with `failures` recent failures imposes on each sign-in: none at first,
/// then 250 ms doubling per failure, capped.
pub fn signin_delay(failures: usize) -> Duration {
    if failures < SIGNIN_SLOW_AFTER {
        return Duration::ZERO;
    }
    let doublings = (failures - SIGNIN_SLOW_AFTER).min(10) as u32;
    (Duration::from_millis(250) * 2u32.pow(doublings)).min(SIGNIN_MAX_DELAY)
}

#[cfg(test)]
mod tests;
