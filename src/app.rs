//! The app shell: language and session context, the router, and the signed-in guard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::i18n::{Key, provide_i18n, tr};
use crate::pages::{
    charge::ChargePage, dashboard::DashboardPage, history::HistoryPage, join::JoinPage,
    kiosk::KioskPage, login::LoginPage, poster::PosterPage, receipt::ReceiptPage,
    register::RegisterPage, settings::SettingsPage, shift::ShiftPage, welcome::WelcomePage,
};
use crate::router::{Route, navigate, provide_router};

/// The signed-in user, once known.
#[derive(Debug, Clone, Copy)]
pub struct Session(pub RwSignal<Option<api::SessionView>>);

/// The session context.
pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(|| Session(RwSignal::new(None)))
}

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    provide_context(Session(RwSignal::new(None)));
    crate::realtime::provide_realtime();
    let route = provide_router();
    view! { <main class="app">{move || page(route.get())}</main> }
}

/// The view of a route; signed-in pages wait for the session.
fn page(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <Home/> }.into_any(),
        Route::Register => view! { <RegisterPage/> }.into_any(),
        Route::Login => view! { <LoginPage/> }.into_any(),
        Route::Join(token) => view! { <JoinPage token/> }.into_any(),
        Route::Kiosk => view! { <KioskPage/> }.into_any(),
        Route::Charge => signed_in(|| view! { <ChargePage/> }.into_any()),
        Route::Dashboard => signed_in(|| view! { <DashboardPage/> }.into_any()),
        Route::History => signed_in(|| view! { <HistoryPage/> }.into_any()),
        Route::Settings => signed_in(|| view! { <SettingsPage/> }.into_any()),
        Route::Welcome => signed_in(|| view! { <WelcomePage/> }.into_any()),
        Route::Shift => signed_in(|| view! { <ShiftPage/> }.into_any()),
        Route::Poster(terminal) => {
            signed_in(move || view! { <PosterPage terminal=terminal.clone()/> }.into_any())
        }
        Route::Receipt(id) => signed_in(move || view! { <ReceiptPage id=id.clone()/> }.into_any()),
    }
}

fn signed_in(page: impl Fn() -> AnyView + Send + Sync + 'static) -> AnyView {
    view! { <SignedIn>{page()}</SignedIn> }.into_any()
}

/// `/`: straight to the charge screen when signed in, otherwise to registration.
#[component]
fn Home() -> impl IntoView {
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
                Err(_) => navigate("/login"),
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
