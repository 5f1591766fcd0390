//! An item of a shop's catalog, and pricing a cart from it: the server, never the client, says
//! what a cart costs. A dollar-priced item sold in riel is converted at the shop's own rate and
//! rounded to 100 riel, the smallest note in daily use.

use khqr::{Currency, MinorUnits, Money};

use crate::api;

/// An item, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// id
    pub item_id: String,
    /// merchant
    pub merchant_id: String,
    /// name in the merchant's language
    pub name: String,
    /// Khmer and Chinese names
    pub names: api::ItemNames,
    /// category
    pub category: Option<String>,
    /// prices, at most one per currency
    pub prices: Vec<khqr::Money>,
    /// false: sold out
    pub available: bool,
    /// place in the grid; `None` on insert: after the last
    pub position: Option<i64>,
    /// stores that sell it (empty: every store)
    pub store_ids: Vec<String>,
    /// deleted (kept for the sales that name it)
    pub deleted: bool,
    /// last change, epoch ms
    pub updated_at: i64,
}

impl ItemRow {
    /// Its price in a currency.
    pub fn price(&self, currency: khqr::Currency) -> Option<khqr::Money> {
        self.prices.iter().copied().find(|m| m.currency == currency)
    }
}

/// Most lines one cart may hold.
pub const MAX_LINES: usize = 100;
/// Most units of one line.
pub const MAX_QUANTITY: u32 = 999;
/// Longest custom line text.
pub const DESCRIPTION_MAX: usize = 60;

/// Why a cart cannot be sold: the field (`lines[2].item_id`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// the field, e.g. `lines[0].quantity`
    pub field: String,
    /// what is wrong
    pub message: String,
}

fn refuse(field: String, message: impl Into<String>) -> Refused {
    Refused {
        field,
        message: message.into(),
    }
}

/// A priced cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// the sum of the lines
    pub total: Money,
    /// the lines as sold
    pub lines: Vec<api::SoldLine>,
    /// whether a dollar price was converted at the shop's rate
    pub converted: bool,
}

/// A dollar price in riel at `khr_per_usd_e8` riel per dollar (× 10⁸), rounded half up to
/// 100 riel; `None` when it rounds to nothing or overflows.
pub fn usd_to_khr(usd: Money, khr_per_usd_e8: u64) -> Option<Money> {
    // riel = cents × rate / 100 / 10^8; hundreds of riel, rounded half up
    let num = u128::from(usd.amount.get()) * u128::from(khr_per_usd_e8);
    let den: u128 = 100 * 100_000_000 * 100;
    let hundreds = (num + den / 2) / den;
    let riel = u64::try_from(hundreds.checked_mul(100)?).ok()?;
    (riel > 0).then(|| Money::new(MinorUnits::new(riel), Currency::Khr))
}

/// The price of one item in `currency`: its own, or (riel only) its dollar price at the shop's
/// rate. The second value is the dollar price it came from.
fn unit_price(
    item: &ItemRow,
    currency: Currency,
    khr_per_usd_e8: Option<u64>,
) -> Option<(Money, Option<Money>)> {
    if let Some(p) = item.price(currency) {
        return Some((p, None));
    }
    let usd = item
        .price(Currency::Usd)
        .filter(|_| currency == Currency::Khr)?;
    Some((usd_to_khr(usd, khr_per_usd_e8?)?, Some(usd)))
}

fn times(unit: Money, quantity: u32) -> Option<Money> {
    let minor = unit.amount.get().checked_mul(u64::from(quantity))?;
    // what a QR's amount (tag 54) can carry
    (minor <= 999_999_999_999).then(|| Money::new(MinorUnits::new(minor), unit.currency))
}

/// Prices a cart in `currency` from `items` (the merchant's, looked up by the lines' ids,
/// deleted ones included) for a counter in `store_id`.
pub fn price(
    lines: &[api::CartLine],
    currency: Currency,
    items: &[ItemRow],
    khr_per_usd_e8: Option<u64>,
    store_id: Option<&str>,
) -> Result<Priced, Refused> {
    if lines.len() > MAX_LINES {
        return Err(refuse("lines".into(), format!("at most {MAX_LINES} lines")));
    }
    let mut sold = Vec::with_capacity(lines.len());
    let mut total: u64 = 0;
    let mut converted = false;
    for (i, line) in lines.iter().enumerate() {
        let at = |f: &str| format!("lines[{i}].{f}");
        if line.quantity == 0 || line.quantity > MAX_QUANTITY {
            return Err(refuse(at("quantity"), format!("1 to {MAX_QUANTITY}")));
        }
        let (name, names, unit, usd) = match (&line.item_id, &line.description, &line.amount) {
            (Some(id), None, None) => {
                let item = items
                    .iter()
                    .find(|it| &it.item_id == id)
                    .ok_or_else(|| refuse(at("item_id"), "no such item"))?;
                if item.deleted {
                    return Err(refuse(at("item_id"), "this item was deleted"));
                }
                if !item.available {
                    return Err(refuse(at("item_id"), "sold out"));
                }
                if let Some(store) = store_id
                    && !item.store_ids.is_empty()
                    && !item.store_ids.iter().any(|s| s == store)
                {
                    return Err(refuse(at("item_id"), "not sold at this counter's store"));
                }
                let (unit, usd) = unit_price(item, currency, khr_per_usd_e8).ok_or_else(|| {
                    let hint = if currency == Currency::Khr && item.price(Currency::Usd).is_some() {
                        " (set the shop's dollar rate to sell dollar prices in riel)"
                    } else {
                        ""
                    };
                    refuse(
                        at("item_id"),
                        format!("no price in {}{hint}", currency.code()),
                    )
                })?;
                converted |= usd.is_some();
                (item.name.clone(), item.names.clone(), unit, usd)
            }
            (None, Some(text), Some(amount)) => {
                let text = text.trim();
                if text.is_empty() || text.chars().count() > DESCRIPTION_MAX {
                    return Err(refuse(
                        at("description"),
                        format!("1 to {DESCRIPTION_MAX} characters"),
                    ));
                }
                if text.chars().any(api::text::is_unsafe) {
                    return Err(refuse(
                        at("description"),
                        "line breaks, tabs, control and text-direction characters are not allowed",
                    ));
                }
                let unit = Money::parse(amount, currency)
                    .map_err(|e| refuse(at("amount"), e.to_string()))?;
                (text.to_owned(), api::ItemNames::default(), unit, None)
            }
            _ => {
                return Err(refuse(
                    format!("lines[{i}]"),
                    "either item_id, or description and amount",
                ));
            }
        };
        let line_total = times(unit, line.quantity)
            .ok_or_else(|| refuse(at("quantity"), "the line is more than a QR can carry"))?;
        total = total
            .checked_add(line_total.amount.get())
            .filter(|t| *t <= 999_999_999_999)
            .ok_or_else(|| refuse("lines".into(), "the cart is more than a QR can carry"))?;
        sold.push(api::SoldLine {
            item_id: line.item_id.clone(),
            name,
            names,
            unit_price: unit.to_decimal_string(),
            quantity: line.quantity,
            total: line_total.to_decimal_string(),
            usd_price: usd.map(|u| u.to_decimal_string()),
        });
    }
    if total == 0 {
        return Err(refuse("lines".into(), "the cart is empty"));
    }
    Ok(Priced {
        total: Money::new(MinorUnits::new(total), currency),
        lines: sold,
        converted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str, c: Currency) -> Money {
        Money::parse(text, c).unwrap()
    }

    fn item(id: &str, prices: &[Money]) -> ItemRow {
        ItemRow {
            item_id: id.into(),
            merchant_id: "m".into(),
            name: format!("{id} name"),
            names: api::ItemNames::default(),
            category: None,
            prices: prices.to_vec(),
            available: true,
            position: Some(1),
            store_ids: Vec::new(),
            deleted: false,
            updated_at: 0,
        }
    }

    fn line(id: &str, quantity: u32) -> api::CartLine {
        api::CartLine {
            item_id: Some(id.into()),
            description: None,
            amount: None,
            quantity,
        }
    }

    const RATE: u64 = 4_100 * 100_000_000;

    #[test]
    fn dollars_become_riel_at_the_shops_rate_rounded_to_100() {
        // 2.50 × 4100 = 10250 → 10300; 0.99 × 4100 = 4059 → 4100; 0.01 → 41 → 0: none
        assert_eq!(
            usd_to_khr(money("2.50", Currency::Usd), RATE),
            Some(money("10300", Currency::Khr))
        );
        assert_eq!(
            usd_to_khr(money("0.99", Currency::Usd), RATE),
            Some(money("4100", Currency::Khr))
        );
        assert_eq!(usd_to_khr(money("0.01", Currency::Usd), RATE), None);
    }

    #[test]
    fn a_cart_is_priced_from_the_catalog_with_custom_lines_at_their_amount() {
        let items = [
            item("soup", &[money("12000", Currency::Khr)]),
            item("coffee", &[money("2.50", Currency::Usd)]),
        ];
        let custom = api::CartLine {
            item_id: None,
            description: Some("Extra egg".into()),
            amount: Some("1500".into()),
            quantity: 1,
        };
        let lines = [line("soup", 1), line("coffee", 2), custom];
        let p = price(&lines, Currency::Khr, &items, Some(RATE), None).unwrap();
        assert_eq!(p.total, money("34100", Currency::Khr));
        assert!(p.converted);
        assert_eq!(p.lines[1].unit_price, "10300");
        assert_eq!(p.lines[1].total, "20600");
        assert_eq!(p.lines[1].usd_price.as_deref(), Some("2.50"));
        // without the shop's rate the dollar item has no riel price
        let e = price(&lines, Currency::Khr, &items, None, None).unwrap_err();
        assert_eq!(e.field, "lines[1].item_id");
        // in dollars, the riel item has none
        let e = price(&lines[..1], Currency::Usd, &items, Some(RATE), None).unwrap_err();
        assert_eq!(e.field, "lines[0].item_id");
    }

    #[test]
    fn sold_out_deleted_unknown_and_other_stores_items_are_refused_by_line() {
        let mut out = item("out", &[money("1000", Currency::Khr)]);
        out.available = false;
        let mut gone = item("gone", &[money("1000", Currency::Khr)]);
        gone.deleted = true;
        let mut elsewhere = item("elsewhere", &[money("1000", Currency::Khr)]);
        elsewhere.store_ids = vec!["s2".into()];
        let items = [out, gone, elsewhere];
        for (id, why) in [
            ("out", "sold out"),
            ("gone", "this item was deleted"),
            ("nope", "no such item"),
            ("elsewhere", "not sold at this counter's store"),
        ] {
            let e = price(&[line(id, 1)], Currency::Khr, &items, None, Some("s1")).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.message.as_str()),
                ("lines[0].item_id", why)
            );
        }
        let e = price(&[line("out", 0)], Currency::Khr, &items, None, None).unwrap_err();
        assert_eq!(e.field, "lines[0].quantity");
        let e = price(&[], Currency::Khr, &items, None, None).unwrap_err();
        assert_eq!(e.field, "lines");
    }
}
