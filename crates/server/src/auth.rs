//! Who is calling: the `Caller` extractor (a session cookie, a paired device's token, or an API
//! key as a bearer token), and session tokens (passwords are hashed by `hashing`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::clock::now_ms;
use crate::error::ApiError;
use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "tonle_session";
/// Name of a paired device's cookie.
pub const DEVICE_COOKIE: &str = "tonle_device";
/// Prefix that tells a device token from a session token.
pub const DEVICE_TOKEN_PREFIX: &str = "dev_";
/// Prefix of an API key.
pub const API_KEY_PREFIX: &str = "tk_";

/// Session lifetime.
pub const SESSION_DAYS: i64 = 30;
pub use crate::store::{SESSION_IDLE_MS, SESSION_TOUCH_MS};

/// An authenticated caller. Handlers take this; they never read tokens themselves.
#[derive(Debug, Clone)]
pub enum Caller {
    /// a person signed in with email and password
    Staff {
        /// user
        user_id: String,
        /// merchant
        merchant_id: crate::api::MerchantId,
        /// email
        email: String,
        /// role
        role: crate::api::StaffRole,
        /// hash of the session token (for logout)
        token_hash: String,
        /// the session's id (what ends it alone)
        session_id: String,
        /// when the session ends at the latest
        expires_at: i64,
        /// a cashier's terminal
        terminal_id: Option<String>,
    },
    /// a paired customer-facing device (kiosk), scoped to one terminal; it only watches
    Device {
        /// device
        device_id: String,
        /// merchant
        merchant_id: crate::api::MerchantId,
        /// the terminal it serves
        terminal_id: String,
    },
    /// another system of the merchant (a POS, an ERP) with an API key; what it may do is its
    /// scopes
    ApiKey {
        /// the key
        key_id: String,
        /// merchant
        merchant_id: crate::api::MerchantId,
        /// what it may do
        scopes: Vec<crate::api::Scope>,
    },
}

impl Caller {
    /// The user behind this caller.
    pub fn user_id(&self) -> &str {
        match self {
            Self::Staff { user_id, .. } => user_id,
            Self::Device { device_id, .. } => device_id,
            Self::ApiKey { key_id, .. } => key_id,
        }
    }

    /// Whether a revocation naming `id` ends this caller's open websockets: a device, an API
    /// key, a session, or every session of a person (removed, new role, new password, signed out
    /// everywhere).
    pub fn ended_by(&self, id: &str) -> bool {
        match self {
            Self::Staff {
                session_id,
                user_id,
                ..
            } => id == session_id || id == user_id,
            Self::Device { device_id, .. } => id == device_id,
            Self::ApiKey { key_id, .. } => id == key_id,
        }
    }

    /// A cashier's terminal: what they may charge at and see.
    pub fn terminal_id(&self) -> Option<&str> {
        match self {
            Self::Staff { terminal_id, .. } => terminal_id.as_deref(),
            Self::Device { terminal_id, .. } => Some(terminal_id),
            Self::ApiKey { .. } => None,
        }
    }

    /// The merchant whose data this caller may touch; every query is scoped by it.
    pub fn merchant_id(&self) -> &crate::api::MerchantId {
        match self {
            Self::Staff { merchant_id, .. }
            | Self::Device { merchant_id, .. }
            | Self::ApiKey { merchant_id, .. } => merchant_id,
        }
    }
}

/// Hex SHA-256 of a token: what the database stores.
pub fn token_hash(token: &str) -> String {
    token_hash_bytes(token.as_bytes())
}

/// Hex SHA-256 of bytes (a notification body, a token).
pub fn token_hash_bytes(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh API key (`tk_` and 32 random bytes).
pub fn new_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", new_token())
}

/// A fresh random session token.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    URL_SAFE_NO_PAD.encode(b)
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_DAYS * 86_400
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

/// The `Set-Cookie` value for a paired device (a year; revoked from settings, not by time).
pub fn device_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}")
}

/// The `Set-Cookie` value that makes a browser forget its device token.
pub fn clear_device_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{DEVICE_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

fn cookie_token(parts: &Parts) -> Option<String> {
    named_cookie(parts, SESSION_COOKIE).or_else(|| named_cookie(parts, DEVICE_COOKIE))
}

fn named_cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_owned())
        })
}

fn bearer_token(parts: &Parts) -> Option<String> {
    let v = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// CSRF defence for cookie-authenticated writes: a browser's cross-site request carries an
/// `Origin` that differs from `Host` (and SameSite=Strict keeps the cookie off it anyway). A
/// request that reached a trusted proxy over https must come from the https origin.
fn same_origin(parts: &Parts) -> bool {
    let https = parts
        .extensions
        .get::<crate::client::ClientAddr>()
        .is_some_and(|c| c.https);
    let Some(origin) = parts
        .headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if https {
        return origin.strip_prefix("https://") == Some(host);
    }
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    origin_host == host
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (token, from_cookie) = match (bearer_token(parts), cookie_token(parts)) {
            (Some(t), _) => (t, false),
            (None, Some(t)) => (t, true),
            (None, None) => return Err(ApiError::Unauthorized("sign in first".into())),
        };
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        // A websocket upgrade is not covered by SameSite in every browser and a page on any
        // origin may open one: it is checked like a write.
        let upgrade = parts
            .headers
            .get(header::UPGRADE)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
        if from_cookie && (unsafe_method || upgrade) && !same_origin(parts) {
            return Err(ApiError::Forbidden("cross-site request refused".into()));
        }
        let hash = token_hash(&token);
        if token.starts_with(API_KEY_PREFIX) {
            // A key is for machines: sent as a bearer token, never carried by a browser's cookie.
            let key = match from_cookie {
                true => None,
                false => state.store.use_api_key(&hash, now_ms()).await?,
            };
            let key = key.ok_or_else(|| {
                ApiError::Unauthorized("this API key was revoked or never existed".into())
            })?;
            return Ok(Self::ApiKey {
                key_id: key.key_id,
                merchant_id: key.merchant_id.into(),
                scopes: key.scopes,
            });
        }
        if token.starts_with(DEVICE_TOKEN_PREFIX) {
            let d = state.store.device(&hash).await?.ok_or_else(|| {
                ApiError::Unauthorized(
                    "this device was revoked or never paired; pair it again".into(),
                )
            })?;
            return Ok(Self::Device {
                device_id: d.device_id,
                merchant_id: d.merchant_id.into(),
                terminal_id: d.terminal_id,
            });
        }
        let session = state.store.session(&hash, now_ms()).await?;
        let s = session
            .ok_or_else(|| ApiError::Unauthorized("session expired; sign in again".into()))?;
        let now = now_ms();
        if now - s.last_seen_at >= SESSION_TOUCH_MS {
            state.store.touch_session(&hash, now).await?;
        }
        Ok(Self::Staff {
            user_id: s.user_id,
            merchant_id: s.merchant_id.into(),
            email: s.email,
            role: s.role,
            token_hash: hash,
            session_id: s.session_id,
            expires_at: s.expires_at,
            terminal_id: s.terminal_id,
        })
    }
}
