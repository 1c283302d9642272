//! Customer clusters: k-means (linfa-clustering's k-means++ with restarts, in plain loops) on
//! log1p-scaled, standardised behaviour features of the per-customer summary (recency,
//! frequency, monetary and optional extras), with k chosen by the mean silhouette on a seeded sample unless fixed.
//! The report gives every customer a stable label 1..=k, plain-language cluster profiles for a
//! marketer, and chart-ready data (elbow / silhouette curve, a seeded scatter sample).
//!
//! Files: `features.rs` (the standardised design matrix), `kmeans.rs` (linfa's fit for one k,
//! re-done in plain loops, and its exact polish), `silhouette.rs` (choosing k, seeded samples), `profiles.rs` (labels, names,
//! member statistics).

mod features;
mod kmeans;
mod names;
mod profiles;
mod silhouette;

pub use features::{build_features, ClusterFeatures, FeatureScale, NOTE_CODES};
pub use names::{ClusterName, NameSuffix, NameWhat, NameWhen};
pub use silhouette::silhouette_score;

use crate::customers::Customers;
use crate::{Error, Warning};
use kmeans::{k_means, ks_to_try, FitOn};
pub use kmeans::{MAX_FIT_POINTS, PATTERNS_MIN_ROWS};
use profiles::{profiles, relabel_order, scatter};
use serde::{Deserialize, Serialize};
use silhouette::{choose_k, k_curve};

const ANALYSIS: &str = "cluster";

/// Smallest and largest k a user may fix.
pub const K_MIN: usize = 2;
pub const K_MAX: usize = 20;
/// The k tried when k is chosen automatically (k = 3..=8): two clusters are a recent / lapsed
/// split on every real file, which a marketer cannot act on.
pub const K_MIN_CHOSEN: usize = 3;
pub const K_MAX_CHOSEN: usize = 8;
/// When k is chosen, no cluster may hold less than this fraction of the customers.
pub const MIN_CLUSTER_SHARE: f64 = 0.02;

/// One behaviour feature of a customer, in original units before log1p and scaling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "ClusterFeature")]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Days from the last purchase to the as-of date.
    RecencyDays,
    /// Distinct orders (distinct purchase days without an order column).
    Frequency,
    /// Sum of purchase amounts.
    Monetary,
    /// Monetary / frequency.
    AvgOrderValue,
    /// Days from the first purchase to the as-of date.
    TenureDays,
    /// (last − first purchase day) / (frequency − 1). For a one-order customer there is no gap
    /// yet; we use the tenure (the gap still open since the only purchase), so one-timers read as
    /// slow buyers rather than as 0-day (very frequent) ones.
    MeanDaysBetweenPurchases,
}

impl Feature {
    /// Every feature, in report order.
    pub const ALL: [Feature; 6] = [
        Feature::RecencyDays,
        Feature::Frequency,
        Feature::Monetary,
        Feature::AvgOrderValue,
        Feature::TenureDays,
        Feature::MeanDaysBetweenPurchases,
    ];

    /// Column name (snake_case, as in the JSON).
    pub fn name(self) -> &'static str {
        match self {
            Feature::RecencyDays => "recency_days",
            Feature::Frequency => "frequency",
            Feature::Monetary => "monetary",
            Feature::AvgOrderValue => "avg_order_value",
            Feature::TenureDays => "tenure_days",
            Feature::MeanDaysBetweenPurchases => "mean_days_between_purchases",
        }
    }

    /// Features that need amounts in the file.
    pub fn needs_money(self) -> bool {
        matches!(self, Feature::Monetary | Feature::AvgOrderValue)
    }

    /// Value of this feature for customer `i`, in original units.
    pub(crate) fn value(self, c: &Customers, i: usize) -> f64 {
        let get_i32 = |v: &[i32]| v.get(i).copied().map_or(f64::NAN, f64::from);
        match self {
            Feature::RecencyDays => get_i32(&c.recency_days),
            Feature::Frequency => c.frequency.get(i).copied().map_or(f64::NAN, f64::from),
            Feature::Monetary => c.monetary.get(i).copied().unwrap_or(f64::NAN),
            Feature::AvgOrderValue => c.avg_order_value.get(i).copied().unwrap_or(f64::NAN),
            Feature::TenureDays => get_i32(&c.tenure_days),
            Feature::MeanDaysBetweenPurchases => {
                let (Some(&f), Some(&first), Some(&last)) = (
                    c.frequency.get(i),
                    c.first_purchase.get(i),
                    c.last_purchase.get(i),
                ) else {
                    return f64::NAN;
                };
                if f >= 2 {
                    f64::from(last - first) / f64::from(f - 1)
                } else {
                    get_i32(&c.tenure_days)
                }
            }
        }
    }
}

/// Parameters of the cluster analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ClusterParams {
    /// Number of clusters in 2..=20; `None` chooses k in 3..=8 by the mean silhouette on a
    /// seeded sample, leaving no cluster under 2 % of the customers.
    pub k: Option<usize>,
    /// Features to cluster on (default recency, frequency, monetary). Each is log1p-transformed
    /// and standardised; money features are dropped with a note when the file has no amounts.
    pub features: Vec<Feature>,
    /// k-means++ restarts per k; the run with the lowest inertia is kept (default 10).
    pub n_runs: usize,
    /// Convergence threshold on the centroid shift, in standardised units (default 1e-4).
    pub tolerance: f64,
    /// Most Lloyd iterations per run (default 300).
    pub max_iterations: u64,
    /// Seed of the k-means++ starts and of the samples (default 42).
    pub seed: u64,
    /// Most customers in the seeded sample the silhouette is measured on (default 10,000).
    pub max_silhouette_sample: usize,
    /// Most customers in the seeded scatter sample handed to the page (default 5,000).
    pub scatter_sample: usize,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            k: None,
            features: vec![Feature::RecencyDays, Feature::Frequency, Feature::Monetary],
            n_runs: 10,
            tolerance: 1e-4,
            max_iterations: 300,
            seed: 42,
            max_silhouette_sample: 10_000,
            scatter_sample: 5_000,
        }
    }
}

impl ClusterParams {
    /// Fixes the number of clusters (`None` = choose by silhouette).
    pub fn k(mut self, k: Option<usize>) -> Self {
        self.k = k;
        self
    }
    /// Sets the features to cluster on.
    pub fn features(mut self, features: Vec<Feature>) -> Self {
        self.features = features;
        self
    }
    /// Sets the number of k-means++ restarts.
    pub fn n_runs(mut self, n: usize) -> Self {
        self.n_runs = n;
        self
    }
    /// Sets the convergence tolerance.
    pub fn tolerance(mut self, t: f64) -> Self {
        self.tolerance = t;
        self
    }
    /// Sets the most iterations per run.
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.max_iterations = n;
        self
    }
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates every parameter once; the error names the first bad one.
    pub fn check(&self) -> Result<(), Error> {
        if let Some(k) = self.k {
            if !(K_MIN..=K_MAX).contains(&k) {
                return Err(Error::param(
                    "k",
                    format!("must be between {K_MIN} and {K_MAX} clusters, got {k}"),
                ));
            }
        }
        if self.features.is_empty() {
            return Err(Error::param("features", "choose at least one feature"));
        }
        for (i, f) in self.features.iter().enumerate() {
            if self.features[..i].contains(f) {
                return Err(Error::param("features", format!("{} is listed twice", f.name())));
            }
        }
        if self.n_runs < 1 {
            return Err(Error::param("n_runs", "must be at least 1 restart"));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::param(
                "tolerance",
                format!("must be a finite number > 0 (e.g. 1e-4), got {}", self.tolerance),
            ));
        }
        if self.max_iterations < 1 {
            return Err(Error::param("max_iterations", "must be at least 1"));
        }
        if self.max_silhouette_sample < 2 {
            return Err(Error::param(
                "max_silhouette_sample",
                format!("must be at least 2 customers, got {}", self.max_silhouette_sample),
            ));
        }
        Ok(())
    }
}

/// How k was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// k was given in the parameters.
    Fixed,
    /// k in 3..=8 with the highest mean silhouette on the seeded sample among the k whose
    /// smallest cluster holds at least 2 % of it (ties: the smaller k; when no k qualifies, the
    /// k whose smallest cluster is largest).
    Silhouette,
}

/// One point of the elbow and silhouette charts.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct KPoint {
    pub k: usize,
    /// Sum of squared distances to the own centroid, in standardised units.
    pub inertia: f64,
    /// Mean silhouette on the seeded sample.
    pub silhouette: f64,
    /// Fraction of the customers in the smallest cluster (on the sample when k was chosen).
    pub smallest_share: f64,
}

/// An RFM segment and how many of a cluster's customers are in it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SegmentCount {
    pub segment: String,
    pub customers: usize,
}

/// What one cluster holds, in a marketer's units.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ClusterProfile {
    /// 1..=k, ascending by mean monetary of the members.
    pub label: u8,
    /// Plain-language name, unique within the report (see [`cluster`] for the rule), in English.
    pub name: String,
    /// The same name in parts, for other languages (`clusters.name.*` in the catalogues).
    pub coded_name: ClusterName,
    pub size: usize,
    /// Share of customers, 0..=1.
    pub share: f64,
    /// Sum of monetary of the members, exact ([`MoneySum`]); 0 when the file has no amount
    /// (unknown then, as are the other money fields: see [`ClusterReport::warnings`]).
    pub revenue: f64,
    /// Share of revenue, 0..=1 (0 when the file has no amounts).
    pub revenue_share: f64,
    /// The centroid mapped back to original units, aligned with `ClusterReport::features`:
    /// expm1(mean + std · z), a typical (geometric-mean-like) member.
    pub centroid: Vec<f64>,
    /// Member means in original units.
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary: f64,
    /// Member medians in original units (what the name is read from).
    pub median_recency_days: f64,
    pub median_frequency: f64,
    pub median_monetary: f64,
    /// The three largest RFM segments among the members: a cross-analysis view, filled in by
    /// report assembly ([`crate::report::cluster_segments`]); empty from [`cluster`] alone.
    pub top_segments: Vec<SegmentCount>,
}

/// A seeded sample of customers for the scatter plot: values in original units, one column per
/// available feature (not only the clustered ones), so the page can pick any two axes.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ScatterSample {
    /// Row index into `Customers` (ascending).
    pub customer: Vec<u32>,
    pub label: Vec<u8>,
    pub columns: Vec<ScatterColumn>,
}

/// One feature's values for the scatter sample.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ScatterColumn {
    pub feature: Feature,
    pub values: Vec<f64>,
}

/// True when the customers' spend is known and not all 0: money can describe them.
pub(super) fn money_known(customers: &Customers) -> bool {
    customers.has_amount && customers.monetary.iter().any(|&m| m != 0.0)
}

/// The cluster analysis of every customer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ClusterReport {
    pub k: usize,
    pub chosen_by: ChosenBy,
    pub seed: u64,
    /// Features clustered on, with the log1p-scale mean and std used to standardise them.
    pub features: Vec<FeatureScale>,
    /// Why features were left out, and other remarks for the page (English).
    pub notes: Vec<String>,
    /// The same notes as codes ([`NOTE_CODES`]) with a `feature` parameter.
    pub coded_notes: Vec<Warning>,
    /// Cluster 1..=k per customer, aligned with `Customers::id`.
    pub label: Vec<u8>,
    /// Sum of squared distances to the own centroid (standardised units) at the chosen k.
    pub inertia: f64,
    /// Mean silhouette of the chosen k on the sample.
    pub silhouette: f64,
    /// Customers in the silhouette sample.
    pub silhouette_sample: usize,
    /// (k, inertia, silhouette) for every k tried (one point when k was fixed).
    pub k_curve: Vec<KPoint>,
    /// One per cluster, by label.
    pub profiles: Vec<ClusterProfile>,
    pub scatter: ScatterSample,
    /// What not to trust: `cluster_no_monetary` (the file has no amount, so the clusters are
    /// on recency and frequency only; their money figures are unknown, not 0).
    pub warnings: Vec<Warning>,
}

/// Clusters the customers.
///
/// Features: log1p of each feature, standardised with the population std. Fit: linfa's k-means
/// (k-means++, `n_runs` restarts, seed from the params), polished to a target-independent fixed
/// point. k: fixed, or the k in 3..=8 (at most the number of distinct customers) with the
/// highest mean silhouette on a seeded sample of `max_silhouette_sample` customers among those
/// leaving no cluster under 2 % of the sample; each k is fitted on the sample, the chosen one on
/// everyone.
///
/// Labels: 1..=k by ascending mean monetary of the members; ties by mean frequency, then by
/// the centroid (lexicographic in standardised units).
///
/// Names: each cluster's member medians are compared with the overall medians. Recency below
/// the overall median → "recent", else "lapsed". Median frequency of 1 → one-timers; above the
/// overall median → frequent; otherwise occasional. With amounts, median monetary above the
/// overall median → big spenders. Examples: "recent loyal big spenders" (frequent and big),
/// "lapsed one-timers", "recent frequent buyers" (no amounts). Clusters that share a name get
/// " (lower spend)" / " (higher spend)" (or "spend tier i of n") in label order; without
/// amounts "fewer orders" / "more orders".
///
/// ```
/// use clientele::cluster::{cluster, ClusterParams};
/// use clientele::customers::Customers;
/// let n = 40;
/// let c = Customers {
///     id: (0..n).map(|i| i.to_string()).collect(),
///     recency_days: (0..n).map(|i| if i % 2 == 0 { 3 } else { 300 } + i).collect(),
///     frequency: (0..n).map(|i| if i % 2 == 0 { 12 } else { 1 }).collect(),
///     monetary: (0..n).map(|i| if i % 2 == 0 { 900.0 } else { 20.0 } + i as f64).collect(),
///     ..Default::default()
/// };
/// let r = cluster(&c, &ClusterParams::default().k(Some(2))).unwrap();
/// assert_eq!(r.label[0], 2);
/// assert_eq!(r.label[1], 1);
/// assert_eq!(r.profiles[1].name, "recent loyal big spenders");
/// ```
pub fn cluster(customers: &Customers, params: &ClusterParams) -> Result<ClusterReport, Error> {
    let features = build_features(customers, params)?;
    let x = features.scaled.view();
    let p = x.ncols();
    let data: Vec<f64> = x.iter().copied().collect();

    let (ks, chosen_by) = ks_to_try(x, params.k)?;

    // A fixed k is fitted on everyone; a chosen one is chosen on the silhouette sample.
    let (partition, sample_len, k_curve) = if ks.len() == 1 {
        let part = k_means(x, ks[0], params)?;
        let (sample_len, curve) = k_curve(&data, p, std::slice::from_ref(&part), params);
        (part, sample_len, curve)
    } else {
        choose_k(x, &ks, params)?
    };
    let best = k_curve.iter().position(|pt| pt.k == partition.k).unwrap_or(0);
    let part = &partition;
    let k = part.k;

    let order = relabel_order(customers, part, p);
    // new_label[old] = 1-based label.
    let mut new_label = vec![0u8; k];
    for (pos, &old) in order.iter().enumerate() {
        new_label[old] = (pos + 1) as u8;
    }
    let label: Vec<u8> = part.labels.iter().map(|&l| new_label[l]).collect();

    let profiles = profiles(customers, &features, part, &order, &label);

    let scatter = scatter(customers, &label, params);

    let mut warnings = no_amount_warnings(customers, params);
    warnings.extend(fit_on_warning(part.fit_on));
    Ok(ClusterReport {
        k,
        chosen_by,
        seed: params.seed,
        features: features.scales.clone(),
        notes: features.notes.iter().map(|n| n.message.clone()).collect(),
        coded_notes: features.notes.clone(),
        label,
        inertia: part.inertia,
        silhouette: k_curve[best].silhouette,
        silhouette_sample: sample_len,
        k_curve,
        profiles,
        scatter,
        warnings,
    })
}

/// What the final k-means fit ran on when it was not every customer's row: `cluster_fit_on_patterns`
/// (distinct feature patterns with weights, above [`PATTERNS_MIN_ROWS`] customers) or
/// `cluster_fit_on_sample` (a seeded sample, above [`MAX_FIT_POINTS`] distinct patterns).
fn fit_on_warning(fit_on: FitOn) -> Option<Warning> {
    match fit_on {
        FitOn::AllRows => None,
        FitOn::Patterns { rows, patterns } => Some(
            Warning::new(
                "cluster_fit_on_patterns",
                format!(
                    "{rows} customers: k-means was fitted on their {patterns} distinct feature patterns, each weighted by the customers who share it (the same centroids as on every customer)."
                ),
            )
            .with_param("customers", rows)
            .with_param("patterns", patterns)
            .on_columns(&["cluster"]),
        ),
        FitOn::Sample { rows, sample, patterns } => Some(
            Warning::new(
                "cluster_fit_on_sample",
                format!(
                    "{rows} customers with more than {MAX_FIT_POINTS} distinct feature patterns: k-means was fitted on a seeded sample of {sample} customers ({patterns} distinct patterns, weighted) and every customer labelled by the nearest centroid; another seed draws another sample."
                ),
            )
            .with_param("customers", rows)
            .with_param("sample", sample)
            .with_param("patterns", patterns)
            .on_columns(&["cluster"]),
        ),
    }
}

/// `cluster_no_monetary` when the file has no amount.
fn no_amount_warnings(customers: &Customers, params: &ClusterParams) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if !customers.has_amount {
        let left_out: Vec<&str> = params
            .features
            .iter()
            .filter(|f| f.needs_money())
            .map(|f| f.name())
            .collect();
        let message = if left_out.is_empty() {
            "The file has no amount: the clusters' revenue and spend figures are unknown, not 0.".to_string()
        } else {
            format!(
                "The file has no amount: the clusters are on recency and frequency only ({} left out), and their revenue and spend figures are unknown, not 0.",
                left_out.join(", ")
            )
        };
        warnings.push(
            Warning::new("cluster_no_monetary", message)
                .with_param("left_out", left_out.join(","))
                .on_columns(&["cluster"]),
        );
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop(n: usize) -> Customers {
        Customers {
            id: (0..n).map(|i| i.to_string()).collect(),
            recency_days: (0..n)
                .map(|i| if i % 2 == 0 { 3 } else { 300 } + i as i32)
                .collect(),
            frequency: (0..n).map(|i| if i % 2 == 0 { 12 } else { 1 }).collect(),
            monetary: (0..n)
                .map(|i| if i % 2 == 0 { 900.0 } else { 20.0 } + i as f64)
                .collect(),
            avg_order_value: vec![1.0; n],
            ..Default::default()
        }
    }

    #[test]
    fn no_amount_drops_money_features_with_a_warning() {
        let params = ClusterParams::default().k(Some(2)).n_runs(1);
        let r = cluster(&shop(40), &params).unwrap();
        assert!(r.warnings.is_empty());
        assert_eq!(r.features.len(), 3);
        // The same customers, but the file had no amount: the spend figures are placeholders.
        let mut c = shop(40);
        c.has_amount = false;
        let r = cluster(&c, &params).unwrap();
        assert_eq!(r.features.len(), 2);
        assert!(r.features.iter().all(|f| !f.feature.needs_money()));
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].code, "cluster_no_monetary");
        assert_eq!(r.warnings[0].columns, ["cluster"]);
        assert!(
            r.warnings[0].message.contains("monetary left out"),
            "{}",
            r.warnings[0].message
        );
        assert!(r
            .profiles
            .iter()
            .all(|p| p.revenue == 0.0 && p.revenue_share == 0.0));
        assert!(r.scatter.columns.iter().all(|col| !col.feature.needs_money()));
        // Amounts that are all 0 are known: no warning, only a note that spend cannot separate.
        let mut c = shop(40);
        c.monetary = vec![0.0; 40];
        let r = cluster(&c, &params).unwrap();
        assert!(r.warnings.is_empty());
        assert_eq!(r.notes, ["monetary left out: every customer's spend is 0"]);
    }
}
