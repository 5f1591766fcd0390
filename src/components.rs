//! Presentational pieces: props in, callbacks out, no fetching.

pub mod bakong_warning;
pub mod charge_display;
pub mod charge_form;
pub mod confirm_button;
pub mod daily_chart;
pub mod field;
pub mod keypad;
pub mod paper;
pub mod payment_list;
pub mod qr_code;
pub mod review_queue;
pub mod top_bar;
