//! The `clientele` command line: summary, the same export bytes as the library, and located
//! messages with exit code 1 for bad files (2 for usage errors).
mod common;

use std::path::Path;
use std::process::Command;

fn clientele(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clientele"))
        .args(args)
        .output()
        .expect("run clientele");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("clientele-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn summary_and_export_of_the_cdnow_sample() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let csv = temp("cdnow.csv", b"");
    let json = temp("cdnow.json", b"");
    let (code, out, err) = clientele(&[
        "analyze",
        sample.to_str().unwrap(),
        "--customers-csv",
        csv.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let exported = std::fs::read_to_string(&csv).unwrap();
    let bytes = std::fs::read(&sample).unwrap();
    let report =
        clientele::report::analyze(&bytes, &Default::default(), &mut |_| {}).expect("library analyze");
    // 2,357 customers, or 2,349 once zero-value lines are skipped by default (issue 11: eight
    // CDNOW customers only ever bought at 0.00).
    let customers = report.summary.customers;
    assert!(customers == 2357 || customers == 2349, "{customers}");
    assert!(out.contains(&format!("{customers} customers")), "{out}");
    assert!(out.contains("Champions"), "{out}");
    assert_eq!(
        exported,
        clientele::report::customers_csv(&report),
        "CLI and library export differ"
    );
    assert_eq!(exported.lines().count(), customers + 1);
    let parsed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(parsed["summary"]["customers"], customers);
}

#[test]
fn as_of_and_horizon_options() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let (code, out, err) = clientele(&[
        "analyze",
        sample.to_str().unwrap(),
        "--as-of",
        "1998-01-01",
        "--horizon-days",
        "60",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("as of 1998-01-01"), "{out}");
    assert!(out.contains("next 60 days"), "{out}");
}

#[test]
fn bad_files_give_located_messages() {
    let cases: [(&str, &[u8], &[&str]); 4] = [
        ("empty.csv", b"", &["empty.csv", "empty"]),
        (
            "binary.bin",
            b"\x00\x01\x02\x03\xff\xfe\x00\x00PK\x03\x04\x00\x00",
            &["binary.bin"],
        ),
        (
            "nodate.csv",
            b"customer,amount\n1,10\n2,20\n",
            &["nodate.csv", "date"],
        ),
        (
            "dates.csv",
            b"customer,date,amount\n1,hello,3\n2,world,4\n3,nope,5\n",
            &["dates.csv", "row 2", "date"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let path = temp(name, bytes);
        let (code, _out, err) = clientele(&["analyze", path.to_str().unwrap()]);
        assert_eq!(code, 1, "{name}: {err}");
        for needle in needles {
            assert!(
                err.to_lowercase().contains(&needle.to_lowercase()),
                "{name}: {needle:?} not in {err:?}"
            );
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(clientele(&[]).0, 2);
    assert_eq!(clientele(&["analyze"]).0, 2);
    assert_eq!(clientele(&["analyze", "x.csv", "--as-of", "tomorrow"]).0, 2);
    assert_eq!(clientele(&["frobnicate"]).0, 2);
    assert_eq!(clientele(&["analyze", "x.csv", "--k", "many"]).0, 2);
    assert_eq!(clientele(&["analyze", "x.csv", "--table", "orders"]).0, 2);
}

#[test]
fn invalid_options_name_their_path() {
    let (code, _, err) = clientele(&["analyze", "x.csv", "--k", "99"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("invalid option cluster.k: must be between 2 and 20 clusters, got 99"),
        "{err}"
    );
}

#[test]
fn sections_flag_computes_only_those_and_names_a_bad_one() {
    let (code, _, err) = clientele(&["analyze", "x.csv", "--sections", "rfm,cohort"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("invalid option sections[1]: unknown variant `cohort`"),
        "{err}"
    );
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/sample/CDNOW_sample.txt");
    let json = temp("sections.json", b"");
    let (code, out, err) = clientele(&[
        "analyze",
        sample.to_str().unwrap(),
        "--sections",
        "rfm,clusters",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["clusters"]["status"], "ok");
    assert_eq!(report["cohorts"]["code"], "not_requested");
    assert_eq!(report["clv"]["code"], "not_requested");
    assert!(
        out.contains("unavailable: this section was not asked for"),
        "{out}"
    );
}

fn fixture(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    path.to_string_lossy().into_owned()
}

#[test]
fn customer_tables_sheets_and_the_reading_options() {
    let shopify = fixture("customer_table/shopify_customers.csv");
    let (code, out, err) = clientele(&["analyze", &shopify]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("one row per customer"), "{out}");
    assert!(out.contains("propensity: unavailable"), "{out}");
    let (code, out, _) = clientele(&["analyze", &shopify, "--table", "transactions"]);
    assert_eq!(code, 0);
    assert!(!out.contains("one row per customer"), "{out}");
    // The notes sheet in front of the table, chosen by name: a located error.
    let book = fixture("excel/two_sheets.xlsx");
    let (code, _, err) = clientele(&["analyze", &book, "--sheet", "Notes"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("two_sheets.xlsx"), "{err}");
    let (code, _, err) = clientele(&["analyze", &book, "--sheet", "Nope"]);
    assert_eq!(code, 1);
    assert!(err.contains("\"Notes\", \"Orders\""), "{err}");
    let (code, _, err) = clientele(&["analyze", &shopify, "--date-order", "ymd"]);
    assert_eq!(code, 1);
    assert!(err.contains("date_order"), "{err}");
    let (code, _, err) = clientele(&["analyze", &shopify, "--encoding", "klingon"]);
    assert_eq!(code, 1);
    assert!(err.contains("encoding"), "{err}");
}

/// A dunnhumby-style basket file: `AMOUNT` is an item count (1–20), `SALES_PRICE` the line
/// total, `ASSET` a cost. Returns the CSV text and the sum of `SALES_PRICE` in cents.
fn basket_file() -> (String, i64) {
    let mut csv = String::from("household_key,BASKET_ID,DAY,PRODUCT_ID,AMOUNT,ASSET,SALES_PRICE\n");
    let mut cents = 0i64;
    let mut basket = 1000;
    for household in 1..=24i64 {
        for visit in 0..(1 + household % 4) {
            basket += 1;
            let day = 1 + (household * 7 + visit * 11) % 28;
            for line in 0..(1 + (household + visit) % 3) {
                let count = 1 + (household * 3 + visit + line) % 20;
                let price = 150 + (household * 37 + line * 91 + visit * 13) % 900; // cents
                cents += price;
                csv.push_str(&format!(
                    "{household},{basket},2024-03-{day:02},{},{count},{}.{:02},{}.{:02}\n",
                    500 + line,
                    price * 6 / 1000,
                    (price * 6 / 10) % 100,
                    price / 100,
                    price % 100
                ));
            }
        }
    }
    (csv, cents)
}

fn report_json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn column_flag_by_header_and_by_index() {
    let (csv, cents) = basket_file();
    let file = temp("basket.csv", csv.as_bytes());
    let expected = format!("revenue {}.{:02}", cents / 100, cents % 100);
    for (i, column) in ["amount=SALES_PRICE", "amount=6"].into_iter().enumerate() {
        let json = temp(&format!("basket{i}.json"), b"");
        let (code, out, err) = clientele(&[
            "analyze",
            file.to_str().unwrap(),
            "--column",
            column,
            "--json",
            json.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{column}: {err}");
        assert!(out.contains(&expected), "{column}: {expected:?} not in {out}");
        assert!(out.contains("amount = \"SALES_PRICE\""), "{out}");
        let report = report_json(&json);
        let sales = &report["quality"]["columns"][6];
        assert_eq!(sales["role"], "amount", "{sales}");
        assert_eq!(sales["detected_by"], "option", "{sales}");
        assert_ne!(report["quality"]["columns"][4]["role"], "amount");
    }
}

/// `ROLE=` means no column has the role. Needs the ingest branch (empty column = none).
#[test]
fn column_flag_with_nothing_after_the_equals_sign() {
    let (csv, _) = basket_file();
    let file = temp("basket_none.csv", csv.as_bytes());
    let json = temp("basket_none.json", b"");
    let (code, _out, err) = clientele(&[
        "analyze",
        file.to_str().unwrap(),
        "--column",
        "amount=SALES_PRICE",
        "--column",
        "quantity=",
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let report = report_json(&json);
    let columns = report["quality"]["columns"].as_array().unwrap();
    assert!(columns.iter().all(|c| c["role"] != "quantity"), "{columns:?}");
    assert_eq!(columns[6]["role"], "amount");
}

#[test]
fn bad_column_flags_are_usage_errors_naming_the_roles() {
    for bad in ["amout=SALES_PRICE", "SALES_PRICE", "=3"] {
        let (code, _out, err) = clientele(&["analyze", "x.csv", "--column", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("--column"), "{bad}: {err}");
        for role in ["customer", "unit_price", "days_since_last_order"] {
            assert!(err.contains(role), "{bad}: {role} not in {err}");
        }
    }
    let (code, _out, err) = clientele(&["analyze", "x.csv", "--tie-rule", "dense"]);
    assert_eq!(code, 2);
    assert!(err.contains("rank_min") && err.contains("rank_first"), "{err}");
}

/// 120 days of history and a 90-day horizon: the propensity model trains on 30 days and the
/// CLV projection is longer than the history; the CLI prints the sections' warnings. Needs the
/// warnings branch (sections carry `warnings`).
#[test]
fn section_warnings_are_printed() {
    let mut csv = String::from("customer_id,order_id,order_date,amount\n");
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut order = 0;
    for c in 0..300u32 {
        for k in 0..(1 + c % 4) {
            order += 1;
            let day = start + chrono::Days::new(u64::from((c * 17 + k * 29) % 120));
            csv.push_str(&format!("C{c},{order},{day},{}.50\n", 10 + (c * 7 + k) % 90));
        }
    }
    let file = temp("short_history.csv", csv.as_bytes());
    let out_csv = temp("short_history_customers.csv", b"");
    let (code, out, err) = clientele(&[
        "analyze",
        file.to_str().unwrap(),
        "--horizon-days",
        "90",
        "--customers-csv",
        out_csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("  warning: "), "no section warning in {out}");
    let notes = std::fs::read_to_string(format!("{}.notes.txt", out_csv.display())).expect("notes file");
    assert!(notes.contains("p_buy"), "{notes}");
}

/// No amount column: revenue is n/a, not 0.00; no order column: purchase days, not orders.
/// Needs the analysis branch (`summary.revenue` null, `frequency_unit`).
#[test]
fn unknown_is_printed_as_unknown() {
    let mut csv = String::from("customer,date\n");
    for c in 0..40u32 {
        for k in 0..(1 + c % 3) {
            csv.push_str(&format!("{c},2024-02-{:02}\n", 1 + (c + 5 * k) % 28));
        }
    }
    let file = temp("no_amount.csv", csv.as_bytes());
    let out_csv = temp("no_amount_customers.csv", b"");
    let (code, out, err) = clientele(&[
        "analyze",
        file.to_str().unwrap(),
        "--customers-csv",
        out_csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("revenue n/a"), "{out}");
    assert!(!out.contains("revenue 0.00"), "{out}");
    assert!(out.contains("purchase days"), "{out}");
    let notes = std::fs::read_to_string(format!("{}.notes.txt", out_csv.display())).expect("notes file");
    assert!(notes.contains("monetary"), "{notes}");
}

/// Issue 12, finding 5: the CLI gives the core today's date (so a 2104 typo is after today),
/// `--today` overrides it, and `--keep-outlier-dates` keeps such dates as purchases.
#[test]
fn dates_after_today_and_outliers_are_skipped_and_can_be_kept() {
    let mut csv = String::from("customer,date,amount\n");
    for i in 0..3000 {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
            + chrono::Duration::days((i * 7 % 366) as i64);
        let date = if i == 998 {
            "2104-03-01".to_string()
        } else {
            day.to_string()
        };
        csv.push_str(&format!("c{},{date},10\n", i % 300));
    }
    let file = temp("typo2104.csv", csv.as_bytes());
    let path = file.to_str().unwrap();
    let (code, out, err) = clientele(&["analyze", path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("as of 2025-01-01"), "{out}");
    assert!(
        out.contains("dates after today: 1 rows, 2104-03-01 to 2104-03-01 (row 1000: 2104-03-01), skipped"),
        "{out}"
    );
    assert!(out.contains("after the day of the analysis"), "{out}");
    // A day before the file's last: the later 2024 dates are after it, and the 2104 one is too.
    let (code, out, err) = clientele(&["analyze", path, "--today", "2024-12-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("as of 2024-12-03"), "{out}");
    let (code, out, err) = clientele(&["analyze", path, "--keep-outlier-dates"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("as of 2104-03-02"), "{out}");
    assert!(out.contains("kept (--keep-outlier-dates)"), "{out}");
    let (code, _, err) = clientele(&["analyze", path, "--today", "tomorrow"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--today: expected a date like 2024-12-31"), "{err}");
    let (_, _, help) = clientele(&["--help"]);
    assert!(
        help.contains("--keep-outlier-dates") && help.contains("--today YYYY-MM-DD"),
        "{help}"
    );
}

#[test]
fn csv_for_excel_starts_with_a_byte_order_mark() {
    let sample = common::data_path("cdnow/CDNOW_sample.txt");
    let plain = temp("plain.csv", b"");
    let excel = temp("excel.csv", b"");
    let run = |out: &Path, extra: &[&str]| {
        let mut args = vec![
            "analyze",
            sample.to_str().unwrap(),
            "--customers-csv",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let (code, _, err) = clientele(&args);
        assert_eq!(code, 0, "{err}");
        std::fs::read(out).unwrap()
    };
    let plain = run(&plain, &[]);
    let excel = run(&excel, &["--csv-for-excel"]);
    assert!(!plain.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(&excel[..3], b"\xEF\xBB\xBF");
    assert_eq!(&excel[3..], &plain[..], "the same export after the mark");
}

/// A workbook that makes calamine panic is a located "damaged" error with exit code 1, and the
/// caught panic's message and backtrace hint stay out of the terminal.
#[test]
fn a_workbook_calamine_panics_on_is_a_clean_error() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/excel/fuzz_merge_cells.xls");
    let (code, _, err) = clientele(&["analyze", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("damaged") && err.contains("fuzz_merge_cells.xls"),
        "{err}"
    );
    assert!(
        !err.contains("panicked at") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}
