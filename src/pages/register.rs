//! `/register`: a merchant signs up and lands on the charge screen.

use crate::router::{Route, go};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use crate::api::{ClientError, error_key};
use crate::app::use_session;
use crate::components::field::Field;
use crate::components::qr_code::QrImage;
use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, tr};
use crate::profile::{codec_field, static_qr};

/// Which field an error belongs to, for placing it.
fn on_field(err: &Option<ClientError>, name: &str) -> Option<Key> {
    err.as_ref()
        .filter(|e| e.field() == Some(name))
        .map(error_key)
}

/// The sign-up form.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let business = RwSignal::new(String::new());
    let city = RwSignal::new("Phnom Penh".to_owned());
    let bakong = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let session = use_session().0;
    // A server error under a field goes once that field is changed.
    for (field, value) in [
        ("email", email),
        ("password", password),
        ("business_name", business),
        ("merchant_city", city),
        ("bakong_account_id", bakong),
    ] {
        Effect::new(move |first: Option<()>| {
            value.track();
            if first.is_some()
                && error.with_untracked(|e| e.as_ref().and_then(ClientError::field) == Some(field))
            {
                error.set(None);
            }
        });
    }

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let body = api::RegisterMerchant {
            email: email.get_untracked(),
            password: password.get_untracked(),
            business_name: business.get_untracked(),
            merchant_city: city.get_untracked(),
            bakong_account_id: Some(bakong.get_untracked()),
            country: api::Country::KH,
        };
        spawn_local(async move {
            match crate::api::register(&body).await {
                Ok(s) => {
                    session.set(Some(s));
                    go(&Route::WELCOME);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let live = Memo::new(move |_| {
        static_qr(&api::MerchantProfile {
            business_name: business.get(),
            merchant_city: city.get(),
            country: api::Country::KH,
            merchant_category_code: "5999".into(),
            bakong_account_id: Some(bakong.get()),
            merchant_id: None,
            acquiring_bank: None,
            upi: None,
            alternate: None,
            default_currency: khqr::Currency::Khr,
            qr_lifetime_secs: 300,
            max_charge: Vec::new(),
            usd_khr_rate: None,
        })
    });
    // A field is judged live once the merchant has typed in it; the server's word wins after submit.
    let typed = move |name: &str| match name {
        "business_name" => !business.with(String::is_empty),
        "merchant_city" => !city.with(String::is_empty),
        "bakong_account_id" => !bakong.with(String::is_empty),
        _ => false,
    };
    let err_for = move |name: &'static str| {
        Signal::derive(move || {
            // The password's length is said as it is typed, not only on submit.
            let short_password =
                name == "password" && password.with(|p| !p.is_empty() && p.chars().count() < 10);
            if short_password {
                return Some(Key::ErrPassword);
            }
            error.with(|e| on_field(e, name)).or_else(|| {
                live.with(|r| r.as_ref().err().map(codec_field))
                    .filter(|(f, _)| *f == name && typed(name))
                    .map(|(_, k)| k)
            })
        })
    };
    let preview_payload =
        Signal::derive(move || live.with(|r| r.as_ref().ok().cloned().unwrap_or_default()));
    let general = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(error_key));

    view! {
        <div class="auth-page">
            <LangSwitch/>
            <form class="card" on:submit=submit data-testid="register-form" novalidate>
                <h1>{tr(Key::CreateAccountTitle)}</h1>
                <Field label=Key::Email value=email testid="register-email" kind="email" autocomplete="email" error=err_for("email")/>
                <Field label=Key::Password value=password testid="register-password" kind="password" autocomplete="new-password" error=err_for("password")/>
                <Field label=Key::BusinessName value=business testid="register-business-name" autocomplete="organization" error=err_for("business_name")/>
                <Field label=Key::City value=city testid="register-city" autocomplete="address-level2" error=err_for("merchant_city")/>
                <Field label=Key::BakongAccount value=bakong testid="register-bakong" error=err_for("bakong_account_id")/>
                <Show when=move || live.with(Result::is_ok) fallback=|| ()>
                    <figure class="qr-preview" data-testid="register-preview">
                        <QrImage payload=preview_payload label=Signal::derive(tr(Key::PreviewQr)) testid="register-preview-qr"/>
                        <figcaption>{tr(Key::PreviewQr)}</figcaption>
                    </figure>
                </Show>
                <p class="form-error" role="alert" data-testid="register-error">
                    {move || general().map(|k| crate::i18n::t(crate::i18n::use_i18n().lang.get(), k))}
                </p>
                <button type="submit" class="primary" data-testid="register-submit" disabled=move || busy.get()>{tr(Key::CreateAccount)}</button>
                <a href=Route::LOGIN.path() data-testid="to-login">{tr(Key::HaveAccount)}</a>
            </form>
        </div>
    }
}
