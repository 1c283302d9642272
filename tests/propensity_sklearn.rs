//! Propensity on UCI Online Retail, N = 90 days, checked against scikit-learn's
//! `LogisticRegression` trained on the IDENTICAL standardised matrix and split.
//!
//! `write_online_retail_matrix` (ignored; run with `--ignored`) writes the matrix to
//! `tests/fixtures/propensity/online_retail_matrix.csv`; `make_sklearn_fixture.py` fits sklearn
//! on it and writes `sklearn_online_retail.json`. The normal test rebuilds the matrix from the
//! raw file, checks it equals the committed one, and compares validation AUCs.

mod common;

use clientele::customers;
use clientele::propensity::{self, PropensityDesign, PropensityParams};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/propensity")
        .join(name)
}

fn params() -> PropensityParams {
    PropensityParams::default().horizon_days(90)
}

/// 9 significant digits, as committed.
fn fmt9(v: f64) -> String {
    format!("{v:.8e}")
}

fn rows(d: &PropensityDesign) -> Vec<(String, &'static str, bool, Vec<f64>)> {
    let mut out = Vec::new();
    for (i, id) in d.train_ids.iter().enumerate() {
        out.push((id.clone(), "train", d.train_y[i], d.train_x.row(i).to_vec()));
    }
    for (i, id) in d.validation_ids.iter().enumerate() {
        out.push((
            id.clone(),
            "validation",
            d.validation_y[i],
            d.validation_x.row(i).to_vec(),
        ));
    }
    out
}

#[test]
#[ignore = "writes the fixture; run once with --ignored, then make_sklearn_fixture.py"]
fn write_online_retail_matrix() {
    let tx = common::online_retail();
    let cust = customers::summarize(&tx, None).unwrap();
    let d = propensity::design(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &params(),
    )
    .unwrap();
    let mut text = String::from("customer_id,set,label");
    for f in &d.features {
        text.push(',');
        text.push_str(f.name());
    }
    text.push('\n');
    for (id, set, y, x) in rows(&d) {
        text.push_str(&format!("{id},{set},{}", u8::from(y)));
        for v in x {
            text.push(',');
            text.push_str(&fmt9(v));
        }
        text.push('\n');
    }
    std::fs::write(fixture("online_retail_matrix.csv"), text).unwrap();
    // The cut and as-of the script needs for its pandas recomputation.
    let meta = serde_json::json!({
        "as_of": d.as_of.to_string(),
        "cut": d.cut.to_string(),
        "horizon_days": params().horizon_days,
        "alpha": params().alpha,
        "log_transform": params().log_transform,
        "seed": params().seed,
        "validation_share": params().validation_share,
        "features": d.features.iter().map(|f| f.name()).collect::<Vec<_>>(),
    });
    std::fs::write(
        fixture("online_retail_design.json"),
        serde_json::to_string_pretty(&meta).unwrap() + "\n",
    )
    .unwrap();
}

#[test]
fn online_retail_auc_matches_sklearn() {
    let tx = common::online_retail();
    let cust = customers::summarize(&tx, None).unwrap();
    let d = propensity::design(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &params(),
    )
    .unwrap();

    // 1. The matrix we fit on is the committed one sklearn fitted on.
    let mut rdr = csv::Reader::from_path(fixture("online_retail_matrix.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let names: Vec<&str> = d.features.iter().map(|f| f.name()).collect();
    assert_eq!(&header[3..], names.as_slice());
    let ours = rows(&d);
    let committed: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(committed.len(), ours.len(), "row count");
    for (rec, (id, set, y, x)) in committed.iter().zip(&ours) {
        assert_eq!(&rec[0], id);
        assert_eq!(&rec[1], *set, "customer {id}");
        assert_eq!(&rec[2], if *y { "1" } else { "0" }, "customer {id}");
        for (j, v) in x.iter().enumerate() {
            let c: f64 = rec[3 + j].parse().unwrap();
            assert!(
                (c - v).abs() <= 1e-8 * v.abs().max(1.0),
                "customer {id}, {}: committed {c}, rebuilt {v}",
                names[j]
            );
        }
    }

    // 2. Same split, same penalty: validation AUC within 0.01 of sklearn's.
    let sk: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("sklearn_online_retail.json")).unwrap())
            .unwrap();
    let sk_auc = sk["validation_roc_auc"].as_f64().unwrap();
    let sk_ap = sk["validation_pr_auc"].as_f64().unwrap();
    // pandas' raw recency / frequency / monetary of the first customers, from the raw file.
    let at_cut = customers::summarize(&tx, Some(d.cut)).unwrap();
    for (id, f) in sk["pandas_first5"].as_object().unwrap() {
        let i = at_cut.id.iter().position(|c| c == id).unwrap();
        assert_eq!(
            f64::from(at_cut.recency_days[i]),
            f["recency_days"].as_f64().unwrap(),
            "{id}"
        );
        assert_eq!(
            f64::from(at_cut.frequency[i]),
            f["frequency"].as_f64().unwrap(),
            "{id}"
        );
        assert!(
            (at_cut.monetary[i] - f["monetary"].as_f64().unwrap()).abs() < 1e-6,
            "{id}"
        );
    }

    let report = propensity::fit(
        &clientele::history::History::build(&tx, &cust).unwrap(),
        &cust,
        &params(),
    )
    .unwrap();
    let m = &report.metrics;
    println!(
        "Online Retail N=90: Rust AUC {:.10} vs sklearn {:.10}; PR AUC {:.10} vs {:.10}; brier {:.6}, \
         base rate {:.4}, top-decile lift {:.3}; counts {:?}",
        m.roc_auc, sk_auc, m.pr_auc, sk_ap, m.brier, m.base_rate, m.lift_top_decile, report.counts
    );
    assert!(
        (m.roc_auc - sk_auc).abs() <= 0.01,
        "AUC {} vs sklearn {}",
        m.roc_auc,
        sk_auc
    );
    assert!(
        (m.pr_auc - sk_ap).abs() <= 0.01,
        "PR AUC {} vs sklearn {}",
        m.pr_auc,
        sk_ap
    );

    // The coefficients themselves agree (same objective, both solvers converged).
    let sk_coef = sk["coefficients"].as_object().unwrap();
    for (f, w) in names.iter().zip(&report.train_model.coefficients) {
        let s = sk_coef[*f].as_f64().unwrap();
        println!("  {f:>16}: rust {w:+.8}  sklearn {s:+.8}");
        assert!((w - s).abs() < 1e-5, "{f}: {w} vs sklearn {s}");
    }
    let si = sk["intercept"].as_f64().unwrap();
    assert!((report.train_model.intercept - si).abs() < 1e-5, "intercept");

    // Every customer scored, in Customers order.
    assert_eq!(report.p_buy.len(), cust.len());
    assert_eq!(report.p_buy_decile.len(), cust.len());
    assert!(report
        .p_buy
        .iter()
        .all(|p| p.is_finite() && (0.0..=1.0).contains(p)));
}
