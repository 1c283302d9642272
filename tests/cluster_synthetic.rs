//! Cluster analysis on synthetic data with known answers: blob recovery (adjusted Rand index),
//! determinism under a seed, parameter validation.

use clientele::cluster::{cluster, fit_kmeans, ChosenBy, ClusterParams, Feature};
use clientele::customers::Customers;
use clientele::Error;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

/// Adjusted Rand index (Hubert & Arabie) of two labellings.
fn adjusted_rand_index(a: &[usize], b: &[usize]) -> f64 {
    let ka = a.iter().max().map_or(0, |m| m + 1);
    let kb = b.iter().max().map_or(0, |m| m + 1);
    let mut table = vec![vec![0f64; kb]; ka];
    for (&x, &y) in a.iter().zip(b) {
        table[x][y] += 1.0;
    }
    let c2 = |v: f64| v * (v - 1.0) / 2.0;
    let index: f64 = table.iter().flatten().map(|&v| c2(v)).sum();
    let rows: f64 = table.iter().map(|r| c2(r.iter().sum())).sum();
    let cols: f64 = (0..kb).map(|j| c2(table.iter().map(|r| r[j]).sum())).sum();
    let expected = rows * cols / c2(a.len() as f64);
    let max = (rows + cols) / 2.0;
    (index - expected) / (max - expected)
}

#[test]
fn ari_sanity() {
    assert!((adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]) - 1.0).abs() < 1e-12);
    // Hand-computed (scikit-learn's adjusted_rand_score agrees, 0.4444…): pair counts
    // index 2, rows 3, cols 4, expected 12/15, max 3.5 → 1.2 / 2.7.
    let ari = adjusted_rand_index(&[0, 0, 1, 1, 2, 2], &[0, 0, 1, 2, 2, 2]);
    assert!((ari - 1.2 / 2.7).abs() < 1e-12, "{ari}");
}

fn normal(rng: &mut Xoshiro256Plus) -> f64 {
    // Box-Muller keeps the test free of extra crates.
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

#[test]
fn blobs_with_known_centres_are_recovered() {
    let centres = [[0.0, 0.0, 0.0], [5.0, 0.0, 0.0], [0.0, 5.0, 1.0], [3.0, 3.0, 6.0]];
    let per = 500;
    let mut rng = Xoshiro256Plus::seed_from_u64(7);
    let mut x = Array2::zeros((centres.len() * per, 3));
    let mut truth = Vec::new();
    for (c, centre) in centres.iter().enumerate() {
        for i in 0..per {
            for j in 0..3 {
                x[[c * per + i, j]] = centre[j] + normal(&mut rng);
            }
            truth.push(c);
        }
    }
    let fit = fit_kmeans(x.view(), 4, &ClusterParams::default().seed(3)).unwrap();
    let found: Vec<usize> = fit.labels.iter().map(|&l| l as usize).collect();
    let ari = adjusted_rand_index(&truth, &found);
    println!("blobs ARI = {ari:.4}");
    assert!(ari >= 0.95, "ARI {ari}");
}

/// Customers in four well-separated behaviour groups (log-normal around group centres).
fn grouped_customers(per: usize, seed: u64) -> (Customers, Vec<usize>) {
    // (recency days, orders, money) centres.
    let groups: [(f64, f64, f64); 4] = [
        (10.0, 20.0, 5000.0),
        (300.0, 1.0, 30.0),
        (20.0, 2.0, 80.0),
        (250.0, 8.0, 1500.0),
    ];
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut c = Customers::default();
    let mut truth = Vec::new();
    for (g, &(r, f, m)) in groups.iter().enumerate() {
        for _ in 0..per {
            let rec = (r.ln() + 0.15 * normal(&mut rng)).exp().round().max(1.0) as i32;
            let freq = if f <= 1.0 {
                1
            } else {
                (f.ln() + 0.1 * normal(&mut rng)).exp().round().max(2.0) as u32
            };
            let money = (m.ln() + 0.2 * normal(&mut rng)).exp();
            let tenure = rec + 10 * freq as i32;
            c.id.push(format!("c{}", c.id.len()));
            c.tx_customer.push(c.tx_customer.len() as u32);
            c.recency_days.push(rec);
            c.frequency.push(freq);
            c.monetary.push(money);
            c.avg_order_value.push(money / freq as f64);
            c.last_purchase.push(1000 - rec);
            c.first_purchase.push(1000 - tenure);
            c.tenure_days.push(tenure);
            truth.push(g);
        }
    }
    (c, truth)
}

#[test]
fn choosing_k_finds_the_four_groups() {
    let (c, truth) = grouped_customers(300, 11);
    let report = cluster(&c, None, &ClusterParams::default().seed(5)).unwrap();
    assert_eq!(report.chosen_by, ChosenBy::Silhouette);
    let curve: Vec<(usize, f64)> = report.k_curve.iter().map(|p| (p.k, p.silhouette)).collect();
    println!("silhouette curve {curve:?}");
    assert_eq!(report.k, 4);
    assert_eq!(report.k_curve.len(), 9);
    let found: Vec<usize> = report.label.iter().map(|&l| l as usize - 1).collect();
    let ari = adjusted_rand_index(&truth, &found);
    println!("grouped customers ARI = {ari:.4}");
    assert!(ari >= 0.95, "ARI {ari}");
    // Labels by ascending mean monetary: the big spenders are cluster 4, one-timers cluster 1.
    assert_eq!(report.label[0], 4);
    assert_eq!(report.label[300], 1);
    assert_eq!(report.profiles[0].median_frequency, 1.0);
    let names: Vec<&str> = report.profiles.iter().map(|p| p.name.as_str()).collect();
    println!("names {names:?}");
    assert!(names[0].contains("one-timers"));
    assert!(names[3].contains("big spenders"));
    let shares: f64 = report.profiles.iter().map(|p| p.share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    assert_eq!(report.scatter.label.len(), c.len());
}

#[test]
fn same_seed_same_report_byte_for_byte() {
    let (c, _) = grouped_customers(200, 3);
    let params = ClusterParams::default()
        .features(vec![
            Feature::Recency,
            Feature::Frequency,
            Feature::Monetary,
            Feature::InterPurchaseDays,
        ])
        .seed(42);
    let a = serde_json::to_string(&cluster(&c, None, &params).unwrap()).unwrap();
    let b = serde_json::to_string(&cluster(&c, None, &params).unwrap()).unwrap();
    assert_eq!(a, b);
    // A fixed k reproduces the same fit the k search made for that k.
    let fixed = cluster(&c, None, &params.clone().k(Some(3))).unwrap();
    let chosen = cluster(&c, None, &params).unwrap();
    let point = chosen.k_curve.iter().find(|p| p.k == 3).unwrap();
    assert_eq!(fixed.inertia, point.inertia);
    // Another seed moves the samples (and may move the fit).
    let other = serde_json::to_string(&cluster(&c, None, &params.clone().seed(43)).unwrap()).unwrap();
    assert_ne!(a, other);
}

fn param_of(e: Error) -> &'static str {
    match e {
        Error::InvalidParam { param, .. } => param,
        other => panic!("expected InvalidParam, got {other:?}"),
    }
}

#[test]
fn invalid_params_are_named() {
    let (c, _) = grouped_customers(10, 1);
    let run = |p: ClusterParams| cluster(&c, None, &p).unwrap_err();
    assert_eq!(param_of(run(ClusterParams::default().k(Some(1)))), "k");
    assert_eq!(param_of(run(ClusterParams::default().k(Some(21)))), "k");
    assert_eq!(param_of(run(ClusterParams::default().restarts(0))), "restarts");
    assert_eq!(
        param_of(run(ClusterParams::default().tolerance(0.0))),
        "tolerance"
    );
    assert_eq!(
        param_of(run(ClusterParams::default().tolerance(f64::NAN))),
        "tolerance"
    );
    assert_eq!(param_of(run(ClusterParams::default().max_iter(0))), "max_iter");
    assert_eq!(
        param_of(run(ClusterParams::default().features(vec![]))),
        "features"
    );
    // Four customers cannot make five clusters.
    let (small, _) = grouped_customers(1, 1);
    assert_eq!(
        param_of(cluster(&small, None, &ClusterParams::default().k(Some(5))).unwrap_err()),
        "k"
    );
}

#[test]
fn data_problems_are_explained() {
    let (mut c, _) = grouped_customers(10, 2);
    c.frequency.iter_mut().for_each(|f| *f = 3);
    match cluster(&c, None, &ClusterParams::default()).unwrap_err() {
        Error::Data { message, .. } => assert!(message.contains("`frequency`"), "{message}"),
        other => panic!("{other:?}"),
    }
    // No amounts: money features are dropped with a note, not a failure.
    let (mut c, _) = grouped_customers(30, 2);
    c.monetary.iter_mut().for_each(|m| *m = 0.0);
    c.avg_order_value.iter_mut().for_each(|m| *m = 0.0);
    let report = cluster(&c, None, &ClusterParams::default().k(Some(3))).unwrap();
    assert_eq!(report.features, vec![Feature::Recency, Feature::Frequency]);
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].contains("monetary"));
    // Too few distinct points for any k.
    let (mut c, _) = grouped_customers(5, 2);
    for i in 0..c.len() {
        c.recency_days[i] = if i == 0 { 1 } else { 9 };
        c.frequency[i] = if i == 0 { 1 } else { 4 };
        c.monetary[i] = if i == 0 { 1.0 } else { 7.0 };
    }
    let r = cluster(&c, None, &ClusterParams::default()).unwrap();
    assert_eq!(r.k, 2);
    assert_eq!(
        param_of(cluster(&c, None, &ClusterParams::default().k(Some(3))).unwrap_err()),
        "k"
    );
}
