//! Amounts as a caller writes them (a JSON number's text), read the way the SDK's JavaScript reads them.
//! Exact decimal arithmetic on the digits: no float ever touches an amount.

use std::borrow::Cow;

/// A decimal number normalised to sign, integer digits and fraction digits (no trailing zeros).
/// Borrows from the text in the usual `digits[.digits]` case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decimal<'a> {
    pub(crate) negative: bool,
    /// integer digits without leading zeros ("" for zero)
    pub(crate) int: Cow<'a, str>,
    /// fraction digits without trailing zeros
    pub(crate) frac: Cow<'a, str>,
}

impl<'a> Decimal<'a> {
    pub(crate) fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    /// Parses `[-]digits[.digits][e[+-]digits]`, as JSON and JavaScript number literals are written.
    pub(crate) fn parse(text: &'a str) -> Option<Self> {
        let t = text.trim();
        // Fast path for the usual `digits[.digits]`.
        if let Some((int, frac)) = plain(t) {
            return Some(Self {
                negative: false,
                int: Cow::Borrowed(int.trim_start_matches('0')),
                frac: Cow::Borrowed(frac.trim_end_matches('0')),
            });
        }
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (mantissa, exp) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
            None => (t, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !(-400..=400).contains(&exp) {
            return None;
        }
        // Shift the decimal point by `exp`.
        let digits: String = format!("{int}{frac}");
        let point = int.len() as i64 + i64::from(exp);
        let (i, f) = if point <= 0 {
            (
                String::new(),
                format!("{}{}", "0".repeat((-point) as usize), digits),
            )
        } else if point as usize >= digits.len() {
            (
                format!("{digits}{}", "0".repeat(point as usize - digits.len())),
                String::new(),
            )
        } else {
            (
                digits[..point as usize].to_owned(),
                digits[point as usize..].to_owned(),
            )
        };
        Some(Self {
            negative,
            int: Cow::Owned(i.trim_start_matches('0').to_owned()),
            frac: Cow::Owned(f.trim_end_matches('0').to_owned()),
        })
    }
}

fn plain(t: &str) -> Option<(&str, &str)> {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (!(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac)).then_some((int, frac))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(t: &str) -> (bool, String, String) {
        let x = Decimal::parse(t).unwrap();
        (x.negative, x.int.into_owned(), x.frac.into_owned())
    }

    #[test]
    fn normalises_like_javascript_numbers() {
        assert_eq!(d("100.0"), (false, "100".into(), "".into()));
        assert_eq!(d("1.10"), (false, "1".into(), "1".into()));
        assert_eq!(d("1e2"), (false, "100".into(), "".into()));
        assert_eq!(d("1.5E-1"), (false, "".into(), "15".into()));
        assert_eq!(d("-0.50"), (true, "".into(), "5".into()));
        assert!(Decimal::parse("0").unwrap().is_zero());
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("1e999999").is_none());
    }
}
