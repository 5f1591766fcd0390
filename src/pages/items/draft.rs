//! The items screen's pure parts, tested natively: the form's draft and what it sends, the
//! list grouped by category, the positions a move up or down changes, and which field a
//! server's error names.

use khqr::Currency;
use protocol as api;

use crate::i18n::Key;

/// The item form's contents, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemDraft {
    /// the main name
    pub name: String,
    /// the name in Khmer
    pub name_km: String,
    /// the name in Chinese
    pub name_zh: String,
    /// free text, one of the existing categories or a new one
    pub category: String,
    /// riel
    pub price_khr: String,
    /// dollars
    pub price_usd: String,
    /// yuan
    pub price_cny: String,
    /// false: sold out
    pub available: bool,
}

/// A field of the item form, as a server error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemField {
    /// `name`
    Name,
    /// `names.km`
    NameKm,
    /// `names.zh`
    NameZh,
    /// `category`
    Category,
    /// `prices.KHR`, `prices.USD`, `prices.CNY`
    Price(Currency),
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The currencies a merchant prices items in: riel and dollars in Cambodia, yuan in China.
pub fn currencies(country: api::Country) -> &'static [Currency] {
    match country {
        api::Country::KH => &[Currency::Khr, Currency::Usd],
        api::Country::CN => &[Currency::Cny],
    }
}

impl ItemDraft {
    /// An empty form: a new item is on sale.
    pub fn new() -> Self {
        Self {
            available: true,
            ..Self::default()
        }
    }

    /// The form filled with `item`.
    pub fn of(item: &api::ItemView) -> Self {
        let p = &item.prices;
        Self {
            name: item.name.clone(),
            name_km: item.names.km.clone().unwrap_or_default(),
            name_zh: item.names.zh.clone().unwrap_or_default(),
            category: item.category.clone().unwrap_or_default(),
            price_khr: p.khr.clone().unwrap_or_default(),
            price_usd: p.usd.clone().unwrap_or_default(),
            price_cny: p.cny.clone().unwrap_or_default(),
            available: item.available,
        }
    }

    /// The text typed for a price.
    pub fn price(&self, c: Currency) -> &str {
        match c {
            Currency::Khr => &self.price_khr,
            Currency::Usd => &self.price_usd,
            Currency::Cny => &self.price_cny,
        }
    }

    fn names(&self) -> api::ItemNames {
        api::ItemNames {
            km: text(&self.name_km),
            zh: text(&self.name_zh),
        }
    }

    fn prices(&self) -> api::ItemPrices {
        api::ItemPrices {
            khr: text(&self.price_khr),
            usd: text(&self.price_usd),
            cny: text(&self.price_cny),
        }
    }

    /// What is wrong before asking the server, field by field (the server checks again).
    pub fn problems(&self, offered: &[Currency]) -> Vec<(ItemField, Key)> {
        let mut out = Vec::new();
        let name = self.name.trim().chars().count();
        if name == 0 || name > 60 {
            out.push((ItemField::Name, Key::ItemErrName));
        }
        if self.category.trim().chars().count() > 30 {
            out.push((ItemField::Category, Key::ItemErrCategory));
        }
        let mut priced = false;
        for &c in offered {
            let typed = self.price(c).trim();
            if typed.is_empty() {
                continue;
            }
            priced = true;
            if !crate::format::amount_ok(typed, c) {
                out.push((ItemField::Price(c), Key::ItemErrPrice));
            }
        }
        if !priced && let Some(&first) = offered.first() {
            out.push((ItemField::Price(first), Key::ItemErrNoPrice));
        }
        out
    }

    /// `POST /api/v1/items` for this form.
    pub fn new_item(&self) -> api::NewItem {
        api::NewItem {
            name: self.name.trim().to_owned(),
            names: self.names(),
            category: text(&self.category),
            prices: self.prices(),
            available: self.available,
            position: None,
            store_ids: None,
        }
    }

    /// `PATCH /api/v1/items/{id}` for what the form changed of `was`; `None` if nothing.
    pub fn patch(&self, was: &api::ItemView) -> Option<api::ItemPatch> {
        let name = self.name.trim().to_owned();
        let names = self.names();
        let category = text(&self.category);
        let prices = self.prices();
        let p = api::ItemPatch {
            name: (name != was.name).then_some(name),
            names: (names != was.names).then_some(names),
            category: (category != was.category).then_some(category),
            prices: (prices != was.prices).then_some(prices),
            available: (self.available != was.available).then_some(self.available),
            position: None,
            store_ids: None,
        };
        (p != api::ItemPatch::default()).then_some(p)
    }
}

impl ItemField {
    /// The form field a server error's `field` names (`prices` alone: the first price).
    pub fn from_server(field: &str, offered: &[Currency]) -> Option<Self> {
        let f = field.to_ascii_lowercase();
        let price = |c: Currency| f.contains(&c.code().to_ascii_lowercase());
        Some(match f.as_str() {
            "name" => Self::Name,
            "category" => Self::Category,
            _ if f.starts_with("names") && f.contains("zh") => Self::NameZh,
            _ if f.starts_with("names") => Self::NameKm,
            _ if f.starts_with("price") => Currency::ALL
                .into_iter()
                .find(|&c| price(c))
                .or_else(|| offered.first().copied())
                .map(Self::Price)?,
            _ => return None,
        })
    }
}

/// The form field a server's refusal names and what to say under it; `None`: not a field of
/// the form (said above the Save button instead).
pub fn server_problem(e: &api::ErrorDetail, offered: &[Currency]) -> Option<(ItemField, Key)> {
    let field = e.field.as_deref()?;
    let at = ItemField::from_server(field, offered)?;
    let key = match at {
        ItemField::Name if e.code == api::ErrorCode::Conflict => Key::ErrTaken,
        ItemField::Name | ItemField::NameKm | ItemField::NameZh => Key::ItemErrName,
        ItemField::Category => Key::ItemErrCategory,
        ItemField::Price(_) if field.eq_ignore_ascii_case("prices") => Key::ItemErrNoPrice,
        ItemField::Price(_) => Key::ItemErrPrice,
    };
    Some((at, key))
}

/// Items of one category, in grid order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `None`: items without a category
    pub category: Option<String>,
    /// its items
    pub items: Vec<api::ItemView>,
}

/// The list grouped by category, each group where its first item is in the grid.
pub fn groups(items: &[api::ItemView]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for item in items {
        match out.iter_mut().find(|g| g.category == item.category) {
            Some(g) => g.items.push(item.clone()),
            None => out.push(Group {
                category: item.category.clone(),
                items: vec![item.clone()],
            }),
        }
    }
    out
}

/// The categories in use, for the form's suggestions.
pub fn categories(items: &[api::ItemView]) -> Vec<String> {
    groups(items)
        .into_iter()
        .filter_map(|g| g.category)
        .collect()
}

/// The positions to set to move `id` one place up (or down) among the items of its category:
/// it and its neighbour swap places; if they share a position (imported that way), the whole
/// list is numbered afresh in its new order. Empty when it is already first (last).
pub fn moves(items: &[api::ItemView], id: &str, up: bool) -> Vec<(String, i64)> {
    let Some(at) = items.iter().position(|i| i.id == id) else {
        return Vec::new();
    };
    let category = &items[at].category;
    let neighbour = if up {
        items[..at].iter().rposition(|i| &i.category == category)
    } else {
        items[at + 1..]
            .iter()
            .position(|i| &i.category == category)
            .map(|n| at + 1 + n)
    };
    let Some(other) = neighbour else {
        return Vec::new();
    };
    let (a, b) = (&items[at], &items[other]);
    if a.position != b.position {
        return vec![(a.id.clone(), b.position), (b.id.clone(), a.position)];
    }
    let mut order: Vec<&api::ItemView> = items.iter().collect();
    order.swap(at, other);
    order
        .into_iter()
        .zip(0i64..)
        .filter(|(i, n)| i.position != *n)
        .map(|(i, n)| (i.id.clone(), n))
        .collect()
}

/// The item's names other than the one shown in `lang`, for beside it.
pub fn other_names(item: &api::ItemView, lang: &str) -> Vec<String> {
    let shown = item.name_in(lang);
    let mut out: Vec<String> = Vec::new();
    for n in [
        Some(item.name.as_str()),
        item.names.km.as_deref(),
        item.names.zh.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if !n.is_empty() && n != shown && !out.iter().any(|o| o == n) {
            out.push(n.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, category: Option<&str>, position: i64) -> api::ItemView {
        api::ItemView {
            id: id.into(),
            name: format!("Item {id}"),
            names: api::ItemNames::default(),
            category: category.map(Into::into),
            prices: api::ItemPrices {
                khr: Some("12000".into()),
                ..Default::default()
            },
            available: true,
            position,
            store_ids: Vec::new(),
            updated_at_ms: 0,
        }
    }

    const KH: &[Currency] = &[Currency::Khr, Currency::Usd];

    #[test]
    fn a_new_item_sends_what_was_typed_trimmed_and_blanks_as_none() {
        let d = ItemDraft {
            name: " Iced coffee ".into(),
            name_km: "កាហ្វេទឹកកក".into(),
            name_zh: "  ".into(),
            category: " Drinks ".into(),
            price_usd: "2.50".into(),
            ..ItemDraft::new()
        };
        assert!(d.problems(KH).is_empty());
        let n = d.new_item();
        assert_eq!(n.name, "Iced coffee");
        assert_eq!(n.names.km.as_deref(), Some("កាហ្វេទឹកកក"));
        assert_eq!(n.names.zh, None);
        assert_eq!(n.category.as_deref(), Some("Drinks"));
        assert_eq!(
            (n.prices.khr, n.prices.usd.as_deref()),
            (None, Some("2.50"))
        );
        assert!(n.available);
    }

    #[test]
    fn problems_name_the_field() {
        let mut d = ItemDraft::new();
        assert_eq!(
            d.problems(KH),
            vec![
                (ItemField::Name, Key::ItemErrName),
                (ItemField::Price(Currency::Khr), Key::ItemErrNoPrice)
            ]
        );
        d.name = "Noodle soup".into();
        d.price_khr = "12,000".into();
        d.price_usd = "3.005".into();
        assert_eq!(
            d.problems(KH),
            vec![
                (ItemField::Price(Currency::Khr), Key::ItemErrPrice),
                (ItemField::Price(Currency::Usd), Key::ItemErrPrice)
            ]
        );
        // A yuan price typed by a Cambodian shop is not looked at (the form does not show it).
        d.price_khr = "12000".into();
        d.price_usd = String::new();
        d.price_cny = "x".into();
        assert!(d.problems(KH).is_empty());
        d.category = "c".repeat(31);
        assert_eq!(
            d.problems(KH),
            vec![(ItemField::Category, Key::ItemErrCategory)]
        );
    }

    #[test]
    fn a_patch_carries_only_what_changed() {
        let was = item("a", Some("Soup"), 0);
        let mut d = ItemDraft::of(&was);
        assert_eq!(d.patch(&was), None);
        d.category = " ".into();
        d.available = false;
        let p = d.patch(&was).expect("a change");
        assert_eq!(p.category, Some(None));
        assert_eq!(p.available, Some(false));
        assert_eq!((p.name, p.names, p.prices), (None, None, None));
        let json = serde_json::to_value(
            ItemDraft {
                price_usd: "3.00".into(),
                ..ItemDraft::of(&was)
            }
            .patch(&was),
        )
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"prices": {"KHR": "12000", "USD": "3.00"}})
        );
    }

    #[test]
    fn server_fields_map_to_form_fields() {
        let f = |s| ItemField::from_server(s, KH);
        assert_eq!(f("name"), Some(ItemField::Name));
        assert_eq!(f("names.km"), Some(ItemField::NameKm));
        assert_eq!(f("names.zh"), Some(ItemField::NameZh));
        assert_eq!(f("category"), Some(ItemField::Category));
        assert_eq!(f("prices.USD"), Some(ItemField::Price(Currency::Usd)));
        assert_eq!(f("prices"), Some(ItemField::Price(Currency::Khr)));
        assert_eq!(
            ItemField::from_server("prices", &[Currency::Cny]),
            Some(ItemField::Price(Currency::Cny))
        );
        assert_eq!(f("store_ids"), None);
    }

    #[test]
    fn a_refusal_is_said_under_its_field() {
        let refusal = |code, field: &str| api::ErrorDetail {
            code,
            message: String::new(),
            field: Some(field.into()),
        };
        let v = api::ErrorCode::Validation;
        assert_eq!(
            server_problem(&refusal(v, "prices"), KH),
            Some((ItemField::Price(Currency::Khr), Key::ItemErrNoPrice))
        );
        assert_eq!(
            server_problem(&refusal(v, "prices.USD"), KH),
            Some((ItemField::Price(Currency::Usd), Key::ItemErrPrice))
        );
        assert_eq!(
            server_problem(&refusal(v, "names.km"), KH),
            Some((ItemField::NameKm, Key::ItemErrName))
        );
        assert_eq!(
            server_problem(&refusal(api::ErrorCode::Conflict, "name"), KH),
            Some((ItemField::Name, Key::ErrTaken))
        );
        assert_eq!(server_problem(&refusal(v, "items"), KH), None);
    }

    #[test]
    fn groups_keep_grid_order_and_first_appearance() {
        let items = [
            item("a", Some("Drinks"), 0),
            item("b", None, 1),
            item("c", Some("Soup"), 2),
            item("d", Some("Drinks"), 3),
        ];
        let g = groups(&items);
        let shape: Vec<(Option<&str>, Vec<&str>)> = g
            .iter()
            .map(|g| {
                (
                    g.category.as_deref(),
                    g.items.iter().map(|i| i.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (Some("Drinks"), vec!["a", "d"]),
                (None, vec!["b"]),
                (Some("Soup"), vec!["c"])
            ]
        );
        assert_eq!(categories(&items), vec!["Drinks", "Soup"]);
    }

    #[test]
    fn a_move_swaps_with_the_neighbour_of_the_same_category() {
        let items = [
            item("a", Some("Drinks"), 0),
            item("b", None, 1),
            item("c", Some("Drinks"), 2),
        ];
        assert_eq!(
            moves(&items, "c", true),
            vec![("c".into(), 0), ("a".into(), 2)]
        );
        assert_eq!(
            moves(&items, "a", false),
            vec![("a".into(), 2), ("c".into(), 0)]
        );
        assert!(moves(&items, "a", true).is_empty());
        assert!(moves(&items, "c", false).is_empty());
        assert!(moves(&items, "b", true).is_empty());
        assert!(moves(&items, "nope", true).is_empty());
    }

    #[test]
    fn a_move_between_equal_positions_numbers_the_list_afresh() {
        let items = [item("a", None, 0), item("b", None, 0), item("c", None, 0)];
        assert_eq!(
            moves(&items, "b", true),
            vec![("a".into(), 1), ("c".into(), 2)]
        );
    }

    #[test]
    fn other_names_leave_out_the_one_shown() {
        let mut i = item("a", None, 0);
        i.name = "Iced coffee".into();
        i.names.km = Some("កាហ្វេទឹកកក".into());
        assert_eq!(other_names(&i, "km"), vec!["Iced coffee"]);
        assert_eq!(other_names(&i, "en"), vec!["កាហ្វេទឹកកក"]);
        // No Chinese name: the main one is shown, the Khmer beside it.
        assert_eq!(other_names(&i, "zh"), vec!["កាហ្វេទឹកកក"]);
    }
}
