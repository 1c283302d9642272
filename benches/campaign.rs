//! The campaign analyses on UCI Online Retail (read once by the real ingest, StockCode as the
//! product): lifecycle stages, cohorts, segment migration and cross-sell (pair counting, per
//! segment pairs, next products), each timed alone over 7 runs (no harness; prints the median
//! and the fastest). Run: `cargo bench --bench campaign`. Recorded in BENCHMARKS.md, "Campaign
//! analyses".
use clientele::cohorts::{cohorts, CohortParams};
use clientele::crosssell::{cross_sell, CrossSellParams};
use clientele::customers::summarize;
use clientele::history::History;
use clientele::ingest::{read_table_from, IngestOptions, Table};
use clientele::lifecycle::{stages, LifecycleParams};
use clientele::migration::{migration, MigrationParams};
use clientele::rfm::{score, RfmParams};
use std::time::Instant;

fn time(name: &str, mut f: impl FnMut()) {
    let mut times: Vec<f64> = (0..7)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<40} median {:>8.1} ms, fastest {:>8.1} ms",
        times[3] * 1e3,
        times[0] * 1e3
    );
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/online_retail/online_retail.csv"
    );
    let file = std::fs::File::open(path).expect("Online Retail in ../shared/data");
    let options = IngestOptions {
        today: Some("2026-01-01".into()),
        ..Default::default()
    };
    let (table, _) = read_table_from(file, None, &options, &mut |_| true).expect("read");
    let Table::Transactions(tx) = table else {
        panic!("transactions expected")
    };
    let customers = summarize(&tx, None).expect("customers");
    let history = History::build(&tx, &customers).expect("history");
    let rfm = score(&customers, &RfmParams::default()).expect("rfm");
    let products = history.product.as_ref().map_or(0, |p| p.len());
    println!(
        "Online Retail: {} customers, {} purchase lines with a product, {} products",
        customers.len(),
        products,
        history.product_names.len()
    );
    time("History::build (with products)", || {
        History::build(&tx, &customers).unwrap();
    });
    time("lifecycle stages", || {
        stages(&customers, &history, &LifecycleParams::default()).unwrap();
    });
    time("cohorts", || {
        cohorts(&customers, &history, &CohortParams::default()).unwrap();
    });
    time("migration (90 days)", || {
        migration(
            &customers,
            &history,
            &rfm,
            &RfmParams::default(),
            &MigrationParams::default(),
        )
        .unwrap();
    });
    for (min_support, per_segment) in [(0.01, 5), (0.01, 0), (0.005, 5), (0.002, 0)] {
        let params = CrossSellParams {
            min_support,
            top_pairs_per_segment: per_segment,
            ..Default::default()
        };
        let out = cross_sell(&customers, &history, &rfm, &params).unwrap();
        let name = format!(
            "cross-sell min {min_support}, {} segments ({} pairs)",
            if per_segment > 0 { "with" } else { "no" },
            out.report.pairs
        );
        time(&name, || {
            cross_sell(&customers, &history, &rfm, &params).unwrap();
        });
    }
}
