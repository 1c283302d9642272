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
    /// The lowest finite value evaluated and where: argmin loses its state when a run ends in
    /// an error (a line search that gives up), and the next solver starts from here.
    best: RefCell<Option<(f64, Vec<f64>)>>,
    /// While set, evaluations since the best value last improved by more than
    /// [`STALL_RELATIVE`]; past [`STALL_EVALUATIONS`] per parameter the cost is an error, which
    /// ends the derivative-free search.
    stall: RefCell<Option<Stall>>,
}

#[derive(Debug, Clone, Copy)]
struct Stall {
    reference: f64,
    evaluations: u64,
}

/// Relative improvement below which Nelder-Mead counts as making no progress.
const STALL_RELATIVE: f64 = 1e-10;
/// Evaluations per parameter without progress after which Nelder-Mead stops. On a likelihood
/// whose supremum is at the edge (a parameter running to 0 or infinity) the simplex creeps
/// along the flat wall for its whole budget otherwise: 96% of all evaluations on small files.
const STALL_EVALUATIONS: u64 = 100;

/// What a cost evaluation returns when the search has stalled.
#[derive(Debug)]
struct Stalled;

impl std::fmt::Display for Stalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no progress")
    }
}

impl std::error::Error for Stalled {}

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
        if v < f64::MAX {
            let mut best = self.best.borrow_mut();
            if best.as_ref().is_none_or(|(b, _)| v < *b) {
                *best = Some((v, p.to_vec()));
            }
        }
        (v, g)
    }

    fn best_point(&self) -> Option<Vec<f64>> {
        self.best.borrow().as_ref().map(|(_, p)| p.clone())
    }

    /// Starts counting evaluations without progress from the value at `from`.
    fn watch_stall(&self, from: &[f64]) {
        let (reference, _) = self.eval(from);
        *self.stall.borrow_mut() = Some(Stall {
            reference,
            evaluations: 0,
        });
    }

    /// After a watched run: moves `best` to the run's best point, or (when the run stalled or
    /// failed) to the lowest point evaluated, whichever is lower than `best`; stops watching.
    fn take_better(
        &self,
        run: Result<(u64, Option<Vec<f64>>), argmin::core::Error>,
        best: &mut Vec<f64>,
        iterations: &mut u64,
    ) {
        *self.stall.borrow_mut() = None;
        let candidate = match run {
            Ok((iters, point)) => {
                *iterations += iters;
                point
            }
            Err(_) => self.best_point(),
        };
        if let Some(p) = candidate {
            if self.eval(&p).0 <= self.eval(best).0 {
                *best = p;
            }
        }
    }

    /// Counts an evaluation against the stall budget; `true` once the budget is spent.
    fn stalled(&self, value: f64, parameters: usize) -> bool {
        let mut stall = self.stall.borrow_mut();
        let Some(watch) = stall.as_mut() else {
            return false;
        };
        if value < watch.reference - STALL_RELATIVE * (1.0 + watch.reference.abs()) {
            *watch = Stall {
                reference: value,
                evaluations: 0,
            };
            return false;
        }
        watch.evaluations += 1;
        watch.evaluations > STALL_EVALUATIONS * parameters as u64
    }
}

impl CostFunction for &Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, argmin::core::Error> {
        let value = self.eval(p).0;
        if self.stalled(value, p.len()) {
            return Err(Stalled.into());
        }
        Ok(value)
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
        best: RefCell::new(None),
        stall: RefCell::new(None),
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
                    .inv_hessian(identity.clone())
                    .max_iters(max_iterations)
            })
            .run();
        match run {
            Ok(result) => {
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
            // The line search gave up: go on from the lowest point it reached, not the start.
            Err(_) => {
                if let Some(p) = problem.best_point() {
                    best = p;
                }
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
        problem.watch_stall(&best);
        let run = Executor::new(&problem, solver)
            .configure(|state| state.max_iters(max_iterations.saturating_mul(4)))
            .run()
            .map(|result| {
                (
                    result.state().get_iter(),
                    result.state().get_best_param().cloned(),
                )
            });
        problem.take_better(run, &mut best, &mut iterations);
    }
    if let Ok(solver) = BFGS::new(MoreThuenteLineSearch::new()).with_tolerance_grad(1e-10) {
        problem.watch_stall(&best);
        let run = Executor::new(&problem, solver)
            .configure(|state| {
                state
                    .param(best.clone())
                    .inv_hessian(identity)
                    .max_iters(max_iterations)
            })
            .run()
            .map(|result| {
                (
                    result.state().get_iter(),
                    result.state().get_best_param().cloned(),
                )
            });
        problem.take_better(run, &mut best, &mut iterations);
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
}
