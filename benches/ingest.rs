//! Reading alone (bytes in memory → `Transactions` + `QualityReport`), natively: MB/s and ns
//! per row, median of N runs. Run: `cargo bench --bench ingest -- [--runs N] [--threads
//! 1,2,8] [FILE…]` (default `../shared/data/online_retail/online_retail.csv`, one thread; with
//! `--threads`, the file cut into that many chunks read at once, `ingest::read_table_at`);
//! under callgrind, one run gives stable instruction counts on a loaded machine
//! (BENCHMARKS.md, "Ingest speed", "Reading in parallel").

use clientele::ingest::{read, read_table_at, seams, IngestOptions};
use std::time::Instant;

fn bench(path: &str, runs: usize, threads: Option<usize>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut times = Vec::new();
    let mut rows = 0;
    let mut chunks = 1;
    let cuts = threads.map(|n| seams(&bytes, n).expect("in memory"));
    for _ in 0..runs {
        let start = Instant::now();
        let quality = match &cuts {
            None => {
                let (tx, quality) = read(&bytes, &IngestOptions::default()).expect("the file reads");
                std::hint::black_box(tx);
                quality
            }
            Some(cuts) => {
                let (table, quality, n) =
                    read_table_at(&bytes, cuts, &IngestOptions::default(), &mut |_| true)
                        .expect("the file reads");
                chunks = n;
                std::hint::black_box(table);
                quality
            }
        };
        times.push(start.elapsed().as_secs_f64());
        rows = quality.rows_read;
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let how = match threads {
        None => "one pass".to_string(),
        Some(_) => format!("{chunks} chunks"),
    };
    println!(
        "{path} ({how}): {:.1} MB, {rows} rows: median {median:.3} s over {runs} runs (min {:.3} s) = {:.1} MB/s, {:.0} ns/row",
        bytes.len() as f64 / 1e6,
        times[0],
        bytes.len() as f64 / 1e6 / median,
        median * 1e9 / rows.max(1) as f64
    );
}

fn main() {
    let mut runs = 5;
    let mut threads: Vec<Option<usize>> = vec![None];
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            "--threads" => {
                threads = args
                    .next()
                    .expect("--threads 1,2,8")
                    .split(',')
                    .map(|n| Some(n.parse().expect("--threads 1,2,8")))
                    .collect()
            }
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
        for &t in &threads {
            bench(f, runs, t);
        }
    }
}
