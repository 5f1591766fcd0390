//! One single-page app: a merchant moves through every screen by its links (and back from the
//! printouts) and the page never loads again — a marker set on `window` at the start survives —
//! and the server answers one websocket for the whole walk, its live badge live throughout;
//! signing out and in again on that page opens the new session's own stream.

use std::net::TcpListener;

use crate::support::browser::Browser;
use crate::support::server::Server;

async fn mark(b: &Browser) -> Result<(), String> {
    b.client
        .execute("window.__tonleWalk = 'one page';", vec![])
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

async fn still_one_page(b: &Browser, at: &str) -> Result<(), String> {
    let v = b
        .client
        .execute("return window.__tonleWalk || null;", vec![])
        .await
        .map_err(|e| e.to_string())?;
    if v.as_str() == Some("one page") {
        Ok(())
    } else {
        Err(format!("the page loaded again on the way to {at}"))
    }
}

/// Websocket upgrades the server answered (101), from its metrics.
async fn sockets_answered(metrics: &str) -> Result<u64, String> {
    let text = reqwest::get(format!("http://{metrics}/metrics"))
        .await
        .map_err(|e| format!("metrics: {e}"))?
        .text()
        .await
        .map_err(|e| format!("metrics: {e}"))?;
    Ok(text
        .lines()
        .filter(|l| {
            l.starts_with("tonle_http_requests_total")
                && l.contains("route=\"/api/v1/events\"")
                && l.contains("status=\"1xx\"")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum::<f64>() as u64)
}

/// Clicks the link `testid` and waits for `ready` on the next screen, on the same page.
async fn follow(b: &Browser, testid: &str, ready: &str) -> Result<(), String> {
    b.click(testid).await?;
    b.find(ready).await?;
    still_one_page(b, ready).await
}

async fn back_to(b: &Browser, ready: &str) -> Result<(), String> {
    b.client.back().await.map_err(|e| format!("back: {e}"))?;
    b.find(ready).await?;
    still_one_page(b, ready).await
}

async fn walk(b: &Browser, server: &Server, metrics: &str) -> Result<(), String> {
    // Signed out: registration, sign-in, a forgotten password, and back.
    b.goto(&format!("{}/register", server.url)).await?;
    b.find("register-form").await?;
    mark(b).await?;
    follow(b, "to-login", "login-form").await?;
    follow(b, "to-forgot", "forgot-form").await?;
    follow(b, "to-login", "login-form").await?;
    follow(b, "to-register", "register-form").await?;
    // Sign-up, the profile step, the charge screen.
    b.fill("register-email", "owner@one-page.kh").await?;
    b.fill("register-password", "a long enough password")
        .await?;
    b.fill("register-business-name", "One Page Cafe").await?;
    b.fill("register-city", "Kampot").await?;
    b.fill("register-bakong", "onepage@aclb").await?;
    b.click("register-submit").await?;
    follow(b, "welcome-done", "charge-form").await?;
    b.wait_attr("live-badge", "data-state", "live").await?;
    // A payment, so history has a receipt to open.
    b.click("currency-khr").await?;
    for k in ["1", "000"] {
        b.click(&format!("key-{k}")).await?;
    }
    b.click("charge-submit").await?;
    b.click("test-pay-open").await?;
    b.click("test-pay-submit").await?;
    b.wait_attr("charge-display", "data-state", "paid").await?;
    b.click("charge-new").await?;
    // Signed in: every screen by its links.
    follow(b, "nav-dashboard", "today-totals").await?;
    follow(b, "nav-history", "history-filters").await?;
    b.click("history-row").await?;
    follow(b, "receipt-link", "receipt").await?;
    back_to(b, "history-filters").await?;
    follow(b, "shift-link", "shift-line").await?;
    follow(b, "nav-settings", "profile-form").await?;
    // A store and a counter (and a display's pairing code), for the counter's poster.
    crate::kiosk::open_code(b).await?;
    still_one_page(b, "settings").await?;
    follow(b, "counter-poster", "poster").await?;
    back_to(b, "profile-form").await?;
    follow(b, "integrations-link", "webhook-form").await?;
    follow(b, "nav-help", "help-page").await?;
    follow(b, "nav-charge", "charge-form").await?;
    // Back and forward through what was walked stay on the page too.
    back_to(b, "help-page").await?;
    b.client
        .forward()
        .await
        .map_err(|e| format!("forward: {e}"))?;
    b.find("charge-form").await?;
    still_one_page(b, "forward").await?;
    b.wait_attr("live-badge", "data-state", "live").await?;
    let sockets = sockets_answered(metrics).await?;
    eprintln!("{{\"walk\":\"every merchant screen\",\"websockets_answered\":{sockets}}}");
    if sockets != 1 {
        return Err(format!(
            "the server answered {sockets} websockets over the walk; one is the app's"
        ));
    }
    // Signing out and in again on the same page: the old stream ends with its session, the
    // new session gets a stream of its own, and the page still never loaded again.
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.fill("login-email", "owner@one-page.kh").await?;
    b.fill("login-password", "a long enough password").await?;
    b.click("login-submit").await?;
    b.find("charge-form").await?;
    still_one_page(b, "sign-in again").await?;
    b.wait_attr("live-badge", "data-state", "live").await?;
    let again = sockets_answered(metrics).await?;
    if again != 2 {
        return Err(format!(
            "after signing out and in, the server had answered {again} websockets, not 2"
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_merchant_screen_is_one_page_and_one_websocket() {
    let metrics = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .to_string();
    let server = Server::start_with(&["--metrics-addr", &metrics]);
    crate::support::in_browser_on("one-page", server, async |b, s| walk(b, s, &metrics).await)
        .await;
}
