//! Segment migration: the RFM segments of the same customers at an earlier as-of date (the
//! as-of date minus `days_before`, scored with the same RFM parameters on the purchases before
//! it, from [`History`]) against today's, as a transition matrix with customers and the
//! revenue each cell's customers spent between the two dates. Customers who had not bought
//! yet at the earlier date come from "not yet a customer". The page draws it as a matrix and a
//! Sankey; a cell's customers are paged from the Analysis handle ([`MigrationReport::from_segment`]).

use crate::customers::Customers;
use crate::history::History;
use crate::money::MoneySum;
use crate::rfm::{self, RfmParams, RfmReport};
use crate::time::{day_to_date, Day};
use crate::{Error, Warning};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Parameters of segment migration.
///
/// ```
/// use clientele::migration::MigrationParams;
/// assert!(MigrationParams::default().check().is_ok());
/// assert!(MigrationParams { days_before: 0 }.check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct MigrationParams {
    /// Days between the earlier as-of date and the as-of date (1..=3650, default 90).
    pub days_before: u32,
}

impl Default for MigrationParams {
    fn default() -> Self {
        MigrationParams { days_before: 90 }
    }
}

impl MigrationParams {
    /// Validates the parameters once, before any work; an error names the field.
    pub fn check(&self) -> Result<(), Error> {
        if !(1..=3650).contains(&self.days_before) {
            return Err(Error::param(
                "days_before",
                format!("must be between 1 and 3650 days (got {})", self.days_before),
            ));
        }
        Ok(())
    }
}

/// One cell of the transition matrix (only cells with customers are listed).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MigrationCell {
    /// Segment index (into `segments`) at the earlier date; None (null): not yet a customer.
    pub from: Option<u8>,
    /// Segment index today.
    pub to: u8,
    pub customers: usize,
    /// What these customers spent from the earlier date to the as-of date; None without amounts.
    pub revenue: Option<f64>,
}

/// The migration section of the Report.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct MigrationReport {
    pub params: MigrationParams,
    pub as_of: NaiveDate,
    pub earlier_as_of: NaiveDate,
    /// The segment names, in the RFM map's order (the indices of `from` and `to`).
    pub segments: Vec<String>,
    /// Non-empty cells, by `from` (not yet a customer last) then `to`.
    pub cells: Vec<MigrationCell>,
    /// Customers in the same segment at both dates, in another one, and new since.
    pub stayed: usize,
    pub moved: usize,
    pub new_customers: usize,
    /// Per customer (aligned with `customers.id`): the segment at the earlier date, None when
    /// not yet a customer. Kept out of the page's report; cells' customers are paged from it.
    pub from_segment: Vec<Option<u8>>,
    /// `migration_few_earlier` (fewer than 10 customers at the earlier date).
    pub warnings: Vec<Warning>,
}

/// The customers as they were before `cut`: those with a purchase before it, summarized from
/// their purchases before it; and each one's row in `customers`.
fn customers_before(customers: &Customers, history: &History, cut: Day) -> (Customers, Vec<usize>) {
    let mut out = Customers {
        as_of: day_to_date(cut),
        has_amount: customers.has_amount,
        ..Default::default()
    };
    let mut rows = Vec::new();
    let mut units: Vec<u32> = Vec::new();
    for r in 0..history.len() {
        let range = history.purchases(r);
        let k = history.day[range.clone()].partition_point(|&d| d < cut);
        if k == 0 {
            continue;
        }
        let lines = range.start..range.start + k;
        units.clear();
        units.extend_from_slice(&history.unit[lines.clone()]);
        units.sort_unstable();
        units.dedup();
        let mut spent = MoneySum::default();
        for i in lines.clone() {
            spent.add(history.amount[i]);
        }
        let (first, last) = (history.day[lines.start], history.day[lines.end - 1]);
        let frequency = units.len() as u32;
        let monetary = if customers.has_amount { spent.value() } else { 0.0 };
        // Scoring reads no id: empty ones cost no allocation at millions of customers.
        out.id.push(String::new());
        out.recency_days.push(cut - last);
        out.frequency.push(frequency);
        out.monetary.push(monetary);
        out.avg_order_value.push(monetary / frequency as f64);
        out.first_purchase.push(first);
        out.last_purchase.push(last);
        out.tenure_days.push(cut - first);
        rows.push(r);
    }
    (out, rows)
}

/// The transition matrix between the segments at `as_of − days_before` and `now` (today's RFM).
pub fn migration(
    customers: &Customers,
    history: &History,
    now: &RfmReport,
    rfm_params: &RfmParams,
    params: &MigrationParams,
) -> Result<MigrationReport, Error> {
    params.check()?;
    let n = customers.len();
    if history.len() != n || now.segment.len() != n {
        return Err(Error::data(
            "migration",
            "the purchase history does not belong to these customers",
        ));
    }
    let cut = history.end - params.days_before as Day;
    let (before, rows) = customers_before(customers, history, cut);
    if before.is_empty() {
        return Err(Error::data(
            "migration",
            format!(
                "no customer had bought before {} ({} days before the as-of date): choose a shorter span.",
                day_to_date(cut),
                params.days_before
            ),
        )
        .with_code("nobody_before")
        .with_param("cut", day_to_date(cut).to_string())
        .with_param("days", params.days_before));
    }
    let then = rfm::score(&before, rfm_params)?;
    let mut from_segment: Vec<Option<u8>> = vec![None; n];
    for (k, &r) in rows.iter().enumerate() {
        from_segment[r] = Some(then.segment[k]);
    }
    let s = now.segments.len();
    // Row s is "not yet a customer".
    let mut count = vec![0usize; (s + 1) * s];
    let mut revenue = vec![MoneySum::default(); (s + 1) * s];
    for (r, from) in from_segment.iter().enumerate() {
        let from = from.map_or(s, usize::from);
        let cell = from * s + usize::from(now.segment[r]);
        count[cell] += 1;
        let range = history.purchases(r);
        let k = history.day[range.clone()].partition_point(|&d| d < cut);
        for i in range.start + k..range.end {
            revenue[cell].add(history.amount[i]);
        }
    }
    let cells: Vec<MigrationCell> = (0..count.len())
        .filter(|&c| count[c] > 0)
        .map(|c| MigrationCell {
            from: (c / s < s).then_some((c / s) as u8),
            to: (c % s) as u8,
            customers: count[c],
            revenue: customers.has_amount.then(|| revenue[c].value()),
        })
        .collect();
    let stayed = (0..s).map(|i| count[i * s + i]).sum();
    let new_customers = n - rows.len();
    let mut warnings = Vec::new();
    if rows.len() < 10 {
        warnings.push(
            Warning::new(
                "migration_few_earlier",
                format!(
                    "Only {} bought before {}: their earlier segments rest on very few customers.",
                    crate::warning::count(rows.len() as u64, "customer had", "customers had"),
                    day_to_date(cut)
                ),
            )
            .with_param("customers", rows.len())
            .with_param("cut", day_to_date(cut).to_string()),
        );
    }
    Ok(MigrationReport {
        params: params.clone(),
        as_of: customers.as_of,
        earlier_as_of: day_to_date(cut),
        segments: now.segments.iter().map(|g| g.name.clone()).collect(),
        cells,
        stayed,
        moved: rows.len() - stayed,
        new_customers,
        from_segment,
        warnings,
    })
}

/// The rows (file order) of the customers in cell (`from`, `to`); `from` None: new customers.
pub fn cell_rows(report: &MigrationReport, now: &RfmReport, from: Option<u8>, to: u8) -> Vec<u32> {
    (0..report.from_segment.len())
        .filter(|&r| report.from_segment[r] == from && now.segment.get(r) == Some(&to))
        .map(|r| r as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(days: &[&[Day]]) -> (Customers, History, RfmReport) {
        let (cust, h) = crate::history::fixture(days);
        let rfm = rfm::score(&cust, &RfmParams::default()).unwrap();
        (cust, h, rfm)
    }

    #[test]
    fn cells_count_customers_and_revenue_between_the_dates() {
        let (c, h, now) = setup(&[
            &[100, 200, 300, 950],
            &[800, 850, 900],
            &[500],
            &[990],
            &[960, 970],
            &[700, 905],
        ]);
        let r = migration(&c, &h, &now, &RfmParams::default(), &MigrationParams::default()).unwrap();
        assert_eq!(r.earlier_as_of, day_to_date(910));
        assert_eq!(r.from_segment.iter().filter(|s| s.is_none()).count(), 2);
        assert_eq!((r.new_customers, r.stayed + r.moved), (2, 4));
        assert_eq!(r.cells.iter().map(|c| c.customers).sum::<usize>(), 6);
        // Revenue between the dates: customer 0's purchase on day 950 and the two new ones' 30.
        let total: f64 = r.cells.iter().filter_map(|c| c.revenue).sum();
        assert_eq!(total, 40.0);
        let new_cells: usize = r
            .cells
            .iter()
            .filter(|c| c.from.is_none())
            .map(|c| c.customers)
            .sum();
        assert_eq!(new_cells, 2);
        // A cell's rows are its customers.
        for cell in &r.cells {
            assert_eq!(cell_rows(&r, &now, cell.from, cell.to).len(), cell.customers);
        }
        assert_eq!(r.warnings[0].code, "migration_few_earlier");
        let far = MigrationParams { days_before: 950 };
        assert!(matches!(
            migration(&c, &h, &now, &RfmParams::default(), &far),
            Err(Error::Data { .. })
        ));
    }
}
