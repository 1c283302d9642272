//! Ingestion: bytes of a CSV / TSV / whitespace-aligned export → [`Transactions`] and a
//! [`QualityReport`]. Decides encoding, dialect, header and column roles, parses typed values,
//! and counts every row it does not use, with the reason. It does no analysis.
//!
//! Streaming: [`read_from`] takes any `std::io::Read` (a file, or slices of a browser `File`)
//! and keeps only the typed columns of kept rows; [`read`] is the same for bytes in memory.

mod customer_table;
mod dialect;
mod encoding;
mod excel;
mod reader;
mod roles;
mod values;

pub use customer_table::{customers_from_table, detect_customer_table, CustomerColumns};
pub use excel::{
    cell_text, detect_workbook, read_workbook, read_workbook_named, sheet_names, Sheet, SheetCsv,
    WorkbookFormat,
};
pub use values::{parse_amount, parse_date, AmountError, DateValue};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Days since 1970-01-01 of a calendar date in the file's own local time.
pub type Day = i32;

/// Converts a [`Day`] back to a calendar date.
pub fn day_to_date(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + 719_163).unwrap_or(NaiveDate::MIN)
}

/// Converts a calendar date to a [`Day`].
pub fn date_to_day(date: NaiveDate) -> Day {
    date.num_days_from_ce() - 719_163
}

use chrono::Datelike;

/// What a column means to the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Order,
    Date,
    Amount,
    Quantity,
    UnitPrice,
    Product,
}

/// Options for reading a file; every field has a sensible default (auto-detect).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// File name, used only in messages.
    pub file_name: Option<String>,
    /// Force a delimiter (`","`, `";"`, `"\t"`, `"|"`, or `"whitespace"`).
    pub delimiter: Option<String>,
    /// Force whether the first row is a header.
    pub has_header: Option<bool>,
    /// Override column roles: role → header name (or 0-based column index as text).
    pub roles: Vec<(Role, String)>,
    /// Force the date order for ambiguous slash dates: `"dmy"` or `"mdy"`.
    pub date_order: Option<String>,
    /// Force the text encoding by label (`"utf-8"`, `"gbk"`, `"utf-16le"`, `"windows-1252"`, …);
    /// detected from a byte-order mark or the bytes when absent.
    pub encoding: Option<String>,
    /// For workbooks: the sheet to read, by name or 0-based position as text; the first
    /// visible sheet with cells when absent.
    pub sheet: Option<String>,
}

/// How far [`read_from`] has got; sent about every 64k rows and once at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestProgress {
    /// Raw bytes consumed from the reader so far.
    pub bytes_read: u64,
    /// The size the caller announced, for a percentage.
    pub total_bytes: Option<u64>,
    /// Data rows read so far (header excluded).
    pub rows_read: u64,
}

/// Transactions, columnar, one entry per kept purchase row. Returns and cancellations are kept
/// apart in [`Transactions::returns`], never netted into purchases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transactions {
    /// Distinct customer ids as text (leading zeros kept), in first-seen order.
    pub customer_ids: Vec<String>,
    /// Per row: index into `customer_ids`.
    pub customer: Vec<u32>,
    /// Per row: calendar day of the purchase.
    pub day: Vec<Day>,
    /// Per row: money spent (≥ 0; zero-priced rows are purchases too). All zero when the file has no amount (see `has_amount`).
    pub amount: Vec<f64>,
    /// False when the file has neither an amount nor quantity × unit price (e.g. a purchase
    /// log of customer and date only): monetary figures are then unavailable, not zero.
    pub has_amount: bool,
    /// Per row: interned order id, when the file has an order column.
    pub order: Option<Vec<u32>>,
    /// Per row: quantity, when the file has one.
    pub quantity: Option<Vec<f64>>,
    /// Per row: interned product id, when the file has one.
    pub product: Option<Vec<u32>>,
    /// Returns and cancellations, kept apart from purchases.
    pub returns: Returns,
}

/// Returns / cancellations: who, when, how much (positive magnitude).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Returns {
    pub customer: Vec<u32>,
    pub day: Vec<Day>,
    pub amount: Vec<f64>,
}

impl Transactions {
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// Why a row was not used as a purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    MissingCustomer,
    MissingDate,
    BadDate,
    MissingAmount,
    BadAmount,
    /// Negative amount or a cancellation invoice: counted apart as a return.
    Return,
    WrongFieldCount,
    BlankRow,
    /// Customer-level tables: a customer with 0 orders ("no orders yet").
    NoOrders,
    /// Customer-level tables: a customer id seen on an earlier row.
    DuplicateCustomer,
    /// Customer-level tables: the last order is on or after the as-of date.
    AfterAsOf,
}

/// One reason's count, with up to five example row numbers (1-based, as the file shows them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipCount {
    pub reason: SkipReason,
    pub description: String,
    pub rows: u64,
    pub example_rows: Vec<u64>,
}

/// How one column of the file was understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub index: usize,
    pub header: String,
    pub role: Option<Role>,
    /// `"header"`, `"values"` or `"option"`; `"none"` for a column with no role.
    pub detected_by: String,
}

/// What the reader did with every row: nothing the user gave is dropped without a count here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub file_name: Option<String>,
    pub encoding: String,
    pub delimiter: String,
    pub has_header: bool,
    pub rows_read: u64,
    pub rows_used: u64,
    pub skipped: Vec<SkipCount>,
    pub returns_amount: f64,
    /// Purchase rows whose amount is exactly zero (kept as purchases, counted here).
    pub zero_amount_rows: u64,
    pub exact_duplicates: u64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    pub date_format: Option<String>,
    pub amount_source: Option<String>,
    pub columns: Vec<ColumnMapping>,
    pub warnings: Vec<String>,
}

/// A located error: which file, row and column, and what was expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestError {
    pub file: Option<String>,
    /// 1-based row number as a spreadsheet shows it (header = row 1).
    pub row: Option<u64>,
    pub column: Option<String>,
    pub message: String,
    /// What went wrong, for code that reacts (e.g. "cancelled" is not shown as a failure).
    #[serde(default)]
    pub kind: IngestErrorKind,
}

/// The kind of an [`IngestError`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IngestErrorKind {
    /// No bytes, or only blanks.
    Empty,
    /// Binary data or a workbook, not a text table.
    NotText,
    /// A header row and nothing below it.
    HeaderOnly,
    NoCustomerColumn,
    NoDateColumn,
    /// Most dates in the date column could not be read.
    BadDates,
    /// Most amounts could not be read.
    BadAmounts,
    /// Day-first and month-first dates in the same column.
    AmbiguousDates,
    /// Most rows have a different number of fields than the header.
    Ragged,
    /// Every row was skipped.
    NoUsableRows,
    /// An `IngestOptions` value is invalid (unknown encoding, delimiter, role column…).
    InvalidOption,
    /// The reader failed.
    Io,
    /// The progress callback asked to stop.
    Cancelled,
    #[default]
    Other,
}
impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            wrote = true;
        }
        if let Some(row) = self.row {
            write!(f, "{}row {row}", if wrote { ", " } else { "" })?;
            wrote = true;
        }
        if let Some(col) = &self.column {
            write!(f, "{}column \"{col}\"", if wrote { ", " } else { "" })?;
            wrote = true;
        }
        write!(f, "{}{}", if wrote { ": " } else { "" }, self.message)
    }
}

impl std::error::Error for IngestError {}

/// Reads a whole file held in memory; see [`read_from`].
///
/// ```
/// use clientele::ingest::{read, IngestOptions};
/// let csv = "customer_id,date,amount\nA1,2024-01-05,12.50\nA2,2024-01-06,(3.00)\n";
/// let (tx, report) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
/// assert_eq!(tx.customer_ids, ["A1", "A2"]);
/// assert_eq!(tx.amount, [12.5]);
/// assert_eq!(report.returns_amount, 3.0);
/// assert_eq!(report.rows_used + report.skipped.iter().map(|s| s.rows).sum::<u64>(), report.rows_read);
/// ```
pub fn read(bytes: &[u8], options: &IngestOptions) -> Result<(Transactions, QualityReport), IngestError> {
    read_from(bytes, Some(bytes.len() as u64), options, &mut |_| true)
}

/// Reads a transaction table from a stream: detects encoding, delimiter, header and column
/// roles from the first 64 KiB, then types every row, keeping only the columns of used rows.
/// `progress` is called about every 64k rows (and at the end); returning `false` cancels with
/// an error of kind [`IngestErrorKind::Cancelled`].
///
/// ```
/// use clientele::ingest::{read_from, IngestErrorKind, IngestOptions};
/// let text = "客户ID\t下单时间\t实付金额\nc-01\t2024年1月5日 14:30\t¥88.00\n";
/// let (tx, report) = read_from(text.as_bytes(), None, &IngestOptions::default(), &mut |_| true).unwrap();
/// assert_eq!((tx.customer_ids[0].as_str(), tx.amount[0]), ("c-01", 88.0));
/// assert_eq!(report.delimiter, "\t");
/// let stop = read_from(text.as_bytes(), None, &IngestOptions::default(), &mut |_| false);
/// assert_eq!(stop.unwrap_err().kind, IngestErrorKind::Cancelled);
/// ```
pub fn read_from<R: std::io::Read>(
    reader: R,
    total_bytes: Option<u64>,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Transactions, QualityReport), IngestError> {
    reader::read_from(reader, total_bytes, options, progress)
}
