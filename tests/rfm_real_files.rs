//! RFM on the real files against the independent pandas reference
//! (tests/fixtures/rfm/make_rfm_fixture.py): per customer, same ids in the same order, equal
//! recency and frequency, monetary within 1e-6 relative, identical scores and segment; and
//! the segment counts on CDNOW master.
mod common;

use clientele::customers::summarize;
use clientele::ingest::Transactions;
use clientele::rfm::{score, RfmParams, ScoreMethod, SEGMENTS};

struct Row {
    id: String,
    recency_days: i32,
    frequency: u32,
    monetary: f64,
    r: u8,
    f: u8,
    m: u8,
    segment: String,
}

fn fixture(name: &str) -> Vec<Row> {
    let path = format!("{}/tests/fixtures/rfm/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut rdr = csv::Reader::from_path(&path).expect("fixture");
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "customer_id",
            "recency_days",
            "frequency",
            "monetary",
            "r_score",
            "f_score",
            "m_score",
            "segment"
        ]
    );
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row {
                id: r[0].to_string(),
                recency_days: r[1].parse().unwrap(),
                frequency: r[2].parse().unwrap(),
                monetary: r[3].parse().unwrap(),
                r: r[4].parse().unwrap(),
                f: r[5].parse().unwrap(),
                m: r[6].parse().unwrap(),
                segment: r[7].to_string(),
            }
        })
        .collect()
}

/// Compares every customer; returns how many were compared.
fn check_against_pandas(tx: &Transactions, name: &str, has_monetary: bool) -> usize {
    let expected = fixture(name);
    let customers = summarize(tx, None).unwrap();
    let report = score(&customers, &RfmParams::default()).unwrap();
    assert_eq!(report.has_monetary, has_monetary);
    assert_eq!(customers.len(), expected.len(), "{name}: customer count");
    for (i, e) in expected.iter().enumerate() {
        let at = || format!("{name}: row {} (customer {})", i + 2, e.id);
        assert_eq!(customers.id[i], e.id, "{}", at());
        assert_eq!(customers.recency_days[i], e.recency_days, "{}", at());
        assert_eq!(customers.frequency[i], e.frequency, "{}", at());
        let m = customers.monetary[i];
        let tol = 1e-6 * e.monetary.abs().max(1.0);
        assert!((m - e.monetary).abs() <= tol, "{}: {m} vs {}", at(), e.monetary);
        assert_eq!(
            (report.r_score[i], report.f_score[i], report.m_score[i]),
            (e.r, e.f, e.m),
            "{}",
            at()
        );
        assert_eq!(report.segment_name(i), Some(e.segment.as_str()), "{}", at());
    }
    expected.len()
}

#[test]
fn online_retail_matches_pandas() {
    let n = check_against_pandas(&common::online_retail(), "online_retail_rfm.csv", true);
    assert_eq!(n, 4339);
}

#[test]
fn cdnow_sample_matches_pandas() {
    let n = check_against_pandas(&common::cdnow_sample(), "cdnow_sample_rfm.csv", true);
    assert_eq!(n, 2357);
}

#[test]
fn grocery_without_amounts_matches_pandas() {
    let n = check_against_pandas(&common::grocery(), "grocery_rfm.csv", false);
    assert_eq!(n, 1525);
}

#[test]
fn cdnow_master_segment_counts_match_pandas() {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/rfm/cdnow_master_segments.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let expected: serde_json::Value = serde_json::from_str(&text).unwrap();
    let customers = summarize(&common::cdnow_master(), None).unwrap();
    let report = score(&customers, &RfmParams::default()).unwrap();
    assert_eq!(customers.len() as u64, expected["customers"].as_u64().unwrap());
    for (seg, summary) in SEGMENTS.iter().zip(&report.segments) {
        assert_eq!(summary.name, seg.name);
        assert_eq!(
            summary.customers as u64,
            expected["segments"][seg.name].as_u64().unwrap(),
            "{}",
            seg.name
        );
    }
}

/// The R `rfm` package's cut rule against a literal Python port of its R source.
fn check_r_quantile(tx: &Transactions, name: &str) -> usize {
    let path = format!("{}/tests/fixtures/rfm/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut rdr = csv::Reader::from_path(&path).expect("fixture");
    let customers = summarize(tx, None).unwrap();
    let params = RfmParams::default().with_method(ScoreMethod::RQuantile);
    let report = score(&customers, &params).unwrap();
    let mut compared = 0;
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.unwrap();
        assert_eq!(customers.id[i], &rec[0], "{name}: row {}", i + 2);
        let expected: (u8, u8, u8) = (
            rec[1].parse().unwrap(),
            rec[2].parse().unwrap(),
            rec[3].parse().unwrap(),
        );
        let got = (report.r_score[i], report.f_score[i], report.m_score[i]);
        assert_eq!(got, expected, "{name}: customer {}", &rec[0]);
        compared += 1;
    }
    assert_eq!(compared, customers.len());
    compared
}

#[test]
fn r_quantile_matches_the_r_rule_on_online_retail() {
    assert_eq!(
        check_r_quantile(&common::online_retail(), "online_retail_rquantile.csv"),
        4339
    );
}

#[test]
fn r_quantile_matches_the_r_rule_on_cdnow_sample() {
    assert_eq!(
        check_r_quantile(&common::cdnow_sample(), "cdnow_sample_rquantile.csv"),
        2357
    );
}

#[test]
fn segment_summaries_add_up_from_the_pandas_rows() {
    let expected = fixture("online_retail_rfm.csv");
    let customers = summarize(&common::online_retail(), None).unwrap();
    let report = score(&customers, &RfmParams::default()).unwrap();
    let total: f64 = expected.iter().map(|e| e.monetary).sum();
    for seg in &report.segments {
        let rows: Vec<&Row> = expected.iter().filter(|e| e.segment == seg.name).collect();
        let k = rows.len() as f64;
        let orders: u64 = rows.iter().map(|e| u64::from(e.frequency)).sum();
        let revenue: f64 = rows.iter().map(|e| e.monetary).sum();
        let recency: f64 = rows.iter().map(|e| f64::from(e.recency_days)).sum();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
        assert_eq!(seg.customers, rows.len(), "{}", seg.name);
        assert_eq!(seg.orders, orders, "{}", seg.name);
        assert!(close(seg.revenue, revenue), "{}", seg.name);
        assert!(close(seg.share, k / expected.len() as f64), "{}", seg.name);
        assert!(close(seg.revenue_share, revenue / total), "{}", seg.name);
        if !rows.is_empty() {
            assert!(close(seg.mean_recency_days, recency / k), "{}", seg.name);
            assert!(close(seg.mean_frequency, orders as f64 / k), "{}", seg.name);
            assert!(close(seg.mean_monetary, revenue / k), "{}", seg.name);
            assert!(
                close(seg.avg_order_value, revenue / orders as f64),
                "{}",
                seg.name
            );
        }
    }
    // Online Retail is big enough that every segment is populated.
    assert!(report.segments.iter().all(|s| s.customers > 0));
}

#[test]
fn r_quantile_on_real_data_is_consistent() {
    // No R reference here: check the rule's own promises on CDNOW master.
    let customers = summarize(&common::cdnow_master(), None).unwrap();
    let params = RfmParams::default().with_method(ScoreMethod::RQuantile);
    let report = score(&customers, &params).unwrap();
    // Equal values share a score, and scores never decrease with the value.
    let mut by_frequency: Vec<(u32, u8)> = customers
        .frequency
        .iter()
        .copied()
        .zip(report.f_score.iter().copied())
        .collect();
    by_frequency.sort_unstable();
    assert!(by_frequency.windows(2).all(|w| w[0].1 <= w[1].1));
    let mut by_recency: Vec<(i32, u8)> = customers
        .recency_days
        .iter()
        .copied()
        .zip(report.r_score.iter().copied())
        .collect();
    by_recency.sort_unstable();
    assert!(by_recency.windows(2).all(|w| w[0].1 >= w[1].1));
    // Most CDNOW customers bought on one day only: they all share the lowest F score.
    let one_timers = customers.frequency.iter().filter(|&&f| f == 1).count();
    let f1 = report.f_score.iter().filter(|&&f| f == 1).count();
    assert_eq!(f1, one_timers);
    assert!(report.f_score.iter().all(|&f| (1..=5).contains(&f)));
}
