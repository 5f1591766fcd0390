//! The accept loop: what a connection may take before it is refused. A cap on open connections
//! in all and per address, a deadline for a request's headers (hyper) and one for the whole
//! request (`startup::router`), so a client that sends a byte every few seconds is cut off
//! instead of holding a socket forever. Each request's client is decided here, once
//! ([`ClientAddr`]), and carried to the handlers; a trusted proxy's connections are not held to
//! the per-address cap (its clients are counted by their own addresses where it matters:
//! throttles and websockets).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

use crate::client::{ClientAddr, Forwarding};
use crate::config::Limits;

/// How long open requests have to finish at shutdown.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(8);

/// Kernel send buffer of each connection.
const SEND_BUFFER: usize = 256 * 1024;

/// Open connections, in all and per address.
#[derive(Default)]
struct Open {
    total: usize,
    per_ip: HashMap<IpAddr, usize>,
}

/// Counts open connections and admits new ones within the limits.
#[derive(Clone)]
pub struct Admission {
    open: Arc<Mutex<Open>>,
    max_total: usize,
    max_per_ip: usize,
}

/// A connection's place, carried on each of its requests: a websocket keeps it for as long as
/// the socket is open (hyper ends the connection's own task when it hands the socket over, so
/// without this an upgraded connection would stop counting toward the caps).
#[derive(Clone)]
pub struct Held {
    _place: Arc<Place>,
}

/// Held while a connection is open; releases its place when dropped.
pub struct Place {
    open: Arc<Mutex<Open>>,
    /// the address counted, unless a trusted proxy's
    ip: Option<IpAddr>,
}

impl Drop for Place {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(ip) = self.ip {
            crate::sockets::give_back(&mut open.per_ip, &ip);
        }
    }
}

impl Admission {
    /// Admission within `limits`.
    pub fn new(limits: &Limits) -> Self {
        Self {
            open: Arc::default(),
            max_total: limits.max_connections,
            max_per_ip: limits.max_connections_per_ip,
        }
    }

    /// A place for a connection from `ip`, or `None` when a limit is reached. A trusted
    /// proxy's connections count toward the total only.
    pub fn admit(&self, ip: IpAddr, trusted_proxy: bool) -> Option<Place> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if open.total >= self.max_total {
            crate::metrics::throttled("connections");
            return None;
        }
        if trusted_proxy {
            open.total += 1;
            return Some(Place {
                open: Arc::clone(&self.open),
                ip: None,
            });
        }
        let from_ip = open.per_ip.get(&ip).copied().unwrap_or(0);
        if from_ip >= self.max_per_ip {
            crate::metrics::throttled("connections_per_ip");
            return None;
        }
        open.total += 1;
        open.per_ip.insert(ip, from_ip + 1);
        Some(Place {
            open: Arc::clone(&self.open),
            ip: Some(ip),
        })
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|p| p.into_inner()).total
    }
}

fn tune(tcp: &TcpStream) {
    // Small pushes (a payment event) must leave at once, not wait for Nagle's delayed ACK.
    let _ = tcp.set_nodelay(true);
    // A bounded send buffer caps what a frozen client can make the kernel hold for it (10k
    // sockets × autotuned 4 MB would be 40 GB); past it, the websocket's send timeout drops it.
    let _ = socket2::SockRef::from(tcp).set_send_buffer_size(SEND_BUFFER);
}

/// Raises this process's open-files limit to what the system allows (the soft limit is often
/// 1,024 while 10,000 clients need 10,000 sockets), and warns when it is still below
/// `max_connections` plus room for the database and the web app's files.
pub fn raise_open_files(max_connections: usize) {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) if limit < max_connections as u64 + 256 => tracing::warn!(
            limit,
            max_connections,
            "the open-files limit is below --max-connections: raise it (ulimit -n, LimitNOFILE=)"
        ),
        Ok(limit) => tracing::debug!(limit, "open-files limit"),
        Err(e) => tracing::warn!(error = %e, "could not read or raise the open-files limit"),
    }
}

/// Serves `router` on `listener` until `stop` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    forwarding: &Forwarding,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let forwarding = Arc::new(forwarding.clone());
    let admission = Admission::new(limits);
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let peer_ip = peer.ip().to_canonical();
        let trusted = forwarding.trusted.contains(peer_ip);
        let Some(place) = admission.admit(crate::client::throttle_key(peer_ip), trusted) else {
            tracing::debug!(%peer, "connection refused: limit reached");
            drop(tcp);
            continue;
        };
        tune(&tcp);
        let router = router.clone();
        let forwarding = Arc::clone(&forwarding);
        let held = Held {
            _place: Arc::new(place),
        };
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            let client = ClientAddr::resolve(peer_ip, req.headers(), &forwarding);
            req.extensions_mut().insert(client);
            req.extensions_mut().insert(held.clone());
            router.clone().oneshot(req.map(axum::body::Body::new))
        });
        let conn = builder.serve_connection_with_upgrades(TokioIo::new(tcp), service);
        let conn = graceful.watch(conn.into_owned());
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    // Open requests finish (a notification being written is answered); past the grace period
    // the rest are cut, so the process exits within its stop timeout (systemd's, a balancer's).
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still open after {SHUTDOWN_GRACE:?}: cut");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_trusted_proxy_is_held_to_the_total_only() {
        let limits = Limits {
            max_connections: 3,
            max_connections_per_ip: 1,
            ..Limits::default()
        };
        let a = Admission::new(&limits);
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let _p1 = a.admit(proxy, true).unwrap();
        let _p2 = a.admit(proxy, true).unwrap();
        let _p3 = a.admit(proxy, true).unwrap();
        assert!(a.admit(proxy, true).is_none(), "the total still holds");
    }

    use super::*;

    #[test]
    fn admission_counts_per_address_and_in_all_and_frees_places() {
        let limits = Limits {
            max_connections: 3,
            max_connections_per_ip: 2,
            ..Limits::default()
        };
        let a = Admission::new(&limits);
        let x: IpAddr = "203.0.113.1".parse().unwrap();
        let y: IpAddr = "203.0.113.2".parse().unwrap();
        let p1 = a.admit(x, false).unwrap();
        let _p2 = a.admit(x, false).unwrap();
        assert!(a.admit(x, false).is_none(), "per address");
        let _p3 = a.admit(y, false).unwrap();
        assert!(a.admit(y, false).is_none(), "in all");
        drop(p1);
        assert!(
            a.admit(x, false).is_some(),
            "a closed connection frees its place"
        );
    }
}
