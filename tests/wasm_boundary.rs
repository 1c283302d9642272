//! The wasm-bindgen boundary (`src/wasm.rs`) as the page's worker calls it, in headless
//! Chromium: a small embedded CSV gives the expected figures as a plain JS object, the export
//! comes from the core, bad files throw a JS `Error` carrying the core's located message with
//! `file` / `row` / `column` / `kind` fields, and two runs give the same bytes.
#![cfg(target_arch = "wasm32")]

use clientele::wasm::{analyze, analyze_blob, Analysis};
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Six customers, eight orders (RFM needs at least as many customers as its 5 bins); as-of
/// defaults to 2024-01-11, the day after the last purchase.
const ORDERS: &[u8] = b"customer_id,order_id,date,amount\n\
A,1,2024-01-01,10.00\n\
A,2,2024-01-05,20.00\n\
B,3,2024-01-03,5.50\n\
C,4,2024-01-10,100\n\
B,5,2024-01-10,4.50\n\
D,6,2024-01-02,7\n\
E,7,2024-01-04,8\n\
F,8,2024-01-06,9\n";

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, key| {
        Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED)
    })
}

fn num(v: &JsValue, path: &str) -> f64 {
    get(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

fn text(v: &JsValue, path: &str) -> String {
    get(v, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn run(bytes: &[u8], opts: JsValue) -> Analysis {
    analyze(bytes, opts, None).unwrap_or_else(|e| panic!("{}", error_message(&e)))
}

fn error_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

fn fails(bytes: &[u8]) -> JsValue {
    match analyze(bytes, options(r#"{"ingest":{"file_name":"orders.csv"}}"#), None) {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "a JS Error: {e:?}");
            e
        }
    }
}

#[wasm_bindgen_test]
fn small_csv_gives_the_figures_as_a_plain_object() {
    let analysis = run(ORDERS, JsValue::UNDEFINED);
    let report = analysis.report().unwrap();
    assert!(report.is_object());
    // Dates are plain strings and columns plain arrays: the page maps them without parsing.
    assert_eq!(text(&report, "as_of"), "2024-01-11");
    assert_eq!(num(&report, "summary.customers"), 6.0);
    assert_eq!(num(&report, "summary.orders"), 8.0);
    assert!((num(&report, "summary.revenue") - 164.0).abs() < 1e-9);
    assert_eq!(num(&report, "quality.rows_read"), 8.0);
    assert_eq!(num(&report, "quality.rows_used"), 8.0);

    let ids = Array::from(&get(&report, "customers.id"));
    let ids: Vec<String> = ids.iter().filter_map(|v| v.as_string()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "F"], "order of first appearance");
    let column = |name: &str| -> Vec<f64> {
        Array::from(&get(&report, &format!("customers.{name}")))
            .iter()
            .filter_map(|v| v.as_f64())
            .collect()
    };
    assert_eq!(column("recency_days"), [6.0, 1.0, 1.0, 9.0, 7.0, 5.0]);
    assert_eq!(column("frequency"), [2.0, 2.0, 1.0, 1.0, 1.0, 1.0]);
    assert_eq!(column("monetary"), [30.0, 10.0, 100.0, 7.0, 8.0, 9.0]);

    // The handle's report equals the JSON text the CLI writes.
    let from_text = js_sys::JSON::parse(&analysis.report_json().unwrap()).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&from_text).unwrap(),
        js_sys::JSON::stringify(&report).unwrap()
    );
}

#[wasm_bindgen_test]
fn export_comes_from_the_core() {
    let analysis = run(ORDERS, JsValue::UNDEFINED);
    let csv = analysis.customers_csv();
    let report = clientele::report::analyze(ORDERS, &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(csv, clientele::report::customers_csv(&report));
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("customer_id,"), "{header}");
    assert_eq!(lines.count(), 6, "one row per customer");
}

#[wasm_bindgen_test]
fn progress_is_reported_and_options_are_read() {
    let calls = Array::new();
    let sink = calls.clone();
    let progress = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        sink.push(&p);
    });
    let f: &Function = progress.as_ref().unchecked_ref();
    let analysis = analyze(
        ORDERS,
        options(r#"{"as_of":"2024-02-01","run":{"propensity":false,"clv":false}}"#),
        Some(f.clone()),
    )
    .unwrap();
    assert!(calls.length() > 0, "progress was called");
    let last = calls.get(calls.length() - 1);
    assert!(get(&last, "stage").is_string());
    assert!((0.0..=1.0).contains(&num(&last, "fraction")));
    let report = analysis.report().unwrap();
    assert_eq!(text(&report, "as_of"), "2024-02-01");
    assert_eq!(text(&report, "propensity.status"), "skipped");
    assert_eq!(text(&report, "clv.status"), "skipped");

    let bad = analyze(ORDERS, options(r#"{"rfm":{"bins":1}}"#), None);
    let e = bad.err().expect("bins = 1 is refused");
    assert_eq!(text(&e, "kind"), "invalid_option");
    assert_eq!(text(&e, "param"), "rfm.bins");
    assert!(
        error_message(&e).starts_with("invalid option rfm.bins: "),
        "{}",
        error_message(&e)
    );
    let bad = analyze(ORDERS, options(r#"{"clv":{"horizon_months":"twelve"}}"#), None);
    let e = bad.err().expect("a text horizon is refused");
    assert_eq!(text(&e, "kind"), "invalid_option");
    assert_eq!(text(&e, "param"), "clv.horizon_months");
    assert!(
        error_message(&e).starts_with("invalid option clv.horizon_months: invalid type"),
        "{}",
        error_message(&e)
    );
}

#[wasm_bindgen_test]
fn errors_are_located_js_errors() {
    let e = fails(b"");
    assert!(
        error_message(&e).starts_with("orders.csv: the file is empty"),
        "{}",
        error_message(&e)
    );
    assert_eq!(text(&e, "kind"), "empty");
    assert_eq!(text(&e, "file"), "orders.csv");

    let e = fails(b"customer,InvoiceDate,amount\nA,2024-01-05,1\nB,hello,2\nC,world,3\nD,soon,4\n");
    assert!(
        error_message(&e).starts_with("orders.csv, row 3, column \"InvoiceDate\""),
        "{}",
        error_message(&e)
    );
    assert_eq!(num(&e, "row"), 3.0);
    assert_eq!(text(&e, "column"), "InvoiceDate");
    assert_eq!(text(&e, "kind"), "bad_dates");

    let e = fails(b"customer,amount\nA,3.50\nB,4.00\n");
    assert!(
        error_message(&e).contains("purchase date"),
        "{}",
        error_message(&e)
    );

    let e = fails(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0");
    assert!(error_message(&e).contains("binary"), "{}", error_message(&e));

    let e =
        fails(b"customer,date,amount\nA,2024-01-05\nB,2024-01-06\nC,2024-01-07,3,extra\nD,2024-01-08,4\n");
    assert_eq!(num(&e, "row"), 2.0);

    // The boundary stays usable after an error.
    assert_eq!(
        num(
            &run(ORDERS, JsValue::UNDEFINED).report().unwrap(),
            "summary.customers"
        ),
        6.0
    );
}

#[wasm_bindgen_test]
fn blob_reading_outside_a_worker_is_an_error_not_a_panic() {
    // FileReaderSync exists only in workers; the page always calls analyzeBlob from one.
    let parts = Array::of1(&js_sys::Uint8Array::from(ORDERS));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    match analyze_blob(blob, JsValue::UNDEFINED, None, None) {
        Ok(a) => assert_eq!(num(&a.report().unwrap(), "summary.customers"), 6.0),
        Err(e) => assert!(!error_message(&e).is_empty()),
    }
}

/// 300 customers over two years, built deterministically: big enough for the propensity
/// split (the part that takes a seed), small enough for a debug build in a busy browser.
fn synthetic_orders() -> Vec<u8> {
    let start = chrono::NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
    let mut csv = String::from("customer,order,date,amount\n");
    let mut order = 0;
    for c in 0..300u32 {
        for j in 0..1 + (c * 7 + c / 11) % 6 {
            order += 1;
            let day = start + chrono::Days::new(u64::from((c * 37 + j * 53 + j * j * 11) % 720));
            let cents = 500 + (c * 1301 + j * 2917) % 20_000;
            csv.push_str(&format!(
                "C{c:04},{order},{day},{}.{:02}\n",
                cents / 100,
                cents % 100
            ));
        }
    }
    csv.into_bytes()
}

#[wasm_bindgen_test]
fn same_file_and_seed_give_the_same_bytes() {
    let bytes = synthetic_orders();
    // CLV is left out to keep the debug-build run short (its cross-target equality is
    // tests/wasm_clv.rs).
    let opts = r#"{"propensity":{"seed":7},"run":{"clv":false}}"#;
    let a = run(&bytes, options(opts));
    let b = run(&bytes, options(opts));
    assert_eq!(a.report_json().unwrap(), b.report_json().unwrap());
    assert_eq!(a.customers_csv(), b.customers_csv());
    let report = a.report().unwrap();
    assert_eq!(num(&report, "summary.customers"), 300.0);
    assert_eq!(text(&report, "propensity.status"), "ok", "the seed is used");
    // And the same bytes as the core gives when called directly, without the boundary.
    // The boundary fills `ingest.today` from the browser's clock; the core takes it as given.
    let mut native_opts: clientele::report::AnalyzeOptions = serde_json::from_str(opts).unwrap();
    native_opts.ingest.today = Some(text(&report, "quality.dates.today"));
    let direct = clientele::report::analyze(&bytes, &native_opts, &mut |_| {}).unwrap();
    assert_eq!(a.report_json().unwrap(), serde_json::to_string(&direct).unwrap());
    // Another seed is another split, so the validation figures move.
    let c = run(
        &bytes,
        options(r#"{"propensity":{"seed":8},"run":{"clv":false}}"#),
    );
    assert_ne!(a.report_json().unwrap(), c.report_json().unwrap());
}

/// What the page receives is bounded: `pageReport()` has no per-customer arrays, the customer
/// table comes in pages (`customerRows`) in the core's order, the export in chunks whose
/// concatenation is `customersCsv()` (with the UTF-8 BOM first for "CSV for Excel"), and a
/// page report over its bound is an error of kind `result_too_large` naming the limit.
#[wasm_bindgen_test]
fn page_report_is_bounded_and_customers_are_paged() {
    let analysis = run(ORDERS, JsValue::UNDEFINED);
    let page = analysis.page_report(None).unwrap();
    assert!(get(&page, "customers").is_undefined());
    assert!(get(&page, "rfm.segment").is_undefined());
    assert!(get(&page, "rfm.segments").is_object());
    assert_eq!(num(&page, "summary.customers"), 6.0);
    assert_eq!(text(&page, "customer_order"), "monetary");
    let top = Array::from(&get(&page, "top_customers"));
    assert_eq!(top.length(), 6);
    // C spent 100, the most.
    assert_eq!(text(&top.get(0), "id"), "C");
    let rows = Array::from(&analysis.customer_rows(1, 2).unwrap());
    assert_eq!(rows.length(), 2);
    assert_eq!(
        js_sys::JSON::stringify(&rows.get(0)).unwrap(),
        js_sys::JSON::stringify(&top.get(1)).unwrap()
    );
    assert_eq!(analysis.customer_count(), 6);
    let chunks: String = (0..6)
        .step_by(4)
        .map(|s| analysis.customers_csv_chunk(s, s + 4, false))
        .collect();
    assert_eq!(chunks, analysis.customers_csv());
    let excel = analysis.customers_csv_chunk(0, 6, true);
    assert_eq!(
        excel.strip_prefix('\u{feff}'),
        Some(analysis.customers_csv().as_str())
    );
    let err = analysis.page_report_json(Some(100.0)).unwrap_err();
    assert_eq!(text(&err, "kind"), "result_too_large");
    assert_eq!(num(&err, "limit"), 100.0);
    assert!(error_message(&err).contains("limit of 100 bytes"));
}
