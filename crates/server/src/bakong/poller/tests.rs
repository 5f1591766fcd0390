//! The poller's cadence and back-off.

use super::*;

fn charge(id: &str, created_at: i64, expires_at: i64) -> PollCharge {
    PollCharge {
        charge_id: id.into(),
        merchant_id: "m".into(),
        md5: format!("{id:0>32}"),
        created_at,
        expires_at,
    }
}

#[test]
fn fresh_charges_are_asked_every_round_older_ones_every_ten_seconds_and_each_gets_a_last_check() {
    let bakong = Bakong::new("http://127.0.0.1:9", SecretBox::from_key(&[1; 32]).unwrap()).unwrap();
    let now = 1_764_000_000_000;
    let fresh = charge("a", now - 10_000, now + 290_000);
    let older = charge("b", now - FRESH_MS - 1, now + 100_000);
    let over = charge("c", now - 3_600_000, now - GRACE_MS - 1);
    let all = [fresh.clone(), older.clone(), over.clone()];
    let (due, last) = bakong.due(&all, now);
    assert_eq!(due.len(), 3, "never asked: all due");
    assert_eq!(due[0].charge_id, "a", "the counter's customer first");
    assert_eq!(last, vec!["c".to_owned()]);
    for c in &all {
        bakong.memory().checked.insert(c.charge_id.clone(), now);
    }
    let (due, _) = bakong.due(&all, now + 1_000);
    let ids: Vec<&str> = due.iter().map(|c| c.charge_id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["a", "c"],
        "a second later: the fresh one (and the last check)"
    );
    let (due, _) = bakong.due(&all, now + SLOW_EVERY_MS);
    assert!(
        due.iter().any(|c| c.charge_id == "b"),
        "ten seconds later: the older one too"
    );
    let many: Vec<PollCharge> = (0..120)
        .map(|i| charge(&i.to_string(), now - i, now + 1))
        .collect();
    assert_eq!(
        bakong.due(&many, now).0.len(),
        super::super::client::LIST_MAX
    );
}
