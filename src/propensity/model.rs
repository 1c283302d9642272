//! The propensity model: the standardising scaler, L2 logistic regression fitted by
//! linfa-logistic and then polished by a few exact Newton steps (Cholesky) so the result is
//! bit-identical natively and in wasm.

use super::{PropensityParams, ANALYSIS};
use crate::numerics;
use crate::Error;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde::Serialize;

/// Mean and standard deviation (population, ddof = 0, as sklearn's `StandardScaler`) per column.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Scaler {
    pub mean: Vec<f64>,
    /// 1.0 for a constant column, so it standardises to 0 instead of NaN.
    pub std: Vec<f64>,
}

impl Scaler {
    pub(super) fn fit(values: &[f64], rows: &[usize], p: usize) -> Scaler {
        let n = rows.len().max(1) as f64;
        let mut mean = vec![0.0; p];
        for &r in rows {
            for j in 0..p {
                mean[j] += values[r * p + j];
            }
        }
        mean.iter_mut().for_each(|m| *m /= n);
        let mut var = vec![0.0; p];
        for &r in rows {
            for j in 0..p {
                let d = values[r * p + j] - mean[j];
                var[j] += d * d;
            }
        }
        let std = var
            .iter()
            .zip(&mean)
            .map(|(v, m)| {
                let s = (v / n).sqrt();
                // Relative threshold: a column equal up to rounding noise is constant.
                if s > 1e-12 * m.abs().max(1.0) {
                    s
                } else {
                    1.0
                }
            })
            .collect();
        Scaler { mean, std }
    }

    pub(super) fn apply(&self, values: &[f64], rows: &[usize]) -> Array2<f64> {
        let p = self.mean.len();
        Array2::from_shape_fn((rows.len(), p), |(i, j)| {
            (values[rows[i] * p + j] - self.mean[j]) / self.std[j]
        })
    }
}

/// A fitted linear model on the standardised scale, oriented so that a positive weight raises
/// the chance of buying.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LinearModel {
    pub intercept: f64,
    /// One per feature, in `PropensityReport::features` order.
    pub coefficients: Vec<f64>,
}

impl LinearModel {
    pub(crate) fn probability(&self, row: ndarray::ArrayView1<f64>) -> f64 {
        let z = self.intercept
            + row
                .iter()
                .zip(&self.coefficients)
                .map(|(x, w)| x * w)
                .sum::<f64>();
        sigmoid(z)
    }

    pub(super) fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        x.rows().into_iter().map(|r| self.probability(r)).collect()
    }
}

pub(super) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

/// −log σ(t), without overflow.
pub(super) fn neg_log_sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        libm::log1p(libm::exp(-t))
    } else {
        -t + libm::log1p(libm::exp(t))
    }
}

/// Objective of linfa-logistic, Σ −log σ(±zᵢ) + α/2 ‖w‖², with its gradient and Hessian in
/// θ = (w, b). Plain sequential loops: the same bits natively and in wasm.
pub(super) fn objective(
    x: &Array2<f64>,
    y: &[bool],
    alpha: f64,
    theta: &[f64],
    with_hessian: bool,
) -> (f64, Vec<f64>, Vec<f64>) {
    let p = x.ncols();
    let q = p + 1;
    let mut obj = 0.0;
    let mut grad = vec![0.0; q];
    let mut hess = vec![0.0; if with_hessian { q * q } else { 0 }];
    let mut row = vec![0.0; q];
    for (r, &yi) in x.rows().into_iter().zip(y) {
        for (slot, v) in row.iter_mut().zip(r.iter()) {
            *slot = *v;
        }
        row[p] = 1.0;
        let mut z = 0.0;
        for j in 0..q {
            z += row[j] * theta[j];
        }
        obj += neg_log_sigmoid(if yi { z } else { -z });
        let prob = sigmoid(z);
        let residual = prob - f64::from(u8::from(yi));
        for j in 0..q {
            grad[j] += residual * row[j];
        }
        if with_hessian {
            let h = prob * (1.0 - prob);
            for j in 0..q {
                let hj = h * row[j];
                for k in 0..=j {
                    hess[j * q + k] += hj * row[k];
                }
            }
        }
    }
    for j in 0..p {
        obj += 0.5 * alpha * theta[j] * theta[j];
        grad[j] += alpha * theta[j];
        if with_hessian {
            hess[j * q + j] += alpha;
        }
    }
    (obj, grad, hess)
}

/// Finishes linfa's L-BFGS solution with Newton steps on the same objective
/// ([`numerics::newton_polish`]). L-BFGS stops at a gradient tolerance and its matrix products
/// differ in the last bits between CPUs (FMA) and wasm; Newton converges to machine precision,
/// so every target ends on the same numbers.
pub(super) fn polish(x: &Array2<f64>, y: &[bool], alpha: f64, start: &LinearModel) -> LinearModel {
    let mut theta: Vec<f64> = start.coefficients.clone();
    theta.push(start.intercept);
    let last = numerics::newton_polish(&|t: &[f64], h: bool| objective(x, y, alpha, t, h), theta);
    let p = x.ncols();
    LinearModel {
        intercept: last[p],
        coefficients: last[..p].to_vec(),
    }
}

/// Fits L2 logistic regression (linfa-logistic, L-BFGS) on a standardised matrix.
pub fn fit_logistic(x: &Array2<f64>, y: &[bool], params: &PropensityParams) -> Result<LinearModel, Error> {
    if x.nrows() != y.len() {
        return Err(Error::data(ANALYSIS, "feature rows and labels differ in length"));
    }
    let targets = Array1::from_iter(y.iter().copied());
    let dataset = Dataset::new(x.clone(), targets);
    let model = LogisticRegression::default()
        .alpha(params.alpha)
        .max_iterations(params.max_iterations)
        // The loss is a sum over customers, so scale the tolerance with their number (a mean
        // gradient of 1e-5); the Newton polish below takes it to machine precision.
        .gradient_tolerance(1e-5 * (y.len().max(1) as f64))
        .fit(&dataset)
        .map_err(|e| {
            Error::data(
                ANALYSIS,
                format!("the logistic regression could not be fitted: {e}"),
            )
        })?;
    // linfa labels the more frequent class as positive; turn it to "bought" either way.
    let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
    let linfa_solution = LinearModel {
        intercept: sign * model.intercept(),
        coefficients: model.params().iter().map(|w| sign * w).collect(),
    };
    if !linfa_solution.intercept.is_finite() || linfa_solution.coefficients.iter().any(|w| !w.is_finite()) {
        return Err(Error::data(
            ANALYSIS,
            "the logistic regression diverged (the classes may be perfectly separable); try a larger alpha",
        )
        .with_code("model_diverged"));
    }
    let out = polish(x, y, params.alpha, &linfa_solution);
    if !out.intercept.is_finite() || out.coefficients.iter().any(|w| !w.is_finite()) {
        return Err(Error::data(
            ANALYSIS,
            "the logistic regression diverged (the classes may be perfectly separable); try a larger alpha",
        )
        .with_code("model_diverged"));
    }
    Ok(out)
}
