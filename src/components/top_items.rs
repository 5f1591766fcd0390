//! What sold by item in a period: today's top items on the dashboard, and every item of a shift
//! with its quantity and total per currency on the end-of-day summary.

use leptos::prelude::*;
use protocol as api;

use crate::components::sold_lines::LineName;
use crate::format;
use crate::i18n::{Key, tr};

/// How many items the dashboard ranks.
pub const TOP: usize = 5;

/// The dashboard's first `TOP` rows of the report, catalog items only (a typed custom line is no
/// item to rank).
pub fn top_items(report: Vec<api::ItemSales>) -> Vec<api::ItemSales> {
    report
        .into_iter()
        .filter(|s| s.item_id.is_some())
        .take(TOP)
        .collect()
}

/// Today's best sellers, most sold first.
#[component]
pub fn TopItems(
    /// rows of the item report, already cut to the top
    items: Vec<api::ItemSales>,
) -> impl IntoView {
    view! {
        <section class="card sales-top" aria-labelledby="top-items-title" data-testid="top-items">
            <h2 id="top-items-title">{tr(Key::SalesTopToday)}</h2>
            <ol class="sales-top-list">
                {items.into_iter().enumerate().map(|(i, s)| view! {
                    <li data-testid=format!("top-item-{i}")>
                        <span class="sales-top-name"><LineName name=s.name names=s.names/></span>
                        <span class="sales-qty">"× "{s.quantity}</span>
                        <span class="sales-amount">{format::amount(&s.total, s.currency)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Every item of a shift: quantity and total, one row per item and currency.
#[component]
pub fn ItemTotals(
    /// rows of the item report
    items: Vec<api::ItemSales>,
) -> impl IntoView {
    view! {
        <section class="sales-by-item" aria-labelledby="shift-items-title" data-testid="shift-items">
            <h2 id="shift-items-title" class="sales-heading">{tr(Key::SalesByItem)}</h2>
            <table class="sales-items-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(Key::SalesItem)}</th>
                        <th scope="col" class="sales-num">{tr(Key::SalesQty)}</th>
                        <th scope="col" class="sales-num">{tr(Key::Total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().enumerate().map(|(i, s)| view! {
                        <tr data-testid=format!("shift-item-{i}")>
                            <td><LineName name=s.name names=s.names/></td>
                            <td class="sales-num">{s.quantity}</td>
                            <td class="sales-num sales-amount">{format::amount(&s.total, s.currency)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use khqr::Currency;

    fn sales(id: Option<&str>, name: &str, quantity: u64) -> api::ItemSales {
        api::ItemSales {
            item_id: id.map(Into::into),
            name: name.into(),
            names: api::ItemNames::default(),
            quantity,
            currency: Currency::Khr,
            total: "1000".into(),
        }
    }

    #[test]
    fn the_top_is_the_first_five_items_without_custom_lines() {
        let mut report = vec![sales(None, "Custom amount", 40)];
        report.extend((0..7).map(|i| sales(Some(&format!("itm_{i}")), &format!("n{i}"), 9 - i)));
        let top = top_items(report);
        assert_eq!(top.len(), TOP);
        assert_eq!(top[0].name, "n0");
        assert!(top.iter().all(|s| s.item_id.is_some()));
        assert!(top_items(vec![sales(None, "Custom amount", 1)]).is_empty());
    }
}
