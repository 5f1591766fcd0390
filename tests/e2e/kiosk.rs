//! The counter kiosk: paired by code from settings (no staff password on it), it shows the charge a
//! cashier makes for its counter, survives server crashes mid-charge and repeated cuts with every
//! payment shown exactly once, is refused the moment it is revoked, and says "offline" instead of
//! failing when the server is gone.

use std::time::Instant;

use crate::support::browser::Browser;
use crate::support::server::Server;

/// Owner side: a store and counter, then a pairing code for it.
pub(crate) async fn open_code(owner: &Browser) -> Result<String, String> {
    owner.click("nav-settings").await?;
    owner.fill("store-name", "Central Market").await?;
    owner.click("store-add").await?;
    owner.wait_text("counter-store", "Central Market").await?;
    owner.fill("counter-label", "Till 1").await?;
    owner.click("counter-add").await?;
    owner.wait_count("counter-row", 1).await?;
    owner.click("counter-pair").await?;
    let code = owner.text("pairing-code").await?;
    if code.len() != 8 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("pairing code is not 8 digits: {code:?}"));
    }
    owner.screenshot("settings-pairing-en").await;
    Ok(code)
}

/// Opens /kiosk on `kiosk`, pairs it with `code` (PIN 2468) and waits for the idle screen.
pub(crate) async fn pair(kiosk: &Browser, server: &Server, code: &str) -> Result<(), String> {
    kiosk.goto(&format!("{}/kiosk", server.url)).await?;
    kiosk.click("lang-en").await?;
    kiosk.fill("kiosk-code", code).await?;
    kiosk.fill("kiosk-pin", "2468").await?;
    kiosk.click("kiosk-pair").await?;
    kiosk.wait_attr("kiosk-display", "data-state", "idle").await
}

/// Opens the merchant's controls on a paired kiosk: hidden from customers until the top corner
/// is held.
pub(crate) async fn open_controls(kiosk: &Browser) -> Result<(), String> {
    if kiosk.count("kiosk-controls").await? != 0 {
        return Ok(());
    }
    // A tap is not enough.
    kiosk.click("kiosk-corner").await?;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    if kiosk.count("kiosk-controls").await? != 0 {
        return Err("a tap on the corner opened the kiosk's controls".into());
    }
    kiosk
        .long_press("kiosk-corner", std::time::Duration::from_millis(1_600))
        .await?;
    kiosk.find("kiosk-controls").await.map(drop)
}

/// Owner makes a 25,000 riel charge at Till 1 and returns its payload.
pub(crate) async fn charge_at_till(owner: &Browser) -> Result<(String, Instant), String> {
    // The cashier's screen shows the last charge until it is paid (then "new charge" starts the
    // next one) or until it resets itself; wait for either, as a cashier would.
    if owner.count("charge-display").await? > 0 {
        let deadline = Instant::now() + crate::support::browser::STEP;
        loop {
            if owner.count("charge-paid").await? > 0 {
                owner.click("charge-new").await?;
                break;
            }
            if owner.count("charge-form").await? > 0 || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
    owner.click("nav-charge").await?;
    owner.find("charge-form").await?;
    owner
        .find("charge-terminal")
        .await?
        .select_by_index(1)
        .await
        .map_err(|e| format!("pick the counter: {e}"))?;
    owner.click("currency-khr").await?;
    for k in ["2", "5", "000"] {
        owner.click(&format!("key-{k}")).await?;
    }
    let at = Instant::now();
    owner.click("charge-submit").await?;
    owner
        .wait_attr("charge-display", "data-state", "pending")
        .await?;
    Ok((owner.attr("charge-qr", "data-payload").await?, at))
}

async fn kiosk_flow(owner: &Browser, kiosk: &Browser, server: &mut Server) -> Result<(), String> {
    crate::screens::sign_up(owner, server, "owner@central-market.kh").await?;
    let code = open_code(owner).await?;

    pair(kiosk, server, &code).await?;
    kiosk.wait_attr("live-badge", "data-state", "live").await?;
    // The counter's static QR on the idle screen, when the shop wants it.
    open_controls(kiosk).await?;
    kiosk.click("kiosk-static-toggle").await?;
    kiosk.click("kiosk-controls-close").await?;
    let idle_qr = kiosk.attr("kiosk-static-qr", "data-payload").await?;
    if !idle_qr.starts_with("000201010211") || !idle_qr.contains("Till 1") {
        return Err(format!(
            "idle QR is not the counter's static KHQR: {idle_qr}"
        ));
    }
    kiosk.axe("kiosk idle").await?;
    kiosk.screenshot("kiosk-idle-en").await;

    // A charge made at the counter appears on the display.
    let (payload, made) = charge_at_till(owner).await?;
    kiosk
        .wait_attr("kiosk-display", "data-state", "pending")
        .await?;
    // From the server creating the charge to the kiosk drawing it (one machine, one clock).
    let created: i64 = kiosk
        .attr("kiosk-charge", "data-created-at")
        .await?
        .parse()
        .unwrap_or(0);
    let shown: i64 = kiosk
        .attr("kiosk-charge", "data-shown-at")
        .await?
        .parse()
        .unwrap_or(0);
    eprintln!(
        "kiosk drew the charge {} ms after the server created it ({} ms after the click, test polling included)",
        shown - created,
        made.elapsed().as_millis()
    );
    kiosk.wait_text("kiosk-amount", "25,000").await?;
    if kiosk.attr("kiosk-qr", "data-payload").await? != payload {
        return Err("the kiosk shows another QR than the cashier's".into());
    }
    kiosk.axe("kiosk charge").await?;
    kiosk.screenshot("kiosk-charge-en").await;
    // A tablet on its side or upright: the same display, laid out for each.
    kiosk
        .client
        .set_window_size(800, 1280)
        .await
        .map_err(|e| format!("portrait: {e}"))?;
    kiosk.screenshot("kiosk-charge-portrait-en").await;
    kiosk
        .client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| format!("landscape: {e}"))?;

    // The server dies mid-charge; the payment lands as it comes back; the kiosk shows it once.
    let cut = Instant::now();
    server.kill();
    kiosk
        .wait_attr("live-badge", "data-state", "reconnecting")
        .await?;
    eprintln!(
        "reconnecting badge {} ms after the server died (test polling included)",
        cut.elapsed().as_millis()
    );
    server.restart();
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "kiosk-1"]);
    if !ok {
        return Err(format!("simulate pay: {out}"));
    }
    kiosk
        .wait_attr("kiosk-display", "data-state", "paid")
        .await?;
    kiosk
        .wait_attr("kiosk-display", "data-paid-count", "1")
        .await?;
    kiosk.screenshot("kiosk-paid-en").await;
    kiosk
        .wait_attr("kiosk-display", "data-state", "idle")
        .await?;

    // Cut every few seconds while payments flow: each shows exactly once.
    for round in 2..=4usize {
        let (payload, _) = charge_at_till(owner).await?;
        kiosk
            .wait_attr("kiosk-display", "data-state", "pending")
            .await?;
        server.restart();
        let (ok, out) =
            server.simulate_pay(&payload, &["--transaction-id", &format!("kiosk-{round}")]);
        if !ok {
            return Err(format!("simulate pay: {out}"));
        }
        // The same notification again (a network retry) must not show twice.
        server.simulate_pay(&payload, &["--transaction-id", &format!("kiosk-{round}")]);
        kiosk
            .wait_attr("kiosk-display", "data-paid-count", &round.to_string())
            .await?;
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let count = kiosk.attr("kiosk-display", "data-paid-count").await?;
    if count != "4" {
        return Err(format!(
            "expected 4 payments shown once each, counted {count}"
        ));
    }

    // The offline shell: with the server gone, a reload says "offline" instead of failing.
    kiosk
        .client
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true), () => done(false));",
            vec![],
        )
        .await
        .map_err(|e| format!("service worker: {e}"))?;
    server.kill();
    kiosk.goto(&format!("{}/kiosk", server.url)).await?;
    kiosk.find("offline").await?;
    kiosk.screenshot("kiosk-offline").await;
    server.restart();
    // It comes back by itself once the server answers.
    kiosk.find("kiosk-display").await?;

    // Revoked from settings: the kiosk is refused at once and asks to be paired again.
    owner.goto(&format!("{}/settings", server.url)).await?;
    owner.confirm("device-revoke").await?;
    kiosk.find("kiosk-pair-form").await?;
    let status = kiosk
        .client
        .execute_async(
            "const done = arguments[0]; fetch('/api/v1/session').then(r => done(r.status), () => done(0));",
            vec![],
        )
        .await
        .map_err(|e| format!("fetch session: {e}"))?;
    if status.as_i64() != Some(401) {
        return Err(format!("a revoked kiosk is not refused: {status}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paired_kiosk_shows_every_payment_exactly_once() {
    let mut server = Server::start();
    let owner = Browser::start().await;
    let kiosk = Browser::start().await;
    let result = kiosk_flow(&owner, &kiosk, &mut server).await;
    if result.is_err() {
        owner.screenshot("FAILED-kiosk-owner").await;
        kiosk.screenshot("FAILED-kiosk").await;
    }
    owner.close().await;
    kiosk.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}
