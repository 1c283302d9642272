//! k-means for one k: linfa-clustering (k-means++ with restarts), finished by the exact Lloyd
//! polish of [`crate::numerics`]; and which k values a run tries.

use super::silhouette::seeded_sample;
use super::{ChosenBy, ClusterParams, ANALYSIS, K_MAX, K_MAX_CHOSEN, K_MIN, K_MIN_CHOSEN};
use crate::numerics;
use crate::Error;
use linfa::prelude::*;
use linfa::DatasetBase;
use linfa_clustering::KMeans;
use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;

/// Most rows linfa's k-means runs on; beyond it, a seeded sample seeds the centroids and the
/// exact polish runs on every row (see `k_means`). 20k rather than 100k: on 200,000 synthetic
/// customers the chosen k and the inertia of k = 2..=7 and 9 were identical, k = 8 and 10 came
/// out lower, and the whole Report took 8.9 s instead of 14.3 s (see BENCHMARKS.md).
const LINFA_MAX_ROWS: usize = 20_000;

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
}

/// Runs k-means with linfa, then polishes the result with exact Lloyd steps in plain loops.
///
/// linfa's distance arithmetic goes through ndarray and may differ in the last bits between
/// native (parallel, possibly fused multiply-add) and wasm builds. The polish recomputes
/// assignments and centroids from linfa's centroids with a fixed summation order until the
/// assignment no longer changes, so the reported labels, centroids and inertia are a fixed
/// point computed with the same IEEE operations on every target.
pub(super) fn k_means(x: ArrayView2<f64>, k: usize, params: &ClusterParams) -> Result<Partition, Error> {
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
    let fit = numerics::lloyd(&data, x.ncols(), k, centroids, params.max_iterations);
    Ok(Partition {
        k,
        labels: fit.labels,
        centroids: fit.centroids,
        inertia: fit.inertia,
    })
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
