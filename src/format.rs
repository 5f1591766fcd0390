//! Amounts and durations for people, with integer arithmetic only.

use khqr::{Currency, Money};

use crate::i18n::Lang;

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

/// Whether an amount is large enough that a slip of the finger (an extra `000`) is likely: at or
/// above 10 million riel or 10,000 dollars/yuan.
pub fn amount_is_large(text: &str, currency: Currency) -> bool {
    let threshold: u64 = match currency {
        Currency::Khr => 10_000_000,
        Currency::Usd | Currency::Cny => 1_000_000,
    };
    Money::parse(text, currency).is_ok_and(|m| m.amount.get() >= threshold)
}

/// "UnionPay App · ¥84.96 · CN": the wallet, what a cross-border payer paid, and from where.
pub fn payer_line(p: &protocol::PaymentView) -> String {
    match (&p.payer.amount, p.payer.currency) {
        (Some(a), Some(c)) => format!(
            "{} · {} · {}",
            p.payer.wallet,
            amount(a, c),
            p.payer.country
        ),
        _ => format!("{} · {}", p.payer.wallet, p.payer.country),
    }
}

/// A key of the on-screen keypad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadKey {
    /// a digit
    Digit(u8),
    /// `000` (riel amounts are typed in thousands)
    Thousand,
    /// the decimal point (USD only)
    Point,
    /// delete the last character
    Back,
    /// start again
    Clear,
}

/// Longest amount the keypad builds (999,999,999,999 riel is far beyond any counter sale).
const PAD_MAX_DIGITS: usize = 12;

/// The amount after a key press: no leading zeros, one point, at most 2 decimals, riel whole.
pub fn keypad_press(text: &str, key: PadKey, currency: Currency) -> String {
    let decimals = currency.minor_digits() as usize;
    let mut out = text.to_owned();
    let push_digit = |out: &mut String, d: char| {
        let digits = out.chars().filter(char::is_ascii_digit).count();
        if digits >= PAD_MAX_DIGITS {
            return;
        }
        if let Some(dot) = out.find('.') {
            if out.len() - dot > decimals {
                return;
            }
        } else if out == "0" {
            out.clear();
        }
        if out.is_empty() && d == '0' && decimals == 0 {
            return;
        }
        out.push(d);
    };
    match key {
        PadKey::Digit(d) if d <= 9 => push_digit(&mut out, char::from(b'0' + d)),
        PadKey::Digit(_) => {}
        PadKey::Thousand => {
            if !out.is_empty() && !out.contains('.') {
                for _ in 0..3 {
                    push_digit(&mut out, '0');
                }
            }
        }
        PadKey::Point => {
            if decimals > 0 && !out.contains('.') {
                if out.is_empty() {
                    out.push('0');
                }
                out.push('.');
            }
        }
        PadKey::Back => {
            out.pop();
        }
        PadKey::Clear => out.clear(),
    }
    out
}

/// The key a physical keyboard key stands for.
pub fn pad_key_of(key: &str) -> Option<PadKey> {
    match key {
        "Backspace" => Some(PadKey::Back),
        "Escape" | "Delete" => Some(PadKey::Clear),
        "." | "," => Some(PadKey::Point),
        k => k
            .parse::<u8>()
            .ok()
            .filter(|d| *d <= 9 && k.len() == 1)
            .map(PadKey::Digit),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_KM: [&str; 12] = [
    "មករា",
    "កុម្ភៈ",
    "មីនា",
    "មេសា",
    "ឧសភា",
    "មិថុនា",
    "កក្កដា",
    "សីហា",
    "កញ្ញា",
    "តុលា",
    "វិច្ឆិកា",
    "ធ្នូ",
];

/// A network's name as a merchant reads it.
pub fn network_key(network: protocol::Network) -> Option<crate::i18n::Key> {
    use crate::i18n::Key;
    use protocol::Network as N;
    match network {
        N::Bakong => Some(Key::NetBakong),
        N::Unionpay => Some(Key::NetUnionPay),
        N::Sandbox => Some(Key::NetSandbox),
        N::Unknown => None,
    }
}

/// A payment marked to refund says so wherever it is listed, so a day can be reconciled.
pub fn refund_mark(p: &protocol::PaymentView) -> Option<crate::i18n::Key> {
    (p.resolution == Some(protocol::Resolution::RefundDue)).then_some(crate::i18n::Key::ToRefund)
}

/// "25 Nov" / "25 វិច្ឆិកា" / "11月25日" from `YYYY-MM-DD`.
pub fn short_date(lang: Lang, ymd: &str) -> String {
    let mut parts = ymd
        .split('-')
        .skip(1)
        .map(|p| p.parse::<usize>().unwrap_or(0));
    let (m, d) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    let Some(idx) = m.checked_sub(1).filter(|i| *i < 12) else {
        return ymd.to_owned();
    };
    match lang {
        Lang::En => format!("{d} {}", MONTHS_EN[idx]),
        Lang::Km => format!("{d} {}", MONTHS_KM[idx]),
        Lang::Zh => format!("{m}月{d}日"),
    }
}

/// Local date and time of an instant for the merchant's country, in the language's order.
pub fn date_time(lang: Lang, epoch_ms: i64, country: protocol::Country) -> String {
    use protocol::calendar;
    let day = calendar::local_day(epoch_ms, country);
    let ms_of_day = (epoch_ms + calendar::utc_offset_ms(country)).rem_euclid(86_400_000);
    let (h, min) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60);
    format!(
        "{} {h:02}:{min:02}",
        short_date(lang, &calendar::civil_from_days(day))
    )
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

    #[test]
    fn keypad_builds_only_amounts_the_currency_allows() {
        let press = |keys: &[PadKey], c| {
            keys.iter()
                .fold(String::new(), |t, k| keypad_press(&t, *k, c))
        };
        use PadKey::*;
        assert_eq!(
            press(&[Digit(0), Digit(4), Digit(8), Thousand], Currency::Khr),
            "48000"
        );
        assert_eq!(
            press(&[Point, Digit(5)], Currency::Khr),
            "5",
            "riel has no decimals"
        );
        assert_eq!(press(&[Point, Digit(5)], Currency::Usd), "0.5");
        assert_eq!(
            press(
                &[Digit(1), Point, Digit(2), Digit(5), Digit(9)],
                Currency::Usd
            ),
            "1.25"
        );
        assert_eq!(
            press(&[Digit(1), Point, Point, Digit(2)], Currency::Usd),
            "1.2"
        );
        assert_eq!(press(&[Digit(0), Digit(0), Digit(7)], Currency::Usd), "7");
        assert_eq!(press(&[Digit(9), Digit(9), Back], Currency::Usd), "9");
        assert_eq!(press(&[Digit(9), Clear], Currency::Usd), "");
        assert_eq!(
            press(&[Thousand], Currency::Khr),
            "",
            "000 needs a leading digit"
        );
        assert_eq!(press(&[Digit(1); 20], Currency::Khr).len(), 12);
        assert_eq!(pad_key_of("7"), Some(Digit(7)));
        assert_eq!(pad_key_of("Backspace"), Some(Back));
        assert_eq!(pad_key_of("F1"), None);
        assert_eq!(pad_key_of("10"), None);
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        assert_eq!(short_date(Lang::En, "2026-11-25"), "25 Nov");
        assert_eq!(short_date(Lang::Km, "2026-11-05"), "5 វិច្ឆិកា");
        assert_eq!(short_date(Lang::Zh, "2026-11-25"), "11月25日");
        assert_eq!(short_date(Lang::En, "garbage"), "garbage");
        // 2026-11-25T03:04Z is 10:04 in Phnom Penh and 11:04 in Shanghai.
        let at = protocol::calendar::days_from_civil(2026, 11, 25) * 86_400_000 + 11_040_000;
        assert_eq!(
            date_time(Lang::En, at, protocol::Country::KH),
            "25 Nov 10:04"
        );
        assert_eq!(
            date_time(Lang::Zh, at, protocol::Country::CN),
            "11月25日 11:04"
        );
    }
}
