//! Rank-first RFM scores (ScoreMethod::RankFirst; rank-min uses the same bins) against pandas `qcut(ranks, bins)` bin sizes for every n up to 300
//! and some large, awkward n (tests/fixtures/rfm/qcut_counts.csv, made by
//! make_rfm_fixture.py with pandas 3.1 / numpy 2.4).
use clientele::rfm::rank_first_bin_sizes;

#[test]
fn bin_sizes_match_pandas_qcut() {
    let text = include_str!("fixtures/rfm/qcut_counts.csv");
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let mut parts = line.split(',');
        let n: usize = parts.next().unwrap().parse().unwrap();
        let bins: u8 = parts.next().unwrap().parse().unwrap();
        let pandas: Vec<usize> = parts
            .next()
            .unwrap()
            .split(' ')
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(rank_first_bin_sizes(n, bins), pandas, "n = {n}, bins = {bins}");
        checked += 1;
    }
    assert!(checked > 2000, "{checked}");
}
