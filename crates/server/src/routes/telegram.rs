//! Telegram chats (owner or manager): a one-time link code, sent to the deployment's bot as
//! `/start <code>` in a group, links that group to the merchant with the code's scope (the
//! whole business, a store or a counter) and language; the chats are listed, changed, tested
//! and unlinked here. Cashiers, devices and API keys see none of it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};

use crate::api;
use crate::auth::Caller;
use crate::clock::now_ms;
use crate::error::{ApiError, AppJson};
use crate::policy::{self, Action};
use crate::state::AppState;
use crate::store::{ChatRow, LinkCodeRow};

/// How long a link code is good for.
pub const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Unused codes one merchant may hold at once.
pub const MAX_OPEN_CODES: usize = 10;
/// Chats one merchant may link.
pub const MAX_CHATS: usize = 20;

/// `POST /telegram/links`, `GET /telegram/chats`, `PATCH|DELETE /telegram/chats/{id}`,
/// `POST /telegram/chats/{id}/test`
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/telegram/links", post(link))
        .route("/telegram/chats", get(list))
        .route("/telegram/chats/{id}", patch(change).delete(unlink))
        .route("/telegram/chats/{id}/test", post(test))
}

fn view(c: &ChatRow) -> api::TelegramChat {
    api::TelegramChat {
        id: c.link_id.clone(),
        chat_id: c.chat_id,
        thread_id: c.thread_id,
        title: c.title.clone(),
        language: c.language,
        store_id: c.store_id.clone(),
        terminal_id: c.terminal_id.clone(),
        events: c.events.clone(),
        quiet_hours: c.quiet_hours,
        summary_hour: c.summary_hour,
        status: c.status,
        removed_reason: c.removed_reason.clone(),
        last_delivered_at_ms: c.last_delivered_at,
        waiting: c.waiting,
    }
}

fn bot(state: &AppState) -> Result<&std::sync::Arc<crate::telegram::Telegram>, ApiError> {
    state.telegram.as_ref().ok_or_else(|| {
        ApiError::NotFound(
            "this server has no Telegram bot; whoever runs it sets one up with --telegram-bot-token"
                .into(),
        )
    })
}

/// A code a person can also type: 16 characters of `[A-Za-z0-9_-]` (96 bits).
fn new_code() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut b = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn events(mut e: Vec<api::ChatEvent>) -> Vec<api::ChatEvent> {
    e.sort();
    e.dedup();
    // Every kind is the same as none named: everything, including kinds added later.
    if e.len() == api::ChatEvent::ALL.len() {
        e.clear();
    }
    e
}

/// The store or counter a link is scoped to is the merchant's.
async fn check_scope(
    state: &AppState,
    merchant_id: &str,
    body: &api::NewChatLink,
) -> Result<(), ApiError> {
    if let Some(t) = &body.terminal_id {
        state
            .store
            .terminal(merchant_id, t)
            .await
            .map_err(|_| ApiError::field("terminal_id", "no such counter"))?;
    }
    if let Some(s) = &body.store_id
        && !state
            .store
            .stores(merchant_id)
            .await?
            .iter()
            .any(|x| &x.store_id == s)
    {
        return Err(ApiError::field("store_id", "no such store"));
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/telegram/links", tag = "telegram", request_body = api::NewChatLink, responses((status = 201, body = api::ChatLink, description = "a code for one chat, 10 minutes"), (status = 403, description = "only an owner or manager", body = api::ErrorBody), (status = 404, description = "no bot on this server, or no such store or counter", body = api::ErrorBody), (status = 422, description = "a field is wrong, or too many chats or open codes", body = api::ErrorBody), (status = 503, description = "Telegram has not answered getMe yet", body = api::ErrorBody)))]
async fn link(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(body): AppJson<api::NewChatLink>,
) -> Result<(StatusCode, Json<api::ChatLink>), ApiError> {
    policy::allow(&caller, Action::ManageTelegram)?;
    let bot = bot(&state)?;
    let merchant_id = caller.merchant_id().to_string();
    check_scope(&state, &merchant_id, &body).await?;
    if state.store.telegram_chats(&merchant_id).await?.len() >= MAX_CHATS {
        return Err(ApiError::field(
            "language",
            format!("a merchant links at most {MAX_CHATS} chats; remove one first"),
        ));
    }
    let username = bot.username().ok_or_else(|| ApiError::Busy {
        message: "Telegram has not answered yet; try again in a minute".into(),
        retry_after_secs: 30,
    })?;
    let code = new_code();
    let now = now_ms();
    let row = LinkCodeRow {
        code_hash: crate::auth::token_hash(&code),
        merchant_id,
        language: body.language,
        store_id: body.store_id.filter(|_| body.terminal_id.is_none()),
        terminal_id: body.terminal_id,
        events: events(body.events.unwrap_or_default()),
        expires_at: now + CODE_TTL_MS,
    };
    if !state
        .store
        .create_link_code(&row, MAX_OPEN_CODES, now)
        .await?
    {
        return Err(ApiError::field(
            "language",
            format!("at most {MAX_OPEN_CODES} link codes wait at once; use one or wait 10 minutes"),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(api::ChatLink {
            url: format!("https://t.me/{username}?startgroup={code}"),
            code,
            expires_at_ms: row.expires_at,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/telegram/chats", tag = "telegram", responses((status = 200, body = api::TelegramChats), (status = 403, description = "only an owner or manager", body = api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<api::TelegramChats>, ApiError> {
    policy::allow(&caller, Action::ManageTelegram)?;
    let items = state
        .store
        .telegram_chats(caller.merchant_id())
        .await?
        .iter()
        .map(view)
        .collect();
    Ok(Json(api::TelegramChats {
        configured: state.telegram.is_some(),
        bot: state.telegram.as_ref().and_then(|b| b.username()),
        items,
    }))
}

#[utoipa::path(patch, path = "/api/v1/telegram/chats/{id}", tag = "telegram", request_body = api::ChatPatch, params(("id" = String, Path)), responses((status = 200, body = api::TelegramChat), (status = 403, description = "only an owner or manager", body = api::ErrorBody), (status = 404, description = "no such chat", body = api::ErrorBody), (status = 422, description = "a field is wrong", body = api::ErrorBody)))]
async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    AppJson(body): AppJson<api::ChatPatch>,
) -> Result<Json<api::TelegramChat>, ApiError> {
    policy::allow(&caller, Action::ManageTelegram)?;
    let mut chat = state.store.telegram_chat(caller.merchant_id(), &id).await?;
    if let Some(Some(q)) = body.quiet_hours
        && (q.from > 23 || q.to > 23 || q.from == q.to)
    {
        return Err(ApiError::field(
            "quiet_hours",
            "from and to are different hours, 0 to 23",
        ));
    }
    if body.summary_hour.is_some_and(|h| h > 23) {
        return Err(ApiError::field("summary_hour", "an hour, 0 to 23"));
    }
    if let Some(l) = body.language {
        chat.language = l;
    }
    if let Some(e) = body.events {
        chat.events = events(e);
    }
    if let Some(q) = body.quiet_hours {
        chat.quiet_hours = q;
    }
    let new_hour = body.summary_hour.filter(|h| *h != chat.summary_hour);
    if let Some(h) = new_hour {
        chat.summary_hour = h;
    }
    state.store.update_telegram_chat(&chat, now_ms()).await?;
    if new_hour.is_some() {
        crate::alerts::summary::first_day(&state, &chat).await?;
    }
    Ok(Json(view(&chat)))
}

#[utoipa::path(delete, path = "/api/v1/telegram/chats/{id}", tag = "telegram", params(("id" = String, Path)), responses((status = 204, description = "unlinked; what waited for it is dropped"), (status = 403, description = "only an owner or manager", body = api::ErrorBody), (status = 404, description = "no such chat", body = api::ErrorBody)))]
async fn unlink(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageTelegram)?;
    state
        .store
        .delete_telegram_chat(caller.merchant_id(), &id, now_ms())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/telegram/chats/{id}/test", tag = "telegram", params(("id" = String, Path)), responses((status = 202, description = "queued; it goes at the chat's pace"), (status = 403, description = "only an owner or manager", body = api::ErrorBody), (status = 404, description = "no such chat, or no bot", body = api::ErrorBody), (status = 409, description = "the chat was removed from Telegram", body = api::ErrorBody)))]
async fn test(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    policy::allow(&caller, Action::ManageTelegram)?;
    let bot = bot(&state)?;
    let chat = state.store.telegram_chat(caller.merchant_id(), &id).await?;
    if chat.status != api::ChatStatus::Active {
        return Err(ApiError::Conflict {
            field: Some("status".into()),
            message: "the bot was removed from this chat; link it again".into(),
        });
    }
    state
        .store
        .queue_telegram(&chat.link_id, "test", "", now_ms())
        .await?;
    bot.wake();
    Ok(StatusCode::ACCEPTED)
}
