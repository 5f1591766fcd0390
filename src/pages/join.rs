//! `/join/{token}`: an invited staff member sets a password and is signed in to their team.

use crate::router::{Route, go};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::web::InvitationToken;

use crate::api::{ClientError, error_key};
use crate::app::use_session;
use crate::components::field::Field;
use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, t, tr, use_i18n};

/// The join form.
#[component]
pub fn JoinPage(
    /// the invitation token from the link
    token: InvitationToken,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let session = use_session().0;
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    // Which shop invites, and which email the new account gets.
    let who = {
        let token = token.clone();
        crate::load::Load::new(move || {
            let token = token.clone();
            async move { crate::api::invitation(token.as_str()).await }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = token.clone();
        let pw = password.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match crate::api::accept_invitation(token.as_str(), &pw).await {
                Ok(s) => {
                    session.set(Some(s));
                    go(&Route::CHARGE);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let pw_err = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some("password"))
                .map(error_key)
        })
    });
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() != Some("password"))
                .map(error_key)
        })
    };
    view! {
        <div class="auth-page">
            <LangSwitch/>
            <form class="card" on:submit=submit data-testid="join-form" novalidate>
                <h1>{tr(Key::JoinTitle)}</h1>
                {who.show(|w| view! {
                    <p class="join-who" data-testid="join-who"><strong>{w.business_name}</strong>" · "{w.email}</p>
                })}
                <Field label=Key::Password value=password testid="join-password" kind="password" autocomplete="new-password" error=pw_err/>
                <p class="form-error" role="alert" data-testid="join-error">{move || general().map(|k| t(lang.get(), k))}</p>
                <button type="submit" class="primary" data-testid="join-submit" disabled=move || busy.get()>{tr(Key::Join)}</button>
            </form>
        </div>
    }
}
