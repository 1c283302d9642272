//! Maximum likelihood on a log scale for the CLV models: argmin's BFGS (More-Thuente line
//! search) on the mean negative log-likelihood with an analytic gradient, Nelder-Mead as the
//! fallback when the line search gives up, and a numeric Hessian for standard errors.

// Small dense matrices (at most 4 × 4) read best with explicit indices.
#![allow(clippy::needless_range_loop)]

use argmin::core::{CostFunction, Executor, Gradient, State, TerminationReason};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::BFGS;
use std::cell::RefCell;

/// Log-parameters are kept inside ±`LOG_PARAM_LIMIT` so no evaluation overflows; a fit that
/// ends near this wall has run to the edge of the parameter space.
pub(crate) const LOG_PARAM_LIMIT: f64 = 25.0;

/// A function value with its gradient.
pub(crate) type ValueGradient = (f64, Vec<f64>);

/// Objective value and gradient (both for minimisation) at log-parameters.
pub(crate) type Objective<'a> = &'a dyn Fn(&[f64]) -> ValueGradient;

/// What the optimiser found.
#[derive(Debug, Clone)]
pub(crate) struct Optimum {
    pub log_params: Vec<f64>,
    pub gradient_norm: f64,
    pub converged: bool,
    pub iterations: u64,
}

struct Problem<'a> {
    objective: Objective<'a>,
    // BFGS asks for the cost and the gradient at the same point separately.
    cache: RefCell<Option<(Vec<f64>, ValueGradient)>>,
}

impl Problem<'_> {
    fn eval(&self, p: &[f64]) -> (f64, Vec<f64>) {
        if let Some((q, (v, g))) = self.cache.borrow().as_ref() {
            if q.as_slice() == p {
                return (*v, g.clone());
            }
        }
        let clamped: Vec<f64> = p
            .iter()
            .map(|v| v.clamp(-LOG_PARAM_LIMIT, LOG_PARAM_LIMIT))
            .collect();
        let (mut v, mut g) = (self.objective)(&clamped);
        if !v.is_finite() || g.iter().any(|x| !x.is_finite()) {
            v = f64::MAX;
            g = vec![0.0; p.len()];
        }
        // Outside the wall the objective is flat; pull back towards it.
        for (gi, (&pi, &ci)) in g.iter_mut().zip(p.iter().zip(&clamped)) {
            if pi != ci {
                *gi = (pi - ci).signum();
            }
        }
        *self.cache.borrow_mut() = Some((p.to_vec(), (v, g.clone())));
        (v, g)
    }
}

impl CostFunction for &Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, argmin::core::Error> {
        Ok(self.eval(p).0)
    }
}

impl Gradient for &Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Vec<f64>, argmin::core::Error> {
        Ok(self.eval(p).1)
    }
}

fn norm(g: &[f64]) -> f64 {
    g.iter().map(|v| v * v).sum::<f64>().sqrt()
}

/// Gradient norm (of the mean objective) below which a stop counts as converged.
const CONVERGED_GRADIENT: f64 = 1e-5;

/// Minimises `objective` from `start`, with at most `max_iterations` iterations per solver.
pub(crate) fn minimize(objective: Objective<'_>, start: &[f64], max_iterations: u64) -> Optimum {
    let problem = Problem {
        objective,
        cache: RefCell::new(None),
    };
    let n = start.len();
    let mut best = start.to_vec();
    let mut iterations = 0;
    let identity: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    let bfgs = BFGS::new(MoreThuenteLineSearch::new())
        .with_tolerance_grad(1e-10)
        .and_then(|s| s.with_tolerance_cost(1e-14));
    if let Ok(solver) = bfgs {
        let run = Executor::new(&problem, solver)
            .configure(|state| {
                state
                    .param(start.to_vec())
                    .inv_hessian(identity)
                    .max_iters(max_iterations)
            })
            .run();
        if let Ok(result) = run {
            let state = result.state();
            iterations += state.get_iter();
            if let Some(p) = state.get_best_param() {
                best = p.clone();
            }
            let (v, g) = problem.eval(&best);
            let stopped_normally = matches!(
                state.get_termination_reason(),
                Some(TerminationReason::SolverConverged)
            );
            if v.is_finite() && v < f64::MAX && (stopped_normally || norm(&g) < CONVERGED_GRADIENT) {
                return finish(&problem, best, iterations);
            }
        }
    }
    // BFGS failed (line search, non-finite region) or stalled: a derivative-free search from
    // the best point so far, then one more BFGS pass to polish.
    let simplex: Vec<Vec<f64>> = std::iter::once(best.clone())
        .chain((0..n).map(|i| {
            let mut p = best.clone();
            p[i] += 0.5;
            p
        }))
        .collect();
    if let Ok(solver) = NelderMead::new(simplex).with_sd_tolerance(1e-12) {
        if let Ok(result) = Executor::new(&problem, solver)
            .configure(|state| state.max_iters(max_iterations.saturating_mul(4)))
            .run()
        {
            iterations += result.state().get_iter();
            if let Some(p) = result.state().get_best_param() {
                best = p.clone();
            }
        }
    }
    if let Ok(solver) = BFGS::new(MoreThuenteLineSearch::new()).with_tolerance_grad(1e-10) {
        let identity: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect();
        if let Ok(result) = Executor::new(&problem, solver)
            .configure(|state| {
                state
                    .param(best.clone())
                    .inv_hessian(identity)
                    .max_iters(max_iterations)
            })
            .run()
        {
            iterations += result.state().get_iter();
            if let Some(p) = result.state().get_best_param() {
                if problem.eval(p).0 <= problem.eval(&best).0 {
                    best = p.clone();
                }
            }
        }
    }
    finish(&problem, best, iterations)
}

fn finish(problem: &Problem<'_>, log_params: Vec<f64>, iterations: u64) -> Optimum {
    // The objective is flat beyond the wall, so the wall is where the estimate is.
    let log_params: Vec<f64> = log_params
        .iter()
        .map(|v| v.clamp(-LOG_PARAM_LIMIT, LOG_PARAM_LIMIT))
        .collect();
    let (value, g) = problem.eval(&log_params);
    let gradient_norm = norm(&g);
    Optimum {
        converged: value.is_finite() && value < f64::MAX && gradient_norm < CONVERGED_GRADIENT,
        log_params,
        gradient_norm,
        iterations,
    }
}

/// Hessian by central differences of an analytic gradient, symmetrised.
pub(crate) fn numeric_hessian(gradient: &dyn Fn(&[f64]) -> Vec<f64>, at: &[f64]) -> Vec<Vec<f64>> {
    let n = at.len();
    let mut h = vec![vec![0.0; n]; n];
    for i in 0..n {
        let step = 1e-5 * at[i].abs().max(1e-8);
        let mut up = at.to_vec();
        let mut down = at.to_vec();
        up[i] += step;
        down[i] -= step;
        let (gu, gd) = (gradient(&up), gradient(&down));
        for j in 0..n {
            h[i][j] = (gu.get(j).copied().unwrap_or(f64::NAN) - gd.get(j).copied().unwrap_or(f64::NAN))
                / (2.0 * step);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = m;
            h[j][i] = m;
        }
    }
    h
}

/// Inverse of a symmetric positive definite matrix via Cholesky; `None` when it is not
/// positive definite (or not finite).
pub(crate) fn spd_inverse(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = m[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Columns of L⁻¹, then M⁻¹ = L⁻ᵀ L⁻¹.
    let mut linv = vec![vec![0.0; n]; n];
    for c in 0..n {
        for i in c..n {
            let mut s = if i == c { 1.0 } else { 0.0 };
            for k in c..i {
                s -= l[i][k] * linv[k][c];
            }
            linv[i][c] = s / l[i][i];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_quadratic() {
        let f = |p: &[f64]| {
            let (x, y) = (p[0] - 1.0, p[1] + 2.0);
            (x * x + 10.0 * y * y, vec![2.0 * x, 20.0 * y])
        };
        let o = minimize(&f, &[0.1, 0.1], 200);
        assert!(o.converged);
        assert!((o.log_params[0] - 1.0).abs() < 1e-6 && (o.log_params[1] + 2.0).abs() < 1e-6);
    }

    #[test]
    fn inverse_of_spd_and_rejects_indefinite() {
        let m = vec![vec![4.0, 2.0], vec![2.0, 3.0]];
        let inv = spd_inverse(&m).unwrap();
        assert!((inv[0][0] - 3.0 / 8.0).abs() < 1e-12 && (inv[0][1] + 2.0 / 8.0).abs() < 1e-12);
        assert!(spd_inverse(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
    }
}
