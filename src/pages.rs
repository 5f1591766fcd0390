//! Routed views; each owns its data loading.

pub mod charge;
pub mod login;
pub mod register;
