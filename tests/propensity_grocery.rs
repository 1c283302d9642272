//! Propensity on a purchase log without amounts (BTYDplus grocery: customer and date only):
//! money features are left out rather than fed as zeros, and the model still ranks.

mod common;

use clientele::customers;
use clientele::propensity::{self, Feature, PropensityParams};

#[test]
fn grocery_without_amounts() {
    let tx = common::grocery();
    let cust = customers::summarize(&tx, None).unwrap();
    let r = propensity::fit(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &PropensityParams::default(),
    )
    .unwrap();
    let m = &r.metrics;
    println!(
        "grocery N=90 (cut {}): AUC {:.4}, PR AUC {:.4}, Brier {:.4}, base rate {:.4}, lift {:.2}; {:?}",
        r.cut, m.roc_auc, m.pr_auc, m.brier, m.base_rate, m.lift_top_decile, r.counts
    );
    let names: Vec<Feature> = r.features.iter().map(|f| f.feature).collect();
    assert!(!names.contains(&Feature::Monetary) && !names.contains(&Feature::AvgOrderValue));
    assert!(!names.contains(&Feature::ReturnShare));
    assert_eq!(r.p_buy.len(), cust.len());
    assert!(m.roc_auc > 0.6, "AUC {}", m.roc_auc);
    assert!(m.brier < m.base_rate * (1.0 - m.base_rate));
    // Two years of history and a model with skill: no warning on p_buy.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}
