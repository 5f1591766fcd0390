//! The one error shape every endpoint answers with: `{ "error": { "code", "message", "field" } }`.

use serde::{Deserialize, Serialize};

/// Stable machine codes; clients branch on these, never on the message.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// a field failed validation (400/422)
    Validation,
    /// malformed JSON or wrong content type (400/415)
    BadRequest,
    /// not signed in, bad credentials or a bad signature (401)
    Unauthorized,
    /// signed in but not allowed (403)
    Forbidden,
    /// no such resource (404)
    NotFound,
    /// state conflict, e.g. a duplicate email (409)
    Conflict,
    /// an idempotency key reused with another body (409)
    IdempotencyConflict,
    /// body too large (413)
    PayloadTooLarge,
    /// too many attempts (429)
    RateLimited,
    /// the request was not received in time (408)
    Timeout,
    /// the method is not served at this path (405)
    MethodNotAllowed,
    /// the server is at a limit it keeps to stay up; retry after `Retry-After` (503)
    Unavailable,
    /// the server failed; details are in its log (500)
    Internal,
    /// a code this client does not know yet
    #[serde(other)]
    Unknown,
}

/// The detail inside an error body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// machine code
    pub code: ErrorCode,
    /// a sentence for people
    pub message: String,
    /// the request field at fault, when one is
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `{ "error": { … } }`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// the error
    pub error: ErrorDetail,
}
