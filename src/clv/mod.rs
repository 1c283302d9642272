//! Customer lifetime value: BG/NBD (Fader, Hardie & Lee 2005) for how often each customer will
//! buy and whether they are still "alive", Gamma-Gamma (Fader & Hardie) for how much they spend
//! per purchase, and their discounted product over a horizon, as python `lifetimes` 0.11.3 does.
//! From `Transactions` (same-day purchases merged) and `Customers` (as-of date, row order);
//! per-customer columns and chart-ready aggregates for the page, with a plain-language fit status
//! and warnings: a horizon longer than the history, a penalised fit (with how far it moved
//! P(alive)), and no spend figures when the file has no amounts.

mod bgnbd;
mod gamma_gamma;
mod math;
mod optimize;
mod summary;

pub use bgnbd::BgNbd;
pub use gamma_gamma::GammaGamma;
pub use summary::{purchase_days_between, repeat_summary, RepeatSummary, TimeUnit};

use crate::customers::Customers;
use crate::ingest::{date_to_day, day_to_date, Transactions};
use crate::{Error, Warning};
use bgnbd::BgNbdData;
use chrono::NaiveDate;
use gamma_gamma::GammaGammaData;
use math::Portable;
use optimize::{minimize, numeric_hessian, spd_inverse, Objective, ValueGradient};
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "lifetime value";

/// Options of the lifetime-value analysis.
///
/// ```
/// use clientele::clv::{ClvParams, TimeUnit};
/// let params = ClvParams { time_unit: TimeUnit::Days, horizon_months: 6, ..Default::default() };
/// assert!(params.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ClvParams {
    /// Unit of time for x / t_x / T and α (default weeks).
    pub time_unit: TimeUnit,
    /// Fit on purchases up to and including this date and compare predictions with what
    /// happened after it (lifetimes `calibration_period_end`). `None`: fit on everything.
    pub calibration_end: Option<NaiveDate>,
    /// Months ahead for expected purchases and CLV (default 12).
    pub horizon_months: u32,
    /// Monthly discount rate (default 0.01).
    pub discount_rate: f64,
    /// Profit margin applied to spend, in (0, 1] (default 1: CLV in revenue).
    pub margin: f64,
    /// L2 penalty on the parameters, as lifetimes' `penalizer_coef` (default 0): adds
    /// `penalizer × Σ θ²` to the mean negative log-likelihood, with time rescaled so the oldest
    /// customer has T = 1. When a fit fails, a small ridge on the log-parameters is added
    /// automatically and reported in the fit status (an L2 penalty on θ cannot stop a → 0).
    pub penalizer: f64,
    /// Iteration budget of each optimizer run (default 500).
    pub max_iterations: u64,
}

impl Default for ClvParams {
    fn default() -> Self {
        ClvParams {
            time_unit: TimeUnit::Weeks,
            calibration_end: None,
            horizon_months: 12,
            discount_rate: 0.01,
            margin: 1.0,
            penalizer: 0.0,
            max_iterations: 500,
        }
    }
}

impl ClvParams {
    /// Validates every option once; the error names the option.
    pub fn check(&self) -> Result<(), Error> {
        if !(1..=120).contains(&self.horizon_months) {
            return Err(Error::param("horizon_months", "must be between 1 and 120 months"));
        }
        if !(self.discount_rate.is_finite() && (0.0..1.0).contains(&self.discount_rate)) {
            return Err(Error::param(
                "discount_rate",
                "must be a monthly rate of at least 0 and below 1 (0.01 = 1 % a month)",
            ));
        }
        if !(self.margin.is_finite() && self.margin > 0.0 && self.margin <= 1.0) {
            return Err(Error::param("margin", "must be a fraction above 0 and at most 1"));
        }
        if !(self.penalizer.is_finite() && (0.0..=100.0).contains(&self.penalizer)) {
            return Err(Error::param("penalizer", "must be between 0 and 100"));
        }
        if !(10..=100_000).contains(&self.max_iterations) {
            return Err(Error::param("max_iterations", "must be between 10 and 100000"));
        }
        Ok(())
    }
}

/// Whether a model fit can be trusted, in words a marketer can read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitStatus {
    /// True when the optimizer converged to an interior maximum (with the penalty used).
    pub ok: bool,
    /// What happened, in plain words.
    pub message: String,
    /// The automatic ridge λ of the reported fit (λ Σ (ln θ)² added to the mean negative
    /// log-likelihood, θ in rescaled time); 0 = none was needed. The user's lifetimes-style
    /// `penalizer` is in `ClvParams` and always applied.
    pub penalty_used: f64,
    /// Optimizer iterations, all attempts together.
    pub iterations: u64,
}

/// One fitted parameter with its standard error (from the Hessian of the unpenalized
/// log-likelihood at the estimate; `None` when that Hessian is not positive definite).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamEstimate {
    pub name: String,
    pub value: f64,
    pub std_error: Option<f64>,
}

/// The BG/NBD fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BgNbdFit {
    pub params: BgNbd,
    /// r, alpha, a, b with standard errors.
    pub estimates: Vec<ParamEstimate>,
    /// Log-likelihood (unpenalized) in the report's time unit.
    pub log_likelihood: f64,
    /// Customers in the fitted window, and those among them with repeat purchases.
    pub customers: usize,
    pub repeat_buyers: usize,
    pub fit_status: FitStatus,
    /// When the penalised fallback was used: the plain fit's last iterate (`None` when it was
    /// not finite), to measure how far the penalty moved the predictions.
    pub unpenalised: Option<BgNbd>,
    /// How far the penalty moved P(alive) of the fitted customers from `unpenalised`.
    pub p_alive_shift: Option<PAliveShift>,
}

/// How far P(alive) moved between two fits, over a set of customers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PAliveShift {
    pub max: f64,
    pub mean: f64,
}

impl PAliveShift {
    /// |P(alive) under `a` − P(alive) under `b`| over customers (x, t_x, T); `None` without any.
    pub fn between(a: &BgNbd, b: &BgNbd, x: &[f64], t_x: &[f64], t: &[f64]) -> Option<PAliveShift> {
        let mut max = 0.0f64;
        let mut sum = 0.0;
        let mut n = 0usize;
        for ((&x, &tx), &t) in x.iter().zip(t_x).zip(t) {
            let d = (a.p_alive(x, tx, t) - b.p_alive(x, tx, t)).abs();
            if d.is_finite() {
                max = max.max(d);
                sum += d;
                n += 1;
            }
        }
        (n > 0).then(|| PAliveShift {
            max,
            mean: sum / n as f64,
        })
    }
}

/// The Gamma-Gamma fit on repeat buyers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GammaGammaFit {
    pub params: GammaGamma,
    /// p, q, gamma with standard errors.
    pub estimates: Vec<ParamEstimate>,
    pub log_likelihood: f64,
    /// Repeat buyers used (x > 0 and mean repeat spend > 0).
    pub customers: usize,
    /// Repeat buyers left out because their mean repeat spend is 0.
    pub excluded_zero_spend: usize,
    /// γp/(q−1): expected spend per purchase of a customer without repeat purchases.
    pub population_mean_spend: f64,
    /// Pearson correlation of repeat purchases and mean spend among the buyers used.
    pub frequency_spend_correlation: f64,
    pub fit_status: FitStatus,
    /// When the penalised fallback was used: γp/(q−1) at the plain fit's last estimate (`None`
    /// when it is not finite, i.e. q ≤ 1 there).
    pub unpenalised_mean_spend: Option<f64>,
}

/// A frequency × recency grid of model figures for a customer of age `age` (as lifetimes
/// `plot_frequency_recency_matrix` / `plot_probability_alive_matrix`). `values[i][j]` is for
/// `frequency[i]` repeat purchases and last purchase at `recency[j]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrequencyRecencyMatrix {
    pub frequency: Vec<u32>,
    pub recency: Vec<f64>,
    /// T of every cell: the oldest customer's age in the fitted window.
    pub age: f64,
    /// Period of the expected purchases, in time units (the horizon).
    pub period: f64,
    pub expected_purchases: Vec<Vec<f64>>,
    pub p_alive: Vec<Vec<f64>>,
    /// True when observed frequencies went beyond the grid (capped at 50).
    pub frequency_capped: bool,
}

/// One row of the calibration-vs-holdout table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldoutRow {
    /// Repeat purchases in calibration: "0" … "6", "7+".
    pub calibration_frequency: String,
    pub customers: u64,
    /// Mean repeat purchase days in the holdout period: observed and predicted.
    pub actual: f64,
    pub predicted: f64,
}

/// Predictions for the holdout period against what happened (as lifetimes
/// `plot_calibration_purchases_vs_holdout_purchases`, with 7+ pooled as in the paper).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationHoldout {
    pub calibration_end: NaiveDate,
    pub holdout_end: NaiveDate,
    /// Holdout length in time units.
    pub duration: f64,
    pub rows: Vec<HoldoutRow>,
}

/// Customers by repeat purchases in the fitted window: observed against the model's expected
/// count Σᵢ P(X(Tᵢ) = n) (the paper's Figure 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepeatPurchaseRow {
    /// "0" … "6", "7+".
    pub repeat_purchases: String,
    pub actual: u64,
    pub expected: f64,
}

/// Equal-width histogram; values above the last edge are counted in `overflow`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub overflow: u64,
}

/// A valuable customer who has probably stopped buying.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikelyGoneCustomer {
    /// Row in `Customers`.
    pub row: usize,
    pub id: String,
    /// Value measure (total spend, or purchases when the file has no amounts).
    pub value: f64,
    pub p_alive: f64,
}

/// "Valuable but likely gone": top-quartile value and P(alive) < 0.5, most valuable first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikelyGone {
    /// The rule in words.
    pub rule: String,
    /// Value at or above which a customer counts as valuable.
    pub value_threshold: f64,
    /// All customers matching the rule (the list is capped at 100).
    pub total: usize,
    pub customers: Vec<LikelyGoneCustomer>,
}

/// Everything the lifetime-value analysis produces. Per-customer vectors are aligned with
/// `Customers` rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvReport {
    pub time_unit: TimeUnit,
    pub as_of: NaiveDate,
    /// Last day counted (the day before `as_of`).
    pub observation_end: NaiveDate,
    /// When set, the models were fitted on purchases up to this day only.
    pub calibration_end: Option<NaiveDate>,
    pub horizon_months: u32,
    /// The horizon in time units (months × 30 days or × 4.345 weeks, as lifetimes).
    pub horizon_periods: f64,
    pub discount_rate: f64,
    pub margin: f64,
    pub bgnbd: BgNbdFit,
    /// `None` when spend cannot be modelled; `gamma_gamma_message` says why.
    pub gamma_gamma: Option<GammaGammaFit>,
    pub gamma_gamma_message: Option<String>,
    /// Per customer, from purchases up to `observation_end`: repeat purchases, recency and age
    /// in time units, mean repeat spend.
    pub repeat_purchases: Vec<f64>,
    pub recency: Vec<f64>,
    pub age: Vec<f64>,
    /// Expected purchases in the next `horizon_periods`.
    pub expected_purchases: Vec<f64>,
    pub p_alive: Vec<f64>,
    /// Gamma-Gamma expected spend per purchase (`None` without a spend model).
    pub expected_spend: Option<Vec<f64>>,
    /// Discounted margin × spend × expected purchases, month by month over the horizon.
    pub clv: Option<Vec<f64>>,
    pub total_expected_purchases: f64,
    pub total_clv: Option<f64>,
    pub frequency_recency: FrequencyRecencyMatrix,
    pub repeat_purchase_fit: Vec<RepeatPurchaseRow>,
    pub calibration_holdout: Option<CalibrationHoldout>,
    pub clv_histogram: Option<Histogram>,
    pub likely_gone: LikelyGone,
    /// Why figures may not deserve trust (`clv_horizon_beyond_history`, `clv_penalised_fit`,
    /// `clv_no_spend`, `clv_spend_frequency_correlation`), each naming the export columns.
    pub warnings: Vec<Warning>,
}

/// |r| above which the frequency–spend correlation is flagged (Gamma-Gamma assumes independence).
const CORRELATION_WARNING: f64 = 0.3;
/// Ridges on the log-parameters tried, in order, after a fit fails.
const FALLBACK_RIDGES: [f64; 4] = [0.001, 0.01, 0.1, 1.0];
/// |log parameter| beyond which (in lifetimes' rescaled time) a parameter has run to the edge.
const EDGE_LOG_PARAM: f64 = 15.0;
const GRID_MAX: usize = 50;
const LIKELY_GONE_CAP: usize = 100;
const HISTOGRAM_BINS: usize = 20;

/// One fit attempt's outcome before it is turned into report types.
struct Attempt {
    params: Vec<f64>,
    log_likelihood: f64,
    std_errors: Option<Vec<f64>>,
    problems: Vec<String>,
    iterations: u64,
}

/// Fits a model on the log scale with the given penalty and diagnoses the result.
///
/// `loglik` is the total log-likelihood and gradient in natural parameters on rescaled data;
/// `natural` maps rescaled parameters to reported ones; `loglik_natural` evaluates the reported
/// ones on the original data (for the LL and the Hessian).
#[allow(clippy::too_many_arguments)]
fn fit_attempt(
    names: &[&str],
    hints: &[&str],
    loglik: &dyn Fn(&[f64]) -> ValueGradient,
    total_weight: f64,
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
    loglik_natural: &dyn Fn(&[f64]) -> ValueGradient,
    penalizer: f64,
    ridge: f64,
    max_iterations: u64,
    extra_check: &dyn Fn(&[f64]) -> Option<String>,
) -> Attempt {
    let objective = |log_p: &[f64]| {
        let p: Vec<f64> = log_p.iter().map(|v| v.exp_p()).collect();
        let (ll, g) = loglik(&p);
        let value = -ll / total_weight
            + penalizer * p.iter().map(|v| v * v).sum::<f64>()
            + ridge * log_p.iter().map(|v| v * v).sum::<f64>();
        let grad = g
            .iter()
            .zip(&p)
            .zip(log_p)
            .map(|((gi, pi), lp)| (-gi / total_weight + 2.0 * penalizer * pi) * pi + 2.0 * ridge * lp)
            .collect();
        (value, grad)
    };
    let objective: Objective<'_> = &objective;
    let start = vec![0.1; names.len()];
    let opt = minimize(objective, &start, max_iterations);
    let scaled: Vec<f64> = opt.log_params.iter().map(|v| v.exp_p()).collect();
    let params = natural(&scaled);
    let (log_likelihood, _) = loglik_natural(&params);
    let mut problems = Vec::new();
    if !log_likelihood.is_finite() || params.iter().any(|v| !v.is_finite()) {
        problems.push("the likelihood could not be evaluated at the estimate".to_string());
    }
    for (i, ((name, lp), value)) in names.iter().zip(&opt.log_params).zip(&params).enumerate() {
        if lp.abs() > EDGE_LOG_PARAM {
            let side = if *lp < 0.0 {
                "towards 0"
            } else {
                "towards infinity"
            };
            let hint = hints.get(i).copied().unwrap_or("");
            problems.push(format!("parameter {name} ran {side} ({value:.3e}): {hint}"));
        }
    }
    if !opt.converged {
        problems.push(format!(
            "the optimizer did not settle within its iteration budget (gradient {:.1e})",
            opt.gradient_norm
        ));
    }
    if let Some(p) = extra_check(&params) {
        problems.push(p);
    }
    let gradient = |p: &[f64]| loglik_natural(p).1;
    let hessian = numeric_hessian(&gradient, &params);
    let negated: Vec<Vec<f64>> = hessian
        .iter()
        .map(|row| row.iter().map(|v| -v).collect())
        .collect();
    let std_errors = spd_inverse(&negated).map(|cov| {
        (0..names.len())
            .map(|i| {
                cov.get(i)
                    .and_then(|r| r.get(i))
                    .copied()
                    .unwrap_or(f64::NAN)
                    .sqrt()
            })
            .collect::<Vec<f64>>()
    });
    if std_errors.is_none() && penalizer == 0.0 && ridge == 0.0 {
        problems.push(
            "the likelihood is flat around the estimate (Hessian not positive definite), so the \
             parameters are not pinned down"
                .to_string(),
        );
    }
    Attempt {
        params,
        log_likelihood,
        std_errors,
        problems,
        iterations: opt.iterations,
    }
}

/// Fits plainly (with the user's penalizer), then with a growing ridge on the log-parameters
/// until the fit is sound; says what happened in words. The third value is the plain attempt
/// when a ridge was used (its last iterate), so the caller can measure what the ridge changed
/// and append that to the message.
fn fit_with_fallback(
    model: &str,
    penalizer: f64,
    attempt: &dyn Fn(f64) -> Attempt,
) -> (Attempt, FitStatus, Option<Attempt>) {
    let first = attempt(0.0);
    let mut iterations = first.iterations;
    if first.problems.is_empty() {
        let message = if penalizer > 0.0 {
            format!("{model} fitted with the requested penalizer {penalizer}; the optimizer converged.")
        } else {
            format!("{model} fitted by maximum likelihood; the estimate is a proper maximum.")
        };
        let status = FitStatus {
            ok: true,
            message,
            penalty_used: 0.0,
            iterations,
        };
        return (first, status, None);
    }
    let why = first.problems.join("; ");
    let mut last: Option<Attempt> = None;
    let mut last_ridge = 0.0;
    for ridge in FALLBACK_RIDGES {
        let next = attempt(ridge);
        iterations += next.iterations;
        let sound = next.problems.is_empty();
        last_ridge = ridge;
        if sound {
            let status = FitStatus {
                ok: true,
                message: format!(
                    "{model}: the plain fit could not be trusted ({why}). Refitted with a penalty \
                     ({ridge}) that keeps the parameters away from the edge, so the figures are \
                     the penalty's as much as the data's."
                ),
                penalty_used: ridge,
                iterations,
            };
            return (next, status, Some(first));
        }
        last = Some(next);
    }
    let Some(last) = last else {
        unreachable!("FALLBACK_RIDGES is not empty");
    };
    let status = FitStatus {
        ok: false,
        message: format!(
            "{model}: the data does not pin the model down ({why}); even with a penalty of \
             {last_ridge} the fit is doubtful ({}). Treat its predictions as rough.",
            last.problems.join("; ")
        ),
        penalty_used: last_ridge,
        iterations,
    };
    (last, status, Some(first))
}

fn estimates(names: &[&str], values: &[f64], se: &Option<Vec<f64>>) -> Vec<ParamEstimate> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| ParamEstimate {
            name: name.to_string(),
            value: values.get(i).copied().unwrap_or(f64::NAN),
            std_error: se
                .as_ref()
                .and_then(|s| s.get(i).copied())
                .filter(|v| v.is_finite()),
        })
        .collect()
}

fn bg_from(v: &[f64]) -> BgNbd {
    let g = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    BgNbd {
        r: g(0),
        alpha: g(1),
        a: g(2),
        b: g(3),
    }
}

fn gg_from(v: &[f64]) -> GammaGamma {
    let g = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
    GammaGamma {
        p: g(0),
        q: g(1),
        gamma: g(2),
    }
}

/// Fits BG/NBD by maximum likelihood (log-scale parameters, time rescaled so the oldest
/// customer has T = 1 as lifetimes does, so penalties mean the same as there).
pub fn fit_bgnbd(x: &[f64], t_x: &[f64], t: &[f64], penalizer: f64, max_iterations: u64) -> BgNbdFit {
    let max_t = t.iter().copied().fold(0.0, f64::max);
    let scale = if max_t > 0.0 { 1.0 / max_t } else { 1.0 };
    let scaled = BgNbdData::new(x, t_x, t, scale);
    let original = BgNbdData::new(x, t_x, t, 1.0);
    let names = ["r", "alpha", "a", "b"];
    let rates = "the data cannot tell how purchase rates differ between customers";
    let dropout = "the data cannot tell how quickly customers stop buying";
    let hints = [rates, rates, dropout, dropout];
    let loglik = |p: &[f64]| {
        let (ll, g) = scaled.log_likelihood_and_gradient(&bg_from(p));
        (ll, g.to_vec())
    };
    let loglik_natural = |p: &[f64]| {
        let (ll, g) = original.log_likelihood_and_gradient(&bg_from(p));
        (ll, g.to_vec())
    };
    let natural = |p: &[f64]| {
        let mut v = p.to_vec();
        if let Some(alpha) = v.get_mut(1) {
            *alpha /= scale;
        }
        v
    };
    let no_extra = |_: &[f64]| None;
    let attempt = |ridge: f64| {
        fit_attempt(
            &names,
            &hints,
            &loglik,
            scaled.total_weight,
            &natural,
            &loglik_natural,
            penalizer,
            ridge,
            max_iterations,
            &no_extra,
        )
    };
    let (best, mut fit_status, plain) = fit_with_fallback("BG/NBD", penalizer, &attempt);
    let params = bg_from(&best.params);
    let unpenalised = plain
        .map(|a| bg_from(&a.params))
        .filter(|p| [p.r, p.alpha, p.a, p.b].iter().all(|v| v.is_finite() && *v > 0.0));
    let p_alive_shift = unpenalised.and_then(|plain| PAliveShift::between(&params, &plain, x, t_x, t));
    if fit_status.penalty_used > 0.0 {
        fit_status.message.push(' ');
        fit_status.message.push_str(&match p_alive_shift {
            Some(s) => format!(
                "Against the plain fit's last estimate, the penalty moves P(alive) by up to {:.2} \
                 ({:.3} on average) over the {} customers, so read P(alive) and expected purchases \
                 as approximate.",
                s.max,
                s.mean,
                x.len()
            ),
            None => "The plain fit did not reach finite parameters, so how far the penalty moved \
                     P(alive) cannot be measured; read P(alive) and expected purchases as approximate."
                .to_string(),
        });
    }
    BgNbdFit {
        params,
        estimates: estimates(&names, &best.params, &best.std_errors),
        log_likelihood: best.log_likelihood,
        customers: x.len(),
        repeat_buyers: x.iter().filter(|&&v| v > 0.0).count(),
        fit_status,
        unpenalised,
        p_alive_shift,
    }
}

/// Fits Gamma-Gamma on repeat buyers (`x` > 0, `mean_spend` > 0; others must be filtered out).
pub fn fit_gamma_gamma(x: &[f64], mean_spend: &[f64], penalizer: f64, max_iterations: u64) -> GammaGammaFit {
    let data = GammaGammaData::new(x, mean_spend);
    let names = ["p", "q", "gamma"];
    let hint = "spend per purchase varies in a way the model cannot capture";
    let hints = [hint, hint, hint];
    let loglik = |p: &[f64]| {
        let (ll, g) = data.log_likelihood_and_gradient(&gg_from(p));
        (ll, g.to_vec())
    };
    let natural = |p: &[f64]| p.to_vec();
    let q_check = |p: &[f64]| {
        (p.get(1).copied().unwrap_or(0.0) <= 1.0)
            .then(|| "q ≤ 1, which would make the average spend infinite".to_string())
    };
    let attempt = |ridge: f64| {
        fit_attempt(
            &names,
            &hints,
            &loglik,
            data.total_weight,
            &natural,
            &loglik,
            penalizer,
            ridge,
            max_iterations,
            &q_check,
        )
    };
    let (best, mut fit_status, plain) = fit_with_fallback("Gamma-Gamma", penalizer, &attempt);
    let params = gg_from(&best.params);
    let plain_mean = plain.as_ref().map(|p| gg_from(&p.params).population_mean());
    if let Some(before) = plain_mean {
        fit_status.message.push(' ');
        fit_status.message.push_str(&if before.is_finite() {
            format!(
                "The penalty moves the average spend per purchase from {before:.2} (plain fit) to \
                 {:.2}, so read expected spend and CLV as approximate.",
                params.population_mean()
            )
        } else {
            format!(
                "The plain fit gave no finite average spend per purchase; with the penalty it is \
                 {:.2}, so read expected spend and CLV as approximate.",
                params.population_mean()
            )
        });
    }
    GammaGammaFit {
        params,
        estimates: estimates(&names, &best.params, &best.std_errors),
        log_likelihood: best.log_likelihood,
        customers: x.len(),
        excluded_zero_spend: 0,
        population_mean_spend: params.population_mean(),
        frequency_spend_correlation: pearson(x, mean_spend),
        fit_status,
        unpenalised_mean_spend: plain_mean.filter(|m| m.is_finite()),
    }
}

/// Pearson correlation; 0 when either side is constant.
fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let ma = a.iter().sum::<f64>() / n;
    let mb = b.iter().sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa > 0.0 && sbb > 0.0 {
        sab / (saa * sbb).sqrt()
    } else {
        0.0
    }
}

/// Discounted CLV of one customer and their expected purchases over the whole horizon:
/// Σ_{m=1..months} margin × spend × (E[Y(m·f)] − E[Y((m−1)·f)]) / (1 + d)^m with f the time
/// units per month (lifetimes `_customer_lifetime_value`).
#[allow(clippy::too_many_arguments)]
pub fn customer_lifetime_value(
    model: &BgNbd,
    x: f64,
    t_x: f64,
    age: f64,
    spend: f64,
    months: u32,
    discount_rate: f64,
    margin: f64,
    unit: TimeUnit,
) -> (f64, f64) {
    let f = unit.per_month();
    let mut previous = 0.0;
    let mut clv = 0.0;
    for m in 1..=months {
        let e = model.conditional_expected_purchases(m as f64 * f, x, t_x, age);
        clv += margin * spend * (e - previous) / (1.0 + discount_rate).powi(m as i32);
        previous = e;
    }
    (clv, previous)
}

fn frequency_label(n: usize) -> String {
    if n >= 7 {
        "7+".to_string()
    } else {
        n.to_string()
    }
}

/// Nearest-rank quantile of finite values.
fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

fn histogram(values: &[f64]) -> Histogram {
    let top = quantile(values, 0.99);
    let top = if top > 0.0 { top } else { 1.0 };
    let width = top / HISTOGRAM_BINS as f64;
    let edges = (0..=HISTOGRAM_BINS).map(|i| i as f64 * width).collect();
    let mut counts = vec![0u64; HISTOGRAM_BINS];
    let mut overflow = 0;
    for &v in values {
        if v.is_nan() || v > top {
            overflow += 1;
        } else {
            let bin = ((v.max(0.0) / width) as usize).min(HISTOGRAM_BINS - 1);
            counts[bin] += 1;
        }
    }
    Histogram {
        edges,
        counts,
        overflow,
    }
}

/// Fits BG/NBD (and Gamma-Gamma when the file has amounts) and predicts, per customer row of
/// `customers`, purchases, P(alive), spend and CLV over the horizon.
///
/// The models are fitted on purchases up to `params.calibration_end` when given (else up to the
/// day before `customers.as_of`); the predictions use each customer's full history up to the day
/// before `as_of` with those parameters, and the holdout table checks the calibration fit
/// against the purchases after `calibration_end`.
///
/// ```
/// use clientele::clv::{fit, ClvParams};
/// use clientele::customers::summarize;
/// use clientele::ingest::Transactions;
///
/// // Three customers; "a" and "b" came back on other days.
/// let tx = Transactions {
///     customer_ids: vec!["a".into(), "b".into(), "c".into()],
///     customer: vec![0, 1, 0, 2, 1, 0],
///     day: vec![10_000, 10_003, 10_020, 10_030, 10_050, 10_090],
///     amount: vec![20.0, 35.0, 25.0, 10.0, 40.0, 30.0],
///     has_amount: true,
///     ..Default::default()
/// };
/// let customers = summarize(&tx, None)?;
/// let report = fit(&tx, &customers, &ClvParams::default())?;
/// assert_eq!(report.p_alive.len(), 3);
/// assert!(report.expected_purchases.iter().all(|e| e.is_finite()));
/// println!("{}", report.bgnbd.fit_status.message);
/// # Ok::<(), clientele::Error>(())
/// ```
pub fn fit(tx: &Transactions, customers: &Customers, params: &ClvParams) -> Result<ClvReport, Error> {
    params.check()?;
    if customers.is_empty() {
        return Err(Error::data(ANALYSIS, "there are no customers to model"));
    }
    if tx.day.len() != tx.customer.len() || (tx.has_amount && tx.amount.len() != tx.customer.len()) {
        return Err(Error::data(
            ANALYSIS,
            "the transaction columns have different lengths",
        ));
    }
    let rows: Vec<usize> = customers.tx_customer.iter().map(|&c| c as usize).collect();
    if rows.iter().any(|&c| c >= tx.customer_ids.len()) || rows.len() != customers.len() {
        return Err(Error::data(
            ANALYSIS,
            "the customer table does not belong to these transactions",
        ));
    }
    let unit = params.time_unit;
    let as_of_day = date_to_day(customers.as_of);
    let observation_end = as_of_day - 1;
    let full = repeat_summary(tx, observation_end, unit);

    let calibration_day = match params.calibration_end {
        Some(date) => {
            let day = date_to_day(date);
            if day >= observation_end {
                return Err(Error::param(
                    "calibration_end",
                    format!(
                        "must be before the last day of data ({}) so that there is a holdout period",
                        day_to_date(observation_end)
                    ),
                ));
            }
            Some(day)
        }
        None => None,
    };
    let window = match calibration_day {
        Some(day) => repeat_summary(tx, day, unit),
        None => full.clone(),
    };
    // The fitted customers, in Customers row order.
    let fit_rows: Vec<usize> = rows.iter().copied().filter(|&c| window.present[c]).collect();
    if fit_rows.len() < 2 {
        return Err(if calibration_day.is_some() {
            Error::param(
                "calibration_end",
                "fewer than two customers had bought by the calibration end; choose a later date",
            )
        } else {
            Error::data(ANALYSIS, "the model needs at least two customers")
        });
    }
    let pick = |v: &[f64]| fit_rows.iter().map(|&c| v[c]).collect::<Vec<f64>>();
    let (fx, ftx, ft) = (pick(&window.x), pick(&window.t_x), pick(&window.t));
    if !fx.iter().any(|&x| x > 0.0) {
        return Err(Error::data(
            ANALYSIS,
            "no customer bought on two different days in the fitted period; the purchase model \
             needs repeat customers",
        ));
    }
    if !ft.iter().any(|&t| t > 0.0) {
        return Err(Error::data(
            ANALYSIS,
            "every customer first bought on the last day of the fitted period; there is no \
             history to learn from",
        ));
    }
    let bgnbd = fit_bgnbd(&fx, &ftx, &ft, params.penalizer, params.max_iterations);
    let model = bgnbd.params;
    let mut warnings = Vec::new();

    // Spend model.
    let (gamma_gamma, gamma_gamma_message) = if !tx.has_amount {
        (
            None,
            Some(
                "The file has no amounts, so spend per purchase and lifetime value cannot be \
                 estimated; the purchase predictions (BG/NBD) are still shown."
                    .to_string(),
            ),
        )
    } else {
        let fm = pick(&window.mean_spend);
        let repeat: Vec<usize> = (0..fx.len()).filter(|&i| fx[i] > 0.0).collect();
        let used: Vec<usize> = repeat.iter().copied().filter(|&i| fm[i] > 0.0).collect();
        let excluded = repeat.len() - used.len();
        if used.len() < 10 {
            (
                None,
                Some(format!(
                    "Only {} repeat buyers with a positive spend: too few to model spend per \
                     purchase, so lifetime value is not estimated.",
                    used.len()
                )),
            )
        } else {
            let gx: Vec<f64> = used.iter().map(|&i| fx[i]).collect();
            let gm: Vec<f64> = used.iter().map(|&i| fm[i]).collect();
            let mut gg = fit_gamma_gamma(&gx, &gm, params.penalizer, params.max_iterations);
            gg.excluded_zero_spend = excluded;
            if gg.frequency_spend_correlation.abs() > CORRELATION_WARNING {
                let r = gg.frequency_spend_correlation;
                warnings.push(
                    Warning::new(
                        "clv_spend_frequency_correlation",
                        format!(
                            "Spend per purchase is correlated with how often customers buy \
                             (r = {r:.2}) while the Gamma-Gamma model assumes they are \
                             independent, so expected spend and clv may be biased; rank customers \
                             by expected purchases if in doubt."
                        ),
                    )
                    .with_param("correlation", r)
                    .on_columns(&["expected_spend", "clv"]),
                );
            }
            if gg.population_mean_spend.is_finite() {
                (Some(gg), None)
            } else {
                let message = format!(
                    "The spend model did not give a finite average spend ({}); lifetime value is \
                     not estimated.",
                    gg.fit_status.message
                );
                (Some(gg), Some(message))
            }
        }
    };
    let spend_model = gamma_gamma
        .as_ref()
        .filter(|g| g.population_mean_spend.is_finite())
        .map(|g| g.params);

    // Per-customer predictions from the full history.
    let horizon_periods = params.horizon_months as f64 * unit.per_month();
    let n = rows.len();
    let mut expected_purchases = Vec::with_capacity(n);
    let mut p_alive = Vec::with_capacity(n);
    let mut expected_spend = spend_model.map(|_| Vec::with_capacity(n));
    let mut clv = spend_model.map(|_| Vec::with_capacity(n));
    for &c in &rows {
        let (x, t_x, age) = (full.x[c], full.t_x[c], full.t[c]);
        p_alive.push(model.p_alive(x, t_x, age));
        match (&spend_model, &mut expected_spend, &mut clv) {
            (Some(gg), Some(spend), Some(values)) => {
                let s = gg.conditional_expected_spend(x, full.mean_spend[c]);
                let (v, e) = customer_lifetime_value(
                    &model,
                    x,
                    t_x,
                    age,
                    s,
                    params.horizon_months,
                    params.discount_rate,
                    params.margin,
                    unit,
                );
                spend.push(s);
                values.push(v);
                expected_purchases.push(e);
            }
            _ => expected_purchases.push(model.conditional_expected_purchases(horizon_periods, x, t_x, age)),
        }
    }

    let frequency_recency = frequency_recency_matrix(&model, &fx, &ft, horizon_periods);
    let repeat_purchase_fit = repeat_purchase_fit(&model, &fx, &ft);
    let calibration_holdout = calibration_day.map(|cal| {
        let holdout = purchase_days_between(tx, cal, observation_end);
        let duration = (observation_end - cal) as f64 / unit.days();
        let mut sums = [(0u64, 0.0f64, 0.0f64); 8];
        for (i, &c) in fit_rows.iter().enumerate() {
            let k = (fx[i] as usize).min(7);
            let predicted = model.conditional_expected_purchases(duration, fx[i], ftx[i], ft[i]);
            sums[k].0 += 1;
            sums[k].1 += holdout[c];
            sums[k].2 += predicted;
        }
        CalibrationHoldout {
            calibration_end: day_to_date(cal),
            holdout_end: day_to_date(observation_end),
            duration,
            rows: sums
                .iter()
                .enumerate()
                .filter(|(_, s)| s.0 > 0)
                .map(|(k, s)| HoldoutRow {
                    calibration_frequency: frequency_label(k),
                    customers: s.0,
                    actual: s.1 / s.0 as f64,
                    predicted: s.2 / s.0 as f64,
                })
                .collect(),
        }
    });

    let (values, measure) = if tx.has_amount {
        (customers.monetary.clone(), "total spend")
    } else {
        (
            customers.frequency.iter().map(|&f| f as f64).collect(),
            "number of purchases",
        )
    };
    let value_threshold = quantile(&values, 0.75);
    let mut gone: Vec<LikelyGoneCustomer> = (0..n)
        .filter(|&i| values.get(i).is_some_and(|&v| v >= value_threshold) && p_alive[i] < 0.5)
        .map(|i| LikelyGoneCustomer {
            row: i,
            id: customers.id.get(i).cloned().unwrap_or_default(),
            value: values.get(i).copied().unwrap_or(0.0),
            p_alive: p_alive[i],
        })
        .collect();
    gone.sort_by(|a, b| b.value.total_cmp(&a.value).then(a.row.cmp(&b.row)));
    let total = gone.len();
    gone.truncate(LIKELY_GONE_CAP);
    let likely_gone = LikelyGone {
        rule: format!(
            "{measure} in the top quarter (at least {value_threshold:.2}) and probability of still \
             being a customer below 0.5; most valuable first, at most {LIKELY_GONE_CAP} listed"
        ),
        value_threshold,
        total,
        customers: gone,
    };

    let mut leading = Vec::new();
    if !tx.has_amount {
        leading.push(
            Warning::new(
                "clv_no_spend",
                "The file has no amount column, so spend per purchase and clv cannot be \
                 estimated and are left empty (not 0); expected_purchases and p_alive still \
                 apply, and a file with amounts gives lifetime value in money.",
            )
            .on_columns(&["clv"]),
        );
    }
    let first_day = rows
        .iter()
        .filter(|&&c| full.present[c])
        .map(|&c| observation_end as f64 - full.t[c] * unit.days())
        .fold(f64::INFINITY, f64::min);
    let history_days = (as_of_day as f64 - first_day).round().max(0.0);
    let horizon_days = (horizon_periods * unit.days()).round();
    if history_days.is_finite() && horizon_days > history_days {
        let observed = if history_days < 60.0 {
            format!("{history_days:.0} days")
        } else {
            format!("{history_days:.0} days (about {:.0} months)", history_days / 30.4)
        };
        let months = (history_days / 30.4).floor() as u32;
        let advice = if months >= 1 {
            format!("choose a horizon of at most {months} months (clv.horizon_months) or use a file with more history")
        } else {
            "use a file with more history".to_string()
        };
        let mut columns = vec!["expected_purchases"];
        if clv.is_some() {
            columns.push("clv");
        }
        leading.push(
            Warning::new(
                "clv_horizon_beyond_history",
                format!(
                    "Expected purchases{} are projected {} months ahead from only {observed} of \
                     purchases, so they extrapolate beyond anything the file shows; {advice}.",
                    if clv.is_some() { " and clv" } else { "" },
                    params.horizon_months
                ),
            )
            .with_param("horizon_days", horizon_days)
            .with_param("history_days", history_days)
            .with_param("horizon_months", params.horizon_months)
            .on_columns(&columns),
        );
    }
    if bgnbd.fit_status.penalty_used > 0.0 {
        // Measured on the reported column: each customer's P(alive) under the plain fit's last
        // estimate against the penalised one, from the full history.
        let (x, t_x, age): (Vec<f64>, Vec<f64>, Vec<f64>) = (
            rows.iter().map(|&c| full.x[c]).collect(),
            rows.iter().map(|&c| full.t_x[c]).collect(),
            rows.iter().map(|&c| full.t[c]).collect(),
        );
        let shift = bgnbd
            .unpenalised
            .and_then(|plain| PAliveShift::between(&model, &plain, &x, &t_x, &age));
        let penalty = bgnbd.fit_status.penalty_used;
        let mut columns = vec!["p_alive", "expected_purchases"];
        if clv.is_some() {
            columns.push("clv");
        }
        let warning = match shift {
            Some(s) => Warning::new(
                "clv_penalised_fit",
                format!(
                    "The purchase model (BG/NBD) could not be fitted plainly and was refitted with a \
                     penalty ({penalty}), which moves p_alive by up to {:.2} ({:.3} on average over \
                     the {n} customers) from the plain fit's last estimate, so read p_alive, \
                     expected_purchases and clv as approximate and prefer a longer history or \
                     calibration period.",
                    s.max, s.mean
                ),
            )
            .with_param("max_p_alive_shift", s.max)
            .with_param("mean_p_alive_shift", s.mean),
            None => Warning::new(
                "clv_penalised_fit",
                format!(
                    "The purchase model (BG/NBD) did not converge to finite parameters without a \
                     penalty and was refitted with one ({penalty}), so how far p_alive moved cannot \
                     be measured; read p_alive, expected_purchases and clv as approximate."
                ),
            )
            .with_param("converged", false),
        };
        leading.push(
            warning
                .with_param("penalty", penalty)
                .with_param("model", "bgnbd")
                .on_columns(&columns),
        );
    }
    if let Some(gg) = gamma_gamma.as_ref().filter(|g| g.fit_status.penalty_used > 0.0) {
        let before = match gg.unpenalised_mean_spend {
            Some(m) => format!("{m:.2} without it"),
            None => "no finite value without it".to_string(),
        };
        let mut w = Warning::new(
            "clv_penalised_fit",
            format!(
                "The spend model (Gamma-Gamma) could not be fitted plainly and was refitted with a \
                 penalty ({}), which puts the average spend per purchase at {:.2} against {before}, \
                 so read expected_spend and clv as approximate.",
                gg.fit_status.penalty_used, gg.population_mean_spend
            ),
        );
        if let Some(m) = gg.unpenalised_mean_spend {
            w = w.with_param("unpenalised_mean_spend", m);
        }
        leading.push(
            w.with_param("mean_spend", gg.population_mean_spend)
                .with_param("penalty", gg.fit_status.penalty_used)
                .with_param("model", "gamma_gamma")
                .on_columns(&["expected_spend", "clv"]),
        );
    }
    leading.append(&mut warnings);
    let warnings = leading;

    let total_expected_purchases = expected_purchases.iter().sum();
    let total_clv = clv.as_ref().map(|v| v.iter().sum());
    let clv_histogram = clv.as_deref().map(histogram);
    Ok(ClvReport {
        time_unit: unit,
        as_of: customers.as_of,
        observation_end: day_to_date(observation_end),
        calibration_end: params.calibration_end,
        horizon_months: params.horizon_months,
        horizon_periods,
        discount_rate: params.discount_rate,
        margin: params.margin,
        bgnbd,
        gamma_gamma,
        gamma_gamma_message,
        repeat_purchases: rows.iter().map(|&c| full.x[c]).collect(),
        recency: rows.iter().map(|&c| full.t_x[c]).collect(),
        age: rows.iter().map(|&c| full.t[c]).collect(),
        expected_purchases,
        p_alive,
        expected_spend,
        clv,
        total_expected_purchases,
        total_clv,
        frequency_recency,
        repeat_purchase_fit,
        calibration_holdout,
        clv_histogram,
        likely_gone,
        warnings,
    })
}

fn frequency_recency_matrix(model: &BgNbd, x: &[f64], t: &[f64], period: f64) -> FrequencyRecencyMatrix {
    let max_x = x.iter().copied().fold(0.0, f64::max) as usize;
    let age = t.iter().copied().fold(0.0, f64::max);
    let frequency: Vec<u32> = (0..=max_x.min(GRID_MAX)).map(|f| f as u32).collect();
    let recency: Vec<f64> = (0..=GRID_MAX).map(|j| age * j as f64 / GRID_MAX as f64).collect();
    let mut expected_purchases = Vec::with_capacity(frequency.len());
    let mut p_alive = Vec::with_capacity(frequency.len());
    for &f in &frequency {
        let f = f as f64;
        expected_purchases.push(
            recency
                .iter()
                .map(|&r| model.conditional_expected_purchases(period, f, r, age))
                .collect(),
        );
        p_alive.push(recency.iter().map(|&r| model.p_alive(f, r, age)).collect());
    }
    FrequencyRecencyMatrix {
        frequency,
        recency,
        age,
        period,
        expected_purchases,
        p_alive,
        frequency_capped: max_x > GRID_MAX,
    }
}

fn repeat_purchase_fit(model: &BgNbd, x: &[f64], t: &[f64]) -> Vec<RepeatPurchaseRow> {
    let mut actual = [0u64; 8];
    for &v in x {
        actual[(v as usize).min(7)] += 1;
    }
    // P(X(T) = n) depends on T only: evaluate once per distinct age.
    let mut ages: Vec<f64> = t.to_vec();
    ages.sort_by(f64::total_cmp);
    let mut expected = [0.0f64; 8];
    let mut i = 0;
    while i < ages.len() {
        let mut j = i;
        while j < ages.len() && ages[j] == ages[i] {
            j += 1;
        }
        let count = (j - i) as f64;
        let mut below = 0.0;
        for (n, slot) in expected.iter_mut().enumerate().take(7) {
            let p = model.p_n_purchases(ages[i], n as u32);
            *slot += count * p;
            below += p;
        }
        expected[7] += count * (1.0 - below).max(0.0);
        i = j;
    }
    (0..8)
        .map(|k| RepeatPurchaseRow {
            repeat_purchases: frequency_label(k),
            actual: actual[k],
            expected: expected[k],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_check_names_the_option() {
        let bad = ClvParams {
            discount_rate: -0.1,
            ..Default::default()
        };
        assert!(matches!(
            bad.check(),
            Err(Error::InvalidParam {
                param: "discount_rate",
                ..
            })
        ));
        let bad = ClvParams {
            horizon_months: 0,
            ..Default::default()
        };
        assert!(matches!(
            bad.check(),
            Err(Error::InvalidParam {
                param: "horizon_months",
                ..
            })
        ));
        let bad = ClvParams {
            margin: f64::NAN,
            ..Default::default()
        };
        assert!(matches!(
            bad.check(),
            Err(Error::InvalidParam { param: "margin", .. })
        ));
        assert!(ClvParams::default().check().is_ok());
        let parsed: ClvParams = serde_json::from_str(r#"{"time_unit":"days"}"#).unwrap();
        assert_eq!(parsed.time_unit, TimeUnit::Days);
        assert_eq!(parsed.horizon_months, 12);
    }

    #[test]
    fn clv_without_discount_is_spend_times_purchases() {
        let m = BgNbd {
            r: 0.24,
            alpha: 4.4,
            a: 0.79,
            b: 2.4,
        };
        let (v, e) = customer_lifetime_value(&m, 2.0, 30.0, 39.0, 10.0, 12, 0.0, 0.5, TimeUnit::Weeks);
        assert!((v - 5.0 * e).abs() < 1e-9);
        let e52 = m.conditional_expected_purchases(12.0 * 4.345, 2.0, 30.0, 39.0);
        assert!((e - e52).abs() < 1e-12);
    }

    /// `n` customers over `span` days: customer i first buys on day i % 10 and comes back
    /// every 5 + i % 13 days; every third one stops after a third of the span.
    fn shop(n: u32, span: i32, has_amount: bool) -> Transactions {
        let mut tx = Transactions {
            has_amount,
            ..Default::default()
        };
        for i in 0..n {
            tx.customer_ids.push(format!("c{i}"));
            let stop = if i % 3 == 0 { span / 3 } else { span };
            let mut d = (i % 10) as i32;
            while d < stop {
                tx.customer.push(i);
                tx.day.push(20_000 + d);
                // Ingest fills 0 when the file has no amount column.
                tx.amount.push(if has_amount {
                    10.0 + f64::from(i % 7) * 2.5
                } else {
                    0.0
                });
                d += 5 + (i % 13) as i32;
            }
        }
        // The last day of data is the same whatever n.
        tx.customer.push(1);
        tx.day.push(20_000 + span - 1);
        tx.amount.push(if has_amount { 12.5 } else { 0.0 });
        tx
    }

    fn codes(r: &ClvReport) -> Vec<&str> {
        r.warnings.iter().map(|w| w.code.as_str()).collect()
    }

    #[test]
    fn twelve_months_from_four_is_named() {
        let tx = shop(60, 120, true);
        let customers = crate::customers::summarize(&tx, None).unwrap();
        let r = fit(&tx, &customers, &ClvParams::default()).unwrap();
        let w = r
            .warnings
            .iter()
            .find(|w| w.code == "clv_horizon_beyond_history")
            .unwrap_or_else(|| panic!("{:?}", r.warnings));
        assert_eq!(w.params["history_days"], 120.0);
        assert_eq!(w.params["horizon_days"], 365.0);
        assert_eq!(w.columns, ["expected_purchases", "clv"]);
        assert!(w.message.contains("at most 3 months"), "{}", w.message);

        // Nine days of data: no month fits, the advice is more history.
        let short = shop(60, 9, true);
        let customers = crate::customers::summarize(&short, None).unwrap();
        let params = ClvParams {
            time_unit: TimeUnit::Days,
            horizon_months: 1,
            ..Default::default()
        };
        let r = fit(&short, &customers, &params).unwrap();
        let w = r
            .warnings
            .iter()
            .find(|w| w.code == "clv_horizon_beyond_history")
            .unwrap_or_else(|| panic!("{:?}", r.warnings));
        assert_eq!(
            (
                w.params["history_days"].as_f64(),
                w.params["horizon_days"].as_f64()
            ),
            (Some(9.0), Some(30.0))
        );
        assert!(
            w.message.contains("9 days") && w.message.contains("more history"),
            "{}",
            w.message
        );

        // Three months ahead on four months of data: nothing to say.
        let params = ClvParams {
            horizon_months: 3,
            ..Default::default()
        };
        let customers = crate::customers::summarize(&tx, None).unwrap();
        let r = fit(&tx, &customers, &params).unwrap();
        assert!(
            !codes(&r).contains(&"clv_horizon_beyond_history"),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn no_amount_keeps_purchases_and_leaves_money_empty() {
        let tx = shop(60, 400, false);
        let customers = crate::customers::summarize(&tx, None).unwrap();
        let r = fit(&tx, &customers, &ClvParams::default()).unwrap();
        assert!(r.gamma_gamma.is_none() && r.expected_spend.is_none());
        assert!(r.clv.is_none() && r.total_clv.is_none() && r.clv_histogram.is_none());
        assert_eq!(r.p_alive.len(), 60);
        assert!(r.expected_purchases.iter().all(|e| e.is_finite() && *e >= 0.0));
        assert_eq!(codes(&r), ["clv_no_spend"]);
        assert_eq!(r.warnings[0].columns, ["clv"]);
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["clv"].is_null() && json["total_clv"].is_null());
        assert!(json["expected_purchases"].is_array());
    }

    #[test]
    fn p_alive_shift_is_measured() {
        let a = BgNbd {
            r: 0.24,
            alpha: 4.4,
            a: 0.79,
            b: 2.4,
        };
        let b = BgNbd { a: 0.2, ..a };
        let x = [0.0, 2.0, 5.0];
        let tx = [0.0, 30.0, 10.0];
        let t = [39.0, 39.0, 39.0];
        let s = PAliveShift::between(&a, &b, &x, &tx, &t).unwrap();
        let d: Vec<f64> = (0..3)
            .map(|i| (a.p_alive(x[i], tx[i], t[i]) - b.p_alive(x[i], tx[i], t[i])).abs())
            .collect();
        assert_eq!(d[0], 0.0);
        assert_eq!(s.max, d[1].max(d[2]));
        assert!((s.mean - (d[1] + d[2]) / 3.0).abs() < 1e-15);
        assert_eq!(PAliveShift::between(&a, &a, &x, &tx, &t).unwrap().max, 0.0);
        assert_eq!(PAliveShift::between(&a, &b, &[], &[], &[]), None);
    }

    #[test]
    fn penalised_spend_fit_states_the_average_before_and_after() {
        // Mean spends with a Pareto tail of index 1 (1/u): the plain Gamma-Gamma fit runs p to
        // infinity (6.7e6), so the fallback is used; the average spend hardly moves (22.70 →
        // 22.83) and the message says so instead of a vague "shrunk".
        let n = 200;
        let x: Vec<f64> = (0..n).map(|i| 1.0 + (i % 4) as f64).collect();
        let m: Vec<f64> = (0..n).map(|i| 5.0 / ((i as f64 + 0.5) / n as f64)).collect();
        let gg = fit_gamma_gamma(&x, &m, 0.0, 500);
        eprintln!(
            "{:?} {:?} {:?}",
            gg.params, gg.fit_status, gg.unpenalised_mean_spend
        );
        assert!(gg.fit_status.penalty_used > 0.0, "{:?}", gg.fit_status);
        assert!(!gg.fit_status.message.contains("shrunk slightly"));
        let before = gg.unpenalised_mean_spend.unwrap();
        let message = &gg.fit_status.message;
        assert!(
            message.contains(&format!(
                "from {before:.2} (plain fit) to {:.2}",
                gg.population_mean_spend
            )),
            "{message}"
        );
    }

    #[test]
    fn histogram_counts_everything() {
        let h = histogram(&[0.0, 1.0, 2.0, 3.0, 100.0]);
        assert_eq!(h.counts.iter().sum::<u64>() + h.overflow, 5);
    }
}
