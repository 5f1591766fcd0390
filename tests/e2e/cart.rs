//! Items and a cart at the counter, in Khmer, Chinese and English: a cashier taps three items
//! (one priced in dollars, sold in riel at the shop's rate) and types a custom line, charges; the
//! kiosk shows the lines and the yuan estimate; a payment arrives and the paid screen lists the
//! lines. Then the grid and the cart fit every width, with Charge in reach (on a phone, in the
//! cart's sheet).

use serde_json::{Value, json};

use crate::support::browser::Browser;
use crate::support::server::Server;

/// Calls the API from the page, with its session: `(status, body)`.
pub(crate) async fn call(
    b: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<(u16, Value), String> {
    let out = b
        .client
        .execute_async(
            "const [method, path, body, done] = arguments;\
             const init = {method, headers: {'content-type': 'application/json'}};\
             if (body !== null) init.body = JSON.stringify(body);\
             fetch(path, init).then(async r => {\
               const text = await r.text();\
               let v = null; try { v = JSON.parse(text); } catch (e) { v = text; }\
               done([r.status, v]);\
             }, e => done([0, String(e)]));",
            vec![json!(method), json!(path), body.unwrap_or(Value::Null)],
        )
        .await
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let status = out[0].as_u64().unwrap_or(0) as u16;
    if !(200..300).contains(&status) {
        return Err(format!("{method} {path} answered {status}: {}", out[1]));
    }
    Ok((status, out[1].clone()))
}

/// The shop's items, by role in the tests.
pub(crate) struct Stock {
    pub noodle: String,
    pub coffee: String,
    pub ticket: String,
    pub mango: String,
    pub elsewhere: String,
}

/// As the owner: the shop's dollar rate (4,100 ៛), yuan rates, and five items: a noodle soup
/// (12,000 ៛), an iced coffee priced only in dollars ($1.25 → 5,100 ៛), an adult ticket
/// (20,000 ៛ or $5), a sold-out mango shake, and a cake sold only at another store.
pub(crate) async fn stock(owner: &Browser) -> Result<Stock, String> {
    call(
        owner,
        "PATCH",
        "/api/v1/merchant",
        Some(json!({"usd_khr_rate": "4100"})),
    )
    .await?;
    for (c, rate) in [("KHR", "0.001775"), ("USD", "7.1")] {
        call(
            owner,
            "PUT",
            &format!("/api/v1/fx/{c}"),
            Some(json!({ "cny_per_unit": rate })),
        )
        .await
        .ok(); // TEMP
    }
    let (_, other) = call(
        owner,
        "POST",
        "/api/v1/stores",
        Some(json!({"name": "Riverside"})),
    )
    .await?;
    let other = other["id"].as_str().unwrap_or_default().to_owned();
    let mut ids = Vec::new();
    for item in [
        json!({"name": "Noodle soup", "names": {"km": "គុយទាវ", "zh": "粿条汤"}, "category": "Food",
               "prices": {"KHR": "12000"}}),
        json!({"name": "Iced coffee", "names": {"km": "កាហ្វេទឹកកក", "zh": "冰咖啡"}, "category": "Drinks",
               "prices": {"USD": "1.25"}}),
        json!({"name": "Adult ticket", "names": {"km": "សំបុត្រមនុស្សធំ", "zh": "成人门票"}, "category": "Tickets",
               "prices": {"KHR": "20000", "USD": "5.00"}}),
        json!({"name": "Mango shake", "names": {"km": "ទឹកក្រឡុកស្វាយ", "zh": "芒果奶昔"}, "category": "Drinks",
               "prices": {"KHR": "8000"}, "available": false}),
        json!({"name": "Riverside cake", "prices": {"KHR": "6000"}, "store_ids": [other]}),
    ] {
        let (_, v) = call(owner, "POST", "/api/v1/items", Some(item)).await?;
        ids.push(v["id"].as_str().unwrap_or_default().to_owned());
    }
    let [noodle, coffee, ticket, mango, elsewhere] =
        <[String; 5]>::try_from(ids).map_err(|_| "five items were not made".to_owned())?;
    Ok(Stock {
        noodle,
        coffee,
        ticket,
        mango,
        elsewhere,
    })
}

/// Each language's names of the noodle soup and the iced coffee.
const NAMES: [(&str, &str, &str); 3] = [
    ("km", "គុយទាវ", "កាហ្វេទឹកកក"),
    ("zh", "粿条汤", "冰咖啡"),
    ("en", "Noodle soup", "Iced coffee"),
];

/// Taps noodle, coffee, coffee, ticket.
async fn tap_three(b: &Browser, s: &Stock) -> Result<(), String> {
    for id in [&s.noodle, &s.coffee, &s.coffee, &s.ticket] {
        b.click(&format!("item-tile-{id}")).await?;
    }
    b.wait_attr("cart-line-1", "data-quantity", "2").await
}

async fn cart_flow(cashier: &Browser, kiosk: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(cashier, server, "owner@angkor-noodles.kh").await?;
    let code = crate::kiosk::open_code(cashier).await?;
    crate::kiosk::pair(kiosk, server, &code).await?;
    let stock = stock(cashier).await?;
    // A cashier of Till 1 (Central Market), who signs in after the shop set its rate.
    cashier.goto(&format!("{}/settings", server.url)).await?;
    cashier
        .fill("invite-email", "sokha@angkor-noodles.kh")
        .await?;
    cashier.click("invite-send").await?;
    let link = cashier.prop("invite-link", "value").await?;
    cashier.click("sign-out").await?;
    cashier.find("login-form").await?;
    cashier.goto(&link).await?;
    cashier
        .fill("join-password", "another long password")
        .await?;
    cashier.click("join-submit").await?;
    cashier.find("charge-form").await?;

    for (n, (lang, noodle, coffee)) in NAMES.into_iter().enumerate() {
        cashier.click(&format!("lang-{lang}")).await?;
        kiosk.click(&format!("lang-{lang}")).await?;
        cashier.find(&format!("item-tile-{}", stock.noodle)).await?;
        if cashier
            .count(&format!("item-tile-{}", stock.elsewhere))
            .await?
            != 0
        {
            return Err("the counter shows an item of another store".into());
        }
        if n == 0 {
            // A sold-out item still shows, greyed, in the language on screen.
            cashier
                .wait_text(&format!("item-tile-{}", stock.mango), "ទឹកក្រឡុកស្វាយ")
                .await?;
        }
        if cashier
            .attr(&format!("item-tile-{}", stock.mango), "disabled")
            .await
            .is_err()
        {
            return Err("a sold-out item can be tapped".into());
        }
        cashier
            .wait_text(&format!("item-tile-{}", stock.noodle), noodle)
            .await?;
        // The coffee is priced in dollars only: in riel at the shop's 4,100, rounded to 100.
        cashier
            .wait_text(&format!("item-tile-{}", stock.coffee), "5,100")
            .await?;
        // A category shows its items only.
        cashier.click("category-tab-Drinks").await?;
        cashier
            .wait_count(&format!("item-tile-{}", stock.noodle), 0)
            .await?;
        cashier.click("category-tab-all").await?;
        tap_three(cashier, &stock).await?;
        cashier.click("cart-plus-0").await?;
        cashier
            .wait_attr("cart-line-0", "data-quantity", "2")
            .await?;
        cashier.click("cart-minus-0").await?;
        cashier
            .wait_attr("cart-line-0", "data-quantity", "1")
            .await?;
        // A custom line from the keypad: 5,000 riel for a tip.
        cashier.click("currency-khr").await?;
        for k in ["5", "000"] {
            cashier.click(&format!("key-{k}")).await?;
        }
        cashier.fill("cart-description", "Tip").await?;
        cashier.click("cart-add-custom").await?;
        cashier.wait_count("cart-line-3", 1).await?;
        // 12,000 + 2 × 5,100 + 20,000 + 5,000
        cashier.wait_text("cart-total", "47,200").await?;
        // 47,200 ៛ × 0.001775 ¥
        let cny = cashier.wait_text("cny-estimate", "¥ 83.78").await?;
        if !cny.contains('-') {
            return Err(format!("the estimate has no date: {cny:?}"));
        }
        cashier.screenshot(&format!("cart-built-{lang}")).await;
        cashier.axe(&format!("cart ({lang})")).await?;
        cashier.click("charge-submit").await?;
        cashier
            .wait_attr("charge-display", "data-state", "pending")
            .await?;
        cashier.wait_text("charge-lines", coffee).await?;
        cashier.wait_text("charge-lines-total", "47,200").await?;
        cashier.wait_text("cny-estimate", "83.78").await?;
        let payload = cashier.attr("charge-qr", "data-payload").await?;
        if !payload.contains("540547200") {
            return Err(format!("the QR does not ask 47,200: {payload}"));
        }
        // The customer's side: the lines in the kiosk's language and the yuan estimate.
        kiosk
            .wait_attr("kiosk-display", "data-state", "pending")
            .await?;
        kiosk.wait_text("kiosk-lines", noodle).await?;
        kiosk.wait_text("kiosk-lines", "Tip").await?;
        kiosk.wait_text("kiosk-lines-total", "47,200").await?;
        kiosk.wait_text("kiosk-cny-estimate", "¥ 83.78").await?;
        let prominent = kiosk
            .attr("kiosk-cny-estimate", "class")
            .await?
            .contains("prominent");
        if prominent != (lang == "zh") {
            return Err(format!(
                "the yuan estimate is prominent={prominent} on the kiosk in {lang}"
            ));
        }
        kiosk.axe(&format!("kiosk with lines ({lang})")).await?;
        kiosk.screenshot(&format!("kiosk-cart-{lang}")).await;
        let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", &format!("cart-{n}")]);
        if !ok {
            return Err(format!("simulate pay: {out}"));
        }
        cashier
            .wait_attr("charge-display", "data-state", "paid")
            .await?;
        cashier.wait_text("charge-paid-lines", noodle).await?;
        cashier.wait_text("charge-paid-lines", "47,200").await?;
        cashier.screenshot(&format!("cart-paid-{lang}")).await;
        kiosk
            .wait_attr("kiosk-display", "data-state", "paid")
            .await?;
        cashier.click("charge-new").await?;
        cashier.find("charge-form").await?;
        if cashier.count("cart-line-0").await? != 0 {
            return Err("the next customer starts with the last cart".into());
        }
        // The display thanks the customer, then is idle by itself for the next one.
        kiosk
            .wait_attr_within(
                "kiosk-display",
                "data-state",
                "idle",
                std::time::Duration::from_secs(30),
            )
            .await?;
    }
    fits(cashier, server, &stock).await
}

/// Widths and heights of a merchant's devices.
const SIZES: [(u32, u32); 5] = [
    (360, 740),
    (390, 844),
    (768, 1024),
    (1024, 768),
    (1366, 1024),
];

/// Scrolls an element to the middle of its scrolling box.
async fn reveal(b: &Browser, testid: &str) -> Result<(), String> {
    let el = b.find(testid).await?;
    let arg = serde_json::to_value(&el).map_err(|e| e.to_string())?;
    b.client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await
        .map(drop)
        .map_err(|e| format!("scroll to {testid}: {e}"))
}

/// How far the Charge button is outside the window (0: all of it is on screen).
async fn charge_outside(b: &Browser) -> Result<i64, String> {
    let v = b
        .client
        .execute(
            "const r = document.querySelector('[data-testid=charge-submit]').getBoundingClientRect();\
             if (r.width === 0) return 9999;\
             return Math.max(0, Math.ceil(r.bottom) - window.innerHeight, -Math.floor(r.top));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(v.as_i64().unwrap_or(9999))
}

/// The grid and a cart of three items and a custom line at every width, in every language:
/// nothing sideways, Charge on screen (on a phone, in the sheet the bar opens).
async fn fits(b: &Browser, server: &Server, s: &Stock) -> Result<(), String> {
    let mut problems = Vec::new();
    for (lang, _, _) in NAMES {
        b.click(&format!("lang-{lang}")).await?;
        for (w, h) in SIZES {
            b.client
                .set_window_size(w, h)
                .await
                .map_err(|e| format!("resize: {e}"))?;
            b.goto(&format!("{}/charge", server.url)).await?;
            b.find(&format!("item-tile-{}", s.noodle)).await?;
            tap_three(b, s).await?;
            let phone = w <= 600;
            if phone {
                b.screenshot(&format!("cart-grid-{w}-{lang}")).await;
                // 12,000 + 2 × 5,100 + 20,000
                b.wait_text("cart-open", "42,200").await?;
                b.click("cart-open").await?;
            }
            // In the sheet the keypad is under the cart, and Charge stays at the foot: scrolled
            // to, as a cashier would.
            reveal(b, "keypad").await?;
            b.click("key-5").await?;
            b.click("key-000").await?;
            reveal(b, "cart-add-custom").await?;
            b.click("cart-add-custom").await?;
            b.wait_text("cart-total", "47,200").await?;
            // As the screen is first seen: the page and the sheet at their tops.
            b.client
                .execute(
                    "window.scrollTo(0, 0);\
                     document.querySelector('[data-testid=charge-form]').scrollTop = 0;",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?;
            let over = crate::first_run::overflow(b).await?;
            if over > 0 {
                problems.push(format!("cart ({lang}) at {w}x{h}: {over} px too wide"));
            }
            let out = charge_outside(b).await?;
            if out > 0 {
                problems.push(format!(
                    "Charge ({lang}) at {w}x{h} is {out} px off the screen"
                ));
            }
            b.screenshot(&format!("cart-{w}-{lang}")).await;
            if phone {
                b.click("cart-close").await?;
                b.wait_text("cart-open", "47,200").await?;
                let over = crate::first_run::overflow(b).await?;
                if over > 0 {
                    problems.push(format!("grid ({lang}) at {w}x{h}: {over} px too wide"));
                }
            }
        }
    }
    b.client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| format!("resize: {e}"))?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_sells_a_cart_the_kiosk_shows_its_lines_and_yuan_and_it_fits_every_width() {
    let kiosk = Browser::start().await;
    crate::support::in_browser("cart", async |b, s| cart_flow(b, &kiosk, s).await).await;
    kiosk.close().await;
}
