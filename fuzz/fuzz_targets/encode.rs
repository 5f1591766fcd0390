//! Fuzzes the encoder with structured inputs: whatever the merchant typed, encoding answers with a
//! payload or a field error, never a panic; and every payload it writes reads back with a valid
//! CRC, the same amount and bill number, and the md5 of its own bytes.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    merchant: bool,
    bakong_account_id: String,
    merchant_name: String,
    merchant_city: Option<String>,
    merchant_id: Option<String>,
    acquiring_bank: Option<String>,
    account_information: Option<String>,
    usd: Option<bool>,
    amount: Option<String>,
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
    now_ms: u64,
}

fuzz_target!(|i: Input| {
    let input = khqr::KhqrInput {
        kind: if i.merchant {
            khqr::AccountKind::Merchant
        } else {
            khqr::AccountKind::Individual
        },
        bakong_account_id: i.bakong_account_id,
        merchant_name: i.merchant_name,
        merchant_city: i.merchant_city,
        merchant_id: i.merchant_id,
        acquiring_bank: i.acquiring_bank,
        account_information: i.account_information,
        currency: i.usd.map(|u| if u { khqr::Currency::Usd } else { khqr::Currency::Khr }),
        amount: i.amount,
        merchant_category_code: i.merchant_category_code,
        bill_number: i.bill_number,
        mobile_number: i.mobile_number,
        store_label: i.store_label,
        terminal_label: i.terminal_label,
        purpose_of_transaction: i.purpose_of_transaction,
        language_preference: i.language_preference,
        merchant_name_alternate_language: i.merchant_name_alternate_language,
        merchant_city_alternate_language: i.merchant_city_alternate_language,
        upi_merchant_account: i.upi_merchant_account,
        created_at_ms: i.created_at_ms,
        expires_at_ms: i.expires_at_ms,
    };
    let Ok(encoded) = khqr::khqr::encode(&input, i.now_ms) else {
        return;
    };
    let decoded = khqr::decode_any(&encoded.payload).expect("what we encode decodes");
    assert!(decoded.crc_valid, "what we encode has a valid CRC");
    assert_eq!(
        khqr::tlv::write(&decoded.tlv).ok().as_deref(),
        Some(encoded.payload.as_str())
    );
    assert_eq!(decoded.fields.bill_number, input.bill_number.filter(|b| !b.is_empty()));
    use md5::Digest;
    let md5 = md5::Md5::digest(encoded.payload.as_bytes());
    assert_eq!(encoded.md5.as_str(), format!("{md5:x}"));
});
