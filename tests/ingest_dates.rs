//! Dates that cannot be purchases (issue 12, findings 5 and 7): a purchase after the day of the
//! analysis, a date far outside the bulk of the file (1900-01-01 placeholders, a mistyped
//! year), and slash dates that contradict the column's day/month order are each their own
//! skip reason with example rows; the as-of date ignores them; the quality report shows the
//! date distribution; and real files with long histories lose nothing.
mod common;

use chrono::NaiveDate;
use clientele::customers::{default_as_of, summarize};
use clientele::ingest::{
    read, read_from, read_table_from, IngestErrorKind, IngestOptions, QualityReport, SkipReason, Table,
};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `n` purchases spread over 2024 (customers c0..c299), then the given extra rows.
fn shop_2024(n: usize, extra: &[(usize, &str)]) -> String {
    let mut s = String::from("customer,date,amount\n");
    for i in 0..n {
        let day = date("2024-01-01") + chrono::Duration::days((i * 7 % 366) as i64);
        if let Some((_, d)) = extra.iter().find(|(at, _)| *at == i) {
            s.push_str(&format!("c{},{d},10\n", i % 300));
            continue;
        }
        s.push_str(&format!("c{},{day},10\n", i % 300));
    }
    s
}

fn skip(r: &QualityReport, reason: SkipReason) -> (u64, Vec<u64>) {
    r.skipped
        .iter()
        .find(|s| s.reason == reason)
        .map(|s| (s.rows, s.example_rows.clone()))
        .unwrap_or((0, vec![]))
}

fn balanced(r: &QualityReport) {
    let skipped: u64 = r.skipped.iter().map(|s| s.rows).sum();
    assert_eq!(r.rows_used + skipped, r.rows_read, "{:?}", r.skipped);
}

fn today(s: &str) -> IngestOptions {
    IngestOptions {
        today: Some(s.into()),
        ..Default::default()
    }
}

#[test]
fn a_date_after_today_is_skipped_and_does_not_move_as_of() {
    // Row 1000 of the file (data row 999) is the typo.
    let csv = shop_2024(3000, &[(998, "2104-03-01")]);
    let (tx, r) = read(csv.as_bytes(), &today("2025-06-30")).unwrap();
    assert_eq!(skip(&r, SkipReason::FutureDate), (1, vec![1000]));
    assert_eq!(skip(&r, SkipReason::DateOutlier).0, 0);
    balanced(&r);
    assert_eq!(r.rows_used, 2999);
    assert_eq!(r.last_date, Some(date("2024-12-31")));
    assert_eq!(default_as_of(&tx), Some(date("2025-01-01")));
    let c = summarize(&tx, None).unwrap();
    assert!(c.recency_days.iter().all(|&d| d <= 366), "no 29,000-day recency");
    let d = r.dates.as_ref().unwrap();
    assert_eq!(d.today, Some(date("2025-06-30")));
    assert_eq!(
        (d.future.rows, d.future.min, d.future.max),
        (1, Some(date("2104-03-01")), Some(date("2104-03-01")))
    );
    assert_eq!(
        (d.future.example_rows.clone(), d.future.example_dates.clone()),
        (vec![1000], vec![date("2104-03-01")])
    );
    assert_eq!(
        (d.first, d.last),
        (Some(date("2024-01-01")), Some(date("2024-12-31")))
    );
    let desc = &r
        .skipped
        .iter()
        .find(|s| s.reason == SkipReason::FutureDate)
        .unwrap()
        .description;
    assert!(
        desc.contains("--keep-outlier-dates") && desc.contains("--today"),
        "{desc}"
    );
}

#[test]
fn the_future_is_a_day_past_today() {
    // One day of slack for time zones: tomorrow is kept, the day after is not.
    let csv = "customer,date,amount\nA,2024-06-01,1\nB,2024-06-02,1\nC,2024-06-03,1\n";
    let (_, r) = read(csv.as_bytes(), &today("2024-06-01")).unwrap();
    assert_eq!(skip(&r, SkipReason::FutureDate), (1, vec![4]));
    let bad = read(csv.as_bytes(), &today("June 1")).unwrap_err();
    assert_eq!(bad.kind, IngestErrorKind::InvalidOption);
    assert!(bad.message.contains("YYYY-MM-DD"), "{bad}");
}

#[test]
fn a_far_date_is_an_outlier_even_without_today() {
    let csv = shop_2024(3000, &[(998, "2104-03-01")]);
    let (tx, r) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(skip(&r, SkipReason::DateOutlier), (1, vec![1000]));
    assert_eq!(skip(&r, SkipReason::FutureDate).0, 0);
    balanced(&r);
    assert_eq!(default_as_of(&tx), Some(date("2025-01-01")));
    let d = r.dates.as_ref().unwrap();
    assert_eq!(d.outliers.rows, 1);
    assert_eq!(d.today, None);
    assert!(d.rule.contains("730 days"), "{}", d.rule);
}

#[test]
fn placeholders_and_year_slips_are_outliers() {
    for (extra, reason_rows) in [
        (
            vec![
                (10, "1900-01-01"),
                (500, "1900-01-01"),
                (1500, "1900-01-01"),
                (2100, "1900-01-01"),
                (2900, "1900-01-01"),
            ],
            5,
        ),
        (
            vec![(3, "1970-01-01"), (4, "1970-01-01"), (2000, "1970-01-01")],
            3,
        ),
        (vec![(1234, "1924-05-06")], 1),
        (vec![(7, "2199-12-31"), (8, "1900-01-01")], 2),
        (vec![(42, "2032-04-01")], 1),
    ] {
        let csv = shop_2024(3000, &extra);
        let (tx, r) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
        let (rows, examples) = skip(&r, SkipReason::DateOutlier);
        assert_eq!(rows, reason_rows, "{extra:?}");
        let mut expected: Vec<u64> = extra.iter().map(|(i, _)| *i as u64 + 2).collect();
        expected.sort_unstable();
        expected.truncate(5);
        assert_eq!(examples, expected, "{extra:?}");
        balanced(&r);
        assert_eq!(
            (r.first_date, r.last_date),
            (Some(date("2024-01-01")), Some(date("2024-12-31")))
        );
        assert!(tx.day.iter().all(|&d| (19_723..=20_088).contains(&d)));
    }
}

#[test]
fn a_few_placeholders_in_a_small_file() {
    let mut csv = String::from("customer,date,amount\n");
    for i in 0..40 {
        csv.push_str(&format!("c{i},2024-03-{:02},5\n", 1 + i % 28));
    }
    csv.push_str("z,1900-01-01,5\n");
    let (_, r) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(skip(&r, SkipReason::DateOutlier), (1, vec![42]));
    // Two rows, two eras: nothing tells which is wrong, so nothing is set apart.
    let (_, r) = read(
        b"customer,date,amount\nA,1990-01-01,1\nB,2024-01-01,1\n",
        &IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(r.rows_used, 2);
}

#[test]
fn keep_outlier_dates_keeps_them_and_says_so() {
    let csv = shop_2024(3000, &[(998, "2104-03-01"), (5, "1900-01-01")]);
    let o = IngestOptions {
        keep_outlier_dates: true,
        today: Some("2025-06-30".into()),
        ..Default::default()
    };
    let (tx, r) = read(csv.as_bytes(), &o).unwrap();
    assert_eq!(r.rows_used, 3000);
    assert_eq!(r.last_date, Some(date("2104-03-01")));
    assert_eq!(default_as_of(&tx), Some(date("2104-03-02")));
    let d = r.dates.as_ref().unwrap();
    assert!(d.kept);
    assert_eq!((d.future.rows, d.outliers.rows), (1, 1));
    assert_eq!(d.outliers.example_dates, vec![date("1900-01-01")]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("kept as purchases") && w.message.contains("2104-03-01")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn every_column_stays_aligned_after_skipping() {
    let csv = "customer,order,date,qty,product,amount\nA,1,2024-01-01,1,p,5\nB,2,1900-01-01,2,q,6\nC,3,2024-01-02,3,r,7\n"
        .to_string()
        + &(0..60)
            .map(|i| format!("D{i},{},2024-02-{:02},4,s,8\n", 10 + i, 1 + i % 28))
            .collect::<String>();
    let (tx, r) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(skip(&r, SkipReason::DateOutlier), (1, vec![3]));
    assert_eq!(tx.len(), 62);
    assert_eq!(tx.day.len(), tx.amount.len());
    assert_eq!(tx.quantity.as_ref().unwrap().len(), 62);
    assert_eq!(tx.product.as_ref().unwrap().len(), 62);
    assert_eq!(tx.order.as_ref().unwrap().len(), 62);
    assert_eq!((tx.amount[1], tx.quantity.as_ref().unwrap()[1]), (7.0, 3.0));
    assert_eq!(tx.customer_ids[tx.customer[1] as usize], "C");
}

/// Real files with long or lopsided histories: nothing is set apart, and the report shows
/// their range.
#[test]
fn real_files_keep_every_date() {
    for (rel, first, last) in [
        ("cdnow/CDNOW_master.txt", "1997-01-01", "1998-06-30"),
        ("online_retail/online_retail.csv", "2010-12-01", "2011-12-09"),
        ("grocery/groceryElog.csv", "", ""),
    ] {
        let path = common::data_path(rel);
        let file = std::fs::File::open(&path).unwrap();
        let o = IngestOptions {
            today: Some("2026-12-01".into()),
            keep_zero_amount: true,
            ..Default::default()
        };
        let (_, r) = read_from(std::io::BufReader::new(file), None, &o, &mut |_| true).unwrap();
        let d = r.dates.as_ref().unwrap();
        assert_eq!((d.future.rows, d.outliers.rows), (0, 0), "{rel}: {d:?}");
        assert_eq!(
            skip(&r, SkipReason::DateOutlier).0 + skip(&r, SkipReason::FutureDate).0,
            0
        );
        if !first.is_empty() {
            assert_eq!((d.first, d.last), (Some(date(first)), Some(date(last))), "{rel}");
        }
        assert!(d.quartiles.is_some());
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok((_, r)) = read_table_from(&bytes[..], None, &today("2026-12-01"), &mut |_| true) else {
            continue;
        };
        let d = r.dates.as_ref();
        assert!(
            d.is_none_or(|d| d.future.rows + d.outliers.rows == 0),
            "{}: {d:?}",
            path.display()
        );
    }
}

#[test]
fn a_later_row_in_the_other_order_is_counted_and_warned() {
    // Month first, told by 30 rows (second number above 12); row 802 says day first.
    let mut csv = String::from("customer,date,amount\n");
    for i in 0..1000 {
        if i == 800 {
            csv.push_str("x,25/03/2024,9\n");
            continue;
        }
        let (m, d) = (1 + i % 12, 1 + i % 28);
        csv.push_str(&format!("c{i},{m:02}/{d:02}/2024,5\n"));
    }
    let (tx, r) = read(csv.as_bytes(), &IngestOptions::default()).unwrap();
    assert_eq!(skip(&r, SkipReason::DateOrderConflict), (1, vec![802]));
    balanced(&r);
    assert_eq!(tx.len(), 999);
    let w = r
        .warnings
        .iter()
        .find(|w| w.message.contains("date_order_conflict"))
        .unwrap_or_else(|| panic!("{:?}", r.warnings));
    let tell = (0..1000).filter(|i| i != &800 && 1 + i % 28 > 12).count();
    assert!(
        w.message
            .contains(&format!("{tell} rows can only be month/day/year")),
        "{w}"
    );
    assert!(
        w.message.contains("1 rows can only be day first") && w.message.contains("row 802"),
        "{w}"
    );
    assert!(
        w.message.contains("--date-order dmy")
            && w.message.contains("on the page")
            && w.message.contains("date_order"),
        "{w}"
    );

    // Forced the other way, the option contradicts most of the column: a located error.
    let o = IngestOptions {
        date_order: Some(clientele::ingest::DateOrder::Dmy),
        ..Default::default()
    };
    let e = read(csv.as_bytes(), &o).unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::AmbiguousDates);
    assert!(
        e.message.contains(&format!("{tell} dates only read month first")),
        "{e}"
    );
    assert!(e.message.contains("--date-order mdy"), "{e}");
    // Forced with a few rows against it, those rows are counted apart, not as unreadable.
    let (_, r) = read(
        b"customer,date,amount\nA,01/02/2024,1\nB,25/01/2024,2\nC,01/31/2024,3\nD,02/02/2024,4\n",
        &o,
    )
    .unwrap();
    assert_eq!(skip(&r, SkipReason::DateOrderConflict), (1, vec![4]));
    assert_eq!(skip(&r, SkipReason::BadDate).0, 0);
    balanced(&r);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("the date_order option") && w.message.contains("--date-order mdy")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn an_even_split_is_still_an_error_with_counts() {
    let e = read(
        b"customer,date,amount\nA,13/02/2024,1\nB,02/13/2024,2\nC,14/02/2024,3\nD,02/14/2024,4\n",
        &IngestOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind, IngestErrorKind::AmbiguousDates);
    assert!(
        e.message.contains("2 rows do") && e.message.contains("--date-order"),
        "{e}"
    );
}

#[test]
fn customer_tables_set_apart_impossible_last_orders() {
    let mut csv = String::from("Customer ID,Total Orders,Total Spent,Last Order Date\n");
    for i in 0..100 {
        csv.push_str(&format!("{i},2,30,2024-{:02}-{:02}\n", 1 + i % 12, 1 + i % 28));
    }
    csv.push_str("900,1,10,2104-03-01\n901,1,10,1900-01-01\n");
    let (table, q) = read_table_from(csv.as_bytes(), None, &IngestOptions::default(), &mut |_| true).unwrap();
    let Table::Customers(level) = table else { panic!() };
    let (customers, q) = clientele::customers::from_level(level, None, q).unwrap();
    assert_eq!(customers.as_of, date("2024-12-29"));
    assert_eq!(skip(&q, SkipReason::DateOutlier), (2, vec![102, 103]));
    balanced(&q);
    let d = q.dates.as_ref().unwrap();
    assert_eq!(
        (d.outliers.min, d.outliers.max),
        (Some(date("1900-01-01")), Some(date("2104-03-01")))
    );

    let (table, q) = read_table_from(csv.as_bytes(), None, &today("2025-01-01"), &mut |_| true).unwrap();
    let Table::Customers(level) = table else { panic!() };
    let (_, q) = clientele::customers::from_level(level, None, q).unwrap();
    assert_eq!(skip(&q, SkipReason::FutureDate), (1, vec![102]));
    assert_eq!(skip(&q, SkipReason::DateOutlier), (1, vec![103]));
}

#[test]
fn customer_tables_count_last_orders_in_the_other_order() {
    let mut csv = String::from("Customer ID,Total Orders,Total Spent,Last Order Date\n");
    for i in 0..50 {
        csv.push_str(&format!("{i},2,30,{:02}/{:02}/2024\n", 1 + i % 12, 1 + i % 28));
    }
    csv.push_str("900,1,10,25/03/2024\n");
    let (table, q) = read_table_from(csv.as_bytes(), None, &IngestOptions::default(), &mut |_| true).unwrap();
    let Table::Customers(level) = table else { panic!() };
    let (customers, q) = clientele::customers::from_level(level, None, q).unwrap();
    assert_eq!(customers.len(), 50);
    assert_eq!(skip(&q, SkipReason::DateOrderConflict), (1, vec![52]));
    balanced(&q);
    assert!(
        q.warnings
            .iter()
            .any(|w| w.message.contains("\"Last Order Date\"")
                && w.message.contains("1 rows can only be day first")
                && w.message.contains("--date-order dmy")),
        "{:?}",
        q.warnings
    );
}
