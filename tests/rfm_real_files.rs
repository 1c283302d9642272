//! RFM on the real files against the independent pandas references:
//! - rank-first (`ScoreMethod::RankFirst`, tests/fixtures/rfm/make_rfm_fixture.py): per
//!   customer, same ids in the same order, equal recency and frequency, monetary within 1e-6
//!   relative, identical scores and segment; and the segment counts on CDNOW master;
//! - rank-min, the default (tests/fixtures/rfm/make_rank_min_fixture.py): per customer by id,
//!   exact monetary (the fixture rounds pandas' sums to 6 decimals, our sums are exact), and
//!   identical scores and segment. That fixture drops zero-amount lines (the issue-11 ingest
//!   default); the reference loaders keep them, so these tests drop them too.
mod common;

use clientele::customers::summarize;
use clientele::ingest::Transactions;
use clientele::rfm::{score, RfmParams, ScoreMethod, SEGMENTS};
use std::collections::HashMap;

struct Row {
    id: String,
    recency_days: i32,
    frequency: u32,
    /// None when the fixture has no amounts (empty cell).
    monetary: Option<f64>,
    r: u8,
    f: u8,
    m: Option<u8>,
    segment: String,
}

fn rank_first() -> RfmParams {
    RfmParams::default().with_method(ScoreMethod::RankFirst)
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
                monetary: (!r[3].is_empty()).then(|| r[3].parse().unwrap()),
                r: r[4].parse().unwrap(),
                f: r[5].parse().unwrap(),
                m: (!r[6].is_empty()).then(|| r[6].parse().unwrap()),
                segment: r[7].to_string(),
            }
        })
        .collect()
}

/// Compares every customer with the rank-first fixture; returns how many were compared.
fn check_against_pandas(tx: &Transactions, name: &str, has_monetary: bool) -> usize {
    let expected = fixture(name);
    let customers = summarize(tx, None).unwrap();
    let report = score(&customers, &rank_first()).unwrap();
    assert_eq!(report.has_monetary, has_monetary);
    assert_eq!(report.m_score.is_some(), has_monetary);
    assert_eq!(customers.len(), expected.len(), "{name}: customer count");
    for (i, e) in expected.iter().enumerate() {
        let at = || format!("{name}: row {} (customer {})", i + 2, e.id);
        assert_eq!(customers.id[i], e.id, "{}", at());
        assert_eq!(customers.recency_days[i], e.recency_days, "{}", at());
        assert_eq!(customers.frequency[i], e.frequency, "{}", at());
        if has_monetary {
            let m = customers.monetary[i];
            let want = e.monetary.unwrap();
            let tol = 1e-6 * want.abs().max(1.0);
            assert!((m - want).abs() <= tol, "{}: {m} vs {want}", at());
        }
        let m = report.m_score.as_ref().map(|m| m[i]);
        // Without amounts the rank-first fixture still has pandas' M of all-zero money; we
        // have none.
        let want_m = if has_monetary { e.m } else { None };
        assert_eq!(
            (report.r_score[i], report.f_score[i], m),
            (e.r, e.f, want_m),
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
    let report = score(&customers, &rank_first()).unwrap();
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
        let got = (
            report.r_score[i],
            report.f_score[i],
            report.m_score.as_ref().unwrap()[i],
        );
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
    let report = score(&customers, &rank_first()).unwrap();
    let total: f64 = expected.iter().map(|e| e.monetary.unwrap()).sum();
    for seg in &report.segments {
        let rows: Vec<&Row> = expected.iter().filter(|e| e.segment == seg.name).collect();
        let k = rows.len() as f64;
        let orders: u64 = rows.iter().map(|e| u64::from(e.frequency)).sum();
        let revenue: f64 = rows.iter().map(|e| e.monetary.unwrap()).sum();
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

/// The reference transactions without zero-amount purchase lines: the issue-11 ingest default,
/// which make_rank_min_fixture.py applies too (returns are kept apart and untouched).
fn drop_zero_amount(tx: Transactions) -> Transactions {
    if !tx.has_amount {
        return tx;
    }
    let keep: Vec<usize> = (0..tx.len()).filter(|&i| tx.amount[i] != 0.0).collect();
    let pick = |v: &[u32]| keep.iter().map(|&i| v[i]).collect::<Vec<u32>>();
    Transactions {
        customer: pick(&tx.customer),
        day: keep.iter().map(|&i| tx.day[i]).collect(),
        amount: keep.iter().map(|&i| tx.amount[i]).collect(),
        order: tx.order.as_deref().map(pick),
        quantity: tx.quantity.as_ref().map(|q| keep.iter().map(|&i| q[i]).collect()),
        product: tx.product.as_deref().map(pick),
        ..tx
    }
}

/// Compares every customer with the rank-min fixture, by customer id (rank-min scores do not
/// depend on row order); returns how many were compared.
fn check_rank_min(tx: Transactions, name: &str) -> usize {
    let has_monetary = tx.has_amount;
    let expected = fixture(name);
    let customers = summarize(&drop_zero_amount(tx), None).unwrap();
    let report = score(&customers, &RfmParams::default()).unwrap();
    assert_eq!(report.method, ScoreMethod::RankMin);
    assert_eq!(report.has_monetary, has_monetary);
    assert_eq!(customers.len(), expected.len(), "{name}: customer count");
    let at: HashMap<&str, usize> = customers
        .id
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    for e in &expected {
        let i = at[e.id.as_str()];
        let who = || format!("{name}: customer {}", e.id);
        assert_eq!(customers.recency_days[i], e.recency_days, "{}", who());
        assert_eq!(customers.frequency[i], e.frequency, "{}", who());
        if has_monetary {
            // Exact: our sum in millionths, pandas' sum rounded to 6 decimals.
            assert_eq!(Some(customers.monetary[i]), e.monetary, "{}", who());
        }
        let m = report.m_score.as_ref().map(|m| m[i]);
        assert_eq!(
            (report.r_score[i], report.f_score[i], m),
            (e.r, e.f, e.m),
            "{}",
            who()
        );
        assert_eq!(report.segment_name(i), Some(e.segment.as_str()), "{}", who());
    }
    expected.len()
}

#[test]
fn rank_min_matches_pandas_on_online_retail() {
    let n = check_rank_min(common::online_retail(), "online_retail_rank_min.csv");
    // 4,339 customers less 13256, who only ever had free lines.
    assert_eq!(n, 4338);
}

#[test]
fn rank_min_matches_pandas_on_cdnow_sample() {
    assert_eq!(
        check_rank_min(common::cdnow_sample(), "cdnow_sample_rank_min.csv"),
        2349
    );
}

#[test]
fn rank_min_matches_pandas_without_amounts() {
    assert_eq!(check_rank_min(common::grocery(), "grocery_rank_min.csv"), 1525);
}

/// Issue 11, case 8: with rank-first, Online Retail's one-order customers are split between
/// F 1 and F 2 by where they first appear in the file, which follows time, so the R × F grid
/// had R5·F1 = 0, R4·F1 = 3, R3·F1 = 5. With rank-min they all share F 1 and the grid shows
/// behaviour: recent one-time buyers are in R5·F1.
#[test]
fn online_retail_grid_has_no_row_order_artefact() {
    let customers = summarize(&common::online_retail(), None).unwrap();
    let one_timers: Vec<usize> = (0..customers.len())
        .filter(|&i| customers.frequency[i] == 1)
        .collect();
    assert_eq!(one_timers.len(), 1494);
    let cell = |rep: &clientele::rfm::RfmReport, r: u8, f: u8| {
        rep.grid
            .iter()
            .find(|g| (g.r, g.f) == (r, f))
            .map(|g| g.customers)
            .unwrap()
    };

    let first = score(&customers, &rank_first()).unwrap();
    let in_f =
        |rep: &clientele::rfm::RfmReport, f: u8| one_timers.iter().filter(|&&i| rep.f_score[i] == f).count();
    assert_eq!((in_f(&first, 1), in_f(&first, 2)), (868, 626));
    assert_eq!(
        (cell(&first, 5, 1), cell(&first, 4, 1), cell(&first, 3, 1)),
        (0, 3, 5)
    );

    let min = score(&customers, &RfmParams::default()).unwrap();
    assert_eq!(in_f(&min, 1), one_timers.len(), "every one-order customer in F 1");
    assert_eq!(
        min.f_score.iter().filter(|&&f| f == 1).count(),
        one_timers.len(),
        "and nobody else"
    );
    // Recent one-time buyers now show up where they belong.
    let recent_one_timers = one_timers.iter().filter(|&&i| min.r_score[i] == 5).count();
    let f1: Vec<usize> = (1..=5u8).map(|r| cell(&min, r, 1)).collect();
    // Fewer one-time buyers the more recent the score: they had less time to come back.
    assert_eq!(f1, [625, 348, 290, 164, 67]);
    assert_eq!(f1.iter().sum::<usize>(), one_timers.len());
    assert_eq!(cell(&min, 5, 1), recent_one_timers);
    // Every R row of F 1 holds the one-timers of that R score, whatever the file order.
    for r in 1..=5u8 {
        let want = one_timers.iter().filter(|&&i| min.r_score[i] == r).count();
        assert_eq!(cell(&min, r, 1), want, "R{r}·F1");
    }
    // Customers who spent the same share an M score (exact sums: 86.95 is 86.95).
    let m = min.m_score.as_ref().unwrap();
    let mut by_value: HashMap<u64, u8> = HashMap::new();
    for (i, &v) in customers.monetary.iter().enumerate() {
        let s = *by_value.entry(v.to_bits()).or_insert(m[i]);
        assert_eq!(s, m[i], "customer {} ({v})", customers.id[i]);
    }
}
