//! Payments seen through the NBC's Bakong Open API. Bakong pushes nothing: a merchant learns that
//! a dynamic KHQR was paid only by asking for its md5. The poller asks, for every merchant who
//! saved a token, in one call per merchant per round, and turns each transaction it finds into a
//! payment through the same exactly-once path as notifications.

pub mod client;
pub mod poller;
mod record;
pub mod standin;

pub use poller::{Bakong, run};
