//! The model inputs per customer, as lifetimes `summary_data_from_transaction_data` and
//! `calibration_and_holdout_data` build them: purchases on the same day are merged into one,
//! x = purchase days − 1, t_x = last − first day, T = end − first day (end inclusive), mean
//! spend = mean of the per-day totals after the first day, all in days or weeks (= days / 7).

use crate::ingest::Transactions;
use crate::money::MoneySum;
use crate::time::Day;
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

/// Summarizes the purchases dated on or before `end` (inclusive, as lifetimes'
/// `observation_period_end`) for every transaction customer, indexed like `tx.customer_ids`.
pub fn repeat_summary(tx: &Transactions, end: Day, unit: TimeUnit) -> RepeatSummary {
    let n = tx.customer_ids.len();
    // Without an amount column there may be no amounts at all: spend is then 0, never read.
    let amount = |i: usize| tx.amount.get(i).copied().unwrap_or(0.0);
    let mut rows: Vec<(u32, Day, f64)> = tx
        .customer
        .iter()
        .zip(&tx.day)
        .enumerate()
        .filter(|(_, (_, &d))| d <= end)
        .map(|(i, (&c, &d))| (c, d, amount(i)))
        .collect();
    // Money is summed exactly (MoneySum), so the order of lines within a day does not matter.
    rows.sort_by_key(|&(c, d, _)| (c, d));
    let mut out = RepeatSummary {
        present: vec![false; n],
        x: vec![0.0; n],
        t_x: vec![0.0; n],
        t: vec![0.0; n],
        mean_spend: vec![0.0; n],
    };
    let unit_days = unit.days();
    let mut i = 0;
    while i < rows.len() {
        let c = rows[i].0;
        let first = rows[i].1;
        let mut last = first;
        let mut days = 0u32;
        let mut repeat_total = MoneySum::default();
        while i < rows.len() && rows[i].0 == c {
            let day = rows[i].1;
            let mut day_total = MoneySum::default();
            while i < rows.len() && rows[i].0 == c && rows[i].1 == day {
                day_total.add(rows[i].2);
                i += 1;
            }
            if days > 0 {
                repeat_total.merge(day_total);
            }
            days += 1;
            last = day;
        }
        if let Some(slot) = out.present.get_mut(c as usize) {
            let c = c as usize;
            *slot = true;
            out.x[c] = (days - 1) as f64;
            out.t_x[c] = (last - first) as f64 / unit_days;
            out.t[c] = (end - first) as f64 / unit_days;
            out.mean_spend[c] = if days > 1 {
                repeat_total.value() / (days - 1) as f64
            } else {
                0.0
            };
        }
    }
    out
}

/// Distinct purchase days per transaction customer in `after < day <= end` (the holdout count
/// of lifetimes `calibration_and_holdout_data`).
pub fn purchase_days_between(tx: &Transactions, after: Day, end: Day) -> Vec<f64> {
    let mut pairs: Vec<(u32, Day)> = tx
        .customer
        .iter()
        .zip(&tx.day)
        .filter(|(_, &d)| d > after && d <= end)
        .map(|(&c, &d)| (c, d))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = vec![0.0; tx.customer_ids.len()];
    for (c, _) in pairs {
        if let Some(v) = out.get_mut(c as usize) {
            *v += 1.0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx() -> Transactions {
        Transactions {
            customer_ids: vec!["a".into(), "b".into()],
            customer: vec![0, 0, 0, 1, 0, 0],
            day: vec![0, 0, 7, 3, 14, 30],
            amount: vec![10.0, 5.0, 20.0, 1.0, 40.0, 99.0],
            has_amount: true,
            ..Default::default()
        }
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
        let s = repeat_summary(&tx, 10, TimeUnit::Days);
        assert_eq!(s.mean_spend, vec![86.95, 86.95]);
        let bare = Transactions {
            amount: Vec::new(),
            has_amount: false,
            ..tx
        };
        let s = repeat_summary(&bare, 10, TimeUnit::Days);
        assert_eq!((s.x.clone(), s.mean_spend), (vec![1.0, 1.0], vec![0.0, 0.0]));
    }

    #[test]
    fn holdout_counts_distinct_days_after_the_cut() {
        assert_eq!(purchase_days_between(&tx(), 7, 30), vec![2.0, 0.0]);
        assert_eq!(purchase_days_between(&tx(), -1, 30), vec![4.0, 1.0]);
    }
}
