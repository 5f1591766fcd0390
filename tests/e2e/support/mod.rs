//! Test harness: the real server binary, chromedriver, and a browser session with helpers.

pub mod browser;
pub mod proxy;
pub mod server;
pub mod smtp;

use browser::Browser;
use server::Server;

/// Runs a flow in one browser against a fresh server; on failure saves a screenshot named after
/// the flow, then fails the test with the flow's message.
pub async fn in_browser(
    name: &str,
    flow: impl AsyncFnOnce(&Browser, &mut Server) -> Result<(), String>,
) {
    in_browser_on(name, Server::start(), flow).await;
}

/// Like [`in_browser`], against a server started by the caller.
pub async fn in_browser_on(
    name: &str,
    mut server: Server,
    flow: impl AsyncFnOnce(&Browser, &mut Server) -> Result<(), String>,
) {
    let browser = Browser::start().await;
    let result = flow(&browser, &mut server).await;
    if result.is_err() {
        browser.screenshot(&format!("FAILED-{name}")).await;
    }
    browser.close().await;
    if let Err(e) = result {
        panic!("{e}");
    }
}
