//! The campaign analyses on UCI Online Retail, read by the real ingest (StockCode detected as
//! the product column, Description as the product-name column), against the independent pandas / scipy references of
//! tests/fixtures/campaign/make_campaign_fixture.py: every customer's lifecycle stage and next
//! product, the windows, and the top product pairs with their support, confidence and lift.
mod common;

use clientele::lifecycle::{LifecycleStage, WindowSource};
use clientele::report::{analyze, AnalyzeOptions, Report};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/campaign/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("fixture")
}

fn csv_pairs(name: &str) -> Vec<(String, String)> {
    let text = fixture(name);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect()
}

fn csv_column(name: &str, column: usize) -> Vec<String> {
    let text = fixture(name);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    rdr.records().map(|r| r.unwrap()[column].to_string()).collect()
}

/// Online Retail analysed once for every test (the slow analyses off).
fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let bytes = std::fs::read(common::data_path("online_retail/online_retail.csv")).expect("data");
        let mut options = AnalyzeOptions::default();
        options.run.clusters = false;
        options.run.propensity = false;
        options.run.clv = false;
        options.ingest.today = Some("2026-01-01".into());
        analyze(&bytes, &options, &mut |_| {}).expect("analyze")
    })
}

fn row_of(r: &Report) -> HashMap<&str, usize> {
    r.customers
        .id
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect()
}

#[test]
fn lifecycle_stages_match_pandas() {
    let r = report();
    let meta: Value = serde_json::from_str(&fixture("online_retail_lifecycle.json")).unwrap();
    let l = r.lifecycle.ok().expect("lifecycle");
    assert_eq!(r.as_of.to_string(), meta["as_of"]);
    assert_eq!(l.median_gap_days, meta["median_gap_days"].as_f64());
    assert_eq!(l.gaps as u64, meta["gaps"].as_u64().unwrap());
    assert_eq!(l.windows.source, WindowSource::MedianGap);
    assert_eq!(
        u64::from(l.windows.active_days),
        meta["active_days"].as_u64().unwrap()
    );
    assert_eq!(
        u64::from(l.windows.lapsed_days),
        meta["lapsed_days"].as_u64().unwrap()
    );
    assert_eq!(u64::from(l.windows.new_days), meta["new_days"].as_u64().unwrap());
    let expected = csv_pairs("online_retail_lifecycle.csv");
    assert_eq!(expected.len(), r.customers.id.len());
    let at = row_of(r);
    let stages = r.customers.lifecycle_stage.as_ref().unwrap();
    let mut wrong = Vec::new();
    for (id, stage) in &expected {
        let i = at[id.as_str()];
        if stages[i] != LifecycleStage::parse(stage).unwrap() {
            wrong.push((id.clone(), stage.clone(), stages[i]));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    for s in &l.stages {
        assert_eq!(
            s.customers as u64,
            meta["counts"][s.stage.as_str()].as_u64().unwrap_or(0),
            "{:?}",
            s.stage
        );
    }
}

#[test]
fn cross_sell_matches_pandas() {
    let r = report();
    let meta: Value = serde_json::from_str(&fixture("online_retail_cross_sell.json")).unwrap();
    let x = r.cross_sell.ok().expect("cross_sell");
    assert_eq!(x.customers as u64, meta["customers"].as_u64().unwrap());
    assert_eq!(
        u64::from(x.min_customers),
        meta["min_customers"].as_u64().unwrap()
    );
    assert_eq!(
        x.frequent_products as u64,
        meta["frequent_products"].as_u64().unwrap()
    );
    assert_eq!(x.pairs as u64, meta["pairs"].as_u64().unwrap());
    assert_eq!(
        x.products_bought as u64,
        meta["products_bought"].as_u64().unwrap()
    );
    let top = meta["top_pairs"].as_array().unwrap();
    assert_eq!(x.top_pairs.len(), top.len());
    for (got, want) in x.top_pairs.iter().zip(top) {
        assert_eq!(
            (got.a.as_str(), got.b.as_str()),
            (want["a"].as_str().unwrap(), want["b"].as_str().unwrap())
        );
        // Names from Description (found as the product-name column), the most frequent per code.
        assert_eq!(
            (got.a_name.as_deref(), got.b_name.as_deref()),
            (want["a_name"].as_str(), want["b_name"].as_str())
        );
        assert_eq!(u64::from(got.customers), want["customers"].as_u64().unwrap());
        for (g, w) in [
            (got.support, &want["support"]),
            (got.confidence_a_to_b, &want["confidence_a_to_b"]),
            (got.confidence_b_to_a, &want["confidence_b_to_a"]),
            (got.lift, &want["lift"]),
        ] {
            assert!(
                (g - w.as_f64().unwrap()).abs() <= 1e-12 * g.abs().max(1.0),
                "{got:?} vs {want}"
            );
        }
    }
    let expected = csv_pairs("online_retail_next_product.csv");
    assert_eq!(expected.len(), r.customers.id.len());
    let at = row_of(r);
    let mut wrong = Vec::new();
    let names = csv_column("online_retail_next_product.csv", 2);
    for ((id, product), name) in expected.iter().zip(&names) {
        let i = at[id.as_str()];
        let got = (
            r.next_product(i).unwrap_or(""),
            r.next_product_name(i).unwrap_or(""),
        );
        if got != (product.as_str(), name.as_str()) {
            wrong.push((id.clone(), product.clone(), got.0.to_string(), got.1.to_string()));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} differ, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(5)]
    );
    assert_eq!(
        x.recommended,
        expected.iter().filter(|(_, p)| !p.is_empty()).count()
    );
    // Every RFM segment with customers has its own pairs, counted within the segment.
    assert!(!x.by_segment.is_empty());
    assert_eq!(
        x.by_segment.iter().map(|s| s.customers).sum::<usize>(),
        x.customers
    );
}

#[test]
fn cohorts_match_pandas() {
    let r = report();
    let c = r.cohorts.ok().expect("cohorts");
    let text = fixture("online_retail_cohorts.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut cells = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let cohort = c.cohorts.iter().find(|k| k.month == rec[0]).expect(&rec[0]);
        let m: usize = rec[1].parse().unwrap();
        assert_eq!(cohort.customers, rec[2].parse::<usize>().unwrap(), "{}", &rec[0]);
        assert_eq!(
            cohort.active[m],
            rec[3].parse::<usize>().unwrap(),
            "{} +{m}",
            &rec[0]
        );
        let want: f64 = rec[4].parse().unwrap();
        let got = cohort.revenue_per_customer.as_ref().unwrap()[m];
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{} +{m}: {got} vs {want}",
            &rec[0]
        );
        cells += 1;
    }
    assert_eq!(cells, c.cohorts.iter().map(|k| k.active.len()).sum::<usize>());
    assert_eq!(c.earlier_customers, 0);
}

#[test]
fn migration_matches_pandas() {
    let r = report();
    let m = r.migration.ok().expect("migration");
    assert_eq!(m.earlier_as_of.to_string(), "2011-09-11");
    let text = fixture("online_retail_migration.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let from = (!rec[0].is_empty()).then(|| m.segments.iter().position(|s| *s == rec[0]).unwrap() as u8);
        let to = m.segments.iter().position(|s| *s == rec[1]).unwrap() as u8;
        let cell = m
            .cells
            .iter()
            .find(|c| c.from == from && c.to == to)
            .expect(&rec[1]);
        assert_eq!(
            cell.customers,
            rec[2].parse::<usize>().unwrap(),
            "{} → {}",
            &rec[0],
            &rec[1]
        );
        let want: f64 = rec[3].parse().unwrap();
        let got = cell.revenue.unwrap();
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{} → {}: {got} vs {want}",
            &rec[0],
            &rec[1]
        );
        n += 1;
    }
    assert_eq!(n, m.cells.len());
}

#[test]
fn invalid_campaign_options_name_their_path() {
    let check = |json: &str| {
        let mut de = serde_json::Deserializer::from_str(json);
        let options = AnalyzeOptions::deserialize_named(&mut de).map_err(|e| e.to_string())?;
        options.check().map_err(|e| e.to_string())
    };
    for (json, path) in [
        (
            r#"{"lifecycle":{"active_days":90,"lapsed_days":30}}"#,
            "lifecycle.lapsed_days",
        ),
        (
            r#"{"lifecycle":{"active_multiple":0}}"#,
            "lifecycle.active_multiple",
        ),
        (r#"{"cross_sell":{"min_support":0}}"#, "cross_sell.min_support"),
        (r#"{"cross_sell":{"top_pairs":0}}"#, "cross_sell.top_pairs"),
        (r#"{"cohorts":{"months":0}}"#, "cohorts.months"),
        (r#"{"migration":{"days_before":0}}"#, "migration.days_before"),
        (r#"{"lifecycle":{"new_days":"soon"}}"#, "lifecycle.new_days"),
    ] {
        let e = check(json).unwrap_err();
        assert!(e.starts_with(&format!("invalid option {path}: ")), "{json}: {e}");
    }
    // Switched off, a section's options are not checked and its section is skipped.
    assert!(check(r#"{"run":{"cross_sell":false},"cross_sell":{"min_support":0}}"#).is_ok());
}

#[test]
fn cli_flags_set_the_campaign_options() {
    let dir = std::env::temp_dir().join(format!("clientele-campaign-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baskets.csv");
    let mut text = String::from("customer,date,sku,amount\n");
    for c in 0..30 {
        for (k, sku) in ["TEA", "CUPS", "SAUCER"].iter().take(1 + c % 3).enumerate() {
            text.push_str(&format!("c{c},2024-0{}-1{k},{sku},5.00\n", 1 + c % 6));
        }
    }
    std::fs::write(&file, text).unwrap();
    let json = dir.join("out.json");
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_clientele"))
            .args([
                "analyze",
                file.to_str().unwrap(),
                "--today",
                "2025-01-01",
                "--json",
                json.to_str().unwrap(),
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[
        "--lifecycle-active-days",
        "20",
        "--min-support",
        "0.2",
        "--migration-days",
        "30",
        "--cohort-months",
        "3",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "lifecycle stages (new ≤ 20 days, active ≤ 20, lapsed > 40; as given)",
        "cross-sell: 3 products",
        "segment migration",
        "cohort retention (3 monthly cohorts",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    let r: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(r["cross_sell"]["params"]["min_support"], 0.2);
    assert_eq!(r["migration"]["params"]["days_before"], 30);
    let bad = run(&["--min-support", "2"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid option cross_sell.min_support"));
    let _ = std::fs::remove_dir_all(&dir);
}
