use serde_json::{Value, json};

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

async fn get(app: &TestApp, m: &Merchant, path: &str) -> reqwest::Response {
    app.http
        .get(app.url(path))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn payments_page_by_keyset_with_filters_and_nothing_is_skipped_or_repeated() {
    let app = spawn_app().await;
    let m = app.register("h1@shop.kh", "sokha@aclb").await;
    let mut bills = Vec::new();
    for i in 0..7 {
        let c = app.charge(&m, &format!("{}", 1000 + i), "KHR").await;
        app.notify(&payment_for(&c, &format!("tx-h-{i}"))).await;
        bills.push(c.bill_number);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page: Value = get(&app, &m, &format!("/api/v1/payments?limit=3{q}"))
            .await
            .json()
            .await
            .unwrap();
        for p in page["items"].as_array().unwrap() {
            seen.push(p["bill_number"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    bills.reverse();
    assert_eq!(seen, bills, "newest first, every payment exactly once");

    let one: Value = get(
        &app,
        &m,
        &format!("/api/v1/payments?bill_number={}", bills[2]),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let none: Value = get(&app, &m, "/api/v1/payments?network=unionpay")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
    let today = tonle_server::history::civil_from_days(
        (tonle_server::clock::now_ms() + 7 * 3_600_000) / 86_400_000,
    );
    let days: Value = get(
        &app,
        &m,
        &format!("/api/v1/reports/daily?from={today}&to={today}"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        days,
        json!([{"date": today, "currency": "KHR", "count": 7, "total": "7021"}])
    );
}

#[tokio::test]
async fn charges_filter_by_status() {
    let app = spawn_app().await;
    let m = app.register("h2@shop.kh", "sokha@aclb").await;
    let paid = app.charge(&m, "1000", "KHR").await;
    app.charge(&m, "2000", "KHR").await;
    app.notify(&payment_for(&paid, "tx-s-1")).await;
    let page: Value = get(&app, &m, "/api/v1/charges?status=paid")
        .await
        .json()
        .await
        .unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], paid.id.as_str());
    let pending: Value = get(&app, &m, "/api/v1/charges?status=pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pending["items"][0]["amount"], "2000");
}

#[tokio::test]
async fn bad_history_queries_name_the_field() {
    let app = spawn_app().await;
    let m = app.register("h3@shop.kh", "sokha@aclb").await;
    for (q, field) in [
        ("/api/v1/payments?from=2026-02-30", "from"),
        ("/api/v1/payments?from=2026-11-25&to=2026-11-01", "to"),
        ("/api/v1/payments?limit=0", "limit"),
        ("/api/v1/payments?limit=5000", "limit"),
        ("/api/v1/payments?cursor=not-a-cursor", "cursor"),
        ("/api/v1/payments?network=visa", "network"),
        ("/api/v1/charges?status=lost", "status"),
    ] {
        let res = get(&app, &m, q).await;
        assert!(res.status().is_client_error(), "{q}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{q}: {err}");
    }
    let res = get(&app, &m, "/api/v1/payments?colour=red").await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["field"],
        "colour"
    );
}

#[tokio::test]
async fn payer_fields_are_decimals_or_short_clean_text_and_every_cell_is_guarded() {
    let app = spawn_app().await;
    let m = app.register("h9@shop.kh", "sokha@aclb").await;
    let c = app.charge(&m, "5000", "KHR").await;
    for (field, value) in [
        ("rate", json!("=HYPERLINK(\"http://x\",\"y\")")),
        ("rate", json!("@SUM(1)")),
        ("rate", json!("0")),
        ("amount", json!("=1+1")),
        ("institution", json!("Bank\nof China")),
        ("institution", json!("ABA\u{202E}001")),
        ("account", json!("x".repeat(30_000))),
        ("reference", json!("\u{1b}[31mred")),
    ] {
        let mut body = payment_for(&c, "tx-payer");
        body["payer"][field] = value;
        if field == "amount" {
            body["payer"].as_object_mut().unwrap().remove("currency");
        }
        let res = app.notify(&body).await;
        assert_eq!(res.status(), 422, "payer.{field}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], format!("payer.{field}"));
    }
    // An id that would forge a log line (a newline, ANSI colour) is refused by field too.
    for forged in ["tx-1\nINFO payment credited", "tx\u{1b}[2K", "tx\u{202E}1"] {
        let res = app.notify(&payment_for(&c, forged)).await;
        assert_eq!(res.status(), 422, "{forged:?}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], "transaction_id");
    }
    // What passes the checks but starts like a formula is neutralised in every text cell.
    let mut body = payment_for(&c, "-tx-formula");
    body["payer"]["institution"] = json!("+Bank");
    body["payer"]["reference"] = json!("@ref");
    assert_eq!(app.notify(&body).await.status(), 200);
    let csv = get(&app, &m, "/api/v1/payments.csv")
        .await
        .text()
        .await
        .unwrap();
    let row = csv.lines().nth(1).unwrap();
    for guarded in ["'-tx-formula", "'+Bank", "'@ref"] {
        assert!(row.contains(guarded), "{guarded} in {row}");
    }
}

#[tokio::test]
async fn the_csv_export_streams_every_payment_with_safe_cells() {
    let app = spawn_app().await;
    let m = app.register("h4@shop.kh", "sokha@aclb").await;
    for i in 0..3 {
        let c = app.charge(&m, "5000", "KHR").await;
        let mut body = payment_for(&c, &format!("tx-c-{i}"));
        body["payer"]["wallet"] = json!("=HYPERLINK(\"x\")");
        app.notify(&body).await;
    }
    let res = get(&app, &m, "/api/v1/payments.csv").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("received_at,paid_at,payment_id"));
    assert!(lines[1].contains(",5000,KHR,"));
    assert!(
        lines[1].contains("'=HYPERLINK"),
        "formula cells are neutralised: {}",
        lines[1]
    );
}

#[tokio::test]
async fn one_payment_is_readable_by_its_merchant_only() {
    let app = spawn_app().await;
    let a = app.register("r1@shop.kh", "ra@aclb").await;
    let b = app.register("r2@shop.kh", "rb@aclb").await;
    let c = app.charge(&a, "4000", "KHR").await;
    app.notify(&payment_for(&c, "tx-receipt-1")).await;
    let page: Value = get(&app, &a, "/api/v1/payments")
        .await
        .json()
        .await
        .unwrap();
    let id = page["items"][0]["id"].as_str().unwrap().to_owned();
    let res = get(&app, &a, &format!("/api/v1/payments/{id}")).await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["transaction_id"], "tx-receipt-1");
    assert_eq!(p["bill_number"], json!(c.bill_number));
    assert_eq!(p["payer"]["currency"], "CNY");
    let res = get(&app, &b, &format!("/api/v1/payments/{id}")).await;
    assert_eq!(res.status(), 404);
    let res = get(&app, &a, "/api/v1/payments/no-such-id").await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_payment_marked_to_refund_is_not_takings_and_history_says_so() {
    let app = spawn_app().await;
    let m = app.register("refunds@shop.kh", "sokha@aclb").await;
    let kept = app.charge(&m, "1000", "KHR").await;
    app.notify(&payment_for(&kept, "kept-1")).await;
    let late = app.charge(&m, "2500", "KHR").await;
    let mut body = payment_for(&late, "late-1");
    body["paid_at_ms"] = json!(late.expires_at_ms + 60_000);
    app.notify(&body).await;
    let refunded = app
        .http
        .post(app.url(&format!("/api/v1/charges/{}/resolve", late.id)))
        .header("cookie", &m.cookie)
        .json(&json!({"resolution": "refund_due"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refunded.status(), 200);
    let today = tonle_server::history::civil_from_days(
        (tonle_server::clock::now_ms() + 7 * 3_600_000).div_euclid(86_400_000),
    );
    let days: Value = get(
        &app,
        &m,
        &format!("/api/v1/reports/daily?from={today}&to={today}"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        days,
        json!([{"date": today, "currency": "KHR", "count": 1, "total": "1000"}]),
        "the refunded late payment is not takings"
    );
    let page: Value = get(&app, &m, "/api/v1/payments")
        .await
        .json()
        .await
        .unwrap();
    let late_payment = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["transaction_id"] == "late-1")
        .unwrap();
    assert_eq!(late_payment["resolution"], "refund_due");
    let csv = get(&app, &m, "/api/v1/payments.csv")
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",review,resolution,payer_account,payer_reference"),
        "{header}"
    );
    let late_line = csv.lines().find(|l| l.contains("late-1")).unwrap();
    assert!(late_line.contains(",refund_due,"), "{late_line}");
}
