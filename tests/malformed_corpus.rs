//! The malformed corpus: hand-made broken files in `tests/malformed/`, each with the located
//! error or the counted skip it must give. Runs natively and in headless Chromium
//! (wasm-bindgen-test), from the same bytes (`include_bytes!`), so the page reacts to a bad
//! file exactly as the CLI does. Two cases are generated rather than committed: 10,000
//! columns and a 50 MB single line.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use clientele::ingest::{read, IngestErrorKind as K, IngestOptions, SkipReason as S};

enum Expect {
    /// A located error of this kind whose message contains every needle.
    Error(K, &'static [&'static str]),
    /// Read: rows read, rows used, the skips (reason, count, first example row), and text
    /// that must appear in a warning (empty for none required).
    Read(u64, u64, &'static [(S, u64, u64)], &'static str),
}
use Expect::{Error, Read};

macro_rules! case {
    ($name:literal, $expect:expr) => {
        ($name, &include_bytes!(concat!("malformed/", $name))[..], $expect)
    };
}

#[rustfmt::skip]
fn corpus() -> Vec<(&'static str, &'static [u8], Expect)> {
    vec![
        case!("01_empty.csv", Error(K::Empty, &["01_empty.csv", "empty"])),
        case!("02_header_only.csv", Error(K::HeaderOnly, &["header row but no data rows"])),
        case!("03_nul_bytes.csv", Error(K::NotText, &["binary"])),
        case!("04_binary_png.csv", Error(K::NotText, &["does not look like text"])),
        case!("05_excel_renamed.csv", Error(K::NotText, &["Excel"])),
        // The quote on row 5 never closes: that row is skipped, row 6 is not lost.
        case!("06_truncated_quote.csv", Read(5, 4, &[(S::UnterminatedQuote, 1, 5)], "never closes")),
        case!("07_mixed_delimiters.csv", Read(5, 4, &[(S::WrongFieldCount, 1, 5)], "different number of fields")),
        case!("08_duplicate_headers.csv", Read(2, 2, &[], "2 columns are named \"date\"")),
        case!("09_year_zero.csv", Read(4, 3, &[(S::BadDate, 1, 2)], "")),
        case!("10_year_9999.csv", Read(4, 3, &[(S::BadDate, 1, 2)], "")),
        case!("11_amount_1e308.csv", Read(4, 3, &[(S::BadAmount, 1, 2)], "")),
        case!("12_amount_nan_inf.csv", Read(5, 3, &[(S::BadAmount, 2, 2)], "")),
        case!("13_leading_zero_ids.csv", Read(3, 3, &[], "")),
        case!("14_latin1_inside_utf8.csv", Read(2, 2, &[], "")),
        case!("15_ragged_few.csv", Read(6, 4, &[(S::WrongFieldCount, 2, 5)], "2 rows have a different number")),
        case!("16_ragged_most.csv", Error(K::Ragged, &["row 2", "check the delimiter"])),
        case!("17_unparseable_dates.csv", Error(K::BadDates, &["row 2", "column \"date\"", "\"hello\""])),
        case!("18_no_customer_column.csv", Error(K::NoCustomerColumn, &["no column identifies the customer", "\"date\", \"amount\""])),
        case!("19_no_date_column.csv", Error(K::NoDateColumn, &["purchase date", "\"customer\", \"amount\""])),
        case!("20_blank_lines.csv", Read(4, 3, &[(S::BlankRow, 1, 6)], "")),
        case!("21_only_returns.csv", Read(2, 0, &[(S::Return, 2, 2)], "")),
        case!("22_lone_cr_line_ends.csv", Read(3, 3, &[], "")),
        case!("23_bom_twice.csv", Read(3, 3, &[], "")),
        case!("24_utf16_no_bom.csv", Read(3, 3, &[], "")),
        case!("25_quoted_newlines.csv", Read(2, 2, &[], "")),
        case!("26_huge_cell.csv", Read(2, 2, &[], "")),
        case!("27_ambiguous_dates.csv", Read(3, 3, &[], "could be day/month or month/day")),
        case!("28_conflicting_dates.csv", Error(K::AmbiguousDates, &["row 2", "column \"date\"", "day/month"])),
        case!("29_empty_header_names.csv", Read(3, 2, &[(S::BlankRow, 1, 1)], "no amount column")),
        case!("30_html_page.csv", Error(K::NotText, &["web page"])),
        case!("31_json.csv", Error(K::NotText, &["JSON"])),
        case!("32_missing_customers.csv", Read(5, 3, &[(S::MissingCustomer, 2, 2)], "")),
        case!("33_bad_amounts_few.csv", Read(5, 3, &[(S::MissingAmount, 1, 6), (S::BadAmount, 1, 5)], "")),
        case!("34_formula_ids.csv", Read(3, 3, &[], "")),
        case!("35_gbk_without_declaration.csv", Read(2, 2, &[], "")),
        // Workbooks that expand to gigabytes (issue 12, finding 3; made by
        // tests/fixtures/excel/make_hostile_workbooks.py): refused before they are expanded.
        case!("50_bomb_repeated.ods", Error(K::Other, &["sheet \"Orders\"", "row 1 (repeated 1,048,576 times)", "save the sheet as CSV"])),
        case!("51_bomb_many_cells.xlsx", Error(K::Other, &["xl/worksheets/sheet1.xml has more than 8,388,608 cells", "save the sheet as CSV"])),
        case!("52_bomb_unique_count.xlsx", Error(K::Other, &["declares 4,000,000,000 shared texts", "save the sheet as CSV"])),
        case!("53_bomb_shared_strings.xlsx", Error(K::Other, &["holds more than 8,388,608 shared texts", "save the sheet as CSV"])),
        case!("55_bomb_spaces.ods", Error(K::Other, &["sheet \"Orders\" expands to more than 128 MB of text by row 1", "save the sheet as CSV"])),
        case!("54_bomb_shared_clone.xlsx", Error(K::Other, &["sheet \"Orders\"", "128 MB of text by cell A135", "save the sheet as CSV"])),
        // Found by the `ingest` fuzzer (2026-12-01): a `>` inside the sst tag's xmlns value hid
        // uniqueCount="4000000000" from the byte scan (calamine, through quick-xml, still saw it).
        case!("56_fuzz_quoted_gt_unique_count.xlsx", Error(K::Other, &["declares 4,000,000,000 shared texts", "save the sheet as CSV"])),
    ]
}

fn check(name: &str, bytes: &[u8], expect: &Expect) {
    let options = IngestOptions {
        file_name: Some(name.to_string()),
        ..Default::default()
    };
    let result = read(bytes, &options);
    match (expect, result) {
        (Error(kind, needles), Err(e)) => {
            assert_eq!(e.kind, *kind, "{name}: {e}");
            let msg = e.to_string();
            assert!(
                msg.starts_with(name),
                "{name}: the message must name the file: {msg}"
            );
            for n in *needles {
                assert!(msg.contains(n), "{name}: {n:?} not in {msg:?}");
            }
        }
        (Read(read_rows, used, skips, warning), Ok((tx, q))) => {
            assert_eq!((q.rows_read, q.rows_used), (*read_rows, *used), "{name}: {q:?}");
            let skipped: u64 = q.skipped.iter().map(|s| s.rows).sum();
            assert_eq!(
                q.rows_used + skipped,
                q.rows_read,
                "{name}: rows used + skipped = read"
            );
            assert_eq!(q.skipped.len(), skips.len(), "{name}: {:?}", q.skipped);
            for (reason, count, first) in *skips {
                let s = q
                    .skipped
                    .iter()
                    .find(|s| s.reason == *reason)
                    .unwrap_or_else(|| panic!("{name}: no {reason:?}"));
                assert_eq!(
                    (s.rows, s.example_rows.first().copied()),
                    (*count, Some(*first)),
                    "{name}: {reason:?}"
                );
            }
            if !warning.is_empty() {
                assert!(
                    q.warnings.iter().any(|w| w.message.contains(warning)),
                    "{name}: {warning:?} not in {:?}",
                    q.warnings
                );
            }
            assert_eq!(tx.customer.len() as u64, q.rows_used, "{name}");
        }
        (Error(kind, _), Ok((_, q))) => panic!("{name}: expected a {kind:?} error, read {q:?}"),
        (Read(..), Err(e)) => panic!("{name}: expected rows, got the error {e}"),
    }
}

#[test]
fn every_malformed_file_gives_its_located_error_or_counted_skip() {
    let corpus = corpus();
    assert!(corpus.len() >= 30);
    for (name, bytes, expect) in &corpus {
        check(name, bytes, expect);
    }
}

#[test]
fn text_survives_as_written() {
    let by_name = |n: &str| corpus().into_iter().find(|c| c.0 == n).map(|c| c.1).unwrap();
    let ids = |n: &str| {
        read(by_name(n), &IngestOptions::default())
            .unwrap()
            .0
            .customer_ids
    };
    assert_eq!(ids("13_leading_zero_ids.csv"), ["007", "0007", "7"]);
    assert_eq!(ids("34_formula_ids.csv")[0], "=HYPERLINK(\"http://x\")");
    assert_eq!(ids("35_gbk_without_declaration.csv"), ["张三", "李四"]);
    assert_eq!(ids("24_utf16_no_bom.csv"), ["1", "2", "3"]);
}

#[test]
fn ten_thousand_columns() {
    let mut header: Vec<String> = (0..10_000).map(|i| format!("c{i}")).collect();
    header[0] = "customer".into();
    header[5_000] = "date".into();
    header[9_999] = "amount".into();
    let mut text = header.join(",") + "\n";
    for r in 0..3 {
        let mut row = vec!["x"; 10_000]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        row[0] = format!("{r}");
        row[5_000] = format!("2024-01-0{}", r + 1);
        row[9_999] = "12.50".into();
        text += &(row.join(",") + "\n");
    }
    let (tx, q) = read(text.as_bytes(), &IngestOptions::default()).expect("wide file reads");
    assert_eq!((q.rows_read, q.rows_used, tx.customer_ids.len()), (3, 3, 3));
    assert_eq!(tx.amount, [12.5, 12.5, 12.5]);
}

#[test]
fn a_fifty_megabyte_single_line() {
    let mut text = b"customer,date,amount,".to_vec();
    text.resize(50 * 1024 * 1024, b'x');
    let e = read(&text, &IngestOptions::default()).expect_err("one line past the bound");
    assert_eq!((e.kind, e.row), (K::LineTooLong, Some(1)), "{e}");
}
