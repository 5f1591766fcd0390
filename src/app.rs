//! The app shell: language and session context, the router, and the signed-in guard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::i18n::{Key, provide_i18n, tr};
use crate::router::{Route, go, provide_router};
use protocol::web::BundlePage;

/// The signed-in user, once known.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<Option<api::SessionView>>);

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(None)))
}

/// Mounts the bundle of `P` (see `protocol::web`): `page` draws each of its pages, behind
/// sign-in where the route table says so; an address that is no page of the bundle shows
/// "not found". Each bundle is its own binary, so another bundle's pages are not in its code.
pub fn mount<P: BundlePage>(page: fn(P) -> AnyView) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || {
        provide_i18n();
        provide_context(Session(RwSignal::new(None)));
        crate::realtime::provide_realtime();
        crate::sandbox::provide_sandbox();
        let route = provide_router::<P>();
        let draw = move || match route.get() {
            Some(r) if r.needs_sign_in() => match P::from_route(r) {
                Some(p) => view! { <SignedIn>{page(p.clone())}</SignedIn> }.into_any(),
                None => view! { <NotFound/> }.into_any(),
            },
            Some(r) => P::from_route(r).map_or_else(|| view! { <NotFound/> }.into_any(), page),
            None => view! { <NotFound/> }.into_any(),
        };
        view! { <crate::sandbox::SandboxBand/><main class="app">{draw}</main> }
    });
}

/// An address that is no page of the app.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card narrow" data-testid="not-found">
            <crate::components::top_bar::LangSwitch/>
            <h1>{tr(Key::NotFound)}</h1>
            <a class="button-link primary-link" href=Route::HOME.path() data-testid="not-found-home">{tr(Key::GoHome)}</a>
        </section>
    }
}

/// `/`: straight to the charge screen when signed in, otherwise to registration.
#[component]
pub fn Home() -> impl IntoView {
    spawn_local(async move {
        let to = if crate::api::session().await.is_ok() {
            Route::CHARGE
        } else {
            Route::REGISTER
        };
        go(&to);
    });
    view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }
}

/// Renders its children once the session is loaded. A signed-out visitor is sent to sign in
/// (by `crate::api`, for every request), and comes back here afterwards; a server out of reach
/// shows the error with Retry. (Not a `Load`: one fewer future type in every bundle.)
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let Session(session) = use_session();
    let failed = RwSignal::new(None::<crate::api::ClientError>);
    let fetch = move || {
        spawn_local(async move {
            match crate::api::session().await {
                Ok(s) => session.set(Some(s)),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    if session.with_untracked(Option::is_none) {
        fetch();
    }
    let rt = crate::realtime::use_realtime();
    Effect::new(move |_| {
        if let Some(owner) = session.with(|s| s.as_ref().map(crate::realtime::owner_of))
            && let Some(rt) = rt
        {
            crate::realtime::start(rt, owner);
        }
    });
    let retry = Callback::new(move |()| {
        failed.set(None);
        fetch();
    });
    let waiting = move || match failed.get() {
        Some(e) => crate::load::failed(e, retry),
        None => crate::load::pending(),
    };
    view! { <Show when=move || session.with(Option::is_some) fallback=waiting>{children()}</Show> }
}
