//! The streaming reader: buffers a prefix to decide the encoding ([`Decoding`]), then a
//! decoded sample for the dialect and the header ([`Layout`]), and hands the records to the
//! summary reader ([`read_summary`]), the customer-level reader ([`read_customer_level`]) or to [`super::purchases`], which reads
//! every record once, typing values and counting skipped rows, into columnar
//! [`super::Transactions`]. Memory follows the kept rows: records are reused, ids are
//! interned. The skip counts ([`Skips`]) and the row-level warnings shared by both live here.

use super::currency::{CurrencyPlan, CurrencyTally};
use super::customer_table::{customer_columns, CustomerLevel};
use super::dialect::{looks_like_header, sniff_delimiter, Delimiter};
use super::encoding::{by_label, detect, DecodeReader, Detected, Switch};
use super::messages::msg;
use super::records::{RecordError, Records};
use super::summary_table::{is_summary_header, SummaryReader};
use super::{
    IngestError, IngestErrorKind, IngestOptions, IngestProgress, QualityReport, SkipCount, SkipReason, Table,
    TableKind,
};
use crate::warning::Warning;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::rc::Rc;

pub(super) const SAMPLE_BYTES: usize = 64 * 1024;

/// Recognises an HTML page or a JSON document saved under a table's name (a failed export, a
/// login page), which would otherwise read as a one-column table with no data.
pub(super) fn not_a_table(prefix: &[u8]) -> Option<&'static str> {
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
/// The next record's row number, `None` at the end; a read failure or a line past the bound
/// is a located error.
pub(super) fn next_record<R: Read>(
    recs: &mut Records<R>,
    options: &IngestOptions,
) -> Result<Option<u64>, IngestError> {
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
pub(super) fn switched_warning(s: Switch, row: Option<u64>) -> Warning {
    msg(
        "encoding_switched",
        format!(
            "The file starts as plain ASCII (read as UTF-8) but from byte {}{} it has bytes that are not UTF-8: the encoding was decided again there and the file read as {} (the ASCII before reads the same), so names like Müller and Möller stay apart. If names look wrong, choose the encoding in the Encoding menu on the page, or pass --encoding.",
            s.at,
            row.map(|r| format!(" (row {r})")).unwrap_or_default(),
            s.name
        ),
    )
    .with_param("byte", s.at)
    .with_param("row", row)
    .with_param("encoding", s.name)
}

/// The warning for bytes the detected encoding could not decode.
pub(super) fn replaced_warning(encoding: &str) -> Warning {
    msg(
        "replaced_bytes",
        format!(
            "Some bytes were not valid {encoding} and were replaced by �: if names or amounts look wrong, choose the file's encoding in the Encoding menu on the page, or pass --encoding (e.g. --encoding windows-1252, gbk or big5)."
        ),
    )
    .with_param("encoding", encoding)
}

pub(super) fn err(options: &IngestOptions, kind: IngestErrorKind, message: impl Into<String>) -> IngestError {
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
pub(super) struct StrayQuotes {
    pub(super) rows: u64,
    pub(super) examples: Vec<u64>,
}

impl StrayQuotes {
    pub(super) fn add(&mut self, row: u64) {
        self.rows += 1;
        if self.examples.len() < 5 {
            self.examples.push(row);
        }
    }

    /// Adds the rows of a later chunk of the file, whose rows start after `row_offset`.
    pub(super) fn absorb(&mut self, later: &StrayQuotes, row_offset: u64) {
        self.rows += later.rows;
        let room = 5usize.saturating_sub(self.examples.len());
        self.examples
            .extend(later.examples.iter().take(room).map(|r| r + row_offset));
    }

    pub(super) fn warning(&self) -> Option<Warning> {
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
        let examples: Vec<String> = self.examples.iter().map(|r| r.to_string()).collect();
        Some(
            msg(
                "unterminated_quote",
                format!(
            "{rows} a quote (\") that opens a cell and never closes (within {} lines and {} MiB, or before the end of the file): {} skipped, and the lines after {} were read as rows of their own, so no other row was lost. To use {}, remove the stray quote or close it in the file.",
            super::records::MAX_QUOTED_LINES,
            super::records::MAX_QUOTED_BYTES >> 20,
            if self.rows == 1 { "it was" } else { "each was" },
            if self.rows == 1 { "it" } else { "each" },
            if self.rows == 1 { "the row" } else { "these rows" },
                ),
            )
            .with_param("rows", self.rows)
            .with_param("row", first)
            .with_param("examples", examples.join(", "))
            .with_param("max_lines", super::records::MAX_QUOTED_LINES as u64)
            .with_param("max_mib", (super::records::MAX_QUOTED_BYTES >> 20) as u64),
        )
    }
}

/// Skip counts per reason with example rows.
#[derive(Default)]
pub(super) struct Skips {
    counts: Vec<(SkipReason, u64, Vec<u64>)>,
}

impl Skips {
    pub(super) fn add(&mut self, reason: SkipReason, row: u64) {
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
    pub(super) fn add_many(&mut self, reason: SkipReason, rows: u64, examples: &[u64]) {
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
    pub(super) fn count(&self, reason: SkipReason) -> u64 {
        self.counts
            .iter()
            .find(|c| c.0 == reason)
            .map(|c| c.1)
            .unwrap_or(0)
    }
    pub(super) fn total(&self) -> u64 {
        self.counts.iter().map(|c| c.1).sum()
    }
    pub(super) fn report(&self) -> Vec<SkipCount> {
        SkipReason::ALL
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

pub(super) fn read_prefix<R: Read>(reader: &mut R, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
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
        delimiter: Some(Delimiter::Byte(b',')),
        encoding: Some("utf-8".into()),
        ..options.clone()
    };
    let (table, mut quality) = read_from(sheet.csv_reader(), None, &text_options, progress)?;
    quality.encoding = format!("{format:?} workbook, sheet \"{}\"", sheet.chosen);
    quality.delimiter = "(spreadsheet cells)".into();
    quality.sheet = Some(sheet.chosen.clone());
    quality.sheets = sheet.names.clone();
    if sheet.names.len() > 1 {
        quality.warnings.push(
            msg(
                "sheets",
                format!(
                    "The workbook has {} sheets (\"{}\"): \"{}\" was read; to read another, choose it in the Sheet menu on the page, or pass --sheet NAME.",
                    sheet.names.len(),
                    sheet.names.join("\", \""),
                    sheet.chosen
                ),
            )
            .with_param("count", sheet.names.len() as u64)
            .with_param("names", sheet.names.join("\", \""))
            .with_param("sheet", sheet.chosen.clone()),
        );
    }
    if sheet.error_cells > 0 {
        quality.warnings.push(
            msg(
                "error_cells",
                format!(
                    "{} cells of the sheet hold spreadsheet errors (#N/A, #DIV/0!, …) and were read as empty.",
                    sheet.error_cells
                ),
            )
            .with_param("cells", sheet.error_cells),
        );
    }
    Ok((table, quality))
}

/// A Parquet file (held whole: its directory is at the end), its rows streamed as the CSV text
/// the reader reads ([`super::parquet::ParquetCsv`]); the quality report names the format.
fn read_parquet_from<R: Read>(
    prefix: Vec<u8>,
    mut reader: R,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    let mut bytes = prefix;
    reader.read_to_end(&mut bytes).map_err(|e| io_error(options, e))?;
    let csv = super::parquet::ParquetCsv::open(bytes, options.file_name.as_deref())?;
    let (description, warnings) = (csv.description.clone(), csv.warnings.clone());
    let text_options = IngestOptions {
        delimiter: Some(Delimiter::Byte(b',')),
        encoding: Some("utf-8".into()),
        has_header: Some(true),
        ..options.clone()
    };
    let (table, mut quality) = read_from(csv, None, &text_options, progress)?;
    quality.encoding = description;
    quality.delimiter = "(Parquet columns)".into();
    quality.warnings.extend(warnings);
    Ok((table, quality))
}

/// How the text is decoded: decided from the raw prefix (or the option), and possibly decided
/// again after an ASCII start, with what the quality report says about it.
pub(super) struct Decoding {
    detected: Detected,
    /// Set when bytes could not be decoded and were replaced by �.
    pub(super) replaced: Rc<Cell<bool>>,
    /// Set when the encoding was decided again after an ASCII start.
    pub(super) switched: Rc<Cell<Option<Switch>>>,
    /// An encoding the user chose must decode every byte: a replacement is an error at its row.
    explicit: bool,
    /// The warning for an encoding guessed among several that decode the bytes.
    pub(super) guess_warning: Option<Warning>,
}

impl Decoding {
    /// Decides the encoding from the raw prefix (or the option) and wraps the reader in its
    /// decoder.
    pub(super) fn decide<R: Read>(
        reader: R,
        prefix: Vec<u8>,
        complete: bool,
        bytes_read: Rc<Cell<u64>>,
        options: &IngestOptions,
    ) -> Result<(Decoding, DecodeReader<R>), IngestError> {
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
        let mut text = DecodeReader::new(reader, prefix, &detected, bytes_read);
        let replaced = text.replaced();
        // UTF-8 guessed from an ASCII start is decided again at the first non-ASCII byte, however
        // far into the file (a Windows-1252 "Müller" after 64 KiB of ASCII stays "Müller").
        if options.encoding.is_none() && detected.encoding == encoding_rs::UTF_8 && detected.bom_len == 0 {
            text.redecide_after_ascii();
        }
        let switched = text.switched();
        let explicit = options.encoding.is_some();
        let guess_warning = (!explicit && !detected.alternatives.is_empty()).then(|| {
            let option = detected.alternatives.first().map(|a| a.to_lowercase()).unwrap_or_default();
            let english = format!(
                "The file is not UTF-8: it was read as {} (its text is made of common characters in that encoding); {} also decode{} the bytes. If names look garbled, choose another encoding in the Encoding menu on the page, or pass --encoding {}.",
                detected.name,
                detected.alternatives.join(" and "),
                if detected.alternatives.len() == 1 { "s" } else { "" },
                option
            );
            msg("encoding_guess", english)
                .with_param("encoding", detected.name)
                .with_param("others", detected.alternatives.join(", "))
                .with_param("option", option)
        });
        let decoding = Decoding {
            detected,
            replaced,
            switched,
            explicit,
            guess_warning,
        };
        Ok((decoding, text))
    }

    /// The encoding shown in the quality report.
    pub(super) fn encoding_name(&self) -> &'static str {
        encoding_name(&self.detected, self.switched.get())
    }

    /// With an encoding the user chose, a record holding a replaced byte is an error at its
    /// row and column.
    pub(super) fn undecodable<R: Read>(
        &self,
        options: &IngestOptions,
        recs: &Records<R>,
        row: u64,
        headers: Option<&[String]>,
    ) -> Result<(), IngestError> {
        if !(self.explicit && self.replaced.get()) {
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
                self.detected.name
            ),
            kind: IngestErrorKind::InvalidOption,
        })
    }

    /// The encoding's warnings of a customer-level table.
    fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        warnings.extend(self.switched.get().map(|s| switched_warning(s, None)));
        if self.replaced.get() {
            warnings.push(replaced_warning(self.encoding_name()));
        }
        warnings.extend(self.guess_warning.clone());
        warnings
    }
}

/// How every chunk of a file split at line starts decodes its bytes, as the head decided
/// ([`Decoding::for_chunks`]): plain data, shared by the threads reading the chunks.
#[derive(Clone)]
pub(super) struct ChunkDecoding {
    detected: Detected,
    explicit: bool,
    redecide: bool,
}

impl Decoding {
    /// The decoding for chunks that start at line starts, or `None` when a line start in the
    /// bytes is not a character boundary the decoder can start from (UTF-16, ISO-2022-JP).
    pub(super) fn for_chunks(&self) -> Option<ChunkDecoding> {
        let encoding = self.detected.encoding;
        (encoding.is_ascii_compatible() && encoding != encoding_rs::ISO_2022_JP).then(|| ChunkDecoding {
            detected: self.detected.clone(),
            explicit: self.explicit,
            redecide: !self.explicit && encoding == encoding_rs::UTF_8 && self.detected.bom_len == 0,
        })
    }
}

impl ChunkDecoding {
    /// A decoder for one chunk: the first (from byte 0, `prefix` already read from `reader`,
    /// its byte-order mark dropped) or a later one (from a line start, no mark).
    /// `bytes_read` counts the raw bytes the decoder consumes (the prefix included).
    pub(super) fn open<R: Read>(
        &self,
        reader: R,
        prefix: Vec<u8>,
        first: bool,
        bytes_read: Rc<Cell<u64>>,
    ) -> (Decoding, DecodeReader<R>) {
        let mut detected = self.detected.clone();
        if !first {
            detected.bom_len = 0;
        }
        bytes_read.set(bytes_read.get() + prefix.len() as u64);
        let mut text = DecodeReader::new(reader, prefix, &detected, bytes_read);
        if self.redecide {
            text.redecide_after_ascii();
        }
        let decoding = Decoding {
            detected: self.detected.clone(),
            replaced: text.replaced(),
            switched: text.switched(),
            explicit: self.explicit,
            guess_warning: None,
        };
        (decoding, text)
    }
}

/// The progress callback with what it reports: bytes read so far (of the total, when known)
/// and rows read. A `false` from it cancels the read.
pub(super) struct Progress<'p> {
    callback: &'p mut dyn FnMut(IngestProgress) -> bool,
    bytes_read: Rc<Cell<u64>>,
    total_bytes: Option<u64>,
}

impl<'p> Progress<'p> {
    pub(super) fn new(
        callback: &'p mut dyn FnMut(IngestProgress) -> bool,
        bytes_read: Rc<Cell<u64>>,
        total_bytes: Option<u64>,
    ) -> Self {
        Progress {
            callback,
            bytes_read,
            total_bytes,
        }
    }

    /// The count of raw bytes read that this reports.
    pub(super) fn bytes_cell(&self) -> Rc<Cell<u64>> {
        self.bytes_read.clone()
    }

    pub(super) fn set_bytes_read(&self, bytes: u64) {
        self.bytes_read.set(bytes);
    }

    /// Reports `rows_read`; cancelled is an error.
    pub(super) fn report(&mut self, rows_read: u64, options: &IngestOptions) -> Result<(), IngestError> {
        if (self.callback)(IngestProgress {
            bytes_read: self.bytes_read.get(),
            total_bytes: self.total_bytes,
            rows_read,
        }) {
            Ok(())
        } else {
            Err(err(options, IngestErrorKind::Cancelled, "reading was cancelled."))
        }
    }

    /// Reports every [`PROGRESS_EVERY`] rows.
    pub(super) fn every(&mut self, rows_read: u64, options: &IngestOptions) -> Result<(), IngestError> {
        if rows_read.is_multiple_of(PROGRESS_EVERY) {
            self.report(rows_read, options)
        } else {
            Ok(())
        }
    }
}

/// The whole decoded text: the sample read again, then the rest.
pub(super) type Text<R> = std::io::Chain<Cursor<Vec<u8>>, R>;

/// What the decoded sample says of the table: the delimiter, whether the first row is a
/// header, the column names and the width, and the sample's rows (which the streaming read
/// reads again, from the start).
pub(super) struct Layout {
    /// The decoded sample's bytes: the first thing the records read.
    sample: Vec<u8>,
    pub(super) delimiter: Delimiter,
    pub(super) has_header: bool,
    /// The header's names, or `column 1`, `column 2`, …: one per column.
    pub(super) headers: Vec<String>,
    pub(super) width: usize,
    sample_rows: Vec<Vec<String>>,
    /// The first row had a stray quote (read as text without it).
    pub(super) stray_in_first: bool,
}

impl Layout {
    /// Reads the decoded sample and decides the layout; a binary, empty or header-only file
    /// and a delimiter option that names no delimiter are errors.
    pub(super) fn sample<R: Read>(text: &mut R, options: &IngestOptions) -> Result<Layout, IngestError> {
        let (sample, sample_complete) = read_prefix(text, SAMPLE_BYTES).map_err(|e| io_error(options, e))?;
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
            return Err(empty(options));
        }
        let delimiter = match options.delimiter {
            Some(d) => d,
            None => sniff_delimiter(&lines),
        };
        let (sample_rows, stray_in_first) = sample_rows(&sample, delimiter, sample_complete);
        let Some(first) = sample_rows.first().cloned() else {
            return Err(empty(options));
        };
        let has_header = options
            .has_header
            .unwrap_or_else(|| looks_like_header(&first, sample_rows.get(1..).unwrap_or(&[])));
        let mut first = first;
        if has_header && delimiter == Delimiter::Whitespace {
            first = aligned_header(first, sample_rows.get(1).map(|r| r.len()), &lines);
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
            usual_width(data_sample).unwrap_or(first.len())
        };
        let headers: Vec<String> = if has_header {
            first.clone()
        } else {
            (1..=width).map(|i| format!("column {i}")).collect()
        };
        Ok(Layout {
            sample,
            delimiter,
            has_header,
            headers,
            width,
            sample_rows,
            stray_in_first,
        })
    }

    /// The first row of the sample (the header, when there is one).
    pub(super) fn first_row(&self) -> Option<&[String]> {
        self.sample_rows.first().map(Vec::as_slice)
    }

    /// Takes the first row as the header: for a reader that knows its own header names (the
    /// response reader), when the values alone did not say so.
    pub(super) fn take_header(&mut self) {
        if let (false, Some(first)) = (self.has_header, self.sample_rows.first()) {
            self.headers = first.clone();
            self.width = first.len();
            self.has_header = true;
        }
    }

    /// The sample's data rows (below the header, if any).
    pub(super) fn data_sample(&self) -> &[Vec<String>] {
        if self.has_header {
            self.sample_rows.get(1..).unwrap_or(&[])
        } else {
            &self.sample_rows[..]
        }
    }

    /// A column's name: its header, or `column N` (1-based).
    pub(super) fn col_name(&self, i: usize) -> String {
        self.headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }

    /// The records of the whole text (the sample, then the rest), past the header row.
    pub(super) fn records<R: Read>(
        &mut self,
        text: R,
        decoding: &Decoding,
        options: &IngestOptions,
    ) -> Result<Records<Text<R>>, IngestError> {
        let mut recs = Records::new(
            Cursor::new(std::mem::take(&mut self.sample)).chain(text),
            self.delimiter,
        );
        recs.set_width(self.width);
        if self.has_header {
            if let Some(row) = recs.next().map_err(|e| record_error(options, e))? {
                decoding.undecodable(options, &recs, row, None)?;
            }
        }
        Ok(recs)
    }
}

/// The sample's rows as the records reader splits them (at most [`SAMPLE_ROWS`] + 1, the
/// last dropped when the sample may cut it), and whether the first had a stray quote.
fn sample_rows(sample: &[u8], delimiter: Delimiter, sample_complete: bool) -> (Vec<Vec<String>>, bool) {
    let mut sample_rows: Vec<Vec<String>> = Vec::new();
    let mut stray_in_first = false;
    let mut recs = Records::new(Cursor::new(sample), delimiter);
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
    (sample_rows, stray_in_first)
}

/// Aligned text with names like `Customer ID`: the header split on runs of 2+ blanks when
/// single blanks give more names than the rows have values.
fn aligned_header(first: Vec<String>, width_below: Option<usize>, lines: &[&str]) -> Vec<String> {
    let width_below = width_below.unwrap_or(first.len());
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
            return wide;
        }
    }
    first
}

/// The most common row width of a headerless sample (the narrower on a tie).
fn usual_width(data_sample: &[Vec<String>]) -> Option<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for r in data_sample {
        *counts.entry(r.len()).or_default() += 1;
    }
    let mut counts: Vec<(usize, usize)> = counts.into_iter().collect();
    counts.sort_by_key(|&(len, n)| (std::cmp::Reverse(n), len));
    counts.first().map(|c| c.0)
}

fn io_error(options: &IngestOptions, e: std::io::Error) -> IngestError {
    err(
        options,
        IngestErrorKind::Io,
        format!("the file could not be read: {e}"),
    )
}

fn empty(options: &IngestOptions) -> IngestError {
    err(
        options,
        IngestErrorKind::Empty,
        "the file is empty: export the transactions again and drop the new file here.",
    )
}

/// The implementation behind [`super::read_table_from`] and [`super::read_from`]: decides the
/// encoding from the raw prefix (or hands a workbook to [`read_workbook_from`]), the layout
/// from a decoded sample, then reads a customer-level table ([`read_customer_level`]) or a
/// table of purchases ([`super::purchases::read`]).
pub fn read_from<R: Read>(
    mut reader: R,
    total_bytes: Option<u64>,
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    // 1. Encoding from the raw prefix.
    let (prefix, complete) = read_prefix(&mut reader, SAMPLE_BYTES).map_err(|e| io_error(options, e))?;
    let bytes_read = Rc::new(Cell::new(prefix.len() as u64));
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(empty(options));
    }
    if let Some(format) = super::detect_workbook(&prefix) {
        return read_workbook_from(format, prefix, reader, options, progress);
    }
    if super::parquet::is_parquet(&prefix) {
        return read_parquet_from(prefix, reader, options, progress);
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
    let (decoding, mut text) = Decoding::decide(reader, prefix, complete, bytes_read.clone(), options)?;
    // 2. A decoded sample for the dialect, header and roles.
    let layout = Layout::sample(&mut text, options)?;
    let mut progress = Progress {
        callback: progress,
        bytes_read,
        total_bytes,
    };
    // 3. A per-customer summary or a customer-level table (one row per customer) is read
    // apart: its rows are figures per customer, not purchases.
    if let Some(summary) = summary_reader(&layout, options)? {
        return read_summary(summary, layout, text, &decoding, &mut progress, options);
    }
    if let Some((level, currency)) = customer_level(&layout, options, decoding.encoding_name())? {
        return read_customer_level(level, currency, layout, text, &decoding, &mut progress, options);
    }
    // 4. Otherwise a table of purchases: every record typed, skips counted.
    super::purchases::read(layout, text, &decoding, &mut progress, options)
}

/// The summary reader, when the header names a summary's key columns (unless the options ask
/// for another kind of table) or the options ask for a summary.
pub(super) fn summary_reader(
    layout: &Layout,
    options: &IngestOptions,
) -> Result<Option<SummaryReader>, IngestError> {
    let detected = layout.has_header && is_summary_header(&layout.headers);
    match options.table {
        Some(TableKind::Summary) => SummaryReader::new(&layout.headers, options).map(Some),
        None if detected => SummaryReader::new(&layout.headers, options).map(Some),
        _ => Ok(None),
    }
}

/// Streams the records of a per-customer summary into `summary`.
fn read_summary<R: Read>(
    mut summary: SummaryReader,
    mut layout: Layout,
    text: R,
    decoding: &Decoding,
    progress: &mut Progress<'_>,
    options: &IngestOptions,
) -> Result<(Table, QualityReport), IngestError> {
    let mut recs = layout.records(text, decoding, options)?;
    while let Some(row) = next_record(&mut recs, options)? {
        decoding.undecodable(options, &recs, row, Some(&layout.headers))?;
        if recs.recovered() {
            return Err(IngestError {
                row: Some(row),
                ..err(
                    options,
                    IngestErrorKind::Other,
                    "a quote opens a cell and never closes: a summary's rows are read whole or not at all",
                )
            });
        }
        summary.push(row, &recs.cells())?;
        progress.every(summary.rows_read(), options)?;
    }
    progress.report(summary.rows_read(), options)?;
    let quality = QualityReport {
        file_name: options.file_name.clone(),
        encoding: decoding.encoding_name().into(),
        delimiter: layout.delimiter.name(),
        has_header: layout.has_header,
        warnings: decoding.warnings(),
        ..Default::default()
    };
    let (summary, quality) = summary.finish(quality)?;
    Ok((Table::Summary(summary), quality))
}

/// The customer-level reader, when the header, the sample or the options say the table has
/// one row per customer, with the currency evidence of its total-spent column.
pub(super) fn customer_level(
    layout: &Layout,
    options: &IngestOptions,
    encoding: &str,
) -> Result<Option<(CustomerLevel, CurrencyPlan)>, IngestError> {
    let wants_customers = options.table == Some(TableKind::Customers)
        || options
            .roles
            .iter()
            .any(|(r, t)| r.is_customer_level() && !t.trim().is_empty());
    if options.table == Some(TableKind::Transactions) || !(layout.has_header || wants_customers) {
        return Ok(None);
    }
    let columns = customer_columns(
        &layout.headers,
        layout.data_sample(),
        &options.roles,
        wants_customers,
    )
    .map_err(|m| err(options, IngestErrorKind::InvalidOption, m))?;
    let Some(columns) = columns else {
        return Ok(None);
    };
    let used: Vec<usize> = [Some(columns.id), Some(columns.orders), Some(columns.total_spent)]
        .into_iter()
        .chain([columns.last_order, columns.recency_days, columns.first_order])
        .flatten()
        .collect();
    let currency = CurrencyPlan::new(
        layout.has_header.then_some(&layout.headers[..]),
        layout.data_sample(),
        &[columns.total_spent],
        &used,
        encoding,
        options.currency.as_ref(),
    );
    Ok(Some((
        CustomerLevel::new(&layout.headers, columns, options)?,
        currency,
    )))
}

/// Streams the records of a customer-level table into `level` (a currency column is counted
/// in the sampled rows).
fn read_customer_level<R: Read>(
    mut level: CustomerLevel,
    currency: CurrencyPlan,
    mut layout: Layout,
    text: R,
    decoding: &Decoding,
    progress: &mut Progress<'_>,
    options: &IngestOptions,
) -> Result<(Table, QualityReport), IngestError> {
    let mut recs = layout.records(text, decoding, options)?;
    let mut unterminated = StrayQuotes::default();
    while let Some(row) = next_record(&mut recs, options)? {
        decoding.undecodable(options, &recs, row, Some(&layout.headers))?;
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
        progress.every(level.rows_read(), options)?;
    }
    progress.report(level.rows_read(), options)?;
    let mut warnings = Vec::new();
    warnings.extend(unterminated.warning());
    warnings.extend(decoding.warnings());
    let mut tally = CurrencyTally::default();
    if let Some(c) = currency.column {
        for r in layout.data_sample() {
            tally.add(r.get(c).map_or("", String::as_str));
        }
    }
    let column_name = currency.column.map(|c| layout.col_name(c));
    let (currency, currency_warnings) = currency.decide(column_name, &tally.counts);
    warnings.extend(currency_warnings);
    let quality = QualityReport {
        file_name: options.file_name.clone(),
        encoding: decoding.encoding_name().into(),
        delimiter: layout.delimiter.name(),
        has_header: layout.has_header,
        table: TableKind::Customers,
        currency,
        warnings,
        ..Default::default()
    };
    Ok((Table::Customers(level), quality))
}

#[cfg(test)]
mod tests {
    use super::*;

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
