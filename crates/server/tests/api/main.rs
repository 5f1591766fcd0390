//! Server integration tests: the real app on port 0 with a fresh SQLite database per test.
// reason: test code: a failed step should panic and fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod accounts;
mod api_keys;
mod authz;
mod bakong;
mod charges;
mod devices;
mod events;
mod helpers;
mod history;
mod items;
mod limits;
mod merchants;
mod notifications;
mod openapi;
mod ops;
mod people;
mod rates;
mod session;
mod staff;
mod stores;
mod telegram;
mod test_payments;
mod web;
mod webhooks;
