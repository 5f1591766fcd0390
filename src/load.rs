//! Data a page loads from the API: `None` until the first answer, then the latest answer. The
//! fetch reruns when a signal it reads changes or on [`Load::refetch`], and an answer that a newer
//! fetch has overtaken is dropped. A plain effect and a task: much less code than a resource,
//! which matters for the transfer budget, and pages here need no suspense.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ClientError, error_key};
use crate::i18n::{Key, t, tr, use_i18n};

/// Loaded data, readable like a signal.
pub struct Load<T: Send + Sync + 'static> {
    value: RwSignal<Option<T>>,
    version: RwSignal<u64>,
}

impl<T: Send + Sync + 'static> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Load<T> {}

impl<T: Clone + Send + Sync + 'static> Load<T> {
    /// Starts loading with `fetch`; signals read by `fetch` itself (not by its future) are tracked.
    pub fn new<F, Fut>(fetch: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = T> + 'static,
    {
        let value = RwSignal::new(None);
        let version = RwSignal::new(0u64);
        let latest = StoredValue::new(0u64);
        Effect::new(move |_| {
            version.track();
            let fut = fetch();
            let ticket = latest.try_update_value(|n| {
                *n += 1;
                *n
            });
            spawn_local(async move {
                let v = fut.await;
                if ticket.is_some() && latest.try_get_value() == ticket {
                    value.try_set(Some(v));
                }
            });
        });
        Self { value, version }
    }

    /// The latest answer, tracked; `None` while the first is on its way.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// Loads again, keeping the current answer in view until the new one arrives.
    pub fn refetch(&self) {
        self.version.try_update(|v| *v += 1);
    }
}

impl<T: Clone + Send + Sync + 'static> Load<Result<T, ClientError>> {
    /// The one way a page shows a request: "Loading…" until the first answer, the error with a
    /// Retry button, or `loaded(value)`. (A signed-out answer never gets here: `crate::api`
    /// sends the browser to sign in, and back afterwards.)
    pub fn show<V: IntoView + 'static>(
        self,
        loaded: impl Fn(T) -> V + Send + Sync + 'static,
    ) -> impl IntoView {
        // Only the match is per type; the two views are drawn by plain functions, once in the
        // binary (this is called with a dozen types and the transfer budget is tight).
        let retry = Callback::new(move |()| self.refetch());
        move || match self.get() {
            None => pending(),
            Some(Ok(value)) => loaded(value).into_any(),
            Some(Err(e)) => failed(e, retry),
        }
    }
}

/// "Loading…".
pub(crate) fn pending() -> AnyView {
    view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }.into_any()
}

/// The error `e`, with Retry.
pub(crate) fn failed(e: ClientError, retry: Callback<()>) -> AnyView {
    let lang = use_i18n().lang;
    view! {
        <div class="error-state" role="alert" data-testid="load-error">
            <p>{move || t(lang.get(), error_key(&e))}</p>
            <button type="button" data-testid="retry" on:click=move |_| retry.run(())>{tr(Key::Retry)}</button>
        </div>
    }
    .into_any()
}
