//! tonle's server: merchants, charges, payment ingestion from networks, an append-only event log,
//! and websocket push with replay. `startup` wires it; one module per resource under `routes`.

pub mod alerts;
pub mod auth;
pub mod bakong;
pub mod bus;
pub mod cli;
pub mod client;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod expiry;
pub mod fx;
pub mod hashing;
pub mod history;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod policy;
pub mod profile;
pub mod routes;
pub mod secrets;
pub mod serve;
pub mod signing;
pub mod sockets;
pub mod startup;
pub mod state;
pub mod store;
pub mod telegram;
pub mod telemetry;
pub mod throttle;
pub mod views;
pub mod web;
pub mod webhooks;

pub use protocol as api;

/// The commit this binary was built from (`git rev-parse --short=12 HEAD`; `unknown` outside git).
pub const VERSION_COMMIT: &str = env!("TONLE_COMMIT");
