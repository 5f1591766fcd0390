//! `/login`: sign in with email and password.

use crate::router::{Route, go_path};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{ClientError, error_key};
use crate::app::use_session;
use crate::components::field::Field;
use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, t, tr, use_i18n};

/// The sign-in form.
#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let session = use_session().0;
    let lang = use_i18n().lang;

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = api::Login {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match crate::api::login(&body).await {
                Ok(s) => {
                    session.set(Some(s));
                    // Only a path on this site: never an address elsewhere.
                    let next = crate::router::query_param("next").filter(|n| {
                        n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')
                    });
                    match next {
                        Some(next) => go_path(&next),
                        None => go_path(&Route::CHARGE.path()),
                    }
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let none = Signal::derive(|| None);
    view! {
        <div class="auth-page">
            <LangSwitch/>
            <form class="card" on:submit=submit data-testid="login-form" novalidate>
                <h1>{tr(Key::SignInTitle)}</h1>
                <Field label=Key::Email value=email testid="login-email" kind="email" autocomplete="email" error=none/>
                <Field label=Key::Password value=password testid="login-password" kind="password" autocomplete="current-password" error=none/>
                <p class="form-error" role="alert" data-testid="login-error">
                    {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
                </p>
                <button type="submit" class="primary" data-testid="login-submit" disabled=move || busy.get()>{tr(Key::SignIn)}</button>
                <a href=move || Route::FORGOT.path_with("email", &email.get()) data-testid="to-forgot">{tr(Key::ForgotPassword)}</a>
                <a href=Route::REGISTER.path() data-testid="to-register">{tr(Key::NoAccount)}</a>
            </form>
        </div>
    }
}
