//! The wire contract between the tonle app, POS integrators and the server: REST bodies and events.
//! Pure serde types: no server, browser or runtime dependencies, so it compiles to wasm unchanged.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod api_keys;
pub mod calendar;
mod charges;
mod devices;
mod error;
mod events;
mod ids;
mod integrations;
mod items;
mod merchants;
mod notifications;
#[cfg(feature = "signing")]
pub mod signing;
mod staff;
mod stores;
mod telegram;
pub mod text;
pub mod web;
mod webhooks;

pub use api_keys::*;
pub use charges::*;
pub use devices::*;
pub use error::*;
pub use events::*;
pub use ids::*;
pub use integrations::*;
pub use items::*;
pub use khqr::{Currency, MinorUnits, Money};
pub use merchants::*;
pub use notifications::*;
pub use staff::*;
pub use stores::*;
pub use telegram::*;
pub use webhooks::*;
