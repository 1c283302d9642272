//! Parquet in (issue 19), through the ordinary entry point: the same figures as the text of the
//! same rows (CDNOW sample with date32 dates, decimal dollars and dictionary ids in several
//! snappy row groups; the head of Online Retail with timestamp[ns] dates, gzip), a per-customer
//! summary in Parquet, and located errors for what is not read (zstd, a nested column). The
//! fixtures are made by tests/fixtures/parquet/make_parquet_fixtures.py (pyarrow).
#![cfg(feature = "parquet")]
mod common;

use clientele::ingest::{read_table_from, IngestOptions, Table, TableKind};
use clientele::report::{analyze, AnalyzeOptions};
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/parquet/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn options(file: &str) -> AnalyzeOptions {
    let mut o = AnalyzeOptions::default();
    o.ingest.today = Some("2026-01-01".into());
    o.ingest.file_name = Some(file.into());
    o.run.cross_sell = false;
    o
}

fn figures(bytes: &[u8], o: &AnalyzeOptions) -> (Value, Value) {
    let r = analyze(bytes, o, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let v = serde_json::to_value(&r).unwrap();
    let mut f = v.clone();
    f.as_object_mut().unwrap().remove("quality");
    (f, v["quality"].clone())
}

#[test]
fn cdnow_sample_typed_columns_give_the_text_figures() {
    let text = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).unwrap();
    let mut o = options("CDNOW_sample.txt");
    // The text file has no header: name the roles the Parquet file's names give.
    o.ingest.roles = vec![
        (clientele::ingest::Role::Customer, "0".into()),
        (clientele::ingest::Role::Date, "2".into()),
        (clientele::ingest::Role::Quantity, "3".into()),
        (clientele::ingest::Role::Amount, "4".into()),
    ];
    let (from_text, _) = figures(&text, &o);
    let (from_parquet, q) = figures(&fixture("cdnow_sample.parquet"), &options("cdnow_sample.parquet"));
    assert_eq!(from_parquet, from_text);
    assert_eq!(q["rows_read"], 6919);
    let encoding = q["encoding"].as_str().unwrap();
    assert!(
        encoding.contains("Parquet") && encoding.contains("4 row groups") && encoding.contains("snappy"),
        "{encoding}"
    );
}

#[test]
fn online_retail_timestamps_and_gzip() {
    let text = std::fs::read_to_string(common::data_path("online_retail/online_retail.csv")).unwrap();
    let head: String = text.lines().take(5001).flat_map(|l| [l, "\n"]).collect();
    let (from_text, qt) = figures(head.as_bytes(), &options("head.csv"));
    let (from_parquet, qp) = figures(&fixture("online_retail_head.parquet"), &options("head.parquet"));
    assert_eq!(from_parquet["customers"], from_text["customers"]);
    assert_eq!(from_parquet["rfm"], from_text["rfm"]);
    assert_eq!(
        (&qp["rows_read"], &qp["rows_used"]),
        (&qt["rows_read"], &qt["rows_used"])
    );
    assert_eq!(qp["skipped"], qt["skipped"]);
    assert_eq!(qp["columns"].as_array().unwrap().len(), 8);
}

#[test]
fn utc_instants_are_named() {
    let (_, q) = figures(&fixture("online_retail_utc.parquet"), &options("utc.parquet"));
    let warnings: Vec<&str> = q["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["message"].as_str())
        .collect();
    let utc = q["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "parquet_utc");
    assert_eq!(
        utc.map(|w| &w["params"]["column"]),
        Some(&Value::from("InvoiceDate"))
    );
    let warnings = warnings.join(" ");
    assert!(
        warnings.contains("\"InvoiceDate\" holds instants in UTC"),
        "{warnings}"
    );
}

#[test]
fn what_is_not_read_is_a_located_error() {
    let o = IngestOptions {
        file_name: Some("z.parquet".into()),
        ..Default::default()
    };
    let e = read_table_from(fixture("zstd.parquet").as_slice(), None, &o, &mut |_| true).unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("z.parquet, column \"customer_id\": row group 0:") && text.contains("zstd"),
        "{text}"
    );
    let e = read_table_from(fixture("nested.parquet").as_slice(), None, &o, &mut |_| true).unwrap_err();
    assert_eq!(e.column.as_deref(), Some("dates"), "{e}");
    assert!(e.to_string().contains("nested"), "{e}");
    // Cut short: the footer is gone.
    let mut cut = fixture("cdnow_sample.parquet");
    cut.truncate(cut.len() / 2);
    let e = read_table_from(cut.as_slice(), None, &o, &mut |_| true).unwrap_err();
    assert!(e.to_string().contains("could not be opened"), "{e}");
}

#[test]
fn a_summary_in_parquet_gives_the_transactions_figures() {
    let text = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).unwrap();
    let mut o = options("CDNOW_sample.txt");
    o.run.lifecycle = false;
    o.run.cohorts = false;
    o.run.migration = false;
    let (mut from_text, _) = figures(&text, &o);
    let mut s = options("summary.parquet");
    s.run = o.run.clone();
    let bytes = fixture("cdnow_sample_summary.parquet");
    let (table, _) = read_table_from(bytes.as_slice(), None, &s.ingest, &mut |_| true).unwrap();
    assert!(matches!(table, Table::Summary(_)));
    let (mut from_summary, q) = figures(&bytes, &s);
    assert_eq!(q["table"], serde_json::to_value(TableKind::Summary).unwrap());
    for v in [&mut from_text, &mut from_summary] {
        if let Some(t) = v.pointer_mut("/clv/model_choice/comparison/tracking/actual") {
            *t = Value::Array(vec![]);
        }
    }
    for key in ["customers", "rfm", "clusters", "propensity", "clv", "summary"] {
        assert_eq!(from_summary[key], from_text[key], "{key}");
    }
}
