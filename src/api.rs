//! Typed client for tonle's REST API (same origin; the session cookie rides along).
//! Errors keep what the UI needs: offline vs. a coded server error with its field.

use gloo_net::http::{Request, Response};
use protocol as api;
use serde::de::DeserializeOwned;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// no answer from the server
    Network,
    /// the server answered with a coded error
    Api(api::ErrorDetail),
    /// the answer was not what we expected
    Decode,
}

impl ClientError {
    /// The field at fault, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Api(d) => d.field.as_deref(),
            _ => None,
        }
    }
}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ClientError> {
    // The session ended (expired, signed out elsewhere, password reset) on a page only staff
    // see: to sign-in, which comes back here. Every request of every page passes here.
    if res.status() == 401 && crate::router::here_needs_sign_in() {
        crate::router::sign_in_and_return();
    }
    if res.ok() {
        res.json::<T>().await.map_err(|_| ClientError::Decode)
    } else {
        match res.json::<api::ErrorBody>().await {
            Ok(body) => Err(ClientError::Api(body.error)),
            Err(_) => Err(ClientError::Decode),
        }
    }
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    idempotency_key: Option<&str>,
) -> Result<T, ClientError> {
    let mut req = Request::post(url);
    if let Some(k) = idempotency_key {
        req = req.header("Idempotency-Key", k);
    }
    let req = req.json(body).map_err(|_| ClientError::Decode)?;
    let res = req.send().await.map_err(|_| ClientError::Network)?;
    read(res).await
}

/// A POST with no body of its own (an action on a resource).
async fn post_action<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    post(url, &serde_json::json!({}), None).await
}

/// A DELETE answered with no content.
async fn delete(url: &str) -> Result<(), ClientError> {
    let res = Request::delete(url)
        .send()
        .await
        .map_err(|_| ClientError::Network)?;
    if res.ok() {
        Ok(())
    } else {
        read::<()>(res).await
    }
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
    let res = Request::get(url)
        .send()
        .await
        .map_err(|_| ClientError::Network)?;
    read(res).await
}

/// `POST /api/v1/merchants`
pub async fn register(body: &api::RegisterMerchant) -> Result<api::SessionView, ClientError> {
    post("/api/v1/merchants", body, None).await
}

/// `POST /api/v1/session`
pub async fn login(body: &api::Login) -> Result<api::SessionView, ClientError> {
    post("/api/v1/session", body, None).await
}

/// `GET /api/v1/session`
pub async fn session() -> Result<api::SessionView, ClientError> {
    get("/api/v1/session").await
}

/// `DELETE /api/v1/session`
pub async fn logout() -> Result<(), ClientError> {
    delete("/api/v1/session").await
}

/// `POST /api/v1/charges` with an idempotency key, so a retried tap never makes two charges.
pub async fn create_charge(
    body: &api::CreateCharge,
    key: &str,
) -> Result<api::ChargeView, ClientError> {
    post("/api/v1/charges", body, Some(key)).await
}

/// `POST /api/v1/charges/{id}/test-payment` (a server in sandbox mode): pay as a test wallet
pub async fn test_payment(
    id: &str,
    body: &api::TestPayment,
) -> Result<api::NotificationAck, ClientError> {
    post(&format!("/api/v1/charges/{id}/test-payment"), body, None).await
}

/// Whether the server answers at all (`GET /healthz`).
pub async fn reachable() -> bool {
    get::<serde_json::Value>("/healthz").await.is_ok()
}

/// Whether this server runs in sandbox mode (`GET /healthz`).
pub async fn sandbox() -> Result<bool, ClientError> {
    let health: serde_json::Value = get("/healthz").await?;
    Ok(health["sandbox"].as_bool().unwrap_or(false))
}

/// `POST /api/v1/charges/{id}/cancel`
pub async fn cancel_charge(id: &str) -> Result<api::ChargeView, ClientError> {
    post_action(&format!("/api/v1/charges/{id}/cancel")).await
}

/// `POST /api/v1/charges/{id}/check`: ask Bakong about it now
pub async fn check_charge(id: &str) -> Result<api::ChargeView, ClientError> {
    post_action(&format!("/api/v1/charges/{id}/check")).await
}

/// `POST /api/v1/password-resets`: email a reset link (or learn that the operator resets).
pub async fn request_password_reset(
    email: &str,
) -> Result<api::PasswordResetRequested, ClientError> {
    let body = api::RequestPasswordReset {
        email: email.to_owned(),
    };
    post("/api/v1/password-resets", &body, None).await
}

/// `POST /api/v1/password-resets/{token}`: the new password.
pub async fn reset_password(token: &str, password: &str) -> Result<(), ClientError> {
    let body = api::ResetPassword {
        password: password.to_owned(),
    };
    let req = Request::post(&format!("/api/v1/password-resets/{token}"))
        .json(&body)
        .map_err(|_| ClientError::Decode)?;
    let res = req.send().await.map_err(|_| ClientError::Network)?;
    if res.ok() {
        Ok(())
    } else {
        read::<()>(res).await
    }
}

/// `GET /api/v1/invitations/{token}`: the shop and email a join link is for.
pub async fn invitation(token: &str) -> Result<api::InvitationPreview, ClientError> {
    get(&format!("/api/v1/invitations/{token}")).await
}

/// `GET /api/v1/integrations/bakong`, only how checks go: what a payment screen needs (decoding
/// the whole card costs every bundle its code).
pub async fn bakong_status() -> Result<api::BakongStatus, ClientError> {
    #[derive(serde::Deserialize)]
    struct StatusOnly {
        status: api::BakongStatus,
    }
    let s: StatusOnly = get("/api/v1/integrations/bakong").await?;
    Ok(s.status)
}

/// `GET /api/v1/integrations/bakong`
pub async fn bakong() -> Result<api::BakongIntegration, ClientError> {
    get("/api/v1/integrations/bakong").await
}

/// `PUT /api/v1/integrations/bakong`
pub async fn save_bakong(token: String) -> Result<api::BakongIntegration, ClientError> {
    let req = Request::put("/api/v1/integrations/bakong")
        .json(&api::SaveBakongToken { token })
        .map_err(|_| ClientError::Decode)?;
    read(req.send().await.map_err(|_| ClientError::Network)?).await
}

/// `DELETE /api/v1/integrations/bakong`
pub async fn remove_bakong() -> Result<(), ClientError> {
    delete("/api/v1/integrations/bakong").await
}

/// `GET /api/v1/charges/{id}`
pub async fn charge(id: &str) -> Result<api::ChargeView, ClientError> {
    get(&format!("/api/v1/charges/{id}")).await
}

/// `GET /api/v1/payments`
pub async fn recent_payments(limit: u32) -> Result<Vec<api::PaymentView>, ClientError> {
    let page: api::Page<api::PaymentView> = get(&format!("/api/v1/payments?limit={limit}")).await?;
    Ok(page.items)
}

/// Filters of a history list, as the server's query string names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// first local day, `YYYY-MM-DD`
    pub from: Option<String>,
    /// last local day, `YYYY-MM-DD`
    pub to: Option<String>,
    /// bakong, unionpay or sandbox
    pub network: Option<String>,
    /// exact bill number
    pub bill_number: Option<String>,
    /// charge status (charges only)
    pub status: Option<String>,
    /// payments that settled no charge (payments only)
    pub unmatched: bool,
    /// counter (terminal id)
    pub terminal: Option<String>,
    /// page size
    pub limit: Option<u32>,
    /// from a previous page
    pub cursor: Option<String>,
}

impl HistoryFilter {
    /// The query string, without the `?`.
    pub fn query(&self) -> String {
        let mut q = web_sys::UrlSearchParams::new().ok();
        let mut add = |k: &str, v: Option<&str>| {
            if let (Some(q), Some(v)) = (q.as_mut(), v.filter(|v| !v.trim().is_empty())) {
                q.append(k, v.trim());
            }
        };
        add("from", self.from.as_deref());
        add("to", self.to.as_deref());
        add("network", self.network.as_deref());
        add("bill_number", self.bill_number.as_deref());
        add("status", self.status.as_deref());
        add("terminal", self.terminal.as_deref());
        add("unmatched", self.unmatched.then_some("true"));
        let limit = self.limit.map(|l| l.to_string());
        add("limit", limit.as_deref());
        add("cursor", self.cursor.as_deref());
        q.map(|q| String::from(q.to_string())).unwrap_or_default()
    }
}

/// `GET /api/v1/payments`
pub async fn payments(f: &HistoryFilter) -> Result<api::Page<api::PaymentView>, ClientError> {
    get(&format!("/api/v1/payments?{}", f.query())).await
}

/// `GET /api/v1/payments/{id}`
pub async fn payment(id: &str) -> Result<api::PaymentView, ClientError> {
    get(&format!("/api/v1/payments/{id}")).await
}

/// `GET /api/v1/charges`
pub async fn charges(f: &HistoryFilter) -> Result<api::Page<api::ChargeView>, ClientError> {
    get(&format!("/api/v1/charges?{}", f.query())).await
}

/// The CSV export's address for these filters (a link the browser downloads).
pub fn payments_csv_url(f: &HistoryFilter) -> String {
    let f = HistoryFilter {
        cursor: None,
        limit: None,
        ..f.clone()
    };
    format!("/api/v1/payments.csv?{}", f.query())
}

/// `GET /api/v1/reports/daily`
pub async fn daily_totals(from: &str, to: &str) -> Result<Vec<api::DailyTotal>, ClientError> {
    get(&format!("/api/v1/reports/daily?from={from}&to={to}")).await
}

/// `POST /api/v1/charges/{id}/resolve`
pub async fn resolve_charge(
    id: &str,
    resolution: api::Resolution,
) -> Result<api::ChargeView, ClientError> {
    post(
        &format!("/api/v1/charges/{id}/resolve"),
        &api::ResolveCharge { resolution },
        None,
    )
    .await
}

async fn put<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ClientError> {
    let req = Request::put(url)
        .json(body)
        .map_err(|_| ClientError::Decode)?;
    let res = req.send().await.map_err(|_| ClientError::Network)?;
    read(res).await
}

/// `PUT /api/v1/merchant`
pub async fn update_merchant(p: &api::MerchantProfile) -> Result<api::MerchantView, ClientError> {
    put("/api/v1/merchant", p).await
}

/// `GET /api/v1/stores`
pub async fn stores() -> Result<Vec<api::StoreView>, ClientError> {
    get("/api/v1/stores").await
}

/// `POST /api/v1/stores`
pub async fn create_store(name: &str) -> Result<api::StoreView, ClientError> {
    let body = api::CreateStore {
        name: name.to_owned(),
    };
    post("/api/v1/stores", &body, None).await
}

/// `GET /api/v1/terminals`
pub async fn terminals() -> Result<Vec<api::TerminalView>, ClientError> {
    get("/api/v1/terminals").await
}

/// `POST /api/v1/terminals`
pub async fn create_terminal(body: &api::CreateTerminal) -> Result<api::TerminalView, ClientError> {
    post("/api/v1/terminals", body, None).await
}

/// `GET /api/v1/terminals/{id}/qr`: the counter's static QR.
pub async fn terminal_qr(id: &str) -> Result<api::StaticQr, ClientError> {
    get(&format!("/api/v1/terminals/{id}/qr")).await
}

/// `GET /api/v1/staff`
pub async fn staff() -> Result<Vec<api::StaffMember>, ClientError> {
    get("/api/v1/staff").await
}

/// `POST /api/v1/staff/invitations`
pub async fn invite(body: &api::InviteStaff) -> Result<api::Invitation, ClientError> {
    post("/api/v1/staff/invitations", body, None).await
}

/// `PATCH /api/v1/staff/{id}`: a new role (and a cashier's counter).
pub async fn update_staff(
    id: &str,
    body: &api::UpdateStaff,
) -> Result<api::StaffMember, ClientError> {
    patch(&format!("/api/v1/staff/{id}"), body).await
}

/// `DELETE /api/v1/staff/{id}`: removes a member; their screens sign out at once.
pub async fn remove_staff(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/staff/{id}")).await
}

/// `GET /api/v1/staff/invitations`: the invitations still open.
pub async fn invitations() -> Result<Vec<api::PendingInvitation>, ClientError> {
    get("/api/v1/staff/invitations").await
}

/// `DELETE /api/v1/staff/invitations/{id}`: the link stops working.
pub async fn revoke_invitation(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/staff/invitations/{id}")).await
}

/// `GET /api/v1/sessions`: where the signed-in person is signed in.
pub async fn sessions() -> Result<Vec<api::SessionInfo>, ClientError> {
    get("/api/v1/sessions").await
}

/// `DELETE /api/v1/sessions/{id}`: signs one of them out.
pub async fn end_session(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/sessions/{id}")).await
}

/// `DELETE /api/v1/sessions`: signs out everywhere, this browser too.
pub async fn end_all_sessions() -> Result<(), ClientError> {
    delete("/api/v1/sessions").await
}

/// `POST /api/v1/invitations/{token}/accept`: the invitee sets a password and is signed in.
pub async fn accept_invitation(
    token: &str,
    password: &str,
) -> Result<api::SessionView, ClientError> {
    let body = api::AcceptInvitation {
        password: password.to_owned(),
    };
    post(&format!("/api/v1/invitations/{token}/accept"), &body, None).await
}

/// `POST /api/v1/terminals/{id}/pairing`
pub async fn open_pairing(terminal_id: &str) -> Result<api::PairingCode, ClientError> {
    post_action(&format!("/api/v1/terminals/{terminal_id}/pairing")).await
}

/// `POST /api/v1/devices/pair`: this browser becomes the terminal's display (cookie set).
pub async fn pair_device(code: &str) -> Result<api::DevicePaired, ClientError> {
    let body = api::PairDevice {
        code: code.to_owned(),
        name: Some("Kiosk".into()),
    };
    post("/api/v1/devices/pair", &body, None).await
}

/// `GET /api/v1/devices`
pub async fn devices() -> Result<Vec<api::DeviceView>, ClientError> {
    get("/api/v1/devices").await
}

/// `DELETE /api/v1/devices/{id}`
pub async fn revoke_device(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/devices/{id}")).await
}

/// `POST /api/v1/payments/{id}/resolve`
pub async fn resolve_payment(
    id: &str,
    resolution: api::Resolution,
) -> Result<api::PaymentView, ClientError> {
    post(
        &format!("/api/v1/payments/{id}/resolve"),
        &api::ResolveCharge { resolution },
        None,
    )
    .await
}

/// A fresh idempotency key.
pub fn new_idempotency_key() -> String {
    let a = (js_sys::Math::random() * 1e15) as u64;
    let b = (js_sys::Math::random() * 1e15) as u64;
    format!("app-{a:x}{b:x}")
}

/// The translated message for an error.
pub fn error_key(e: &ClientError) -> crate::i18n::Key {
    use crate::i18n::Key;
    match e {
        ClientError::Network => Key::ErrNetwork,
        ClientError::Decode => Key::ErrGeneric,
        ClientError::Api(d) => match (d.code, d.field.as_deref()) {
            (api::ErrorCode::Conflict, Some("email")) => Key::ErrEmailTaken,
            (_, Some("email")) => Key::ErrEmail,
            (_, Some("password")) => Key::ErrPassword,
            (_, Some("business_name")) => Key::ErrBusinessName,
            (_, Some("merchant_city")) => Key::ErrCity,
            (_, Some("bakong_account_id")) => Key::ErrBakong,
            (_, Some("amount")) => Key::ErrAmount,
            (_, Some("code")) => Key::ErrCode,
            (_, Some("token")) => Key::ErrToken,
            (_, Some("url")) => Key::ErrWebhookUrl,
            (api::ErrorCode::Conflict, Some("name" | "label")) => Key::ErrTaken,
            (_, Some(_)) => Key::ErrField,
            (api::ErrorCode::Unauthorized, _) => Key::ErrCredentials,
            _ => Key::ErrGeneric,
        },
    }
}

/// A PATCH with a JSON body.
async fn patch<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
) -> Result<T, ClientError> {
    let req = Request::patch(url)
        .json(body)
        .map_err(|_| ClientError::Decode)?;
    let res = req.send().await.map_err(|_| ClientError::Network)?;
    read(res).await
}

/// `GET /api/v1/webhook-endpoints`
pub async fn webhook_endpoints() -> Result<Vec<api::WebhookEndpointView>, ClientError> {
    get("/api/v1/webhook-endpoints").await
}

/// `POST /api/v1/webhook-endpoints`
pub async fn create_webhook_endpoint(
    body: &api::CreateWebhookEndpoint,
) -> Result<api::WebhookEndpointSecret, ClientError> {
    post("/api/v1/webhook-endpoints", body, None).await
}

/// `PATCH /api/v1/webhook-endpoints/{id}`
pub async fn update_webhook_endpoint(
    id: &str,
    body: &api::UpdateWebhookEndpoint,
) -> Result<api::WebhookEndpointView, ClientError> {
    patch(&format!("/api/v1/webhook-endpoints/{id}"), body).await
}

/// `DELETE /api/v1/webhook-endpoints/{id}`
pub async fn delete_webhook_endpoint(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/webhook-endpoints/{id}")).await
}

/// `POST /api/v1/webhook-endpoints/{id}/rotate-secret`
pub async fn rotate_webhook_secret(id: &str) -> Result<api::WebhookEndpointSecret, ClientError> {
    post_action(&format!("/api/v1/webhook-endpoints/{id}/rotate-secret")).await
}

/// `GET /api/v1/webhook-endpoints/{id}/deliveries`
pub async fn webhook_deliveries(id: &str) -> Result<Vec<api::WebhookDeliveryView>, ClientError> {
    get(&format!(
        "/api/v1/webhook-endpoints/{id}/deliveries?limit=20"
    ))
    .await
}

/// `POST /api/v1/webhook-deliveries/{id}/retry`
pub async fn retry_webhook_delivery(id: &str) -> Result<api::WebhookDeliveryView, ClientError> {
    post_action(&format!("/api/v1/webhook-deliveries/{id}/retry")).await
}

/// `GET /api/v1/api-keys`
pub async fn api_keys() -> Result<Vec<api::ApiKeyView>, ClientError> {
    get("/api/v1/api-keys").await
}

/// `POST /api/v1/api-keys`
pub async fn create_api_key(body: &api::CreateApiKey) -> Result<api::ApiKeyCreated, ClientError> {
    post("/api/v1/api-keys", body, None).await
}

/// `DELETE /api/v1/api-keys/{id}`
pub async fn revoke_api_key(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/api-keys/{id}")).await
}

/// `GET /api/v1/telegram/chats`: the deployment's bot and the linked chats.
pub async fn telegram_chats() -> Result<api::TelegramChats, ClientError> {
    get("/api/v1/telegram/chats").await
}

/// `POST /api/v1/telegram/links`: a one-time code that links the chat it is sent in.
pub async fn telegram_link(body: &api::NewChatLink) -> Result<api::ChatLink, ClientError> {
    post("/api/v1/telegram/links", body, None).await
}

/// `PATCH /api/v1/telegram/chats/{id}`
pub async fn update_telegram_chat(
    id: &str,
    body: &api::ChatPatch,
) -> Result<api::TelegramChat, ClientError> {
    patch(&format!("/api/v1/telegram/chats/{id}"), body).await
}

/// `POST /api/v1/telegram/chats/{id}/test`: answered 202 once the message is queued.
pub async fn test_telegram_chat(id: &str) -> Result<(), ClientError> {
    let req = Request::post(&format!("/api/v1/telegram/chats/{id}/test"))
        .json(&serde_json::json!({}))
        .map_err(|_| ClientError::Decode)?;
    let res = req.send().await.map_err(|_| ClientError::Network)?;
    if res.ok() {
        Ok(())
    } else {
        read::<()>(res).await
    }
}

/// `DELETE /api/v1/telegram/chats/{id}`: nothing more is posted there.
pub async fn remove_telegram_chat(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/telegram/chats/{id}")).await
}

// items

/// `GET /api/v1/items`: every item, in grid order.
pub async fn items() -> Result<Vec<api::ItemView>, ClientError> {
    let list: api::ItemList = get("/api/v1/items").await?;
    Ok(list.items)
}

/// `POST /api/v1/items`
pub async fn create_item(body: &api::NewItem) -> Result<api::ItemView, ClientError> {
    post("/api/v1/items", body, None).await
}

/// `PATCH /api/v1/items/{id}`: only what the patch carries changes.
pub async fn update_item(id: &str, body: &api::ItemPatch) -> Result<api::ItemView, ClientError> {
    patch(&format!("/api/v1/items/{id}"), body).await
}

/// `DELETE /api/v1/items/{id}`
pub async fn delete_item(id: &str) -> Result<(), ClientError> {
    delete(&format!("/api/v1/items/{id}")).await
}

/// The items CSV export's address (a link the browser downloads).
pub const ITEMS_CSV: &str = "/api/v1/items.csv";

/// `POST /api/v1/items.csv`: a spreadsheet's rows, all imported or none.
pub async fn import_items(csv: wasm_bindgen::JsValue) -> Result<api::ItemImport, ClientError> {
    let req = Request::post(ITEMS_CSV)
        .header("Content-Type", "text/csv")
        .body(csv)
        .map_err(|_| ClientError::Decode)?;
    read(req.send().await.map_err(|_| ClientError::Network)?).await
}

/// `PATCH /api/v1/merchant {"usd_khr_rate"}`: the shop's riel per dollar (`None` clears it).
pub async fn set_usd_khr_rate(rate: Option<String>) -> Result<api::MerchantView, ClientError> {
    patch(
        "/api/v1/merchant",
        &serde_json::json!({ "usd_khr_rate": rate }),
    )
    .await
}

/// `GET /api/v1/fx`: the yuan reference rates, and a jump waiting for the owner.
pub async fn fx_rates() -> Result<api::FxRates, ClientError> {
    get("/api/v1/fx").await
}

/// `PUT /api/v1/fx/{currency}`: the owner's own rate (`None` goes back to the fetched one).
pub async fn set_fx_rate(
    currency: khqr::Currency,
    cny_per_unit: Option<String>,
) -> Result<(), ClientError> {
    let req = Request::put(&format!("/api/v1/fx/{}", currency.code()))
        .json(&api::SetFxRate { cny_per_unit })
        .map_err(|_| ClientError::Decode)?;
    answered(req.send().await.map_err(|_| ClientError::Network)?).await
}

/// `POST /api/v1/fx/{currency}/confirm`: the owner accepts a rate that jumped.
pub async fn confirm_fx_rate(currency: khqr::Currency) -> Result<(), ClientError> {
    let req = Request::post(&format!("/api/v1/fx/{}/confirm", currency.code()))
        .json(&serde_json::json!({}))
        .map_err(|_| ClientError::Decode)?;
    answered(req.send().await.map_err(|_| ClientError::Network)?).await
}

/// Success whatever the body says (the caller loads what it shows again).
async fn answered(res: Response) -> Result<(), ClientError> {
    if res.ok() {
        Ok(())
    } else {
        read::<()>(res).await
    }
}

// sales

/// `GET /api/v1/reports/items`: what paid charges sold in a range of local days (a counter's, or
/// all), most sold first, one row per item and currency.
pub async fn item_report(
    from: &str,
    to: &str,
    terminal: Option<&str>,
) -> Result<api::ItemReport, ClientError> {
    let f = HistoryFilter {
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
        terminal: terminal.map(str::to_owned),
        ..Default::default()
    };
    get(&format!("/api/v1/reports/items?{}", f.query())).await
}

/// The lines export's address (one row per sold line) for the days of these filters.
pub fn payment_lines_csv_url(f: &HistoryFilter) -> String {
    let days = HistoryFilter {
        from: f.from.clone(),
        to: f.to.clone(),
        ..Default::default()
    };
    format!("/api/v1/payments/lines.csv?{}", days.query())
}

/// The shop's dollar rate a payment's charge converted its dollar-priced lines at (a payment
/// does not carry it; its charge does); `None` when no line was converted.
pub async fn payment_dollar_rate(p: &api::PaymentView) -> Option<String> {
    // The payment carries the rate its charge's dollar lines were converted at.
    p.usd_khr_rate
        .clone()
        .filter(|_| crate::components::sold_lines::converted(&p.lines))
}
