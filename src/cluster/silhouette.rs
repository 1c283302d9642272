//! The mean silhouette that chooses k (on a seeded sample of customers) and the seeded samples
//! themselves.

use super::kmeans::Partition;
use super::{ClusterParams, KPoint};
use crate::numerics::dist2;
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
        })
        .collect();
    (sample.len(), k_curve)
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
