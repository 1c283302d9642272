//! A run's fitted models, applied to its own customers' summary rows and products, give the
//! run's own per-customer columns, lifecycle stage and next product included
//! (`clientele::fitted`): on the CDNOW sample, the grocery log (no amounts) and Online Retail,
//! in one batch and in pieces.

use clientele::fitted::{analyze_with_batch, score, scores_csv, Fitted};
use clientele::report::customers_csv;
use clientele::AnalyzeOptions;

fn data(path: &str) -> Vec<u8> {
    let p = format!("{}/../shared/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Export rows, each split in cells (names may hold commas: read as CSV).
fn rows(csv: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let width = r.headers().unwrap().len();
    r.records()
        .map(|rec| {
            let cells: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
            assert_eq!(cells.len(), width, "{cells:?}");
            cells
        })
        .collect()
}

fn check(path: &str) {
    let options = AnalyzeOptions::default();
    let run = analyze_with_batch(&data(path), &options).unwrap();
    let fitted = run.fitted().unwrap();
    let batch = run.batch.unwrap();
    let scores = score(&batch, &fitted).unwrap();
    let got = rows(&scores_csv(&batch, &scores, &fitted, true));
    let want = rows(&customers_csv(&run.report));
    assert_eq!(got.len(), want.len());
    // Every column the run has, lifecycle stage and next product included, is scored.
    for (c, u) in [(15, "lifecycle_stage"), (16, "next_product")] {
        let column = |r: &Vec<Vec<String>>| r.iter().filter(|cells| !cells[c].is_empty()).count();
        assert_eq!(column(&got) > 0, column(&want) > 0, "{u}: {:?}", scores.unknown);
    }
    // p_buy_decile (the 11th cell) may differ where equal p_buy straddle a decile boundary.
    let strip = |r: &Vec<String>| {
        let mut c = r.clone();
        c.remove(10);
        c.join(",")
    };
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(strip(g), strip(w));
    }
    let differ = got.iter().zip(&want).filter(|(g, w)| g != w).count();
    assert!(differ * 100 <= want.len(), "{differ} deciles differ");
    // In pieces (the JSON round trip is python/tests' job: it needs serde_json's
    // float_roundtrip, which the Python package turns on).
    let again = fitted.clone();
    let n = batch.len();
    let mut pieces = String::new();
    for (a, e) in [(0, 7), (7, n / 2), (n / 2, n)] {
        let part = batch.slice(a, e);
        pieces.push_str(&scores_csv(&part, &score(&part, &again).unwrap(), &again, a == 0));
    }
    assert_eq!(pieces, scores_csv(&batch, &scores, &fitted, true));
}

/// A summary read back from its CSV has no products: next products are empty and the scores
/// say why; lifecycle stages come from its reactivation gaps.
#[test]
fn a_summary_without_products_leaves_next_product_unknown() {
    let bytes = data("online_retail/online_retail.csv");
    let options = AnalyzeOptions::default();
    let run = analyze_with_batch(&bytes, &options).unwrap();
    let fitted = run.fitted().unwrap();
    assert!(
        fitted.next_product.is_some() && fitted.lifecycle.is_some(),
        "{:?}",
        fitted.unknown
    );
    let mut batch = run.batch.unwrap();
    batch.products = None;
    let s = score(&batch, &fitted).unwrap();
    assert!(s.next_product.is_none() && s.lifecycle_stage.is_some());
    let why: Vec<&str> = s.unknown.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(why, ["batch_without_products", "batch_without_products"]);
    batch.summary.lifecycle_active_days = None;
    let s = score(&batch, &fitted).unwrap();
    assert!(s.lifecycle_stage.is_none());
    assert!(s
        .unknown
        .iter()
        .any(|u| u.column == "lifecycle_stage" && u.code == "batch_without_reactivation_gaps"));
    // A model fitted from the Report alone has no co-purchase model, and says so.
    let bare = Fitted::from_report(&run.report).unwrap();
    assert!(bare
        .unknown
        .iter()
        .any(|u| u.column == "next_product" && u.code == "no_co_purchase_model"));
}

#[test]
fn online_retail_scores_as_its_run() {
    check("online_retail/online_retail.csv");
}

#[test]
fn the_cdnow_sample_scores_as_its_run() {
    check("cdnow/CDNOW_sample.txt");
}

#[test]
fn the_grocery_log_without_amounts_scores_as_its_run() {
    check("grocery/groceryElog.csv");
}
