//! The walking skeleton: register, charge, pay from the CLI, and see "Paid" with no reload.

use crate::support::browser::Browser;
use crate::support::server::Server;

async fn register_charge_and_see_it_paid(b: &Browser, server: &Server) -> Result<(), String> {
    b.client
        .goto(&format!("{}/register", server.url))
        .await
        .map_err(|e| e.to_string())?;
    b.click("lang-en").await?;
    b.fill("register-email", "owner@sokha-noodles.kh").await?;
    b.fill("register-password", "a long enough password")
        .await?;
    b.fill("register-business-name", "Sokha Noodles").await?;
    b.fill("register-city", "Phnom Penh").await?;
    // The codec runs in the page: a Bakong ID without a bank is flagged as typed, no round trip.
    b.fill("register-bakong", "sokha").await?;
    let err = b.find("register-bakong-error").await?;
    let deadline = tokio::time::Instant::now() + crate::support::browser::STEP;
    while err.text().await.map_err(|e| e.to_string())?.is_empty() {
        if tokio::time::Instant::now() > deadline {
            return Err("no live error for a Bakong ID without @bank".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    b.fill("register-bakong", "sokha@aclb").await?;
    let preview = b.attr("register-preview-qr", "data-payload").await?;
    if !preview.starts_with("000201010211") || !preview.contains("sokha@aclb") {
        return Err(format!(
            "live preview is not a static KHQR for the profile: {preview}"
        ));
    }
    b.screenshot("register-en").await;
    b.click("register-submit").await?;
    // Onboarding's profile step; this merchant starts charging at once.
    b.find("welcome").await?;
    b.screenshot("welcome-en").await;
    b.click("welcome-done").await?;

    b.find("charge-form").await?;
    b.wait_attr("live-badge", "data-state", "live").await?;
    b.click("currency-khr").await?;
    b.fill("charge-amount", "48000").await?;
    b.click("charge-submit").await?;
    b.find("charge-qr").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;
    b.screenshot("charge-pending-en").await;

    let payload = b.attr("charge-qr", "data-payload").await?;
    if !payload.contains("5405480005802KH") {
        return Err(format!("QR payload does not carry 48000 KHR: {payload}"));
    }
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "e2e-tx-1"]);
    if !ok {
        return Err(format!("simulate pay failed: {out}"));
    }
    b.find("charge-paid").await?;
    b.wait_attr("charge-display", "data-state", "paid").await?;
    b.screenshot("charge-paid-en").await;
    b.click("charge-new").await?;
    let row = b.find("payment-row").await?;
    let text = row.text().await.map_err(|e| e.to_string())?;
    if !text.contains("48,000") || !text.contains("CNY") && !text.contains('¥') {
        return Err(format!(
            "recent payment row is missing the amounts: {text:?}"
        ));
    }
    b.screenshot("charge-after-paid-en").await;

    // The same notification again (same network transaction id) credits nothing twice.
    let (ok, out) = server.simulate_pay(&payload, &["--transaction-id", "e2e-tx-1"]);
    if !ok || !out.contains("\"credited\":false") {
        return Err(format!(
            "a repeated notification must be acknowledged without crediting: {out}"
        ));
    }
    let rows = b
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=\"payment-row\"]"))
        .await
        .map_err(|e| e.to_string())?;
    if rows.len() != 1 {
        return Err(format!(
            "expected exactly one payment row, found {}",
            rows.len()
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merchant_registers_charges_and_sees_the_payment_live() {
    crate::support::in_browser("walking-skeleton", async |b, s| {
        register_charge_and_see_it_paid(b, s).await
    })
    .await;
}
