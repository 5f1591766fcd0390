//! The HTTP surface, one module per resource, merged here under `/api/v1`.

pub mod api_keys;
pub mod charges;
pub mod devices;
pub mod events;
pub mod health;
pub mod integrations;
pub mod items;
pub mod items_csv;
pub mod merchants;
pub mod notifications;
pub mod password_resets;
pub mod payments;
pub mod rates;
pub mod sales;
pub mod session;
pub mod sessions;
pub mod staff;
pub mod stores;
pub mod telegram;
pub mod test_payments;
pub mod webhooks;

use axum::Router;

use crate::state::AppState;

/// Every API route; with `sandbox`, the test wallet's too.
pub fn api(sandbox: bool) -> Router<AppState> {
    let mut v1 = Router::new()
        .merge(merchants::router())
        .merge(session::router())
        .merge(sessions::router())
        .merge(password_resets::router())
        .merge(charges::router())
        .merge(payments::router())
        .merge(notifications::router())
        .merge(events::router())
        .merge(stores::router())
        .merge(staff::router())
        .merge(devices::router())
        .merge(integrations::router())
        .merge(webhooks::router())
        .merge(api_keys::router())
        .merge(telegram::router())
        .merge(items::router())
        .merge(rates::router())
        .merge(sales::router());
    if sandbox {
        v1 = v1.merge(test_payments::router());
    }
    Router::new().nest("/api/v1", v1).merge(health::router())
}
