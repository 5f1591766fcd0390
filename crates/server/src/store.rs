//! Storage behind one interface. SQLite (embedded) implements it today; a PostgreSQL store joins
//! by implementing the same trait with its own migrations. Every state change appends its event
//! in the same transaction.

mod api_keys;
pub mod sqlite;
mod webhooks;

pub use api_keys::ApiKeyRow;
pub use webhooks::{AttemptOutcome, DeliveryRow, EndpointRow};

use async_trait::async_trait;
use khqr::{Currency, Money};

pub use crate::history::Range;

use crate::api;

/// Storage failures, mapped to HTTP by `ApiError`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// no such row
    #[error("not found")]
    NotFound,
    /// a unique constraint: names the field
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// anything else
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Result alias.
pub type StoreResult<T> = Result<T, StoreError>;

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
}

/// A live session.
#[derive(Debug, Clone)]
pub struct SessionRow {
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

/// A paired device as stored (its token only as a hash).
#[derive(Debug, Clone)]
pub struct DeviceRow {
    /// device id
    pub device_id: String,
    /// merchant
    pub merchant_id: String,
    /// the terminal it serves
    pub terminal_id: String,
    /// its name
    pub name: String,
    /// when revoked
    pub revoked_at: Option<i64>,
    /// when paired
    pub created_at: i64,
}

/// An invitation as stored (the token itself is never stored, only its hash).
#[derive(Debug, Clone)]
pub struct InvitationRow {
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

/// A charge.
#[derive(Debug, Clone)]
pub struct ChargeRow {
    /// id
    pub charge_id: String,
    /// merchant
    pub merchant_id: String,
    /// bill number
    pub bill_number: String,
    /// amount
    pub money: Money,
    /// state
    pub status: api::ChargeStatus,
    /// QR payload
    pub payload: String,
    /// md5
    pub md5: String,
    /// name on the QR
    pub merchant_name: String,
    /// note
    pub note: Option<String>,
    /// hash of the creating request (idempotency)
    pub request_hash: Option<String>,
    /// terminal it was made at
    pub terminal_id: Option<String>,
    /// how a late payment was resolved
    pub resolution: Option<api::Resolution>,
    /// expiry, epoch ms
    pub expires_at: i64,
    /// creation, epoch ms
    pub created_at: i64,
}

/// What to insert for a new charge.
#[derive(Debug, Clone)]
pub struct NewCharge {
    /// the charge (status pending)
    pub charge: ChargeRow,
    /// Idempotency-Key header
    pub idempotency_key: Option<String>,
}

/// A payment as stored.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    /// id
    pub payment_id: String,
    /// merchant credited
    pub merchant_id: String,
    /// network
    pub network: String,
    /// network's transaction id
    pub transaction_id: String,
    /// matched charge
    pub charge_id: Option<String>,
    /// bill number of the matched charge
    pub bill_number: Option<String>,
    /// the counter: the charge's, or the one whose static code was paid
    pub terminal_id: Option<String>,
    /// credited amount
    pub money: Money,
    /// payer
    pub payer: api::Payer,
    /// when paid (network's clock), epoch ms
    pub paid_at: i64,
    /// when recorded, epoch ms
    pub created_at: i64,
    /// how the merchant resolved it, when it settled no charge
    pub resolution: Option<api::Resolution>,
    /// why it is in the review queue, or what was odd about it
    pub review: Option<api::ReviewReason>,
}

/// A payment notification to record.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// fresh id
    pub payment_id: String,
    /// network
    pub network: String,
    /// network's transaction id
    pub transaction_id: String,
    /// md5 of the paid QR
    pub md5: Option<String>,
    /// bill number of the paid QR
    pub bill_number: Option<String>,
    /// payee account named by the network
    pub merchant_account: Option<String>,
    /// credited amount
    pub money: Money,
    /// payer
    pub payer: api::Payer,
    /// when paid, epoch ms
    pub paid_at: i64,
    /// now, epoch ms
    pub now: i64,
    /// the notification's `webhook-id`
    pub webhook_id: String,
    /// SHA-256 of the notification body, hex
    pub body_hash: String,
}

/// What recording a payment did.
// reason: returned once per notification and matched immediately; boxing adds nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum PaymentOutcome {
    /// this (network, transaction id) was recorded before: nothing credited again
    Duplicate {
        /// the earlier payment
        payment: PaymentRow,
        /// its charge's current state
        charge_status: Option<api::ChargeStatus>,
    },
    /// recorded now, with the event it appended
    Recorded {
        /// the payment
        payment: PaymentRow,
        /// the charge after it, when matched
        charge: Option<ChargeRow>,
        /// the appended event
        event: api::Event,
    },
    /// it settled no charge and names an account no merchant holds a verified claim on: kept
    /// unassigned (also the answer when the same transaction comes again)
    Held {
        /// the waiting payment's id
        payment_id: String,
    },
    /// neither md5 nor bill number names a charge, and no payee account is named
    UnknownCharge,
    /// this webhook-id was seen before with a different body: refused
    WebhookIdReused,
}

/// A store.
#[derive(Debug, Clone)]
pub struct StoreRow {
    /// id
    pub store_id: String,
    /// merchant
    pub merchant_id: String,
    /// name
    pub name: String,
}

/// A terminal with its store's name.
#[derive(Debug, Clone)]
pub struct TerminalRow {
    /// id
    pub terminal_id: String,
    /// merchant
    pub merchant_id: String,
    /// store
    pub store_id: String,
    /// store name
    pub store_name: String,
    /// label
    pub label: String,
}

/// Filters of a payment list.
#[derive(Debug, Clone, Default)]
pub struct PaymentQuery {
    /// time range
    pub range: Range,
    /// network
    pub network: Option<String>,
    /// bill number of the settled charge
    pub bill_number: Option<String>,
    /// terminal of the settled charge; `""` for charges made at no terminal
    pub terminal_id: Option<String>,
    /// only payments that settled no charge: none named, a wrong amount, or a second payment
    pub unmatched: bool,
    /// keyset: (created_at, id) of the last item already seen
    pub before: Option<(i64, String)>,
    /// page size
    pub limit: u32,
}

/// Filters of a charge list.
#[derive(Debug, Clone, Default)]
pub struct ChargeQuery {
    /// time range
    pub range: Range,
    /// status
    pub status: Option<api::ChargeStatus>,
    /// bill number
    pub bill_number: Option<String>,
    /// terminal; `""` for charges made at no terminal
    pub terminal_id: Option<String>,
    /// keyset: (created_at, id) of the last item already seen
    pub before: Option<(i64, String)>,
    /// page size
    pub limit: u32,
}

/// A payee account a merchant's profile names, and whether whoever runs the server verified it.
#[derive(Debug, Clone)]
pub struct AccountClaim {
    /// Bakong account ID or UnionPay merchant ID
    pub account: String,
    /// the claiming merchant
    pub merchant_id: String,
    /// its name
    pub business_name: String,
    /// its owner's email
    pub owner_email: Option<String>,
    /// verified for this merchant
    pub verified: bool,
    /// payments waiting for this account to be verified
    pub waiting: u64,
}

/// A payment that settled no charge and names an account no merchant holds a verified claim on.
#[derive(Debug, Clone)]
pub struct UnassignedPayment {
    /// id (kept when it is credited)
    pub payment_id: String,
    /// network
    pub network: String,
    /// network's transaction id
    pub transaction_id: String,
    /// the payee account it names
    pub account: String,
    /// amount
    pub money: Money,
    /// when paid, epoch ms
    pub paid_at: i64,
    /// when received, epoch ms
    pub received_at: i64,
}

/// A merchant's Bakong Open API connection as stored (the token only sealed).
#[derive(Debug, Clone)]
pub struct BakongRow {
    /// merchant
    pub merchant_id: String,
    /// the token, sealed by `secrets::SecretBox` for this merchant
    pub token_sealed: String,
    /// its last 4 characters
    pub token_hint: String,
    /// when it expires, epoch ms, when it says
    pub token_expires_at: Option<i64>,
    /// how checks go
    pub status: api::BakongStatus,
    /// what went wrong last
    pub last_error: Option<String>,
    /// when the status last changed after a check, epoch ms
    pub last_checked_at: Option<i64>,
}

/// An open charge the Bakong poller asks about.
#[derive(Debug, Clone)]
pub struct PollCharge {
    /// charge
    pub charge_id: String,
    /// its merchant
    pub merchant_id: String,
    /// md5 of its code
    pub md5: String,
    /// created, epoch ms
    pub created_at: i64,
    /// expires, epoch ms
    pub expires_at: i64,
}

/// The storage interface.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Saves (or replaces) a merchant's Bakong token and status; appends `bakong_status`.
    async fn save_bakong(&self, row: &BakongRow, now: i64) -> StoreResult<api::Event>;
    /// A merchant's Bakong connection.
    async fn bakong(&self, merchant_id: &str) -> StoreResult<Option<BakongRow>>;
    /// Forgets a merchant's Bakong token; appends `bakong_status` (not configured) when there was one.
    async fn delete_bakong(&self, merchant_id: &str, now: i64) -> StoreResult<Option<api::Event>>;
    /// Records how checks go; writes and appends `bakong_status` only when it changed.
    async fn set_bakong_status(
        &self,
        merchant_id: &str,
        status: api::BakongStatus,
        last_error: Option<&str>,
        now: i64,
    ) -> StoreResult<Option<api::Event>>;
    /// Every merchant whose token is not refused, with its open charges created since `since`
    /// (pending, expired or cancelled — a customer may still pay a code they scanned — and not yet
    /// asked about for the last time), newest first.
    async fn bakong_work(&self, since: i64) -> StoreResult<Vec<(BakongRow, Vec<PollCharge>)>>;
    /// Marks charges as asked about for the last time.
    async fn finish_bakong_checks(&self, charge_ids: &[String]) -> StoreResult<()>;

    /// Every payee account claimed by a profile, with its verification and waiting payments.
    async fn account_claims(&self) -> StoreResult<Vec<AccountClaim>>;
    /// Verifies that `account` is `merchant_id`'s (its profile must name it; NotFound otherwise),
    /// replacing any earlier verification, and credits the payments waiting for it to that
    /// merchant's review queue; returns the events appended.
    async fn verify_account(
        &self,
        account: &str,
        merchant_id: &str,
        now: i64,
    ) -> StoreResult<Vec<api::Event>>;
    /// Payments waiting for an account to be verified, oldest first.
    async fn unassigned_payments(&self) -> StoreResult<Vec<UnassignedPayment>>;

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

    /// Stores a one-time pairing code (by hash) for a terminal of the merchant.
    async fn create_pairing(
        &self,
        code_hash: &str,
        merchant_id: &str,
        terminal_id: &str,
        expires_at: i64,
        now: i64,
    ) -> StoreResult<()>;
    /// Uses a pairing code once and records the device; NotFound when the code is unknown,
    /// used or expired.
    async fn pair_device(
        &self,
        code_hash: &str,
        device_id: &str,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> StoreResult<DeviceRow>;
    /// The unrevoked device holding this token.
    async fn device(&self, token_hash: &str) -> StoreResult<Option<DeviceRow>>;
    /// The merchant's devices, newest first.
    async fn devices(&self, merchant_id: &str) -> StoreResult<Vec<DeviceRow>>;
    /// Revokes a device of the merchant; NotFound when it has none so named.
    async fn revoke_device(&self, merchant_id: &str, device_id: &str, now: i64) -> StoreResult<()>;

    /// Creates a store. Conflict("name") when the merchant has one so named.
    async fn create_store(&self, s: &StoreRow, now: i64) -> StoreResult<()>;
    /// A merchant's stores.
    async fn stores(&self, merchant_id: &str) -> StoreResult<Vec<StoreRow>>;
    /// Creates a terminal. Conflict("label") when the merchant has one so labelled.
    async fn create_terminal(&self, t: &TerminalRow, now: i64) -> StoreResult<()>;
    /// A merchant's terminals.
    async fn terminals(&self, merchant_id: &str) -> StoreResult<Vec<TerminalRow>>;
    /// One terminal of a merchant.
    async fn terminal(&self, merchant_id: &str, terminal_id: &str) -> StoreResult<TerminalRow>;
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
    /// Remembers that the static code with `md5` is `terminal_id`'s, so a payment to it is a
    /// sale at that counter.
    async fn remember_counter_code(
        &self,
        merchant_id: &str,
        terminal_id: &str,
        md5: &str,
        now: i64,
    ) -> StoreResult<()>;

    /// Reserves the next bill number of a merchant.
    async fn next_bill_number(&self, merchant_id: &str, now: i64) -> StoreResult<String>;
    /// A charge created earlier with this idempotency key.
    async fn charge_by_idempotency_key(
        &self,
        merchant_id: &str,
        key: &str,
    ) -> StoreResult<Option<ChargeRow>>;
    /// Inserts a pending charge and appends `charge_created`.
    async fn insert_charge(&self, new: NewCharge, now: i64)
    -> StoreResult<(ChargeRow, api::Event)>;
    /// A charge of a merchant.
    async fn charge(&self, merchant_id: &str, charge_id: &str) -> StoreResult<ChargeRow>;
    /// Moves a pending charge to cancelled and appends `charge_cancelled`.
    async fn cancel_charge(
        &self,
        merchant_id: &str,
        charge_id: &str,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)>;
    /// Resolves a late payment; Conflict("status") unless the charge is paid late and unresolved.
    async fn resolve_charge(
        &self,
        merchant_id: &str,
        charge_id: &str,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(ChargeRow, api::Event)>;
    /// Expires pending charges past their expiry; returns (merchant, event) per charge.
    async fn expire_due(&self, now: i64) -> StoreResult<Vec<(String, api::Event)>>;

    /// Records a payment exactly once per (network, transaction id), matches it by md5 then bill
    /// number, moves the charge and appends the event — one transaction.
    async fn record_payment(&self, new: NewPayment) -> StoreResult<PaymentOutcome>;
    /// Resolves a payment that settled no charge, once; Conflict("status") when it settled one or
    /// was resolved before, NotFound when it is not the merchant's.
    async fn resolve_payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(PaymentRow, api::Event)>;
    /// One payment of a merchant, with its charge's terminal (NotFound when not theirs).
    async fn payment(
        &self,
        merchant_id: &str,
        payment_id: &str,
    ) -> StoreResult<(PaymentRow, Option<String>)>;
    /// Payments of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_payments(
        &self,
        merchant_id: &str,
        q: &PaymentQuery,
    ) -> StoreResult<Vec<PaymentRow>>;
    /// Charges of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_charges(&self, merchant_id: &str, q: &ChargeQuery)
    -> StoreResult<Vec<ChargeRow>>;
    /// (local day index, currency, count, total minor units) of the payments kept (not marked
    /// to refund) in a range, at one terminal when given (`""`: charges made at none).
    async fn daily_totals(
        &self,
        merchant_id: &str,
        range: Range,
        offset_ms: i64,
        terminal: Option<&str>,
    ) -> StoreResult<Vec<(i64, Currency, u64, u64)>>;

    /// Events with seq > since, ascending, at most `limit`.
    async fn events_since(
        &self,
        merchant_id: &str,
        since: u64,
        limit: u32,
    ) -> StoreResult<Vec<api::Event>>;
    /// Highest seq of a merchant (0 when none).
    async fn head_seq(&self, merchant_id: &str) -> StoreResult<u64>;

    /// Adds a webhook endpoint: from now on every event it asks for is put in its outbox.
    async fn create_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()>;
    /// A merchant's endpoints (not deleted), oldest first.
    async fn webhook_endpoints(&self, merchant_id: &str) -> StoreResult<Vec<EndpointRow>>;
    /// One endpoint of a merchant; NotFound when it has none so named (or it was deleted).
    async fn webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
    ) -> StoreResult<EndpointRow>;
    /// Saves an endpoint's address, filter, description, state and secrets.
    async fn update_webhook_endpoint(&self, e: &EndpointRow, now: i64) -> StoreResult<()>;
    /// Deletes an endpoint; its waiting deliveries fail (kept in the log).
    async fn delete_webhook_endpoint(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        now: i64,
    ) -> StoreResult<()>;
    /// An endpoint's deliveries, newest first, after the delivery `before` (a cursor).
    async fn webhook_deliveries(
        &self,
        merchant_id: &str,
        endpoint_id: &str,
        before: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryRow>>;
    /// Makes a delivery of the merchant's due now (again, if it was delivered or failed).
    async fn retry_webhook_delivery(
        &self,
        merchant_id: &str,
        delivery_id: &str,
        now: i64,
    ) -> StoreResult<DeliveryRow>;
    /// Takes up to `limit` deliveries due at `now` of enabled endpoints, at most `per_endpoint`
    /// of one endpoint, soonest due first, leasing each until `lease_until` so no other worker
    /// sends it meanwhile (a crash mid-send retries after it).
    async fn claim_webhook_deliveries(
        &self,
        now: i64,
        lease_until: i64,
        limit: u32,
        per_endpoint: u32,
    ) -> StoreResult<Vec<(DeliveryRow, EndpointRow)>>;
    /// Records an attempt on its delivery and endpoint.
    async fn finish_webhook_attempt(&self, outcome: &AttemptOutcome) -> StoreResult<()>;
    /// Forgets deliveries delivered or failed before `before` (the log keeps recent ones);
    /// returns how many.
    async fn prune_webhook_deliveries(&self, before: i64) -> StoreResult<u64>;

    /// Stores a new API key (by hash).
    async fn create_api_key(&self, key: &ApiKeyRow, key_hash: &str, now: i64) -> StoreResult<()>;
    /// A merchant's unrevoked keys, newest first.
    async fn api_keys(&self, merchant_id: &str) -> StoreResult<Vec<ApiKeyRow>>;
    /// The unrevoked key with this hash; notes its use (at most once a minute).
    async fn use_api_key(&self, key_hash: &str, now: i64) -> StoreResult<Option<ApiKeyRow>>;
    /// Revokes a key of the merchant; NotFound when it has none so named.
    async fn revoke_api_key(&self, merchant_id: &str, key_id: &str, now: i64) -> StoreResult<()>;
}
