//! Integrations → webhooks: the endpoints tonle posts events to, which events each wants, its
//! state (turned off after five days of failures, with why), a new signing secret, and the log
//! of deliveries with a retry.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol as api;

use super::shown_once::ShownOnce;
use crate::api::{self as client, ClientError, error_key};
use crate::components::confirm_button::ConfirmButton;
use crate::format;
use crate::i18n::{Key, Lang, pick, t, use_i18n};
use crate::load::Load;

type Text = [&'static str; 3];
const TITLE: Text = ["Webhooks", "Webhooks", "Webhook 通知"];
const INTRO: Text = [
    "tonle posts each event to your address, signed the Standard Webhooks way. An address that does not answer 2xx is tried again (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after 5 days of failures it is turned off.",
    "tonle ផ្ញើព្រឹត្តិការណ៍នីមួយៗទៅអាសយដ្ឋានរបស់អ្នក ដោយមានហត្ថលេខាតាមស្តង់ដារ Standard Webhooks។ អាសយដ្ឋានដែលមិនឆ្លើយ 2xx នឹងត្រូវព្យាយាមម្តងទៀត (5 វិនាទី 5 នាទី 30 នាទី 2 ម៉ោង 5 ម៉ោង 10 ម៉ោង 10 ម៉ោង); បើបរាជ័យ 5 ថ្ងៃ វានឹងត្រូវបិទ។",
    "tonle 将每个事件按 Standard Webhooks 规范签名后发送到您的地址。未返回 2xx 的地址会重试（5 秒、5 分、30 分、2 小时、5 小时、10 小时、10 小时）；连续失败 5 天后将被停用。",
];
const URL: Text = [
    "Address (https://…)",
    "អាសយដ្ឋាន (https://…)",
    "地址（https://…）",
];
const DESCRIPTION: Text = ["What it is for", "សម្រាប់អ្វី", "用途"];
const EVENTS: Text = [
    "Events (none ticked: every event)",
    "ព្រឹត្តិការណ៍ (មិនជ្រើស៖ ទាំងអស់)",
    "事件（不勾选：全部事件）",
];
const ALL_EVENTS: Text = ["Every event", "ព្រឹត្តិការណ៍ទាំងអស់", "全部事件"];
const ADD: Text = ["Add endpoint", "បន្ថែមអាសយដ្ឋាន", "添加地址"];
const NONE_YET: Text = ["No endpoint yet.", "មិនទាន់មានអាសយដ្ឋាននៅឡើយ។", "尚无地址。"];
const SECRET: Text = ["Signing secret", "សម្ងាត់ចុះហត្ថលេខា", "签名密钥"];
const ON: Text = ["Sending", "កំពុងផ្ញើ", "发送中"];
const OFF: Text = ["Off", "បិទ", "已停用"];
const TURN_ON: Text = ["Turn on", "បើក", "启用"];
const TURN_OFF: Text = ["Turn off", "បិទ", "停用"];
const TURNED_OFF: Text = [
    "tonle turned this endpoint off: every delivery failed for 5 days. Fix the receiver, then turn it on.",
    "tonle បានបិទអាសយដ្ឋាននេះ៖ ការផ្ញើទាំងអស់បរាជ័យអស់ 5 ថ្ងៃ។ សូមជួសជុលកម្មវិធីទទួល រួចបើកវាវិញ។",
    "tonle 已停用此地址：所有发送已连续失败 5 天。请修复接收端后再启用。",
];
const FAILING: Text = ["Deliveries are failing", "ការផ្ញើកំពុងបរាជ័យ", "发送失败中"];
const LOG: Text = ["Deliveries", "ការផ្ញើ", "发送记录"];
const NO_DELIVERIES: Text = ["Nothing sent yet.", "មិនទាន់បានផ្ញើអ្វីនៅឡើយ។", "尚未发送。"];
const DELIVERED: Text = ["Delivered", "បានផ្ញើដល់", "已送达"];
const PENDING: Text = ["Waiting to retry", "រង់ចាំព្យាយាមម្តងទៀត", "等待重试"];
const FAILED: Text = ["Failed", "បរាជ័យ", "失败"];
const ATTEMPTS: Text = ["Attempts:", "ចំនួនដង៖", "尝试次数："];
const NEXT: Text = ["next", "បន្ទាប់", "下次"];
const SEND_AGAIN: Text = ["Send again", "ផ្ញើម្តងទៀត", "重新发送"];

/// What each event type means, in words.
fn event_text(e: api::WebhookEvent) -> Text {
    use api::WebhookEvent as E;
    match e {
        E::ChargeCreated => ["a QR was made", "បានបង្កើត QR", "已生成二维码"],
        E::ChargePaid => ["paid", "បានបង់", "已付款"],
        E::ChargePaidLate => ["paid after expiry", "បង់ក្រោយផុតកំណត់", "过期后付款"],
        E::ChargeExpired => ["expired unpaid", "ផុតកំណត់មិនបានបង់", "过期未付"],
        E::ChargeCancelled => ["cancelled", "បានបោះបង់", "已取消"],
        E::PaymentReceived => [
            "paid at a counter's printed QR",
            "បង់តាម QR បោះពុម្ពនៅបញ្ជរ",
            "扫柜台固定码付款",
        ],
        E::PaymentUnmatched => [
            "payment matching no bill",
            "ការបង់មិនត្រូវវិក្កយបត្រ",
            "未匹配账单的付款",
        ],
        E::PaymentResolved => [
            "payment kept or refunded",
            "ការបង់ត្រូវបានរក្សាទុក ឬសង",
            "付款已保留或退款",
        ],
    }
}

fn status_text(s: api::DeliveryStatus) -> Text {
    match s {
        api::DeliveryStatus::Delivered => DELIVERED,
        api::DeliveryStatus::Pending => PENDING,
        api::DeliveryStatus::Failed | api::DeliveryStatus::Unknown => FAILED,
    }
}

fn events_line(lang: Lang, events: &[api::WebhookEvent]) -> String {
    if events.is_empty() {
        return pick(lang, ALL_EVENTS).to_owned();
    }
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The card's state.
#[derive(Clone, Copy)]
struct Hooks {
    list: Load<Result<Vec<api::WebhookEndpointView>, ClientError>>,
    /// (endpoint id, secret) just made or rotated
    secret: RwSignal<Option<(String, String)>>,
    error: RwSignal<Option<ClientError>>,
    /// the endpoint whose log is open
    log: RwSignal<Option<String>>,
}

impl Hooks {
    fn done<T>(self, r: Result<T, ClientError>) -> Option<T> {
        match r {
            Ok(v) => {
                self.error.set(None);
                self.list.refetch();
                Some(v)
            }
            Err(e) => {
                self.error.set(Some(e));
                None
            }
        }
    }

    fn rotate(self, id: String) {
        spawn_local(async move {
            if let Some(s) = self.done(client::rotate_webhook_secret(&id).await) {
                self.secret.set(Some((s.id, s.secret)));
            }
        });
    }

    fn set_enabled(self, id: String, enabled: bool) {
        let body = api::UpdateWebhookEndpoint {
            enabled: Some(enabled),
            ..Default::default()
        };
        spawn_local(async move {
            self.done(client::update_webhook_endpoint(&id, &body).await);
        });
    }

    fn delete(self, id: String) {
        spawn_local(async move {
            self.done(client::delete_webhook_endpoint(&id).await);
        });
    }
}

/// The webhooks card.
#[component]
pub fn WebhooksSection() -> impl IntoView {
    let lang = use_i18n().lang;
    let hooks = Hooks {
        list: Load::new(client::webhook_endpoints),
        secret: RwSignal::new(None),
        error: RwSignal::new(None),
        log: RwSignal::new(None),
    };
    view! {
        <section class="card" aria-labelledby="webhooks-title" data-testid="webhooks-section">
            <h2 id="webhooks-title">{move || pick(lang.get(), TITLE)}</h2>
            <p class="muted">{move || pick(lang.get(), INTRO)}</p>
            {hooks.list.show(move |list| {
                if list.is_empty() {
                    return view! { <p class="muted" data-testid="webhooks-empty">{move || pick(lang.get(), NONE_YET)}</p> }.into_any();
                }
                view! {
                    <ul class="endpoint-list" data-testid="webhook-list">
                        {list.into_iter().map(|e| view! { <EndpointItem endpoint=e hooks=hooks/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
            {move || hooks.secret.get().map(|(_, secret)| view! {
                <ShownOnce label=SECRET secret=secret testid="webhook-secret"/>
            })}
            <p class="form-error" role="alert" data-testid="webhooks-error">
                {move || hooks.error.with(|e| e.as_ref().map(|e| t(lang.get(), error_key(e))))}
            </p>
            <AddEndpoint hooks=hooks/>
        </section>
    }
}

/// One endpoint, with its controls and (when open) its log.
#[component]
fn EndpointItem(endpoint: api::WebhookEndpointView, hooks: Hooks) -> impl IntoView {
    let lang = use_i18n().lang;
    let e = endpoint;
    let (id_log, id_on, id_rotate, id_delete) =
        (e.id.clone(), e.id.clone(), e.id.clone(), e.id.clone());
    let open = {
        let id = e.id.clone();
        Signal::derive(move || hooks.log.with(|l| l.as_deref() == Some(id.as_str())))
    };
    let enabled = e.enabled;
    let failing = e.failing_since_ms.is_some() && enabled;
    let turned_off = e.disabled_reason.clone();
    let events = e.events.clone();
    view! {
        <li class="endpoint" data-testid="webhook-row" data-endpoint-id=e.id.clone() data-enabled=enabled.to_string()>
            <p class="mono endpoint-url" data-testid="webhook-url">{e.url.clone()}</p>
            <p class="muted">
                {e.description.clone().map(|d| format!("{d} · "))}
                <span data-testid="webhook-events">{move || events_line(lang.get(), &events)}</span>
                " · "
                <strong data-testid="webhook-state">{move || pick(lang.get(), if enabled { ON } else { OFF })}</strong>
                {failing.then(|| view! { " · " <span class="warn">{move || pick(lang.get(), FAILING)}</span> })}
            </p>
            {turned_off.map(|why| view! {
                <p class="bakong-warning" role="alert" data-testid="webhook-turned-off" title=why>{move || pick(lang.get(), TURNED_OFF)}</p>
            })}
            <div class="row-actions">
                <button type="button" class="secondary" data-testid="webhook-log-toggle" aria-expanded=move || open.get().to_string()
                    on:click=move |_| hooks.log.update(|l| *l = if l.as_deref() == Some(id_log.as_str()) { None } else { Some(id_log.clone()) })>
                    {move || pick(lang.get(), LOG)}
                </button>
                <button type="button" class="secondary" data-testid="webhook-toggle"
                    on:click=move |_| hooks.set_enabled(id_on.clone(), !enabled)>
                    {move || pick(lang.get(), if enabled { TURN_OFF } else { TURN_ON })}
                </button>
                <ConfirmButton label=Key::RotateSecret testid="webhook-rotate" class="secondary"
                    on_confirm=Callback::new(move |()| hooks.rotate(id_rotate.clone()))/>
                <ConfirmButton label=Key::Delete testid="webhook-delete" class="secondary"
                    on_confirm=Callback::new(move |()| hooks.delete(id_delete.clone()))/>
            </div>
            {
                let id = e.id.clone();
                move || open.get().then(|| view! { <DeliveryLog endpoint=id.clone()/> })
            }
        </li>
    }
}

/// The latest deliveries of one endpoint, with "send again".
#[component]
fn DeliveryLog(endpoint: String) -> impl IntoView {
    let lang = use_i18n().lang;
    let log = Load::new(move || {
        let id = endpoint.clone();
        async move { client::webhook_deliveries(&id).await }
    });
    let retry = move |id: String| {
        spawn_local(async move {
            let _ = client::retry_webhook_delivery(&id).await;
            log.refetch();
        });
    };
    view! {
        <div class="delivery-log" data-testid="webhook-log">
            {log.show(move |rows| {
                if rows.is_empty() {
                    return view! { <p class="muted" data-testid="webhook-log-empty">{move || pick(lang.get(), NO_DELIVERIES)}</p> }.into_any();
                }
                view! {
                    <ul class="delivery-list">
                        {rows.into_iter().map(|d| {
                            let id = d.id.clone();
                            let when = d.created_at_ms;
                            let next = d.next_attempt_at_ms;
                            let answer = d.last_status_code.map(|c| format!("HTTP {c}")).or(d.last_error.clone()).unwrap_or_default();
                            view! {
                                <li data-testid="delivery-row" data-status=d.status.as_str()>
                                    <span class="mono">{d.event.as_str()}</span>
                                    <span class="muted">{move || pick(lang.get(), event_text(d.event))}</span>
                                    <span data-testid="delivery-status"><strong>{move || pick(lang.get(), status_text(d.status))}</strong></span>
                                    <span class="muted">{move || pick(lang.get(), ATTEMPTS)}{format!(" {} · {answer}", d.attempts)}</span>
                                    <span class="muted">{move || format::date_time(lang.get(), when, api::Country::KH)}</span>
                                    {next.map(|n| view! { <span class="muted">{move || pick(lang.get(), NEXT)}" "{move || format::date_time(lang.get(), n, api::Country::KH)}</span> })}
                                    <button type="button" class="secondary" data-testid="delivery-retry" on:click=move |_| retry(id.clone())>
                                        {move || pick(lang.get(), SEND_AGAIN)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </div>
    }
}

/// The form that adds an endpoint.
#[component]
fn AddEndpoint(hooks: Hooks) -> impl IntoView {
    let lang = use_i18n().lang;
    let url = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<api::WebhookEvent>::new());
    let busy = RwSignal::new(false);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = api::CreateWebhookEndpoint {
            url: url.get_untracked().trim().to_owned(),
            events: events.get_untracked(),
            description: Some(description.get_untracked()).filter(|d| !d.trim().is_empty()),
        };
        busy.set(true);
        spawn_local(async move {
            if let Some(made) = hooks.done(client::create_webhook_endpoint(&body).await) {
                hooks.secret.set(Some((made.id, made.secret)));
                url.set(String::new());
                description.set(String::new());
                events.set(Vec::new());
            }
            busy.set(false);
        });
    };
    let url_error = move || {
        hooks
            .error
            .with(|e| e.as_ref().and_then(|e| e.field()) == Some("url"))
    };
    view! {
        <form class="stack-form" on:submit=add data-testid="webhook-form">
            <label for="webhook-url">{move || pick(lang.get(), URL)}</label>
            <input id="webhook-url" type="url" inputmode="url" autocomplete="off" data-testid="webhook-url-input"
                placeholder="https://pos.example.com/tonle" aria-invalid=move || url_error().to_string()
                prop:value=move || url.get() on:input=move |ev| url.set(event_target_value(&ev))/>
            <label for="webhook-description">{move || pick(lang.get(), DESCRIPTION)}</label>
            <input id="webhook-description" type="text" maxlength="200" data-testid="webhook-description-input"
                prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))/>
            <fieldset class="checks" data-testid="webhook-events-input">
                <legend>{move || pick(lang.get(), EVENTS)}</legend>
                {api::WebhookEvent::ALL.into_iter().map(|e| view! {
                    <label class="check">
                        <input type="checkbox" data-testid=format!("event-{}", e.as_str())
                            prop:checked=move || events.with(|v| v.contains(&e))
                            on:change=move |_| events.update(|v| if let Some(i) = v.iter().position(|x| *x == e) { v.remove(i); } else { v.push(e); })/>
                        <span class="mono">{e.as_str()}</span>
                        <span class="muted">{move || pick(lang.get(), event_text(e))}</span>
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary" data-testid="webhook-add"
                disabled=move || busy.get() || url.with(|u| u.trim().is_empty())>{move || pick(lang.get(), ADD)}</button>
        </form>
    }
}
