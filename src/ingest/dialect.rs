//! Dialect of a delimited text: which delimiter (comma, tab, semicolon, pipe, or runs of
//! whitespace as in fixed-width exports) and whether the first row is a header. Decided from a
//! sample of the first lines: the delimiter that splits them into a consistent number of fields,
//! and a first row whose cells don't parse like the rows below it.

use super::roles::{role_from_header, ColumnProfile};

/// How fields are separated; also the `ingest.delimiter` option. In JSON it is its name:
/// `","`, `";"`, `"\t"`, `"|"` or `"whitespace"` (also accepted: `"tab"`, `"\\t"`, `"space"`,
/// `" "`, and any other single ASCII character as the delimiter byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Byte(u8),
    /// Runs of spaces/tabs, leading and trailing blanks ignored (whitespace-aligned text).
    Whitespace,
}

impl serde::Serialize for Delimiter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Delimiter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        Delimiter::from_option(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{s:?} is not a delimiter; use \",\", \";\", \"\\t\", \"|\" or \"whitespace\""
            ))
        })
    }
}

impl Delimiter {
    /// The name used in the quality report and accepted by `IngestOptions::delimiter`.
    pub fn name(self) -> String {
        match self {
            Delimiter::Byte(b'\t') => "\t".into(),
            Delimiter::Byte(b) => (b as char).to_string(),
            Delimiter::Whitespace => "whitespace".into(),
        }
    }
    /// Parses the option; `None` for an unknown value.
    pub fn from_option(s: &str) -> Option<Delimiter> {
        match s {
            "\t" | "tab" | "\\t" => Some(Delimiter::Byte(b'\t')),
            "whitespace" | "space" | " " => Some(Delimiter::Whitespace),
            _ if s.len() == 1 && s.is_ascii() => Some(Delimiter::Byte(s.as_bytes()[0])),
            _ => None,
        }
    }
}

/// Number of fields in `line` split on `d`, ignoring delimiters inside double quotes.
fn count_fields(line: &str, d: u8) -> usize {
    let mut in_quotes = false;
    let mut n = 1;
    for &b in line.as_bytes() {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if b == d && !in_quotes {
            n += 1;
        }
    }
    n
}

/// Most common value and the share of lines that have it.
fn mode_share(counts: &[usize]) -> (usize, f64) {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let (mut best, mut best_n, mut i) = (0, 0, 0);
    while i < sorted.len() {
        let j = sorted[i..].iter().take_while(|&&c| c == sorted[i]).count();
        if j > best_n {
            best = sorted[i];
            best_n = j;
        }
        i += j;
    }
    (
        best,
        if counts.is_empty() {
            0.0
        } else {
            best_n as f64 / counts.len() as f64
        },
    )
}

/// Picks the delimiter from sample lines (non-empty, complete).
pub fn sniff_delimiter(all_lines: &[&str]) -> Delimiter {
    // The first line may be a header that splits differently (names with spaces in aligned
    // text), so consistency is judged on the lines below it when there are any.
    let lines = if all_lines.len() >= 2 {
        &all_lines[1..]
    } else {
        all_lines
    };
    let mut best: Option<(usize, f64, u8)> = None;
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_fields(l, d)).collect();
        let (mode, share) = mode_share(&counts);
        if mode >= 2 && share >= 0.9 && best.is_none_or(|(m, s, _)| (mode, share) > (m, s) && mode > m) {
            best = Some((mode, share, d));
        }
    }
    let ws: Vec<usize> = lines.iter().map(|l| l.split_whitespace().count()).collect();
    let (ws_mode, ws_share) = mode_share(&ws);
    let ws_ok = ws_mode >= 2 && ws_share >= 0.9;
    // Aligned text pads columns: leading blanks or runs of two or more spaces on most lines.
    let padded = lines
        .iter()
        .filter(|l| l.starts_with(' ') || l.contains("  "))
        .count();
    let aligned = padded * 10 >= lines.len() * 9;
    match best {
        // Whitespace-aligned text whose values contain commas (`1,234.56`) still splits on
        // blanks; a CSV with date-times (`2024-01-05 10:00`) does not.
        Some((m, _, _)) if ws_ok && aligned && ws_mode > m => Delimiter::Whitespace,
        Some((_, _, d)) => Delimiter::Byte(d),
        None if ws_ok => Delimiter::Whitespace,
        None => {
            // No consistent split: take the delimiter that appears at all, comma first.
            [b',', b'\t', b';', b'|']
                .into_iter()
                .find(|&d| lines.iter().any(|l| count_fields(l, d) > 1))
                .map(Delimiter::Byte)
                .unwrap_or(Delimiter::Byte(b','))
        }
    }
}

/// Whether `first` is a header row, judged against the `rows` sampled after it.
pub fn looks_like_header(first: &[String], rows: &[Vec<String>]) -> bool {
    let first_profile: Vec<ColumnProfile> = first
        .iter()
        .map(|c| {
            let mut p = ColumnProfile::default();
            p.add(c);
            p
        })
        .collect();
    let first_is_plain_text = |i: usize| {
        first_profile
            .get(i)
            .is_some_and(|p| p.non_empty == 1 && p.numbers == 0 && p.dates == 0)
    };
    // A known column name that is not itself a number or date.
    if first
        .iter()
        .enumerate()
        .any(|(i, c)| first_is_plain_text(i) && role_from_header(c).is_some())
    {
        return true;
    }
    if rows.is_empty() {
        // One line only: a header if no cell is a number or date.
        return first_profile.iter().all(|p| p.numbers == 0 && p.dates == 0);
    }
    let mut below = vec![ColumnProfile::default(); first.len()];
    for r in rows {
        for (i, v) in r.iter().enumerate().take(first.len()) {
            below[i].add(v);
        }
    }
    (0..first.len()).any(|i| {
        let b = &below[i];
        first_is_plain_text(i) && b.non_empty > 0 && (b.numbers.max(b.dates)) * 10 >= b.non_empty * 8
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn delimiters() {
        let csv = ["a,b,c", "1,\"x, y\",3", "4,5,6"];
        assert_eq!(sniff_delimiter(&csv), Delimiter::Byte(b','));
        let tsv = ["a\tb\tc", "1,5\tx\t3", "4\t5\t6"];
        assert_eq!(sniff_delimiter(&tsv), Delimiter::Byte(b'\t'));
        let semi = [
            "Kunde;Datum;Betrag",
            "1;05.01.2024;12,50",
            "2;06.01.2024;1.234,56",
        ];
        assert_eq!(sniff_delimiter(&semi), Delimiter::Byte(b';'));
        let pipe = ["a|b", "1|2"];
        assert_eq!(sniff_delimiter(&pipe), Delimiter::Byte(b'|'));
        let ws = [
            " 00001 19970101  1   11.77",
            " 00002 19970112  1   12.00",
            " 00002 19970112  5 1,077.00",
        ];
        assert_eq!(sniff_delimiter(&ws), Delimiter::Whitespace);
        let times = [
            "customer,date,amount",
            "A,2024-01-05 10:00,1",
            "B,2024-01-06 11:00,2",
        ];
        assert_eq!(sniff_delimiter(&times), Delimiter::Byte(b','));
        let tsv_times = ["客户ID\t下单时间", "c-01\t2024年1月5日 14:30"];
        assert_eq!(sniff_delimiter(&tsv_times), Delimiter::Byte(b'\t'));
    }

    #[test]
    fn headers() {
        let rows = vec![v(&["1", "2024-01-05", "3.5"]), v(&["2", "2024-01-06", "4"])];
        assert!(looks_like_header(&v(&["who", "when", "paid"]), &rows));
        assert!(looks_like_header(&v(&["客户ID", "日期", "金额"]), &rows));
        assert!(!looks_like_header(&v(&["7", "2024-01-04", "1.5"]), &rows));
        let ids = vec![v(&["bob", "2024-01-05"])];
        assert!(!looks_like_header(&v(&["alice", "2024-01-04"]), &ids));
    }
}
