//! Reading alone (bytes in memory → `Transactions` + `QualityReport`), natively, one thread:
//! MB/s and ns per row, median of N runs. Run: `cargo bench --bench ingest -- [--runs N]
//! [FILE…]` (default `../shared/data/online_retail/online_retail.csv`); under callgrind, one
//! run gives stable instruction counts on a loaded machine (BENCHMARKS.md, "Ingest speed").

use clientele::ingest::{read, IngestOptions};
use std::time::Instant;

fn bench(path: &str, runs: usize) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let (tx, quality) = read(&bytes, &IngestOptions::default()).expect("the file reads");
        times.push(start.elapsed().as_secs_f64());
        rows = quality.rows_read;
        std::hint::black_box(tx);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{path}: {:.1} MB, {rows} rows: median {median:.3} s over {runs} runs (min {:.3} s) = {:.1} MB/s, {:.0} ns/row",
        bytes.len() as f64 / 1e6,
        times[0],
        bytes.len() as f64 / 1e6 / median,
        median * 1e9 / rows.max(1) as f64
    );
}

fn main() {
    let mut runs = 5;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--bench" => {}
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        files.push(format!(
            "{}/../shared/data/online_retail/online_retail.csv",
            env!("CARGO_MANIFEST_DIR")
        ));
    }
    for f in &files {
        bench(f, runs);
    }
}
