//! `tonle serve`'s limit flags: what clients may take of the server.

use std::time::Duration;

use clap::Args;

use crate::config::Limits;

/// What clients may take of the server (see the security model in docs/ARCHITECTURE.md).
#[derive(Args)]
pub struct LimitArgs {
    /// Open connections in all, websockets included.
    #[arg(long, env = "TONLE_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// Open connections from one address (a trusted proxy's are not counted here).
    #[arg(long, env = "TONLE_MAX_CONNECTIONS_PER_IP", default_value_t = Limits::default().max_connections_per_ip)]
    pub max_connections_per_ip: usize,
    /// Live-event websockets open from one client address.
    #[arg(long, env = "TONLE_MAX_WEBSOCKETS_PER_IP", default_value_t = Limits::default().max_websockets_per_ip)]
    pub max_websockets_per_ip: usize,
    /// Live-event websockets open for one merchant.
    #[arg(long, env = "TONLE_MAX_WEBSOCKETS_PER_MERCHANT", default_value_t = Limits::default().max_websockets_per_merchant)]
    pub max_websockets_per_merchant: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "TONLE_HEADER_TIMEOUT_SECS", default_value_t = Limits::default().header_timeout.as_secs())]
    pub header_timeout_secs: u64,
    /// Seconds a client has to send a whole request and be answered.
    #[arg(long, env = "TONLE_REQUEST_TIMEOUT_SECS", default_value_t = Limits::default().request_timeout.as_secs())]
    pub request_timeout_secs: u64,
    /// Threads that hash passwords (default: one per core).
    #[arg(long, env = "TONLE_HASHING_THREADS", default_value_t = Limits::default().hashing_threads)]
    pub hashing_threads: usize,
    /// Sign-ups allowed from one address per 15 minutes.
    #[arg(long, env = "TONLE_REGISTRATIONS_PER_IP", default_value_t = Limits::default().registrations_per_ip)]
    pub registrations_per_ip: usize,
    /// Charges one merchant may make per minute (everyone of it together).
    #[arg(long, env = "TONLE_CHARGES_PER_MINUTE", default_value_t = Limits::default().charges_per_minute)]
    pub charges_per_minute: usize,
    /// Charges one API key may make per minute.
    #[arg(long, env = "TONLE_CHARGES_PER_KEY_MINUTE", default_value_t = Limits::default().charges_per_key_minute)]
    pub charges_per_key_minute: usize,
}

impl LimitArgs {
    /// The limits, checked.
    pub fn limits(&self) -> anyhow::Result<Limits> {
        if self.header_timeout_secs == 0 || self.request_timeout_secs == 0 {
            anyhow::bail!("--header-timeout-secs and --request-timeout-secs must be at least 1");
        }
        Ok(Limits {
            max_connections: self.max_connections.max(1),
            max_connections_per_ip: self.max_connections_per_ip.max(1),
            max_websockets_per_ip: self.max_websockets_per_ip.max(1),
            max_websockets_per_merchant: self.max_websockets_per_merchant.max(1),
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            request_timeout: Duration::from_secs(self.request_timeout_secs),
            hashing_threads: self.hashing_threads.max(1),
            registrations_per_ip: self.registrations_per_ip,
            charges_per_minute: self.charges_per_minute.max(1),
            charges_per_key_minute: self.charges_per_key_minute.max(1),
        })
    }
}
