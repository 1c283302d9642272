//! The per-customer summary: from [`Transactions`] ([`summarize`]) or from the rows of a
//! customer-level table ([`from_customer_rows`]) to one row per customer (recency, frequency,
//! monetary, first and last purchase, tenure) at an as-of date. Ingest ends at rows; the as-of
//! date is applied here. Every analysis starts from this table; rows are aligned with
//! `Customers::id` everywhere in the Report.

use crate::ingest::messages::msg;
use crate::ingest::{
    set_apart_description, CustomerColumns, CustomerLevel, CustomerRows, CustomerSummary, IngestError,
    IngestErrorKind, IngestOptions, QualityReport, SkipReason, Transactions,
};
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
        return Err(
            Error::data("customers", format!("no purchases before the as-of date {as_of}"))
                .with_code("no_purchases_before_as_of")
                .with_param("as_of", as_of.to_string()),
        );
    }
    Ok(out)
}

/// The [`Customers`] of a per-customer summary (`docs/summary-contract.md`): the figures
/// [`summarize`] gives on the transactions the summary was computed from, at its as-of date.
pub fn from_summary(summary: &CustomerSummary) -> Customers {
    let cut = date_to_day(summary.as_of);
    let mut out = Customers {
        as_of: summary.as_of,
        has_amount: summary.has_amount,
        ..Default::default()
    };
    for (id, row) in summary.id.iter().zip(&summary.rows) {
        let last = row.now.last.unwrap_or(row.first_purchase);
        let (frequency, spent) = (row.now.orders, row.now.monetary);
        out.id.push(id.clone());
        out.recency_days.push(cut - last);
        out.frequency.push(frequency);
        out.monetary.push(spent);
        out.avg_order_value.push(spent / frequency as f64);
        out.first_purchase.push(row.first_purchase);
        out.last_purchase.push(last);
        out.tenure_days.push(cut - row.first_purchase);
    }
    out
}

/// Builds [`Customers`] from the rows of a customer-level table ([`CustomerLevel::finish`]),
/// measuring recency and tenure at `as_of`, and completes its quality report (rows used,
/// first and last dates, the as-of notes, the skips of rows that cannot be dated before it).
///
/// - `frequency` = the orders column; `monetary` = the total-spent column.
/// - `as_of` defaults to the date the file's own days column counts to
///   ([`CustomerRows::stated_as_of`]), else the day after the latest last-order date (the
///   latest first-order date when only days are given); without any date and no `as_of`
///   given, an error names the days column.
/// - Without a last-order date, `last_purchase` = `as_of` − days. Rows whose last order is on
///   or after `as_of` are skipped (`after_as_of`), as are rows whose date was set apart.
/// - Tenure from the first-order date when it is not after the last order, else = recency.
pub fn from_customer_rows(
    rows: CustomerRows,
    as_of: Option<NaiveDate>,
    mut quality: QualityReport,
) -> Result<(Customers, QualityReport), IngestError> {
    let columns = rows.columns;
    let header = |c: Option<usize>| c.and_then(|c| rows.headers.get(c).cloned());
    let mut as_of_notes = Vec::new();
    if let (Some(stated), Some(_)) = (rows.stated_as_of, columns.recency_days) {
        let days_name = header(columns.recency_days).unwrap_or_default();
        let last_name = header(columns.last_order).unwrap_or_default();
        let (file_date, n, of) = (stated.date, stated.agreeing, stated.stating);
        match as_of {
            Some(given) if given != file_date => as_of_notes.push(
                msg(
                    "as_of_differs",
                    format!(
                        "The file counts \"{days_name}\" to {file_date} (\"{last_name}\" + \"{days_name}\" gives that date on {n} of {of} rows), but the as-of date given is {given}: recency is measured to {given}, so it differs from the file's own \"{days_name}\" by {} days.",
                        (given - file_date).num_days()
                    ),
                )
                .with_param("days_column", days_name.as_str())
                .with_param("last_column", last_name.as_str())
                .with_param("file_date", file_date.to_string())
                .with_param("rows", n)
                .with_param("of", of)
                .with_param("as_of", given.to_string())
                .with_param("days", (given - file_date).num_days()),
            ),
            Some(_) => {}
            None => as_of_notes.push(
                msg(
                    "as_of_from_file",
                    format!(
                        "As-of date {file_date} taken from the file itself: \"{last_name}\" + \"{days_name}\" gives that date on {n} of {of} rows, so recency equals the file's own \"{days_name}\" (give an as-of date to measure to another day)."
                    ),
                )
                .with_param("days_column", days_name.as_str())
                .with_param("last_column", last_name.as_str())
                .with_param("file_date", file_date.to_string())
                .with_param("rows", n)
                .with_param("of", of),
            ),
        }
    }
    let as_of = match as_of.or(rows.stated_as_of.map(|s| s.date)) {
        Some(d) => d,
        None => {
            let latest = rows
                .last
                .iter()
                .flatten()
                .max()
                .or_else(|| rows.first.iter().flatten().max());
            match latest {
                Some(&d) => day_to_date(d + 1),
                None => {
                    return Err(IngestError {
                        file: quality.file_name.clone(),
                        row: None,
                        column: header(columns.recency_days),
                        message: "the table gives days since the last order but no dates: give the as-of date those days were counted to.".into(),
                        kind: IngestErrorKind::InvalidOption,
                    })
                }
            }
        }
    };
    let cut = date_to_day(as_of);
    let mut out = Customers {
        as_of,
        ..Default::default()
    };
    let (mut first_date, mut last_date): (Option<Day>, Option<Day>) = (None, None);
    for (k, id) in rows.id.into_iter().enumerate() {
        let row = rows.row[k];
        if let Some(reason) = rows.set_apart[k] {
            quality.add_skip(reason, set_apart_description(reason), row);
            continue;
        }
        let last = match (rows.last[k], rows.days_since_last[k]) {
            (Some(d), _) => d,
            (None, Some(days)) => cut - days,
            (None, None) => {
                quality.add_skip(SkipReason::BadDate, "the last-order date could not be read", row);
                continue;
            }
        };
        if last >= cut {
            quality.add_skip(
                SkipReason::AfterAsOf,
                "the last order is on or after the as-of date",
                row,
            );
            continue;
        }
        // A sign-up date after the last order is not a first order; fall back to the last order.
        let first = rows.first[k].filter(|&f| f <= last).unwrap_or(last);
        first_date = Some(first_date.map_or(first, |d| d.min(first)));
        last_date = Some(last_date.map_or(last, |d| d.max(last)));
        let (orders, spent) = (rows.orders[k], rows.spent[k]);
        out.id.push(id);
        out.recency_days.push(cut - last);
        out.frequency.push(orders);
        out.monetary.push(spent);
        out.avg_order_value.push(spent / orders as f64);
        out.first_purchase.push(first);
        out.last_purchase.push(last);
        out.tenure_days.push(cut - first);
    }
    if out.is_empty() {
        return Err(IngestError {
            file: quality.file_name.clone(),
            row: None,
            column: None,
            message: format!("none of the {} customer rows could be used (no orders, or missing figures): see the columns \"{}\".", quality.rows_read, rows.headers.join("\", \"")),
            kind: IngestErrorKind::NoUsableRows,
        });
    }
    quality.rows_used = out.len() as u64;
    let mut warnings = vec![msg(
        "customer_table",
        format!(
            "This file has one row per customer (a customer-level table), so it is scored as it is, as of {as_of}; propensity and lifetime value need the purchase history and are unavailable."
        ),
    )
    .with_param("as_of", as_of.to_string())];
    warnings.extend(as_of_notes);
    warnings.append(&mut quality.warnings);
    quality.warnings = warnings;
    quality.first_date = first_date.map(day_to_date);
    quality.last_date = last_date.map(day_to_date);
    if let Some(dates) = &mut quality.dates {
        dates.first = quality.first_date;
        dates.last = quality.last_date;
    }
    Ok((out, quality))
}

/// A customer-level table read by [`crate::ingest::read_table_from`], finished into rows
/// ([`CustomerLevel::finish`]) and measured at `as_of` ([`from_customer_rows`]).
pub fn from_level(
    level: CustomerLevel,
    as_of: Option<NaiveDate>,
    base: QualityReport,
) -> Result<(Customers, QualityReport), IngestError> {
    let (rows, quality) = level.finish(base)?;
    from_customer_rows(rows, as_of, quality)
}

/// Builds [`Customers`] from a customer-level table in memory (see
/// [`crate::ingest::detect_customer_table`]): [`CustomerLevel`] reads and dates the rows,
/// [`from_customer_rows`] measures them at `as_of`.
///
/// - `frequency` = the orders column; `monetary` = the total-spent column (a `frequency` /
///   `monetary` pair from an RFM summary is read as orders and total, not as repeat counts).
/// - Recency from the last-order date (`as_of` − date) or, without one, from the days column
///   (then `last_purchase` = `as_of` − days, and `as_of` must be given unless another date
///   column dates the table).
/// - `as_of` defaults to the day after the latest last-order date (the latest first-order date
///   when only days are given). Customers whose last order is on or after `as_of` are skipped.
/// - Tenure from the first-order / created-at date when the row has one, else = recency (the
///   table does not say when such a customer started; treating the last order as the first
///   keeps tenure ≥ recency).
/// - Rows with 0 orders ("no orders yet"), repeated ids (the first row is kept), and rows
///   with missing or unreadable figures are counted in the report, never silently dropped.
///
/// Row numbers in the report count the header as row 1.
pub fn customers_from_table(
    headers: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
    columns: &CustomerColumns,
    options: &IngestOptions,
    as_of: Option<NaiveDate>,
) -> Result<(Customers, QualityReport), IngestError> {
    let mut level = CustomerLevel::new(headers, *columns, options)?;
    for (i, r) in rows.into_iter().enumerate() {
        level.push(i as u64 + 2, &r);
    }
    let base = QualityReport {
        file_name: options.file_name.clone(),
        has_header: true,
        ..Default::default()
    };
    from_level(level, as_of, base)
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

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn days_column_needs_an_as_of_date() {
        let h = strings(&["customer", "recency", "frequency", "monetary"]);
        let c = crate::ingest::detect_customer_table(&h, &[]).unwrap();
        let rows = vec![strings(&["a", "3", "2", "10.5"]), strings(&["b", "0", "0", "0"])];
        let e = customers_from_table(&h, rows.clone(), &c, &IngestOptions::default(), None).unwrap_err();
        assert_eq!(e.kind, IngestErrorKind::InvalidOption);
        let as_of = NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
        let (cust, q) = customers_from_table(&h, rows, &c, &IngestOptions::default(), Some(as_of)).unwrap();
        assert_eq!(cust.recency_days, [3]);
        assert_eq!(cust.tenure_days, [3]);
        assert_eq!(
            day_to_date(cust.last_purchase[0]),
            NaiveDate::from_ymd_opt(2024, 1, 7).unwrap()
        );
        assert_eq!((q.rows_read, q.rows_used), (2, 1));
        assert_eq!(q.skipped[0].reason, SkipReason::NoOrders);
        assert_eq!(q.skipped[0].example_rows, [3]);
    }

    #[test]
    fn rfm_package_table_states_its_as_of_date() {
        let h = strings(&[
            "customer_id",
            "revenue",
            "most_recent_visit",
            "number_of_orders",
            "recency_days",
        ]);
        let c = crate::ingest::detect_customer_table(&h, &[]).unwrap();
        assert_eq!((c.last_order, c.recency_days), (Some(2), Some(4)));
        let rows = vec![
            strings(&["a", "777", "2006-05-14", "9", "232"]),
            strings(&["b", "1555", "2006-09-08", "16", "115"]),
        ];
        let (cust, q) = customers_from_table(&h, rows, &c, &IngestOptions::default(), None).unwrap();
        assert_eq!(q.as_of_from_file, NaiveDate::from_ymd_opt(2007, 1, 1));
        assert_eq!(cust.recency_days, [232, 115]);
        assert_eq!(q.columns[2].samples, ["2006-05-14", "2006-09-08"]);
        // Days that disagree with the dates state no as-of date.
        let rows = vec![
            strings(&["a", "777", "2006-05-14", "9", "10"]),
            strings(&["b", "1555", "2006-09-08", "16", "115"]),
        ];
        let (cust, q) = customers_from_table(&h, rows, &c, &IngestOptions::default(), None).unwrap();
        assert_eq!(q.as_of_from_file, None);
        assert_eq!(cust.as_of, NaiveDate::from_ymd_opt(2006, 9, 9).unwrap());
    }
}
