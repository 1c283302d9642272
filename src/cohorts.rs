//! Cohort retention: customers grouped by the calendar month of their first purchase, and for
//! each month since, the share of the cohort who bought in that month and the revenue per
//! cohort customer, from each customer's purchases ([`History`]). A triangle of cells the page
//! draws as a heatmap with a table behind it; bounded by the number of months, not customers.

use crate::customers::Customers;
use crate::history::History;
use crate::money::MoneySum;
use crate::time::{day_to_date, Day};
use crate::{Error, Warning};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// Parameters of the cohort table.
///
/// ```
/// use clientele::cohorts::CohortParams;
/// assert!(CohortParams::default().check().is_ok());
/// assert!(CohortParams { months: 0 }.check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct CohortParams {
    /// The most recent cohorts shown (1..=240, default 24); older customers are counted in
    /// `earlier_customers`.
    pub months: u32,
}

impl Default for CohortParams {
    fn default() -> Self {
        CohortParams { months: 24 }
    }
}

impl CohortParams {
    /// Validates the parameters once, before any work; an error names the field.
    pub fn check(&self) -> Result<(), Error> {
        if !(1..=240).contains(&self.months) {
            return Err(Error::param(
                "months",
                format!("must be between 1 and 240 months (got {})", self.months),
            ));
        }
        Ok(())
    }
}

/// One cohort: its month and, per month since the first purchase (element 0 = the month of
/// the first purchase itself, always 1.0), the share still buying and the revenue per customer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub month: String,
    pub customers: usize,
    /// Customers of the cohort with a purchase in month `k` after the cohort's month.
    pub active: Vec<usize>,
    /// `active[k] / customers`.
    pub share: Vec<f64>,
    /// Money spent in month `k` by the cohort / customers; None (null) without amounts.
    pub revenue_per_customer: Option<Vec<f64>>,
}

/// The cohort section of the Report.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CohortReport {
    pub params: CohortParams,
    /// Oldest first; each cohort's vectors run to the month of the last day before the as-of date.
    pub cohorts: Vec<Cohort>,
    /// Customers who first bought before the oldest cohort shown.
    pub earlier_customers: usize,
    /// The last month is cut short by the as-of date (its figures are not a whole month).
    pub last_month_partial: bool,
    /// `cohorts_partial_month` (the last column is not a whole month).
    pub warnings: Vec<Warning>,
}

/// Months since year 0 of `day`.
fn month_index(day: Day) -> i32 {
    let d = day_to_date(day);
    d.year() * 12 + d.month0() as i32
}

/// The cohort table (see the module comment).
pub fn cohorts(
    customers: &Customers,
    history: &History,
    params: &CohortParams,
) -> Result<CohortReport, Error> {
    params.check()?;
    if history.len() != customers.len() || customers.is_empty() {
        return Err(Error::data(
            "cohorts",
            "the purchase history does not belong to these customers",
        ));
    }
    let last_month = month_index(history.end - 1);
    let first_month = customers
        .first_purchase
        .iter()
        .map(|&d| month_index(d))
        .min()
        .unwrap_or(last_month);
    let oldest = first_month.max(last_month - params.months as i32 + 1);
    let k = (last_month - oldest + 1) as usize;
    let mut size = vec![0usize; k];
    let mut active = vec![Vec::<usize>::new(); k];
    let mut revenue = vec![Vec::<MoneySum>::new(); k];
    for (c, a) in active.iter_mut().enumerate() {
        a.resize(k - c, 0);
        revenue[c].resize(k - c, MoneySum::default());
    }
    let mut earlier = 0;
    for r in 0..history.len() {
        let range = history.purchases(r);
        let Some(&first) = history.day.get(range.start) else {
            continue;
        };
        let cohort = month_index(first) - oldest;
        if cohort < 0 {
            earlier += 1;
            continue;
        }
        let c = cohort as usize;
        size[c] += 1;
        let mut last_counted = -1;
        for i in range {
            let m = month_index(history.day[i]) - oldest - cohort;
            if m != last_counted {
                active[c][m as usize] += 1;
                last_counted = m;
            }
            revenue[c][m as usize].add(history.amount[i]);
        }
    }
    let cohorts = (0..k)
        .filter(|&c| size[c] > 0)
        .map(|c| {
            let n = size[c] as f64;
            let m = oldest + c as i32;
            Cohort {
                month: format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1),
                customers: size[c],
                share: active[c].iter().map(|&a| a as f64 / n).collect(),
                active: active[c].clone(),
                revenue_per_customer: history
                    .has_amount
                    .then(|| revenue[c].iter().map(|s| s.value() / n).collect()),
            }
        })
        .collect();
    // The as-of date is the first of a month exactly when the last month is whole.
    let last_month_partial = day_to_date(history.end).day() != 1;
    let mut warnings = Vec::new();
    if last_month_partial {
        warnings.push(
            Warning::new(
                "cohorts_partial_month",
                format!(
                    "The last month runs only to {} (the day before the as-of date): its column is not a whole month.",
                    day_to_date(history.end - 1)
                ),
            )
            .with_param("last_day", day_to_date(history.end - 1).to_string()),
        );
    }
    Ok(CohortReport {
        params: params.clone(),
        cohorts,
        earlier_customers: earlier,
        last_month_partial,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::summarize;
    use crate::ingest::Transactions;
    use crate::time::date_to_day;
    use chrono::NaiveDate;

    fn day(s: &str) -> Day {
        date_to_day(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
    }

    fn setup(rows: &[(&str, &str, f64)], as_of: &str) -> (Customers, History) {
        let mut tx = Transactions {
            has_amount: true,
            ..Default::default()
        };
        for &(c, d, a) in rows {
            let id = match tx.customer_ids.iter().position(|x| x == c) {
                Some(i) => i,
                None => {
                    tx.customer_ids.push(c.into());
                    tx.customer_ids.len() - 1
                }
            };
            tx.customer.push(id as u32);
            tx.day.push(day(d));
            tx.amount.push(a);
        }
        let cust = summarize(&tx, NaiveDate::parse_from_str(as_of, "%Y-%m-%d").ok()).unwrap();
        let h = History::build(&tx, &cust).unwrap();
        (cust, h)
    }

    #[test]
    fn cohorts_count_buyers_and_revenue_per_month_since() {
        let (c, h) = setup(
            &[
                ("a", "2024-01-05", 10.0),
                ("a", "2024-01-20", 5.0),
                ("a", "2024-03-02", 7.0),
                ("b", "2024-01-31", 4.0),
                ("b", "2024-02-01", 6.0),
                ("c", "2024-02-10", 8.0),
                ("c", "2024-03-10", 1.0),
            ],
            "2024-03-15",
        );
        let r = cohorts(&c, &h, &CohortParams::default()).unwrap();
        assert_eq!(r.cohorts.len(), 2);
        let jan = &r.cohorts[0];
        assert_eq!((jan.month.as_str(), jan.customers), ("2024-01", 2));
        assert_eq!(jan.active, [2, 1, 1]);
        assert_eq!(jan.share, [1.0, 0.5, 0.5]);
        assert_eq!(
            jan.revenue_per_customer.as_deref(),
            Some([9.5, 3.0, 3.5].as_slice())
        );
        let feb = &r.cohorts[1];
        assert_eq!(
            (feb.month.as_str(), feb.active.as_slice()),
            ("2024-02", [1, 1].as_slice())
        );
        assert!(r.last_month_partial);
        assert_eq!(r.warnings[0].code, "cohorts_partial_month");
        // Only the last month shown: everyone else is earlier.
        let r = cohorts(&c, &h, &CohortParams { months: 1 }).unwrap();
        assert_eq!((r.cohorts.len(), r.earlier_customers), (0, 3));
        let r = cohorts(&c, &h, &CohortParams { months: 2 }).unwrap();
        assert_eq!((r.cohorts.len(), r.earlier_customers), (1, 2));
    }
}
