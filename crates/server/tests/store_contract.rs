//! The store contract: what every store implementation must do, told once as a story and run on
//! SQLite (a temp file) and on PostgreSQL (a schema of its own at `TONLE_TEST_DATABASE_URL`,
//! default the local server's `test` database). Conflicts name their field, moves the charge's
//! state refuses are conflicts, a payment is recorded once, and each merchant's event sequence
//! stays gap-free and strictly ordered under concurrent writers, shared throttle counters count.
//! PostgreSQL also shows its fan-out: an event committed, or a key revoked, through one instance
//! reaches another instance's bus.
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use khqr::{Currency, MinorUnits, Money};
use tonle_server::api;
use tonle_server::bus::EventBus;
use tonle_server::store::postgres::PgStore;
use tonle_server::store::prelude::*;
use tonle_server::store::sqlite::SqliteStore;
use tonle_server::store::{
    ChargeRow, MerchantRow, NewCharge, NewMerchant, NewPayment, NewSession, PaymentOutcome,
    SESSION_IDLE_MS, SPENT_KEEP_MS, Store, StoreError, StoreRow, TerminalRow,
};

const NOW: i64 = 1_790_000_000_000;

fn pg_url(schema: &str) -> String {
    let base = std::env::var("TONLE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into());
    let sep = if base.contains('?') { '&' } else { '?' };
    let n: u64 = rand::random();
    format!("{base}{sep}options=-c%20search_path%3Dtest_{schema}_{n:016x}")
}

fn merchant(id: &str, prefix: &str) -> NewMerchant {
    NewMerchant {
        merchant: MerchantRow {
            usd_khr_rate: None,
            merchant_id: id.into(),
            business_name: "Sokha Noodles".into(),
            merchant_city: "Phnom Penh".into(),
            country: api::Country::KH,
            bakong_account_id: Some(format!("{id}@aclb")),
            default_currency: Currency::Khr,
            qr_lifetime_secs: 300,
            bill_prefix: prefix.into(),
            merchant_category_code: "5812".into(),
            khqr_merchant_id: None,
            acquiring_bank: None,
            upi_account: None,
            alt_language: None,
            alt_name: None,
            alt_city: None,
            max_charge: Vec::new(),
        },
        user_id: format!("u_{id}"),
        email: format!("{id}@shop.kh"),
        password_hash: "$argon2id$not-checked-here".into(),
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn charge(merchant_id: &str, n: usize, key: Option<&str>) -> NewCharge {
    NewCharge {
        charge: ChargeRow {
            charge_id: format!("ch_{merchant_id}_{n}").into(),
            merchant_id: merchant_id.into(),
            bill_number: format!("{merchant_id}-{n:06}").into(),
            money: Money::new(MinorUnits::new(1000 + n as u64), Currency::Khr),
            status: api::ChargeStatus::Pending,
            payload: format!("000201…{n}"),
            md5: khqr::khqr::Md5::parse(&format!("{:0>32}", format!("{}{n:08}", hex(merchant_id))))
                .unwrap(),
            merchant_name: "Sokha Noodles".into(),
            note: None,
            request_hash: key.map(|_| "h".into()),
            terminal_id: None,
            resolution: None,
            expires_at: NOW + 300_000,
            created_at: NOW,
            sale: Default::default(),
        },
        idempotency_key: key.map(str::to_owned),
    }
}

fn payment_for(c: &NewCharge, tx: &str) -> NewPayment {
    NewPayment {
        payment_id: format!("pay_{tx}"),
        network: api::Network::Sandbox,
        transaction_id: tx.into(),
        md5: Some(c.charge.md5.to_string()),
        bill_number: Some(c.charge.bill_number.to_string()),
        merchant_account: None,
        money: c.charge.money,
        payer: api::Payer {
            wallet: "UnionPay App".into(),
            institution: None,
            country: "CN".into(),
            amount: None,
            currency: None,
            rate: None,
            account: None,
            reference: None,
        },
        paid_at: NOW + 1,
        now: NOW + 1,
        webhook_id: format!("wh_{tx}"),
        body_hash: format!("body_{tx}"),
    }
}

fn conflict(r: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match r {
        Err(StoreError::Conflict(field)) => field,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// The story every store passes.
async fn story(store: Arc<dyn Store>, bus: &EventBus) {
    // Conflicts name the field a caller can change.
    store.register(merchant("m1", "AAA"), NOW).await.unwrap();
    let mut same_email = merchant("m2", "BBB");
    same_email.email = "m1@shop.kh".into();
    assert_eq!(conflict(store.register(same_email, NOW).await), "email");
    assert_eq!(
        conflict(store.register(merchant("m2", "AAA"), NOW).await),
        "bill_prefix"
    );
    store.register(merchant("m2", "BBB"), NOW).await.unwrap();
    let shop = StoreRow {
        store_id: "st1".into(),
        merchant_id: "m1".into(),
        name: "Riverside".into(),
    };
    assert!(store.create_store(&shop, 100, NOW).await.unwrap());
    let again = StoreRow {
        store_id: "st2".into(),
        ..shop.clone()
    };
    assert_eq!(conflict(store.create_store(&again, 100, NOW).await), "name");
    let till = |id: &str| TerminalRow {
        terminal_id: id.into(),
        merchant_id: "m1".into(),
        store_id: "st1".into(),
        store_name: "Riverside".into(),
        label: "Till 1".into(),
    };
    assert!(store.create_terminal(&till("t1"), 500, NOW).await.unwrap());
    assert_eq!(
        conflict(store.create_terminal(&till("t2"), 500, NOW).await),
        "label"
    );

    // Bill numbers count up per merchant.
    let a = store
        .next_bill_number(&api::MerchantId::new("m1"), NOW)
        .await
        .unwrap();
    let b = store
        .next_bill_number(&api::MerchantId::new("m1"), NOW)
        .await
        .unwrap();
    assert_eq!((a.as_str(), b.as_str()), ("AAA-000001", "AAA-000002"));

    // A charge, its idempotency key, and the moves its state allows.
    let mut live = bus.subscribe("m1");
    let c1 = charge("m1", 1, Some("key-1"));
    let (_, created) = store.insert_charge(c1.clone(), NOW).await.unwrap();
    assert_eq!(created.seq, 1);
    assert_eq!(live.recv().await.unwrap().seq, 1, "published at commit");
    let mut c1_again = charge("m1", 99, Some("key-1"));
    c1_again.charge.charge_id = "ch_other".into();
    assert_eq!(
        conflict(store.insert_charge(c1_again, NOW).await),
        "idempotency_key"
    );
    let found = store
        .charge_by_idempotency_key(&api::MerchantId::new("m1"), "key-1")
        .await
        .unwrap();
    assert_eq!(found.unwrap().charge_id, c1.charge.charge_id);

    // A payment settles it once; the same transaction again is a duplicate; the same webhook id
    // with another body is refused.
    let p1 = payment_for(&c1, "tx1");
    assert!(
        !store.holds_sandbox_payments().await.unwrap(),
        "no payment yet"
    );
    match store.record_payment(p1.clone()).await.unwrap() {
        PaymentOutcome::Recorded { charge, event, .. } => {
            assert_eq!(charge.unwrap().status, api::ChargeStatus::Paid);
            assert_eq!(event.seq, 2);
        }
        other => panic!("{other:?}"),
    }
    // A server started without --sandbox on this data warns: it holds a test payment.
    assert!(store.holds_sandbox_payments().await.unwrap());
    let mut p1_retry = p1.clone();
    p1_retry.webhook_id = "wh_retry".into();
    p1_retry.body_hash = "body_retry".into();
    assert!(matches!(
        store.record_payment(p1_retry).await.unwrap(),
        PaymentOutcome::Duplicate {
            charge_status: Some(api::ChargeStatus::Paid),
            ..
        }
    ));
    let mut reused = p1.clone();
    reused.body_hash = "another body".into();
    assert!(matches!(
        store.record_payment(reused).await.unwrap(),
        PaymentOutcome::WebhookIdReused
    ));
    let cancel_paid = store
        .cancel_charge(&api::MerchantId::new("m1"), &c1.charge.charge_id, NOW)
        .await;
    assert_eq!(conflict(cancel_paid), "status");
    assert!(matches!(
        store
            .cancel_charge(&api::MerchantId::new("m2"), &c1.charge.charge_id, NOW)
            .await,
        Err(StoreError::NotFound)
    ));

    // Many writers at once, charges and payments of one merchant: the log stays gap-free and
    // strictly ordered, every outcome kept apart.
    let writers: Vec<_> = (2..66)
        .map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let c = charge("m1", n, None);
                store.insert_charge(c.clone(), NOW).await.unwrap();
                let paid = store
                    .record_payment(payment_for(&c, &format!("tx{n}")))
                    .await
                    .unwrap();
                assert!(matches!(paid, PaymentOutcome::Recorded { .. }), "{paid:?}");
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let log = store
        .events_since(&api::MerchantId::new("m1"), api::Seq(0), 1000)
        .await
        .unwrap();
    let seqs: Vec<u64> = log.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=130).collect::<Vec<_>>(), "gap-free and ordered");
    assert_eq!(
        store.head_seq(&api::MerchantId::new("m1")).await.unwrap(),
        api::Seq(130)
    );
    assert_eq!(
        store.head_seq(&api::MerchantId::new("m2")).await.unwrap(),
        api::Seq(0),
        "per merchant"
    );
    let paid = log
        .iter()
        .filter(|e| matches!(e.data, api::EventData::ChargePaid { .. }))
        .count();
    assert_eq!(paid, 65);

    // Shared throttle counters: counted per window, taken back, forgotten, restarted by a new
    // window, pruned.
    let w = NOW - NOW % 900_000;
    for n in 1..=3 {
        assert_eq!(store.throttle_hit("k", w, NOW).await.unwrap(), n);
    }
    store.throttle_unhit("k", w).await.unwrap();
    assert_eq!(store.throttle_hit("k", w, NOW).await.unwrap(), 3);
    assert_eq!(
        store.throttle_hit("k", w + 900_000, NOW).await.unwrap(),
        1,
        "new window"
    );
    store.throttle_clear("k").await.unwrap();
    assert_eq!(store.throttle_hit("k", w, NOW).await.unwrap(), 1);
    assert_eq!(store.prune_throttles(w + 1).await.unwrap(), 1);

    // The clock expires what is due, once.
    let c_due = charge("m2", 1, None);
    store.insert_charge(c_due, NOW).await.unwrap();
    let expired = store.expire_due(NOW + 301_000).await.unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].0, "m2");
    assert!(store.expire_due(NOW + 302_000).await.unwrap().is_empty());

    // Caps are counted under the merchant's lock: at the cap, nothing more is made.
    let other = StoreRow {
        store_id: "st3".into(),
        merchant_id: "m1".into(),
        name: "Airport".into(),
    };
    assert!(!store.create_store(&other, 1, NOW).await.unwrap());
    let mut till2 = till("t3");
    till2.label = "Till 3".into();
    assert!(!store.create_terminal(&till2, 1, NOW).await.unwrap());

    // A pairing code drawn twice conflicts on "code"; a counter keeps its newest three open.
    let later = NOW + 400_000;
    store
        .create_pairing("p1", "m1", "t1", later + 600_000, later)
        .await
        .unwrap();
    assert_eq!(
        conflict(
            store
                .create_pairing("p1", "m1", "t1", later + 600_000, later)
                .await
        ),
        "code"
    );
    for (n, code) in ["p2", "p3", "p4"].into_iter().enumerate() {
        let at = later + 1 + n as i64;
        store
            .create_pairing(code, "m1", "t1", at + 600_000, at)
            .await
            .unwrap();
    }
    let paired = store
        .pair_device("p1", "d-old", "Kiosk", "tok-old", later + 10)
        .await;
    assert!(
        matches!(paired, Err(StoreError::NotFound)),
        "the oldest code ended"
    );
    store
        .pair_device("p4", "d-new", "Kiosk", "tok-new", later + 10)
        .await
        .unwrap();

    // Spent sign-in material is forgotten: ended codes a day after, idle sessions at once.
    let user = store.user_by_email("m1@shop.kh").await.unwrap().unwrap();
    let session = NewSession {
        token_hash: "sess-hash",
        session_id: "ses-1",
        user: &user,
        user_agent: None,
        expires_at: later + 86_400_000,
    };
    store.create_session(&session, later).await.unwrap();
    assert!(
        store
            .session("sess-hash", later + 1)
            .await
            .unwrap()
            .is_some()
    );
    let much_later = later + SESSION_IDLE_MS + SPENT_KEEP_MS + 700_000;
    assert!(
        store
            .session("sess-hash", much_later)
            .await
            .unwrap()
            .is_none(),
        "idle"
    );
    let gone = store.prune_spent(much_later).await.unwrap();
    assert!(gone >= 5, "the session and four pairing codes went: {gone}");
    assert_eq!(store.prune_spent(much_later).await.unwrap(), 0);
}

#[tokio::test]
async fn sqlite_keeps_the_store_contract() {
    let dir = tempfile::tempdir().unwrap();
    let bus = EventBus::new();
    let store = SqliteStore::open(&dir.path().join("tonle.db"), bus.clone())
        .await
        .unwrap();
    story(Arc::new(store), &bus).await;
}

#[tokio::test]
async fn postgres_keeps_the_store_contract() {
    let bus = EventBus::new();
    let store = PgStore::open(&pg_url("contract"), 16, bus.clone())
        .await
        .expect("PostgreSQL at TONLE_TEST_DATABASE_URL (default 127.0.0.1:5432/test)");
    story(Arc::new(store), &bus).await;
}

#[tokio::test]
async fn postgres_instances_hear_each_others_events_in_order() {
    let url = pg_url("fanout");
    let (bus_a, bus_b) = (EventBus::new(), EventBus::new());
    let a = PgStore::open(&url, 8, bus_a).await.unwrap();
    let _b = PgStore::open(&url, 8, bus_b.clone()).await.unwrap();
    a.register(merchant("m1", "AAA"), NOW).await.unwrap();
    let mut heard = bus_b.subscribe("m1");
    for n in 1..=20 {
        a.insert_charge(charge("m1", n, None), NOW).await.unwrap();
    }
    let mut seqs = Vec::new();
    while seqs.len() < 20 {
        let event = tokio::time::timeout(Duration::from_secs(5), heard.recv())
            .await
            .expect("instance b hears instance a's events")
            .unwrap();
        seqs.push(event.seq);
    }
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());

    // A key revoked through a closes b's sessions of it too.
    let mut revoked = bus_b.revocations();
    let key = tonle_server::store::ApiKeyRow {
        key_id: "key_1".into(),
        merchant_id: "m1".into(),
        name: "POS".into(),
        prefix: "tk_abcd".into(),
        scopes: vec![api::Scope::ChargesRead],
        created_by: "u_m1".into(),
        last_used_at: None,
        created_at: NOW,
    };
    assert!(a.create_api_key(&key, "hash", 20, NOW).await.unwrap());
    a.revoke_api_key("m1", "key_1", NOW).await.unwrap();
    let told = tokio::time::timeout(Duration::from_secs(5), revoked.recv())
        .await
        .expect("instance b hears the revocation")
        .unwrap();
    assert_eq!(told, "key_1");
}
