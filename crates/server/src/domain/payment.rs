//! A payment as tonle keeps it, and as the wire shows it.

use khqr::Money;

use crate::api;

/// How far before now a network may say a payment was made: a week covers a poller catching up
/// after an outage; older is a broken clock or a forged field.
pub const PAID_AT_PAST_MS: i64 = 7 * 86_400_000;
/// How far after now it may say so (clocks drift; a payment is never made in the future).
pub const PAID_AT_FUTURE_MS: i64 = 10 * 60_000;

/// Whether a network's `paid_at` is a plausible time for a payment received `now`. The
/// network's clock decides paid against paid late (its time is signed); this server's clock
/// decides what is plausible.
pub fn plausible_paid_at(paid_at: i64, now: i64) -> bool {
    paid_at >= now.saturating_sub(PAID_AT_PAST_MS)
        && paid_at <= now.saturating_add(PAID_AT_FUTURE_MS)
}

/// A payment as stored.
#[derive(Debug, Clone)]
pub struct PaymentRow {
    /// id
    pub payment_id: api::PaymentId,
    /// merchant credited
    pub merchant_id: api::MerchantId,
    /// network
    pub network: api::Network,
    /// network's transaction id
    pub transaction_id: String,
    /// matched charge
    pub charge_id: Option<api::ChargeId>,
    /// bill number of the matched charge
    pub bill_number: Option<api::BillNumber>,
    /// the counter: the charge's, or the one whose static code was paid
    pub terminal_id: Option<api::TerminalId>,
    /// credited amount
    pub money: Money,
    /// payer
    pub payer: api::Payer,
    /// when paid (network's clock), epoch ms
    pub paid_at: i64,
    /// when recorded, epoch ms
    pub created_at: i64,
    /// how the merchant resolved it, when it settled no charge
    pub resolution: Option<api::Resolution>,
    /// why it is in the review queue, or what was odd about it
    pub review: Option<api::ReviewReason>,
    /// what the charge it settled sold
    pub lines: Vec<api::SoldLine>,
    /// riel per dollar its dollar-priced lines were converted at
    pub usd_khr_rate: Option<String>,
}

/// A payment for the wire.
pub fn view(p: &PaymentRow) -> api::PaymentView {
    api::PaymentView {
        id: p.payment_id.to_string(),
        network: p.network,
        transaction_id: p.transaction_id.clone(),
        charge_id: p.charge_id.as_deref().map(str::to_owned),
        bill_number: p.bill_number.as_deref().map(str::to_owned),
        terminal_id: p.terminal_id.as_deref().map(str::to_owned),
        amount: p.money.to_decimal_string(),
        currency: p.money.currency,
        payer: p.payer.clone(),
        received_at_ms: p.created_at,
        resolution: p.resolution,
        review: p.review,
        lines: p.lines.clone(),
        usd_khr_rate: p.usd_khr_rate.clone(),
    }
}
