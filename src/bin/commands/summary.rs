//! `clientele summary FILE -o OUT.csv`: the per-customer summary of issue 19
//! (`docs/summary-contract.md`) of a transaction file, at the dates the options give (as-of,
//! propensity horizon, CLV cut), for `clientele analyze OUT.csv` or a warehouse to compare with.

use clientele::ingest::{read_table_from, Table};
use clientele::report::AnalyzeOptions;
use clientele::summary::{summarize, write_csv, SummaryParams};
use serde_json::{json, Value};
use std::path::Path;

pub const USAGE: &str =
    "usage: clientele summary FILE -o OUT.csv|OUT.parquet [--as-of YYYY-MM-DD] [--horizon-days N] \
[--holdout-days N] [--calibration-end YYYY-MM-DD] [the reading options of analyze]
  writes one row per customer with the statistics RFM, clusters, propensity and lifetime value
  need (docs/summary-contract.md); `clientele analyze OUT.csv` gives the same figures";

/// `--holdout-days N` / `--calibration-end DATE` into the options' JSON (`clv.…`).
pub fn parse_clv_flag(flag: &str, value: &str, overrides: &mut Value) -> Result<(), String> {
    let clv = match flag {
        "--holdout-days" => json!({"holdout_days": value
            .parse::<u32>()
            .map_err(|_| format!("--holdout-days: expected a whole number of days, found \"{value}\""))?}),
        _ => {
            chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
                format!("--calibration-end: expected a date like 2024-01-31, found \"{value}\"")
            })?;
            json!({ "calibration_end": value })
        }
    };
    super::merge_json(overrides, json!({ "clv": clv }));
    Ok(())
}

/// CSV, or Parquet for an `OUT.parquet` (in a build with the `parquet` feature).
fn write(
    summary: &clientele::ingest::CustomerSummary,
    out: impl std::io::Write + Send,
    parquet: bool,
) -> Result<(), String> {
    if parquet {
        #[cfg(feature = "parquet")]
        return clientele::summary::write_parquet(summary, out).map_err(|e| e.to_string());
        #[cfg(not(feature = "parquet"))]
        return Err("this build has no Parquet writer (the `parquet` feature): write OUT.csv".into());
    }
    write_csv(summary, out).map_err(|e| e.to_string())
}

/// Reads `file` (streamed), summarizes its transactions and writes the summary to `out`.
pub fn run(file: &Path, out: &Path, options: &AnalyzeOptions) -> Result<(), String> {
    let reader = std::fs::File::open(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let size = reader.metadata().ok().map(|m| m.len());
    let (table, quality) =
        read_table_from(reader, size, &options.ingest, &mut |_| true).map_err(|e| e.to_string())?;
    let Table::Transactions(tx) = table else {
        return Err(format!(
            "{}: this is a table with one row per customer ({:?}), not transactions: a summary is computed from the purchases",
            file.display(),
            quality.table
        ));
    };
    let params = SummaryParams::of(options);
    let summary = summarize(&tx, &params).map_err(|e| format!("{}: {e}", file.display()))?;
    let writer =
        std::io::BufWriter::new(std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?);
    let parquet = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    write(&summary, writer, parquet).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}: {} customers as of {} (training cut {}, CLV cut {}), {} rows read, {} used",
        out.display(),
        summary.len(),
        summary.as_of,
        summary.training_cut.map_or("none".into(), |d| d.to_string()),
        summary.clv_cut.map_or("none".into(), |d| d.to_string()),
        quality.rows_read,
        quality.rows_used
    );
    Ok(())
}
