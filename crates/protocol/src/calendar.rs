//! The merchant's business day: local dates of Cambodia (UTC+7) and China (UTC+8), shared so the
//! app and the server agree on what "today" is for a merchant.

use crate::Country;

const DAY_MS: i64 = 86_400_000;

/// The merchant's offset from UTC in ms (neither country observes daylight saving).
pub const fn utc_offset_ms(country: Country) -> i64 {
    match country {
        Country::KH => 7 * 3_600_000,
        Country::CN => 8 * 3_600_000,
    }
}

/// Local day index (days since 1970-01-01) of an instant in epoch ms.
pub const fn local_day(epoch_ms: i64, country: Country) -> i64 {
    (epoch_ms + utc_offset_ms(country)).div_euclid(DAY_MS)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub const fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of a day index.
pub fn civil_from_days(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_days_start_at_local_midnight() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(days_from_civil(2026, 11, 25), 20_782);
        assert_eq!(civil_from_days(20_782), "2026-11-25");
        assert_eq!(civil_from_days(days_from_civil(2028, 2, 29)), "2028-02-29");
        // 2026-11-24T17:00Z is midnight in Phnom Penh but still the 24th in Beijing until 16:00Z.
        let at = days_from_civil(2026, 11, 24) * DAY_MS + 17 * 3_600_000;
        assert_eq!(civil_from_days(local_day(at, Country::KH)), "2026-11-25");
        assert_eq!(civil_from_days(local_day(at, Country::CN)), "2026-11-25");
        assert_eq!(
            civil_from_days(local_day(at - 1, Country::KH)),
            "2026-11-24"
        );
    }
}
