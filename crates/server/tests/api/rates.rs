//! Reference rates for the yuan estimate, fetched from a stand-in that answers as the NBC's
//! table does: good answers, malformed ones, none at all, and a jump the owner must confirm.

use std::time::Duration;

use serde_json::json;
use tonle_server::api;
use tonle_server::fx::FxSettings;
use tonle_server::fx::standin::{Answer, StandIn};

use crate::helpers::{Merchant, TestApp, spawn_app_with};

fn today() -> String {
    tonle_server::history::civil_from_days(tonle_server::clock::now_ms().div_euclid(86_400_000))
}

async fn source(standin: &StandIn) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/exRate.php", listener.local_addr().unwrap());
    let router = standin.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

async fn app_fetching(url: &str) -> TestApp {
    let mut fx = FxSettings::new(url);
    fx.every = Duration::from_millis(200);
    fx.retry = Duration::from_millis(200);
    fx.timeout = Duration::from_millis(500);
    spawn_app_with(|s| s.fx = Some(fx)).await
}

async fn rates(app: &TestApp, m: &Merchant) -> api::FxRates {
    app.get_json(&m.cookie, "/api/v1/fx").await
}

/// Waits until the merchant's rates satisfy `ok`.
async fn until(app: &TestApp, m: &Merchant, ok: impl Fn(&api::FxRates) -> bool) -> api::FxRates {
    for _ in 0..100 {
        let r = rates(app, m).await;
        if ok(&r) {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("rates never became as expected: {:?}", rates(app, m).await);
}

fn usd(r: &api::FxRates) -> Option<&api::FxRateView> {
    r.rates.iter().find(|x| x.currency == khqr::Currency::Usd)
}

async fn fetches_after(standin: &StandIn, n: u64) {
    for _ in 0..100 {
        if standin.fetches() > n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the source was not asked again");
}

#[tokio::test]
async fn a_charge_carries_the_yuan_estimate_and_a_broken_source_changes_nothing() {
    let standin = StandIn::new("566", "4020", &today());
    let app = app_fetching(&source(&standin).await).await;
    let m = app.register("fx@shop.kh", "sokha@aclb").await;
    let r = until(&app, &m, |r| usd(r).is_some()).await;
    assert_eq!(r.fetching, "configured");
    let rate = usd(&r).unwrap();
    // 4020 / 566 = 7.10247349
    assert_eq!(
        (rate.cny_per_unit.as_str(), rate.date.as_str(), rate.stale),
        ("7.10247349", today().as_str(), false)
    );
    let c = app.charge(&m, "3.00", "USD").await;
    let e = c.cny_estimate.clone().expect("an estimate");
    assert_eq!(
        (e.amount.as_str(), e.source, e.date.as_str()),
        ("21.31", api::RateSource::Configured, today().as_str())
    );
    let k = app.charge(&m, "12000", "KHR").await;
    assert_eq!(k.cny_estimate.unwrap().amount, "21.20");
    // malformed answers, errors and silence: the last rate stays, charges go on at once
    for answer in [Answer::Malformed, Answer::Unavailable, Answer::Hang] {
        let n = standin.fetches();
        standin.set(answer);
        fetches_after(&standin, n).await;
        let c = tokio::time::timeout(Duration::from_secs(5), app.charge(&m, "3.00", "USD"))
            .await
            .expect("a charge never waits for the rate source");
        assert_eq!(c.cny_estimate.unwrap().amount, "21.31");
    }
    let r = rates(&app, &m).await;
    assert_eq!(usd(&r).unwrap().cny_per_unit, "7.10247349");
}

#[tokio::test]
async fn a_jump_waits_for_the_owner_and_an_owners_rate_wins() {
    let standin = StandIn::new("566", "4020", "2026-12-01");
    let app = app_fetching(&source(&standin).await).await;
    let m = app.register("jump@shop.kh", "sokha@aclb").await;
    let r = until(&app, &m, |r| usd(r).is_some()).await;
    assert!(usd(&r).unwrap().stale, "a rate dated days ago says so");
    // a small move is taken at once; a jump of more than 10% waits
    standin.set(Answer::Table {
        khr_per_cny: "566".into(),
        khr_per_usd: "4100".into(),
        date: today(),
    });
    until(&app, &m, |r| {
        usd(r).is_some_and(|u| u.cny_per_unit == "7.24381625")
    })
    .await;
    standin.set(Answer::Table {
        khr_per_cny: "566".into(),
        khr_per_usd: "5000".into(),
        date: today(),
    });
    let r = until(&app, &m, |r| !r.pending.is_empty()).await;
    assert_eq!(
        usd(&r).unwrap().cny_per_unit,
        "7.24381625",
        "the jump is not used"
    );
    assert_eq!(r.pending[0].cny_per_unit, "8.83392226");
    let c = app.charge(&m, "1.00", "USD").await;
    assert_eq!(c.cny_estimate.unwrap().amount, "7.24");
    // a manager cannot confirm it; the owner can, for this shop only
    let other = app.register("jump2@shop.kh", "other@aclb").await;
    let res = app
        .post_as(&m.cookie, "/api/v1/fx/USD/confirm", json!({}))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let r: api::FxRates = res.json().await.unwrap();
    assert_eq!(usd(&r).unwrap().cny_per_unit, "8.83392226");
    assert!(r.pending.is_empty());
    assert_eq!(
        usd(&rates(&app, &other).await).unwrap().cny_per_unit,
        "7.24381625"
    );
    // the owner's own rate wins over what is fetched, until removed
    let put = |body: serde_json::Value| {
        app.http
            .put(app.url("/api/v1/fx/USD"))
            .header("cookie", &m.cookie)
            .json(&body)
            .send()
    };
    let r: api::FxRates = put(json!({"cny_per_unit": "7.00"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let own = usd(&r).unwrap();
    assert_eq!(
        (own.cny_per_unit.as_str(), own.source),
        ("7", api::RateSource::Owner)
    );
    assert_eq!(
        app.charge(&m, "1.00", "USD")
            .await
            .cny_estimate
            .unwrap()
            .amount,
        "7.00"
    );
    let res = put(json!({"cny_per_unit": "-1"})).await.unwrap();
    assert_eq!(res.status(), 422);
    let r: api::FxRates = put(json!({"cny_per_unit": null}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(usd(&r).unwrap().source, api::RateSource::Configured);
    let res = app
        .post_as(&m.cookie, "/api/v1/fx/CNY/confirm", json!({}))
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
}

#[tokio::test]
async fn without_a_rate_there_is_no_estimate() {
    let app = spawn_app_with(|_| {}).await;
    let m = app.register("norate@shop.kh", "sokha@aclb").await;
    let r = rates(&app, &m).await;
    assert_eq!((r.fetching.as_str(), r.rates.len()), ("off", 0));
    assert_eq!(app.charge(&m, "3.00", "USD").await.cny_estimate, None);
}
