//! Cluster speed: k-means on 1,000,000 synthetic customers × 3 log-RFM-like features (k = 8,
//! 3 restarts), and the full analysis choosing k (2..=10, silhouette on the sample) on UCI
//! Online Retail (4,339 customers) and on synthetic data of that size.
//! Run: `cargo bench --bench cluster`. Results are recorded in `benches/cluster.md`.

#[path = "../tests/common/mod.rs"]
mod common;

use clientele::cluster::{cluster, fit_kmeans, ClusterParams};
use clientele::customers::Customers;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use std::time::Instant;

fn normal(rng: &mut Xoshiro256Plus) -> f64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// Standardised log-RFM-like rows: a few overlapping behaviour groups plus noise.
fn log_rfm_matrix(n: usize, seed: u64) -> Array2<f64> {
    let centres = [
        [1.0, -0.8, -0.9],
        [-1.0, 0.2, 0.1],
        [-0.5, 1.5, 1.6],
        [0.8, -0.2, 0.5],
        [0.0, 0.8, -0.5],
    ];
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut x = Array2::zeros((n, 3));
    for i in 0..n {
        let c = centres[rng.gen_range(0..centres.len())];
        for j in 0..3 {
            x[[i, j]] = c[j] + 0.6 * normal(&mut rng);
        }
    }
    x
}

/// Customers whose log-RFM looks like Online Retail's (means and spreads of its log1p).
fn synthetic_customers(n: usize, seed: u64) -> Customers {
    let x = log_rfm_matrix(n, seed);
    let mut c = Customers::default();
    for i in 0..n {
        let rec = (x[[i, 0]] * 1.3 + 3.9).exp().round().max(1.0) as i32;
        let freq = (x[[i, 1]] * 0.7 + 1.3).exp().round().max(1.0) as u32;
        let money = (x[[i, 2]] * 1.26 + 6.6).exp();
        c.id.push(i.to_string());
        c.tx_customer.push(i as u32);
        c.recency_days.push(rec);
        c.frequency.push(freq);
        c.monetary.push(money);
        c.avg_order_value.push(money / freq as f64);
        c.last_purchase.push(1000 - rec);
        c.first_purchase.push(1000 - rec - 30);
        c.tenure_days.push(rec + 30);
    }
    c
}

fn row(what: &str, rows: usize, seconds: f64, per_restart_ms: f64) {
    println!("{what:<52} {rows:>9} {seconds:>9.3} {per_restart_ms:>14.1}");
}

fn choose_k(what: &str, customers: &Customers) {
    for restarts in [1, 4, 10] {
        let t = Instant::now();
        let report = cluster(customers, None, &ClusterParams::default().restarts(restarts)).expect("cluster");
        let s = t.elapsed().as_secs_f64();
        row(
            &format!("choose k 2..=10, {what}, restarts={restarts} -> k={}", report.k),
            customers.len(),
            s,
            s * 1000.0 / (9 * restarts) as f64,
        );
    }
}

fn main() {
    println!(
        "{:<52} {:>9} {:>9} {:>14}",
        "case", "rows", "seconds", "ms/restart"
    );

    let n = 1_000_000;
    let x = log_rfm_matrix(n, 1);
    let t = Instant::now();
    let fit = fit_kmeans(x.view(), 8, &ClusterParams::default().restarts(3)).expect("fit");
    let s = t.elapsed().as_secs_f64();
    row("k-means k=8, 3 restarts (fit_kmeans)", n, s, s * 1000.0 / 3.0);
    std::hint::black_box(fit);

    choose_k("synthetic", &synthetic_customers(4_372, 2));

    if common::data_path("online_retail/online_retail.csv").exists() {
        let tx = common::online_retail();
        let customers = clientele::customers::summarize(&tx, None).expect("customers");
        choose_k("Online Retail", &customers);
    }
}
