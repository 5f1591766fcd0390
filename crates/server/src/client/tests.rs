//! The client-address walk, case by case.

use axum::http::HeaderValue;

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn fwd(trusted: &str, header: ForwardedHeader) -> Forwarding {
    Forwarding {
        trusted: trusted.parse().unwrap(),
        header,
    }
}

fn headers(lines: &[(&'static str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in lines {
        h.append(*name, HeaderValue::from_str(value).unwrap());
    }
    h
}

fn xff(peer: &str, lines: &[&str]) -> IpAddr {
    let h = headers(
        &lines
            .iter()
            .map(|l| ("x-forwarded-for", *l))
            .collect::<Vec<_>>(),
    );
    ClientAddr::resolve(
        ip(peer),
        &h,
        &fwd("10.0.0.0/8,::1", ForwardedHeader::XForwardedFor),
    )
    .ip
}

fn rfc(peer: &str, lines: &[&str]) -> IpAddr {
    let h = headers(&lines.iter().map(|l| ("forwarded", *l)).collect::<Vec<_>>());
    ClientAddr::resolve(
        ip(peer),
        &h,
        &fwd("10.0.0.0/8,::1", ForwardedHeader::Forwarded),
    )
    .ip
}

#[test]
fn headers_from_an_untrusted_peer_are_ignored() {
    assert_eq!(xff("203.0.113.9", &["198.51.100.1"]), ip("203.0.113.9"));
    assert_eq!(rfc("203.0.113.9", &["for=198.51.100.1"]), ip("203.0.113.9"));
    let none = Forwarding::default();
    let h = headers(&[("x-forwarded-for", "198.51.100.1")]);
    assert_eq!(
        ClientAddr::resolve(ip("10.0.0.1"), &h, &none).ip,
        ip("10.0.0.1")
    );
}

#[test]
fn a_spoofed_left_most_entry_is_not_believed() {
    // The client wrote "1.1.1.1"; nginx appended the address it saw.
    assert_eq!(
        xff("10.0.0.1", &["1.1.1.1, 198.51.100.7"]),
        ip("198.51.100.7")
    );
    assert_eq!(
        rfc("10.0.0.1", &["for=1.1.1.1, for=198.51.100.7"]),
        ip("198.51.100.7")
    );
}

#[test]
fn two_trusted_proxies_in_a_chain_are_skipped() {
    assert_eq!(
        xff("10.0.0.1", &["1.1.1.1, 198.51.100.7, 10.0.0.2"]),
        ip("198.51.100.7")
    );
    // Only our own proxies: the left-most of them.
    assert_eq!(xff("10.0.0.1", &["10.0.0.3, 10.0.0.2"]), ip("10.0.0.3"));
    // No header at all from a trusted peer: the peer.
    assert_eq!(xff("10.0.0.1", &[]), ip("10.0.0.1"));
}

#[test]
fn repeated_header_lines_are_joined_in_order() {
    assert_eq!(
        xff("10.0.0.1", &["1.1.1.1", "198.51.100.7", "10.0.0.2"]),
        ip("198.51.100.7")
    );
    assert_eq!(
        rfc("10.0.0.1", &["for=1.1.1.1", "for=198.51.100.7;proto=https"]),
        ip("198.51.100.7")
    );
}

#[test]
fn obfuscated_unknown_or_malformed_entries_stop_at_the_peer() {
    assert_eq!(
        rfc("10.0.0.1", &["for=198.51.100.7, for=_hidden"]),
        ip("10.0.0.1")
    );
    assert_eq!(
        rfc("10.0.0.1", &["for=198.51.100.7, for=unknown"]),
        ip("10.0.0.1")
    );
    assert_eq!(xff("10.0.0.1", &["198.51.100.7, unknown"]), ip("10.0.0.1"));
    assert_eq!(xff("10.0.0.1", &["198.51.100.7, garbage"]), ip("10.0.0.1"));
    assert_eq!(
        xff("10.0.0.1", &["198.51.100.7, 300.1.1.1"]),
        ip("10.0.0.1")
    );
    assert_eq!(xff("10.0.0.1", &["198.51.100.7,"]), ip("10.0.0.1"));
    // An open quote, a pair without `=`, an element without `for=`.
    assert_eq!(rfc("10.0.0.1", &["for=\"198.51.100.7"]), ip("10.0.0.1"));
    assert_eq!(rfc("10.0.0.1", &["for"]), ip("10.0.0.1"));
    assert_eq!(
        rfc("10.0.0.1", &["for=198.51.100.7, proto=https"]),
        ip("10.0.0.1")
    );
    // An entry that is not text, on the line nginx appends the real address to: the appended
    // entry is still read, nothing left of the bad one is.
    let mut h = HeaderMap::new();
    h.append(
        "x-forwarded-for",
        HeaderValue::from_bytes(b"1.1.1.1, \x80, 198.51.100.7").unwrap(),
    );
    let f = fwd("10.0.0.0/8", ForwardedHeader::XForwardedFor);
    assert_eq!(
        ClientAddr::resolve(ip("10.0.0.1"), &h, &f).ip,
        ip("198.51.100.7")
    );
    let mut h = HeaderMap::new();
    h.append(
        "x-forwarded-for",
        HeaderValue::from_bytes(b"1.1.1.1, \x80, 10.0.0.2").unwrap(),
    );
    assert_eq!(
        ClientAddr::resolve(ip("10.0.0.1"), &h, &f).ip,
        ip("10.0.0.1")
    );
    // A line that is not text at all.
    let mut h = HeaderMap::new();
    h.append(
        "x-forwarded-for",
        HeaderValue::from_bytes(b"1.2.3.4\xff").unwrap(),
    );
    let f = fwd("10.0.0.0/8", ForwardedHeader::XForwardedFor);
    assert_eq!(
        ClientAddr::resolve(ip("10.0.0.1"), &h, &f).ip,
        ip("10.0.0.1")
    );
}

#[test]
fn ipv6_with_and_without_port() {
    assert_eq!(
        rfc("::1", &["for=\"[2001:db8:cafe::17]:4711\""]),
        ip("2001:db8:cafe::17")
    );
    assert_eq!(
        rfc("::1", &["for=\"[2001:db8:cafe::17]\""]),
        ip("2001:db8:cafe::17")
    );
    assert_eq!(xff("::1", &["2001:db8::5"]), ip("2001:db8::5"));
    assert_eq!(xff("::1", &["[2001:db8::5]:443"]), ip("2001:db8::5"));
    assert_eq!(xff("::1", &["198.51.100.7:5555"]), ip("198.51.100.7"));
    assert_eq!(rfc("::1", &["for=198.51.100.7:5555"]), ip("198.51.100.7"));
    // A peer or an entry as IPv4-mapped IPv6 is the IPv4 address.
    assert_eq!(
        xff("::ffff:10.0.0.1", &["::ffff:198.51.100.7"]),
        ip("198.51.100.7")
    );
}

#[test]
fn proto_https_from_a_trusted_proxy_marks_the_request_secure() {
    let f = fwd("10.0.0.0/8", ForwardedHeader::XForwardedFor);
    let h = headers(&[
        ("x-forwarded-for", "198.51.100.7"),
        ("x-forwarded-proto", "https"),
    ]);
    let c = ClientAddr::resolve(ip("10.0.0.1"), &h, &f);
    assert!(c.https && c.via_proxy);
    assert!(
        !ClientAddr::resolve(ip("203.0.113.1"), &h, &f).https,
        "untrusted peer"
    );
    let f = fwd("10.0.0.0/8", ForwardedHeader::Forwarded);
    let h = headers(&[("forwarded", "for=198.51.100.7;proto=https")]);
    assert!(ClientAddr::resolve(ip("10.0.0.1"), &h, &f).https);
    let h = headers(&[("forwarded", "for=198.51.100.7;proto=http")]);
    assert!(!ClientAddr::resolve(ip("10.0.0.1"), &h, &f).https);
}

#[test]
fn the_trusted_list_parses_cidrs_and_addresses_and_names_a_bad_one() {
    let t: TrustedProxies = "10.0.0.0/8, 192.168.1.7,::1,fd00::/8".parse().unwrap();
    assert!(t.contains(ip("10.200.1.1")));
    assert!(t.contains(ip("192.168.1.7")));
    assert!(!t.contains(ip("192.168.1.8")));
    assert!(t.contains(ip("fd12::1")));
    assert!(t.contains(ip("::ffff:10.0.0.1")));
    let mapped: TrustedProxies = "::ffff:10.0.0.0/104".parse().unwrap();
    assert!(
        mapped.contains(ip("10.0.0.9")),
        "a mapped net is its IPv4 net"
    );
    assert!("".parse::<TrustedProxies>().unwrap().is_empty());
    let err = "10.0.0.0/8,nginx".parse::<TrustedProxies>().unwrap_err();
    assert!(err.contains("\"nginx\""), "{err}");
    assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
}

#[test]
fn ipv6_clients_are_counted_by_their_64_and_ipv4_by_address() {
    let f = Forwarding::default();
    let h = HeaderMap::new();
    let a = ClientAddr::resolve(ip("2001:db8:1:2:aaaa::1"), &h, &f);
    let b = ClientAddr::resolve(ip("2001:db8:1:2:ffff:1:2:3"), &h, &f);
    let c = ClientAddr::resolve(ip("2001:db8:1:3::1"), &h, &f);
    assert_eq!(a.key, b.key, "one /64");
    assert_eq!(a.key, ip("2001:db8:1:2::"));
    assert_ne!(a.key, c.key, "another /64");
    assert_ne!(a.ip, b.ip, "logs keep the address");
    let v4 = ClientAddr::resolve(ip("198.51.100.7"), &h, &f);
    assert_eq!(v4.key, ip("198.51.100.7"));
    let mapped = ClientAddr::resolve(ip("::ffff:198.51.100.7"), &h, &f);
    assert_eq!(mapped.key, ip("198.51.100.7"));
}
