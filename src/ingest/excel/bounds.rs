//! How much a workbook may make the reader hold, checked before it is held.
//!
//! A workbook is a zip of XML (or a binary stream) that the reader turns into cells in memory,
//! and the zip's compression makes a tiny file expand enormously: an 800-byte .ods whose one
//! row is repeated 1,048,576 times over 95 columns is 99.6 M cells (3.2 GB), a 1 MB .xlsx holds
//! 60 M one-digit cells, a shared string of 1 MB used by 10,000 cells is 10 GB of copies, and a
//! `uniqueCount` of 4 billion in `sharedStrings.xml` is a 96 GB reservation. In the page, the
//! worker's wasm memory has 4 GB of address space at most and the tab must stay well under
//! 1 GB, so every one of these was an abort ("capacity overflow") that killed the widget.
//!
//! The bounds, sized so that a sheet at the limit stays a few hundred MB in wasm:
//!
//! | bound | value | what it covers |
//! |---|---|---|
//! | [`MAX_SHEET_CELLS`] | 8,388,608 (1,048,576 rows × 8 columns) | the rectangle a sheet spans, its filled cells, and for .xls and .ods (read whole when opened) all sheets together |
//! | [`MAX_TEXT_BYTES`] | 128 MiB | the text held for a sheet's cells (each use of a shared string is a copy), and for .ods the whole workbook's |
//! | [`MAX_SHARED_STRINGS`] | 8,388,608 | entries in the shared-string table of an .xlsx / .xlsb / .xls, their declared count, and (with [`MAX_TEXT_BYTES`]) their text |
//!
//! Each is checked while streaming, before the cells are collected: .xlsx and .xlsb cells as
//! they are read ([`CellBudget`]), the .xlsx shared strings and worksheets and the .ods content (whose
//! repeated rows and columns calamine expands) by a scan of the XML before calamine opens the
//! file ([`check_xlsx`], [`check_ods`]), .xls by the walk of its records in
//! `excel.rs`. A file over a bound is a located error (which sheet, which row) that says to
//! save the sheet as CSV, which the reader streams without holding it.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use zip::ZipArchive;

use super::a1;

/// Most cells a sheet may span (its rectangle, from the first filled cell to the last), and
/// most filled cells it may have: 2^23, every row Excel allows 8 columns wide. At 32 bytes a
/// cell (plus 40 for each filled cell while it is read) a sheet at the bound holds ~600 MB.
/// For .xls and .ods, whose sheets calamine reads all at once when it opens the file, the
/// bound is on all sheets together.
pub const MAX_SHEET_CELLS: u64 = 1 << 23;

/// Most bytes of text a sheet's cells may hold (and, for .ods, the whole workbook's). A shared
/// string counts once per cell that uses it: each cell holds its own copy.
pub const MAX_TEXT_BYTES: u64 = 128 << 20;

/// Most entries a shared-string table may have (or declare: calamine reserves the declared
/// count up front).
pub const MAX_SHARED_STRINGS: u64 = MAX_SHEET_CELLS;

pub(super) const SAVE_AS_CSV: &str =
    "a workbook sheet is read whole into memory, so this one is too big to open here: save the sheet as CSV (File ▸ Save As ▸ CSV) and use the CSV, which is read as a stream";

/// Whether a check's message is a bound's (rather than damage).
pub(super) fn is_too_big(message: &str) -> bool {
    message.contains(SAVE_AS_CSV)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The cells of one .xlsx / .xlsb sheet as they are streamed: counts them, tracks the
/// rectangle they span and the text they hold, and refuses the sheet at the first cell that
/// takes any of them over its bound, before more is collected.
#[derive(Debug, Default)]
pub(super) struct CellBudget {
    cells: u64,
    text: u64,
    span: Option<(u32, u32, u32, u32)>,
}

impl CellBudget {
    /// Counts one filled cell at 0-based (`row`, `col`) holding `text_len` bytes of text.
    pub(super) fn add(&mut self, row: u32, col: u32, text_len: usize) -> Result<(), String> {
        self.cells += 1;
        self.text += text_len as u64;
        let (r0, r1, c0, c1) = match self.span {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        };
        self.span = Some((r0, r1, c0, c1));
        let (rows, cols) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
        let at = a1(row, col);
        if self.cells > MAX_SHEET_CELLS {
            return Err(format!(
                "the sheet has more than {} filled cells (cell {at}); {SAVE_AS_CSV}",
                thousands(MAX_SHEET_CELLS)
            ));
        }
        if rows.saturating_mul(cols) > MAX_SHEET_CELLS {
            return Err(format!(
                "the sheet's cells span {}:{} ({} rows × {} columns, more than {} cells) by cell {at}: delete the stray cells away from the table (Ctrl+End shows the last one), or if the table is that big, {SAVE_AS_CSV}",
                a1(r0, c0),
                a1(r1, c1),
                thousands(rows),
                thousands(cols),
                thousands(MAX_SHEET_CELLS)
            ));
        }
        if self.text > MAX_TEXT_BYTES {
            return Err(format!(
                "the sheet's cells hold more than {} MB of text by cell {at} (each use of a shared text is a copy); {SAVE_AS_CSV}",
                MAX_TEXT_BYTES >> 20
            ));
        }
        Ok(())
    }
}

fn xml_reader<R: Read>(r: R) -> quick_xml::Reader<BufReader<R>> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(r));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = false;
    xml
}

/// The value of attribute `key` of an element (raw, not unescaped), by calamine's own
/// attribute scan.
fn attr<'a>(e: &'a quick_xml::events::BytesStart<'_>, key: &str) -> Option<&'a str> {
    raw_attrs(e.attributes_raw())
        .map_while(Result::ok)
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// Streams XML bytes as tags and text without parsing them: `on_tag` gets each tag's bytes
/// (between `<` and `>`), and the bytes of text between tags are counted (with comments and
/// CDATA sections, which may hold text too). Far faster than an XML parser, so a part can be
/// measured before calamine parses it.
///
/// A `>` inside a quoted attribute value does not end the tag (quick-xml, which calamine uses,
/// reads it the same way; a fuzzed `xmlns="…>…"` once hid a 4-billion `uniqueCount` behind
/// it). Every byte of a tag is kept, so an attribute cannot hide behind a long one; a tag
/// longer than [`MAX_TAG_BYTES`] is refused as damaged. Comments and declarations (`<!…>`,
/// `<?…>`) have no attributes and end at the first `>`; this may over-count text, which only
/// makes the bounds stricter.
fn scan_tags<R: Read>(
    mut r: R,
    mut on_tag: impl FnMut(&[u8], u64) -> Result<(), String>,
) -> Result<(), String> {
    let mut chunk = vec![0u8; 64 * 1024];
    let (mut in_tag, mut tag, mut text) = (false, Vec::with_capacity(256), 0u64);
    // Inside a tag: the quote that opened the attribute value being read, if any.
    let mut quote: Option<u8> = None;
    loop {
        let n = match r.read(&mut chunk) {
            Ok(0) | Err(_) => return Ok(()), // a broken part is calamine's to report
            Ok(n) => n,
        };
        let mut rest = &chunk[..n];
        while !rest.is_empty() {
            if in_tag {
                let plain = matches!(tag.first().or(rest.first()), Some(b'!' | b'?'));
                let stop = match quote {
                    Some(q) => memchr::memchr(q, rest),
                    None if plain => memchr::memchr(b'>', rest),
                    None => memchr::memchr3(b'>', b'"', b'\'', rest),
                };
                let end = stop.unwrap_or(rest.len());
                if tag.len() + end > MAX_TAG_BYTES {
                    return Err(format!(
                        "an XML tag longer than {} KiB: the part is damaged; {SAVE_AS_CSV}",
                        MAX_TAG_BYTES >> 10
                    ));
                }
                tag.extend_from_slice(&rest[..end]);
                if plain {
                    text = text.saturating_add(end as u64);
                }
                let Some(i) = stop else {
                    rest = &[];
                    continue;
                };
                match (quote, rest[i]) {
                    (Some(_), q) => {
                        tag.push(q);
                        quote = None;
                    }
                    (None, b'>') => {
                        on_tag(&tag, text)?;
                        in_tag = false;
                    }
                    (None, q) => {
                        tag.push(q);
                        quote = Some(q);
                    }
                }
                rest = &rest[i + 1..];
            } else {
                match memchr::memchr(b'<', rest) {
                    Some(i) => {
                        text = text.saturating_add(i as u64);
                        in_tag = true;
                        quote = None;
                        tag.clear();
                        rest = &rest[i + 1..];
                    }
                    None => {
                        text = text.saturating_add(rest.len() as u64);
                        rest = &[];
                    }
                }
            }
        }
    }
}

/// The longest XML tag the pre-scan accepts (a real start tag is at most a few hundred bytes).
const MAX_TAG_BYTES: usize = 1 << 20;

/// A start tag's local name (`x:si` → `si`), or `None` for an end tag, a comment or a
/// declaration.
fn start_name(tag: &[u8]) -> Option<&[u8]> {
    if matches!(tag.first(), Some(b'/' | b'!' | b'?') | None) {
        return None;
    }
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    Some(name.rsplit(|&b| b == b':').next().unwrap_or(name))
}

/// A numeric attribute of a tag (`uniqueCount="12"` → 12); a value that is not plain digits
/// reads as `u64::MAX`, so it is refused rather than trusted.
fn number_attr(tag: &[u8], key: &[u8]) -> Option<u64> {
    // Every occurrence counts and the largest wins: a decoy `key="1"` inside another
    // attribute's quoted value must not hide the real one.
    let mut found: Option<u64> = None;
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&tag[at..], key) {
        let i = at + i;
        at = i + key.len();
        let before_ok = i > 0 && tag[i - 1].is_ascii_whitespace();
        let rest = tag[at..].trim_ascii_start();
        if before_ok && rest.first() == Some(&b'=') {
            let v = rest[1..].trim_ascii_start();
            let Some(v) = v.get(1..) else {
                return Some(u64::MAX); // `key=` at the very end: damaged
            };
            let digits: Vec<u8> = v.iter().copied().take_while(u8::is_ascii_digit).collect();
            let n = std::str::from_utf8(&digits)
                .ok()
                .and_then(|d| d.parse().ok())
                .unwrap_or(u64::MAX);
            found = Some(found.map_or(n, |f: u64| f.max(n)));
        }
    }
    found
}

fn zip_parts(zip: &ZipArchive<Cursor<&[u8]>>, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    zip.file_names()
        .filter_map(Result::ok)
        .filter(|n| wanted(&n.replace('\\', "/").to_ascii_lowercase()))
        .map(|n| n.into_owned())
        .collect()
}

/// Measures an .xlsx before calamine opens it (which reads every shared string, reserving
/// their declared count):
///
/// - every `sharedStrings.xml` part: its declared `uniqueCount`, its entries and the bytes of
///   their text within [`MAX_SHARED_STRINGS`] and [`MAX_TEXT_BYTES`];
/// - every worksheet part: its cells within [`MAX_SHEET_CELLS`], so that a sheet of millions
///   of tiny cells (60 M compress to 1 MB) is refused in a fraction of a second rather than
///   after calamine has parsed millions of them. A workbook with such a sheet is refused even
///   when another sheet is chosen.
///
/// The scan only counts bytes (see [`scan_tags`]); parts that cannot be read are left to
/// calamine, which says so.
pub(super) fn check_xlsx(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says the container is broken
    };
    for part in zip_parts(&zip, |n| n.ends_with("sharedstrings.xml")) {
        let Ok(f) = zip.by_name(&part) else { continue };
        let mut entries = 0u64;
        scan_tags(f, |tag, text| {
            match start_name(tag) {
                Some(b"sst") => {
                    if let Some(n) = number_attr(tag, b"uniqueCount").filter(|&n| n > MAX_SHARED_STRINGS) {
                        return Err(format!(
                            "{part} declares {} shared texts (uniqueCount), more than the {} a workbook may have here; {SAVE_AS_CSV}",
                            thousands(n),
                            thousands(MAX_SHARED_STRINGS)
                        ));
                    }
                }
                Some(b"si") => {
                    entries += 1;
                    if entries > MAX_SHARED_STRINGS {
                        return Err(format!(
                            "{part} holds more than {} shared texts; {SAVE_AS_CSV}",
                            thousands(MAX_SHARED_STRINGS)
                        ));
                    }
                }
                _ => {}
            }
            if text > MAX_TEXT_BYTES {
                return Err(format!(
                    "{part} holds more than {} MB of shared text (by entry {}); {SAVE_AS_CSV}",
                    MAX_TEXT_BYTES >> 20,
                    thousands(entries)
                ));
            }
            Ok(())
        })?;
    }
    for part in zip_parts(&zip, |n| n.contains("worksheets/") && n.ends_with(".xml")) {
        let Ok(f) = zip.by_name(&part) else { continue };
        let (mut cells, mut rows) = (0u64, 0u64);
        scan_tags(f, |tag, _| {
            match start_name(tag) {
                Some(b"row") => rows += 1,
                Some(b"c") => {
                    cells += 1;
                    if cells > MAX_SHEET_CELLS {
                        return Err(format!(
                            "{part} has more than {} cells (by its row element {}); {SAVE_AS_CSV}",
                            thousands(MAX_SHEET_CELLS),
                            thousands(rows)
                        ));
                    }
                }
                _ => {}
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// calamine's row limit for .ods: repeated rows past it are dropped.
const ODS_MAX_ROWS: u64 = 1_048_576;
/// calamine's column limit for .ods: repeated columns past it are dropped.
const ODS_MAX_COLUMNS: u64 = 16_384;

/// The .ods row being scanned: its repeats, the next column, the first and last filled
/// columns, and the text bytes of its cells (column repeats counted).
type OdsRow = (u64, u64, Option<(u64, u64)>, u64);

/// One table of an .ods as calamine will expand it.
#[derive(Default)]
struct OdsTable {
    name: String,
    /// Rows so far, repeats counted (capped as calamine caps them).
    rows: u64,
    /// Cells calamine pushes before expanding (a row's cells up to its last filled one, repeated
    /// columns included, once per row element) plus one per row element (its bookkeeping).
    pushed: u64,
    /// Text bytes those cells hold before and after expansion.
    text: u64,
    /// The rows (repeats counted) from the first filled row's start to the last one's end,
    /// and the columns of filled cells.
    first_row: Option<u64>,
    end_row: u64,
    cols: Option<(u64, u64)>,
    formulas: bool,
}

impl OdsTable {
    fn area(&self) -> u64 {
        match (self.first_row, self.cols) {
            (Some(first), Some((c0, c1))) => {
                let area = (self.end_row - first).saturating_mul(c1 + 1 - c0);
                // With any formula calamine builds a second rectangle of formula texts.
                if self.formulas {
                    area.saturating_mul(2)
                } else {
                    area
                }
            }
            _ => 0,
        }
    }
}

/// Scans an .ods `content.xml` as calamine's `read_table` will read it, before calamine opens
/// the file (`Ods::new` reads and expands every table at once): the rows and columns that
/// `table:number-rows-repeated` / `table:number-columns-repeated` expand to, the cells pushed
/// before expansion and the text copied, for each table and for the workbook together, must be
/// within [`MAX_SHEET_CELLS`] and [`MAX_TEXT_BYTES`]. Refuses at the first row over a bound,
/// naming the sheet and the row. A part that does not parse is left to calamine.
pub(super) fn check_ods(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(f) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut xml = xml_reader(f);
    let mut buf = Vec::with_capacity(1024);
    let (mut book_cells, mut book_text) = (0u64, 0u64);
    let mut table: Option<OdsTable> = None;
    // The row being read: repeats, next column, filled columns, text bytes × column repeats.
    let mut row: Option<OdsRow> = None;
    // The cell being read: its columns and repeats, whether it is filled, its text bytes.
    let mut cell: Option<(u64, u64, bool, u64)> = None;
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" if !empty => {
                    table = Some(OdsTable {
                        name: attr(e, "table:name").unwrap_or("").to_string(),
                        ..Default::default()
                    });
                }
                "table:table-row" if table.is_some() => {
                    let repeats = attr(e, "table:number-rows-repeated")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(1);
                    row = Some((repeats, 0, None, 0));
                    if empty {
                        buf.clear();
                        row_end(&mut table, &mut row, book_cells, book_text)?;
                        continue;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if row.is_some() => {
                    let repeats = attr(e, "table:number-columns-repeated")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(1);
                    let mut filled = false;
                    let mut text = 0u64;
                    for (k, v) in raw_attrs(e.attributes_raw()).map_while(Result::ok) {
                        match k {
                            "office:value"
                            | "office:date-value"
                            | "office:time-value"
                            | "office:boolean-value" => filled = true,
                            "office:string-value" => {
                                filled = true;
                                text += v.len() as u64;
                            }
                            "table:formula" => {
                                filled = true;
                                if let Some(t) = table.as_mut() {
                                    t.formulas = true;
                                }
                                text += v.len() as u64;
                            }
                            _ => {}
                        }
                    }
                    cell = Some((0, repeats, filled, text));
                    if empty {
                        cell_end(&mut row, &mut cell);
                    }
                }
                // Spaces calamine writes out one by one (`text:c` of them), tabs, line breaks,
                // paragraphs: text.
                "text:s" | "text:tab" | "text:line-break" | "text:p" => {
                    if let Some(c) = cell.as_mut() {
                        let n = match e.name().as_ref() {
                            "text:s" => attr(e, "text:c")
                                .and_then(|v| v.trim().parse::<u64>().ok())
                                .unwrap_or(1),
                            _ => 1,
                        };
                        c.3 = c.3.saturating_add(n);
                    }
                }
                _ => {}
            }
        }
        match &event {
            Event::Text(t) => {
                if let Some(c) = cell.as_mut() {
                    c.3 += t.len() as u64;
                    c.2 |= !t.is_empty();
                }
            }
            Event::GeneralRef(_) | Event::CData(_) => {
                if let Some(c) = cell.as_mut() {
                    c.3 += 4;
                    c.2 = true;
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "table:table-cell" | "table:covered-table-cell" => cell_end(&mut row, &mut cell),
                "table:table-row" => row_end(&mut table, &mut row, book_cells, book_text)?,
                "table:table" => {
                    if let Some(t) = table.take() {
                        book_cells = book_cells.saturating_add(t.area().max(t.pushed));
                        book_text = book_text.saturating_add(t.text);
                    }
                }
                _ => {}
            },
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn cell_end(row: &mut Option<OdsRow>, cell: &mut Option<(u64, u64, bool, u64)>) {
    let (Some(r), Some((_, repeats, filled, text))) = (row.as_mut(), cell.take()) else {
        return;
    };
    let start = r.1;
    let end = (start.saturating_add(repeats)).min(ODS_MAX_COLUMNS);
    if filled && end > start {
        r.2 = Some(match r.2 {
            None => (start, end - 1),
            Some((c0, _)) => (c0, end - 1),
        });
        r.3 = r.3.saturating_add(text.saturating_mul(end - start));
    }
    r.1 = end;
}

fn row_end(
    table: &mut Option<OdsTable>,
    row: &mut Option<OdsRow>,
    book_cells: u64,
    book_text: u64,
) -> Result<(), String> {
    let (Some(t), Some((repeats, _, filled, text))) = (table.as_mut(), row.take()) else {
        return Ok(());
    };
    let repeats = repeats.min(ODS_MAX_ROWS.saturating_sub(t.rows));
    let first_row = t.rows + 1;
    t.rows += repeats;
    t.pushed = t.pushed.saturating_add(1);
    if let Some((c0, c1)) = filled {
        t.pushed = t.pushed.saturating_add(c1 + 1);
        t.text = t.text.saturating_add(text.saturating_mul(repeats.max(1)));
        if t.first_row.is_none() {
            t.first_row = Some(first_row - 1);
        }
        t.end_row = t.rows;
        t.cols = Some(match t.cols {
            None => (c0, c1),
            Some((a, b)) => (a.min(c0), b.max(c1)),
        });
    }
    let cells = t.area().max(t.pushed);
    let what = if repeats > 1 {
        format!(
            "row {} (repeated {} times)",
            thousands(first_row),
            thousands(repeats)
        )
    } else {
        format!("row {}", thousands(first_row))
    };
    if cells > MAX_SHEET_CELLS || book_cells.saturating_add(cells) > MAX_SHEET_CELLS {
        let width = t.cols.map_or(0, |(c0, c1)| c1 + 1 - c0);
        return Err(format!(
            "the sheet \"{}\" expands to more than {} cells by {what}: its rows and columns repeat to {} rows × {} columns{}; {SAVE_AS_CSV}",
            t.name,
            thousands(MAX_SHEET_CELLS),
            thousands(t.end_row - t.first_row.unwrap_or(0)),
            thousands(width),
            if cells > MAX_SHEET_CELLS { "" } else { " (with the sheets before it)" },
        ));
    }
    if t.text > MAX_TEXT_BYTES || book_text.saturating_add(t.text) > MAX_TEXT_BYTES {
        return Err(format!(
            "the sheet \"{}\" expands to more than {} MB of text by {what}; {SAVE_AS_CSV}",
            t.name,
            MAX_TEXT_BYTES >> 20
        ));
    }
    Ok(())
}

/// calamine's `RawAttrIter` over an element's raw attribute text.
fn raw_attrs(raw: &str) -> RawAttrs<'_> {
    RawAttrs { raw, pos: 0 }
}

/// calamine's `RawAttrIter`: `key="value"` pairs, a key without `=` or an unquoted value being
/// an error.
struct RawAttrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a str, &'a str), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        let (raw, bytes) = (self.raw, self.raw.as_bytes());
        let mut pos = self.pos;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            self.pos = bytes.len();
            return Some(Err(()));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => {
                self.pos = bytes.len();
                return Some(Err(()));
            }
        };
        pos += 1;
        let start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        self.pos = (pos + 1).min(bytes.len());
        Some(Ok((key, value)))
    }
}

#[cfg(test)]
mod scan_tests {
    use super::*;

    fn tags(xml: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan_tags(xml.as_bytes(), |t, _| {
            out.push(String::from_utf8_lossy(t).into_owned());
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn a_gt_inside_a_quoted_value_does_not_end_the_tag() {
        let t = tags(r#"<sst xmlns="a>b" x='c>d' uniqueCount="4000000000"><si>"#);
        assert_eq!(t[0], r#"sst xmlns="a>b" x='c>d' uniqueCount="4000000000""#);
        assert_eq!(number_attr(t[0].as_bytes(), b"uniqueCount"), Some(4_000_000_000));
        assert_eq!(t[1], "si");
    }

    #[test]
    fn an_attribute_far_into_a_long_tag_is_seen() {
        let pad = "p".repeat(10_000);
        let t = tags(&format!(r#"<sst xmlns="{pad}" uniqueCount="9000000000">"#));
        assert_eq!(number_attr(t[0].as_bytes(), b"uniqueCount"), Some(9_000_000_000));
    }

    #[test]
    fn a_decoy_count_inside_another_value_does_not_hide_the_real_one() {
        let tag = br#"sst a=" uniqueCount='1'" uniqueCount="4000000000""#;
        assert_eq!(number_attr(tag, b"uniqueCount"), Some(4_000_000_000));
        // An unquoted decoy reads as damaged (the largest count), which refuses the part too.
        let tag = br#"sst a=" uniqueCount=1" uniqueCount="4000000000""#;
        assert_eq!(number_attr(tag, b"uniqueCount"), Some(u64::MAX));
        assert_eq!(
            number_attr(br#"sst uniqueCount="+5""#, b"uniqueCount"),
            Some(u64::MAX)
        );
        assert_eq!(number_attr(br#"sst count="5""#, b"uniqueCount"), None);
    }

    #[test]
    fn a_tag_past_the_bound_is_refused_and_comments_end_at_the_first_gt() {
        let long = format!("<c r=\"{}\">", "A".repeat(MAX_TAG_BYTES + 1));
        assert!(scan_tags(long.as_bytes(), |_, _| Ok(()))
            .unwrap_err()
            .contains("damaged"));
        let t = tags(r#"<!-- a " b --><c r="A1">"#);
        assert_eq!(t, vec![r#"!-- a " b --"#.to_string(), r#"c r="A1""#.to_string()]);
    }
}
