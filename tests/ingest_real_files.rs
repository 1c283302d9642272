//! Whole-path checks of `clientele::ingest` on the real files in `../shared/data/`: the
//! result must equal the independent reference loaders in `tests/common` row for row, and the
//! quality report must account for every row. Also small hand-made fixtures for Excel-style
//! dates, a GBK file with Chinese headers and a UTF-16 file.
mod common;

use clientele::ingest::{
    read, read_from, IngestOptions, IngestProgress, QualityReport, Role, SkipReason, Transactions,
};
use std::path::PathBuf;

/// Reads a data file keeping zero-value lines, as the reference loaders do.
fn ingest(rel: &str) -> (Transactions, QualityReport) {
    ingest_with(rel, true)
}

fn ingest_with(rel: &str, keep_zero_amount: bool) -> (Transactions, QualityReport) {
    let path = common::data_path(rel);
    let file = std::fs::File::open(&path).expect("open data file");
    let total = file.metadata().ok().map(|m| m.len());
    let options = IngestOptions {
        file_name: Some(rel.into()),
        keep_zero_amount,
        ..Default::default()
    };
    let mut seen: Vec<IngestProgress> = Vec::new();
    let out = read_from(std::io::BufReader::new(file), total, &options, &mut |p| {
        seen.push(p);
        true
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let last = seen.last().expect("progress is reported at least once");
    assert_eq!(last.rows_read, out.1.rows_read, "the last report has every row");
    assert_eq!(Some(last.bytes_read), total, "and every byte");
    assert!(seen
        .windows(2)
        .all(|w| w[0].rows_read < w[1].rows_read && w[0].bytes_read <= w[1].bytes_read));
    assert_eq!(
        seen.len() as u64,
        out.1.rows_read / 65_536 + 1,
        "about every 64k rows"
    );
    out
}

fn skipped(r: &QualityReport, reason: SkipReason) -> u64 {
    r.skipped
        .iter()
        .find(|s| s.reason == reason)
        .map(|s| s.rows)
        .unwrap_or(0)
}

fn assert_accounts_for_every_row(r: &QualityReport) {
    let total: u64 = r.skipped.iter().map(|s| s.rows).sum();
    assert_eq!(
        r.rows_used + total,
        r.rows_read,
        "rows_used + skipped = rows_read"
    );
    for s in &r.skipped {
        assert!(!s.example_rows.is_empty() && s.example_rows.len() <= 5, "{:?}", s);
    }
}

/// Same customers in the same order, same rows, same order grouping, same returns.
fn assert_same(got: &Transactions, want: &Transactions) {
    assert_eq!(got.customer_ids.len(), want.customer_ids.len(), "customer count");
    assert_eq!(
        got.customer_ids, want.customer_ids,
        "customer ids in first-seen order"
    );
    assert_eq!(got.customer, want.customer, "customer per row");
    assert_eq!(got.day, want.day, "day per row");
    assert_eq!(got.amount.len(), want.amount.len());
    for (i, (a, b)) in got.amount.iter().zip(&want.amount).enumerate() {
        assert!((a - b).abs() <= 1e-9, "amount row {i}: {a} vs {b}");
    }
    assert_eq!(got.has_amount, want.has_amount);
    assert_eq!(got.order, want.order, "order grouping");
    assert_eq!(got.quantity, want.quantity, "quantity");
    assert_eq!(got.returns.customer, want.returns.customer, "return customers");
    assert_eq!(got.returns.day, want.returns.day, "return days");
    for (a, b) in got.returns.amount.iter().zip(&want.returns.amount) {
        assert!((a - b).abs() <= 1e-9);
    }
    assert_eq!(got.returns.amount.len(), want.returns.amount.len());
}

#[test]
fn online_retail_matches_reference() {
    let (tx, r) = ingest("online_retail/online_retail.csv");
    let want = common::online_retail();
    assert_same(&tx, &want);
    assert_eq!(r.rows_read, 541_909);
    assert_eq!(skipped(&r, SkipReason::MissingCustomer), 135_080);
    assert_eq!(
        skipped(&r, SkipReason::Return),
        want.returns.customer.len() as u64
    );
    assert_eq!(r.rows_used, want.len() as u64);
    assert_accounts_for_every_row(&r);
    assert!(r.has_header);
    assert_eq!(r.delimiter, ",");
    assert_eq!(r.encoding, "UTF-8");
    assert_eq!(
        r.amount_source.as_deref(),
        Some("quantity × unit price (\"Quantity\" × \"UnitPrice\")")
    );
    let role = |name: &str| r.columns.iter().find(|c| c.header == name).and_then(|c| c.role);
    assert_eq!(role("CustomerID"), Some(Role::Customer));
    assert_eq!(role("InvoiceNo"), Some(Role::Order));
    assert_eq!(role("InvoiceDate"), Some(Role::Date));
    assert_eq!(role("StockCode"), Some(Role::Product));
    assert_eq!(role("Description"), Some(Role::ProductName));
    assert_eq!(role("Country"), None);
    assert_eq!(r.first_date.map(|d| d.to_string()).as_deref(), Some("2010-12-01"));
    assert_eq!(r.last_date.map(|d| d.to_string()).as_deref(), Some("2011-12-09"));
    // pandas: df.duplicated().sum() on the full table.
    assert_eq!(r.exact_duplicates, 5_268);
    assert!(r.zero_amount_rows > 0);
    let returns: f64 = want.returns.amount.iter().sum();
    assert!((r.returns_amount - returns).abs() < 1e-6);
}

#[test]
fn cdnow_master_matches_reference() {
    let (tx, r) = ingest("cdnow/CDNOW_master.txt");
    assert_same(&tx, &common::cdnow_master());
    assert_eq!(tx.customer_ids.len(), 23_570);
    assert_eq!(r.rows_read, 69_659);
    assert!(r.has_header);
    assert_eq!(r.delimiter, "whitespace");
    assert_accounts_for_every_row(&r);
}

#[test]
fn cdnow_sample_matches_reference() {
    let (tx, r) = ingest("cdnow/CDNOW_sample.txt");
    assert_same(&tx, &common::cdnow_sample());
    assert_eq!(tx.customer_ids.len(), 2_357);
    assert_eq!(tx.customer_ids[0], "00004", "leading zeros kept");
    assert_eq!(r.rows_read, 6_919);
    assert!(!r.has_header);
    assert_eq!(r.delimiter, "whitespace");
    let roles: Vec<_> = r
        .columns
        .iter()
        .map(|c| (c.role, c.detected_by.as_str()))
        .collect();
    assert_eq!(roles[0], (Some(Role::Customer), "values"));
    assert_eq!(roles[2], (Some(Role::Date), "values"));
    assert_eq!(roles[3], (Some(Role::Quantity), "values"));
    assert_eq!(roles[4], (Some(Role::Amount), "values"));
    assert_accounts_for_every_row(&r);
}

#[test]
fn grocery_log_without_amounts() {
    let (tx, r) = ingest("grocery/groceryElog.csv");
    assert_same(&tx, &common::grocery());
    assert_eq!(tx.customer_ids.len(), 1_525);
    assert_eq!(r.rows_read, 10_483);
    assert!(!tx.has_amount);
    assert!(
        r.warnings.iter().any(|w| w.message.contains("monetary")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.amount_source, None);
    assert_accounts_for_every_row(&r);
}

/// The first `rows` rows of Online Retail as ISO text and as UCI/Kaggle's copy writes dates
/// (`12/1/2010 8:26`).
fn online_retail_slice(rows: usize) -> (String, String) {
    let text = std::fs::read_to_string(common::data_path("online_retail/online_retail.csv")).unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut wi = csv::Writer::from_writer(Vec::new());
    let mut we = csv::Writer::from_writer(Vec::new());
    for (i, rec) in rdr.records().take(rows + 1).enumerate() {
        let rec = rec.unwrap();
        wi.write_record(&rec).unwrap();
        let mut fields: Vec<String> = rec.iter().map(String::from).collect();
        if i > 0 {
            let d = chrono::NaiveDateTime::parse_from_str(&fields[4], "%Y-%m-%d %H:%M:%S").unwrap();
            fields[4] = d.format("%-m/%-d/%Y %-H:%M").to_string();
        }
        we.write_record(&fields).unwrap();
    }
    let s = |w: csv::Writer<Vec<u8>>| String::from_utf8(w.into_inner().unwrap()).unwrap();
    (s(wi), s(we))
}

/// 60,000 rows reach 13 December 2010: the month-first order is decided from the column.
#[test]
fn excel_style_dates_slice_of_online_retail() {
    let (iso, excel) = online_retail_slice(60_000);
    assert!(excel.contains(",12/1/2010 8:26,"));
    let (a, ra) = read(iso.as_bytes(), &IngestOptions::default()).unwrap();
    let (b, rb) = read(excel.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(ra.rows_read, 60_000);
    assert_eq!(a, b);
    assert_eq!(rb.rows_used, ra.rows_used);
    assert_eq!(rb.skipped, ra.skipped);
    assert!(
        rb.date_format
            .as_deref()
            .unwrap_or("")
            .starts_with("month/day/year"),
        "{:?}",
        rb.date_format
    );
    assert!(rb.warnings.is_empty(), "{:?}", rb.warnings);
}

/// The first 5,000 rows are all 1-5 December: no number above 12, so the order is assumed
/// (month first), said in the warnings and the date format, and `date_order` flips it.
#[test]
fn excel_style_dates_undecidable_are_reported() {
    let (iso, excel) = online_retail_slice(5_000);
    let (a, _) = read(iso.as_bytes(), &IngestOptions::default()).unwrap();
    let (b, rb) = read(excel.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(a, b);
    assert!(
        rb.warnings.iter().any(|w| w.message.contains("--date-order")),
        "{:?}",
        rb.warnings
    );
    assert!(rb.date_format.as_deref().unwrap_or("").contains("assumed"));
    let dmy = IngestOptions {
        date_order: Some(clientele::ingest::DateOrder::Dmy),
        ..Default::default()
    };
    let (c, rc) = read(excel.as_bytes(), &dmy).unwrap();
    assert_ne!(c.day, a.day);
    assert_eq!(
        rc.first_date.map(|d| d.to_string()).as_deref(),
        Some("2010-01-12")
    );
    assert!(
        rc.warnings
            .iter()
            .all(|w| w.message.starts_with("No order column"))
            || rc.warnings.is_empty(),
        "{:?}",
        rc.warnings
    );
}

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest")
        .join(name);
    std::fs::read(p).unwrap()
}

#[test]
fn gbk_file_with_chinese_headers() {
    let bytes = fixture("orders_gbk.csv");
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture really is GBK");
    let (tx, r) = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(r.encoding, "GBK");
    assert_eq!(tx.customer_ids, ["会员001", "会员002", "会员003"]);
    assert_eq!(tx.amount, [88.0, 1234.5, 15.0, 20.0]);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(skipped(&r, SkipReason::Return), 1);
    assert_eq!(r.returns_amount, 30.0);
    assert_eq!(r.amount_source.as_deref(), Some("amount column \"实付金额\""));
    assert_eq!(r.first_date.map(|d| d.to_string()).as_deref(), Some("2024-01-05"));
    assert_eq!(r.last_date.map(|d| d.to_string()).as_deref(), Some("2024-02-10"));
    assert!(tx.order.is_some());
}

#[test]
fn utf16_file_with_tabs() {
    let bytes = fixture("customers_utf16le.tsv");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let (tx, r) = read(&bytes, &IngestOptions::default()).unwrap();
    assert_eq!(r.encoding, "UTF-16LE");
    assert_eq!(r.delimiter, "\t");
    assert_eq!(tx.customer_ids, ["ann@example.com", "bo@example.com"]);
    // The third line is free (0): skipped as a zero-value line by default.
    assert_eq!(tx.amount, [1234.56, 12.0]);
    assert_eq!(skipped(&r, SkipReason::ZeroAmount), 1);
    assert_eq!(r.zero_amount_rows, 0);
    // Day first: 13/01/2024 decides the whole column.
    assert_eq!(r.first_date.map(|d| d.to_string()).as_deref(), Some("2024-01-02"));
    // The 2024-03-01 line was the free one.
    assert_eq!(r.last_date.map(|d| d.to_string()).as_deref(), Some("2024-01-13"));
    assert!(r
        .date_format
        .as_deref()
        .unwrap_or("")
        .starts_with("day/month/year"));
}

/// Not a timed test (it asserts nothing about speed): prints how long Online Retail takes, for
/// `cargo test --release --test ingest_real_files -- --ignored --nocapture time_online_retail`.
#[test]
#[ignore]
fn time_online_retail() {
    let bytes = std::fs::read(common::data_path("online_retail/online_retail.csv")).unwrap();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let (tx, r) = read(&bytes, &IngestOptions::default()).unwrap();
        println!(
            "online_retail.csv: {} bytes, {} rows read, {} used, {:.3} s",
            bytes.len(),
            r.rows_read,
            tx.len(),
            t.elapsed().as_secs_f64()
        );
        if let Some(s) = r.skipped.first() {
            println!(
                "  first skip reason: {:?} {} rows, e.g. {:?}",
                s.reason, s.rows, s.example_rows
            );
        }
    }
    let (_, r) = read(&bytes, &IngestOptions::default()).unwrap();
    for s in &r.skipped {
        println!("  skipped {:?}: {} ({})", s.reason, s.rows, s.description);
    }
    println!(
        "  duplicates {}, zero-amount rows {}, returns amount {:.2}, customers {}",
        r.exact_duplicates,
        r.zero_amount_rows,
        r.returns_amount,
        read(&bytes, &IngestOptions::default())
            .unwrap()
            .0
            .customer_ids
            .len()
    );
}

/// By default a line whose amount is 0 is not a purchase. Figures recomputed with pandas
/// (customer id present, not a cancellation, Quantity × UnitPrice == 0 / dollar_value == 0):
/// Online Retail 40 such lines, and customer 13256, who only ever had free lines, is gone
/// (4,372 → 4,371 ids with returns); CDNOW master 80 lines, 23,570 → 23,502 customers;
/// CDNOW sample 8 lines, 2,357 → 2,349.
#[test]
fn zero_value_lines_are_skipped_by_default() {
    let (tx, r) = ingest_with("online_retail/online_retail.csv", false);
    let (kept, rk) = ingest("online_retail/online_retail.csv");
    assert_eq!(skipped(&r, SkipReason::ZeroAmount), 40);
    assert_eq!(r.zero_amount_rows, 0);
    assert_eq!(rk.zero_amount_rows, 40);
    assert_eq!(r.rows_used, rk.rows_used - 40);
    assert_eq!((kept.customer_ids.len(), tx.customer_ids.len()), (4_372, 4_371));
    assert!(kept.customer_ids.iter().any(|c| c == "13256"));
    assert!(!tx.customer_ids.iter().any(|c| c == "13256"));
    assert_accounts_for_every_row(&r);
    for (rel, zero, customers) in [
        ("cdnow/CDNOW_master.txt", 80, 23_502),
        ("cdnow/CDNOW_sample.txt", 8, 2_349),
    ] {
        let (tx, r) = ingest_with(rel, false);
        assert_eq!(skipped(&r, SkipReason::ZeroAmount), zero, "{rel}");
        assert_eq!(tx.customer_ids.len(), customers, "{rel}");
        assert_accounts_for_every_row(&r);
    }
}
