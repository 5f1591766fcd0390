//! Routed views; each owns its data loading.

pub mod charge;
pub mod dashboard;
pub mod help;
pub mod history;
pub mod integrations;
pub mod items;
pub mod join;
pub mod kiosk;
pub mod login;
pub mod password;
pub mod poster;
pub mod receipt;
pub mod register;
pub mod settings;
pub mod shift;
pub mod welcome;
