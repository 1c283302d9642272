//! Days: the one representation of a calendar date the analyses use. A [`Day`] counts days
//! since 1970-01-01 in the file's own local time (files carry no time zone the analyses could
//! trust, and purchases are counted per calendar day). Ingest turns dates into days; every
//! analysis, the Report and the CLI turn days back into dates here, so this module depends on
//! nothing else in the crate.

use chrono::{Datelike, NaiveDate};

/// Days since 1970-01-01 of a calendar date in the file's own local time.
pub type Day = i32;

/// 1970-01-01 counted from 0001-01-01 (chrono's "days from CE", where 0001-01-01 is day 1).
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// Converts a [`Day`] back to a calendar date (dates before chrono's range clamp to its minimum).
pub fn day_to_date(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + UNIX_EPOCH_FROM_CE).unwrap_or(NaiveDate::MIN)
}

/// Converts a calendar date to a [`Day`].
pub fn date_to_day(date: NaiveDate) -> Day {
    date.num_days_from_ce() - UNIX_EPOCH_FROM_CE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_around_the_epoch() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(date_to_day(epoch), 0);
        for day in [-719_162, -1, 0, 1, 10_000, 20_454, 2_932_896] {
            assert_eq!(date_to_day(day_to_date(day)), day, "{day}");
        }
        assert_eq!(day_to_date(19_723), NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    }
}
