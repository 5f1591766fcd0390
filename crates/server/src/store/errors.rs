//! How a SQL driver's failures become [`StoreError`]s, for both stores: a unique violation is a
//! `Conflict` naming the field only when its constraint is one a caller can fix by changing that
//! field; anything else stays an error.

use super::StoreError;

pub(crate) fn other(e: impl Into<anyhow::Error>) -> StoreError {
    StoreError::Other(e.into())
}

/// The field a unique constraint guards. PostgreSQL reports the constraint's name (named in
/// `migrations/postgres`); SQLite names an inline or table `unique` by its columns
/// (`table.column, …`) in the message, exactly.
fn conflict_field(constraint: &str) -> Option<&'static str> {
    Some(match constraint {
        "app_user_email_key" | "app_user.email" => "email",
        "charge_idempotency_key" | "charge.merchant_id, charge.idempotency_key" => {
            "idempotency_key"
        }
        "merchant_bill_prefix_key" | "merchant.bill_prefix" => "bill_prefix",
        "store_name_key" | "store.merchant_id, store.name" => "name",
        "terminal_label_key" | "terminal.merchant_id, terminal.label" => "label",
        // A drawn pairing code that is taken: the caller draws another.
        "pairing_pkey" | "pairing.code_hash" => "code",
        _ => return None,
    })
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let constraint = match db.constraint() {
                    Some(name) => name,
                    // SQLite: "UNIQUE constraint failed: <columns>"
                    None => db.message().rsplit(": ").next().unwrap_or_default(),
                };
                match conflict_field(constraint) {
                    Some(field) => StoreError::Conflict(field),
                    None => StoreError::Other(e.into()),
                }
            }
            _ => StoreError::Other(e.into()),
        }
    }
}
