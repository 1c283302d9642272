//! The per-customer summary: from [`Transactions`] to one row per customer (recency,
//! frequency, monetary, first and last purchase, tenure) at an as-of date. Every analysis
//! starts from this table; rows are aligned with `Customers::id` everywhere in the Report.

use crate::ingest::Transactions;
use crate::money::MoneySum;
use crate::time::{date_to_day, day_to_date, Day};
use crate::Error;
use chrono::NaiveDate;
use std::collections::HashSet;

/// One row per customer with at least one purchase on or before the as-of date.
///
/// `frequency` counts distinct orders when the file has an order column, otherwise
/// distinct purchase days. `recency_days` = as-of − last purchase (so ≥ 1 with the default
/// as-of, the day after the last transaction). `tenure_days` = as-of − first purchase.
/// `monetary` is the exact sum of the customer's purchase amounts ([`MoneySum`]: equal cents
/// are equal floats whatever the order of the lines); `avg_order_value` = monetary / frequency.
/// When `has_amount` is false both are 0 and mean "unknown", never "nothing spent".
#[derive(Debug, Clone, PartialEq)]
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
    /// False when the file has no amount (no amount column, no quantity × unit price):
    /// `monetary` and `avg_order_value` are then placeholders (0), not figures. Default true
    /// (a customer-level table always has a total spent). Analyses read this flag, never
    /// "all monetary values are 0", so a file whose amounts are all 0 is not taken for one
    /// without amounts.
    pub has_amount: bool,
}

impl Default for Customers {
    fn default() -> Self {
        Customers {
            as_of: NaiveDate::default(),
            id: Vec::new(),
            tx_customer: Vec::new(),
            recency_days: Vec::new(),
            frequency: Vec::new(),
            monetary: Vec::new(),
            avg_order_value: Vec::new(),
            first_purchase: Vec::new(),
            last_purchase: Vec::new(),
            tenure_days: Vec::new(),
            has_amount: true,
        }
    }
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
    let mut monetary = vec![MoneySum::default(); n];
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
        monetary[c].add(tx.amount[i]);
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
        has_amount: tx.has_amount,
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
        let spent = if tx.has_amount { monetary[c].value() } else { 0.0 };
        out.monetary.push(spent);
        out.avg_order_value.push(spent / frequency[c] as f64);
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
            has_amount: true,
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
    fn money_is_summed_exactly_and_unknown_is_flagged() {
        let mut tx = sample();
        // 50.00 + 36.95 in f64 is 86.94999999999999 in one order, 86.95 in the other.
        tx.amount = vec![50.0, 36.95, 36.95, 0.0, 1.0];
        tx.customer = vec![0, 0, 1, 1, 1];
        tx.customer_ids.truncate(2);
        let c = summarize(&tx, None).unwrap();
        assert_eq!(c.monetary, vec![86.95, 37.95]);
        assert!(c.has_amount);
        let mut reversed = tx.clone();
        reversed.amount.swap(0, 1);
        assert_eq!(summarize(&reversed, None).unwrap().monetary[0], 86.95);
        tx.has_amount = false;
        let c = summarize(&tx, None).unwrap();
        assert!(!c.has_amount);
        assert!(c.monetary.iter().all(|&m| m == 0.0));
        // A customer-level table always has a total spent: the default says so.
        assert!(Customers::default().has_amount);
    }

    #[test]
    fn empty_is_an_error_not_a_panic() {
        assert!(summarize(&Transactions::default(), None).is_err());
    }
}
