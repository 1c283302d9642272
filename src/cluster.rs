//! Customer clusters: k-means (linfa-clustering, k-means++ with restarts) on log1p-scaled,
//! standardised behaviour features of the per-customer summary (recency, frequency, monetary and
//! optional extras), with k chosen by the mean silhouette on a seeded sample unless fixed.
//! The report gives every customer a stable label 1..=k, plain-language cluster profiles for a
//! marketer, and chart-ready data (elbow / silhouette curve, a seeded scatter sample).

use crate::customers::Customers;
use crate::money::{self, MoneySum};
use crate::rfm::RfmReport;
use crate::{Error, Warning};
use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::KMeans;
use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "cluster";
/// Most rows linfa's k-means runs on; beyond it, a seeded sample seeds the centroids and the
/// exact polish runs on every row (see `k_means`). 20k rather than 100k: on 200,000 synthetic
/// customers the chosen k and the inertia of k = 2..=7 and 9 were identical, k = 8 and 10 came
/// out lower, and the whole Report took 8.9 s instead of 14.3 s (see BENCHMARKS.md).
const LINFA_MAX_ROWS: usize = 20_000;

/// Smallest and largest k a user may fix.
pub const K_MIN: usize = 2;
pub const K_MAX: usize = 20;
/// Largest k tried when k is chosen automatically (k = 2..=10).
pub const K_MAX_CHOSEN: usize = 10;

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
    fn value(self, c: &Customers, i: usize) -> f64 {
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
    /// Number of clusters in 2..=20; `None` chooses k in 2..=10 by the mean silhouette.
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

/// How one feature was scaled: z = (log1p(x) − mean) / std (population std, as sklearn's
/// `StandardScaler`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureScale {
    pub feature: Feature,
    /// Mean of log1p(x) over all customers.
    pub mean: f64,
    /// Population standard deviation of log1p(x) over all customers.
    pub std: f64,
}

/// The design matrix the clusters are fitted on.
#[derive(Debug, Clone)]
pub struct ClusterFeatures {
    pub scales: Vec<FeatureScale>,
    /// Standardised values, one row per customer (aligned with `Customers::id`).
    pub scaled: Array2<f64>,
    /// Why the feature list differs from the one asked for.
    pub notes: Vec<String>,
}

impl ClusterFeatures {
    /// The features actually used, in column order.
    pub fn features(&self) -> Vec<Feature> {
        self.scales.iter().map(|s| s.feature).collect()
    }
}

/// Builds the standardised log1p features of every customer.
///
/// Money features are dropped with a note when the file has no amount
/// ([`Customers::has_amount`]) or every customer's spend is 0 (a constant cannot separate
/// customers). Any other constant feature is an error naming it.
pub fn build_features(customers: &Customers, params: &ClusterParams) -> Result<ClusterFeatures, Error> {
    params.check()?;
    let n = customers.len();
    if n == 0 {
        return Err(Error::data(ANALYSIS, "there are no customers to cluster"));
    }
    let mut notes = Vec::new();
    let no_money = !money_known(customers);
    let mut features: Vec<Feature> = Vec::with_capacity(params.features.len());
    for &f in &params.features {
        if no_money && f.needs_money() {
            notes.push(if customers.has_amount {
                format!("{} left out: every customer's spend is 0", f.name())
            } else {
                format!("{} left out: the file has no amounts", f.name())
            });
        } else {
            features.push(f);
        }
    }
    if features.is_empty() {
        return Err(Error::data(
            ANALYSIS,
            "no feature is left to cluster on: the file has no amounts; add recency_days or frequency",
        ));
    }
    let p = features.len();
    let mut values = Vec::with_capacity(n * p);
    for i in 0..n {
        for &f in &features {
            let v = f.value(customers, i);
            if !v.is_finite() {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "customer {} has a non-finite {} ({v}); check the amounts in the file",
                        customers.id.get(i).map_or("?", |s| s.as_str()),
                        f.name()
                    ),
                ));
            }
            // Counts, days and money are ≥ 0; max guards log1p against a stray negative.
            values.push(libm::log1p(v.max(0.0)));
        }
    }
    let mut scales = Vec::with_capacity(p);
    for (j, &f) in features.iter().enumerate() {
        let mut sum = 0.0;
        for i in 0..n {
            sum += values[i * p + j];
        }
        let mean = sum / n as f64;
        let mut ss = 0.0;
        for i in 0..n {
            let d = values[i * p + j] - mean;
            ss += d * d;
        }
        let std = (ss / n as f64).sqrt();
        // Relative threshold: a column equal up to rounding noise is constant.
        if std <= 1e-12 * mean.abs().max(1.0) {
            return Err(Error::data(
                ANALYSIS,
                format!(
                    "{} is the same for every customer, so it cannot separate them; leave it out",
                    f.name()
                ),
            ));
        }
        scales.push(FeatureScale {
            feature: f,
            mean,
            std,
        });
    }
    for row in values.chunks_mut(p) {
        for (v, s) in row.iter_mut().zip(&scales) {
            *v = (*v - s.mean) / s.std;
        }
    }
    let scaled = Array2::from_shape_vec((n, p), values)
        .map_err(|e| Error::data(ANALYSIS, format!("feature matrix: {e}")))?;
    Ok(ClusterFeatures {
        scales,
        scaled,
        notes,
    })
}

/// A k-means partition in standardised space.
#[derive(Debug, Clone, PartialEq)]
struct Partition {
    k: usize,
    /// 0-based cluster per row.
    labels: Vec<usize>,
    /// Row-major k × p.
    centroids: Vec<f64>,
    /// Sum of squared distances to the own centroid (scikit-learn's `inertia_`).
    inertia: f64,
}

/// Squared Euclidean distance, summed in index order (the same bits on every target).
#[inline]
fn dist2(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        let d = x - y;
        s += d * d;
    }
    s
}

/// Runs k-means with linfa, then polishes the result with exact Lloyd steps in plain loops.
///
/// linfa's distance arithmetic goes through ndarray and may differ in the last bits between
/// native (parallel, possibly fused multiply-add) and wasm builds. The polish recomputes
/// assignments and centroids from linfa's centroids with a fixed summation order until the
/// assignment no longer changes, so the reported labels, centroids and inertia are a fixed
/// point computed with the same IEEE operations on every target.
fn k_means(x: ArrayView2<f64>, k: usize, params: &ClusterParams) -> Result<Partition, Error> {
    let rng = Xoshiro256Plus::seed_from_u64(params.seed);
    // linfa's per-row ndarray work and its damped (m_k-means) centroid update make millions of
    // rows slow; on big inputs it seeds the centroids from a seeded sample and the exact polish
    // below finishes on every row.
    let fit_rows = if x.nrows() > LINFA_MAX_ROWS {
        let rows = seeded_sample(x.nrows(), LINFA_MAX_ROWS, params.seed ^ 0x11fa_5a11);
        Some(x.select(ndarray::Axis(0), &rows))
    } else {
        None
    };
    let fit_view = match &fit_rows {
        Some(a) => a.view(),
        None => x.view(),
    };
    let dataset = DatasetBase::new(fit_view, ());
    let model = KMeans::params_with_rng(k, rng)
        .n_runs(params.n_runs)
        .tolerance(params.tolerance)
        .max_n_iterations(params.max_iterations)
        .fit(&dataset)
        .map_err(|e| Error::data(ANALYSIS, format!("k-means with k = {k} failed: {e}")))?;
    let centroids: Vec<f64> = model.centroids().iter().copied().collect();
    let data: Vec<f64> = x.iter().copied().collect();
    Ok(polish(&data, x.ncols(), k, centroids, params.max_iterations))
}

/// Lloyd steps from the given centroids until the assignment is stable (or `max_iterations`).
/// Ties go to the lower cluster index; an emptied cluster keeps its centroid.
fn polish(data: &[f64], p: usize, k: usize, mut centroids: Vec<f64>, max_iterations: u64) -> Partition {
    let n = data.len().checked_div(p).unwrap_or(0);
    let mut labels = vec![usize::MAX; n];
    let mut sums = vec![0.0; k * p];
    let mut counts = vec![0usize; k];
    for _ in 0..max_iterations.max(1) {
        let changed = assign(data, p, &centroids, &mut labels);
        if !changed {
            break;
        }
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for (row, &l) in data.chunks_exact(p).zip(&labels) {
            counts[l] += 1;
            for (s, v) in sums[l * p..(l + 1) * p].iter_mut().zip(row) {
                *s += v;
            }
        }
        for c in 0..k {
            if counts[c] > 0 {
                for j in 0..p {
                    centroids[c * p + j] = sums[c * p + j] / counts[c] as f64;
                }
            }
        }
    }
    let mut inertia = 0.0;
    for (row, &l) in data.chunks_exact(p).zip(&labels) {
        inertia += dist2(row, &centroids[l * p..(l + 1) * p]);
    }
    Partition {
        k,
        labels,
        centroids,
        inertia,
    }
}

/// Assigns each row to its nearest centroid; true when any label changed.
fn assign(data: &[f64], p: usize, centroids: &[f64], labels: &mut [usize]) -> bool {
    let mut changed = false;
    for (row, label) in data.chunks_exact(p).zip(labels.iter_mut()) {
        let mut best = 0;
        let mut best_d = f64::INFINITY;
        for (c, centroid) in centroids.chunks_exact(p).enumerate() {
            let d = dist2(row, centroid);
            if d < best_d {
                best_d = d;
                best = c;
            }
        }
        if *label != best {
            *label = best;
            changed = true;
        }
    }
    changed
}

/// Mean silhouette of one labelling: for each point, a = mean distance to the other members of
/// its cluster, b = the smallest mean distance to another cluster, s = (b − a) / max(a, b);
/// s = 0 for a point alone in its cluster (scikit-learn's convention). `data` is row-major with
/// `p` columns, `labels` are 0-based below `k`.
pub fn silhouette_score(data: &[f64], p: usize, labels: &[usize], k: usize) -> f64 {
    silhouettes(data, p, &[(labels, k)])
        .first()
        .copied()
        .unwrap_or(0.0)
}

/// Mean silhouettes of several labellings of the same points in one pass over the pairs: the
/// distances do not depend on k, so each is computed once. O(n² · (p + labellings)).
fn silhouettes(data: &[f64], p: usize, labellings: &[(&[usize], usize)]) -> Vec<f64> {
    let n = data.len().checked_div(p).unwrap_or(0);
    if n < 2 {
        return vec![0.0; labellings.len()];
    }
    // sums[m][i * k_m + c] = Σ distance from point i to the points of cluster c in labelling m.
    let mut sums: Vec<Vec<f64>> = labellings.iter().map(|(_, k)| vec![0.0; n * k]).collect();
    for i in 0..n {
        let xi = &data[i * p..(i + 1) * p];
        for j in (i + 1)..n {
            let d = dist2(xi, &data[j * p..(j + 1) * p]).sqrt();
            for (s, &(labels, k)) in sums.iter_mut().zip(labellings) {
                s[i * k + labels[j]] += d;
                s[j * k + labels[i]] += d;
            }
        }
    }
    sums.iter()
        .zip(labellings)
        .map(|(s, &(labels, k))| {
            let mut counts = vec![0usize; k];
            for &l in labels.iter().take(n) {
                counts[l] += 1;
            }
            let mut total = 0.0;
            for i in 0..n {
                let own = labels[i];
                if counts[own] < 2 {
                    continue;
                }
                let a = s[i * k + own] / (counts[own] - 1) as f64;
                let mut b = f64::INFINITY;
                for c in 0..k {
                    if c != own && counts[c] > 0 {
                        b = b.min(s[i * k + c] / counts[c] as f64);
                    }
                }
                let m = a.max(b);
                if b.is_finite() && m > 0.0 {
                    total += (b - a) / m;
                }
            }
            total / n as f64
        })
        .collect()
}

/// `m` distinct row indices out of `n`, drawn with a seeded partial Fisher-Yates shuffle (u64
/// draws, so the same on 32- and 64-bit targets), returned in ascending (file) order.
fn seeded_sample(n: usize, m: usize, seed: u64) -> Vec<usize> {
    if m >= n {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..m {
        let j = i + rng.gen_range(0..(n - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx.truncate(m);
    idx.sort_unstable();
    idx
}

/// Number of distinct rows, up to `limit` (enough to know whether k clusters are possible).
fn distinct_rows(x: ArrayView2<f64>, limit: usize) -> usize {
    let mut rows: Vec<Vec<u64>> = x
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|v| v.to_bits()).collect())
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len().min(limit)
}

/// How k was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// k was given in the parameters.
    Fixed,
    /// k in 2..=10 with the highest mean silhouette (ties: the smaller k).
    Silhouette,
}

/// One point of the elbow and silhouette charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KPoint {
    pub k: usize,
    /// Sum of squared distances to the own centroid, in standardised units.
    pub inertia: f64,
    /// Mean silhouette on the seeded sample.
    pub silhouette: f64,
}

/// An RFM segment and how many of a cluster's customers are in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentCount {
    pub segment: String,
    pub customers: usize,
}

/// What one cluster holds, in a marketer's units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterProfile {
    /// 1..=k, ascending by mean monetary of the members.
    pub label: u8,
    /// Plain-language name, unique within the report (see [`cluster`] for the rule).
    pub name: String,
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
    /// The three largest RFM segments among the members (empty without an RFM report).
    pub top_segments: Vec<SegmentCount>,
}

/// A seeded sample of customers for the scatter plot: values in original units, one column per
/// available feature (not only the clustered ones), so the page can pick any two axes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterSample {
    /// Row index into `Customers` (ascending).
    pub customer: Vec<u32>,
    pub label: Vec<u8>,
    pub columns: Vec<ScatterColumn>,
}

/// One feature's values for the scatter sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterColumn {
    pub feature: Feature,
    pub values: Vec<f64>,
}

/// True when the customers' spend is known and not all 0: money can describe them.
fn money_known(customers: &Customers) -> bool {
    customers.has_amount && customers.monetary.iter().any(|&m| m != 0.0)
}

/// The cluster analysis of every customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterReport {
    pub k: usize,
    pub chosen_by: ChosenBy,
    pub seed: u64,
    /// Features clustered on, with the log1p-scale mean and std used to standardise them.
    pub features: Vec<FeatureScale>,
    /// Why features were left out, and other remarks for the page.
    pub notes: Vec<String>,
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
/// Features: log1p of each feature, standardised with the population std. Fit: linfa k-means
/// (k-means++, `n_runs` restarts, seed from the params), polished to a target-independent fixed
/// point. k: fixed, or the k in 2..=10 (at most the number of distinct customers) with the
/// highest mean silhouette on a seeded sample of `max_silhouette_sample` customers.
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
/// let r = cluster(&c, None, &ClusterParams::default().k(Some(2))).unwrap();
/// assert_eq!(r.label[0], 2);
/// assert_eq!(r.label[1], 1);
/// assert_eq!(r.profiles[1].name, "recent loyal big spenders");
/// ```
pub fn cluster(
    customers: &Customers,
    rfm: Option<&RfmReport>,
    params: &ClusterParams,
) -> Result<ClusterReport, Error> {
    let features = build_features(customers, params)?;
    let x = features.scaled.view();
    let n = x.nrows();
    let p = x.ncols();
    let data: Vec<f64> = x.iter().copied().collect();

    let distinct = distinct_rows(x, K_MAX + 1);
    let (ks, chosen_by) = match params.k {
        Some(k) => {
            if n < k {
                return Err(Error::data(
                    ANALYSIS,
                    format!("{k} clusters need at least {k} customers; the file has {n}"),
                ));
            }
            if distinct < k {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "{k} clusters need at least {k} customers who differ; only {distinct} distinct \
                         feature combinations found; choose a smaller k"
                    ),
                ));
            }
            (vec![k], ChosenBy::Fixed)
        }
        None => {
            let top = K_MAX_CHOSEN.min(distinct);
            if top < K_MIN {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "clusters need at least {K_MIN} customers who differ; found {distinct} distinct \
                         feature combination(s)"
                    ),
                ));
            }
            ((K_MIN..=top).collect(), ChosenBy::Silhouette)
        }
    };

    let mut partitions = Vec::with_capacity(ks.len());
    for &k in &ks {
        partitions.push(k_means(x, k, params)?);
    }

    // The silhouette sample: its own seed stream, the same customers for every k.
    let sample = seeded_sample(n, params.max_silhouette_sample, params.seed ^ 0x5111_0e77);
    let mut sample_data = Vec::with_capacity(sample.len() * p);
    for &i in &sample {
        sample_data.extend_from_slice(&data[i * p..(i + 1) * p]);
    }
    let sample_labels: Vec<Vec<usize>> = partitions
        .iter()
        .map(|part| sample.iter().map(|&i| part.labels[i]).collect())
        .collect();
    let labellings: Vec<(&[usize], usize)> = sample_labels
        .iter()
        .zip(&partitions)
        .map(|(l, part)| (l.as_slice(), part.k))
        .collect();
    let sil = silhouettes(&sample_data, p, &labellings);
    let k_curve: Vec<KPoint> = partitions
        .iter()
        .zip(&sil)
        .map(|(part, &s)| KPoint {
            k: part.k,
            inertia: part.inertia,
            silhouette: s,
        })
        .collect();
    let mut best = 0;
    for (i, pt) in k_curve.iter().enumerate() {
        if pt.silhouette > k_curve[best].silhouette {
            best = i;
        }
    }
    let part = &partitions[best];
    let k = part.k;

    let order = relabel_order(customers, part, p);
    // new_label[old] = 1-based label.
    let mut new_label = vec![0u8; k];
    for (pos, &old) in order.iter().enumerate() {
        new_label[old] = (pos + 1) as u8;
    }
    let label: Vec<u8> = part.labels.iter().map(|&l| new_label[l]).collect();

    let profiles = profiles(customers, rfm, &features, part, &order, &label);

    let has_money = money_known(customers);
    let scatter_rows = seeded_sample(n, params.scatter_sample, params.seed ^ 0x5ca7_7e40);
    let columns = Feature::ALL
        .iter()
        .filter(|f| has_money || !f.needs_money())
        .map(|&f| ScatterColumn {
            feature: f,
            values: scatter_rows.iter().map(|&i| f.value(customers, i)).collect(),
        })
        .collect();
    let scatter = ScatterSample {
        customer: scatter_rows.iter().map(|&i| i as u32).collect(),
        label: scatter_rows.iter().map(|&i| label[i]).collect(),
        columns,
    };

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
    Ok(ClusterReport {
        k,
        chosen_by,
        seed: params.seed,
        features: features.scales.clone(),
        notes: features.notes.clone(),
        label,
        inertia: part.inertia,
        silhouette: k_curve[best].silhouette,
        silhouette_sample: sample.len(),
        k_curve,
        profiles,
        scatter,
        warnings,
    })
}

/// Old (0-based) cluster indices in label order: ascending mean monetary, then mean frequency,
/// then centroid.
fn relabel_order(customers: &Customers, part: &Partition, p: usize) -> Vec<usize> {
    let k = part.k;
    let mut spent = vec![MoneySum::default(); k];
    let mut freq = vec![0.0; k];
    let mut count = vec![0usize; k];
    for (i, &l) in part.labels.iter().enumerate() {
        count[l] += 1;
        if customers.has_amount {
            spent[l].add(customers.monetary.get(i).copied().unwrap_or(0.0));
        }
        freq[l] += customers.frequency.get(i).copied().map_or(0.0, f64::from);
    }
    let mut money = vec![0.0; k];
    for c in 0..k {
        let m = count[c].max(1) as f64;
        money[c] = spent[c].value() / m;
        freq[c] /= m;
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        money[a]
            .total_cmp(&money[b])
            .then(freq[a].total_cmp(&freq[b]))
            .then_with(|| {
                let ca = &part.centroids[a * p..(a + 1) * p];
                let cb = &part.centroids[b * p..(b + 1) * p];
                ca.iter()
                    .zip(cb)
                    .map(|(x, y)| x.total_cmp(y))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    });
    order
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_unstable_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

fn profiles(
    customers: &Customers,
    rfm: Option<&RfmReport>,
    features: &ClusterFeatures,
    part: &Partition,
    order: &[usize],
    label: &[u8],
) -> Vec<ClusterProfile> {
    let n = label.len();
    let k = part.k;
    let p = features.scales.len();
    let has_money = money_known(customers);
    let recency = |i: usize| Feature::RecencyDays.value(customers, i);
    let frequency = |i: usize| Feature::Frequency.value(customers, i);
    let monetary = |i: usize| Feature::Monetary.value(customers, i);
    let overall_r = median(&mut (0..n).map(recency).collect::<Vec<_>>());
    let overall_f = median(&mut (0..n).map(frequency).collect::<Vec<_>>());
    let overall_m = median(&mut (0..n).map(monetary).collect::<Vec<_>>());
    let total_revenue = if customers.has_amount {
        money::sum((0..n).map(monetary))
    } else {
        0.0
    };

    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in label.iter().enumerate() {
        if let Some(m) = members.get_mut(usize::from(l).wrapping_sub(1)) {
            m.push(i);
        }
    }
    let mut out = Vec::with_capacity(k);
    for (pos, &old) in order.iter().enumerate() {
        let rows = &members[pos];
        let size = rows.len();
        let mean_of = |f: &dyn Fn(usize) -> f64| {
            if size == 0 {
                0.0
            } else {
                rows.iter().map(|&i| f(i)).sum::<f64>() / size as f64
            }
        };
        let revenue = if customers.has_amount {
            money::sum(rows.iter().map(|&i| monetary(i)))
        } else {
            0.0
        };
        let med_r = median(&mut rows.iter().map(|&i| recency(i)).collect::<Vec<_>>());
        let med_f = median(&mut rows.iter().map(|&i| frequency(i)).collect::<Vec<_>>());
        let med_m = median(&mut rows.iter().map(|&i| monetary(i)).collect::<Vec<_>>());
        let centroid = features
            .scales
            .iter()
            .enumerate()
            .map(|(j, s)| libm::expm1(s.mean + s.std * part.centroids[old * p + j]))
            .collect();
        let top_segments = match rfm {
            Some(r) => top_segments(r, rows),
            None => Vec::new(),
        };
        let name = base_name(
            med_r < overall_r,
            med_f,
            overall_f,
            has_money.then_some(med_m > overall_m),
        );
        out.push(ClusterProfile {
            label: (pos + 1) as u8,
            name,
            size,
            share: if n > 0 { size as f64 / n as f64 } else { 0.0 },
            revenue,
            revenue_share: if total_revenue > 0.0 {
                revenue / total_revenue
            } else {
                0.0
            },
            centroid,
            mean_recency_days: mean_of(&recency),
            mean_frequency: mean_of(&frequency),
            mean_monetary: mean_of(&monetary),
            median_recency_days: med_r,
            median_frequency: med_f,
            median_monetary: med_m,
            top_segments,
        });
    }
    make_names_unique(&mut out, has_money);
    out
}

/// The name read from a cluster's medians (see [`cluster`]).
fn base_name(recent: bool, med_f: f64, overall_f: f64, big: Option<bool>) -> String {
    let when = if recent { "recent" } else { "lapsed" };
    #[derive(PartialEq)]
    enum Rhythm {
        OneTime,
        Occasional,
        Frequent,
    }
    let rhythm = if med_f <= 1.0 {
        Rhythm::OneTime
    } else if med_f > overall_f {
        Rhythm::Frequent
    } else {
        Rhythm::Occasional
    };
    let what = match (rhythm, big) {
        (Rhythm::Frequent, Some(true)) => "loyal big spenders",
        (Rhythm::Frequent, Some(false)) => "frequent small spenders",
        (Rhythm::Frequent, None) => "frequent buyers",
        (Rhythm::Occasional, Some(true)) => "occasional big spenders",
        (Rhythm::Occasional, Some(false)) => "occasional low spenders",
        (Rhythm::Occasional, None) => "occasional buyers",
        (Rhythm::OneTime, Some(true)) => "big one-timers",
        (Rhythm::OneTime, _) => "one-timers",
    };
    format!("{when} {what}")
}

/// Profiles are in label order (ascending spend, then frequency), so a suffix by position
/// among the namesakes reads as a spend (or order count) tier.
fn make_names_unique(profiles: &mut [ClusterProfile], has_money: bool) {
    let names: Vec<String> = profiles.iter().map(|p| p.name.clone()).collect();
    for (i, profile) in profiles.iter_mut().enumerate() {
        let same: Vec<usize> = (0..names.len()).filter(|&j| names[j] == names[i]).collect();
        if same.len() < 2 {
            continue;
        }
        let rank = same.iter().position(|&j| j == i).unwrap_or(0);
        let (low, high, tier) = if has_money {
            ("lower spend", "higher spend", "spend")
        } else {
            ("fewer orders", "more orders", "order")
        };
        let suffix = if same.len() == 2 {
            if rank == 0 { low } else { high }.to_string()
        } else {
            format!("{tier} tier {} of {}", rank + 1, same.len())
        };
        profile.name = format!("{} ({suffix})", names[i]);
    }
}

/// The three largest RFM segments among `rows`; ties by segment order in the RFM report.
fn top_segments(rfm: &RfmReport, rows: &[usize]) -> Vec<SegmentCount> {
    let mut counts = vec![0usize; rfm.segments.len()];
    for &i in rows {
        if let Some(c) = rfm.segment.get(i).and_then(|&s| counts.get_mut(usize::from(s))) {
            *c += 1;
        }
    }
    let mut idx: Vec<usize> = (0..counts.len()).filter(|&s| counts[s] > 0).collect();
    idx.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    idx.into_iter()
        .take(3)
        .filter_map(|s| {
            rfm.segments.get(s).map(|seg| SegmentCount {
                segment: seg.name.clone(),
                customers: counts[s],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silhouette_matches_a_hand_computed_example() {
        // 1-D points 0, 1 (cluster 0) and 4, 6 (cluster 1).
        // Point 0: a = 1, b = (4 + 6) / 2 = 5, s = 4/5.   Point 1: a = 1, b = 4, s = 3/4.
        // Point 4: a = 2, b = (4 + 3) / 2 = 3.5, s = 1.5/3.5.   Point 6: a = 2, b = 5.5, s = 3.5/5.5.
        let data = [0.0, 1.0, 4.0, 6.0];
        let s = silhouette_score(&data, 1, &[0, 0, 1, 1], 2);
        let expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4.0;
        assert!((s - expected).abs() < 1e-15, "{s} vs {expected}");
    }

    #[test]
    fn a_lone_point_scores_zero() {
        // Point 10 alone: s = 0. Points 0, 1: a = 1, b = 10 and 9: s = 0.9 and 8/9.
        let data = [0.0, 1.0, 10.0];
        let s = silhouette_score(&data, 1, &[0, 0, 1], 2);
        let expected = (0.9 + 8.0 / 9.0 + 0.0) / 3.0;
        assert!((s - expected).abs() < 1e-15);
    }

    #[test]
    fn several_labellings_in_one_pass_equal_one_at_a_time() {
        let data: Vec<f64> = (0..30).map(|i| ((i * 7919) % 31) as f64 / 3.0).collect();
        let a: Vec<usize> = (0..15).map(|i| i % 2).collect();
        let b: Vec<usize> = (0..15).map(|i| i % 3).collect();
        let both = silhouettes(&data, 2, &[(&a, 2), (&b, 3)]);
        assert_eq!(both[0], silhouette_score(&data, 2, &a, 2));
        assert_eq!(both[1], silhouette_score(&data, 2, &b, 3));
    }

    #[test]
    fn seeded_sample_is_sorted_distinct_and_seeded() {
        let s = seeded_sample(1000, 50, 7);
        assert_eq!(s.len(), 50);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, seeded_sample(1000, 50, 7));
        assert_ne!(s, seeded_sample(1000, 50, 8));
        assert_eq!(seeded_sample(10, 50, 7), (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn polish_reaches_a_lloyd_fixed_point() {
        let data = [0.0, 0.0, 0.2, 0.1, 5.0, 5.0, 5.2, 4.9, 0.1, 0.3];
        let part = polish(&data, 2, 2, vec![0.0, 0.0, 1.0, 1.0], 100);
        assert_eq!(part.labels, vec![0, 0, 1, 1, 0]);
        assert!((part.centroids[2] - 5.1).abs() < 1e-12);
        let again = polish(&data, 2, 2, part.centroids.clone(), 100);
        assert_eq!(again, part);
    }

    #[test]
    fn names_follow_the_medians() {
        assert_eq!(base_name(true, 8.0, 2.0, Some(true)), "recent loyal big spenders");
        assert_eq!(base_name(false, 1.0, 2.0, Some(false)), "lapsed one-timers");
        assert_eq!(base_name(false, 1.0, 2.0, Some(true)), "lapsed big one-timers");
        assert_eq!(base_name(true, 5.0, 2.0, None), "recent frequent buyers");
        assert_eq!(base_name(true, 2.0, 2.0, None), "recent occasional buyers");
    }

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
        let r = cluster(&shop(40), None, &params).unwrap();
        assert!(r.warnings.is_empty());
        assert_eq!(r.features.len(), 3);
        // The same customers, but the file had no amount: the spend figures are placeholders.
        let mut c = shop(40);
        c.has_amount = false;
        let r = cluster(&c, None, &params).unwrap();
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
        let r = cluster(&c, None, &params).unwrap();
        assert!(r.warnings.is_empty());
        assert_eq!(r.notes, ["monetary left out: every customer's spend is 0"]);
    }
}
