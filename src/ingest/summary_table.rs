//! Per-customer summaries (issue 19, `docs/summary-contract.md`): one row per customer with the
//! statistics every model needs at the as-of date, the propensity training cut and the
//! lifetime-value cut, as a warehouse (Spark, DuckDB) or `clientele summary` writes them. This
//! file holds the typed table ([`CustomerSummary`]), its column names, and the reader of its
//! text rows (recognised from the header; every bad value is an error naming row and column).
//! Computing a summary from transactions is `crate::summary`'s job.

use super::messages::msg;
use super::{Day, IngestError, IngestErrorKind, IngestOptions, QualityReport, TableKind};
use crate::time::{date_to_day, day_to_date};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The contract's version this reader and `crate::summary` write.
pub const SUMMARY_VERSION: u32 = 1;

/// The columns, in the order the core writes them (`docs/summary-contract.md`).
pub const SUMMARY_COLUMNS: [&str; 34] = [
    "summary_version",
    "customer_id",
    "as_of",
    "training_cut",
    "clv_cut",
    "frequency_unit",
    "first_purchase",
    "last_purchase",
    "previous_purchase",
    "orders",
    "purchase_days",
    "monetary",
    "repeat_purchases",
    "repeat_spend",
    "returned_amount",
    "orders_30d",
    "orders_90d",
    "orders_180d",
    "cut_last_purchase",
    "cut_previous_purchase",
    "cut_orders",
    "cut_purchase_days",
    "cut_monetary",
    "cut_returned_amount",
    "cut_orders_30d",
    "cut_orders_90d",
    "cut_orders_180d",
    "label",
    "clv_cut_purchase_days",
    "clv_cut_last_purchase",
    "clv_cut_repeat_spend",
    "holdout_purchase_days",
    "lifecycle_active_days",
    "reactivation_gap_days",
];

/// The columns whose presence makes a header a summary's.
pub const SUMMARY_KEY_COLUMNS: [&str; 6] = [
    "customer_id",
    "as_of",
    "first_purchase",
    "last_purchase",
    "orders",
    "purchase_days",
];

/// The windows of the windowed order counts, in days before a cut.
pub const ORDER_WINDOWS: [i32; 3] = [30, 90, 180];

/// A customer's purchases before one cut (the as-of date, or the training cut).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PurchaseWindow {
    /// Latest purchase day before the cut; None without a purchase before it.
    pub last: Option<Day>,
    /// The latest distinct purchase day before `last`.
    pub previous: Option<Day>,
    /// Distinct orders (distinct purchase days without an order column).
    pub orders: u32,
    pub purchase_days: u32,
    /// Exact sum of the purchase amounts (0 when the file has no amount).
    pub monetary: f64,
    /// Exact sum of the return magnitudes dated before the cut.
    pub returned: f64,
    /// Orders whose latest line is in the 30 / 90 / 180 days before the cut.
    pub orders_in: [u32; 3],
}

/// One customer's row of a summary, all days as [`Day`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SummaryRow {
    pub first_purchase: Day,
    /// Before the as-of date (`last` is always Some).
    pub now: PurchaseWindow,
    /// Sum of the amounts of purchase days after the first.
    pub repeat_spend: f64,
    /// Before the training cut (`orders` 0 when the customer first bought on or after it).
    pub cut: PurchaseWindow,
    /// Bought on a day in [training cut, as-of).
    pub label: bool,
    /// Distinct purchase days ≤ the CLV cut (0: not in the calibration cohort).
    pub clv_cut_purchase_days: u32,
    pub clv_cut_last_purchase: Option<Day>,
    pub clv_cut_repeat_spend: f64,
    /// Distinct purchase days in (CLV cut, as-of − 1].
    pub holdout_purchase_days: u32,
    /// Days from the purchase day before the first one inside the lifecycle active window
    /// (`CustomerSummary::lifecycle_active_days`) to that one; None when the customer bought
    /// nothing inside the window or nothing before it (`crate::lifecycle::reactivation_gap`).
    pub reactivation_gap_days: Option<u32>,
}

/// A per-customer summary: the rows (aligned with `id`) and what holds for the whole table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerSummary {
    pub as_of: NaiveDate,
    /// Propensity's training cut; None when the summary has no `cut_` columns.
    pub training_cut: Option<NaiveDate>,
    /// Lifetime value's calibration end (inclusive); None when the history was too short to
    /// compare the models or the summary has no `clv_cut_` columns.
    pub clv_cut: Option<NaiveDate>,
    /// `orders` counts order ids (else distinct purchase days).
    pub has_order: bool,
    /// The file had amounts (`monetary` not null).
    pub has_amount: bool,
    /// The file had returns at any date (`returned_amount` not null).
    pub has_returns: bool,
    /// The lifecycle active window `reactivation_gap_days` were measured over; None when the
    /// summary has no such columns (a warehouse's): lifecycle stages are then unknown.
    pub lifecycle_active_days: Option<u32>,
    pub id: Vec<String>,
    pub rows: Vec<SummaryRow>,
}

impl CustomerSummary {
    pub fn len(&self) -> usize {
        self.rows.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// True when `headers` name a summary's key columns (exact names, any case).
pub fn is_summary_header(headers: &[String]) -> bool {
    SUMMARY_KEY_COLUMNS
        .iter()
        .all(|k| headers.iter().any(|h| h.trim().eq_ignore_ascii_case(k)))
}

/// An ISO date, alone or starting a timestamp (`2024-01-05 00:00:00`, `2024-01-05T…`: a
/// warehouse may write dates as timestamps).
fn iso_date(text: &str) -> Option<NaiveDate> {
    let (date, rest) = text.split_at_checked(10)?;
    if !(rest.is_empty() || rest.starts_with([' ', 'T'])) {
        return None;
    }
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// What a cell is read as.
#[derive(Clone, Copy)]
enum Kind {
    Date,
    Count,
    Money,
}

/// Streams a summary's text rows into a [`CustomerSummary`].
pub struct SummaryReader {
    file: Option<String>,
    headers: Vec<String>,
    /// Column index by contract name.
    at: HashMap<&'static str, usize>,
    out: CustomerSummary,
    /// The constant columns as the first row gave them.
    constants: Vec<(&'static str, String)>,
    rows_read: u64,
}

impl SummaryReader {
    /// Checks the header: the key columns must be there; the `cut_` and `clv_cut_` groups may
    /// be absent as a whole (propensity, lifetime value are then unavailable).
    pub fn new(headers: &[String], options: &IngestOptions) -> Result<SummaryReader, IngestError> {
        let mut at = HashMap::new();
        for name in SUMMARY_COLUMNS {
            if let Some(i) = headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name)) {
                at.insert(name, i);
            }
        }
        let missing: Vec<&str> = SUMMARY_KEY_COLUMNS
            .iter()
            .copied()
            .filter(|k| !at.contains_key(k))
            .collect();
        if !missing.is_empty() {
            return Err(IngestError {
                file: options.file_name.clone(),
                row: Some(1),
                column: None,
                message: format!(
                    "a per-customer summary needs the columns {} (see docs/summary-contract.md); missing: {}",
                    SUMMARY_KEY_COLUMNS.join(", "),
                    missing.join(", ")
                ),
                kind: IngestErrorKind::InvalidOption,
            });
        }
        Ok(SummaryReader {
            file: options.file_name.clone(),
            headers: headers.to_vec(),
            at,
            out: CustomerSummary::default(),
            constants: Vec::new(),
            rows_read: 0,
        })
    }

    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    fn error(&self, row: u64, column: Option<&str>, message: String) -> IngestError {
        IngestError {
            file: self.file.clone(),
            row: Some(row),
            column: column.map(|c| {
                self.at
                    .get(c)
                    .and_then(|&i| self.headers.get(i).cloned())
                    .unwrap_or_else(|| c.to_string())
            }),
            message,
            kind: IngestErrorKind::Other,
        }
    }

    fn cell<'a>(&self, cells: &'a [String], name: &str) -> Option<&'a str> {
        let i = *self.at.get(name)?;
        let v = cells.get(i).map(|s| s.trim()).unwrap_or("");
        (!v.is_empty()).then_some(v)
    }

    fn value(
        &self,
        cells: &[String],
        row: u64,
        name: &'static str,
        kind: Kind,
    ) -> Result<Option<f64>, IngestError> {
        let Some(text) = self.cell(cells, name) else {
            return Ok(None);
        };
        let bad = |what: &str| self.error(row, Some(name), format!("expected {what}, found \"{text}\""));
        match kind {
            Kind::Date => iso_date(text)
                .map(|d| Some(f64::from(date_to_day(d))))
                .ok_or_else(|| bad("an ISO date like 2024-01-05")),
            Kind::Count => text
                .parse::<u32>()
                .map(|v| Some(f64::from(v)))
                .map_err(|_| bad("a whole number of at least 0")),
            Kind::Money => match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(Some(v)),
                _ => Err(bad("a number")),
            },
        }
    }

    fn day(&self, cells: &[String], row: u64, name: &'static str) -> Result<Option<Day>, IngestError> {
        Ok(self.value(cells, row, name, Kind::Date)?.map(|d| d as Day))
    }

    fn count(&self, cells: &[String], row: u64, name: &'static str) -> Result<u32, IngestError> {
        Ok(self.value(cells, row, name, Kind::Count)?.unwrap_or(0.0) as u32)
    }

    fn required_day(&self, cells: &[String], row: u64, name: &'static str) -> Result<Day, IngestError> {
        self.day(cells, row, name)?
            .ok_or_else(|| self.error(row, Some(name), "this date is required on every row".into()))
    }

    /// A money column that is null on every row or on none: the first row decides.
    fn money(
        &self,
        cells: &[String],
        row: u64,
        name: &'static str,
        known: Option<bool>,
    ) -> Result<(f64, bool), IngestError> {
        let v = self.value(cells, row, name, Kind::Money)?;
        if known.is_some_and(|k| k != v.is_some()) && self.at.contains_key(name) {
            return Err(self.error(
                row,
                Some(name),
                "empty on some rows and not on others: a money column is empty on every row (the file had no amounts, or no returns) or on none".into(),
            ));
        }
        Ok((v.unwrap_or(0.0), v.is_some()))
    }

    fn window(&self, cells: &[String], row: u64, prefix: bool) -> Result<PurchaseWindow, IngestError> {
        let n = |plain: &'static str, cut: &'static str| if prefix { cut } else { plain };
        let (monetary, has_amount) = self.money(cells, row, n("monetary", "cut_monetary"), self.known(0))?;
        let (returned, _) = self.money(
            cells,
            row,
            n("returned_amount", "cut_returned_amount"),
            self.known(1).map(|r| r && has_amount),
        )?;
        Ok(PurchaseWindow {
            last: self.day(cells, row, n("last_purchase", "cut_last_purchase"))?,
            previous: self.day(cells, row, n("previous_purchase", "cut_previous_purchase"))?,
            orders: self.count(cells, row, n("orders", "cut_orders"))?,
            purchase_days: self.count(cells, row, n("purchase_days", "cut_purchase_days"))?,
            monetary,
            returned,
            orders_in: [
                self.count(cells, row, n("orders_30d", "cut_orders_30d"))?,
                self.count(cells, row, n("orders_90d", "cut_orders_90d"))?,
                self.count(cells, row, n("orders_180d", "cut_orders_180d"))?,
            ],
        })
    }

    /// Whether amounts (0) / returns (1) are known, once the first row has said.
    fn known(&self, which: usize) -> Option<bool> {
        (!self.out.rows.is_empty()).then(|| [self.out.has_amount, self.out.has_returns][which])
    }

    /// A column that must hold the same value on every row.
    fn constant(
        &mut self,
        cells: &[String],
        row: u64,
        name: &'static str,
    ) -> Result<Option<String>, IngestError> {
        let v = self.cell(cells, name).unwrap_or("").to_string();
        match self.constants.iter().find(|(n, _)| *n == name) {
            Some((_, first)) if *first != v => Err(self.error(
                row,
                Some(name),
                format!("\"{v}\" differs from \"{first}\" on the first row: a summary has one value here for every row (compute one summary per date)"),
            )),
            Some(_) => Ok((!v.is_empty()).then_some(v)),
            None => {
                self.constants.push((name, v.clone()));
                Ok((!v.is_empty()).then_some(v))
            }
        }
    }

    fn constants(&mut self, cells: &[String], row: u64) -> Result<(), IngestError> {
        if let Some(v) = self.constant(cells, row, "summary_version")? {
            if v.parse::<u32>() != Ok(SUMMARY_VERSION) {
                return Err(self.error(
                    row,
                    Some("summary_version"),
                    format!("this reader knows summary version {SUMMARY_VERSION}, not \"{v}\""),
                ));
            }
        }
        let date = |s: &mut Self, name: &'static str| -> Result<Option<NaiveDate>, IngestError> {
            match s.constant(cells, row, name)? {
                Some(v) => iso_date(&v).map(Some).ok_or_else(|| {
                    s.error(
                        row,
                        Some(name),
                        format!("expected an ISO date like 2024-01-05, found \"{v}\""),
                    )
                }),
                None => Ok(None),
            }
        };
        let as_of = date(self, "as_of")?.ok_or_else(|| {
            self.error(
                row,
                Some("as_of"),
                "the as-of date is required on every row".into(),
            )
        })?;
        let training_cut = date(self, "training_cut")?;
        let clv_cut = date(self, "clv_cut")?;
        let unit = self.constant(cells, row, "frequency_unit")?;
        let has_order = match unit.as_deref() {
            None | Some("orders") => true,
            Some("purchase_days") => false,
            Some(v) => {
                return Err(self.error(
                    row,
                    Some("frequency_unit"),
                    format!("expected \"orders\" or \"purchase_days\", found \"{v}\""),
                ))
            }
        };
        self.out.as_of = as_of;
        self.out.training_cut = training_cut.filter(|_| self.at.contains_key("cut_orders"));
        self.out.clv_cut = clv_cut.filter(|_| self.at.contains_key("clv_cut_purchase_days"));
        self.out.has_order = has_order;
        self.out.lifecycle_active_days = match self.constant(cells, row, "lifecycle_active_days")? {
            Some(v) => Some(v.parse::<u32>().map_err(|_| {
                self.error(
                    row,
                    Some("lifecycle_active_days"),
                    format!("expected a whole number of days, found \"{v}\""),
                )
            })?),
            None => None,
        }
        .filter(|_| self.at.contains_key("reactivation_gap_days"));
        Ok(())
    }

    /// One data row (`row`: its 1-based number in the file, header = 1).
    pub fn push(&mut self, row: u64, cells: &[String]) -> Result<(), IngestError> {
        self.rows_read += 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        self.constants(cells, row)?;
        let id = self
            .cell(cells, "customer_id")
            .ok_or_else(|| self.error(row, Some("customer_id"), "the customer id is empty".into()))?
            .to_string();
        let mut now = self.window(cells, row, false)?;
        let first = self.out.rows.is_empty();
        if first {
            self.out.has_amount = self.cell(cells, "monetary").is_some();
            self.out.has_returns = self.out.has_amount && self.cell(cells, "returned_amount").is_some();
        }
        let first_purchase = self.required_day(cells, row, "first_purchase")?;
        now.last = Some(self.required_day(cells, row, "last_purchase")?);
        if now.orders == 0 || now.purchase_days == 0 {
            return Err(self.error(
                row,
                Some("orders"),
                "a customer in a summary has at least one order and one purchase day".into(),
            ));
        }
        let cut = if self.out.training_cut.is_some() {
            self.window(cells, row, true)?
        } else {
            PurchaseWindow::default()
        };
        let training_cut = self.out.training_cut.map(date_to_day);
        let label = match self.cell(cells, "label").map(str::to_ascii_lowercase).as_deref() {
            None | Some("false") | Some("0") => false,
            Some("true") | Some("1") => true,
            Some(v) => {
                return Err(self.error(
                    row,
                    Some("label"),
                    format!("expected true or false, found \"{v}\""),
                ))
            }
        };
        if let (Some(t), Some(last)) = (training_cut, now.last) {
            if self.at.contains_key("label") && label != (last >= t) {
                return Err(self.error(
                    row,
                    Some("label"),
                    format!("\"{label}\" disagrees with last_purchase: the label is true exactly when the last purchase is on or after training_cut"),
                ));
            }
        }
        let (repeat_spend, _) = self.money(cells, row, "repeat_spend", Some(self.out.has_amount))?;
        let (clv_cut_repeat_spend, _) = self.money(
            cells,
            row,
            "clv_cut_repeat_spend",
            self.out.clv_cut.map(|_| self.out.has_amount),
        )?;
        if let Some(r) = self.cell(cells, "repeat_purchases") {
            if r.parse::<u32>().ok() != Some(now.purchase_days - 1) {
                return Err(self.error(
                    row,
                    Some("repeat_purchases"),
                    format!("\"{r}\" is not purchase_days − 1 ({})", now.purchase_days - 1),
                ));
            }
        }
        self.out.rows.push(SummaryRow {
            first_purchase,
            now,
            repeat_spend,
            cut,
            label,
            clv_cut_purchase_days: self.count(cells, row, "clv_cut_purchase_days")?,
            clv_cut_last_purchase: self.day(cells, row, "clv_cut_last_purchase")?,
            clv_cut_repeat_spend,
            holdout_purchase_days: self.count(cells, row, "holdout_purchase_days")?,
            reactivation_gap_days: self
                .value(cells, row, "reactivation_gap_days", Kind::Count)?
                .map(|v| v as u32),
        });
        self.out.id.push(id);
        Ok(())
    }

    /// The summary and its quality report (rows read and used, the dates, what the columns are).
    pub fn finish(self, mut quality: QualityReport) -> Result<(CustomerSummary, QualityReport), IngestError> {
        if self.out.is_empty() {
            return Err(IngestError {
                file: self.file.clone(),
                row: None,
                column: None,
                message: "the summary has a header and no customer rows".into(),
                kind: IngestErrorKind::HeaderOnly,
            });
        }
        let out = self.out;
        quality.table = TableKind::Summary;
        quality.rows_read = self.rows_read;
        quality.rows_used = out.len() as u64;
        quality.first_date = out.rows.iter().map(|r| r.first_purchase).min().map(day_to_date);
        quality.last_date = out.rows.iter().filter_map(|r| r.now.last).max().map(day_to_date);
        quality.frequency_unit = if out.has_order { "orders" } else { "purchase_days" }.into();
        quality.as_of_from_file = Some(out.as_of);
        let unused: Vec<&str> = self
            .headers
            .iter()
            .filter(|h| !SUMMARY_COLUMNS.iter().any(|c| h.trim().eq_ignore_ascii_case(c)))
            .map(String::as_str)
            .collect();
        quality.warnings.insert(
            0,
            msg(
                "summary_table",
                format!(
                    "This file is a per-customer summary (docs/summary-contract.md) as of {}: RFM, clusters, propensity and lifetime value run on it; lifecycle, cohorts, migration and cross-sell need the purchases themselves.",
                    out.as_of
                ),
            )
            .with_param("as_of", out.as_of.to_string()),
        );
        if !unused.is_empty() {
            let columns = unused.join("\", \"");
            quality.warnings.push(
                msg(
                    "summary_unused_columns",
                    format!("Columns not in the summary contract, not used: \"{columns}\"."),
                )
                .with_param("columns", columns),
            );
        }
        Ok((out, quality))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(line: &str) -> Vec<String> {
        line.split(',').map(String::from).collect()
    }

    fn reader(header: &str) -> SummaryReader {
        let options = IngestOptions {
            file_name: Some("s.csv".into()),
            ..Default::default()
        };
        SummaryReader::new(&cells(header), &options).unwrap()
    }

    const HEADER: &str = "summary_version,customer_id,as_of,first_purchase,last_purchase,previous_purchase,orders,purchase_days,monetary,repeat_spend";

    #[test]
    fn rows_read_with_nulls_for_what_the_file_did_not_have() {
        assert!(is_summary_header(&cells(HEADER)));
        assert!(!is_summary_header(&cells("customer_id,orders,monetary")));
        let mut r = reader(HEADER);
        r.push(
            2,
            &cells("1,a,2024-02-01,2024-01-01,2024-01-20,2024-01-05,3,3,30.5,20"),
        )
        .unwrap();
        r.push(3, &cells("1,b,2024-02-01,2024-01-10,2024-01-10,,1,1,7,0"))
            .unwrap();
        let (s, q) = r.finish(QualityReport::default()).unwrap();
        assert_eq!((s.id.len(), q.rows_used, q.table), (2, 2, TableKind::Summary));
        assert!(s.has_amount && !s.has_returns && s.training_cut.is_none() && s.clv_cut.is_none());
        assert_eq!(
            s.rows[0].now.previous,
            Some(date_to_day(NaiveDate::from_ymd_opt(2024, 1, 5).unwrap()))
        );
        assert_eq!((s.rows[0].now.monetary, s.rows[0].repeat_spend), (30.5, 20.0));
        assert_eq!(s.rows[1].now.previous, None);
    }

    #[test]
    fn bad_values_are_located() {
        let mut r = reader(HEADER);
        let e = r
            .push(2, &cells("1,a,2024-02-01,2024-01-01,01/20/2024,,3,3,30.5,20"))
            .unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("last_purchase")));
        let mut r = reader(HEADER);
        r.push(
            2,
            &cells("1,a,2024-02-01,2024-01-01,2024-01-20,2024-01-05,3,3,30.5,20"),
        )
        .unwrap();
        let e = r
            .push(3, &cells("1,b,2024-03-01,2024-01-10,2024-01-10,,1,1,7,0"))
            .unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("as_of")));
        let e = r
            .push(4, &cells("1,b,2024-02-01,2024-01-10,2024-01-10,,1,1,,0"))
            .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("monetary"));
        let e = r
            .push(5, &cells("2,b,2024-02-01,2024-01-10,2024-01-10,,1,1,7,0"))
            .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("summary_version"));
        let missing = SummaryReader::new(&cells("customer_id,as_of,orders"), &IngestOptions::default());
        assert!(missing
            .err()
            .unwrap()
            .message
            .contains("missing: first_purchase, last_purchase, purchase_days"));
    }
}
