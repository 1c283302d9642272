//! The mean silhouette that chooses k (on a seeded sample of customers) and the seeded samples
//! themselves.

use super::kmeans::{k_means, Partition};
use super::{ClusterParams, KPoint, MIN_CLUSTER_SHARE};
use crate::numerics::dist2;
use crate::Error;
use ndarray::{ArrayView2, Axis};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

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
pub(super) fn silhouettes(data: &[f64], p: usize, labellings: &[(&[usize], usize)]) -> Vec<f64> {
    let n = data.len().checked_div(p).unwrap_or(0);
    if n < 2 {
        return vec![0.0; labellings.len()];
    }
    // One row of accumulators per point, the labellings' clusters side by side:
    // sums[i * width + offset[m] + c] = Σ distance from point i to the points of cluster c in
    // labelling m. cols[j * m_len + m] = offset[m] + (labelling m's cluster of j): the columns a
    // pair adds to. Each accumulator receives its terms in the order of the other point's index,
    // as before this layout.
    let m_len = labellings.len();
    let mut offset = Vec::with_capacity(m_len);
    let mut width = 0;
    for &(_, k) in labellings {
        offset.push(width);
        width += k;
    }
    let mut cols = vec![0usize; n * m_len];
    for (j, row) in cols.chunks_exact_mut(m_len.max(1)).enumerate().take(n) {
        for ((c, &(labels, _)), &off) in row.iter_mut().zip(labellings).zip(&offset) {
            *c = off + labels[j];
        }
    }
    let mut sums_all = vec![0.0; n * width];
    for i in 0..n {
        let xi = &data[i * p..(i + 1) * p];
        let ci = &cols[i * m_len..(i + 1) * m_len];
        let (head, tail) = sums_all.split_at_mut((i + 1) * width);
        let si = &mut head[i * width..];
        for ((xj, cj), sj) in data[(i + 1) * p..]
            .chunks_exact(p)
            .zip(cols[(i + 1) * m_len..].chunks_exact(m_len.max(1)))
            .zip(tail.chunks_exact_mut(width.max(1)))
        {
            let d = dist2(xi, xj).sqrt();
            for (&a, &b) in cj.iter().zip(ci) {
                si[a] += d;
                sj[b] += d;
            }
        }
    }
    let sums: Vec<Vec<f64>> = labellings
        .iter()
        .zip(&offset)
        .map(|(&(_, k), &off)| {
            let mut s = Vec::with_capacity(n * k);
            for row in sums_all.chunks_exact(width.max(1)).take(n) {
                s.extend_from_slice(&row[off..off + k]);
            }
            s
        })
        .collect();
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
pub(super) fn seeded_sample(n: usize, m: usize, seed: u64) -> Vec<usize> {
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

/// The elbow and silhouette curve: each partition's inertia and its mean silhouette on one
/// seeded sample of customers (its own seed stream, the same customers for every k). Returns the
/// sample size with the curve.
pub(super) fn k_curve(
    data: &[f64],
    p: usize,
    partitions: &[Partition],
    params: &ClusterParams,
) -> (usize, Vec<KPoint>) {
    let n = data.len().checked_div(p).unwrap_or(0);
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
        .zip(partitions)
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
            smallest_share: smallest_share(part),
        })
        .collect();
    (sample.len(), k_curve)
}

/// The fraction of customers in the partition's smallest cluster.
fn smallest_share(part: &Partition) -> f64 {
    let mut counts = vec![0usize; part.k];
    for &l in &part.labels {
        if let Some(c) = counts.get_mut(l) {
            *c += 1;
        }
    }
    let n = part.labels.len().max(1);
    counts.iter().copied().min().unwrap_or(0) as f64 / n as f64
}

/// Chooses k among `ks` on the seeded silhouette sample: each k is fitted on the sample only,
/// the k with the highest mean silhouette whose smallest cluster holds at least
/// [`MIN_CLUSTER_SHARE`] of the sample wins (when none does, the k whose smallest cluster is
/// largest), and that k alone is fitted on every customer. Returns the full partition, the
/// sample size and the curve (inertia on the sample).
pub(super) fn choose_k(
    x: ArrayView2<f64>,
    ks: &[usize],
    params: &ClusterParams,
) -> Result<(Partition, usize, Vec<KPoint>), Error> {
    let n = x.nrows();
    let p = x.ncols();
    let sample = seeded_sample(n, params.max_silhouette_sample, params.seed ^ 0x5111_0e77);
    let whole = sample.len() == n;
    let sub = x.select(Axis(0), &sample);
    let mut partitions = Vec::with_capacity(ks.len());
    for &k in ks {
        partitions.push(k_means(sub.view(), k, params)?);
    }
    // The curve is measured on the sample itself, so its own sample is everything.
    let on_sample = ClusterParams {
        max_silhouette_sample: sample.len(),
        ..params.clone()
    };
    let data: Vec<f64> = sub.iter().copied().collect();
    let (sample_len, curve) = k_curve(&data, p, &partitions, &on_sample);
    let eligible = |pt: &KPoint| pt.smallest_share >= MIN_CLUSTER_SHARE;
    let mut best: Option<usize> = None;
    for (i, pt) in curve.iter().enumerate() {
        if eligible(pt) && best.is_none_or(|b| pt.silhouette > curve[b].silhouette) {
            best = Some(i);
        }
    }
    let best = best.unwrap_or_else(|| {
        (0..curve.len())
            .max_by(|&a, &b| {
                curve[a]
                    .smallest_share
                    .total_cmp(&curve[b].smallest_share)
                    .then(b.cmp(&a))
            })
            .unwrap_or(0)
    });
    let k = curve[best].k;
    let part = if whole {
        partitions.swap_remove(best)
    } else {
        k_means(x, k, params)?
    };
    Ok((part, sample_len, curve))
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
}
