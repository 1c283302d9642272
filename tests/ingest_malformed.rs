//! Bad inputs a marketer will drop on the page: each must give a located, actionable error or a
//! counted skip with example rows, never a panic.
use clientele::ingest::{
    read, read_from, IngestError, IngestErrorKind, IngestOptions, QualityReport, SkipReason,
};

fn opts() -> IngestOptions {
    IngestOptions {
        file_name: Some("orders.csv".into()),
        ..Default::default()
    }
}

fn fails(bytes: &[u8]) -> IngestError {
    match read(bytes, &opts()) {
        Ok((_, r)) => panic!("expected an error, got a report: {r:?}"),
        Err(e) => e,
    }
}

fn ok(bytes: &[u8]) -> QualityReport {
    read(bytes, &opts()).unwrap_or_else(|e| panic!("{e}")).1
}

fn skip(r: &QualityReport, reason: SkipReason) -> (u64, Vec<u64>) {
    r.skipped
        .iter()
        .find(|s| s.reason == reason)
        .map(|s| (s.rows, s.example_rows.clone()))
        .unwrap_or((0, vec![]))
}

fn balanced(r: &QualityReport) {
    assert_eq!(
        r.rows_used + r.skipped.iter().map(|s| s.rows).sum::<u64>(),
        r.rows_read
    );
}

#[test]
fn empty_file() {
    let e = fails(b"");
    assert_eq!(e.kind, IngestErrorKind::Empty);
    assert!(e.to_string().starts_with("orders.csv: the file is empty"), "{e}");
    assert_eq!(fails(b"\r\n\n   \n").kind, IngestErrorKind::Empty);
}

#[test]
fn binary_file() {
    let e = fails(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0");
    assert_eq!(e.kind, IngestErrorKind::NotText);
    assert!(e.message.contains("binary"), "{e}");
}

#[test]
fn excel_workbook() {
    let e = fails(b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0");
    assert_eq!(e.kind, IngestErrorKind::NotText);
    assert!(e.message.contains("Excel"), "{e}");
}

#[test]
fn header_only() {
    let e = fails(b"CustomerID,InvoiceDate,Amount\r\n");
    assert_eq!(e.kind, IngestErrorKind::HeaderOnly);
    assert!(e.message.contains("no data rows"), "{e}");
}

#[test]
fn no_customer_column() {
    let e = fails(b"date,amount\n2024-01-05,3.50\n2024-01-06,4.00\n");
    assert_eq!(e.kind, IngestErrorKind::NoCustomerColumn);
    assert!(
        e.message.contains("\"date\", \"amount\""),
        "names the columns found: {e}"
    );
    assert!(e.message.contains("--column customer="), "{e}");
    assert!(e.message.contains("Columns table"), "{e}");
}

#[test]
fn no_date_column() {
    let e = fails(b"customer,amount\nA,3.50\nB,4.00\n");
    assert_eq!(e.kind, IngestErrorKind::NoDateColumn);
    assert!(e.message.contains("purchase date"), "{e}");
}

#[test]
fn date_column_mostly_unreadable() {
    let e = fails(b"customer,InvoiceDate,amount\nA,2024-01-05,1\nB,hello,2\nC,world,3\nD,soon,4\n");
    assert_eq!(e.kind, IngestErrorKind::BadDates);
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("InvoiceDate")));
    assert!(
        e.to_string().starts_with(
            "orders.csv, row 3, column \"InvoiceDate\": expected a date like 2024-01-05, 05/01/2024"
        ),
        "{e}"
    );
    assert!(e.message.contains("found \"hello\""), "{e}");
}

#[test]
fn a_few_bad_and_missing_dates_are_skipped_and_counted() {
    let r =
        ok(b"customer,date,amount\nA,2024-01-05,1\nB,2024-02-30,2\nC,,3\nD,2024-01-07,4\nE,2024-01-08,5\n");
    assert_eq!(skip(&r, SkipReason::BadDate), (1, vec![3]));
    assert_eq!(skip(&r, SkipReason::MissingDate), (1, vec![4]));
    assert_eq!(r.rows_used, 3);
    balanced(&r);
}

#[test]
fn day_first_and_month_first_in_one_column() {
    let e = fails(b"customer,date,amount\nA,01/02/2024,1\nB,25/01/2024,2\nC,01/31/2024,3\n");
    assert_eq!(e.kind, IngestErrorKind::AmbiguousDates);
    assert!(e.message.contains("row 3") && e.message.contains("row 4"), "{e}");
    assert!(e.message.contains("--date-order"), "{e}");
    // The option settles it; the row that cannot be day-first is counted apart.
    let o = IngestOptions {
        date_order: Some(clientele::ingest::DateOrder::Dmy),
        ..opts()
    };
    let (_, r) = read(
        b"customer,date,amount\nA,01/02/2024,1\nB,25/01/2024,2\nC,01/31/2024,3\n",
        &o,
    )
    .unwrap();
    assert_eq!(skip(&r, SkipReason::DateOrderConflict), (1, vec![4]));
}

#[test]
fn mostly_ragged_rows() {
    let e =
        fails(b"customer,date,amount\nA,2024-01-05\nB,2024-01-06\nC,2024-01-07,3,extra\nD,2024-01-08,4\n");
    assert_eq!(e.kind, IngestErrorKind::Ragged);
    assert_eq!(e.row, Some(2));
    assert!(e.message.contains("2 fields where the header has 3"), "{e}");
}

#[test]
fn a_few_ragged_rows_are_skipped() {
    let r = ok(b"customer,date,amount\nA,2024-01-05,1\nB,2024-01-06\nC,2024-01-07,3\nD,2024-01-08,4,x\nE,2024-01-09,5\n");
    assert_eq!(skip(&r, SkipReason::WrongFieldCount), (2, vec![3, 5]));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.message.contains("different number of fields")));
    balanced(&r);
    // Empty cells a spreadsheet adds at the end of some rows are not a wrong field count.
    let r = ok(b"customer,date,amount\nA,2024-01-05,1,,\nB,2024-01-06,2\nC,N/A,3\nD,2024-01-07,4\n");
    assert_eq!(r.rows_used, 3);
    assert_eq!(skip(&r, SkipReason::MissingDate), (1, vec![4]));
}

#[test]
fn bad_amounts_nan_and_overflow() {
    let r = ok(b"customer,date,amount\nA,2024-01-05,1\nB,2024-01-06,NaN\nC,2024-01-07,1e999\nD,2024-01-08,\nE,2024-01-09,5\nF,2024-01-09,6\nG,2024-01-09,7\n");
    assert_eq!(skip(&r, SkipReason::BadAmount), (2, vec![3, 4]));
    assert_eq!(skip(&r, SkipReason::MissingAmount), (1, vec![5]));
    balanced(&r);
    let e = fails(b"customer,date,amount\nA,2024-01-05,abc\nB,2024-01-06,def\nC,2024-01-07,1\n");
    assert_eq!(
        (e.kind, e.row, e.column.as_deref()),
        (IngestErrorKind::BadAmounts, Some(2), Some("amount"))
    );
    assert!(e.message.contains("found \"abc\""), "{e}");
}

#[test]
fn missing_customers_blank_rows_and_duplicates() {
    let r = ok(b"customer,date,amount\nA,2024-01-05,1\n,2024-01-06,2\n,,\nA,2024-01-05,1\n  ,2024-01-07,3\n");
    assert_eq!(skip(&r, SkipReason::MissingCustomer), (2, vec![3, 6]));
    assert_eq!(skip(&r, SkipReason::BlankRow), (1, vec![4]));
    assert_eq!(r.exact_duplicates, 1);
    assert_eq!(r.rows_used, 2, "duplicates are counted, not dropped");
    balanced(&r);
}

#[test]
fn every_row_unusable() {
    let e = fails(b"customer,date,amount\n,2024-01-05,1\n,2024-01-06,2\n");
    assert_eq!(e.kind, IngestErrorKind::NoUsableRows);
    assert!(e.message.contains("no customer id"), "{e}");
}

#[test]
fn cancellations_and_negative_amounts_are_returns() {
    let (tx, r) = read(
        b"InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,A,2024-01-05,2,1.5\nC2,A,2024-01-06,-1,1.5\n3,B,2024-01-06,-2,4\n4,B,2024-01-07,1,0\n",
        &opts(),
    )
    .unwrap();
    assert_eq!(skip(&r, SkipReason::Return), (2, vec![3, 4]));
    assert_eq!(r.returns_amount, 9.5);
    assert_eq!(tx.returns.amount, [1.5, 8.0]);
    // The free line (unit price 0) is not a purchase by default; kept with keep_zero_amount.
    assert_eq!(tx.amount, [3.0]);
    assert_eq!(skip(&r, SkipReason::ZeroAmount), (1, vec![5]));
    assert_eq!(r.zero_amount_rows, 0);
    let keep = IngestOptions {
        keep_zero_amount: true,
        ..opts()
    };
    let (kept, rk) = read(
        b"InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice\n1,A,2024-01-05,2,1.5\nC2,A,2024-01-06,-1,1.5\n3,B,2024-01-06,-2,4\n4,B,2024-01-07,1,0\n",
        &keep,
    )
    .unwrap();
    assert_eq!(kept.amount, [3.0, 0.0]);
    assert_eq!(rk.zero_amount_rows, 1);
    assert_eq!(
        r.amount_source.as_deref(),
        Some("quantity × unit price (\"Quantity\" × \"UnitPrice\")")
    );
}

#[test]
fn invalid_options_are_named() {
    let o = IngestOptions {
        encoding: Some("klingon".into()),
        ..opts()
    };
    let e = read(b"customer,date\nA,2024-01-05\n", &o).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert!(e.message.contains("encoding"), "{e}");
    let o = IngestOptions {
        roles: vec![(clientele::ingest::Role::Customer, "Kunde".into())],
        ..opts()
    };
    let e = read(b"customer,date\nA,2024-01-05\n", &o).unwrap_err();
    assert!(e.message.contains("\"Kunde\""), "{e}");
}

#[test]
fn cancel_from_progress() {
    let e = read_from(&b"customer,date\nA,2024-01-05\n"[..], None, &opts(), &mut |_| {
        false
    })
    .unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Cancelled);
}

#[test]
fn invalid_utf8_after_the_sample_does_not_panic() {
    let mut bytes = b"customer,date,amount\n".to_vec();
    for i in 0..5000 {
        bytes.extend_from_slice(format!("c{i},2024-01-05,1.00\n").as_bytes());
    }
    bytes.extend_from_slice(b"caf\xe9,2024-01-06,2.00\n");
    let (tx, r) = read(&bytes, &opts()).unwrap();
    assert_eq!(r.rows_read, 5001);
    // The start is ASCII: at the first other byte the encoding is decided again (Windows-1252).
    assert_eq!(tx.customer_ids.last().map(String::as_str), Some("café"));
    assert_eq!(r.encoding, "windows-1252");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("--encoding") && w.message.contains("Encoding menu")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn quoted_fields_with_delimiters_and_newlines() {
    let (tx, r) = read(
        b"customer,note,date,amount\n\"Smith, J\",\"two\nlines\",2024-01-05,\"1,234.50\"\nB,x,2024-01-06,2\n",
        &opts(),
    )
    .unwrap();
    assert_eq!(tx.customer_ids, ["Smith, J", "B"]);
    assert_eq!(tx.amount, [1234.5, 2.0]);
    assert_eq!(r.rows_read, 2);
}

/// Row numbers are the ones a spreadsheet shows: a line break inside quotes stays in its row,
/// a blank line is a row of its own.
#[test]
fn row_numbers_as_a_spreadsheet_shows_them() {
    let r = ok(b"customer,note,date,amount\nA,\"two\nlines\",2024-01-05,1\n\nB,x,2024-01-06,oops\nC,y,2024-01-07,3\nD,z,2024-01-07,3\n");
    assert_eq!(skip(&r, SkipReason::BadAmount), (1, vec![4]));
    let crlf = b"customer,date,amount\r\n\r\n\r\nA,2024-01-05,x\r\nB,2024-01-05,1\r\n\r\nC,2024-01-05,y\r\nD,2024-01-05,1\r\nE,2024-01-05,1\r\n";
    assert_eq!(skip(&ok(crlf), SkipReason::BadAmount), (2, vec![4, 7]));
    // One-letter rows: a row's own line break is not a blank line.
    let narrow = b"customer,date\nA,2024-01-05\n\nB,x\nC,2024-01-05\nD,2024-01-05\n";
    assert_eq!(skip(&ok(narrow), SkipReason::BadDate), (1, vec![4]));
}
