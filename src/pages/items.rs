//! `/items` (Settings → Items): the shop's items in grid order, grouped by category, with
//! their names in every language and their prices; owners and managers add, edit, reorder,
//! mark sold out, delete, and import or export them as CSV. The shop's dollar rate and the
//! yuan reference rates are set here too, beside the prices they act on.

use khqr::Currency;
use leptos::prelude::*;
use protocol as api;

use crate::api::{self as client, ClientError};
use crate::app::use_session;
use crate::components::top_bar::TopBar;
use crate::i18n::{Key, tr};
use crate::load::Load;
use crate::router::Route;

mod csv;
mod draft;
mod form;
mod list;
mod rates;

/// What the item form is open for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Editing {
    /// closed
    Nothing,
    /// a new item
    New,
    /// the item with this id
    Item(String),
}

/// The screen's shared state, handed to each card.
#[derive(Clone, Copy)]
struct Catalog {
    items: Load<Result<Vec<api::ItemView>, ClientError>>,
    editing: RwSignal<Editing>,
    /// the last list action that failed (a move, a sold-out toggle, a delete)
    error: RwSignal<Option<ClientError>>,
    /// the currencies this shop prices in
    offered: &'static [Currency],
    /// owners and managers change items; the others only read them
    editor: bool,
}

impl Catalog {
    /// The items as last loaded (empty until they are), not tracked.
    fn loaded(self) -> Vec<api::ItemView> {
        untrack(|| self.items.get())
            .and_then(Result::ok)
            .unwrap_or_default()
    }

    /// After a change: the list again, or what went wrong.
    fn after(self, done: Result<(), ClientError>) {
        match done {
            Ok(()) => self.error.set(None),
            Err(e) => self.error.set(Some(e)),
        }
        self.items.refetch();
    }
}

/// The items screen.
#[component]
pub fn ItemsPage() -> impl IntoView {
    let (role, country) = use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| (s.role, s.merchant.profile.country)))
        .unwrap_or_default();
    let catalog = Catalog {
        items: Load::new(client::items),
        editing: RwSignal::new(Editing::Nothing),
        error: RwSignal::new(None),
        offered: draft::currencies(country),
        editor: role.manages(),
    };
    let owner = role == api::SessionRole::Owner;
    // The dollar rate and the yuan estimate are a Cambodian shop's: riel, dollars and tourists.
    let in_cambodia = country == api::Country::KH;
    crate::components::mark_ready("tonle:items-ready");
    view! {
        <TopBar/>
        <div class="settings-page items-page" data-testid="items-page">
            <list::ItemsCard catalog=catalog/>
            {catalog.editor.then(|| view! { <csv::CsvCard catalog=catalog/> })}
            {(catalog.editor && in_cambodia).then(|| view! { <rates::ShopRateCard/> })}
            {in_cambodia.then(|| view! { <rates::FxCard owner=owner/> })}
        </div>
    }
}

/// Settings' way to the items screen.
#[component]
pub fn ItemsLink() -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="items-link-title" data-testid="items-card">
            <h2 id="items-link-title">{tr(Key::ItemsTitle)}</h2>
            <p class="muted">{tr(Key::ItemsHint)}</p>
            <a class="button-link" href=Route::ITEMS.path() data-testid="items-link">{tr(Key::ItemsTitle)}" →"</a>
        </section>
    }
}
