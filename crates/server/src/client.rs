//! Who the client is, decided once per request: the TCP peer's address, or, when the peer is a
//! reverse proxy the operator trusts, the address that proxy forwarded. Every throttle, cap and
//! request log line takes [`ClientAddr`]; nothing else reads the peer address or a
//! forwarding header.
//!
//! The walk follows what mature proxies and servers do (nginx `real_ip_recursive`, Caddy's
//! `trusted_proxies`): read the chosen header from the right, skip the entries that are trusted
//! proxies themselves, take the first that is not. An `unknown` or obfuscated entry, or one that
//! does not parse, ends the walk at the peer: the entries left of it are whatever the client
//! wrote and are never believed.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::error::ApiError;

/// The proxies whose forwarding headers are believed (`--trusted-proxies`). Empty: none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// No proxy is trusted: forwarding headers are ignored.
    pub fn none() -> Self {
        Self::default()
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// Whether any proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// `CIDR[,CIDR…]`; a bare address is a /32 or /128. An empty string trusts none.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut nets = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let net = match part.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => match part.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip),
                    Err(_) => {
                        return Err(format!(
                            "trusted proxies: {part:?} is not an address or CIDR (e.g. 10.0.0.0/8, ::1)"
                        ));
                    }
                },
            };
            nets.push(canonical_net(net.trunc()));
        }
        Ok(Self(nets))
    }
}

/// An IPv4-mapped IPv6 net (`::ffff:10.0.0.0/104`) as the IPv4 net it maps: peers are compared
/// in canonical form.
fn canonical_net(net: IpNet) -> IpNet {
    match net {
        IpNet::V6(v6) if v6.prefix_len() >= 96 => match v6.network().to_ipv4_mapped() {
            Some(v4) => ipnet::Ipv4Net::new(v4, v6.prefix_len() - 96).map_or(net, IpNet::V4),
            None => net,
        },
        other => other,
    }
}

impl std::fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&list.join(","))
    }
}

/// Which header a trusted proxy writes the client's address into (`--client-ip-header`). Only
/// one is read: a proxy that appends to one passes the other through as the client wrote it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` and `X-Forwarded-Proto` (nginx, most balancers)
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client;proto=https, for=proxy1` (Caddy can, some balancers do)
    Forwarded,
}

/// How the client address is found: the configuration of [`ClientAddr::resolve`].
#[derive(Debug, Clone, Default)]
pub struct Forwarding {
    /// proxies whose headers are believed
    pub trusted: TrustedProxies,
    /// the header they write
    pub header: ForwardedHeader,
}

/// The client of one request, as decided by [`ClientAddr::resolve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// the client's address (logs show it)
    pub ip: IpAddr,
    /// what throttles and caps count it under: the address, or for IPv6 its /64 (one
    /// subscriber's whole network: its addresses are free to pick, so each is not a client)
    pub key: IpAddr,
    /// the client reached a trusted proxy over https (`X-Forwarded-Proto: https`)
    pub https: bool,
    /// the TCP peer is a trusted proxy
    pub via_proxy: bool,
}

impl ClientAddr {
    /// Decides the client of a request that came from `peer` with `headers`.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, forwarding: &Forwarding) -> Self {
        let peer = peer.to_canonical();
        let direct = Self {
            ip: peer,
            key: throttle_key(peer),
            https: false,
            via_proxy: false,
        };
        if !forwarding.trusted.contains(peer) {
            return direct;
        }
        let (hops, proto) = match forwarding.header {
            ForwardedHeader::XForwardedFor => (
                x_forwarded_for(headers),
                last_value(headers, "x-forwarded-proto"),
            ),
            ForwardedHeader::Forwarded => forwarded(headers),
        };
        let ip = walk(peer, &hops, &forwarding.trusted);
        Self {
            ip,
            key: throttle_key(ip),
            https: proto.is_some_and(|p| p.eq_ignore_ascii_case("https")),
            via_proxy: true,
        }
    }
}

/// IPv4 as it is; IPv6 cut to its /64.
pub fn throttle_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// One entry of a forwarding header, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hop {
    /// an address (its port, if any, dropped)
    Addr(IpAddr),
    /// `unknown`, an obfuscated identifier (`_hidden`), or what does not parse
    Opaque,
}

/// From the right: skip trusted entries, take the first that is not; an opaque entry stops at
/// the peer. All trusted (a chain of our own proxies): the left-most.
fn walk(peer: IpAddr, hops: &[Hop], trusted: &TrustedProxies) -> IpAddr {
    let mut last = peer;
    for hop in hops.iter().rev() {
        match *hop {
            Hop::Opaque => return peer,
            Hop::Addr(ip) if trusted.contains(ip) => last = ip,
            Hop::Addr(ip) => return ip,
        }
    }
    last
}

/// Every line of `name`, joined in order, split at commas; an entry that is not text is `None`
/// (a proxy appends its entry to the client's line, so one bad entry must not hide it).
fn joined<'h>(headers: &'h HeaderMap, name: &str) -> Vec<Option<&'h str>> {
    headers
        .get_all(name)
        .iter()
        .flat_map(|line| line.as_bytes().split(|b| *b == b','))
        .map(|entry| std::str::from_utf8(entry).ok().map(str::trim))
        .collect()
}

fn x_forwarded_for(headers: &HeaderMap) -> Vec<Hop> {
    joined(headers, "x-forwarded-for")
        .into_iter()
        .map(|entry| entry.map_or(Hop::Opaque, parse_node))
        .collect()
}

/// The right-most value of a comma-separated header, if any (and text).
fn last_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    joined(headers, name)
        .into_iter()
        .rev()
        .find(|v| v.is_none_or(|v| !v.is_empty()))
        .flatten()
}

/// RFC 7239: `for=` of each element, and `proto=` of the right-most element.
fn forwarded(headers: &HeaderMap) -> (Vec<Hop>, Option<&str>) {
    let mut hops = Vec::new();
    let mut proto = None;
    for element in joined(headers, "forwarded") {
        let Some(element) = element else {
            hops.push(Hop::Opaque);
            proto = None;
            continue;
        };
        if element.is_empty() {
            continue;
        }
        let mut for_hop = None;
        proto = None;
        for pair in element.split(';').map(str::trim) {
            let Some((key, value)) = pair.split_once('=') else {
                for_hop = Some(Hop::Opaque);
                continue;
            };
            let value = unquote(value.trim());
            if key.trim().eq_ignore_ascii_case("for") {
                for_hop = Some(value.map_or(Hop::Opaque, parse_node));
            } else if key.trim().eq_ignore_ascii_case("proto") {
                proto = value;
            }
        }
        // An element without `for=` says nothing about who sent it: it stops the walk.
        hops.push(for_hop.unwrap_or(Hop::Opaque));
    }
    (hops, proto)
}

/// A token or a quoted string (with `\` escapes dropped); `None` when a quote is left open.
fn unquote(v: &str) -> Option<&str> {
    match v.strip_prefix('"') {
        Some(rest) => rest.strip_suffix('"').filter(|inner| !inner.contains('"')),
        None => Some(v),
    }
}

/// `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:443`; else opaque.
fn parse_node(node: &str) -> Hop {
    let node = node.trim();
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Hop::Addr(ip.to_canonical());
    }
    if let Ok(sock) = node.parse::<SocketAddr>() {
        return Hop::Addr(sock.ip().to_canonical());
    }
    if let Some(inner) = node.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
        && let Ok(ip) = inner.parse::<std::net::Ipv6Addr>()
    {
        return Hop::Addr(IpAddr::V6(ip).to_canonical());
    }
    Hop::Opaque
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Self>().copied().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "no client address: requests must come through serve::serve"
            ))
        })
    }
}

#[cfg(test)]
mod tests;
