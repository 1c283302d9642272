//! How uncertain the totals are: a seeded parametric bootstrap of total expected purchases and
//! total CLV. Parameter vectors of the purchase model are drawn from the normal approximation
//! of its maximum-likelihood estimate (on the log scale, from the fit's covariance), and the
//! totals recomputed for each; the spend model is held at its estimate. Draws are evaluated on
//! the customers' distinct (x, t_x, T) patterns, or on a seeded sample of them when there are
//! many (each draw's total is then the total at the estimate times the sample's ratio).

use super::math::Portable;
use super::report::customer_lifetime_value;
use super::{ClvParams, PurchaseFit, PurchaseModel, PurchasePredictions, TotalsInterval};
use crate::numerics::cholesky;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

/// Two-sided level of the interval.
pub(super) const LEVEL: f64 = 0.9;
/// Parameter draws.
const DRAWS: usize = 100;
/// Most patterns a draw is evaluated on.
const MAX_PATTERNS: usize = 200;

/// One customer pattern: (x, t_x, T), customers, their summed spend per purchase.
struct Pattern {
    x: f64,
    t_x: f64,
    t: f64,
    customers: f64,
    spend: f64,
}

/// Customers (x, t_x, T) with their expected spend per purchase (`None` without a spend
/// model) grouped into patterns, sorted.
fn patterns(x: &[f64], t_x: &[f64], t: &[f64], spend: Option<&[f64]>) -> Vec<Pattern> {
    let mut rows: Vec<(f64, f64, f64, f64)> = (0..x.len())
        .map(|i| {
            (
                x[i],
                t_x[i],
                t[i],
                spend.and_then(|s| s.get(i)).copied().unwrap_or(0.0),
            )
        })
        .collect();
    rows.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
    });
    let mut out: Vec<Pattern> = Vec::new();
    for (x, t_x, t, s) in rows {
        match out.last_mut() {
            Some(p) if p.x == x && p.t_x == t_x && p.t == t => {
                p.customers += 1.0;
                p.spend += s;
            }
            _ => out.push(Pattern {
                x,
                t_x,
                t,
                customers: 1.0,
                spend: s,
            }),
        }
    }
    out
}

/// A standard normal draw (Box–Muller with the portable ln / exp, so every target agrees).
fn normal(rng: &mut Xoshiro256Plus) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen::<f64>();
    (-2.0 * u1.ln_p()).sqrt() * libm::cos(std::f64::consts::TAU * u2)
}

/// Linear-interpolated quantile of sorted values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// (total expected purchases, total CLV) of `model` over `sample`.
fn totals(
    model: &dyn PurchasePredictions,
    sample: &[&Pattern],
    params: &ClvParams,
    horizon: f64,
    money: bool,
) -> (f64, f64) {
    let (mut purchases, mut clv) = (0.0, 0.0);
    for p in sample {
        if money {
            let (v, e) = customer_lifetime_value(
                model,
                p.x,
                p.t_x,
                p.t,
                1.0,
                params.horizon_months,
                params.discount_rate,
                params.margin,
                params.time_unit,
            );
            purchases += p.customers * e;
            clv += p.spend * v;
        } else {
            purchases += p.customers * model.conditional_expected_purchases(horizon, p.x, p.t_x, p.t);
        }
    }
    (purchases, clv)
}

/// The 90 % interval of the totals (`totals` at the estimate), or `None` when the fit has no
/// covariance (a flat likelihood) or a draw cannot be evaluated.
#[allow(clippy::too_many_arguments)]
pub(super) fn totals_interval(
    fit: &PurchaseFit,
    x: &[f64],
    t_x: &[f64],
    t: &[f64],
    spend: Option<&[f64]>,
    params: &ClvParams,
    horizon: f64,
    at_estimate: (f64, Option<f64>),
) -> Option<TotalsInterval> {
    let cov = fit.covariance.as_ref()?;
    let theta = fit.params.to_vec();
    let n = theta.len();
    // Covariance of the log-parameters: Σᵢⱼ / (θᵢ θⱼ).
    if cov.len() != n || cov.iter().any(|row| row.len() != n) {
        return None;
    }
    let log_cov: Vec<f64> = cov
        .iter()
        .zip(&theta)
        .flat_map(|(row, ti)| row.iter().zip(&theta).map(move |(c, tj)| c / (ti * tj)))
        .collect();
    let l = cholesky(&log_cov, n, 0.0)?;
    let all = patterns(x, t_x, t, spend);
    let mut rng = Xoshiro256Plus::seed_from_u64(params.seed);
    let sample: Vec<&Pattern> = if all.len() <= MAX_PATTERNS {
        all.iter().collect()
    } else {
        // Systematic sample by customers from a seeded start: patterns with many customers
        // are the ones the totals hang on.
        let total: f64 = all.iter().map(|p| p.customers).sum();
        let step = total / MAX_PATTERNS as f64;
        let mut next = rng.gen::<f64>() * step;
        let (mut cum, mut out) = (0.0, Vec::with_capacity(MAX_PATTERNS));
        for p in &all {
            cum += p.customers;
            if cum > next {
                out.push(p);
                while next < cum {
                    next += step;
                }
            }
        }
        out
    };
    let money = spend.is_some() && at_estimate.1.is_some();
    let base = totals(&fit.params, &sample, params, horizon, money);
    let log_theta: Vec<f64> = theta.iter().map(|v| v.ln_p()).collect();
    let (mut purchases, mut clv) = (Vec::with_capacity(DRAWS), Vec::with_capacity(DRAWS));
    for _ in 0..DRAWS {
        let z: Vec<f64> = (0..n).map(|_| normal(&mut rng)).collect();
        let draw: Vec<f64> = (0..n)
            .map(|i| (log_theta[i] + (0..=i).map(|k| l[i * n + k] * z[k]).sum::<f64>()).exp_p())
            .collect();
        let model = PurchaseModel::from_slice(fit.model, &draw);
        let (p, v) = totals(&model, &sample, params, horizon, money);
        if !(p.is_finite() && v.is_finite()) {
            return None;
        }
        purchases.push(at_estimate.0 * p / base.0);
        clv.push(at_estimate.1.unwrap_or(0.0) * v / base.1);
    }
    purchases.sort_by(f64::total_cmp);
    clv.sort_by(f64::total_cmp);
    let tail = (1.0 - LEVEL) / 2.0;
    let bounds = |v: &[f64]| [quantile(v, tail), quantile(v, 1.0 - tail)];
    Some(TotalsInterval {
        level: LEVEL,
        draws: DRAWS,
        seed: params.seed,
        expected_purchases: bounds(&purchases),
        clv: (money && base.1 > 0.0).then(|| bounds(&clv)),
        patterns: all.len(),
        patterns_used: sample.len(),
    })
}
