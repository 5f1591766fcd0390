//! Screens whose code is a chunk of its own. The build (`cargo run -p xtask -- web`) splits the
//! merchant app's wasm at every `#[wasm_split]` function of `src/bin/merchant.rs`: the framework,
//! the shell (router, session, websocket, top bar, translations) stay in the main module, and
//! each screen's code is fetched the first time the screen is drawn, then kept. Code two
//! screens share is a chunk of its own, fetched with the first of them.
//!
//! A chunk that cannot be fetched while the server answers was replaced by a newer build (its
//! files carry their hash): the page loads again, once, to run the new build. Otherwise (the
//! network went, or the new build lacks it too) the screen shows the network error with Retry,
//! never a dead page. Once fetched, a screen draws at once.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::api::ClientError;

/// Draws the screen `load` builds once its chunk is here: nothing for the moment it is fetched
/// (a frame when it is cached), then the screen; if it fails, the page again (a newer build) or
/// the network error with Retry, as the module says.
pub fn screen<F>(load: impl Fn() -> F + Send + Sync + 'static) -> AnyView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    (move || {
        attempt.track();
        // The loader's future is single-threaded like everything on the page; Suspend asks
        // for `Send` only because the same views also render on servers.
        let fut = load();
        Suspend::new(SendWrapper::new(async move {
            match fut.await {
                Ok(view) => {
                    set_reloaded(false);
                    view
                }
                Err(_) if !reloaded() && crate::api::reachable().await => {
                    set_reloaded(true);
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                    crate::load::pending()
                }
                Err(_) => crate::load::failed(ClientError::Network, retry),
            }
        }))
    })
    .into_any()
}

/// Marks that this tab reloaded for a missing chunk (so it does not again until one loads).
const RELOADED: &str = "tonle:chunk-reload";

fn reloaded() -> bool {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .and_then(|s| s.get_item(RELOADED).ok().flatten())
        .is_some()
}

fn set_reloaded(on: bool) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = if on {
            s.set_item(RELOADED, "1")
        } else {
            s.remove_item(RELOADED)
        };
    }
}

/// Fetches chunks ahead, when the page is idle after drawing its first screen: `start` calls
/// [`ahead`] with the preload of each screen one tap away. A chunk that fails to come is
/// fetched again by its screen.
pub fn prefetch(start: impl FnOnce() + 'static) {
    // After the first screen is drawn and its own requests are out, off the hot path.
    wasm_bindgen_futures::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(PREFETCH_AFTER_MS).await;
        start();
    });
}

/// Fetches one chunk in the background (its split function's preload).
pub fn ahead<F>(preload: F)
where
    F: Future<Output = Result<(), SplitLoaderError>> + 'static,
{
    wasm_bindgen_futures::spawn_local(async move {
        let _ = preload.await;
    });
}

/// How long after the page starts its neighbours' chunks are fetched.
const PREFETCH_AFTER_MS: u32 = 1_000;
