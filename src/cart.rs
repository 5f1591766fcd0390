//! The counter's cart: the items a cashier tapped and the amounts typed as custom lines, priced
//! the way the server prices them (integer arithmetic only). The server's answer wins.

use khqr::{Currency, MinorUnits, Money};
use protocol::{CartLine, ItemView};

/// Largest quantity of one line the server accepts.
pub const MAX_QUANTITY: u32 = 999;

/// Largest amount a charge can carry (the 13 characters of the QR's amount tag).
const MAX_MINOR: u64 = 999_999_999_999;

/// What one line of the cart sells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sale {
    /// an item of the catalog, priced from it
    Item(String),
    /// an amount typed on the keypad, with an optional text
    Custom {
        /// what it is for (may be empty)
        description: String,
        /// its unit amount, in the currency it was typed in
        amount: Money,
    },
}

/// A line of the cart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// what it sells
    pub sale: Sale,
    /// how many, 1 to [`MAX_QUANTITY`]
    pub quantity: u32,
}

/// The lines, in the order they were added (the server names a line by this order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    /// the lines
    pub lines: Vec<Line>,
}

impl Cart {
    /// One more of an item: a new line, or one more on its line.
    pub fn add_item(&mut self, id: &str) {
        match self
            .lines
            .iter_mut()
            .find(|l| matches!(&l.sale, Sale::Item(i) if i == id))
        {
            Some(l) => l.quantity = (l.quantity + 1).min(MAX_QUANTITY),
            None => self.lines.push(Line {
                sale: Sale::Item(id.to_owned()),
                quantity: 1,
            }),
        }
    }

    /// A custom line of one `amount`.
    pub fn add_custom(&mut self, description: &str, amount: Money) {
        self.lines.push(Line {
            sale: Sale::Custom {
                description: description.trim().to_owned(),
                amount,
            },
            quantity: 1,
        });
    }

    /// One more on line `i`.
    pub fn plus(&mut self, i: usize) {
        if let Some(l) = self.lines.get_mut(i) {
            l.quantity = (l.quantity + 1).min(MAX_QUANTITY);
        }
    }

    /// One less on line `i`; the last one takes the line away.
    pub fn minus(&mut self, i: usize) {
        match self.lines.get_mut(i) {
            Some(l) if l.quantity > 1 => l.quantity -= 1,
            Some(_) => self.remove(i),
            None => {}
        }
    }

    /// Takes line `i` away.
    pub fn remove(&mut self, i: usize) {
        if i < self.lines.len() {
            self.lines.remove(i);
        }
    }

    /// Whether nothing is in it.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// How many things are in it (quantities summed).
    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The lines as `POST /api/v1/charges` takes them; an empty custom text becomes `fallback`
    /// (the server keeps a name for every line).
    pub fn wire(&self, fallback: &str) -> Vec<CartLine> {
        self.lines
            .iter()
            .map(|l| match &l.sale {
                Sale::Item(id) => CartLine {
                    item_id: Some(id.clone()),
                    description: None,
                    amount: None,
                    quantity: l.quantity,
                },
                Sale::Custom {
                    description,
                    amount,
                } => CartLine {
                    item_id: None,
                    description: Some(if description.is_empty() {
                        fallback.to_owned()
                    } else {
                        description.clone()
                    }),
                    amount: Some(amount.to_decimal_string()),
                    quantity: l.quantity,
                },
            })
            .collect()
    }
}

/// A dollar amount in riel at `riel_per_usd_e8` (riel per dollar × 10⁸), rounded half up to
/// 100 riel, as the server converts a dollar-priced item in a riel charge.
pub fn usd_to_khr(usd: Money, riel_per_usd_e8: u64) -> Option<Money> {
    if usd.currency != Currency::Usd {
        return None;
    }
    // riel = cents / 100 × rate; hundreds of riel = riel / 100, rounded half up
    let num = u128::from(usd.amount.get()) * u128::from(riel_per_usd_e8);
    let den: u128 = 100_000_000 * 100 * 100;
    let hundreds = (num + den / 2) / den;
    let riel = u64::try_from(hundreds * 100).ok()?;
    (riel > 0 && riel <= MAX_MINOR).then(|| Money::new(MinorUnits::new(riel), Currency::Khr))
}

/// How an item is priced in a charge's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    /// its own price in that currency
    Own(Money),
    /// its dollar price at the shop's rate (a riel charge)
    Converted {
        /// in riel, rounded to 100
        riel: Money,
        /// the dollar price it came from
        usd: Money,
    },
}

impl Price {
    /// What one costs in the charge's currency.
    pub fn unit(self) -> Money {
        match self {
            Self::Own(m) => m,
            Self::Converted { riel, .. } => riel,
        }
    }
}

/// An item's price in `currency`: its own, or (riel only) its dollar price at the shop's rate;
/// `None` when it cannot be sold in that currency.
pub fn item_price(item: &ItemView, currency: Currency, usd_khr_e8: Option<u64>) -> Option<Price> {
    if let Some(m) = item
        .prices
        .get(currency)
        .and_then(|p| Money::parse(p, currency).ok())
    {
        return Some(Price::Own(m));
    }
    if currency != Currency::Khr {
        return None;
    }
    let usd = item
        .prices
        .get(Currency::Usd)
        .and_then(|p| Money::parse(p, Currency::Usd).ok())?;
    let riel = usd_to_khr(usd, usd_khr_e8?)?;
    Some(Price::Converted { riel, usd })
}

/// Whether an item is sold at a store (`None`: the counter's store is not known: every item).
pub fn sold_at(item: &ItemView, store: Option<&str>) -> bool {
    match store {
        Some(s) => item.store_ids.is_empty() || item.store_ids.iter().any(|i| i == s),
        None => true,
    }
}

/// The categories of the items, in the order they first appear in the grid.
pub fn categories(items: &[ItemView]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in items.iter().filter_map(|i| i.category.as_deref()) {
        if !c.is_empty() && !out.iter().any(|o| o == c) {
            out.push(c.to_owned());
        }
    }
    out
}

/// A cart line as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// the name in the language asked for (empty for a custom line without text)
    pub name: String,
    /// one unit, or `None` when the line cannot be sold in this currency
    pub unit: Option<Money>,
    /// the dollar price a riel unit was converted from
    pub usd: Option<Money>,
    /// how many
    pub quantity: u32,
    /// unit × quantity
    pub total: Option<Money>,
    /// the item is sold out (or gone from the catalog)
    pub unavailable: bool,
}

/// Prices every line in `currency`, names in `lang` (a language tag).
pub fn price_lines(
    cart: &Cart,
    items: &[ItemView],
    currency: Currency,
    usd_khr_e8: Option<u64>,
    lang: &str,
) -> Vec<Priced> {
    cart.lines
        .iter()
        .map(|l| {
            let (name, price, unavailable) = match &l.sale {
                Sale::Item(id) => match items.iter().find(|i| &i.id == id) {
                    Some(item) => (
                        item.name_in(lang).to_owned(),
                        item_price(item, currency, usd_khr_e8),
                        !item.available,
                    ),
                    None => (String::new(), None, true),
                },
                Sale::Custom {
                    description,
                    amount,
                } => (
                    description.clone(),
                    (amount.currency == currency).then_some(Price::Own(*amount)),
                    false,
                ),
            };
            let unit = price.map(Price::unit);
            let usd = match price {
                Some(Price::Converted { usd, .. }) => Some(usd),
                _ => None,
            };
            Priced {
                name,
                unit,
                usd,
                quantity: l.quantity,
                total: unit.and_then(|u| times(u, l.quantity)),
                unavailable,
            }
        })
        .collect()
}

/// `unit` × `quantity`, within what a charge can carry.
pub fn times(unit: Money, quantity: u32) -> Option<Money> {
    let v = unit.amount.get().checked_mul(u64::from(quantity))?;
    (v <= MAX_MINOR).then(|| Money::new(MinorUnits::new(v), unit.currency))
}

/// `a` + `b` (same currency), within what a charge can carry.
pub fn plus(a: Money, b: Money) -> Option<Money> {
    let v = a.amount.get().checked_add(b.amount.get())?;
    (a.currency == b.currency && v <= MAX_MINOR).then(|| Money::new(MinorUnits::new(v), a.currency))
}

/// The sum of the lines, or `None` when one cannot be sold, the cart is empty, or the sum is
/// more than a charge can carry.
pub fn total(lines: &[Priced], currency: Currency) -> Option<Money> {
    if lines.is_empty() || lines.iter().any(|l| l.unavailable) {
        return None;
    }
    let mut sum: u64 = 0;
    for l in lines {
        sum = sum.checked_add(l.total?.amount.get())?;
    }
    (sum <= MAX_MINOR).then(|| Money::new(MinorUnits::new(sum), currency))
}

/// The line a server error names: `lines[2].item_id` → 2.
pub fn line_of_field(field: &str) -> Option<usize> {
    field
        .strip_prefix("lines[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{ItemNames, ItemPrices};

    fn item(id: &str, khr: Option<&str>, usd: Option<&str>) -> ItemView {
        ItemView {
            id: id.into(),
            name: format!("Item {id}"),
            names: ItemNames {
                km: Some(format!("ទំនិញ {id}")),
                zh: None,
            },
            category: None,
            prices: ItemPrices {
                khr: khr.map(Into::into),
                usd: usd.map(Into::into),
                cny: None,
            },
            available: true,
            position: 0,
            store_ids: Vec::new(),
            updated_at_ms: 0,
        }
    }

    fn usd(s: &str) -> Money {
        Money::parse(s, Currency::Usd).unwrap()
    }

    fn khr(s: &str) -> Money {
        Money::parse(s, Currency::Khr).unwrap()
    }

    #[test]
    fn dollars_become_riel_rounded_half_up_to_100() {
        let rate = protocol::parse_rate("4100").unwrap();
        assert_eq!(usd_to_khr(usd("3.00"), rate), Some(khr("12300")));
        // 1.25 × 4100 = 5125 → 5100; 1.26 × 4100 = 5166 → 5200; 0.05 × 4100 = 205 → 200
        assert_eq!(usd_to_khr(usd("1.25"), rate), Some(khr("5100")));
        assert_eq!(usd_to_khr(usd("1.26"), rate), Some(khr("5200")));
        assert_eq!(usd_to_khr(usd("0.05"), rate), Some(khr("200")));
        // exactly half a hundred rounds up: 0.50 × 4050 = 2025 → 2000; 0.50 × 4100.5 = 2050.25 → 2100
        let odd = protocol::parse_rate("4050").unwrap();
        assert_eq!(usd_to_khr(usd("0.50"), odd), Some(khr("2000")));
        assert_eq!(
            usd_to_khr(usd("0.01"), odd),
            None,
            "40.5 riel is 0 hundreds"
        );
        let half = protocol::parse_rate("4100.5").unwrap();
        assert_eq!(usd_to_khr(usd("0.50"), half), Some(khr("2100")));
        assert_eq!(usd_to_khr(khr("100"), rate), None);
    }

    #[test]
    fn an_item_is_priced_in_its_own_currency_first() {
        let rate = protocol::parse_rate("4100");
        let both = item("a", Some("12000"), Some("3.00"));
        assert_eq!(
            item_price(&both, Currency::Khr, rate),
            Some(Price::Own(khr("12000")))
        );
        let dollars = item("b", None, Some("2.50"));
        assert_eq!(
            item_price(&dollars, Currency::Khr, rate),
            Some(Price::Converted {
                riel: khr("10300"),
                usd: usd("2.50")
            })
        );
        assert_eq!(item_price(&dollars, Currency::Khr, None), None);
        let riel = item("c", Some("5000"), None);
        assert_eq!(item_price(&riel, Currency::Usd, rate), None);
    }

    #[test]
    fn the_cart_counts_adds_and_takes_away() {
        let mut c = Cart::default();
        c.add_item("a");
        c.add_item("b");
        c.add_item("a");
        c.add_custom("  tip ", khr("2000"));
        assert_eq!(c.lines.len(), 3);
        assert_eq!(c.count(), 4);
        c.plus(1);
        c.minus(0);
        c.minus(0);
        assert_eq!(c.lines.len(), 2, "the last one takes the line away");
        assert_eq!(c.lines[0].sale, Sale::Item("b".into()));
        assert_eq!(c.lines[0].quantity, 2);
        c.remove(7);
        let wire = c.wire("Custom amount");
        assert_eq!(wire[0].item_id.as_deref(), Some("b"));
        assert_eq!(wire[0].quantity, 2);
        assert_eq!(wire[1].description.as_deref(), Some("tip"));
        assert_eq!(wire[1].amount.as_deref(), Some("2000"));
        let mut d = Cart::default();
        d.add_custom("", usd("1.5"));
        assert_eq!(d.wire("Custom")[0].description.as_deref(), Some("Custom"));
        assert_eq!(d.wire("Custom")[0].amount.as_deref(), Some("1.50"));
        for _ in 0..1200 {
            d.plus(0);
        }
        assert_eq!(d.lines[0].quantity, MAX_QUANTITY);
        d.remove(0);
        assert!(d.is_empty());
    }

    #[test]
    fn the_total_is_the_sum_of_priced_lines() {
        let rate = protocol::parse_rate("4100");
        let items = vec![
            item("noodle", Some("12000"), None),
            item("coffee", None, Some("1.25")),
        ];
        let mut c = Cart::default();
        c.add_item("noodle");
        c.add_item("coffee");
        c.add_item("coffee");
        c.add_custom("", khr("1000"));
        let lines = price_lines(&c, &items, Currency::Khr, rate, "km");
        assert_eq!(lines[0].name, "ទំនិញ noodle");
        let in_zh = price_lines(&c, &items, Currency::Khr, rate, "zh");
        assert_eq!(
            in_zh[0].name, "Item noodle",
            "no Chinese name: the main one"
        );
        assert_eq!(lines[1].usd, Some(usd("1.25")));
        assert_eq!(lines[1].total, Some(khr("10200")));
        assert_eq!(total(&lines, Currency::Khr), Some(khr("23200")));
        // In dollars the riel-only noodle and the riel custom line have no price.
        let in_usd = price_lines(&c, &items, Currency::Usd, rate, "en");
        assert_eq!(in_usd[0].unit, None);
        assert_eq!(in_usd[2].unit, None);
        assert_eq!(total(&in_usd, Currency::Usd), None);
        assert_eq!(total(&[], Currency::Khr), None);
        // A sold-out item or one gone from the catalog stops the charge.
        let mut sold_out = items.clone();
        sold_out[0].available = false;
        let lines = price_lines(&c, &sold_out, Currency::Khr, rate, "en");
        assert!(lines[0].unavailable);
        assert_eq!(total(&lines, Currency::Khr), None);
        let gone = price_lines(&c, &items[1..], Currency::Khr, rate, "en");
        assert!(gone[0].unavailable);
        assert_eq!(times(khr("999999999999"), 2), None);
        assert_eq!(plus(khr("1000"), khr("500")), Some(khr("1500")));
        assert_eq!(plus(khr("1000"), usd("5")), None);
        assert_eq!(plus(khr("999999999999"), khr("1")), None);
    }

    #[test]
    fn stores_categories_and_fields() {
        let mut a = item("a", Some("1000"), None);
        a.store_ids = vec!["s1".into()];
        a.category = Some("Drinks".into());
        let mut b = item("b", Some("1000"), None);
        b.category = Some("Food".into());
        let mut c = item("c", Some("1000"), None);
        c.category = Some("Drinks".into());
        assert!(sold_at(&a, Some("s1")) && !sold_at(&a, Some("s2")) && sold_at(&a, None));
        assert!(sold_at(&b, Some("s2")));
        assert_eq!(categories(&[a, b, c]), vec!["Drinks", "Food"]);
        assert_eq!(line_of_field("lines[2].item_id"), Some(2));
        assert_eq!(line_of_field("lines[10]"), Some(10));
        assert_eq!(line_of_field("amount"), None);
    }
}
