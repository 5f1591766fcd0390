//! Payments as they arrive and are resolved, and the history of charges and payments.

use super::*;

/// A payment notification to record.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// fresh id
    pub payment_id: String,
    /// network
    pub network: api::Network,
    /// network's transaction id
    pub transaction_id: String,
    /// md5 of the paid QR
    pub md5: Option<String>,
    /// bill number of the paid QR
    pub bill_number: Option<String>,
    /// payee account named by the network
    pub merchant_account: Option<String>,
    /// credited amount
    pub money: Money,
    /// payer
    pub payer: api::Payer,
    /// when paid, epoch ms
    pub paid_at: i64,
    /// now, epoch ms
    pub now: i64,
    /// the notification's `webhook-id`
    pub webhook_id: String,
    /// SHA-256 of the notification body, hex
    pub body_hash: String,
}

impl NewPayment {
    /// The payment row this notification becomes once inserted for `merchant_id`: for `charge`
    /// when it names one, at `counter` when it paid a counter's printed code.
    pub fn row(
        &self,
        merchant_id: &str,
        charge: Option<&ChargeRow>,
        counter: Option<&str>,
        review: Option<api::ReviewReason>,
    ) -> PaymentRow {
        // what the charge sold, when this payment settles it
        let sold =
            charge.filter(|_| matches!(review, None | Some(api::ReviewReason::BillNumberMismatch)));
        PaymentRow {
            payment_id: self.payment_id.as_str().into(),
            merchant_id: merchant_id.into(),
            network: self.network,
            transaction_id: self.transaction_id.clone(),
            charge_id: charge.map(|c| c.charge_id.clone()),
            bill_number: charge.map(|c| c.bill_number.clone()),
            terminal_id: counter
                .map(api::TerminalId::from)
                .or_else(|| charge.and_then(|c| c.terminal_id.clone())),
            money: self.money,
            payer: self.payer.clone(),
            paid_at: self.paid_at,
            created_at: self.now,
            resolution: None,
            lines: sold.map(|c| c.sale.lines.clone()).unwrap_or_default(),
            usd_khr_rate: sold.and_then(|c| c.sale.usd_khr_rate.clone()),
            review,
        }
    }
}

/// What recording a payment did.
// reason: returned once per notification and matched immediately; boxing adds nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum PaymentOutcome {
    /// this (network, transaction id) was recorded before: nothing credited again
    Duplicate {
        /// the earlier payment
        payment: PaymentRow,
        /// its charge's current state
        charge_status: Option<api::ChargeStatus>,
    },
    /// recorded now, with the event it appended
    Recorded {
        /// the payment
        payment: PaymentRow,
        /// the charge after it, when matched
        charge: Option<ChargeRow>,
        /// the appended event
        event: api::Event,
    },
    /// it settled no charge and names an account no merchant holds a verified claim on: kept
    /// unassigned (also the answer when the same transaction comes again)
    Held {
        /// the waiting payment's id
        payment_id: String,
    },
    /// neither md5 nor bill number names a charge, and no payee account is named
    UnknownCharge,
    /// this webhook-id was seen before with a different body: refused
    WebhookIdReused,
}

/// Filters of a payment list.
#[derive(Debug, Clone, Default)]
pub struct PaymentQuery {
    /// time range
    pub range: Range,
    /// network
    pub network: Option<api::Network>,
    /// bill number of the settled charge
    pub bill_number: Option<String>,
    /// terminal of the settled charge; `""` for charges made at no terminal
    pub terminal_id: Option<String>,
    /// only payments that settled no charge: none named, a wrong amount, or a second payment
    pub unmatched: bool,
    /// keyset: (created_at, id) of the last item already seen
    pub before: Option<(i64, String)>,
    /// page size
    pub limit: u32,
}

/// Payments as they arrive and are resolved, and the history of charges and payments.
#[async_trait::async_trait]
pub trait PaymentStore: Send + Sync {
    /// Records a payment exactly once per (network, transaction id), matches it by md5 then bill
    /// number, moves the charge and appends the event — one transaction.
    async fn record_payment(&self, new: NewPayment) -> StoreResult<PaymentOutcome>;
    /// Resolves a payment that settled no charge, once; Conflict("status") when it settled one or
    /// was resolved before, NotFound when it is not the merchant's.
    async fn resolve_payment(
        &self,
        merchant_id: &api::MerchantId,
        payment_id: &api::PaymentId,
        resolution: api::Resolution,
        now: i64,
    ) -> StoreResult<(PaymentRow, api::Event)>;
    /// One payment of a merchant, with its charge's terminal (NotFound when not theirs).
    async fn payment(
        &self,
        merchant_id: &api::MerchantId,
        payment_id: &api::PaymentId,
    ) -> StoreResult<(PaymentRow, Option<String>)>;
    /// Payments of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_payments(
        &self,
        merchant_id: &api::MerchantId,
        q: &PaymentQuery,
    ) -> StoreResult<Vec<PaymentRow>>;
    /// Charges of a merchant, newest first, filtered, after a keyset cursor.
    async fn list_charges(
        &self,
        merchant_id: &api::MerchantId,
        q: &ChargeQuery,
    ) -> StoreResult<Vec<ChargeRow>>;
    /// (local day index, currency, count, total minor units) of the payments kept (not marked
    /// to refund) in a range, at one terminal when given (`""`: charges made at none).
    async fn daily_totals(
        &self,
        merchant_id: &api::MerchantId,
        range: Range,
        offset_ms: i64,
        terminal: Option<&str>,
    ) -> StoreResult<Vec<(i64, Currency, u64, u64)>>;
}
