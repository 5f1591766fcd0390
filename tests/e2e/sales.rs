//! Where sold lines show after the sale: an owner sells three items (one priced in dollars, sold
//! in riel at the shop's 4,100 ៛ rate) and the receipt, the history details, the dashboard's top
//! items (live, without a reload) and the shift summary list them in Khmer, Chinese and English;
//! the lines export has one row per line; every width fits and the receipt fits a 58 mm roll.

use serde_json::{Value, json};

use crate::support::browser::Browser;
use crate::support::server::Server;

/// Widths and heights a merchant's devices have: phones, tablets portrait and landscape.
const SIZES: [(u32, u32); 5] = [
    (360, 740),
    (390, 844),
    (768, 1024),
    (1024, 768),
    (1366, 1024),
];

/// The three items: main name, Khmer, Chinese, prices.
const ITEMS: [(&str, &str, &str, &str, &str); 3] = [
    ("Iced coffee", "កាហ្វេទឹកកក", "冰咖啡", "KHR", "8000"),
    ("Noodle soup", "គុយទាវ", "粿条汤", "KHR", "12000"),
    ("Adult ticket", "សំបុត្រមនុស្សពេញវ័យ", "成人票", "USD", "3.00"),
];

/// Quantities sold, in the order of `ITEMS`.
const QUANTITIES: [u32; 3] = [2, 1, 2];

/// A call to the API from the signed-in page (its session cookie rides along); the JSON answer.
async fn call(b: &Browser, method: &str, path: &str, body: Value) -> Result<Value, String> {
    let v = b
        .client
        .execute_async(
            "const [method, path, body, done] = arguments;\
             const init = {method, headers: {'content-type': 'application/json',\
               'idempotency-key': 'e2e-' + Math.random()}};\
             if (body !== null) init.body = JSON.stringify(body);\
             fetch(path, init).then(async r => done({status: r.status, text: await r.text()}),\
               e => done({status: 0, text: String(e)}));",
            vec![json!(method), json!(path), body],
        )
        .await
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let status = v["status"].as_u64().unwrap_or(0);
    let text = v["text"].as_str().unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(format!("{method} {path} answered {status}: {text}"));
    }
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(text).map_err(|e| format!("{method} {path}: {e}: {text}"))
}

/// The three items, the shop's rate and a paid riel charge for 2 coffees, a soup and 2 tickets
/// (2 × 8,000 + 12,000 + 2 × 12,300 = 52,600 ៛); the payment's id.
async fn sell(b: &Browser) -> Result<String, String> {
    let mut lines = Vec::new();
    for ((name, km, zh, currency, price), quantity) in ITEMS.into_iter().zip(QUANTITIES) {
        let item = call(
            b,
            "POST",
            "/api/v1/items",
            json!({"name": name, "names": {"km": km, "zh": zh}, "prices": {currency: price}}),
        )
        .await?;
        let id = item["id"].as_str().ok_or("an item without id")?.to_owned();
        lines.push(json!({"item_id": id, "quantity": quantity}));
    }
    call(
        b,
        "PATCH",
        "/api/v1/merchant",
        json!({"usd_khr_rate": "4100"}),
    )
    .await?;
    let charge = call(
        b,
        "POST",
        "/api/v1/charges",
        json!({"currency": "KHR", "lines": lines}),
    )
    .await?;
    if charge["amount"].as_str() != Some("52600") || charge["usd_khr_rate"].is_null() {
        return Err(format!("the charge is not as sold: {charge}"));
    }
    let id = charge["id"].as_str().ok_or("a charge without id")?;
    call(
        b,
        "POST",
        &format!("/api/v1/charges/{id}/test-payment"),
        json!({"wallet": "bakong"}),
    )
    .await?;
    let page = call(b, "GET", "/api/v1/payments?limit=1", Value::Null).await?;
    page["items"][0]["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no payment after the test payment: {page}"))
}

/// The name of item `i` in a language.
fn name_in(lang: &str, i: usize) -> &'static str {
    let (en, km, zh, ..) = ITEMS[i];
    match lang {
        "km" => km,
        "zh" => zh,
        _ => en,
    }
}

/// `prefix-0` … `prefix-{n-1}` each show one of the three items in `lang`, and no more rows.
async fn lists_all(b: &Browser, prefix: &str, lang: &str, n: usize) -> Result<(), String> {
    let mut seen = String::new();
    for i in 0..n {
        seen += &b.wait_text_not_empty(&format!("{prefix}-{i}")).await?;
        seen.push('\n');
    }
    if b.count(&format!("{prefix}-{n}")).await? != 0 {
        return Err(format!("{prefix} lists more than {n} rows"));
    }
    for i in 0..ITEMS.len() {
        if !seen.contains(name_in(lang, i)) {
            return Err(format!(
                "{prefix} in {lang} does not name {:?}: {seen:?}",
                name_in(lang, i)
            ));
        }
    }
    Ok(())
}

/// How far the receipt, copied into a 58 mm roll's printable width at its print size, is too wide.
async fn roll58_overflow(b: &Browser, keep: bool) -> Result<i64, String> {
    let v = b
        .client
        .execute(
            "const keep = arguments[0];\
             document.getElementById('roll58')?.remove();\
             const box = document.createElement('div');\
             box.id = 'roll58';\
             Object.assign(box.style, {position: 'absolute', top: '0', left: '0', width: '54mm',\
               background: '#fff', zIndex: 5000, outline: '1px solid red'});\
             const slip = document.querySelector('[data-testid=receipt]').cloneNode(true);\
             slip.removeAttribute('data-testid');\
             slip.querySelectorAll('[data-testid]').forEach(e => e.removeAttribute('data-testid'));\
             slip.classList.remove('paper-80');\
             Object.assign(slip.style, {fontSize: '9pt', padding: '0', border: 'none'});\
             box.appendChild(slip);\
             document.body.appendChild(box);\
             window.scrollTo(0, 0);\
             const wide = Math.max(slip.scrollWidth, ...[...slip.querySelectorAll('*')]\
               .map(e => e.getBoundingClientRect().right)) - box.getBoundingClientRect().right;\
             if (!keep) box.remove();\
             return Math.ceil(wide);",
            vec![json!(keep)],
        )
        .await
        .map_err(|e| format!("measure the 58 mm receipt: {e}"))?;
    Ok(v.as_i64().unwrap_or(0))
}

/// Sets a date input as a date picker would (typed keys follow the browser's locale).
async fn set_date(b: &Browser, testid: &str, ymd: &str) -> Result<(), String> {
    let el = b.find(testid).await?;
    let arg = serde_json::to_value(&el).map_err(|e| e.to_string())?;
    b.client
        .execute(
            "const [el, v] = arguments; el.value = v;\
             el.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![arg, json!(ymd)],
        )
        .await
        .map(drop)
        .map_err(|e| format!("set {testid}: {e}"))
}

async fn resize(b: &Browser, w: u32, h: u32) -> Result<(), String> {
    b.client
        .set_window_size(w, h)
        .await
        .map_err(|e| format!("resize: {e}"))
}

async fn sold_lines_everywhere(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@sales.kh").await?;
    b.click("nav-dashboard").await?;
    b.find("today-totals").await?;
    // Nothing sold by items yet: no top items.
    b.find("today-empty").await?;
    if b.count("top-items").await? != 0 {
        return Err("top items show before anything was sold".into());
    }
    // The sale happens while the dashboard is open: its top items come without a reload.
    let payment = sell(b).await?;
    b.wait_text("today-KHR", "52,600").await?;
    b.find("top-items").await?;
    lists_all(b, "top-item", "en", 3).await?;

    // The lines export: one row per line of the day, under its header.
    b.click("nav-history").await?;
    let href = b.attr("export-lines-csv", "href").await?;
    if !href.contains("/api/v1/payments/lines.csv") {
        return Err(format!("the lines export points at {href}"));
    }
    let csv = b
        .client
        .execute_async(
            "const [url, done] = arguments; fetch(url).then(r => r.text()).then(done, e => done(String(e)));",
            vec![json!(href)],
        )
        .await
        .map_err(|e| format!("fetch the lines export: {e}"))?;
    let csv = csv.as_str().unwrap_or_default().to_owned();
    if csv.lines().count() != 4 || !csv.contains("Noodle soup") {
        return Err(format!("the lines export is not the three lines: {csv:?}"));
    }
    set_date(b, "filter-from", "2020-01-01").await?;
    set_date(b, "filter-to", "2020-01-02").await?;
    b.click("filter-apply").await?;
    b.find("history-empty").await?;
    let href = b.attr("export-lines-csv", "href").await?;
    if !href.contains("from=2020-01-01") || !href.contains("to=2020-01-02") {
        return Err(format!("the lines export does not carry the dates: {href}"));
    }

    for (lang, nav) in crate::screens::LANGS {
        resize(b, 1280, 900).await?;
        b.goto(&format!("{}/history", server.url)).await?;
        b.click(&format!("lang-{lang}")).await?;
        b.wait_text("nav-dashboard", nav).await?;
        // History: the payment's details list its lines, the rate, and the total.
        b.click("history-row").await?;
        b.find("sold-lines").await?;
        lists_all(b, "sold-line", lang, 3).await?;
        b.wait_text("sold-line-2", "$3.00").await?;
        b.wait_text("sold-line-2", "24,600").await?;
        b.wait_text("sold-lines-rate", "4,100").await?;
        b.wait_text("sold-lines", "52,600").await?;
        b.axe(&format!("history details with lines ({lang})"))
            .await?;
        b.screenshot_at("sold-lines", &format!("sales-history-{lang}"))
            .await;

        // The receipt lists the lines above the total, and the rate.
        b.click("receipt-link").await?;
        b.wait_text("receipt-amount", "52,600").await?;
        b.find("sold-lines").await?;
        lists_all(b, "sold-line", lang, 3).await?;
        b.wait_text("sold-line-0", "2 × 8,000").await?;
        b.wait_text("sold-lines-rate", "4,100").await?;
        b.axe(&format!("receipt with lines ({lang})")).await?;

        // The dashboard's top items and the shift summary's by-item totals.
        b.goto(&format!("{}/dashboard", server.url)).await?;
        b.find("top-items").await?;
        lists_all(b, "top-item", lang, 3).await?;
        b.axe(&format!("dashboard with top items ({lang})")).await?;
        b.goto(&format!("{}/shift", server.url)).await?;
        b.find("shift-items").await?;
        lists_all(b, "shift-item", lang, 3).await?;
        b.wait_text("shift-items", "24,600").await?;
        b.axe(&format!("shift by item ({lang})")).await?;
    }

    // Every width, every language: nothing scrolls sideways; screenshots to look at.
    let mut problems = Vec::new();
    for (lang, _) in crate::screens::LANGS {
        resize(b, 1280, 900).await?;
        b.goto(&format!("{}/dashboard", server.url)).await?;
        b.click(&format!("lang-{lang}")).await?;
        for (w, h) in SIZES {
            resize(b, w, h).await?;
            for (path, ready, name) in [
                (format!("/receipt/{payment}"), "sold-lines", "receipt"),
                ("/dashboard".to_owned(), "top-items", "dashboard"),
                ("/shift".to_owned(), "shift-items", "shift"),
            ] {
                b.goto(&format!("{}{path}", server.url)).await?;
                b.find(ready).await?;
                if name == "receipt" {
                    b.find("sold-lines-rate").await?;
                }
                let over = crate::first_run::overflow(b).await?;
                if over > 0 {
                    problems.push(format!("{name} ({lang}) at {w}px: {over} px too wide"));
                }
                b.screenshot(&format!("sales-{name}-{w}-{lang}")).await;
                if name != "receipt" {
                    b.screenshot_at(ready, &format!("sales-{name}-{w}-{lang}-part"))
                        .await;
                }
            }
        }
        // The receipt on a 58 mm roll: its lines wrap inside the paper.
        resize(b, 390, 844).await?;
        b.goto(&format!("{}/receipt/{payment}", server.url)).await?;
        b.find("sold-lines-rate").await?;
        let over = roll58_overflow(b, true).await?;
        b.screenshot(&format!("sales-receipt-58mm-{lang}")).await;
        if over > 0 {
            problems.push(format!(
                "the receipt ({lang}) is {over} px wider than a 58 mm roll"
            ));
        }
    }
    resize(b, 1280, 900).await?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sold_lines_show_on_receipts_history_dashboard_and_shift_in_every_language() {
    crate::support::in_browser("sales", async |b, s| sold_lines_everywhere(b, s).await).await;
}
