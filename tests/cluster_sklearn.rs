//! k-means on the scaled log-RFM features of UCI Online Retail against scikit-learn's
//! `KMeans(n_clusters=4, n_init=10, random_state=0)` on the identical matrix
//! (fixture made by `tests/fixtures/cluster/make_sklearn_fixture.py`).

mod common;

use clientele::cluster::{build_features, cluster, fit_kmeans, ClusterParams, Feature};

fn fixture() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cluster/online_retail_k4.json"
    ))
    .expect("fixture");
    serde_json::from_str(&text).expect("json")
}

#[test]
fn online_retail_k4_inertia_within_one_percent_of_sklearn() {
    let fx = fixture();
    let tx = common::online_retail();
    let customers = clientele::customers::summarize(&tx, None).expect("customers");
    assert_eq!(customers.len() as u64, fx["n_customers"].as_u64().unwrap());
    assert_eq!(customers.as_of.to_string(), fx["as_of"].as_str().unwrap());

    let features = [Feature::Recency, Feature::Frequency, Feature::Monetary];
    let fm = build_features(&customers, &features).expect("features");
    for j in 0..3 {
        let mean = fx["log_mean"][j].as_f64().unwrap();
        let std = fx["log_std"][j].as_f64().unwrap();
        assert!(
            (fm.mean[j] - mean).abs() < 1e-9,
            "mean {j}: {} vs {mean}",
            fm.mean[j]
        );
        assert!((fm.std[j] - std).abs() < 1e-9, "std {j}: {} vs {std}", fm.std[j]);
    }

    let params = ClusterParams::default().restarts(10).seed(0);
    let fit = fit_kmeans(fm.scaled.view(), 4, &params).expect("fit");
    let sklearn = fx["inertia"].as_f64().unwrap();
    println!(
        "inertia: ours {:.4}, scikit-learn {:.4}, ratio {:.5}",
        fit.inertia,
        sklearn,
        fit.inertia / sklearn
    );
    assert!(fit.inertia <= 1.01 * sklearn);

    // The whole analysis with k fixed keeps the same fit and names every cluster distinctly.
    let report = cluster(&customers, None, &params.clone().k(Some(4))).expect("cluster");
    assert!((report.inertia - fit.inertia).abs() <= 1e-9 * fit.inertia);
    let mut sizes: Vec<usize> = report.profiles.iter().map(|p| p.size).collect();
    sizes.sort_unstable();
    println!("sizes: ours {sizes:?}, scikit-learn {}", fx["cluster_sizes"]);
    let mut names: Vec<&str> = report.profiles.iter().map(|p| p.name.as_str()).collect();
    println!("names: {names:?}");
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 4);
}
