//! Text that comes from outside (a network's notification, a bank's answer) and ends up on a
//! screen, in a log or in an accountant's spreadsheet: one-line fields hold no control
//! characters and no bidirectional overrides (which can make `ABA 100` read as `001 ABA`), and
//! stay short.

/// Whether `c` has no place in a one-line field: a control character (newline, NUL, ANSI
/// escape) or a bidirectional embedding, override, isolate or mark.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `Ok` when `v` is at most `max` bytes of printable one-line text; else what to change.
pub fn check_one_line(v: &str, max: usize) -> Result<(), String> {
    if v.len() > max {
        return Err(format!("at most {max} characters"));
    }
    if v.chars().any(is_unsafe) {
        return Err("printable text on one line: no control or direction characters".into());
    }
    Ok(())
}

/// `v` without unsafe characters, cut to at most `max` characters: for what a trusted
/// service sent, which is kept (never refused) but must not carry those characters further.
pub fn clean_one_line(v: &str, max: usize) -> String {
    v.chars().filter(|c| !is_unsafe(*c)).take(max).collect()
}

/// Whether `v` is a plain decimal number: digits, at most one `.` followed by digits, at most
/// `int` digits before it and `frac` after.
pub fn is_decimal(v: &str, int: usize, frac: usize) -> bool {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    !whole.is_empty()
        && whole.len() <= int
        && digits(whole)
        && fraction.len() <= frac
        && digits(fraction)
        && !(v.contains('.') && fraction.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_refuses_controls_and_direction_overrides() {
        assert!(check_one_line("Bank of China", 64).is_ok());
        assert!(check_one_line("ធនាគារ ABA 中国银行", 64).is_ok());
        for bad in [
            "a\nb",
            "a\0b",
            "\u{1b}[31mred",
            "abc\u{202E}fed",
            "x\u{2066}y",
            "\r",
        ] {
            assert!(check_one_line(bad, 64).is_err(), "{bad:?}");
        }
        assert!(check_one_line(&"x".repeat(65), 64).is_err());
        assert_eq!(clean_one_line("ab\u{202E}c\nd", 3), "abc");
    }

    #[test]
    fn decimals_are_digits_and_one_point() {
        for ok in ["0", "565", "565.25", "0.0001"] {
            assert!(is_decimal(ok, 12, 8), "{ok}");
        }
        for bad in [
            "",
            ".5",
            "5.",
            "-1",
            "1e3",
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "1.2.3",
            " 1",
            "1,5",
        ] {
            assert!(!is_decimal(bad, 12, 8), "{bad}");
        }
        assert!(!is_decimal("1234567890123", 12, 8));
        assert!(!is_decimal("1.123456789", 12, 8));
    }
}
