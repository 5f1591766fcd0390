//! The dynamic merchant KHQR that every codec benchmark encodes (the same one
//! `tests/sdk/throughput.js` gives the official SDK).

use khqr::{AccountKind, Currency, KhqrInput};

/// Creation time of the sample, epoch ms.
pub const NOW: u64 = 1_780_000_000_000;

/// A USD merchant code with bill number and terminal label, valid for five minutes.
pub fn merchant() -> KhqrInput {
    KhqrInput {
        kind: AccountKind::Merchant,
        bakong_account_id: "jonhsmith@devb".into(),
        merchant_name: "Jonh Smith".into(),
        merchant_city: Some("Phnom Penh".into()),
        merchant_id: Some("123456".into()),
        acquiring_bank: Some("Dev Bank".into()),
        currency: Some(Currency::Usd),
        amount: Some("12.5".into()),
        bill_number: Some("TL-000042".into()),
        terminal_label: Some("Counter 1".into()),
        created_at_ms: Some(NOW),
        expires_at_ms: Some(NOW + 300_000),
        ..Default::default()
    }
}
