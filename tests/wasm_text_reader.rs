//! Issue 12's text-reader findings in headless Chromium, through `analyzeBlob` in a dedicated
//! worker as the page reads files (8 MiB slices): a stray quote just before a slice boundary and
//! a quoted cell across it lose no row, Windows-1252 names after an ASCII start stay apart, and
//! a line past 16 MiB is a located error, not a crashed tab.
#![cfg(target_arch = "wasm32")]

use clientele::wasm::analyze_blob;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

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

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let parts = Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap()
}

fn options() -> JsValue {
    js_sys::JSON::parse(r#"{"run":{"clusters":false,"propensity":false,"clv":false}}"#).unwrap()
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

const SLICE: usize = 8 * 1024 * 1024;

#[wasm_bindgen_test]
fn stray_quote_and_latin1_across_the_8_mib_slice() {
    let note = "x".repeat(200);
    let mut bytes = b"customer,name,date,amount,note\n".to_vec();
    let (mut rows, mut stray_row, mut multi_row) = (0u64, 0u64, 0u64);
    while bytes.len() < SLICE + 300_000 {
        let i = rows;
        rows += 1;
        let row = rows + 1;
        let date = format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
        if stray_row == 0 && bytes.len() > SLICE - 700 {
            // A name cell that opens a quote and never closes, just before the slice ends.
            bytes.extend_from_slice(format!("c{},\"Bob,{date},5,{note}\n", i % 500).as_bytes());
            stray_row = row;
        } else if stray_row != 0 && multi_row == 0 {
            // A legit quoted note of two lines, its line break past the slice boundary.
            let pad = "y".repeat(SLICE.saturating_sub(bytes.len()) + 20);
            bytes.extend_from_slice(format!("c1,n,{date},6,\"{pad}\nsecond line\"\n").as_bytes());
            multi_row = row;
        } else if multi_row != 0 && multi_row + 3 <= row && row < multi_row + 6 {
            // Windows-1252 names, far past the first 64 KiB of ASCII.
            let name = ["Müller", "Möller", "Mäller"][(row - multi_row - 3) as usize];
            let (b, _, _) = encoding_rs::WINDOWS_1252.encode(name);
            bytes.extend_from_slice(&b);
            bytes.extend_from_slice(format!(",n,{date},7,{note}\n").as_bytes());
        } else {
            bytes
                .extend_from_slice(format!("c{},n{i},{date},{}.25,{note}\n", i % 500, 1 + i % 90).as_bytes());
        }
    }
    assert!(multi_row > stray_row && stray_row > 0);
    let analysis =
        analyze_blob(blob(&bytes), options(), None, None).unwrap_or_else(|e| panic!("{}", message(&e)));
    let report = analysis.report().unwrap();
    let q = get(&report, "quality");
    assert_eq!(num(&q, "rows_read"), rows as f64);
    assert_eq!(num(&q, "rows_used"), rows as f64 - 1.0);
    let skipped: Array = get(&q, "skipped").unchecked_into();
    assert_eq!(skipped.length(), 1);
    let s = skipped.get(0);
    assert_eq!(get(&s, "reason").as_string().unwrap(), "unterminated_quote");
    assert_eq!(num(&s, "rows"), 1.0);
    assert_eq!(num(&s, "example_rows.0"), stray_row as f64);
    assert_eq!(get(&q, "encoding").as_string().unwrap(), "windows-1252");
    // 500 customers c0…c499, and Müller, Möller, Mäller apart.
    assert_eq!(num(&report, "summary.customers"), 503.0);
    let warnings: Array = get(&q, "warnings").unchecked_into();
    // Each warning is { code, params, message }: the English sentence is `message`.
    let warnings: Vec<String> = warnings
        .iter()
        .filter_map(|w| get(&w, "message").as_string())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with(&format!("Row {stray_row} has a quote"))),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("decided again")),
        "{warnings:?}"
    );
}

#[wasm_bindgen_test]
fn a_line_past_16_mib_is_a_located_error_in_the_page() {
    let mut bytes = b"customer,date,amount\nc1,2024-01-05,10\n".to_vec();
    bytes.resize(bytes.len() + (17 << 20), b'a');
    bytes.extend_from_slice(b"\nc2,2024-01-06,11\n");
    let e = match analyze_blob(blob(&bytes), options(), None, None) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    };
    assert_eq!(
        get(&e, "kind").as_string().unwrap(),
        "line_too_long",
        "{}",
        message(&e)
    );
    assert_eq!(num(&e, "row"), 3.0);
    assert!(message(&e).contains("16 MiB"), "{}", message(&e));
}
