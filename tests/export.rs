//! Whole path: real file bytes → `analyze` → per-customer CSV export, checked row by row
//! against the independent pandas computation in `tests/fixtures/rfm/`.
mod common;

use clientele::report::{analyze, customers_csv, AnalyzeOptions, CUSTOMERS_CSV_HEADER};

fn export(rel: &str) -> String {
    let bytes = std::fs::read(common::data_path(rel)).expect("read data file");
    let report = analyze(&bytes, &AnalyzeOptions::default(), &mut |_| {}).expect("analyze");
    customers_csv(&report)
}

fn check_against_pandas(rel: &str, fixture: &str) {
    let csv = export(rel);
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some(CUSTOMERS_CSV_HEADER));
    let expected = std::fs::read_to_string(format!(
        "{}/tests/fixtures/rfm/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    let mut n = 0;
    for (got, want) in lines.filter(|l| !l.is_empty()).zip(expected.lines().skip(1)) {
        let g: Vec<&str> = got.split(',').collect();
        let w: Vec<&str> = want.split(',').collect();
        assert_eq!(g.len(), 14, "{got}");
        assert_eq!(g[0], w[0], "customer id");
        assert_eq!(g[1], w[1], "recency of {}", w[0]);
        assert_eq!(g[2], w[2], "frequency of {}", w[0]);
        let (gm, wm): (f64, f64) = (g[3].parse().unwrap(), w[3].parse().unwrap());
        assert!(
            (gm - wm).abs() <= 0.005 + 1e-9 * wm.abs(),
            "monetary of {}: {gm} vs {wm}",
            w[0]
        );
        assert_eq!(&g[4..8], &w[4..8], "scores and segment of {}", w[0]);
        for (col, cell) in g.iter().enumerate().skip(9) {
            assert!(
                col == 13 || !cell.is_empty(),
                "column {col} of {} is empty: {got}",
                w[0]
            );
        }
        n += 1;
    }
    assert_eq!(n, expected.lines().count() - 1, "every customer exported once");
}

#[test]
fn online_retail_export_matches_pandas() {
    check_against_pandas("online_retail/online_retail.csv", "online_retail_rfm.csv");
}

#[test]
fn cdnow_sample_export_matches_pandas() {
    check_against_pandas("cdnow/CDNOW_sample.txt", "cdnow_sample_rfm.csv");
}

#[test]
fn export_is_deterministic() {
    assert_eq!(export("cdnow/CDNOW_sample.txt"), export("cdnow/CDNOW_sample.txt"));
}

#[test]
fn bad_file_gives_located_message() {
    let err = analyze(
        b"customer,date,amount\n1,hello,3\n2,world,4\n3,nope,5\n",
        &AnalyzeOptions::default(),
        &mut |_| {},
    )
    .expect_err("dates do not parse");
    let msg = err.to_string();
    assert!(msg.contains("row 2") && msg.contains("date"), "{msg}");
}

#[test]
fn target_list_is_the_top_deciles_most_likely_first() {
    let bytes = std::fs::read(common::data_path("cdnow/CDNOW_sample.txt")).unwrap();
    let report = analyze(&bytes, &AnalyzeOptions::default(), &mut |_| {}).unwrap();
    let csv = clientele::report::target_list_csv(&report, 2).expect("propensity is available");
    let p = report.propensity.ok().unwrap();
    let expected = p.p_buy_decile.iter().filter(|&&d| d <= 2).count();
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], CUSTOMERS_CSV_HEADER);
    assert_eq!(rows.len() - 1, expected);
    let p_buy: Vec<f64> = rows[1..]
        .iter()
        .map(|r| r.split(',').nth(9).unwrap().parse().unwrap())
        .collect();
    assert!(p_buy.windows(2).all(|w| w[0] >= w[1]), "most likely first");
    assert!(rows[1..]
        .iter()
        .all(|r| matches!(r.split(',').nth(10), Some("1" | "2"))));
}
