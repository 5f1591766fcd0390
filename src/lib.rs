//! tonle's web app (Leptos, client-side rendered): registration, the charge screen and live payments.
//! Pages own data loading; components are presentational; realtime owns the one websocket.

pub mod api;
pub mod app;
pub mod cart;
pub mod chunks;
pub mod components;
pub mod format;
pub mod i18n;
pub mod load;
pub mod pages;
pub mod profile;
pub mod realtime;
pub mod router;
pub mod sandbox;
pub mod screens;
pub mod sound;
