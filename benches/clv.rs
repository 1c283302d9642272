//! Speed of the lifetime-value analysis on all 23,570 CDNOW master customers: BG/NBD and
//! Gamma-Gamma fits plus every per-customer prediction and chart aggregate (`clv::fit`),
//! weeks as the time unit, 12-month CLV. Run: `cargo bench --bench clv`; results and the
//! lifetimes comparison are in `benches/clv_results.md`.

use chrono::NaiveDate;
use clientele::clv::{self, ClvParams};
use clientele::customers::summarize;
use clientele::ingest::{date_to_day, Transactions};
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

fn main() {
    let t0 = Instant::now();
    let tx = cdnow_master();
    let parse = t0.elapsed();
    let t1 = Instant::now();
    let customers = summarize(&tx, None).expect("customers");
    let summary = t1.elapsed();
    let params = ClvParams::default();
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..7 {
        let t = Instant::now();
        report = Some(
            clv::fit(
                &clientele::history::History::build(&tx, &customers).unwrap(),
                &customers,
                &params,
            )
            .expect("fit"),
        );
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let report = report.expect("ran");
    println!(
        "CDNOW master: {} rows, {} customers; parse {:.3} s, summarize {:.3} s",
        tx.len(),
        customers.len(),
        parse.as_secs_f64(),
        summary.as_secs_f64()
    );
    println!(
        "clv::fit (BG/NBD + Gamma-Gamma + predictions + aggregates), 7 runs: median {:.4} s, min {:.4} s, max {:.4} s",
        times[3], times[0], times[6]
    );
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
}
