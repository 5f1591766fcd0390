//! The body a payment network (or the sandbox) posts to `POST /api/v1/notifications/{network}`.

use serde::{Deserialize, Serialize};

use crate::Payer;
use khqr::Money;

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

/// A notification field that is refused, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// the field, dotted for nested ones (`payer.country`)
    pub field: &'static str,
    /// what it must be
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl PaymentNotification {
    /// Checks what a network sent before anything is recorded; returns the credited money.
    pub fn validate(&self) -> Result<Money, FieldError> {
        if self.transaction_id.trim().is_empty() || self.transaction_id.len() > 128 {
            return Err(refuse("transaction_id", "1 to 128 characters"));
        }
        crate::text::check_one_line(&self.transaction_id, 128)
            .map_err(|m| refuse("transaction_id", m))?;
        if self.md5.is_none() && self.bill_number.is_none() {
            return Err(refuse(
                "md5",
                "give the md5 or the bill_number of the paid QR",
            ));
        }
        if self
            .md5
            .as_deref()
            .is_some_and(|m| m.len() != 32 || !m.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(refuse("md5", "32 hexadecimal characters"));
        }
        for (field, value) in [
            ("bill_number", &self.bill_number),
            ("merchant_account", &self.merchant_account),
        ] {
            if value
                .as_deref()
                .is_some_and(|v| crate::text::check_one_line(v, 64).is_err())
            {
                return Err(refuse(field, "at most 64 printable characters"));
            }
        }
        let country = &self.payer.country;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(refuse("payer.country", "ISO 3166 alpha-2, like CN"));
        }
        if self.payer.wallet.trim().is_empty() {
            return Err(refuse("payer.wallet", "1 to 64 characters"));
        }
        // What the payer's side says goes to screens, logs and spreadsheets: short, one line,
        // nothing a terminal or a spreadsheet would run.
        for (field, value, max) in [
            ("payer.wallet", Some(&self.payer.wallet), 64),
            ("payer.institution", self.payer.institution.as_ref(), 64),
            ("payer.account", self.payer.account.as_ref(), 128),
            ("payer.reference", self.payer.reference.as_ref(), 128),
        ] {
            if let Some(v) = value {
                crate::text::check_one_line(v, max).map_err(|m| refuse(field, m))?;
            }
        }
        match (&self.payer.amount, self.payer.currency) {
            (Some(a), Some(c)) => {
                Money::parse(a, c).map_err(|e| refuse("payer.amount", e.to_string()))?;
            }
            (Some(a), None) if !crate::text::is_decimal(a, 15, 4) => {
                return Err(refuse("payer.amount", "a decimal number, like 12.50"));
            }
            _ => {}
        }
        if let Some(rate) = &self.payer.rate
            && (!crate::text::is_decimal(rate, 12, 10)
                || rate.bytes().all(|b| b == b'0' || b == b'.'))
        {
            return Err(refuse(
                "payer.rate",
                "a positive decimal number, like 565 or 0.0071",
            ));
        }
        Money::parse(&self.amount, self.currency).map_err(|e| refuse("amount", e.to_string()))
    }
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

/// The wallet a sandbox test payment plays.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestWallet {
    /// a Bakong wallet in Cambodia, paying in the charge's currency
    Bakong,
    /// a UnionPay wallet from China, paying in yuan at a rate
    Unionpay,
}

impl TestWallet {
    /// Both wallets, as the screens offer them.
    pub const ALL: [TestWallet; 2] = [Self::Bakong, Self::Unionpay];

    /// The name a merchant sees for the payer's wallet.
    pub const fn wallet_name(self) -> &'static str {
        match self {
            Self::Bakong => "Bakong",
            Self::Unionpay => "UnionPay",
        }
    }
}

/// Units of `credited` one yuan buys when a test wallet from China pays (what a wallet's own
/// rate of the day is near; the merchant may type another).
pub const fn default_cny_rate(credited: khqr::Currency) -> &'static str {
    match credited {
        khqr::Currency::Khr => "565",
        khqr::Currency::Usd => "0.1385",
        _ => "1",
    }
}

/// `POST /api/v1/charges/{id}/test-payment`, on a server started with `--sandbox` only: pays the
/// charge's QR as a test wallet would, signed and ingested as any notification.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestPayment {
    /// which wallet pays
    pub wallet: TestWallet,
    /// UnionPay only: units of the charge's currency per yuan (decimal; 565 for riel, 0.1385
    /// for dollars when absent)
    #[serde(default)]
    pub rate: Option<String>,
    /// pay a QR that has expired (a wallet that scanned it in time and paid late), to see a
    /// late payment; without it an expired QR is refused as a wallet would
    #[serde(default)]
    pub after_expiry: bool,
}
