//! The body a payment network (or the sandbox) posts to `POST /api/v1/notifications/{network}`.

use serde::{Deserialize, Serialize};

use crate::Payer;

/// A payment notification. Signed the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
/// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotification {
    /// the network's transaction id; crediting is exactly-once per (network, id)
    pub transaction_id: String,
    /// md5 of the QR that was paid
    #[serde(default)]
    pub md5: Option<String>,
    /// bill number from tag 62-01
    #[serde(default)]
    pub bill_number: Option<String>,
    /// the payee account the network credited (Bakong ID or UnionPay merchant id): lets a
    /// payment that matches no charge still reach its merchant's review queue
    #[serde(default)]
    pub merchant_account: Option<String>,
    /// credited amount, decimal string
    pub amount: String,
    /// credited currency
    pub currency: khqr::Currency,
    /// when the payer paid, epoch ms
    pub paid_at_ms: i64,
    /// payer
    pub payer: Payer,
}

/// The answer to a notification.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationAck {
    /// payment id
    pub payment_id: String,
    /// false when this transaction was already recorded
    pub credited: bool,
    /// the charge it settled, if matched
    pub charge_id: Option<String>,
    /// the charge's state after this payment
    pub charge_status: Option<crate::ChargeStatus>,
    /// true (with 202) when it settled no charge and names an account no merchant holds a
    /// verified claim on: kept, credited to no one until whoever runs the server verifies it
    #[serde(default)]
    pub held: bool,
}
