//! Clusters on the real Online Retail file against scikit-learn: `clientele::ingest::read` →
//! `customers::summarize` → the cluster features must have the fixture's log1p means / stds
//! (to 1e-9), and k-means with k = 4, 10 restarts must reach an inertia within 1 % of
//! `KMeans(n_clusters=4, n_init=10, random_state=0)` (tests/fixtures/cluster/make_sklearn_fixture.py).
mod common;

use clientele::cluster::{self, ChosenBy, ClusterParams, Feature};
use clientele::customers;
use clientele::ingest::{read, IngestOptions};

fn fixture() -> serde_json::Value {
    let text = std::fs::read_to_string("tests/fixtures/cluster/online_retail_kmeans.json").expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn online_retail() -> customers::Customers {
    let bytes = std::fs::read(common::data_path("online_retail/online_retail.csv")).expect("data");
    let options = IngestOptions {
        file_name: Some("online_retail.csv".into()),
        // The scikit-learn fixture was made with zero-value lines kept as purchases.
        keep_zero_amount: true,
        ..Default::default()
    };
    let (tx, _) = read(&bytes, &options).unwrap_or_else(|e| panic!("{e}"));
    customers::summarize(&tx, None).unwrap()
}

#[test]
fn features_and_inertia_match_scikit_learn() {
    let fx = fixture();
    let c = online_retail();
    assert_eq!(c.len() as u64, fx["n"].as_u64().unwrap());

    let params = ClusterParams::default().k(Some(4)).n_runs(10);
    let f = cluster::build_features(&c, &params).unwrap();
    assert_eq!(
        f.features(),
        vec![Feature::RecencyDays, Feature::Frequency, Feature::Monetary]
    );
    for (j, s) in f.scales.iter().enumerate() {
        let mean = fx["mean"][j].as_f64().unwrap();
        let std = fx["std"][j].as_f64().unwrap();
        assert!(
            (s.mean - mean).abs() < 1e-9,
            "{:?} mean {} vs {mean}",
            s.feature,
            s.mean
        );
        assert!(
            (s.std - std).abs() < 1e-9,
            "{:?} std {} vs {std}",
            s.feature,
            s.std
        );
    }

    let r = cluster::cluster(&c, &params).unwrap();
    let sk = fx["inertia"].as_f64().unwrap();
    println!(
        "inertia {:.6} vs scikit-learn {sk:.6} (ratio {:.6}); sizes {:?}; silhouette {:.4} (sample {})",
        r.inertia,
        r.inertia / sk,
        r.profiles.iter().map(|p| p.size).collect::<Vec<_>>(),
        r.silhouette,
        r.silhouette_sample
    );
    assert!(r.inertia <= 1.01 * sk, "inertia {} vs sklearn {sk}", r.inertia);
    assert_eq!(r.k, 4);
    assert_eq!(r.chosen_by, ChosenBy::Fixed);
    assert_eq!(r.label.len(), c.len());
    // All 4,339 customers fit in the silhouette sample, so this is sklearn's silhouette_score
    // of our partition; it must be near sklearn's partition's.
    let sk_sil = fx["silhouette"].as_f64().unwrap();
    assert!(
        (r.silhouette - sk_sil).abs() < 0.02,
        "{} vs {sk_sil}",
        r.silhouette
    );
}
