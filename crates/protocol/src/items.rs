//! The shop's items (what a cashier taps into a cart), the lines a charge sold, the shop's own
//! dollar rate and the reference rates behind a yuan estimate.

use serde::{Deserialize, Serialize};

/// An item's names in the other languages (the main `name` is in the merchant's own).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemNames {
    /// Khmer
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub km: Option<String>,
    /// Chinese
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl ItemNames {
    /// The name in `language` (`km`, `zh`), or `main` when there is none.
    pub fn pick<'a>(&'a self, language: &str, main: &'a str) -> &'a str {
        let other = match language {
            "km" => self.km.as_deref(),
            "zh" => self.zh.as_deref(),
            _ => None,
        };
        other.filter(|n| !n.is_empty()).unwrap_or(main)
    }
}

/// An item's prices, decimal strings in major units; at least one.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPrices {
    /// riel, e.g. `"12000"`
    #[serde(rename = "KHR", default, skip_serializing_if = "Option::is_none")]
    pub khr: Option<String>,
    /// dollars, e.g. `"3.00"`
    #[serde(rename = "USD", default, skip_serializing_if = "Option::is_none")]
    pub usd: Option<String>,
    /// yuan (merchants in China)
    #[serde(rename = "CNY", default, skip_serializing_if = "Option::is_none")]
    pub cny: Option<String>,
}

impl ItemPrices {
    /// The price in one currency, as sent.
    pub fn get(&self, currency: khqr::Currency) -> Option<&str> {
        match currency {
            khqr::Currency::Khr => self.khr.as_deref(),
            khqr::Currency::Usd => self.usd.as_deref(),
            khqr::Currency::Cny => self.cny.as_deref(),
        }
    }

    /// Sets the price in one currency.
    pub fn set(&mut self, currency: khqr::Currency, price: Option<String>) {
        match currency {
            khqr::Currency::Khr => self.khr = price,
            khqr::Currency::Usd => self.usd = price,
            khqr::Currency::Cny => self.cny = price,
        }
    }
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/items`
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewItem {
    /// ≤ 60 characters
    pub name: String,
    /// the name in Khmer and Chinese
    #[serde(default)]
    pub names: ItemNames,
    /// e.g. "Drinks" (≤ 30 characters); items without one are shown under "All"
    #[serde(default)]
    pub category: Option<String>,
    /// at least one price
    pub prices: ItemPrices,
    /// false: sold out (shown greyed, cannot be sold)
    #[serde(default = "yes")]
    pub available: bool,
    /// place in the grid, smallest first; new items go last
    #[serde(default)]
    pub position: Option<i64>,
    /// the stores that sell it; absent or empty: every store
    #[serde(default)]
    pub store_ids: Option<Vec<String>>,
}

/// `PATCH /api/v1/items/{id}`: only what is sent changes; `category: null` clears it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemPatch {
    /// new name
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// new other names (whole)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<ItemNames>,
    /// new category; `null` clears it
    #[serde(
        default,
        deserialize_with = "crate::telegram::present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub category: Option<Option<String>>,
    /// new prices (whole)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<ItemPrices>,
    /// sold out or back
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<bool>,
    /// new place in the grid
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    /// the stores that sell it (empty: every store)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_ids: Option<Vec<String>>,
}

/// An item as the app shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    /// id
    pub id: String,
    /// name in the merchant's language
    pub name: String,
    /// names in Khmer and Chinese
    #[serde(default)]
    pub names: ItemNames,
    /// category
    #[serde(default)]
    pub category: Option<String>,
    /// prices
    pub prices: ItemPrices,
    /// false: sold out
    pub available: bool,
    /// place in the grid
    pub position: i64,
    /// the stores that sell it; empty: every store
    #[serde(default)]
    pub store_ids: Vec<String>,
    /// last change, epoch ms
    pub updated_at_ms: i64,
}

impl ItemView {
    /// The name to show in a language (`km`, `zh`, or anything else for the main name).
    pub fn name_in(&self, language: &str) -> &str {
        self.names.pick(language, &self.name)
    }
}

/// `GET /api/v1/items`: every item, in grid order.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemList {
    /// the items
    pub items: Vec<ItemView>,
}

/// `POST /api/v1/items.csv`: what an import did (all rows or none).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemImport {
    /// rows that made a new item
    pub created: u32,
    /// rows that changed an item named by its id
    pub updated: u32,
}

/// One line of a cart in `POST /api/v1/charges`: an item of the catalog (`item_id`), priced by
/// the server, or a custom line (`description` and `amount`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// an item of this merchant
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// a custom line's text (≤ 60 characters)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// a custom line's unit amount, in the charge's currency
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// 1 to 999
    pub quantity: u32,
}

/// A line as it was sold: kept with the charge, so a later price change rewrites no sale.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoldLine {
    /// the item, for a catalog line
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// its name when sold (the custom line's description)
    pub name: String,
    /// its other names when sold
    #[serde(default)]
    pub names: ItemNames,
    /// unit price in the charge's currency
    pub unit_price: String,
    /// quantity
    pub quantity: u32,
    /// unit price × quantity
    pub total: String,
    /// the dollar price it was converted from at the shop's rate (a USD item in a KHR charge)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_price: Option<String>,
}

impl SoldLine {
    /// The name to show in a language.
    pub fn name_in(&self, language: &str) -> &str {
        self.names.pick(language, &self.name)
    }
}

/// Where a reference rate came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// the National Bank of Cambodia's published rates
    Nbc,
    /// the source given by `--fx-url`
    Configured,
    /// set by the shop's owner in Settings
    Owner,
    /// a source this client does not know yet
    #[serde(other)]
    Unknown,
}

impl RateSource {
    /// The wire and stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Nbc => "nbc",
            Self::Configured => "configured",
            Self::Owner => "owner",
            Self::Unknown => "unknown",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Self {
        match s {
            "nbc" => Self::Nbc,
            "configured" => Self::Configured,
            "owner" => Self::Owner,
            _ => Self::Unknown,
        }
    }
}

/// A yuan estimate shown to the payer before paying: display only, never the QR's amount.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CnyEstimate {
    /// about this many yuan, decimal string with 2 decimals
    pub amount: String,
    /// yuan per unit of the charge's currency, decimal string
    pub rate: String,
    /// where the rate came from
    pub source: RateSource,
    /// the date the source states for the rate, `YYYY-MM-DD`
    pub date: String,
    /// the rate was more than 3 days old when the charge was made
    #[serde(default)]
    pub stale: bool,
}

/// One reference rate: yuan per unit of a currency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxRateView {
    /// KHR or USD
    pub currency: khqr::Currency,
    /// yuan per one unit, decimal string (e.g. `"7.0812"` for USD)
    pub cny_per_unit: String,
    /// where it came from
    pub source: RateSource,
    /// the date the source states, `YYYY-MM-DD`
    pub date: String,
    /// when tonle took it, epoch ms
    pub fetched_at_ms: i64,
    /// older than 3 days
    pub stale: bool,
}

/// `GET /api/v1/fx`: the rates in use, and a jump waiting for the owner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FxRates {
    /// "nbc", "configured" or "off": what the server fetches from
    pub fetching: String,
    /// the rates in use (none: no estimate is shown)
    pub rates: Vec<FxRateView>,
    /// fetched rates more than 10% from the last, not used until the owner confirms them
    pub pending: Vec<FxRateView>,
}

/// `PUT /api/v1/fx/{currency}`: the owner's own rate (`null` goes back to the fetched one).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetFxRate {
    /// yuan per one unit, decimal string; null removes the owner's rate
    pub cny_per_unit: Option<String>,
}

/// One item's sales in a period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSales {
    /// the item (absent for custom lines, which are summed by description)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// name as last sold
    pub name: String,
    /// other names as last sold
    #[serde(default)]
    pub names: ItemNames,
    /// units sold
    pub quantity: u64,
    /// currency of the total
    pub currency: khqr::Currency,
    /// money taken for it, decimal string
    pub total: String,
}

/// `GET /api/v1/reports/items`: what sold in paid charges, most sold first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemReport {
    /// one row per item and currency
    pub items: Vec<ItemSales>,
}

/// Decimal rates are carried as integers scaled by 10^8.
const RATE_SCALE: u128 = 100_000_000;

/// Parses a positive decimal rate (`"7.0812"`, `"4100"`) into units of 10⁻⁸; `None` when it is
/// not a positive number with at most 8 decimals and below a billion.
pub fn parse_rate(text: &str) -> Option<u64> {
    let t = text.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() && frac.is_empty()
        || int.len() > 9
        || frac.len() > 8
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut part: u64 = 0;
    for i in 0..8 {
        part = part * 10 + frac.as_bytes().get(i).map_or(0, |b| u64::from(b - b'0'));
    }
    let v = whole.checked_mul(RATE_SCALE as u64)?.checked_add(part)?;
    (v > 0).then_some(v)
}

/// A rate in units of 10⁻⁸ as its shortest decimal string (`"7.0812"`).
pub fn rate_text(e8: u64) -> String {
    let whole = e8 / RATE_SCALE as u64;
    let frac = format!("{:08}", e8 % RATE_SCALE as u64);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{frac}")
    }
}

/// About how many yuan `money` is at `cny_per_unit_e8` yuan per unit of its currency, as a
/// decimal string with 2 decimals, rounded half up (`"21.30"`).
pub fn cny_amount(money: &khqr::Money, cny_per_unit_e8: u64) -> String {
    let scale = 10u128.pow(money.currency.minor_digits());
    // fen = minor / scale × rate / 10^8 × 100, rounded half up
    let num = u128::from(money.amount.get()) * u128::from(cny_per_unit_e8) * 100;
    let den = scale * RATE_SCALE;
    let fen = (num + den / 2) / den;
    format!("{}.{:02}", fen / 100, fen % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use khqr::{Currency, Money};

    #[test]
    fn rates_parse_and_print() {
        assert_eq!(parse_rate("7.0812"), Some(708_120_000));
        assert_eq!(parse_rate("0.00172"), Some(172_000));
        assert_eq!(parse_rate("4100"), Some(410_000_000_000));
        assert_eq!(rate_text(708_120_000), "7.0812");
        assert_eq!(rate_text(410_000_000_000), "4100");
        for bad in [
            "",
            ".",
            "0",
            "-1",
            "1e3",
            "1.123456789",
            "abc",
            "1234567890",
        ] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
    }

    #[test]
    fn estimates_round_half_up_to_the_fen() {
        let usd = Money::parse("3.00", Currency::Usd).unwrap();
        assert_eq!(cny_amount(&usd, parse_rate("7.0812").unwrap()), "21.24");
        let khr = Money::parse("12000", Currency::Khr).unwrap();
        // 12000 × 0.001775 = 21.30
        assert_eq!(cny_amount(&khr, parse_rate("0.001775").unwrap()), "21.30");
        let one = Money::parse("1", Currency::Khr).unwrap();
        assert_eq!(cny_amount(&one, parse_rate("0.005").unwrap()), "0.01");
    }
}
