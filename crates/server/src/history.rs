//! History queries: business days in the merchant's time zone, filters, and opaque keyset cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::api;
use crate::error::ApiError;

pub use api::calendar::{civil_from_days, days_from_civil, utc_offset_ms};

const DAY_MS: i64 = 86_400_000;

/// Parses `YYYY-MM-DD` into the day index, naming the field when it is not a real date.
pub fn parse_day(text: &str, field: &str) -> Result<i64, ApiError> {
    let bad = || ApiError::field(field, "a date like 2026-11-25");
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(2000..=2999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != format!("{y:04}-{m:02}-{d:02}") {
        return Err(bad());
    }
    Ok(days)
}

/// Query string of the history endpoints.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// first local day, inclusive
    pub from: Option<String>,
    /// last local day, inclusive
    pub to: Option<String>,
    /// bakong, unionpay, sandbox
    pub network: Option<String>,
    /// exact bill number
    pub bill_number: Option<String>,
    /// charge status
    pub status: Option<String>,
    /// terminal id
    pub terminal: Option<String>,
    /// payments only: `true` lists those that settled no charge (the review queue)
    pub unmatched: Option<bool>,
    /// page size (1–200, default 50)
    pub limit: Option<u32>,
    /// from a previous page's `next_cursor`
    pub cursor: Option<String>,
}

pub use crate::store::Range;

impl HistoryQuery {
    /// The range of local days, as epoch ms.
    pub fn range(&self, offset_ms: i64) -> Result<Range, ApiError> {
        let from = self
            .from
            .as_deref()
            .map(|d| parse_day(d, "from"))
            .transpose()?;
        let to = self.to.as_deref().map(|d| parse_day(d, "to")).transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(ApiError::field("to", "must not be before `from`"));
        }
        Ok(Range {
            from_ms: from.map(|d| d * DAY_MS - offset_ms),
            to_ms: to.map(|d| (d + 1) * DAY_MS - offset_ms),
        })
    }

    /// Page size.
    pub fn limit(&self) -> Result<u32, ApiError> {
        match self.limit {
            None => Ok(50),
            Some(n @ 1..=200) => Ok(n),
            Some(_) => Err(ApiError::field("limit", "between 1 and 200")),
        }
    }

    /// The decoded cursor: the (time, id) of the last item of the previous page.
    pub fn before(&self) -> Result<Option<(i64, String)>, ApiError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

/// An opaque cursor for the item at (time, id).
pub fn encode_cursor(at: i64, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{at}:{id}"))
}

fn decode_cursor(c: &str) -> Result<(i64, String), ApiError> {
    let bad = || ApiError::field("cursor", "not a cursor this server gave out");
    let raw = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let (at, id) = text.split_once(':').ok_or_else(bad)?;
    Ok((at.parse().map_err(|_| bad())?, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_and_refuse_impossible_days() {
        for d in ["2026-11-25", "2024-02-29", "2000-01-01", "2099-12-31"] {
            assert_eq!(civil_from_days(parse_day(d, "from").unwrap()), d);
        }
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "26-11-25",
            "2026-13-01",
            "2026-11",
            "yesterday",
            "2026-11-25-1",
        ] {
            assert!(parse_day(bad, "from").is_err(), "{bad}");
        }
        assert_eq!(
            parse_day("1970-01-02", "x").map_err(|_| ()),
            Err(()),
            "before 2000 is refused"
        );
    }

    #[test]
    fn a_phnom_penh_day_starts_at_17_00_utc_the_day_before() {
        let q = HistoryQuery {
            from: Some("2026-11-25".into()),
            to: Some("2026-11-25".into()),
            ..Default::default()
        };
        let r = q.range(utc_offset_ms(api::Country::KH)).unwrap();
        assert_eq!(
            crate::clock::rfc3339(r.from_ms.unwrap()),
            "2026-11-24T17:00:00Z"
        );
        assert_eq!(r.to_ms.unwrap() - r.from_ms.unwrap(), DAY_MS);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_field_error() {
        let c = encode_cursor(1_795_000_000_000, "abc-123");
        let q = HistoryQuery {
            cursor: Some(c),
            ..Default::default()
        };
        assert_eq!(
            q.before().unwrap(),
            Some((1_795_000_000_000, "abc-123".to_owned()))
        );
        let bad = HistoryQuery {
            cursor: Some("!!".into()),
            ..Default::default()
        };
        assert!(bad.before().is_err());
    }
}
