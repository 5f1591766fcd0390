//! `tonle simulate pay`: plays a wallet against a payload. Decodes it, checks CRC and expiry,
//! converts to the payer's currency at a stated rate, and posts a signed notification.

use std::path::PathBuf;

use anyhow::{Context, bail};
use khqr::{Currency, MinorUnits, Money};

use crate::api;
use crate::signing::{self, WebhookSecret};

/// What to simulate.
#[derive(Debug, Clone)]
pub struct PayArgs {
    /// the QR payload
    pub payload: String,
    /// server base URL
    pub server: String,
    /// the server's data dir (holds the sandbox secret)
    pub data_dir: PathBuf,
    /// explicit secret (overrides the data dir)
    pub secret: Option<String>,
    /// network name in the URL
    pub network: String,
    /// wallet shown to the merchant
    pub wallet: String,
    /// issuing institution
    pub institution: Option<String>,
    /// payer's country
    pub payer_country: String,
    /// payer's currency
    pub payer_currency: Currency,
    /// credited units per payer unit (decimal); defaults per pair
    pub rate: Option<String>,
    /// network transaction id (random when absent)
    pub transaction_id: Option<String>,
    /// amount for a static QR
    pub amount: Option<String>,
    /// pay even if the QR has expired (to exercise paid_late)
    pub allow_expired: bool,
    /// pay through a stand-in Bakong Open API at this URL (tonle finds it by polling) instead of
    /// posting a notification
    pub bakong: Option<String>,
    /// now, epoch ms
    pub now_ms: i64,
}

/// Default rate: credited currency units per one unit of the payer's currency.
fn default_rate(credited: Currency, payer: Currency) -> &'static str {
    match (credited, payer) {
        (Currency::Khr, Currency::Cny) => "565",
        (Currency::Usd, Currency::Cny) => "0.1385",
        (Currency::Cny, Currency::Khr) => "0.00177",
        (Currency::Cny, Currency::Usd) => "7.22",
        (Currency::Khr, Currency::Usd) => "4010",
        (Currency::Usd, Currency::Khr) => "0.000249",
        _ => "1",
    }
}

/// Parses a positive decimal rate into millionths.
fn rate_micros(rate: &str) -> anyhow::Result<u128> {
    let (int, frac) = rate.trim().split_once('.').unwrap_or((rate.trim(), ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        || frac.len() > 6
    {
        bail!("--rate must be a positive decimal with at most 6 decimals, like 565 or 0.1385");
    }
    let whole: u128 = if int.is_empty() { 0 } else { int.parse()? };
    let f: u128 = format!("{frac:0<6}").parse()?;
    let micros = whole * 1_000_000 + f;
    if micros == 0 {
        bail!("--rate must be greater than zero");
    }
    Ok(micros)
}

/// What the payer pays: credited / rate, rounded up to the payer currency's minor unit.
pub fn payer_amount(credited: Money, payer: Currency, rate: &str) -> anyhow::Result<Money> {
    let micros = rate_micros(rate)?;
    let num = u128::from(credited.amount.get()) * 10u128.pow(payer.minor_digits()) * 1_000_000;
    let den = micros * 10u128.pow(credited.currency.minor_digits());
    let minor = num.div_ceil(den);
    let minor = u64::try_from(minor).context("payer amount overflows")?;
    Ok(Money::new(MinorUnits::new(minor), payer))
}

/// Builds the notification for a payload.
pub fn notification(args: &PayArgs) -> anyhow::Result<api::PaymentNotification> {
    let decoded =
        khqr::decode_any(args.payload.trim()).map_err(|e| anyhow::anyhow!("payload: {e}"))?;
    if !decoded.crc_valid {
        bail!("payload: CRC does not match; the QR is damaged or altered");
    }
    let f = &decoded.fields;
    if let Some(exp) = f.expires_at_ms
        && (exp as i64) < args.now_ms
        && !args.allow_expired
    {
        bail!(
            "payload: this QR expired at {}; a wallet would refuse it (use --allow-expired to pay anyway)",
            crate::clock::rfc3339(exp as i64)
        );
    }
    let currency = f
        .currency
        .as_deref()
        .and_then(Currency::from_code)
        .context("payload: tag 53 is not a currency tonle knows")?;
    let written = f
        .amount
        .clone()
        .or_else(|| args.amount.clone())
        .context("payload: static QR without an amount; pass --amount")?;
    let credited =
        Money::parse(&written, currency).map_err(|e| anyhow::anyhow!("amount {written:?}: {e}"))?;
    let (payer_amount, payer_currency, rate) = if args.payer_currency == currency {
        (None, None, None)
    } else {
        let rate = args
            .rate
            .clone()
            .unwrap_or_else(|| default_rate(currency, args.payer_currency).to_owned());
        let paid = payer_amount(credited, args.payer_currency, &rate)?;
        (
            Some(paid.to_decimal_string()),
            Some(args.payer_currency),
            Some(rate),
        )
    };
    Ok(api::PaymentNotification {
        transaction_id: args
            .transaction_id
            .clone()
            .unwrap_or_else(|| format!("sim-{}", uuid::Uuid::new_v4().simple())),
        md5: Some(khqr::khqr::md5_hex(args.payload.trim())),
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
        paid_at_ms: args.now_ms,
        payer: api::Payer {
            wallet: args.wallet.clone(),
            institution: args.institution.clone(),
            country: args.payer_country.to_ascii_uppercase(),
            amount: payer_amount,
            currency: payer_currency,
            rate,
            account: None,
            reference: None,
        },
    })
}

/// Records the payment on a stand-in Bakong Open API (`tonle simulate bakong`), where tonle's
/// poller finds it; returns the HTTP status and body.
async fn pay_on_bakong(
    standin: &str,
    n: &api::PaymentNotification,
    now_ms: i64,
) -> anyhow::Result<(u16, String)> {
    let amount: serde_json::Value =
        serde_json::from_str(&n.amount).context("amount is not a number")?;
    let body = serde_json::json!({
        "md5": n.md5, "amount": amount, "currency": n.currency.code(),
        "to_account_id": n.merchant_account, "from_account_id": "payer@abaa",
        "created_date_ms": now_ms,
    });
    let url = format!("{}/standin/paid", standin.trim_end_matches('/'));
    let res = reqwest::Client::new()
        .post(&url)
        .json(&body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?;
    Ok((res.status().as_u16(), res.text().await.unwrap_or_default()))
}

/// Posts the signed notification (or, with `bakong`, pays on the stand-in Bakong); returns the
/// HTTP status and body.
pub async fn pay(args: &PayArgs) -> anyhow::Result<(u16, String)> {
    let n = notification(args)?;
    if let Some(standin) = &args.bakong {
        return pay_on_bakong(standin, &n, args.now_ms).await;
    }
    let secret = match &args.secret {
        Some(s) => WebhookSecret::parse(s).context("--secret is not a whsec_ secret")?,
        None => signing::read_sandbox_secret(&args.data_dir)?,
    };
    let body = serde_json::to_vec(&n)?;
    let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
    let ts = args.now_ms / 1000;
    let url = format!(
        "{}/api/v1/notifications/{}",
        args.server.trim_end_matches('/'),
        args.network
    );
    let res = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", ts.to_string())
        .header("webhook-signature", secret.sign(&id, ts, &body))
        .body(body)
        .send()
        .await
        .with_context(|| format!("posting to {url}"))?;
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    Ok((status, text))
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
    }
}
