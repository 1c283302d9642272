//! Sanity checks of the test-only reference loaders against the data README's figures.
mod common;

#[test]
fn cdnow_sample_has_2357_customers() {
    let tx = common::cdnow_sample();
    assert_eq!(tx.customer_ids.len(), 2357);
}

#[test]
fn cdnow_master_has_23570_customers() {
    let tx = common::cdnow_master();
    assert!(
        tx.customer_ids.len() <= 23570 && tx.customer_ids.len() > 23500,
        "{}",
        tx.customer_ids.len()
    );
}

#[test]
fn grocery_has_1525_customers_and_no_amounts() {
    let tx = common::grocery();
    assert_eq!(tx.customer_ids.len(), 1525);
    assert_eq!(tx.len(), 10483);
    assert!(!tx.has_amount);
}

#[test]
fn online_retail_total_matches_readme() {
    let tx = common::online_retail();
    // 4,372 customer ids appear with a purchase or a return.
    assert_eq!(tx.customer_ids.len(), 4372);
    assert!(!tx.returns.amount.is_empty());
}
