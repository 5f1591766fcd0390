//! Mapping stored rows to the wire types of `protocol`.

use crate::api;
use crate::clock::rfc3339;
use crate::store::{ChargeRow, MerchantRow, PaymentRow};

/// A charge for the wire.
pub fn charge(c: &ChargeRow) -> api::ChargeView {
    api::ChargeView {
        id: c.charge_id.clone(),
        bill_number: c.bill_number.clone(),
        amount: c.money.to_decimal_string(),
        currency: c.money.currency,
        status: c.status,
        payload: c.payload.clone(),
        md5: c.md5.clone(),
        merchant_name: c.merchant_name.clone(),
        note: c.note.clone(),
        terminal_id: c.terminal_id.clone(),
        resolution: c.resolution,
        created_at_ms: c.created_at,
        expires_at: rfc3339(c.expires_at),
        expires_at_ms: c.expires_at,
    }
}

/// A payment for the wire.
pub fn payment(p: &PaymentRow) -> api::PaymentView {
    api::PaymentView {
        id: p.payment_id.clone(),
        network: p.network.clone(),
        transaction_id: p.transaction_id.clone(),
        charge_id: p.charge_id.clone(),
        bill_number: p.bill_number.clone(),
        terminal_id: p.terminal_id.clone(),
        amount: p.money.to_decimal_string(),
        currency: p.money.currency,
        payer: p.payer.clone(),
        received_at_ms: p.created_at,
        resolution: p.resolution,
        review: p.review,
    }
}

/// A merchant for the wire.
pub fn merchant(m: &MerchantRow) -> api::MerchantView {
    crate::profile::view(m)
}
