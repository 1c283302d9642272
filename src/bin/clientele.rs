//! `clientele`: the native command line over the same core the page runs.
//!
//! ```text
//! clientele analyze FILE [--as-of YYYY-MM-DD] [--k K] [--horizon-days N] [--json OUT] [--customers-csv OUT]
//! ```
//! Prints a short summary; `--json` writes the whole Report, `--customers-csv` the same
//! per-customer CSV the page exports. Exit code 2 for usage errors, 1 for a file that
//! cannot be analysed (the message says where).

use chrono::NaiveDate;
use clientele::ingest::{self, TableKind};
use clientele::report::{analyze_table, customers_csv, AnalyzeOptions, Report, Section};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: clientele analyze FILE [--as-of YYYY-MM-DD] [--k K] [--horizon-days N] \
[--sheet NAME] [--table transactions|customers] [--encoding LABEL] [--date-order dmy|mdy] [--json OUT] [--customers-csv OUT]";

struct Args {
    file: PathBuf,
    json: Option<PathBuf>,
    customers_csv: Option<PathBuf>,
    options: AnalyzeOptions,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("analyze") => {}
        Some("-h" | "--help") | None => return Err(USAGE.into()),
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
    }
    let mut file = None;
    let mut json = None;
    let mut customers_csv = None;
    let mut options = AnalyzeOptions::default();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--as-of" => {
                let v = value("--as-of")?;
                let date = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|_| format!("--as-of: expected a date like 2024-01-31, found \"{v}\""))?;
                options.as_of = Some(date);
            }
            "--k" => {
                let v = value("--k")?;
                let k = v
                    .parse::<usize>()
                    .map_err(|_| format!("--k: expected a number of clusters (2 to 20), found \"{v}\""))?;
                options.cluster.k = Some(k);
            }
            "--horizon-days" => {
                let v = value("--horizon-days")?;
                let days = v
                    .parse::<u32>()
                    .map_err(|_| format!("--horizon-days: expected a whole number of days, found \"{v}\""))?;
                options.propensity.horizon_days = days;
            }
            "--sheet" => options.ingest.sheet = Some(value("--sheet")?),
            "--encoding" => options.ingest.encoding = Some(value("--encoding")?),
            "--date-order" => options.ingest.date_order = Some(value("--date-order")?),
            "--table" => {
                options.ingest.table = Some(match value("--table")?.as_str() {
                    "transactions" => TableKind::Transactions,
                    "customers" => TableKind::Customers,
                    v => {
                        return Err(format!(
                            "--table: expected transactions or customers, found \"{v}\""
                        ))
                    }
                })
            }
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            "--customers-csv" => customers_csv = Some(PathBuf::from(value("--customers-csv")?)),
            "-h" | "--help" => return Err(USAGE.into()),
            s if s.starts_with('-') => return Err(format!("unknown option `{s}`\n{USAGE}")),
            _ if file.is_none() => file = Some(PathBuf::from(arg)),
            _ => return Err(format!("only one FILE, found another: `{arg}`\n{USAGE}")),
        }
    }
    let file = file.ok_or_else(|| format!("FILE is missing\n{USAGE}"))?;
    options.ingest.file_name = file.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(Args {
        file,
        json,
        customers_csv,
        options,
    })
}

fn print_summary(report: &Report) {
    let q = &report.quality;
    let s = &report.summary;
    println!(
        "{}: {} rows read, {} used, {} skipped",
        q.file_name.as_deref().unwrap_or("file"),
        q.rows_read,
        q.rows_used,
        q.rows_read.saturating_sub(q.rows_used)
    );
    for skip in &q.skipped {
        println!("  skipped {:>8}  {}", skip.rows, skip.description);
    }
    for w in &q.warnings {
        println!("  note: {w}");
    }
    println!(
        "{} customers, {} orders, revenue {}, purchases {} to {}, as of {}",
        s.customers,
        s.orders,
        s.revenue.map_or("n/a".to_string(), |r| format!("{r:.2}")),
        s.first_purchase.map(|d| d.to_string()).unwrap_or_default(),
        s.last_purchase.map(|d| d.to_string()).unwrap_or_default(),
        report.as_of
    );
    println!(
        "{:<20} {:>9} {:>7} {:>14} {:>7}",
        "segment", "customers", "share", "revenue", "rev %"
    );
    for seg in &report.rfm.segments {
        println!(
            "{:<20} {:>9} {:>6.1}% {:>14.2} {:>6.1}%",
            seg.name,
            seg.customers,
            100.0 * seg.share,
            seg.revenue,
            100.0 * seg.revenue_share
        );
    }
}

fn print_clusters(report: &Report) {
    match &report.clusters {
        Section::Ok(c) => {
            println!(
                "{} clusters (k {}):",
                c.k,
                if matches!(c.chosen_by, clientele::cluster::ChosenBy::Fixed) {
                    "fixed"
                } else {
                    "chosen by silhouette"
                }
            );
            for p in &c.profiles {
                println!(
                    "  {:>2} {:<32} {:>7} customers {:>6.1}% of revenue",
                    p.label,
                    p.name,
                    p.size,
                    100.0 * p.revenue_share
                );
            }
        }
        Section::Unavailable { reason } => println!("clusters: unavailable: {reason}"),
        Section::Skipped => {}
    }
}

fn print_propensity(report: &Report) {
    match &report.propensity {
        Section::Ok(p) => println!(
            "propensity to buy in the next {} days: validation AUC {:.3}, top-decile lift {:.2}, base rate {:.1}%",
            p.params.horizon_days,
            p.metrics.roc_auc,
            p.metrics.lift_top_decile,
            100.0 * p.metrics.base_rate
        ),
        Section::Unavailable { reason } => println!("propensity: unavailable: {reason}"),
        Section::Skipped => {}
    }
}

fn print_clv(report: &Report) {
    match &report.clv {
        Section::Ok(v) => {
            let fit = &v.bgnbd;
            println!(
                "lifetime value ({} months): BG/NBD fit {}: {}",
                v.horizon_months,
                if fit.fit_status.ok { "ok" } else { "with a caveat" },
                fit.fit_status.message
            );
            if let Some(total) = v.total_clv {
                println!(
                    "  expected purchases {:.1}, total CLV {:.2}",
                    v.total_expected_purchases, total
                );
            }
            for w in &v.warnings {
                println!("  note: {w}");
            }
        }
        Section::Unavailable { reason } => println!("lifetime value: unavailable: {reason}"),
        Section::Skipped => {}
    }
}

fn run(args: Args) -> Result<(), String> {
    // Streamed, so memory follows the kept rows rather than the size of the file.
    let file = std::fs::File::open(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let size = file.metadata().ok().map(|m| m.len());
    let (table, quality) = ingest::read_table_from(file, size, &args.options.ingest, &mut |_| true)
        .map_err(|e| clientele::Error::from(e).to_string())?;
    let report = analyze_table(table, quality, &args.options, &mut |_| {}).map_err(|e| e.to_string())?;
    print_summary(&report);
    print_clusters(&report);
    print_propensity(&report);
    print_clv(&report);
    if let Some(path) = &args.json {
        let json = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.customers_csv {
        std::fs::write(path, customers_csv(&report)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(1)
        }
    }
}
