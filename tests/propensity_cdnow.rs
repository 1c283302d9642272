//! Propensity on the CDNOW master file (23,570 customers, no order column, no returns),
//! N = 90 days: the metrics are reported and must be sane.

mod common;

use clientele::customers;
use clientele::propensity::{self, Feature, PropensityParams};

#[test]
fn cdnow_master_90_days() {
    let tx = common::cdnow_master();
    let cust = customers::summarize(&tx, None).unwrap();
    let params = PropensityParams::default().horizon_days(90);
    let r = propensity::fit(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &params,
    )
    .unwrap();
    let m = &r.metrics;
    println!(
        "CDNOW master N=90 (cut {}, as-of {}): AUC {:.4}, PR AUC {:.4}, Brier {:.4}, base rate {:.4}, \
         top-decile lift {:.2}\n{:?}",
        r.cut, r.as_of, m.roc_auc, m.pr_auc, m.brier, m.base_rate, m.lift_top_decile, r.counts
    );
    for d in &r.deciles {
        println!(
            "  decile {:>2}: {:>5} customers, {:>4} buyers, rate {:.3}, lift {:.2}",
            d.decile, d.customers, d.buyers, d.rate, d.lift
        );
    }
    for c in &r.coefficients {
        println!("  {:>16} {:+.3}  {}", c.name, c.coefficient, c.sentence);
    }
    assert_eq!(r.cut.to_string(), "1998-04-02");
    // A model with skill on 15 months of history before the cut: nothing to warn about.
    println!("{}", r.windows);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.first_purchase.to_string(), "1997-01-01");
    assert!(r.history_days >= 90, "{}", r.history_days);
    // All 23,570 customers first bought in Q1 1997, long before the cut.
    assert_eq!(r.counts.customers_before_cut, 23_570);
    assert_eq!(r.counts.new_after_cut, 0);
    assert_eq!(r.p_buy.len(), 23_570);
    // No order column and no returns: frequency counts days, no return share.
    assert!(!r.features.iter().any(|f| f.feature == Feature::ReturnShare));
    assert!(m.roc_auc > 0.6 && m.roc_auc < 0.99, "AUC {}", m.roc_auc);
    assert!(
        m.pr_auc > m.base_rate,
        "PR AUC {} vs base rate {}",
        m.pr_auc,
        m.base_rate
    );
    // Better than always predicting the base rate.
    assert!(m.brier < m.base_rate * (1.0 - m.base_rate), "Brier {}", m.brier);
    assert!(m.lift_top_decile > 2.0, "lift {}", m.lift_top_decile);
    // Deciles: lift falls from the top tenth to the bottom tenth.
    assert!(r.deciles[0].rate > r.deciles[9].rate);
    // Calibration: overall predicted mean close to the actual rate.
    let n: usize = r.calibration.iter().map(|b| b.customers).sum();
    let predicted: f64 = r
        .calibration
        .iter()
        .map(|b| b.mean_predicted * b.customers as f64)
        .sum::<f64>()
        / n as f64;
    assert!(
        (predicted - m.base_rate).abs() < 0.02,
        "mean p {predicted} vs rate {}",
        m.base_rate
    );
    // Recency is days since the last purchase: a recent purchase should raise the chance.
    let recency = r
        .coefficients
        .iter()
        .find(|c| c.feature == Feature::RecencyDays)
        .unwrap();
    assert!(recency.coefficient < 0.0, "{recency:?}");
}

/// The case on a real file: CDNOW cut to its first 120 days (as-of 1997-05-01) with a
/// 90-day horizon trains on 30 days and scores the customers who first bought after the cut.
#[test]
fn cdnow_first_120_days_warns() {
    let tx = common::cdnow_master();
    let as_of = chrono::NaiveDate::from_ymd_opt(1997, 5, 1).unwrap();
    let cust = customers::summarize(&tx, Some(as_of)).unwrap();
    let r = propensity::fit(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &PropensityParams::default().horizon_days(90),
    )
    .unwrap();
    println!("AUC {:.4}; {:?}; {:#?}", r.metrics.roc_auc, r.counts, r.warnings);
    assert_eq!(r.history_days, 30);
    let code = |c: &str| r.warnings.iter().find(|w| w.code == c);
    let short = code("propensity_short_history").expect("short history");
    assert_eq!(short.params["history_days"], 30);
    let new = code("propensity_new_customers").expect("new customers");
    let count = new.params["count"].as_u64().unwrap() as usize;
    assert_eq!(count, r.counts.new_after_cut);
    assert!(count > 0 && count < cust.len());
    assert!(r.warnings.iter().all(|w| w.columns == ["p_buy", "p_buy_decile"]));
}
