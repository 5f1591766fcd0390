//! Reference rates and the yuan estimate a payer sees before paying: display only, never a
//! QR's amount. A rate is used with the date its source states; one older than 3 days is marked
//! stale; a fetched rate more than 10% from the one in use waits for the owner.

use khqr::{Currency, Money};

use crate::api;
use crate::api::calendar::{civil_from_days, days_from_civil};

/// A rate older than this many days is shown as such.
pub const STALE_DAYS: i64 = 3;

/// A reference rate: yuan per unit of `currency`, in units of 10⁻⁸.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FxRow {
    /// KHR or USD
    pub currency: khqr::Currency,
    /// yuan per unit × 10⁸
    pub cny_e8: u64,
    /// where it came from
    pub source: api::RateSource,
    /// the date the source states
    pub rate_date: String,
    /// when taken, epoch ms
    pub fetched_at: i64,
}

/// A merchant's rates: the one in use per currency, and the latest fetched.
#[derive(Debug, Clone, Default)]
pub struct FxState {
    /// in use (the merchant's own row, else the server's baseline)
    pub used: Vec<FxRow>,
    /// the latest fetched per currency
    pub latest: Vec<FxRow>,
}

/// Day index of `YYYY-MM-DD`.
pub fn day_of(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == date).then_some(days)
}

/// Whether a rate dated `date` is older than `STALE_DAYS` at `now_ms` (an unreadable date is).
pub fn is_stale(date: &str, now_ms: i64) -> bool {
    let today = now_ms.div_euclid(86_400_000);
    day_of(date).is_none_or(|d| today - d > STALE_DAYS)
}

/// Whether `new` is more than 10% away from `old`.
pub fn is_jump(old: u64, new: u64) -> bool {
    u128::from(old.abs_diff(new)) * 10 > u128::from(old)
}

/// A rate for the wire.
pub fn view(r: &FxRow, now_ms: i64) -> api::FxRateView {
    api::FxRateView {
        currency: r.currency,
        cny_per_unit: api::rate_text(r.cny_e8),
        source: r.source,
        date: r.rate_date.clone(),
        fetched_at_ms: r.fetched_at,
        stale: is_stale(&r.rate_date, now_ms),
    }
}

/// The fetched rates that wait for the owner: each latest rate more than 10% from the fetched
/// rate in use (an owner's own rate hides the fetched one).
pub fn pending(state: &FxState) -> Vec<&FxRow> {
    state
        .latest
        .iter()
        .filter(|l| {
            state.used.iter().any(|u| {
                u.currency == l.currency
                    && u.source != api::RateSource::Owner
                    && is_jump(u.cny_e8, l.cny_e8)
            })
        })
        .collect()
}

/// About how many yuan `money` is, from the rate in use for its currency; none for yuan or
/// without a rate.
pub fn estimate(money: &Money, used: &[FxRow], now_ms: i64) -> Option<api::CnyEstimate> {
    if money.currency == Currency::Cny {
        return None;
    }
    let r = used.iter().find(|r| r.currency == money.currency)?;
    Some(api::CnyEstimate {
        amount: api::cny_amount(money, r.cny_e8),
        rate: api::rate_text(r.cny_e8),
        source: r.source,
        date: r.rate_date.clone(),
        stale: is_stale(&r.rate_date, now_ms),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(currency: Currency, rate: &str, source: api::RateSource, date: &str) -> FxRow {
        FxRow {
            currency,
            cny_e8: api::parse_rate(rate).unwrap(),
            source,
            rate_date: date.into(),
            fetched_at: 0,
        }
    }

    const DEC_7: i64 = 1_796_601_600_000; // 2026-12-07T00:00Z

    #[test]
    fn an_estimate_uses_the_rate_of_the_charge_currency_and_says_how_old_it_is() {
        let used = [
            row(Currency::Usd, "7.08", api::RateSource::Nbc, "2026-12-07"),
            row(
                Currency::Khr,
                "0.001775",
                api::RateSource::Owner,
                "2026-12-01",
            ),
        ];
        let usd = Money::parse("3.00", Currency::Usd).unwrap();
        let e = estimate(&usd, &used, DEC_7).unwrap();
        assert_eq!((e.amount.as_str(), e.stale), ("21.24", false));
        let khr = Money::parse("12000", Currency::Khr).unwrap();
        let e = estimate(&khr, &used, DEC_7).unwrap();
        assert_eq!((e.amount.as_str(), e.stale), ("21.30", true));
        let cny = Money::parse("10", Currency::Cny).unwrap();
        assert_eq!(estimate(&cny, &used, DEC_7), None);
        assert_eq!(estimate(&usd, &[], DEC_7), None);
    }

    #[test]
    fn a_jump_over_ten_percent_waits_unless_the_owner_set_the_rate() {
        assert!(!is_jump(700, 770));
        assert!(is_jump(700, 771));
        assert!(is_jump(700, 629));
        let latest = vec![row(Currency::Usd, "8", api::RateSource::Nbc, "2026-12-07")];
        let fetched = FxState {
            used: vec![row(Currency::Usd, "7", api::RateSource::Nbc, "2026-12-06")],
            latest: latest.clone(),
        };
        assert_eq!(pending(&fetched).len(), 1);
        let owned = FxState {
            used: vec![row(
                Currency::Usd,
                "7",
                api::RateSource::Owner,
                "2026-12-06",
            )],
            latest,
        };
        assert!(pending(&owned).is_empty());
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(day_of("2026-12-07"), Some(DEC_7 / 86_400_000));
        assert_eq!(day_of("2026-02-30"), None);
        assert!(is_stale("junk", DEC_7));
        assert!(!is_stale("2026-12-04", DEC_7));
        assert!(is_stale("2026-12-03", DEC_7));
    }
}
