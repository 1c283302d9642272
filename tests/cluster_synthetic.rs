//! Clusters on generated customers: known centres are recovered (adjusted Rand index ≥ 0.95),
//! the same seed gives the same JSON, every parameter error names the parameter, and data that
//! cannot support k clusters is a clear `Error::Data`.

use clientele::cluster::{cluster, ChosenBy, ClusterParams, Feature};
use clientele::customers::Customers;
use clientele::report::cluster_segments;
use clientele::rfm::{self, RfmParams};
use clientele::Error;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

/// Customers drawn around `centres` (recency days, orders, money) with multiplicative
/// log-normal noise, so the blobs are round in the log1p space the clusters live in.
fn blobs(centres: &[(f64, f64, f64)], per: usize, seed: u64) -> (Customers, Vec<usize>) {
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    // Box-Muller normal draws, sd 0.12 on the log1p scale.
    let noise = |rng: &mut Xoshiro256Plus| {
        let u: f64 = 1.0 - rng.gen::<f64>();
        let v: f64 = rng.gen();
        0.12 * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    };
    let mut c = Customers::default();
    let mut truth = Vec::new();
    for i in 0..per * centres.len() {
        // Interleaved, so file order says nothing about the blob.
        let b = i % centres.len();
        let (r, f, m) = centres[b];
        let jitter = |v: f64, rng: &mut Xoshiro256Plus| (v.ln_1p() + noise(rng)).exp_m1();
        let recency = jitter(r, &mut rng).round().max(1.0) as i32;
        let frequency = jitter(f, &mut rng).round().max(1.0) as u32;
        let monetary = jitter(m, &mut rng).max(0.0);
        let tenure = recency + rng.gen_range(0..400);
        c.id.push(format!("c{i}"));
        c.recency_days.push(recency);
        c.frequency.push(frequency);
        c.monetary.push(monetary);
        c.avg_order_value.push(monetary / f64::from(frequency));
        c.first_purchase.push(-tenure);
        c.last_purchase.push(-recency);
        c.tenure_days.push(tenure);
        truth.push(b);
    }
    (c, truth)
}

fn choose2(x: u64) -> f64 {
    (x * x.saturating_sub(1)) as f64 / 2.0
}

/// Hubert & Arabie's adjusted Rand index from the contingency table.
fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0u64; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        table[x][y] += 1;
    }
    let index: f64 = table.iter().flatten().map(|&n| choose2(n)).sum();
    let rows: f64 = table.iter().map(|r| choose2(r.iter().sum())).sum();
    let cols: f64 = (0..kb).map(|j| choose2(table.iter().map(|r| r[j]).sum())).sum();
    let expected = rows * cols / choose2(a.len() as u64);
    let max = (rows + cols) / 2.0;
    (index - expected) / (max - expected)
}

const CENTRES: [(f64, f64, f64); 4] = [
    (5.0, 20.0, 3000.0),
    (300.0, 1.0, 30.0),
    (40.0, 4.0, 300.0),
    (200.0, 8.0, 4000.0),
];

#[test]
fn ari_helper_is_right_on_small_cases() {
    assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]), 1.0);
    // sklearn.metrics.adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285715
    let v = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
    assert!((v - 0.5714285714285715).abs() < 1e-12, "{v}");
}

#[test]
fn known_blobs_are_recovered() {
    let (c, truth) = blobs(&CENTRES, 300, 1);
    let r = cluster(&c, &ClusterParams::default().k(Some(4))).unwrap();
    let found: Vec<usize> = r.label.iter().map(|&l| usize::from(l) - 1).collect();
    let ari = adjusted_rand_index(&truth, &found);
    println!("fixed k = 4: ARI {ari:.6}");
    assert!(ari >= 0.95, "ARI {ari}");

    let auto = cluster(&c, &ClusterParams::default()).unwrap();
    println!(
        "chosen k = {}; curve {:?}",
        auto.k,
        auto.k_curve
            .iter()
            .map(|p| (p.k, p.silhouette))
            .collect::<Vec<_>>()
    );
    assert_eq!(auto.chosen_by, ChosenBy::Silhouette);
    assert_eq!(auto.k, 4, "silhouette finds the 4 blobs");
    assert_eq!(auto.k_curve.len(), 6, "k = 3..=8");
    assert!(auto.k_curve.windows(2).all(|w| w[1].inertia < w[0].inertia));
    let found: Vec<usize> = auto.label.iter().map(|&l| usize::from(l) - 1).collect();
    assert!(adjusted_rand_index(&truth, &found) >= 0.95);

    // Labels ascend by mean spend; the blob at 30 is label 1, the one at 4000 label 4.
    let means: Vec<f64> = r.profiles.iter().map(|p| p.mean_monetary).collect();
    assert!(means.windows(2).all(|w| w[0] <= w[1]), "{means:?}");
    let names: Vec<&str> = r.profiles.iter().map(|p| p.name.as_str()).collect();
    println!("{names:?}");
    assert_eq!(names[0], "lapsed one-timers");
    assert_eq!(names[3], "lapsed loyal big spenders");
    assert_eq!(names[2], "recent loyal big spenders");
    let sizes: usize = r.profiles.iter().map(|p| p.size).sum();
    assert_eq!(sizes, c.len());
    let share: f64 = r.profiles.iter().map(|p| p.revenue_share).sum();
    assert!((share - 1.0).abs() < 1e-12);
    // The back-transformed centroid of the biggest spenders is near its blob centre.
    let money = r.profiles[3].centroid[2];
    assert!((money / 4000.0 - 1.0).abs() < 0.1, "{money}");
}

#[test]
fn profiles_carry_the_top_rfm_segments() {
    let (c, _) = blobs(&CENTRES, 100, 2);
    let seg = rfm::score(&c, &RfmParams::default()).unwrap();
    let mut r = cluster(&c, &ClusterParams::default().k(Some(4))).unwrap();
    cluster_segments(&mut r, &seg);
    for p in &r.profiles {
        assert!(!p.top_segments.is_empty() && p.top_segments.len() <= 3);
        assert!(p
            .top_segments
            .windows(2)
            .all(|w| w[0].customers >= w[1].customers));
        let in_cluster: usize = p.top_segments.iter().map(|s| s.customers).sum();
        assert!(in_cluster <= p.size);
    }
    // The recent, frequent big spenders are mostly Champions.
    let best = r
        .profiles
        .iter()
        .find(|p| p.name == "recent loyal big spenders")
        .unwrap();
    assert_eq!(best.top_segments[0].segment, "Champions");
}

#[test]
fn same_seed_same_json_and_the_seed_matters() {
    let (c, _) = blobs(&CENTRES, 150, 3);
    let params = ClusterParams::default();
    let a = serde_json::to_string(&cluster(&c, &params).unwrap()).unwrap();
    let b = serde_json::to_string(&cluster(&c, &params).unwrap()).unwrap();
    assert_eq!(a, b);
    let other = serde_json::to_string(&cluster(&c, &params.clone().seed(7)).unwrap()).unwrap();
    assert_ne!(a, other, "the scatter sample at least follows the seed");
}

#[test]
fn scatter_sample_is_bounded_and_in_original_units() {
    let (c, _) = blobs(&CENTRES, 2000, 4);
    let r = cluster(&c, &ClusterParams::default().k(Some(4))).unwrap();
    let s = &r.scatter;
    assert_eq!(s.customer.len(), 5000);
    assert_eq!(s.label.len(), 5000);
    assert!(s.customer.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(s.columns.len(), Feature::ALL.len());
    for col in &s.columns {
        assert_eq!(col.values.len(), 5000);
    }
    let money = s.columns.iter().find(|c| c.feature == Feature::Monetary).unwrap();
    for (k, &i) in s.customer.iter().enumerate() {
        assert_eq!(money.values[k], c.monetary[i as usize]);
        assert_eq!(s.label[k], r.label[i as usize]);
    }
    assert_eq!(r.silhouette_sample, 8000);
}

#[test]
fn extra_features_are_used_when_asked() {
    let (c, truth) = blobs(&CENTRES, 200, 5);
    let params = ClusterParams::default()
        .k(Some(4))
        .features(Feature::ALL.to_vec());
    let r = cluster(&c, &params).unwrap();
    assert_eq!(r.features.len(), 6);
    assert_eq!(r.profiles[0].centroid.len(), 6);
    let found: Vec<usize> = r.label.iter().map(|&l| usize::from(l) - 1).collect();
    assert!(adjusted_rand_index(&truth, &found) > 0.5);
}

fn param_of(e: Error) -> &'static str {
    match e {
        Error::InvalidParam { param, .. } => param,
        other => panic!("expected InvalidParam, got {other:?}"),
    }
}

#[test]
fn invalid_parameters_are_named() {
    let (c, _) = blobs(&CENTRES, 10, 6);
    let bad = |p: ClusterParams| param_of(cluster(&c, &p).unwrap_err());
    let d = ClusterParams::default;
    assert_eq!(bad(d().k(Some(1))), "k");
    assert_eq!(bad(d().k(Some(21))), "k");
    assert_eq!(bad(d().n_runs(0)), "n_runs");
    assert_eq!(bad(d().tolerance(0.0)), "tolerance");
    assert_eq!(bad(d().tolerance(f64::NAN)), "tolerance");
    assert_eq!(bad(d().tolerance(f64::INFINITY)), "tolerance");
    assert_eq!(bad(d().max_iterations(0)), "max_iterations");
    assert_eq!(bad(d().features(vec![])), "features");
    assert_eq!(
        bad(d().features(vec![Feature::Frequency, Feature::Frequency])),
        "features"
    );
    let e = cluster(&c, &d().k(Some(1))).unwrap_err();
    assert!(e.to_string().contains("between 2 and 20"), "{e}");
    // Deserialised params fill the rest with defaults.
    let p: ClusterParams =
        serde_json::from_str(r#"{"k": 3, "features": ["recency_days", "mean_days_between_purchases"]}"#)
            .unwrap();
    assert_eq!(p.k, Some(3));
    assert_eq!(p.n_runs, 10);
    assert_eq!(
        p.features,
        vec![Feature::RecencyDays, Feature::MeanDaysBetweenPurchases]
    );
}

fn data_message(e: Error) -> String {
    match e {
        Error::Data {
            analysis, message, ..
        } => {
            assert_eq!(analysis, "cluster");
            message
        }
        other => panic!("expected Data, got {other:?}"),
    }
}

#[test]
fn data_that_cannot_hold_k_clusters_is_explained() {
    let (c, _) = blobs(&CENTRES, 1, 7);
    let msg = data_message(cluster(&c, &ClusterParams::default().k(Some(5))).unwrap_err());
    assert!(msg.contains("at least 5 customers"), "{msg}");

    let mut same = c.clone();
    for i in 0..same.len() {
        same.recency_days[i] = 10;
        same.frequency[i] = 2;
        same.monetary[i] = 50.0;
    }
    let msg = data_message(cluster(&same, &ClusterParams::default()).unwrap_err());
    assert!(msg.contains("recency_days"), "a constant feature is named: {msg}");

    // Three distinct customers repeated: k = 4 is impossible, k chosen stays ≤ 3.
    let (mut few, _) = blobs(&CENTRES[..3], 1, 8);
    for i in 0..30 {
        let j = i % 3;
        few.id.push(format!("dup{i}"));
        few.recency_days.push(few.recency_days[j]);
        few.frequency.push(few.frequency[j]);
        few.monetary.push(few.monetary[j]);
        few.avg_order_value.push(few.avg_order_value[j]);
        few.first_purchase.push(few.first_purchase[j]);
        few.last_purchase.push(few.last_purchase[j]);
        few.tenure_days.push(few.tenure_days[j]);
    }
    let msg = data_message(cluster(&few, &ClusterParams::default().k(Some(4))).unwrap_err());
    assert!(msg.contains("distinct"), "{msg}");
    let r = cluster(&few, &ClusterParams::default()).unwrap();
    assert!(r.k <= 3);
}

#[test]
fn a_file_without_amounts_drops_money_with_a_note() {
    let (mut c, truth) = blobs(&CENTRES, 100, 9);
    c.monetary.iter_mut().for_each(|m| *m = 0.0);
    c.avg_order_value.iter_mut().for_each(|m| *m = 0.0);
    let r = cluster(&c, &ClusterParams::default().k(Some(4))).unwrap();
    assert_eq!(r.features.len(), 2);
    assert_eq!(r.notes.len(), 1);
    assert!(r.notes[0].contains("monetary"), "{:?}", r.notes);
    assert!(r.scatter.columns.iter().all(|c| !c.feature.needs_money()));
    for p in &r.profiles {
        assert!(!p.name.contains("spend"), "{}", p.name);
        assert_eq!(p.revenue_share, 0.0);
    }
    let found: Vec<usize> = r.label.iter().map(|&l| usize::from(l) - 1).collect();
    assert!(adjusted_rand_index(&truth, &found) > 0.9);
    // Only money asked for and no money: nothing left to cluster on.
    let msg =
        data_message(cluster(&c, &ClusterParams::default().features(vec![Feature::Monetary])).unwrap_err());
    assert!(msg.contains("no amounts"), "{msg}");
}

#[test]
fn names_are_unique() {
    for seed in 0..3 {
        let (c, _) = blobs(&CENTRES, 80, 10 + seed);
        let r = cluster(&c, &ClusterParams::default().k(Some(8))).unwrap();
        let mut names: Vec<&str> = r.profiles.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "{names:?}");
    }
}
