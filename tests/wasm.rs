//! The wasm boundary in a real browser (wasm-bindgen-test in headless Chromium): figures of a
//! small file through `reportJson()` / `customersCsv()`, located JS errors, determinism, and a
//! CDNOW sample run whose JSON is byte-identical to the native one (both are checked against
//! the same committed hash: the native half runs under plain `cargo test --test wasm`).
//!
//! Browser run: `CHROMEDRIVER=/usr/bin/chromedriver
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm`.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The sample the page ships; the same bytes natively and in the browser.
const CDNOW_SAMPLE: &[u8] = include_bytes!("../www/sample/CDNOW_sample.txt");

/// FNV-1a 64 of the CDNOW sample's Report JSON with default options, as 16 hex digits: the
/// same committed file `tests/wasm_clv.rs` checks the core against. If the Report changes on
/// purpose, rerun the native test here: it prints the new value.
const CDNOW_REPORT_FNV: &str = include_str!("fixtures/cdnow_sample_report.fnv");

/// Six customers with hand-checkable figures (as-of = 2024-01-11, the day after the last).
const SMALL_CSV: &str = "customer,date,amount\n\
A1,2024-01-01,10.00\n\
B2,2024-01-05,20.50\n\
A1,2024-01-10,5.00\n\
C3,2024-01-10,7.25\n\
D4,2024-01-02,3.00\n\
E5,2024-01-03,42.00\n\
F6,2024-01-04,1.99\n\
E5,2024-01-08,8.00\n";

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;
    use clientele::report::{analyze, AnalyzeOptions};

    #[test]
    fn cdnow_report_json_matches_the_committed_hash() {
        let report = analyze(CDNOW_SAMPLE, &AnalyzeOptions::default(), &mut |_| {}).unwrap();
        let json = serde_json::to_string(&report).unwrap();
        let hash = format!("{:016x}", fnv1a(json.as_bytes()));
        println!("CDNOW sample Report JSON: {} bytes, FNV-1a {hash}", json.len());
        assert_eq!(hash, CDNOW_REPORT_FNV.trim());
    }

    /// The figures the browser test expects, natively: the two must agree.
    #[test]
    fn small_file_figures_natively() {
        let report = analyze(SMALL_CSV.as_bytes(), &AnalyzeOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(report.summary.customers, 6);
        assert!((report.summary.revenue.unwrap() - 97.74).abs() < 1e-9);
        let csv = clientele::report::customers_csv(&report);
        assert!(csv.split("\r\n").nth(1).unwrap().starts_with("A1,1,2,15.00,"));
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::*;
    use clientele::wasm::{analyze, Analysis};
    use js_sys::{Array, Function, Object, Reflect};
    use serde_json::Value;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn run(bytes: &[u8]) -> Result<Analysis, JsValue> {
        analyze(bytes, JsValue::UNDEFINED, None)
    }

    fn report(a: &Analysis) -> Value {
        serde_json::from_str(&a.report_json().unwrap()).unwrap()
    }

    /// Options as the page passes them: a plain JS object.
    fn options(json: &str) -> JsValue {
        js_sys::JSON::parse(json).unwrap()
    }

    fn field(v: &JsValue, key: &str) -> JsValue {
        Reflect::get(v, &key.into()).unwrap()
    }

    #[wasm_bindgen_test]
    fn small_file_figures() {
        let a = run(SMALL_CSV.as_bytes()).unwrap();
        let r = report(&a);
        assert_eq!(r["as_of"], "2024-01-11");
        assert_eq!(r["summary"]["customers"], 6);
        assert_eq!(r["summary"]["orders"], 8);
        let revenue = r["summary"]["revenue"].as_f64().unwrap();
        assert!((revenue - 97.74).abs() < 1e-9, "{revenue}");
        let ids: Vec<&str> = r["customers"]["id"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["A1", "B2", "C3", "D4", "E5", "F6"],
            "order of first appearance"
        );
        assert_eq!(r["customers"]["recency_days"][0], 1);
        assert_eq!(r["customers"]["frequency"][0], 2);
        assert_eq!(r["quality"]["rows_read"], 8);
        assert_eq!(r["quality"]["rows_used"], 8);
        assert_eq!(r["rfm"]["segments"].as_array().unwrap().len(), 11);

        let csv = a.customers_csv();
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0]
            .starts_with("customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment"));
        assert_eq!(
            lines.len(),
            8,
            "header + 6 rows + the empty tail after the last CRLF"
        );
        assert!(lines[1].starts_with("A1,1,2,15.00,"), "{}", lines[1]);
        assert!(lines[5].starts_with("E5,3,2,50.00,"), "{}", lines[5]);
        assert_eq!(lines[7], "");

        // report() is the same data as reportJson(), as a JS object.
        let obj = a.report().unwrap();
        let summary = field(&obj, "summary");
        assert_eq!(field(&summary, "customers").as_f64(), Some(6.0));
    }

    #[wasm_bindgen_test]
    fn progress_reaches_done() {
        let seen = Array::new();
        let cb = Function::new_with_args("p", "this.push(p.stage)").bind0(&seen);
        analyze(SMALL_CSV.as_bytes(), Object::new().into(), Some(cb)).unwrap();
        let stages: Vec<String> = seen.iter().filter_map(|v| v.as_string()).collect();
        assert_eq!(stages.first().map(String::as_str), Some("reading"));
        assert_eq!(stages.last().map(String::as_str), Some("done"));
    }

    #[wasm_bindgen_test]
    fn a_bad_date_is_a_located_js_error() {
        let mut text = String::from("customer,date,amount\n");
        for i in 0..20 {
            text.push_str(&format!("C{i},someday {i},5.00\n"));
        }
        let options = options(r#"{ "ingest": { "file_name": "dates.csv" } }"#);
        let err = analyze(text.as_bytes(), options, None)
            .err()
            .expect("bad dates must fail");
        let err: js_sys::Error = err.dyn_into().expect("a JS Error");
        let message = String::from(err.message());
        assert!(message.contains("dates.csv"), "{message}");
        assert!(message.contains("row "), "{message}");
        assert!(message.contains("column \"date\""), "{message}");
        assert_eq!(field(&err, "kind").as_string().as_deref(), Some("bad_dates"));
        assert_eq!(field(&err, "column").as_string().as_deref(), Some("date"));
        assert!(field(&err, "row").as_f64().is_some());
        assert_eq!(field(&err, "file").as_string().as_deref(), Some("dates.csv"));
    }

    #[wasm_bindgen_test]
    fn empty_input_and_bad_options_are_js_errors_with_a_kind() {
        let err = run(b"").err().unwrap();
        assert_eq!(field(&err, "kind").as_string().as_deref(), Some("empty"));
        let err = analyze(SMALL_CSV.as_bytes(), options(r#"{ "rfm": { "bins": 1 } }"#), None)
            .err()
            .unwrap();
        assert_eq!(field(&err, "kind").as_string().as_deref(), Some("invalid_option"));
        let err = analyze(SMALL_CSV.as_bytes(), JsValue::from("nonsense"), None)
            .err()
            .unwrap();
        assert!(err.is_instance_of::<js_sys::Error>());
    }

    #[wasm_bindgen_test]
    fn two_runs_give_identical_json() {
        let first = run(CDNOW_SAMPLE).unwrap().report_json().unwrap();
        let second = run(CDNOW_SAMPLE).unwrap().report_json().unwrap();
        assert!(first == second, "two runs on the same bytes differ");
    }

    #[wasm_bindgen_test]
    fn cdnow_report_json_is_byte_identical_to_native() {
        let a = run(CDNOW_SAMPLE).unwrap();
        let json = a.report_json().unwrap();
        let r: Value = serde_json::from_str(&json).unwrap();
        // The boundary gives the core the browser's day (`ingest.today`); the native Report has
        // none. That one field aside, the bytes must be the same.
        let today = r["quality"]["dates"]["today"]
            .as_str()
            .expect("the browser's day")
            .to_string();
        let json = json.replacen(&format!("\"today\":\"{today}\""), "\"today\":null", 1);
        // 2,357 customers, less the 8 whose only purchases are zero-dollar lines (skipped by default).
        assert_eq!(r["summary"]["customers"], 2349);
        let hash = format!("{:016x}", fnv1a(json.as_bytes()));
        assert_eq!(
            hash,
            CDNOW_REPORT_FNV.trim(),
            "reportJson() differs from the native Report JSON ({} bytes)",
            json.len()
        );
        let csv = a.customers_csv();
        assert_eq!(csv.split("\r\n").count(), 2349 + 2);
    }
}
