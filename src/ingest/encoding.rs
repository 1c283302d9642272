//! Text encoding of an upload: detected from a byte-order mark or, without one, from the first
//! bytes (valid UTF-8, else GB18030/GBK when the text reads as plausible Chinese, else
//! Windows-1252), then decoded to UTF-8 while streaming so the whole file is never held as text.

use encoding_rs::{CoderResult, Decoder, Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The encoding chosen for a file and how many BOM bytes to drop.
#[derive(Debug, Clone, Copy)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// Name shown in the quality report (`"UTF-8"`, `"UTF-8 (BOM)"`, `"GBK"`, …).
    pub name: &'static str,
    pub bom_len: usize,
}

/// Looks at the first bytes of a file (`prefix`, `complete` when it is the whole file).
pub fn detect(prefix: &[u8], complete: bool) -> Detected {
    let with = |encoding, name, bom_len| Detected {
        encoding,
        name,
        bom_len,
    };
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return with(UTF_8, "UTF-8 (BOM)", 3);
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return with(UTF_16LE, "UTF-16LE", 2);
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return with(UTF_16BE, "UTF-16BE", 2);
    }
    if let Some(e) = utf16_without_bom(prefix) {
        return e;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => return with(UTF_8, "UTF-8", 0),
        // Only a multi-byte character cut by the end of the sample: still UTF-8.
        Err(e) if e.error_len().is_none() && !complete => return with(UTF_8, "UTF-8", 0),
        Err(_) => {}
    }
    if plausible_chinese(prefix, complete) {
        return with(GB18030, "GBK", 0);
    }
    with(WINDOWS_1252, "windows-1252", 0)
}

/// UTF-16 without a BOM shows as ASCII text with a NUL byte beside every character.
fn utf16_without_bom(prefix: &[u8]) -> Option<Detected> {
    let n = prefix.len().min(4096) / 2 * 2;
    if n < 8 {
        return None;
    }
    let pairs = n / 2;
    let even_nul = prefix.iter().take(n).step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = prefix
        .iter()
        .take(n)
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd_nul * 10 > pairs * 7 && even_nul * 10 < pairs {
        return Some(Detected {
            encoding: UTF_16LE,
            name: "UTF-16LE",
            bom_len: 0,
        });
    }
    if even_nul * 10 > pairs * 7 && odd_nul * 10 < pairs {
        return Some(Detected {
            encoding: UTF_16BE,
            name: "UTF-16BE",
            bom_len: 0,
        });
    }
    None
}

/// Decodes as GB18030 without errors and most non-ASCII characters are CJK ideographs or
/// CJK punctuation: Windows-1252 text (accented Latin) almost never does.
fn plausible_chinese(prefix: &[u8], complete: bool) -> bool {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(prefix.len())
        .unwrap_or(prefix.len() * 4 + 16);
    let mut out = String::with_capacity(cap);
    let (result, _read) = decoder.decode_to_string_without_replacement(prefix, &mut out, complete);
    if !matches!(result, encoding_rs::DecoderResult::InputEmpty) {
        return false;
    }
    let (mut cjk, mut other) = (0usize, 0usize);
    for c in out.chars().filter(|c| !c.is_ascii()) {
        if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}') {
            cjk += 1;
        } else {
            other += 1;
        }
    }
    cjk > 0 && cjk >= other * 4
}

/// Finds an encoding by label (`"gbk"`, `"utf-16le"`, `"latin1"`, …) for the override option.
pub fn by_label(label: &str) -> Option<Detected> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(Detected {
        encoding,
        name: encoding.name(),
        bom_len: 0,
    })
}

/// A `Read` that yields UTF-8 from bytes in any encoding, counting raw bytes consumed into
/// `bytes_read` (shared with whoever reports progress).
pub struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
    bytes_read: Rc<Cell<u64>>,
    replaced: Rc<Cell<bool>>,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> DecodeReader<R> {
    /// `prefix` holds the bytes already read from `inner` (BOM included); `bom_len` of them are
    /// skipped.
    pub fn new(inner: R, prefix: Vec<u8>, detected: Detected, bytes_read: Rc<Cell<u64>>) -> Self {
        let in_end = prefix.len();
        let mut input = prefix;
        if input.len() < CHUNK {
            input.resize(CHUNK, 0);
        }
        DecodeReader {
            inner,
            decoder: detected.encoding.new_decoder_without_bom_handling(),
            input,
            in_start: detected.bom_len.min(in_end),
            in_end,
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
            bytes_read,
            replaced: Rc::new(Cell::new(false)),
        }
    }
}

impl<R> DecodeReader<R> {
    /// Becomes true once a malformed byte sequence was replaced by U+FFFD.
    pub fn replaced(&self) -> Rc<Cell<bool>> {
        self.replaced.clone()
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = (self.out_end - self.out_start).min(buf.len());
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = 0;
                let cap = self.input.len().min(CHUNK);
                let n = loop {
                    match self.inner.read(&mut self.input[..cap]) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.bytes_read.set(self.bytes_read.get() + n as u64);
                if n == 0 {
                    self.eof = true;
                }
                self.in_end = n;
            }
            let (result, read, written, had_errors) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            if had_errors {
                self.replaced.set(true);
            }
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, &'static str) {
        let d = detect(bytes, true);
        let counter = Rc::new(Cell::new(0));
        let mut r = DecodeReader::new(io::empty(), bytes.to_vec(), d, counter);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, d.name)
    }

    #[test]
    fn boms_and_utf16() {
        assert_eq!(decode_all(b"\xEF\xBB\xBFa,b\n"), ("a,b\n".into(), "UTF-8 (BOM)"));
        // encoding_rs encodes to UTF-16 as UTF-8 (per the Encoding Standard): build it by hand.
        let text = "客户ID,日期\n1,2024-01-05\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_all(&bytes), (text.into(), "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        let mut no_bom = Vec::new();
        for u in text.encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
            no_bom.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_all(&be), (text.into(), "UTF-16BE"));
        assert_eq!(decode_all(&no_bom), (text.into(), "UTF-16LE"));
    }

    #[test]
    fn gbk_and_windows_1252() {
        let text = "客户编号,订单日期,实付金额\nA001,2024年1月5日,￥88.00\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(decode_all(&gbk), (text.into(), "GBK"));
        let text = "Client,Date,Montant\nRené,05/01/2024,12,50 €\n";
        let (cp, _, _) = WINDOWS_1252.encode(text);
        assert_eq!(decode_all(&cp), (text.into(), "windows-1252"));
    }

    #[test]
    fn streaming_across_small_reads() {
        // A multi-byte character split between the prefix and the rest must survive.
        let text = "客户,日期\n".repeat(5000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let split = 7;
        let d = detect(&gbk[..split], false);
        assert_eq!(d.name, "GBK");
        let counter = Rc::new(Cell::new(0));
        let rest = io::Cursor::new(gbk[split..].to_vec());
        let mut r = DecodeReader::new(rest, gbk[..split].to_vec(), d, counter.clone());
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, text);
        assert_eq!(counter.get() as usize, gbk.len() - split);
    }
}
