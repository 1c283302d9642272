//! Text encoding of an upload: detected from a byte-order mark or, without one, from the first
//! bytes (valid UTF-8; else the CJK encoding — GB18030/GBK, Big5, Shift_JIS, EUC-KR — whose
//! decoding is valid and made of common characters; else Windows-1252), then decoded to UTF-8 while streaming so the whole file is never held as text.

use encoding_rs::{
    CoderResult, Decoder, Encoding, BIG5, EUC_KR, GB18030, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252,
};
use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The encoding chosen for a file and how many BOM bytes to drop.
#[derive(Debug, Clone)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// Name shown in the quality report (`"UTF-8"`, `"UTF-8 (BOM)"`, `"GBK"`, …).
    pub name: &'static str,
    pub bom_len: usize,
    /// Other encodings that also decode the bytes without error, when the choice was a guess
    /// between them (names as `--encoding` takes them).
    pub alternatives: Vec<&'static str>,
}

/// Looks at the first bytes of a file (`prefix`, `complete` when it is the whole file).
pub fn detect(prefix: &[u8], complete: bool) -> Detected {
    let with = |encoding, name, bom_len| Detected {
        encoding,
        name,
        bom_len,
        alternatives: Vec::new(),
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
    if let Some((encoding, name, others)) = plausible_cjk(prefix, complete) {
        return Detected {
            encoding,
            name,
            bom_len: 0,
            alternatives: others,
        };
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
            alternatives: Vec::new(),
        });
    }
    if even_nul * 10 > pairs * 7 && odd_nul * 10 < pairs {
        return Some(Detected {
            encoding: UTF_16BE,
            name: "UTF-16BE",
            bom_len: 0,
            alternatives: Vec::new(),
        });
    }
    None
}

/// The CJK encodings tried on bytes that are not UTF-8, in the order ties are broken.
const CJK: [(&Encoding, &str); 4] = [
    (GB18030, "GBK"),
    (BIG5, "Big5"),
    (SHIFT_JIS, "Shift_JIS"),
    (EUC_KR, "EUC-KR"),
];

/// Very frequent Chinese characters, Simplified and Traditional, with the words of export
/// headers. Text decoded with the right encoding is mostly made of these; bytes decoded with a
/// wrong CJK encoding give rare characters.
const COMMON_HAN: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黑断线\
們這個來說為時會對學過經後還發國現動兩長樣種與點從當實開問麼於頭見車門關東義氣書無機電話員處業邊間聽買賣價錢號編額數訂單戶顧費碼區產總計類別應稱標準結帳據票購貨銷會員單價數量金額客戶編號交易日期訂單編號號碼發票時間實付消費銷售額產品商品名稱備註狀態門市縣鄉鎮臺台灣縣號樓\
客户编号订单日期实付金额数量单价商品名称产品号码发票时间消费销售额备注状态门店地址电话邮箱省区县镇元角分件个盒瓶袋包箱斤克升号楼路街镇";

/// Frequent Hangul syllables (Korean text decoded as EUC-KR shows many of them; Chinese text
/// decoded as EUC-KR gives random ones).
const COMMON_HANGUL: &str = "이다는의에고하가을를사기지서한자로리도일수정시대그나아인주어보전제상스내구우부해년월고객번호문날짜금액수량품가격합계명판매결제일자회원코드이름주소";

/// How much a decoding looks like real text in its script: common characters and kana score,
/// control characters, private-use and half-width katakana (what wrong decodings give) cost.
/// `None` when the bytes are not valid in the encoding.
fn score(
    prefix: &[u8],
    complete: bool,
    encoding: &'static Encoding,
    common: &[char],
) -> Option<(i64, usize)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(prefix.len())
        .unwrap_or(prefix.len().saturating_mul(4).saturating_add(16));
    let mut out = String::with_capacity(cap);
    let (result, _read) = decoder.decode_to_string_without_replacement(prefix, &mut out, complete);
    if !matches!(result, encoding_rs::DecoderResult::InputEmpty) {
        return None;
    }
    let (mut score, mut counted) = (0i64, 0usize);
    for c in out.chars().filter(|c| !c.is_ascii()) {
        let points = if common.binary_search(&c).is_ok() {
            4
        } else if matches!(c, '\u{3041}'..='\u{30FF}') {
            3
        } else if matches!(
            c,
            '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF60}' | '\u{00A0}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}' | '\u{2010}'..='\u{20CF}'
        ) {
            // Punctuation, full-width forms, currency signs: neutral.
            continue;
        } else if matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{3400}'..='\u{4DBF}') {
            0
        } else if c.is_control() || matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{FF61}'..='\u{FF9F}') {
            -4
        } else {
            -1
        };
        score += points;
        counted += 1;
    }
    Some((score, counted))
}

/// A CJK encoding whose decoding of the prefix is valid and reads as common text (at least a
/// quarter of its non-ASCII characters common ones), with the other CJK encodings that decode
/// the bytes without error (the alternatives a user may need).
fn plausible_cjk(
    prefix: &[u8],
    complete: bool,
) -> Option<(&'static Encoding, &'static str, Vec<&'static str>)> {
    let mut common: Vec<char> = COMMON_HAN.chars().chain(COMMON_HANGUL.chars()).collect();
    common.sort_unstable();
    common.dedup();
    let mut valid: Vec<(i64, usize, &'static Encoding, &'static str)> = Vec::new();
    for (encoding, name) in CJK {
        if let Some((points, counted)) = score(prefix, complete, encoding, &common) {
            valid.push((points, counted, encoding, name));
        }
    }
    let best = valid
        .iter()
        .enumerate()
        .filter(|(_, v)| v.0 > 0 && v.0 >= v.1 as i64)
        .max_by_key(|(k, v)| (v.0, std::cmp::Reverse(*k)))
        .map(|(_, v)| *v)?;
    let others = valid.iter().filter(|v| v.3 != best.3).map(|v| v.3).collect();
    let name = if best.3 == "GBK" && has_four_byte_gb18030(prefix) {
        "GB18030"
    } else {
        best.3
    };
    Some((best.2, name, others))
}

/// Whether GB18030 bytes use four-byte sequences (a digit as the second byte), which GBK lacks.
fn has_four_byte_gb18030(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit()) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Finds an encoding by label (`"gbk"`, `"utf-16le"`, `"latin1"`, …) for the override option.
pub fn by_label(label: &str) -> Option<Detected> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(Detected {
        encoding,
        name: encoding.name(),
        bom_len: 0,
        alternatives: Vec::new(),
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
    /// Detected UTF-8 from an ASCII prefix: the encoding is decided again at the first
    /// non-ASCII byte (see [`DecodeReader::redecide_after_ascii`]).
    redecide: bool,
    /// File offset of `input[0]`.
    base: u64,
    switched: Rc<Cell<Option<Switch>>>,
}

/// The encoding was decided again where the first non-ASCII byte came: from byte `at` of the
/// file (everything before is ASCII, the same in both), the text was read as `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    pub at: u64,
    pub name: &'static str,
}

/// Bytes looked at, from the first non-ASCII one, to decide the encoding again.
const LOOKAHEAD: usize = 16 * 1024;

/// The encoding of text that follows plain ASCII, from its first non-ASCII bytes: `None` when
/// they are UTF-8 (or UTF-8 text comes before the first invalid sequence: a mixed file, left to
/// the replacement warning), else the CJK encoding that reads them as common text, else
/// Windows-1252.
pub fn redecide(rest: &[u8], complete: bool) -> Option<(&'static Encoding, &'static str)> {
    let valid_up_to = match std::str::from_utf8(rest) {
        Ok(_) => return None,
        Err(e) if e.error_len().is_none() && !complete => return None,
        Err(e) => e.valid_up_to(),
    };
    if !rest[..valid_up_to].is_ascii() {
        return None;
    }
    if let Some((encoding, name, _)) = plausible_cjk(rest, complete) {
        return Some((encoding, name));
    }
    Some((WINDOWS_1252, "windows-1252"))
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> DecodeReader<R> {
    /// `prefix` holds the bytes already read from `inner` (BOM included); `bom_len` of them are
    /// skipped.
    pub fn new(inner: R, prefix: Vec<u8>, detected: &Detected, bytes_read: Rc<Cell<u64>>) -> Self {
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
            redecide: false,
            base: 0,
            switched: Rc::new(Cell::new(None)),
        }
    }

    /// For UTF-8 detected from a prefix of plain ASCII: at the first non-ASCII byte, whenever
    /// it comes, decide the encoding again from the bytes there ([`redecide`]) and read on with
    /// that one; the text before is ASCII, read the same either way, so nothing is read twice.
    pub fn redecide_after_ascii(&mut self) {
        self.redecide = true;
    }

    /// Makes sure at least `LOOKAHEAD` bytes (or the rest of the file) follow `in_start`.
    fn fill_lookahead(&mut self) -> io::Result<()> {
        if self.eof || self.in_end - self.in_start >= LOOKAHEAD {
            return Ok(());
        }
        self.input.copy_within(self.in_start..self.in_end, 0);
        self.base += self.in_start as u64;
        self.in_end -= self.in_start;
        self.in_start = 0;
        let cap = self.input.len().min(CHUNK);
        while self.in_end < LOOKAHEAD.min(cap) {
            let n = match self.inner.read(&mut self.input[self.in_end..cap]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.bytes_read.set(self.bytes_read.get() + n as u64);
            if n == 0 {
                self.eof = true;
                break;
            }
            self.in_end += n;
        }
        Ok(())
    }
}

impl<R> DecodeReader<R> {
    /// Becomes true once a malformed byte sequence was replaced by U+FFFD.
    pub fn replaced(&self) -> Rc<Cell<bool>> {
        self.replaced.clone()
    }

    /// Set when the encoding was decided again after an ASCII start.
    pub fn switched(&self) -> Rc<Cell<Option<Switch>>> {
        self.switched.clone()
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
                self.base += self.in_end as u64;
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
            let mut limit = self.in_end;
            if self.redecide {
                match self.input[self.in_start..self.in_end]
                    .iter()
                    .position(|b| !b.is_ascii())
                {
                    None => {}
                    Some(0) => {
                        self.fill_lookahead()?;
                        self.redecide = false;
                        if let Some((encoding, name)) =
                            redecide(&self.input[self.in_start..self.in_end], self.eof)
                        {
                            self.decoder = encoding.new_decoder_without_bom_handling();
                            self.switched.set(Some(Switch {
                                at: self.base + self.in_start as u64,
                                name,
                            }));
                        }
                        limit = self.in_end;
                    }
                    Some(p) => limit = self.in_start + p,
                }
            }
            let (result, read, written, had_errors) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..limit],
                &mut self.output,
                self.eof && limit == self.in_end,
            );
            if had_errors {
                self.replaced.set(true);
            }
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && self.in_start == self.in_end && result == CoderResult::InputEmpty {
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
        let mut r = DecodeReader::new(io::empty(), bytes.to_vec(), &d, counter);
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
        let mut r = DecodeReader::new(rest, gbk[..split].to_vec(), &d, counter.clone());
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, text);
        assert_eq!(counter.get() as usize, gbk.len() - split);
    }

    #[test]
    fn big5_is_told_from_gbk() {
        let text = "客戶編號,交易日期,數量,金額\nA001,2024/01/05,2,1200\n";
        let (big5, _, bad) = encoding_rs::BIG5.encode(text);
        assert!(!bad);
        let d = detect(&big5, true);
        assert_eq!(d.name, "Big5");
        assert!(d.alternatives.contains(&"GBK"), "{:?}", d.alternatives);
        assert_eq!(decode_all(&big5).0, text);
        // The Simplified headers in GBK stay GBK.
        let text = "客户编号,交易日期,数量,金额\nA001,2024/01/05,2,1200\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(detect(&gbk, true).name, "GBK");
    }

    #[test]
    fn gb18030_four_byte_yen() {
        let text = "客户,日期,金额\nc1,2024-01-05,¥2.55\nc2,2024-01-06,¥3.00\nc3,2024-01-07,¥4.00\n";
        let (gb, _, _) = GB18030.encode(text);
        assert!(has_four_byte_gb18030(&gb));
        assert_eq!(decode_all(&gb), (text.into(), "GB18030"));
    }

    #[test]
    fn shift_jis_and_euc_kr() {
        let text = "顧客ID,日付,金額,メモ\nk1,2024-02-01,1500,ありがとう\n";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        assert_eq!(decode_all(&sjis), (text.into(), "Shift_JIS"));
        let text = "고객번호,주문날짜,금액\nk1,2024-02-01,12000\n";
        let (kr, _, _) = EUC_KR.encode(text);
        assert_eq!(decode_all(&kr), (text.into(), "EUC-KR"));
    }
}
