//! The app shell: language and session context, the router, and the signed-in guard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::i18n::{Key, provide_i18n, tr};
use crate::router::{Route, navigate, provide_router};
use protocol::web::Bundle;

/// The signed-in user, once known.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<Option<api::SessionView>>);

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(None)))
}

/// Mounts one bundle of the app (see `protocol::web`): `page` draws the routes it owns. Each
/// bundle is its own binary, so a page another bundle draws is not in this one's code at all.
pub fn mount(bundle: Bundle, page: fn(Route) -> AnyView) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || {
        provide_i18n();
        provide_context(Session(RwSignal::new(None)));
        crate::realtime::provide_realtime();
        let route = provide_router(bundle);
        view! { <main class="app">{move || page(route.get())}</main> }
    });
}

/// A page behind sign-in: shown once the session is loaded.
pub fn signed_in(page: impl Fn() -> AnyView + Send + Sync + 'static) -> AnyView {
    view! { <SignedIn>{page()}</SignedIn> }.into_any()
}

/// `/`: straight to the charge screen when signed in, otherwise to registration.
#[component]
pub fn Home() -> impl IntoView {
    spawn_local(async move {
        let to = if crate::api::session().await.is_ok() {
            "/charge"
        } else {
            "/register"
        };
        navigate(to);
    });
    view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }
}

/// Renders its children once the session is loaded; sends signed-out visitors to sign in.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let Session(session) = use_session();
    if session.get_untracked().is_none() {
        spawn_local(async move {
            match crate::api::session().await {
                Ok(s) => session.set(Some(s)),
                // Back to where the merchant was going after signing in.
                Err(_) => navigate(&format!(
                    "/login?next={}",
                    js_sys::encode_uri_component(&crate::router::here())
                )),
            }
        });
    }
    Effect::new(move |_| {
        if session.with(Option::is_some)
            && let Some(rt) = crate::realtime::use_realtime()
        {
            crate::realtime::start(rt);
        }
    });
    let loading = move || view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> };
    view! { <Show when=move || session.with(Option::is_some) fallback=loading>{children()}</Show> }
}
