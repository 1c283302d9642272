//! The `clientele` command line: summary, the same export bytes as the library, and located
//! messages with exit code 1 for bad files (2 for usage errors).
mod common;

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
    assert!(out.contains("2357 customers"), "{out}");
    assert!(out.contains("Champions"), "{out}");
    let exported = std::fs::read_to_string(&csv).unwrap();
    let bytes = std::fs::read(&sample).unwrap();
    let report =
        clientele::report::analyze(&bytes, &Default::default(), &mut |_| {}).expect("library analyze");
    assert_eq!(
        exported,
        clientele::report::customers_csv(&report),
        "CLI and library export differ"
    );
    assert_eq!(exported.lines().count(), 2358);
    let parsed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(parsed["summary"]["customers"], 2357);
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
