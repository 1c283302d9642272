//! Workbooks made by `tests/fixtures/excel/make_excel_fixtures.py` (openpyxl, odfpy, xlwt) read
//! back as the text rows of the CSV they were made from, and through the text reader as the same
//! Transactions as that CSV.

mod common;

use clientele::ingest::{
    detect_workbook, read, read_from, read_workbook, sheet_names, IngestErrorKind, IngestOptions,
    WorkbookFormat,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/excel")
        .join(name);
    std::fs::read(path).expect("fixture")
}

/// Header + the first `n` data rows of the Online Retail CSV, as text.
fn csv_rows(n: usize) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(common::data_path("online_retail/online_retail.csv"))
        .unwrap();
    rdr.records()
        .take(n + 1)
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn csv_text(n: usize) -> String {
    let text = std::fs::read_to_string(common::data_path("online_retail/online_retail.csv")).unwrap();
    text.lines().take(n + 1).map(|l| format!("{l}\n")).collect()
}

fn check_retail(name: &str, n: usize, format: WorkbookFormat) {
    let bytes = fixture(name);
    assert_eq!(detect_workbook(&bytes), Some(format), "{name}");
    let sheet = read_workbook(&bytes, None).unwrap();
    assert_eq!(sheet.names, ["Online Retail"]);
    assert_eq!(
        (sheet.chosen.as_str(), sheet.index, sheet.first_row),
        ("Online Retail", 0, 1)
    );
    assert_eq!(sheet.error_cells, 0);
    let rows: Vec<Vec<String>> = sheet.rows().collect();
    let expected = csv_rows(n);
    assert_eq!(rows.len(), expected.len(), "{name}");
    let mut numeric_only = 0;
    for (i, (got, want)) in rows.iter().zip(&expected).enumerate() {
        // Every cell is the CSV's text (ids without `.0`, prices as written, ISO date-times),
        // except where the CSV itself writes an integral price as `18.0`: the same number.
        assert_eq!(got.len(), want.len(), "{name}, row {}", i + 1);
        for (g, w) in got.iter().zip(want) {
            if g != w {
                let same = matches!((g.parse::<f64>(), w.parse::<f64>()), (Ok(a), Ok(b)) if a == b);
                assert!(
                    same && !g.ends_with(".0"),
                    "{name}, row {}: {g:?} vs {w:?}",
                    i + 1
                );
                numeric_only += 1;
            }
        }
    }
    assert!(numeric_only <= 10, "{name}: {numeric_only} cells differ as text");
    // Through the text reader: the same Transactions and counts as the CSV slice itself.
    let options = IngestOptions {
        delimiter: Some(clientele::ingest::Delimiter::Byte(b',')),
        ..Default::default()
    };
    let (tx, q) = read_from(sheet.csv_reader(), None, &options, &mut |_| true).unwrap();
    let (tx_csv, q_csv) = read(csv_text(n).as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(tx, tx_csv, "{name}");
    assert_eq!(
        (q.rows_read, q.rows_used, &q.skipped),
        (q_csv.rows_read, q_csv.rows_used, &q_csv.skipped)
    );
}

#[test]
fn xlsx_with_date_cells_reads_as_the_csv() {
    check_retail("retail_dates.xlsx", 300, WorkbookFormat::Xlsx);
}

#[test]
fn xlsx_with_serial_numbers_formatted_as_dates() {
    check_retail("retail_serials.xlsx", 300, WorkbookFormat::Xlsx);
}

#[test]
fn xlsx_in_the_1904_date_system() {
    check_retail("retail_1904.xlsx", 300, WorkbookFormat::Xlsx);
}

#[test]
fn ods_reads_as_the_csv() {
    check_retail("retail.ods", 100, WorkbookFormat::Ods);
}

/// Hand-written BIFF12 (`make_xlsb.py`): numbers as BrtCellReal, text as inline strings.
#[test]
fn xlsb_reads_as_the_csv() {
    check_retail("retail.xlsb", 60, WorkbookFormat::Xlsb);
}

#[test]
fn xls_reads_as_the_csv() {
    check_retail("retail.xls", 100, WorkbookFormat::Xls);
}

#[test]
fn sheets_by_name_and_index() {
    let bytes = fixture("two_sheets.xlsx");
    assert_eq!(sheet_names(&bytes).unwrap(), ["Notes", "Orders"]);
    // By default the notes sheet in front (one cell) is passed over for the table.
    let first = read_workbook(&bytes, None).unwrap();
    assert_eq!((first.chosen.as_str(), first.index), ("Orders", 1));
    let notes = read_workbook(&bytes, Some("Notes")).unwrap();
    assert_eq!(notes.rows().count(), 1);
    let by_name = read_workbook(&bytes, Some("orders")).unwrap();
    let by_index = read_workbook(&bytes, Some("1")).unwrap();
    assert_eq!((by_name.chosen.as_str(), by_index.index), ("Orders", 1));
    let rows: Vec<Vec<String>> = by_name.rows().collect();
    assert_eq!(rows, by_index.rows().collect::<Vec<_>>());
    assert_eq!(
        rows,
        [
            ["customer_id", "order_id", "order_date", "total"],
            ["00042", "1001", "2024-01-05 14:30:00", "12.5"],
            ["00042", "1002", "2024-01-20 00:00:00", "7.25"],
            ["00077", "1003", "2024-01-21 09:00:00", "100"],
        ]
    );
    let e = read_workbook(&bytes, Some("Sales")).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert!(e.message.contains("\"Notes\", \"Orders\""), "{e}");
    let e = read_workbook(&bytes, Some("2")).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
}

#[test]
fn chinese_headers_and_values() {
    let sheet = read_workbook(&fixture("chinese.xlsx"), None).unwrap();
    assert_eq!(sheet.chosen, "订单");
    let rows: Vec<Vec<String>> = sheet.rows().collect();
    assert_eq!(rows[0], ["客户ID", "订单号", "下单时间", "实付金额"]);
    assert_eq!(rows[4], ["王芳", "E20240202004", "2024-02-02 00:00:00", "9.9"]);
    let (tx, q) = read_from(sheet.csv_reader(), None, &IngestOptions::default(), &mut |_| true).unwrap();
    assert_eq!(tx.customer_ids, ["c-01", "c-02", "王芳"]);
    assert_eq!(tx.amount, [88.0, 120.5, 35.8, 9.9]);
    assert_eq!(q.rows_used, 4);
}

#[test]
fn damaged_and_non_workbooks_are_located_errors() {
    let mut bytes = fixture("retail_dates.xlsx");
    bytes.truncate(bytes.len() / 2);
    let e = read_workbook(&bytes, None).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Io, "{e}");
    assert!(e.message.contains("damaged"), "{e}");
    let e = read_workbook(b"customer,date\nA,2024-01-05\n", None).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::NotText);
}

#[test]
fn encrypted_workbook_says_so() {
    let bytes = fixture("encrypted.xlsx");
    assert_eq!(detect_workbook(&bytes), Some(WorkbookFormat::Xls));
    let e = read_workbook(&bytes, None).unwrap_err();
    assert!(e.message.contains("password-protected"), "{e}");
}

#[test]
fn table_below_empty_rows_keeps_spreadsheet_row_numbers() {
    let bytes = fixture("offset.xlsx");
    let sheet = read_workbook(&bytes, None).unwrap();
    assert_eq!(
        (sheet.chosen.as_str(), sheet.first_row, sheet.error_cells),
        ("Orders", 3, 1)
    );
    let rows: Vec<Vec<String>> = sheet.rows().collect();
    assert_eq!(rows[0], ["customer", "date", "amount"]);
    assert_eq!(rows[3], ["a3", "2024-01-07 00:00:00", ""]);
    let (tx, q) = read_from(sheet.csv_reader(), None, &IngestOptions::default(), &mut |_| true).unwrap();
    assert_eq!(tx.customer_ids, ["a1"]);
    // Row numbers are the spreadsheet's: the bad date is on row 5, the error cell on row 6.
    let examples: Vec<(String, Vec<u64>)> = q
        .skipped
        .iter()
        .map(|s| (format!("{:?}", s.reason), s.example_rows.clone()))
        .collect();
    assert_eq!(
        examples,
        [
            ("BadDate".to_string(), vec![5]),
            ("MissingAmount".to_string(), vec![6])
        ]
    );
    let e = read_workbook(&bytes, Some("Empty")).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Empty);
    assert!(e.message.contains("\"Empty\" is empty"), "{e}");
}
