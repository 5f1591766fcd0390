//! The items, grouped by category in grid order: each row shows the name in the app's language
//! with the others beside it and the prices; editors get sold out, up, down, edit and delete.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use super::draft::{self, Group};
use super::form::ItemForm;
use super::{Catalog, Editing};
use crate::api::{self as client, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};

/// The card: title, Add, the open form for a new item, and the groups.
#[component]
pub(super) fn ItemsCard(catalog: Catalog) -> impl IntoView {
    let lang = use_i18n().lang;
    let adding = move || catalog.editing.get() == Editing::New;
    view! {
        <section class="card items-card" aria-labelledby="items-title">
            <div class="items-head">
                <h1 id="items-title" class="page-title">{tr(Key::ItemsTitle)}</h1>
                {catalog.editor.then(|| view! {
                    <button type="button" class="primary" data-testid="items-add" disabled=adding
                        on:click=move |_| catalog.editing.set(Editing::New)>{tr(Key::ItemAdd)}</button>
                })}
            </div>
            <p class="muted">{move || t(lang.get(), if catalog.editor { Key::ItemsHint } else { Key::ItemsReadOnly })}</p>
            <Show when=adding fallback=|| ()>
                <ItemForm catalog=catalog item=None/>
            </Show>
            <p class="form-error" role="alert" data-testid="items-error">
                {move || catalog.error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            {catalog.items.show(move |items| {
                let groups = draft::groups(&items)
                    .into_iter()
                    .map(|group| view! { <GroupList catalog=catalog group=group/> })
                    .collect_view();
                view! {
                    <div class="items-groups" data-testid="items-groups">
                        {items.is_empty().then(|| view! { <p class="muted" data-testid="items-empty">{tr(Key::ItemsEmpty)}</p> })}
                        {groups}
                    </div>
                }
            })}
        </section>
    }
}

/// One category's heading and rows.
#[component]
fn GroupList(catalog: Catalog, group: Group) -> impl IntoView {
    let testid = format!("items-group-{}", group.category.clone().unwrap_or_default());
    let heading = group.category.clone();
    let lang = use_i18n().lang;
    view! {
        <h2 class="items-group" data-testid=testid>
            {move || heading.clone().unwrap_or_else(|| t(lang.get(), Key::ItemNoCategory).to_owned())}
        </h2>
        <ul class="items-list">
            {group.items.into_iter().map(|item| {
                let id = item.id.clone();
                let open = move || catalog.editing.with(|e| *e == Editing::Item(id.clone()));
                let row = item.clone();
                view! {
                    <Show when=open fallback=move || view! { <ItemRow catalog=catalog item=row.clone()/> }>
                        <li class="items-row editing"><ItemForm catalog=catalog item=Some(item.clone())/></li>
                    </Show>
                }
            }).collect_view()}
        </ul>
    }
}

/// One item.
#[component]
fn ItemRow(catalog: Catalog, item: api::ItemView) -> impl IntoView {
    let lang = use_i18n().lang;
    let id = item.id.clone();
    let shown = item.clone();
    let name = move || shown.name_in(lang.get().tag()).to_owned();
    let others = item.clone();
    let others = move || draft::other_names(&others, lang.get().tag()).join(" · ");
    let prices: Vec<String> = khqr::Currency::ALL
        .into_iter()
        .filter_map(|c| item.prices.get(c).map(|p| format::amount(p, c)))
        .collect();
    let (available, sold_out) = (item.available, !item.available);
    view! {
        <li class="items-row" class:sold-out=sold_out data-testid=format!("item-row-{id}") data-available=available.to_string()>
            <div class="items-names">
                <span class="items-name" data-testid=format!("item-name-{id}")>{name}</span>
                <span class="items-other muted">{others}</span>
            </div>
            <span class="items-prices" data-testid=format!("item-prices-{id}")>{prices.join(" · ")}</span>
            {if catalog.editor {
                view! { <RowActions catalog=catalog item=item/> }.into_any()
            } else {
                sold_out.then(|| view! { <span class="badge items-badge">{tr(Key::ItemSoldOut)}</span> }).into_any()
            }}
        </li>
    }
}

/// Sold out, up, down, edit and delete.
#[component]
fn RowActions(catalog: Catalog, item: api::ItemView) -> impl IntoView {
    let lang = use_i18n().lang;
    let id = item.id.clone();
    let available = item.available;
    let patch = move |id: String, body: api::ItemPatch| {
        spawn_local(async move {
            catalog.after(client::update_item(&id, &body).await.map(drop));
        });
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            let body = api::ItemPatch {
                available: Some(!available),
                ..Default::default()
            };
            patch(id.clone(), body);
        }
    };
    let shift = move |id: String, up: bool| {
        let changes = draft::moves(&catalog.loaded(), &id, up);
        spawn_local(async move {
            let mut done = Ok(());
            for (id, position) in changes {
                let body = api::ItemPatch {
                    position: Some(position),
                    ..Default::default()
                };
                done = client::update_item(&id, &body).await.map(drop);
                if done.is_err() {
                    break;
                }
            }
            catalog.after(done);
        });
    };
    let first = draft::moves(&catalog.loaded(), &id, true).is_empty();
    let last = draft::moves(&catalog.loaded(), &id, false).is_empty();
    let (up_id, down_id, edit_id, delete_id) = (id.clone(), id.clone(), id.clone(), id.clone());
    let delete = Callback::new(move |()| {
        let id = delete_id.clone();
        spawn_local(async move { catalog.after(client::delete_item(&id).await) });
    });
    view! {
        <div class="items-actions">
            <button type="button" class="items-soldout" data-testid=format!("item-soldout-{id}")
                aria-pressed=if available { "false" } else { "true" } on:click=toggle>{tr(Key::ItemSoldOut)}</button>
            <button type="button" class="items-move" data-testid=format!("item-up-{id}") disabled=first
                aria-label=move || t(lang.get(), Key::ItemMoveUp) title=move || t(lang.get(), Key::ItemMoveUp)
                on:click=move |_| shift(up_id.clone(), true)>"↑"</button>
            <button type="button" class="items-move" data-testid=format!("item-down-{id}") disabled=last
                aria-label=move || t(lang.get(), Key::ItemMoveDown) title=move || t(lang.get(), Key::ItemMoveDown)
                on:click=move |_| shift(down_id.clone(), false)>"↓"</button>
            <button type="button" data-testid=format!("item-edit-{id}")
                on:click=move |_| catalog.editing.set(Editing::Item(edit_id.clone()))>{tr(Key::ItemEdit)}</button>
            <ConfirmButton label=Key::Delete testid=format!("item-delete-{id}") class="items-delete" on_confirm=delete/>
        </div>
    }
}
