//! Fuzzes a payment notification's body as the server reads it: JSON into `PaymentNotification`,
//! then its checks. Never a panic; what passes names a transaction id of 1 to 128 characters and
//! an amount that prints back to a parseable amount.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(n) = serde_json::from_slice::<protocol::PaymentNotification>(body) else {
        return;
    };
    if let Ok(money) = n.validate() {
        let id = n.transaction_id.trim();
        assert!(!id.is_empty() && n.transaction_id.len() <= 128);
        let text = money.to_decimal_string();
        assert_eq!(khqr::Money::parse(&text, n.currency).ok(), Some(money));
    }
});
