//! Client-side routing, kept small for the transfer budget: the pages are `protocol::web::Route`
//! (the one route table), parsed from the address; same-origin link clicks and [`go`] push
//! history entries, and back/forward follow `popstate`. A page is rebuilt only when the route
//! itself changes.

use leptos::prelude::*;
pub use protocol::web::Route;
use protocol::web::{Bundle, BundlePage};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The current path, as a signal, and the bundle this page runs. Kept per thread (the page's
/// one), not in context: link clicks and finished requests navigate from outside any owner.
#[derive(Debug, Clone, Copy)]
struct CurrentPath(RwSignal<String>, Bundle);

thread_local! {
    static CURRENT: std::cell::Cell<Option<CurrentPath>> = const { std::cell::Cell::new(None) };
    /// Set once a link or request has started loading another bundle's page.
    static LEAVING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn current() -> Option<CurrentPath> {
    CURRENT.with(std::cell::Cell::get)
}

fn window_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

/// Starts routing for the bundle of `P`: reads the address, follows back/forward and takes
/// over same-origin link clicks. Returns the current route (`None`: no page of the app).
pub fn provide_router<P: BundlePage>() -> Memo<Option<Route>> {
    let bundle = P::BUNDLE;
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
        // Kept for the page's life on purpose: the router is mounted once per page load and
        // never unmounted, so these two listeners have nothing to be removed before.
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
    go_path(&href);
}

/// Goes to `route`, adding a history entry: within this bundle without reloading, into
/// another bundle by loading its page.
pub fn go(route: &Route) {
    go_path(&route.path());
}

/// Goes to sign-in, which comes back here afterwards. Several requests of a page may find the
/// session ended at once: the first one goes, the others find sign-in already on its way.
pub fn sign_in_and_return() {
    if Route::parse(&window_path()) == Some(Route::LOGIN) {
        return;
    }
    go_path(&Route::LOGIN.path_with("next", &here()));
}

/// Goes to a path of this site (a `next=` from the address, a link's `href`).
pub fn go_path(to: &str) {
    let Some(w) = web_sys::window() else {
        return;
    };
    // Another bundle's page is loading: what this page asks for now is moot (and a second
    // load would abort the first).
    if LEAVING.with(std::cell::Cell::get) {
        return;
    }
    let here = current();
    if here.is_none_or(|CurrentPath(_, bundle)| Bundle::for_path(to) != bundle) {
        LEAVING.with(|l| l.set(true));
        let _ = w.location().assign(to);
        // Had the load been refused (a "stay on this page?" answer), navigating works again.
        leptos::prelude::set_timeout(
            || LEAVING.with(|l| l.set(false)),
            std::time::Duration::from_secs(3),
        );
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

/// Whether the page shown now is one only signed-in staff see.
pub fn here_needs_sign_in() -> bool {
    Route::parse(&window_path()).is_some_and(|r| r.needs_sign_in())
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
    use protocol::web::Bundle;

    /// The build task builds what the route table lists; each bundle needs its binary.
    #[test]
    fn every_bundle_has_a_binary() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        for bundle in Bundle::ALL {
            let name = bundle.name();
            assert!(
                root.join(format!("src/bin/{name}.rs")).is_file(),
                "{bundle:?}"
            );
            assert!(
                manifest.contains(&format!("name = \"{}\"", bundle.binary())),
                "{bundle:?}"
            );
        }
    }
}
