//! The merchant profile as a domain value: validated field by field (the codec is the judge of
//! what a QR can carry), and turned into the QR inputs every charge and counter poster uses.

use khqr::unionpay::{UnionPayInput, UpiAccount};
use khqr::{AccountKind, Currency, KhqrInput, Money};

use crate::api;
use crate::error::ApiError;
use crate::store::MerchantRow;

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Maps a codec field name to the profile field the merchant typed it in.
fn profile_field(codec_field: &str) -> &str {
    match codec_field {
        "merchant_name" => "business_name",
        "upi_merchant_account" => "upi",
        "merchant_name_alternate_language" => "alternate.name",
        "merchant_city_alternate_language" => "alternate.city",
        "language_preference" => "alternate.language",
        other => other,
    }
}

/// Text a person typed for a QR, a receipt, a screen or a log: no control characters (NUL, line
/// breaks, tabs, ANSI escapes), no direction overrides (which make `100` read as `001`) and at
/// most `max` characters. The codec judges what a QR can carry; this is what no field may carry
/// at all, checked before anything else looks at it. Every typed one-line field goes through it.
pub fn plain_text(field: &str, value: &str, max: usize) -> Result<(), ApiError> {
    if value.chars().any(protocol::text::is_unsafe) {
        return Err(ApiError::field(
            field,
            "line breaks, tabs, control and text-direction characters are not allowed",
        ));
    }
    if value.chars().count() > max {
        return Err(ApiError::field(field, format!("at most {max} characters")));
    }
    Ok(())
}

/// Checks a profile and returns the row it makes; every refusal names the field.
pub fn apply(current: &MerchantRow, p: &api::MerchantProfile) -> Result<MerchantRow, ApiError> {
    let name = p.business_name.trim();
    let city = p.merchant_city.trim();
    plain_text("business_name", name, 100)?;
    plain_text("merchant_city", city, 100)?;
    // Tags 29/30 take at most 32 characters each (KHQR), whether or not this profile uses them.
    for (field, value) in [
        ("bakong_account_id", &p.bakong_account_id),
        ("merchant_id", &p.merchant_id),
        ("acquiring_bank", &p.acquiring_bank),
    ] {
        plain_text(field, value.as_deref().unwrap_or("").trim(), 32)?;
    }
    if let Some(a) = &p.alternate {
        plain_text("alternate.name", a.name.trim(), 100)?;
        plain_text(
            "alternate.city",
            a.city.as_deref().unwrap_or("").trim(),
            100,
        )?;
    }
    if trimmed(&p.merchant_id).is_some() != trimmed(&p.acquiring_bank).is_some() {
        let field = if trimmed(&p.merchant_id).is_some() {
            "acquiring_bank"
        } else {
            "merchant_id"
        };
        return Err(ApiError::field(
            field,
            "a merchant ID and its acquiring bank go together: give both, or neither",
        ));
    }
    if name.is_empty() {
        return Err(ApiError::field("business_name", "enter your business name"));
    }
    if city.is_empty() {
        return Err(ApiError::field("merchant_city", "enter your city"));
    }
    let mcc = p.merchant_category_code.trim();
    if mcc.len() != 4 || !mcc.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::field(
            "merchant_category_code",
            "4 digits, e.g. 5812 for restaurants",
        ));
    }
    if !(60..=3600).contains(&p.qr_lifetime_secs) {
        return Err(ApiError::field(
            "qr_lifetime_secs",
            "between 60 and 3600 seconds",
        ));
    }
    let currencies: &[Currency] = match p.country {
        api::Country::KH => &[Currency::Khr, Currency::Usd],
        api::Country::CN => &[Currency::Cny],
    };
    if !currencies.contains(&p.default_currency) {
        return Err(ApiError::field(
            "default_currency",
            "not a currency this country charges in",
        ));
    }
    let upi = match &p.upi {
        Some(u) => Some(
            UpiAccount::new(
                u.acquirer_iin.trim(),
                u.forwarding_iin.trim(),
                u.merchant_id.trim(),
            )
            .map_err(|e| ApiError::field(&e.field.replace("upi_", "upi."), e.message))?,
        ),
        None => None,
    };
    if p.alternate
        .as_ref()
        .is_some_and(|a| a.language != "km" && a.language != "zh")
    {
        return Err(ApiError::field(
            "alternate.language",
            "km (Khmer) or zh (Chinese)",
        ));
    }
    let mut max_charge = Vec::new();
    for cap in &p.max_charge {
        if !currencies.contains(&cap.currency)
            || max_charge
                .iter()
                .any(|m: &khqr::Money| m.currency == cap.currency)
        {
            return Err(ApiError::field(
                "max_charge",
                "one largest amount per currency this country charges in",
            ));
        }
        let money = khqr::Money::parse(&cap.amount, cap.currency)
            .map_err(|e| ApiError::field("max_charge", e.to_string()))?;
        max_charge.push(money);
    }
    let usd_khr_rate = usd_khr_rate(p)?;
    let row = MerchantRow {
        max_charge,
        usd_khr_rate,
        business_name: name.to_owned(),
        merchant_city: city.to_owned(),
        country: p.country,
        bakong_account_id: trimmed(&p.bakong_account_id),
        default_currency: p.default_currency,
        qr_lifetime_secs: p.qr_lifetime_secs,
        merchant_category_code: mcc.to_owned(),
        khqr_merchant_id: trimmed(&p.merchant_id),
        acquiring_bank: trimmed(&p.acquiring_bank),
        upi_account: upi.as_ref().map(UpiAccount::as_tag_value),
        alt_language: p.alternate.as_ref().map(|a| a.language.clone()),
        alt_name: p.alternate.as_ref().map(|a| a.name.trim().to_owned()),
        alt_city: p.alternate.as_ref().and_then(|a| trimmed(&a.city)),
        ..current.clone()
    };
    // The codec decides: a profile that cannot make a valid code is refused, naming the field.
    match row.country {
        api::Country::KH => {
            if row.bakong_account_id.is_none() {
                return Err(ApiError::field(
                    "bakong_account_id",
                    "a Bakong account is needed in Cambodia",
                ));
            }
            khqr::khqr::encode(&khqr_input(&row, None, None, None, 0, 0), 0).map_err(|e| {
                ApiError::field(
                    profile_field(e.field),
                    format!("{} ({})", e.message, e.code),
                )
            })?;
        }
        api::Country::CN => {
            if let Some(input) = unionpay_input(&row, None, None, None) {
                khqr::unionpay::encode(&input).map_err(|e| {
                    ApiError::field(
                        profile_field(e.field),
                        format!("{} ({})", e.message, e.code),
                    )
                })?;
            }
        }
    }
    Ok(row)
}

/// The KHQR a merchant in Cambodia shows: static without `money`, dynamic with it. Tag 15 rides
/// along on KHR codes when the merchant has a UnionPay account (KHQR allows it only with KHR).
pub fn khqr_input(
    m: &MerchantRow,
    money: Option<&Money>,
    bill: Option<&str>,
    terminal: Option<&str>,
    now: i64,
    expires: i64,
) -> KhqrInput {
    let merchant = m.khqr_merchant_id.is_some() && m.acquiring_bank.is_some();
    let currency = money.map_or(m.default_currency, |x| x.currency);
    KhqrInput {
        kind: if merchant {
            AccountKind::Merchant
        } else {
            AccountKind::Individual
        },
        bakong_account_id: m.bakong_account_id.clone().unwrap_or_default(),
        merchant_name: m.business_name.clone(),
        merchant_city: Some(m.merchant_city.clone()),
        merchant_id: m.khqr_merchant_id.clone(),
        acquiring_bank: m.acquiring_bank.clone(),
        currency: Some(currency),
        amount: money.map(Money::khqr_text),
        merchant_category_code: Some(m.merchant_category_code.clone()),
        bill_number: bill.map(str::to_owned),
        terminal_label: terminal.map(str::to_owned),
        language_preference: m.alt_language.clone(),
        merchant_name_alternate_language: m.alt_name.clone(),
        merchant_city_alternate_language: m.alt_city.clone(),
        upi_merchant_account: m.upi_account.clone().filter(|_| currency == Currency::Khr),
        created_at_ms: money.map(|_| now as u64),
        expires_at_ms: money.map(|_| expires as u64),
        ..Default::default()
    }
}

/// The UnionPay code a merchant in China shows (Bakong wallets pay it), when it has an account.
pub fn unionpay_input(
    m: &MerchantRow,
    money: Option<&Money>,
    bill: Option<&str>,
    terminal: Option<&str>,
) -> Option<UnionPayInput> {
    let account = UpiAccount::parse(m.upi_account.as_deref()?).ok()?;
    Some(UnionPayInput {
        account,
        merchant_name: m.business_name.clone(),
        merchant_city: m.merchant_city.clone(),
        merchant_category_code: m.merchant_category_code.clone(),
        amount: money.copied(),
        bill_number: bill.map(str::to_owned),
        terminal_label: terminal.map(str::to_owned),
    })
}

/// The profile of a stored merchant, for the wire.
pub fn view(m: &MerchantRow) -> api::MerchantView {
    let upi = m
        .upi_account
        .as_deref()
        .and_then(|u| UpiAccount::parse(u).ok())
        .map(|a| api::UpiAccountView {
            acquirer_iin: a.acquirer_iin().to_owned(),
            forwarding_iin: a.forwarding_iin().to_owned(),
            merchant_id: a.merchant_id().to_owned(),
        });
    let alternate = match (&m.alt_language, &m.alt_name) {
        (Some(language), Some(name)) => Some(api::AlternateName {
            language: language.clone(),
            name: name.clone(),
            city: m.alt_city.clone(),
        }),
        _ => None,
    };
    api::MerchantView {
        id: m.merchant_id.clone(),
        profile: api::MerchantProfile {
            business_name: m.business_name.clone(),
            merchant_city: m.merchant_city.clone(),
            country: m.country,
            merchant_category_code: m.merchant_category_code.clone(),
            bakong_account_id: m.bakong_account_id.clone(),
            merchant_id: m.khqr_merchant_id.clone(),
            acquiring_bank: m.acquiring_bank.clone(),
            upi,
            alternate,
            default_currency: m.default_currency,
            qr_lifetime_secs: m.qr_lifetime_secs,
            max_charge: m
                .max_charge
                .iter()
                .map(|cap| api::ChargeCap {
                    currency: cap.currency,
                    amount: cap.to_decimal_string(),
                })
                .collect(),
            usd_khr_rate: m.usd_khr_rate.map(api::rate_text),
        },
    }
}

/// The profile with the fields of a `PATCH` body put over the stored one; a field the profile
/// does not have is refused by name.
pub fn patched(
    current: &MerchantRow,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<api::MerchantProfile, ApiError> {
    let profile = view(current).profile;
    let Ok(serde_json::Value::Object(mut whole)) = serde_json::to_value(&profile) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "profile is not an object"
        )));
    };
    for (key, value) in patch {
        if !whole.contains_key(&key) && !KNOWN_OPTIONAL.contains(&key.as_str()) {
            return Err(ApiError::field(&key, "not a field of the profile"));
        }
        whole.insert(key, value);
    }
    serde_json::from_value(serde_json::Value::Object(whole))
        .map_err(|e| ApiError::field("profile", e.to_string()))
}

/// Profile fields left out of the JSON when empty (so a patch may still name them).
const KNOWN_OPTIONAL: &[&str] = &["usd_khr_rate"];

/// Riel per dollar, from 1,000 to 10,000 (a typo of a digit is refused), in Cambodia only.
fn usd_khr_rate(p: &api::MerchantProfile) -> Result<Option<u64>, ApiError> {
    let Some(text) = p
        .usd_khr_rate
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Ok(None);
    };
    if p.country != api::Country::KH {
        return Err(ApiError::field(
            "usd_khr_rate",
            "a dollar rate in riel is for shops in Cambodia",
        ));
    }
    let bad = || {
        ApiError::field(
            "usd_khr_rate",
            "riel per dollar, from 1000 to 10000, e.g. 4100",
        )
    };
    let rate = api::parse_rate(text).ok_or_else(bad)?;
    if !(1_000 * 100_000_000..=10_000 * 100_000_000).contains(&rate) {
        return Err(bad());
    }
    Ok(Some(rate))
}
