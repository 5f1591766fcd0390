//! Amounts and durations for people, with integer arithmetic only.

use khqr::{Currency, Money};

/// "48,000 ៛" / "$12.50" / "¥84.96" style, from a decimal string the server sent.
pub fn amount(text: &str, currency: Currency) -> String {
    match Money::parse(text, currency) {
        Ok(m) => match currency {
            Currency::Khr => format!("{} ៛", m.grouped()),
            Currency::Usd => format!("${}", m.grouped()),
            Currency::Cny => format!("¥{}", m.grouped()),
        },
        Err(_) => format!("{text} {currency}"),
    }
}

/// "4:05" for a countdown; zero when past.
pub fn countdown(remaining_ms: i64) -> String {
    let secs = remaining_ms.max(0) / 1000;
    format!("{}:{:02}", secs / 60, secs % 60)
}

/// Whether an amount typed into the keypad is acceptable for the currency (for the button state).
pub fn amount_ok(text: &str, currency: Currency) -> bool {
    Money::parse(text, currency).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_amounts_per_currency() {
        assert_eq!(amount("48000", Currency::Khr), "48,000 ៛");
        assert_eq!(amount("12.5", Currency::Usd), "$12.50");
        assert_eq!(amount("84.96", Currency::Cny), "¥84.96");
        assert_eq!(countdown(245_000), "4:05");
        assert_eq!(countdown(-5), "0:00");
        assert!(amount_ok("1.25", Currency::Usd));
        assert!(!amount_ok("1.5", Currency::Khr));
    }
}
