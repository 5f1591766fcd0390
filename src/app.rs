//! The app shell: language and session context, the router, and the signed-in guard.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use protocol as api;

use crate::i18n::{Key, provide_i18n, tr};
use crate::pages::{
    charge::ChargePage, dashboard::DashboardPage, history::HistoryPage, join::JoinPage,
    kiosk::KioskPage, login::LoginPage, poster::PosterPage, receipt::ReceiptPage,
    register::RegisterPage, settings::SettingsPage, shift::ShiftPage, welcome::WelcomePage,
};

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
    view! {
        <Router>
            <main class="app">
                <Routes fallback=|| view! { <Home/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/charge") view=|| view! { <SignedIn><ChargePage/></SignedIn> }/>
                    <Route path=path!("/dashboard") view=|| view! { <SignedIn><DashboardPage/></SignedIn> }/>
                    <Route path=path!("/history") view=|| view! { <SignedIn><HistoryPage/></SignedIn> }/>
                    <Route path=path!("/settings") view=|| view! { <SignedIn><SettingsPage/></SignedIn> }/>
                    <Route path=path!("/poster/:terminal") view=|| view! { <SignedIn><PosterPage/></SignedIn> }/>
                    <Route path=path!("/join/:token") view=JoinPage/>
                    <Route path=path!("/kiosk") view=KioskPage/>
                    <Route path=path!("/receipt/:payment") view=|| view! { <SignedIn><ReceiptPage/></SignedIn> }/>
                    <Route path=path!("/welcome") view=|| view! { <SignedIn><WelcomePage/></SignedIn> }/>
                    <Route path=path!("/shift") view=|| view! { <SignedIn><ShiftPage/></SignedIn> }/>
                </Routes>
            </main>
        </Router>
    }
}

/// `/`: straight to the charge screen when signed in, otherwise to registration.
#[component]
fn Home() -> impl IntoView {
    let navigate = use_navigate();
    spawn_local(async move {
        let to = if crate::api::session().await.is_ok() {
            "/charge"
        } else {
            "/register"
        };
        navigate(to, Default::default());
    });
    view! { <p class="loading" data-testid="loading">{tr(Key::Loading)}</p> }
}

/// Renders its children once the session is loaded; sends signed-out visitors to sign in.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let Session(session) = use_session();
    let navigate = use_navigate();
    if session.get_untracked().is_none() {
        spawn_local(async move {
            match crate::api::session().await {
                Ok(s) => session.set(Some(s)),
                Err(_) => navigate("/login", Default::default()),
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
