//! The file's currency (issue 17): guessed from the money cells' marks, the money columns'
//! names and a currency column, shown with its evidence and alternatives, overridden by the
//! `ingest.currency` option; unknown (absent) when nothing in the file tells. Checked on
//! exports in the shapes shops write (`tests/fixtures/currency/make_currency.py`: a Chinese
//! shop export in GBK, a euro POS export, a mixed-currency column, a Taiwan export in Big5)
//! and on the export corpus of issue 11 (`tests/fixtures/exports/`: Shopify, WooCommerce, …).

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/exports.rs"]
mod exports;

use clientele::ingest::{read_table_from, CurrencySource, IngestOptions, QualityReport};
use clientele::report::{analyze, AnalyzeOptions};

fn quality(bytes: &[u8], options: &IngestOptions) -> QualityReport {
    read_table_from(bytes, None, options, &mut |_| true)
        .map_err(|e| e.to_string())
        .expect("the file reads")
        .1
}

fn currency(bytes: &[u8]) -> (Option<String>, Option<CurrencySource>, Vec<String>) {
    let q = quality(bytes, &IngestOptions::default());
    match q.currency {
        Some(c) => (c.code, Some(c.source), c.alternatives),
        None => (None, None, Vec::new()),
    }
}

/// The exports of `tests/fixtures/currency/make_currency.py`.
const CHINESE_SHOP_GBK: &[u8] = include_bytes!("fixtures/currency/chinese_shop_gbk.csv");
const EURO_POS: &[u8] = include_bytes!("fixtures/currency/euro_pos.csv");
const MIXED_CURRENCY: &[u8] = include_bytes!("fixtures/currency/mixed_currency.csv");
const TAIWAN_BIG5: &[u8] = include_bytes!("fixtures/currency/taiwan_big5.csv");

fn chinese_shop_gbk() -> Vec<u8> {
    CHINESE_SHOP_GBK.to_vec()
}

#[test]
fn a_chinese_shop_export_in_gbk_is_in_yuan() {
    let bytes = chinese_shop_gbk();
    let q = quality(&bytes, &IngestOptions::default());
    assert_eq!(q.encoding, "GBK");
    let c = q.currency.expect("a currency");
    assert_eq!(c.code.as_deref(), Some("CNY"));
    assert_eq!(c.source, CurrencySource::Cells);
    assert_eq!(c.alternatives, ["JPY", "TWD", "HKD"]);
    // Both the cells' ￥ (in both money columns) and the header's 元 are listed.
    let written: Vec<&str> = c.evidence.iter().map(|e| e.written.as_str()).collect();
    assert_eq!(written, ["￥", "￥", "金额(元)"]);
    assert!(c.evidence[0].rows > 0 && c.evidence[2].rows == 0);
    // The amounts read the same as without the marks.
    let (tx, _) = clientele::ingest::read(&bytes, &IngestOptions::default()).unwrap();
    assert!((tx.amount[0] - 19.9).abs() < 1e-9);
}

#[test]
fn a_shopify_export_is_in_dollars_from_its_currency_column() {
    let (code, source, alternatives) = currency(exports::bytes("shopify_orders.csv"));
    assert_eq!(
        (code.as_deref(), source),
        (Some("USD"), Some(CurrencySource::Column))
    );
    assert!(alternatives.is_empty());
    let q = quality(exports::bytes("shopify_orders.csv"), &IngestOptions::default());
    let c = q.currency.unwrap();
    // Only the order's first line names the currency: 104 rows.
    assert_eq!(
        (c.evidence[0].column.as_str(), c.evidence[0].rows),
        ("Currency", 104)
    );
}

#[test]
fn a_euro_pos_export_with_the_sign_after_the_number() {
    let bytes = EURO_POS;
    let q = quality(bytes, &IngestOptions::default());
    let c = q.currency.expect("a currency");
    assert_eq!(
        (c.code.as_deref(), c.source),
        (Some("EUR"), CurrencySource::Cells)
    );
    assert_eq!(c.evidence[0].written, "€");
    assert!(c.alternatives.is_empty());
    let (tx, _) = clientele::ingest::read(bytes, &IngestOptions::default()).unwrap();
    assert_eq!(tx.amount[..2], [1000.0, 2037.01]);
}

#[test]
fn a_mixed_currency_column_warns_with_counts_and_takes_the_most_common() {
    let q = quality(MIXED_CURRENCY, &IngestOptions::default());
    let c = q.currency.clone().expect("a currency");
    assert_eq!(
        (c.code.as_deref(), c.source),
        (Some("USD"), CurrencySource::Column)
    );
    assert_eq!(c.alternatives, ["EUR"]);
    assert_eq!((c.evidence[0].rows, c.evidence[1].rows), (40, 10));
    let w = q
        .warnings
        .iter()
        .find(|w| w.code == "currency_mixed" && w.message.contains("several currencies"))
        .expect("a warning");
    assert!(w.message.contains("(USD 40 rows, EUR 10 rows)"), "{w:?}");
}

#[test]
fn a_taiwan_export_in_big5_lists_the_taiwan_dollar() {
    let (code, source, alternatives) = currency(TAIWAN_BIG5);
    assert_eq!(
        (code.as_deref(), source),
        (Some("USD"), Some(CurrencySource::Cells))
    );
    assert_eq!(alternatives[0], "TWD");
    // 金額(新台幣) decides it.
    let (text, _, _) = encoding_rs::BIG5.decode(TAIWAN_BIG5);
    let named = text.replace("金額\r\n", "金額(新台幣)\r\n");
    let bytes = encoding_rs::BIG5.encode(&named).0.into_owned();
    let (code, source, _) = currency(&bytes);
    assert_eq!(
        (code.as_deref(), source),
        (Some("TWD"), Some(CurrencySource::Header))
    );
}

#[test]
fn marks_that_disagree_leave_the_currency_unknown() {
    let text = "customer,date,Amount (USD)\na,2024-01-02,12.50 €\nb,2024-01-03,8.00 €\n";
    let q = quality(text.as_bytes(), &IngestOptions::default());
    let c = q.currency.unwrap();
    assert_eq!((c.code, c.source), (None, CurrencySource::Conflict));
    assert!(q
        .warnings
        .iter()
        .any(|w| w.message.starts_with("The file's money marks disagree")));
}

#[test]
fn the_option_overrides_the_guess_and_a_bad_code_names_its_path() {
    let bytes = chinese_shop_gbk();
    let options: AnalyzeOptions =
        AnalyzeOptions::deserialize_named(serde_json::json!({"ingest": {"currency": "jpy"}})).unwrap();
    let c = quality(&bytes, &options.ingest).currency.unwrap();
    assert_eq!(
        (c.code.as_deref(), c.source),
        (Some("JPY"), CurrencySource::Chosen)
    );
    // The guess stays visible as the first alternative.
    assert_eq!(c.alternatives[0], "CNY");
    let bad =
        AnalyzeOptions::deserialize_named(serde_json::json!({"ingest": {"currency": "RMB"}})).unwrap_err();
    assert_eq!(bad.path, "ingest.currency");
    assert!(bad.to_string().contains("ISO 4217"), "{bad}");
    // With no marks, the option alone.
    let plain = "customer,date,amount\na,2024-01-02,12.50\n";
    let c = quality(plain.as_bytes(), &options.ingest).currency.unwrap();
    assert_eq!((c.code.as_deref(), c.evidence.len()), (Some("JPY"), 0));
}

/// The corpus of issue 11: what each export's marks say, and unknown where they say nothing.
#[test]
fn the_export_corpus() {
    let expected: [(&str, Option<&str>); 6] = [
        ("krw_orders.csv", Some("KRW")),
        ("woocommerce_orders.csv", Some("GBP")),
        ("tafeng_gb18030_yuan.csv", Some("CNY")),
        ("cny_orders_whole_yuan.csv", None),
        ("superstore.csv", None),
        ("european_semicolon_cp1252.csv", None),
    ];
    for (file, code) in expected {
        let q = quality(exports::bytes(file), &IngestOptions::default());
        assert_eq!(
            q.currency.as_ref().and_then(|c| c.code.as_deref()),
            code,
            "{file}: {:?}",
            q.currency
        );
        if code.is_none() {
            assert!(q.currency.is_none(), "{file}: no evidence, no currency");
        }
    }
}

/// A file with no money marks gives the Report it gave before: no `currency` key at all.
#[test]
fn no_evidence_leaves_the_report_as_it_was() {
    let csv = "customer_id,date,amount\nA1,2024-01-05,12.50\nA2,2024-01-06,3.00\nA1,2024-02-05,7.00\n";
    let report = analyze(csv.as_bytes(), &AnalyzeOptions::default(), &mut |_| {}).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["quality"].get("currency").is_none());
    let marked = "customer_id,date,amount\nA1,2024-01-05,$12.50\nA2,2024-01-06,$3.00\nA1,2024-02-05,$7.00\n";
    let report = analyze(marked.as_bytes(), &AnalyzeOptions::default(), &mut |_| {}).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["quality"]["currency"]["code"], "USD");
    assert_eq!(json["quality"]["currency"]["source"], "cells");
    assert_eq!(json["quality"]["currency"]["alternatives"][0], "CAD");
}

/// A customer-level table: the total-spent column's marks.
#[test]
fn a_customer_level_table_reads_its_total_spent() {
    let csv = "Customer ID,Total Orders,Total Spent,Last Order Date\n7,3,£120.50,2024-03-01\n8,1,£15.00,2024-02-11\n";
    let (code, source, _) = currency(csv.as_bytes());
    assert_eq!(
        (code.as_deref(), source),
        (Some("GBP"), Some(CurrencySource::Cells))
    );
}
