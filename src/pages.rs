//! Routed views; each owns its data loading.

pub mod charge;
pub mod dashboard;
pub mod history;
pub mod login;
pub mod register;
