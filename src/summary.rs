//! The per-customer summary of issue 19 (`docs/summary-contract.md`): from transactions to one
//! row per customer holding the statistics RFM, clusters, propensity and lifetime value need at
//! the as-of date, the propensity training cut and the CLV cut ([`summarize`]), and that table
//! as CSV ([`write_csv`]). Read back through the ordinary entry point
//! ([`crate::ingest::read_table_from`] recognises its header), it gives the same figures as the
//! transactions. The windows are measured by the analyses' own code
//! ([`crate::propensity::window_before`], [`crate::clv::repeat_window`]), never a copy of it.

use crate::clv::{self, ClvParams};
use crate::customers::{self, Customers};
use crate::history::History;
use crate::ingest::{CustomerSummary, SummaryRow, Transactions, SUMMARY_COLUMNS, SUMMARY_VERSION};
use crate::lifecycle::{self, LifecycleParams};
use crate::propensity::{self, PropensityParams};
use crate::time::{date_to_day, day_to_date, Day};
use crate::Error;
use chrono::NaiveDate;

/// The dates a summary is computed at: the as-of date (default: the day after the last
/// purchase), the propensity horizon (training cut = as-of − horizon), the CLV options that
/// choose the CLV cut (`calibration_end`, `holdout_days`) and the lifecycle options that choose
/// the active window of `reactivation_gap_days` (by default the median-gap guess of the
/// lifecycle section on the same history).
#[derive(Debug, Clone, Default)]
pub struct SummaryParams {
    pub as_of: Option<NaiveDate>,
    pub propensity: PropensityParams,
    pub clv: ClvParams,
    pub lifecycle: LifecycleParams,
}

impl SummaryParams {
    /// The summary's dates and windows as a run with these options has them.
    pub fn of(options: &crate::report::AnalyzeOptions) -> SummaryParams {
        SummaryParams {
            as_of: options.as_of,
            propensity: options.propensity.clone(),
            clv: options.clv.clone(),
            lifecycle: options.lifecycle.clone(),
        }
    }
}

/// The summary of `tx` at the dates `params` give (see the contract for each column).
///
/// ```
/// use clientele::{ingest, summary};
/// let csv = "customer,date,amount\na,2024-01-01,10\na,2024-03-01,5\nb,2024-02-01,7\n";
/// let (tx, _) = ingest::read(csv.as_bytes(), &Default::default()).unwrap();
/// let s = summary::summarize(&tx, &summary::SummaryParams::default()).unwrap();
/// assert_eq!(s.id, ["a", "b"]);
/// assert_eq!((s.rows[0].now.purchase_days, s.rows[0].repeat_spend), (2, 5.0));
/// ```
pub fn summarize(tx: &Transactions, params: &SummaryParams) -> Result<CustomerSummary, Error> {
    params.propensity.check()?;
    let customers = customers::summarize(tx, params.as_of)?;
    let history = History::build(tx, &customers)?;
    from_history(&history, &customers, params)
}

/// The summary of `customers` and their purchase history (`History::build(tx, customers)`).
/// `params.as_of` is not read: the as-of date is the customers'.
pub fn from_history(
    history: &History,
    customers: &Customers,
    params: &SummaryParams,
) -> Result<CustomerSummary, Error> {
    let as_of = customers.as_of;
    let as_of_day = date_to_day(as_of);
    let cut = as_of_day - params.propensity.horizon_days as Day;
    let first_day = (0..history.len())
        .filter_map(|r| history.day[history.purchases(r)].first().copied())
        .min()
        .unwrap_or(as_of_day);
    let clv_cut = clv::summary_cut_day(&params.clv, first_day, as_of)?;
    let holdout = clv_cut.map(|c| clv::purchase_days_between(history, c, as_of_day - 1));
    params.lifecycle.check()?;
    let active_days = lifecycle::windows_of(history, &params.lifecycle).active_days;
    let mut out = CustomerSummary {
        as_of,
        training_cut: Some(day_to_date(cut)),
        clv_cut: clv_cut.map(day_to_date),
        has_order: history.has_order,
        has_amount: history.has_amount,
        has_returns: history.has_amount && history.has_returns,
        lifecycle_active_days: Some(active_days),
        id: Vec::with_capacity(history.len()),
        rows: Vec::with_capacity(history.len()),
    };
    let mut units = Vec::new();
    for r in 0..history.len() {
        let Some((first_purchase, now)) = propensity::window_before(history, r, as_of_day, &mut units) else {
            continue;
        };
        let before_cut = propensity::window_before(history, r, cut, &mut units).map(|w| w.1);
        let full = clv::repeat_window(history, r, as_of_day - 1);
        let at_clv_cut = clv_cut.and_then(|c| clv::repeat_window(history, r, c));
        out.rows.push(SummaryRow {
            first_purchase,
            now,
            repeat_spend: full.map_or(0.0, |w| w.repeat_total),
            cut: before_cut.unwrap_or_default(),
            label: now.last.is_some_and(|d| d >= cut),
            clv_cut_purchase_days: at_clv_cut.map_or(0, |w| w.days),
            clv_cut_last_purchase: at_clv_cut.map(|w| w.last),
            clv_cut_repeat_spend: at_clv_cut.map_or(0.0, |w| w.repeat_total),
            holdout_purchase_days: holdout.as_ref().map_or(0, |h| h[r] as u32),
            reactivation_gap_days: lifecycle::reactivation_gap(history, r, active_days),
        });
        out.id.push(customers.id[r].clone());
    }
    Ok(out)
}

/// The summary as CSV, the contract's columns in its order (UTF-8, comma, a header row; empty
/// cells for nulls; money as the shortest decimal that reads back to the same `f64`).
pub fn write_csv<W: std::io::Write>(summary: &CustomerSummary, out: W) -> Result<(), Error> {
    let io = |e: csv::Error| Error::data("summary", format!("the summary could not be written: {e}"));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(SUMMARY_COLUMNS).map_err(io)?;
    let mut cells: Vec<String> = Vec::with_capacity(SUMMARY_COLUMNS.len());
    for (id, row) in summary.id.iter().zip(&summary.rows) {
        cells.clear();
        row_cells(summary, id, row, &mut cells);
        w.write_record(&cells).map_err(io)?;
    }
    w.flush()
        .map_err(|e| Error::data("summary", format!("the summary could not be written: {e}")))
}

fn date(d: Option<Day>) -> String {
    d.map(|d| day_to_date(d).to_string()).unwrap_or_default()
}

fn row_cells(s: &CustomerSummary, id: &str, row: &SummaryRow, cells: &mut Vec<String>) {
    let money = |v: f64, known: bool| if known { v.to_string() } else { String::new() };
    let clv = s.clv_cut.is_some();
    cells.push(SUMMARY_VERSION.to_string());
    cells.push(id.to_string());
    cells.push(s.as_of.to_string());
    cells.push(s.training_cut.map(|d| d.to_string()).unwrap_or_default());
    cells.push(s.clv_cut.map(|d| d.to_string()).unwrap_or_default());
    cells.push(if s.has_order { "orders" } else { "purchase_days" }.into());
    cells.push(date(Some(row.first_purchase)));
    cells.push(date(row.now.last));
    cells.push(date(row.now.previous));
    cells.push(row.now.orders.to_string());
    cells.push(row.now.purchase_days.to_string());
    cells.push(money(row.now.monetary, s.has_amount));
    cells.push(row.now.purchase_days.saturating_sub(1).to_string());
    cells.push(money(row.repeat_spend, s.has_amount));
    cells.push(money(row.now.returned, s.has_returns));
    cells.extend(row.now.orders_in.iter().map(u32::to_string));
    cells.push(date(row.cut.last));
    cells.push(date(row.cut.previous));
    cells.push(row.cut.orders.to_string());
    cells.push(row.cut.purchase_days.to_string());
    cells.push(money(row.cut.monetary, s.has_amount));
    cells.push(money(row.cut.returned, s.has_returns));
    cells.extend(row.cut.orders_in.iter().map(u32::to_string));
    cells.push(row.label.to_string());
    cells.push(row.clv_cut_purchase_days.to_string());
    cells.push(date(row.clv_cut_last_purchase.filter(|_| clv)));
    cells.push(money(row.clv_cut_repeat_spend, s.has_amount && clv));
    cells.push(row.holdout_purchase_days.to_string());
    let gaps = s.lifecycle_active_days.is_some();
    cells.push(s.lifecycle_active_days.map(|d| d.to_string()).unwrap_or_default());
    cells.push(
        row.reactivation_gap_days
            .filter(|_| gaps)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
}

/// What a summary column holds: its Parquet type, and the Python package's conversions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColumnType {
    Int,
    Date,
    Money,
    Text,
    Bool,
}

impl ColumnType {
    /// `int`, `date`, `money`, `text`, `bool`.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Int => "int",
            ColumnType::Date => "date",
            ColumnType::Money => "money",
            ColumnType::Text => "text",
            ColumnType::Bool => "bool",
        }
    }
}

/// The type of the contract's column `name` (an unknown name reads as `Int`).
pub fn column_type(name: &str) -> ColumnType {
    match name {
        "customer_id" | "frequency_unit" => ColumnType::Text,
        "label" => ColumnType::Bool,
        "monetary"
        | "repeat_spend"
        | "returned_amount"
        | "cut_monetary"
        | "cut_returned_amount"
        | "clv_cut_repeat_spend" => ColumnType::Money,
        "as_of"
        | "training_cut"
        | "clv_cut"
        | "first_purchase"
        | "last_purchase"
        | "previous_purchase"
        | "cut_last_purchase"
        | "cut_previous_purchase"
        | "clv_cut_last_purchase" => ColumnType::Date,
        _ => ColumnType::Int,
    }
}

/// The summary as Parquet (snappy, one row group per 65,536 customers): the contract's columns
/// with their types (int32, DATE, double, UTF8 strings, boolean; the nullable ones optional).
#[cfg(feature = "parquet")]
pub fn write_parquet<W: std::io::Write + Send>(summary: &CustomerSummary, out: W) -> Result<(), Error> {
    use ::parquet::basic::Compression;
    use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type};
    use ::parquet::file::properties::WriterProperties;
    use ::parquet::file::writer::SerializedFileWriter;
    use std::sync::Arc;
    let failed = |e: ::parquet::errors::ParquetError| {
        Error::data(
            "summary",
            format!("the summary could not be written as Parquet: {e}"),
        )
    };
    let fields: Vec<String> = SUMMARY_COLUMNS
        .iter()
        .map(|&name| {
            let (physical, annotation) = match column_type(name) {
                ColumnType::Int => ("int32", ""),
                ColumnType::Date => ("int32", " (DATE)"),
                ColumnType::Money => ("double", ""),
                ColumnType::Text => ("binary", " (UTF8)"),
                ColumnType::Bool => ("boolean", ""),
            };
            format!("optional {physical} {name}{annotation};")
        })
        .collect();
    let schema =
        ::parquet::schema::parser::parse_message_type(&format!("message summary {{ {} }}", fields.join(" ")))
            .map_err(failed)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props)).map_err(failed)?;
    let mut cells = Vec::with_capacity(SUMMARY_COLUMNS.len());
    let rows: Vec<(&String, &SummaryRow)> = summary.id.iter().zip(&summary.rows).collect();
    for chunk in rows.chunks(65_536) {
        // Column-major text of this chunk, then typed per column.
        let mut columns: Vec<Vec<String>> = vec![Vec::with_capacity(chunk.len()); SUMMARY_COLUMNS.len()];
        for (id, row) in chunk {
            cells.clear();
            row_cells(summary, id, row, &mut cells);
            for (k, c) in cells.drain(..).enumerate() {
                columns[k].push(c);
            }
        }
        let mut group = writer.next_row_group().map_err(failed)?;
        let mut k = 0;
        while let Some(mut column) = group.next_column().map_err(failed)? {
            let texts = &columns[k];
            let defs: Vec<i16> = texts.iter().map(|t| i16::from(!t.is_empty())).collect();
            let present = texts.iter().filter(|t| !t.is_empty());
            match column_type(SUMMARY_COLUMNS[k]) {
                ColumnType::Int => {
                    let v: Vec<i32> = present.map(|t| t.parse().unwrap_or(i32::MAX)).collect();
                    column.typed::<Int32Type>().write_batch(&v, Some(&defs), None)
                }
                ColumnType::Date => {
                    let v: Vec<i32> = present
                        .map(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").map_or(0, date_to_day))
                        .collect();
                    column.typed::<Int32Type>().write_batch(&v, Some(&defs), None)
                }
                ColumnType::Money => {
                    let v: Vec<f64> = present.map(|t| t.parse().unwrap_or(f64::NAN)).collect();
                    column.typed::<DoubleType>().write_batch(&v, Some(&defs), None)
                }
                ColumnType::Text => {
                    let v: Vec<ByteArray> = present.map(|t| ByteArray::from(t.as_str())).collect();
                    column.typed::<ByteArrayType>().write_batch(&v, Some(&defs), None)
                }
                ColumnType::Bool => {
                    let v: Vec<bool> = present.map(|t| t == "true").collect();
                    column.typed::<BoolType>().write_batch(&v, Some(&defs), None)
                }
            }
            .map_err(failed)?;
            column.close().map_err(failed)?;
            k += 1;
        }
        group.close().map_err(failed)?;
    }
    writer.close().map_err(failed)?;
    Ok(())
}
