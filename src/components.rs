//! Presentational pieces: props in, callbacks out, no fetching.

pub mod bakong_warning;
pub mod cart;
pub mod charge_display;
pub mod charge_form;
pub mod charge_lines;
pub mod cny_estimate;
pub mod confirm_button;
pub mod daily_chart;
pub mod field;
pub mod item_grid;
pub mod keypad;
pub mod paper;
pub mod payment_list;
pub mod qr_code;
pub mod review_queue;
pub mod sold_lines;
pub mod test_wallet;
pub mod top_bar;
pub mod top_items;

/// Marks the moment a screen can be used (`tonle:charge-ready`, `tonle:kiosk-ready`,
/// `tonle:dashboard-ready`…) once it is drawn, each time it is drawn, for the budget bench
/// (`tests/budget/web_budget.rs`: first render and moves between screens) to read.
pub fn mark_ready(name: &'static str) {
    leptos::prelude::Effect::new(move |_| mark_now(name));
}

/// Marks `name` now (a screen whose data just arrived and is drawn with it).
pub fn mark_now(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
