//! The deterministic numerics the analyses share: plain sequential loops with a fixed operation
//! order, so a result has the same bits natively and in wasm.
//!
//! The fits themselves run in linfa (k-means, logistic regression) or argmin (CLV); their
//! arithmetic goes through ndarray and may differ in the last bits between a CPU with fused
//! multiply-add and wasm. What they return is polished here to a fixed point computed with the
//! same IEEE operations on every target:
//! - [`lloyd`]: Lloyd steps from given centroids ([`assign`], [`dist2`]), for k-means;
//! - [`newton_polish`]: damped Newton steps on a given objective, snapped to a grid, for the
//!   logistic regression (the objective itself stays in `propensity`);
//! - one Cholesky factorisation ([`cholesky`]) with a solve ([`cholesky_solve`]) for Newton and
//!   an inverse ([`spd_inverse`]) for the CLV standard errors.
//!
//! Not here: anything model-specific (likelihoods, features), and anything that needs no
//! identical bits. Matrices are row-major `&[f64]` with their order given.

/// Squared Euclidean distance, summed in index order (the same bits on every target).
#[inline]
pub fn dist2(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        let d = x - y;
        s += d * d;
    }
    s
}

/// Assigns each row (row-major, `p` columns) to its nearest centroid (row-major k × p); ties go
/// to the lower centroid index. True when any label changed.
pub fn assign(data: &[f64], p: usize, centroids: &[f64], labels: &mut [usize]) -> bool {
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

/// A Lloyd fixed point: the labels, the centroids they average to, and the inertia.
#[derive(Debug, Clone, PartialEq)]
pub struct Lloyd {
    /// 0-based cluster per row.
    pub labels: Vec<usize>,
    /// Row-major k × p.
    pub centroids: Vec<f64>,
    /// Sum of squared distances to the own centroid (scikit-learn's `inertia_`).
    pub inertia: f64,
}

/// Lloyd steps from the given centroids until the assignment is stable (or `max_iterations`).
/// Ties go to the lower cluster index; an emptied cluster keeps its centroid. `data` is
/// row-major with `p` columns, `centroids` row-major k × p.
pub fn lloyd(data: &[f64], p: usize, k: usize, mut centroids: Vec<f64>, max_iterations: u64) -> Lloyd {
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
    Lloyd {
        labels,
        centroids,
        inertia,
    }
}

/// [`lloyd`] on distinct rows with weights (`weights[i]` rows equal to row `i`): the same
/// fixed point as `lloyd` on the rows they stand for (each centroid is Σ weight · row / Σ weight,
/// equal to the mean of the members up to the last bits of the sums), the inertia weighted.
pub fn lloyd_weighted(
    data: &[f64],
    weights: &[u32],
    p: usize,
    k: usize,
    mut centroids: Vec<f64>,
    max_iterations: u64,
) -> Lloyd {
    let n = data.len().checked_div(p).unwrap_or(0);
    let mut labels = vec![usize::MAX; n];
    let mut sums = vec![0.0; k * p];
    let mut counts = vec![0u64; k];
    for _ in 0..max_iterations.max(1) {
        if !assign(data, p, &centroids, &mut labels) {
            break;
        }
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for ((row, &l), &w) in data.chunks_exact(p).zip(&labels).zip(weights) {
            counts[l] += u64::from(w);
            for (s, v) in sums[l * p..(l + 1) * p].iter_mut().zip(row) {
                *s += f64::from(w) * v;
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
    for ((row, &l), &w) in data.chunks_exact(p).zip(&labels).zip(weights) {
        inertia += f64::from(w) * dist2(row, &centroids[l * p..(l + 1) * p]);
    }
    Lloyd {
        labels,
        centroids,
        inertia,
    }
}

/// The distinct rows of `data` (row-major, `p` columns; equal = the same bits), in the order
/// of their first appearance, with how many rows each stands for and each row's pattern.
pub fn distinct_patterns(data: &[f64], p: usize) -> (Vec<f64>, Vec<u32>, Vec<u32>) {
    let n = data.len().checked_div(p).unwrap_or(0);
    let row = |i: usize| &data[i * p..(i + 1) * p];
    let bits = |i: usize| row(i).iter().map(|v| v.to_bits());
    let mut order: Vec<u32> = (0..n as u32).collect();
    // Stable: equal rows keep their file order, so the first of each run is its first row.
    order.sort_by(|&a, &b| bits(a as usize).cmp(bits(b as usize)));
    let mut pattern_of = vec![0u32; n];
    let mut first_row: Vec<u32> = Vec::new();
    let mut weights: Vec<u32> = Vec::new();
    for (i, &r) in order.iter().enumerate() {
        if i == 0 || bits(order[i - 1] as usize).ne(bits(r as usize)) {
            first_row.push(r);
            weights.push(0);
        }
        let last = weights.len() - 1;
        weights[last] += 1;
        pattern_of[r as usize] = last as u32;
    }
    // Renumber the patterns by first appearance.
    let mut by_first: Vec<u32> = (0..first_row.len() as u32).collect();
    by_first.sort_by_key(|&q| first_row[q as usize]);
    let mut rank = vec![0u32; by_first.len()];
    for (new, &old) in by_first.iter().enumerate() {
        rank[old as usize] = new as u32;
    }
    let mut rows = Vec::with_capacity(by_first.len() * p);
    let mut w = Vec::with_capacity(by_first.len());
    for &old in &by_first {
        rows.extend_from_slice(row(first_row[old as usize] as usize));
        w.push(weights[old as usize]);
    }
    pattern_of.iter_mut().for_each(|q| *q = rank[*q as usize]);
    (rows, w, pattern_of)
}

/// Cholesky factor L (row-major n × n, lower triangle; the rest 0) of a symmetric matrix of
/// which only the lower triangle of `a` (row-major n × n) is read. `None` when a pivot is NaN or
/// not above `min_pivot` (the matrix is not positive definite, or too close to singular).
/// A pivot of +∞ is not refused here; callers that need finite factors check the diagonal.
pub fn cholesky(a: &[f64], n: usize, min_pivot: f64) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= l[j * n + k] * l[j * n + k];
        }
        if d.is_nan() || d <= min_pivot {
            return None;
        }
        let d = d.sqrt();
        l[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = s / d;
        }
    }
    Some(l)
}

/// Solves L Lᵀ x = b for a Cholesky factor from [`cholesky`] (forward, then back substitution).
pub fn cholesky_solve(l: &[f64], b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut z = vec![0.0; n];
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * n + k] * z[k];
        }
        z[i] = s / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = z[i];
        for k in i + 1..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
    x
}

/// Solves H d = g for symmetric positive definite H (row-major, lower triangle read), by
/// Cholesky; `None` when H is not (numerically) positive definite or d is not finite.
pub fn solve_spd(hess: &[f64], g: &[f64]) -> Option<Vec<f64>> {
    let l = cholesky(hess, g.len(), 1e-300)?;
    let d = cholesky_solve(&l, g);
    d.iter().all(|v| v.is_finite()).then_some(d)
}

/// Inverse of a symmetric positive definite matrix via Cholesky; `None` when it is not
/// positive definite (or not finite).
// Small dense matrices (at most 4 × 4) read best with explicit indices.
#[allow(clippy::needless_range_loop)]
pub fn spd_inverse(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let flat: Vec<f64> = m
        .iter()
        .flat_map(|row| (0..n).map(move |j| row.get(j).copied().unwrap_or(f64::NAN)))
        .collect();
    let l = cholesky(&flat, n, 0.0)?;
    if (0..n).any(|i| !l[i * n + i].is_finite()) {
        return None;
    }
    // Columns of L⁻¹, then M⁻¹ = L⁻ᵀ L⁻¹.
    let mut linv = vec![vec![0.0; n]; n];
    for c in 0..n {
        for i in c..n {
            let mut s = if i == c { 1.0 } else { 0.0 };
            for k in c..i {
                s -= l[i * n + k] * linv[k][c];
            }
            linv[i][c] = s / l[i * n + i];
        }
    }
    let mut inv = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            inv[i][j] = (i.max(j)..n).map(|k| linv[k][i] * linv[k][j]).sum();
        }
    }
    if inv.iter().flatten().all(|v| v.is_finite()) {
        Some(inv)
    } else {
        None
    }
}

/// An objective for [`newton_polish`]: at θ, the value, the gradient and, when the flag is set,
/// the Hessian (row-major, lower triangle filled; empty otherwise).
pub type NewtonObjective<'a> = &'a dyn Fn(&[f64], bool) -> (f64, Vec<f64>, Vec<f64>);

/// One damped Newton step (halving the step up to 20 times); `None` when it cannot lower the
/// objective.
pub fn newton_step(objective: NewtonObjective<'_>, theta: &[f64]) -> Option<Vec<f64>> {
    let (obj, grad, hess) = objective(theta, true);
    let d = solve_spd(&hess, &grad)?;
    let mut scale = 1.0;
    for _ in 0..20 {
        let next: Vec<f64> = theta.iter().zip(&d).map(|(t, d)| t - scale * d).collect();
        let (next_obj, _, _) = objective(&next, false);
        if next_obj <= obj {
            return Some(next);
        }
        scale *= 0.5;
    }
    None
}

/// Finishes an iterative solution with Newton steps on the same objective: up to 10 steps (until
/// no coordinate moves by 1e-13), then the result is snapped to a 1e-9 grid and one last step is
/// taken from there, so every target starts the final step from the same numbers.
pub fn newton_polish(objective: NewtonObjective<'_>, start: Vec<f64>) -> Vec<f64> {
    let mut theta = start;
    for _ in 0..10 {
        match newton_step(objective, &theta) {
            Some(next) => {
                let moved = next
                    .iter()
                    .zip(&theta)
                    .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
                theta = next;
                if moved < 1e-13 {
                    break;
                }
            }
            None => break,
        }
    }
    let snapped: Vec<f64> = theta.iter().map(|t| (t * 1e9).round() / 1e9).collect();
    newton_step(objective, &snapped).unwrap_or(snapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lloyd_reaches_a_fixed_point() {
        let data = [0.0, 0.0, 0.2, 0.1, 5.0, 5.0, 5.2, 4.9, 0.1, 0.3];
        let fit = lloyd(&data, 2, 2, vec![0.0, 0.0, 1.0, 1.0], 100);
        assert_eq!(fit.labels, vec![0, 0, 1, 1, 0]);
        assert!((fit.centroids[2] - 5.1).abs() < 1e-12);
        let again = lloyd(&data, 2, 2, fit.centroids.clone(), 100);
        assert_eq!(again, fit);
    }

    #[test]
    fn assign_breaks_ties_to_the_lower_index_and_reports_changes() {
        let mut labels = vec![usize::MAX; 2];
        // 0.5 is as far from 0 as from 1: the lower index wins.
        assert!(assign(&[0.5, 2.0], 1, &[0.0, 1.0], &mut labels));
        assert_eq!(labels, [0, 1]);
        assert!(!assign(&[0.5, 2.0], 1, &[0.0, 1.0], &mut labels));
        assert_eq!(dist2(&[1.0, 2.0], &[4.0, 6.0]), 25.0);
    }

    #[test]
    fn cholesky_factor_and_solve() {
        // A = [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&a, 2, 0.0).unwrap();
        assert_eq!(&l[..3], &[2.0, 0.0, 1.0]);
        assert!((l[3] - 2f64.sqrt()).abs() < 1e-15);
        // A x = (2, 5) → x = (-0.5, 2).
        let x = solve_spd(&a, &[2.0, 5.0]).unwrap();
        assert!((x[0] + 0.5).abs() < 1e-15 && (x[1] - 2.0).abs() < 1e-15, "{x:?}");
        // Only the lower triangle is read.
        assert_eq!(solve_spd(&[4.0, f64::NAN, 2.0, 3.0], &[2.0, 5.0]), Some(x));
        assert!(solve_spd(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0]).is_none());
        assert!(cholesky(&[1e-301], 1, 1e-300).is_none());
        assert!(cholesky(&[f64::NAN], 1, 0.0).is_none());
    }

    #[test]
    fn inverse_of_spd_and_rejects_indefinite() {
        let m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let inv = spd_inverse(&m).unwrap();
        assert!((inv[0][0] - 3.0 / 8.0).abs() < 1e-12 && (inv[0][1] + 2.0 / 8.0).abs() < 1e-12);
        assert!(spd_inverse(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
        assert!(spd_inverse(&[vec![f64::INFINITY]]).is_none());
        assert!(spd_inverse(&[vec![0.0]]).is_none());
    }

    #[test]
    fn newton_finds_the_minimum_of_a_smooth_convex_function() {
        // f(a, b) = (a − 1)² + 2 (b + 3)² + (a − 1)⁴: minimum at (1, −3).
        let f = |t: &[f64], with_hessian: bool| {
            let (u, v) = (t[0] - 1.0, t[1] + 3.0);
            let value = u * u + 2.0 * v * v + u.powi(4);
            let grad = vec![2.0 * u + 4.0 * u.powi(3), 4.0 * v];
            let hess = if with_hessian {
                vec![2.0 + 12.0 * u * u, 0.0, 0.0, 4.0]
            } else {
                Vec::new()
            };
            (value, grad, hess)
        };
        let t = newton_polish(&f, vec![3.0, 7.0]);
        assert!((t[0] - 1.0).abs() < 1e-12 && (t[1] + 3.0).abs() < 1e-12, "{t:?}");
        // A concave direction has no Newton step: the start comes back snapped.
        let g = |t: &[f64], _: bool| (-t[0] * t[0], vec![-2.0 * t[0]], vec![-2.0]);
        assert_eq!(newton_step(&g, &[1.0]), None);
        assert_eq!(newton_polish(&g, vec![0.123_456_789_12]), vec![0.123_456_789]);
    }
}
