//! The lifetime-value fits on the CDNOW sample, run both natively and in headless Chromium
//! (wasm-bindgen-test): the published BG/NBD and Gamma-Gamma figures must hold on both
//! targets, through the real ingest path (bytes → Transactions), and the whole Report for the
//! file must be the same JSON on both targets. The three purchase models (BG/NBD, MBG/NBD,
//! Pareto/NBD) reproduce python lifetimes 0.11.3 (`fixtures/clv/lifetimes_models_cdnow.json`,
//! made by `make_models_fixture.py`) and FHL's published Pareto/NBD fit on both targets.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use chrono::NaiveDate;
use clientele::clv::{self, ClvParams, PurchaseModelKind, PurchasePredictions, TimeUnit};
use clientele::customers::summarize;
use clientele::ingest::{read, IngestOptions};
use clientele::report::{analyze, AnalyzeOptions};

const CDNOW_SAMPLE: &[u8] = include_bytes!("../www/sample/CDNOW_sample.txt");

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn cdnow_published_fits_hold_on_this_target() {
    // The published fits count every purchase, the zero-dollar ones too.
    let keep = IngestOptions {
        keep_zero_amount: true,
        ..Default::default()
    };
    let (tx, _) = read(CDNOW_SAMPLE, &keep).unwrap();
    let customers = summarize(&tx, None).unwrap();
    let params = ClvParams {
        time_unit: TimeUnit::Weeks,
        calibration_end: NaiveDate::from_ymd_opt(1997, 9, 30),
        model: clv::ClvModel::Bgnbd,
        ..Default::default()
    };
    let report = clv::fit(
        &clientele::history::History::build(&tx, &customers).unwrap(),
        &customers,
        &params,
    )
    .unwrap();
    let p = report.bgnbd.params;
    assert!(rel(p.r, 0.2425945) < 0.005, "r {}", p.r);
    assert!(rel(p.alpha, 4.4136019) < 0.005, "alpha {}", p.alpha);
    assert!(rel(p.a, 0.7929199) < 0.005, "a {}", p.a);
    assert!(rel(p.b, 2.4258881) < 0.005, "b {}", p.b);
    assert!((report.bgnbd.log_likelihood - -9582.429).abs() < 0.01);
    let gg = report.gamma_gamma.as_ref().unwrap();
    assert_eq!(gg.customers, 946);
    assert!(rel(gg.params.p, 6.25) < 0.01, "p {}", gg.params.p);
    assert!(rel(gg.params.q, 3.74) < 0.01, "q {}", gg.params.q);
    assert!(rel(gg.params.gamma, 15.44) < 0.01, "gamma {}", gg.params.gamma);
    // The paper's spreadsheet customer: x = 2, t_x = 30.43, T = 38.86.
    let model = p;
    assert!((model.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86) - 1.226).abs() < 0.0005);
    assert!((model.p_alive(2.0, 30.43, 38.86) - 0.727).abs() < 0.0005);
}

/// Each purchase model fitted on the CDNOW sample's calibration period (to 1997-09-30, weeks)
/// against lifetimes: parameters within 0.5 %, log-likelihood within 0.05, every customer's
/// P(alive) and 39-week expected purchases within 0.01; Pareto/NBD also against FHL's note.
#[test]
fn three_purchase_models_match_lifetimes_on_this_target() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/clv/lifetimes_models_cdnow.json")).unwrap();
    let keep = IngestOptions {
        keep_zero_amount: true,
        ..Default::default()
    };
    let (tx, _) = read(CDNOW_SAMPLE, &keep).unwrap();
    let customers = summarize(&tx, None).unwrap();
    let history = clientele::history::History::build(&tx, &customers).unwrap();
    let cal = clientele::time::date_to_day(NaiveDate::from_ymd_opt(1997, 9, 30).unwrap());
    let window = clv::repeat_summary(&history, cal, TimeUnit::Weeks);
    let row: std::collections::HashMap<&str, usize> = customers
        .id
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let ids = fixture["customers"]["id"].as_array().unwrap();
    let rows: Vec<usize> = ids.iter().map(|id| row[id.as_str().unwrap()]).collect();
    let pick = |v: &[f64]| rows.iter().map(|&c| v[c]).collect::<Vec<f64>>();
    let (x, t_x, t) = (pick(&window.x), pick(&window.t_x), pick(&window.t));
    assert_eq!(x.len(), 2357);
    for (i, want) in fixture["customers"]["x"].as_array().unwrap().iter().enumerate() {
        assert_eq!(x[i], want.as_f64().unwrap(), "x of {}", ids[i]);
    }
    for kind in PurchaseModelKind::ALL {
        let want = &fixture["models"][kind.code()];
        let fit = clv::fit_purchase_model(kind, &x, &t_x, &t, 0.0, 500);
        assert!(
            fit.fit_status.ok && fit.fit_status.penalty_used == 0.0,
            "{kind:?} {:?}",
            fit.fit_status
        );
        for e in &fit.estimates {
            let w = want["params"][e.name.as_str()].as_f64().unwrap();
            assert!(rel(e.value, w) < 0.005, "{kind:?} {} {} vs {w}", e.name, e.value);
            assert!(e.std_error.is_some_and(|s| s > 0.0), "{kind:?} {e:?}");
        }
        let ll = want["ll"].as_f64().unwrap();
        assert!(
            (fit.log_likelihood - ll).abs() < 0.05,
            "{kind:?} LL {} vs {ll}",
            fit.log_likelihood
        );
        let model = fit.params;
        let mut worst = (0.0f64, 0.0f64);
        for i in 0..x.len() {
            let p = model.p_alive(x[i], t_x[i], t[i]);
            let e = model.conditional_expected_purchases(39.0, x[i], t_x[i], t[i]);
            let pw = want["p_alive"][i].as_f64().unwrap();
            let ew = want["expected_purchases_39"][i].as_f64().unwrap();
            worst = (worst.0.max((p - pw).abs()), worst.1.max((e - ew).abs()));
        }
        assert!(
            worst.0 < 0.01 && worst.1 < 0.01,
            "{kind:?}: largest P(alive) and E[Y(39)] gaps {worst:?}"
        );
        for (h, ew) in want["expected_purchases_population"].as_object().unwrap() {
            let e = model.expected_purchases(h.parse().unwrap());
            assert!(
                rel(e, ew.as_f64().unwrap()) < 0.005,
                "{kind:?} E[X({h})] {e} vs {ew}"
            );
        }
        if kind == PurchaseModelKind::Pnbd {
            // Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model".
            for (e, published) in fit.estimates.iter().zip([0.5533, 10.578, 0.6062, 11.665]) {
                assert!(
                    rel(e.value, published) < 0.001,
                    "{} {} vs {published}",
                    e.name,
                    e.value
                );
            }
            assert!(
                (fit.log_likelihood - -9594.97).abs() < 0.02,
                "LL {}",
                fit.log_likelihood
            );
        }
    }
}

/// FNV-1a, so both targets compare one number without a dependency.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn cdnow_report_json_is_the_same_on_every_target() {
    let report = analyze(CDNOW_SAMPLE, &AnalyzeOptions::default(), &mut |_| {}).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let expected = include_str!("fixtures/cdnow_sample_report.fnv").trim();
    assert_eq!(
        format!("{:016x}", fnv(json.as_bytes())),
        expected,
        "Report JSON differs from the native one"
    );
}
