//! Issue 19: every analysis run on the per-customer summary (`docs/summary-contract.md`),
//! written as CSV by `clientele::summary` and read back through the ordinary entry point, gives
//! the same figures as on the transactions, on the real files of `../shared/data/`: the
//! customer table, RFM, clusters, propensity and lifetime value, field by field of the Report
//! (all but the CLV tracking curve's observed line, which needs the purchase days).
mod common;

use clientele::ingest::{self, IngestOptions, TableKind};
use clientele::report::{analyze, analyze_transactions, AnalyzeOptions};
use clientele::summary::{summarize, write_csv, SummaryParams};
use serde_json::Value;

fn options() -> AnalyzeOptions {
    let mut o = AnalyzeOptions::default();
    o.run.lifecycle = false;
    o.run.cross_sell = false;
    o.run.cohorts = false;
    o.run.migration = false;
    o.ingest.today = Some("2026-01-01".into());
    o
}

/// The summary CSV of `bytes` (read with `options`), and the Report of the transactions.
fn raw_and_summary(bytes: &[u8], options: &AnalyzeOptions) -> (Value, Vec<u8>) {
    let (tx, quality) = ingest::read(bytes, &options.ingest).expect("read");
    let raw = analyze_transactions(&tx, quality, options, &mut |_| {}).expect("raw");
    let params = SummaryParams::of(options);
    let summary = summarize(&tx, &params).expect("summary");
    let mut csv = Vec::new();
    write_csv(&summary, &mut csv).expect("csv");
    (serde_json::to_value(&raw).unwrap(), csv)
}

/// The parts of a Report a summary must reproduce.
fn figures(mut r: Value) -> Value {
    let customers = r["customers"].as_object_mut().unwrap();
    customers.remove("lifecycle_stage");
    customers.remove("next_product");
    if let Some(t) = r.pointer_mut("/clv/model_choice/comparison/tracking/actual") {
        *t = Value::Array(vec![]);
    }
    serde_json::json!({
        "as_of": r["as_of"],
        "summary": r["summary"],
        "customers": r["customers"],
        "rfm": r["rfm"],
        "clusters": r["clusters"],
        "propensity": r["propensity"],
        "clv": r["clv"],
    })
}

/// Where two JSON values first differ, as a path.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let d = first_difference(v, y.get(k).unwrap_or(&Value::Null), &format!("{path}/{k}"));
                if d.is_some() {
                    return d;
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}/{k} only in the summary's"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}/{i}"))),
        _ if a == b => None,
        _ => Some(format!(
            "{path}: {} vs {}",
            truncate(a.to_string()),
            truncate(b.to_string())
        )),
    }
}

fn truncate(s: String) -> String {
    s.chars().take(200).collect()
}

fn same_figures(file: &str, options: AnalyzeOptions) -> Value {
    let bytes = std::fs::read(common::data_path(file)).expect("data");
    let (raw, csv) = raw_and_summary(&bytes, &options);
    let mut read_back = options.clone();
    read_back.ingest = IngestOptions {
        file_name: Some("summary.csv".into()),
        ..Default::default()
    };
    let from_summary = analyze(&csv, &read_back, &mut |_| {}).expect("analyze the summary");
    assert_eq!(from_summary.quality.table, TableKind::Summary);
    let from_summary = serde_json::to_value(&from_summary).unwrap();
    for section in ["clusters", "propensity", "clv"] {
        assert_eq!(raw[section]["status"], "ok", "{file}: {section} {}", raw[section]);
    }
    let (a, b) = (figures(raw.clone()), figures(from_summary.clone()));
    if let Some(d) = first_difference(&a, &b, "") {
        panic!("{file}: the summary's report differs at {d}");
    }
    for section in ["lifecycle", "cohorts", "migration", "cross_sell"] {
        assert_eq!(from_summary[section]["status"], "skipped");
    }
    from_summary
}

#[test]
fn online_retail_orders_and_returns() {
    same_figures("online_retail/online_retail.csv", options());
}

#[test]
fn cdnow_master_purchase_days() {
    same_figures("cdnow/CDNOW_master.txt", options());
}

#[test]
fn cdnow_sample_with_a_calibration_end_and_days() {
    let mut o = options();
    o.clv.calibration_end = chrono::NaiveDate::from_ymd_opt(1997, 9, 30);
    o.clv.time_unit = clientele::clv::TimeUnit::Days;
    o.propensity.horizon_days = 120;
    same_figures("cdnow/CDNOW_sample.txt", o);
}

#[test]
fn grocery_without_amounts() {
    let r = same_figures("grocery/groceryElog.csv", options());
    assert_eq!(r["summary"]["has_amount"], false);
}

#[test]
fn sections_that_need_the_purchases_say_so_and_other_dates_are_refused() {
    let bytes = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).expect("data");
    let (_, csv) = raw_and_summary(&bytes, &options());
    let mut o = AnalyzeOptions::default();
    o.propensity.horizon_days = 60;
    o.clv.holdout_days = Some(100);
    let r = serde_json::to_value(analyze(&csv, &o, &mut |_| {}).unwrap()).unwrap();
    for section in ["lifecycle", "cohorts", "migration", "cross_sell"] {
        assert_eq!(r[section]["status"], "unavailable");
        assert!(r[section]["reason"]
            .as_str()
            .unwrap()
            .contains("per-customer summary"));
    }
    let reason = r["propensity"]["reason"].as_str().unwrap();
    assert!(reason.contains("--horizon-days 60"), "{reason}");
    let reason = r["clv"]["reason"].as_str().unwrap();
    assert!(reason.contains("CLV cut"), "{reason}");
    o.as_of = chrono::NaiveDate::from_ymd_opt(1998, 1, 1);
    let e = analyze(&csv, &o, &mut |_| {}).unwrap_err().to_string();
    assert!(e.contains("as_of") && e.contains("1998-07-01"), "{e}");
}

#[test]
fn a_bad_cell_is_located() {
    let bytes = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).expect("data");
    let (_, csv) = raw_and_summary(&bytes, &options());
    let text = String::from_utf8(csv).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let mut cells: Vec<&str> = lines[3].split(',').collect();
    cells[9] = "many";
    lines[3] = cells.join(",");
    let o = AnalyzeOptions {
        ingest: IngestOptions {
            file_name: Some("s.csv".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let e = analyze(lines.join("\n").as_bytes(), &o, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("s.csv, row 4, column \"orders\""), "{e}");
    // A summary read as transactions when asked to: the override is honoured.
    let mut o = o.clone();
    o.ingest.table = Some(TableKind::Transactions);
    let r = analyze(text.as_bytes(), &o, &mut |_| {});
    assert!(r.map_or(true, |r| r.quality.table == TableKind::Transactions));
}

/// The summary written as Parquet (typed: DATE, int32, double, boolean) reads back to the
/// Report the CSV gives.
#[cfg(feature = "parquet")]
#[test]
fn the_parquet_summary_reads_as_the_csv_one() {
    let bytes = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).expect("data");
    let (tx, _) = ingest::read(&bytes, &options().ingest).expect("read");
    let summary = summarize(&tx, &SummaryParams::default()).expect("summary");
    let (mut csv, mut parquet) = (Vec::new(), Vec::new());
    write_csv(&summary, &mut csv).unwrap();
    clientele::summary::write_parquet(&summary, &mut parquet).unwrap();
    let o = AnalyzeOptions::default();
    let a = serde_json::to_value(analyze(&csv, &o, &mut |_| {}).unwrap()).unwrap();
    let b = serde_json::to_value(analyze(&parquet, &o, &mut |_| {}).unwrap()).unwrap();
    if let Some(d) = first_difference(&figures(a), &figures(b), "") {
        panic!("Parquet summary differs at {d}");
    }
}
