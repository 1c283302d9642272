//! Issue 12, the text reader's findings: a stray quote never loses other rows, a line past
//! the bound is a located error, and an encoding decided from an ASCII start is decided again
//! at the first non-ASCII byte.
use clientele::ingest::{read, IngestErrorKind, IngestOptions, QualityReport, SkipReason};
use proptest::prelude::*;

fn skipped(q: &QualityReport, reason: SkipReason) -> (u64, Vec<u64>) {
    q.skipped
        .iter()
        .find(|s| s.reason == reason)
        .map(|s| (s.rows, s.example_rows.clone()))
        .unwrap_or_default()
}

fn accounted(q: &QualityReport) {
    assert_eq!(
        q.rows_used + q.skipped.iter().map(|s| s.rows).sum::<u64>(),
        q.rows_read
    );
}

/// 1,000 purchase rows, customer `c{i}` on row `i + 2`; every 250th name is quoted (with a
/// comma), and row `stray` (1-based as a spreadsheet shows it) has a name cell `"Bob` that
/// never closes.
fn thousand_rows(stray: usize) -> String {
    let mut s = String::from("customer,name,date,amount\n");
    for i in 0..1000 {
        let row = i + 2;
        let name = if row == stray {
            "\"Bob".to_string()
        } else if i % 250 == 7 {
            format!("\"Smith, Ann {i}\"")
        } else {
            format!("Name {i}")
        };
        s.push_str(&format!(
            "c{i},{name},2024-01-{:02},{}.50\n",
            1 + i % 28,
            10 + i % 7
        ));
    }
    s
}

#[test]
fn a_stray_quote_on_row_2_costs_one_row_not_the_file() {
    let (tx, q) = read(thousand_rows(2).as_bytes(), &IngestOptions::default()).unwrap();
    accounted(&q);
    assert_eq!((q.rows_read, q.rows_used), (1000, 999), "{:?}", q.skipped);
    assert_eq!(skipped(&q, SkipReason::UnterminatedQuote), (1, vec![2]));
    assert_eq!(tx.customer_ids.len(), 999);
    assert!(!tx.customer_ids.contains(&"c0".to_string()));
    let w = q
        .warnings
        .iter()
        .find(|w| w.message.contains("never closes"))
        .expect("a warning");
    assert!(w.message.starts_with("Row 2 has a quote"), "{w}");
}

#[test]
fn a_stray_quote_on_row_801_keeps_the_last_200_rows() {
    let (tx, q) = read(thousand_rows(801).as_bytes(), &IngestOptions::default()).unwrap();
    accounted(&q);
    assert_eq!((q.rows_read, q.rows_used), (1000, 999));
    assert_eq!(skipped(&q, SkipReason::UnterminatedQuote), (1, vec![801]));
    for i in (0..1000).filter(|&i| i != 799) {
        assert!(tx.customer_ids.contains(&format!("c{i}")), "c{i} lost");
    }
}

#[test]
fn a_stray_quote_before_another_quoted_cell_is_caught() {
    // The stray quote on row 3 would close on row 5's opening quote.
    let text = "customer,name,date,amount\nc1,Ann,2024-01-05,10\nc2,\"Bob,2024-01-06,11\nc3,Cy,2024-01-07,12\nc4,\"Dee, D\",2024-01-08,13\nc5,Eve,2024-01-09,14\n";
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!((q.rows_read, q.rows_used), (5, 4));
    assert_eq!(skipped(&q, SkipReason::UnterminatedQuote), (1, vec![3]));
    assert_eq!(tx.customer_ids, ["c1", "c3", "c4", "c5"]);
}

#[test]
fn a_stray_quote_in_the_header_is_read_as_text() {
    let text = "customer,\"date,amount\nc1,2024-01-05,10\nc2,2024-01-06,11\nc3,2024-01-07,12\n";
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!((q.rows_read, q.rows_used), (3, 3));
    assert_eq!(tx.customer_ids, ["c1", "c2", "c3"]);
    assert_eq!(q.columns[1].header, "date");
    assert!(
        q.warnings
            .iter()
            .any(|w| w.message.starts_with("The header row has a quote")),
        "{:?}",
        q.warnings
    );
}

#[test]
fn legit_multi_line_cells_still_read() {
    let text = "customer,address,date,amount\nc1,\"12 Main St\nApt 4\r\nSpringfield, IL\",2024-01-05,10\nc2,\"He said \"\"hi\"\"\",2024-01-06,11\nc3,x,not a date,12\nc4,\"one\ntwo\",2024-01-08,13\n";
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!((q.rows_read, q.rows_used), (4, 3));
    assert_eq!(tx.customer_ids, ["c1", "c2", "c4"]);
    // Line breaks inside quotes don't start rows: c3 is row 4 as a spreadsheet shows it.
    assert_eq!(skipped(&q, SkipReason::BadDate), (1, vec![4]));
    assert_eq!(skipped(&q, SkipReason::UnterminatedQuote).0, 0);
    assert!(!q.warnings.iter().any(|w| w.message.contains("never closes")));
}

#[test]
fn a_quoted_cell_past_10_000_lines_or_1_mib_is_a_stray_quote() {
    // No other quote, no end of file within 10,000 lines: the line bound catches it.
    let mut text = String::from("customer,note,date,amount\nc0,\"start\n");
    for i in 1..=10_050 {
        text.push_str(&format!("c{i},n,2024-02-{:02},{i}\n", 1 + i % 28));
    }
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
    accounted(&q);
    assert_eq!(q.rows_read, 10_051);
    assert_eq!(skipped(&q, SkipReason::UnterminatedQuote), (1, vec![2]));
    assert_eq!(tx.customer_ids.len(), 10_050);
    // Long lines: the 1 MiB bound catches it first (9,000 lines of 200 bytes).
    let mut text = String::from("customer,note,date,amount\nc0,\"start\n");
    for i in 1..=9_000 {
        text.push_str(&format!(
            "c{i},{},2024-02-{:02},{i}\n",
            "n".repeat(180),
            1 + i % 28
        ));
    }
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!((q.rows_read, q.rows_used), (9_001, 9_000));
    assert_eq!(tx.customer_ids.len(), 9_000);
}

#[derive(Debug, Clone)]
struct Line {
    day: u32,
    cents: u32,
    /// A quoted name, with a comma and maybe a line break inside.
    quoted: Option<bool>,
}

fn line() -> impl Strategy<Value = Line> {
    (
        0u32..300,
        100u32..100_000,
        prop::option::weighted(0.2, any::<bool>()),
    )
        .prop_map(|(day, cents, quoted)| Line { day, cents, quoted })
}

fn render(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let date = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(l.day.into());
            let name = match l.quoted {
                None => format!("n{i}"),
                Some(false) => format!("\"Doe, J{i}\""),
                Some(true) => format!("\"line one\nline {i}\""),
            };
            format!("c{i},{name},{date},{}.{:02}\n", l.cents / 100, l.cents % 100)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// A stray quote anywhere in one data row (the row itself may be skipped or read with an
    /// odd value) never loses another row: every other customer is read, and every record is
    /// counted.
    #[test]
    fn a_stray_quote_anywhere_loses_no_other_row(
        lines in prop::collection::vec(line(), 5..80),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
    ) {
        let mut rows = render(&lines);
        let k = which.index(rows.len());
        let pos = at.index(rows[k].len());
        rows[k].insert(pos, '"');
        let text = format!("customer,name,date,amount\n{}", rows.concat());
        let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).unwrap();
        accounted(&q);
        // The damaged row is one record, or two when the stray quote closes its own two-line
        // cell early (the rest of the cell is then a line of its own, counted and skipped).
        let n = lines.len() as u64;
        prop_assert!(q.rows_read == n || (q.rows_read == n + 1 && lines[k].quoted == Some(true)), "{} rows: {}", q.rows_read, text);
        for i in (0..lines.len()).filter(|&i| i != k) {
            prop_assert!(tx.customer_ids.contains(&format!("c{i}")), "c{} lost in {}", i, text);
        }
        prop_assert!(q.rows_used + 1 >= lines.len() as u64);
    }
}

#[test]
fn a_line_past_16_mib_is_a_located_error() {
    // 17 MiB of short fields on one line (the page's tab crashed on 600 MB of them).
    let mut text = String::from("customer,date,amount\nc1,2024-01-05,10\n");
    let long = "a,".repeat(17 << 19);
    text.push_str(&long);
    text.push_str("\nc2,2024-01-06,11\n");
    let e = read(text.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::LineTooLong, "{e}");
    assert_eq!(e.row, Some(3));
    assert!(e.message.contains("16 MiB"), "{}", e.message);
    assert!(e.message.contains("from byte 38"), "{}", e.message);

    // One huge quoted field without line breaks, on the first data row.
    let mut text = String::from("customer,note,date,amount\nc1,\"");
    text.push_str(&"x".repeat(17 << 20));
    text.push_str("\",2024-01-05,10\n");
    let e = read(text.as_bytes(), &IngestOptions::default()).unwrap_err();
    assert_eq!((e.kind, e.row), (IngestErrorKind::LineTooLong, Some(2)));
}

/// ASCII rows past the first 64 KiB, then Müller, Möller and Mäller in Windows-1252 bytes.
fn latin1_after_ascii() -> Vec<u8> {
    let mut s = b"customer,date,amount\n".to_vec();
    let mut i = 0;
    while s.len() < 80 * 1024 {
        s.extend_from_slice(format!("c{i},2024-01-05,10\n").as_bytes());
        i += 1;
    }
    for name in ["Müller", "Möller", "Mäller"] {
        let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(name);
        assert!(!bad);
        s.extend_from_slice(&bytes);
        s.extend_from_slice(b",2024-02-01,20\n");
    }
    s
}

#[test]
fn latin1_after_an_ascii_start_keeps_three_customers() {
    let bytes = latin1_after_ascii();
    let (tx, q) = read(&bytes, &IngestOptions::default()).unwrap();
    for name in ["Müller", "Möller", "Mäller"] {
        assert!(
            tx.customer_ids.contains(&name.to_string()),
            "{name}: {:?}",
            &tx.customer_ids[tx.customer_ids.len() - 3..]
        );
    }
    assert!(!tx.customer_ids.iter().any(|c| c.contains('\u{FFFD}')));
    assert_eq!(q.encoding, "windows-1252");
    let w = q
        .warnings
        .iter()
        .find(|w| w.message.contains("decided again"))
        .expect("a warning");
    let rows = q.rows_read + 1;
    assert!(w.message.contains(&format!("(row {})", rows - 2)), "{w}");
}

#[test]
fn a_chosen_encoding_still_refuses_bad_bytes() {
    let bytes = latin1_after_ascii();
    let options = IngestOptions {
        encoding: Some("utf-8".into()),
        ..Default::default()
    };
    let e = read(&bytes, &options).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert!(e.row.is_some());
}

#[test]
fn mixed_utf8_and_latin1_names_the_merged_customers() {
    // Real UTF-8 first (so the file is UTF-8), then single-byte names further down.
    let mut bytes = "customer,date,amount\nJosé,2024-01-05,10\n".as_bytes().to_vec();
    let mut i = 0;
    while bytes.len() < 80 * 1024 {
        bytes.extend_from_slice(format!("c{i},2024-01-05,10\n").as_bytes());
        i += 1;
    }
    let ascii_rows = i;
    for name in ["Müller", "Möller", "Mäller"] {
        let (b, _, _) = encoding_rs::WINDOWS_1252.encode(name);
        bytes.extend_from_slice(&b);
        bytes.extend_from_slice(b",2024-02-01,20\n");
    }
    let (tx, q) = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(tx.customer_ids.len(), 2 + ascii_rows);
    let w = q
        .warnings
        .iter()
        .find(|w| w.message.contains("merged"))
        .expect("a warning");
    assert!(
        w.message
            .contains(&format!("3 rows (the first is row {})", ascii_rows + 3)),
        "{w}"
    );
    assert!(w.message.contains("gives 1 id such as \"M\u{FFFD}ller\""), "{w}");
}
