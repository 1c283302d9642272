//! Property: for any table of valid-looking and broken rows, every row is accounted for
//! (rows_used + Σ skipped = rows_read) and each customer's purchase total equals a
//! straightforward recomputation from the same rows.
use clientele::ingest::{read, IngestErrorKind, IngestOptions};
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Row {
    customer: Option<u8>,
    day: u32,
    cents: Option<i64>,
    cancelled: bool,
    slash_date: bool,
}

fn row() -> impl Strategy<Value = Row> {
    (
        prop::option::weighted(0.9, 0u8..20),
        0u32..360,
        prop::option::weighted(0.9, -5_000i64..200_000),
        prop::bool::weighted(0.1),
        any::<bool>(),
    )
        .prop_map(|(customer, day, cents, cancelled, slash_date)| Row {
            customer,
            day,
            cents,
            cancelled,
            slash_date,
        })
}

fn render(rows: &[Row], sep: char) -> String {
    let mut s = format!("Invoice{sep}Customer ID{sep}Order Date{sep}Revenue\n");
    for (i, r) in rows.iter().enumerate() {
        let date =
            chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Duration::days(r.day as i64);
        let date = if r.slash_date {
            // Year first with slashes: unambiguous, mixed freely with ISO.
            date.format("%Y/%m/%d").to_string()
        } else {
            date.and_hms_opt(9, 30, 0)
                .unwrap()
                .format("%Y-%m-%d %H:%M")
                .to_string()
        };
        let amount = match r.cents {
            Some(c) => format!(
                "{}{}.{:02}",
                if c < 0 { "-" } else { "" },
                c.abs() / 100,
                c.abs() % 100
            ),
            None => "oops".into(),
        };
        let customer = r.customer.map(|c| format!("cust{c:03}")).unwrap_or_default();
        let invoice = if r.cancelled {
            format!("C{i}")
        } else {
            format!("{}", 1000 + i / 3)
        };
        s.push_str(&format!("{invoice}{sep}{customer}{sep}{date}{sep}{amount}\n"));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_row_accounted_and_totals_match(rows in prop::collection::vec(row(), 1..120), tab in any::<bool>()) {
        let text = render(&rows, if tab { '\t' } else { ',' });
        let mut want: BTreeMap<String, f64> = BTreeMap::new();
        let (mut bad, mut good, mut used) = (0, 0, 0);
        for r in &rows {
            let Some(c) = r.customer else { continue };
            match r.cents {
                None => bad += 1,
                Some(cents) => {
                    good += 1;
                    // Zero-value lines are skipped by default (zero_amount), returns kept apart.
                    if cents > 0 && !r.cancelled {
                        used += 1;
                        *want.entry(format!("cust{c:03}")).or_default() += cents as f64 / 100.0;
                    }
                }
            }
        }
        match read(text.as_bytes(), &IngestOptions::default()) {
            Ok((tx, r)) => {
                prop_assert_eq!(r.rows_read, rows.len() as u64);
                let skipped: u64 = r.skipped.iter().map(|s| s.rows).sum();
                prop_assert_eq!(r.rows_used + skipped, r.rows_read);
                prop_assert_eq!(r.rows_used, used);
                let mut got: BTreeMap<String, f64> = BTreeMap::new();
                for (c, a) in tx.customer.iter().zip(&tx.amount) {
                    *got.entry(tx.customer_ids[*c as usize].clone()).or_default() += a;
                }
                prop_assert_eq!(got.len(), want.len());
                for (k, v) in &want {
                    prop_assert!((got[k] - v).abs() < 1e-6, "{}: {} vs {}", k, got[k], v);
                }
            }
            Err(e) => {
                // Allowed only when the file really is mostly broken or has nothing usable.
                match e.kind {
                    IngestErrorKind::BadAmounts => prop_assert!(bad > good, "{}", e),
                    IngestErrorKind::NoUsableRows => prop_assert!(used == 0, "{}", e),
                    _ => prop_assert!(false, "unexpected error: {}", e),
                }
            }
        }
    }
}

fn csvish() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ",",
            ";",
            "\t",
            "|",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\"",
            "\"\"",
            "A",
            "c1",
            "2024-01-05",
            "12/31/2024",
            "31/12/2024",
            "2024年1月5日",
            "1,234.56",
            "(3.00)",
            "-",
            "C536379",
            "NaN",
            "¥",
            "客户ID",
            "date",
            "amount",
            "customer",
            "\u{feff}",
            "\0",
            "é",
            "\u{fffd}",
        ]),
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// Whatever the bytes, reading returns a report or an error: it never panics.
    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = read(&bytes, &IngestOptions::default());
    }

    #[test]
    fn never_panics_on_csv_like_text(text in csvish(), header in prop::option::of(any::<bool>())) {
        let o = IngestOptions { has_header: header, ..Default::default() };
        if let Ok((tx, r)) = read(text.as_bytes(), &o) {
            let skipped: u64 = r.skipped.iter().map(|s| s.rows).sum();
            prop_assert_eq!(r.rows_used + skipped, r.rows_read);
            prop_assert_eq!(tx.len() as u64, r.rows_used);
            prop_assert!(tx.amount.iter().all(|a| a.is_finite() && *a >= 0.0));
        }
    }
}
