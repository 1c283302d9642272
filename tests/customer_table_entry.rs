//! Customer-level tables through the entry points (`ingest::read_table_from`, `report::analyze`,
//! the CLI's path): detected from the header, read in any encoding or as a workbook, scored by
//! RFM and clusters; propensity and lifetime value say why they are unavailable. The `table`
//! option and customer-level roles force the reading either way.

mod common;

use chrono::NaiveDate;
use clientele::customers::summarize;
use clientele::ingest::{
    day_to_date, read_table_from, IngestErrorKind, IngestOptions, Role, SkipReason, Table, TableKind,
};
use clientele::report::{analyze, customers_csv, AnalyzeOptions, Report, Section};
use clientele::rfm::{score, RfmParams};
use clientele::Error;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/customer_table")
        .join(name);
    std::fs::read(path).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn run(bytes: &[u8], options: &AnalyzeOptions) -> Report {
    analyze(bytes, options, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

fn skipped(r: &Report) -> Vec<(SkipReason, u64, Vec<u64>)> {
    r.quality
        .skipped
        .iter()
        .map(|s| (s.reason, s.rows, s.example_rows.clone()))
        .collect()
}

fn role_of(r: &Report, header: &str) -> Option<Role> {
    r.quality
        .columns
        .iter()
        .find(|c| c.header == header)
        .and_then(|c| c.role)
}

/// The Shopify-like export, as every reading of it must give it.
fn check_shopify(r: &Report) {
    assert_eq!(r.quality.table, TableKind::Customers);
    assert_eq!(r.as_of, date("2024-03-12"));
    assert_eq!(
        r.customers.id,
        ["1001", "1002", "1003", "1005", "1006", "1007", "1009", "1010"]
    );
    assert_eq!(r.customers.frequency, [3, 10, 1, 2, 4, 1, 2, 1]);
    assert_eq!(
        r.customers.monetary.as_deref().unwrap(),
        [120.5, 1250.0, 88.0, 45.0, 300.0, 15.99, 60.0, 0.0]
    );
    assert_eq!(r.customers.recency_days, [11, 2, 21, 57, 72, 1, 12, 10]);
    assert_eq!(r.customers.tenure_days, [271, 797, 21, 57, 436, 1, 378, 10]);
    assert_eq!((r.quality.rows_read, r.quality.rows_used), (12, 8));
    assert_eq!(
        skipped(r),
        [
            (SkipReason::NoOrders, 1, vec![5]),
            (SkipReason::DuplicateCustomer, 1, vec![7]),
            (SkipReason::BadAmount, 1, vec![10]),
            (SkipReason::MissingCustomer, 1, vec![13]),
        ]
    );
    assert_eq!(
        r.quality.rows_used + r.quality.skipped.iter().map(|s| s.rows).sum::<u64>(),
        r.quality.rows_read
    );
    assert_eq!(role_of(r, "Customer ID"), Some(Role::Customer));
    assert_eq!(role_of(r, "Total Orders"), Some(Role::OrderCount));
    assert_eq!(role_of(r, "Total Spent"), Some(Role::TotalSpent));
    assert_eq!(role_of(r, "Last Order Date"), Some(Role::LastOrder));
    assert_eq!(role_of(r, "Created At"), Some(Role::FirstOrder));
    assert_eq!(role_of(r, "Email"), None);
    assert!(
        r.quality.warnings[0].message.contains("one row per customer"),
        "{:?}",
        r.quality.warnings
    );
    // The summary counts orders and money of the table, not of rows.
    assert_eq!(r.summary.customers, 8);
    assert_eq!(r.summary.orders, 24);
    assert!((r.summary.revenue.unwrap() - 1879.49).abs() < 1e-9);
    assert!(r.summary.has_amount);
    assert_eq!(r.rfm.r_score.len(), 8);
    for section in [
        match &r.propensity {
            Section::Unavailable { reason, .. } => reason.clone(),
            other => panic!("propensity: {:?}", other.ok().is_some()),
        },
        match &r.clv {
            Section::Unavailable { reason, .. } => reason.clone(),
            other => panic!("clv: {:?}", other.ok().is_some()),
        },
    ] {
        assert!(section.contains("customer-level table"), "{section}");
    }
}

#[test]
fn shopify_export_through_analyze() {
    let r = run(&fixture("shopify_customers.csv"), &AnalyzeOptions::default());
    check_shopify(&r);
    assert_eq!(r.quality.encoding, "UTF-8");
    assert!(r.clusters.ok().is_some() || matches!(r.clusters, Section::Unavailable { .. }));
    // The export has the RFM columns and empty model columns.
    let csv = customers_csv(&r);
    assert!(
        csv.lines().nth(1).unwrap().starts_with("1001,11,3,120.50,"),
        "{csv}"
    );
    assert!(csv.lines().nth(1).unwrap().ends_with(",,,,,"), "{csv}");
}

#[test]
fn shopify_export_in_utf16_and_gbk() {
    let text = String::from_utf8(fixture("shopify_customers.csv")).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let r = run(&utf16, &AnalyzeOptions::default());
    check_shopify(&r);
    assert_eq!(r.quality.encoding, "UTF-16LE");
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let r = run(&gbk, &AnalyzeOptions::default());
    check_shopify(&r);
    assert_eq!(r.quality.encoding, "GBK");
}

#[test]
fn shopify_export_as_a_workbook() {
    let mut options = AnalyzeOptions::default();
    options.ingest.sheet = Some("Customers".into());
    let r = run(&fixture("shopify_customers.xlsx"), &options);
    check_shopify(&r);
    assert!(
        r.quality.encoding.contains("sheet \"Customers\""),
        "{}",
        r.quality.encoding
    );
    assert!(
        r.quality.warnings.iter().any(|w| w.message.contains("2 sheets")),
        "{:?}",
        r.quality.warnings
    );
}

#[test]
fn woocommerce_and_chinese_exports() {
    let r = run(&fixture("woocommerce_customers.csv"), &AnalyzeOptions::default());
    assert_eq!(r.quality.table, TableKind::Customers);
    assert_eq!(r.customers.id, ["17", "23", "31", "57", "64", "81"]);
    assert_eq!(r.customers.recency_days, [12, 70, 10, 132, 1, 27]);
    let zh = "客户ID\t最近购买日期\t购买次数\t累计消费\n\
              c-01\t2024年3月1日\t4\t￥1,288.00\n\
              王芳\t2024年2月28日\t1\t88元\n\
              c-03\t2024年3月5日\t0\t0\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(zh);
    assert!(!unmappable);
    let r = run(&gbk, &AnalyzeOptions::default());
    assert_eq!(r.quality.table, TableKind::Customers);
    assert_eq!(
        (r.quality.encoding.as_str(), r.quality.delimiter.as_str()),
        ("GBK", "\t")
    );
    assert_eq!(r.customers.id, ["c-01", "王芳"]);
    assert_eq!(r.customers.monetary.as_deref().unwrap(), [1288.0, 88.0]);
    assert_eq!(skipped(&r), [(SkipReason::NoOrders, 1, vec![4])]);
}

#[test]
fn an_rfm_summary_with_days_needs_an_as_of_date() {
    let text = "customer,recency,frequency,monetary\na,3,2,10.5\nb,40,1,5\nc,0,7,99\n";
    let e = analyze(text.as_bytes(), &AnalyzeOptions::default(), &mut |_| {}).unwrap_err();
    let Error::Ingest(e) = e else { panic!("{e}") };
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert_eq!(e.column.as_deref(), Some("recency"));
    let options = AnalyzeOptions {
        as_of: Some(date("2024-01-10")),
        ..Default::default()
    };
    let r = run(text.as_bytes(), &options);
    assert_eq!(r.customers.recency_days, [3, 40]);
    assert_eq!(
        r.customers.last_purchase,
        [date("2024-01-07"), date("2023-12-01")]
    );
    // Recency 0 = bought on the as-of date itself: after the cut, counted.
    assert_eq!(skipped(&r), [(SkipReason::AfterAsOf, 1, vec![4])]);
}

/// The CDNOW sample summarised and written as a customer table scores exactly as the
/// transactions do: same customers, same R, F, M, same scores and segments.
#[test]
fn cdnow_customer_table_scores_like_its_transactions() {
    let tx = common::cdnow_sample();
    let want = summarize(&tx, None).unwrap();
    let want_rfm = score(&want, &RfmParams::default()).unwrap();
    let mut text = String::from("Customer ID,Last Order Date,Total Orders,Total Spent,First Order Date\r\n");
    for i in 0..want.len() {
        text += &format!(
            "{},{},{},{},{}\r\n",
            want.id[i],
            day_to_date(want.last_purchase[i]),
            want.frequency[i],
            want.monetary[i],
            day_to_date(want.first_purchase[i])
        );
    }
    let r = run(text.as_bytes(), &AnalyzeOptions::default());
    assert_eq!(r.quality.table, TableKind::Customers);
    assert_eq!(r.as_of, want.as_of);
    assert_eq!(r.customers.id, want.id);
    assert_eq!(r.customers.recency_days, want.recency_days);
    assert_eq!(r.customers.frequency, want.frequency);
    assert_eq!(r.customers.monetary, Some(want.monetary));
    assert_eq!(r.customers.tenure_days, want.tenure_days);
    assert_eq!(r.rfm.r_score, want_rfm.r_score);
    assert_eq!(r.rfm.f_score, want_rfm.f_score);
    assert_eq!(r.rfm.m_score, want_rfm.m_score);
    assert_eq!(r.rfm.segment, want_rfm.segment);
    assert!(r.clusters.ok().is_some());
}

#[test]
fn the_table_option_forces_either_reading() {
    let csv = fixture("shopify_customers.csv");
    // As transactions: one purchase per row dated by the last order, as a user asked.
    let mut options = IngestOptions {
        table: Some(TableKind::Transactions),
        ..Default::default()
    };
    let (table, q) = read_table_from(&csv[..], None, &options, &mut |_| true).unwrap();
    assert_eq!(q.table, TableKind::Transactions);
    assert!(matches!(table, Table::Transactions(_)));
    // Forced customer-level on a transaction file: the missing figures are named.
    options.table = Some(TableKind::Customers);
    let tx = "InvoiceNo,InvoiceDate,CustomerID,Amount\n1,2024-01-05,A,3\n";
    let e = read_table_from(tx.as_bytes(), None, &options, &mut |_| true).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert!(e.message.contains("a number of orders"), "{}", e.message);
    assert!(e.message.contains("InvoiceNo"), "{}", e.message);
    // The transaction-only reader refuses the customer-level options rather than misread.
    let e = clientele::ingest::read_from(&csv[..], None, &options, &mut |_| true).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    // And it still reads a customer export as transactions when asked nothing.
    let (tx, _) =
        clientele::ingest::read_from(&csv[..], None, &IngestOptions::default(), &mut |_| true).unwrap();
    assert!(!tx.is_empty());
}

#[test]
fn customer_level_roles_choose_the_columns() {
    // Headers nobody would guess: the roles option names them, and that alone means customer-level.
    let text = "Kunde,Bestellungen,Umsatz,Letzte Bestellung\nk1,2,30.5,2024-05-01\nk2,1,9,2024-04-02\n";
    let options = AnalyzeOptions {
        ingest: IngestOptions {
            roles: vec![
                (Role::Customer, "Kunde".into()),
                (Role::OrderCount, "Bestellungen".into()),
                (Role::TotalSpent, "2".into()),
                (Role::LastOrder, "Letzte Bestellung".into()),
            ],
            ..Default::default()
        },
        ..Default::default()
    };
    let r = run(text.as_bytes(), &options);
    assert_eq!(r.customers.id, ["k1", "k2"]);
    assert_eq!(r.customers.frequency, [2, 1]);
    assert_eq!(r.customers.monetary.as_deref().unwrap(), [30.5, 9.0]);
    assert_eq!(r.customers.recency_days, [1, 30]);
    assert!(r.quality.columns.iter().all(|c| c.detected_by == "option"));
    // A role that names no column is a located error listing the columns.
    let mut bad = options.clone();
    bad.ingest.roles[1].1 = "Orders".into();
    let Err(Error::Ingest(e)) = analyze(text.as_bytes(), &bad, &mut |_| {}) else {
        panic!()
    };
    assert_eq!(e.kind, IngestErrorKind::InvalidOption);
    assert!(e.message.contains("\"Kunde\", \"Bestellungen\""), "{}", e.message);
    // A transaction role on a customer-level table is refused, not ignored.
    let mut bad = options;
    bad.ingest.roles.push((Role::Product, "Kunde".into()));
    assert!(analyze(text.as_bytes(), &bad, &mut |_| {}).is_err());
}

#[test]
fn transaction_files_are_not_mistaken_for_customer_tables() {
    for (path, rows) in [
        ("online_retail/online_retail.csv", 541_909u64),
        ("cdnow/CDNOW_sample.txt", 6_919),
    ] {
        let bytes = std::fs::read(common::data_path(path)).unwrap();
        let (table, q) = read_table_from(&bytes[..], None, &IngestOptions::default(), &mut |_| true).unwrap();
        assert!(matches!(table, Table::Transactions(_)), "{path}");
        assert_eq!((q.table, q.rows_read), (TableKind::Transactions, rows), "{path}");
    }
}

#[test]
fn cancel_and_progress_in_a_long_customer_table() {
    let mut text = String::from("customer_id,orders,total_spend,last_order_date\n");
    for i in 0..70_000 {
        text += &format!("c{i},{},{}.5,2024-01-{:02}\n", 1 + i % 5, i % 300, 1 + i % 28);
    }
    let mut calls = Vec::new();
    let (table, q) = read_table_from(
        text.as_bytes(),
        Some(text.len() as u64),
        &IngestOptions::default(),
        &mut |p| {
            calls.push(p.rows_read);
            true
        },
    )
    .unwrap();
    assert_eq!(calls, [65_536, 70_000]);
    let Table::Customers(level) = table else { panic!() };
    let (c, q) = clientele::customers::from_level(level, None, q).unwrap();
    assert_eq!((c.len(), q.rows_read), (70_000, 70_000));
    let e = read_table_from(text.as_bytes(), None, &IngestOptions::default(), &mut |_| false).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::Cancelled);
}
