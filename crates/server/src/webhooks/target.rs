//! Which addresses a webhook may call. Public https only, unless whoever runs the server allows
//! private targets (a LAN install, tests): never loopback, private, link-local, shared,
//! multicast, reserved or cloud-metadata addresses. The name is resolved and every address
//! checked when the endpoint is saved, and again at every send by the HTTP client's resolver,
//! so a name that later points inward (DNS rebinding) is refused too. Redirects are not followed.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use reqwest::Url;

/// Longest address accepted.
pub const MAX_URL: usize = 2048;
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why an address is refused: the text names what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || a == 0
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        // shared address space (carrier-grade NAT)
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, benchmarking, reserved
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        // Azure's platform endpoint (DNS, metadata, health) answers inside every VM
        || ip == Ipv4Addr::new(168, 63, 129, 16)
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    let s = ip.segments();
    // Local-use NAT64 (64:ff9b:1::/48, RFC 8215), Teredo (2001::/32: a tunnel to anywhere,
    // loopback included), IPv4-translated (::ffff:0:0:0/96, RFC 2765) and discard-only
    // (100::/64) reach what they carry, or nothing: none is a public endpoint.
    if (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1)
        || (s[0] == 0x2001 && s[1] == 0)
        || (s[..4] == [0, 0, 0, 0] && s[4] == 0xffff && s[5] == 0)
        || s[..4] == [0x100, 0, 0, 0]
    {
        return false;
    }
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that must be public too.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return public_v4(Ipv4Addr::new(a, b, c, d));
    }
    if s[0] == 0x2002 {
        let [a, b] = s[1].to_be_bytes();
        let [c, d] = s[2].to_be_bytes();
        return public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // unique local fc00::/7, link-local fe80::/10, site-local fec0::/10
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        // documentation 2001:db8::/32, and the IPv4-compatible ::/96
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[..6] == [0, 0, 0, 0, 0, 0])
}

/// Whether `ip` is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

/// Checks an address's form: a URL, https (or http when private targets are allowed), a host,
/// no credentials in it, not too long.
pub fn parse(raw: &str, allow_private: bool) -> Result<Url, Refused> {
    let raw = raw.trim();
    if raw.len() > MAX_URL {
        return Err(Refused(format!(
            "the address is longer than {MAX_URL} characters"
        )));
    }
    let url = Url::parse(raw)
        .map_err(|_| Refused("write a whole address, like https://pos.example.com/tonle".into()))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => {
            return Err(Refused(
                "the address must start with https:// (webhooks carry payments)".into(),
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused(
            "put no user name or password in the address: verify the signature instead".into(),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Refused("the address has no host".into()));
    }
    // Below 1024 only https' own port: the others are services (SMTP, SSH, databases' admin
    // ports) a webhook has no business knocking on.
    if !allow_private && let Some(port) = url.port().filter(|p| *p != 443 && *p < 1024) {
        return Err(Refused(format!(
            "port {port} is not allowed: use 443 or a port from 1024 up"
        )));
    }
    Ok(url)
}

fn literal(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

fn refuse_private(host: &str, ip: IpAddr) -> Refused {
    let named = host.trim_start_matches('[').trim_end_matches(']');
    let what = if named == ip.to_string() {
        ip.to_string()
    } else {
        format!("{host} ({ip})")
    };
    Refused(format!(
        "{what} is a private, loopback or link-local address; webhooks go to the public internet"
    ))
}

/// Checks an address fully: its form, then every address its host resolves to.
pub async fn check(raw: &str, allow_private: bool) -> Result<Url, Refused> {
    let url = parse(raw, allow_private)?;
    if allow_private {
        return Ok(url);
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    if let Some(ip) = literal(&url) {
        return if is_public(ip) {
            Ok(url)
        } else {
            Err(refuse_private(&host, ip))
        };
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let found = tokio::time::timeout(
        RESOLVE_TIMEOUT,
        tokio::net::lookup_host((host.as_str(), port)),
    )
    .await
    .map_err(|_| Refused(format!("{host} could not be resolved in time")))?
    .map_err(|_| Refused(format!("{host} does not resolve to an address")))?
    .collect::<Vec<_>>();
    if found.is_empty() {
        return Err(Refused(format!("{host} does not resolve to an address")));
    }
    if let Some(bad) = found.iter().find(|a| !is_public(a.ip())) {
        return Err(refuse_private(&host, bad.ip()));
    }
    Ok(url)
}

/// Checks, at send time, an address whose host is an IP literal (the resolver never sees it).
pub fn check_literal(url: &Url, allow_private: bool) -> Result<(), Refused> {
    match literal(url) {
        Some(ip) if !allow_private && !is_public(ip) => {
            Err(refuse_private(url.host_str().unwrap_or_default(), ip))
        }
        _ => Ok(()),
    }
}

/// The HTTP client's resolver: resolves with the system, then drops every address that is not
/// public (unless private targets are allowed); none left is an error naming the host.
#[derive(Debug, Clone, Copy)]
pub struct PublicOnly {
    /// let private addresses through
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let fut: Pin<Box<dyn Future<Output = _> + Send>> = Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if found.is_empty() {
                let e: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(Refused(format!("{host} resolves to no public address")));
                return Err(e);
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        });
        fut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inward_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "64:ff9b:1::a00:1",
            "64:ff9b:1:ffff::808:808",
            "2001::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "::ffff:0:7f00:1",
            "::ffff:0:808:808",
            "100::1",
            "168.63.129.16",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip} must be refused");
        }
        for ip in ["1.1.1.1", "8.8.8.8", "203.144.1.1", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip} is public");
        }
    }

    #[test]
    fn the_form_of_an_address_is_checked_first() {
        assert!(parse("https://pos.example.com/hook", false).is_ok());
        assert!(parse("http://pos.example.com/hook", false).is_err());
        assert!(parse("http://pos.example.com/hook", true).is_ok());
        assert!(parse("ftp://pos.example.com/", true).is_err());
        assert!(parse("https://user:pw@pos.example.com/", false).is_err());
        assert!(parse("not a url", false).is_err());
        assert!(parse(&format!("https://a.com/{}", "x".repeat(MAX_URL)), false).is_err());
        assert!(parse("https://pos.example.com:443/hook", false).is_ok());
        assert!(parse("https://pos.example.com:8443/hook", false).is_ok());
        for port in [22, 25, 80, 465, 1023] {
            let e = parse(&format!("https://pos.example.com:{port}/hook"), false).unwrap_err();
            assert!(e.0.contains(&format!("port {port}")), "{e}");
            assert!(parse(&format!("http://10.0.0.2:{port}/hook"), true).is_ok());
        }
    }

    #[tokio::test]
    async fn loopback_by_number_or_by_name_is_refused() {
        for raw in [
            "https://127.0.0.1/hook",
            "https://[::1]:8443/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/hook",
        ] {
            let e = check(raw, false).await.unwrap_err();
            assert!(e.0.contains("private"), "{raw}: {e}");
        }
        assert!(check("http://127.0.0.1:9/hook", true).await.is_ok());
    }
}
