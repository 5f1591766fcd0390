//! Real payments through Bakong, in the browser: the owner saves a Bakong Open API token in
//! Settings (a refused one is said so on the charge screen), makes a charge, the payer pays it on
//! the stand-in Bakong, and the charge screen turns Paid with no reload: tonle found it by polling.

use crate::support::browser::Browser;
use crate::support::server::{BakongStandIn, Server};

const GOOD: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.e2e-good";

async fn bakong_token_to_paid(
    b: &Browser,
    kiosk: &Browser,
    server: &Server,
    standin: &BakongStandIn,
) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@bakong-e2e.kh").await?;
    b.click("nav-settings").await?;
    b.find("bakong-section").await?;
    b.wait_attr("bakong-status", "data-status", "not_configured")
        .await?;

    // A token Bakong refuses: Settings says so, and so does the charge screen, in every language.
    b.fill("bakong-token", "not-the-token-the-nbc-gave").await?;
    b.click("bakong-save").await?;
    b.wait_attr("bakong-status", "data-status", "unauthorized")
        .await?;
    b.axe("settings (Bakong refused)").await?;
    for (lang, _) in crate::screens::LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.screenshot_at("bakong-section", &format!("settings-bakong-refused-{lang}"))
            .await;
    }
    b.click("lang-en").await?;
    // The customer display at a counter says so too.
    let code = crate::kiosk::open_code(b).await?;
    crate::kiosk::pair(kiosk, server, &code).await?;
    kiosk
        .wait_attr("bakong-warning", "data-status", "unauthorized")
        .await?;
    kiosk.axe("kiosk (payments cannot be checked)").await?;
    for (lang, _) in crate::screens::LANGS {
        kiosk.click(&format!("lang-{lang}")).await?;
        kiosk
            .screenshot(&format!("kiosk-bakong-warning-{lang}"))
            .await;
    }
    b.click("nav-charge").await?;
    b.find("charge-form").await?;
    b.wait_attr("bakong-warning", "data-status", "unauthorized")
        .await?;
    b.axe("charge screen (payments cannot be checked)").await?;
    for (lang, _) in crate::screens::LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.screenshot(&format!("charge-bakong-warning-{lang}")).await;
    }
    b.click("lang-km").await?;
    // Phone to tablet: the warning wraps and never widens the page.
    for (w, h) in [
        (360, 740),
        (390, 844),
        (768, 1024),
        (1024, 768),
        (1366, 1024),
    ] {
        b.client
            .set_window_size(w, h)
            .await
            .map_err(|e| format!("resize: {e}"))?;
        let warning_fits: bool = b
            .client
            .execute(
                "const el = document.querySelector('[data-testid=bakong-warning]');\
                 return !!el && el.getBoundingClientRect().right <= window.innerWidth;",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?
            .as_bool()
            .unwrap_or(false);
        if !warning_fits {
            return Err(format!("the warning is cut off at {w}x{h}"));
        }
        b.screenshot(&format!("charge-bakong-warning-km-{w}")).await;
    }
    b.client
        .set_window_size(1280, 900)
        .await
        .map_err(|e| format!("resize: {e}"))?;

    // The right token: checks work, the warning goes.
    b.click("nav-settings").await?;
    b.fill("bakong-token", GOOD).await?;
    b.click("bakong-save").await?;
    b.wait_attr("bakong-status", "data-status", "ok").await?;
    // The display hears it on its stream: the warning goes without a reload.
    let deadline = std::time::Instant::now() + crate::support::browser::STEP;
    while kiosk.count("bakong-warning").await? != 0 {
        if std::time::Instant::now() > deadline {
            return Err("the kiosk still warns after a token Bakong accepts".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let detail = b.text("bakong-detail").await?;
    if !detail.contains("good") || detail.contains(GOOD) {
        return Err(format!(
            "the token shows only its last characters: {detail:?}"
        ));
    }
    b.screenshot_at("bakong-section", "settings-bakong-ok-km")
        .await;
    b.click("nav-charge").await?;
    b.find("charge-form").await?;
    b.click("currency-khr").await?;
    for k in ["4", "4", "000"] {
        b.click(&format!("key-{k}")).await?;
    }
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    if b.count("bakong-warning").await? != 0 {
        return Err("the warning stays after a token Bakong accepts".into());
    }
    let payload = b.attr("charge-qr", "data-payload").await?;
    let (ok, out) = server.simulate_pay(&payload, &["--bakong", &standin.url]);
    if !ok {
        return Err(format!("paying on the stand-in failed: {out}"));
    }
    // Found by polling within a couple of seconds, with no reload.
    b.find("charge-paid").await?;
    b.wait_attr("charge-display", "data-state", "paid").await?;
    b.screenshot("charge-paid-via-bakong-km").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_saved_in_settings_lets_a_bakong_payment_turn_the_charge_screen_paid() {
    let standin = BakongStandIn::start(GOOD);
    let server = Server::start_with(&["--bakong-api-url", &standin.url]);
    let kiosk = crate::support::browser::Browser::start().await;
    crate::support::in_browser_on("bakong", server, async |b, s| {
        let result = bakong_token_to_paid(b, &kiosk, s, &standin).await;
        if result.is_err() {
            kiosk.screenshot("FAILED-bakong-kiosk").await;
        }
        result
    })
    .await;
    kiosk.close().await;
}
