//! Reading a rate source's answer. The NBC's `exRate.php` is undocumented XML: `<ex>` items
//! with `key` (`USD/KHR`, `CNY/KHR`), `unit`, `bid`, `ask`, `average` and `date`; it is read
//! defensively (names in any case, thousands separators, a missing average, several date
//! forms) and refused when a figure is missing, zero or implausible. A source given by
//! `--fx-url` may answer the same XML, or JSON: `{"date": "2026-12-07", "cny_per_unit":
//! {"USD": "7.08", "KHR": "0.001725"}}`.

use khqr::Currency;

use crate::api;
use crate::domain::fx::day_of;

/// Yuan per unit of each currency, as of a date the source states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// `YYYY-MM-DD`
    pub date: String,
    /// (currency, yuan per unit × 10⁸)
    pub rates: Vec<(Currency, u64)>,
}

/// What is wrong with an answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Malformed(pub String);

fn bad(msg: impl Into<String>) -> Malformed {
    Malformed(msg.into())
}

/// Plausible yuan per unit (× 10⁸): a dollar 5–10 yuan, a riel 0.0012–0.0025 yuan.
fn plausible(currency: Currency, e8: u64) -> bool {
    match currency {
        Currency::Usd => (500_000_000..=1_000_000_000).contains(&e8),
        Currency::Khr => (120_000..=250_000).contains(&e8),
        Currency::Cny => false,
    }
}

/// A decimal figure as sent (`"4,100.50"`, `" 4100 "`), × 10⁸.
fn figure(text: &str) -> Option<u64> {
    api::parse_rate(&text.trim().replace(',', ""))
}

/// A date in one of the forms sources use, as `YYYY-MM-DD`.
pub fn date(text: &str) -> Option<String> {
    let t = text.trim();
    let head: String = t.chars().take(10).collect();
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let iso = format!(
        "{:04}-{:02}-{:02}",
        y.parse::<u32>().ok()?,
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?
    );
    day_of(&iso).map(|_| iso)
}

fn checked(date: String, rates: Vec<(Currency, u64)>) -> Result<Quote, Malformed> {
    if rates.is_empty() {
        return Err(bad("no rate for USD or KHR"));
    }
    if let Some((c, e8)) = rates.iter().find(|(c, e8)| !plausible(*c, *e8)) {
        return Err(bad(format!(
            "implausible: {} yuan per {}",
            api::rate_text(*e8),
            c.code()
        )));
    }
    Ok(Quote { date, rates })
}

/// Reads an answer: XML as the NBC's, or the JSON form.
pub fn quote(body: &str) -> Result<Quote, Malformed> {
    let body = body.trim_start_matches('\u{feff}').trim();
    if body.starts_with('<') {
        nbc(body)
    } else {
        json(body)
    }
}

struct Ex {
    key: String,
    unit: u64,
    mid: Option<u64>,
    date: Option<String>,
}

fn ex_items(doc: &roxmltree::Document<'_>) -> Vec<Ex> {
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case("ex"))
        .map(|n| {
            let child = |name: &str| {
                n.children()
                    .find(|c| c.is_element() && c.tag_name().name().eq_ignore_ascii_case(name))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            let (bid, ask) = (
                child("bid").as_deref().and_then(figure),
                child("ask").as_deref().and_then(figure),
            );
            let mid = child("average")
                .as_deref()
                .and_then(figure)
                .or_else(|| Some((bid? + ask?) / 2));
            Ex {
                key: child("key").unwrap_or_default().trim().to_ascii_uppercase(),
                unit: child("unit")
                    .and_then(|u| u.trim().parse().ok())
                    .filter(|u| *u > 0)
                    .unwrap_or(1),
                mid,
                date: child("date").as_deref().and_then(date),
            }
        })
        .collect()
}

fn nbc(body: &str) -> Result<Quote, Malformed> {
    let doc = roxmltree::Document::parse(body).map_err(|e| bad(format!("not XML: {e}")))?;
    let items = ex_items(&doc);
    let find = |key: &str| items.iter().find(|e| e.key == key);
    let cny = find("CNY/KHR").ok_or_else(|| bad("no CNY/KHR rate"))?;
    let usd = find("USD/KHR").ok_or_else(|| bad("no USD/KHR rate"))?;
    let (Some(cny_mid), Some(usd_mid)) = (cny.mid, usd.mid) else {
        return Err(bad("a rate without a figure"));
    };
    // riel per yuan and per dollar, × 10⁸
    let khr_per_cny = u128::from(cny_mid) / u128::from(cny.unit);
    let khr_per_usd = u128::from(usd_mid) / u128::from(usd.unit);
    if khr_per_cny == 0 || khr_per_usd == 0 {
        return Err(bad("a rate of zero"));
    }
    const E8: u128 = 100_000_000;
    let cny_per_khr = E8 * E8 / khr_per_cny;
    let cny_per_usd = khr_per_usd * E8 / khr_per_cny;
    let date = cny
        .date
        .clone()
        .or_else(|| usd.date.clone())
        .or_else(|| {
            doc.descendants()
                .find(|n| n.is_element() && n.tag_name().name().eq_ignore_ascii_case("date"))
                .and_then(|n| n.text())
                .and_then(date)
        })
        .ok_or_else(|| bad("no date"))?;
    let e8 = |v: u128| u64::try_from(v).map_err(|_| bad("a rate out of range"));
    checked(
        date,
        vec![
            (Currency::Khr, e8(cny_per_khr)?),
            (Currency::Usd, e8(cny_per_usd)?),
        ],
    )
}

fn json(body: &str) -> Result<Quote, Malformed> {
    let v: serde_json::Value =
        serde_json::from_str(body).map_err(|e| bad(format!("neither XML nor JSON: {e}")))?;
    let date = v
        .get("date")
        .and_then(|d| d.as_str())
        .and_then(date)
        .ok_or_else(|| bad("no date"))?;
    let table = v
        .get("cny_per_unit")
        .and_then(|t| t.as_object())
        .ok_or_else(|| bad("no cny_per_unit"))?;
    let mut rates = Vec::new();
    for currency in [Currency::Khr, Currency::Usd] {
        let Some(x) = table.get(currency.code()) else {
            continue;
        };
        let text = match x {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(bad(format!("{} is not a number", currency.code()))),
        };
        let e8 = figure(&text).ok_or_else(|| bad(format!("{} is not a rate", currency.code())))?;
        rates.push((currency, e8));
    }
    checked(date, rates)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NBC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<ExchangeRate>
  <ex><date>2026-12-07</date><key>USD/KHR</key><unit>1</unit><bid>4,010</bid><ask>4,030</ask><average>4020</average></ex>
  <ex><date>2026-12-07</date><key>CNY/KHR</key><unit>1</unit><bid>564</bid><ask>568</ask><average>566</average></ex>
  <ex><date>2026-12-07</date><key>THB/KHR</key><unit>1</unit><bid>120</bid><ask>121</ask><average>120.5</average></ex>
</ExchangeRate>"#;

    #[test]
    fn the_nbc_table_gives_yuan_per_riel_and_per_dollar_with_its_date() {
        let q = quote(NBC).unwrap();
        assert_eq!(q.date, "2026-12-07");
        // 1 / 566 = 0.00176678…; 4020 / 566 = 7.10247349…
        assert_eq!(
            q.rates,
            vec![(Currency::Khr, 176_678), (Currency::Usd, 710_247_349)]
        );
    }

    #[test]
    fn odd_but_readable_answers_are_read() {
        let odd = NBC
            .replace("<average>566</average>", "")
            .replace("<unit>1</unit><bid>564", "<unit>100</unit><bid>56400")
            .replace("<ask>568<", "<ask>56800<")
            .replace("2026-12-07", "07/12/2026");
        let q = quote(&odd).unwrap();
        assert_eq!(q.date, "2026-12-07");
        assert_eq!(q.rates[0], (Currency::Khr, 176_678));
        let j =
            quote(r#"{"date":"2026-12-06","cny_per_unit":{"USD":7.08,"KHR":"0.001725"}}"#).unwrap();
        assert_eq!(
            j.rates,
            vec![(Currency::Khr, 172_500), (Currency::Usd, 708_000_000)]
        );
    }

    #[test]
    fn broken_zero_and_implausible_answers_are_refused() {
        for body in [
            "<html><body>Service unavailable</body></html>",
            "<ExchangeRate><ex><key>USD/KHR</key>",
            &NBC.replace("<average>566</average>", "<average>0</average>")
                .replace("<bid>564</bid><ask>568</ask>", ""),
            &NBC.replace("CNY/KHR", "EUR/KHR"),
            &NBC.replace("<average>4020</average>", "<average>402000</average>"),
            &NBC.replace("2026-12-07", "soon"),
            "",
            "{}",
            r#"{"date":"2026-12-06","cny_per_unit":{"USD":0}}"#,
        ] {
            assert!(quote(body).is_err(), "{body}");
        }
    }
}
