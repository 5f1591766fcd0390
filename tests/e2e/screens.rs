//! Every screen of the merchant app in every language: the keypad charge screen with its
//! self-resetting confirmation, the dashboard with totals, chart and review queue, the history
//! with filters, details and CSV, and a websocket cut by a server crash that loses no payment.

use crate::support::browser::Browser;
use crate::support::server::Server;

/// Signs up a merchant through the form and waits for the charge screen.
pub async fn sign_up(b: &Browser, server: &Server, email: &str) -> Result<(), String> {
    b.goto(&format!("{}/register", server.url)).await?;
    b.click("lang-en").await?;
    b.axe("registration").await?;
    b.fill("register-email", email).await?;
    b.fill("register-password", "a long enough password")
        .await?;
    b.fill("register-business-name", "Dara Mart").await?;
    b.fill("register-city", "Siem Reap").await?;
    b.fill("register-bakong", "dara@aclb").await?;
    b.click("register-submit").await?;
    b.click("welcome-done").await?;
    b.find("charge-form").await?;
    b.wait_attr("live-badge", "data-state", "live").await
}

/// Makes a KHR charge on the keypad and returns its QR payload.
async fn charge_on_keypad(b: &Browser, keys: &[&str], want: &str) -> Result<String, String> {
    b.find("charge-form").await?;
    b.click("currency-khr").await?;
    for k in keys {
        b.click(&format!("key-{k}")).await?;
    }
    let typed = b.prop("charge-amount", "value").await?;
    if typed != want {
        return Err(format!("keypad typed {typed:?}, expected {want:?}"));
    }
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    b.axe("charge (QR on screen)").await?;
    b.attr("charge-qr", "data-payload").await
}

pub const LANGS: [(&str, &str); 3] = [("en", "Dashboard"), ("km", "ផ្ទាំងគ្រប់គ្រង"), ("zh", "概览")];

async fn screens(b: &Browser, server: &Server) -> Result<(), String> {
    sign_up(b, server, "owner@dara-mart.kh").await?;
    // Keypad: 4, 8, 000, delete, 0 → 48000 riel.
    let payload = charge_on_keypad(b, &["4", "8", "000", "back", "0"], "48000").await?;
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "scr-1"]);
    if !ok {
        return Err(format!("simulate pay: {out}"));
    }
    b.wait_attr("charge-display", "data-state", "paid").await?;
    // The confirmation says who paid and what they paid in their own currency.
    b.wait_text("charge-paid-by", "UnionPay App · ¥84.96 · CN")
        .await?;
    b.screenshot("charge-paid-fullscreen-en").await;
    // The confirmation resets itself for the next customer, no tap needed.
    b.find("keypad").await?;
    // The same QR paid a second time: kept, not credited to the charge, and queued for review.
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "scr-2"]);
    if !ok {
        return Err(format!("simulate pay: {out}"));
    }
    b.wait_count("payment-row", 2).await?;

    b.click("nav-dashboard").await?;
    b.wait_text("today-KHR", "96,000").await?;
    b.wait_count("review-unmatched", 1).await?;
    b.wait_count("chart-bar", 7).await?;
    b.click("chart-30d").await?;
    b.wait_count("chart-bar", 30).await?;
    for (lang, nav) in LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.wait_text("nav-dashboard", nav).await?;
        b.screenshot(&format!("dashboard-{lang}")).await;
        b.axe(&format!("dashboard ({lang})")).await?;
    }
    // The Khmer web font ships with the app, so Khmer renders the same on every tablet.
    let faces = b
        .client
        .execute_async(
            "const done = arguments[0]; document.fonts.load('700 16px \"tonle Khmer\"', 'ក').then(f => done(f.length), () => done(-1));",
            vec![],
        )
        .await
        .map_err(|e| format!("load font: {e}"))?;
    if faces.as_i64().unwrap_or(0) < 1 {
        return Err(format!("the Khmer web font did not load: {faces}"));
    }
    // The language is remembered across a reload (zh was chosen last).
    b.goto(&format!("{}/dashboard", server.url)).await?;
    b.wait_text("nav-dashboard", "概览").await?;
    // The second payment of the QR is resolved from the queue: a refund is due to the payer.
    b.confirm("resolve-payment-refund").await?;
    b.find("review-empty").await?;

    // The router moves (dashboard → history) without loading a page, so the page's own state
    // survives, back and forward follow it, and the current tab is marked.
    mark_page(b).await?;
    b.click("nav-history").await?;
    b.wait_count("history-row", 2).await?;
    b.wait_attr("nav-history", "aria-current", "page").await?;
    b.client.back().await.map_err(|e| format!("back: {e}"))?;
    b.find("today-KHR").await?;
    b.client
        .forward()
        .await
        .map_err(|e| format!("forward: {e}"))?;
    b.wait_count("history-row", 2).await?;
    if !same_page(b).await? {
        return Err("moving between dashboard and history reloaded the page".into());
    }
    b.click("history-row").await?;
    b.wait_text("payment-detail", "¥").await?;
    for (lang, _) in LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.screenshot(&format!("history-{lang}")).await;
        b.axe(&format!("history ({lang})")).await?;
    }
    // The CSV the link downloads has both payments under its header.
    let csv = b
        .client
        .execute_async(
            "const [url, done] = arguments; fetch(url).then(r => r.text()).then(done, e => done(String(e)));",
            vec![serde_json::json!(b.attr("download-csv", "href").await?)],
        )
        .await
        .map_err(|e| format!("fetch csv: {e}"))?;
    let csv = csv.as_str().unwrap_or_default().to_owned();
    if csv.lines().count() != 3 || !csv.contains("scr-1") || !csv.contains("scr-2") {
        return Err(format!("CSV export is not the two payments: {csv:?}"));
    }
    b.fill("filter-bill", "NO-SUCH-BILL").await?;
    b.click("filter-apply").await?;
    b.find("history-empty").await?;
    if !b
        .attr("download-csv", "href")
        .await?
        .contains("bill_number=NO-SUCH-BILL")
    {
        return Err("the CSV link does not carry the filters".into());
    }

    // A receipt per payment, and the end-of-day summary of the shift.
    b.goto(&format!("{}/history", server.url)).await?;
    b.click("history-row").await?;
    mark_page(b).await?;
    b.click("receipt-link").await?;
    b.wait_text("receipt-amount", "48,000").await?;
    // The receipt is a screen of the same app: no page loads, and back returns to history.
    if !same_page(b).await? {
        return Err("opening the receipt reloaded the page".into());
    }
    b.wait_text("receipt", "¥84.96").await?;
    b.axe("receipt").await?;
    b.screenshot("receipt-zh").await;
    b.client.back().await.map_err(|e| format!("back: {e}"))?;
    b.wait_count("history-row", 2).await?;
    b.goto(&format!("{}/shift", server.url)).await?;
    // Takings leave out the second payment, marked to refund above; both lines stay listed.
    b.wait_text("shift-total-KHR", "48,000").await?;
    b.wait_count("shift-line", 2).await?;
    b.axe("end of day").await?;
    b.screenshot("shift-zh").await;

    b.click("nav-charge").await?;
    for (lang, _) in LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.screenshot(&format!("charge-{lang}")).await;
        b.axe(&format!("charge ({lang})")).await?;
    }
    Ok(())
}

/// Marks the loaded document, to tell a move within it from a page load.
async fn mark_page(b: &Browser) -> Result<(), String> {
    b.client
        .execute("window.tonleSamePage = true;", vec![])
        .await
        .map(|_| ())
        .map_err(|e| format!("mark page: {e}"))
}

/// Whether the document marked by `mark_page` is still the one shown.
async fn same_page(b: &Browser) -> Result<bool, String> {
    let v = b
        .client
        .execute("return window.tonleSamePage === true;", vec![])
        .await
        .map_err(|e| format!("read page mark: {e}"))?;
    Ok(v.as_bool().unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_works_in_every_language() {
    crate::support::in_browser("screens", async |b, s| screens(b, s).await).await;
}

/// The server dies with a charge on screen; a payment lands while the tab is reconnecting; the
/// tab resumes from its last sequence number and shows that payment once.
async fn cut_and_restore(b: &Browser, server: &mut Server) -> Result<(), String> {
    sign_up(b, server, "owner@kiri-cafe.kh").await?;
    for round in 1..=2usize {
        let payload = charge_on_keypad(b, &["1", "2", "000"], "12000").await?;
        server.kill();
        b.wait_attr("live-badge", "data-state", "reconnecting")
            .await?;
        if round == 1 {
            b.screenshot("reconnecting-en").await;
        }
        server.restart();
        let (ok, out) =
            server.simulate_pay(&payload, &["--transaction-id", &format!("cut-{round}")]);
        if !ok {
            return Err(format!("simulate pay after restart: {out}"));
        }
        b.wait_attr("charge-display", "data-state", "paid").await?;
        b.wait_attr("live-badge", "data-state", "live").await?;
        b.click("charge-new").await?;
        b.wait_count("payment-row", round).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_websocket_resumes_and_loses_no_payment() {
    crate::support::in_browser("cut-and-restore", async |b, s| cut_and_restore(b, s).await).await;
}
