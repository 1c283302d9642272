//! Ingestion: bytes of a CSV / TSV / whitespace-aligned export (or a workbook, or Parquet) → [`Transactions`] and a
//! [`QualityReport`]. Decides encoding, dialect, header and column roles, parses typed values,
//! and counts every row it does not use, with the reason. It does no analysis.
//!
//! Streaming: [`read_from`] takes any `std::io::Read` (a file, or slices of a browser `File`)
//! and keeps only the typed columns of kept rows; [`read`] is the same for bytes in memory.

mod chunks;
mod currency;
mod customer_table;
mod dialect;
mod encoding;
pub mod messages;
// Without the `workbook` feature (the page's first wasm), a stand-in that asks for the build with it.
#[cfg_attr(not(feature = "workbook"), path = "excel/absent.rs")]
mod excel;
// Without the `parquet` feature (the page's first wasm), a stand-in that asks for the build with it.
#[cfg_attr(not(feature = "parquet"), path = "parquet/absent.rs")]
mod parquet;
mod purchases;
mod reader;
mod records;
mod responses;
mod roles;
mod summary_table;
mod values;
mod vocabulary;

pub use chunks::{
    merge_chunks, read_chunk, read_table_at, read_table_parallel, seams, ByteSource, FileSource, RangeReader,
    Shareable, MAX_WORKERS, PARALLEL_MIN_BYTES,
};
pub use currency::{is_iso_4217, Currency, CurrencyCode, CurrencyEvidence, CurrencySource};
pub use customer_table::{
    detect_customer_table, set_apart_description, CustomerColumns, CustomerLevel, CustomerRows, StatedAsOf,
};
pub use dialect::Delimiter;
#[cfg(all(feature = "workbook", not(target_arch = "wasm32")))]
pub use excel::quiet_calamine_panics;
/// Without calamine (no `workbook` feature) or without unwinding (wasm: a panic aborts and the
/// page's worker reports it) there is no caught panic to keep quiet.
#[cfg(not(all(feature = "workbook", not(target_arch = "wasm32"))))]
pub fn quiet_calamine_panics() {}
#[cfg(feature = "workbook")]
pub use excel::{
    cell_text, read_workbook, sheet_names, SheetCsv, MAX_SHARED_STRINGS, MAX_SHEET_CELLS, MAX_TEXT_BYTES,
};
pub use excel::{detect_workbook, read_workbook_named, Sheet, WorkbookFormat};
pub use responses::{
    parse_converted, parse_group, read_responses, read_responses_from, unguard, ResponseColumn,
    ResponseGroup, ResponseOptions, ResponseQuality, ResponseRole, ResponseRows, ResponseSkip,
    ResponseSkipReason, RESPONSE_NAMES,
};
pub use roles::{change_hint, role_key};
pub use summary_table::{
    is_summary_header, CustomerSummary, PurchaseWindow, SummaryReader, SummaryRow, ORDER_WINDOWS,
    SUMMARY_COLUMNS, SUMMARY_KEY_COLUMNS, SUMMARY_VERSION,
};
pub use values::{parse_amount, parse_date, AmountError, DateOrder, DateValue};

use crate::warning::Warning;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

// Days live in `crate::time`; re-exported here for the ingest API's users.
pub use crate::time::{date_to_day, day_to_date, Day};

/// What a column means to the analysis. The first eight are columns of a transaction table;
/// `OrderCount` … `FirstOrder` are columns of a customer-level table (one row per customer),
/// which also uses `Customer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Order,
    Date,
    Amount,
    Quantity,
    UnitPrice,
    /// The product's code or key (`StockCode`, `SKU`, `商品编号`): what cross-sell counts.
    Product,
    /// The product's name as the file writes it (`Description`, `Product Name`, `商品名称`,
    /// `品名`): shown beside the code (the most frequent name per code); with no code
    /// column, the name is the product.
    ProductName,
    /// Customer-level: number of orders (`Total Orders`, `购买次数`).
    OrderCount,
    /// Customer-level: money spent in total (`Total Spent`, `累计消费`).
    TotalSpent,
    /// Customer-level: date of the last order (`Last Order Date`, `最近购买日期`).
    LastOrder,
    /// Customer-level: days since the last order (`recency`), when there is no date.
    DaysSinceLastOrder,
    /// Customer-level: date of the first order or of sign-up (`First Order Date`, `注册时间`).
    FirstOrder,
}

impl Role {
    /// True for the roles of a customer-level table only.
    pub fn is_customer_level(self) -> bool {
        matches!(
            self,
            Role::OrderCount
                | Role::TotalSpent
                | Role::LastOrder
                | Role::DaysSinceLastOrder
                | Role::FirstOrder
        )
    }
}

/// What kind of table a file is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// One row per purchase (or purchase line): every analysis is available.
    #[default]
    Transactions,
    /// One row per customer (id, orders, total spent, last order): scored as it is; analyses
    /// that need the purchase history (propensity, lifetime value) are unavailable.
    Customers,
    /// One row per customer holding the statistics every model needs (a per-customer summary,
    /// `docs/summary-contract.md`): RFM, clusters, propensity and lifetime value run on it.
    Summary,
}

/// What [`read_table_from`] found: purchases, or a customer-level table still to be finished
/// into rows ([`CustomerLevel::finish`]) that `crate::customers::from_customer_rows` measures
/// at an as-of date.
#[derive(Debug)]
pub enum Table {
    Transactions(Transactions),
    Customers(CustomerLevel),
    /// A per-customer summary, read whole.
    Summary(CustomerSummary),
}

/// Options for reading a file; every field has a sensible default (auto-detect).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct IngestOptions {
    /// File name, used only in messages.
    pub file_name: Option<String>,
    /// Force a delimiter (`","`, `";"`, `"\t"`, `"|"`, or `"whitespace"`; see [`Delimiter`]).
    #[ts(type = "\",\" | \";\" | \"\\t\" | \"|\" | \"whitespace\" | null")]
    pub delimiter: Option<Delimiter>,
    /// Force whether the first row is a header.
    pub has_header: Option<bool>,
    /// Override column roles: role → header name (or 0-based column index as text); an empty
    /// text means no column has that role (its detection is suppressed). In JSON either a list
    /// of pairs (`[["amount","SALES_PRICE"]]`) or an object (`{"amount":"SALES_PRICE"}`).
    #[serde(deserialize_with = "roles_list_or_map")]
    #[ts(type = "[Role, string][] | Partial<Record<Role, string>>")]
    pub roles: Vec<(Role, String)>,
    /// Force the date order for ambiguous slash dates: `"dmy"` or `"mdy"`.
    #[ts(type = "\"dmy\" | \"mdy\" | null")]
    pub date_order: Option<DateOrder>,
    /// Force the text encoding by label (`"utf-8"`, `"gbk"`, `"utf-16le"`, `"windows-1252"`, …);
    /// detected from a byte-order mark or the bytes when absent.
    pub encoding: Option<String>,
    /// For workbooks: the sheet to read, by name or 0-based position as text; the first
    /// visible sheet holding a table (2 rows × 2 columns at least) when absent.
    pub sheet: Option<String>,
    /// Force the kind of table; detected from the header when absent (a customer id, a
    /// number of orders and a total spent, with no id repeated, is a customer-level table).
    /// Setting a customer-level role in `roles` also means a customer-level table. A header
    /// naming a summary's key columns (`docs/summary-contract.md`) is read as a summary.
    pub table: Option<TableKind>,
    /// Keep purchase lines whose amount is exactly 0 (free items) as purchases; by default
    /// they are skipped with the reason `zero_amount`.
    pub keep_zero_amount: bool,
    /// The day the analysis runs, ISO `YYYY-MM-DD`: purchase dates after it (one day of slack
    /// for time zones) are skipped with the reason `future_date`. The CLI and the page fill it
    /// from the clock (`--today` overrides it); absent, no date counts as in the future.
    pub today: Option<String>,
    /// Keep dates after `today` and dates far outside the bulk of the file (reasons
    /// `future_date` and `date_outlier`, skipped by default) as purchases. They are still
    /// listed in [`QualityReport::dates`].
    pub keep_outlier_dates: bool,
    /// The file's currency, an ISO 4217 code (`"CNY"`, `"USD"`): shown as
    /// [`QualityReport::currency`] with source `option` instead of the guess from the file's
    /// marks. Only the display of money depends on it; amounts are read the same.
    #[ts(type = "string | null")]
    pub currency: Option<CurrencyCode>,
}

/// `roles` as a list of `[role, column]` pairs or as an object `{role: column}`.
fn roles_list_or_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(Role, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Roles {
        List(Vec<(Role, String)>),
        Map(std::collections::BTreeMap<Role, String>),
    }
    match Roles::deserialize(d) {
        Ok(Roles::List(v)) => Ok(v),
        Ok(Roles::Map(m)) => Ok(m.into_iter().collect()),
        Err(_) => Err(serde::de::Error::custom(
            "roles must be a list of [role, column] pairs or an object {role: column}; roles are customer, order, date, amount, quantity, unit_price, product, product_name, order_count, total_spent, last_order, days_since_last_order, first_order",
        )),
    }
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
    /// The products as written in the file (trimmed), indexed by `product`'s ids.
    pub product_names: Vec<String>,
    /// Per product id: its name as written in the product-name column beside the code (the
    /// most frequent one; ties, the first seen), "" when none; empty when the file has no
    /// product-name column or the names are the products themselves.
    pub product_labels: Vec<String>,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
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
    /// A quote opened a cell and never closed (within 10,000 lines / 1 MiB, or before the end of
    /// the file): the row was skipped and the lines after it were read as rows of their own.
    UnterminatedQuote,
    BlankRow,
    /// Customer-level tables: a customer with 0 orders ("no orders yet").
    NoOrders,
    /// Customer-level tables: a customer id seen on an earlier row.
    DuplicateCustomer,
    /// Customer-level tables: the last order is on or after the as-of date.
    AfterAsOf,
    /// A purchase line whose amount is exactly 0 (a free item): not a purchase unless
    /// `keep_zero_amount` is set.
    ZeroAmount,
    /// A purchase dated after the day the analysis runs (`today`).
    FutureDate,
    /// A purchase date far outside the bulk of the file's dates (a placeholder like
    /// 1900-01-01, a mistyped year): see [`DateDistribution::rule`].
    DateOutlier,
    /// A slash date that only reads in the day/month order the column was not read in
    /// (`25/03/2024` in a month-first column).
    DateOrderConflict,
}

impl SkipReason {
    /// Every reason, in the order the quality report lists them (the byte encoding of a chunk's
    /// reading also numbers them by this list). A test's exhaustive `match` fails to compile
    /// when a reason is added to the enum and not here.
    pub const ALL: [SkipReason; 16] = [
        SkipReason::MissingCustomer,
        SkipReason::MissingDate,
        SkipReason::BadDate,
        SkipReason::DateOrderConflict,
        SkipReason::FutureDate,
        SkipReason::DateOutlier,
        SkipReason::MissingAmount,
        SkipReason::BadAmount,
        SkipReason::ZeroAmount,
        SkipReason::Return,
        SkipReason::WrongFieldCount,
        SkipReason::UnterminatedQuote,
        SkipReason::BlankRow,
        SkipReason::NoOrders,
        SkipReason::DuplicateCustomer,
        SkipReason::AfterAsOf,
    ];
}

/// One reason's count, with up to five example row numbers (1-based, as the file shows them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SkipCount {
    pub reason: SkipReason,
    pub description: String,
    pub rows: u64,
    pub example_rows: Vec<u64>,
}

/// How one column of the file was understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct ColumnMapping {
    pub index: usize,
    pub header: String,
    pub role: Option<Role>,
    /// `"header"`, `"values"` or `"option"`; `"none"` for a column with no role.
    #[ts(type = "\"header\" | \"values\" | \"option\" | \"none\"")]
    pub detected_by: String,
    /// Up to three distinct non-empty values of the column, as written.
    #[serde(default)]
    pub samples: Vec<String>,
}

/// A role two or more columns could play: which was used, why, and the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct RoleCandidates {
    pub role: Role,
    /// The column used (0-based), or none.
    pub used: Option<usize>,
    /// Why that column, ending with how to change it.
    pub reason: String,
    /// The same reason as a code with parameters (`role_reason_header` + `column`, …; the
    /// `change_column` parameter when a hint on how to change it follows), for other languages.
    #[serde(default)]
    pub coded_reason: Warning,
    pub columns: Vec<CandidateColumn>,
}

/// One column that could play a role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct CandidateColumn {
    pub index: usize,
    pub header: String,
    /// Up to three distinct non-empty values, as written.
    pub samples: Vec<String>,
    /// Why it could play the role (its name, its values).
    pub why: String,
    /// The same, part by part, as codes with parameters (`why_known_name` + `name`, …).
    #[serde(default)]
    pub coded_why: Vec<Warning>,
}

/// What the reader did with every row: nothing the user gave is dropped without a count here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
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
    /// `date_format`'s phrases as codes with parameters (`date_format_ymd` + `example`, …).
    #[serde(default)]
    pub coded_date_format: Vec<Warning>,
    pub amount_source: Option<String>,
    /// `amount_source` as a code with parameters (`amount_column` + `column`, `amount_qty_price`
    /// + `quantity`, `price`, `amount_price_only`, `amount_total_spent`); absent without amounts.
    #[serde(default)]
    pub coded_amount_source: Option<Warning>,
    /// Transactions, or a customer-level table (one row per customer).
    pub table: TableKind,
    /// For workbooks: the sheet that was read, and every sheet's name in order (empty for text).
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub columns: Vec<ColumnMapping>,
    /// Roles that two or more columns could play, with the one used and why.
    #[serde(default)]
    pub candidates: Vec<RoleCandidates>,
    /// What "frequency" counts: `"orders"` with an order column (and for customer-level
    /// tables), `"purchase_days"` (distinct purchase days per customer) without one.
    #[serde(default)]
    #[ts(type = "\"orders\" | \"purchase_days\"")]
    pub frequency_unit: String,
    /// A customer-level table's own as-of date: every row's last-order date plus its days
    /// since the last order gives this one date. Used when no as-of date is given.
    #[serde(default)]
    pub as_of_from_file: Option<NaiveDate>,
    /// The purchase dates' range, quartiles and the dates set apart (future, outliers).
    #[serde(default)]
    pub dates: Option<DateDistribution>,
    /// The file's currency: set by the `currency` option, or guessed from the money cells'
    /// marks, the money columns' names and a currency column, with the evidence and the
    /// alternatives. Absent when nothing tells and no option is set: unknown, never a default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub currency: Option<Currency>,
    /// What the reader wants the user to know: a stable `code` ([`messages::CODES`]), its
    /// `params` and the English sentence (for the CLI and logs).
    pub warnings: Vec<Warning>,
}

/// Purchase dates set apart: how many rows, their range, and the first rows (with their dates).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DateGroup {
    pub rows: u64,
    pub min: Option<NaiveDate>,
    pub max: Option<NaiveDate>,
    /// Up to five rows (1-based, as the file shows them), in file order.
    pub example_rows: Vec<u64>,
    /// The dates of `example_rows`, in the same order.
    pub example_dates: Vec<NaiveDate>,
}

/// The distribution of the purchase dates, and the dates that cannot be purchases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DateDistribution {
    /// First and last purchase date used (the same as `first_date` / `last_date`).
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// Quartiles of the purchase dates read (25%, 50%, 75% of rows), before any is set apart.
    pub quartiles: Option<[NaiveDate; 3]>,
    /// The day the analysis ran (the `today` option), after which no date is a purchase.
    pub today: Option<NaiveDate>,
    /// Dates after `today`.
    pub future: DateGroup,
    /// Dates far outside the bulk, by [`DateDistribution::rule`].
    pub outliers: DateGroup,
    /// True when `keep_outlier_dates` kept both groups as purchases.
    pub kept: bool,
    /// The outlier rule in words.
    pub rule: String,
    /// The same rule as code `date_outlier_rule` with its figures (`days`, `times`, `share` in %).
    #[serde(default)]
    pub coded_rule: Warning,
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
    /// A line (record) longer than the bound (16 MiB): reading stops there.
    LineTooLong,
    /// An `IngestOptions` value is invalid (unknown encoding, delimiter, role column…).
    InvalidOption,
    /// The reader failed.
    Io,
    /// The progress callback asked to stop.
    Cancelled,
    /// A workbook given to a build without the `workbook` feature (the page's first wasm,
    /// which then loads the build with it).
    WorkbookCoreNeeded,
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
    let customer_level = IngestError {
        file: options.file_name.clone(),
        row: None,
        column: None,
        message: "this reads transaction tables; a customer-level table is read with read_table_from.".into(),
        kind: IngestErrorKind::InvalidOption,
    };
    if matches!(options.table, Some(TableKind::Customers | TableKind::Summary))
        || options
            .roles
            .iter()
            .any(|(r, t)| r.is_customer_level() && !t.trim().is_empty())
    {
        return Err(customer_level);
    }
    let options = IngestOptions {
        table: Some(TableKind::Transactions),
        ..options.clone()
    };
    match reader::read_from(reader, total_bytes, &options, progress)? {
        (Table::Transactions(tx), q) => Ok((tx, q)),
        (Table::Customers(_), _) | (Table::Summary(_), _) => Err(customer_level),
    }
}

/// The whole entry point: like [`read_from`], but a customer-level table (one row per customer:
/// id, number of orders, total spent, last order date or days since it) is recognised and
/// returned as [`Table::Customers`] instead of being misread as one purchase per customer.
///
/// ```
/// use clientele::ingest::{read_table_from, IngestOptions, Table, TableKind};
/// let csv = "Customer ID,Total Orders,Total Spent,Last Order Date\n7,3,120.50,2024-03-01\n8,1,15,2024-02-11\n";
/// let (table, quality) = read_table_from(csv.as_bytes(), None, &IngestOptions::default(), &mut |_| true).unwrap();
/// assert_eq!(quality.table, TableKind::Customers);
/// let Table::Customers(level) = table else { panic!() };
/// let (customers, quality) = clientele::customers::from_level(level, None, quality).unwrap();
/// assert_eq!((customers.frequency[0], customers.monetary[0], customers.recency_days[0]), (3, 120.5, 1));
/// assert_eq!(quality.rows_used, 2);
/// ```
pub fn read_table_from<R: std::io::Read>(
    reader: R,
    total_bytes: Option<u64>,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    reader::read_from(reader, total_bytes, options, progress)
}

#[cfg(test)]
mod skip_reason_tests {
    use super::SkipReason;

    /// Adding a reason to the enum breaks this `match` until it is placed here, which points at
    /// [`SkipReason::ALL`]: every reason must be listed there exactly once.
    fn listed(r: SkipReason) -> bool {
        match r {
            SkipReason::MissingCustomer
            | SkipReason::MissingDate
            | SkipReason::BadDate
            | SkipReason::MissingAmount
            | SkipReason::BadAmount
            | SkipReason::Return
            | SkipReason::WrongFieldCount
            | SkipReason::UnterminatedQuote
            | SkipReason::BlankRow
            | SkipReason::NoOrders
            | SkipReason::DuplicateCustomer
            | SkipReason::AfterAsOf
            | SkipReason::ZeroAmount
            | SkipReason::FutureDate
            | SkipReason::DateOutlier
            | SkipReason::DateOrderConflict => SkipReason::ALL.iter().filter(|a| **a == r).count() == 1,
        }
    }

    #[test]
    fn every_reason_is_listed_once() {
        let names: std::collections::HashSet<String> = SkipReason::ALL
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        assert_eq!(names.len(), SkipReason::ALL.len());
        for r in SkipReason::ALL {
            assert!(listed(r), "{r:?}");
        }
    }
}
