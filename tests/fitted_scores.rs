//! A run's fitted models, applied to its own customers' summary rows, give the run's own
//! per-customer columns (`clientele::fitted`): on the CDNOW sample and the grocery log (no
//! amounts), in one batch and in pieces.

use clientele::fitted::{analyze_with_batch, score, scores_csv, Batch, Fitted};
use clientele::report::customers_csv;
use clientele::AnalyzeOptions;

fn data(path: &str) -> Vec<u8> {
    let p = format!("{}/../shared/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Export rows without the last two cells (lifecycle_stage, next_product: they need the
/// purchases, not a summary row).
fn rows(csv: &str) -> Vec<String> {
    // The columns through clv_model: the ones after it need each customer's purchases.
    let header = csv.split("\r\n").next().unwrap_or("");
    let keep = header
        .split(',')
        .position(|c| c == "clv_model")
        .expect("clv_model column")
        + 1;
    csv.split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells.len(), header.split(',').count(), "{l}");
            cells[..keep].join(",")
        })
        .collect()
}

fn slice(b: &Batch, a: usize, e: usize) -> Batch {
    Batch {
        customer_id: b.customer_id[a..e].to_vec(),
        first_purchase: b.first_purchase[a..e].to_vec(),
        last_purchase: b.last_purchase[a..e].to_vec(),
        previous_purchase: b.previous_purchase[a..e].to_vec(),
        orders: b.orders[a..e].to_vec(),
        purchase_days: b.purchase_days[a..e].to_vec(),
        monetary: b.monetary.as_ref().map(|v| v[a..e].to_vec()),
        repeat_spend: b.repeat_spend.as_ref().map(|v| v[a..e].to_vec()),
        returned_amount: b.returned_amount.as_ref().map(|v| v[a..e].to_vec()),
        orders_30d: b.orders_30d[a..e].to_vec(),
        orders_90d: b.orders_90d[a..e].to_vec(),
        orders_180d: b.orders_180d[a..e].to_vec(),
    }
}

fn check(path: &str) {
    let options = AnalyzeOptions::default();
    let run = analyze_with_batch(&data(path), &options).unwrap();
    let batch = run.batch.unwrap();
    let fitted = Fitted::from_report(&run.report).unwrap();
    let scores = score(&batch, &fitted).unwrap();
    let got = rows(&scores_csv(&batch, &scores, &fitted, true));
    let want = rows(&customers_csv(&run.report));
    assert_eq!(got.len(), want.len());
    // p_buy_decile (the 11th cell) may differ where equal p_buy straddle a decile boundary.
    let strip = |r: &String| {
        let mut c: Vec<&str> = r.split(',').collect();
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
        let part = slice(&batch, a, e);
        pieces.push_str(&scores_csv(&part, &score(&part, &again).unwrap(), &again, a == 0));
    }
    assert_eq!(pieces, scores_csv(&batch, &scores, &fitted, true));
}

#[test]
fn the_cdnow_sample_scores_as_its_run() {
    check("cdnow/CDNOW_sample.txt");
}

#[test]
fn the_grocery_log_without_amounts_scores_as_its_run() {
    check("grocery/groceryElog.csv");
}
