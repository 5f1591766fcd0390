//! The NBC's Bakong Open API, the calls tonle makes: is this md5 paid (`check_transaction_by_md5`),
//! and the same for up to 50 md5s at once (`check_transaction_by_md5_list`). Every answer is
//! typed here: a transaction, not found, a static QR, or a fault the poller acts on.

use std::time::Duration;

use khqr::{Currency, Money};
use serde::Deserialize;
use serde_json::Value;

/// Most md5s one list call takes.
pub const LIST_MAX: usize = 50;
/// How long one call may take.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// A Bakong transaction as the Open API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Bakong's transaction hash (64 hex)
    pub hash: String,
    /// payer's account, e.g. `abaakhppxxx@abaa`
    pub from_account_id: Option<String>,
    /// payee's Bakong account
    pub to_account_id: Option<String>,
    /// amount and currency
    pub money: Option<Money>,
    /// the amount as written, when it could not be read as money
    pub amount_text: String,
    /// when the payer sent it, epoch ms
    pub created_date_ms: Option<i64>,
    /// the payer bank's reference
    pub external_ref: Option<String>,
}

/// What Bakong says of one md5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// paid, by this transaction
    Paid(Transaction),
    /// no transaction (yet)
    NotFound,
    /// a static QR: Bakong cannot tell (errorCode 2)
    StaticQr,
    /// the transaction failed (errorCode 3)
    Failed,
}

/// Why a call gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Fault {
    /// the token is wrong or expired (HTTP 401 or errorCode 6)
    #[error("Bakong refused the token (unauthorized)")]
    Unauthorized,
    /// HTTP 429
    #[error("Bakong asked us to slow down (429)")]
    RateLimited {
        /// its Retry-After, when given
        retry_after: Option<Duration>,
    },
    /// the list form is not served (HTTP 403/404 on it, seen in production)
    #[error("the md5 list endpoint is not available ({0})")]
    ListUnavailable(u16),
    /// timeouts, refused connections, 5xx, anything unreadable
    #[error("Bakong is unreachable: {0}")]
    Unreachable(String),
}

impl Fault {
    /// Its word in the `tonle_bakong_calls_total` metric.
    pub fn metric(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::RateLimited { .. } => "rate_limited",
            Self::ListUnavailable(_) => "list_unavailable",
            Self::Unreachable(_) => "unreachable",
        }
    }
}

/// A client of one Bakong Open API base URL.
#[derive(Clone)]
pub struct BakongClient {
    http: reqwest::Client,
    base: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    response_code: Option<i64>,
    error_code: Option<i64>,
    #[serde(default)]
    data: Value,
}

impl BakongClient {
    /// A client of `base` (e.g. `https://api-bakong.nbc.gov.kh`).
    pub fn new(base: &str) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(3))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    async fn post(
        &self,
        token: &str,
        path: &str,
        body: &Value,
        list: bool,
    ) -> Result<Envelope, Fault> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .map_err(|e| {
                Fault::Unreachable(if e.is_timeout() {
                    "timed out".into()
                } else {
                    "no connection".into()
                })
            })?;
        let status = res.status().as_u16();
        match status {
            401 => return Err(Fault::Unauthorized),
            429 => {
                let retry_after = res
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                return Err(Fault::RateLimited { retry_after });
            }
            403 | 404 if list => return Err(Fault::ListUnavailable(status)),
            200..=299 | 400 => {}
            other => return Err(Fault::Unreachable(format!("HTTP {other}"))),
        }
        let envelope: Envelope = res
            .json()
            .await
            .map_err(|_| Fault::Unreachable(format!("HTTP {status} with an unreadable body")))?;
        if envelope.error_code == Some(6) {
            return Err(Fault::Unauthorized);
        }
        Ok(envelope)
    }

    /// Whether one md5 was paid.
    pub async fn check_md5(&self, token: &str, md5: &str) -> Result<Lookup, Fault> {
        let envelope = self
            .post(
                token,
                "/v1/check_transaction_by_md5",
                &serde_json::json!({ "md5": md5 }),
                false,
            )
            .await?;
        Ok(match (envelope.response_code, envelope.error_code) {
            (Some(0), _) => transaction(&envelope.data).map_or(Lookup::NotFound, Lookup::Paid),
            (_, Some(2)) => Lookup::StaticQr,
            (_, Some(3)) => Lookup::Failed,
            _ => Lookup::NotFound,
        })
    }

    /// Whether each of up to `LIST_MAX` md5s was paid, in one call.
    pub async fn check_md5_list(
        &self,
        token: &str,
        md5s: &[String],
    ) -> Result<Vec<(String, Lookup)>, Fault> {
        let md5s = &md5s[..md5s.len().min(LIST_MAX)];
        let envelope = self
            .post(
                token,
                "/v1/check_transaction_by_md5_list",
                &serde_json::json!(md5s),
                true,
            )
            .await?;
        let items = envelope.data.as_array().cloned().unwrap_or_default();
        let mut out: Vec<(String, Lookup)> = items
            .iter()
            .filter_map(|item| {
                let md5 = item.get("md5")?.as_str()?.to_ascii_lowercase();
                let lookup = match item.get("status").and_then(Value::as_str) {
                    Some("SUCCESS") => item
                        .get("data")
                        .filter(|d| !d.is_null())
                        .or_else(|| item.get("transaction"))
                        .and_then(transaction)
                        .map_or(Lookup::NotFound, Lookup::Paid),
                    Some("STATIC_QR") => Lookup::StaticQr,
                    Some("FAILED") => Lookup::Failed,
                    _ => Lookup::NotFound,
                };
                Some((md5, lookup))
            })
            .collect();
        // An md5 the answer leaves out was not found.
        for md5 in md5s {
            if !out.iter().any(|(m, _)| m.eq_ignore_ascii_case(md5)) {
                out.push((md5.clone(), Lookup::NotFound));
            }
        }
        Ok(out)
    }
}

/// Reads a transaction object; `None` without a hash.
fn transaction(data: &Value) -> Option<Transaction> {
    let text = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_owned);
    let hash = text("hash").filter(|h| !h.is_empty())?;
    let amount_text = match data.get("amount") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    };
    let money = text("currency")
        .and_then(|c| Currency::from_code(&c))
        .and_then(|c| money(&amount_text, c));
    Some(Transaction {
        hash,
        from_account_id: text("fromAccountId"),
        to_account_id: text("toAccountId"),
        money,
        amount_text,
        created_date_ms: data.get("createdDateMs").and_then(Value::as_i64),
        external_ref: text("externalRef"),
    })
}

/// An amount Bakong writes as a JSON number (`4400`, `4400.0`, `0.01`, `1.5e1`) as money, exactly:
/// an exponent only moves the decimal point, no float is involved.
pub fn money(amount: &str, currency: Currency) -> Option<Money> {
    Money::parse(&plain_decimal(amount.trim())?, currency).ok()
}

/// `1.5e1` → `15`, `1e-2` → `0.01`; plain decimals pass through.
fn plain_decimal(text: &str) -> Option<String> {
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().ok()?),
        None => return Some(text.to_owned()),
    };
    if !(-30..=30).contains(&exp) {
        return None;
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let point = int.len() as i32 + exp;
    Some(if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (i, f) = digits.split_at(point as usize);
        format!("{i}.{f}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_bakong_writes_them_become_money() {
        let khr = |s| money(s, Currency::Khr).map(|m| m.to_decimal_string());
        let usd = |s| money(s, Currency::Usd).map(|m| m.to_decimal_string());
        assert_eq!(khr("4400").as_deref(), Some("4400"));
        assert_eq!(khr("4400.0").as_deref(), Some("4400"));
        assert_eq!(usd("0.01").as_deref(), Some("0.01"));
        assert_eq!(usd("1.5").as_deref(), Some("1.50"));
        assert_eq!(usd("1e-2").as_deref(), Some("0.01"));
        assert_eq!(khr("1.5e3").as_deref(), Some("1500"));
        assert_eq!(khr("44E+2").as_deref(), Some("4400"));
        assert_eq!(usd("1e99"), None);
        assert_eq!(khr("4400.5"), None, "riel has no cents");
        assert_eq!(usd("0.001"), None);
        assert_eq!(usd("-1"), None);
        assert_eq!(usd("abc"), None);
    }

    #[test]
    fn a_transaction_object_is_read_with_its_fields() {
        let t = transaction(&serde_json::json!({
            "hash": "ab".repeat(32), "fromAccountId": "abaakhppxxx@abaa", "toAccountId": "sokha@aclb",
            "currency": "USD", "amount": 1.5, "createdDateMs": 1_764_000_000_000i64,
            "acknowledgedDateMs": 1_764_000_001_000i64, "externalRef": "100FT35781491692"
        }))
        .unwrap();
        assert_eq!(t.money.unwrap().to_decimal_string(), "1.50");
        assert_eq!(t.to_account_id.as_deref(), Some("sokha@aclb"));
        assert_eq!(t.external_ref.as_deref(), Some("100FT35781491692"));
        assert_eq!(t.created_date_ms, Some(1_764_000_000_000));
        assert!(transaction(&serde_json::json!({"amount": 1})).is_none());
    }
}
