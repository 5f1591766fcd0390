//! Sandbox mode, as a newcomer meets it: a band on every screen says no real money moves, and
//! "Pay as a test wallet" beside the QR pays it (a UnionPay wallet from China in yuan, or Bakong)
//! on the charge screen and from the kiosk's merchant controls, in every language. A server
//! started without `--sandbox` shows neither and has no such route.

use crate::support::browser::Browser;
use crate::support::server::Server;

/// Widths a merchant's devices have (the height matters little here).
const WIDTHS: [u32; 5] = [360, 390, 768, 1024, 1366];

/// The nav tabs that do not show whole inside the window.
async fn cut_tabs(b: &Browser) -> Result<Vec<String>, String> {
    let v = b
        .client
        .execute(
            "return [...document.querySelectorAll('nav.tabs a')].filter(a => {\
               const r = a.getBoundingClientRect();\
               return r.right > window.innerWidth + 0.5 || r.left < -0.5 || r.width < 8\
                 || a.scrollWidth > a.clientWidth + 1;\
             }).map(a => a.dataset.testid);",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}

async fn resize(b: &Browser, w: u32, h: u32) -> Result<(), String> {
    b.client
        .set_window_size(w, h)
        .await
        .map_err(|e| format!("resize: {e}"))
}

async fn pay_from_the_screen(
    owner: &Browser,
    kiosk: &Browser,
    server: &Server,
) -> Result<(), String> {
    crate::screens::sign_up(owner, server, "owner@sandbox.kh").await?;
    owner.find("sandbox-band").await?;
    let code = crate::kiosk::open_code(owner).await?;
    crate::kiosk::pair(kiosk, server, &code).await?;
    kiosk.find("sandbox-band").await?;
    let mut problems = Vec::new();
    for (i, (lang, _)) in crate::screens::LANGS.into_iter().enumerate() {
        resize(owner, 1280, 900).await?;
        owner.click(&format!("lang-{lang}")).await?;
        kiosk.click(&format!("lang-{lang}")).await?;
        let band = owner.text("sandbox-band").await?;
        if band.trim().is_empty() {
            return Err(format!("the sandbox band is empty in {lang}"));
        }
        crate::kiosk::charge_at_till(owner).await?;
        kiosk
            .wait_attr("kiosk-display", "data-state", "pending")
            .await?;
        owner.click("test-pay-open").await?;
        owner.find("test-pay-form").await?;
        // Every width, with the test wallet open: nothing sideways, every tab whole.
        for w in WIDTHS {
            resize(owner, w, if w < 768 { 844 } else { 1024 }).await?;
            let over = crate::first_run::overflow(owner).await?;
            if over > 0 {
                problems.push(format!(
                    "charge with the test wallet ({lang}) at {w}px: {over} px too wide"
                ));
            }
            let cut = cut_tabs(owner).await?;
            if !cut.is_empty() {
                problems.push(format!("tabs cut at {w}px in {lang}: {cut:?}"));
            }
            owner
                .screenshot_at("test-pay-form", &format!("test-wallet-{w}-{lang}"))
                .await;
            owner
                .client
                .execute("window.scrollTo(0, 0);", vec![])
                .await
                .map_err(|e| e.to_string())?;
            owner
                .screenshot(&format!("test-wallet-top-{w}-{lang}"))
                .await;
        }
        resize(owner, 1280, 900).await?;
        if i == 1 {
            // Once from the kiosk's controls, behind the merchant's long press.
            crate::kiosk::open_controls(kiosk).await?;
            kiosk.click("test-pay-open").await?;
            kiosk.screenshot(&format!("kiosk-test-wallet-{lang}")).await;
            kiosk.click("test-pay-submit").await?;
        } else {
            owner.fill("test-pay-rate", "565").await?;
            owner.click("test-pay-submit").await?;
        }
        owner
            .wait_attr("charge-display", "data-state", "paid")
            .await?;
        // 25,000 riel at 565 riel a yuan: the payer paid ¥44.25, from China.
        let by = owner.wait_text("charge-paid-by", "¥44.25").await?;
        if !by.contains("UnionPay") || !by.contains("CN") {
            return Err(format!("the paid screen names the payer as {by:?}"));
        }
        kiosk
            .wait_attr("kiosk-display", "data-state", "paid")
            .await?;
        owner.screenshot(&format!("test-wallet-paid-{lang}")).await;
        kiosk.screenshot(&format!("kiosk-test-paid-{lang}")).await;
        if owner.count("test-pay-form").await? != 0 {
            return Err("the test wallet stays open on a paid charge".into());
        }
        // The next customer, as a cashier would.
        owner.click("charge-new").await?;
        owner.find("charge-form").await?;
        // The display thanks the customer, then returns to idle by itself.
        kiosk
            .wait_attr_within(
                "kiosk-display",
                "data-state",
                "idle",
                std::time::Duration::from_secs(30),
            )
            .await?;
        if i == 1 {
            kiosk.click("kiosk-controls-close").await?;
        }
    }
    owner.axe("charge with the sandbox band").await?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_wallet_pays_from_the_screen_and_the_kiosk_in_every_language() {
    let kiosk = Browser::start().await;
    crate::support::in_browser("sandbox-pay", async |b, s| {
        pay_from_the_screen(b, &kiosk, s).await
    })
    .await;
    kiosk.close().await;
}

async fn no_sandbox(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@live.kh").await?;
    b.click("currency-khr").await?;
    for k in ["1", "000"] {
        b.click(&format!("key-{k}")).await?;
    }
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    // The band would have come with the first answer; give it a moment anyway.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    for testid in ["sandbox-band", "test-pay-open", "test-wallet"] {
        if b.count(testid).await? != 0 {
            return Err(format!("a server without --sandbox shows {testid}"));
        }
    }
    let status = b
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch('/api/v1/charges?status=pending&limit=1').then(r => r.json())\
               .then(p => fetch('/api/v1/charges/' + p.items[0].id + '/test-payment', {method: 'POST',\
                 headers: {'content-type': 'application/json'}, body: '{\"wallet\":\"bakong\"}'}))\
               .then(r => done(r.status), e => done(String(e)));",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    if status.as_i64() != Some(404) {
        return Err(format!(
            "the test wallet's route answered {status} without --sandbox"
        ));
    }
    b.screenshot("no-sandbox-charge-en").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_sandbox_no_screen_shows_a_test_wallet_or_the_band() {
    crate::support::in_browser_on(
        "no-sandbox",
        Server::start_without_sandbox(),
        async |b, s| no_sandbox(b, s).await,
    )
    .await;
}
