//! Property tests: whatever small transaction table comes in, `clv::fit` returns a report with
//! finite numbers or a clear error; it never panics or produces NaN.
use chrono::NaiveDate;
use clientele::clv::{self, ClvParams, TimeUnit};
use clientele::customers::summarize;
use clientele::ingest::Transactions;
use proptest::prelude::*;

#[path = "fixtures/clv/no_missing_numbers.rs"]
mod no_missing_numbers;

fn transactions(rows: &[(u8, u16, u16)], has_amount: bool) -> Transactions {
    let n = rows.iter().map(|r| r.0 as usize + 1).max().unwrap_or(0);
    Transactions {
        customer_ids: (0..n).map(|i| format!("c{i}")).collect(),
        customer: rows.iter().map(|r| r.0 as u32).collect(),
        day: rows.iter().map(|r| 10_000 + r.1 as i32).collect(),
        amount: rows
            .iter()
            .map(|r| if has_amount { r.2 as f64 / 7.0 } else { 0.0 })
            .collect(),
        has_amount,
        ..Default::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn fit_never_panics_and_stays_finite(
        rows in prop::collection::vec((0u8..40, 0u16..500, 0u16..2000), 1..300),
        has_amount in any::<bool>(),
        days in any::<bool>(),
        calibration in prop::option::of(0u16..500),
    ) {
        let tx = transactions(&rows, has_amount);
        let customers = summarize(&tx, None).unwrap();
        let params = ClvParams {
            time_unit: if days { TimeUnit::Days } else { TimeUnit::Weeks },
            calibration_end: calibration.map(|d| NaiveDate::from_ymd_opt(1997, 5, 19).unwrap()
                + chrono::Days::new(d as u64)),
            max_iterations: 200,
            ..Default::default()
        };
        match clv::fit(&clientele::history::History::build(&tx, &customers).unwrap(), &customers, &params) {
            Ok(report) => {
                let bad = no_missing_numbers::bad_nulls(&serde_json::to_value(&report).unwrap());
                prop_assert!(bad.is_empty(), "non-finite numbers at {:?}", bad);
                prop_assert!(report.p_alive.iter().all(|p| (0.0..=1.0).contains(p)));
                prop_assert!(report.expected_purchases.iter().all(|e| e.is_finite() && *e >= 0.0));
                prop_assert_eq!(report.p_alive.len(), customers.len());
            }
            Err(clientele::Error::Data { .. }) | Err(clientele::Error::InvalidParam { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }
}
