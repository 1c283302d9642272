//! RFM scoring speed on 1,000,000 synthetic customers (no harness; prints timings).
//! Run: `cargo bench --bench rfm`. Recorded results: benches/rfm.md.
use clientele::customers::Customers;
use clientele::rfm::{score, RfmParams, ScoreMethod};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::time::Instant;

fn synthetic(n: usize, seed: u64) -> Customers {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut c = Customers::default();
    for i in 0..n {
        c.id.push(format!("{i:07}"));
        c.recency_days.push(rng.gen_range(1..=730));
        // Mostly one-time buyers, a long tail of regulars: heavy ties, as in real files.
        let u: f64 = rng.gen();
        c.frequency
            .push((1.0 / (1.0 - u).max(1e-6)).floor().min(500.0) as u32);
        c.monetary.push((rng.gen::<f64>() * 8.0).exp().round() / 100.0);
    }
    c
}

fn main() {
    let n = 1_000_000;
    let customers = synthetic(n, 7);
    for method in [
        ScoreMethod::RankMin,
        ScoreMethod::RankFirst,
        ScoreMethod::RQuantile,
    ] {
        let params = RfmParams::default().with_method(method);
        let mut times = Vec::new();
        for _ in 0..7 {
            let start = Instant::now();
            let report = score(&customers, &params).expect("score");
            times.push(start.elapsed().as_secs_f64());
            assert_eq!(report.r_score.len(), n);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "rfm::score {method:?}, {n} customers, 5 bins: median {:.1} ms, min {:.1} ms (7 runs)",
            times[3] * 1e3,
            times[0] * 1e3
        );
    }
}
