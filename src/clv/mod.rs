//! Customer lifetime value: BG/NBD (Fader, Hardie & Lee 2005) for how often each customer will
//! buy and whether they are still "alive", Gamma-Gamma (Fader & Hardie) for how much they spend
//! per purchase, and their discounted product over a horizon, as python `lifetimes` 0.11.3 does.
//! From the purchase `History` (same-day purchases merged) and `Customers` (as-of date, row order);
//! per-customer columns and chart-ready aggregates for the page, with a plain-language fit status
//! and warnings: a horizon longer than the history, a penalised fit (with how far it moved
//! P(alive)), and no spend figures when the file has no amounts.
//!
//! Files: `mod.rs` (params, report types), `report.rs` (the [`fit`] entry that assembles the
//! [`ClvReport`]), `fit.rs` (the maximum-likelihood fits and their diagnosis), `charts.rs` (grids,
//! tables, histogram), `bgnbd.rs` / `mbgnbd.rs` / `pnbd.rs` / `gamma_gamma.rs` (the models),
//! `model.rs` (one interface over the three purchase models), `optimize.rs` (argmin),
//! `summary.rs` (per-customer repeat purchases), `math.rs` (portable special functions).

mod bgnbd;
mod charts;
mod compare;
mod fit;
mod gamma_gamma;
mod interval;
mod math;
mod mbgnbd;
mod model;
mod optimize;
mod pnbd;
mod report;
mod summary;

pub use bgnbd::BgNbd;
pub(crate) use bgnbd::Patterns;
pub use fit::{fit_bgnbd, fit_gamma_gamma, fit_purchase_model};
pub use gamma_gamma::GammaGamma;
pub use mbgnbd::MbgNbd;
pub use model::{PurchaseModel, PurchaseModelKind, PurchasePredictions};
pub use pnbd::ParetoNbd;
pub use report::{customer_lifetime_value, fit, fit_from, summary_cut_day};
pub use summary::{
    purchase_days_between, purchase_days_from, repeat_summary, repeat_summary_from, repeat_window,
    RepeatSummary, RepeatWindow, TimeUnit,
};

use crate::{Error, Warning};
use chrono::NaiveDate;
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
    /// The purchase model: `auto` (default) compares BG/NBD, MBG/NBD and Pareto/NBD on a
    /// holdout and uses the one with the lowest per-customer error; the others force one.
    pub model: ClvModel,
    /// Length of the model comparison's holdout in days. `None` (default): the last third of
    /// the history, at least 56 days. Ignored when `calibration_end` is set (that is the cut).
    pub holdout_days: Option<u32>,
    /// Seed of the bootstrap behind the totals' interval (default 42).
    pub seed: u64,
}

/// Which purchase model the lifetime-value figures use (option `clv.model`, CLI `--clv-model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ClvModel {
    /// The model with the lowest holdout error (BG/NBD when the models cannot be compared).
    #[default]
    Auto,
    Bgnbd,
    Mbgnbd,
    Pnbd,
}

impl ClvModel {
    /// The forced model, `None` for `auto`.
    pub fn forced(self) -> Option<PurchaseModelKind> {
        match self {
            ClvModel::Auto => None,
            ClvModel::Bgnbd => Some(PurchaseModelKind::Bgnbd),
            ClvModel::Mbgnbd => Some(PurchaseModelKind::Mbgnbd),
            ClvModel::Pnbd => Some(PurchaseModelKind::Pnbd),
        }
    }
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
            model: ClvModel::Auto,
            holdout_days: None,
            seed: 42,
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
        if self.holdout_days.is_some_and(|d| !(7..=3650).contains(&d)) {
            return Err(Error::param("holdout_days", "must be between 7 and 3650 days"));
        }
        Ok(())
    }
}

/// The codes of the lifetime-value section's coded messages (`FitStatus::coded`,
/// `ModelChoice::coded_comparison_message`, `ClvReport::coded_gamma_gamma_message`,
/// `LikelyGone::coded_rule`), worded from `clv.message.<code>` in the catalogues.
pub const MESSAGE_CODES: &[&str] = &[
    "fit_plain",
    "fit_requested_penalty",
    "fit_penalised",
    "fit_doubtful",
    "fit_problem_not_evaluable",
    "fit_problem_edge",
    "fit_problem_not_settled",
    "fit_problem_infinite_spend",
    "fit_problem_flat",
    "fit_shift_measured",
    "fit_shift_unmeasured",
    "fit_spend_moved",
    "fit_spend_unmeasured",
    "comparison_too_short",
    "comparison_too_few",
    "comparison_summary_cut",
    "comparison_summary_no_cut",
    "spend_no_amounts",
    "spend_too_few",
    "spend_not_finite",
    "likely_gone_spend",
    "likely_gone_purchases",
];

/// A coded message of the lifetime-value section: `code` (one of [`MESSAGE_CODES`]) and its
/// English sentence.
pub(crate) fn message(code: &'static str, english: impl Into<String>) -> Warning {
    debug_assert!(
        MESSAGE_CODES.contains(&code),
        "{code} is not in clv::MESSAGE_CODES"
    );
    Warning::new(code, english)
}

/// Whether a model fit can be trusted, in words a marketer can read.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FitStatus {
    /// True when the optimizer converged to an interior maximum (with the penalty used).
    pub ok: bool,
    /// What happened, in plain words (English).
    pub message: String,
    /// The same, part by part, as codes of [`MESSAGE_CODES`] with their figures: the outcome
    /// (`fit_plain`, `fit_requested_penalty`, `fit_penalised`, `fit_doubtful`), then why the
    /// plain fit was not trusted (`fit_problem_*`, one part each), then what the penalty moved
    /// (`fit_shift_*`, `fit_spend_*`) when one was needed.
    pub coded: Vec<Warning>,
    /// The automatic ridge λ of the reported fit (λ Σ (ln θ)² added to the mean negative
    /// log-likelihood, θ in rescaled time); 0 = none was needed. The user's lifetimes-style
    /// `penalizer` is in `ClvParams` and always applied.
    pub penalty_used: f64,
    /// Optimizer iterations, all attempts together.
    pub iterations: u64,
}

impl FitStatus {
    /// Appends a coded part, and its English sentence to `message`.
    pub(crate) fn add(&mut self, part: Warning) {
        self.message.push(' ');
        self.message.push_str(&part.message);
        self.coded.push(part);
    }
}

/// One fitted parameter with its standard error (from the Hessian of the unpenalized
/// log-likelihood at the estimate; `None` when that Hessian is not positive definite).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ParamEstimate {
    pub name: String,
    pub value: f64,
    pub std_error: Option<f64>,
}

/// The BG/NBD fit.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct PAliveShift {
    pub max: f64,
    pub mean: f64,
}

impl PAliveShift {
    /// |P(alive) under `a` − P(alive) under `b`| over customers (x, t_x, T); `None` without any.
    pub fn between(
        a: &dyn PurchasePredictions,
        b: &dyn PurchasePredictions,
        x: &[f64],
        t_x: &[f64],
        t: &[f64],
    ) -> Option<PAliveShift> {
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

/// A purchase model's fit (any of the three), as the model comparison shows it.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PurchaseFit {
    pub model: PurchaseModelKind,
    /// The four parameters with standard errors (r, alpha, a, b or r, alpha, s, beta).
    pub estimates: Vec<ParamEstimate>,
    /// Log-likelihood (unpenalized) in the report's time unit.
    pub log_likelihood: f64,
    /// Bayesian information criterion, −2 LL + 4 ln(customers).
    pub bic: f64,
    pub customers: usize,
    pub repeat_buyers: usize,
    /// Distinct (x, t_x, T) patterns the likelihood was evaluated on.
    pub patterns: usize,
    pub fit_status: FitStatus,
    /// How far a penalty moved P(alive) of the fitted customers (`None` without a penalty).
    pub p_alive_shift: Option<PAliveShift>,
    #[serde(skip)]
    #[ts(skip)]
    pub params: PurchaseModel,
    /// The plain fit's last iterate when a penalty was used.
    #[serde(skip)]
    #[ts(skip)]
    pub unpenalised: Option<PurchaseModel>,
    /// Covariance of the parameters (inverse observed information), for the intervals.
    #[serde(skip)]
    #[ts(skip)]
    pub covariance: Option<Vec<Vec<f64>>>,
}

/// The Gamma-Gamma fit on repeat buyers.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CalibrationHoldout {
    pub calibration_end: NaiveDate,
    pub holdout_end: NaiveDate,
    /// Holdout length in time units.
    pub duration: f64,
    pub rows: Vec<HoldoutRow>,
}

/// Customers by repeat purchases in the fitted window: observed against the model's expected
/// count Σᵢ P(X(Tᵢ) = n) (the paper's Figure 2).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RepeatPurchaseRow {
    /// "0" … "6", "7+".
    pub repeat_purchases: String,
    pub actual: u64,
    pub expected: f64,
}

/// Equal-width histogram; values above the last edge are counted in `overflow`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Histogram {
    pub edges: Vec<f64>,
    pub counts: Vec<u64>,
    pub overflow: u64,
}

/// A valuable customer who has probably stopped buying.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LikelyGoneCustomer {
    /// Row in `Customers`.
    pub row: usize,
    pub id: String,
    /// Value measure (total spend, or purchases when the file has no amounts).
    pub value: f64,
    pub p_alive: f64,
}

/// "Valuable but likely gone": top-quartile value and P(alive) < 0.5, most valuable first.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LikelyGone {
    /// The rule in words.
    pub rule: String,
    /// The rule as code `likely_gone_spend` or `likely_gone_purchases` with `threshold`, `cap`.
    pub coded_rule: Warning,
    /// Value at or above which a customer counts as valuable.
    pub value_threshold: f64,
    /// All customers matching the rule (the list is capped at 100).
    pub total: usize,
    pub customers: Vec<LikelyGoneCustomer>,
}

/// One purchase model fitted on the comparison's calibration period and scored on its holdout.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ModelComparisonRow {
    pub model: PurchaseModelKind,
    /// Mean over the calibration customers of |holdout purchases − predicted|.
    pub holdout_mae: f64,
    /// Σ predicted holdout purchases (compare with `ModelComparison::holdout_actual`).
    pub holdout_predicted: f64,
    /// The fit on the calibration period (log-likelihood, BIC, parameters).
    pub fit: PurchaseFit,
}

/// Cumulative repeat purchases of the calibration customers over time, observed and expected by
/// each model (Fader, Hardie & Lee 2005, Figure 1); the calibration end splits the curve.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TrackingCurve {
    /// Last day of each period (weeks, or longer periods past 260 weeks).
    pub period_end: Vec<NaiveDate>,
    pub actual: Vec<f64>,
    /// The models of `predicted`, in order.
    pub models: Vec<PurchaseModelKind>,
    /// Per model, expected cumulative repeat purchases at each period end.
    pub predicted: Vec<Vec<f64>>,
}

/// The three purchase models compared on a calibration / holdout split.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ModelComparison {
    pub calibration_end: NaiveDate,
    pub holdout_end: NaiveDate,
    /// Holdout length in time units.
    pub holdout_periods: f64,
    /// How the cut was chosen: `calibration_end` (the option), `holdout_days` (the option) or
    /// `last_third` (the last third of the history, at least 56 days).
    pub split_rule: String,
    /// Customers who had bought by the calibration end.
    pub customers: usize,
    /// Their repeat purchase days in the holdout.
    pub holdout_actual: f64,
    pub rows: Vec<ModelComparisonRow>,
    pub tracking: TrackingCurve,
    /// The lowest holdout error among the sound fits.
    pub best: Option<PurchaseModelKind>,
}

/// Which purchase model the figures use, and why.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ModelChoice {
    /// The option (`auto` unless the user chose a model).
    pub requested: ClvModel,
    pub chosen: PurchaseModelKind,
    /// `lowest_holdout_error` (auto, compared), `requested` (the user's choice) or
    /// `no_comparison` (auto, but the models could not be compared: BG/NBD).
    pub rule: String,
    /// Models with a lower holdout error passed over by `auto` because their fit on the whole
    /// fitted window was not plain (it needed a penalty to stay off the edge).
    pub refit_rejected: Vec<PurchaseModelKind>,
    pub comparison: Option<ModelComparison>,
    /// Why there is no comparison.
    pub comparison_message: Option<String>,
    /// The same as a code (`comparison_too_short`, `comparison_too_few`,
    /// `comparison_summary_cut`, `comparison_summary_no_cut`) with its figures.
    pub coded_comparison_message: Option<Warning>,
}

/// A 90 % interval of the totals from a seeded parametric bootstrap of the purchase model's
/// parameters (their estimated covariance, on the log scale); the spend model is held at its
/// estimate, so the CLV interval is the purchase model's share of the uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TotalsInterval {
    pub level: f64,
    pub draws: usize,
    pub seed: u64,
    /// [low, high] of total expected purchases over the horizon.
    pub expected_purchases: [f64; 2],
    /// [low, high] of total CLV (`None` without a spend model).
    pub clv: Option<[f64; 2]>,
    /// Distinct (x, t_x, T) patterns of the customers, and how many each draw was evaluated on
    /// (all, or a seeded sample by customers when there are more than 200).
    pub patterns: usize,
    pub patterns_used: usize,
}

/// Everything the lifetime-value analysis produces. Per-customer vectors are aligned with
/// `Customers` rows.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
    /// The purchase model used for every per-customer figure and chart, and why.
    pub model_choice: ModelChoice,
    /// That model's fit on the fitted window (the whole history, or up to `calibration_end`).
    pub purchase_fit: PurchaseFit,
    /// BG/NBD on the fitted window, whichever model was chosen.
    pub bgnbd: BgNbdFit,
    /// `None` when spend cannot be modelled; `gamma_gamma_message` says why.
    pub gamma_gamma: Option<GammaGammaFit>,
    pub gamma_gamma_message: Option<String>,
    /// The same as a code (`spend_no_amounts`, `spend_too_few`, `spend_not_finite`).
    pub coded_gamma_gamma_message: Option<Warning>,
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
    /// 90 % interval of the two totals (`None` when the purchase model's parameters have no
    /// covariance, i.e. the likelihood is flat at the estimate).
    pub totals_interval: Option<TotalsInterval>,
    pub frequency_recency: FrequencyRecencyMatrix,
    pub repeat_purchase_fit: Vec<RepeatPurchaseRow>,
    pub calibration_holdout: Option<CalibrationHoldout>,
    pub clv_histogram: Option<Histogram>,
    pub likely_gone: LikelyGone,
    /// Why figures may not deserve trust (`clv_horizon_beyond_history`, `clv_penalised_fit`,
    /// `clv_no_spend`, `clv_spend_frequency_correlation`), each naming the export columns.
    pub warnings: Vec<Warning>,
}

/// Checks a purchase model's analytic log-likelihood gradient (`ll` at four parameters gives the
/// value and the gradient) against central finite differences at `at`: the one check every
/// model's fit relies on.
#[cfg(test)]
pub(crate) fn assert_gradient_matches(at: [f64; 4], ll: impl Fn([f64; 4]) -> (f64, [f64; 4])) {
    let (_, g) = ll(at);
    let h = 1e-6;
    for (i, gi) in g.iter().enumerate() {
        let bump = |d: f64| {
            let mut v = at;
            v[i] += d;
            ll(v).0
        };
        let num = (bump(h) - bump(-h)) / (2.0 * h);
        assert!(
            (num - gi).abs() < 1e-4 * (1.0 + gi.abs()),
            "param {i}: {num} vs {gi}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::charts::histogram;
    use super::*;
    use crate::history::History;
    use crate::ingest::Transactions;

    /// BG/NBD on three one-time buyers and one repeat buyer, which runs to the edge (below).
    fn edge_fit() -> BgNbdFit {
        fit_bgnbd(
            &[0., 0., 0., 1.],
            &[0., 0., 0., 5.],
            &[10., 10., 10., 10.],
            0.0,
            500,
        )
    }

    /// Three one-time buyers and one repeat buyer: the plain BG/NBD likelihood is highest at
    /// the edge (a parameter running off), the line search gives up, and the derivative-free
    /// search used to creep along the wall for its whole budget (2,035 iterations, then the
    /// ridge). It now stops when it stops making progress, with the same outcome.
    #[test]
    fn a_plain_fit_that_runs_to_the_edge_gives_up_early() {
        let fit = edge_fit();
        assert!(fit.fit_status.ok);
        assert_eq!(fit.fit_status.penalty_used, 0.001);
        assert!(
            fit.fit_status.iterations < 500,
            "{} iterations",
            fit.fit_status.iterations
        );
    }

    #[test]
    fn a_penalised_fit_says_why_part_by_part() {
        let fit = edge_fit();
        let codes: Vec<&str> = fit.fit_status.coded.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(codes[0], "fit_penalised");
        // The outcome, why the plain fit was not trusted, then what the penalty moved.
        assert_eq!(codes.last(), Some(&"fit_shift_measured"));
        let problems = &codes[1..codes.len() - 1];
        assert!(
            problems.iter().all(|c| c.starts_with("fit_problem_")),
            "{codes:?}"
        );
        let edge = fit
            .fit_status
            .coded
            .iter()
            .find(|w| w.code == "fit_problem_edge")
            .expect("a parameter ran to an edge");
        assert!(["zero", "infinity"].contains(&edge.params["side"].as_str().unwrap()));
        assert!(["rates", "dropout"].contains(&edge.params["hint"].as_str().unwrap()));
        // Each problem's English sentence is inside the outcome's, as before the codes.
        for w in fit
            .fit_status
            .coded
            .iter()
            .filter(|w| w.code.starts_with("fit_problem_"))
        {
            assert!(fit.fit_status.message.contains(&w.message), "{}", w.message);
        }
    }

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
        let r = fit(
            &History::build(&tx, &customers).unwrap(),
            &customers,
            &ClvParams::default(),
        )
        .unwrap();
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
        let r = fit(&History::build(&short, &customers).unwrap(), &customers, &params).unwrap();
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
        let r = fit(&History::build(&tx, &customers).unwrap(), &customers, &params).unwrap();
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
        let r = fit(
            &History::build(&tx, &customers).unwrap(),
            &customers,
            &ClvParams::default(),
        )
        .unwrap();
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

    /// Every `message(CODE, …)` in src/clv (CODE a literal) names a code of [`MESSAGE_CODES`],
    /// and every code listed is used.
    #[test]
    fn message_codes_list_every_code_used() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/clv");
        let mut used = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for part in src.split("message(").skip(1) {
                if let Some(code) = part.trim_start().strip_prefix('"') {
                    let code = code.split('"').next().unwrap();
                    if code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                        used.insert(code.to_string());
                    }
                }
            }
        }
        let listed: std::collections::BTreeSet<String> =
            MESSAGE_CODES.iter().map(|c| c.to_string()).collect();
        assert_eq!(used, listed);
    }
}
