//! `tonle qr encode|decode|verify`: one JSON object or payload per stdin line, one JSON line out.
//! Never stops on a bad line: every line gets its own answer.

use std::io::{BufRead, Write};

use khqr::{AccountKind, Currency, ErrorCode, KhqrInput};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// One `qr encode` input line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EncodeLine {
    kind: Option<AccountKind>,
    bakong_account_id: Option<String>,
    merchant_name: Option<String>,
    merchant_city: Option<String>,
    merchant_id: Option<String>,
    acquiring_bank: Option<String>,
    account_information: Option<String>,
    currency: Option<String>,
    amount: Option<Box<RawValue>>,
    merchant_category_code: Option<String>,
    bill_number: Option<String>,
    mobile_number: Option<String>,
    store_label: Option<String>,
    terminal_label: Option<String>,
    purpose_of_transaction: Option<String>,
    language_preference: Option<String>,
    merchant_name_alternate_language: Option<String>,
    merchant_city_alternate_language: Option<String>,
    upi_merchant_account: Option<String>,
    created_at_ms: Option<u64>,
    expires_at_ms: Option<u64>,
}

fn error_json(code: &str, field: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "field": field, "message": message } })
}

fn input_from(line: EncodeLine) -> Result<KhqrInput, Value> {
    let currency = match line.currency.as_deref() {
        None | Some("") => None,
        Some(c) => match Currency::from_code(c).or_else(|| Currency::from_numeric(c)) {
            Some(cur @ (Currency::Khr | Currency::Usd)) => Some(cur),
            _ => {
                return Err(error_json(
                    ErrorCode::UnsupportedCurrency.name(),
                    "currency",
                    "KHQR is KHR or USD",
                ));
            }
        },
    };
    let amount = match line.amount {
        None => None,
        Some(raw) => {
            let text = raw.get();
            if text == "null" {
                None
            } else if let Ok(s) = serde_json::from_str::<String>(text) {
                Some(s)
            } else {
                Some(text.to_owned())
            }
        }
    };
    Ok(KhqrInput {
        kind: line.kind.unwrap_or_default(),
        bakong_account_id: line.bakong_account_id.unwrap_or_default(),
        merchant_name: line.merchant_name.unwrap_or_default(),
        merchant_city: line.merchant_city,
        merchant_id: line.merchant_id,
        acquiring_bank: line.acquiring_bank,
        account_information: line.account_information,
        currency,
        amount,
        merchant_category_code: line.merchant_category_code,
        bill_number: line.bill_number,
        mobile_number: line.mobile_number,
        store_label: line.store_label,
        terminal_label: line.terminal_label,
        purpose_of_transaction: line.purpose_of_transaction,
        language_preference: line.language_preference,
        merchant_name_alternate_language: line.merchant_name_alternate_language,
        merchant_city_alternate_language: line.merchant_city_alternate_language,
        upi_merchant_account: line.upi_merchant_account,
        created_at_ms: line.created_at_ms,
        expires_at_ms: line.expires_at_ms,
    })
}

/// Encodes one line.
pub fn encode_line(line: &str, now_ms: u64) -> Value {
    let parsed: EncodeLine = match serde_json::from_str(line) {
        Ok(p) => p,
        Err(e) => {
            let text = e.to_string();
            let field = text.split('`').nth(1).unwrap_or("line").to_owned();
            return error_json("INVALID_JSON", &field, &text);
        }
    };
    let input = match input_from(parsed) {
        Ok(i) => i,
        Err(v) => return v,
    };
    match khqr::khqr::encode(&input, now_ms) {
        Ok(e) => json!({ "payload": e.payload, "md5": e.md5.as_str() }),
        Err(e) => error_json(e.code.name(), e.field, &e.message),
    }
}

/// Decodes one payload.
pub fn decode_line(line: &str) -> Value {
    match khqr::decode_any(line) {
        Ok(d) => {
            // UnionPay routing (tag 15) split into its 8 + 8 + 15 parts when it has that shape.
            let upi = d.fields.upi_merchant_account.as_deref().and_then(|v| khqr::unionpay::UpiAccount::parse(v).ok()).map(|a| {
                json!({ "acquirer_iin": a.acquirer_iin(), "forwarding_iin": a.forwarding_iin(), "merchant_id": a.merchant_id() })
            });
            json!({
                "scheme": d.scheme.as_str(),
                "crc_valid": d.crc_valid,
                "fields": d.fields,
                "upi": upi,
                "tlv": d.tlv,
            })
        }
        Err(e) => error_json(e.code.name(), e.field, &e.message),
    }
}

/// Verifies one payload as a KHQR.
pub fn verify_line(line: &str, now_ms: u64) -> Value {
    match khqr::khqr::verify(line, now_ms) {
        Ok(_) => json!({ "valid": true, "error": null }),
        Err(e) => {
            json!({ "valid": false, "error": { "code": e.code.name(), "field": e.field, "message": e.message } })
        }
    }
}

/// Runs one of the three over stdin, writing to stdout.
pub fn run(op: fn(&str, u64) -> Value, now_ms: u64) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let v = op(line, now_ms);
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
