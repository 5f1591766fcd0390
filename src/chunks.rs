//! Screens whose code is a chunk of its own. The build (`cargo run -p xtask -- web`) splits the
//! merchant app's wasm at every `#[wasm_split]` function of `src/bin/merchant.rs`: the framework,
//! the shell (router, session, websocket, top bar, translations) stay in the main module, and
//! each screen's code is fetched the first time the screen is drawn, then kept. Code two
//! screens share is a chunk of its own, fetched with the first of them.
//!
//! A chunk that cannot be fetched (the network went, or a new build replaced it) shows the
//! network error with Retry, never a dead page; once fetched, a screen draws at once.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::api::ClientError;

/// Draws the screen `load` builds once its chunk is here: nothing for the moment it is fetched
/// (a frame when it is cached), then the screen; the network error with Retry if it fails.
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
        let fut = SendWrapper::new(load());
        Suspend::new(async move {
            match fut.await {
                Ok(view) => view,
                Err(_) => crate::load::failed(ClientError::Network, retry),
            }
        })
    })
    .into_any()
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
