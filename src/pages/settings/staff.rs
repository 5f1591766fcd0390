//! Settings → staff: the team and invitations (a cashier is invited to one counter).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::components::field::Field;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;

fn role_key(r: api::StaffRole) -> Key {
    match r {
        api::StaffRole::Owner => Key::RoleOwner,
        api::StaffRole::Manager => Key::RoleManager,
        api::StaffRole::Cashier => Key::RoleCashier,
    }
}

/// Staff and invitations.
#[component]
pub fn StaffSection(
    /// the merchant's stores and counters, for a cashier's counter
    data: super::counters::Counters,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let staff = Load::new(client::staff);
    let counters = move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, terms)| terms)
            .unwrap_or_default()
    };
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(api::StaffRole::Cashier);
    let counter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let link = RwSignal::new(None::<String>);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = counters().first().map(|c| c.id.clone());
        let body = api::InviteStaff {
            email: email.get_untracked(),
            role: role.get_untracked(),
            terminal_id: (role.get_untracked() == api::StaffRole::Cashier)
                .then(|| {
                    Some(counter.get_untracked())
                        .filter(|c| !c.is_empty())
                        .or(first)
                })
                .flatten(),
        };
        spawn_local(async move {
            match client::invite(&body).await {
                Ok(inv) => {
                    let origin = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    link.set(Some(format!("{origin}{}", inv.accept_path)));
                    email.set(String::new());
                    error.set(None);
                    staff.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let roles = [api::StaffRole::Manager, api::StaffRole::Cashier];
    view! {
        <section class="card" aria-labelledby="staff-title" data-testid="staff-section">
            <h2 id="staff-title">{tr(Key::StaffTitle)}</h2>
            <ul class="staff-list">
                {move || staff.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|m| view! {
                    <li data-testid="staff-row"><span>{m.email.clone()}</span><span class="muted">{move || t(lang.get(), role_key(m.role))}</span></li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=invite data-testid="invite-form">
                <Field label=Key::Email value=email testid="invite-email" kind="email"
                    error=Signal::derive(move || error.with(|e| e.as_ref().map(error_key)))/>
                <label>{tr(Key::Role)}
                    <select data-testid="invite-role" on:change=move |ev| {
                        role.set(if event_target_value(&ev) == "manager" { api::StaffRole::Manager } else { api::StaffRole::Cashier })
                    }>
                        {roles.into_iter().map(|r| view! {
                            <option value=if r == api::StaffRole::Manager { "manager" } else { "cashier" } selected=move || role.get() == r>
                                {move || t(lang.get(), role_key(r))}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || role.get() == api::StaffRole::Cashier fallback=|| ()>
                    <label>{tr(Key::Counter)}
                        <select data-testid="invite-counter" on:change=move |ev| counter.set(event_target_value(&ev))>
                            {move || counters().into_iter().map(|c| view! {
                                <option value=c.id.clone()>{c.label.clone()}" · "{c.store_name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <button type="submit" data-testid="invite-send">{tr(Key::Invite)}</button>
            </form>
            <Show when=move || link.with(Option::is_some) fallback=|| ()>
                <label class="invite-link">{tr(Key::InviteLink)}
                    <input readonly data-testid="invite-link" prop:value=move || link.get().unwrap_or_default()/>
                </label>
            </Show>
        </section>
    }
}
