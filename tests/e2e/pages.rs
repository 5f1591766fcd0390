//! The route table's pages and what came with them: an address that is no page says so; the
//! help page; a session that ends mid-work goes to sign-in and comes back; a forgotten password
//! is reset from an emailed link; a payment to a counter's poster is a sale at that counter.

use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::smtp::SmtpSink;

async fn no_page_and_help(b: &Browser, server: &Server) -> Result<(), String> {
    b.goto(&format!("{}/no/such/page", server.url)).await?;
    b.click("lang-zh").await?;
    b.wait_text("not-found", "此地址没有页面").await?;
    b.screenshot("not-found-zh").await;
    crate::screens::sign_up(b, server, "owner@help.kh").await?;
    b.click("lang-km").await?;
    b.click("nav-help").await?;
    b.wait_text("help-page", "ការទទួលការបង់ប្រាក់").await?;
    b.axe("help").await?;
    b.screenshot("help-km").await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_address_says_so_and_help_is_one_tap_away() {
    crate::support::in_browser("pages-help", async |b, s| no_page_and_help(b, s).await).await;
}

async fn session_ends_mid_work(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@ended.kh").await?;
    b.click("nav-history").await?;
    b.find("history-filters").await?;
    // The session ends (expired, or signed out elsewhere): the next request goes to sign-in.
    b.client
        .delete_all_cookies()
        .await
        .map_err(|e| format!("delete cookies: {e}"))?;
    b.click("nav-dashboard").await?;
    b.find("login-form").await?;
    b.fill("login-email", "owner@ended.kh").await?;
    b.fill("login-password", "a long enough password").await?;
    b.click("login-submit").await?;
    // ... and back to the page the merchant was on.
    b.find("today-totals")
        .await
        .or(b.find("today-empty").await)?;
    let here = b.client.current_url().await.map_err(|e| e.to_string())?;
    if here.path() != "/dashboard" {
        return Err(format!("after signing in again the browser is at {here}"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_ends_goes_to_sign_in_and_comes_back() {
    crate::support::in_browser("pages-session-ended", async |b, s| {
        session_ends_mid_work(b, s).await
    })
    .await;
}

async fn reset_by_email(b: &Browser, server: &Server, sink: &SmtpSink) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@forgot.kh").await?;
    b.click("sign-out").await?;
    b.find("login-form").await?;
    b.fill("login-email", "owner@forgot.kh").await?;
    b.click("lang-km").await?;
    b.click("to-forgot").await?;
    // The email typed on sign-in comes along.
    if b.prop("forgot-email", "value").await? != "owner@forgot.kh" {
        return Err("the forgot page did not keep the email".into());
    }
    b.click("forgot-submit").await?;
    b.wait_text_not_empty("forgot-answer").await?;
    b.screenshot("forgot-sent-km").await;
    let mail = sink.wait_mail().await?;
    // The link is built on --public-url, never on the request's Host.
    let token = mail
        .lines()
        .find_map(|l| l.trim().strip_prefix("http://tonle.test/reset/"))
        .ok_or_else(|| format!("no reset link in the email:\n{mail}"))?
        .trim()
        .to_owned();
    b.goto(&format!("{}/reset/{token}", server.url)).await?;
    b.fill("reset-password", "short").await?;
    b.wait_text("reset-password-error", "១០").await?;
    b.fill("reset-password", "a brand new password").await?;
    b.click("reset-submit").await?;
    b.find("reset-done").await?;
    b.screenshot("reset-done-km").await;
    // The link works once.
    b.goto(&format!("{}/reset/{token}", server.url)).await?;
    b.fill("reset-password", "another new password").await?;
    b.click("reset-submit").await?;
    b.wait_text_not_empty("reset-error").await?;
    // The new password signs in.
    b.goto(&format!("{}/login", server.url)).await?;
    b.fill("login-email", "owner@forgot.kh").await?;
    b.fill("login-password", "a brand new password").await?;
    b.click("login-submit").await?;
    b.find("charge-form").await.map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_from_an_emailed_link() {
    let sink = SmtpSink::start().await;
    let server = Server::start_with(&[
        "--smtp-url",
        &sink.url,
        "--mail-from",
        "tonle <no-reply@tonle.test>",
        "--public-url",
        "http://tonle.test",
    ]);
    crate::support::in_browser_on("pages-reset", server, async |b, s| {
        reset_by_email(b, s, &sink).await
    })
    .await;
}

async fn without_email_the_operator_resets(b: &Browser, server: &Server) -> Result<(), String> {
    b.goto(&format!("{}/forgot", server.url)).await?;
    b.click("lang-en").await?;
    b.fill("forgot-email", "someone@shop.kh").await?;
    b.click("forgot-submit").await?;
    b.wait_text("forgot-answer", "tonle admin reset-password")
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_email_the_forgot_page_says_who_resets_the_password() {
    crate::support::in_browser("pages-operator-reset", async |b, s| {
        without_email_the_operator_resets(b, s).await
    })
    .await;
}

async fn poster_payment_is_a_sale(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@poster-sale.kh").await?;
    crate::kiosk::open_code(b).await?;
    b.click("lang-km").await?;
    b.click("counter-poster").await?;
    b.find("khqr-card").await?;
    let payload = b.attr("poster-qr", "data-payload").await?;
    b.screenshot("poster-card-km").await;
    let (ok, out) = server.simulate_pay(&payload, &["--amount", "15000"]);
    if !ok {
        return Err(format!("simulate pay: {out}"));
    }
    b.goto(&format!("{}/dashboard", server.url)).await?;
    b.wait_count("payment-row", 1).await?;
    b.find("review-empty").await?;
    if b.count("review-unmatched").await? != 0 {
        return Err("a payment to the counter's poster landed in \"Needs review\"".into());
    }
    b.wait_text("today-totals", "15,000").await?;
    b.click("nav-history").await?;
    b.wait_count("history-row", 1).await?;
    b.click("history-row").await?;
    b.wait_text("payment-detail", "Till 1").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_to_a_counter_poster_is_a_sale_at_that_counter() {
    crate::support::in_browser("pages-poster-sale", async |b, s| {
        poster_payment_is_a_sale(b, s).await
    })
    .await;
}
