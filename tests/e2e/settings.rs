//! Settings: the profile checked by the codec as it is typed (alternate name, UnionPay account)
//! with a live QR preview; stores, counters and the printable poster; a cashier invited by link
//! who joins and sees no payout settings but their sessions; the owner's team (role, counter,
//! removal) and sessions at every width and language; removing the cashier; signing out
//! everywhere.

use crate::support::browser::Browser;
use crate::support::server::Server;

async fn settings(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@mekong-books.kh").await?;
    b.click("nav-settings").await?;
    b.find("profile-form").await?;
    b.axe("settings").await?;

    // A UnionPay merchant id that is too short is flagged as typed, and saving is blocked.
    b.fill("profile-upi-acquirer", "12345678").await?;
    b.fill("profile-upi-forwarding", "87654321").await?;
    b.fill("profile-upi-merchant", "123").await?;
    b.wait_text("profile-upi-merchant-error", "15").await?;
    if b.find("profile-save")
        .await?
        .attr("disabled")
        .await
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err("save is enabled for a profile the codec refuses".into());
    }
    b.fill("profile-upi-merchant", "MEKONG000000001").await?;
    b.find("profile-alt-language")
        .await?
        .select_by_value("km")
        .await
        .map_err(|e| format!("choose km: {e}"))?;
    b.fill("profile-alt-name", "បណ្ណាគារមេគង្គ").await?;
    let preview = b.attr("profile-preview-qr", "data-payload").await?;
    for part in ["MEKONG000000001", "បណ្ណាគារមេគង្គ", "6304"] {
        if !preview.contains(part) {
            return Err(format!("live preview lacks {part}: {preview}"));
        }
    }
    b.click("profile-save").await?;
    b.wait_text("profile-saved", "Saved").await?;
    for (lang, _) in crate::screens::LANGS {
        b.click(&format!("lang-{lang}")).await?;
        b.screenshot(&format!("settings-{lang}")).await;
    }
    b.click("lang-en").await?;

    // A store, a counter, and that counter's poster with its static QR.
    b.fill("store-name", "Riverside").await?;
    b.click("store-add").await?;
    b.wait_text("counter-store", "Riverside").await?;
    b.fill("counter-label", "Till 1").await?;
    b.click("counter-add").await?;
    b.wait_count("counter-row", 1).await?;
    b.click("counter-poster").await?;
    let qr = b.attr("poster-qr", "data-payload").await?;
    if !qr.starts_with("000201010211") || !qr.contains("Till 1") {
        return Err(format!("poster QR is not the counter's static KHQR: {qr}"));
    }
    b.wait_text("poster-alt-name", "បណ្ណាគារមេគង្គ").await?;
    b.axe("poster").await?;
    b.screenshot("poster-en").await;

    // A cashier invited by link joins and cannot reach payout settings.
    b.goto(&format!("{}/settings", server.url)).await?;
    b.fill("invite-email", "cashier@mekong-books.kh").await?;
    b.click("invite-send").await?;
    let link = b.prop("invite-link", "value").await?;
    if !link.contains("/join/") {
        return Err(format!("no one-time link: {link:?}"));
    }
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.goto(&link).await?;
    // The join page names the shop and the email the account will have.
    let who = b.wait_text("join-who", "cashier@mekong-books.kh").await?;
    if !who.contains("Dara Mart") {
        return Err(format!("the join page does not name the shop: {who:?}"));
    }
    b.fill("join-password", "another long password").await?;
    b.click("join-submit").await?;
    b.find("charge-form").await?;
    b.click("nav-settings").await?;
    b.find("settings-cashier").await?;
    if b.count("profile-form").await? != 0
        || b.count("stores-section").await? != 0
        || b.count("staff-section").await? != 0
    {
        return Err("a cashier sees stores or staff settings".into());
    }
    // A cashier sees where they are signed in.
    b.wait_count("session-row", 1).await?;
    b.find("session-current").await?;
    b.screenshot_at("sessions-section", "settings-sessions-cashier-en")
        .await;

    // The owner sees the team, with the cashier's role, counter and removal, at every width.
    b.click("sign-out").await?;
    b.fill("login-email", "owner@mekong-books.kh").await?;
    b.fill("login-password", "a long enough password").await?;
    b.click("login-submit").await?;
    b.find("charge-form").await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.wait_count("staff-row", 2).await?;
    b.find("staff-role-select").await?;
    b.find("staff-unverified").await?;
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
        for (lang, _) in crate::screens::LANGS {
            b.click(&format!("lang-{lang}")).await?;
            // What sticks out past the window (the nav scrolls on its own, by design).
            let over: String = b
                .client
                .execute(
                    "const w = window.innerWidth + 1;\
                     const out = [...document.querySelectorAll('[data-testid=staff-section] *, [data-testid=sessions-section] *')]\
                       .filter(el => el.getBoundingClientRect().right > w)\
                       .map(el => el.tagName + '.' + el.className + '[' + (el.dataset.testid || '') + '] ' + Math.round(el.getBoundingClientRect().right));\
                     return out.slice(0, 5).join('; ');",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !over.is_empty() {
                return Err(format!(
                    "staff or sessions overflow at {w}px in {lang}: {over}"
                ));
            }
            b.screenshot_at("staff-section", &format!("settings-staff-{lang}-{w}"))
                .await;
            b.screenshot_at("sessions-section", &format!("settings-sessions-{lang}-{w}"))
                .await;
        }
    }
    b.client
        .set_window_size(1366, 1024)
        .await
        .map_err(|e| format!("resize: {e}"))?;
    b.click("lang-en").await?;
    b.axe("settings staff and sessions").await?;
    // Removed: two taps, and the row is gone.
    b.click("staff-remove").await?;
    b.click("staff-remove").await?;
    b.wait_count("staff-row", 1).await?;
    // Signed out everywhere: back to sign-in.
    b.click("sessions-end-all").await?;
    b.click("sessions-end-all").await?;
    b.find("login-form").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_profile_counters_poster_and_staff() {
    crate::support::in_browser("settings", async |b, s| settings(b, s).await).await;
}
