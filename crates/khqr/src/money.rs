//! Money as integer minor units plus a currency; decimal strings exist only at the edges.
//! Parsing and formatting use integer arithmetic only.

use std::fmt;

/// The currencies tonle charges or records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// Cambodian riel, ISO 4217 116. KHQR allows whole riel only.
    #[cfg_attr(feature = "serde", serde(rename = "KHR"))]
    Khr,
    /// US dollar, 840.
    #[cfg_attr(feature = "serde", serde(rename = "USD"))]
    Usd,
    /// Chinese yuan, 156 (UnionPay merchants in China; cross-border payers).
    #[cfg_attr(feature = "serde", serde(rename = "CNY"))]
    Cny,
}

impl Currency {
    /// Every currency, for pickers and tests.
    pub const ALL: [Currency; 3] = [Currency::Khr, Currency::Usd, Currency::Cny];

    /// ISO 4217 alpha code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Khr => "KHR",
            Self::Usd => "USD",
            Self::Cny => "CNY",
        }
    }

    /// ISO 4217 numeric code, as written in EMVCo tag 53.
    pub const fn numeric(self) -> &'static str {
        match self {
            Self::Khr => "116",
            Self::Usd => "840",
            Self::Cny => "156",
        }
    }

    /// Digits after the decimal mark that tonle keeps. KHR: none (KHQR forbids decimals).
    pub const fn minor_digits(self) -> u32 {
        match self {
            Self::Khr => 0,
            Self::Usd | Self::Cny => 2,
        }
    }

    /// From an alpha code, any case.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    /// From an ISO numeric code.
    pub fn from_numeric(n: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.numeric() == n)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount in the currency's minor unit (riel, cents, fen). Never a float; no unchecked `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
pub struct MinorUnits(u64);

impl MinorUnits {
    /// Wraps a count of minor units.
    pub const fn new(v: u64) -> Self {
        Self(v)
    }
    /// The count of minor units.
    pub const fn get(self) -> u64 {
        self.0
    }
    /// Adds, or `None` on overflow.
    pub fn checked_add(self, o: Self) -> Option<Self> {
        self.0.checked_add(o.0).map(Self)
    }
}

/// Why a decimal amount string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Empty or not `digits[.digits]`.
    #[error("amount must be digits with at most one '.', like 48000 or 12.50")]
    Syntax,
    /// More decimals than the currency has.
    #[error("{currency} amounts have at most {digits} decimal places")]
    TooManyDecimals {
        /// the currency
        currency: Currency,
        /// its minor digits
        digits: u32,
    },
    /// Zero where a positive amount is needed.
    #[error("amount must be greater than zero")]
    Zero,
    /// Too large to represent or to write in a QR (13 characters).
    #[error("amount is too large")]
    TooLarge,
}

/// An amount with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Money {
    /// minor units
    pub amount: MinorUnits,
    /// currency
    pub currency: Currency,
}

/// Largest amount tonle accepts: it must fit the 13 characters of EMVCo tag 54.
const MAX_MINOR: u64 = 999_999_999_999;

impl Money {
    /// Builds from minor units.
    pub const fn new(amount: MinorUnits, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Parses a positive decimal string in major units (`"48000"`, `"12.5"`, `"12.50"`).
    /// Trailing zero decimals beyond the currency's digits are accepted (`"100.00"` KHR).
    pub fn parse(text: &str, currency: Currency) -> Result<Self, AmountError> {
        let t = text.trim();
        let (int, frac) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(AmountError::Syntax);
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AmountError::Syntax);
        }
        let digits = currency.minor_digits() as usize;
        let significant = frac.trim_end_matches('0');
        if significant.len() > digits {
            return Err(AmountError::TooManyDecimals {
                currency,
                digits: digits as u32,
            });
        }
        let int = int.trim_start_matches('0');
        if int.len() > 13 {
            return Err(AmountError::TooLarge);
        }
        let whole: u64 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| AmountError::TooLarge)?
        };
        let mut frac_units: u64 = 0;
        for i in 0..digits {
            let d = significant
                .as_bytes()
                .get(i)
                .map_or(0, |b| u64::from(b - b'0'));
            frac_units = frac_units * 10 + d;
        }
        let scale = 10u64.pow(digits as u32);
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(frac_units))
            .ok_or(AmountError::TooLarge)?;
        if minor == 0 {
            return Err(AmountError::Zero);
        }
        if minor > MAX_MINOR {
            return Err(AmountError::TooLarge);
        }
        Ok(Self {
            amount: MinorUnits(minor),
            currency,
        })
    }

    /// The decimal string in major units with all of the currency's digits: `"48000"`, `"12.50"`.
    pub fn to_decimal_string(&self) -> String {
        let digits = self.currency.minor_digits();
        if digits == 0 {
            return self.amount.0.to_string();
        }
        let scale = 10u64.pow(digits);
        format!(
            "{}.{:0width$}",
            self.amount.0 / scale,
            self.amount.0 % scale,
            width = digits as usize
        )
    }

    /// Tag 54 as the KHQR SDK writes it: whole amounts bare (`"10"`), others with 2 decimals (`"1.50"`).
    pub fn khqr_text(&self) -> String {
        let digits = self.currency.minor_digits();
        let scale = 10u64.pow(digits);
        if digits == 0 || self.amount.0.is_multiple_of(scale) {
            (self.amount.0 / scale).to_string()
        } else {
            self.to_decimal_string()
        }
    }

    /// Grouped for people: `"48,000"`, `"1,234.50"`.
    pub fn grouped(&self) -> String {
        let plain = self.to_decimal_string();
        let (int, frac) = match plain.split_once('.') {
            Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
            None => (plain.clone(), None),
        };
        let mut out = String::with_capacity(int.len() + 4);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        match frac {
            Some(f) => format!("{out}.{f}"),
            None => out,
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_decimal_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(t: &str, c: Currency) -> Result<Money, AmountError> {
        Money::parse(t, c)
    }

    #[test]
    fn parses_and_formats_with_integers() {
        assert_eq!(m("48000", Currency::Khr).unwrap().amount.get(), 48000);
        assert_eq!(m("12.5", Currency::Usd).unwrap().amount.get(), 1250);
        assert_eq!(
            m("0.01", Currency::Usd).unwrap().to_decimal_string(),
            "0.01"
        );
        assert_eq!(m("100.00", Currency::Khr).unwrap().amount.get(), 100);
        assert_eq!(m("1.5", Currency::Usd).unwrap().khqr_text(), "1.50");
        assert_eq!(m("10.00", Currency::Usd).unwrap().khqr_text(), "10");
        assert_eq!(
            m("1234567.5", Currency::Usd).unwrap().grouped(),
            "1,234,567.50"
        );
    }

    #[test]
    fn refuses_bad_amounts_with_reasons() {
        assert_eq!(
            m("100.5", Currency::Khr),
            Err(AmountError::TooManyDecimals {
                currency: Currency::Khr,
                digits: 0
            })
        );
        assert_eq!(
            m("1.123", Currency::Usd),
            Err(AmountError::TooManyDecimals {
                currency: Currency::Usd,
                digits: 2
            })
        );
        assert_eq!(m("0", Currency::Usd), Err(AmountError::Zero));
        for bad in ["", ".", "-1", "1,5", "1e3", "abc", "1.2.3", " "] {
            assert_eq!(m(bad, Currency::Usd), Err(AmountError::Syntax), "{bad:?}");
        }
        assert_eq!(
            m("99999999999999999999999", Currency::Khr),
            Err(AmountError::TooLarge)
        );
    }
}
