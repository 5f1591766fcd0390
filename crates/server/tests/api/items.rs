//! Items, carts priced by the server, the shop's dollar rate, CSV import and export, and what
//! sold.

use serde_json::{Value, json};
use tonle_server::api;

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

async fn send(
    app: &TestApp,
    m: &Merchant,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut req = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .header("cookie", &m.cookie);
    if let Some(b) = body {
        req = req.json(&b);
    }
    req.send().await.unwrap()
}

async fn add(app: &TestApp, m: &Merchant, body: Value) -> api::ItemView {
    let res = send(app, m, "POST", "/api/v1/items", Some(body)).await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

/// The field a 422 names.
async fn refused(res: reqwest::Response) -> (String, String) {
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    (
        v["error"]["field"].as_str().unwrap_or_default().to_owned(),
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

struct Shop {
    m: Merchant,
    soup: api::ItemView,
    coffee: api::ItemView,
    ticket: api::ItemView,
}

async fn shop(app: &TestApp, email: &str) -> Shop {
    let m = app.register(email, "sokha@aclb").await;
    let soup = add(app, &m, json!({"name": "Noodle soup", "names": {"km": "គុយទាវ", "zh": "粿条汤"}, "category": "Food", "prices": {"KHR": "12000", "USD": "3.00"}})).await;
    let coffee = add(
        app,
        &m,
        json!({"name": "Iced coffee", "category": "Drinks", "prices": {"USD": "2.50"}}),
    )
    .await;
    let ticket = add(
        app,
        &m,
        json!({"name": "Adult ticket", "prices": {"KHR": "20000"}}),
    )
    .await;
    Shop {
        m,
        soup,
        coffee,
        ticket,
    }
}

#[tokio::test]
async fn items_are_added_listed_in_grid_order_changed_and_deleted() {
    let app = spawn_app().await;
    let s = shop(&app, "items@shop.kh").await;
    let list: api::ItemList = app.get_json(&s.m.cookie, "/api/v1/items").await;
    let names: Vec<&str> = list.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Noodle soup", "Iced coffee", "Adult ticket"]);
    assert_eq!(list.items[0].names.km.as_deref(), Some("គុយទាវ"));
    assert_eq!(list.items[0].prices.usd.as_deref(), Some("3.00"));
    // move the ticket first, mark the coffee sold out, clear the soup's category
    let res = send(
        &app,
        &s.m,
        "PATCH",
        &format!("/api/v1/items/{}", s.ticket.id),
        Some(json!({"position": 0})),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = send(
        &app,
        &s.m,
        "PATCH",
        &format!("/api/v1/items/{}", s.coffee.id),
        Some(json!({"available": false})),
    )
    .await;
    let coffee: api::ItemView = res.json().await.unwrap();
    assert!(!coffee.available);
    assert_eq!(
        coffee.prices.usd.as_deref(),
        Some("2.50"),
        "a patch changes only what it names"
    );
    let res = send(
        &app,
        &s.m,
        "PATCH",
        &format!("/api/v1/items/{}", s.soup.id),
        Some(json!({"category": null})),
    )
    .await;
    let soup: api::ItemView = res.json().await.unwrap();
    assert_eq!(soup.category, None);
    let list: api::ItemList = app.get_json(&s.m.cookie, "/api/v1/items").await;
    assert_eq!(list.items[0].id, s.ticket.id);
    let res = send(
        &app,
        &s.m,
        "DELETE",
        &format!("/api/v1/items/{}", s.ticket.id),
        None,
    )
    .await;
    assert_eq!(res.status(), 204);
    let res = send(
        &app,
        &s.m,
        "GET",
        &format!("/api/v1/items/{}", s.ticket.id),
        None,
    )
    .await;
    assert_eq!(res.status(), 404);
    // bad items are refused naming the field
    for (body, field) in [
        (json!({"name": "", "prices": {"KHR": "1000"}}), "name"),
        (json!({"name": "Tea", "prices": {}}), "prices"),
        (
            json!({"name": "Tea", "prices": {"KHR": "10.5"}}),
            "prices.KHR",
        ),
        (
            json!({"name": "Tea", "prices": {"CNY": "10"}}),
            "prices.CNY",
        ),
        (
            json!({"name": "Tea\u{202e}", "prices": {"KHR": "1000"}}),
            "name",
        ),
        (
            json!({"name": "Tea", "prices": {"KHR": "1000"}, "store_ids": ["nope"]}),
            "store_ids",
        ),
        (
            json!({"name": "x".repeat(61), "prices": {"KHR": "1000"}}),
            "name",
        ),
    ] {
        let (f, _) = refused(send(&app, &s.m, "POST", "/api/v1/items", Some(body)).await).await;
        assert_eq!(f, field);
    }
}

#[tokio::test]
async fn the_server_prices_the_cart_and_the_qr_asks_the_sum() {
    let app = spawn_app().await;
    let s = shop(&app, "cart@shop.kh").await;
    let lines = json!([
        {"item_id": s.soup.id, "quantity": 2},
        {"item_id": s.ticket.id, "quantity": 1},
        {"description": "Extra egg", "amount": "1500", "quantity": 3}
    ]);
    let res = app
        .create_charge(&s.m, json!({"currency": "KHR", "lines": lines}), None)
        .await;
    assert_eq!(res.status(), 201);
    let c: api::ChargeView = res.json().await.unwrap();
    assert_eq!(c.amount, "48500");
    let now = tonle_server::clock::now_ms() as u64;
    let f = khqr::khqr::verify(&c.payload, now).unwrap();
    assert_eq!(
        f.amount.as_deref(),
        Some("48500"),
        "the QR's tag 54 is the lines' sum"
    );
    let sold: Vec<(&str, &str, u32, &str)> = c
        .lines
        .iter()
        .map(|l| {
            (
                l.name.as_str(),
                l.unit_price.as_str(),
                l.quantity,
                l.total.as_str(),
            )
        })
        .collect();
    assert_eq!(
        sold,
        [
            ("Noodle soup", "12000", 2, "24000"),
            ("Adult ticket", "20000", 1, "20000"),
            ("Extra egg", "1500", 3, "4500")
        ]
    );
    // the same sum sent as the amount is fine; a tampered one is refused naming it
    let ok = app
        .create_charge(
            &s.m,
            json!({"currency": "KHR", "amount": "48500", "lines": lines}),
            None,
        )
        .await;
    assert_eq!(ok.status(), 201);
    let bad = app
        .create_charge(
            &s.m,
            json!({"currency": "KHR", "amount": "100", "lines": lines}),
            None,
        )
        .await;
    let (field, message) = refused(bad).await;
    assert_eq!(field, "amount");
    assert!(message.contains("48500"), "{message}");
    // sold out, and another shop's item, are refused naming the line
    send(
        &app,
        &s.m,
        "PATCH",
        &format!("/api/v1/items/{}", s.ticket.id),
        Some(json!({"available": false})),
    )
    .await;
    let res = app.create_charge(&s.m, json!({"currency": "KHR", "lines": [{"item_id": s.soup.id, "quantity": 1}, {"item_id": s.ticket.id, "quantity": 1}]}), None).await;
    assert_eq!(
        refused(res).await,
        ("lines[1].item_id".into(), "sold out".into())
    );
    let other = shop(&app, "other@shop.kh").await;
    let res = app
        .create_charge(
            &s.m,
            json!({"currency": "KHR", "lines": [{"item_id": other.soup.id, "quantity": 1}]}),
            None,
        )
        .await;
    assert_eq!(
        refused(res).await,
        ("lines[0].item_id".into(), "no such item".into())
    );
    // a deleted item, an item without a dollar price in a dollar charge, and bad lines
    send(
        &app,
        &s.m,
        "DELETE",
        &format!("/api/v1/items/{}", s.ticket.id),
        None,
    )
    .await;
    for (body, field) in [
        (
            json!({"currency": "KHR", "lines": [{"item_id": s.ticket.id, "quantity": 1}]}),
            "lines[0].item_id",
        ),
        (
            json!({"currency": "USD", "lines": [{"item_id": s.coffee.id, "quantity": 1}, {"item_id": s.ticket.id, "quantity": 1}]}),
            "lines[1].item_id",
        ),
        (
            json!({"currency": "KHR", "lines": [{"item_id": s.soup.id, "quantity": 0}]}),
            "lines[0].quantity",
        ),
        (
            json!({"currency": "KHR", "lines": [{"description": "", "amount": "100", "quantity": 1}]}),
            "lines[0].description",
        ),
        (
            json!({"currency": "KHR", "lines": [{"description": "Tip", "amount": "0.5", "quantity": 1}]}),
            "lines[0].amount",
        ),
        (
            json!({"currency": "KHR", "lines": [{"quantity": 1}]}),
            "lines[0]",
        ),
        (json!({"currency": "KHR"}), "amount"),
    ] {
        assert_eq!(
            refused(app.create_charge(&s.m, body, None).await).await.0,
            field
        );
    }
}

#[tokio::test]
async fn dollar_items_sell_in_riel_at_the_shops_rate_and_past_lines_stay_as_sold() {
    let app = spawn_app().await;
    let s = shop(&app, "rate@shop.kh").await;
    let cart = json!({"currency": "KHR", "lines": [{"item_id": s.coffee.id, "quantity": 2}]});
    let res = app.create_charge(&s.m, cart.clone(), None).await;
    let (field, message) = refused(res).await;
    assert_eq!(field, "lines[0].item_id");
    assert!(message.contains("dollar rate"), "{message}");
    for bad in ["41", "abc", "41000"] {
        let res = send(
            &app,
            &s.m,
            "PATCH",
            "/api/v1/merchant",
            Some(json!({"usd_khr_rate": bad})),
        )
        .await;
        assert_eq!(refused(res).await.0, "usd_khr_rate");
    }
    let res = send(
        &app,
        &s.m,
        "PATCH",
        "/api/v1/merchant",
        Some(json!({"usd_khr_rate": "4100"})),
    )
    .await;
    let v: api::MerchantView = res.json().await.unwrap();
    assert_eq!(v.profile.usd_khr_rate.as_deref(), Some("4100"));
    assert_eq!(
        v.profile.business_name, "Sokha Noodles",
        "a patch keeps the rest of the profile"
    );
    let res = send(
        &app,
        &s.m,
        "PATCH",
        "/api/v1/merchant",
        Some(json!({"no_such_field": 1})),
    )
    .await;
    assert_eq!(refused(res).await.0, "no_such_field");
    // 2.50 × 4100 = 10250, rounded to 10300 riel; the receipt's rate rides with the charge
    let c: api::ChargeView = app
        .create_charge(&s.m, cart, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(c.amount, "20600");
    assert_eq!(c.usd_khr_rate.as_deref(), Some("4100"));
    assert_eq!(c.lines[0].usd_price.as_deref(), Some("2.50"));
    // a keypad amount is never converted
    let plain = app.charge(&s.m, "3", "USD").await;
    assert_eq!(
        (plain.amount.as_str(), plain.usd_khr_rate.as_deref()),
        ("3.00", None)
    );
    // the price changes; the sale does not
    send(
        &app,
        &s.m,
        "PATCH",
        &format!("/api/v1/items/{}", s.coffee.id),
        Some(json!({"name": "Coffee", "prices": {"USD": "9.00"}})),
    )
    .await;
    let again: api::ChargeView = app
        .get_json(&s.m.cookie, &format!("/api/v1/charges/{}", c.id))
        .await;
    assert_eq!(
        (
            again.lines[0].name.as_str(),
            again.lines[0].unit_price.as_str()
        ),
        ("Iced coffee", "10300")
    );
    // paid: the payment carries the lines, and the report and the lines export count them
    let res = app.notify(&payment_for(&c, "tx-rate-1")).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let p: api::Page<api::PaymentView> = app.get_json(&s.m.cookie, "/api/v1/payments").await;
    assert_eq!(p.items[0].lines, c.lines);
    assert_eq!(p.items[0].usd_khr_rate.as_deref(), Some("4100"));
    let report: api::ItemReport = app.get_json(&s.m.cookie, "/api/v1/reports/items").await;
    assert_eq!(report.items.len(), 1);
    assert_eq!(
        (
            report.items[0].quantity,
            report.items[0].total.as_str(),
            report.items[0].name.as_str()
        ),
        (2, "20600", "Iced coffee")
    );
    let csv = send(&app, &s.m, "GET", "/api/v1/payments/lines.csv", None)
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[1].contains(",Iced coffee,2,10300,20600,KHR,2.50,4100"),
        "{csv}"
    );
}

#[tokio::test]
async fn items_round_trip_through_csv_and_a_bad_row_saves_nothing() {
    let app = spawn_app().await;
    let s = shop(&app, "csv@shop.kh").await;
    let post_csv = |body: String| {
        app.http
            .post(app.url("/api/v1/items.csv"))
            .header("cookie", &s.m.cookie)
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let csv = send(&app, &s.m, "GET", "/api/v1/items.csv", None)
        .await
        .text()
        .await
        .unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_owned).collect();
    assert_eq!(
        lines[0],
        "id,name,name_km,name_zh,category,price_khr,price_usd,price_cny,available,position,stores"
    );
    assert!(
        lines[1].contains(",Noodle soup,គុយទាវ,粿条汤,Food,12000,3.00,,yes,"),
        "{csv}"
    );
    // the same file back changes nothing but counts three updates
    let res = post_csv(csv.clone()).await.unwrap();
    let done: api::ItemImport = res.json().await.unwrap();
    assert_eq!((done.created, done.updated), (0, 3));
    // a spreadsheet edit: the ticket's price, a new row (with a BOM, as Excel saves)
    lines[3] = lines[3].replace("20000", "25000");
    lines.push(",Mango shake,,,Drinks,,2.00,,no,,".into());
    let edited = format!("\u{feff}{}\n", lines.join("\n"));
    let done: api::ItemImport = post_csv(edited).await.unwrap().json().await.unwrap();
    assert_eq!((done.created, done.updated), (1, 3));
    let list: api::ItemList = app.get_json(&s.m.cookie, "/api/v1/items").await;
    let ticket = list.items.iter().find(|i| i.id == s.ticket.id).unwrap();
    assert_eq!(ticket.prices.khr.as_deref(), Some("25000"));
    let shake = list.items.iter().find(|i| i.name == "Mango shake").unwrap();
    assert!(!shake.available);
    // a bad row is named, and nothing of the file is saved
    let bad = "name,price_khr,price_usd\nTea,3000,\nCake,,1.234\n".to_owned();
    let (field, _) = refused(post_csv(bad).await.unwrap()).await;
    assert_eq!(field, "row 2: price_usd");
    let after: api::ItemList = app.get_json(&s.m.cookie, "/api/v1/items").await;
    assert_eq!(after.items.len(), list.items.len());
    // more than a shop may keep is refused whole
    let mut too_many = String::from("name,price_khr\n");
    for i in 0..1000 {
        too_many.push_str(&format!("Extra {i},1000\n"));
    }
    let res = post_csv(too_many).await.unwrap();
    assert_eq!(res.status(), 409);
    // a catalog bigger than the API's usual body limit imports whole
    let mut big = String::from("name,name_km,name_zh,category,price_khr\n");
    for i in 0..900 {
        big.push_str(&format!(
            "Item {i},គុយទាវសាច់គោពិសេស {i},特制牛肉粿条汤 {i},Food,{}\n",
            1000 + i
        ));
    }
    assert!(big.len() > 64 * 1024);
    let res = post_csv(big).await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let done: api::ItemImport = serde_json::from_str(&text).unwrap();
    assert_eq!(done.created, 900);
    for (bad, field) in [
        ("price_khr\n1000\n", "file"),
        ("id,name,price_khr\nitem_nope,Tea,1000\n", "row 1: id"),
        (
            "name,price_khr,available\nTea,1000,maybe\n",
            "row 1: available",
        ),
    ] {
        assert_eq!(refused(post_csv(bad.into()).await.unwrap()).await.0, field);
    }
}
