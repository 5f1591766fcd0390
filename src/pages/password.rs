//! `/forgot` and `/reset/{token}`: a merchant who forgot the password asks for a link (emailed
//! where the server sends email; otherwise told who can reset it), then chooses a new one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::ResetDelivery;
use protocol::web::ResetToken;

use crate::api::{ClientError, error_key};
use crate::components::field::Field;
use crate::components::top_bar::LangSwitch;
use crate::i18n::{Key, pick, t, tr, use_i18n};
use crate::router::Route;

// Text only these pages show, kept here so other bundles do not download it: [en, km, zh].
type Text = [&'static str; 3];
const FORGOT_TITLE: Text = ["Forgot your password?", "ភ្លេចពាក្យសម្ងាត់?", "忘记密码？"];
const SEND: Text = ["Send me a link", "ផ្ញើតំណមកខ្ញុំ", "发送重置链接"];
const SENT: Text = [
    "If this email has an account, a link to choose a new password is on its way. It works for an hour.",
    "ប្រសិនបើអ៊ីមែលនេះមានគណនី តំណសម្រាប់ជ្រើសពាក្យសម្ងាត់ថ្មីកំពុងផ្ញើទៅ។ វាប្រើបានមួយម៉ោង។",
    "如果该邮箱已注册，设置新密码的链接正在发送中，一小时内有效。",
];
const OPERATOR: Text = [
    "This tonle server sends no email. Ask whoever runs it to reset your password (tonle admin reset-password).",
    "ម៉ាស៊ីនមេ tonle នេះមិនផ្ញើអ៊ីមែលទេ។ សូមសួរអ្នកគ្រប់គ្រងវាឲ្យកំណត់ពាក្យសម្ងាត់ឡើងវិញ (tonle admin reset-password)។",
    "此 tonle 服务器不发送邮件。请联系其管理员重置您的密码（tonle admin reset-password）。",
];
const RESET_TITLE: Text = ["Choose a new password", "ជ្រើសពាក្យសម្ងាត់ថ្មី", "设置新密码"];
const RESET: Text = ["Save the password", "រក្សាទុកពាក្យសម្ងាត់", "保存密码"];
const DONE: Text = [
    "Your password is changed and every device was signed out. Sign in with the new one.",
    "ពាក្យសម្ងាត់របស់អ្នកត្រូវបានប្តូរ ហើយឧបករណ៍ទាំងអស់ត្រូវបានចាកចេញ។ សូមចូលដោយពាក្យសម្ងាត់ថ្មី។",
    "密码已更改，所有设备均已退出登录。请使用新密码登录。",
];

/// Asking for a reset link.
#[component]
pub fn ForgotPage() -> impl IntoView {
    let lang = use_i18n().lang;
    let email = RwSignal::new(crate::router::query_param("email").unwrap_or_default());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let answer = RwSignal::new(None::<ResetDelivery>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let to = email.get_untracked();
        spawn_local(async move {
            match crate::api::request_password_reset(&to).await {
                Ok(a) => {
                    error.set(None);
                    answer.set(Some(a.delivery));
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let email_err = Signal::derive(move || error.with(|e| e.as_ref().map(error_key)));
    view! {
        <div class="auth-page">
            <LangSwitch/>
            <form class="card" on:submit=submit data-testid="forgot-form" novalidate>
                <h1>{move || pick(lang.get(), FORGOT_TITLE)}</h1>
                <Field label=Key::Email value=email testid="forgot-email" kind="email" autocomplete="email" error=email_err/>
                <p class="ok" role="status" data-testid="forgot-answer">
                    {move || answer.get().map(|a| pick(lang.get(), match a {
                        ResetDelivery::Email => SENT,
                        ResetDelivery::Operator => OPERATOR,
                    }))}
                </p>
                <button type="submit" class="primary" data-testid="forgot-submit" disabled=move || busy.get()>{move || pick(lang.get(), SEND)}</button>
            </form>
            <a href=Route::LOGIN.path() data-testid="to-login">{tr(Key::SignIn)}</a>
        </div>
    }
}

/// Choosing a new password from the emailed link.
#[component]
pub fn ResetPage(
    /// the link's token
    token: ResetToken,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let token = StoredValue::new(token);
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ClientError>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let (token, pw) = (token.get_value(), password.get_untracked());
        spawn_local(async move {
            match crate::api::reset_password(token.as_str(), &pw).await {
                Ok(()) => done.set(true),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    // The rule is said as the password is typed; a server error shows beside its field.
    let pw_err = Signal::derive(move || {
        let short = password.with(|p| !p.is_empty() && p.chars().count() < 10);
        if short {
            return Some(Key::ErrPassword);
        }
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field() == Some("password"))
                .map(error_key)
        })
    });
    let general = move || error.with(|e| e.as_ref().filter(|e| e.field().is_none()).map(error_key));
    view! {
        <div class="auth-page">
            <LangSwitch/>
            <Show when=move || !done.get() fallback=move || view! {
                <section class="card" data-testid="reset-done" role="status">
                    <p>{move || pick(lang.get(), DONE)}</p>
                    <a class="button-link primary-link" href=Route::LOGIN.path() data-testid="reset-sign-in">{tr(Key::SignIn)}</a>
                </section>
            }>
                <form class="card" on:submit=submit data-testid="reset-form" novalidate>
                    <h1>{move || pick(lang.get(), RESET_TITLE)}</h1>
                    <Field label=Key::Password value=password testid="reset-password" kind="password" autocomplete="new-password" error=pw_err/>
                    <p class="form-error" role="alert" data-testid="reset-error">{move || general().map(|k| t(lang.get(), k))}</p>
                    <button type="submit" class="primary" data-testid="reset-submit" disabled=move || busy.get()>{move || pick(lang.get(), RESET)}</button>
                </form>
            </Show>
        </div>
    }
}
