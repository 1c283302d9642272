//! Customer-level tables (one row per customer) → Customers: hand-written Shopify-like and
//! WooCommerce-like exports with every figure checked, a Chinese one, and the CDNOW sample
//! summarized, written as a customer table and read back to the same Customers.

mod common;

use chrono::NaiveDate;
use clientele::customers::{customers_from_table, summarize};
use clientele::ingest::{date_to_day, day_to_date, detect_customer_table, IngestOptions, SkipReason};

fn read_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let headers = rows.remove(0);
    (headers, rows)
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/customer_table")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn skipped(q: &clientele::ingest::QualityReport) -> Vec<(SkipReason, u64, Vec<u64>)> {
    q.skipped
        .iter()
        .map(|s| (s.reason, s.rows, s.example_rows.clone()))
        .collect()
}

#[test]
fn shopify_like_customers_export() {
    let (headers, rows) = read_csv(&fixture("shopify_customers.csv"));
    let cols = detect_customer_table(&headers, &rows).expect("customer-level");
    assert_eq!((cols.id, cols.total_spent, cols.orders), (0, 5, 6));
    assert_eq!(
        (cols.last_order, cols.first_order, cols.recency_days),
        (Some(7), Some(8), None)
    );
    let (c, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), None).unwrap();
    assert_eq!(c.as_of, date("2024-03-12"));
    assert_eq!(
        c.id,
        ["1001", "1002", "1003", "1005", "1006", "1007", "1009", "1010"]
    );
    assert_eq!(c.frequency, [3, 10, 1, 2, 4, 1, 2, 1]);
    assert_eq!(c.monetary, [120.5, 1250.0, 88.0, 45.0, 300.0, 15.99, 60.0, 0.0]);
    assert_eq!(
        c.avg_order_value,
        [120.5 / 3.0, 125.0, 88.0, 22.5, 75.0, 15.99, 30.0, 0.0]
    );
    assert_eq!(c.recency_days, [11, 2, 21, 57, 72, 1, 12, 10]);
    // 1005 has no Created At: tenure = recency.
    assert_eq!(c.tenure_days, [271, 797, 21, 57, 436, 1, 378, 10]);
    assert_eq!(day_to_date(c.first_purchase[0]), date("2023-06-15"));
    assert_eq!(day_to_date(c.last_purchase[1]), date("2024-03-10"));
    assert_eq!((q.rows_read, q.rows_used, q.zero_amount_rows), (12, 8, 1));
    assert_eq!(
        skipped(&q),
        [
            (SkipReason::NoOrders, 1, vec![5]),
            (SkipReason::DuplicateCustomer, 1, vec![7]),
            (SkipReason::BadAmount, 1, vec![10]),
            (SkipReason::MissingCustomer, 1, vec![13]),
        ]
    );
    assert_eq!(
        q.rows_used + q.skipped.iter().map(|s| s.rows).sum::<u64>(),
        q.rows_read
    );
    assert_eq!(
        (q.first_date, q.last_date),
        (Some(date("2022-01-05")), Some(date("2024-03-11")))
    );
    assert!(q
        .columns
        .iter()
        .any(|m| m.role == Some(clientele::ingest::Role::OrderCount) && m.detected_by == "header"));
    assert_eq!(q.columns[9].detected_by, "none");
}

#[test]
fn woocommerce_like_customers_export() {
    let (headers, rows) = read_csv(&fixture("woocommerce_customers.csv"));
    let cols = detect_customer_table(&headers, &rows).expect("customer-level");
    assert_eq!((cols.id, cols.orders, cols.total_spent), (0, 3, 4));
    assert_eq!((cols.last_order, cols.first_order), (Some(5), Some(6)));
    let (c, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), None).unwrap();
    assert_eq!(c.as_of, date("2024-06-11"));
    assert_eq!(c.id, ["17", "23", "31", "57", "64", "81"]);
    assert_eq!(c.frequency, [5, 1, 3, 2, 7, 4]);
    assert_eq!(c.monetary, [412.75, 19.9, 1288.0, 75.5, 980.0, 2400.1]);
    assert_eq!(c.recency_days, [12, 70, 10, 132, 1, 27]);
    assert_eq!(c.tenure_days, [518, 71, 213, 170, 708, 1006]);
    assert_eq!((q.rows_read, q.rows_used), (8, 6));
    assert_eq!(
        skipped(&q),
        [
            (SkipReason::NoOrders, 1, vec![5]),
            (SkipReason::BadDate, 1, vec![8])
        ]
    );
    // An explicit as-of date moves every day count and drops later customers, counted.
    let (_, rows) = read_csv(&fixture("woocommerce_customers.csv"));
    let as_of = date("2024-06-01");
    let (c, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), Some(as_of)).unwrap();
    assert_eq!(c.id, ["17", "23", "57", "81"]);
    assert_eq!(c.recency_days, [2, 60, 122, 17]);
    assert_eq!(skipped(&q)[2], (SkipReason::AfterAsOf, 2, vec![4, 7]));
}

#[test]
fn chinese_customer_table() {
    let text = "客户ID,最近购买日期,购买次数,累计消费,注册时间\n\
                c-01,2024年3月1日,4,\"¥1,288.00\",2023年5月1日\n\
                王芳,2024年2月28日,1,88元,\n\
                c-03,2024年3月5日,0,0,2024年3月5日\n";
    let (headers, rows) = read_csv(text);
    let cols = detect_customer_table(&headers, &rows).expect("customer-level");
    let (c, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), None).unwrap();
    assert_eq!(c.as_of, date("2024-03-02"));
    assert_eq!(c.id, ["c-01", "王芳"]);
    assert_eq!(c.monetary, [1288.0, 88.0]);
    assert_eq!(c.recency_days, [1, 3]);
    assert_eq!(c.tenure_days, [306, 3]);
    assert_eq!(skipped(&q), [(SkipReason::NoOrders, 1, vec![4])]);
    assert!(!q
        .warnings
        .iter()
        .any(|w| w.message.contains("tenure is taken equal to recency")));
    // An unreadable first-order date falls back to tenure = recency, with a warning.
    let (headers, rows) =
        read_csv("客户ID,最近购买日期,购买次数,累计消费,注册时间\nc-01,2024-03-01,2,10,soon\n");
    let cols = detect_customer_table(&headers, &rows).unwrap();
    let (c, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), None).unwrap();
    assert_eq!((c.recency_days[0], c.tenure_days[0]), (1, 1));
    assert!(
        q.warnings.iter().any(|w| w.message.contains("first at row 2")),
        "{:?}",
        q.warnings
    );
}

#[test]
fn cdnow_sample_round_trips_through_a_customer_table() {
    let tx = common::cdnow_sample();
    let want = summarize(&tx, None).unwrap();
    let headers: Vec<String> = [
        "customer_id",
        "last_order_date",
        "orders",
        "total_spent",
        "first_order_date",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = (0..want.len())
        .map(|i| {
            vec![
                want.id[i].clone(),
                day_to_date(want.last_purchase[i]).to_string(),
                want.frequency[i].to_string(),
                want.monetary[i].to_string(),
                day_to_date(want.first_purchase[i]).to_string(),
            ]
        })
        .collect();
    let cols = detect_customer_table(&headers, &rows).expect("customer-level");
    let (got, q) = customers_from_table(&headers, rows, &cols, &IngestOptions::default(), None).unwrap();
    assert_eq!(got.len(), 2357);
    assert_eq!(q.rows_used, 2357);
    assert_eq!(got.as_of, want.as_of);
    assert_eq!(got.id, want.id);
    assert_eq!(got.recency_days, want.recency_days);
    assert_eq!(got.frequency, want.frequency);
    assert_eq!(got.monetary, want.monetary);
    assert_eq!(got.avg_order_value, want.avg_order_value);
    assert_eq!(got.first_purchase, want.first_purchase);
    assert_eq!(got.last_purchase, want.last_purchase);
    assert_eq!(got.tenure_days, want.tenure_days);
    assert_eq!(date_to_day(got.as_of), date_to_day(want.as_of));
}
