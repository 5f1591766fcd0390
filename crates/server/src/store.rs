//! Storage behind one interface. SQLite (embedded) implements it today; a PostgreSQL store joins
//! by implementing the same trait with its own migrations. Every state change appends its event
//! in the same transaction.

mod accounts;
mod api_keys;
mod bakong;
mod charges;
mod claims;
mod counters;
mod devices;
mod events;
mod payments;
pub mod sqlite;
mod webhooks;

pub use accounts::AccountStore;
pub use api_keys::{ApiKeyRow, ApiKeyStore};
pub use bakong::BakongStore;
pub use charges::ChargeStore;
pub use claims::ClaimStore;
pub use counters::CounterStore;
pub use devices::DeviceStore;
pub use events::EventStore;
pub use payments::PaymentStore;
pub use webhooks::{AttemptOutcome, DeliveryRow, EndpointRow, WebhookStore};

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

/// The storage interface: one trait per aggregate (see each module), all of them together.
pub trait Store:
    BakongStore
    + ClaimStore
    + AccountStore
    + DeviceStore
    + CounterStore
    + ChargeStore
    + PaymentStore
    + EventStore
    + WebhookStore
    + ApiKeyStore
    + 'static
{
}

impl<
    T: BakongStore
        + ClaimStore
        + AccountStore
        + DeviceStore
        + CounterStore
        + ChargeStore
        + PaymentStore
        + EventStore
        + WebhookStore
        + ApiKeyStore
        + 'static,
> Store for T
{
}

/// Every store trait, for code that calls the store.
pub mod prelude {
    pub use super::{
        AccountStore, ApiKeyStore, BakongStore, ChargeStore, ClaimStore, CounterStore, DeviceStore,
        EventStore, PaymentStore, WebhookStore,
    };
}
