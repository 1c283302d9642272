//! Customer clusters: k-means (linfa, k-means++ restarts) on standardised log1p behaviour
//! features of the per-customer summary (recency, frequency, monetary by default), k chosen by
//! mean silhouette on a seeded sample unless fixed, clusters relabelled by a stable rule and
//! profiled in plain language for marketers, plus a seeded scatter sample for the page's charts.

use crate::customers::Customers;
use crate::rfm::RfmReport;
use crate::Error;
use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeSet;

const ANALYSIS: &str = "cluster";
/// The candidate k when k is not fixed.
pub const K_CANDIDATES: std::ops::RangeInclusive<usize> = 2..=10;
/// Most customers the silhouette is averaged over (a seeded sample; all pairs of it are scanned).
pub const SILHOUETTE_SAMPLE: usize = 10_000;
/// Most customers in the scatter sample sent to the page.
pub const SCATTER_SAMPLE: usize = 5_000;
// Distinct streams of the one seed, so the samples do not depend on each other.
const SILHOUETTE_STREAM: u64 = 0x5111_0000_0000_0001;
const SCATTER_STREAM: u64 = 0x5CA7_0000_0000_0002;
const FIT_STREAM: u64 = 0xF170_0000_0000_0003;
/// Above this many customers linfa fits a seeded sample of this size; the Lloyd polish then
/// runs on every customer. linfa's per-row cost makes full restarts on millions of rows slow.
pub const FIT_SAMPLE: usize = 200_000;

/// A behaviour feature of a customer; every one is clustered as `log1p(value)`, standardised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Days since the last purchase.
    Recency,
    /// Orders (or purchase days when the file has no order column).
    Frequency,
    /// Money spent in total.
    Monetary,
    /// Money per order.
    AvgOrderValue,
    /// Days since the first purchase.
    Tenure,
    /// Mean days between purchases: (last − first) / (frequency − 1). For a one-time buyer it
    /// is the tenure (days since that one purchase): the gap is at least that long so far.
    InterPurchaseDays,
}

impl Feature {
    /// Name as used in options and messages.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Recency => "recency",
            Feature::Frequency => "frequency",
            Feature::Monetary => "monetary",
            Feature::AvgOrderValue => "avg_order_value",
            Feature::Tenure => "tenure",
            Feature::InterPurchaseDays => "inter_purchase_days",
        }
    }

    /// Whether the feature is money (dropped when the file has no amounts).
    pub fn is_money(self) -> bool {
        matches!(self, Feature::Monetary | Feature::AvgOrderValue)
    }

    /// The value for customer `i` in original units; `i` must be a valid row.
    fn value(self, c: &Customers, i: usize) -> f64 {
        match self {
            Feature::Recency => c.recency_days[i] as f64,
            Feature::Frequency => c.frequency[i] as f64,
            Feature::Monetary => c.monetary[i],
            Feature::AvgOrderValue => c.avg_order_value[i],
            Feature::Tenure => c.tenure_days[i] as f64,
            Feature::InterPurchaseDays => {
                let f = c.frequency[i];
                if f > 1 {
                    (c.last_purchase[i] - c.first_purchase[i]) as f64 / (f - 1) as f64
                } else {
                    c.tenure_days[i] as f64
                }
            }
        }
    }
}

/// Parameters of the cluster analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClusterParams {
    /// Features to cluster on (default recency, frequency, monetary).
    pub features: Vec<Feature>,
    /// Number of clusters, 2..=20; `None` chooses k in 2..=10 by mean silhouette.
    pub k: Option<usize>,
    /// k-means++ restarts per k (the lowest-inertia run is kept), ≥ 1.
    pub restarts: usize,
    /// Convergence tolerance on the centroid shift, > 0.
    pub tolerance: f64,
    /// Most Lloyd iterations per restart, ≥ 1.
    pub max_iter: u64,
    /// Seed of every random choice (k-means++ and the samples).
    pub seed: u64,
}

impl Default for ClusterParams {
    fn default() -> Self {
        ClusterParams {
            features: vec![Feature::Recency, Feature::Frequency, Feature::Monetary],
            k: None,
            restarts: 4,
            tolerance: 1e-4,
            max_iter: 300,
            seed: 0,
        }
    }
}

impl ClusterParams {
    /// Sets the features to cluster on.
    pub fn features(mut self, features: Vec<Feature>) -> Self {
        self.features = features;
        self
    }
    /// Fixes k (`None` chooses it).
    pub fn k(mut self, k: Option<usize>) -> Self {
        self.k = k;
        self
    }
    /// Sets the k-means++ restarts per k.
    pub fn restarts(mut self, restarts: usize) -> Self {
        self.restarts = restarts;
        self
    }
    /// Sets the convergence tolerance.
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }
    /// Sets the most iterations per restart.
    pub fn max_iter(mut self, max_iter: u64) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks every parameter on its own (data-dependent checks happen in [`cluster`]).
    pub fn check(&self) -> Result<(), Error> {
        if let Some(k) = self.k {
            if !(2..=20).contains(&k) {
                return Err(Error::param("k", format!("must be between 2 and 20, got {k}")));
            }
        }
        if self.features.is_empty() {
            return Err(Error::param("features", "choose at least one feature"));
        }
        let distinct: BTreeSet<Feature> = self.features.iter().copied().collect();
        if distinct.len() != self.features.len() {
            return Err(Error::param("features", "a feature is listed twice"));
        }
        if self.restarts < 1 {
            return Err(Error::param("restarts", "must be at least 1"));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(Error::param(
                "tolerance",
                format!("must be a number above 0, got {}", self.tolerance),
            ));
        }
        if self.max_iter < 1 {
            return Err(Error::param("max_iter", "must be at least 1"));
        }
        Ok(())
    }
}

/// The features of every customer: original units, log1p, and standardised (what k-means sees).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    /// Features actually used (money features are dropped when the file has no amounts).
    pub features: Vec<Feature>,
    /// Per feature, per customer, original units.
    pub raw: Vec<Vec<f64>>,
    /// Per feature, per customer, `log1p(max(value, 0))`.
    pub log: Vec<Vec<f64>>,
    /// Per feature mean of `log`.
    pub mean: Vec<f64>,
    /// Per feature population standard deviation of `log` (as scikit-learn's StandardScaler).
    pub std: Vec<f64>,
    /// customers × features, `(log − mean) / std`.
    pub scaled: Array2<f64>,
    /// Why a requested feature was dropped.
    pub notes: Vec<String>,
}

impl FeatureMatrix {
    /// Back from the scaled space to original units (`expm1(z · std + mean)`).
    pub fn unscale(&self, feature: usize, z: f64) -> f64 {
        libm::expm1(z * self.std[feature] + self.mean[feature])
    }
}

/// Builds the standardised log1p feature matrix. A constant feature is an error naming it;
/// money features are dropped with a note when every customer's monetary is 0.
pub fn build_features(customers: &Customers, features: &[Feature]) -> Result<FeatureMatrix, Error> {
    let n = customers.len();
    let aligned = [
        customers.recency_days.len(),
        customers.frequency.len(),
        customers.monetary.len(),
        customers.avg_order_value.len(),
        customers.tenure_days.len(),
        customers.first_purchase.len(),
        customers.last_purchase.len(),
    ]
    .iter()
    .all(|&l| l == n);
    if !aligned {
        return Err(Error::data(
            ANALYSIS,
            "the customer table's columns differ in length",
        ));
    }
    if n == 0 {
        return Err(Error::data(ANALYSIS, "there are no customers to cluster"));
    }
    let mut notes = Vec::new();
    let no_amounts = customers.monetary.iter().all(|&m| m == 0.0);
    let mut used = Vec::new();
    for &f in features {
        if f.is_money() && no_amounts {
            notes.push(format!(
                "`{}` left out: the file has no amounts (every customer's spend is 0)",
                f.name()
            ));
        } else {
            used.push(f);
        }
    }
    if used.is_empty() {
        return Err(Error::data(
            ANALYSIS,
            "no feature left to cluster on: the file has no amounts; add recency or frequency",
        ));
    }
    let d = used.len();
    let mut raw = Vec::with_capacity(d);
    let mut log = Vec::with_capacity(d);
    let mut mean = Vec::with_capacity(d);
    let mut std = Vec::with_capacity(d);
    for &f in &used {
        let r: Vec<f64> = (0..n).map(|i| f.value(customers, i)).collect();
        // Negative money cannot occur (returns are kept apart); clamp so log1p stays finite.
        // libm rather than std: std's log1p is the platform's (glibc natively, another in
        // wasm), and a last-bit difference could move a label between native and browser.
        let l: Vec<f64> = r.iter().map(|&v| libm::log1p(v.max(0.0))).collect();
        if let Some(bad) = l.iter().position(|v| !v.is_finite()) {
            return Err(Error::data(
                ANALYSIS,
                format!("customer {} has a non-finite {}", customers.id[bad], f.name()),
            ));
        }
        let m = l.iter().sum::<f64>() / n as f64;
        let var = l.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n as f64;
        let s = var.sqrt();
        // NaN-safe: a spread that is not clearly above rounding noise counts as constant.
        if s.partial_cmp(&(1e-12 * m.abs().max(1.0))) != Some(Ordering::Greater) {
            return Err(Error::data(
                ANALYSIS,
                format!(
                    "feature `{}` is the same for every customer ({}); leave it out of `features`",
                    f.name(),
                    r[0]
                ),
            ));
        }
        raw.push(r);
        log.push(l);
        mean.push(m);
        std.push(s);
    }
    let scaled = Array2::from_shape_fn((n, d), |(i, j)| (log[j][i] - mean[j]) / std[j]);
    Ok(FeatureMatrix {
        features: used,
        raw,
        log,
        mean,
        std,
        scaled,
        notes,
    })
}

/// One k-means fit: centroids in the scaled space, 0-based labels, and inertia.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansFit {
    /// k × features, scaled space.
    pub centroids: Array2<f64>,
    /// Per row, index of the nearest centroid.
    pub labels: Vec<u8>,
    /// Sum of squared distances to the nearest centroid (scikit-learn's `inertia_`).
    pub inertia: f64,
}

/// k-means with k-means++ initialisation and `params.restarts` restarts (linfa), seeded with
/// `Xoshiro256Plus::seed_from_u64(params.seed)`, then polished by plain Lloyd steps on every
/// row (with more than [`FIT_SAMPLE`] rows, linfa sees a seeded sample of them).
///
/// linfa updates centroids as "m_k-means" (the old centroid counts as one more member), so its
/// centroids stop slightly short of the member means; the Lloyd polish moves them there, which
/// is what scikit-learn's inertia measures.
pub fn fit_kmeans(x: ArrayView2<f64>, k: usize, params: &ClusterParams) -> Result<KMeansFit, Error> {
    params.check()?;
    let (n, d) = x.dim();
    if k < 1 || k > n || k > u8::MAX as usize || d == 0 {
        return Err(Error::param(
            "k",
            format!("cannot make {k} clusters of {n} customers"),
        ));
    }
    let rng = Xoshiro256Plus::seed_from_u64(params.seed);
    let sampled = (n > FIT_SAMPLE).then(|| {
        let rows = sample_rows(n, FIT_SAMPLE, params.seed ^ FIT_STREAM);
        x.select(ndarray::Axis(0), &rows)
    });
    let fit_rows = match &sampled {
        Some(rows) => rows.view(),
        None => x.view(),
    };
    let dataset = DatasetBase::from(fit_rows);
    let model = KMeans::params_with_rng(k, rng)
        .init_method(KMeansInit::KMeansPlusPlus)
        .n_runs(params.restarts)
        .tolerance(params.tolerance)
        .max_n_iterations(params.max_iter)
        .fit(&dataset)
        .map_err(|e| Error::data(ANALYSIS, format!("k-means failed: {e}")))?;
    let mut centroids = model.centroids().to_owned();
    let mut labels = vec![0u8; n];
    let mut inertia = assign(x, &centroids, &mut labels);
    for _ in 0..params.max_iter {
        // Same stopping rule as linfa's: the centroids moved less than `tolerance` (L2).
        let shift = update_means(x, &labels, &mut centroids);
        inertia = assign(x, &centroids, &mut labels);
        if shift < params.tolerance {
            break;
        }
    }
    Ok(KMeansFit {
        centroids,
        labels,
        inertia,
    })
}

/// Nearest centroid per row (ties to the lower index); returns the inertia.
fn assign(x: ArrayView2<f64>, centroids: &Array2<f64>, labels: &mut [u8]) -> f64 {
    let mut inertia = 0.0;
    for (row, label) in x.rows().into_iter().zip(labels.iter_mut()) {
        let mut best = (0usize, f64::INFINITY);
        for (c, centroid) in centroids.rows().into_iter().enumerate() {
            let d2: f64 = row
                .iter()
                .zip(centroid.iter())
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            if d2 < best.1 {
                best = (c, d2);
            }
        }
        *label = best.0 as u8;
        inertia += best.1;
    }
    inertia
}

/// Moves each non-empty cluster's centroid to its members' mean; returns how far the
/// centroids moved (L2 norm over all coordinates).
fn update_means(x: ArrayView2<f64>, labels: &[u8], centroids: &mut Array2<f64>) -> f64 {
    let (k, d) = centroids.dim();
    let mut sums = vec![0.0f64; k * d];
    let mut counts = vec![0usize; k];
    for (row, &l) in x.rows().into_iter().zip(labels) {
        let l = l as usize;
        counts[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(row.iter()) {
            *s += v;
        }
    }
    let mut shift2 = 0.0;
    for c in 0..k {
        if counts[c] == 0 {
            continue;
        }
        for j in 0..d {
            let m = sums[c * d + j] / counts[c] as f64;
            shift2 += (m - centroids[[c, j]]).powi(2);
            centroids[[c, j]] = m;
        }
    }
    shift2.sqrt()
}

/// Mean silhouette of one labelling of `x`'s rows (0-based labels < k), all pairs scanned.
///
/// A point alone in its cluster scores 0 (scikit-learn's convention); so does every point when
/// only one cluster is present.
pub fn silhouette(x: ArrayView2<f64>, labels: &[u8], k: usize) -> f64 {
    let rows: Vec<usize> = (0..x.nrows()).collect();
    mean_silhouettes(x, &rows, &[(k, labels)])[0]
}

/// Mean silhouettes of several labellings over the rows `sample` of `x`, computing each pair's
/// distance once for all labellings.
fn mean_silhouettes(x: ArrayView2<f64>, sample: &[usize], labelings: &[(usize, &[u8])]) -> Vec<f64> {
    let m = sample.len();
    let d = x.ncols();
    let points: Vec<f64> = sample.iter().flat_map(|&i| x.row(i).to_vec()).collect();
    // Per labelling: sample labels, per-cluster counts, per point × cluster distance sums.
    let labs: Vec<Vec<usize>> = labelings
        .iter()
        .map(|(_, l)| sample.iter().map(|&i| l[i] as usize).collect())
        .collect();
    let mut sums: Vec<Vec<f64>> = labelings.iter().map(|(k, _)| vec![0.0; m * k]).collect();
    for i in 0..m {
        let pi = &points[i * d..(i + 1) * d];
        for j in (i + 1)..m {
            let pj = &points[j * d..(j + 1) * d];
            let dist = pi
                .iter()
                .zip(pj)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt();
            for (t, (k, _)) in labelings.iter().enumerate() {
                let (li, lj) = (labs[t][i], labs[t][j]);
                sums[t][i * k + lj] += dist;
                sums[t][j * k + li] += dist;
            }
        }
    }
    labelings
        .iter()
        .enumerate()
        .map(|(t, &(k, _))| {
            let mut counts = vec![0usize; k];
            for &l in &labs[t] {
                counts[l] += 1;
            }
            let mut total = 0.0;
            for i in 0..m {
                let own = labs[t][i];
                if counts[own] <= 1 {
                    continue;
                }
                let a = sums[t][i * k + own] / (counts[own] - 1) as f64;
                let b = (0..k)
                    .filter(|&c| c != own && counts[c] > 0)
                    .map(|c| sums[t][i * k + c] / counts[c] as f64)
                    .fold(f64::INFINITY, f64::min);
                let den = a.max(b);
                if b.is_finite() && den > 0.0 {
                    total += (b - a) / den;
                }
            }
            if m == 0 {
                0.0
            } else {
                total / m as f64
            }
        })
        .collect()
}

/// A seeded sample of at most `size` row indices out of `n`, in ascending order.
fn sample_rows(n: usize, size: usize, seed: u64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let mut rows = rand::seq::index::sample(&mut rng, n, size).into_vec();
    rows.sort_unstable();
    rows
}

/// How k was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenBy {
    /// `k` was given in the params.
    Fixed,
    /// The candidate with the highest mean silhouette (ties to the smaller k).
    Silhouette,
}

/// One point of the k curves (elbow and silhouette charts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KCurvePoint {
    pub k: usize,
    /// Sum of squared distances to the nearest centroid, scaled space.
    pub inertia: f64,
    /// Mean silhouette on the seeded sample (at most [`SILHOUETTE_SAMPLE`] customers).
    pub silhouette: f64,
}

/// How many customers of a cluster fall in an RFM segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentCount {
    pub segment: String,
    pub customers: usize,
}

/// One cluster, described for a marketer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterProfile {
    /// 1-based, in ascending order of the members' mean monetary.
    pub label: u8,
    /// Plain-language name, unique within the report (see [`cluster`] for the rule).
    pub name: String,
    pub size: usize,
    /// Share of customers, 0..=1.
    pub share: f64,
    pub revenue: f64,
    /// Share of revenue, 0..=1 (0 when the file has no amounts).
    pub revenue_share: f64,
    /// Centroid back in original units (`expm1` of the unscaled log centroid, a typical
    /// member), aligned with `ClusterReport::features`.
    pub centroid: Vec<f64>,
    /// Members' mean of each feature in original units, aligned with `features`.
    pub mean: Vec<f64>,
    pub median_recency_days: f64,
    pub median_frequency: f64,
    pub median_monetary: f64,
    /// Up to three most common RFM segments among the members (empty without an RFM report).
    pub top_segments: Vec<SegmentCount>,
}

/// A seeded sample of customers for scatter plots of any feature pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScatterSample {
    /// Row index into `Customers` of each sampled customer (ascending).
    pub customer: Vec<u32>,
    /// 1-based cluster label of each sampled customer.
    pub label: Vec<u8>,
    /// Per feature (aligned with `ClusterReport::features`), original units.
    pub values: Vec<Vec<f64>>,
    /// Per feature, `log1p` of the value.
    pub log_values: Vec<Vec<f64>>,
}

/// The result of the cluster analysis; `label` is aligned with `Customers::id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterReport {
    pub k: usize,
    pub chosen_by: ChosenBy,
    pub seed: u64,
    /// Features clustered on, in order.
    pub features: Vec<Feature>,
    /// Mean and population std of each feature's log1p (the standardisation used).
    pub feature_log_mean: Vec<f64>,
    pub feature_log_std: Vec<f64>,
    /// Remarks for the user (e.g. a money feature left out).
    pub notes: Vec<String>,
    /// Per customer, 1-based cluster label.
    pub label: Vec<u8>,
    /// Inertia of the kept fit (scaled space, sum over customers).
    pub inertia: f64,
    /// Mean silhouette of the kept fit on the seeded sample.
    pub silhouette: f64,
    /// Inertia and silhouette per candidate k (one point when k is fixed).
    pub k_curve: Vec<KCurvePoint>,
    /// One per cluster, in label order.
    pub profiles: Vec<ClusterProfile>,
    pub scatter: ScatterSample,
}

/// Clusters customers.
///
/// Steps: standardised log1p features ([`build_features`]); k-means ([`fit_kmeans`]) for the
/// fixed k or for every k in [`K_CANDIDATES`] (each with the same seed), keeping the k with the
/// best mean silhouette on a seeded sample; relabelling; profiles; scatter sample.
///
/// Label rule: clusters are numbered 1..=k by ascending mean monetary of their members, ties
/// broken by the centroid's scaled coordinates compared in feature order.
///
/// Name rule, from member medians against the medians of all customers:
/// recency word "recent" (median recency ≤ overall) or "lapsed"; then if the median frequency
/// is 1 the cluster is "one-timers", prefixed "big-ticket" when median monetary is above the
/// overall median; otherwise "frequent" (median frequency above overall) or "occasional",
/// followed by "big spenders" (median monetary above overall) or "small spenders" (when the
/// file has no amounts: "buyers"). E.g. "recent frequent big spenders", "lapsed one-timers".
/// A repeated name gets " (2)", " (3)", … in label order.
pub fn cluster(
    customers: &Customers,
    rfm: Option<&RfmReport>,
    params: &ClusterParams,
) -> Result<ClusterReport, Error> {
    params.check()?;
    let fm = build_features(customers, &params.features)?;
    let n = customers.len();
    if let Some(r) = rfm {
        if r.segment.len() != n {
            return Err(Error::data(
                ANALYSIS,
                "the RFM report does not belong to these customers (different lengths)",
            ));
        }
    }
    let x = fm.scaled.view();
    let needed = params.k.unwrap_or(*K_CANDIDATES.start());
    let cap = params.k.unwrap_or(*K_CANDIDATES.end());
    let distinct = count_distinct_rows(x, cap);
    if distinct < needed {
        let what =
            format!("{n} customers with {distinct} distinct feature values cannot make {needed} clusters");
        return Err(match params.k {
            Some(_) => Error::param("k", what),
            None => Error::data(ANALYSIS, what),
        });
    }
    let ks: Vec<usize> = match params.k {
        Some(k) => vec![k],
        None => K_CANDIDATES.filter(|&k| k <= distinct).collect(),
    };
    let fits = ks
        .iter()
        .map(|&k| fit_kmeans(x, k, params))
        .collect::<Result<Vec<_>, _>>()?;
    let sample = sample_rows(n, SILHOUETTE_SAMPLE, params.seed ^ SILHOUETTE_STREAM);
    let labelings: Vec<(usize, &[u8])> = ks
        .iter()
        .zip(&fits)
        .map(|(&k, f)| (k, f.labels.as_slice()))
        .collect();
    let sil = mean_silhouettes(x, &sample, &labelings);
    let k_curve: Vec<KCurvePoint> = ks
        .iter()
        .zip(&fits)
        .zip(&sil)
        .map(|((&k, f), &s)| KCurvePoint {
            k,
            inertia: f.inertia,
            silhouette: s,
        })
        .collect();
    // Highest silhouette, ties to the smaller k (first in order).
    let mut best = 0;
    for (t, &s) in sil.iter().enumerate() {
        if s > sil[best] {
            best = t;
        }
    }
    let k = ks[best];
    let fit = &fits[best];

    // Relabel: ascending mean monetary, ties by centroid coordinates.
    let mut revenue = vec![0.0f64; k];
    let mut size = vec![0usize; k];
    for (i, &l) in fit.labels.iter().enumerate() {
        revenue[l as usize] += customers.monetary[i];
        size[l as usize] += 1;
    }
    let mean_money: Vec<f64> = (0..k)
        .map(|c| {
            if size[c] > 0 {
                revenue[c] / size[c] as f64
            } else {
                0.0
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        mean_money[a].total_cmp(&mean_money[b]).then_with(|| {
            fit.centroids
                .row(a)
                .iter()
                .zip(fit.centroids.row(b).iter())
                .map(|(p, q)| p.total_cmp(q))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
        })
    });
    let mut new_label = vec![0u8; k];
    for (rank, &c) in order.iter().enumerate() {
        new_label[c] = rank as u8 + 1;
    }
    let label: Vec<u8> = fit.labels.iter().map(|&l| new_label[l as usize]).collect();

    let profiles = profiles(customers, rfm, &fm, fit, &order, &label);
    let scatter_rows = sample_rows(n, SCATTER_SAMPLE, params.seed ^ SCATTER_STREAM);
    let scatter = ScatterSample {
        customer: scatter_rows.iter().map(|&i| i as u32).collect(),
        label: scatter_rows.iter().map(|&i| label[i]).collect(),
        values: fm
            .raw
            .iter()
            .map(|col| scatter_rows.iter().map(|&i| col[i]).collect())
            .collect(),
        log_values: fm
            .log
            .iter()
            .map(|col| scatter_rows.iter().map(|&i| col[i]).collect())
            .collect(),
    };
    Ok(ClusterReport {
        k,
        chosen_by: if params.k.is_some() {
            ChosenBy::Fixed
        } else {
            ChosenBy::Silhouette
        },
        seed: params.seed,
        features: fm.features.clone(),
        feature_log_mean: fm.mean.clone(),
        feature_log_std: fm.std.clone(),
        notes: fm.notes.clone(),
        label,
        inertia: fit.inertia,
        silhouette: sil[best],
        k_curve,
        profiles,
        scatter,
    })
}

/// Distinct rows of `x`, counting stops at `cap`.
fn count_distinct_rows(x: ArrayView2<f64>, cap: usize) -> usize {
    let mut seen: BTreeSet<Vec<u64>> = BTreeSet::new();
    for row in x.rows() {
        seen.insert(row.iter().map(|v| v.to_bits()).collect());
        if seen.len() >= cap {
            break;
        }
    }
    seen.len()
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let m = values.len() / 2;
    if values.len() % 2 == 1 {
        values[m]
    } else {
        (values[m - 1] + values[m]) / 2.0
    }
}

/// Profiles in label order; `order[rank]` is the fit's cluster index of label `rank + 1`.
fn profiles(
    customers: &Customers,
    rfm: Option<&RfmReport>,
    fm: &FeatureMatrix,
    fit: &KMeansFit,
    order: &[usize],
    label: &[u8],
) -> Vec<ClusterProfile> {
    let n = customers.len();
    let k = order.len();
    let total_revenue: f64 = customers.monetary.iter().sum();
    let has_amounts = customers.monetary.iter().any(|&m| m != 0.0);
    let overall_r = median(
        &mut customers
            .recency_days
            .iter()
            .map(|&v| v as f64)
            .collect::<Vec<_>>(),
    );
    let overall_f = median(&mut customers.frequency.iter().map(|&v| v as f64).collect::<Vec<_>>());
    let overall_m = median(&mut customers.monetary.clone());
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, &l) in label.iter().enumerate() {
        members[l as usize - 1].push(i);
    }
    let mut names_seen: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(k);
    for (rank, &c) in order.iter().enumerate() {
        let rows = &members[rank];
        let size = rows.len();
        let revenue: f64 = rows.iter().map(|&i| customers.monetary[i]).sum();
        let centroid = (0..fm.features.len())
            .map(|j| fm.unscale(j, fit.centroids[[c, j]]))
            .collect();
        let mean = fm
            .raw
            .iter()
            .map(|col| {
                if size == 0 {
                    0.0
                } else {
                    rows.iter().map(|&i| col[i]).sum::<f64>() / size as f64
                }
            })
            .collect();
        let med_r = median(
            &mut rows
                .iter()
                .map(|&i| customers.recency_days[i] as f64)
                .collect::<Vec<_>>(),
        );
        let med_f = median(
            &mut rows
                .iter()
                .map(|&i| customers.frequency[i] as f64)
                .collect::<Vec<_>>(),
        );
        let med_m = median(&mut rows.iter().map(|&i| customers.monetary[i]).collect::<Vec<_>>());
        let top_segments = match rfm {
            Some(r) => {
                let mut counts = vec![0usize; r.segments.len().max(1)];
                for &i in rows {
                    if let Some(slot) = counts.get_mut(r.segment[i] as usize) {
                        *slot += 1;
                    }
                }
                let mut idx: Vec<usize> = (0..counts.len()).filter(|&s| counts[s] > 0).collect();
                idx.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
                idx.into_iter()
                    .take(3)
                    .filter_map(|s| {
                        r.segments.get(s).map(|seg| SegmentCount {
                            segment: seg.name.clone(),
                            customers: counts[s],
                        })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let base = plain_name(med_r, med_f, med_m, overall_r, overall_f, overall_m, has_amounts);
        let repeats = names_seen.iter().filter(|s| **s == base).count();
        names_seen.push(base.clone());
        let name = if repeats == 0 {
            base
        } else {
            format!("{base} ({})", repeats + 1)
        };
        out.push(ClusterProfile {
            label: rank as u8 + 1,
            name,
            size,
            share: size as f64 / n as f64,
            revenue,
            revenue_share: if total_revenue > 0.0 {
                revenue / total_revenue
            } else {
                0.0
            },
            centroid,
            mean,
            median_recency_days: med_r,
            median_frequency: med_f,
            median_monetary: med_m,
            top_segments,
        });
    }
    out
}

/// The naming rule documented on [`cluster`].
fn plain_name(
    med_r: f64,
    med_f: f64,
    med_m: f64,
    overall_r: f64,
    overall_f: f64,
    overall_m: f64,
    has_amounts: bool,
) -> String {
    let when = if med_r <= overall_r { "recent" } else { "lapsed" };
    let big = has_amounts && med_m > overall_m;
    if med_f <= 1.0 {
        if big {
            format!("{when} big-ticket one-timers")
        } else {
            format!("{when} one-timers")
        }
    } else {
        let how_often = if med_f > overall_f {
            "frequent"
        } else {
            "occasional"
        };
        let who = if !has_amounts {
            "buyers"
        } else if big {
            "big spenders"
        } else {
            "small spenders"
        };
        format!("{when} {how_often} {who}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn silhouette_by_hand() {
        // Points on a line: 0, 1 in cluster 0; 4, 6 in cluster 1.
        // p0: a = 1, b = (4 + 6)/2 = 5 → 4/5.   p1: a = 1, b = (3 + 5)/2 = 4 → 3/4.
        // p4: a = 2, b = (4 + 3)/2 = 3.5 → 1.5/3.5.  p6: a = 2, b = (6 + 5)/2 = 5.5 → 3.5/5.5.
        let x = array![[0.0], [1.0], [4.0], [6.0]];
        let s = silhouette(x.view(), &[0, 0, 1, 1], 2);
        let want = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4.0;
        assert!((s - want).abs() < 1e-12, "{s} vs {want}");
    }

    #[test]
    fn silhouette_singleton_scores_zero() {
        // p0 alone → 0. p1 (cluster 1 with p2): a = 1, b = 2 → 0.5. p2: a = 1, b = 3 → 2/3.
        let x = array![[0.0], [2.0], [3.0]];
        let s = silhouette(x.view(), &[0, 1, 1], 2);
        let want = (0.0 + 0.5 + 2.0 / 3.0) / 3.0;
        assert!((s - want).abs() < 1e-12);
    }

    #[test]
    fn several_labelings_match_one_at_a_time() {
        let x = array![[0.0, 1.0], [1.0, 0.5], [4.0, 2.0], [6.0, 0.0], [3.0, 3.0]];
        let a: Vec<u8> = vec![0, 0, 1, 1, 1];
        let b: Vec<u8> = vec![0, 1, 2, 2, 1];
        let rows: Vec<usize> = (0..5).collect();
        let both = mean_silhouettes(x.view(), &rows, &[(2, &a), (3, &b)]);
        assert_eq!(both[0], silhouette(x.view(), &a, 2));
        assert_eq!(both[1], silhouette(x.view(), &b, 3));
    }

    #[test]
    fn one_timer_gap_is_tenure() {
        let c = Customers {
            id: vec!["a".into(), "b".into()],
            recency_days: vec![5, 10],
            frequency: vec![1, 3],
            monetary: vec![10.0, 30.0],
            avg_order_value: vec![10.0, 10.0],
            first_purchase: vec![100, 80],
            last_purchase: vec![100, 100],
            tenure_days: vec![5, 30],
            ..Default::default()
        };
        assert_eq!(Feature::InterPurchaseDays.value(&c, 0), 5.0);
        assert_eq!(Feature::InterPurchaseDays.value(&c, 1), 10.0);
    }

    #[test]
    fn names_follow_the_rule() {
        assert_eq!(
            plain_name(10.0, 5.0, 900.0, 50.0, 2.0, 300.0, true),
            "recent frequent big spenders"
        );
        assert_eq!(
            plain_name(200.0, 1.0, 50.0, 50.0, 2.0, 300.0, true),
            "lapsed one-timers"
        );
        assert_eq!(
            plain_name(20.0, 2.0, 50.0, 50.0, 2.0, 300.0, false),
            "recent occasional buyers"
        );
    }
}
