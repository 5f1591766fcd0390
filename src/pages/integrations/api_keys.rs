//! Integrations → API keys (owner): keys for a POS or ERP, each with its scopes; made and shown
//! once, listed by name and first characters with their last use, revoked at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use super::shown_once::ShownOnce;
use crate::api::{self as client, ClientError, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, pick, t, use_i18n};
use crate::load::Load;

type Text = [&'static str; 3];
const TITLE: Text = ["API keys", "API keys", "API 密钥"];
const INTRO: Text = [
    "A key lets another system call tonle as your shop: send it as Authorization: Bearer <key>. Give each system its own key and only the scopes it needs.",
    "Key អនុញ្ញាតឱ្យប្រព័ន្ធផ្សេងហៅ tonle ក្នុងនាមហាងរបស់អ្នក៖ ផ្ញើជា Authorization: Bearer <key>។ ផ្តល់ key ដាច់ដោយឡែកដល់ប្រព័ន្ធនីមួយៗ ហើយតែសិទ្ធិដែលវាត្រូវការប៉ុណ្ណោះ។",
    "密钥让其他系统以您店铺的身份调用 tonle：以 Authorization: Bearer <密钥> 发送。请为每个系统单独创建密钥，并只授予所需权限。",
];
const OWNER_ONLY: Text = [
    "Only the owner makes and revokes API keys.",
    "មានតែម្ចាស់ទេដែលបង្កើត និងដកសិទ្ធិ API key។",
    "仅店主可以创建和撤销 API 密钥。",
];
const NAME: Text = ["Used by", "ប្រើដោយ", "使用方"];
const SCOPES: Text = ["May", "អាច", "权限"];
const CREATE: Text = ["Create key", "បង្កើត key", "创建密钥"];
const KEY: Text = ["API key", "API key", "API 密钥"];
const NONE_YET: Text = ["No key yet.", "មិនទាន់មាន key នៅឡើយ។", "尚无密钥。"];
const LAST_USED: Text = ["last used", "ប្រើចុងក្រោយ", "最近使用"];
const NEVER_USED: Text = ["never used", "មិនធ្លាប់ប្រើ", "从未使用"];

fn scope_text(s: api::Scope) -> Text {
    match s {
        api::Scope::ChargesRead => ["see charges", "មើលការគិតលុយ", "查看收款单"],
        api::Scope::ChargesWrite => [
            "make and cancel charges",
            "បង្កើត និងបោះបង់ការគិតលុយ",
            "创建和取消收款单",
        ],
        api::Scope::PaymentsRead => [
            "see payments and totals",
            "មើលការបង់ប្រាក់ និងសរុប",
            "查看付款和汇总",
        ],
        api::Scope::EventsRead => ["live events", "ព្រឹត្តិការណ៍ផ្ទាល់", "实时事件"],
    }
}

/// The API keys card.
#[component]
pub fn ApiKeysSection(
    /// the owner manages keys; a manager is told so
    owner: bool,
) -> impl IntoView {
    let lang = use_i18n().lang;
    view! {
        <section class="card" aria-labelledby="keys-title" data-testid="api-keys-section">
            <h2 id="keys-title">{move || pick(lang.get(), TITLE)}</h2>
            <p class="muted">{move || pick(lang.get(), INTRO)}</p>
            <Show when=move || owner fallback=move || view! {
                <p class="muted" data-testid="api-keys-owner-only">{move || pick(lang.get(), OWNER_ONLY)}</p>
            }>
                <Keys/>
            </Show>
        </section>
    }
}

#[component]
fn Keys() -> impl IntoView {
    let lang = use_i18n().lang;
    let keys = Load::new(client::api_keys);
    let shown = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ClientError>);
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec![api::Scope::ChargesRead, api::Scope::ChargesWrite]);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::CreateApiKey {
            name: name.get_untracked(),
            scopes: scopes.get_untracked(),
        };
        spawn_local(async move {
            match client::create_api_key(&body).await {
                Ok(made) => {
                    shown.set(Some(made.key));
                    name.set(String::new());
                    error.set(None);
                    keys.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match client::revoke_api_key(&id).await {
                Ok(()) => keys.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        {keys.show(move |list| {
            if list.is_empty() {
                return view! { <p class="muted" data-testid="api-keys-empty">{move || pick(lang.get(), NONE_YET)}</p> }.into_any();
            }
            view! {
                <ul class="endpoint-list" data-testid="api-key-list">
                    {list.into_iter().map(|k| {
                        let id = k.id.clone();
                        let scopes = k.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                        let used = k.last_used_at_ms;
                        view! {
                            <li class="endpoint" data-testid="api-key-row" data-key-id=k.id.clone()>
                                <p><strong>{k.name.clone()}</strong>" · "<span class="mono" data-testid="api-key-prefix">{format!("{}…", k.prefix)}</span></p>
                                <p class="muted"><span class="mono">{scopes}</span>" · "
                                    {move || match used {
                                        Some(at) => format!("{} {}", pick(lang.get(), LAST_USED), format::date_time(lang.get(), at, api::Country::KH)),
                                        None => pick(lang.get(), NEVER_USED).to_owned(),
                                    }}
                                </p>
                                <div class="row-actions">
                                    <ConfirmButton label=Key::Revoke testid="api-key-revoke" class="secondary"
                                        on_confirm=Callback::new(move |()| revoke(id.clone()))/>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
        {move || shown.get().map(|key| view! { <ShownOnce label=KEY secret=key testid="api-key-secret"/> })}
        <p class="form-error" role="alert" data-testid="api-keys-error">
            {move || error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
        </p>
        <form class="stack-form" on:submit=create data-testid="api-key-form">
            <label for="api-key-name">{move || pick(lang.get(), NAME)}</label>
            <input id="api-key-name" type="text" maxlength="80" autocomplete="off" data-testid="api-key-name"
                placeholder="Front POS" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <fieldset class="checks">
                <legend>{move || pick(lang.get(), SCOPES)}</legend>
                {api::Scope::ALL.into_iter().map(|s| view! {
                    <label class="check">
                        <input type="checkbox" data-testid=format!("scope-{}", s.as_str())
                            prop:checked=move || scopes.with(|v| v.contains(&s))
                            on:change=move |_| scopes.update(|v| if let Some(i) = v.iter().position(|x| *x == s) { v.remove(i); } else { v.push(s); })/>
                        <span class="mono">{s.as_str()}</span>
                        <span class="muted">{move || pick(lang.get(), scope_text(s))}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary" data-testid="api-key-create"
                disabled=move || name.with(|n| n.trim().is_empty()) || scopes.with(Vec::is_empty)>{move || pick(lang.get(), CREATE)}</button>
        </form>
    }
}
