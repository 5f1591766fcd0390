use serde_json::{Value, json};

use crate::helpers::{Merchant, TestApp, payment_for, spawn_app};

async fn put_profile(app: &TestApp, m: &Merchant, body: &Value) -> reqwest::Response {
    app.http
        .put(app.url("/api/v1/merchant"))
        .header("cookie", &m.cookie)
        .json(body)
        .send()
        .await
        .unwrap()
}

fn full_profile() -> Value {
    json!({
        "business_name": "Sokha Noodles", "merchant_city": "Phnom Penh", "country": "KH",
        "merchant_category_code": "5812", "bakong_account_id": "sokha@aclb",
        "merchant_id": "M-000123", "acquiring_bank": "ACLEDA",
        "upi": {"acquirer_iin": "19740116", "forwarding_iin": "00520446", "merchant_id": "ACLB10002312081"},
        "alternate": {"language": "km", "name": "គុយទាវសុខា", "city": "ភ្នំពេញ"},
        "default_currency": "KHR", "qr_lifetime_secs": 600
    })
}

#[tokio::test]
async fn the_profile_round_trips_and_drives_the_qr() {
    let app = spawn_app().await;
    let m = app.register("p1@shop.kh", "sokha@aclb").await;
    let before: Value = app
        .http
        .get(app.url("/api/v1/merchant"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(before["merchant_category_code"], "5999");
    let res = put_profile(&app, &m, &full_profile()).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after: Value = app
        .http
        .get(app.url("/api/v1/merchant"))
        .header("cookie", &m.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["upi"]["merchant_id"], "ACLB10002312081");
    assert_eq!(after["alternate"]["name"], "គុយទាវសុខា");

    let khr = app.charge(&m, "48000", "KHR").await;
    let f = khqr::decode_any(&khr.payload).unwrap().fields;
    assert_eq!(
        f.upi_merchant_account.as_deref(),
        Some("1974011600520446ACLB10002312081")
    );
    assert_eq!(f.kind, Some(khqr::AccountKind::Merchant));
    assert_eq!(f.merchant_id.as_deref(), Some("M-000123"));
    assert_eq!(f.merchant_category_code.as_deref(), Some("5812"));
    assert_eq!(
        f.merchant_name_alternate_language.as_deref(),
        Some("គុយទាវសុខា")
    );
    assert_eq!(khr.expires_at_ms - khr.created_at_ms, 600_000);
    assert!(khqr::khqr::verify(&khr.payload, tonle_server::clock::now_ms() as u64).is_ok());

    let usd = app.charge(&m, "3.5", "USD").await;
    let f = khqr::decode_any(&usd.payload).unwrap().fields;
    assert_eq!(
        f.upi_merchant_account, None,
        "KHQR carries UnionPay routing only on KHR codes"
    );
}

#[tokio::test]
async fn a_profile_that_cannot_make_a_valid_qr_is_refused_field_by_field() {
    let app = spawn_app().await;
    let m = app.register("p2@shop.kh", "sokha@aclb").await;
    // (JSON pointer to change, new value, field the error must name)
    let cases = [
        (
            "/merchant_category_code",
            json!("12"),
            "merchant_category_code",
        ),
        ("/upi/acquirer_iin", json!("1234"), "upi.acquirer_iin"),
        ("/upi/merchant_id", json!("short"), "upi.merchant_id"),
        ("/alternate/language", json!("fr"), "alternate.language"),
        (
            "/alternate/name",
            json!("ឈ្មោះដែលវែងពេកសម្រាប់កូដQRនេះណាស់"),
            "alternate.name",
        ),
        (
            "/business_name",
            json!("A name far too long for any QR"),
            "business_name",
        ),
        ("/bakong_account_id", json!(null), "bakong_account_id"),
        ("/bakong_account_id", json!("no-bank"), "bakong_account_id"),
        ("/qr_lifetime_secs", json!(5), "qr_lifetime_secs"),
        ("/default_currency", json!("CNY"), "default_currency"),
        ("/acquiring_bank", json!("x".repeat(33)), "acquiring_bank"),
    ];
    for (pointer, value, field) in cases {
        let mut p = full_profile();
        *p.pointer_mut(pointer).unwrap() = value;
        let res = put_profile(&app, &m, &p).await;
        assert_eq!(res.status(), 422, "{field}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{err}");
    }
}

#[tokio::test]
async fn a_merchant_in_china_charges_with_a_unionpay_code_that_bakong_wallets_pay() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(app.url("/api/v1/merchants"))
        .json(&json!({"email": "cn@shop.cn", "password": "0123456789abc", "business_name": "Shanghai Tea House",
                      "merchant_city": "Shanghai", "country": "CN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let m = Merchant {
        cookie: crate::helpers::cookie_of(&res),
    };
    let res = app
        .create_charge(&m, json!({"amount": "88", "currency": "CNY"}), None)
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "upi");
    let profile = json!({
        "business_name": "Shanghai Tea House", "merchant_city": "Shanghai", "country": "CN",
        "merchant_category_code": "5812", "default_currency": "CNY",
        "upi": {"acquirer_iin": "25000344", "forwarding_iin": "00020344", "merchant_id": "473398443761123"}
    });
    assert_eq!(put_profile(&app, &m, &profile).await.status(), 200);
    let c = app.charge(&m, "88", "CNY").await;
    let d = khqr::decode_any(&c.payload).unwrap();
    assert_eq!(d.scheme, khqr::Scheme::Unionpay);
    assert_eq!(d.fields.currency.as_deref(), Some("CNY"));
    assert_eq!(d.fields.amount.as_deref(), Some("88.00"));
    assert_eq!(d.fields.country_code.as_deref(), Some("CN"));
    // A Bakong wallet pays it from a riel account.
    let mut body = payment_for(&c, "bk-1");
    body["payer"] = json!({"wallet": "Bakong", "country": "KH", "amount": "49720", "currency": "KHR", "rate": "0.00177"});
    let ack: Value = app.notify(&body).await.json().await.unwrap();
    assert_eq!(ack["charge_status"], "paid");
}
