//! `/integrations`: how a shop's other systems (a POS, an ERP, accounting) work with tonle:
//! webhook endpoints with their delivery logs (owners and managers), and API keys (owners).
//! Each card is its own module; a secret or key is shown once by `ShownOnce`.

use leptos::prelude::*;

use crate::app::use_session;
use crate::components::top_bar::TopBar;
use crate::i18n::{Key, pick, tr, use_i18n};

mod api_keys;
mod shown_once;
mod webhooks;

type Text = [&'static str; 3];
// Text only this page shows, kept here so other bundles do not download it: [en, km, zh].
const INTRO: Text = [
    "Connect your POS, ERP or accounting: they make charges with an API key, and hear of payments the moment they happen by webhook. Every call is described in the API reference.",
    "ភ្ជាប់ POS, ERP ឬប្រព័ន្ធគណនេយ្យរបស់អ្នក៖ ពួកវាបង្កើតការគិតលុយដោយ API key ហើយទទួលដំណឹងពីការបង់ប្រាក់ភ្លាមៗតាម webhook។ ការហៅនីមួយៗមានពណ៌នាក្នុងឯកសារយោង API។",
    "对接您的 POS、ERP 或财务系统：它们用 API 密钥创建收款，并通过 Webhook 即时获知付款。所有接口见 API 参考文档。",
];
const REFERENCE: Text = [
    "API reference (OpenAPI)",
    "ឯកសារយោង API (OpenAPI)",
    "API 参考（OpenAPI）",
];
const CASHIER: Text = [
    "Integrations are set up by the owner or a manager.",
    "ការតភ្ជាប់ត្រូវបានរៀបចំដោយម្ចាស់ ឬអ្នកគ្រប់គ្រង។",
    "系统对接由店主或经理设置。",
];

/// The integrations screen.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let lang = use_i18n().lang;
    let role = use_session()
        .0
        .with_untracked(|s| s.as_ref().map(|s| s.role))
        .unwrap_or_default();
    let managers = role.manages();
    let owner = role == protocol::SessionRole::Owner;
    view! {
        <TopBar/>
        <div class="settings-page" data-testid="integrations-page">
            <section class="card" aria-labelledby="integrations-title">
                <h1 id="integrations-title" class="page-title">{tr(Key::Integrations)}</h1>
                <p class="muted">{move || pick(lang.get(), INTRO)}</p>
                <p><a href="/api/openapi.json" data-testid="api-reference">{move || pick(lang.get(), REFERENCE)}</a></p>
            </section>
            <Show when=move || managers fallback=move || view! {
                <p class="card" data-testid="integrations-cashier">{move || pick(lang.get(), CASHIER)}</p>
            }>
                <webhooks::WebhooksSection/>
                <api_keys::ApiKeysSection owner=owner/>
            </Show>
        </div>
    }
}
