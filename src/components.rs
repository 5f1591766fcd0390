//! Presentational pieces: props in, callbacks out, no fetching.

pub mod charge_display;
pub mod charge_form;
pub mod field;
pub mod payment_list;
pub mod qr_code;
pub mod top_bar;
