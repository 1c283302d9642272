//! Cluster speed (no harness; prints a table): k = 8 with 3 restarts on 1,000,000 synthetic
//! customers × 3 features, and choosing k (2..=10, 10 restarts each, silhouette on every
//! customer) on the real Online Retail file. Run: `cargo bench --bench cluster`.
//! Recorded results: benches/cluster.md.
use clientele::cluster::{cluster, ClusterParams};
use clientele::customers::{self, Customers};
use clientele::ingest::{read, IngestOptions};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

fn synthetic(n: usize, seed: u64) -> Customers {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut c = Customers::default();
    for i in 0..n {
        c.id.push(format!("{i:07}"));
        let recency = rng.gen_range(1..=730);
        c.recency_days.push(recency);
        let u: f64 = rng.gen();
        let f = (1.0 / (1.0 - u).max(1e-6)).floor().min(500.0) as u32;
        c.frequency.push(f);
        let m = (rng.gen::<f64>() * 8.0).exp().round() / 100.0 * f64::from(f);
        c.monetary.push(m);
        c.avg_order_value.push(m / f64::from(f));
        c.tenure_days.push(recency + rng.gen_range(0..365));
    }
    c
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(f());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], last.expect("runs ≥ 1"))
}

fn main() {
    println!("| case | customers | median | min | runs | result |");
    println!("|---|---:|---:|---:|---:|---|");

    let n = 1_000_000;
    let big = synthetic(n, 7);
    for sample in [10_000, 1_000] {
        let params = ClusterParams {
            k: Some(8),
            n_runs: 3,
            max_silhouette_sample: sample,
            ..Default::default()
        };
        let (med, min, r) = time(3, || cluster(&big, &params).expect("cluster"));
        println!(
            "| k = 8, 3 restarts, silhouette sample {sample} | {n} | {med:.2} s | {min:.2} s | 3 | inertia {:.1}, silhouette {:.3} |",
            r.inertia, r.silhouette
        );
    }

    let bytes = std::fs::read("../shared/data/online_retail/online_retail.csv").expect("data");
    let (tx, _) = read(&bytes, &IngestOptions::default()).expect("ingest");
    let retail = customers::summarize(&tx, None).expect("summarize");
    let params = ClusterParams::default();
    let (med, min, r) = time(5, || cluster(&retail, &params).expect("cluster"));
    println!(
        "| Online Retail, choose k in 2..=10, 10 restarts each | {} | {:.3} s | {:.3} s | 5 | k = {}, silhouette {:.3} |",
        retail.len(),
        med,
        min,
        r.k,
        r.silhouette
    );
    let fixed = ClusterParams::default().k(Some(4));
    let (med, min, r) = time(5, || cluster(&retail, &fixed).expect("cluster"));
    println!(
        "| Online Retail, k = 4, 10 restarts | {} | {:.3} s | {:.3} s | 5 | inertia {:.3} |",
        retail.len(),
        med,
        min,
        r.inertia
    );
}
