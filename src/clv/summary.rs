//! The model inputs per customer, as lifetimes `summary_data_from_transaction_data` and
//! `calibration_and_holdout_data` build them: purchases on the same day are merged into one,
//! x = purchase days − 1, t_x = last − first day, T = end − first day (end inclusive), mean
//! spend = mean of the per-day totals after the first day, all in days or weeks (= days / 7).

use crate::history::{History, Purchases};
use crate::ingest::CustomerSummary;
use crate::money::MoneySum;
use crate::time::{date_to_day, Day};
use serde::{Deserialize, Serialize};

/// Time unit of x / t_x / T and of the model's α.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Days,
    /// Days / 7 (lifetimes `freq='D', freq_multiplier=7`, as in the BG/NBD paper): purchases on
    /// the same day are merged, purchases in the same week are not.
    #[default]
    Weeks,
}

impl TimeUnit {
    /// Length of one unit in days.
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }

    /// Units per month in the CLV sum (lifetimes' factors: 30 days, 4.345 weeks).
    pub fn per_month(self) -> f64 {
        match self {
            TimeUnit::Days => 30.0,
            TimeUnit::Weeks => 4.345,
        }
    }
}

/// Model inputs for a set of customers (one entry per customer; `present` is false for a
/// customer without any purchase in the window, whose other fields are then zero).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepeatSummary {
    pub present: Vec<bool>,
    /// Repeat purchases (purchase days − 1).
    pub x: Vec<f64>,
    /// Time from first to last purchase.
    pub t_x: Vec<f64>,
    /// Time from first purchase to the end of the window.
    pub t: Vec<f64>,
    /// Mean of the per-day purchase totals after the first day; 0 without repeat purchases.
    pub mean_spend: Vec<f64>,
}

impl RepeatSummary {
    /// `n` customers, none of them present yet.
    fn empty(n: usize) -> RepeatSummary {
        RepeatSummary {
            present: vec![false; n],
            x: vec![0.0; n],
            t_x: vec![0.0; n],
            t: vec![0.0; n],
            mean_spend: vec![0.0; n],
        }
    }
}

/// One customer's purchase days on or before an end day: the first and last, how many, and the
/// exact total of the days after the first (what a summary's CLV columns hold).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepeatWindow {
    pub first: Day,
    pub last: Day,
    pub days: u32,
    pub repeat_total: f64,
}

/// [`RepeatWindow`] of history row `c` up to `end` (inclusive); None without a purchase by then.
pub fn repeat_window(history: &History, c: usize, end: Day) -> Option<RepeatWindow> {
    // Day-sorted: the purchases up to `end` are a prefix.
    let range = history.purchases(c);
    let upto = range.start + history.day[range.clone()].partition_point(|&d| d <= end);
    let (days_of, amounts) = (
        &history.day[range.start..upto],
        &history.amount[range.start..upto],
    );
    let &first = days_of.first()?;
    let mut last = first;
    let mut days = 0u32;
    let mut repeat_total = MoneySum::default();
    let mut i = 0;
    while i < days_of.len() {
        let day = days_of[i];
        // Money is summed exactly (MoneySum), so the order of lines within a day does not matter.
        let mut day_total = MoneySum::default();
        while i < days_of.len() && days_of[i] == day {
            day_total.add(amounts[i]);
            i += 1;
        }
        if days > 0 {
            repeat_total.merge(day_total);
        }
        days += 1;
        last = day;
    }
    Some(RepeatWindow {
        first,
        last,
        days,
        repeat_total: repeat_total.value(),
    })
}

/// The [`RepeatWindow`] a summary holds for `end`: the day before its as-of date or its CLV
/// cut; `Err` with the reason for any other day.
fn summary_window(summary: &CustomerSummary, c: usize, end: Day) -> Result<Option<RepeatWindow>, String> {
    let row = &summary.rows[c];
    if end == date_to_day(summary.as_of) - 1 {
        return Ok(Some(RepeatWindow {
            first: row.first_purchase,
            last: row.now.last.unwrap_or(row.first_purchase),
            days: row.now.purchase_days,
            repeat_total: row.repeat_spend,
        }));
    }
    if summary.clv_cut.map(date_to_day) == Some(end) {
        return Ok((row.clv_cut_purchase_days > 0).then(|| RepeatWindow {
            first: row.first_purchase,
            last: row.clv_cut_last_purchase.unwrap_or(row.first_purchase),
            days: row.clv_cut_purchase_days,
            repeat_total: row.clv_cut_repeat_spend,
        }));
    }
    Err(summary_cut_message(summary, end))
}

/// Why a summary cannot answer for the window ending on `end`.
pub(super) fn summary_cut_message(summary: &CustomerSummary, end: Day) -> String {
    let cut = match summary.clv_cut {
        Some(c) => format!("at its CLV cut {c}"),
        None => "with no CLV cut".to_string(),
    };
    format!(
        "this summary holds the purchases up to {} and {cut}, but the lifetime-value options need them up to {}: compute the summary with these options (clientele summary with the same --calibration-end / --holdout-days), or use the summary's",
        crate::time::day_to_date(date_to_day(summary.as_of) - 1),
        crate::time::day_to_date(end)
    )
}

/// [`repeat_summary`] from the purchases or a summary (which answers for its own windows only).
pub fn repeat_summary_from(purchases: Purchases, end: Day, unit: TimeUnit) -> Result<RepeatSummary, String> {
    let summary = match purchases {
        Purchases::History(h) => return Ok(repeat_summary(h, end, unit)),
        Purchases::Summary(s) => s,
    };
    let n = summary.len();
    let mut out = RepeatSummary::empty(n);
    for c in 0..n {
        if let Some(w) = summary_window(summary, c, end)? {
            fill(&mut out, c, &w, end, unit);
        }
    }
    Ok(out)
}

/// Writes customer `c`'s model inputs from its window.
fn fill(out: &mut RepeatSummary, c: usize, w: &RepeatWindow, end: Day, unit: TimeUnit) {
    let unit_days = unit.days();
    out.present[c] = true;
    out.x[c] = (w.days - 1) as f64;
    out.t_x[c] = (w.last - w.first) as f64 / unit_days;
    out.t[c] = (end - w.first) as f64 / unit_days;
    out.mean_spend[c] = if w.days > 1 {
        w.repeat_total / (w.days - 1) as f64
    } else {
        0.0
    };
}

/// [`purchase_days_between`] from the purchases or a summary (which answers for its CLV cut to
/// the day before its as-of date only).
pub fn purchase_days_from(purchases: Purchases, after: Day, end: Day) -> Result<Vec<f64>, String> {
    match purchases {
        Purchases::History(h) => Ok(purchase_days_between(h, after, end)),
        Purchases::Summary(s) => {
            if s.clv_cut.map(date_to_day) != Some(after) || end != date_to_day(s.as_of) - 1 {
                return Err(summary_cut_message(s, after));
            }
            Ok(s.rows
                .iter()
                .map(|r| f64::from(r.holdout_purchase_days))
                .collect())
        }
    }
}

/// Summarizes the purchases dated on or before `end` (inclusive, as lifetimes'
/// `observation_period_end`) of every customer in the history, indexed like its `Customers`
/// rows.
pub fn repeat_summary(history: &History, end: Day, unit: TimeUnit) -> RepeatSummary {
    let n = history.len();
    let mut out = RepeatSummary::empty(n);
    for c in 0..n {
        if let Some(w) = repeat_window(history, c, end) {
            fill(&mut out, c, &w, end, unit);
        }
    }
    out
}

/// Distinct purchase days per customer in `after < day <= end` (the holdout count of lifetimes
/// `calibration_and_holdout_data`), indexed like the history's `Customers` rows.
pub fn purchase_days_between(history: &History, after: Day, end: Day) -> Vec<f64> {
    (0..history.len())
        .map(|c| {
            let days = &history.day[history.purchases(c)];
            let mut count = 0.0;
            let mut prev = None;
            for &d in days.iter().filter(|&&d| d > after && d <= end) {
                if prev != Some(d) {
                    count += 1.0;
                    prev = Some(d);
                }
            }
            count
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Transactions;

    fn history(tx: &Transactions) -> History {
        let customers = crate::customers::summarize(tx, None).unwrap();
        History::build(tx, &customers).unwrap()
    }

    fn tx() -> History {
        history(&Transactions {
            customer_ids: vec!["a".into(), "b".into()],
            customer: vec![0, 0, 0, 1, 0, 0],
            day: vec![0, 0, 7, 3, 14, 30],
            amount: vec![10.0, 5.0, 20.0, 1.0, 40.0, 99.0],
            has_amount: true,
            ..Default::default()
        })
    }

    #[test]
    fn same_day_merged_first_day_excluded_from_spend() {
        let s = repeat_summary(&tx(), 21, TimeUnit::Weeks);
        assert_eq!(s.present, vec![true, true]);
        assert_eq!(s.x, vec![2.0, 0.0]);
        assert_eq!(s.t_x, vec![2.0, 0.0]);
        assert_eq!(s.t, vec![3.0, 18.0 / 7.0]);
        assert_eq!(s.mean_spend, vec![30.0, 0.0]);
    }

    #[test]
    fn equal_cents_give_equal_mean_spend_and_no_amounts_are_fine() {
        // Two customers whose repeat days total 86.95 in different line orders.
        let tx = Transactions {
            customer_ids: vec!["a".into(), "b".into()],
            customer: vec![0, 0, 0, 0, 1, 1, 1, 1],
            day: vec![0, 5, 5, 5, 0, 5, 5, 5],
            amount: vec![1.0, 50.0, 36.9, 0.05, 1.0, 0.05, 36.9, 50.0],
            has_amount: true,
            ..Default::default()
        };
        let s = repeat_summary(&history(&tx), 10, TimeUnit::Days);
        assert_eq!(s.mean_spend, vec![86.95, 86.95]);
        let bare = Transactions {
            amount: vec![0.0; 8],
            has_amount: false,
            ..tx
        };
        let s = repeat_summary(&history(&bare), 10, TimeUnit::Days);
        assert_eq!((s.x.clone(), s.mean_spend), (vec![1.0, 1.0], vec![0.0, 0.0]));
    }

    #[test]
    fn holdout_counts_distinct_days_after_the_cut() {
        assert_eq!(purchase_days_between(&tx(), 7, 30), vec![2.0, 0.0]);
        assert_eq!(purchase_days_between(&tx(), -1, 30), vec![4.0, 1.0]);
    }
}
