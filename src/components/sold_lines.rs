//! What a charge sold, as it was sold: each line in the app's language with the other name small
//! beside, quantity × unit price and line total, the total, and the shop's dollar rate if it used it.

use khqr::{Currency, Money};
use leptos::prelude::*;
use protocol as api;

use crate::format;
use crate::i18n::{Key, Lang, t, tr, use_i18n};

/// The name to show in `lang` (as `SoldLine::name_in` picks it) and, when it differs, the other
/// name to show small beside it: the main name under a translation; in English the Khmer name.
pub fn names_in(name: &str, names: &api::ItemNames, lang: Lang) -> (String, Option<String>) {
    let usable = |n: &Option<String>| {
        n.as_deref()
            .filter(|n| !n.trim().is_empty() && *n != name)
            .map(str::to_owned)
    };
    let translated = match lang {
        Lang::Km => usable(&names.km),
        Lang::Zh => usable(&names.zh),
        Lang::En => None,
    };
    match translated {
        Some(shown) => (shown, Some(name.to_owned())),
        None if lang == Lang::Km => (name.to_owned(), None),
        None => (name.to_owned(), usable(&names.km)),
    }
}

/// "2 × 12,300 ៛ ($3.00)": quantity and unit price, and the dollar price it was converted from.
pub fn unit_text(line: &api::SoldLine, currency: Currency) -> String {
    let unit = format!(
        "{} × {}",
        line.quantity,
        format::amount(&line.unit_price, currency)
    );
    match &line.usd_price {
        Some(usd) if currency != Currency::Usd => {
            format!("{unit} ({})", format::amount(usd, Currency::Usd))
        }
        _ => unit,
    }
}

/// "Dollar prices at 4,100 ៛ per $" in `lang`.
pub fn rate_text(lang: Lang, riel_per_dollar: &str) -> String {
    let n = Money::parse(riel_per_dollar, Currency::Khr)
        .map_or_else(|_| riel_per_dollar.trim().to_owned(), |m| m.grouped());
    t(lang, Key::SalesDollarRate).replace("{rate}", &n)
}

/// Whether some line was converted from dollars (so the charge's rate is worth fetching).
pub fn converted(lines: &[api::SoldLine]) -> bool {
    lines.iter().any(|l| l.usd_price.is_some())
}

/// A name and, when it differs, the other name small beside it, following the language.
#[component]
pub fn LineName(
    /// the main name
    name: String,
    /// the other names
    names: api::ItemNames,
) -> impl IntoView {
    let lang = use_i18n().lang;
    move || {
        let (shown, other) = names_in(&name, &names, lang.get());
        view! {
            <span class="sales-name">{shown}</span>
            {other.map(|o| view! { " " <small class="sales-other">{o}</small> })}
        }
    }
}

/// The lines of a charge, with the total when `total` is given and the rate line when `rate` is.
#[component]
pub fn SoldLines(
    /// the lines, as sold
    lines: Vec<api::SoldLine>,
    /// the charge's currency
    currency: Currency,
    /// the charge's amount, for a total row (left out where the total follows in large type)
    #[prop(optional, into)]
    total: Option<String>,
    /// riel per dollar, when the charge converted dollar prices (it may arrive later)
    #[prop(optional, into)]
    rate: MaybeProp<String>,
) -> impl IntoView {
    let lang = use_i18n().lang;
    let rows = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let unit = unit_text(&l, currency);
            view! {
                <tr data-testid=format!("sold-line-{i}")>
                    <td class="sales-line">
                        <LineName name=l.name names=l.names/>
                        <span class="sales-unit">{unit}</span>
                    </td>
                    <td class="sales-amount">{format::amount(&l.total, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="sales-lines" data-testid="sold-lines">
            <table>
                <caption class="sales-caption">{tr(Key::SalesItemsSold)}</caption>
                <tbody>{rows}</tbody>
                {total.map(|total| view! {
                    <tfoot>
                        <tr class="sales-total">
                            <th scope="row">{tr(Key::Total)}</th>
                            <td class="sales-amount">{format::amount(&total, currency)}</td>
                        </tr>
                    </tfoot>
                })}
            </table>
            {move || rate.get().map(|r| view! {
                <p class="sales-rate" data-testid="sold-lines-rate">{move || rate_text(lang.get(), &r)}</p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(names: api::ItemNames, usd: Option<&str>) -> api::SoldLine {
        api::SoldLine {
            item_id: Some("itm_1".into()),
            name: "Iced coffee".into(),
            names,
            unit_price: "12300".into(),
            quantity: 2,
            total: "24600".into(),
            usd_price: usd.map(Into::into),
        }
    }

    #[test]
    fn the_shown_name_is_the_one_sold_line_picks_and_the_other_sits_beside() {
        let names = api::ItemNames {
            km: Some("កាហ្វេទឹកកក".into()),
            zh: Some("冰咖啡".into()),
        };
        let l = line(names.clone(), None);
        for lang in Lang::ALL {
            assert_eq!(names_in(&l.name, &l.names, lang).0, l.name_in(lang.tag()));
        }
        assert_eq!(
            names_in(&l.name, &names, Lang::Zh),
            ("冰咖啡".into(), Some("Iced coffee".into()))
        );
        assert_eq!(
            names_in(&l.name, &names, Lang::En),
            ("Iced coffee".into(), Some("កាហ្វេទឹកកក".into()))
        );
        // No translation, or one equal to the main name: the main name alone.
        let bare = api::ItemNames {
            km: Some("Iced coffee".into()),
            zh: Some(" ".into()),
        };
        for lang in [Lang::Km, Lang::En] {
            assert_eq!(
                names_in("Iced coffee", &bare, lang),
                ("Iced coffee".into(), None)
            );
        }
    }

    #[test]
    fn a_converted_line_shows_its_dollar_price_and_the_rate_reads_grouped() {
        let plain = line(api::ItemNames::default(), None);
        assert_eq!(unit_text(&plain, Currency::Khr), "2 × 12,300 ៛");
        let usd = line(api::ItemNames::default(), Some("3.00"));
        assert_eq!(unit_text(&usd, Currency::Khr), "2 × 12,300 ៛ ($3.00)");
        assert!(converted(&[plain.clone(), usd]));
        assert!(!converted(&[plain]));
        assert_eq!(
            rate_text(Lang::En, "4100"),
            "Dollar prices at 4,100 ៛ per $"
        );
        assert!(rate_text(Lang::Km, "4100").contains("4,100 ៛"));
        assert!(rate_text(Lang::Zh, "4100.5").contains("4100.5"));
    }
}
