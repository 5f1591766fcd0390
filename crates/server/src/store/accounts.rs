//! Merchants, their people (staff, invitations), sessions and password resets.

use super::*;

/// A merchant.
#[derive(Debug, Clone)]
pub struct MerchantRow {
    /// id
    pub merchant_id: String,
    /// display name
    pub business_name: String,
    /// city
    pub merchant_city: String,
    /// KH or CN
    pub country: api::Country,
    /// Bakong account
    pub bakong_account_id: Option<String>,
    /// preselected currency
    pub default_currency: khqr::Currency,
    /// QR lifetime
    pub qr_lifetime_secs: u32,
    /// prefix of bill numbers, unique across merchants
    pub bill_prefix: String,
    /// MCC
    pub merchant_category_code: String,
    /// KHQR merchant id (tag 30-01)
    pub khqr_merchant_id: Option<String>,
    /// acquiring bank (tag 29/30-02)
    pub acquiring_bank: Option<String>,
    /// UnionPay account, 31 characters
    pub upi_account: Option<String>,
    /// alternate language `km` / `zh`
    pub alt_language: Option<String>,
    /// alternate name
    pub alt_name: Option<String>,
    /// alternate city
    pub alt_city: Option<String>,
    /// the largest amount one charge may ask, per currency
    pub max_charge: Vec<khqr::Money>,
    /// riel per dollar at this shop, × 10⁸
    pub usd_khr_rate: Option<u64>,
}

/// A user who can sign in.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// id
    pub user_id: String,
    /// merchant
    pub merchant_id: String,
    /// email
    pub email: String,
    /// argon2id PHC string
    pub password_hash: String,
    /// owner, manager, cashier
    pub role: api::StaffRole,
    /// whether they proved the address (an emailed invitation or reset link)
    pub email_verified: bool,
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// id (what a revocation names to end this session alone)
    pub session_id: String,
    /// ends at the latest at
    pub expires_at: i64,
    /// last used at (written at most every few minutes)
    pub last_seen_at: i64,
    /// user
    pub user_id: String,
    /// merchant
    pub merchant_id: String,
    /// email
    pub email: String,
    /// role
    pub role: api::StaffRole,
    /// a cashier's terminal
    pub terminal_id: Option<String>,
}

/// An invitation as stored (the token itself is never stored, only its hash).
#[derive(Debug, Clone)]
pub struct InvitationRow {
    /// id, to list and revoke it
    pub invitation_id: String,
    /// SHA-256 of the token
    pub token_hash: String,
    /// merchant
    pub merchant_id: String,
    /// invited email (lowercased)
    pub email: String,
    /// role
    pub role: api::StaffRole,
    /// a cashier's terminal
    pub terminal_id: Option<String>,
    /// the inviter
    pub invited_by: String,
    /// valid until
    pub expires_at: i64,
    /// made at
    pub created_at: i64,
    /// whether the link was emailed (accepting it proves the address)
    pub emailed: bool,
}

/// A member of staff as stored.
#[derive(Debug, Clone)]
pub struct StaffRow {
    /// user id
    pub user_id: String,
    /// email
    pub email: String,
    /// role
    pub role: api::StaffRole,
    /// terminal
    pub terminal_id: Option<String>,
    /// whether they proved the address
    pub email_verified: bool,
}

/// A new merchant with its owner.
#[derive(Debug, Clone)]
pub struct NewMerchant {
    /// merchant row
    pub merchant: MerchantRow,
    /// owner's id
    pub user_id: String,
    /// owner's email (lowercased)
    pub email: String,
    /// owner's password hash
    pub password_hash: String,
}

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
    /// Stores an invitation unless the merchant already has `max_open` open ones (counted and
    /// inserted under the merchant's lock); false when it has.
    async fn create_invitation(
        &self,
        inv: &InvitationRow,
        max_open: usize,
        now: i64,
    ) -> StoreResult<bool>;
    /// An unexpired, unused invitation (a read: nothing is used up).
    async fn invitation(&self, token_hash: &str, now: i64) -> StoreResult<Option<InvitationRow>>;
    /// Uses an unexpired, unused, unrevoked invitation once: creates its user, with the address
    /// proved when the link was emailed. NotFound when it is not (or no longer) valid;
    /// Conflict("email") when the email already has an account.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        user_id: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<UserRow>;
    /// A merchant's staff.
    async fn staff(&self, merchant_id: &str) -> StoreResult<Vec<StaffRow>>;
    /// Replaces a user's password hash and ends every session of theirs (their websockets
    /// close); NotFound when no user has the (lowercased) email.
    async fn reset_password(&self, email: &str, password_hash: &str, now: i64) -> StoreResult<()>;
    /// Stores a session.
    async fn create_session(&self, session: &NewSession<'_>, now: i64) -> StoreResult<()>;
    /// A live session by token hash: unexpired, used within `SESSION_IDLE_MS`, of a
    /// member not removed.
    async fn session(&self, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>>;
    /// Ends a session (its websockets close).
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
    /// Spends a reset link: sets its account's password, marks its address proved and signs the
    /// account out everywhere (its websockets close).
    /// `NotFound` when the link is wrong, used or expired (or its account is gone).
    async fn use_password_reset(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> StoreResult<()>;
}
