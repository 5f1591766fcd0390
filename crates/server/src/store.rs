//! Storage behind one interface, one trait per aggregate, each in its own module with its rows.
//! Two stores implement them: SQLite embedded (`sqlite.rs`) and PostgreSQL for many instances
//! (`postgres.rs`). Their SQL is one source, `sql/<aggregate>.rs`, compiled into each store with
//! that store's driver types and `dialect` (how it begins a write, locks rows, appends an event);
//! each keeps its own migrations. Every state change appends its event in the same transaction.

// reason: `sql/*.rs` is compiled once per store on purpose (one SQL source, two drivers)
#![allow(clippy::duplicate_mod)]

mod accounts;
mod api_keys;
mod bakong;
mod charges;
mod claims;
mod counters;
mod devices;
mod errors;
mod events;
mod health;
mod items;
mod payments;
mod people;
pub mod postgres;
pub mod sqlite;
mod telegram;
mod throttles;
mod webhooks;

pub use crate::domain::charge::ChargeRow;
pub use crate::domain::payment::PaymentRow;
pub use accounts::{
    AccountStore, InvitationRow, MerchantRow, NewMerchant, SessionRow, StaffRow, UserRow,
};
pub use api_keys::{ApiKeyRow, ApiKeyStore};
pub use bakong::{BakongRow, BakongStore, PollCharge, PollLease};
pub use charges::{ChargeQuery, ChargeStore, NewCharge};
pub use claims::{AccountClaim, ClaimStore, UnassignedPayment};
pub use counters::{CounterStore, StoreRow, TerminalRow};
pub use devices::{DeviceRow, DeviceStore, MAX_OPEN_PAIRINGS};
pub use events::EventStore;
pub use health::HealthStore;
pub use items::{FxRow, FxState, ItemRow, ItemStore, MAX_ITEMS};
pub use payments::{NewPayment, PaymentOutcome, PaymentQuery, PaymentStore};
pub use people::{
    INVITATIONS_KEEP_MS, NewSession, PeopleStore, SESSION_IDLE_MS, SESSION_TOUCH_MS, SPENT_KEEP_MS,
    SessionListRow,
};
pub use telegram::{ChatRow, LinkCodeRow, MessageRow, SendResult, Starting, TelegramStore};
pub use throttles::ThrottleStore;
pub use webhooks::{AttemptOutcome, DeliveryRow, EndpointRow, Share, WebhookStore};

use khqr::{Currency, Money};

/// A time range in epoch ms, [from, to).
#[derive(Debug, Clone, Copy, Default)]
pub struct Range {
    /// inclusive start
    pub from_ms: Option<i64>,
    /// exclusive end
    pub to_ms: Option<i64>,
}

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
    + HealthStore
    + WebhookStore
    + ApiKeyStore
    + ThrottleStore
    + PeopleStore
    + TelegramStore
    + ItemStore
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
        + HealthStore
        + WebhookStore
        + ApiKeyStore
        + ThrottleStore
        + PeopleStore
        + TelegramStore
        + ItemStore
        + 'static,
> Store for T
{
}

/// Every store trait, for code that calls the store.
pub mod prelude {
    pub use super::{
        AccountStore, ApiKeyStore, BakongStore, ChargeStore, ClaimStore, CounterStore, DeviceStore,
        EventStore, HealthStore, ItemStore, PaymentStore, PeopleStore, TelegramStore,
        ThrottleStore, WebhookStore,
    };
}
