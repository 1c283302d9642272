//! k-means for one k: linfa-clustering 0.8.1's algorithm (k-means++ with restarts, m_k-means
//! updates) re-done in plain loops with the same random draws and arithmetic, finished by the
//! exact Lloyd polish of [`crate::numerics`]; and which k values a run tries.

use super::silhouette::seeded_sample;
use super::{ChosenBy, ClusterParams, ANALYSIS, K_MAX, K_MAX_CHOSEN, K_MIN, K_MIN_CHOSEN};
use crate::numerics;
use crate::Error;
use ndarray::ArrayView2;
use rand::distributions::{Distribution, WeightedIndex};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Most rows the (linfa-compatible) restarts run on; beyond it, a seeded sample seeds the centroids and the
/// exact polish runs on every row (see `k_means`). 20k rather than 100k: on 200,000 synthetic
/// customers the chosen k and the inertia of k = 2..=7 and 9 were identical, k = 8 and 10 came
/// out lower, and the whole Report took 8.9 s instead of 14.3 s (see BENCHMARKS.md).
const LINFA_MAX_ROWS: usize = 20_000;

/// Customers above which the final Lloyd polish runs on the distinct feature patterns with
/// their weights (customers with identical feature rows collapse into one weighted point; the
/// same centroids up to the last bits of the sums) rather than on every row. Up to it the polish
/// sums every row, as it always did, so no file of up to a million customers changes by a bit.
pub const PATTERNS_MIN_ROWS: usize = 1_000_000;
/// Distinct patterns above which the polish runs on a seeded sample of this many customers
/// (collapsed to patterns too); every customer is then labelled by the nearest centroid. Said in
/// the Report (`cluster_fit_on_sample`) with the sample size.
pub const MAX_FIT_POINTS: usize = 2_000_000;

/// What the final k-means polish ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FitOn {
    /// Every customer's row.
    AllRows,
    /// The distinct feature patterns of every customer, weighted by how many share each.
    Patterns { rows: usize, patterns: usize },
    /// The distinct patterns of a seeded sample of `sample` customers out of `rows`.
    Sample {
        rows: usize,
        sample: usize,
        patterns: usize,
    },
}

/// A k-means partition in standardised space.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Partition {
    pub(super) k: usize,
    /// 0-based cluster per row.
    pub(super) labels: Vec<usize>,
    /// Row-major k × p.
    pub(super) centroids: Vec<f64>,
    /// Sum of squared distances to the own centroid (scikit-learn's `inertia_`).
    pub(super) inertia: f64,
    pub(super) fit_on: FitOn,
}

/// Runs linfa's k-means ([`mk_means`]), then polishes the result with exact Lloyd steps.
///
/// The polish recomputes assignments and centroids from the restarts' best centroids with a
/// fixed summation order until the assignment no longer changes, so the reported labels,
/// centroids and inertia are a fixed point computed with the same IEEE operations on every
/// target (it was needed when the restarts ran in linfa through ndarray, whose arithmetic could
/// differ in the last bits between native and wasm builds; it also makes the result independent
/// of the restarts' own stopping tolerance).
pub(super) fn k_means(x: ArrayView2<f64>, k: usize, params: &ClusterParams) -> Result<Partition, Error> {
    let rng = Xoshiro256Plus::seed_from_u64(params.seed);
    // The damped (m_k-means) centroid update makes millions of rows slow; on big inputs the
    // restarts seed the centroids from a seeded sample and the exact polish
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
    let fit_data: Vec<f64> = fit_view.iter().copied().collect();
    let centroids = mk_means(&fit_data, x.ncols(), k, params, rng).ok_or_else(|| {
        Error::data(
            ANALYSIS,
            format!("k-means with k = {k} failed: no run had a finite inertia"),
        )
    })?;
    let data: Vec<f64> = x.iter().copied().collect();
    Ok(polish(
        &data,
        x.ncols(),
        k,
        centroids,
        params,
        PATTERNS_MIN_ROWS,
        MAX_FIT_POINTS,
    ))
}

/// The exact Lloyd polish from the restarts' centroids: on every row up to `min_rows` rows;
/// above, on the distinct patterns with weights, or on those of a seeded sample of `max_points`
/// rows when there are more patterns than that. Every row is labelled (nearest centroid) and
/// the inertia summed over every row.
pub(super) fn polish(
    data: &[f64],
    p: usize,
    k: usize,
    centroids: Vec<f64>,
    params: &ClusterParams,
    min_rows: usize,
    max_points: usize,
) -> Partition {
    let n = data.len().checked_div(p).unwrap_or(0);
    if n <= min_rows {
        let fit = numerics::lloyd(data, p, k, centroids, params.max_iterations);
        return Partition {
            k,
            labels: fit.labels,
            centroids: fit.centroids,
            inertia: fit.inertia,
            fit_on: FitOn::AllRows,
        };
    }
    let (mut patterns, mut weights, _) = numerics::distinct_patterns(data, p);
    let mut fit_on = FitOn::Patterns {
        rows: n,
        patterns: weights.len(),
    };
    if weights.len() > max_points {
        let rows = seeded_sample(n, max_points, params.seed ^ 0x5a3b_1e00);
        let sample: Vec<f64> = rows
            .iter()
            .flat_map(|&r| data[r * p..(r + 1) * p].iter().copied())
            .collect();
        (patterns, weights, _) = numerics::distinct_patterns(&sample, p);
        fit_on = FitOn::Sample {
            rows: n,
            sample: rows.len(),
            patterns: weights.len(),
        };
    }
    let fit = numerics::lloyd_weighted(&patterns, &weights, p, k, centroids, params.max_iterations);
    let mut labels = vec![usize::MAX; n];
    numerics::assign(data, p, &fit.centroids, &mut labels);
    let mut inertia = 0.0;
    for (row, &l) in data.chunks_exact(p).zip(&labels) {
        inertia += numerics::dist2(row, &fit.centroids[l * p..(l + 1) * p]);
    }
    Partition {
        k,
        labels,
        centroids: fit.centroids,
        inertia,
        fit_on,
    }
}

/// linfa-clustering 0.8.1's `KMeans::fit` (k-means++ starts, `n_runs` restarts drawing from one
/// seeded stream, m_k-means updates that count the old centroid as one more member, stop when
/// the centroids move less than the tolerance), in plain loops over a row-major slice: the same
/// random draws and the same floating-point operations in the same order, about an order of
/// magnitude fewer instructions than its per-row ndarray views. Returns the centroids (row-major
/// k × p) of the run with the lowest inertia, or `None` when no run had a finite one.
fn mk_means(
    data: &[f64],
    p: usize,
    k: usize,
    params: &ClusterParams,
    mut rng: Xoshiro256Plus,
) -> Option<Vec<f64>> {
    let n = data.len().checked_div(p).unwrap_or(0);
    let mut labels = vec![0usize; n];
    let mut dists = vec![0.0; n];
    let mut best: Option<(f64, Vec<f64>)> = None;
    for _ in 0..params.n_runs {
        let mut centroids = plus_plus(data, p, k, &mut rng);
        let mut iterations = 0u64;
        let inertia = loop {
            closest_all(data, p, &centroids, &mut labels, &mut dists);
            let next = m_update(data, p, &centroids, &labels);
            let shift = numerics::dist2(&centroids, &next).sqrt();
            centroids = next;
            iterations += 1;
            if shift < params.tolerance || iterations == params.max_iterations {
                break unrolled_sum(&dists);
            }
        };
        if best.as_ref().map_or(f64::INFINITY, |b| b.0) > inertia {
            best = Some((inertia, centroids));
        }
    }
    best.map(|b| b.1)
}

/// The nearest centroid of one row and its squared distance: linfa's `closest_centroid` (the
/// first centroid's distance to begin with, then strictly smaller ones win).
#[inline]
fn closest(row: &[f64], centroids: &[f64], p: usize) -> (usize, f64) {
    let mut best = (0, numerics::dist2(&centroids[..p], row));
    for (c, centroid) in centroids.chunks_exact(p).enumerate() {
        let d = numerics::dist2(centroid, row);
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

fn closest_all(data: &[f64], p: usize, centroids: &[f64], labels: &mut [usize], dists: &mut [f64]) {
    for ((row, l), d) in data.chunks_exact(p).zip(labels.iter_mut()).zip(dists.iter_mut()) {
        (*l, *d) = closest(row, centroids, p);
    }
}

/// k-means++ as linfa draws it: the first centre uniformly through a weighted index of ones, each
/// next one with probability proportional to the squared distance to the nearest centre so far
/// (the first row when every distance is 0).
fn plus_plus(data: &[f64], p: usize, k: usize, rng: &mut Xoshiro256Plus) -> Vec<f64> {
    let n = data.len() / p;
    let mut centroids = vec![0.0; k * p];
    let first = WeightedIndex::new(std::iter::repeat_n(&1.0f64, n)).map_or(0, |w| w.sample(rng));
    centroids[..p].copy_from_slice(&data[first * p..(first + 1) * p]);
    // The distance to the nearest of the first c centres, kept from one centre to the next
    // (linfa recomputes it over all c; a minimum of the same values is the same value).
    let mut dists = vec![f64::INFINITY; n];
    for c in 1..k {
        let newest = &centroids[(c - 1) * p..c * p];
        for (row, d) in data.chunks_exact(p).zip(dists.iter_mut()) {
            let to_newest = numerics::dist2(newest, row);
            if c == 1 || to_newest < *d {
                *d = to_newest;
            }
        }
        let next = WeightedIndex::new(dists.iter()).map_or(0, |w| w.sample(rng));
        centroids[c * p..(c + 1) * p].copy_from_slice(&data[next * p..(next + 1) * p]);
    }
    centroids
}

/// linfa's m_k-means centroid update: (Σ members + old centroid) / (members + 1), summed in
/// row order.
fn m_update(data: &[f64], p: usize, old: &[f64], labels: &[usize]) -> Vec<f64> {
    let k = old.len() / p;
    let mut sums = vec![0.0; k * p];
    let mut counts = vec![1usize; k];
    for (row, &l) in data.chunks_exact(p).zip(labels) {
        for (s, v) in sums[l * p..(l + 1) * p].iter_mut().zip(row) {
            *s += v;
        }
        counts[l] += 1;
    }
    for (c, chunk) in sums.chunks_exact_mut(p).enumerate() {
        for (s, o) in chunk.iter_mut().zip(&old[c * p..(c + 1) * p]) {
            *s = (*s + o) / counts[c] as f64;
        }
    }
    sums
}

/// `ndarray`'s `sum` of a contiguous array (eight partial sums, then the rest in order), which
/// linfa's inertia is; the same bits choose the same run.
fn unrolled_sum(xs: &[f64]) -> f64 {
    let mut part = [0.0f64; 8];
    let chunks = xs.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (a, v) in part.iter_mut().zip(c) {
            *a += v;
        }
    }
    let mut acc = 0.0;
    for i in 0..4 {
        acc += part[i] + part[i + 4];
    }
    for v in rest {
        acc += v;
    }
    acc
}

/// Number of distinct rows, up to `limit` (enough to know whether k clusters are possible).
fn distinct_rows(x: ArrayView2<f64>, limit: usize) -> usize {
    let data: Vec<f64> = x.iter().copied().collect();
    numerics::distinct_patterns(&data, x.ncols()).1.len().min(limit)
}

/// The k values to fit: the fixed one (when there are at least k distinct customers), or
/// 3..=8 (at most the number of distinct customers; 2 when only 2 differ) for the silhouette to
/// choose among.
pub(super) fn ks_to_try(x: ArrayView2<f64>, fixed: Option<usize>) -> Result<(Vec<usize>, ChosenBy), Error> {
    let n = x.nrows();
    let distinct = distinct_rows(x, K_MAX + 1);
    Ok(match fixed {
        Some(k) => {
            if n < k {
                return Err(Error::data(
                    ANALYSIS,
                    format!("{k} clusters need at least {k} customers; the file has {n}"),
                )
                .with_code("too_few_customers_for_k")
                .with_param("k", k)
                .with_param("n", n));
            }
            if distinct < k {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "{k} clusters need at least {k} customers who differ; only {distinct} distinct \
                         feature combinations found; choose a smaller k"
                    ),
                )
                .with_code("too_few_distinct_for_k")
                .with_param("k", k)
                .with_param("distinct", distinct));
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
                )
                .with_code("too_few_distinct")
                .with_param("min", K_MIN)
                .with_param("distinct", distinct));
            }
            let bottom = K_MIN_CHOSEN.min(top);
            if bottom == top {
                (vec![top], ChosenBy::Silhouette)
            } else {
                ((bottom..=top).collect(), ChosenBy::Silhouette)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use linfa::prelude::*;
    use linfa::DatasetBase;
    use linfa_clustering::KMeans;
    use rand::Rng;

    /// Skewed, overlapping data like standardised log1p RFM features, with repeated rows.
    fn data(n: usize, p: usize, seed: u64) -> Vec<f64> {
        let mut rng = Xoshiro256Plus::seed_from_u64(seed);
        (0..n * p)
            .map(|_| {
                let u: f64 = rng.gen();
                if u < 0.2 {
                    -1.0
                } else {
                    (u * 6.0).ln() + rng.gen::<f64>()
                }
            })
            .collect()
    }

    #[test]
    fn restarts_equal_linfa_bit_for_bit() {
        for (n, p, seed) in [(600, 3, 1), (257, 2, 2), (1000, 4, 3)] {
            let x = data(n, p, seed);
            let view = ArrayView2::from_shape((n, p), &x).unwrap();
            for k in 2..=8 {
                let params = ClusterParams::default().n_runs(4).seed(seed + 40);
                let rng = Xoshiro256Plus::seed_from_u64(params.seed);
                let ours = mk_means(&x, p, k, &params, rng.clone()).unwrap();
                let model = KMeans::params_with_rng(k, rng)
                    .n_runs(params.n_runs)
                    .tolerance(params.tolerance)
                    .max_n_iterations(params.max_iterations)
                    .fit(&DatasetBase::new(view, ()))
                    .unwrap();
                let theirs: Vec<f64> = model.centroids().iter().copied().collect();
                assert_eq!(ours, theirs, "n {n}, p {p}, k {k}");
            }
        }
    }

    /// Customers with identical feature rows collapse into one weighted point: the polish on
    /// the patterns gives every customer the label, and the centroids, of the polish on every
    /// row (centroids equal up to the last bits of the sums).
    #[test]
    fn weighted_patterns_give_the_centroids_of_every_row() {
        for (n, p, seed) in [(5000, 3, 5), (3000, 2, 6)] {
            // Rounded to a coarse grid, so many customers share a row.
            let x: Vec<f64> = data(n, p, seed).iter().map(|v| v.round()).collect();
            for k in 2..=6 {
                let params = ClusterParams::default().seed(seed);
                let start = mk_means(&x, p, k, &params, Xoshiro256Plus::seed_from_u64(seed)).unwrap();
                let all = polish(&x, p, k, start.clone(), &params, usize::MAX, usize::MAX);
                let weighted = polish(&x, p, k, start, &params, 0, usize::MAX);
                let FitOn::Patterns { rows, patterns } = weighted.fit_on else {
                    panic!("{:?}", weighted.fit_on)
                };
                assert_eq!(rows, n);
                assert!(patterns < n / 4, "{patterns} patterns of {n}");
                assert_eq!(all.fit_on, FitOn::AllRows);
                assert_eq!(weighted.labels, all.labels, "k {k}");
                for (a, b) in weighted.centroids.iter().zip(&all.centroids) {
                    assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()), "k {k}: {a} vs {b}");
                }
                assert!((weighted.inertia - all.inertia).abs() <= 1e-9 * all.inertia);
            }
        }
    }

    #[test]
    fn beyond_the_bound_a_seeded_sample_is_fitted_and_everyone_labelled() {
        let (n, p, k) = (4000, 3, 4);
        let x = data(n, p, 7);
        let params = ClusterParams::default().seed(7);
        let start = mk_means(&x, p, k, &params, Xoshiro256Plus::seed_from_u64(7)).unwrap();
        let a = polish(&x, p, k, start.clone(), &params, 0, 1000);
        let FitOn::Sample {
            rows,
            sample,
            patterns,
        } = a.fit_on
        else {
            panic!("{:?}", a.fit_on)
        };
        assert_eq!((rows, sample), (n, 1000));
        assert!(patterns <= 1000 && patterns > 900, "{patterns}");
        assert_eq!(a.labels.len(), n);
        assert!(a.labels.iter().all(|&l| l < k));
        // Seeded: the same sample and result every time.
        assert_eq!(a, polish(&x, p, k, start, &params, 0, 1000));
    }

    #[test]
    fn unrolled_sum_is_ndarrays_sum() {
        for n in [0, 1, 7, 8, 9, 23, 100] {
            let x = data(n, 1, 9);
            let a = ndarray::Array1::from(x.clone());
            assert_eq!(unrolled_sum(&x).to_bits(), a.sum().to_bits(), "n {n}");
        }
    }
}
