//! Workbooks through the ordinary entry points (`ingest::read`, `report::analyze`): the same
//! Transactions as the CSV they came from, with the sheet named in the quality report.
use clientele::ingest::{read, IngestOptions};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/excel/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect(name)
}

#[test]
fn xlsx_reads_like_its_csv() {
    let (tx, q) = read(&fixture("retail_dates.xlsx"), &IngestOptions::default()).expect("xlsx reads");
    let csv: String = std::fs::read_to_string(format!(
        "{}/../shared/data/online_retail/online_retail.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .lines()
    .take(301)
    .map(|l| format!("{l}\n"))
    .collect();
    let (want, wq) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(tx.customer_ids, want.customer_ids);
    assert_eq!(tx.day, want.day);
    assert_eq!(tx.amount.len(), want.amount.len());
    for (a, b) in tx.amount.iter().zip(&want.amount) {
        assert!((a - b).abs() < 1e-9);
    }
    assert_eq!((q.rows_read, q.rows_used), (wq.rows_read, wq.rows_used));
    assert!(q.encoding.contains("Xlsx workbook"), "{}", q.encoding);
}

#[test]
fn sheet_option_and_missing_sheet() {
    let bytes = fixture("two_sheets.xlsx");
    let first = read(&bytes, &IngestOptions::default());
    let named = read(
        &bytes,
        &IngestOptions {
            sheet: Some("Orders".into()),
            ..Default::default()
        },
    );
    let (first, named) = (first.unwrap(), named.unwrap());
    assert_eq!(first.0, named.0, "the default is the sheet with the table");
    assert_eq!(first.1.sheet.as_deref(), Some("Orders"));
    assert_eq!(first.1.sheets, ["Notes", "Orders"]);
    let missing = read(
        &bytes,
        &IngestOptions {
            sheet: Some("Nope".into()),
            ..Default::default()
        },
    )
    .expect_err("no such sheet");
    assert!(missing.to_string().contains("Orders"), "{missing}");
}

#[test]
fn workbook_through_analyze() {
    let report = clientele::report::analyze(
        &fixture("retail_dates.xlsx"),
        &clientele::report::AnalyzeOptions::default(),
        &mut |_| {},
    );
    match report {
        Ok(r) => assert!(r.summary.customers > 0),
        Err(e) => assert!(!e.to_string().contains("Excel workbook, not a text table"), "{e}"),
    }
}
