//! Whole-path checks of the lifetime-value analysis on the other real files: UCI Online
//! Retail (a calibration window where plain maximum likelihood runs to the edge: a → 0) and the
//! grocery purchase log (no amounts: BG/NBD only).
mod common;

use chrono::NaiveDate;
use clientele::clv::{self, ClvParams, ClvReport, TimeUnit};
use clientele::customers::summarize;

#[path = "fixtures/clv/no_missing_numbers.rs"]
mod no_missing_numbers;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn assert_finite(report: &ClvReport) {
    let p = report.bgnbd.params;
    assert!([p.r, p.alpha, p.a, p.b, report.bgnbd.log_likelihood]
        .iter()
        .all(|v| v.is_finite()));
    assert!(report
        .expected_purchases
        .iter()
        .all(|v| v.is_finite() && *v >= 0.0));
    assert!(report.p_alive.iter().all(|v| (0.0..=1.0).contains(v)));
    if let Some(clv) = &report.clv {
        assert!(clv.iter().all(|v| v.is_finite() && *v >= 0.0));
    }
    assert!(report
        .frequency_recency
        .expected_purchases
        .iter()
        .flatten()
        .all(|v| v.is_finite()));
    let bad = no_missing_numbers::bad_nulls(&serde_json::to_value(report).unwrap());
    assert!(bad.is_empty(), "non-finite numbers at {bad:?}");
}

#[test]
fn online_retail_edge_is_detected_and_refitted() {
    let tx = common::online_retail();
    let customers = summarize(&tx, None).unwrap();
    // Fitted on purchases to 2011-06-30 only, plain maximum likelihood drives a → 0 with a flat
    // likelihood (as lifetimes does without a penalizer).
    let params = ClvParams {
        time_unit: TimeUnit::Days,
        calibration_end: Some(date(2011, 6, 30)),
        ..Default::default()
    };
    let report = clv::fit(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        &customers,
        &params,
    )
    .unwrap();
    let status = &report.bgnbd.fit_status;
    eprintln!("{:?}\n{status:?}", report.bgnbd.params);
    assert!(status.ok, "{status:?}");
    assert!(
        status.penalty_used > 0.0,
        "the plain fit should have been rejected: {status:?}"
    );
    assert!(status.message.contains("could not be trusted") && status.message.contains("penalty"));
    // The message states the measured move of P(alive), not "shrunk slightly".
    assert!(!status.message.contains("shrunk slightly"), "{}", status.message);
    assert!(
        status.message.contains("moves P(alive) by up to"),
        "{}",
        status.message
    );
    let w = report
        .warnings
        .iter()
        .find(|w| w.code == "clv_penalised_fit")
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    eprintln!("{}\n{:?}", w.message, w.params);
    let max = w.params["max_p_alive_shift"].as_f64().unwrap();
    let mean = w.params["mean_p_alive_shift"].as_f64().unwrap();
    assert!(
        max > 0.0 && max <= 1.0 && mean > 0.0 && mean <= max,
        "{max} {mean}"
    );
    assert!(w.message.contains(&format!("up to {max:.2}")), "{}", w.message);
    assert_eq!(w.columns, ["p_alive", "expected_purchases", "clv"]);
    // Recomputed by hand from the two parameter sets on the reported customers.
    let plain = report
        .bgnbd
        .unpenalised
        .expect("the plain fit's last estimate is finite");
    let by_hand = (0..report.p_alive.len())
        .map(|i| {
            let (x, tx, t) = (report.repeat_purchases[i], report.recency[i], report.age[i]);
            (plain.p_alive(x, tx, t) - report.p_alive[i]).abs()
        })
        .fold(0.0f64, f64::max);
    assert!((by_hand - max).abs() < 1e-12, "{by_hand} vs {max}");
    assert!(report.bgnbd.params.a > 1e-3, "{:?}", report.bgnbd.params);
    assert_eq!(report.expected_purchases.len(), customers.len());
    assert!(report.calibration_holdout.is_some());
    assert_finite(&report);

    // The full period fits plainly.
    let full = clv::fit(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        &customers,
        &ClvParams::default(),
    )
    .unwrap();
    eprintln!("{:?}\n{:?}", full.bgnbd.params, full.bgnbd.fit_status);
    assert!(full.bgnbd.fit_status.ok);
    eprintln!("{:?}", full.warnings);
    assert!(!full
        .warnings
        .iter()
        .any(|w| w.code == "clv_penalised_fit" || w.code == "clv_horizon_beyond_history"));
    let gg = full.gamma_gamma.as_ref().unwrap();
    assert!(gg.fit_status.ok && gg.population_mean_spend.is_finite());
    assert_finite(&full);
}

#[test]
fn grocery_without_amounts_gives_bgnbd_only() {
    let tx = common::grocery();
    let customers = summarize(&tx, None).unwrap();
    let report = clv::fit(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        &customers,
        &ClvParams::default(),
    )
    .unwrap();
    eprintln!("{:?}\n{:?}", report.bgnbd.params, report.bgnbd.fit_status);
    assert!(report.gamma_gamma.is_none());
    assert!(report
        .gamma_gamma_message
        .as_deref()
        .unwrap()
        .contains("no amounts"));
    assert!(report.expected_spend.is_none() && report.clv.is_none() && report.clv_histogram.is_none());
    assert!(report.bgnbd.fit_status.ok, "{:?}", report.bgnbd.fit_status);
    assert_eq!(report.p_alive.len(), 1525);
    assert!(report.likely_gone.rule.contains("number of purchases"));
    let codes: Vec<&str> = report.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["clv_no_spend"], "{:?}", report.warnings);
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["clv"].is_null() && json["total_clv"].is_null() && json["expected_spend"].is_null());
    assert_finite(&report);
}

#[test]
fn bad_calibration_date_is_a_param_error() {
    let tx = common::grocery();
    let customers = summarize(&tx, None).unwrap();
    for cal in [date(2030, 1, 1), date(1990, 1, 1)] {
        let params = ClvParams {
            calibration_end: Some(cal),
            ..Default::default()
        };
        match clv::fit(
            &clientele::history::History::build(&tx, &customers).unwrap(),
            &customers,
            &params,
        ) {
            Err(clientele::Error::InvalidParam { param, .. }) => assert_eq!(param, "calibration_end"),
            other => panic!("{cal}: {other:?}"),
        }
    }
}

/// The case on a real file: 12 months projected from CDNOW's first 4 months.
#[test]
fn twelve_months_from_four_months_of_cdnow_warns() {
    let tx = common::cdnow_sample();
    let customers = summarize(&tx, Some(date(1997, 5, 1))).unwrap();
    let report = clv::fit(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        &customers,
        &ClvParams::default(),
    )
    .unwrap();
    let w = report
        .warnings
        .iter()
        .find(|w| w.code == "clv_horizon_beyond_history")
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    eprintln!("{}", w.message);
    assert_eq!(w.params["history_days"], 120.0);
    assert_eq!(w.params["horizon_days"], 365.0);
    assert!(w.message.contains("at most 3 months"), "{}", w.message);
    assert_finite(&report);
}
