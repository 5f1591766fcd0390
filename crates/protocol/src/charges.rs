//! Charges (one dynamic QR for one amount) and the payments that settle them.

use serde::{Deserialize, Serialize};

/// Where a charge is in its life.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeStatus {
    /// waiting for the payer
    Pending,
    /// paid before expiry
    Paid,
    /// expired unpaid
    Expired,
    /// paid after expiry: needs the merchant's decision
    PaidLate,
    /// cancelled by staff
    Cancelled,
    /// a status this client does not know yet
    #[serde(other)]
    Unknown,
}

impl ChargeStatus {
    /// The snake_case name, as stored and sent.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Expired => "expired",
            Self::PaidLate => "paid_late",
            Self::Cancelled => "cancelled",
            Self::Unknown => "unknown",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "paid" => Self::Paid,
            "expired" => Self::Expired,
            "paid_late" => Self::PaidLate,
            "cancelled" => Self::Cancelled,
            _ => Self::Unknown,
        }
    }
}

/// How a merchant settled a charge that was paid after it expired.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// the late payment is kept as the sale
    Accepted,
    /// the payer is to be refunded
    RefundDue,
    /// a resolution this client does not know yet
    #[serde(other)]
    Unknown,
}

/// Why a payment settled no charge, or what was odd about one that did. The md5 names the exact
/// code that was paid (amount, payee and bill number are inside it), so it wins over a bill number.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewReason {
    /// it named no charge of this merchant (e.g. a payment to a counter poster)
    NoCharge,
    /// the amount or currency differs from the charge's
    AmountMismatch,
    /// the payee account the network reported is not the charge's
    PayeeMismatch,
    /// the bill number names a charge but the md5 of the paid code is not that charge's
    Md5Mismatch,
    /// the charge was settled by its md5, but the network reported another bill number
    BillNumberMismatch,
    /// the charge was already paid or cancelled
    ChargeClosed,
    /// a reason this client does not know yet
    #[serde(other)]
    Unknown,
}

impl ReviewReason {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoCharge => "no_charge",
            Self::AmountMismatch => "amount_mismatch",
            Self::PayeeMismatch => "payee_mismatch",
            Self::Md5Mismatch => "md5_mismatch",
            Self::BillNumberMismatch => "bill_number_mismatch",
            Self::ChargeClosed => "charge_closed",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a stored name (`Unknown` for anything else).
    pub fn parse(s: &str) -> Self {
        [
            Self::NoCharge,
            Self::AmountMismatch,
            Self::PayeeMismatch,
            Self::Md5Mismatch,
            Self::BillNumberMismatch,
            Self::ChargeClosed,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .unwrap_or(Self::Unknown)
    }
}

/// `POST /api/v1/charges/{id}/resolve`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveCharge {
    /// accepted or refund_due
    pub resolution: Resolution,
}

/// `POST /api/v1/charges`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateCharge {
    /// decimal string in major units: `"48000"`, `"12.50"`; with `lines`, optional and, when
    /// sent, it must equal their sum
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// KHR or USD (CNY for merchants in China)
    pub currency: khqr::Currency,
    /// free text kept with the charge
    #[serde(default)]
    pub note: Option<String>,
    /// the terminal (counter) it is made at; its labels go into the QR
    #[serde(default)]
    pub terminal_id: Option<String>,
    /// the cart: items priced by the server from the catalog, and custom lines
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<crate::CartLine>,
}

/// A charge as the app and integrators see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeView {
    /// charge id
    pub id: String,
    /// unique bill number (tag 62-01)
    pub bill_number: String,
    /// decimal string in major units
    pub amount: String,
    /// currency
    pub currency: khqr::Currency,
    /// state
    pub status: ChargeStatus,
    /// the QR payload
    pub payload: String,
    /// md5 of the payload (Bakong's key)
    pub md5: String,
    /// merchant name on the QR
    pub merchant_name: String,
    /// note
    pub note: Option<String>,
    /// terminal it was made at
    #[serde(default)]
    pub terminal_id: Option<String>,
    /// how a late payment was resolved
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// creation time, epoch ms
    pub created_at_ms: i64,
    /// expiry, RFC 3339
    pub expires_at: String,
    /// expiry, epoch ms (for countdowns)
    pub expires_at_ms: i64,
    /// what was sold, as sold
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<crate::SoldLine>,
    /// riel per dollar the shop converted dollar-priced items at
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_khr_rate: Option<String>,
    /// about how many yuan the amount is, as shown to the payer
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cny_estimate: Option<crate::CnyEstimate>,
}

/// The payer side of a payment (cross-border payers pay in their own currency).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payer {
    /// wallet or app, e.g. "UnionPay App"
    pub wallet: String,
    /// issuing institution
    #[serde(default)]
    pub institution: Option<String>,
    /// ISO 3166 alpha-2
    pub country: String,
    /// what the payer paid, decimal string, when it differs from the credit
    #[serde(default)]
    pub amount: Option<String>,
    /// the payer's currency
    #[serde(default)]
    pub currency: Option<khqr::Currency>,
    /// units of the credited currency per unit of the payer's currency, decimal string
    #[serde(default)]
    pub rate: Option<String>,
    /// the payer's account as the network names it (Bakong `fromAccountId`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// the payer bank's reference for the transfer (Bakong `externalRef`)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A payment network tonle hears from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// the NBC's Bakong (KHQR)
    Bakong,
    /// UnionPay International
    Unionpay,
    /// simulated wallets (`tonle simulate pay`)
    Sandbox,
    /// a network this client does not know yet
    #[serde(other)]
    Unknown,
}

impl Network {
    /// Every network tonle hears from.
    pub const ALL: [Self; 3] = [Self::Bakong, Self::Unionpay, Self::Sandbox];

    /// The wire and stored name (also the notification path's last segment).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Bakong => "bakong",
            Self::Unionpay => "unionpay",
            Self::Sandbox => "sandbox",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a name; `None` for one tonle does not hear from.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// A payment received from a network.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    /// payment id
    pub id: String,
    /// bakong, unionpay or sandbox
    pub network: Network,
    /// the network's transaction id
    pub transaction_id: String,
    /// the charge it settled, when matched
    pub charge_id: Option<String>,
    /// bill number of that charge
    pub bill_number: Option<String>,
    /// the counter it was paid at: its charge's, or the counter whose static QR was paid
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
    /// credited amount, decimal string
    pub amount: String,
    /// credited currency
    pub currency: khqr::Currency,
    /// payer details
    pub payer: Payer,
    /// when we recorded it, epoch ms
    pub received_at_ms: i64,
    /// how the merchant resolved a payment that settled no charge
    #[serde(default)]
    pub resolution: Option<Resolution>,
    /// why it needs review (it settled nothing), or what was odd about it
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewReason>,
    /// what the charge it settled sold
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<crate::SoldLine>,
    /// riel per dollar its dollar-priced lines were converted at
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_khr_rate: Option<String>,
}

/// One page of a list, newest first; pass `next_cursor` back as `cursor` for the next page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// the items
    pub items: Vec<T>,
    /// opaque cursor of the next page; absent on the last page
    pub next_cursor: Option<String>,
}

/// Money received on one local business day in one currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailyTotal {
    /// `YYYY-MM-DD` in the merchant's time zone
    pub date: String,
    /// currency
    pub currency: khqr::Currency,
    /// number of payments
    pub count: u64,
    /// sum, decimal string
    pub total: String,
}
