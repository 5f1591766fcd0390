//! The server's one error type at the HTTP boundary: every variant maps to a status and the
//! `{ "error": { code, message, field } }` body; 5xx bodies are opaque and the cause is logged.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::api;
use crate::store::StoreError;

/// Errors a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// a field failed validation
    #[error("{message}")]
    Validation {
        /// the field
        field: String,
        /// why
        message: String,
    },
    /// the request as a whole is malformed
    #[error("{0}")]
    BadRequest(String),
    /// not signed in / bad credentials / bad signature
    #[error("{0}")]
    Unauthorized(String),
    /// not allowed
    #[error("{0}")]
    Forbidden(String),
    /// no such thing
    #[error("{0}")]
    NotFound(String),
    /// conflicting state
    #[error("{message}")]
    Conflict {
        /// the field, when one is at fault
        field: Option<String>,
        /// why
        message: String,
    },
    /// idempotency key reused with another body
    #[error("this Idempotency-Key was used with a different request")]
    IdempotencyConflict,
    /// too large
    #[error("request body is too large")]
    PayloadTooLarge,
    /// too many attempts: try again after `retry_after_secs`
    #[error("{message}")]
    RateLimited {
        /// why, and when to come back
        message: String,
        /// seconds until a try is allowed (the `Retry-After` header)
        retry_after_secs: u64,
    },
    /// the server is at a limit it keeps to stay up (e.g. password hashing); retry shortly
    #[error("{message}")]
    Busy {
        /// what is busy
        message: String,
        /// seconds to wait (the `Retry-After` header)
        retry_after_secs: u64,
    },
    /// the request was not received in time
    #[error("the request was not received in time")]
    Timeout,
    /// the method is not served at this path
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// anything else: logged, never shown
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// Too many attempts; come back in `secs` seconds.
    pub fn rate_limited(what: &str, secs: u64) -> Self {
        Self::RateLimited {
            message: format!("{what}; try again in {secs} s"),
            retry_after_secs: secs.max(1),
        }
    }

    /// A validation error on `field`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound("not found".into()),
            StoreError::Conflict(what) => Self::Conflict {
                field: Some(what.to_owned()),
                message: format!("{what} is already taken"),
            },
            StoreError::Other(e) => Self::Internal(e),
        }
    }
}

impl From<khqr::KhqrError> for ApiError {
    fn from(e: khqr::KhqrError) -> Self {
        Self::Validation {
            field: e.field.to_owned(),
            message: format!("{}: {}", e.code, e.message),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use api::ErrorCode as C;
        let (status, code, field) = match &self {
            Self::Validation { field, .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                C::Validation,
                Some(field.clone()),
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, C::BadRequest, None),
            Self::Unauthorized(_) => (StatusCode::UNAUTHORIZED, C::Unauthorized, None),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, C::Forbidden, None),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, C::NotFound, None),
            Self::Conflict { field, .. } => (StatusCode::CONFLICT, C::Conflict, field.clone()),
            Self::IdempotencyConflict => (
                StatusCode::CONFLICT,
                C::IdempotencyConflict,
                Some("Idempotency-Key".into()),
            ),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, C::PayloadTooLarge, None),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, C::RateLimited, None),
            Self::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, C::Unavailable, None),
            Self::Timeout => (StatusCode::REQUEST_TIMEOUT, C::Timeout, None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, C::MethodNotAllowed, None),
            Self::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, C::Internal, None)
            }
        };
        let message = match &self {
            Self::Internal(_) => "internal error; the cause is in the server log".to_owned(),
            other => other.to_string(),
        };
        let body = api::ErrorBody {
            error: api::ErrorDetail {
                code,
                message,
                field,
            },
        };
        let mut res = (status, Json(body)).into_response();
        if let Self::RateLimited {
            retry_after_secs, ..
        }
        | Self::Busy {
            retry_after_secs, ..
        } = &self
        {
            res.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, (*retry_after_secs).into());
        }
        res
    }
}

/// JSON body extractor whose rejections use the same error body (field named where serde says).
pub struct AppJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for AppJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(Self(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(json_field_error(&e.body_text())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::BadRequest(
                "Content-Type must be application/json".into(),
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::PayloadTooLarge)
            }
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError::BadRequest(
                "the request body could not be read".into(),
            )),
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

/// Turns serde's "missing field `x`" / "unknown variant" text into a field error.
fn json_field_error(text: &str) -> ApiError {
    let field = text
        .split('`')
        .nth(1)
        .filter(|_| text.contains("missing field") || text.contains("unknown field"))
        .map(str::to_owned)
        .or_else(|| {
            text.split(": ")
                .nth(1)
                .and_then(|p| p.split(':').next())
                .filter(|p| !p.contains(' '))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "body".to_owned());
    ApiError::Validation {
        field,
        message: text.to_owned(),
    }
}

/// Query-string extractor whose rejections use the same error body.
pub struct AppQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for AppQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(e) => {
                let text = e.body_text();
                let field = text.split('`').nth(1).unwrap_or("query").to_owned();
                Err(ApiError::Validation {
                    field,
                    message: text,
                })
            }
        }
    }
}

/// Answers the framework's own plain-text refusals (an oversized body caught by the length limit,
/// a wrong method, a timeout) with the documented JSON error body.
pub async fn json_refusals(res: Response) -> Response {
    let is_json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        return res;
    }
    let err = match res.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ApiError::Timeout,
        _ => return res,
    };
    let allow = res.headers().get(axum::http::header::ALLOW).cloned();
    let mut out = err.into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(axum::http::header::ALLOW, allow);
    }
    out
}
