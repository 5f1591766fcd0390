//! The throttles, window by window.

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn a_window_stays_bounded_when_every_key_is_recent() {
    let w: Window<u32> = Window::new(5);
    for k in 0..(MAX_KEYS as u32 + 5_000) {
        w.hit(k, 1_000 + i64::from(k));
        assert!(w.try_hit(k, 1_000 + i64::from(k)).is_ok());
    }
    let len = w.hits.lock().unwrap().len();
    assert!(len <= MAX_KEYS, "{len} keys kept");
    // The newest are kept, the oldest forgotten.
    let newest = MAX_KEYS as u32 + 4_999;
    assert_eq!(w.count(&newest, 1_000 + i64::from(newest)), 2);
    assert_eq!(w.count(&0, 1_000 + i64::from(newest)), 0);
}

#[test]
fn a_guessing_address_is_stopped_on_that_account_but_the_owner_still_gets_in() {
    let t = Throttles::new(10);
    let attacker = ip("203.0.113.9");
    for i in 0..SIGNIN_PER_PAIR as i64 {
        assert!(t.signin("a@x.com", attacker, i).is_ok());
    }
    assert!(
        matches!(
            t.signin("a@x.com", attacker, 100),
            Err(ApiError::RateLimited { .. })
        ),
        "the guessing address is stopped"
    );
    let owner = t
        .signin("a@x.com", ip("198.51.100.7"), 100)
        .expect("an address that never failed is never locked out");
    assert!(owner <= SIGNIN_MAX_DELAY && owner > Duration::ZERO);
    assert_eq!(
        t.signin("b@x.com", attacker, 100).unwrap(),
        Duration::ZERO,
        "other accounts are not slowed"
    );
    assert!(t.signin("a@x.com", attacker, WINDOW_MS + 10).is_ok());
}

#[test]
fn concurrent_guesses_cannot_pass_the_limit_together() {
    let t = std::sync::Arc::new(Throttles::new(10));
    let a = ip("203.0.113.9");
    let passed: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let t = &t;
                s.spawn(move || {
                    (0..10)
                        .filter(|_| t.signin("v@x.com", a, 0).is_ok())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(passed, SIGNIN_PER_PAIR);
}

#[test]
fn the_delay_grows_and_is_capped_never_a_lock() {
    assert_eq!(signin_delay(0), Duration::ZERO);
    assert_eq!(signin_delay(SIGNIN_SLOW_AFTER - 1), Duration::ZERO);
    assert_eq!(signin_delay(SIGNIN_SLOW_AFTER), Duration::from_millis(250));
    assert!(signin_delay(SIGNIN_SLOW_AFTER + 2) > signin_delay(SIGNIN_SLOW_AFTER + 1));
    assert_eq!(signin_delay(100_000), SIGNIN_MAX_DELAY);
}

#[test]
fn throttles_have_separate_key_spaces() {
    let t = Throttles::new(10);
    let a = ip("203.0.113.9");
    // A sign-in body naming an email like the old pairing key cannot spend pairing tries.
    for i in 0..50 {
        let _ = t.signin(&format!("pairing:{a}"), a, i);
    }
    assert!(t.pairing(a, 60).is_ok());
    for i in 0..PAIRING_PER_IP as i64 {
        t.pairing_failed(a, i);
    }
    assert!(t.pairing(a, 60).is_err());
    assert!(t.invitation(a, 60).is_ok());
}

#[test]
fn a_shop_of_many_devices_behind_one_address_does_not_trip_the_address_limit() {
    let t = Throttles::new(10);
    let shop = ip("10.0.0.1");
    for n in 0..40 {
        let email = format!("cashier{n}@shop.com");
        // One mistyped password, then the right one, for each of 40 cashiers.
        assert_eq!(t.signin(&email, shop, n).unwrap(), Duration::ZERO);
        assert_eq!(t.signin(&email, shop, n).unwrap(), Duration::ZERO);
        t.signin_succeeded(&email, shop);
    }
    assert_eq!(t.signin_ip.count(&shop, 40), 40, "only the failures count");
}

#[test]
fn registrations_per_address_are_counted_before_any_hashing() {
    let t = Throttles::new(3);
    let a = ip("203.0.113.9");
    for i in 0..3 {
        assert!(t.register(a, i).is_ok());
    }
    assert!(matches!(
        t.register(a, 10),
        Err(ApiError::RateLimited { retry_after_secs, .. }) if retry_after_secs > 0
    ));
    assert!(t.register(ip("203.0.113.10"), 10).is_ok());
}

#[test]
fn pairing_guesses_spread_over_a_network_are_cut_off_and_a_flood_from_everywhere_slows_everyone() {
    let t = Throttles::new(10);
    // One /48 with a fresh /64 for every 19 guesses: the /48 stops them.
    let mut refused_at = None;
    for n in 0..400u16 {
        let addr: IpAddr = format!("2001:db8:7:{n:x}::1").parse().unwrap();
        if t.pairing(addr, 100).is_err() {
            refused_at = Some(n);
            break;
        }
        t.pairing_failed(addr, 100);
    }
    assert_eq!(refused_at, Some(PAIRING_PER_NETWORK as u16));
    // Another network is not refused for it, and waits nothing yet.
    let shop = ip("198.51.100.7");
    assert_eq!(t.pairing(shop, 100).unwrap(), Duration::ZERO);
    // Wrong codes from thousands of networks: a shop's try waits, and is never refused.
    for n in 0..(PAIRING_SLOW_AFTER as u32 * 2) {
        let far = IpAddr::V4(std::net::Ipv4Addr::from(0x0A00_0000 + (n << 8)));
        t.pairing_failed(far, 200);
    }
    let wait = t.pairing(shop, 200).unwrap();
    assert!(
        wait > Duration::ZERO && wait <= SIGNIN_MAX_DELAY,
        "{wait:?}"
    );
    assert_eq!(network_of(ip("203.0.113.9")), ip("203.0.113.0"));
}
