//! Exports nobody here prepared the code for (issue 11): Shopify, WooCommerce, Tableau
//! Superstore, basket files, Ta Feng-style files in UTF-8, Big5, GBK and GB18030, whole-number
//! currencies, a European spreadsheet CSV, the R `rfm` package's customer table, a file without
//! amounts and one with free lines. Each file's column mapping and per-customer figures are
//! checked against `tests/fixtures/exports/expected.json`, which pandas computed from the
//! generator's own data model (`make_exports.py`), never by reading the files back.
//! The same corpus runs in headless Chromium in `tests/wasm_exports.rs`.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/exports.rs"]
mod exports;

use clientele::report::{analyze, AnalyzeOptions};

fn run(file: &str) {
    let mut options = AnalyzeOptions::default();
    options.ingest.file_name = Some(file.to_string());
    let report = analyze(exports::bytes(file), &options, &mut |_| {})
        .map_err(|e| e.to_string())
        .map(|r| serde_json::to_value(&r).expect("the Report serializes"));
    exports::assert_outcome(file, exports::check(file, report));
}

macro_rules! corpus {
    ($($test:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run($file);
            }
        )*

        /// Every file the generator wrote has a test here, and no test names a missing file.
        #[test]
        fn every_corpus_file_has_a_test() {
            let mut listed = vec![$($file),*];
            let mut written: Vec<&str> = exports::EXPORT_FILES.iter().map(|(n, _)| *n).collect();
            listed.sort_unstable();
            written.sort_unstable();
            assert_eq!(listed, written);
        }
    };
}

corpus! {
    shopify_orders => "shopify_orders.csv",
    woocommerce_orders => "woocommerce_orders.csv",
    superstore => "superstore.csv",
    dunnhumby_baskets => "dunnhumby_baskets.csv",
    tafeng_utf8_traditional => "tafeng_utf8_traditional.csv",
    tafeng_big5 => "tafeng_big5.csv",
    tafeng_gbk_simplified => "tafeng_gbk_simplified.csv",
    tafeng_gb18030_yuan => "tafeng_gb18030_yuan.csv",
    jpy_pos_shift_jis => "jpy_pos_shift_jis.csv",
    krw_orders => "krw_orders.csv",
    cny_orders_whole_yuan => "cny_orders_whole_yuan.csv",
    european_semicolon_cp1252 => "european_semicolon_cp1252.csv",
    rfm_package_customers => "rfm_package_customers.csv",
    visits_no_amount => "visits_no_amount.csv",
    zero_value_lines => "zero_value_lines.csv",
}

/// The comparison itself: a report equal to the expectations passes, and one figure off by
/// a cent is named with the file, the customer, the field and both values.
#[test]
fn the_comparison_names_file_customer_and_field() {
    let file = "woocommerce_orders.csv";
    let mut options = AnalyzeOptions::default();
    options.ingest.file_name = Some(file.to_string());
    let exp = exports::expected(file);
    let report = analyze(exports::bytes(file), &options, &mut |_| {}).unwrap();
    let mut v = serde_json::to_value(&report).unwrap();
    // Make the report say what the expectations say (it passes), then spoil one figure.
    v["summary"]["frequency_unit"] = exp["frequency_unit"].clone();
    let id = v["customers"]["id"][0].as_str().unwrap().to_string();
    let want = exp["customers"][&id]["monetary"].as_f64().unwrap();
    for (i, cid) in v["customers"]["id"]
        .clone()
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let w = &exp["customers"][cid.as_str().unwrap()];
        for f in ["recency_days", "frequency", "monetary"] {
            v["customers"][f][i] = w[f].clone();
        }
    }
    v["summary"]["revenue"] = exp["revenue"].clone();
    v["summary"]["customers"] = exp["customer_count"].clone();
    v["as_of"] = exp["as_of"].clone();
    v["quality"]["encoding"] = exp["encoding"].clone();
    v["quality"]["table"] = exp["table"].clone();
    let columns: Vec<serde_json::Value> = exp["columns"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, h)| !h.is_null())
        .enumerate()
        .map(|(i, (role, header))| serde_json::json!({ "index": i, "header": header, "role": role }))
        .collect();
    let index_of = |h: &serde_json::Value| {
        columns
            .iter()
            .find(|c| c["header"] == *h)
            .map(|c| c["index"].clone())
    };
    let candidates: Vec<serde_json::Value> = exp["candidates"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(role, headers)| {
            let listed: Vec<serde_json::Value> = headers
                .as_array()
                .unwrap()
                .iter()
                .map(|h| serde_json::json!({ "header": h }))
                .collect();
            serde_json::json!({ "role": role, "used": index_of(&headers[0]), "columns": listed })
        })
        .collect();
    v["quality"]["candidates"] = candidates.into();
    v["quality"]["columns"] = columns.clone().into();
    let honest = exports::check(file, Ok(v.clone()));
    assert!(matches!(honest, exports::Outcome::Pass), "{honest:?}");
    v["customers"]["monetary"][0] = serde_json::json!(want + 0.01);
    match exports::check(file, Ok(v)) {
        exports::Outcome::Fail { diffs } => {
            let line = diffs
                .iter()
                .find(|d| d.contains(&id))
                .expect("a line for the customer");
            assert!(line.starts_with(file), "{line}");
            assert!(line.contains("monetary: expected"), "{line}");
        }
        other => panic!("a spoiled figure passed: {other:?}"),
    }
}
