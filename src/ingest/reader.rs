//! The streaming reader: buffers a prefix to decide encoding, dialect, header and roles, then
//! reads every record once, typing values and counting skipped rows, into columnar
//! [`Transactions`]. Memory follows the kept rows: records are reused, ids are interned.

use super::customer_table::{customer_columns, CustomerLevel};
use super::dialect::{looks_like_header, sniff_delimiter, Delimiter};
use super::encoding::{by_label, detect, DecodeReader, Switch};
use super::records::{RecordError, Records};
use super::roles::{assign, change_hint, fold, role_key, ColumnProfile};
use super::values::{
    add_to_group, date_order_option, day_first, day_quartiles, decimal_comma_evidence, finish_group,
    is_placeholder, order_conflict, outlier_rule, parse_amount_in, parse_date, today_option, AmountError,
    DateValue, DayScreen, OrderEvidence,
};
use super::{
    day_to_date, DateDistribution, Day, IngestError, IngestErrorKind, IngestOptions, IngestProgress,
    QualityReport, Role, SkipCount, SkipReason, Table, TableKind, Transactions,
};
use crate::ingest::ColumnMapping;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::io::{Cursor, Read};
use std::rc::Rc;

const SAMPLE_BYTES: usize = 64 * 1024;

/// Recognises an HTML page or a JSON document saved under a table's name (a failed export, a
/// login page), which would otherwise read as a one-column table with no data.
fn not_a_table(prefix: &[u8]) -> Option<&'static str> {
    let start = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let text: Vec<u8> = start
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if text.starts_with(b"<!doctype html") || text.starts_with(b"<html") || text.starts_with(b"<?xml") {
        Some("this looks like a web page or XML document, not a table (a failed export or a login page?): export the transactions again as CSV.")
    } else if text.starts_with(b"{") || text.starts_with(b"[{") || text.starts_with(b"[\"") {
        Some("this looks like JSON, not a table: export the transactions as CSV (or Excel saved as CSV) and try again.")
    } else {
        None
    }
}

const SAMPLE_ROWS: usize = 500;
const PROGRESS_EVERY: u64 = 65_536;
const EXPECTED_DATES: &str = "expected a date like 2024-01-05, 05/01/2024, 20240105 or 2024年1月5日";

/// Hashing for interning ids and fingerprinting records: `foldhash`, fast and with a fixed seed
/// (deterministic runs). A plain FxHash was here before; its low bits depend only on the first
/// bytes of a key, so ids like `C0000001`…`C1000000` all fell in one bucket chain (74 s to read
/// a million customers natively, most of it in memcmp).
type FastBuild = foldhash::fast::FixedState;

/// Text → dense index, in first-seen order.
#[derive(Default)]
struct Interner {
    map: HashMap<String, u32, FastBuild>,
    names: Vec<String>,
}

impl Interner {
    fn id(&mut self, key: &str) -> u32 {
        if let Some(&i) = self.map.get(key) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(key.to_string());
        self.map.insert(key.to_string(), i);
        i
    }
}

/// The next record's row number, `None` at the end; a read failure or a line past the bound
/// is a located error.
fn next_record<R: Read>(recs: &mut Records<R>, options: &IngestOptions) -> Result<Option<u64>, IngestError> {
    recs.next().map_err(|e| record_error(options, e))
}

fn record_error(options: &IngestOptions, e: RecordError) -> IngestError {
    match e {
        RecordError::Io(e) => err(
            options,
            IngestErrorKind::Io,
            format!("the file could not be read: {e}"),
        ),
        RecordError::TooLong { row, offset, bound } => IngestError {
            file: options.file_name.clone(),
            row: Some(row),
            column: None,
            message: format!(
                "this line (from byte {offset} of the text) is longer than {} MiB, the most one row may hold: the file is probably not a table of transactions, or its line breaks were lost (check the export, or split the file); Clientele stops here rather than hold it.",
                bound >> 20
            ),
            kind: IngestErrorKind::LineTooLong,
        },
    }
}

/// The encoding shown in the quality report: the one decided again after an ASCII start, if so.
fn encoding_name(detected: &super::encoding::Detected, switched: Option<Switch>) -> &'static str {
    switched.map(|s| s.name).unwrap_or(detected.name)
}

/// What was done when the encoding was decided again after an ASCII start.
fn switched_warning(s: Switch, row: Option<u64>) -> String {
    format!(
        "The file starts as plain ASCII (read as UTF-8) but from byte {}{} it has bytes that are not UTF-8: the encoding was decided again there and the file read as {} (the ASCII before reads the same), so names like Müller and Möller stay apart. If names look wrong, choose the encoding in the Encoding menu on the page, or pass --encoding.",
        s.at,
        row.map(|r| format!(" (row {r})")).unwrap_or_default(),
        s.name
    )
}

/// The warning for bytes the detected encoding could not decode.
fn replaced_warning(encoding: &str) -> String {
    format!(
        "Some bytes were not valid {encoding} and were replaced by �: if names or amounts look wrong, choose the file's encoding in the Encoding menu on the page, or pass --encoding (e.g. --encoding windows-1252, gbk or big5)."
    )
}

fn err(options: &IngestOptions, kind: IngestErrorKind, message: impl Into<String>) -> IngestError {
    IngestError {
        file: options.file_name.clone(),
        row: None,
        column: None,
        message: message.into(),
        kind,
    }
}

/// Rows whose quote opened a field and never closed (within the bounds of
/// [`super::records`]): each was skipped and the lines after it read as rows of their own.
#[derive(Default)]
struct StrayQuotes {
    rows: u64,
    examples: Vec<u64>,
}

impl StrayQuotes {
    fn add(&mut self, row: u64) {
        self.rows += 1;
        if self.examples.len() < 5 {
            self.examples.push(row);
        }
    }

    fn warning(&self) -> Option<String> {
        let first = *self.examples.first()?;
        let rows = if self.rows == 1 {
            format!("Row {first} has")
        } else {
            let list: Vec<String> = self.examples.iter().map(|r| r.to_string()).collect();
            format!(
                "{} rows (rows {}{}) have",
                self.rows,
                list.join(", "),
                if self.rows > 5 { ", …" } else { "" }
            )
        };
        Some(format!(
            "{rows} a quote (\") that opens a cell and never closes (within {} lines and {} MiB, or before the end of the file): {} skipped, and the lines after {} were read as rows of their own, so no other row was lost. To use {}, remove the stray quote or close it in the file.",
            super::records::MAX_QUOTED_LINES,
            super::records::MAX_QUOTED_BYTES >> 20,
            if self.rows == 1 { "it was" } else { "each was" },
            if self.rows == 1 { "it" } else { "each" },
            if self.rows == 1 { "the row" } else { "these rows" },
        ))
    }
}

/// Skip counts per reason with example rows.
#[derive(Default)]
struct Skips {
    counts: Vec<(SkipReason, u64, Vec<u64>)>,
}

impl Skips {
    fn add(&mut self, reason: SkipReason, row: u64) {
        let slot = match self.counts.iter_mut().position(|c| c.0 == reason) {
            Some(i) => &mut self.counts[i],
            None => {
                self.counts.push((reason, 0, Vec::new()));
                let last = self.counts.len() - 1;
                &mut self.counts[last]
            }
        };
        slot.1 += 1;
        if slot.2.len() < 5 {
            slot.2.push(row);
        }
    }
    /// Adds `rows` rows at once, with their first rows (in file order).
    fn add_many(&mut self, reason: SkipReason, rows: u64, examples: &[u64]) {
        if rows == 0 {
            return;
        }
        match self.counts.iter_mut().find(|c| c.0 == reason) {
            Some(slot) => {
                slot.1 += rows;
                slot.2.extend_from_slice(examples);
                slot.2.sort_unstable();
                slot.2.truncate(5);
            }
            None => self
                .counts
                .push((reason, rows, examples.iter().copied().take(5).collect())),
        }
    }
    fn count(&self, reason: SkipReason) -> u64 {
        self.counts
            .iter()
            .find(|c| c.0 == reason)
            .map(|c| c.1)
            .unwrap_or(0)
    }
    fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.1).sum()
    }
    fn report(&self) -> Vec<SkipCount> {
        const ORDER: [SkipReason; 16] = [
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
        ORDER
            .iter()
            .filter_map(|r| self.counts.iter().find(|c| c.0 == *r))
            .map(|(reason, rows, ex)| SkipCount {
                reason: *reason,
                description: describe(*reason).into(),
                rows: *rows,
                example_rows: ex.clone(),
            })
            .collect()
    }
}

fn describe(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::MissingCustomer => "no customer id, so not counted as a purchase",
        SkipReason::MissingDate => "the date cell is empty",
        SkipReason::BadDate => "the date could not be read",
        SkipReason::MissingAmount => "the amount (or quantity / unit price) cell is empty",
        SkipReason::BadAmount => "the amount (or quantity / unit price) is not a number",
        SkipReason::Return => {
            "returns and cancellations (negative amount or invoice starting with C), kept apart"
        }
        SkipReason::WrongFieldCount => "the row has a different number of fields than the header",
        SkipReason::BlankRow => "the row is blank",
        SkipReason::UnterminatedQuote => {
            "a quote (\") opens a cell and never closes: the row was skipped and the lines after it read as rows"
        }
        SkipReason::NoOrders => "no orders yet",
        SkipReason::DuplicateCustomer => "the customer id appears again",
        SkipReason::AfterAsOf => "the last order is on or after the as-of date",
        SkipReason::ZeroAmount => {
            "the line's amount is 0 (free item or zero-priced line), not counted as a purchase; keep them with --keep-zero-amount"
        }
        SkipReason::FutureDate => {
            "the date is after the day of the analysis (today), so not a purchase yet; keep such rows with --keep-outlier-dates (keep_outlier_dates), or set the day with --today YYYY-MM-DD"
        }
        SkipReason::DateOutlier => {
            "the date is far outside the bulk of the file's dates (a placeholder like 1900-01-01 or a mistyped year; see the date distribution); keep such rows with --keep-outlier-dates (keep_outlier_dates)"
        }
        SkipReason::DateOrderConflict => {
            "the date only reads in the other day/month order than the column's (e.g. 25/03/2024 in a month-first column); choose the order with --date-order dmy|mdy (date_order)"
        }
    }
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Customer => "customer id",
        Role::Order => "order id",
        Role::Date => "purchase date",
        Role::Amount => "amount",
        Role::Quantity => "quantity",
        Role::UnitPrice => "unit price",
        Role::Product => "product",
        Role::OrderCount => "number of orders",
        Role::TotalSpent => "total spent",
        Role::LastOrder => "last order date",
        Role::DaysSinceLastOrder => "days since the last order",
        Role::FirstOrder => "first order date",
    }
}

/// Keeps the entries of `v` whose `keep` is true.
fn retain<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    v.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Screens the purchase dates (`date_rows`: rows and first rows per date as read): counts
/// the rows that only read in the other day/month order, after `today` or outside the bulk
/// as skips (unless `keep` keeps the last two), and describes the distribution. Returns it,
/// whether any purchase row must go, and the screen that says which.
fn screen_dates(
    date_rows: &HashMap<DateValue, (u64, Vec<u64>), FastBuild>,
    dmy: bool,
    today: Option<Day>,
    keep: bool,
    skips: &mut Skips,
) -> (DateDistribution, bool, DayScreen) {
    let mut per_day: HashMap<Day, (u64, Vec<u64>)> = HashMap::new();
    let mut conflict = (0u64, Vec::new());
    for (v, (n, rows)) in date_rows {
        match v.resolve(dmy) {
            Some(d) => {
                let e = per_day.entry(d).or_default();
                e.0 += n;
                e.1.extend_from_slice(rows);
            }
            None => {
                conflict.0 += n;
                conflict.1.extend_from_slice(rows);
            }
        }
    }
    conflict.1.sort_unstable();
    conflict.1.truncate(5);
    skips.add_many(SkipReason::DateOrderConflict, conflict.0, &conflict.1);
    let mut hist: Vec<(Day, u64)> = per_day.iter().map(|(d, e)| (*d, e.0)).collect();
    hist.sort_unstable();
    let screen = DayScreen::new(&hist, today);
    let mut out = DateDistribution {
        quartiles: day_quartiles(&hist).map(|q| q.map(day_to_date)),
        today: today.map(day_to_date),
        kept: keep,
        rule: outlier_rule(),
        ..Default::default()
    };
    for (d, (n, rows)) in &per_day {
        match screen.reason(*d) {
            Some(SkipReason::FutureDate) => add_to_group(&mut out.future, *d, *n, rows),
            Some(_) => add_to_group(&mut out.outliers, *d, *n, rows),
            None => {}
        }
    }
    finish_group(&mut out.future);
    finish_group(&mut out.outliers);
    if !keep {
        skips.add_many(SkipReason::FutureDate, out.future.rows, &out.future.example_rows);
        skips.add_many(
            SkipReason::DateOutlier,
            out.outliers.rows,
            &out.outliers.example_rows,
        );
    }
    let drop_any = conflict.0 > 0 || (!keep && out.future.rows + out.outliers.rows > 0);
    (out, drop_any, screen)
}

/// UCI-style cancellation invoice: `C` followed by digits.
fn is_cancellation(order: &str) -> bool {
    let b = order.as_bytes();
    b.len() > 1 && (b[0] == b'C' || b[0] == b'c') && b[1..].iter().all(|c| c.is_ascii_digit())
}

/// Which date forms a column used, for `QualityReport::date_format`.
#[derive(Default)]
struct DateForms {
    day: bool,
    pair: bool,
    evidence: OrderEvidence,
    sample_pair: Option<String>,
    sample_day: Option<String>,
}

fn read_prefix<R: Read>(reader: &mut R, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut buf = vec![0u8; limit];
    let mut n = 0;
    while n < limit {
        match reader.read(&mut buf[n..]) {
            Ok(0) => {
                buf.truncate(n);
                return Ok((buf, true));
            }
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok((buf, false))
}

/// A workbook (.xlsx, .xls, .ods, .xlsb): zip and OLE containers need random access, so the
/// bytes are gathered, the chosen sheet is turned into the text a CSV export of it would hold,
/// and that text goes through the same reader as any CSV (roles, values, row numbers).
fn read_workbook_from<R: Read>(
    format: super::WorkbookFormat,
    prefix: Vec<u8>,
    mut reader: R,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    let mut bytes = prefix;
    reader.read_to_end(&mut bytes).map_err(|e| {
        err(
            options,
            IngestErrorKind::Io,
            format!("the file could not be read: {e}"),
        )
    })?;
    let sheet = super::read_workbook_named(&bytes, options.sheet.as_deref(), options.file_name.as_deref())?;
    drop(bytes);
    let text_options = IngestOptions {
        delimiter: Some(",".into()),
        encoding: Some("utf-8".into()),
        ..options.clone()
    };
    let (table, mut quality) = read_from(sheet.csv_reader(), None, &text_options, progress)?;
    quality.encoding = format!("{format:?} workbook, sheet \"{}\"", sheet.chosen);
    quality.delimiter = "(spreadsheet cells)".into();
    quality.sheet = Some(sheet.chosen.clone());
    quality.sheets = sheet.names.clone();
    if sheet.names.len() > 1 {
        quality.warnings.push(format!(
            "The workbook has {} sheets (\"{}\"): \"{}\" was read; to read another, choose it in the Sheet menu on the page, or pass --sheet NAME.",
            sheet.names.len(),
            sheet.names.join("\", \""),
            sheet.chosen
        ));
    }
    if sheet.error_cells > 0 {
        quality.warnings.push(format!(
            "{} cells of the sheet hold spreadsheet errors (#N/A, #DIV/0!, …) and were read as empty.",
            sheet.error_cells
        ));
    }
    Ok((table, quality))
}

/// The implementation behind [`super::read_table_from`] and [`super::read_from`].
pub fn read_from<R: Read>(
    mut reader: R,
    total_bytes: Option<u64>,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    let io_err = |e: std::io::Error| {
        err(
            options,
            IngestErrorKind::Io,
            format!("the file could not be read: {e}"),
        )
    };
    // 1. Encoding from the raw prefix.
    let (prefix, complete) = read_prefix(&mut reader, SAMPLE_BYTES).map_err(io_err)?;
    let bytes_read = Rc::new(Cell::new(prefix.len() as u64));
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(err(
            options,
            IngestErrorKind::Empty,
            "the file is empty: export the transactions again and drop the new file here.",
        ));
    }
    if let Some(format) = super::detect_workbook(&prefix) {
        return read_workbook_from(format, prefix, reader, options, progress);
    }
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(err(
            options,
            IngestErrorKind::NotText,
            "this looks like an Excel workbook, not a text table: save it as CSV (or UTF-8 CSV) and try again.",
        ));
    }
    if let Some(what) = not_a_table(&prefix) {
        return Err(err(options, IngestErrorKind::NotText, what));
    }
    let detected = match options.encoding.as_deref() {
        Some(label) => {
            let mut d = by_label(label).ok_or_else(|| {
                err(
                    options,
                    IngestErrorKind::InvalidOption,
                    format!("the encoding \"{label}\" (--encoding or the Encoding menu) is not an encoding name (try utf-8, gbk, gb18030, big5, shift_jis, euc-kr, utf-16le or windows-1252)."),
                )
            })?;
            let auto = detect(&prefix, complete);
            if auto.encoding == d.encoding {
                d.bom_len = auto.bom_len;
            }
            d
        }
        None => detect(&prefix, complete),
    };
    let mut text = DecodeReader::new(reader, prefix, &detected, bytes_read.clone());
    let replaced = text.replaced();
    // UTF-8 guessed from an ASCII start is decided again at the first non-ASCII byte, however
    // far into the file (a Windows-1252 "Müller" after 64 KiB of ASCII stays "Müller").
    if options.encoding.is_none() && detected.encoding == encoding_rs::UTF_8 && detected.bom_len == 0 {
        text.redecide_after_ascii();
    }
    let switched = text.switched();
    // An encoding the user chose must decode every byte: a replacement is an error at its row.
    let explicit_encoding = options.encoding.is_some();
    let guess_warning = (!explicit_encoding && !detected.alternatives.is_empty()).then(|| {
        format!(
            "The file is not UTF-8: it was read as {} (its text is made of common characters in that encoding); {} also decode{} the bytes. If names look garbled, choose another encoding in the Encoding menu on the page, or pass --encoding {}.",
            detected.name,
            detected.alternatives.join(" and "),
            if detected.alternatives.len() == 1 { "s" } else { "" },
            detected.alternatives.first().map(|a| a.to_lowercase()).unwrap_or_default()
        )
    });
    let undecodable = |recs: &Records<_>, row: u64, headers: Option<&[String]>| -> Result<(), IngestError> {
        if !(explicit_encoding && replaced.get()) {
            return Ok(());
        }
        let Some(col) = (0..recs.len()).find(|&i| recs.get(i).contains('\u{FFFD}')) else {
            return Ok(());
        };
        Err(IngestError {
            file: options.file_name.clone(),
            row: Some(row),
            column: Some(
                headers
                    .and_then(|h| h.get(col).cloned())
                    .unwrap_or_else(|| format!("column {}", col + 1)),
            ),
            message: format!(
                "these bytes are not valid {} (the encoding chosen with --encoding or the Encoding menu): choose the file's real encoding (e.g. utf-8, gbk, big5, shift_jis, windows-1252), or leave it to detection.",
                detected.name
            ),
            kind: IngestErrorKind::InvalidOption,
        })
    };

    // 2. A decoded sample for the dialect, header and roles.
    let (sample, sample_complete) = read_prefix(&mut text, SAMPLE_BYTES).map_err(io_err)?;
    let sample_text = String::from_utf8_lossy(&sample);
    let controls = sample_text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\x0c'))
        .count();
    if sample_text.contains('\0') || controls * 100 > sample_text.chars().count().max(1) {
        return Err(err(
            options,
            IngestErrorKind::NotText,
            "this file does not look like text (it contains binary data): export the transactions as CSV and try again.",
        ));
    }
    let mut lines: Vec<&str> = sample_text.lines().collect();
    if !sample_complete && lines.len() > 1 {
        lines.pop(); // may be cut in the middle
    }
    let lines: Vec<&str> = lines
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .take(SAMPLE_ROWS)
        .collect();
    if lines.is_empty() {
        return Err(err(
            options,
            IngestErrorKind::Empty,
            "the file is empty: export the transactions again and drop the new file here.",
        ));
    }
    let delimiter = match options.delimiter.as_deref() {
        Some(d) => Delimiter::from_option(d).ok_or_else(|| {
            err(
                options,
                IngestErrorKind::InvalidOption,
                format!(
                    "the option delimiter is \"{d}\"; use \",\", \";\", \"\\t\", \"|\" or \"whitespace\"."
                ),
            )
        })?,
        None => sniff_delimiter(&lines),
    };
    let mut sample_rows: Vec<Vec<String>> = Vec::new();
    let mut stray_in_first = false;
    {
        let mut recs = Records::new(Cursor::new(sample.as_slice()), delimiter);
        while let Ok(Some(_)) = recs.next() {
            if recs.recovered() && !sample_rows.is_empty() {
                continue; // a row with a stray quote says nothing about the columns
            }
            if recs.recovered() {
                // A stray quote in the first row (the header): read as text, without the quote.
                stray_in_first = true;
                sample_rows.push(
                    recs.cells()
                        .iter()
                        .map(|c| c.trim_matches('"').trim().to_string())
                        .collect(),
                );
                continue;
            }
            sample_rows.push(recs.cells());
            if sample_rows.len() > SAMPLE_ROWS {
                break;
            }
        }
        if !sample_complete && sample_rows.len() > 1 {
            sample_rows.pop();
        }
    }
    let Some(first) = sample_rows.first().cloned() else {
        return Err(err(
            options,
            IngestErrorKind::Empty,
            "the file is empty: export the transactions again and drop the new file here.",
        ));
    };
    let has_header = options
        .has_header
        .unwrap_or_else(|| looks_like_header(&first, sample_rows.get(1..).unwrap_or(&[])));
    let mut first = first;
    if has_header && delimiter == Delimiter::Whitespace {
        // Aligned text with names like `Customer ID`: split the header on runs of 2+ blanks
        // when single blanks give more names than the rows have values.
        let width_below = sample_rows.get(1).map(|r| r.len()).unwrap_or(first.len());
        if first.len() != width_below {
            let wide: Vec<String> = lines
                .first()
                .map(|l| {
                    l.trim()
                        .split("  ")
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            if wide.len() == width_below {
                first = wide;
            }
        }
    }
    let data_sample = if has_header {
        sample_rows.get(1..).unwrap_or(&[])
    } else {
        &sample_rows[..]
    };
    if has_header && data_sample.is_empty() && sample_complete {
        return Err(err(
            options,
            IngestErrorKind::HeaderOnly,
            "the file has a header row but no data rows below it: export the transactions again.",
        ));
    }
    let width = if has_header {
        first.len()
    } else {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for r in data_sample {
            *counts.entry(r.len()).or_default() += 1;
        }
        let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
        counts.sort_by_key(|&(len, n)| (std::cmp::Reverse(n), len));
        counts.first().map(|c| c.0).unwrap_or(first.len())
    };
    let headers: Vec<String> = if has_header {
        first.clone()
    } else {
        (1..=width).map(|i| format!("column {i}")).collect()
    };
    // A customer-level table (one row per customer) is read apart: its rows are figures per
    // customer, not purchases.
    let wants_customers = options.table == Some(TableKind::Customers)
        || options
            .roles
            .iter()
            .any(|(r, t)| r.is_customer_level() && !t.trim().is_empty());
    if options.table != Some(TableKind::Transactions) && (has_header || wants_customers) {
        let columns = customer_columns(&headers, data_sample, &options.roles, wants_customers)
            .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
        if let Some(columns) = columns {
            let mut level = CustomerLevel::new(&headers, columns, options)?;
            let mut recs = Records::new(Cursor::new(sample).chain(text), delimiter);
            recs.set_width(headers.len());
            if has_header {
                if let Some(row) = recs.next().map_err(|e| record_error(options, e))? {
                    undecodable(&recs, row, None)?;
                }
            }
            let mut unterminated = StrayQuotes::default();
            while let Some(row) = next_record(&mut recs, options)? {
                undecodable(&recs, row, Some(&headers))?;
                if recs.recovered() {
                    unterminated.add(row);
                    level.push_skipped(
                        row,
                        SkipReason::UnterminatedQuote,
                        describe(SkipReason::UnterminatedQuote),
                    );
                } else {
                    level.push(row, &recs.cells());
                }
                let rows_read = level.rows_read();
                if rows_read % PROGRESS_EVERY == 0
                    && !progress(IngestProgress {
                        bytes_read: bytes_read.get(),
                        total_bytes,
                        rows_read,
                    })
                {
                    return Err(err(options, IngestErrorKind::Cancelled, "reading was cancelled."));
                }
            }
            if !progress(IngestProgress {
                bytes_read: bytes_read.get(),
                total_bytes,
                rows_read: level.rows_read(),
            }) {
                return Err(err(options, IngestErrorKind::Cancelled, "reading was cancelled."));
            }
            let mut warnings = Vec::new();
            warnings.extend(unterminated.warning());
            warnings.extend(switched.get().map(|s| switched_warning(s, None)));
            if replaced.get() {
                warnings.push(replaced_warning(encoding_name(&detected, switched.get())));
            }
            warnings.extend(guess_warning.clone());
            let quality = QualityReport {
                file_name: options.file_name.clone(),
                encoding: encoding_name(&detected, switched.get()).into(),
                delimiter: delimiter.name(),
                has_header,
                table: TableKind::Customers,
                warnings,
                ..Default::default()
            };
            return Ok((Table::Customers(level), quality));
        }
    }
    let mut profiles = vec![ColumnProfile::default(); width];
    for r in data_sample.iter().filter(|r| r.len() == width) {
        for (p, v) in profiles.iter_mut().zip(r) {
            p.add(v);
        }
    }
    let roles = assign(has_header.then_some(&headers[..]), &profiles, &options.roles)
        .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
    let col_name = |i: usize| {
        headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    };
    let found = || {
        if has_header {
            format!("the columns are \"{}\"", headers.join("\", \""))
        } else {
            format!("the file has no header row and {width} columns")
        }
    };
    let Some(customer_col) = roles.get(Role::Customer) else {
        return Err(err(
            options,
            IngestErrorKind::NoCustomerColumn,
            format!("no column identifies the customer ({}): name one CustomerID, customer_id, Email or 客户ID, or choose it: pick \"customer\" in the column's role menu in the Columns table, or pass --column customer=\"HEADER\".", found()),
        ));
    };
    let Some(date_col) = roles.get(Role::Date) else {
        return Err(err(
            options,
            IngestErrorKind::NoDateColumn,
            format!("no column holds the purchase date ({}): name one InvoiceDate, date, Order Date or 订单日期, or choose it: pick \"date\" in the column's role menu in the Columns table, or pass --column date=\"HEADER\".", found()),
        ));
    };
    let qty_col = roles.get(Role::Quantity);
    let price_col = roles.get(Role::UnitPrice);
    // A price column without quantities is the line's amount.
    let price_is_amount = roles.get(Role::Amount).is_none() && qty_col.is_none() && price_col.is_some();
    let amount_col = roles.get(Role::Amount).or(price_col.filter(|_| price_is_amount));
    let decimal_comma = {
        let (mut comma, mut point) = (0usize, 0usize);
        for col in [amount_col, price_col, qty_col].into_iter().flatten() {
            for r in data_sample {
                match r.get(col).and_then(|v| decimal_comma_evidence(v)) {
                    Some(true) => comma += 1,
                    Some(false) => point += 1,
                    None => {}
                }
            }
        }
        comma > point
    };
    let order_col = roles.get(Role::Order);
    let product_col = roles.get(Role::Product);
    let qty_times_price = amount_col.is_none() && qty_col.is_some() && price_col.is_some();
    let has_amount = amount_col.is_some() || qty_times_price;
    let forced_dmy = date_order_option(options.date_order.as_deref())
        .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
    let today = today_option(options.today.as_deref())
        .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;

    // 3. Stream every record: the sample first, then the rest of the decoded text.
    let input = Cursor::new(sample).chain(text);
    let mut recs = Records::new(input, delimiter);
    recs.set_width(width);
    if has_header {
        if let Some(row) = recs.next().map_err(|e| record_error(options, e))? {
            undecodable(&recs, row, None)?;
        }
    }
    let mut tx = Transactions {
        has_amount,
        order: order_col.map(|_| Vec::new()),
        quantity: qty_col.map(|_| Vec::new()),
        product: product_col.map(|_| Vec::new()),
        ..Default::default()
    };
    let mut purchase_dates: Vec<DateValue> = Vec::new();
    // Purchase rows per date as read, with the first rows of each: the dates' distribution.
    let mut date_rows: HashMap<DateValue, (u64, Vec<u64>), FastBuild> = HashMap::default();
    let mut return_dates: Vec<DateValue> = Vec::new();
    let mut customers = Interner::default();
    let mut orders = Interner::default();
    let mut products = Interner::default();
    let mut skips = Skips::default();
    let mut seen: HashSet<u64, FastBuild> = HashSet::default();
    let fingerprint = FastBuild::default();
    let mut forms = DateForms::default();
    let (mut rows_read, mut duplicates, mut zero_rows) = (0u64, 0u64, 0u64);
    let (mut dates_ok, mut amounts_ok, mut bad_quantity) = (0u64, 0u64, 0u64);
    let mut returns_amount = 0.0;
    let mut first_bad_date: Option<(u64, String)> = None;
    let mut first_bad_amount: Option<(u64, String, usize)> = None;
    let mut first_ragged: Option<(u64, usize)> = None;
    let mut synthetic_order = String::new();
    let mut unterminated = StrayQuotes::default();
    let (mut replaced_id_rows, mut first_replaced_id) = (0u64, None::<u64>);
    let mut first_switched_row: Option<u64> = None;
    while let Some(row) = next_record(&mut recs, options)? {
        undecodable(&recs, row, Some(&headers))?;
        rows_read += 1;
        if rows_read % PROGRESS_EVERY == 0
            && !progress(IngestProgress {
                bytes_read: bytes_read.get(),
                total_bytes,
                rows_read,
            })
        {
            return Err(err(options, IngestErrorKind::Cancelled, "reading was cancelled."));
        }
        if recs.recovered() {
            unterminated.add(row);
            skips.add(SkipReason::UnterminatedQuote, row);
            continue;
        }
        let n = recs.len();
        let mut h = fingerprint.build_hasher();
        let mut blank = true;
        for i in 0..n {
            let f = recs.get(i);
            h.write(f.as_bytes());
            h.write_u64(0xff);
            blank &= f.trim().is_empty();
        }
        if !seen.insert(h.finish()) {
            duplicates += 1;
        }
        if blank {
            skips.add(SkipReason::BlankRow, row);
            continue;
        }
        // Trailing empty cells (`a,b,c,,`) are what spreadsheets add, not a shifted row.
        if n != width && !(n > width && (width..n).all(|i| recs.get(i).trim().is_empty())) {
            first_ragged.get_or_insert((row, n));
            skips.add(SkipReason::WrongFieldCount, row);
            continue;
        }
        let customer = recs.get(customer_col).trim();
        if replaced.get() && customer.contains('\u{FFFD}') {
            replaced_id_rows += 1;
            first_replaced_id.get_or_insert(row);
        }
        if first_switched_row.is_none()
            && switched.get().is_some()
            && (0..recs.len()).any(|i| !recs.get(i).is_ascii())
        {
            first_switched_row = Some(row);
        }
        if customer.is_empty() {
            skips.add(SkipReason::MissingCustomer, row);
            continue;
        }
        let date_text = recs.get(date_col).trim();
        if is_placeholder(date_text) {
            skips.add(SkipReason::MissingDate, row);
            continue;
        }
        let mut date = match parse_date(date_text) {
            Some(d) => d,
            None => {
                first_bad_date.get_or_insert_with(|| (row, date_text.to_string()));
                skips.add(SkipReason::BadDate, row);
                continue;
            }
        };
        match date {
            DateValue::Day(_) => {
                if !forms.day {
                    forms.day = true;
                    forms.sample_day = Some(date_text.to_string());
                }
            }
            DateValue::Pair { first, second, .. } => {
                if !forms.pair {
                    forms.pair = true;
                    forms.sample_pair = Some(date_text.to_string());
                }
                if first > 12 || second > 12 {
                    forms.evidence.add(row, date);
                }
                if let Some(dmy) = forced_dmy {
                    match date.resolve(dmy) {
                        Some(d) => date = DateValue::Day(d),
                        None => {
                            // Reads only in the other order: counted apart, and in the warning.
                            skips.add(SkipReason::DateOrderConflict, row);
                            continue;
                        }
                    }
                }
            }
        }
        dates_ok += 1;
        let amount = if let Some(a) = amount_col {
            match parse_amount_in(recs.get(a), decimal_comma) {
                Ok(v) => v,
                Err(e) => {
                    let reason = match e {
                        AmountError::Missing => SkipReason::MissingAmount,
                        AmountError::Bad => {
                            first_bad_amount.get_or_insert_with(|| (row, recs.get(a).trim().to_string(), a));
                            SkipReason::BadAmount
                        }
                    };
                    skips.add(reason, row);
                    continue;
                }
            }
        } else if let (true, Some(q), Some(p)) = (qty_times_price, qty_col, price_col) {
            match (
                parse_amount_in(recs.get(q), decimal_comma),
                parse_amount_in(recs.get(p), decimal_comma),
            ) {
                (Ok(q), Ok(p)) if (q * p).is_finite() => q * p,
                (Err(AmountError::Missing), _) | (_, Err(AmountError::Missing)) => {
                    skips.add(SkipReason::MissingAmount, row);
                    continue;
                }
                (qr, _) => {
                    let bad = if qr.is_err() { q } else { p };
                    first_bad_amount.get_or_insert_with(|| (row, recs.get(bad).trim().to_string(), bad));
                    skips.add(SkipReason::BadAmount, row);
                    continue;
                }
            }
        } else {
            0.0
        };
        amounts_ok += 1;
        let order_text = order_col.map(|o| recs.get(o).trim());
        if amount < 0.0 || order_text.is_some_and(is_cancellation) {
            let c = customers.id(customer);
            tx.returns.customer.push(c);
            return_dates.push(date);
            tx.returns.amount.push(amount.abs());
            returns_amount += amount.abs();
            skips.add(SkipReason::Return, row);
            continue;
        }
        if has_amount && amount == 0.0 {
            if !options.keep_zero_amount {
                skips.add(SkipReason::ZeroAmount, row);
                continue;
            }
            zero_rows += 1;
        }
        let c = customers.id(customer);
        tx.customer.push(c);
        purchase_dates.push(date);
        let seen_date = date_rows.entry(date).or_default();
        seen_date.0 += 1;
        if seen_date.1.len() < 5 {
            seen_date.1.push(row);
        }
        tx.amount.push(amount);
        if let (Some(orders_out), Some(o)) = (tx.order.as_mut(), order_text) {
            let id = if o.is_empty() {
                // No order id: the customer's purchases that day form one order.
                synthetic_order.clear();
                synthetic_order.push('\u{0}');
                synthetic_order.push_str(customer);
                synthetic_order.push('\u{0}');
                synthetic_order.push_str(date_text);
                orders.id(&synthetic_order)
            } else {
                orders.id(o)
            };
            orders_out.push(id);
        }
        if let (Some(q_out), Some(q)) = (tx.quantity.as_mut(), qty_col) {
            let v = parse_amount_in(recs.get(q), decimal_comma).unwrap_or_else(|_| {
                bad_quantity += 1;
                0.0
            });
            q_out.push(v);
        }
        if let (Some(p_out), Some(p)) = (tx.product.as_mut(), product_col) {
            p_out.push(products.id(recs.get(p).trim()));
        }
    }
    if !progress(IngestProgress {
        bytes_read: bytes_read.get(),
        total_bytes,
        rows_read,
    }) {
        return Err(err(options, IngestErrorKind::Cancelled, "reading was cancelled."));
    }

    // 4. Whole-file checks and the date order, which needs the whole column.
    let located = |kind, row: u64, column: Option<usize>, message: String| IngestError {
        file: options.file_name.clone(),
        row: Some(row),
        column: column.map(col_name),
        message,
        kind,
    };
    if rows_read == 0 {
        return Err(err(
            options,
            IngestErrorKind::HeaderOnly,
            "the file has a header row but no data rows below it: export the transactions again.",
        ));
    }
    let ragged = skips.count(SkipReason::WrongFieldCount);
    if let Some((row, n)) = first_ragged {
        if ragged * 2 > rows_read {
            return Err(located(
                IngestErrorKind::Ragged,
                row,
                None,
                format!(
                    "this row has {n} fields where the {} has {width}, and so do {ragged} of the {rows_read} rows: check the delimiter (or set the delimiter option) and that text with commas is quoted.",
                    if has_header { "header" } else { "first rows" }
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    let bad_dates = skips.count(SkipReason::BadDate);
    if let Some((row, value)) = &first_bad_date {
        if bad_dates > dates_ok {
            return Err(located(
                IngestErrorKind::BadDates,
                *row,
                Some(date_col),
                format!(
                    "{EXPECTED_DATES}, found \"{value}\" ({bad_dates} of {} dates could not be read).",
                    bad_dates + dates_ok
                ),
            ));
        }
    }
    let bad_amounts = skips.count(SkipReason::BadAmount);
    if let Some((row, value, col)) = &first_bad_amount {
        if bad_amounts > amounts_ok {
            return Err(located(
                IngestErrorKind::BadAmounts,
                *row,
                Some(*col),
                format!("expected an amount like 12.50, 1,234.56 or ¥88, found \"{value}\" ({bad_amounts} of {} amounts could not be read).", bad_amounts + amounts_ok),
            ));
        }
    }
    if stray_in_first && has_header {
        warnings.push(format!(
            "The header row has a quote (\") that never closes: it was read as text without the quote (the columns are \"{}\"); check the column roles.",
            headers.join("\", \"")
        ));
    }
    warnings.extend(unterminated.warning());
    let ev = &forms.evidence;
    let dmy = day_first(forced_dmy, ev).map_err(|m| {
        let first = |v: &[u64]| v.first().copied().unwrap_or(u64::MAX);
        located(
            IngestErrorKind::AmbiguousDates,
            first(&ev.day_first_examples).min(first(&ev.month_first_examples)),
            Some(date_col),
            m,
        )
    })?;
    let (agree, contradict, examples) = ev.split(dmy);
    if forced_dmy.is_some() && contradict > dates_ok {
        // The option contradicts most of the column: an error, not a column of skipped rows.
        return Err(located(
            IngestErrorKind::AmbiguousDates,
            examples.first().copied().unwrap_or(0),
            Some(date_col),
            format!(
                "the date order chosen ({}) contradicts the column: {contradict} dates only read {} and {agree} only {}; choose the other order on the page or pass --date-order {} (date_order in the options JSON).",
                if dmy { "dmy, day first" } else { "mdy, month first" },
                if dmy { "month first" } else { "day first" },
                if dmy { "day first" } else { "month first" },
                if dmy { "mdy" } else { "dmy" }
            ),
        ));
    }
    let undecided = forms.pair && forced_dmy.is_none() && ev.day_first_rows == 0 && ev.month_first_rows == 0;
    if let Some(w) = order_conflict(&col_name(date_col), dmy, forced_dmy.is_some(), ev) {
        warnings.push(w);
    }
    let order_name = if dmy { "day/month/year" } else { "month/day/year" };
    let mut date_format = Vec::new();
    if let Some(s) = &forms.sample_day {
        date_format.push(format!("year-month-day (e.g. \"{s}\")"));
    }
    if let Some(s) = &forms.sample_pair {
        if undecided {
            date_format.push(format!(
                "{order_name} assumed (e.g. \"{s}\"): no day or month above 12 tells the order; choose the date order on the page or pass --date-order {} if the file means {}",
                if dmy { "mdy" } else { "dmy" },
                if dmy { "month first" } else { "day first" }
            ));
            warnings.push(format!(
                "The dates in column \"{}\" could be day/month or month/day (no number above 12 decides it): read as {order_name}. If that is wrong, choose the date order on the page or pass --date-order {}.",
                col_name(date_col),
                if dmy { "mdy" } else { "dmy" }
            ));
        } else {
            date_format.push(format!(
                "{order_name} (e.g. \"{s}\"){}",
                if forced_dmy.is_some() {
                    ", from the date_order option"
                } else {
                    ""
                }
            ));
        }
    }
    let resolve = |v: &DateValue| -> Day { v.resolve(dmy).or_else(|| v.resolve(!dmy)).unwrap_or_default() };
    tx.returns.day = return_dates.iter().map(resolve).collect();
    drop(return_dates);
    // 5. Dates that cannot be purchases: in the other day/month order, after today, or far
    // outside the bulk. Counted per distinct date, then the kept columns are filtered once.
    let dates = screen_dates(&date_rows, dmy, today, options.keep_outlier_dates, &mut skips);
    drop(date_rows);
    let keep: Option<Vec<bool>> = dates.1.then(|| {
        let screen = dates.2;
        purchase_dates
            .iter()
            .map(|v| {
                v.resolve(dmy)
                    .is_some_and(|d| options.keep_outlier_dates || screen.reason(d).is_none())
            })
            .collect()
    });
    tx.day = purchase_dates.iter().map(resolve).collect();
    drop(purchase_dates);
    if let Some(keep) = &keep {
        retain(&mut tx.day, keep);
        retain(&mut tx.customer, keep);
        retain(&mut tx.amount, keep);
        if let Some(v) = tx.order.as_mut() {
            retain(v, keep);
        }
        if let Some(v) = tx.quantity.as_mut() {
            retain(v, keep);
        }
        if let Some(v) = tx.product.as_mut() {
            retain(v, keep);
        }
        zero_rows = tx.amount.iter().filter(|&&a| a == 0.0).count() as u64 * u64::from(has_amount);
    }
    let mut dates = dates.0;
    tx.customer_ids = customers.names;

    let span_days = if tx.day.is_empty() {
        &tx.returns.day
    } else {
        &tx.day
    };
    let first_date = span_days.iter().min().map(|&d| day_to_date(d));
    let last_date = span_days.iter().max().map(|&d| day_to_date(d));
    dates.first = first_date;
    dates.last = last_date;
    for (g, what) in [
        (&dates.future, "are after today"),
        (&dates.outliers, "are far outside the bulk of the file's dates"),
    ] {
        if g.rows > 0 && dates.kept {
            warnings.push(format!(
                "{} purchase dates {what} ({} to {}, e.g. row {}) and were kept as purchases (keep_outlier_dates): they move the as-of date and every recency.",
                g.rows,
                g.min.map(|d| d.to_string()).unwrap_or_default(),
                g.max.map(|d| d.to_string()).unwrap_or_default(),
                g.example_rows.first().copied().unwrap_or(0)
            ));
        }
    }
    let rows_used = tx.len() as u64;
    if rows_used == 0 && tx.returns.customer.is_empty() {
        let summary: Vec<String> = skips
            .report()
            .iter()
            .map(|s| {
                format!(
                    "{} rows: {} (e.g. row {})",
                    s.rows,
                    s.description,
                    s.example_rows.first().copied().unwrap_or(0)
                )
            })
            .collect();
        return Err(err(
            options,
            IngestErrorKind::NoUsableRows,
            format!(
                "none of the {rows_read} rows could be used as a purchase: {}.",
                summary.join("; ")
            ),
        ));
    }
    if !has_amount {
        warnings.push(
            "The file has no amount column (nor quantity and unit price): monetary figures (spend, lifetime value) are unavailable; recency and frequency still work."
                .into(),
        );
    }
    if has_header {
        for (role, col, how) in &roles.slots {
            let twins: Vec<usize> = (0..headers.len())
                .filter(|&i| i != *col && fold(&headers[i]) == fold(&headers[*col]))
                .collect();
            if !twins.is_empty() {
                warnings.push(format!(
                    "{} columns are named \"{}\": column {} was used as the {}; to use another, choose its role in the Columns table, or pass --column {}={} (a 0-based column index).",
                    twins.len() + 1,
                    col_name(*col),
                    col + 1,
                    role_label(*role),
                    role_key(*role),
                    twins[0]
                ));
            }
            if *how == "values"
                && !roles
                    .warnings
                    .iter()
                    .any(|w| w.contains(&format!("\"{}\"", col_name(*col))))
            {
                warnings.push(format!(
                    "Column \"{}\" was taken as the {} from its values (its name is not one Clientele knows); {}.",
                    col_name(*col),
                    role_label(*role),
                    change_hint(*role, &col_name(*col))
                ));
            }
        }
    }
    warnings.extend(roles.warnings.iter().cloned());
    if order_col.is_none() {
        let hint = roles
            .candidates
            .iter()
            .find(|c| c.role == Role::Order)
            .and_then(|c| c.columns.first())
            .map(|c| c.header.clone())
            .unwrap_or_else(|| "HEADER".into());
        warnings.push(format!(
            "No order column: frequency counts distinct purchase days per customer, not orders (to change it, choose the order column in the Columns table or pass --column order=\"{hint}\")."
        ));
    }
    warnings.extend(switched.get().map(|s| switched_warning(s, first_switched_row)));
    if replaced.get() {
        warnings.push(replaced_warning(encoding_name(&detected, switched.get())));
        let merged: Vec<&String> = tx
            .customer_ids
            .iter()
            .filter(|c| c.contains('\u{FFFD}'))
            .collect();
        if let (Some(first), Some(example)) = (first_replaced_id, merged.first()) {
            warnings.push(format!(
                "Customers may have been merged: {replaced_id_rows} rows (the first is row {first}) have customer ids with bytes that are not valid {enc}, replaced by �, which gives {} such as \"{example}\"; ids that differ only in those letters (Müller, Möller) count as one customer. Choose the file's real encoding in the Encoding menu on the page, or pass --encoding (e.g. windows-1252), to keep them apart.",
                if merged.len() == 1 { "1 id".to_string() } else { format!("{} ids", merged.len()) },
                enc = encoding_name(&detected, switched.get()),
            ));
        }
    }
    if let Some(w) = &guess_warning {
        warnings.push(w.clone());
    }
    if bad_quantity > 0 {
        warnings.push(format!(
            "{bad_quantity} purchase rows have a quantity that is not a number; it was read as 0."
        ));
    }
    if ragged > 0 {
        warnings.push(format!(
            "{ragged} rows have a different number of fields than the {} and were skipped.",
            if has_header { "header" } else { "first rows" }
        ));
    }
    let columns = (0..width)
        .map(|i| {
            let (role, how) = roles
                .role_of(i)
                .map(|(r, h)| (Some(r), h))
                .unwrap_or((None, "values"));
            ColumnMapping {
                index: i,
                header: col_name(i),
                role,
                detected_by: if role.is_none() { "none".into() } else { how.into() },
                samples: profiles.get(i).map(|p| p.samples.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let amount_source = match (amount_col, qty_times_price) {
        (Some(a), _) if price_is_amount => Some(format!(
            "amount column \"{}\" (a price without quantities)",
            col_name(a)
        )),
        (Some(a), _) => Some(format!("amount column \"{}\"", col_name(a))),
        (None, true) => Some(format!(
            "quantity × unit price (\"{}\" × \"{}\")",
            qty_col.map(col_name).unwrap_or_default(),
            price_col.map(col_name).unwrap_or_default()
        )),
        _ => None,
    };
    debug_assert_eq!(rows_used + skips.total(), rows_read);
    let report = QualityReport {
        file_name: options.file_name.clone(),
        encoding: encoding_name(&detected, switched.get()).into(),
        delimiter: delimiter.name(),
        has_header,
        rows_read,
        rows_used,
        skipped: skips.report(),
        returns_amount,
        zero_amount_rows: zero_rows,
        exact_duplicates: duplicates,
        first_date,
        last_date,
        date_format: if date_format.is_empty() {
            None
        } else {
            Some(date_format.join("; "))
        },
        amount_source,
        table: TableKind::Transactions,
        columns,
        candidates: roles.candidates.clone(),
        dates: Some(dates),
        frequency_unit: if order_col.is_some() {
            "orders"
        } else {
            "purchase_days"
        }
        .into(),
        warnings,
        ..Default::default()
    };
    Ok((Table::Transactions(tx), report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellations_look_like_c_and_digits() {
        assert!(is_cancellation("C536379"));
        assert!(!is_cancellation("C"));
        assert!(!is_cancellation("CUST-7"));
        assert!(!is_cancellation("536379"));
    }

    #[test]
    fn skip_examples_stop_at_five() {
        let mut s = Skips::default();
        for row in 2..20 {
            s.add(SkipReason::BadDate, row);
        }
        s.add(SkipReason::MissingCustomer, 30);
        let r = s.report();
        assert_eq!(
            r[0].reason,
            SkipReason::MissingCustomer,
            "reasons in a fixed order"
        );
        assert_eq!((r[1].rows, r[1].example_rows.clone()), (18, vec![2, 3, 4, 5, 6]));
        assert_eq!(s.total(), 19);
    }

    #[test]
    fn whitespace_records_and_rows() {
        let text = "  a  b\r\n\r\n c   d e\r\n";
        let mut r = Records::new(text.as_bytes(), Delimiter::Whitespace);
        assert_eq!(r.next(), Ok(Some(1)));
        assert_eq!(r.cells(), ["a", "b"]);
        assert_eq!(r.next(), Ok(Some(3)));
        assert_eq!((r.len(), r.get(2), r.get(9)), (3, "e", ""));
        assert_eq!(r.next(), Ok(None));
    }

    #[test]
    fn csv_rows_across_buffer_refills() {
        // Rows far past the first buffer still get the right number, blank lines included.
        let mut text = String::from("h1,h2\n");
        for i in 0..200_000 {
            text.push_str(&format!("{i},x\n"));
            if i % 50_000 == 0 {
                text.push_str("\r\n");
            }
        }
        let mut r = Records::new(text.as_bytes(), Delimiter::Byte(b','));
        let mut last = 0;
        while let Ok(Some(row)) = r.next() {
            last = row;
        }
        assert_eq!(last, 1 + 200_000 + 4);
    }
}
