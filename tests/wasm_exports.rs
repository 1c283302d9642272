//! The export corpus of `tests/exports_corpus.rs` in a real browser (wasm-bindgen-test in
//! headless Chromium), through the page's own boundary (`analyze` + `reportJson()`), held to
//! the same expectations by the same comparison (`tests/common/exports.rs`).
//!
//! Browser run: `CHROMEDRIVER=/usr/bin/chromedriver
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test wasm_exports`.
//! Natively this file only checks that it names every corpus file.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "common/exports.rs"]
mod exports;

macro_rules! corpus {
    ($($test:ident => $file:literal,)*) => {
        #[cfg(target_arch = "wasm32")]
        mod browser {
            use super::exports;
            use wasm_bindgen::{JsCast, JsValue};
            use wasm_bindgen_test::wasm_bindgen_test;

            /// A JS error as text: its message, or its JSON.
            fn error_text(e: JsValue) -> String {
                if let Some(err) = e.dyn_ref::<js_sys::Error>() {
                    return String::from(err.message());
                }
                js_sys::JSON::stringify(&e)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_else(|| format!("{e:?}"))
            }

            fn run(file: &str) {
                let options = js_sys::JSON::parse(&exports::options_json(file)).unwrap();
                let report = clientele::wasm::analyze(exports::bytes(file), options, None)
                    .map_err(error_text)
                    .and_then(|a| a.report_json().map_err(error_text))
                    .map(|json| serde_json::from_str(&json).expect("reportJson() parses"));
                exports::assert_outcome(file, exports::check(file, report));
            }

            $(
                #[wasm_bindgen_test]
                fn $test() {
                    run($file);
                }
            )*
        }

        /// Every file the generator wrote runs in the browser too.
        #[cfg(not(target_arch = "wasm32"))]
        #[test]
        fn every_corpus_file_runs_in_the_browser() {
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
