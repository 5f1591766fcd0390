//! A test wallet paying a QR: what it reads from the payload, what it refuses as a real wallet
//! would (a damaged code, an expired one), and the notification its network then posts, with the
//! payer's own amount when it pays in another currency. `tonle simulate pay` and the sandbox's
//! "Pay as a test wallet" both build their notification here.

use khqr::{Currency, MinorUnits, Money};

use crate::api;

/// Who pays, and how.
#[derive(Debug, Clone)]
pub struct Wallet {
    /// wallet shown to the merchant
    pub wallet: String,
    /// issuing institution
    pub institution: Option<String>,
    /// payer's country (ISO 3166 alpha-2)
    pub payer_country: String,
    /// payer's currency
    pub payer_currency: Currency,
    /// credited units per payer unit (decimal); a usual one per pair when absent
    pub rate: Option<String>,
    /// network transaction id (random when absent)
    pub transaction_id: Option<String>,
    /// amount for a static QR
    pub amount: Option<String>,
    /// pay even if the QR has expired (a late payment)
    pub allow_expired: bool,
}

impl Wallet {
    /// The test wallet a merchant picks on screen, paying a QR in `credited`.
    pub fn picked(choice: api::TestWallet, credited: Currency, rate: Option<String>) -> Self {
        let (country, currency, rate) = match choice {
            api::TestWallet::Bakong => ("KH", credited, None),
            api::TestWallet::Unionpay => ("CN", Currency::Cny, rate),
        };
        Self {
            wallet: choice.wallet_name().to_owned(),
            institution: Some(format!("{} (sandbox)", choice.wallet_name())),
            payer_country: country.to_owned(),
            payer_currency: currency,
            rate,
            transaction_id: None,
            amount: None,
            allow_expired: false,
        }
    }
}

/// Why a wallet would not pay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// the payload is not a QR a wallet reads
    #[error("the QR cannot be read: {0}")]
    Unreadable(String),
    /// the CRC does not match
    #[error("the QR's CRC does not match; it is damaged or altered")]
    Damaged,
    /// the QR expired, at this time (epoch ms)
    #[error("this QR expired at {}; a wallet would refuse it", crate::clock::rfc3339(*.0))]
    Expired(i64),
    /// tag 53 names no currency tonle knows
    #[error("the QR's currency (tag 53) is not one tonle knows")]
    Currency,
    /// a static QR, and no amount given
    #[error("a static QR has no amount; give one")]
    NoAmount,
    /// the amount cannot be read
    #[error("amount {0}")]
    Amount(String),
    /// the rate is not a positive decimal, or the converted amount does not fit
    #[error("{0}")]
    Rate(String),
}

impl Refusal {
    /// The field of a test-payment request the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Expired(_) => "after_expiry",
            Self::Rate(_) => "rate",
            Self::NoAmount | Self::Amount(_) => "amount",
            Self::Unreadable(_) | Self::Damaged | Self::Currency => "payload",
        }
    }
}

/// The usual rate: credited currency units per one unit of the payer's currency.
pub fn default_rate(credited: Currency, payer: Currency) -> &'static str {
    match (credited, payer) {
        (c, Currency::Cny) => api::default_cny_rate(c),
        (Currency::Cny, Currency::Khr) => "0.00177",
        (Currency::Cny, Currency::Usd) => "7.22",
        (Currency::Khr, Currency::Usd) => "4010",
        (Currency::Usd, Currency::Khr) => "0.000249",
        _ => "1",
    }
}

/// Parses a positive decimal rate into millionths.
fn rate_micros(rate: &str) -> Result<u128, Refusal> {
    let bad = || {
        Refusal::Rate(
            "the rate must be a positive decimal with at most 6 decimals, like 565 or 0.1385"
                .into(),
        )
    };
    let rate = rate.trim();
    let (int, frac) = rate.split_once('.').unwrap_or((rate, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        || frac.len() > 6
        || int.len() > 12
    {
        return Err(bad());
    }
    let whole: u128 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad())?
    };
    let f: u128 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
    match whole * 1_000_000 + f {
        0 => Err(Refusal::Rate("the rate must be greater than zero".into())),
        micros => Ok(micros),
    }
}

/// What the payer pays: credited / rate, rounded up to the payer currency's minor unit.
pub fn payer_amount(credited: Money, payer: Currency, rate: &str) -> Result<Money, Refusal> {
    let micros = rate_micros(rate)?;
    let num = u128::from(credited.amount.get()) * 10u128.pow(payer.minor_digits()) * 1_000_000;
    let den = micros * 10u128.pow(credited.currency.minor_digits());
    let minor = u64::try_from(num.div_ceil(den))
        .map_err(|_| Refusal::Rate("at this rate the payer's amount is too large".into()))?;
    Ok(Money::new(MinorUnits::new(minor), payer))
}

/// The notification the wallet's network posts after paying `payload` at `now_ms`.
pub fn notification(
    payload: &str,
    w: &Wallet,
    now_ms: i64,
) -> Result<api::PaymentNotification, Refusal> {
    let payload = payload.trim();
    let decoded = khqr::decode_any(payload).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    if !decoded.crc_valid {
        return Err(Refusal::Damaged);
    }
    let f = &decoded.fields;
    if let Some(exp) = f.expires_at_ms
        && (exp as i64) < now_ms
        && !w.allow_expired
    {
        return Err(Refusal::Expired(exp as i64));
    }
    let currency = f
        .currency
        .as_deref()
        .and_then(Currency::from_code)
        .ok_or(Refusal::Currency)?;
    let written = f
        .amount
        .clone()
        .or_else(|| w.amount.clone())
        .ok_or(Refusal::NoAmount)?;
    let credited = Money::parse(&written, currency)
        .map_err(|e| Refusal::Amount(format!("{written:?}: {e}")))?;
    let (payer_amount, payer_currency, rate) = if w.payer_currency == currency {
        (None, None, None)
    } else {
        let rate = w
            .rate
            .clone()
            .unwrap_or_else(|| default_rate(currency, w.payer_currency).to_owned());
        let paid = payer_amount(credited, w.payer_currency, &rate)?;
        (
            Some(paid.to_decimal_string()),
            Some(w.payer_currency),
            Some(rate.trim().to_owned()),
        )
    };
    Ok(api::PaymentNotification {
        transaction_id: w
            .transaction_id
            .clone()
            .unwrap_or_else(|| format!("sim-{}", uuid::Uuid::new_v4().simple())),
        md5: Some(khqr::khqr::md5_hex(payload)),
        bill_number: f.bill_number.clone(),
        // The payee the wallet paid: the Bakong account, or the UnionPay merchant id.
        merchant_account: f.bakong_account_id.clone().or_else(|| {
            f.upi_merchant_account
                .as_deref()
                .and_then(|u| khqr::unionpay::UpiAccount::parse(u).ok())
                .map(|a| a.merchant_id().to_owned())
        }),
        amount: credited.to_decimal_string(),
        currency,
        paid_at_ms: now_ms,
        payer: api::Payer {
            wallet: w.wallet.clone(),
            institution: w.institution.clone(),
            country: w.payer_country.to_ascii_uppercase(),
            amount: payer_amount,
            currency: payer_currency,
            rate,
            account: None,
            reference: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_at_the_stated_rate_rounding_up() {
        let khr = Money::parse("48000", Currency::Khr).unwrap();
        assert_eq!(
            payer_amount(khr, Currency::Cny, "565")
                .unwrap()
                .to_decimal_string(),
            "84.96"
        );
        let usd = Money::parse("12.50", Currency::Usd).unwrap();
        assert_eq!(
            payer_amount(usd, Currency::Cny, "0.1385")
                .unwrap()
                .to_decimal_string(),
            "90.26"
        );
        assert!(payer_amount(khr, Currency::Cny, "0").is_err());
        assert!(payer_amount(khr, Currency::Cny, "abc").is_err());
        assert!(payer_amount(khr, Currency::Cny, "0.0000001").is_err());
        assert_eq!(
            payer_amount(khr, Currency::Cny, "-5").unwrap_err().field(),
            "rate"
        );
    }

    #[test]
    fn a_picked_unionpay_wallet_pays_in_yuan_from_china() {
        let w = Wallet::picked(api::TestWallet::Unionpay, Currency::Khr, None);
        assert_eq!(
            (w.payer_country.as_str(), w.payer_currency),
            ("CN", Currency::Cny)
        );
        let b = Wallet::picked(api::TestWallet::Bakong, Currency::Usd, Some("9".into()));
        assert_eq!(
            (b.payer_currency, b.rate),
            (Currency::Usd, None),
            "a Bakong wallet pays in the charge's currency"
        );
    }

    fn dynamic_qr(amount: &str, created: u64, expires: u64) -> String {
        let input = khqr::khqr::KhqrInput {
            bakong_account_id: "shop@aclb".into(),
            merchant_name: "Shop".into(),
            merchant_city: Some("Phnom Penh".into()),
            currency: Some(Currency::Khr),
            amount: Some(amount.into()),
            bill_number: Some("B1".into()),
            created_at_ms: Some(created),
            expires_at_ms: Some(expires),
            ..Default::default()
        };
        khqr::khqr::encode(&input, created).unwrap().payload
    }

    #[test]
    fn an_expired_qr_is_refused_naming_after_expiry_unless_paid_late_on_purpose() {
        let now = 1_800_000_000_000_i64;
        let qr = dynamic_qr("48000", now as u64 - 400_000, now as u64 - 100_000);
        let mut w = Wallet::picked(api::TestWallet::Unionpay, Currency::Khr, None);
        let refused = notification(&qr, &w, now).unwrap_err();
        assert_eq!(refused, Refusal::Expired(now - 100_000));
        assert_eq!(refused.field(), "after_expiry");
        w.allow_expired = true;
        let n = notification(&qr, &w, now).unwrap();
        assert_eq!(n.paid_at_ms, now, "paid now, after the QR's expiry: late");
        assert_eq!(
            (n.payer.amount.as_deref(), n.payer.currency),
            (Some("84.96"), Some(Currency::Cny))
        );
        assert_eq!(n.merchant_account.as_deref(), Some("shop@aclb"));
        let mut damaged = qr.clone();
        damaged.replace_range(damaged.len() - 1.., "0");
        if damaged != qr {
            assert_eq!(
                notification(&damaged, &w, now).unwrap_err().field(),
                "payload"
            );
        }
    }
}
