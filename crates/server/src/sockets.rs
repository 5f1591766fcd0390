//! Open websockets, counted per client address and per merchant for as long as each socket is
//! open (the TCP connection cap stops seeing a connection once it is upgraded: hyper hands the
//! socket over). One client, or one free account, cannot take every socket the server can hold.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use crate::api::MerchantId;
use crate::error::ApiError;

#[derive(Default)]
struct Open {
    per_ip: HashMap<IpAddr, usize>,
    per_merchant: HashMap<MerchantId, usize>,
    total: usize,
}

/// The websocket caps (`--max-websockets-per-ip`, `--max-websockets-per-merchant`).
#[derive(Clone)]
pub struct Sockets {
    open: Arc<Mutex<Open>>,
    max_per_ip: usize,
    max_per_merchant: usize,
}

/// A socket's place; given back when dropped (the socket closed).
pub struct SocketPlace {
    open: Arc<Mutex<Open>>,
    ip: IpAddr,
    merchant: MerchantId,
}

impl Sockets {
    /// Caps of `max_per_ip` sockets per client address and `max_per_merchant` per merchant.
    pub fn new(max_per_ip: usize, max_per_merchant: usize) -> Self {
        Self {
            open: Arc::default(),
            max_per_ip,
            max_per_merchant,
        }
    }

    /// A place for one more socket from `ip` for `merchant`, or a 429 naming the cap reached.
    pub fn admit(&self, ip: IpAddr, merchant: &MerchantId) -> Result<SocketPlace, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let from_ip = open.per_ip.get(&ip).copied().unwrap_or(0);
        if from_ip >= self.max_per_ip {
            crate::metrics::throttled("websockets_per_ip");
            return Err(ApiError::rate_limited(
                &format!("this address has {from_ip} live connections open, the most allowed"),
                5,
            ));
        }
        let of_merchant = open.per_merchant.get(merchant).copied().unwrap_or(0);
        if of_merchant >= self.max_per_merchant {
            crate::metrics::throttled("websockets_per_merchant");
            return Err(ApiError::rate_limited(
                &format!("this merchant has {of_merchant} live connections open, the most allowed"),
                5,
            ));
        }
        open.per_ip.insert(ip, from_ip + 1);
        open.per_merchant.insert(merchant.clone(), of_merchant + 1);
        open.total += 1;
        crate::metrics::websockets_open(open.total);
        Ok(SocketPlace {
            open: Arc::clone(&self.open),
            ip,
            merchant: merchant.clone(),
        })
    }

    /// Sockets open now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).total
    }
}

/// Takes one from `key`'s count, forgetting the key at zero (the connection and websocket caps).
pub(crate) fn give_back<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: &K) {
    if let Some(n) = map.get_mut(key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(key);
        }
    }
}

impl Drop for SocketPlace {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        give_back(&mut open.per_ip, &self.ip);
        give_back(&mut open.per_merchant, &self.merchant);
        open.total = open.total.saturating_sub(1);
        crate::metrics::websockets_open(open.total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_address_and_per_merchant_and_frees_on_close() {
        let s = Sockets::new(2, 3);
        let a: IpAddr = "198.51.100.1".parse().unwrap();
        let b: IpAddr = "198.51.100.2".parse().unwrap();
        let m = MerchantId::new("m1");
        let n = MerchantId::new("m2");
        let p1 = s.admit(a, &m).unwrap();
        let _p2 = s.admit(a, &m).unwrap();
        assert!(
            s.admit(a, &n).is_err(),
            "per address, whatever the merchant"
        );
        let _p3 = s.admit(b, &m).unwrap();
        assert!(
            s.admit(b, &m).is_err(),
            "per merchant, whatever the address"
        );
        assert!(s.admit(b, &n).is_ok(), "another merchant from b");
        assert_eq!(s.open(), 3);
        drop(p1);
        assert!(s.admit(a, &n).is_ok(), "a closed socket frees its place");
    }
}
