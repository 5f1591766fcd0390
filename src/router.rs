//! Client-side routing, kept small for the transfer budget: the app's pages are one enum matched
//! from the path, same-origin link clicks and [`navigate`] push history entries, and back/forward
//! follow `popstate`. A page is rebuilt only when the route itself changes.

use leptos::prelude::*;
use protocol::web::Bundle;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A page of the app, with its path parameter where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/`: to the charge screen or to registration
    Home,
    /// `/register`
    Register,
    /// `/login`
    Login,
    /// `/charge`
    Charge,
    /// `/dashboard`
    Dashboard,
    /// `/history`
    History,
    /// `/settings`
    Settings,
    /// `/poster/{terminal}`
    Poster(String),
    /// `/join/{token}`
    Join(String),
    /// `/kiosk`
    Kiosk,
    /// `/receipt/{payment}`
    Receipt(String),
    /// `/welcome`
    Welcome,
    /// `/shift`
    Shift,
}

impl Route {
    /// The route of a path; anything unknown is [`Route::Home`].
    pub fn parse(path: &str) -> Self {
        let mut parts = path.trim_matches('/').split('/');
        let first = parts.next().unwrap_or_default();
        let param = parts.next().filter(|p| !p.is_empty()).map(decode);
        if parts.next().is_some() {
            return Self::Home;
        }
        match (first, param) {
            ("register", None) => Self::Register,
            ("login", None) => Self::Login,
            ("charge", None) => Self::Charge,
            ("dashboard", None) => Self::Dashboard,
            ("history", None) => Self::History,
            ("settings", None) => Self::Settings,
            ("kiosk", None) => Self::Kiosk,
            ("welcome", None) => Self::Welcome,
            ("shift", None) => Self::Shift,
            ("poster", Some(p)) => Self::Poster(p),
            ("join", Some(p)) => Self::Join(p),
            ("receipt", Some(p)) => Self::Receipt(p),
            _ => Self::Home,
        }
    }
}

fn decode(segment: &str) -> String {
    if !segment.contains('%') {
        return segment.to_owned();
    }
    js_sys::decode_uri_component(segment)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| segment.to_owned())
}

/// The current path, as a signal, and the bundle this page runs. Kept per thread (the page's
/// one), not in context: link clicks and finished requests navigate from outside any owner.
#[derive(Debug, Clone, Copy)]
struct CurrentPath(RwSignal<String>, Bundle);

thread_local! {
    static CURRENT: std::cell::Cell<Option<CurrentPath>> = const { std::cell::Cell::new(None) };
}

fn current() -> Option<CurrentPath> {
    CURRENT.with(std::cell::Cell::get)
}

fn window_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// Starts routing for `bundle`: reads the address, follows back/forward and takes over
/// same-origin link clicks. Returns the current route.
pub fn provide_router(bundle: Bundle) -> Memo<Route> {
    let path = RwSignal::new(window_path());
    CURRENT.with(|c| c.set(Some(CurrentPath(path, bundle))));
    if let Some(w) = web_sys::window() {
        let on_pop = Closure::<dyn Fn()>::new(move || {
            let to = window_path();
            if Bundle::for_path(&to) == bundle {
                path.set(to);
            } else if let Some(w) = web_sys::window() {
                // Back or forward into another bundle's page: load it.
                let _ = w.location().reload();
            }
        });
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        on_pop.forget();
        if let Some(doc) = w.document() {
            let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(follow_link);
            let _ =
                doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
            on_click.forget();
        }
    }
    Memo::new(move |_| path.with(|p| Route::parse(p)))
}

/// Handles a plain left click on a same-origin `<a href="/…">` without a target in the app.
fn follow_link(ev: web_sys::MouseEvent) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(anchor) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href]").ok().flatten())
    else {
        return;
    };
    let Some(href) = anchor.get_attribute("href") else {
        return;
    };
    let external = anchor.has_attribute("download")
        || anchor
            .get_attribute("target")
            .is_some_and(|t| !t.is_empty())
        || anchor
            .get_attribute("rel")
            .is_some_and(|r| r.contains("external"));
    // Only the app's own pages: not other sites, the API (CSV exports) or static files.
    let app_page = href.starts_with('/')
        && !href.starts_with("//")
        && !href.starts_with("/api/")
        && !href.starts_with("/public/");
    if external || !app_page {
        return;
    }
    ev.prevent_default();
    navigate(&href);
}

/// Goes to `to` (a path starting with `/`), adding a history entry: within this bundle without
/// reloading, into another bundle by loading its page.
pub fn navigate(to: &str) {
    let Some(w) = web_sys::window() else {
        return;
    };
    let here = current();
    if here.is_none_or(|CurrentPath(_, bundle)| Bundle::for_path(to) != bundle) {
        let _ = w.location().assign(to);
        return;
    }
    let pushed = w
        .history()
        .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to)));
    if pushed.is_err() {
        let _ = w.location().set_href(to);
        return;
    }
    if let Some(CurrentPath(path, _)) = here {
        path.set(window_path());
    }
    w.scroll_to_with_x_and_y(0.0, 0.0);
}

/// The current path, tracked.
pub fn use_path() -> Signal<String> {
    match current() {
        Some(CurrentPath(p, _)) => p.into(),
        None => Signal::derive(window_path),
    }
}

/// The path and query of the address now.
pub fn here() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?))
        })
        .unwrap_or_else(|| "/".to_owned())
}

/// A query parameter of the address the page was opened with.
pub fn query_param(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::Route;
    use protocol::web::Bundle;

    #[test]
    fn every_bundle_has_a_binary_and_a_build_step() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let build = std::fs::read_to_string(root.join("scripts/build-web.sh")).unwrap_or_default();
        let index = std::fs::read_to_string(root.join("index.html")).unwrap_or_default();
        assert!(index.contains("data-bin=\"tonle-counter\""));
        for bundle in Bundle::ALL {
            let name = bundle.name();
            assert!(
                root.join(format!("src/bin/{name}.rs")).is_file(),
                "{bundle:?}"
            );
            if bundle == Bundle::Counter {
                assert_eq!(bundle.html(), "index.html");
            } else {
                assert_eq!(bundle.html(), format!("{name}.html"));
                let listed = build
                    .lines()
                    .any(|l| l.starts_with("BUNDLES=") && l.split(['"', ' ']).any(|w| w == name));
                assert!(listed, "build-web.sh builds {bundle:?}");
            }
        }
    }

    #[test]
    fn paths_map_to_routes() {
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse("/charge"), Route::Charge);
        assert_eq!(Route::parse("/charge/"), Route::Charge);
        assert_eq!(Route::parse("/settings"), Route::Settings);
        assert_eq!(Route::parse("/nowhere"), Route::Home);
        assert_eq!(Route::parse("/charge/extra"), Route::Home);
        assert_eq!(Route::parse("/poster"), Route::Home);
        assert_eq!(Route::parse("/shift/x/y"), Route::Home);
        assert_eq!(
            Route::parse("/receipt/pay_1"),
            Route::Receipt("pay_1".into())
        );
        assert_eq!(Route::parse("/join/tok/"), Route::Join("tok".into()));
        assert_eq!(Route::parse("/login/x"), Route::Home);
    }
}
