//! Integrations: an owner adds a webhook endpoint (its secret shown once), sees a delivery that
//! its receiver refused waiting for its retry, makes an API key (shown once) and revokes it, in
//! every language.

use crate::support::browser::Browser;
use crate::support::server::Server;

async fn connect_a_pos(b: &Browser, server: &Server) -> Result<(), String> {
    crate::screens::sign_up(b, server, "owner@pos-link.kh").await?;
    b.goto(&format!("{}/settings", server.url)).await?;
    b.screenshot_at("integrations-card", "settings-integrations-card-en")
        .await;
    b.click("integrations-link").await?;
    b.find("webhook-form").await?;
    b.find("webhooks-empty").await?;
    // A receiver that refuses (the server's own health check takes no POST): 405.
    b.fill("webhook-url-input", &format!("{}/healthz", server.url))
        .await?;
    b.fill("webhook-description-input", "Front POS").await?;
    b.click("event-charge.created").await?;
    b.click("webhook-add").await?;
    let secret = b.prop("webhook-secret", "value").await?;
    if !secret.starts_with("whsec_") {
        return Err(format!("the signing secret shown is {secret:?}"));
    }
    b.wait_count("webhook-row", 1).await?;
    b.wait_text("webhook-events", "charge.created").await?;
    b.screenshot_at("webhook-secret-panel", "integrations-secret-en")
        .await;

    // A charge at the counter is an event the endpoint asked for.
    b.goto(&format!("{}/charge", server.url)).await?;
    b.find("charge-form").await?;
    b.click("currency-khr").await?;
    for k in ["5", "000"] {
        b.click(&format!("key-{k}")).await?;
    }
    b.click("charge-submit").await?;
    b.wait_attr("charge-display", "data-state", "pending")
        .await?;

    b.goto(&format!("{}/integrations", server.url)).await?;
    if b.count("webhook-secret").await? != 0 {
        return Err("the signing secret is shown again after a reload".into());
    }
    b.click("webhook-log-toggle").await?;
    b.wait_count("delivery-row", 1).await?;
    b.wait_attr("delivery-row", "data-status", "pending")
        .await?;
    b.wait_text("delivery-row", "HTTP 405").await?;
    b.axe("integrations").await?;

    b.fill("api-key-name", "Front POS").await?;
    b.click("scope-events:read").await?;
    b.click("api-key-create").await?;
    let key = b.prop("api-key-secret", "value").await?;
    if !key.starts_with("tk_") {
        return Err(format!("the API key shown is {key:?}"));
    }
    b.wait_count("api-key-row", 1).await?;
    b.wait_text("api-key-prefix", &key[..9]).await?;
    b.axe("integrations with a key shown").await?;
    for (lang, title) in [
        ("km", "ការតភ្ជាប់ប្រព័ន្ធ"),
        ("zh", "系统对接"),
        ("en", "Integrations"),
    ] {
        b.click(&format!("lang-{lang}")).await?;
        b.wait_text("integrations-page", title).await?;
        b.screenshot(&format!("integrations-{lang}")).await;
        b.screenshot_at("api-keys-section", &format!("integrations-keys-{lang}"))
            .await;
    }
    b.confirm("api-key-revoke").await?;
    b.find("api-keys-empty").await?;
    b.confirm("webhook-delete").await?;
    b.find("webhooks-empty").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_connects_a_pos_with_a_webhook_and_an_api_key() {
    let server = Server::start_with(&["--webhook-allow-private"]);
    crate::support::in_browser_on("integrations", server, async |b, s| {
        connect_a_pos(b, s).await
    })
    .await;
}
