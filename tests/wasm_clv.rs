//! The lifetime-value fits on the CDNOW sample, run both natively and in headless Chromium
//! (wasm-bindgen-test): the published BG/NBD and Gamma-Gamma figures must hold on both
//! targets, through the real ingest path (bytes → Transactions), and the whole Report for the
//! file must be the same JSON on both targets.
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use chrono::NaiveDate;
use clientele::clv::{self, ClvParams, TimeUnit};
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
