//! Speed of the lifetime-value analysis on all 23,570 CDNOW master customers (`clv::fit` with
//! the default `auto`: BG/NBD, MBG/NBD and Pareto/NBD fitted on the calibration period and
//! compared on the holdout, the chosen one and BG/NBD refitted on the whole history,
//! Gamma-Gamma, every per-customer prediction and chart aggregate), each model's fit alone, and
//! the same on 1,000,000 synthetic customers. Weeks as the time unit, 12-month CLV. Run:
//! `cargo bench --bench clv`; results and the lifetimes comparison are in `benches/clv_results.md`.

use chrono::NaiveDate;
use clientele::clv::{self, ClvParams, PurchaseModelKind, TimeUnit};
use clientele::customers::summarize;
use clientele::ingest::{date_to_day, Transactions};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::Instant;

/// CDNOW_master.txt: header line, then id, YYYYMMDD, CDs, dollars (whitespace-aligned).
fn cdnow_master() -> Transactions {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/cdnow/CDNOW_master.txt"
    );
    let text = std::fs::read_to_string(path).expect("CDNOW_master.txt in ../shared/data/cdnow");
    let mut tx = Transactions {
        has_amount: true,
        ..Default::default()
    };
    let mut index: HashMap<String, u32> = HashMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (Some(id), Some(day), Some(dollars)) = (f.first(), f.get(1), f.get(3)) else {
            continue;
        };
        let (Ok(date), Ok(amount)) = (NaiveDate::parse_from_str(day, "%Y%m%d"), dollars.parse::<f64>())
        else {
            continue; // the header
        };
        let next = index.len() as u32;
        let c = *index.entry(id.to_string()).or_insert_with(|| {
            tx.customer_ids.push(id.to_string());
            next
        });
        tx.customer.push(c);
        tx.day.push(date_to_day(date));
        tx.amount.push(amount);
    }
    tx
}

/// `n` customers over two years: first purchase uniform over the first year, purchases a
/// Poisson process at a Gamma-like rate while alive, an exponential lifetime at a Gamma-like
/// rate (Pareto/NBD-shaped), amounts 5..105; seeded.
fn synthetic(n: u32) -> Transactions {
    let mut rng = rand_xoshiro::Xoshiro256Plus::seed_from_u64(15);
    let mut tx = Transactions {
        has_amount: true,
        ..Default::default()
    };
    let end = 730.0;
    for c in 0..n {
        tx.customer_ids.push(format!("s{c}"));
        let exp = |rng: &mut rand_xoshiro::Xoshiro256Plus| -(1.0 - rng.gen::<f64>()).ln();
        let rate = 0.03 * exp(&mut rng) * exp(&mut rng);
        let death_rate = 0.004 * exp(&mut rng);
        let first = rng.gen_range(0.0..365.0f64);
        let stop = (first + exp(&mut rng) / death_rate).min(end);
        let mut t = first;
        while t < stop {
            tx.customer.push(c);
            tx.day.push(10_000 + t as i32);
            tx.amount.push(5.0 + 100.0 * rng.gen::<f64>());
            t += exp(&mut rng) / rate.max(1e-6);
        }
        if tx.customer.last() != Some(&c) {
            tx.customer.push(c);
            tx.day.push(10_000 + first as i32);
            tx.amount.push(20.0);
        }
    }
    tx
}

/// Median, min and max seconds of `runs` runs of `f`.
fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, f64, f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (
        times[runs / 2],
        times[0],
        times[runs - 1],
        last.expect("runs > 0"),
    )
}

/// Each model's fit alone on the whole history (the customers' (x, t_x, T) patterns).
fn per_model(history: &clientele::history::History, as_of: NaiveDate, runs: usize) {
    let end = date_to_day(as_of) - 1;
    let s = clv::repeat_summary(history, end, TimeUnit::Weeks);
    let keep: Vec<usize> = (0..s.x.len()).filter(|&i| s.present[i]).collect();
    let pick = |v: &[f64]| keep.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let (x, t_x, t) = (pick(&s.x), pick(&s.t_x), pick(&s.t));
    for kind in PurchaseModelKind::ALL {
        let (median, min, max, fit) = timed(runs, || clv::fit_purchase_model(kind, &x, &t_x, &t, 0.0, 500));
        println!(
            "  {:<10} fit alone: median {median:.4} s (min {min:.4}, max {max:.4}); {} patterns, LL {:.3}, {:?}, {}",
            kind.label(),
            fit.patterns,
            fit.log_likelihood,
            fit.estimates.iter().map(|e| (e.name.clone(), e.value)).collect::<Vec<_>>(),
            fit.fit_status.message
        );
    }
}

fn report_choice(report: &clv::ClvReport) {
    let choice = &report.model_choice;
    println!(
        "  chosen: {:?} ({}), passed over: {:?}",
        choice.chosen, choice.rule, choice.refit_rejected
    );
    if let Some(c) = &choice.comparison {
        for row in &c.rows {
            println!(
                "    {:<10} holdout MAE {:.4}, calibration LL {:.2}, BIC {:.2}, fit ok {}",
                row.model.label(),
                row.holdout_mae,
                row.fit.log_likelihood,
                row.fit.bic,
                row.fit.fit_status.ok
            );
        }
    }
}

fn synthetic_run() {
    let t = Instant::now();
    let tx = synthetic(1_000_000);
    let make = t.elapsed().as_secs_f64();
    let customers = summarize(&tx, None).expect("customers");
    let history = clientele::history::History::build(&tx, &customers).unwrap();
    println!(
        "synthetic: {} rows, {} customers (made in {make:.2} s)",
        tx.len(),
        customers.len()
    );
    let (once, _, _, report) = timed(1, || {
        clv::fit(&history, &customers, &ClvParams::default()).expect("fit")
    });
    println!(
        "clv::fit (auto: 3 models compared, chosen refitted, Gamma-Gamma, predictions), 1 run: {once:.3} s"
    );
    report_choice(&report);
    per_model(&history, customers.as_of, 1);
}

fn main() {
    let t0 = Instant::now();
    let tx = cdnow_master();
    let parse = t0.elapsed();
    let t1 = Instant::now();
    let customers = summarize(&tx, None).expect("customers");
    let summary = t1.elapsed();
    let params = ClvParams::default();
    let history = clientele::history::History::build(&tx, &customers).unwrap();
    let (median, min, max, report) = timed(7, || clv::fit(&history, &customers, &params).expect("fit"));
    println!(
        "CDNOW master: {} rows, {} customers; parse {:.3} s, summarize {:.3} s",
        tx.len(),
        customers.len(),
        parse.as_secs_f64(),
        summary.as_secs_f64()
    );
    println!(
        "clv::fit (auto: 3 models fitted on calibration and compared on the holdout, chosen + BG/NBD refitted, Gamma-Gamma, predictions, aggregates), 7 runs: median {median:.4} s, min {min:.4} s, max {max:.4} s"
    );
    report_choice(&report);
    per_model(&history, customers.as_of, 5);
    let p = report.bgnbd.params;
    println!(
        "BG/NBD r {:.6} alpha {:.6} a {:.6} b {:.6} LL {:.3} ({})",
        p.r, p.alpha, p.a, p.b, report.bgnbd.log_likelihood, report.bgnbd.fit_status.message
    );
    if let Some(gg) = &report.gamma_gamma {
        println!(
            "Gamma-Gamma p {:.6} q {:.6} gamma {:.6} on {} repeat buyers; total 12-month CLV {:.2}",
            gg.params.p,
            gg.params.q,
            gg.params.gamma,
            gg.customers,
            report.total_clv.unwrap_or(f64::NAN)
        );
    }
    synthetic_run();
}
