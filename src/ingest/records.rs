//! Records of a delimited (or whitespace-aligned) text, read one line at a time with bounds:
//! no line, record or quoted field can make the reader hold an unbounded amount of text, and a
//! quote that opens a field and never closes (a stray `"Bob` in a cell) costs that one record,
//! not the rest of the file.
//!
//! The limits, documented in the README ("Limits"):
//! - a line (or a record) is at most [`MAX_LINE_BYTES`] (16 MiB) of text: past it, reading
//!   stops with a located error (row, byte offset, the bound);
//! - a quoted field may span at most [`MAX_QUOTED_LINES`] (10,000) lines and
//!   [`MAX_QUOTED_BYTES`] (1 MiB). A quoted field that goes past either bound, that reaches the
//!   end of the file, or that spans lines and then closes on a quote followed by more text (or
//!   gives a record with a different number of fields than the header) is an *unterminated
//!   quote*: the record's first line is read again with that quote taken as literal text and
//!   returned marked [`Records::recovered`] (the reader skips it with the reason
//!   `unterminated_quote`), and the lines after it are read again as records of their own.

use super::dialect::Delimiter;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};

/// The longest line (or record) the reader holds: 16 MiB of text.
pub const MAX_LINE_BYTES: usize = 16 << 20;
/// The most lines a quoted field may span before its quote is taken as a stray one. Generous:
/// a workbook cell (read through the same reader) may hold many lines, and a stray quote is
/// mostly caught sooner (it closes on a later quote followed by text, or its record gets
/// another number of fields than the header) or by the byte bound.
pub const MAX_QUOTED_LINES: usize = 10_000;
/// The most bytes a quoted field spanning lines may hold before its quote is taken as a stray one.
pub const MAX_QUOTED_BYTES: usize = 1 << 20;

const BUFFER: usize = 64 * 1024;

/// Bounds of one reader (the constants above, smaller in tests).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub line_bytes: usize,
    pub quoted_lines: usize,
    pub quoted_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            line_bytes: MAX_LINE_BYTES,
            quoted_lines: MAX_QUOTED_LINES,
            quoted_bytes: MAX_QUOTED_BYTES,
        }
    }
}

/// Why the next record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    Io(String),
    /// A line longer than the bound: its row, the byte offset (in the decoded text) where it
    /// starts, and the bound.
    TooLong {
        row: u64,
        offset: u64,
        bound: usize,
    },
}

/// Lines of the text, terminator included (`\n`, `\r\n` or a lone `\r`), each at most the
/// bound; lines given back after a recovery are served first.
struct Lines<R> {
    input: BufReader<R>,
    pending: VecDeque<(Vec<u8>, u64)>,
    offset: u64,
}

enum LineEnd {
    /// A line, with its byte offset.
    Line(u64),
    Eof,
    /// Longer than the bound; starts at this offset.
    TooLong(u64),
}

impl<R: Read> Lines<R> {
    /// Appends the next line to `out`.
    fn next(&mut self, out: &mut Vec<u8>, bound: usize) -> std::io::Result<LineEnd> {
        if let Some((line, offset)) = self.pending.pop_front() {
            out.extend_from_slice(&line);
            return Ok(LineEnd::Line(offset));
        }
        let start = self.offset;
        let mut len = 0usize;
        loop {
            let buf = match self.input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(if len == 0 {
                    LineEnd::Eof
                } else {
                    LineEnd::Line(start)
                });
            }
            match memchr::memchr2(b'\n', b'\r', buf) {
                Some(i) => {
                    let cr = buf[i] == b'\r';
                    let mut take = i + 1;
                    let mut cr_at_end = false;
                    if cr {
                        match buf.get(i + 1) {
                            Some(b'\n') => take += 1,
                            Some(_) => {}
                            None => cr_at_end = true,
                        }
                    }
                    out.extend_from_slice(&buf[..take]);
                    self.input.consume(take);
                    self.offset += take as u64;
                    if cr_at_end {
                        let next = loop {
                            match self.input.fill_buf() {
                                Ok(b) => break b.first().copied(),
                                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                                Err(e) => return Err(e),
                            }
                        };
                        if next == Some(b'\n') {
                            out.push(b'\n');
                            self.input.consume(1);
                            self.offset += 1;
                        }
                    }
                    if len + take > bound {
                        return Ok(LineEnd::TooLong(start));
                    }
                    return Ok(LineEnd::Line(start));
                }
                None => {
                    let n = buf.len();
                    out.extend_from_slice(buf);
                    self.input.consume(n);
                    self.offset += n as u64;
                    len += n;
                    if len > bound {
                        return Ok(LineEnd::TooLong(start));
                    }
                }
            }
        }
    }
}

/// A line without its terminator.
fn content(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Splits lines into fields the way the csv crate does (a quote opens a quoted field only at
/// the start of a field, `""` inside it is a quote, text after the closing quote is kept), one
/// line at a time so a quoted field can continue on the next line.
#[derive(Default)]
struct Splitter {
    out: Vec<u8>,
    bounds: Vec<(usize, usize)>,
    field_start: usize,
    /// Inside a quoted field, at the end of the last line fed.
    quoted: bool,
    /// Where the open quoted field's text starts in `out`.
    quote_at: usize,
    /// A quoted field that spanned lines closed on a quote followed by more text.
    bad_close: bool,
}

impl Splitter {
    fn reset(&mut self) {
        self.out.clear();
        self.bounds.clear();
        self.field_start = 0;
        self.quoted = false;
        self.bad_close = false;
    }

    fn end_field(&mut self) {
        self.bounds.push((self.field_start, self.out.len()));
        self.field_start = self.out.len();
    }

    /// Feeds one line (without terminator); true when the record is complete. With `literal`,
    /// a quoted field still open at the end of the line is taken as text, its quote included.
    fn feed(&mut self, line: &[u8], delim: u8, literal: bool) -> bool {
        let mut i = 0;
        let spanned = self.quoted;
        let mut in_quotes = self.quoted;
        let mut at_start = !self.quoted;
        loop {
            if in_quotes {
                match memchr::memchr(b'"', &line[i..]) {
                    Some(j) => {
                        self.out.extend_from_slice(&line[i..i + j]);
                        i += j + 1;
                        if line.get(i) == Some(&b'"') {
                            self.out.push(b'"');
                            i += 1;
                            continue;
                        }
                        in_quotes = false;
                        if spanned && i < line.len() && line[i] != delim {
                            self.bad_close = true;
                        }
                    }
                    None => {
                        self.out.extend_from_slice(&line[i..]);
                        if literal {
                            self.out.insert(self.quote_at, b'"');
                            self.quoted = false;
                            self.end_field();
                            return true;
                        }
                        self.quoted = true;
                        return false;
                    }
                }
            } else if at_start && line.get(i) == Some(&b'"') {
                if literal && memchr::memchr(b'"', &line[i + 1..]).is_none() {
                    // The stray quote: text, and the cells after it split as usual.
                    at_start = false;
                    continue;
                }
                in_quotes = true;
                at_start = false;
                self.quote_at = self.out.len();
                i += 1;
            } else {
                match memchr::memchr(delim, &line[i..]) {
                    Some(j) => {
                        self.out.extend_from_slice(&line[i..i + j]);
                        self.end_field();
                        i += j + 1;
                        at_start = true;
                    }
                    None => {
                        self.out.extend_from_slice(&line[i..]);
                        self.end_field();
                        self.quoted = false;
                        return true;
                    }
                }
            }
        }
    }
}

/// One record of the file, from delimited or whitespace-aligned text.
pub struct Records<R: Read> {
    lines: Lines<R>,
    delimiter: Delimiter,
    limits: Limits,
    split: Splitter,
    /// The record's lines as read (for a recovery), and where each ends with its offset.
    raw: Vec<u8>,
    line_ends: Vec<(usize, u64)>,
    text: String,
    bounds: Vec<(usize, usize)>,
    /// Rows so far as a spreadsheet shows them (records and blank lines).
    row: u64,
    recovered: bool,
    width: Option<usize>,
    /// The input ended inside a quoted field (see [`Records::ended_in_quotes`]).
    ended_in_quotes: bool,
}

impl<R: Read> Records<R> {
    pub fn new(input: R, delimiter: Delimiter) -> Self {
        Self::with_limits(input, delimiter, Limits::default())
    }

    pub fn with_limits(input: R, delimiter: Delimiter, limits: Limits) -> Self {
        Records {
            lines: Lines {
                input: BufReader::with_capacity(BUFFER, input),
                pending: VecDeque::new(),
                offset: 0,
            },
            delimiter,
            limits,
            split: Splitter::default(),
            raw: Vec::new(),
            line_ends: Vec::new(),
            text: String::new(),
            bounds: Vec::new(),
            row: 0,
            recovered: false,
            width: None,
            ended_in_quotes: false,
        }
    }

    /// The number of fields a record should have (the header's): a quoted field spanning lines
    /// that gives another number is taken as a stray quote.
    pub fn set_width(&mut self, width: usize) {
        self.width = Some(width);
    }

    /// Whether the last record had a quote that never closed (within the bounds) and was read
    /// again with that quote as text; the lines after it are read as records of their own.
    pub fn recovered(&self) -> bool {
        self.recovered
    }

    /// Whether the input ended inside a quoted field that had spanned lines: a reader given
    /// the bytes up to a seam then read differently from one given the whole file (the field
    /// might close after the seam), so the seam was not a record boundary it can trust.
    pub fn ended_in_quotes(&self) -> bool {
        self.ended_in_quotes
    }

    /// The rows counted so far (records and blank lines, the header included).
    pub fn rows(&self) -> u64 {
        self.row
    }

    fn fits(&self, n: usize) -> bool {
        match self.width {
            None => true,
            Some(w) => n == w || (n > w && self.split.bounds[w..].iter().all(|&(s, e)| s == e)),
        }
    }

    /// Appends the next line to `raw`; `row` is where a too-long line is reported.
    fn next_line(&mut self, row: u64) -> Result<Option<u64>, RecordError> {
        match self
            .lines
            .next(&mut self.raw, self.limits.line_bytes)
            .map_err(|e| RecordError::Io(e.to_string()))?
        {
            LineEnd::Line(offset) => Ok(Some(offset)),
            LineEnd::Eof => Ok(None),
            LineEnd::TooLong(offset) => Err(RecordError::TooLong {
                row,
                offset,
                bound: self.limits.line_bytes,
            }),
        }
    }

    /// Reads the next non-empty record; returns its 1-based row number as a spreadsheet shows
    /// it (blank lines count as rows, line breaks inside quotes don't).
    pub fn next(&mut self) -> Result<Option<u64>, RecordError> {
        self.recovered = false;
        loop {
            self.raw.clear();
            self.line_ends.clear();
            let Some(offset) = self.next_line(self.row + 1)? else {
                return Ok(None);
            };
            self.line_ends.push((self.raw.len(), offset));
            let first = content(&self.raw);
            if first.is_empty() {
                self.row += 1;
                continue;
            }
            self.row += 1;
            let Delimiter::Byte(delim) = self.delimiter else {
                self.split_whitespace();
                if self.bounds.is_empty() {
                    continue;
                }
                return Ok(Some(self.row));
            };
            if memchr::memchr(b'"', first).is_none() {
                // No quote: the fields are the line's bytes between delimiters, read in place.
                if let Ok(line) = std::str::from_utf8(first) {
                    self.text.clear();
                    self.text.push_str(line);
                    self.bounds.clear();
                    let mut start = 0;
                    for end in memchr::memchr_iter(delim, line.as_bytes()) {
                        self.bounds.push((start, end));
                        start = end + 1;
                    }
                    self.bounds.push((start, line.len()));
                    return Ok(Some(self.row));
                }
            }
            self.split.reset();
            if !self.split.feed(first, delim, false) {
                // A quoted field continues on the next lines.
                loop {
                    // The line break inside the quotes is part of the field, as written.
                    let n = self.line_ends.len();
                    let start = if n >= 2 { self.line_ends[n - 2].0 } else { 0 };
                    let end = self.line_ends[n - 1].0;
                    let body = content(&self.raw[start..end]).len();
                    self.split.out.extend_from_slice(&self.raw[start + body..end]);
                    let Some(offset) = self.next_line(self.row)? else {
                        self.ended_in_quotes = true;
                        self.recover(delim);
                        break;
                    };
                    self.line_ends.push((self.raw.len(), offset));
                    if self.line_ends.len() > self.limits.quoted_lines + 1
                        || self.raw.len() > self.limits.quoted_bytes
                    {
                        self.recover(delim);
                        break;
                    }
                    let line = content(&self.raw[end..]).to_vec();
                    if self.split.feed(&line, delim, false) {
                        if self.split.bad_close || !self.fits(self.split.bounds.len()) {
                            self.recover(delim);
                        }
                        break;
                    }
                }
            }
            self.take_fields();
            return Ok(Some(self.row));
        }
    }

    /// Reads the record's first line again with its open quote as text, and gives the lines
    /// after it back to be read as records.
    fn recover(&mut self, delim: u8) {
        let first_end = self.line_ends[0].0;
        // Given back in file order, before anything not yet read.
        for w in self.line_ends.windows(2).rev() {
            let (start, end, offset) = (w[0].0, w[1].0, w[1].1);
            self.lines
                .pending
                .push_front((self.raw[start..end].to_vec(), offset));
        }
        self.split.reset();
        let first = content(&self.raw[..first_end]).to_vec();
        self.split.feed(&first, delim, true);
        self.recovered = true;
    }

    fn take_fields(&mut self) {
        self.text.clear();
        self.bounds.clear();
        match std::str::from_utf8(&self.split.out) {
            Ok(s) => {
                self.text.push_str(s);
                self.bounds.extend_from_slice(&self.split.bounds);
            }
            Err(_) => {
                for &(s, e) in &self.split.bounds {
                    let start = self.text.len();
                    self.text
                        .push_str(&String::from_utf8_lossy(&self.split.out[s..e]));
                    self.bounds.push((start, self.text.len()));
                }
            }
        }
    }

    fn split_whitespace(&mut self) {
        self.text.clear();
        self.bounds.clear();
        self.text.push_str(&String::from_utf8_lossy(content(&self.raw)));
        let bytes = self.text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i > start {
                self.bounds.push((start, i));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn get(&self, i: usize) -> &str {
        self.bounds
            .get(i)
            .and_then(|&(s, e)| self.text.get(s..e))
            .unwrap_or("")
    }

    pub fn cells(&self) -> Vec<String> {
        (0..self.len()).map(|i| self.get(i).trim().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, limits: Limits) -> Vec<(u64, bool, Vec<String>)> {
        let mut r = Records::with_limits(text.as_bytes(), Delimiter::Byte(b','), limits);
        r.set_width(2);
        let mut out = Vec::new();
        while let Some(row) = r.next().unwrap() {
            out.push((row, r.recovered(), r.cells()));
        }
        out
    }

    fn small() -> Limits {
        Limits {
            line_bytes: 64,
            quoted_lines: 3,
            quoted_bytes: 200,
        }
    }

    #[test]
    fn splits_like_the_csv_crate() {
        let got = all(
            "a,\"b,c\"\r\n\n\"x\"\"y\",\"z\"w\r\"1\n2\",3\n",
            Limits::default(),
        );
        let want = [
            (1, false, vec!["a".to_string(), "b,c".into()]),
            (3, false, vec!["x\"y".into(), "zw".into()]),
            (4, false, vec!["1\n2".into(), "3".into()]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_quote_past_the_line_bound_is_literal() {
        let got = all("a,\"b\n1,2\n3,4\n5,6\n7,8\n", small());
        assert_eq!(got[0], (1, true, vec!["a".to_string(), "\"b".into()]));
        assert_eq!(got.len(), 5);
        assert_eq!(got[4], (5, false, vec!["7".to_string(), "8".into()]));
        // Within the bound, a quoted cell spans lines.
        let got = all("a,\"b\n1\n2\"\n3,4\n", small());
        assert_eq!(got[0], (1, false, vec!["a".to_string(), "b\n1\n2".into()]));
        assert_eq!(got[1], (2, false, vec!["3".to_string(), "4".into()]));
    }

    #[test]
    fn a_quote_past_the_byte_bound_is_literal() {
        let long = "y".repeat(60);
        let text = format!("a,\"b\n{long}\n{long}\n\",z\n");
        let limits = Limits {
            quoted_lines: 100,
            quoted_bytes: 100,
            ..small()
        };
        let got = all(&text, limits);
        assert!(got[0].1, "{got:?}");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn a_long_line_is_an_error_with_its_row() {
        let text = format!("a,b\n\nc,{}\n", "d".repeat(100));
        let mut r = Records::with_limits(text.as_bytes(), Delimiter::Byte(b','), small());
        assert_eq!(r.next(), Ok(Some(1)));
        assert_eq!(
            r.next(),
            Err(RecordError::TooLong {
                row: 3,
                offset: 5,
                bound: 64
            })
        );
        let mut r = Records::with_limits(text.as_bytes(), Delimiter::Whitespace, small());
        assert_eq!(r.next(), Ok(Some(1)));
        assert!(matches!(r.next(), Err(RecordError::TooLong { row: 3, .. })));
    }
}
