//! Settings → Items: an owner adds three items (one priced in dollars only), sees a field the
//! server refused named under it, edits one, marks one sold out, moves one up, exports the CSV
//! and imports it back changed, deletes one; sets the shop's dollar rate and his own yuan rate.
//! The screen at every width and language, nothing scrolling sideways; a cashier reads it all
//! and can change none of it.

use crate::support::browser::Browser;
use crate::support::server::Server;

/// The items as the server lists them, in grid order.
async fn listed(b: &Browser) -> Result<Vec<serde_json::Value>, String> {
    let v = b
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/v1/items').then(r => r.json()).then(j => done(j.items), e => done(String(e)));",
            vec![],
        )
        .await
        .map_err(|e| format!("list items: {e}"))?;
    v.as_array()
        .cloned()
        .ok_or_else(|| format!("GET /api/v1/items answered {v}"))
}

/// The id of the item named `name`.
async fn id_of(b: &Browser, name: &str) -> Result<String, String> {
    listed(b)
        .await?
        .iter()
        .find(|i| i["name"] == name)
        .and_then(|i| i["id"].as_str().map(str::to_owned))
        .ok_or_else(|| format!("no item {name:?}"))
}

/// The names in grid order.
async fn order(b: &Browser) -> Result<Vec<String>, String> {
    Ok(listed(b)
        .await?
        .iter()
        .filter_map(|i| i["name"].as_str().map(str::to_owned))
        .collect())
}

/// Text of a GET from the page (with its session).
async fn fetch_text(b: &Browser, url: &str) -> Result<String, String> {
    let v = b
        .client
        .execute_async(
            "const [url, done] = arguments; fetch(url).then(r => r.text()).then(done, e => done(String(e)));",
            vec![serde_json::json!(url)],
        )
        .await
        .map_err(|e| format!("fetch {url}: {e}"))?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// One item through the form: name, Khmer and Chinese names, category, riel and dollar prices.
async fn add(b: &Browser, fields: [&str; 6]) -> Result<(), String> {
    let [name, km, zh, category, khr, usd] = fields;
    b.click("items-add").await?;
    for (testid, text) in [
        ("item-name", name),
        ("item-name-km", km),
        ("item-name-zh", zh),
        ("item-category", category),
        ("item-price-khr", khr),
        ("item-price-usd", usd),
    ] {
        b.fill(testid, text).await?;
    }
    b.click("item-save").await?;
    let id = wait_for_item(b, name).await?;
    b.find(&format!("item-row-{id}")).await.map(drop)
}

async fn wait_for_item(b: &Browser, name: &str) -> Result<String, String> {
    let deadline = tokio::time::Instant::now() + crate::support::browser::STEP;
    loop {
        if let Ok(id) = id_of(b, name).await {
            return Ok(id);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{name:?} was never added"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until an input holds `want`.
async fn wait_value(b: &Browser, testid: &str, want: &str) -> Result<(), String> {
    let deadline = tokio::time::Instant::now() + crate::support::browser::STEP;
    loop {
        let got = b.prop(testid, "value").await.unwrap_or_default();
        if got == want {
            return Ok(());
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!("{testid} holds {got:?}, not {want:?}"));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Chooses `csv`, written to `name` in `dir`, in the import's file input. The file must
/// outlive the upload: the browser reads it when it sends it.
async fn import(b: &Browser, dir: &std::path::Path, name: &str, csv: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, csv).map_err(|e| e.to_string())?;
    b.find("items-import")
        .await?
        .send_keys(&path.display().to_string())
        .await
        .map_err(|e| format!("choose the CSV: {e}"))
}

async fn items(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@noodle-house.kh").await?;
    b.click("nav-settings").await?;
    b.click("items-link").await?;
    b.find("items-empty").await?;
    b.axe("items (empty)").await?;

    // Nothing typed: the name and a price are asked for, and nothing is sent.
    b.click("items-add").await?;
    b.click("item-save").await?;
    b.wait_text_not_empty("item-name-error").await?;
    b.wait_text("item-price-khr-error", "at least one price")
        .await?;
    // A Khmer name longer than the server keeps: the server's refusal is said under that field.
    b.fill("item-name", "Noodle soup").await?;
    b.fill("item-name-km", &"គុយទាវ".repeat(11)).await?;
    b.fill("item-price-khr", "12000").await?;
    b.click("item-save").await?;
    b.wait_text_not_empty("item-name-km-error").await?;
    b.fill("item-name-km", "គុយទាវ").await?;
    b.fill("item-name-zh", "粿条汤").await?;
    b.fill("item-category", "Food").await?;
    b.click("item-save").await?;
    let soup = wait_for_item(b, "Noodle soup").await?;
    b.wait_text(&format!("item-prices-{soup}"), "12,000 ៛")
        .await?;

    add(
        b,
        [
            "Iced coffee",
            "កាហ្វេទឹកកក",
            "冰咖啡",
            "Drinks",
            "8000",
            "2.00",
        ],
    )
    .await?;
    // Priced in dollars only: sold in riel at the shop's rate.
    add(b, ["Coconut", "ដូង", "椰子", "Drinks", "", "1.50"]).await?;
    let coffee = id_of(b, "Iced coffee").await?;
    let coconut = id_of(b, "Coconut").await?;
    b.wait_text(&format!("item-prices-{coconut}"), "$1.50")
        .await?;
    // The app is in English: the Khmer and Chinese names are beside the name.
    b.wait_text(&format!("item-row-{coffee}"), "កាហ្វេទឹកកក · 冰咖啡")
        .await?;
    b.click("lang-km").await?;
    b.wait_text(&format!("item-name-{coffee}"), "កាហ្វេទឹកកក")
        .await?;
    b.click("lang-en").await?;

    // Edit: a new dollar price.
    b.click(&format!("item-edit-{coffee}")).await?;
    if b.prop("item-name", "value").await? != "Iced coffee" {
        return Err("the edit form is not filled with the item".into());
    }
    b.fill("item-price-usd", "2.50").await?;
    b.click("item-save").await?;
    b.wait_text(&format!("item-prices-{coffee}"), "$2.50")
        .await?;

    // Sold out, and back on the server.
    b.click(&format!("item-soldout-{coffee}")).await?;
    b.wait_attr(&format!("item-row-{coffee}"), "data-available", "false")
        .await?;
    let sold_out = listed(b).await?;
    if sold_out
        .iter()
        .any(|i| i["id"] == coffee.as_str() && i["available"] != false)
    {
        return Err("the server still sells the sold-out coffee".into());
    }

    // Coconut moves above the coffee, within the drinks.
    b.wait_attr(&format!("item-up-{coffee}"), "disabled", "true")
        .await?;
    b.click(&format!("item-up-{coconut}")).await?;
    b.wait_attr(&format!("item-up-{coconut}"), "disabled", "true")
        .await?;
    let names = order(b).await?;
    let at = |n: &str| names.iter().position(|x| x == n);
    if at("Coconut") > at("Iced coffee") {
        return Err(format!("Coconut did not move up: {names:?}"));
    }
    b.axe("items").await?;

    // Export: the CSV the link downloads has the three items under its header.
    let href = b.attr("items-export", "href").await?;
    let csv = fetch_text(b, &href).await?;
    let lines: Vec<&str> = csv.lines().collect();
    if lines.len() != 4 || !lines[0].starts_with("id,name,name_km") || !csv.contains("Coconut") {
        return Err(format!("the exported CSV is not the three items: {csv:?}"));
    }
    // Import it back with the soup's price raised and one new row: 1 added, 3 updated.
    let changed =
        csv.replace(",12000,", ",13000,") + ",Iced tea,តែទឹកកក,冰茶,Drinks,6000,,,true,,\n";
    let files = tempfile::tempdir().map_err(|e| e.to_string())?;
    import(b, files.path(), "changed.csv", &changed).await?;
    b.wait_text("items-import-result", "1 added, 3 updated")
        .await?;
    b.wait_text(&format!("item-prices-{soup}"), "13,000 ៛")
        .await?;
    let tea = wait_for_item(b, "Iced tea").await?;
    // A bad row: nothing imported, and the row is named.
    let header = csv.lines().next().unwrap_or_default();
    let bad = format!("{header}\n,Rice,,,Food,abc,,,true,,\n");
    import(b, files.path(), "bad.csv", &bad).await?;
    b.wait_text("items-import-result", "row 1").await?;
    if listed(b).await?.len() != 4 {
        return Err("a refused import changed the items".into());
    }

    // Delete, asking first.
    b.confirm(&format!("item-delete-{tea}")).await?;
    b.wait_count(&format!("item-row-{tea}"), 0).await?;

    // The shop's dollar rate: saved, and kept by the profile.
    b.fill("usd-khr-rate", "4,100").await?;
    b.click("usd-khr-rate-save").await?;
    b.wait_text_not_empty("usd-khr-rate-error").await?;
    b.fill("usd-khr-rate", "4100").await?;
    b.click("usd-khr-rate-save").await?;
    b.wait_text("usd-khr-rate-saved", "Saved").await?;
    let merchant = fetch_text(b, "/api/v1/merchant").await?;
    if !merchant.contains("\"usd_khr_rate\":\"4100\"") {
        return Err(format!("the dollar rate was not saved: {merchant}"));
    }
    b.goto(&format!("{}/items", server.url)).await?;
    wait_value(b, "usd-khr-rate", "4100").await?;

    // The owner's own yuan rate, then back to none (this server fetches none).
    b.find("fx-not-fetched").await?;
    b.fill("fx-rate-USD", "7.1").await?;
    b.click("fx-set-USD").await?;
    b.wait_text("fx-current-USD", "$1 = ¥7.1 · Set by the owner")
        .await?;
    b.click("fx-clear-USD").await?;
    b.wait_text("fx-current-USD", "No rate").await?;
    b.fill("fx-rate-KHR", "0.00176").await?;
    b.click("fx-set-KHR").await?;
    b.wait_text("fx-current-KHR", "1 ៛ = ¥0.00176").await?;

    screens(b, server).await?;
    a_cashier_reads_them(b, server).await
}

/// A cashier sees the items and the yuan rates, and no control that changes them.
async fn a_cashier_reads_them(b: &Browser, server: &Server) -> Result<(), String> {
    b.click("lang-en").await?;
    crate::kiosk::open_code(b).await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.fill("invite-email", "sokha@noodle-house.kh").await?;
    b.click("invite-send").await?;
    let link = b.prop("invite-link", "value").await?;
    let coffee = id_of(b, "Iced coffee").await?;
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.goto(&link).await?;
    b.fill("join-password", "another long password").await?;
    b.click("join-submit").await?;
    b.find("charge-form").await?;
    b.click("nav-settings").await?;
    b.click("items-link").await?;
    b.wait_attr(&format!("item-row-{coffee}"), "data-available", "false")
        .await?;
    b.find("fx-current-KHR").await?;
    for control in [
        "items-add".to_owned(),
        format!("item-soldout-{coffee}"),
        format!("item-edit-{coffee}"),
        format!("item-delete-{coffee}"),
        "items-import".into(),
        "usd-khr-rate".into(),
        "fx-set-USD".into(),
    ] {
        if b.count(&control).await? != 0 {
            return Err(format!("a cashier is shown {control}"));
        }
    }
    b.axe("items (cashier)").await?;
    b.screenshot("items-cashier-en").await;
    Ok(())
}

/// Notes `what` when the page is wider than the window.
async fn check_width(b: &Browser, wide: &mut Vec<String>, what: &str) -> Result<(), String> {
    let over = crate::first_run::overflow(b).await?;
    if over > 0 {
        wide.push(format!("{what}: {over} px too wide"));
    }
    Ok(())
}

/// Widths of phones and tablets.
const WIDTHS: [(u32, u32); 5] = [
    (360, 740),
    (390, 844),
    (768, 1024),
    (1024, 768),
    (1366, 1024),
];

/// The screen at every width and language: saved for a look, nothing wider than the window.
async fn screens(b: &Browser, server: &Server) -> Result<(), String> {
    let mut wide = Vec::new();
    for (lang, _) in crate::screens::LANGS {
        b.click(&format!("lang-{lang}")).await?;
        for (w, h) in WIDTHS {
            b.client
                .set_window_size(w, h)
                .await
                .map_err(|e| format!("resize: {e}"))?;
            b.goto(&format!("{}/items", server.url)).await?;
            b.find("fx-current-USD").await?;
            b.find("items-groups").await?;
            check_width(b, &mut wide, &format!("items ({lang}) at {w}x{h}")).await?;
            b.screenshot(&format!("items-{w}-{lang}")).await;
            // The form open too: the longest labels.
            b.click("items-add").await?;
            b.find("item-form").await?;
            check_width(b, &mut wide, &format!("item form ({lang}) at {w}x{h}")).await?;
            b.screenshot_at("item-form", &format!("items-{w}-{lang}-form"))
                .await;
            b.screenshot_at("shop-rate", &format!("items-{w}-{lang}-rates"))
                .await;
            b.screenshot_at("fx-card", &format!("items-{w}-{lang}-fx"))
                .await;
        }
    }
    b.client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| format!("resize: {e}"))?;
    if wide.is_empty() {
        Ok(())
    } else {
        Err(wide.join("\n"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_keeps_items_prices_and_rates() {
    let server = Server::start_with(&["--fx", "off"]);
    crate::support::in_browser_on("items", server, async |b, s| items(b, s).await).await;
}
