//! BG/NBD and Gamma-Gamma on the CDNOW sample against the published figures (Fader, Hardie &
//! Lee 2005; Fader & Hardie's Gamma-Gamma note) and against python lifetimes 0.11.3
//! (`tests/fixtures/clv/lifetimes_cdnow.json`, made by `make_lifetimes_fixture.py`).
mod common;

use chrono::NaiveDate;
use clientele::clv::{self, BgNbd, ClvParams, ClvReport, TimeUnit};
use clientele::customers::summarize;
use serde_json::Value;

#[path = "fixtures/clv/no_missing_numbers.rs"]
mod no_missing_numbers;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// CDNOW sample, calibration to 1997-09-30, holdout to 1998-06-30 (the data's last day).
fn cdnow_report() -> (ClvReport, clientele::customers::Customers) {
    let tx = common::cdnow_sample();
    let customers = summarize(&tx, None).unwrap();
    assert_eq!(customers.as_of, date(1998, 7, 1));
    let params = ClvParams {
        time_unit: TimeUnit::Weeks,
        calibration_end: Some(date(1997, 9, 30)),
        // The published BG/NBD figures; `auto` would pick by holdout error.
        model: clv::ClvModel::Bgnbd,
        ..Default::default()
    };
    (
        clv::fit(
            &clientele::history::History::build(&tx, &customers).unwrap(),
            &customers,
            &params,
        )
        .unwrap(),
        customers,
    )
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn bgnbd_matches_the_paper() {
    let (report, _) = cdnow_report();
    let fit = &report.bgnbd;
    let p = fit.params;
    eprintln!(
        "BG/NBD {p:?} LL {} status {:?}",
        fit.log_likelihood, fit.fit_status
    );
    eprintln!("estimates {:?}", fit.estimates);
    assert!(
        fit.fit_status.ok && fit.fit_status.penalty_used == 0.0,
        "{:?}",
        fit.fit_status
    );
    assert_eq!(fit.customers, 2357);
    assert!(rel(p.r, 0.2425945) < 0.005, "r {}", p.r);
    assert!(rel(p.alpha, 4.4136019) < 0.005, "alpha {}", p.alpha);
    assert!(rel(p.a, 0.7929199) < 0.005, "a {}", p.a);
    assert!(rel(p.b, 2.4258881) < 0.005, "b {}", p.b);
    assert!(
        (fit.log_likelihood - -9582.429).abs() < 0.01,
        "LL {}",
        fit.log_likelihood
    );
    assert!(fit.estimates.iter().all(|e| e.std_error.is_some_and(|s| s > 0.0)));
}

#[test]
fn gamma_gamma_matches_the_note() {
    let (report, _) = cdnow_report();
    let gg = report.gamma_gamma.as_ref().expect("amounts present");
    eprintln!(
        "Gamma-Gamma {:?} LL {} n {} status {:?}",
        gg.params, gg.log_likelihood, gg.customers, gg.fit_status
    );
    assert_eq!(gg.customers, 946);
    assert_eq!(gg.excluded_zero_spend, 0);
    assert!(gg.fit_status.ok, "{:?}", gg.fit_status);
    assert!(rel(gg.params.p, 6.25) < 0.01, "p {}", gg.params.p);
    assert!(rel(gg.params.q, 3.74) < 0.01, "q {}", gg.params.q);
    assert!(rel(gg.params.gamma, 15.44) < 0.01, "gamma {}", gg.params.gamma);
    assert!(
        (gg.log_likelihood - -4055.92).abs() < 0.05,
        "LL {}",
        gg.log_likelihood
    );
}

#[test]
fn spreadsheet_customer_from_the_paper() {
    let (report, _) = cdnow_report();
    let m = report.bgnbd.params;
    let e = m.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
    let p = m.p_alive(2.0, 30.43, 38.86);
    assert_eq!(format!("{e:.3}"), "1.226");
    assert_eq!(format!("{p:.3}"), "0.727");
}

#[test]
fn holdout_table_tracks_actual_purchases() {
    let (report, _) = cdnow_report();
    let h = report.calibration_holdout.as_ref().expect("holdout requested");
    assert_eq!(h.duration, 39.0);
    assert_eq!(h.rows.len(), 8);
    assert_eq!(h.rows.iter().map(|r| r.customers).sum::<u64>(), 2357);
    // The paper's Figure 4: conditional predictions follow the actual means within about
    // half a purchase in every group (the model is not perfect: x = 2 is under-predicted).
    for r in &h.rows {
        eprintln!("{r:?}");
        assert!((r.actual - r.predicted).abs() < 0.5, "{r:?}");
    }
    // Actual holdout means as lifetimes' calibration_and_holdout_data gives them (1,882 repeat
    // purchase days in the holdout).
    let lifetimes_actual = [
        0.236712, 0.697039, 1.392523, 1.56, 2.532258, 2.947368, 3.862069, 6.359375,
    ];
    for (r, want) in h.rows.iter().zip(lifetimes_actual) {
        assert!((r.actual - want).abs() < 1e-6, "{r:?} vs {want}");
    }
    let total_actual: f64 = h.rows.iter().map(|r| r.actual * r.customers as f64).sum();
    let total_predicted: f64 = h.rows.iter().map(|r| r.predicted * r.customers as f64).sum();
    assert!((total_actual - 1882.0).abs() < 1e-6);
    assert!(
        rel(total_predicted, total_actual) < 0.15,
        "{total_predicted} vs {total_actual}"
    );
    let fit = &report.repeat_purchase_fit;
    assert_eq!(fit.iter().map(|r| r.actual).sum::<u64>(), 2357);
    assert_eq!(fit[0].actual, 2357 - 946);
    assert!((fit.iter().map(|r| r.expected).sum::<f64>() - 2357.0).abs() < 1e-6);
}

fn fixture() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clv/lifetimes_cdnow.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key}"))
}

#[test]
fn agrees_with_lifetimes() {
    let (report, customers) = cdnow_report();
    let fx = fixture();
    let bg = &fx["bgnbd"];
    let p = report.bgnbd.params;
    for (mine, key) in [(p.r, "r"), (p.alpha, "alpha"), (p.a, "a"), (p.b, "b")] {
        assert!(rel(mine, f(bg, key)) < 1e-3, "{key}: {mine} vs {}", f(bg, key));
    }
    let gg = report.gamma_gamma.as_ref().unwrap().params;
    let fg = &fx["gamma_gamma"];
    for (mine, key) in [(gg.p, "p"), (gg.q, "q"), (gg.gamma, "gamma")] {
        assert!(rel(mine, f(fg, key)) < 1e-3, "{key}: {mine} vs {}", f(fg, key));
    }
    // Standard errors: lifetimes inverts autograd's Hessian, we a numeric one.
    for (e, key) in report.bgnbd.estimates.iter().zip(["r", "alpha", "a", "b"]) {
        let want = f(&fx["bgnbd_se"], key);
        let got = e.std_error.unwrap();
        assert!(rel(got, want) < 1e-3, "se {key}: {got} vs {want}");
    }
    for (e, key) in report
        .gamma_gamma
        .as_ref()
        .unwrap()
        .estimates
        .iter()
        .zip(["p", "q", "v"])
    {
        let want = f(&fx["gamma_gamma_se"], key);
        let got = e.std_error.unwrap();
        assert!(rel(got, want) < 1e-2, "se {key}: {got} vs {want}");
    }
    // Predictions from lifetimes' own parameters and ours, customer by customer.
    let theirs = BgNbd {
        r: f(bg, "r"),
        alpha: f(bg, "alpha"),
        a: f(bg, "a"),
        b: f(bg, "b"),
    };
    let tx = common::cdnow_sample();
    let cal = clv::repeat_summary(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        clientele::ingest::date_to_day(date(1997, 9, 30)),
        TimeUnit::Weeks,
    );
    let customers_rows = fx["customers"].as_array().unwrap();
    assert_eq!(customers_rows.len(), 20);
    for row in customers_rows {
        let id = row["id"].as_str().unwrap();
        let i = customers.id.iter().position(|c| c == id).unwrap();
        let c = i;
        let (x, t_x, t, m) = (cal.x[c], cal.t_x[c], cal.t[c], cal.mean_spend[c]);
        assert!((x - f(row, "x")).abs() < 1e-12 && (t_x - f(row, "t_x")).abs() < 1e-9);
        assert!(
            (t - f(row, "T")).abs() < 1e-9 && (m - f(row, "monetary")).abs() < 1e-9,
            "{id}"
        );
        for model in [theirs, p] {
            let e = model.conditional_expected_purchases(39.0, x, t_x, t);
            let pa = model.p_alive(x, t_x, t);
            assert!(
                rel(e, f(row, "expected_purchases_39")) < 1e-3,
                "{id}: E {e} vs {row}"
            );
            assert!(rel(pa, f(row, "p_alive")) < 1e-3, "{id}: P(alive) {pa} vs {row}");
        }
        let spend = gg.conditional_expected_spend(x, m);
        assert!(rel(spend, f(row, "expected_spend")) < 1e-3, "{id}: spend {spend}");
        let (value, _) = clv::customer_lifetime_value(&p, x, t_x, t, spend, 12, 0.01, 1.0, TimeUnit::Weeks);
        assert!(
            rel(value, f(row, "clv_12_months")) < 1e-3,
            "{id}: CLV {value} vs {row}"
        );
    }
    for (n, want) in fx["p_n_purchases_39"].as_array().unwrap().iter().enumerate() {
        let got = theirs.p_n_purchases(39.0, n as u32);
        assert!(
            rel(got, want.as_f64().unwrap()) < 1e-6,
            "P(X(39)={n}) {got} vs {want}"
        );
    }
    for (t, want) in fx["expected_purchases_population"].as_object().unwrap() {
        let got = theirs.expected_purchases(t.parse().unwrap());
        assert!(
            rel(got, want.as_f64().unwrap()) < 1e-6,
            "E[X({t})] {got} vs {want}"
        );
    }
}

#[test]
fn report_is_aligned_and_finite() {
    let (report, customers) = cdnow_report();
    let n = customers.len();
    assert_eq!(report.expected_purchases.len(), n);
    assert_eq!(report.p_alive.len(), n);
    assert_eq!(report.expected_spend.as_ref().unwrap().len(), n);
    assert_eq!(report.clv.as_ref().unwrap().len(), n);
    assert!(report
        .clv
        .as_ref()
        .unwrap()
        .iter()
        .all(|v| v.is_finite() && *v >= 0.0));
    assert!(report.p_alive.iter().all(|p| (0.0..=1.0).contains(p)));
    let grid = &report.frequency_recency;
    assert_eq!(grid.expected_purchases.len(), grid.frequency.len());
    assert!(grid.p_alive.iter().flatten().all(|v| v.is_finite()));
    assert!(report.likely_gone.customers.len() <= 100);
    assert!(report
        .likely_gone
        .customers
        .windows(2)
        .all(|w| w[0].value >= w[1].value));
    let bad = no_missing_numbers::bad_nulls(&serde_json::to_value(&report).unwrap());
    assert!(bad.is_empty(), "non-finite numbers at {bad:?}");
    // The paper's fit is plain and 12 months ahead of 18 months of data is within the history:
    // nothing to warn about (the spend-frequency correlation is 0.11 in the note, below 0.3).
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.bgnbd.unpenalised.is_none() && report.bgnbd.p_alive_shift.is_none());
}

#[test]
fn penalizer_means_what_it_means_in_lifetimes() {
    let tx = common::cdnow_sample();
    let customers = summarize(&tx, None).unwrap();
    let cal = clv::repeat_summary(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        clientele::ingest::date_to_day(date(1997, 9, 30)),
        TimeUnit::Weeks,
    );
    let fit = clv::fit_bgnbd(&cal.x, &cal.t_x, &cal.t, 0.01, 500);
    let want = &fixture()["bgnbd_penalizer_0.01"];
    let p = fit.params;
    for (mine, key) in [(p.r, "r"), (p.alpha, "alpha"), (p.a, "a"), (p.b, "b")] {
        assert!(
            rel(mine, f(want, key)) < 1e-3,
            "{key}: {mine} vs {}",
            f(want, key)
        );
    }
    assert!(fit.fit_status.ok, "{:?}", fit.fit_status);
}
