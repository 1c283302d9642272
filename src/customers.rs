//! The per-customer summary: from [`Transactions`] to one row per customer (recency,
//! frequency, monetary, first and last purchase, tenure) at an as-of date. Every analysis
//! starts from this table; rows are aligned with `Customers::id` everywhere in the Report.

use crate::ingest::{date_to_day, day_to_date, Day, Transactions};
use crate::Error;
use chrono::NaiveDate;
use std::collections::HashSet;

/// One row per customer with at least one purchase on or before the as-of date.
///
/// `frequency` counts distinct orders when the file has an order column, otherwise
/// distinct purchase days. `recency_days` = as-of − last purchase (so ≥ 1 with the default
/// as-of, the day after the last transaction). `tenure_days` = as-of − first purchase.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customers {
    /// The date every day-count is measured from.
    pub as_of: NaiveDate,
    /// Customer id as text.
    pub id: Vec<String>,
    /// Index of this customer in `Transactions::customer_ids`.
    pub tx_customer: Vec<u32>,
    pub recency_days: Vec<i32>,
    pub frequency: Vec<u32>,
    pub monetary: Vec<f64>,
    pub avg_order_value: Vec<f64>,
    pub first_purchase: Vec<Day>,
    pub last_purchase: Vec<Day>,
    pub tenure_days: Vec<i32>,
}

impl Customers {
    pub fn len(&self) -> usize {
        self.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// The default as-of date: the day after the last purchase.
pub fn default_as_of(tx: &Transactions) -> Option<NaiveDate> {
    tx.day.iter().max().map(|&d| day_to_date(d + 1))
}

/// Summarizes transactions strictly before `as_of` (defaults to the day after the last one).
///
/// Purchases dated on or after `as_of` are not counted (that is how a calibration cut is made).
pub fn summarize(tx: &Transactions, as_of: Option<NaiveDate>) -> Result<Customers, Error> {
    let as_of = match as_of.or_else(|| default_as_of(tx)) {
        Some(d) => d,
        None => return Err(Error::data("customers", "the file has no purchases to summarize")),
    };
    let cut = date_to_day(as_of);
    let n = tx.customer_ids.len();
    let mut first = vec![Day::MAX; n];
    let mut last = vec![Day::MIN; n];
    let mut monetary = vec![0.0f64; n];
    let mut seen_units: HashSet<(u32, u32)> = HashSet::new();
    let mut frequency = vec![0u32; n];
    for i in 0..tx.len() {
        let d = tx.day[i];
        if d >= cut {
            continue;
        }
        let c = tx.customer[i] as usize;
        first[c] = first[c].min(d);
        last[c] = last[c].max(d);
        monetary[c] += tx.amount[i];
        let unit = match &tx.order {
            Some(order) => order[i],
            None => d as u32,
        };
        if seen_units.insert((c as u32, unit)) {
            frequency[c] += 1;
        }
    }
    let mut out = Customers {
        as_of,
        ..Default::default()
    };
    for c in 0..n {
        if frequency[c] == 0 {
            continue;
        }
        out.id.push(tx.customer_ids[c].clone());
        out.tx_customer.push(c as u32);
        out.recency_days.push(cut - last[c]);
        out.frequency.push(frequency[c]);
        out.monetary.push(monetary[c]);
        out.avg_order_value.push(monetary[c] / frequency[c] as f64);
        out.first_purchase.push(first[c]);
        out.last_purchase.push(last[c]);
        out.tenure_days.push(cut - first[c]);
    }
    if out.is_empty() {
        return Err(Error::data(
            "customers",
            format!("no purchases before the as-of date {as_of}"),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        date_to_day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn sample() -> Transactions {
        Transactions {
            customer_ids: vec!["a".into(), "b".into(), "c".into()],
            customer: vec![0, 0, 1, 0, 2],
            day: vec![
                d("2024-01-01"),
                d("2024-01-01"),
                d("2024-01-03"),
                d("2024-01-10"),
                d("2024-02-01"),
            ],
            amount: vec![10.0, 5.0, 7.5, 20.0, 1.0],
            ..Default::default()
        }
    }

    #[test]
    fn frequency_is_distinct_days_without_orders() {
        let c = summarize(&sample(), None).unwrap();
        assert_eq!(c.as_of, NaiveDate::from_ymd_opt(2024, 2, 2).unwrap());
        assert_eq!(c.id, vec!["a", "b", "c"]);
        assert_eq!(c.frequency, vec![2, 1, 1]);
        assert_eq!(c.monetary, vec![35.0, 7.5, 1.0]);
        assert_eq!(c.recency_days, vec![23, 30, 1]);
        assert_eq!(c.tenure_days, vec![32, 30, 1]);
        assert_eq!(c.avg_order_value[0], 17.5);
    }

    #[test]
    fn frequency_is_distinct_orders_with_orders() {
        let mut tx = sample();
        tx.order = Some(vec![0, 1, 2, 3, 4]);
        let c = summarize(&tx, None).unwrap();
        assert_eq!(c.frequency, vec![3, 1, 1]);
    }

    #[test]
    fn as_of_cuts_later_purchases() {
        let c = summarize(&sample(), Some(NaiveDate::from_ymd_opt(2024, 1, 5).unwrap())).unwrap();
        assert_eq!(c.id, vec!["a", "b"]);
        assert_eq!(c.monetary, vec![15.0, 7.5]);
        assert_eq!(c.recency_days, vec![4, 2]);
    }

    #[test]
    fn empty_is_an_error_not_a_panic() {
        assert!(summarize(&Transactions::default(), None).is_err());
    }
}
