//! Checks a .xlsb the way calamine 0.38 will read it, before it does.
//!
//! calamine's xlsb reader indexes record bodies without checking their length, looks sheet
//! relationship ids up with `map[key]`, indexes the shared strings with a cell's number, and
//! recurses into nested formulas without a bound: on a damaged file each of these panics (in
//! wasm, an abort that kills the widget). These functions walk the same zip parts in the same
//! order, with the same record framing and the same reused record buffer (a short record leaves
//! the previous record's bytes behind it, which calamine then reads), and refuse a file at the
//! first place where calamine would panic or fail. Refusing where calamine would only fail is
//! harmless: the file is refused either way, with a message that says where.
//!
//! Found by `cargo fuzz run ingest` (fixtures in `tests/fixtures/excel/fuzz_xlsb_*.xlsb`).
//!
//! The record reader, the attribute scan of the relationships part and the formula walk mirror
//! calamine 0.38's `xlsb/mod.rs`, `xlsb/cells_reader.rs` and `attrs.rs` (MIT, Johann Tuffe); a
//! calamine upgrade must re-check them (the fuzz target does).

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::{u16_at, u32_at};

/// calamine's `utils::FTAB_LEN`: the number of built-in worksheet functions it names.
const FTAB_LEN: usize = 485;
/// Deepest formula nesting (PtgMemFunc in PtgMemFunc…) walked; Excel itself allows 64 levels.
const MAX_FORMULA_DEPTH: usize = 64;
/// The error values calamine knows (#NULL!, #DIV/0!, #VALUE!, #REF!, #NAME?, #NUM!, #N/A,
/// #GETTING_DATA), in cells and in formulas; any other is its error.
const ERROR_CODES: [u8; 8] = [0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A, 0x2B];

/// What calamine will have read from the workbook parts when it opens the file, so each sheet
/// can be checked before calamine streams it.
pub(super) struct XlsbCheck<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    paths: HashMap<String, String>,
    strings: usize,
    sheets: Vec<(String, String)>,
}

type Checked<T> = Result<T, String>;

/// calamine's `RecordIter` over one zip part, with its one reused buffer.
struct Records<R: Read> {
    part: String,
    r: R,
    at: u64,
    buf: Vec<u8>,
}

impl<R: Read> Records<R> {
    fn cut(&self) -> String {
        format!("{} ends inside a record (byte {})", self.part, self.at)
    }

    fn read_u8(&mut self) -> Checked<u8> {
        let mut b = [0u8];
        self.r.read_exact(&mut b).map_err(|_| self.cut())?;
        self.at += 1;
        Ok(b[0])
    }

    fn read_type(&mut self) -> Checked<u16> {
        let b = self.read_u8()?;
        Ok(if b & 0x80 == 0x80 {
            u16::from(b & 0x7F) + (u16::from(self.read_u8()? & 0x7F) << 7)
        } else {
            u16::from(b)
        })
    }

    /// The record body into `buf[..len]`; `buf` only ever grows, as calamine's does. A long
    /// body is read before the buffer grows, so a length the part cannot hold costs no memory.
    fn fill_buffer(&mut self) -> Checked<usize> {
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
            self.r.read_exact(&mut self.buf[..len]).map_err(|_| self.cut())?;
        } else {
            let mut body = Vec::new();
            (&mut self.r)
                .take(len as u64)
                .read_to_end(&mut body)
                .map_err(|_| self.cut())?;
            if body.len() < len {
                return Err(self.cut());
            }
            self.buf = body;
        }
        self.at += len as u64;
        Ok(len)
    }

    fn next_skip_blocks(&mut self, record_type: u16, bounds: &[(u16, u16)]) -> Checked<usize> {
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

    /// `buf` must hold `n` bytes where calamine indexes it.
    fn need(&self, n: usize, what: &str) -> Checked<()> {
        if self.buf.len() < n {
            return Err(format!(
                "{}: {what} before byte {} is {} bytes, shorter than the {n} it must hold",
                self.part,
                self.at,
                self.buf.len()
            ));
        }
        Ok(())
    }
}

/// calamine's `wide_str`: a u32 character count then UTF-16LE. Returns the string and the bytes
/// it took. A count past the buffer is calamine's error; on wasm32 a count of 2^31 or more
/// would wrap its length arithmetic into a panic, and is past any buffer too.
fn wide_str(buf: &[u8], part: &str) -> Checked<(String, usize)> {
    let n = (buf.len() >= 4).then(|| u64::from(u32_at(buf, 0)));
    match n {
        Some(n) if 4 + 2 * n <= buf.len() as u64 => {
            let end = 4 + 2 * n as usize;
            Ok((encoding_rs::UTF_16LE.decode(&buf[4..end]).0.into_owned(), end))
        }
        _ => Err(format!("{part}: a text is longer than the record that holds it")),
    }
}

type Part<'z, 'b> = Records<BufReader<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>>;

fn open_part<'z, 'b>(
    zip: &'z mut ZipArchive<Cursor<&'b [u8]>>,
    paths: &HashMap<String, String>,
    path: &str,
) -> Result<Option<Part<'z, 'b>>, String> {
    // calamine's cached_zip_path: the archive's own spelling of the path, case ignored.
    let name = paths
        .get(&path.to_ascii_lowercase())
        .map(String::as_str)
        .unwrap_or(path);
    match zip.by_name(name) {
        Ok(f) => Ok(Some(Records {
            part: path.to_string(),
            r: BufReader::new(f),
            at: 0,
            buf: Vec::new(),
        })),
        Err(ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(format!("{path} could not be opened: {e}")),
    }
}

impl<'a> XlsbCheck<'a> {
    /// Walks what `Xlsb::new` reads: the shared strings, the styles, the workbook's
    /// relationships and the workbook part (sheet list and defined names).
    pub(super) fn open(bytes: &'a [u8]) -> Checked<Self> {
        let mut zip =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("its zip container is broken: {e}"))?;
        let mut paths = HashMap::new();
        for name in zip.file_names() {
            let name = name.map_err(|e| format!("its zip container is broken: {e}"))?;
            paths.insert(name.replace('\\', "/").to_ascii_lowercase(), name.to_string());
        }
        let strings = shared_strings(&mut zip, &paths)?;
        styles(&mut zip, &paths)?;
        let relationships = relationships(&mut zip)?;
        let sheets = workbook(&mut zip, &paths, &relationships)?;
        Ok(XlsbCheck {
            zip,
            paths,
            strings,
            sheets,
        })
    }

    /// Walks what `worksheet_cells_reader(name)` and its `next_cell` loop read.
    pub(super) fn sheet(&mut self, name: &str) -> Checked<()> {
        let Some((_, path)) = self.sheets.iter().find(|(n, _)| n == name) else {
            return Ok(()); // calamine says the sheet is not there
        };
        let path = path.clone();
        let Some(mut it) = open_part(&mut self.zip, &self.paths, &path)? else {
            return Err(format!("{path} is missing"));
        };
        it.next_skip_blocks(0x0094, &[])?; // BrtWsDim
        it.need(16, "the sheet's dimensions record")?;
        it.next_skip_blocks(0x0091, &[(0x0085, 0x0086), (0x0025, 0x0026), (0x0186, 0x0187)])?; // BrtBeginSheetData
        let mut cells = 0u64;
        loop {
            let typ = it.read_type()?;
            it.fill_buffer()?;
            // Cell records (blank included): refused past the bound before calamine parses them.
            if (0x0001..=0x000A).contains(&typ) {
                cells += 1;
                if cells > super::MAX_SHEET_CELLS {
                    return Err(format!(
                        "{path} has more than {} cells; {}",
                        super::MAX_SHEET_CELLS,
                        super::bounds::SAVE_AS_CSV
                    ));
                }
            }
            match typ {
                0x0002 => {
                    it.need(12, "a number cell")?;
                    it.buf[8] &= 0xFC; // calamine clears the RK flags in its buffer
                }
                0x0003 => {
                    it.need(9, "an error cell")?;
                    if !ERROR_CODES.contains(&it.buf[8]) {
                        return Err(format!("{path}: an error cell holds an unknown error code"));
                    }
                }
                0x0004 | 0x000A => it.need(9, "a true/false cell")?,
                0x0005 | 0x0009 => it.need(16, "a number cell")?,
                0x0006 | 0x0008 => {
                    it.need(8, "a text cell")?;
                    wide_str(&it.buf[8..], &path)?;
                }
                0x0007 => {
                    it.need(12, "a shared-text cell")?;
                    let isst = u32_at(&it.buf, 8) as usize;
                    if isst >= self.strings {
                        return Err(format!(
                            "{path}: a cell uses shared text number {isst}, but the workbook holds {}",
                            self.strings
                        ));
                    }
                }
                0x0000 => {
                    it.need(4, "a row header")?;
                    if u32_at(&it.buf, 0) > 0x0010_0000 {
                        return Ok(());
                    }
                }
                0x0092 => return Ok(()), // BrtEndSheetData
                _ => {}
            }
        }
    }
}

/// `read_shared_strings`: how many strings calamine will hold.
fn shared_strings(zip: &mut ZipArchive<Cursor<&[u8]>>, paths: &HashMap<String, String>) -> Checked<usize> {
    let Some(mut it) = open_part(zip, paths, "xl/sharedStrings.bin").ok().flatten() else {
        return Ok(0); // calamine reads none
    };
    it.next_skip_blocks(0x009F, &[])?; // BrtBeginSst
    it.need(8, "the shared-text header")?;
    let count = u32_at(&it.buf, 4);
    let (mut read, mut text) = (0usize, 0u64);
    for _ in 0..count {
        it.next_skip_blocks(0x0013, &[(0x0023, 0x0024)])?; // BrtSSTItem
        it.need(1, "a shared text")?;
        text += wide_str(&it.buf[1..], &it.part)?.0.len() as u64;
        read += 1;
        if read as u64 > super::MAX_SHARED_STRINGS || text > super::MAX_TEXT_BYTES {
            return Err(format!(
                "{} holds more than {} shared texts or {} MB of shared text; {}",
                it.part,
                super::MAX_SHARED_STRINGS,
                super::MAX_TEXT_BYTES >> 20,
                super::bounds::SAVE_AS_CSV
            ));
        }
    }
    Ok(read)
}

/// `read_styles`: calamine reads the next byte after an unknown record's type as the next type
/// (it does not skip the body), and so must this walk.
fn styles(zip: &mut ZipArchive<Cursor<&[u8]>>, paths: &HashMap<String, String>) -> Checked<()> {
    let Some(mut it) = open_part(zip, paths, "xl/styles.bin").ok().flatten() else {
        return Ok(());
    };
    loop {
        match it.read_type()? {
            0x0267 => {
                it.fill_buffer()?;
                it.need(4, "the number-format list")?;
                for _ in 0..u32_at(&it.buf, 0) {
                    it.next_skip_blocks(0x002C, &[])?; // BrtFmt
                    it.need(2, "a number format")?;
                    wide_str(&it.buf[2..], &it.part)?;
                }
            }
            0x0269 => {
                it.fill_buffer()?;
                it.need(4, "the cell-format list")?;
                for _ in 0..u32_at(&it.buf, 0) {
                    it.next_skip_blocks(0x002F, &[])?; // BrtXF
                    it.need(4, "a cell format")?;
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

/// `read_relationships`: id → target, as calamine's map will hold them (its own attribute scan
/// and unescaping, on the same quick-xml events; the last target of an id wins).
fn relationships(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Checked<HashMap<String, String>> {
    use quick_xml::events::Event;
    const PART: &str = "xl/_rels/workbook.bin.rels";
    let mut map = HashMap::new();
    let f = match zip.by_name(PART) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(map),
        Err(e) => return Err(format!("{PART} could not be opened: {e}")),
    };
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(f));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let bad = |e: &dyn std::fmt::Display| format!("{PART} is damaged: {e}");
    let mut buf = Vec::with_capacity(64);
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "Relationship" => {
                let (mut id, mut target, mut found) = (None, None, 0u8);
                for item in (RawAttrs {
                    raw: e.attributes_raw(),
                    pos: 0,
                }) {
                    let (k, v) = item.map_err(|()| bad(&"a malformed attribute"))?;
                    match k {
                        "Id" => id = Some(v),
                        "Target" => target = Some(v),
                        _ => continue,
                    }
                    found += 1;
                    if found == 2 {
                        break;
                    }
                }
                if let (Some(id), Some(target)) = (id, target) {
                    let target = quick_xml::escape::unescape(target).map_err(|e| bad(&e))?;
                    map.insert(id.to_string(), target.into_owned());
                }
            }
            Ok(Event::Eof) => return Ok(map),
            Err(e) => return Err(bad(&e)),
            _ => {}
        }
        buf.clear();
    }
}

/// calamine's `RawAttrIter` over an element's raw attribute text.
pub(super) fn raw_attrs(raw: &str) -> RawAttrs<'_> {
    RawAttrs { raw, pos: 0 }
}

/// calamine's `RawAttrIter`: `key="value"` pairs, a key without `=` or an unquoted value being
/// an error.
pub(super) struct RawAttrs<'a> {
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

/// `read_workbook`: the sheet list (name, part) and the defined names' formulas.
fn workbook(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    paths: &HashMap<String, String>,
    relationships: &HashMap<String, String>,
) -> Checked<Vec<(String, String)>> {
    const PART: &str = "xl/workbook.bin";
    let Some(mut it) = open_part(zip, paths, PART)? else {
        return Err(format!("{PART} is missing"));
    };
    let mut sheets = Vec::new();
    loop {
        let typ = it.read_type()?;
        let len = it.fill_buffer()?;
        match typ {
            0x0099 => it.need(1, "the workbook properties")?, // BrtWbProp
            0x009C => {
                // BrtBundleSh
                if len < 12 {
                    return Err(format!(
                        "{PART}: a sheet entry is {len} bytes, shorter than its 12-byte header"
                    ));
                }
                let rel_len = u32_at(&it.buf, 8);
                if rel_len == u32::MAX {
                    continue;
                }
                let end = 12 + 2 * rel_len as u64;
                if end > len as u64 {
                    return Err(format!(
                        "{PART}: a sheet entry's relationship id runs past the entry"
                    ));
                }
                let end = end as usize;
                let relid = encoding_rs::UTF_16LE.decode(&it.buf[12..end]).0;
                let Some(target) = relationships.get(&*relid) else {
                    return Err(format!(
                        "{PART}: a sheet entry names relationship \"{relid}\", which xl/_rels/workbook.bin.rels does not hold"
                    ));
                };
                let path = format!("xl/{target}");
                if u32_at(&it.buf, 0) > 2 {
                    return Err(format!("{PART}: a sheet entry has an unknown visibility"));
                }
                if !matches!(
                    path.split('/').nth(1),
                    Some("worksheets" | "chartsheets" | "dialogsheets")
                ) {
                    return Err(format!("{PART}: a sheet entry points at {path}, not at a sheet"));
                }
                let (name, _) = wide_str(&it.buf[end..len], PART)?;
                sheets.push((name, path));
            }
            0x0090 => break, // BrtEndBundleShs
            _ => {}
        }
    }
    let mut extern_sheets = 0usize;
    let mut names = 0usize;
    loop {
        match it.read_type()? {
            0x016A => {
                // BrtExternSheet: calamine takes 12-byte entries from the whole buffer (a
                // short record leaves older bytes behind) and reads 8 bytes of each.
                it.fill_buffer()?;
                it.need(4, "the external-sheet list")?;
                let cxti = u32_at(&it.buf, 0) as usize;
                let rest = it.buf.len() - 4;
                let (whole, tail) = (rest / 12, rest % 12);
                if cxti > whole && tail > 0 && tail < 8 {
                    return Err(format!("{PART}: the external-sheet list is cut short"));
                }
                extern_sheets = cxti.min(rest.div_ceil(12));
            }
            0x0027 => {
                // BrtName
                let len = it.fill_buffer()?;
                let record = &it.buf[..len];
                let cut = || format!("{PART}: a defined name is cut short");
                let (_, str_len) = wide_str(record.get(9..).ok_or_else(cut)?, PART)?;
                let start = 13 + str_len;
                let rgce_len = record
                    .get(9 + str_len..start)
                    .map(|b| u32_at(b, 0) as usize)
                    .ok_or_else(cut)?;
                let rgce = start
                    .checked_add(rgce_len)
                    .and_then(|end| record.get(start..end))
                    .ok_or_else(cut)?;
                formula(rgce, extern_sheets, 0)
                    .map_err(|e| format!("{PART}: defined name {} has a damaged formula ({e})", names + 1))?;
                names += 1;
            }
            0x009D | 0x0225 | 0x018D | 0x0180 | 0x009A | 0x0252 | 0x0229 | 0x009B | 0x0084 => break,
            _ => {
                it.fill_buffer()?;
            }
        }
    }
    Ok(sheets)
}

/// calamine's `parse_formula`, for the bytes each token takes, the sheet and function numbers
/// it indexes with, and its recursion into nested formulas. Stack bookkeeping is left out:
/// calamine reports a bad stack as an error, never a panic.
fn formula(mut rgce: &[u8], sheets: usize, depth: usize) -> Result<(), String> {
    if depth > MAX_FORMULA_DEPTH {
        return Err(format!("nested more than {MAX_FORMULA_DEPTH} deep"));
    }
    let take = |rgce: &mut &[u8], n: usize| -> Result<(), String> {
        if rgce.len() < n {
            return Err("a token is cut short".into());
        }
        *rgce = &rgce[n..];
        Ok(())
    };
    let u16_at = |b: &[u8], i: usize| usize::from(u16_at(b, i));
    let sheet = |rgce: &[u8]| -> Result<(), String> {
        if u16_at(rgce, 0) >= sheets {
            return Err(format!(
                "it refers to external sheet {} of {sheets}",
                u16_at(rgce, 0)
            ));
        }
        Ok(())
    };
    while let Some((&ptg, rest)) = rgce.split_first() {
        rgce = rest;
        let need = |n: usize| {
            if rgce.len() < n {
                Err("a token is cut short".to_string())
            } else {
                Ok(())
            }
        };
        match ptg {
            0x3A | 0x5A | 0x7A | 0x3C | 0x5C | 0x7C => {
                need(8)?;
                sheet(rgce)?;
                take(&mut rgce, 8)?;
            }
            0x3B | 0x5B | 0x7B | 0x3D | 0x5D | 0x7D => {
                need(14)?;
                sheet(rgce)?;
                take(&mut rgce, 14)?;
            }
            0x01 => take(&mut rgce, 4)?,
            0x03..=0x16 => {}
            0x17 => {
                need(2)?;
                let cch = u16_at(rgce, 0);
                take(&mut rgce, 2 + 2 * cch)?;
            }
            0x18 => {
                need(1)?;
                match rgce[0] {
                    0x19 => take(&mut rgce, 13)?,
                    0x1D => take(&mut rgce, 5)?,
                    e => return Err(format!("unknown extended token {e:#x}")),
                }
            }
            0x19 => {
                need(1)?;
                match rgce[0] {
                    0x01 | 0x02 | 0x08 | 0x20 | 0x21 | 0x40 | 0x41 | 0x80 | 0x10 => take(&mut rgce, 3)?,
                    0x04 => take(&mut rgce, 11)?,
                    e => return Err(format!("unknown attribute token {e:#x}")),
                }
            }
            0x1C => {
                need(1)?;
                if !ERROR_CODES.contains(&rgce[0]) {
                    return Err("an unknown error value".into());
                }
                take(&mut rgce, 1)?;
            }
            0x1D => take(&mut rgce, 1)?,
            0x1E => take(&mut rgce, 2)?,
            0x1F => take(&mut rgce, 8)?,
            0x20 | 0x40 | 0x60 => take(&mut rgce, 14)?,
            0x21 | 0x41 | 0x61 => {
                need(2)?;
                if u16_at(rgce, 0) >= FTAB_LEN {
                    return Err(format!("unknown function {}", u16_at(rgce, 0)));
                }
                take(&mut rgce, 2)?;
            }
            0x22 | 0x42 | 0x62 => {
                need(3)?;
                if u16_at(rgce, 1) >= FTAB_LEN {
                    return Err(format!("unknown function {}", u16_at(rgce, 1)));
                }
                take(&mut rgce, 3)?;
            }
            0x23 | 0x43 | 0x63 => {
                need(4)?;
                if rgce[..4] == [0, 0, 0, 0] {
                    return Err("it refers to name 0 (names count from 1)".into());
                }
                take(&mut rgce, 4)?;
            }
            0x24 | 0x44 | 0x64 | 0x2A | 0x4A | 0x6A | 0x39 | 0x59 | 0x79 => take(&mut rgce, 6)?,
            0x25 | 0x45 | 0x65 | 0x2B | 0x4B | 0x6B => take(&mut rgce, 12)?,
            0x29 | 0x49 | 0x69 => {
                need(2)?;
                let cce = u16_at(rgce, 0);
                take(&mut rgce, 2)?;
                need(cce)?;
                formula(&rgce[..cce], sheets, depth + 1)?;
                take(&mut rgce, cce)?;
            }
            p => return Err(format!("unknown token {p:#x}")),
        }
    }
    Ok(())
}
