//! Webhooks out, the Standard Webhooks way (the body each event is told with is
//! `domain::webhook`): the retry schedule, which addresses may be called (no SSRF), and the
//! worker that sends the outbox.

pub mod schedule;
pub mod target;
pub mod worker;

pub use worker::run;
