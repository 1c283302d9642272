//! Same input + seed = same propensity report, byte for byte, natively and in wasm: both
//! targets hash the JSON of one report on a generated shop and compare with one constant.
//! Native: `cargo test --test propensity_determinism`; wasm:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test propensity_determinism`.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::NaiveDate;
use clientele::customers;
use clientele::ingest::{date_to_day, Transactions};
use clientele::propensity::{self, PropensityParams};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// FNV-1a of the report's JSON (reproducible, no dependency).
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// 2,000 customers with a pseudo-random rhythm, spend and lapse date (integer LCG).
fn shop() -> Transactions {
    let mut tx = Transactions {
        has_amount: true,
        ..Default::default()
    };
    let base = date_to_day(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap());
    let mut s: u64 = 12345;
    let mut next = |m: u64| {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 33) % m
    };
    for i in 0..2000u32 {
        tx.customer_ids.push(format!("{i:05}"));
        let gap = 5 + next(120) as i32;
        let start = next(400) as i32;
        let stop = 300 + next(500) as i32;
        let spend = 3.0 + next(20_000) as f64 / 100.0;
        let mut d = start;
        while d < stop.min(730) {
            tx.customer.push(i);
            tx.day.push(base + d);
            tx.amount.push(spend * (1.0 + next(100) as f64 / 100.0));
            d += gap + next(gap as u64) as i32;
        }
        if next(10) == 0 {
            tx.returns.customer.push(i);
            tx.returns.day.push(base + start + 3);
            tx.returns.amount.push(spend / 2.0);
        }
    }
    tx
}

// Issue 11 added first_purchase, history_days, windows and warnings (empty here), and sums each
// customer's money exactly (customers::summarize), which moves the monetary features by an ulp.
// Issue 13 dropped `churn_risk` and `churn_risk_definition` (1 − p_buy, derivable); every other
// field is unchanged (the test passed with the old value just before that merge).
const EXPECTED_HASH: u64 = 0x9017_07bd_ba18_ec35;

#[test]
fn report_json_is_the_same_on_every_target() {
    let tx = shop();
    let cust = customers::summarize(&tx, None).unwrap();
    let r = propensity::fit(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &PropensityParams::default(),
    )
    .unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let h = fnv(json.as_bytes());
    assert!(r.metrics.roc_auc > 0.6, "{:?}", r.metrics);
    let fields: Vec<String> = match serde_json::to_value(&r).unwrap() {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}={:x}", fnv(v.to_string().as_bytes())))
            .collect(),
        _ => vec![],
    };
    assert_eq!(
        h, EXPECTED_HASH,
        "report hash {h:#x}; AUC {}; field hashes {fields:?}; train model {:?}",
        r.metrics.roc_auc, r.train_model
    );
}
