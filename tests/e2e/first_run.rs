//! What a first-time merchant ran into, fixed: a reload mid-charge keeps the QR on the cashier's
//! screen; "make a new QR" after expiry makes one in one tap; a payment marked to refund leaves
//! Today's takings and the end-of-day summary.

use std::time::Duration;

use crate::support::browser::Browser;
use crate::support::server::Server;

async fn reload_and_renew(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@first-run.kh").await?;
    b.click("lang-km").await?;
    // The shortest QR lifetime, so the test sees one expire.
    b.click("nav-settings").await?;
    b.fill("profile-qr-minutes", "1").await?;
    b.click("profile-save").await?;
    b.find("profile-saved").await?;
    b.click("nav-charge").await?;
    b.find("charge-form").await?;
    b.click("currency-khr").await?;
    for k in ["1", "2", "000"] {
        b.click(&format!("key-{k}")).await?;
    }
    b.fill("charge-note", "តុ ៥").await?;
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    let first = b.attr("charge-display", "data-bill").await?;

    // A reload (or a crash of the tablet's browser) brings the open QR back.
    b.client
        .refresh()
        .await
        .map_err(|e| format!("reload: {e}"))?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    let after = b.attr("charge-display", "data-bill").await?;
    if after != first {
        return Err(format!(
            "after a reload the screen shows {after}, not the open {first}"
        ));
    }
    b.screenshot("charge-after-reload-km").await;

    // It expires; one tap makes a fresh QR for the same amount and note.
    b.wait_attr_within(
        "charge-display",
        "data-state",
        "expired",
        Duration::from_secs(80),
    )
    .await?;
    b.axe("charge (expired)").await?;
    b.screenshot("charge-expired-km").await;
    b.click("charge-renew").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    let renewed = b.attr("charge-display", "data-bill").await?;
    if renewed == first {
        return Err("\"new QR\" showed the expired charge again".into());
    }
    let amount = b.text("charge-amount-display").await?;
    if !amount.contains("12,000") {
        return Err(format!("the new QR is for {amount:?}, not 12,000 ៛"));
    }
    let payload = b.attr("charge-qr", "data-payload").await?;
    if !payload.contains("5405120005802KH") {
        return Err(format!("the new QR does not carry 12000 KHR: {payload}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_open_qr_and_an_expired_one_renews_in_one_tap() {
    crate::support::in_browser("first-run-renew", async |b, s| reload_and_renew(b, s).await).await;
}

/// Types a KHR amount on the keypad, charges, pays the QR as a wallet (transaction `tx`), waits
/// for Paid and starts the next charge; returns the paid QR's payload.
async fn charge_and_pay(
    b: &Browser,
    server: &Server,
    keys: &[&str],
    tx: &str,
) -> Result<String, String> {
    b.click("currency-khr").await?;
    for k in keys {
        b.click(&format!("key-{k}")).await?;
    }
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    let payload = b.attr("charge-qr", "data-payload").await?;
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", tx]);
    if !ok {
        return Err(format!("pay: {out}"));
    }
    b.find("charge-paid").await?;
    b.click("charge-new").await?;
    Ok(payload)
}

async fn refunds_are_not_takings(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@refunds.kh").await?;
    b.click("lang-zh").await?;
    let payload = charge_and_pay(b, server, &["5", "000"], "refund-e2e-1").await?;
    // The same code paid a second time: the charge is closed, so it waits for review.
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "refund-e2e-2"]);
    if !ok {
        return Err(format!("second payment: {out}"));
    }
    b.click("nav-dashboard").await?;
    b.wait_text("today-KHR", "10,000").await?;
    b.find("review-unmatched").await?;
    b.confirm("resolve-payment-refund").await?;
    b.wait_text("today-KHR", "5,000").await?;
    let today = b.text("today-KHR").await?;
    if today.contains("10,000") {
        return Err(format!("Today still counts the refund: {today:?}"));
    }
    // The refunded payment says so in the list, for reconciling the day.
    b.wait_count("payment-refund", 1).await?;
    b.screenshot("dashboard-after-refund-zh").await;
    b.goto(&format!("{}/shift", server.url)).await?;
    let total = b.wait_text("shift-total-KHR", "5,000").await?;
    if total.contains("10,000") {
        return Err(format!(
            "the end-of-day summary counts the refund: {total:?}"
        ));
    }
    b.screenshot("shift-after-refund-zh").await;
    // The thermal roll sizes are page rules the browser keeps (an invalid `size` is dropped).
    for roll in ["roll58", "roll80"] {
        let size = b
            .client
            .execute(
                "for (const s of document.styleSheets) for (const r of s.cssRules) \
                   if (r instanceof CSSPageRule && r.selectorText === arguments[0]) \
                     return r.style.getPropertyValue('size'); return '';",
                vec![serde_json::json!(roll)],
            )
            .await
            .map_err(|e| e.to_string())?;
        if size.as_str().is_none_or(str::is_empty) {
            return Err(format!(
                "@page {roll} has no valid size: receipts print on Letter"
            ));
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_marked_to_refund_leaves_todays_takings_and_the_summary() {
    crate::support::in_browser("first-run-refunds", async |b, s| {
        refunds_are_not_takings(b, s).await
    })
    .await;
}

async fn cashier_sees_their_day(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@cashier-day.kh").await?;
    crate::kiosk::open_code(b).await?;
    // The invitation form lists the counter made a moment ago once the page is opened again.
    b.goto(&format!("{}/settings", server.url)).await?;
    b.fill("invite-email", "dara@cashier-day.kh").await?;
    b.click("invite-send").await?;
    let link = b.prop("invite-link", "value").await?;
    let (payload, _) = crate::kiosk::charge_at_till(b).await?;
    let (ok, out) = server.simulate_pay(&payload, &[]);
    if !ok {
        return Err(format!("pay: {out}"));
    }
    b.find("charge-paid").await?;
    b.click("charge-new").await?;
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.goto(&link).await?;
    b.fill("join-password", "another long password").await?;
    b.click("join-submit").await?;
    b.find("charge-form").await?;
    b.click("lang-km").await?;
    b.click("nav-dashboard").await?;
    // Their counter's day, and nothing broken: no error, no queue they cannot work.
    b.wait_text("today-KHR", "25,000").await?;
    if b.count("load-error").await? != 0 || b.count("review-queue").await? != 0 {
        return Err("a cashier's dashboard shows an error or the owner's review queue".into());
    }
    b.axe("dashboard (cashier)").await?;
    b.screenshot("dashboard-cashier-km").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cashier_sees_their_counters_day_on_the_dashboard() {
    crate::support::in_browser("first-run-cashier", async |b, s| {
        cashier_sees_their_day(b, s).await
    })
    .await;
}

/// Widths and heights a merchant's devices have: phones, tablets portrait and landscape.
const SIZES: [(u32, u32); 5] = [
    (360, 740),
    (390, 844),
    (768, 1024),
    (1024, 768),
    (1366, 1024),
];

/// How far the page is wider than the window (0 when nothing scrolls sideways).
pub(crate) async fn overflow(b: &Browser) -> Result<i64, String> {
    let v = b
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(v.as_i64().unwrap_or(0))
}

async fn fits_every_screen(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@phones.kh").await?;
    crate::kiosk::open_code(b).await?;
    let mut wide = Vec::new();
    // Every language: Khmer labels run longest, Chinese shortest; each must fit.
    for (lang, _) in crate::screens::LANGS {
        // English with the keypad alone; Khmer and Chinese with the shop's items beside it.
        if lang == "km" {
            crate::cart::stock(b).await?;
        }
        b.client
            .set_window_size(1280, 900)
            .await
            .map_err(|e| format!("resize: {e}"))?;
        b.goto(&format!("{}/charge", server.url)).await?;
        b.click(&format!("lang-{lang}")).await?;
        for (w, h) in SIZES {
            b.client
                .set_window_size(w, h)
                .await
                .map_err(|e| format!("resize: {e}"))?;
            for (path, ready) in [
                ("/charge", "charge-form"),
                ("/dashboard", "today-totals"),
                ("/history", "history-filters"),
                ("/settings", "profile-form"),
                ("/help", "help-page"),
                ("/integrations", "webhook-form"),
                ("/items", "items-groups"),
            ] {
                b.goto(&format!("{}{path}", server.url)).await?;
                b.find(ready).await?;
                let over = overflow(b).await?;
                if over > 0 {
                    wide.push(format!("{path} ({lang}) at {w}x{h}: {over} px too wide"));
                }
                let name = path.trim_start_matches('/');
                b.screenshot(&format!("fit-{name}-{w}x{h}-{lang}")).await;
            }
            // On a tablet the keypad, the amount and Charge fit one screen, counter picker included.
            if w >= 768 {
                b.goto(&format!("{}/charge", server.url)).await?;
                b.find("charge-terminal").await?;
                let bottom = b
                .client
                .execute(
                    "const r = document.querySelector('[data-testid=charge-submit]').getBoundingClientRect();\
                     return Math.ceil(r.bottom) - window.innerHeight;",
                    vec![],
                )
                .await
                .map_err(|e| e.to_string())?
                .as_i64()
                .unwrap_or(0);
                if bottom > 0 {
                    wide.push(format!(
                        "Charge ({lang}) is {bottom} px below the fold at {w}x{h}"
                    ));
                }
            }
        }
    }
    // The kiosk's pairing form on a phone.
    b.click("sign-out").await?;
    b.find("login-form").await?;
    for (w, h) in SIZES {
        b.client
            .set_window_size(w, h)
            .await
            .map_err(|e| format!("resize: {e}"))?;
        // The pages a signed-out visitor sees, the kiosk's pairing form among them.
        for (path, ready) in [
            ("/kiosk", "kiosk-code"),
            ("/login", "login-form"),
            ("/forgot", "forgot-form"),
            ("/no-such-page", "not-found"),
        ] {
            b.goto(&format!("{}{path}", server.url)).await?;
            b.find(ready).await?;
            let over = overflow(b).await?;
            if over > 0 {
                wide.push(format!("{path} signed out at {w}x{h}: {over} px too wide"));
            }
            let name = path.trim_start_matches('/');
            b.screenshot(&format!("fit-{name}-{w}x{h}")).await;
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
async fn every_screen_fits_phones_and_tablets_without_sideways_scrolling() {
    crate::support::in_browser("first-run-fit", async |b, s| fits_every_screen(b, s).await).await;
}

async fn kiosk_countdown_pin_and_leave(
    owner: &Browser,
    kiosk: &Browser,
    server: &Server,
) -> Result<(), String> {
    crate::screens::sign_up(owner, server, "owner@kiosk-leave.kh").await?;
    let code = crate::kiosk::open_code(owner).await?;
    // The pairing panel says where to go on the tablet, host included.
    owner
        .wait_text("pairing-address", &format!("{}/kiosk", server.url))
        .await?;
    crate::kiosk::pair(kiosk, server, &code).await?;
    kiosk.click("lang-km").await?;
    crate::kiosk::charge_at_till(owner).await?;
    kiosk.find("kiosk-charge").await?;
    // The countdown speaks all three languages, like the rest of the customer's screen.
    let countdown = kiosk.text("kiosk-countdown").await?;
    for part in ["ផុតកំណត់ក្នុង", "剩余时间", "Expires in"] {
        if !countdown.contains(part) {
            return Err(format!("the countdown lacks {part:?}: {countdown:?}"));
        }
    }
    // The charge is on the KHQR card, the currency's mark at the centre of its code.
    kiosk.find("khqr-card").await?;
    // Customers see no merchant controls: they open when the top corner is held.
    for control in ["kiosk-fullscreen", "kiosk-static-toggle", "kiosk-leave-pin"] {
        if kiosk.count(control).await? != 0 {
            return Err(format!("{control} is on the customer's screen"));
        }
    }
    crate::kiosk::open_controls(kiosk).await?;
    kiosk.screenshot("kiosk-controls-km").await;
    // A wrong PIN is said so; the right one leaves, and leaving unpairs the display.
    kiosk.fill("kiosk-leave-pin", "1111").await?;
    kiosk.click("kiosk-leave-submit").await?;
    kiosk.wait_text("kiosk-leave-error", "PIN មិនត្រឹមត្រូវ").await?;
    kiosk.screenshot("kiosk-wrong-pin-km").await;
    kiosk.fill("kiosk-leave-pin", "2468").await?;
    kiosk.click("kiosk-leave-submit").await?;
    kiosk.find("kiosk-pair-form").await?;
    owner.goto(&format!("{}/settings", server.url)).await?;
    owner.wait_count("device-revoked", 1).await?;
    // Each display says which counter it is on.
    owner.wait_text("device-counter", "Till 1").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_counts_down_in_three_languages_and_leaving_with_the_pin_unpairs_it() {
    let kiosk = Browser::start().await;
    crate::support::in_browser("first-run-kiosk-leave", async |b, s| {
        let result = kiosk_countdown_pin_and_leave(b, &kiosk, s).await;
        if result.is_err() {
            kiosk.screenshot("FAILED-first-run-kiosk-leave").await;
        }
        result
    })
    .await;
    kiosk.close().await;
}

async fn back_where_they_were_going(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@next.kh").await?;
    charge_and_pay(b, server, &["3", "000"], "next-e2e-1").await?;
    b.click("sign-out").await?;
    b.find("login-form").await?;
    // Opening /history while signed out: sign in, and land on /history.
    b.goto(&format!("{}/history", server.url)).await?;
    b.find("login-form").await?;
    b.fill("login-email", "owner@next.kh").await?;
    b.fill("login-password", "a long enough password").await?;
    b.click("login-submit").await?;
    b.find("history-filters").await?;
    b.click("lang-zh").await?;
    // Networks by the names merchants know, not the server's.
    b.click("history-row").await?;
    b.wait_text("payment-network", "测试付款").await?;
    b.screenshot("history-network-zh").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_from_a_deep_link_returns_there_and_history_names_networks() {
    crate::support::in_browser("first-run-next", async |b, s| {
        back_where_they_were_going(b, s).await
    })
    .await;
}

async fn forms_say_what_is_wrong_as_it_is_typed(
    b: &Browser,
    server: &Server,
) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@forms.kh").await?;
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.goto(&format!("{}/register", server.url)).await?;
    b.click("lang-km").await?;
    // The password's length is said before submitting, and goes when it is long enough.
    b.fill("register-password", "short").await?;
    b.wait_text("register-password-error", "១០").await?;
    b.fill("register-password", "a long enough password")
        .await?;
    b.wait_text_is("register-password-error", "").await?;
    // A server error under a field goes once that field is corrected.
    b.fill("register-email", "owner@forms.kh").await?;
    b.fill("register-business-name", "Forms Mart").await?;
    b.fill("register-city", "Kampot").await?;
    b.fill("register-bakong", "forms@aclb").await?;
    b.click("register-submit").await?;
    let taken = b.wait_text_not_empty("register-email-error").await?;
    b.fill("register-email", "second@forms.kh").await?;
    b.wait_text_is("register-email-error", "").await?;
    b.screenshot("register-corrected-km").await;
    let _ = taken;
    b.click("register-submit").await?;
    b.click("welcome-done").await?;
    b.find("charge-form").await?;

    // Letters in the amount are explained; a huge amount asks for a second press.
    b.fill("charge-amount", "12a").await?;
    b.wait_text_not_empty("charge-error").await?;
    b.fill("charge-amount", "999999999999").await?;
    b.click("charge-submit").await?;
    b.find("charge-confirm-large").await?;
    if b.count("charge-display").await? != 0 {
        return Err("a huge amount made a QR without a second look".into());
    }
    b.screenshot("charge-confirm-large-km").await;
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;

    // Settings: the QR lifetime says its range; a counter before any store says what to do.
    b.confirm("charge-cancel").await?;
    b.click("nav-settings").await?;
    b.fill("profile-qr-minutes", "0").await?;
    b.wait_text("profile-qr-minutes-error", "៦០").await?;
    b.fill("counter-label", "Till 1").await?;
    b.click("counter-add").await?;
    b.wait_text_not_empty("counter-store-error").await?;
    b.screenshot_at("stores-section", "settings-counter-before-store-km")
        .await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_say_what_is_wrong_as_it_is_typed_and_clear_when_it_is_right() {
    crate::support::in_browser("first-run-forms", async |b, s| {
        forms_say_what_is_wrong_as_it_is_typed(b, s).await
    })
    .await;
}
