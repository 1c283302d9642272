//! File → Report, natively, on the largest file in `../shared/data` (UCI Online Retail, 47 MB)
//! and the CDNOW master file: read + every analysis, with the time of each stage, MB/s, rows/s
//! and peak resident memory. Run: `cargo bench --bench analyze` (or `scripts/bench`, which
//! also runs the browser side); results go in `BENCHMARKS.md`.

use clientele::report::{analyze, AnalyzeOptions};
use std::time::Instant;

/// Peak resident set size of this process (Linux `VmHWM`), in MiB.
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn bench(rel: &str, runs: usize) {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut totals = Vec::new();
    let mut stages: Vec<(&'static str, f64)> = Vec::new();
    let mut rows = 0;
    for run in 0..runs {
        let start = Instant::now();
        let mut last = (String::from("start"), start);
        let mut this_run: Vec<(&'static str, f64)> = Vec::new();
        let report = analyze(&bytes, &AnalyzeOptions::default(), &mut |p| {
            let now = Instant::now();
            if p.stage != last.0 {
                if let Some(prev) = stage_name(&last.0) {
                    this_run.push((prev, (now - last.1).as_secs_f64()));
                }
                last = (p.stage.to_string(), now);
            }
        })
        .expect("analyze");
        totals.push(start.elapsed().as_secs_f64());
        rows = report.quality.rows_read;
        if run == 0 {
            stages = this_run;
        }
    }
    totals.sort_by(f64::total_cmp);
    let median = totals[totals.len() / 2];
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "{rel}: {:.1} MB, {rows} rows: median {:.3} s over {runs} runs (min {:.3} s) = {:.1} MB/s, {:.0} rows/s; peak RSS {:.0} MiB",
        mb,
        median,
        totals[0],
        mb / median,
        rows as f64 / median,
        peak_rss_mib()
    );
    let line: Vec<String> = stages.iter().map(|(s, t)| format!("{s} {:.3} s", t)).collect();
    println!("  stages (first run): {}", line.join(", "));
}

fn stage_name(s: &str) -> Option<&'static str> {
    ["reading", "customers", "rfm", "clusters", "propensity", "clv"]
        .into_iter()
        .find(|&n| n == s)
}

fn main() {
    println!(
        "native, {} logical CPUs",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    bench("cdnow/CDNOW_master.txt", 5);
    bench("online_retail/online_retail.csv", 5);
}
