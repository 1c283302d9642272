//! Maximum-likelihood fits of the purchase models and Gamma-Gamma, and their diagnosis: each fit runs on a log scale
//! ([`super::optimize`]), is checked (parameters at the edge, no convergence, a flat likelihood),
//! and falls back to a growing ridge with the reason in words ([`FitStatus`]).

use super::bgnbd::Patterns;
use super::gamma_gamma::GammaGammaData;
use super::math::Portable;
use super::optimize::{minimize, numeric_hessian, Objective, ValueGradient};
use super::{
    message, BgNbd, BgNbdFit, FitStatus, GammaGamma, GammaGammaFit, PAliveShift, ParamEstimate, PurchaseFit,
    PurchaseModel, PurchaseModelKind,
};
use crate::numerics::spd_inverse;
use crate::warning::Warning;

/// Ridges on the log-parameters tried, in order, after a fit fails.
const FALLBACK_RIDGES: [f64; 4] = [0.001, 0.01, 0.1, 1.0];
/// |log parameter| beyond which (in lifetimes' rescaled time) a parameter has run to the edge.
const EDGE_LOG_PARAM: f64 = 15.0;

/// One fit attempt's outcome before it is turned into report types.
struct Attempt {
    params: Vec<f64>,
    log_likelihood: f64,
    std_errors: Option<Vec<f64>>,
    /// Inverse of the negated Hessian of the unpenalized log-likelihood at the estimate.
    covariance: Option<Vec<Vec<f64>>>,
    /// What makes the estimate untrustworthy, each a coded part (`fit_problem_*`, English
    /// sentence in `message`); empty for a sound fit.
    problems: Vec<Warning>,
    iterations: u64,
}

/// Why a parameter may run to an edge, in words: a code (`hint` of `fit_problem_edge`) and
/// its English sentence.
type Hint = (&'static str, &'static str);

/// Fits a model on the log scale with the given penalty and diagnoses the result.
///
/// `loglik` is the total log-likelihood and gradient in natural parameters on rescaled data;
/// `natural` maps rescaled parameters to reported ones; `loglik_natural` evaluates the reported
/// ones on the original data (for the LL and the Hessian).
#[allow(clippy::too_many_arguments)]
fn fit_attempt(
    names: &[&str],
    hints: &[Hint],
    loglik: &dyn Fn(&[f64]) -> ValueGradient,
    total_weight: f64,
    natural: &dyn Fn(&[f64]) -> Vec<f64>,
    loglik_natural: &dyn Fn(&[f64]) -> ValueGradient,
    penalizer: f64,
    ridge: f64,
    max_iterations: u64,
    extra_check: &dyn Fn(&[f64]) -> Option<Warning>,
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
        problems.push(message(
            "fit_problem_not_evaluable",
            "the likelihood could not be evaluated at the estimate",
        ));
    }
    for (i, ((name, lp), value)) in names.iter().zip(&opt.log_params).zip(&params).enumerate() {
        if lp.abs() > EDGE_LOG_PARAM {
            let (side, towards) = if *lp < 0.0 {
                ("zero", "towards 0")
            } else {
                ("infinity", "towards infinity")
            };
            let (hint_code, hint) = hints.get(i).copied().unwrap_or(("", ""));
            problems.push(
                message(
                    "fit_problem_edge",
                    format!("parameter {name} ran {towards} ({value:.3e}): {hint}"),
                )
                .with_param("parameter", *name)
                .with_param("side", side)
                .with_param("value", format!("{value:.3e}"))
                .with_param("hint", hint_code),
            );
        }
    }
    if !opt.converged {
        problems.push(
            message(
                "fit_problem_not_settled",
                format!(
                    "the optimizer did not settle within its iteration budget (gradient {:.1e})",
                    opt.gradient_norm
                ),
            )
            .with_param("gradient", format!("{:.1e}", opt.gradient_norm)),
        );
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
    let covariance = spd_inverse(&negated);
    let std_errors = covariance.as_ref().map(|cov| {
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
        problems.push(message(
            "fit_problem_flat",
            "the likelihood is flat around the estimate (Hessian not positive definite), so the \
             parameters are not pinned down",
        ));
    }
    Attempt {
        params,
        log_likelihood,
        std_errors,
        covariance,
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
        let coded = if penalizer > 0.0 {
            message(
                "fit_requested_penalty",
                format!("{model} fitted with the requested penalizer {penalizer}; the optimizer converged."),
            )
            .with_param("penalizer", penalizer)
        } else {
            message(
                "fit_plain",
                format!("{model} fitted by maximum likelihood; the estimate is a proper maximum."),
            )
        }
        .with_param("model", model);
        let status = FitStatus {
            ok: true,
            message: coded.message.clone(),
            coded: vec![coded],
            penalty_used: 0.0,
            iterations,
        };
        return (first, status, None);
    }
    let why = english(&first.problems);
    let mut last: Option<Attempt> = None;
    let mut last_ridge = 0.0;
    for ridge in FALLBACK_RIDGES {
        let next = attempt(ridge);
        iterations += next.iterations;
        let sound = next.problems.is_empty();
        last_ridge = ridge;
        if sound {
            let coded = message(
                "fit_penalised",
                format!(
                    "{model}: the plain fit could not be trusted ({why}). Refitted with a penalty \
                     ({ridge}) that keeps the parameters away from the edge, so the figures are \
                     the penalty's as much as the data's."
                ),
            )
            .with_param("model", model)
            .with_param("penalty", ridge);
            let status = FitStatus {
                ok: true,
                message: coded.message.clone(),
                coded: with_problems(coded, &first.problems, &[]),
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
    let coded = message(
        "fit_doubtful",
        format!(
            "{model}: the data does not pin the model down ({why}); even with a penalty of \
             {last_ridge} the fit is doubtful ({}). Treat its predictions as rough.",
            english(&last.problems)
        ),
    )
    .with_param("model", model)
    .with_param("penalty", last_ridge);
    let status = FitStatus {
        ok: false,
        message: coded.message.clone(),
        coded: with_problems(coded, &first.problems, &last.problems),
        penalty_used: last_ridge,
        iterations,
    };
    (last, status, Some(first))
}

/// The problems' English sentences, as the outcome's sentence lists them.
fn english(problems: &[Warning]) -> String {
    problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The coded parts of a fit that needed a penalty: the outcome, then the plain fit's problems,
/// then those of the last penalised attempt that the plain fit did not have.
fn with_problems(outcome: Warning, plain: &[Warning], last: &[Warning]) -> Vec<Warning> {
    let mut parts = vec![outcome];
    parts.extend(plain.iter().cloned());
    parts.extend(last.iter().filter(|p| !plain.contains(p)).cloned());
    parts
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
    BgNbdFit::from(fit_purchase_model(
        PurchaseModelKind::Bgnbd,
        x,
        t_x,
        t,
        penalizer,
        max_iterations,
    ))
}

impl From<PurchaseFit> for BgNbdFit {
    /// The BG/NBD view of a purchase fit (NaN parameters if it is another model's).
    fn from(fit: PurchaseFit) -> BgNbdFit {
        let as_bg = |m: &PurchaseModel| match *m {
            PurchaseModel::Bgnbd(p) => Some(p),
            _ => None,
        };
        let nan = BgNbd {
            r: f64::NAN,
            alpha: f64::NAN,
            a: f64::NAN,
            b: f64::NAN,
        };
        BgNbdFit {
            params: as_bg(&fit.params).unwrap_or(nan),
            estimates: fit.estimates,
            log_likelihood: fit.log_likelihood,
            customers: fit.customers,
            repeat_buyers: fit.repeat_buyers,
            fit_status: fit.fit_status,
            unpenalised: fit.unpenalised.as_ref().and_then(as_bg),
            p_alive_shift: fit.p_alive_shift,
        }
    }
}

/// Fits one purchase model by maximum likelihood on the customers' distinct (x, t_x, T)
/// patterns (log-scale parameters, time rescaled so the oldest customer has T = 1 as lifetimes
/// does), with standard errors, the parameters' covariance, and the ridge fallback.
pub fn fit_purchase_model(
    kind: PurchaseModelKind,
    x: &[f64],
    t_x: &[f64],
    t: &[f64],
    penalizer: f64,
    max_iterations: u64,
) -> PurchaseFit {
    let max_t = t.iter().copied().fold(0.0, f64::max);
    let scale = if max_t > 0.0 { 1.0 / max_t } else { 1.0 };
    let scaled = Patterns::new(x, t_x, t, scale);
    let original = Patterns::new(x, t_x, t, 1.0);
    let names = kind.parameter_names();
    let rates = (
        "rates",
        "the data cannot tell how purchase rates differ between customers",
    );
    let dropout = (
        "dropout",
        "the data cannot tell how quickly customers stop buying",
    );
    let hints = [rates, rates, dropout, dropout];
    let eval = |data: &Patterns, p: &[f64]| {
        let (ll, g) = data.model_log_likelihood_and_gradient(&PurchaseModel::from_slice(kind, p));
        (ll, g.to_vec())
    };
    let loglik = |p: &[f64]| eval(&scaled, p);
    let loglik_natural = |p: &[f64]| eval(&original, p);
    let natural = |p: &[f64]| {
        let mut v = p.to_vec();
        for &i in kind.time_parameters() {
            if let Some(rate) = v.get_mut(i) {
                *rate /= scale;
            }
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
    let (best, mut fit_status, plain) = fit_with_fallback(kind.label(), penalizer, &attempt);
    let params = PurchaseModel::from_slice(kind, &best.params);
    let unpenalised = plain
        .map(|a| PurchaseModel::from_slice(kind, &a.params))
        .filter(|p| p.to_vec().iter().all(|v| v.is_finite() && *v > 0.0));
    let p_alive_shift = unpenalised.and_then(|plain| PAliveShift::between(&params, &plain, x, t_x, t));
    if fit_status.penalty_used > 0.0 {
        let part = match p_alive_shift {
            Some(s) => message(
                "fit_shift_measured",
                format!(
                    "Against the plain fit's last estimate, the penalty moves P(alive) by up to {:.2} \
                     ({:.3} on average) over the {} customers, so read P(alive) and expected purchases \
                     as approximate.",
                    s.max,
                    s.mean,
                    x.len()
                ),
            )
            .with_param("max", s.max)
            .with_param("mean", s.mean)
            .with_param("customers", x.len()),
            None => message(
                "fit_shift_unmeasured",
                "The plain fit did not reach finite parameters, so how far the penalty moved \
                 P(alive) cannot be measured; read P(alive) and expected purchases as approximate.",
            ),
        };
        fit_status.add(part);
    }
    let customers = x.len();
    PurchaseFit {
        model: kind,
        estimates: estimates(&names, &best.params, &best.std_errors),
        log_likelihood: best.log_likelihood,
        bic: -2.0 * best.log_likelihood + names.len() as f64 * (customers.max(1) as f64).ln_p(),
        customers,
        repeat_buyers: x.iter().filter(|&&v| v > 0.0).count(),
        fit_status,
        p_alive_shift,
        params,
        unpenalised,
        covariance: best.covariance,
        patterns: original.distinct(),
    }
}

/// Fits Gamma-Gamma on repeat buyers (`x` > 0, `mean_spend` > 0; others must be filtered out).
pub fn fit_gamma_gamma(x: &[f64], mean_spend: &[f64], penalizer: f64, max_iterations: u64) -> GammaGammaFit {
    let data = GammaGammaData::new(x, mean_spend);
    let names = ["p", "q", "gamma"];
    let hint = (
        "spend",
        "spend per purchase varies in a way the model cannot capture",
    );
    let hints = [hint, hint, hint];
    let loglik = |p: &[f64]| {
        let (ll, g) = data.log_likelihood_and_gradient(&gg_from(p));
        (ll, g.to_vec())
    };
    let natural = |p: &[f64]| p.to_vec();
    let q_check = |p: &[f64]| {
        (p.get(1).copied().unwrap_or(0.0) <= 1.0).then(|| {
            message(
                "fit_problem_infinite_spend",
                "q ≤ 1, which would make the average spend infinite",
            )
        })
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
        let after = params.population_mean();
        fit_status.add(if before.is_finite() {
            message(
                "fit_spend_moved",
                format!(
                    "The penalty moves the average spend per purchase from {before:.2} (plain fit) to \
                     {after:.2}, so read expected spend and CLV as approximate."
                ),
            )
            .with_param("before", before)
            .with_param("after", after)
        } else {
            message(
                "fit_spend_unmeasured",
                format!(
                    "The plain fit gave no finite average spend per purchase; with the penalty it is \
                     {after:.2}, so read expected spend and CLV as approximate."
                ),
            )
            .with_param("after", after)
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
