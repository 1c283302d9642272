//! Typed values of one cell: calendar dates in the many ways exports write them, and money
//! amounts with currency marks, thousands separators, decimal commas and accounting negatives.
//! Pure functions over `&str`, no allocation on the common paths; the reader decides what a
//! failure means for the row.

use super::messages::{msg, order_key};
use super::Day;
use crate::warning::Warning;
use chrono::NaiveDate;

/// A date cell as read, before the column's day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateValue {
    /// Unambiguous calendar day (ISO, YYYYMMDD, Y/m/d, Chinese).
    Day(Day),
    /// `a/b/year` where `a` and `b` could be day/month or month/day.
    Pair { first: u8, second: u8, year: i32 },
}

/// Calendar day from parts, `None` when they don't form a real date.
pub fn ymd_day(year: i32, month: u32, day: u32) -> Option<Day> {
    // A purchase dated before 1900 or after 2199 is a typo or a placeholder (0000-01-01,
    // 9999-12-31), not a date: it would stretch every recency by centuries.
    if !(1900..=2199).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day).map(super::date_to_day)
}

impl DateValue {
    /// The day under day-first (`dmy = true`) or month-first order.
    pub fn resolve(self, dmy: bool) -> Option<Day> {
        match self {
            DateValue::Day(d) => Some(d),
            DateValue::Pair { first, second, year } => {
                let (d, m) = if dmy { (first, second) } else { (second, first) };
                ymd_day(year, m as u32, d as u32)
            }
        }
    }
}

/// `str::trim`, without its Unicode search when the text starts and ends with ASCII that is
/// not blank (nearly every cell of an export).
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let solid = |b: u8| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ');
    match s.as_bytes() {
        [first, .., last] if solid(*first) && solid(*last) => s,
        [only] if solid(*only) => s,
        _ => s.trim(),
    }
}

/// Small unsigned number of at most `max_len` ASCII digits.
fn digits(s: &str, max_len: usize) -> Option<u32> {
    if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn full_year(y: &str) -> Option<i32> {
    let n = digits(y, 4)? as i32;
    match y.len() {
        4 => Some(n),
        // Two-digit years: 00-69 → 2000s, 70-99 → 1900s (the usual spreadsheet pivot).
        2 => Some(if n < 70 { 2000 + n } else { 1900 + n }),
        _ => None,
    }
}

/// The date part of a date-time cell: everything before a space or `T` that follows digits.
fn date_token(s: &str) -> &str {
    let s = trim(s);
    let end = s
        .char_indices()
        .find(|&(i, c)| c == ' ' || (c == 'T' && i >= 8))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    s.get(..end).unwrap_or(s)
}

/// Parses a date cell; times of day are ignored (calendar day in the file's own local time).
/// `None` means the text is not a date in any supported form.
pub fn parse_date(raw: &str) -> Option<DateValue> {
    let s = trim(raw);
    if s.is_empty() {
        return None;
    }
    if let Some(v) = iso_date(s.as_bytes()) {
        return v;
    }
    if s.contains('年') {
        return parse_chinese(s);
    }
    if s.bytes().any(|b| b.is_ascii_alphabetic()) {
        if let Some(v) = parse_month_name(s) {
            return Some(v);
        }
    }
    let tok = date_token(s);
    let b = tok.as_bytes();
    if b.len() == 8 && b.iter().all(|c| c.is_ascii_digit()) {
        let y = digits(tok.get(0..4)?, 4)? as i32;
        let m = digits(tok.get(4..6)?, 2)?;
        let d = digits(tok.get(6..8)?, 2)?;
        if !(1800..=2200).contains(&y) {
            return None;
        }
        return ymd_day(y, m, d).map(DateValue::Day);
    }
    let sep = *b.iter().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    let mut parts = tok.split(sep as char);
    let (p1, p2, p3) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if p1.len() == 4 {
        let y = digits(p1, 4)? as i32;
        let m = digits(p2, 2)?;
        let d = digits(p3, 2)?;
        return ymd_day(y, m, d).map(DateValue::Day);
    }
    let a = digits(p1, 2)?;
    let c = digits(p2, 2)?;
    let year = full_year(p3)?;
    if a == 0 || c == 0 || a > 31 || c > 31 || (a > 12 && c > 12) {
        return None;
    }
    let v = DateValue::Pair {
        first: a as u8,
        second: c as u8,
        year,
    };
    // A pair that is no real date in either order is simply bad.
    if v.resolve(true).is_none() && v.resolve(false).is_none() {
        return None;
    }
    Some(v)
}

/// The common machine form `YYYY-MM-DD`, alone or followed by a time (` 10:00`, `T10:00Z`),
/// all ASCII: read straight from its bytes, with the result the general path gives (it would
/// take the same `YYYY-MM-DD` token). `None` when the text is not of that form.
#[inline]
fn iso_date(b: &[u8]) -> Option<Option<DateValue>> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && !matches!(b[10], b' ' | b'T')) {
        return None;
    }
    let d = |i: usize| b[i].wrapping_sub(b'0');
    let all_digits = [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| d(i) < 10);
    if !all_digits || !b[10..].is_ascii() {
        return None;
    }
    let year = (d(0) as i32) * 1000 + (d(1) as i32) * 100 + (d(2) as i32) * 10 + d(3) as i32;
    let month = d(5) as u32 * 10 + d(6) as u32;
    let day = d(8) as u32 * 10 + d(9) as u32;
    Some(ymd_day(year, month, day).map(DateValue::Day))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let head = w.get(..3)?;
    let i = MONTHS.iter().position(|m| *m == head)?;
    // `Sept`, `June`, `January`: a known month spelled out, not any word starting alike.
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (w.len() == 3 || w == "sept" || FULL[i] == w).then_some(i as u32 + 1)
}

/// `05-Jan-2024`, `5 Jan 2024`, `Jan 5, 2024`, `January 5 2024 10:00`.
fn parse_month_name(s: &str) -> Option<DateValue> {
    let tokens: Vec<&str> = s
        .split([' ', '-', '/', ',', '.'])
        .filter(|t| !t.is_empty())
        .take_while(|t| !t.contains(':'))
        .collect();
    if tokens.len() < 3 {
        return None;
    }
    let (t0, t1, t2) = (tokens[0], tokens[1], tokens[2]);
    let (month, day, year) = if let Some(m) = month_number(t0) {
        (m, t1, t2)
    } else {
        (month_number(t1)?, t0, t2)
    };
    let day = digits(day.trim_end_matches(|c: char| c.is_ascii_alphabetic()), 2)?;
    ymd_day(full_year(year)?, month, day).map(DateValue::Day)
}

fn parse_chinese(s: &str) -> Option<DateValue> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let d_end = rest.find(['日', '号']).unwrap_or(rest.len());
    let d = rest.get(..d_end)?;
    let y = digits(y.trim(), 4)? as i32;
    ymd_day(y, digits(m.trim(), 2)?, digits(d.trim(), 2)?).map(DateValue::Day)
}

/// An empty cell or the usual stand-ins for one (`-`, `N/A`, `null`, `none`): a missing
/// value, not a bad one. (`NaN` is a bad amount: it is a number gone wrong.)
pub fn is_placeholder(s: &str) -> bool {
    let s = trim(s);
    s.is_empty()
        || matches!(s, "-" | "--" | "—" | "–" | "/" | "?")
        || ["n/a", "na", "null", "none", "nil", "#n/a"]
            .iter()
            .any(|p| s.eq_ignore_ascii_case(p))
}

/// Why an amount cell could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    Missing,
    Bad,
}

const CURRENCY_WORDS: [&str; 22] = [
    "RMB", "CNY", "USD", "EUR", "GBP", "JPY", "HKD", "AUD", "CAD", "CHF", "US$", "元", "NT$", "NTD", "TWD",
    "KRW", "HK$", "S$", "SGD", "円", "원", "圓",
];

/// Parses a money (or quantity) cell: `$1,234.56`, `1.234,56 €`, `(12.00)`, `12-`, `¥88`, `1e3`.
/// Non-finite results (NaN, inf, overflow) are bad amounts.
pub fn parse_amount(raw: &str) -> Result<f64, AmountError> {
    parse_amount_in(raw, false)
}

/// Like [`parse_amount`], for a column known to write decimals with a comma (`12,50`): there
/// `1,234` is 1.234 and `1.234` is 1234.
pub fn parse_amount_in(raw: &str, decimal_comma: bool) -> Result<f64, AmountError> {
    let v = parse_amount_unbounded(raw, decimal_comma)?;
    // Beyond a quadrillion it is a barcode or an overflow, not money; summing such values
    // would also run to infinity.
    if v.abs() < MAX_AMOUNT {
        Ok(v)
    } else {
        Err(AmountError::Bad)
    }
}

/// The largest magnitude accepted as an amount or quantity (exclusive).
pub const MAX_AMOUNT: f64 = 1e15;

fn parse_amount_unbounded(raw: &str, decimal_comma: bool) -> Result<f64, AmountError> {
    let s = trim(raw);
    if is_placeholder(s) {
        return Err(AmountError::Missing);
    }
    // Fastest path: `12`, `-3`, `2.55`, read exactly as `str::parse` reads them.
    if let Some(v) = plain_decimal(s.as_bytes()) {
        if !decimal_comma || !s.contains('.') {
            return Ok(v);
        }
    }
    // Fast path: plain numbers, which is nearly every cell of a machine export.
    if !decimal_comma
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        if let Ok(v) = s.parse::<f64>() {
            return if v.is_finite() {
                Ok(v)
            } else {
                Err(AmountError::Bad)
            };
        }
    }
    parse_amount_slow(s, decimal_comma)
}

/// `[-]digits[.digits]` with at most 15 digits in all: the value `str::parse::<f64>` gives,
/// computed as an integer divided by a power of ten (both exact in an `f64`, so the one
/// rounding of the division is the correctly rounded result, as `parse`'s own fast path does).
#[inline]
fn plain_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        _ => (false, b),
    };
    let (mut mantissa, mut count, mut fraction) = (0u64, 0usize, None::<usize>);
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                count += 1;
            }
            b'.' if fraction.is_none() && i > 0 && i + 1 < digits.len() => fraction = Some(i + 1),
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let scale = fraction.map_or(0, |f| digits.len() - f);
    let v = mantissa as f64 / POW10[scale];
    Some(if negative { -v } else { v })
}

fn parse_amount_slow(s: &str, decimal_comma: bool) -> Result<f64, AmountError> {
    let mut t = s;
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    // Strip currency symbols and codes on either side, and signs around them.
    let mut body = String::with_capacity(t.len());
    let mut rest = t;
    loop {
        rest = rest.trim();
        if let Some(r) = rest.strip_prefix('-') {
            negative = !negative;
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_prefix('+') {
            rest = r;
            continue;
        }
        if let Some(r) = rest.strip_suffix('-') {
            negative = !negative;
            rest = r;
            continue;
        }
        let mut stripped = false;
        for w in CURRENCY_WORDS {
            if let Some(r) = rest.strip_prefix(w).or_else(|| rest.strip_suffix(w)) {
                rest = r;
                stripped = true;
            }
        }
        for sym in ['$', '€', '£', '¥', '￥', '₹', '₩', '₽', '฿'] {
            if let Some(r) = rest.strip_prefix(sym).or_else(|| rest.strip_suffix(sym)) {
                rest = r;
                stripped = true;
            }
        }
        if let Some(inner) = rest.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            negative = !negative;
            rest = inner;
            stripped = true;
        }
        if !stripped {
            break;
        }
    }
    // Keep digits and separators; thin/normal/no-break spaces and apostrophes group thousands.
    let mut exp = false;
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' | ',' => body.push(c),
            'e' | 'E' if !exp && !body.is_empty() => {
                exp = true;
                body.push('e');
            }
            '-' | '+' if body.ends_with('e') => body.push(c),
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' => {}
            _ => return Err(AmountError::Bad),
        }
    }
    if body.is_empty() || !body.bytes().any(|b| b.is_ascii_digit()) {
        return Err(AmountError::Bad);
    }
    let normalized = normalize_separators(&body, decimal_comma).ok_or(AmountError::Bad)?;
    let v: f64 = normalized.parse().map_err(|_| AmountError::Bad)?;
    if !v.is_finite() {
        return Err(AmountError::Bad);
    }
    Ok(if negative { -v } else { v })
}

/// Whether a sampled money value shows a decimal comma (`12,50`, `1.234,5`) rather than a
/// decimal point: `Some(true)` / `Some(false)` when it tells, `None` when it doesn't (`1,234`).
pub fn decimal_comma_evidence(raw: &str) -> Option<bool> {
    let s = raw.trim().trim_end_matches(|c: char| !c.is_ascii_digit());
    let last = s.rfind([',', '.'])?;
    let after = s.len() - last - 1;
    let mark = s.as_bytes()[last];
    if after == 3 && s.matches(mark as char).count() == 1 && !s.contains(if mark == b',' { '.' } else { ',' })
    {
        return None;
    }
    Some(mark == b',')
}

/// Decides which of `,` and `.` is the decimal mark and removes the thousands separators.
fn normalize_separators(body: &str, decimal_comma: bool) -> Option<String> {
    let (mantissa, exponent) = match body.find('e') {
        Some(i) => (body.get(..i)?, body.get(i..)?),
        None => (body, ""),
    };
    let commas = mantissa.matches(',').count();
    let dots = mantissa.matches('.').count();
    let last_comma = mantissa.rfind(',');
    let last_dot = mantissa.rfind('.');
    let decimal = match (last_comma, last_dot) {
        (Some(c), Some(d)) => Some(if c > d { ',' } else { '.' }),
        (Some(c), None) => {
            let after = mantissa.len() - c - 1;
            // `1,234` and `1,234,567` group thousands; `12,5` / `12,50` is a decimal comma.
            if commas > 1 || (after == 3 && !decimal_comma) {
                None
            } else {
                Some(',')
            }
        }
        (None, Some(d)) => {
            if dots > 1 || (decimal_comma && mantissa.len() - d - 1 == 3) {
                None
            } else {
                Some('.')
            }
        }
        (None, None) => None,
    };
    let mut out = String::with_capacity(body.len());
    for c in mantissa.chars() {
        match c {
            '0'..='9' => out.push(c),
            ',' | '.' if Some(c) == decimal => out.push('.'),
            _ => {}
        }
    }
    if let Some(dm) = decimal {
        if mantissa.matches(dm).count() > 1 {
            return None;
        }
    }
    out.push_str(exponent);
    Some(out)
}

/// The `ingest.date_order` option: how to read slash dates like `05/01/2024` whose numbers
/// both fit a month. In JSON `"dmy"` (day first: 5 January) or `"mdy"` (month first: May 1),
/// case and surrounding blanks ignored; absent, the column's own dates decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    Dmy,
    Mdy,
}

impl DateOrder {
    /// True for day first.
    pub fn day_first(self) -> bool {
        self == DateOrder::Dmy
    }
}

impl std::str::FromStr for DateOrder {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            _ => Err(format!(
                "{s:?} is not a date order; use \"dmy\" (05/01/2024 = 5 January) or \"mdy\" (05/01/2024 = May 1)"
            )),
        }
    }
}

impl<'de> serde::Deserialize<'de> for DateOrder {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The evidence a column's slash dates give about their day/month order: rows whose first
/// number is above 12 (only day first reads them) and rows whose second number is above 12
/// (only month first reads them), with their first rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OrderEvidence {
    pub day_first_rows: u64,
    pub month_first_rows: u64,
    pub day_first_examples: Vec<u64>,
    pub month_first_examples: Vec<u64>,
}

impl OrderEvidence {
    /// Counts one date cell read at `row`.
    pub fn add(&mut self, row: u64, v: DateValue) {
        if let DateValue::Pair { first, second, .. } = v {
            if first > 12 {
                self.day_first_rows += 1;
                if self.day_first_examples.len() < 5 {
                    self.day_first_examples.push(row);
                }
            }
            if second > 12 {
                self.month_first_rows += 1;
                if self.month_first_examples.len() < 5 {
                    self.month_first_examples.push(row);
                }
            }
        }
    }
    /// Rows that agree with `dmy` and rows that contradict it, with the contradicting examples.
    pub fn split(&self, dmy: bool) -> (u64, u64, &[u64]) {
        if dmy {
            (
                self.day_first_rows,
                self.month_first_rows,
                &self.month_first_examples,
            )
        } else {
            (
                self.month_first_rows,
                self.day_first_rows,
                &self.day_first_examples,
            )
        }
    }
}

/// How many times more rows one order must have than the other to settle a column whose
/// rows disagree: below that the column is an error ([`IngestErrorKind::AmbiguousDates`]).
///
/// [`IngestErrorKind::AmbiguousDates`]: super::IngestErrorKind::AmbiguousDates
pub(crate) const ORDER_MAJORITY: u64 = 4;

/// Whether a column's slash dates are day first: the option when given; else the rows with a
/// first number above 12 settle it one way and the rows with a second number above 12 the
/// other. When both kinds are there, the order with at least [`ORDER_MAJORITY`] times the
/// other's rows wins (the other rows contradict it: see [`order_conflict`]); closer than that
/// is an error, the message naming both first rows and the counts. Neither means month first.
pub(crate) fn day_first(forced: Option<bool>, ev: &OrderEvidence) -> Result<bool, String> {
    if let Some(d) = forced {
        return Ok(d);
    }
    let (d, m) = (ev.day_first_rows, ev.month_first_rows);
    match (d, m) {
        (0, _) => Ok(false),
        (_, 0) => Ok(true),
        _ if d >= m * ORDER_MAJORITY => Ok(true),
        _ if m >= d * ORDER_MAJORITY => Ok(false),
        _ => Err(mixed_date_order(ev)),
    }
}

/// The message for [`day_first`]'s error.
pub(crate) fn mixed_date_order(ev: &OrderEvidence) -> String {
    let first = |v: &[u64]| v.first().copied().unwrap_or(0);
    format!("the dates mix day/month order: row {} has a first number above 12 (day first; {} rows do) but row {} has a second number above 12 (month first; {} rows do), too close to tell which the file means. Fix those rows, or choose the date order on the page or pass --date-order dmy (or mdy; date_order in the options JSON).",
        first(&ev.day_first_examples), ev.day_first_rows, first(&ev.month_first_examples), ev.month_first_rows)
}

/// The warning for a column read in order `dmy` whose rows disagree: how many rows agree, how
/// many contradict (with examples), what became of them and how to choose the other order.
/// `None` when no row contradicts.
pub(crate) fn order_conflict(column: &str, dmy: bool, forced: bool, ev: &OrderEvidence) -> Option<Warning> {
    let (agree, contradict, examples) = ev.split(dmy);
    if contradict == 0 {
        return None;
    }
    let (name, other, other_key) = if dmy {
        ("day/month/year", "month first", "mdy")
    } else {
        ("month/day/year", "day first", "dmy")
    };
    let rows: Vec<String> = examples.iter().map(|r| r.to_string()).collect();
    let english = format!(
        "The dates in column \"{column}\" were read as {name} ({}): {agree} rows can only be {name}, but {contradict} rows can only be {other} (e.g. row{} {}); those {contradict} rows are not used (skipped as date_order_conflict), and the dates that fit both orders were read as {name}. If the file means {other}, choose the date order on the page or pass --date-order {other_key} (date_order in the options JSON); if only those rows are wrong, fix them.",
        if forced { "the date_order option" } else { "most rows that tell say so" },
        if rows.len() == 1 { "" } else { "s" },
        rows.join(", ")
    );
    Some(
        msg("date_order_conflict", english)
            .with_param("column", column)
            .with_param("order", order_key(dmy))
            .with_param("forced", forced)
            .with_param("agree", agree)
            .with_param("contradict", contradict)
            .with_param("examples", rows.join(", ")),
    )
}

/// How far outside the bulk a purchase date must be to be set apart as an outlier: the dates
/// beyond an empty stretch longer than both this many days and [`OUTLIER_IQR_GAPS`] times
/// the interquartile range of the purchase days.
pub(crate) const OUTLIER_MIN_GAP_DAYS: i32 = 730;
/// See [`OUTLIER_MIN_GAP_DAYS`].
pub(crate) const OUTLIER_IQR_GAPS: i32 = 3;
/// At most this share of the rows can be set apart on either side (beyond it, they are the
/// file's own history, not stray dates).
pub(crate) const OUTLIER_MAX_SHARE: f64 = 0.05;

/// The rule of [`outlier_bounds`] for the quality report: code `date_outlier_rule` with its
/// three figures, and the English words (also `DateDistribution::rule`).
pub(crate) fn outlier_rule() -> Warning {
    let share = (OUTLIER_MAX_SHARE * 100.0) as u32;
    msg(
        "date_outlier_rule",
        format!(
            "a purchase date is an outlier when an empty stretch of more than {OUTLIER_MIN_GAP_DAYS} days and more than {OUTLIER_IQR_GAPS} times the interquartile range of the purchase dates separates it from the bulk of the file, with at most {share}% of the rows beyond that stretch"
        ),
    )
    .with_param("days", OUTLIER_MIN_GAP_DAYS)
    .with_param("times", OUTLIER_IQR_GAPS)
    .with_param("share", share)
}

/// The robust rule setting stray dates apart (`1900-01-01` or `1970-01-01` placeholders, a
/// `2104` or `1924` typo), on the distribution of purchase days: `hist` is (day, rows) sorted
/// by day. Walking out from the quartiles, the first empty stretch longer than
/// max([`OUTLIER_MIN_GAP_DAYS`], [`OUTLIER_IQR_GAPS`] × IQR) with at most
/// [`OUTLIER_MAX_SHARE`] of the rows beyond it cuts those rows off. Returns the first and last
/// day kept. A real history has no such hole near its bulk: its old years are thin but
/// continuous, and a hole wider than three times the middle half of the data holding a few
/// percent of rows is a different kind of date.
pub(crate) fn outlier_bounds(hist: &[(Day, u64)]) -> Option<(Day, Day)> {
    let n: u64 = hist.iter().map(|h| h.1).sum();
    if n == 0 {
        return None;
    }
    let (q1, q3) = (hist_quantile(hist, n, 0.25), hist_quantile(hist, n, 0.75));
    let gap = OUTLIER_MIN_GAP_DAYS.max(OUTLIER_IQR_GAPS.saturating_mul(q3 - q1));
    let limit = (n as f64 * OUTLIER_MAX_SHARE).floor() as u64;
    let mut lo = hist[0].0;
    let mut below = 0u64;
    for w in hist.windows(2) {
        below += w[0].1;
        if below > limit || w[1].0 > q1 {
            break;
        }
        if w[1].0 - w[0].0 > gap {
            lo = w[1].0;
        }
    }
    let mut hi = hist[hist.len() - 1].0;
    let mut above = 0u64;
    for w in hist.windows(2).rev() {
        above += w[1].1;
        if above > limit || w[0].0 < q3 {
            break;
        }
        if w[1].0 - w[0].0 > gap {
            hi = w[0].0;
        }
    }
    Some((lo, hi))
}

/// The `today` option as a day: `Ok(None)` when absent; the message when it is no ISO date.
pub(crate) fn today_option(option: Option<&str>) -> Result<Option<Day>, String> {
    match option.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(|d| Some(super::date_to_day(d)))
            .map_err(|_| format!("the option today is \"{s}\"; expected the day of the analysis as YYYY-MM-DD (e.g. --today 2024-12-31).")),
    }
}

/// Which purchase days cannot be purchases: after `today` (with one day of slack, as the
/// file's local day may be ahead of the clock's), or outside [`outlier_bounds`] of the rest.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct DayScreen {
    future_after: Option<Day>,
    bounds: Option<(Day, Day)>,
}

impl DayScreen {
    /// From the purchase days read, `hist` = (day, rows) sorted by day.
    pub fn new(hist: &[(Day, u64)], today: Option<Day>) -> Self {
        let future_after = today.map(|t| t.saturating_add(1));
        let not_future: Vec<(Day, u64)> = hist
            .iter()
            .copied()
            .filter(|&(d, _)| future_after.is_none_or(|f| d <= f))
            .collect();
        DayScreen {
            future_after,
            bounds: outlier_bounds(&not_future),
        }
    }
    /// Why `day` is no purchase, or `None` for a plausible day.
    pub fn reason(&self, day: Day) -> Option<super::SkipReason> {
        if self.future_after.is_some_and(|f| day > f) {
            return Some(super::SkipReason::FutureDate);
        }
        match self.bounds {
            Some((lo, hi)) if day < lo || day > hi => Some(super::SkipReason::DateOutlier),
            _ => None,
        }
    }
}

/// Quartiles (25%, 50%, 75% of rows) of `hist` = (day, rows) sorted by day.
pub(crate) fn day_quartiles(hist: &[(Day, u64)]) -> Option<[Day; 3]> {
    let n: u64 = hist.iter().map(|h| h.1).sum();
    if n == 0 {
        return None;
    }
    Some([0.25, 0.5, 0.75].map(|q| hist_quantile(hist, n, q)))
}

/// The day at quantile `q` of `hist` = (day, rows) sorted by day, `n` rows in all (> 0): the
/// row at rank round((n − 1)·q), as the quartiles and the outlier rule both read them.
fn hist_quantile(hist: &[(Day, u64)], n: u64, q: f64) -> Day {
    let k = ((n - 1) as f64 * q).round() as u64;
    let mut seen = 0;
    for &(d, c) in hist {
        seen += c;
        if seen > k {
            return d;
        }
    }
    hist[hist.len() - 1].0
}

/// Adds one set-apart day with its rows and example rows to a [`super::DateGroup`] (examples
/// are kept in file order, five at most; call [`finish_group`] after the last).
pub(crate) fn add_to_group(g: &mut super::DateGroup, day: Day, rows: u64, examples: &[u64]) {
    let date = super::day_to_date(day);
    g.rows += rows;
    g.min = Some(g.min.map_or(date, |m| m.min(date)));
    g.max = Some(g.max.map_or(date, |m| m.max(date)));
    for &r in examples {
        g.example_rows.push(r);
        g.example_dates.push(date);
    }
}

/// Sorts a group's examples by row and keeps the first five.
pub(crate) fn finish_group(g: &mut super::DateGroup) {
    let mut pairs: Vec<(u64, NaiveDate)> = g
        .example_rows
        .iter()
        .copied()
        .zip(g.example_dates.iter().copied())
        .collect();
    pairs.sort_unstable();
    pairs.truncate(5);
    g.example_rows = pairs.iter().map(|p| p.0).collect();
    g.example_dates = pairs.iter().map(|p| p.1).collect();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<DateValue> {
        ymd_day(y, m, d).map(DateValue::Day)
    }

    #[test]
    fn iso_dates_and_times() {
        assert_eq!(parse_date("2010-12-01 08:26:00"), day(2010, 12, 1));
        assert_eq!(parse_date("2024-01-05T10:00:00Z"), day(2024, 1, 5));
        assert_eq!(parse_date("2024-01-05"), day(2024, 1, 5));
        assert_eq!(parse_date("2024/1/5"), day(2024, 1, 5));
        assert_eq!(parse_date("2024.01.05"), day(2024, 1, 5));
        assert_eq!(parse_date("19970101"), day(1997, 1, 1));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("hello"), None);
        assert_eq!(parse_date("17850"), None);
    }

    #[test]
    fn slash_dates_keep_both_orders() {
        let v = parse_date("12/1/2010 8:26").unwrap();
        assert_eq!(
            v,
            DateValue::Pair {
                first: 12,
                second: 1,
                year: 2010
            }
        );
        assert_eq!(v.resolve(false), ymd_day(2010, 12, 1));
        assert_eq!(v.resolve(true), ymd_day(2010, 1, 12));
        let v = parse_date("25.12.24").unwrap();
        assert_eq!(v.resolve(true), ymd_day(2024, 12, 25));
        assert_eq!(v.resolve(false), None);
        assert_eq!(parse_date("13/13/2020"), None);
        assert_eq!(parse_date("31/02/2020"), None);
        assert_eq!(parse_date("05-01-99").unwrap().resolve(true), ymd_day(1999, 1, 5));
    }

    #[test]
    fn chinese_dates() {
        assert_eq!(parse_date("2024年1月5日"), day(2024, 1, 5));
        assert_eq!(parse_date("2024年1月5日 14:30"), day(2024, 1, 5));
        assert_eq!(parse_date("2024年01月05日 下午2:30"), day(2024, 1, 5));
        assert_eq!(parse_date("2024年13月5日"), None);
    }

    #[test]
    fn fast_paths_read_as_the_general_ones() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{a0}a",
            "a\u{a0}",
            "ab",
            "\u{3000}x\u{3000}",
            "x\u{1c}",
            "\u{b}a",
            "é",
            "a\r",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        for s in [
            "0",
            "-0",
            "7",
            "2.55",
            "-2.55",
            "0.1",
            "0.30000000000000004",
            "123456789012345",
            "1234567890123456",
            "99999999999999.9",
            "1.",
            ".5",
            "-",
            "+3",
            "1e3",
            "007.50",
            "12.345678901234",
        ] {
            let slow = s.parse::<f64>().ok();
            if let Some(v) = plain_decimal(s.as_bytes()) {
                assert_eq!(Some(v.to_bits()), slow.map(f64::to_bits), "{s}");
            }
        }
        for s in [
            "2024-01-05",
            "2024-01-05 10:00",
            "2024-01-05T10:00:00Z",
            "2024-02-30",
            "1899-12-31",
            "2024-13-01",
        ] {
            let general = (|| {
                let tok = date_token(s);
                let mut p = tok.split('-');
                let (y, m, d) = (p.next()?, p.next()?, p.next()?);
                ymd_day(digits(y, 4)? as i32, digits(m, 2)?, digits(d, 2)?).map(DateValue::Day)
            })();
            assert_eq!(iso_date(s.as_bytes()), Some(general), "{s}");
        }
        assert_eq!(iso_date(b"2024-01-050"), None);
        assert_eq!(iso_date("2024-01-05 年".as_bytes()), None);
        assert_eq!(parse_date("2024-01-05 年"), None);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("12.5"), Ok(12.5));
        assert_eq!(parse_amount("-3"), Ok(-3.0));
        assert_eq!(parse_amount("$1,234.56"), Ok(1234.56));
        assert_eq!(parse_amount("1.234,56 €"), Ok(1234.56));
        assert_eq!(parse_amount("1 234,56"), Ok(1234.56));
        assert_eq!(parse_amount("12,50"), Ok(12.5));
        assert_eq!(parse_amount("(12.00)"), Ok(-12.0));
        assert_eq!(parse_amount("12.00-"), Ok(-12.0));
        assert_eq!(parse_amount("-$5"), Ok(-5.0));
        assert_eq!(parse_amount("¥88"), Ok(88.0));
        assert_eq!(parse_amount("￥1,000"), Ok(1000.0));
        assert_eq!(parse_amount("88元"), Ok(88.0));
        assert_eq!(parse_amount("RMB 88.5"), Ok(88.5));
        assert_eq!(parse_amount("USD 1,000,000"), Ok(1_000_000.0));
        assert_eq!(parse_amount("£3.5"), Ok(3.5));
        assert_eq!(parse_amount("1e3"), Ok(1000.0));
        assert_eq!(parse_amount(""), Err(AmountError::Missing));
        assert_eq!(parse_amount(" N/A "), Err(AmountError::Missing));
        assert_eq!(parse_amount("-"), Err(AmountError::Missing));
        assert_eq!(parse_amount("NaN"), Err(AmountError::Bad));
        assert_eq!(parse_amount("inf"), Err(AmountError::Bad));
        assert_eq!(parse_amount("-infinity"), Err(AmountError::Bad));
        assert_eq!(parse_amount("1e400"), Err(AmountError::Bad));
        assert_eq!(parse_amount("abc"), Err(AmountError::Bad));
        assert_eq!(parse_amount("1.2.3,4,5"), Err(AmountError::Bad));
    }

    #[test]
    fn decimal_comma_columns() {
        assert_eq!(decimal_comma_evidence("12,50"), Some(true));
        assert_eq!(decimal_comma_evidence("1.234,5 €"), Some(true));
        assert_eq!(decimal_comma_evidence("12.50"), Some(false));
        assert_eq!(decimal_comma_evidence("1,234"), None);
        assert_eq!(decimal_comma_evidence("7"), None);
        assert_eq!(parse_amount_in("1,234", true), Ok(1.234));
        assert_eq!(parse_amount_in("1.234", true), Ok(1234.0));
        assert_eq!(parse_amount_in("12,5", true), Ok(12.5));
        assert_eq!(parse_amount_in("-3", true), Ok(-3.0));
        assert_eq!(parse_amount("1,234"), Ok(1234.0));
    }

    #[test]
    fn month_name_dates() {
        assert_eq!(parse_date("05-Jan-2024"), day(2024, 1, 5));
        assert_eq!(parse_date("5 January 2024"), day(2024, 1, 5));
        assert_eq!(parse_date("Jan 5, 2024 10:00"), day(2024, 1, 5));
        assert_eq!(parse_date("Sept 30, 24"), day(2024, 9, 30));
        assert_eq!(parse_date("Janet 5 2024"), None);
        assert_eq!(parse_date("hello world 2024"), None);
    }

    #[test]
    fn outlier_bounds_cut_only_beyond_a_hole() {
        let d = |y, m, dd| ymd_day(y, m, dd).unwrap();
        // A year of daily purchases, 5 rows a day.
        let mut hist: Vec<(Day, u64)> = (0..366).map(|k| (d(2024, 1, 1) + k, 5)).collect();
        let (lo, hi) = outlier_bounds(&hist).unwrap();
        assert_eq!(
            (lo, hi),
            (d(2024, 1, 1), d(2024, 12, 31)),
            "nothing cut from a plain year"
        );
        hist.insert(0, (d(1900, 1, 1), 4));
        hist.push((d(2104, 3, 1), 1));
        assert_eq!(outlier_bounds(&hist), Some((d(2024, 1, 1), d(2024, 12, 31))));
        // Too many rows beyond the hole (more than 5%): they are the file's own history.
        hist[0].1 = 200;
        assert_eq!(outlier_bounds(&hist).unwrap().0, d(1900, 1, 1));
        // A hole shorter than two years is no hole.
        let near = vec![(d(2022, 6, 1), 1), (d(2024, 1, 1), 100), (d(2024, 6, 1), 100)];
        assert_eq!(outlier_bounds(&near).unwrap().0, d(2022, 6, 1));
        // A long thin history (one row a month for 20 years, then the bulk) is kept whole.
        let mut long: Vec<(Day, u64)> = (0..240).map(|k| (d(2000, 1, 1) + k * 30, 1)).collect();
        long.extend((0..365).map(|k| (d(2020, 1, 1) + k, 10)));
        assert_eq!(outlier_bounds(&long).unwrap().0, d(2000, 1, 1));
        assert_eq!(outlier_bounds(&[]), None);
    }

    #[test]
    fn date_order_by_majority() {
        let mut ev = OrderEvidence::default();
        assert_eq!(day_first(None, &ev), Ok(false));
        for row in 2..10 {
            ev.add(row, parse_date("25/03/2024").unwrap());
        }
        ev.add(11, parse_date("03/25/2024").unwrap());
        assert_eq!(day_first(None, &ev), Ok(true));
        assert_eq!(ev.split(true), (8, 1, &[11u64][..]));
        assert_eq!(day_first(Some(false), &ev), Ok(false));
        ev.add(12, parse_date("03/26/2024").unwrap());
        assert_eq!(day_first(None, &ev), Ok(true), "8 against 2 is still four to one");
        ev.add(13, parse_date("03/27/2024").unwrap());
        assert!(day_first(None, &ev)
            .unwrap_err()
            .contains("row 2 has a first number above 12 (day first; 8 rows do)"));
        let w = order_conflict("date", false, true, &ev).unwrap();
        assert!(
            w.message
                .contains("8 rows can only be day first (e.g. rows 2, 3, 4, 5, 6)"),
            "{w}"
        );
        assert_eq!(w.code, "date_order_conflict");
        assert_eq!(w.params["order"], "mdy");
        assert_eq!(w.params["contradict"], 8);
        assert_eq!(
            order_conflict("date", false, false, &OrderEvidence::default()),
            None
        );
    }
}
