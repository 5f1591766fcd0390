//! The item form, for a new item or one of the list: names, category (one of those in use or a
//! new one), the prices this shop sells in, on sale or not. What is wrong is said under the
//! field, whether the form or the server found it.

use khqr::Currency;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use super::draft::{self, ItemDraft, ItemField};
use super::{Catalog, Editing};
use crate::api::{self as client, ClientError, error_key};
use crate::components::field::{Bound, Field};
use crate::i18n::{Key, t, tr, use_i18n};

type Problems = RwSignal<Vec<(ItemField, Key)>>;

/// The message under `field`, if any.
fn problem(problems: Problems, field: ItemField) -> Signal<Option<Key>> {
    Signal::derive(move || problems.with(|p| p.iter().find(|(f, _)| *f == field).map(|(_, k)| *k)))
}

/// Adds (`item: None`) or edits an item.
#[component]
pub(super) fn ItemForm(catalog: Catalog, item: Option<api::ItemView>) -> impl IntoView {
    let lang = use_i18n().lang;
    let draft = RwSignal::new(item.as_ref().map_or_else(ItemDraft::new, ItemDraft::of));
    let problems: Problems = RwSignal::new(Vec::new());
    let failed = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let offered = catalog.offered;
    let was = StoredValue::new(item);
    let done = move || {
        catalog.editing.set(Editing::Nothing);
        catalog.items.refetch();
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let d = draft.get_untracked();
        let found = d.problems(offered);
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        let was = was.get_value();
        busy.set(true);
        spawn_local(async move {
            let sent = match &was {
                None => client::create_item(&d.new_item()).await.map(drop),
                Some(was) => match d.patch(was) {
                    Some(p) => client::update_item(&was.id, &p).await.map(drop),
                    None => Ok(()),
                },
            };
            busy.set(false);
            match sent {
                Ok(()) => done(),
                Err(ClientError::Api(e)) if draft::server_problem(&e, offered).is_some() => {
                    problems.set(draft::server_problem(&e, offered).into_iter().collect());
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let editing = was.with_value(Option::is_some);
    view! {
        <form class="items-form" on:submit=submit data-testid="item-form" novalidate>
            <h3>{tr(if editing { Key::ItemEditTitle } else { Key::ItemAdd })}</h3>
            <div class="items-form-grid">
                <Field label=Key::ItemName value=Bound::field(draft, |d| &mut d.name) testid="item-name" error=problem(problems, ItemField::Name)/>
                <Field label=Key::ItemNameKm value=Bound::field(draft, |d| &mut d.name_km) testid="item-name-km" error=problem(problems, ItemField::NameKm)/>
                <Field label=Key::ItemNameZh value=Bound::field(draft, |d| &mut d.name_zh) testid="item-name-zh" error=problem(problems, ItemField::NameZh)/>
                <CategoryField catalog=catalog draft=draft error=problem(problems, ItemField::Category)/>
                {offered.iter().map(|&c| view! { <PriceField currency=c draft=draft problems=problems/> }).collect_view()}
            </div>
            <label class="items-check">
                <input type="checkbox" data-testid="item-available" prop:checked=move || draft.with(|d| d.available)
                    on:change=move |ev| draft.update(|d| d.available = event_target_checked(&ev))/>
                {tr(Key::ItemAvailable)}
            </label>
            <p class="form-error" role="alert" data-testid="item-error">
                {move || failed.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            <div class="items-form-buttons">
                <button type="submit" class="primary" data-testid="item-save" disabled=move || busy.get()>{tr(Key::Save)}</button>
                <button type="button" class="secondary" data-testid="item-cancel"
                    on:click=move |_| catalog.editing.set(Editing::Nothing)>{tr(Key::Cancel)}</button>
            </div>
        </form>
    }
}

/// The category: free text, with the categories in use suggested.
#[component]
fn CategoryField(
    catalog: Catalog,
    draft: RwSignal<ItemDraft>,
    error: Signal<Option<Key>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let suggestions = move || {
        draft::categories(&catalog.loaded())
            .into_iter()
            .map(|c| view! { <option value=c></option> })
            .collect_view()
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for="f-item-category">{tr(Key::ItemCategory)}</label>
            <input id="f-item-category" list="items-categories" autocomplete="off" data-testid="item-category"
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby="f-item-category-err"
                prop:value=move || draft.with(|d| d.category.clone())
                on:input=move |ev| draft.update(|d| d.category = event_target_value(&ev))/>
            <datalist id="items-categories">{suggestions}</datalist>
            <p class="field-error" id="f-item-category-err" role="alert" data-testid="item-category-error">
                {move || error.get().map(|k| t(lang.get(), k))}
            </p>
        </div>
    }
}

/// The price in one currency.
#[component]
fn PriceField(currency: Currency, draft: RwSignal<ItemDraft>, problems: Problems) -> impl IntoView {
    let (label, testid, text): (Key, &'static str, fn(&mut ItemDraft) -> &mut String) =
        match currency {
            Currency::Khr => (Key::ItemPriceKhr, "item-price-khr", |d| &mut d.price_khr),
            Currency::Usd => (Key::ItemPriceUsd, "item-price-usd", |d| &mut d.price_usd),
            Currency::Cny => (Key::ItemPriceCny, "item-price-cny", |d| &mut d.price_cny),
        };
    view! {
        <Field label=label value=Bound::field(draft, text) testid=testid kind="text"
            error=problem(problems, ItemField::Price(currency))/>
    }
}
