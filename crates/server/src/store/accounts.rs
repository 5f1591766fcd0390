//! Merchants, their people (staff, invitations), sessions and password resets.

use super::*;

/// Merchants, their people (staff, invitations), sessions and password resets.
#[async_trait::async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a merchant and its owner. Conflict("email") when taken.
    async fn register(&self, new: NewMerchant, now: i64) -> StoreResult<MerchantRow>;
    /// A user by lowercased email.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>>;
    /// A merchant.
    async fn merchant(&self, merchant_id: &str) -> StoreResult<MerchantRow>;
    /// Replaces a merchant's editable profile (everything but id and bill prefix).
    async fn update_merchant(&self, m: &MerchantRow, now: i64) -> StoreResult<()>;
    /// Stores an invitation.
    async fn create_invitation(&self, inv: &InvitationRow, now: i64) -> StoreResult<()>;
    /// An unexpired, unused invitation (a read: nothing is used up).
    async fn invitation(&self, token_hash: &str, now: i64) -> StoreResult<Option<InvitationRow>>;
    /// Uses an unexpired, unused invitation once: creates its user. NotFound when it is not
    /// (or no longer) valid; Conflict("email") when the email already has an account.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<UserRow>;
    /// A merchant's staff.
    async fn staff(&self, merchant_id: &str) -> StoreResult<Vec<StaffRow>>;
    /// Replaces a user's password hash and ends every session of theirs; NotFound when no user
    /// has the (lowercased) email.
    async fn reset_password(&self, email: &str, password_hash: &str, now: i64) -> StoreResult<()>;
    /// Stores a session token hash.
    async fn create_session(
        &self,
        token_hash: &str,
        user: &UserRow,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()>;
    /// A live session by token hash.
    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Keeps an emailed password-reset link (its token's hash) for `email` until `expires_at`.
    async fn create_password_reset(
        &self,
        token_hash: &str,
        email: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()>;
    /// The email a reset link is for, while it is unused and unexpired.
    async fn password_reset(&self, token_hash: &str, now: i64) -> StoreResult<Option<String>>;
    /// Spends a reset link: sets its account's password and signs the account out everywhere.
    /// `NotFound` when the link is wrong, used or expired (or its account is gone).
    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()>;
}
