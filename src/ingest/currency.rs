//! The file's currency, guessed from what the file writes: marks in the money cells (`$`,
//! `US$`, `€`, `￥`, `元`, `RMB`, `1.234,56 €`), the money columns' names (`金额(元)`,
//! `金額(新台幣)`, `Amount (USD)`, `Sales EUR`) and a currency column (`Currency`, `币种`).
//! Only for display: amounts are read the same whatever the currency. The guess is visible
//! ([`Currency`]: the code, where it came from, the evidence and the alternatives) and
//! correctable (`ingest.currency`, `--currency`, the page's Currency menu); with no evidence
//! the currency stays unknown, never a default.

use super::messages::msg;
use super::roles::fold;
use crate::warning::Warning;
use serde::{Deserialize, Serialize};

/// The active ISO 4217 codes, sorted (binary search).
const ISO_4217: [&str; 156] = [
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD",
    "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY",
    "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
    "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
    "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK",
    "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
    "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG",
    "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// Whether `code` is an active ISO 4217 code (upper case).
pub fn is_iso_4217(code: &str) -> bool {
    ISO_4217.binary_search(&code).is_ok()
}

/// An ISO 4217 currency code, checked when read (`"cny"` reads as `CNY`; `"RMB"` or `"XYZ"`
/// is an error naming the option's path).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// The code, upper case; an error sentence when it is not an ISO 4217 code.
    pub fn parse(text: &str) -> Result<CurrencyCode, String> {
        let code = text.trim().to_ascii_uppercase();
        if is_iso_4217(&code) {
            Ok(CurrencyCode(code))
        } else {
            Err(format!(
                "\"{text}\" is not an ISO 4217 currency code (expected three letters such as USD, EUR, GBP, CNY, JPY, TWD or HKD)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for CurrencyCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        CurrencyCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Where a currency (or a piece of evidence for one) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CurrencySource {
    /// The `ingest.currency` option (`--currency`, the page's Currency menu).
    #[serde(rename = "option")]
    Chosen,
    /// A column naming each row's currency (`Currency`, `币种`).
    Column,
    /// Marks in the money cells (`$12.50`, `1.234,56 €`).
    Cells,
    /// A money column's name (`金额(元)`, `Amount (USD)`).
    Header,
    /// The evidence disagrees: no code.
    Conflict,
}

/// One thing the file writes that says something about its currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct CurrencyEvidence {
    pub source: CurrencySource,
    /// The column it was found in, as the header names it.
    pub column: String,
    /// The mark as written: `￥`, `US$`, `EUR`, `金额(元)`.
    pub written: String,
    /// The currencies it can mean, the likeliest first (`$`: USD, CAD, AUD, …).
    pub codes: Vec<String>,
    /// Rows it was seen in (cells: of the first rows sampled; a currency column: of the whole
    /// file; a header: 0).
    pub rows: u64,
}

/// The file's currency as guessed (or set by the option), with why and what else it could be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Currency {
    /// ISO 4217 code; None (null) when the evidence disagrees: unknown, not a default.
    pub code: Option<String>,
    pub source: CurrencySource,
    pub evidence: Vec<CurrencyEvidence>,
    /// Other currencies the evidence allows, likeliest first.
    pub alternatives: Vec<String>,
}

/// The currencies a mark can mean, likeliest first, before the file's language refines them.
fn mark_codes(mark: &str) -> Option<&'static [&'static str]> {
    const DOLLAR: &[&str] = &["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN"];
    let codes: &[&str] = match mark {
        "$" | "＄" => DOLLAR,
        "¥" | "￥" => &["CNY", "JPY"],
        "元" => &["CNY", "TWD", "HKD"],
        "圓" => &["TWD", "HKD"],
        "US$" | "U$S" | "美元" | "美金" => &["USD"],
        "€" | "欧元" | "歐元" => &["EUR"],
        "£" | "英镑" | "英鎊" => &["GBP"],
        "RMB" | "CN¥" | "人民币" | "人民幣" => &["CNY"],
        "円" | "JP¥" | "日元" | "日圓" | "日圆" => &["JPY"],
        "HK$" | "港币" | "港幣" | "港元" => &["HKD"],
        "NT$" | "NTD" | "新台幣" | "新臺幣" | "新台币" | "台幣" | "臺幣" => &["TWD"],
        "A$" | "AU$" => &["AUD"],
        "C$" | "CA$" => &["CAD"],
        "S$" => &["SGD"],
        "NZ$" => &["NZD"],
        "₩" | "원" | "韩元" | "韓元" => &["KRW"],
        "₹" => &["INR"],
        "₽" => &["RUB"],
        "฿" => &["THB"],
        _ => return None,
    };
    Some(codes)
}

/// The words (longest first) a money column's name may carry: `金额(元)`, `金額(新台幣)`.
const HEADER_WORDS: [&str; 27] = [
    "人民币",
    "人民幣",
    "新台幣",
    "新臺幣",
    "新台币",
    "台幣",
    "臺幣",
    "美元",
    "美金",
    "欧元",
    "歐元",
    "英镑",
    "英鎊",
    "日元",
    "日圓",
    "日圆",
    "港币",
    "港幣",
    "港元",
    "韩元",
    "韓元",
    "US$",
    "HK$",
    "NT$",
    "RMB",
    "元",
    "圓",
];

/// Lower-case code words accepted in a header (`price_usd`); any upper-case ISO code is.
const LOWER_CODES: [&str; 15] = [
    "usd", "eur", "gbp", "cny", "rmb", "jpy", "hkd", "twd", "ntd", "aud", "cad", "sgd", "krw", "inr", "chf",
];

/// The marks a money column's name carries (each as written).
fn header_marks(header: &str) -> Vec<String> {
    let mut marks = Vec::new();
    let mut rest = header.to_string();
    for w in HEADER_WORDS {
        if rest.contains(w) {
            marks.push(w.to_string());
            rest = rest.replace(w, " ");
        }
    }
    for c in ['$', '€', '£', '¥', '￥', '₩', '₹', '₽', '฿'] {
        if rest.contains(c) {
            marks.push(c.to_string());
        }
    }
    for word in rest.split(|c: char| !c.is_ascii_alphabetic()) {
        let upper = word.to_ascii_uppercase();
        let is_code = (word == upper || LOWER_CODES.contains(&word.to_ascii_lowercase().as_str()))
            && word.len() == 3
            && (is_iso_4217(&upper) || upper == "RMB" || upper == "NTD");
        if is_code && !marks.contains(&upper) {
            marks.push(upper);
        }
    }
    marks
}

/// The codes a mark means: a known mark, or an ISO code itself.
fn codes_of(mark: &str) -> Option<Vec<String>> {
    if let Some(c) = mark_codes(mark) {
        return Some(c.iter().map(|s| s.to_string()).collect());
    }
    let upper = mark.to_ascii_uppercase();
    if upper.len() == 3 && is_iso_4217(&upper) {
        return Some(vec![upper]);
    }
    None
}

/// The mark written before or after the number in a money cell (`US$ 1,200`, `1.234,56 €`,
/// `¥88`, `12 元`), if any.
fn cell_mark(cell: &str) -> Option<&str> {
    let numeric = |c: char| {
        c.is_ascii_digit()
            || matches!(
                c,
                '.' | ',' | '-' | '+' | '(' | ')' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’'
            )
    };
    let s = cell.trim();
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let end = s.rfind(|c: char| c.is_ascii_digit())? + 1;
    let before = s[..start].trim_matches(numeric);
    let after = s[end..].trim_matches(numeric);
    if !s[start..end].chars().all(numeric) {
        return None;
    }
    match (before.is_empty(), after.is_empty()) {
        (false, true) => Some(before),
        (true, false) => Some(after),
        _ => None,
    }
}

/// The language the headers are written in, which decides what `¥`, `元` and `$` mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Other,
    Japanese,
    Simplified,
    Traditional,
}

/// Characters written only in traditional (or only in simplified) Chinese, common in headers.
const TRADITIONAL: &str = "額訂單顧資價數號時間營會員帳貨幣錢銷總類別購買實際種稱幣戶編碼據項";
const SIMPLIFIED: &str = "额订单顾资价数号时间营会员账货币钱销总类别购买实际种称币户编码据项";

fn script(headers: &[String], encoding: &str) -> Script {
    let text: String = headers.concat();
    let kana = text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c));
    let han = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if kana {
        return Script::Japanese;
    }
    if !han {
        return Script::Other;
    }
    let count = |set: &str| text.chars().filter(|c| set.contains(*c)).count();
    let (trad, simp) = (count(TRADITIONAL), count(SIMPLIFIED));
    if encoding.eq_ignore_ascii_case("big5") || trad > simp {
        Script::Traditional
    } else {
        Script::Simplified
    }
}

/// Orders an ambiguous mark's codes by the file's language and its amounts: Chinese headers
/// make `¥` the yuan, Japanese ones the yen, amounts with cents rule out the yen; traditional
/// headers make `元` the Taiwan dollar, and list it right after the US dollar for `$`.
fn refine(codes: &mut Vec<String>, script: Script, cents: bool) {
    let to_front = |codes: &mut Vec<String>, code: &str, at: usize| {
        if let Some(i) = codes.iter().position(|c| c == code) {
            let c = codes.remove(i);
            codes.insert(at.min(codes.len()), c);
        }
    };
    if codes.len() < 2 {
        return;
    }
    match script {
        Script::Japanese if !cents => to_front(codes, "JPY", 0),
        Script::Traditional if codes[0] == "USD" => to_front(codes, "TWD", 1),
        Script::Traditional => to_front(codes, "TWD", 0),
        _ => {}
    }
}

/// The currency column and the money columns of a table, found before the rows are read.
#[derive(Debug, Clone, Default)]
pub(super) struct CurrencyPlan {
    /// A column naming each row's currency, by its header or its values.
    pub(super) column: Option<usize>,
    /// The evidence from the header and the sampled cells, refined by the language.
    evidence: Vec<CurrencyEvidence>,
    option: Option<String>,
}

/// Header names of a currency column (folded).
const COLUMN_NAMES: [&str; 14] = [
    "currency",
    "currencycode",
    "ccy",
    "curr",
    "币种",
    "币别",
    "货币",
    "币种代码",
    "貨幣",
    "幣別",
    "幣種",
    "währung",
    "devise",
    "moneda",
];

impl CurrencyPlan {
    /// Looks for a currency column (`roles_used`: columns that play a role, never it) and
    /// reads the marks of the money columns' names and sampled cells.
    pub(super) fn new(
        headers: Option<&[String]>,
        sample: &[Vec<String>],
        money_cols: &[usize],
        roles_used: &[usize],
        encoding: &str,
        option: Option<&CurrencyCode>,
    ) -> CurrencyPlan {
        let width = sample.first().map_or(0, Vec::len);
        let column = (0..headers.map_or(width, <[String]>::len))
            .filter(|i| !roles_used.contains(i))
            .find(|&i| {
                let named = headers.is_some_and(|h| COLUMN_NAMES.contains(&fold(&h[i]).as_str()));
                let values: Vec<&str> = sample
                    .iter()
                    .filter_map(|r| r.get(i).map(|v| v.trim()))
                    .filter(|v| !v.is_empty())
                    .collect();
                let codes = values.iter().filter(|v| v.len() == 3 && is_iso_4217(v)).count();
                (named && values.iter().any(|v| codes_of(v).is_some()))
                    || (!values.is_empty() && codes == values.len())
            });
        let name = |i: usize| {
            headers
                .and_then(|h| h.get(i).cloned())
                .unwrap_or_else(|| format!("column {}", i + 1))
        };
        let script = script(headers.unwrap_or(&[]), encoding);
        let mut evidence = Vec::new();
        let mut cents = false;
        for &col in money_cols {
            let mut marks: Vec<(String, u64)> = Vec::new();
            for row in sample {
                let Some(cell) = row.get(col) else { continue };
                cents |= has_cents(cell);
                if let Some(m) = cell_mark(cell) {
                    match marks.iter_mut().find(|(w, _)| w.as_str() == m) {
                        Some(slot) => slot.1 += 1,
                        None => marks.push((m.to_string(), 1)),
                    }
                }
            }
            for (written, rows) in marks {
                if let Some(codes) = codes_of(&written) {
                    evidence.push(CurrencyEvidence {
                        source: CurrencySource::Cells,
                        column: name(col),
                        written,
                        codes,
                        rows,
                    });
                }
            }
        }
        for &col in money_cols {
            let Some(header) = headers.and_then(|h| h.get(col)) else {
                continue;
            };
            for mark in header_marks(header) {
                if let Some(codes) = codes_of(&mark) {
                    evidence.push(CurrencyEvidence {
                        source: CurrencySource::Header,
                        column: header.clone(),
                        written: header.clone(),
                        codes,
                        rows: 0,
                    });
                }
            }
        }
        for e in &mut evidence {
            refine(&mut e.codes, script, cents);
        }
        CurrencyPlan {
            column,
            evidence,
            option: option.map(|c| c.as_str().to_string()),
        }
    }

    /// The currency, from the option, the currency column's counts (`column_counts`: value →
    /// rows, in first-seen order) or the other evidence, with the warnings to show; None when
    /// nothing in the file tells and no option is set.
    pub(super) fn decide(
        mut self,
        column_name: Option<String>,
        column_counts: &[(String, u64)],
    ) -> (Option<Currency>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let mut column: Vec<(String, u64, Vec<String>)> = Vec::new();
        for (value, rows) in column_counts {
            if let Some(codes) = codes_of(value.trim()) {
                match column.iter_mut().find(|c| c.0 == codes[0]) {
                    Some(slot) => slot.1 += rows,
                    None => column.push((codes[0].clone(), *rows, codes)),
                }
            }
        }
        // The most rows first; on a tie, the first seen.
        column.sort_by_key(|c| std::cmp::Reverse(c.1));
        let column_name = column_name.unwrap_or_default();
        let mut evidence: Vec<CurrencyEvidence> = column
            .iter()
            .map(|(code, rows, codes)| CurrencyEvidence {
                source: CurrencySource::Column,
                column: column_name.clone(),
                written: code.clone(),
                codes: codes.clone(),
                rows: *rows,
            })
            .collect();
        evidence.append(&mut self.evidence);
        self.evidence = evidence;
        if column.len() > 1 {
            let counts: Vec<String> = column.iter().map(|c| format!("{} {} rows", c.0, c.1)).collect();
            let english = format!(
                "The currency column \"{column_name}\" holds several currencies ({}): amounts are added as they are written, with no conversion; money is shown in {}, the most common. To analyse one currency, filter the file to its rows; to show another, choose it in the Currency menu on the page or pass --currency CODE.",
                counts.join(", "),
                column[0].0
            );
            let counts: Vec<String> = column.iter().map(|c| format!("{} {}", c.0, c.1)).collect();
            warnings.push(
                msg("currency_mixed", english)
                    .with_param("column", column_name.clone())
                    .with_param("counts", counts.join(", "))
                    .with_param("code", column[0].0.clone()),
            );
        }
        let guess = if let Some(first) = column.first() {
            Some((
                Some(first.0.clone()),
                CurrencySource::Column,
                column[1..].iter().map(|c| c.0.clone()).collect(),
            ))
        } else {
            self.agreed_by_marks(&mut warnings)
        };
        let currency = match (self.option, guess) {
            (Some(code), guess) => {
                let mut alternatives: Vec<String> = Vec::new();
                if let Some((guessed, _, alts)) = guess {
                    alternatives.extend(guessed);
                    alternatives.extend(alts);
                }
                alternatives.retain(|c| *c != code);
                Some(Currency {
                    code: Some(code),
                    source: CurrencySource::Chosen,
                    evidence: self.evidence,
                    alternatives,
                })
            }
            (None, Some((code, source, alternatives))) => Some(Currency {
                code,
                source,
                evidence: self.evidence,
                alternatives,
            }),
            (None, None) => None,
        };
        (currency, warnings)
    }

    /// The currency the marks of the cells and headers agree on: marks that name one currency
    /// decide (several of them in the cells: the most rows, with a warning), marks that could
    /// mean several must allow it; otherwise no code (a conflict, with a warning).
    fn agreed_by_marks(
        &self,
        warnings: &mut Vec<Warning>,
    ) -> Option<(Option<String>, CurrencySource, Vec<String>)> {
        let first = self.evidence.first()?;
        let mut fixed: Vec<&str> = Vec::new();
        for e in self.evidence.iter().filter(|e| e.codes.len() == 1) {
            if !fixed.contains(&e.codes[0].as_str()) {
                fixed.push(&e.codes[0]);
            }
        }
        let allowed = |code: &str| self.evidence.iter().all(|e| e.codes.iter().any(|c| c == code));
        let chosen = match fixed.len() {
            0 => first.codes.iter().find(|c| allowed(c)).cloned(),
            1 => Some(fixed[0].to_string()).filter(|c| allowed(c)),
            _ => None,
        };
        let mut alternatives: Vec<String> = Vec::new();
        for e in &self.evidence {
            for c in &e.codes {
                if Some(c) != chosen.as_ref() && !alternatives.contains(c) {
                    alternatives.push(c.clone());
                }
            }
        }
        let source = match &chosen {
            Some(code) => self
                .evidence
                .iter()
                .find(|e| e.codes.first() == Some(code) || e.codes.len() == 1)
                .map_or(first.source, |e| e.source),
            None => CurrencySource::Conflict,
        };
        if chosen.is_none() {
            let marks: Vec<String> = self
                .evidence
                .iter()
                .map(|e| format!("\"{}\" in \"{}\" ({})", mark_text(e), e.column, e.codes.join("/")))
                .collect();
            let english = format!(
                "The file's money marks disagree ({}): the currency is left unknown and money is shown as plain numbers. Choose the currency in the Currency menu on the page, or pass --currency CODE.",
                marks.join(", ")
            );
            warnings.push(msg("currency_conflict", english).with_param("marks", marks.join(", ")));
        }
        Some((chosen, source, alternatives))
    }
}

/// The mark as a warning quotes it: the header's whole name, or the cells' mark.
fn mark_text(e: &CurrencyEvidence) -> &str {
    &e.written
}

/// Whether a money cell has a non-zero fraction (`88.50`, `1.234,56`): cents rule out the yen.
fn has_cents(cell: &str) -> bool {
    let digits: String = cell
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    match digits.rfind(['.', ',']) {
        Some(i) => {
            let frac = &digits[i + 1..];
            (frac.len() == 1 || frac.len() == 2) && frac.chars().any(|c| c != '0')
        }
        None => false,
    }
}

/// Counts a currency column's values over the whole file (the lines of one order share it:
/// the last value is tried first).
#[derive(Debug, Default)]
pub(super) struct CurrencyTally {
    pub(super) counts: Vec<(String, u64)>,
    last: usize,
}

impl CurrencyTally {
    pub(super) fn add(&mut self, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if self.counts.get(self.last).is_some_and(|c| c.0 == value) {
            self.counts[self.last].1 += 1;
            return;
        }
        match self.counts.iter().position(|c| c.0 == value) {
            Some(i) => {
                self.counts[i].1 += 1;
                self.last = i;
            }
            // A column of free text is not a currency column: stop growing past a bound.
            None if self.counts.len() < 64 => {
                self.counts.push((value.to_string(), 1));
                self.last = self.counts.len() - 1;
            }
            None => {}
        }
    }

    /// Adds the tally of a later part of the file (a chunk read apart), as if its rows had
    /// come after this one's: counts in first-seen order, the same bound on distinct values.
    pub(super) fn absorb(&mut self, later: &CurrencyTally) {
        for (value, rows) in &later.counts {
            match self.counts.iter().position(|c| c.0 == *value) {
                Some(i) => self.counts[i].1 += rows,
                None if self.counts.len() < 64 => self.counts.push((value.clone(), *rows)),
                None => {}
            }
        }
    }

    /// A tally read back from its counts (a chunk's partial handed over as bytes).
    pub(super) fn from_counts(counts: Vec<(String, u64)>) -> CurrencyTally {
        CurrencyTally { counts, last: 0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(headers: &[&str], rows: &[&[&str]], money: &[usize], encoding: &str) -> CurrencyPlan {
        let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect())
            .collect();
        CurrencyPlan::new(Some(&headers), &rows, money, &[0, 1], encoding, None)
    }

    #[test]
    fn the_code_list_is_sorted_and_checked() {
        let mut sorted = ISO_4217.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ISO_4217.len());
        assert!(is_iso_4217("TWD") && !is_iso_4217("RMB") && !is_iso_4217("usd"));
        assert_eq!(CurrencyCode::parse(" eur ").unwrap().as_str(), "EUR");
        assert!(CurrencyCode::parse("RMB").unwrap_err().contains("ISO 4217"));
    }

    #[test]
    fn marks_before_or_after_the_number() {
        assert_eq!(cell_mark("$1,234.56"), Some("$"));
        assert_eq!(cell_mark("1.234,56 €"), Some("€"));
        assert_eq!(cell_mark("US$ 12"), Some("US$"));
        assert_eq!(cell_mark("(¥88.00)"), Some("¥"));
        assert_eq!(cell_mark("-12.50 EUR"), Some("EUR"));
        assert_eq!(cell_mark("12 元"), Some("元"));
        assert_eq!(cell_mark("12.5"), None);
        assert_eq!(header_marks("金额(元)"), ["元"]);
        assert_eq!(header_marks("金額(新台幣)"), ["新台幣"]);
        assert_eq!(header_marks("Amount (USD)"), ["USD"]);
        assert_eq!(header_marks("Price €"), ["€"]);
        assert_eq!(header_marks("price_usd"), ["USD"]);
        assert!(header_marks("Total Price").is_empty());
        assert!(header_marks("all items").is_empty());
    }

    #[test]
    fn ambiguous_marks_choose_by_the_language() {
        let zh = plan(
            &["客户ID", "订单日期", "金额"],
            &[&["a", "2024-01-01", "￥88"]],
            &[2],
            "UTF-8",
        );
        let (c, w) = zh.decide(None, &[]);
        let c = c.unwrap();
        assert_eq!(
            (c.code.as_deref(), c.source, &c.alternatives[..]),
            (Some("CNY"), CurrencySource::Cells, &["JPY".to_string()][..])
        );
        assert!(w.is_empty());
        let ja = plan(
            &["顧客", "日付", "金額"],
            &[&["a", "2024-01-01", "¥880"]],
            &[2],
            "UTF-8",
        );
        // No kana: Chinese characters read as Chinese; with kana, the yen.
        assert_eq!(ja.decide(None, &[]).0.unwrap().code.as_deref(), Some("CNY"));
        let ja = plan(
            &["お客様", "日付", "金額"],
            &[&["a", "2024-01-01", "¥880"]],
            &[2],
            "UTF-8",
        );
        assert_eq!(ja.decide(None, &[]).0.unwrap().code.as_deref(), Some("JPY"));
        let tw = plan(
            &["顧客編號", "訂單日期", "金額"],
            &[&["a", "2024-01-01", "$1,200"]],
            &[2],
            "Big5",
        );
        let c = tw.decide(None, &[]).0.unwrap();
        assert_eq!(
            (c.code.as_deref(), c.alternatives[0].as_str()),
            (Some("USD"), "TWD")
        );
        let tw = plan(
            &["顧客編號", "訂單日期", "金額(元)"],
            &[&["a", "2024-01-01", "1200"]],
            &[2],
            "Big5",
        );
        assert_eq!(tw.decide(None, &[]).0.unwrap().code.as_deref(), Some("TWD"));
        // The header narrows the cells' `$`.
        let ntd = plan(
            &["顧客", "日期", "金額(新台幣)"],
            &[&["a", "2024-01-01", "$1,200"]],
            &[2],
            "UTF-8",
        );
        assert_eq!(ntd.decide(None, &[]).0.unwrap().code.as_deref(), Some("TWD"));
    }

    #[test]
    fn disagreement_is_unknown_and_no_evidence_is_nothing() {
        let p = plan(
            &["id", "date", "Amount (USD)"],
            &[&["a", "2024-01-01", "12,50 €"]],
            &[2],
            "UTF-8",
        );
        let (c, w) = p.decide(None, &[]);
        let c = c.unwrap();
        assert_eq!((c.code, c.source), (None, CurrencySource::Conflict));
        assert_eq!(c.alternatives, ["EUR", "USD"]);
        assert_eq!(w.len(), 1);
        let none = plan(
            &["id", "date", "amount"],
            &[&["a", "2024-01-01", "12.50"]],
            &[2],
            "UTF-8",
        );
        assert_eq!(none.decide(None, &[]), (None, vec![]));
        let set = CurrencyPlan {
            option: Some("GBP".into()),
            ..Default::default()
        };
        let c = set.decide(None, &[]).0.unwrap();
        assert_eq!(
            (c.code.as_deref(), c.source),
            (Some("GBP"), CurrencySource::Chosen)
        );
    }

    #[test]
    fn a_currency_column_counts_every_row() {
        let p = plan(
            &["id", "date", "amount", "Currency"],
            &[
                &["a", "2024-01-01", "12", "USD"],
                &["b", "2024-01-02", "9", "EUR"],
            ],
            &[2],
            "UTF-8",
        );
        assert_eq!(p.column, Some(3));
        let mut tally = CurrencyTally::default();
        for v in ["USD", "EUR", "EUR", "usd", "EUR"] {
            tally.add(v);
        }
        let (c, w) = p.decide(Some("Currency".into()), &tally.counts);
        let c = c.unwrap();
        assert_eq!(
            (c.code.as_deref(), c.source, &c.alternatives[..]),
            (Some("EUR"), CurrencySource::Column, &["USD".to_string()][..])
        );
        assert_eq!((c.evidence[0].rows, c.evidence[1].rows), (3, 2));
        assert!(w[0].message.contains("EUR 3 rows, USD 2 rows"), "{w:?}");
    }
}
