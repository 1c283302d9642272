//! Spreadsheet workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) held in memory → rows of cell text,
//! exactly the text the CSV reader would have seen had the user saved the sheet as CSV: ids
//! without `.0`, full-precision numbers, ISO date-times for date cells and date-formatted
//! serial numbers. Reads from bytes only (no filesystem), so it runs in wasm too; calamine
//! does the parsing, this module chooses the sheet and renders cells.
//!
//! Defence in proportion to the risk: what a damaged file could make calamine exhaust (memory,
//! the stack) is refused before calamine reads it, on every target (the .xls container and
//! sheet spans here, the allocation bounds in `bounds`, the .xlsb formula depth in
//! `xlsb_check`); a panic in calamine on other damage is caught natively ([`guarded`],
//! [`read_sheet`]) and is a trap of the page's worker in wasm, which the page reports.

use super::{IngestError, IngestErrorKind};
use calamine::{
    Cell, Data, DataRef, ExcelDateTime, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx,
};
use chrono::{NaiveDate, NaiveDateTime, Timelike};
use std::io::{Cursor, Read};

mod bounds;
mod format;
mod xlsb_check;
use bounds::CellBudget;
pub use bounds::{MAX_SHARED_STRINGS, MAX_SHEET_CELLS, MAX_TEXT_BYTES};
pub use format::{detect_workbook, WorkbookFormat};

/// One sheet of a workbook, ready to be read row by row as text.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub format: WorkbookFormat,
    /// Every sheet name in workbook order, so the page can offer a choice.
    pub names: Vec<String>,
    /// The sheet that was read.
    pub chosen: String,
    /// Its 0-based position in `names`.
    pub index: usize,
    /// 1-based row number (as the spreadsheet shows it) of the first row of [`Sheet::rows`].
    pub first_row: u64,
    /// Cells holding an error (`#DIV/0!`, `#N/A`, …); they read as empty text.
    pub error_cells: u64,
    range: Range<Data>,
}

fn workbook_err(file: Option<&str>, kind: IngestErrorKind, message: impl Into<String>) -> IngestError {
    IngestError {
        file: file.map(String::from),
        row: None,
        column: None,
        message: message.into(),
        kind,
    }
}

/// Opened workbook of any supported format.
enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>),
    Xlsb(Xlsb<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
    Ods(Ods<Cursor<&'a [u8]>>),
}

impl Book<'_> {
    fn sheets(&self) -> Vec<calamine::Sheet> {
        match self {
            Book::Xlsx(b) => b.sheets_metadata().to_vec(),
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b) => b.sheets_metadata().to_vec(),
        }
    }
    /// The sheet's cells as a rectangle. For .xlsx and .xlsb the cells are streamed and the
    /// rectangle is built only when its area is plausible (see [`bounded_range`]); calamine's
    /// own `worksheet_range` would allocate the whole span, so a single stray cell at
    /// XFD1048576 asks for billions of cells and aborts the process (the widget, in wasm).
    fn range(&mut self, name: &str) -> Result<Range<Data>, SheetError> {
        match self {
            Book::Xlsx(b) => {
                let mut reader = match b.worksheet_cells_reader(name) {
                    Ok(r) => r,
                    Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Range::default()),
                    Err(e) => return Err(SheetError::Damaged(e.to_string())),
                };
                let mut cells = Vec::new();
                let mut budget = CellBudget::default();
                while let Some(c) = reader
                    .next_cell()
                    .map_err(|e| SheetError::Damaged(e.to_string()))?
                {
                    collect(&mut cells, &mut budget, c).map_err(SheetError::TooBig)?;
                }
                bounded_range(cells).map_err(SheetError::Damaged)
            }
            Book::Xlsb(b) => {
                let mut reader = b
                    .worksheet_cells_reader(name)
                    .map_err(|e| SheetError::Damaged(e.to_string()))?;
                let mut cells = Vec::new();
                let mut budget = CellBudget::default();
                while let Some(c) = reader
                    .next_cell()
                    .map_err(|e| SheetError::Damaged(e.to_string()))?
                {
                    collect(&mut cells, &mut budget, c).map_err(SheetError::TooBig)?;
                }
                bounded_range(cells).map_err(SheetError::Damaged)
            }
            // .xls and .ods are bounded before they are opened (`check_container`, `check_ods`).
            Book::Xls(b) => b
                .worksheet_range(name)
                .map_err(|e| SheetError::Damaged(e.to_string())),
            Book::Ods(b) => b
                .worksheet_range(name)
                .map_err(|e| SheetError::Damaged(e.to_string())),
        }
    }
}

/// Why a sheet could not be read.
enum SheetError {
    /// calamine failed, or a check found damage.
    Damaged(String),
    /// Over one of the [`bounds`].
    TooBig(String),
    /// calamine panicked reading it (caught natively; see [`guarded`]).
    Panicked(String),
}

/// Keeps a filled cell streamed from an .xlsx / .xlsb sheet, once the budget allows it (see
/// [`bounds`]): a sheet over a bound is refused at the cell that crosses it, before more cells
/// are collected. A shared string is copied into every cell that uses it, so its length counts
/// each time.
fn collect(cells: &mut Vec<Cell<Data>>, budget: &mut CellBudget, c: Cell<DataRef<'_>>) -> Result<(), String> {
    let text = match c.get_value() {
        DataRef::Empty => return Ok(()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 0,
    };
    let (row, col) = c.get_position();
    budget.add(row, col, text)?;
    if cells.len() == cells.capacity() {
        // Grow by half, never past the bound: doubling would reserve up to twice the bound.
        let room = (MAX_SHEET_CELLS as usize).saturating_sub(cells.len());
        cells.reserve_exact((cells.len() / 2).clamp(1024, room.max(1)));
    }
    cells.push(Cell::new((row, col), Data::from(c.get_value().clone())));
    Ok(())
}

/// Whether `cells` filled cells can span `rows` × `cols`: a table fills most of its rectangle,
/// so the span may exceed four times the cells only below a million cells.
fn plausible_area(cells: u64, rows: u64, cols: u64) -> bool {
    let area = rows.saturating_mul(cols);
    area <= MAX_SHEET_CELLS && area <= cells.saturating_mul(4).max(1 << 20)
}

/// A cell address as the spreadsheet shows it (0-based row and column → `XFD1048576`).
fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = u64::from(col) + 1;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), u64::from(row) + 1)
}

/// [`Range::from_sparse`] once the span is known to be plausible.
fn bounded_range(cells: Vec<Cell<Data>>) -> Result<Range<Data>, String> {
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
    for (r, c) in cells.iter().map(|c| c.get_position()) {
        (r0, r1, c0, c1) = (r0.min(r), r1.max(r), c0.min(c), c1.max(c));
    }
    if !cells.is_empty() {
        let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        if !plausible_area(cells.len() as u64, rows, cols) {
            return Err(format!(
                "the sheet's {} filled cells are spread over {}:{} ({rows} rows × {cols} columns), far more than a table fills; delete the stray cells away from the table (Ctrl+End shows the last one) or save the sheet as CSV",
                cells.len(),
                a1(r0, c0),
                a1(r1, c1)
            ));
        }
    }
    Ok(Range::from_sparse(cells))
}

/// A workbook over one of the [`bounds`]: the message says which sheet, where, and to save it
/// as CSV.
fn too_big(file: Option<&str>, message: String) -> IngestError {
    workbook_err(file, IngestErrorKind::Other, format!("{message}."))
}

const PROTECTED: &str = "this workbook is password-protected (encrypted): open it in Excel, remove the password (File ▸ Info ▸ Protect Workbook) or save the sheet as CSV, and try again.";

fn open<'a>(bytes: &'a [u8], file: Option<&str>) -> Result<(WorkbookFormat, Book<'a>), IngestError> {
    let format = detect_workbook(bytes).ok_or_else(|| {
        workbook_err(
            file,
            IngestErrorKind::NotText,
            "this file is not an Excel (.xlsx, .xls, .xlsb) or OpenDocument (.ods) workbook.",
        )
    })?;
    let corrupt = |e: String| {
        if bounds::is_too_big(&e) {
            return too_big(file, e);
        }
        let lower = e.to_ascii_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            workbook_err(file, IngestErrorKind::Other, PROTECTED)
        } else {
            workbook_err(
                file,
                IngestErrorKind::Io,
                format!("the workbook could not be read; it may be damaged or only partly saved ({e}). Open it in Excel and save it again, or save the sheet as CSV."),
            )
        }
    };
    let cursor = Cursor::new(bytes);
    let book = match format {
        WorkbookFormat::Xlsx => {
            // calamine reads every shared string (reserving their declared count) on opening;
            // a sheet of millions of tiny cells is refused before calamine parses them.
            bounds::check_xlsx(bytes).map_err(corrupt)?;
            Book::Xlsx(Xlsx::new(cursor).map_err(|e| corrupt(e.to_string()))?)
        }
        WorkbookFormat::Xlsb => {
            // calamine holds every shared string and recurses into nested formulas unbounded.
            xlsb_check::check_xlsb(bytes).map_err(corrupt)?;
            Book::Xlsb(Xlsb::new(cursor).map_err(|e| corrupt(e.to_string()))?)
        }
        WorkbookFormat::Ods => {
            // calamine expands every table's repeated rows and columns on opening.
            bounds::check_ods(bytes).map_err(corrupt)?;
            Book::Ods(Ods::new(cursor).map_err(|e| corrupt(e.to_string()))?)
        }
        WorkbookFormat::Xls => {
            // calamine would follow a broken container's sector chains without end: check first.
            check_container(bytes).map_err(corrupt)?;
            match Xls::new(cursor) {
                Ok(b) => Book::Xls(b),
                Err(e) => {
                    // An encrypted .xlsx is an OLE file too; the xlsx reader recognises it.
                    if let Err(calamine::XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
                        return Err(workbook_err(file, IngestErrorKind::Other, PROTECTED));
                    }
                    return Err(corrupt(e.to_string()));
                }
            }
        }
    };
    Ok((format, book))
}

/// Checks a .xls before calamine opens it (which parses every sheet at once):
///
/// - the OLE compound-file container, with the `cfb` crate (its permissive mode accepts what
///   other writers leave in directory entries but requires every sector chain to be in bounds
///   and loop-free): calamine follows a cyclic chain without end, and a .xls whose FAT claims
///   more sectors than the file has made it grow a buffer past 24 GB;
/// - every sheet's span, from its DIMENSIONS record and the positions of its cell records:
///   calamine reserves, then fills, the whole rectangle, so a damaged record claiming
///   4 billion rows is an allocation that aborts the process.
///
/// Both were found by `cargo fuzz run ingest` (fixtures in `tests/fixtures/excel/fuzz_*.xls`).
/// Records calamine merely indexes past (a cut-short MERGECELLS, SST or sheet entry) are left
/// to it: its panic is a damaged-workbook error natively ([`guarded`]) and a trap of the
/// page's worker in wasm, which the page reports and replaces.
fn check_container(bytes: &[u8]) -> Result<(), String> {
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| format!("its container is broken: {e}"))?;
    // calamine takes the first directory entry named Workbook (else Book), ignoring ASCII case;
    // a damaged name length leaves NULs behind the name, which it does not see either.
    let named = |file: &cfb::CompoundFile<Cursor<&[u8]>>, wanted: &str| {
        file.walk()
            .find(|e| e.is_stream() && e.name().trim_end_matches('\0').eq_ignore_ascii_case(wanted))
            .map(|e| e.path().to_path_buf())
    };
    let Some(path) = named(&file, "Workbook").or_else(|| named(&file, "Book")) else {
        if named(&file, "EncryptedPackage").is_some() {
            return Ok(()); // an encrypted .xlsx: calamine's xlsx reader says so
        }
        return Err("it holds no workbook stream".into());
    };
    let mut stream = Vec::new();
    file.open_stream(&path)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| format!("its workbook stream could not be read: {e}"))?;
    check_biff_spans(&stream)
}

/// Little-endian numbers at byte `i`, 0 where `d` is too short.
fn u16_at(d: &[u8], i: usize) -> u16 {
    d.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(d: &[u8], i: usize) -> u32 {
    d.get(i..i + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// BIFF records from byte `start` of a workbook stream, as calamine's `RecordIter` splits them:
/// (offset, type, data); ends where a header or a body would run past the stream (calamine
/// stops there with an error).
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (usize, u16, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at);
        let len = usize::from(u16_at(stream, at + 2));
        let data = stream.get(at + 4..at + 4 + len)?;
        let here = at;
        at += 4 + len;
        Some((here, typ, data))
    })
}

/// Walks the workbook stream the way calamine does: the globals from the start to the first
/// EOF (every record checked, sheet entries collected), then each sheet from where its entry
/// points (which need not be on a record boundary of the globals walk) to its EOF, skipping
/// nested substreams as calamine does. A sheet's span from DIMENSIONS and from its cell records
/// must be plausible for the cells it has.
///
/// calamine reads every sheet when it opens the file and keeps them all: together their spans
/// must be within [`MAX_SHEET_CELLS`] and the shared text their cells copy within
/// [`MAX_TEXT_BYTES`]; the shared-string table within [`MAX_SHARED_STRINGS`].
fn check_biff_spans(stream: &[u8]) -> Result<(), String> {
    let mut sheets = Vec::new();
    let mut sst = Vec::new();
    for (at, typ, data) in records(stream, 0) {
        match typ {
            0x0085 => sheets.push(u32_at(data, 0) as usize),
            0x00FC => {
                let continues: Vec<&[u8]> = records(stream, at + 4 + data.len())
                    .take_while(|&(_, t, _)| t == 0x003C)
                    .map(|(_, _, d)| d)
                    .collect();
                sst = check_sst(at, data, &continues)?;
            }
            0x000A => break,
            _ => {}
        }
    }
    let (mut book_cells, mut book_text) = (0u64, 0u64);
    for (i, pos) in sheets.into_iter().enumerate() {
        let (cells, text) = check_sheet(stream, pos, &sst)?;
        book_cells = book_cells.saturating_add(cells);
        book_text = book_text.saturating_add(text);
        if book_cells > MAX_SHEET_CELLS {
            return Err(format!(
                "its sheets up to sheet {} span {book_cells} cells together, more than the {MAX_SHEET_CELLS} a workbook may hold; {}",
                i + 1,
                bounds::SAVE_AS_CSV
            ));
        }
        if book_text > MAX_TEXT_BYTES {
            return Err(format!(
                "its sheets up to sheet {} copy more than {} MB of shared text into their cells; {}",
                i + 1,
                MAX_TEXT_BYTES >> 20,
                bounds::SAVE_AS_CSV
            ));
        }
    }
    Ok(())
}

/// Walks the shared-string table (SST and its CONTINUE records) as calamine's
/// `read_rich_extended_string` does, for what its cells will copy. Where the table is damaged
/// the walk stops: calamine then fails or panics on it (caught natively, a trap of the page's
/// worker in wasm, both reported as a damaged workbook) before any sheet is read.
///
/// Returns each string's length in characters (what a cell using it copies), and refuses a
/// table of more than [`MAX_SHARED_STRINGS`] entries.
fn check_sst(at: usize, data: &[u8], continues: &[&[u8]]) -> Result<Vec<u32>, String> {
    let mut lengths = Vec::new();
    let Some(mut cur) = data.get(8..) else {
        return Ok(lengths);
    };
    let mut next = continues.iter();
    loop {
        if cur.is_empty() {
            match next.next() {
                Some(c) => cur = c,
                None => return Ok(lengths),
            }
            if cur.is_empty() {
                continue; // calamine reads an empty string there
            }
        }
        if cur.len() < 3 {
            return Ok(lengths); // calamine: a length error
        }
        let (cch, flags) = (usize::from(u16_at(cur, 0)), cur[2]);
        lengths.push(cch as u32);
        if lengths.len() as u64 > MAX_SHARED_STRINGS {
            return Err(format!(
                "its shared-string table at byte {at} of the workbook stream holds more than {MAX_SHARED_STRINGS} texts; {}",
                bounds::SAVE_AS_CSV
            ));
        }
        cur = &cur[3..];
        let (mut runs, mut ext) = (0usize, 0usize);
        if flags & 0x8 != 0 {
            if cur.len() < 2 {
                return Ok(lengths); // damaged: calamine's to refuse
            }
            runs = usize::from(u16_at(cur, 0));
            cur = &cur[2..];
        }
        if flags & 0x4 != 0 {
            if cur.len() < 4 {
                return Ok(lengths);
            }
            ext = u32_at(cur, 0) as i32 as usize;
            cur = &cur[4..];
        }
        let (mut left, mut wide) = (cch, flags & 0x1 != 0);
        while left > 0 {
            let take = left.min(if wide { cur.len() / 2 } else { cur.len() });
            cur = &cur[take * if wide { 2 } else { 1 }..];
            left -= take;
            if left > 0 {
                match next.next() {
                    Some([]) => return Ok(lengths),
                    Some(c) => {
                        wide = c[0] & 0x1 != 0;
                        cur = &c[1..];
                    }
                    None => return Ok(lengths), // calamine: end of stream error
                }
            }
        }
        let mut skip = runs.saturating_mul(4).saturating_add(ext);
        while skip > 0 {
            if cur.is_empty() {
                match next.next() {
                    Some(c) => cur = c,
                    None => return Ok(lengths), // calamine: continue record too short
                }
            }
            let n = skip.min(cur.len());
            cur = &cur[n..];
            skip -= n;
        }
    }
}

/// One sheet's walk (see [`check_biff_spans`]): returns the cells its rectangle spans and the
/// characters of shared text its cells copy.
fn check_sheet(stream: &[u8], pos: usize, sst: &[u32]) -> Result<(u64, u64), String> {
    let (mut cells, mut max_row, mut max_col, mut dims) = (0u64, 0u32, 0u32, (0u64, 0u64));
    let mut text = 0u64;
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (_, typ, data) in records(stream, pos) {
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let mut cell = |row: u32, col: u32, n: u64| {
            cells += n;
            max_row = max_row.max(row);
            max_col = max_col.max(col);
        };
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // DIMENSIONS, read as calamine reads it (first row, last row + 1, first col, last col + 1).
            0x0200 => {
                let (rf, rl, mut cf, cl) = match data.len() {
                    10 => (
                        u32::from(u16_at(data, 0)),
                        u32::from(u16_at(data, 2)),
                        u32::from(u16_at(data, 4)),
                        u32::from(u16_at(data, 6)),
                    ),
                    14 | 16 => (
                        u32_at(data, 0),
                        u32_at(data, 4),
                        u32::from(u16_at(data, 8)),
                        u32::from(u16_at(data, 10)),
                    ),
                    _ => continue,
                };
                if 0xFF < cf || cl < cf {
                    cf = 0;
                }
                let (end_r, end_c) = if rl >= 1 && cl >= 1 {
                    (rl - 1, cl - 1)
                } else {
                    (rf, cf)
                };
                let rows = u64::from(end_r.wrapping_sub(rf).wrapping_add(1));
                let cols = u64::from(end_c.wrapping_sub(cf).wrapping_add(1));
                // calamine reserves at every DIMENSIONS record: the largest counts.
                if rows.saturating_mul(cols) > dims.0.saturating_mul(dims.1) {
                    dims = (rows, cols);
                }
            }
            // LABELSST: a copy of shared string `isst`.
            0x00FD => {
                cell(u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)), 1);
                let isst = u32_at(data, 6) as usize;
                text = text.saturating_add(u64::from(sst.get(isst).copied().unwrap_or(0)));
            }
            // Cells with (row, col) first: NUMBER, LABEL, RSTRING, BOOLERR, RK, FORMULA.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x0006 => {
                cell(u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2)), 1);
            }
            // MULRK: row, first col, 6-byte values…, last col.
            0x00BD if data.len() >= 6 => {
                let (first, last) = (u16_at(data, 2), u16_at(data, data.len() - 2));
                cell(
                    u32::from(u16_at(data, 0)),
                    u32::from(last.max(first)),
                    u64::from(last.saturating_sub(first)) + 1,
                );
            }
            _ => {}
        }
    }
    let (rows, cols) = (u64::from(max_row) + 1, u64::from(max_col) + 1);
    if cells > 0 && !plausible_area(cells, rows, cols) {
        return Err(format!(
            "a sheet's {cells} cells are spread over A1:{} ({rows} rows × {cols} columns), far more than a table fills",
            a1(max_row, max_col)
        ));
    }
    if !plausible_area(cells, dims.0, dims.1) {
        return Err(format!(
            "a sheet declares {} rows × {} columns for {cells} cells; the file is damaged",
            dims.0, dims.1
        ));
    }
    let span = if cells > 0 { rows.saturating_mul(cols) } else { 0 };
    Ok((span.max(dims.0.saturating_mul(dims.1)), text))
}

/// The sheet names of a workbook, in workbook order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, IngestError> {
    guarded(bytes, None, || {
        let (_, book) = open(bytes, None)?;
        Ok(book.sheets().into_iter().map(|s| s.name).collect())
    })
}

fn quoted_list(names: &[String]) -> String {
    format!("\"{}\"", names.join("\", \""))
}

/// Opens a workbook from bytes and picks a sheet: by name (exact, then ignoring case and
/// surrounding blanks), else by 0-based index written as text; with no choice, the first
/// visible worksheet holding a table (2 rows × 2 columns at least), else the first that has
/// cells (the first sheet when all are empty).
///
/// Errors say what to do: not a workbook, password-protected, damaged, no such sheet (listing
/// the sheets there are), or an empty sheet.
///
/// ```no_run
/// let bytes = std::fs::read("orders.xlsx").unwrap();
/// let sheet = clientele::ingest::read_workbook(&bytes, Some("2024")).unwrap();
/// for row in sheet.rows() {
///     println!("{}", row.join(" | "));
/// }
/// ```
pub fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, IngestError> {
    read_workbook_named(bytes, sheet, None)
}

/// [`read_workbook`] with the file name for messages.
pub fn read_workbook_named(
    bytes: &[u8],
    sheet: Option<&str>,
    file: Option<&str>,
) -> Result<Sheet, IngestError> {
    guarded(bytes, file, || choose_sheet(bytes, sheet, file))
}

/// calamine 0.38 panics on some damaged files (a record read past its end, a sheet entry past
/// the stream, a relationship id it does not hold): natively that becomes a damaged-workbook
/// error here, naming the file (and the sheet, from [`read_sheet`]). In wasm (panic = abort)
/// it cannot be caught: the worker traps, and the page reports the file as damaged and starts
/// a fresh worker (`www/worker.js`). What would exhaust memory or the stack instead is refused
/// before calamine sees it, on every target: the container check, the [`bounds`] and the
/// .xlsb formula depth.
fn guarded<T>(
    bytes: &[u8],
    file: Option<&str>,
    read: impl FnOnce() -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    if detect_workbook(bytes) == Some(WorkbookFormat::Xls) && !whole_sectors(bytes) {
        return Err(workbook_err(file, IngestErrorKind::Io, DAMAGED));
    }
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|panic| {
        Err(workbook_err(
            file,
            IngestErrorKind::Io,
            format!(
                "the workbook is damaged: it could not be opened ({}); {SAVE_AGAIN}",
                panic_text(&*panic)
            ),
        ))
    })
}

/// Keeps the panic hook quiet about calamine's panics, which [`guarded`] and [`read_sheet`]
/// catch and report as "the workbook is damaged: …" naming the file and sheet. Without it the
/// hook in force (Rust's default, or libFuzzer's, which aborts on every panic, even a caught
/// one) would print calamine's message and a backtrace hint before that error, or end a fuzz
/// run on an expected case. A panic whose location is in calamine's source is left to unwind
/// silently; any other panic still goes to the previous hook. Installed once per process,
/// however often it is called. Native only: in wasm a panic aborts and the page's worker
/// reports it (`www/worker.js`).
#[cfg(not(target_arch = "wasm32"))]
pub fn quiet_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("calamine")) {
                return;
            }
            previous(info);
        }));
    });
}

/// One sheet's cells, a panic in calamine made a damaged-workbook error naming the sheet.
fn read_sheet(book: &mut Book<'_>, name: &str) -> Result<Range<Data>, SheetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| book.range(name)))
        .unwrap_or_else(|panic| Err(SheetError::Panicked(panic_text(&*panic))))
}

/// A caught panic's message, for the error (calamine's panics are index and slice errors).
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the reader stopped".into());
    format!("the reader stopped: {text}")
}

const SAVE_AGAIN: &str = "open it in Excel and save it again, or save the sheet as CSV.";

const DAMAGED: &str = "the workbook is damaged or cut short (it may not have finished downloading): open it in Excel and save it again, or save the sheet as CSV.";

/// An OLE compound file is its header then whole sectors (512 or 4096 bytes, from the
/// header's sector shift); a length off that grid means the file was cut short.
fn whole_sectors(bytes: &[u8]) -> bool {
    sector_size(bytes).is_some_and(|size| bytes.len() >= size && bytes.len().is_multiple_of(size))
}

/// An OLE compound file's sector size, from the header's sector shift (calamine accepts 9 and
/// 12 only).
fn sector_size(bytes: &[u8]) -> Option<usize> {
    match u16_at(bytes, 30) {
        9 => Some(512),
        12 => Some(4096),
        _ => None,
    }
}

fn choose_sheet(bytes: &[u8], sheet: Option<&str>, file: Option<&str>) -> Result<Sheet, IngestError> {
    let (format, mut book) = open(bytes, file)?;
    let meta = book.sheets();
    let names: Vec<String> = meta.iter().map(|s| s.name.clone()).collect();
    if names.is_empty() {
        return Err(workbook_err(
            file,
            IngestErrorKind::Empty,
            "the workbook has no sheets.",
        ));
    }
    let read = |book: &mut Book<'_>, i: usize| -> Result<Range<Data>, IngestError> {
        let name = names.get(i).map(String::as_str).unwrap_or("");
        read_sheet(book, name).map_err(|e| match e {
            SheetError::Damaged(e) => workbook_err(
                file,
                IngestErrorKind::Io,
                format!("the sheet \"{name}\" could not be read; the workbook may be damaged ({e})."),
            ),
            SheetError::TooBig(e) => too_big(file, format!("in the sheet \"{name}\", {e}")),
            SheetError::Panicked(e) => workbook_err(
                file,
                IngestErrorKind::Io,
                format!(
                    "the workbook is damaged: the sheet \"{name}\" could not be read ({e}); {SAVE_AGAIN}"
                ),
            ),
        })
    };
    let (index, range) = match sheet {
        Some(choice) => {
            let wanted = choice.trim();
            let index = names
                .iter()
                .position(|n| n == choice)
                .or_else(|| names.iter().position(|n| n.trim().eq_ignore_ascii_case(wanted)))
                .or_else(|| wanted.parse::<usize>().ok().filter(|&i| i < names.len()))
                .ok_or_else(|| {
                    workbook_err(
                        file,
                        IngestErrorKind::InvalidOption,
                        format!(
                            "the workbook has no sheet \"{choice}\"; its sheets are {} (a name, or a 0-based position).",
                            quoted_list(&names)
                        ),
                    )
                })?;
            (index, read(&mut book, index)?)
        }
        None => {
            // The first visible sheet that holds a table (two rows and two columns at least),
            // so a title or notes sheet in front is passed over; else the first with cells.
            let mut first_with_cells = None;
            let mut table = None;
            for (i, m) in meta.iter().enumerate() {
                if m.typ != SheetType::WorkSheet || m.visible != SheetVisible::Visible {
                    continue;
                }
                let r = read(&mut book, i)?;
                if r.is_empty() {
                    continue;
                }
                if r.height() >= 2 && r.width() >= 2 {
                    table = Some((i, r));
                    break;
                }
                if first_with_cells.is_none() {
                    first_with_cells = Some((i, r));
                }
            }
            match table.or(first_with_cells) {
                Some(c) => c,
                None => (0, read(&mut book, 0)?),
            }
        }
    };
    let chosen = names.get(index).cloned().unwrap_or_default();
    let all_empty = range.is_empty() || range.used_cells().all(|(_, _, c)| matches!(c, Data::Empty));
    if all_empty {
        let others = if names.len() > 1 {
            format!(" (the workbook's sheets are {})", quoted_list(&names))
        } else {
            String::new()
        };
        return Err(workbook_err(
            file,
            IngestErrorKind::Empty,
            format!("the sheet \"{chosen}\" is empty{others}: choose the sheet that holds the table."),
        ));
    }
    let first_row = range.start().map(|(r, _)| r as u64 + 1).unwrap_or(1);
    let error_cells = range
        .used_cells()
        .filter(|(_, _, c)| matches!(c, Data::Error(_)))
        .count() as u64;
    Ok(Sheet {
        format,
        names,
        chosen,
        index,
        first_row,
        error_cells,
        range,
    })
}

impl Sheet {
    /// Rows as text, top to bottom, every row as wide as the sheet's used range (blank cells
    /// are `""`). The first row is the header when the sheet has one.
    pub fn rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        self.range.rows().map(|r| r.iter().map(cell_text).collect())
    }

    /// Number of rows [`Sheet::rows`] yields.
    pub fn height(&self) -> usize {
        self.range.height()
    }

    /// The sheet as UTF-8 CSV text, streamed row by row, for the text reader
    /// ([`super::read_from`] with delimiter `","`). Blank lines stand for the empty rows above
    /// the table, so the reader's row numbers are the spreadsheet's.
    pub fn csv_reader(&self) -> SheetCsv<'_> {
        SheetCsv {
            rows: Box::new(self.rows()),
            leading_blank: self.first_row.saturating_sub(1),
            buf: Vec::new(),
            pos: 0,
        }
    }
}

/// [`Sheet`] as CSV bytes; see [`Sheet::csv_reader`].
pub struct SheetCsv<'a> {
    rows: Box<dyn Iterator<Item = Vec<String>> + 'a>,
    leading_blank: u64,
    buf: Vec<u8>,
    pos: usize,
}

fn push_csv_field(out: &mut Vec<u8>, field: &str) {
    let needs_quotes = field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if needs_quotes {
        out.push(b'"');
        for b in field.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field.as_bytes());
    }
}

impl Read for SheetCsv<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            if self.leading_blank > 0 {
                self.leading_blank -= 1;
                self.buf.push(b'\n');
                continue;
            }
            let Some(row) = self.rows.next() else {
                return Ok(0);
            };
            for (i, f) in row.iter().enumerate() {
                if i > 0 {
                    self.buf.push(b',');
                }
                push_csv_field(&mut self.buf, f);
            }
            self.buf.push(b'\n');
        }
        let avail = self.buf.get(self.pos..).unwrap_or(&[]);
        let n = avail.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        Ok(n)
    }
}

/// The text of one cell as a CSV export would hold it.
///
/// Integral numbers print without `.0` (ids like `17850`); other numbers print with every
/// digit needed to read back the same `f64`; booleans as `TRUE` / `FALSE`; errors as `""`;
/// date cells and date-formatted numbers as `YYYY-MM-DD HH:MM:SS` (a time of day alone as
/// `HH:MM:SS`).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => excel_datetime_text(dt),
        Data::DateTimeIso(s) => iso_text(s),
        Data::DurationIso(s) => s.clone(),
    }
}

/// Integral values below 2^53 as integers; everything else with Rust's shortest round-trip
/// form, which never uses exponent notation.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        (f as i64).to_string()
    } else {
        f.to_string()
    }
}

fn format_datetime(dt: NaiveDateTime) -> String {
    dt.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Rounds to the nearest second: serials carry float noise (`08:25:59.9999`).
fn round_to_second(dt: NaiveDateTime) -> NaiveDateTime {
    let up = dt.nanosecond() >= 500_000_000;
    let base = dt.with_nanosecond(0).unwrap_or(dt);
    if up {
        base + chrono::Duration::seconds(1)
    } else {
        base
    }
}

/// Excel serial date-time → text. calamine applies the 1904 system when the workbook uses it
/// and the 1900 leap-year bug (serials below 61 are shifted one day; the phantom 1900-02-29,
/// serial 60, reads as 1900-03-01).
pub fn excel_datetime_text(dt: &ExcelDateTime) -> String {
    let v = dt.as_f64();
    if dt.is_duration() {
        let secs = (v * 86_400.0).round() as i64;
        let sign = if secs < 0 { "-" } else { "" };
        let s = secs.unsigned_abs();
        return format!("{sign}{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    }
    if (0.0..1.0).contains(&v) {
        let s = ((v * 86_400.0).round() as i64).min(86_399);
        return format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60);
    }
    if !(0.0..2_958_466.0).contains(&v) {
        return number_text(v);
    }
    match dt.as_datetime() {
        Some(d) => format_datetime(round_to_second(d)),
        None => number_text(v),
    }
}

/// ODS writes dates as ISO text (`2010-12-01T08:26:00`, `2010-12-01`).
fn iso_text(s: &str) -> String {
    let t = s.trim();
    if let Ok(d) = NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f") {
        return format_datetime(round_to_second(d));
    }
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return format_datetime(d.and_time(chrono::NaiveTime::MIN));
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType::{DateTime, TimeDelta};

    fn serial(v: f64, is_1904: bool) -> String {
        excel_datetime_text(&ExcelDateTime::new(v, DateTime, is_1904))
    }

    #[test]
    fn numbers_read_like_csv_text() {
        assert_eq!(number_text(17850.0), "17850");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(2.55), "2.55");
        assert_eq!(number_text(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::Div0)), "");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn serial_dates_1900_and_1904() {
        // 2010-12-01 08:26 is serial 40513.35138888889 in the 1900 system.
        assert_eq!(serial(40513.35138888889, false), "2010-12-01 08:26:00");
        assert_eq!(serial(40513.0, false), "2010-12-01 00:00:00");
        // The same day in the 1904 system is 1462 days less.
        assert_eq!(serial(40513.0 - 1462.0, true), "2010-12-01 00:00:00");
        assert_eq!(serial(0.0 + 1.0, true), "1904-01-02 00:00:00");
        // The 1900 leap-year bug: serial 59 = 1900-02-28, 61 = 1900-03-01, 1 = 1900-01-01.
        assert_eq!(serial(1.0, false), "1900-01-01 00:00:00");
        assert_eq!(serial(59.0, false), "1900-02-28 00:00:00");
        assert_eq!(serial(61.0, false), "1900-03-01 00:00:00");
        // Float noise just under a minute rounds to the minute.
        assert_eq!(serial(40513.35138888, false), "2010-12-01 08:26:00");
        assert_eq!(serial(0.5, false), "12:00:00");
        assert_eq!(
            excel_datetime_text(&ExcelDateTime::new(1.5, TimeDelta, false)),
            "36:00:00"
        );
    }

    #[test]
    fn ods_iso_dates() {
        assert_eq!(iso_text("2010-12-01T08:26:00"), "2010-12-01 08:26:00");
        assert_eq!(iso_text("2010-12-01"), "2010-12-01 00:00:00");
        assert_eq!(iso_text("2010-12-01T08:25:59.9999"), "2010-12-01 08:26:00");
        assert_eq!(iso_text("soon"), "soon");
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(detect_workbook(b""), None);
        assert_eq!(
            detect_workbook(b"PK\x03\x04....xl/worksheets/sheet1.xml"),
            Some(WorkbookFormat::Xlsx)
        );
        assert_eq!(
            detect_workbook(b"PK\x03\x04....xl/workbook.bin"),
            Some(WorkbookFormat::Xlsb)
        );
        assert_eq!(
            detect_workbook(b"PK\x03\x04mimetypecontent.xml"),
            Some(WorkbookFormat::Ods)
        );
        assert_eq!(detect_workbook(b"PK\x03\x04data.csv"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [
            &b"PK\x03\x04xl/ broken"[..],
            &[0xD0, 0xCF, 0x11, 0xE0, 1, 2, 3],
            b"a,b\n1,2\n",
        ] {
            assert!(read_workbook(bytes, None).is_err());
        }
    }

    /// A BIFF8 record.
    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    /// A workbook stream: globals (BOF, an SST of one `chars`-long string, one sheet entry per
    /// sheet, EOF), then each sheet (BOF, its records, EOF).
    fn biff(chars: u16, sheets: &[Vec<u8>]) -> Vec<u8> {
        let bof = rec(0x0809, &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0]);
        let mut sst = vec![1, 0, 0, 0, 1, 0, 0, 0];
        sst.extend_from_slice(&chars.to_le_bytes());
        sst.push(0); // compressed (one byte a character)
        sst.extend(std::iter::repeat_n(b'x', usize::from(chars)));
        let mut globals = [bof.clone(), rec(0x00FC, &sst)].concat();
        let entry_len = 4 + 6 + 3;
        let eof = rec(0x000A, &[]);
        let mut at = globals.len() + sheets.len() * entry_len + eof.len();
        let mut entries = Vec::new();
        let mut bodies = Vec::new();
        for body in sheets {
            let mut e = (at as u32).to_le_bytes().to_vec();
            e.extend_from_slice(&[0, 0, 1, 0, b's']);
            entries.extend(rec(0x0085, &e));
            let sheet = [bof.clone(), body.clone(), eof.clone()].concat();
            at += sheet.len();
            bodies.extend(sheet);
        }
        globals.extend(entries);
        globals.extend(eof);
        globals.extend(bodies);
        globals
    }

    /// `n` LABELSST cells down column A, each a copy of shared string 0.
    fn shared_text_cells(n: u16) -> Vec<u8> {
        (0..n)
            .flat_map(|row| {
                let mut d = row.to_le_bytes().to_vec();
                d.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
                rec(0x00FD, &d)
            })
            .collect()
    }

    #[test]
    fn xls_shared_text_copies_are_bounded() {
        // 5,000 cells × a 30,000-character shared string: 150 M characters of copies in a
        // 100 KB stream (calamine clones the string into every cell).
        let stream = biff(30_000, &[shared_text_cells(5_000)]);
        let e = check_biff_spans(&stream).unwrap_err();
        assert!(e.contains("128 MB of shared text"), "{e}");
        assert!(bounds::is_too_big(&e), "{e}");
        // 4,000 copies (120 M characters) are within the bound.
        check_biff_spans(&biff(30_000, &[shared_text_cells(4_000)])).unwrap();
    }

    #[test]
    fn xls_sheets_together_are_bounded() {
        // Each sheet declares 65,536 rows × 100 columns (6.5 M cells, within the bound alone)
        // over as many cells; two of them are more than a workbook may hold.
        let dims = |rows: u32, cols: u16| {
            let mut d = 0u32.to_le_bytes().to_vec();
            d.extend_from_slice(&rows.to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend_from_slice(&cols.to_le_bytes());
            d.extend_from_slice(&[0, 0]);
            rec(0x0200, &d)
        };
        // MULRK rows: 100 cells a record, so the declared span is filled.
        let row = |r: u16| {
            let mut d = r.to_le_bytes().to_vec();
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend(std::iter::repeat_n([0u8; 6], 100).flatten());
            d.extend_from_slice(&99u16.to_le_bytes());
            rec(0x00BD, &d)
        };
        let sheet: Vec<u8> = [dims(65_536, 100)]
            .into_iter()
            .chain((0..=u16::MAX).map(row))
            .flatten()
            .collect();
        check_biff_spans(&biff(1, std::slice::from_ref(&sheet))).unwrap();
        let e = check_biff_spans(&biff(1, &[sheet.clone(), sheet])).unwrap_err();
        assert!(e.contains("up to sheet 2 span 13107200 cells together"), "{e}");
    }

    #[test]
    fn csv_text_quotes_what_needs_it() {
        let mut out = Vec::new();
        push_csv_field(&mut out, "a,\"b\"\nc");
        assert_eq!(out, b"\"a,\"\"b\"\"\nc\"");
    }
}
