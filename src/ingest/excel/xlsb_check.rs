//! What a .xlsb could make calamine 0.38 exhaust, refused before calamine opens it, on every
//! target (a panic can be caught natively and is a trap of the page's worker in wasm, but
//! neither holds for an exhausted memory or stack):
//!
//! - the shared-string table: calamine holds every entry as it reads it, so a zip of millions
//!   of tiny entries is gigabytes; bounded by [`super::MAX_SHARED_STRINGS`] and
//!   [`super::MAX_TEXT_BYTES`];
//! - defined names' formulas: calamine's `parse_formula` recurses once per nested formula
//!   (PtgMemFunc in PtgMemFunc…) without a bound, and a name nesting 20,000 of them overflows
//!   the stack (an abort natively too). The walk stops at 64 levels, as Excel does.
//!
//! A sheet's cells are bounded as they stream ([`super::bounds::CellBudget`]). Everything else
//! calamine merely indexes past (a record shorter than it reads, a relationship id it does not
//! hold, a shared-string number past the table) is left to it: see `guarded` in `excel.rs`.
//! Where these walks meet damage they stop and leave the file to calamine, which fails (or
//! panics) on it there.
//!
//! The record framing (with calamine's one reused record buffer) and the formula tokens'
//! sizes mirror calamine 0.38's `xlsb/mod.rs` (MIT, Johann Tuffe); `tests/workbook_findings.rs`
//! checks that calamine alone still needs each refusal.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use zip::ZipArchive;

use super::{u16_at, u32_at};

/// Deepest formula nesting (PtgMemFunc in PtgMemFunc…) walked; Excel itself allows 64 levels.
const MAX_FORMULA_DEPTH: usize = 64;

/// Why a walk stopped early.
enum Stop {
    /// The part is damaged there: calamine's to refuse.
    Damaged,
    /// Over a bound or too deep: the message says which.
    Refused(String),
}

type Walk<T> = Result<T, Stop>;

/// Checks a .xlsb before calamine opens it: `Err` says what it would exhaust.
pub(super) fn check_xlsb(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut zip) = ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // calamine says the container is broken
    };
    // calamine's cached_zip_path: the archive's own spelling of a path, case ignored.
    let mut paths = HashMap::new();
    for name in zip.file_names() {
        let Ok(name) = name else {
            return Ok(()); // calamine says the container is broken
        };
        paths.insert(name.replace('\\', "/").to_ascii_lowercase(), name.to_string());
    }
    for walk in [shared_strings, names] {
        if let Err(Stop::Refused(message)) = walk(&mut zip, &paths) {
            return Err(message);
        }
    }
    Ok(())
}

/// calamine's `RecordIter` over one zip part, with its one reused buffer.
struct Records<R: Read> {
    part: String,
    r: R,
    buf: Vec<u8>,
}

impl<R: Read> Records<R> {
    fn read_u8(&mut self) -> Walk<u8> {
        let mut b = [0u8];
        self.r.read_exact(&mut b).map_err(|_| Stop::Damaged)?;
        Ok(b[0])
    }

    fn read_type(&mut self) -> Walk<u16> {
        let b = self.read_u8()?;
        Ok(if b & 0x80 == 0x80 {
            u16::from(b & 0x7F) + (u16::from(self.read_u8()? & 0x7F) << 7)
        } else {
            u16::from(b)
        })
    }

    /// The record body into `buf[..len]`; `buf` only ever grows, as calamine's does. A long
    /// body is read before the buffer grows, so a length the part cannot hold costs no memory.
    fn fill_buffer(&mut self) -> Walk<usize> {
        let mut b = self.read_u8()?;
        let mut len = usize::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            b = self.read_u8()?;
            len += usize::from(b & 0x7F) << (7 * i);
        }
        if len <= 1 << 16 || len <= self.buf.len() {
            if self.buf.len() < len {
                self.buf.resize(len, 0);
            }
            self.r
                .read_exact(&mut self.buf[..len])
                .map_err(|_| Stop::Damaged)?;
        } else {
            let mut body = Vec::new();
            (&mut self.r)
                .take(len as u64)
                .read_to_end(&mut body)
                .map_err(|_| Stop::Damaged)?;
            if body.len() < len {
                return Err(Stop::Damaged);
            }
            self.buf = body;
        }
        Ok(len)
    }

    fn next_skip_blocks(&mut self, record_type: u16, bounds: &[(u16, u16)]) -> Walk<usize> {
        loop {
            let typ = self.read_type()?;
            let len = self.fill_buffer()?;
            if typ == record_type {
                return Ok(len);
            }
            if let Some(&(_, end)) = bounds.iter().find(|b| b.0 == typ) {
                while self.read_type()? != end {
                    self.fill_buffer()?;
                }
                self.fill_buffer()?;
            }
        }
    }
}

/// calamine's `wide_str`: a u32 character count then UTF-16LE. Returns the text's length in
/// UTF-8 bytes and the bytes it took.
fn wide_str(buf: &[u8]) -> Walk<(usize, usize)> {
    let n = (buf.len() >= 4).then(|| u64::from(u32_at(buf, 0)));
    match n {
        Some(n) if 4 + 2 * n <= buf.len() as u64 => {
            let end = 4 + 2 * n as usize;
            Ok((encoding_rs::UTF_16LE.decode(&buf[4..end]).0.len(), end))
        }
        _ => Err(Stop::Damaged),
    }
}

type Part<'z, 'b> = Records<BufReader<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

fn open_part<'z, 'b>(
    zip: &'z mut ZipArchive<Cursor<&'b [u8]>>,
    paths: &HashMap<String, String>,
    path: &str,
) -> Walk<Part<'z, 'b>> {
    let name = paths
        .get(&path.to_ascii_lowercase())
        .map(String::as_str)
        .unwrap_or(path);
    match zip.by_name(name) {
        Ok(f) => Ok(Records {
            part: path.to_string(),
            r: BufReader::new(f),
            buf: Vec::new(),
        }),
        Err(_) => Err(Stop::Damaged), // missing or unreadable: calamine's to say
    }
}

/// `read_shared_strings`: the entries and the text calamine will hold.
fn shared_strings(zip: &mut ZipArchive<Cursor<&[u8]>>, paths: &HashMap<String, String>) -> Walk<()> {
    let mut it = open_part(zip, paths, "xl/sharedStrings.bin")?;
    it.next_skip_blocks(0x009F, &[])?; // BrtBeginSst
    if it.buf.len() < 8 {
        return Err(Stop::Damaged);
    }
    let count = u32_at(&it.buf, 4);
    let (mut read, mut text) = (0u64, 0u64);
    for _ in 0..count {
        it.next_skip_blocks(0x0013, &[(0x0023, 0x0024)])?; // BrtSSTItem
        let item = it.buf.get(1..).ok_or(Stop::Damaged)?;
        text += wide_str(item)?.0 as u64;
        read += 1;
        if read > super::MAX_SHARED_STRINGS || text > super::MAX_TEXT_BYTES {
            return Err(Stop::Refused(format!(
                "{} holds more than {} shared texts or {} MB of shared text; {}",
                it.part,
                super::MAX_SHARED_STRINGS,
                super::MAX_TEXT_BYTES >> 20,
                super::bounds::SAVE_AS_CSV
            )));
        }
    }
    Ok(())
}

/// The defined names (BrtName) of `xl/workbook.bin`, read as calamine's `read_workbook` reads
/// them, each formula walked for its nesting depth.
fn names(zip: &mut ZipArchive<Cursor<&[u8]>>, paths: &HashMap<String, String>) -> Walk<()> {
    const PART: &str = "xl/workbook.bin";
    let mut it = open_part(zip, paths, PART)?;
    let mut names = 0usize;
    loop {
        let typ = it.read_type()?;
        let len = it.fill_buffer()?;
        if typ != 0x0027 {
            continue;
        }
        let record = &it.buf[..len];
        let (_, str_len) = wide_str(record.get(9..).ok_or(Stop::Damaged)?)?;
        let start = 13 + str_len;
        let rgce_len = record
            .get(9 + str_len..start)
            .map(|b| u32_at(b, 0) as usize)
            .ok_or(Stop::Damaged)?;
        let rgce = start
            .checked_add(rgce_len)
            .and_then(|end| record.get(start..end))
            .ok_or(Stop::Damaged)?;
        names += 1;
        formula_depth(rgce, 0).map_err(|e| match e {
            Stop::Refused(e) => Stop::Refused(format!(
                "{PART}: defined name {names} has a damaged formula ({e})"
            )),
            damaged => damaged,
        })?;
    }
}

/// Walks a formula's tokens as calamine's `parse_formula` sizes them, into every nested
/// formula: deeper than [`MAX_FORMULA_DEPTH`] is refused; a token calamine does not know, or
/// one cut short, ends the walk (calamine fails there before it recurses further).
fn formula_depth(mut rgce: &[u8], depth: usize) -> Walk<()> {
    if depth > MAX_FORMULA_DEPTH {
        return Err(Stop::Refused(format!(
            "nested more than {MAX_FORMULA_DEPTH} deep"
        )));
    }
    let take = |rgce: &mut &[u8], n: usize| -> Walk<()> {
        *rgce = rgce.get(n..).ok_or(Stop::Damaged)?;
        Ok(())
    };
    while let Some((&ptg, rest)) = rgce.split_first() {
        rgce = rest;
        let n = match ptg {
            0x3A | 0x5A | 0x7A | 0x3C | 0x5C | 0x7C => 8,
            0x3B | 0x5B | 0x7B | 0x3D | 0x5D | 0x7D => 14,
            0x01 => 4,
            0x03..=0x16 => 0,
            0x17 => 2 + 2 * usize::from(u16_at(rgce.get(..2).ok_or(Stop::Damaged)?, 0)),
            0x18 => match rgce.first() {
                Some(0x19) => 13,
                Some(0x1D) => 5,
                _ => return Err(Stop::Damaged),
            },
            0x19 => match rgce.first() {
                Some(0x01 | 0x02 | 0x08 | 0x20 | 0x21 | 0x40 | 0x41 | 0x80 | 0x10) => 3,
                Some(0x04) => 11,
                _ => return Err(Stop::Damaged),
            },
            0x1C | 0x1D => 1,
            0x1E | 0x21 | 0x41 | 0x61 => 2,
            0x1F => 8,
            0x20 | 0x40 | 0x60 => 14,
            0x22 | 0x42 | 0x62 => 3,
            0x23 | 0x43 | 0x63 => 4,
            0x24 | 0x44 | 0x64 | 0x2A | 0x4A | 0x6A | 0x39 | 0x59 | 0x79 => 6,
            0x25 | 0x45 | 0x65 | 0x2B | 0x4B | 0x6B => 12,
            // PtgMemFunc: a u16 length, then a nested formula of that many bytes.
            0x29 | 0x49 | 0x69 => {
                let cce = usize::from(u16_at(rgce.get(..2).ok_or(Stop::Damaged)?, 0));
                take(&mut rgce, 2)?;
                formula_depth(rgce.get(..cce).ok_or(Stop::Damaged)?, depth + 1)?;
                cce
            }
            _ => return Err(Stop::Damaged),
        };
        take(&mut rgce, n)?;
    }
    Ok(())
}
