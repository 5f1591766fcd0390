//! Settings → staff: the team (each member's role and counter can change, and a member can be
//! removed), the invitations still open (each can be revoked), and inviting someone (a cashier is
//! invited to one counter). The owner manages managers and cashiers; a manager, cashiers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{self as client, ClientError, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::components::field::Field;
use crate::format;
use crate::i18n::{Key, t, tr, use_i18n};
use crate::load::Load;

fn role_key(r: api::StaffRole) -> Key {
    match r {
        api::StaffRole::Owner => Key::RoleOwner,
        api::StaffRole::Manager => Key::RoleManager,
        api::StaffRole::Cashier => Key::RoleCashier,
    }
}

fn role_value(r: api::StaffRole) -> &'static str {
    r.as_str()
}

/// The roles `me` may give, and so the members `me` may change or remove.
fn manageable(me: api::SessionRole) -> &'static [api::StaffRole] {
    match me {
        api::SessionRole::Owner => &[api::StaffRole::Manager, api::StaffRole::Cashier],
        api::SessionRole::Manager => &[api::StaffRole::Cashier],
        _ => &[],
    }
}

/// The staff card's state.
#[derive(Clone, Copy)]
struct Team {
    staff: Load<Result<Vec<api::StaffMember>, ClientError>>,
    invitations: Load<Result<Vec<api::PendingInvitation>, ClientError>>,
    error: RwSignal<Option<ClientError>>,
}

impl Team {
    fn after(self, done: Result<(), ClientError>) {
        match done {
            Ok(()) => {
                self.error.set(None);
                self.staff.refetch();
                self.invitations.refetch();
            }
            Err(e) => self.error.set(Some(e)),
        }
    }

    fn update(self, id: String, role: api::StaffRole, terminal_id: Option<String>) {
        spawn_local(async move {
            let body = api::UpdateStaff { role, terminal_id };
            self.after(client::update_staff(&id, &body).await.map(|_| ()));
        });
    }

    fn remove(self, id: String) {
        spawn_local(async move { self.after(client::remove_staff(&id).await) });
    }

    fn revoke(self, id: String) {
        spawn_local(async move { self.after(client::revoke_invitation(&id).await) });
    }
}

/// Staff and invitations.
#[component]
pub fn StaffSection(
    /// the merchant's stores and counters, for a cashier's counter
    data: super::counters::Counters,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let me = crate::app::use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.role))
        .unwrap_or_default();
    let team = Team {
        staff: Load::new(client::staff),
        invitations: Load::new(client::invitations),
        error: RwSignal::new(None),
    };
    let counters = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, terms)| terms)
            .unwrap_or_default()
    });
    let members = move || {
        team.staff
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                view! { <MemberRow member=m me=me team=team counters=counters/> }
            })
            .collect_view()
    };
    let open = move || {
        team.invitations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|i| {
            let id = i.id.clone();
            let until = i.expires_at_ms;
            let revocable = manageable(me).contains(&i.role);
            view! {
                <li data-testid="invitation-row" data-invitation-id=i.id.clone()>
                    <span>{i.email.clone()}</span>
                    <span class="muted">{move || t(lang.get(), role_key(i.role))}" · "{tr(Key::ValidUntil)}" "{move || format::date_time(lang.get(), until, api::Country::KH)}</span>
                    {revocable.then(|| view! { <ConfirmButton label=Key::Revoke testid="invitation-revoke" on_confirm=Callback::new(move |()| team.revoke(id.clone()))/> })}
                </li>
            }
        }).collect_view()
    };
    let has_open = move || {
        team.invitations
            .get()
            .and_then(Result::ok)
            .is_some_and(|v| !v.is_empty())
    };
    view! {
        <section class="card" aria-labelledby="staff-title" data-testid="staff-section">
            <h2 id="staff-title">{tr(Key::StaffTitle)}</h2>
            <ul class="staff-list" data-testid="staff-list">{members}</ul>
            <p class="form-error" role="alert" data-testid="staff-error">
                {move || team.error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            <Show when=has_open fallback=|| ()>
                <h3>{tr(Key::OpenInvitations)}</h3>
                <ul class="staff-list" data-testid="invitation-list">{open}</ul>
            </Show>
            <InviteForm me=me team=team counters=counters/>
        </section>
    }
}

/// One member: their email, whether they proved it, and (where the caller may) their role,
/// counter and removal.
#[component]
fn MemberRow(
    member: api::StaffMember,
    me: api::SessionRole,
    team: Team,
    counters: Signal<Vec<api::TerminalView>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let can = manageable(me);
    let editable = can.contains(&member.role);
    let unverified = !member.email_verified && member.role != api::StaffRole::Owner;
    let role = member.role;
    let id = member.id.clone();
    let terminal = member.terminal_id.clone();
    let fixed = move || view! { <span class="muted" data-testid="staff-role">{move || t(lang.get(), role_key(role))}</span> };
    let controls = move || {
        let (id_role, id_counter, id_remove) = (id.clone(), id.clone(), id.clone());
        let current = terminal.clone();
        let first = move || counters.get_untracked().first().map(|c| c.id.clone());
        view! {
            <select data-testid="staff-role-select" aria-label=move || t(lang.get(), Key::Role) on:change=move |ev| {
                let to = api::StaffRole::parse(&event_target_value(&ev)).unwrap_or(api::StaffRole::Cashier);
                let counter = (to == api::StaffRole::Cashier).then(first).flatten();
                team.update(id_role.clone(), to, counter);
            }>
                {can.iter().map(|r| {
                    let r = *r;
                    view! { <option value=role_value(r) selected=role == r>{move || t(lang.get(), role_key(r))}</option> }
                }).collect_view()}
            </select>
            {(role == api::StaffRole::Cashier).then(|| view! {
                <select data-testid="staff-counter-select" aria-label=move || t(lang.get(), Key::Counter) on:change=move |ev| {
                    let to = Some(event_target_value(&ev)).filter(|v| !v.is_empty());
                    team.update(id_counter.clone(), api::StaffRole::Cashier, to);
                }>
                    <option value="" selected=current.is_none()>"—"</option>
                    {move || counters.get().into_iter().map(|c| {
                        let selected = current.as_deref() == Some(c.id.as_str());
                        view! { <option value=c.id.clone() selected=selected>{c.label.clone()}" · "{c.store_name.clone()}</option> }
                    }).collect_view()}
                </select>
            })}
            <ConfirmButton label=Key::RemoveStaff testid="staff-remove" on_confirm=Callback::new(move |()| team.remove(id_remove.clone()))/>
        }
    };
    view! {
        <li data-testid="staff-row" data-staff-id=member.id.clone()>
            <span class="staff-email">{member.email.clone()}
                {unverified.then(|| view! { <span class="badge muted" data-testid="staff-unverified">{tr(Key::Unverified)}</span> })}
            </span>
            <Show when=move || editable fallback=fixed>{controls.clone()}</Show>
        </li>
    }
}

/// Inviting someone: by email where the server sends it, else a one-time link to hand over.
#[component]
fn InviteForm(
    me: api::SessionRole,
    team: Team,
    counters: Signal<Vec<api::TerminalView>>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(api::StaffRole::Cashier);
    let counter = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let sent = RwSignal::new(None::<api::Invitation>);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let first = counters.get_untracked().first().map(|c| c.id.clone());
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
                    sent.set(Some(inv));
                    email.set(String::new());
                    error.set(None);
                    team.invitations.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let link = move || {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        sent.get()
            .and_then(|i| i.accept_path)
            .map(|p| format!("{origin}{p}"))
    };
    let emailed = move || {
        sent.with(|i| {
            i.as_ref()
                .is_some_and(|i| i.delivery == api::InvitationDelivery::Email)
        })
    };
    view! {
        <form class="inline-form" on:submit=invite data-testid="invite-form">
            <Field label=Key::Email value=email testid="invite-email" kind="email"
                error=Signal::derive(move || error.with(|e| e.as_ref().map(error_key)))/>
            <label>{tr(Key::Role)}
                <select data-testid="invite-role" on:change=move |ev| {
                    role.set(api::StaffRole::parse(&event_target_value(&ev)).unwrap_or(api::StaffRole::Cashier))
                }>
                    {manageable(me).iter().map(|r| {
                        let r = *r;
                        view! {
                            <option value=role_value(r) selected=move || role.get() == r>
                                {move || t(lang.get(), role_key(r))}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || role.get() == api::StaffRole::Cashier fallback=|| ()>
                <label>{tr(Key::Counter)}
                    <select data-testid="invite-counter" on:change=move |ev| counter.set(event_target_value(&ev))>
                        {move || counters.get().into_iter().map(|c| view! {
                            <option value=c.id.clone()>{c.label.clone()}" · "{c.store_name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <button type="submit" data-testid="invite-send">{tr(Key::Invite)}</button>
        </form>
        <Show when=move || link().is_some() fallback=|| ()>
            <label class="invite-link">{tr(Key::InviteLink)}
                <input readonly data-testid="invite-link" prop:value=move || link().unwrap_or_default()/>
            </label>
        </Show>
        <Show when=emailed fallback=|| ()>
            <p class="muted" role="status" data-testid="invite-emailed">{tr(Key::InviteEmailed)}</p>
        </Show>
    }
}
