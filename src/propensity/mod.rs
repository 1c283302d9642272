//! Propensity: who buys again in the next N days. The history is cut at as-of − N days;
//! behaviour features before the cut predict whether a customer bought in the N days after it
//! (logistic regression with L2, linfa-logistic), checked on held-out customers (ROC AUC, PR
//! AUC, Brier, lift, deciles, calibration). The model is then refit on every customer and scores
//! everyone on their behaviour at the as-of date, for a marketer's target list. Warnings travel
//! with `p_buy`: a validation AUC below 0.6 (below 0.55: no better than chance), a training
//! window shorter than the horizon, and scored customers who first bought after the cut.
//!
//! Files: `features` builds each customer's features from the purchase history and the
//! time-split design; `model` the scaler and the logistic fit; `metrics` the held-out measures
//! and warnings; this file the parameters, the report and [`fit`], which ties them together.

mod features;
mod metrics;
mod model;

pub use features::{design, feature_set, window_before, Feature, PropensityDesign};
pub use metrics::{
    average_precision, brier_score, calibration_table, decile_table, deciles_of, gains_curve, roc_auc,
    roc_curve, skill_warning, CalibrationBin, DecileRow, GainsPoint, RocPoint,
};
pub use model::{fit_logistic, LinearModel, Scaler};

use crate::customers::Customers;
use crate::history::{History, Purchases};
use crate::time::date_to_day;
use crate::{Error, Warning};
use chrono::NaiveDate;
use features::{prepare, raw_features, transform};
use metrics::{new_customers_warning, short_history_warning};
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "propensity";

/// Fewest customers with a purchase before the cut to fit at all.
pub const MIN_CUSTOMERS: usize = 20;
/// Fewest customers of each class (buyers and non-buyers) in the training window.
pub const MIN_PER_CLASS: usize = 5;
/// Number of points at most in the ROC curve handed to the page.
const MAX_ROC_POINTS: usize = 201;
/// Validation ROC AUC below which the model is reported as no better than chance.
pub const NO_SKILL_AUC: f64 = 0.55;
/// Validation ROC AUC below which the model is reported as weak.
pub const WEAK_AUC: f64 = 0.6;
/// The export columns every propensity warning is about.
const COLUMNS: [&str; 2] = ["p_buy", "p_buy_decile"];

/// Parameters of the propensity model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct PropensityParams {
    /// Prediction window N in days: "will this customer buy in the next N days?" (default 90).
    pub horizon_days: u32,
    /// Share of customers held out to measure the model, in (0, 1) (default 0.3).
    pub validation_share: f64,
    /// L2 penalty weight. linfa-logistic minimises Σᵢ −log σ(yᵢ zᵢ) + α/2 ‖w‖² (intercept not
    /// penalised), which is scikit-learn's `LogisticRegression(C = 1/α)`; 0 means no penalty
    /// (default 1.0, i.e. sklearn's default C = 1).
    pub alpha: f64,
    /// Most L-BFGS iterations per fit (default 1000).
    pub max_iterations: u64,
    /// Seed of the train / validation split (same seed, same split, same report).
    pub seed: u64,
    /// Apply log1p to counts and money (frequency, monetary, average order value, purchases in
    /// the last 30 / 90 / 180 days) before standardising: they are heavily right-skewed and a
    /// few huge accounts would otherwise dominate the scale (default true).
    pub log_transform: bool,
}

impl Default for PropensityParams {
    fn default() -> Self {
        PropensityParams {
            horizon_days: 90,
            validation_share: 0.3,
            alpha: 1.0,
            max_iterations: 1000,
            seed: 42,
            log_transform: true,
        }
    }
}

impl PropensityParams {
    /// Sets the prediction window in days.
    pub fn horizon_days(mut self, days: u32) -> Self {
        self.horizon_days = days;
        self
    }
    /// Sets the held-out share of customers.
    pub fn validation_share(mut self, share: f64) -> Self {
        self.validation_share = share;
        self
    }
    /// Sets the L2 penalty weight.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }
    /// Sets the most solver iterations.
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.max_iterations = n;
        self
    }
    /// Sets the split seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Turns the log1p of counts and money on or off.
    pub fn log_transform(mut self, on: bool) -> Self {
        self.log_transform = on;
        self
    }

    /// Validates every parameter once; the error names the first bad one.
    pub fn check(&self) -> Result<(), Error> {
        if self.horizon_days < 1 || self.horizon_days > 36_500 {
            return Err(Error::param(
                "horizon_days",
                format!("must be between 1 and 36500 days, got {}", self.horizon_days),
            ));
        }
        if !(self.validation_share > 0.0 && self.validation_share < 1.0) {
            return Err(Error::param(
                "validation_share",
                format!(
                    "must be strictly between 0 and 1 (e.g. 0.3), got {}",
                    self.validation_share
                ),
            ));
        }
        if !(self.alpha.is_finite() && self.alpha >= 0.0) {
            return Err(Error::param(
                "alpha",
                format!("must be a finite number ≥ 0, got {}", self.alpha),
            ));
        }
        if self.max_iterations < 1 {
            return Err(Error::param("max_iterations", "must be at least 1"));
        }
        Ok(())
    }
}

/// How a feature entered the model.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FeatureInfo {
    pub feature: Feature,
    pub name: &'static str,
    /// True when log1p was applied before standardising.
    pub log1p: bool,
    /// Mean and standard deviation used to standardise it in the final model (after log1p).
    pub mean: f64,
    pub std: f64,
}

/// One row of the readable coefficient table (final model).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CoefficientRow {
    pub feature: Feature,
    pub name: &'static str,
    /// Weight on the standardised (and, for skewed features, log1p) scale.
    pub coefficient: f64,
    /// exp(coefficient): how the odds of buying change per one standard deviation more.
    pub odds_ratio_per_sd: f64,
    /// Plain sentence, e.g. "More recent last purchase → higher chance of buying (odds ×1.8 per SD)".
    pub sentence: String,
}

fn sentence(f: Feature, w: f64) -> String {
    let (high, low) = f.phrases();
    if w.abs() < 0.01 {
        return format!(
            "{} makes almost no difference",
            capitalise(f.name().replace('_', " ").as_str())
        );
    }
    let (phrase, odds) = if w > 0.0 {
        (high, libm::exp(w))
    } else {
        (low, libm::exp(-w))
    };
    format!(
        "{} → higher chance of buying (odds ×{odds:.2} per standard deviation that way, other features held equal)",
        capitalise(phrase)
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Customer counts behind the figures.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PropensityCounts {
    /// Customers with a purchase before the cut (the modelled population).
    pub customers_before_cut: usize,
    /// Customers whose first purchase came on or after the cut (not modelled, only scored).
    pub new_after_cut: usize,
    pub train_customers: usize,
    pub train_buyers: usize,
    pub validation_customers: usize,
    pub validation_buyers: usize,
    /// Customers scored at the as-of date (= `Customers::len()`).
    pub scored_customers: usize,
}

/// How well the model ranks the held-out customers.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PropensityMetrics {
    /// Area under the ROC curve (0.5 = chance, 1 = perfect ranking).
    pub roc_auc: f64,
    /// Average precision (area under the precision-recall curve).
    pub pr_auc: f64,
    /// Mean squared error of the probabilities (lower is better).
    pub brier: f64,
    /// Share of validation customers who bought in the window.
    pub base_rate: f64,
    /// Buying rate in the top decile / base rate.
    pub lift_top_decile: f64,
}

/// Everything the propensity page shows; per-customer vectors are aligned with `Customers::id`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct PropensityReport {
    pub params: PropensityParams,
    pub as_of: NaiveDate,
    /// Training cut = as-of − horizon: features before it, labels in [cut, as_of).
    pub cut: NaiveDate,
    /// First purchase in the file: the training features see purchases from it to the cut.
    pub first_purchase: NaiveDate,
    /// Days of history before the cut (first purchase to cut), the training window.
    pub history_days: u32,
    /// The time split in one sentence: training window, outcome window, held-out share, scoring.
    pub windows: String,
    pub features: Vec<FeatureInfo>,
    pub counts: PropensityCounts,
    /// On the validation customers.
    pub metrics: PropensityMetrics,
    /// Validation customers by decile of predicted probability (the decile bars).
    pub deciles: Vec<DecileRow>,
    pub calibration: Vec<CalibrationBin>,
    pub roc_curve: Vec<RocPoint>,
    pub gains_curve: Vec<GainsPoint>,
    /// Readable coefficients of the final model (refit on all customers before the cut).
    pub coefficients: Vec<CoefficientRow>,
    /// The final model that produced `p_buy`.
    pub model: LinearModel,
    /// The model fitted on the training customers only, that produced the metrics.
    pub train_model: LinearModel,
    /// Per customer: probability of at least one purchase in the `horizon_days` after as-of.
    /// Customers who first bought on or after the cut are scored too (by the same model, which
    /// saw customers equally new at the cut), with a `propensity_new_customers` warning.
    pub p_buy: Vec<f64>,
    /// Per customer: decile of `p_buy`, 1 = the most likely tenth.
    pub p_buy_decile: Vec<u8>,
    /// Why `p_buy` may not deserve trust (weak model, short history, customers newer than the
    /// cut); empty when there is nothing to say.
    pub warnings: Vec<Warning>,
}

/// Fits the time-split propensity model, measures it on held-out customers, and scores every
/// customer in `customers` at its as-of date.
///
/// `history` must be built for `customers` (`History::build(tx, &customers)`, with `customers`
/// = `customers::summarize(tx, as_of)`); its as-of date sets the end of the label window.
///
/// ```
/// use clientele::customers;
/// use clientele::ingest::Transactions;
/// use clientele::propensity::{self, PropensityParams};
///
/// // 60 customers buying every 7..66 days over a year; every third one stops after 200 days.
/// let mut tx = Transactions { has_amount: true, ..Default::default() };
/// for c in 0..60u32 {
///     tx.customer_ids.push(format!("C{c}"));
///     let stop = if c % 3 == 0 { 200 } else { 365 };
///     for day in (0..stop).step_by(7 + c as usize) {
///         tx.customer.push(c);
///         tx.day.push(19_000 + day as i32);
///         tx.amount.push(10.0 + c as f64);
///     }
/// }
/// let customers = customers::summarize(&tx, None)?;
/// let history = clientele::history::History::build(&tx, &customers)?;
/// let report = propensity::fit(&history, &customers, &PropensityParams::default().horizon_days(60))?;
/// assert_eq!(report.p_buy.len(), customers.len());
/// assert!(report.metrics.roc_auc > 0.5);
/// # Ok::<(), clientele::Error>(())
/// ```
pub fn fit(
    history: &History,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<PropensityReport, Error> {
    fit_from(Purchases::History(history), customers, params)
}

/// [`fit`] on the purchases or on a per-customer summary of them (`docs/summary-contract.md`),
/// which gives the same report when its training cut is as-of − `params.horizon_days`.
pub fn fit_from(
    history: Purchases,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<PropensityReport, Error> {
    let prepared = prepare(history, customers, params)?;
    let design = &prepared.design;
    let features = design.features.clone();
    let p = features.len();

    let train_model = fit_logistic(&design.train_x, &design.train_y, params)?;
    let p_val = train_model.predict(&design.validation_x);
    let y_val = &design.validation_y;
    let missing = || {
        Error::data(ANALYSIS, "the validation set lacks buyers or non-buyers")
            .with_code("validation_one_class")
    };
    let deciles = decile_table(y_val, &p_val);
    let base_rate = y_val.iter().filter(|&&v| v).count() as f64 / y_val.len().max(1) as f64;
    let metrics = PropensityMetrics {
        roc_auc: roc_auc(y_val, &p_val).ok_or_else(missing)?,
        pr_auc: average_precision(y_val, &p_val).ok_or_else(missing)?,
        brier: brier_score(y_val, &p_val).ok_or_else(missing)?,
        base_rate,
        lift_top_decile: deciles.first().map(|d| d.lift).unwrap_or(0.0),
    };

    // Final model: every customer known at the cut, scaler refit on all of them.
    let all_rows: Vec<usize> = (0..prepared.labels.len()).collect();
    let scaler = Scaler::fit(&prepared.values, &all_rows, p);
    let model = fit_logistic(
        &scaler.apply(&prepared.values, &all_rows),
        &prepared.labels,
        params,
    )?;

    // Score on behaviour at the as-of date.
    let p_buy = score_at_as_of(history, customers, &features, params, &scaler, &model)?;
    let cut_day = date_to_day(design.cut);
    let scored_new = (0..history.len())
        .filter(|&r| history.span(r).is_none_or(|(d, _)| d >= cut_day))
        .count();
    let warnings: Vec<Warning> = [
        skill_warning(metrics.roc_auc, params.horizon_days),
        short_history_warning(design.history_days, params.horizon_days, design.cut),
        new_customers_warning(scored_new, customers.len(), design.cut, params.horizon_days),
    ]
    .into_iter()
    .flatten()
    .collect();
    let windows = windows_text(design, customers, params, prepared.labels.len());
    let p_buy_decile = deciles_of(&p_buy);

    let coefficients = features
        .iter()
        .zip(&model.coefficients)
        .map(|(&f, &w)| CoefficientRow {
            feature: f,
            name: f.name(),
            coefficient: w,
            odds_ratio_per_sd: libm::exp(w),
            sentence: sentence(f, w),
        })
        .collect();
    let feature_info = features
        .iter()
        .enumerate()
        .map(|(j, &f)| FeatureInfo {
            feature: f,
            name: f.name(),
            log1p: params.log_transform && f.is_skewed(),
            mean: scaler.mean[j],
            std: scaler.std[j],
        })
        .collect();
    let counts = PropensityCounts {
        customers_before_cut: prepared.labels.len(),
        new_after_cut: design.new_after_cut,
        train_customers: design.train_y.len(),
        train_buyers: design.train_y.iter().filter(|&&v| v).count(),
        validation_customers: y_val.len(),
        validation_buyers: y_val.iter().filter(|&&v| v).count(),
        scored_customers: customers.len(),
    };
    Ok(PropensityReport {
        params: params.clone(),
        as_of: customers.as_of,
        cut: design.cut,
        first_purchase: design.first_purchase,
        history_days: design.history_days,
        windows,
        features: feature_info,
        counts,
        metrics,
        roc_curve: roc_curve(y_val, &p_val),
        gains_curve: gains_curve(y_val, &p_val),
        calibration: calibration_table(y_val, &p_val),
        deciles,
        coefficients,
        model,
        train_model,
        p_buy,
        p_buy_decile,
        warnings,
    })
}

/// The chance to buy of every customer in `customers`, from their behaviour at the as-of date.
fn score_at_as_of(
    history: Purchases,
    customers: &Customers,
    features: &[Feature],
    params: &PropensityParams,
    scaler: &Scaler,
    model: &LinearModel,
) -> Result<Vec<f64>, Error> {
    let as_of_day = date_to_day(customers.as_of);
    let mut now = raw_features(history, customers, as_of_day, features)?;
    transform(&mut now.values, features, params.log_transform);
    let mut row_of = vec![usize::MAX; history.len()];
    for (row, &c) in now.rows.iter().enumerate() {
        row_of[c as usize] = row;
    }
    let mut rows = Vec::with_capacity(customers.len());
    for k in 0..customers.len() {
        match row_of.get(k) {
            Some(&row) if row != usize::MAX => rows.push(row),
            _ => {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "customer {} has no purchase before {} in these transactions; the customer \
                         table does not match the transactions",
                        customers.id.get(k).map(String::as_str).unwrap_or("?"),
                        customers.as_of
                    ),
                ))
            }
        }
    }
    Ok(model.predict(&scaler.apply(&now.values, &rows)))
}

/// The sentence that states the feature, outcome and scoring windows.
fn windows_text(
    design: &PropensityDesign,
    customers: &Customers,
    params: &PropensityParams,
    known_at_cut: usize,
) -> String {
    let last_day = |d: NaiveDate| d - chrono::Duration::days(1);
    format!(
        "Features from purchases {} to {} ({} days); outcome: any purchase {} to {} ({} days); \
         {:.0} % of the {} customers known at the cut train the model and the other {:.0} % \
         (held out) measure it; everyone is then scored on purchases up to {} for the {} days \
         from {}.",
        design.first_purchase,
        last_day(design.cut),
        design.history_days,
        design.cut,
        last_day(customers.as_of),
        params.horizon_days,
        100.0 * (1.0 - params.validation_share),
        known_at_cut,
        100.0 * params.validation_share,
        last_day(customers.as_of),
        params.horizon_days,
        customers.as_of
    )
}

#[cfg(test)]
mod tests {
    use super::features::*;
    use super::metrics::*;
    use super::model::*;
    use super::*;
    use crate::customers;
    use crate::ingest::Transactions;
    use crate::time::{day_to_date, Day};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    // Figures from sklearn 1.x on the same arrays (see the module's test comments).
    const Y: [bool; 12] = [
        true, false, true, true, false, false, true, false, false, true, false, false,
    ];
    const P: [f64; 12] = [0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5, 0.3, 0.2, 0.1, 0.1];

    #[test]
    fn auc_and_average_precision_by_hand() {
        // Positives at 0.35 and 0.8, negatives at 0.1 and 0.4: 3 of 4 pairs ordered right.
        let y = [false, false, true, true];
        let p = [0.1, 0.4, 0.35, 0.8];
        assert!(close(roc_auc(&y, &p).unwrap(), 0.75));
        // Thresholds 0.8 (P=1, R=.5), 0.4 (P=.5), 0.35 (P=2/3, R=1): .5·1 + .5·2/3.
        assert!(close(average_precision(&y, &p).unwrap(), 0.5 + 0.5 * 2.0 / 3.0));
        // Ties count one half: all equal scores give 0.5.
        assert!(close(roc_auc(&y, &[0.3; 4]).unwrap(), 0.5));
    }

    #[test]
    fn metrics_match_sklearn_with_ties() {
        // roc_auc_score = 0.7285714285714285, average_precision_score = 0.6833333333333333,
        // brier_score_loss = 0.22
        assert!(close(roc_auc(&Y, &P).unwrap(), 0.7285714285714285));
        assert!(close(average_precision(&Y, &P).unwrap(), 0.6833333333333333));
        assert!(close(brier_score(&Y, &P).unwrap(), 0.22));
        // roc_curve(drop_intermediate=False)
        let fpr = [
            0.0,
            0.0,
            1.0 / 7.0,
            1.0 / 7.0,
            2.0 / 7.0,
            4.0 / 7.0,
            5.0 / 7.0,
            5.0 / 7.0,
            1.0,
        ];
        let tpr = [0.0, 0.2, 0.4, 0.6, 0.6, 0.8, 0.8, 1.0, 1.0];
        let roc = roc_curve(&Y, &P);
        assert_eq!(roc.len(), fpr.len());
        for (pt, (f, t)) in roc.iter().zip(fpr.iter().zip(&tpr)) {
            assert!(close(pt.fpr, *f) && close(pt.tpr, *t), "{pt:?}");
        }
    }

    #[test]
    fn one_class_has_no_auc() {
        assert_eq!(roc_auc(&[true, true], &[0.1, 0.2]), None);
        assert_eq!(average_precision(&[false, false], &[0.1, 0.2]), None);
    }

    #[test]
    fn deciles_lift_and_gains() {
        // 20 customers, p descending with index; buyers are the first 4 → base rate 0.2.
        let p: Vec<f64> = (0..20).map(|i| 1.0 - i as f64 / 20.0).collect();
        let y: Vec<bool> = (0..20).map(|i| i < 4).collect();
        let d = deciles_of(&p);
        assert_eq!(&d[..4], &[1, 1, 2, 2]);
        assert_eq!(d[19], 10);
        let table = decile_table(&y, &p);
        assert_eq!(table.len(), 10);
        assert_eq!((table[0].customers, table[0].buyers), (2, 2));
        assert!(close(table[0].lift, 5.0));
        assert!(close(table[2].lift, 0.0));
        let gains = gains_curve(&y, &p);
        assert_eq!(gains.len(), 101);
        assert!(close(gains[10].share_of_buyers, 0.5));
        assert!(close(gains[20].share_of_buyers, 1.0));
        assert!(close(gains[100].share_of_buyers, 1.0));
        let cal = calibration_table(&y, &p);
        assert_eq!(cal.iter().map(|b| b.customers).sum::<usize>(), 20);
        assert!(cal
            .iter()
            .all(|b| b.mean_predicted >= b.lower && b.mean_predicted <= b.upper));
    }

    #[test]
    fn roc_curve_is_thinned_with_both_ends() {
        let n = 2000;
        let p: Vec<f64> = (0..n).map(|i| i as f64 / n as f64).collect();
        let y: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
        let roc = roc_curve(&y, &p);
        assert_eq!(roc.len(), MAX_ROC_POINTS);
        assert!(close(roc[0].fpr, 0.0) && close(roc[0].tpr, 0.0));
        let last = roc.last().unwrap();
        assert!(close(last.fpr, 1.0) && close(last.tpr, 1.0));
        assert!(roc
            .windows(2)
            .all(|w| w[0].fpr <= w[1].fpr && w[0].tpr <= w[1].tpr));
    }

    #[test]
    fn params_name_the_bad_one() {
        let bad = |p: PropensityParams| match p.check() {
            Err(Error::InvalidParam { param, .. }) => param,
            other => panic!("{other:?}"),
        };
        assert!(PropensityParams::default().check().is_ok());
        assert_eq!(bad(PropensityParams::default().horizon_days(0)), "horizon_days");
        assert_eq!(
            bad(PropensityParams::default().validation_share(1.0)),
            "validation_share"
        );
        assert_eq!(
            bad(PropensityParams::default().validation_share(f64::NAN)),
            "validation_share"
        );
        assert_eq!(bad(PropensityParams::default().alpha(-1.0)), "alpha");
        assert_eq!(bad(PropensityParams::default().alpha(f64::INFINITY)), "alpha");
        assert_eq!(
            bad(PropensityParams::default().max_iterations(0)),
            "max_iterations"
        );
        let p: PropensityParams = serde_json::from_str(r#"{"horizon_days": 30}"#).unwrap();
        assert_eq!(p, PropensityParams::default().horizon_days(30));
    }

    /// Synthetic shop: customer i buys every `gap_i` days from day `start_i`, until `stop_i`.
    fn shop(n: usize) -> Transactions {
        let mut tx = Transactions {
            has_amount: true,
            ..Default::default()
        };
        let base = date_to_day(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
        for i in 0..n {
            tx.customer_ids.push(format!("c{i}"));
            let gap = 10 + (i * 37) % 90;
            let start = (i * 13) % 200;
            // A third of customers lapse early: the label then depends on behaviour.
            let stop = if i % 3 == 0 { 250 + (i * 7) % 100 } else { 730 };
            let mut d = start;
            while d < stop {
                tx.customer.push(i as u32);
                tx.day.push(base + d as Day);
                tx.amount.push(5.0 + (i % 17) as f64 * 3.0);
                d += gap;
            }
            if i % 5 == 0 {
                tx.returns.customer.push(i as u32);
                tx.returns.day.push(base + start as Day + 1);
                tx.returns.amount.push(4.0);
            }
        }
        tx
    }

    #[test]
    fn synthetic_fit_is_sane_aligned_and_deterministic() {
        let tx = shop(300);
        let cust = customers::summarize(&tx, None).unwrap();
        let params = PropensityParams::default();
        let r = fit(&History::build(&tx, &cust).unwrap(), &cust, &params).unwrap();
        assert_eq!(r.p_buy.len(), cust.len());
        assert_eq!(r.p_buy_decile.len(), cust.len());
        assert!(r.p_buy.iter().all(|p| (0.0..=1.0).contains(p)));
        assert!(r.p_buy_decile.iter().all(|d| (1..=10).contains(d)));
        assert_eq!(r.cut, cust.as_of - chrono::Duration::days(90));
        assert_eq!(
            r.counts.train_customers + r.counts.validation_customers,
            r.counts.customers_before_cut
        );
        assert!(r.metrics.roc_auc > 0.8, "{:?}", r.metrics);
        assert!(r.features.iter().any(|f| f.feature == Feature::ReturnShare));
        // Recency is days since the last purchase: recent buyers are likelier, so negative.
        let rec = &r.coefficients[0];
        assert_eq!(rec.feature, Feature::RecencyDays);
        let again = fit(&History::build(&tx, &cust).unwrap(), &cust, &params).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
        let other_seed = fit(
            &History::build(&tx, &cust).unwrap(),
            &cust,
            &params.clone().seed(7),
        )
        .unwrap();
        assert_ne!(r.train_model, other_seed.train_model);
    }

    #[test]
    fn gaps_of_one_purchase_customers_are_their_tenure() {
        let mut tx = shop(0);
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        tx.customer_ids = vec!["a".into(), "b".into()];
        // a: days 0, 10, 40 (two orders on day 40); b: day 5 only.
        tx.customer = vec![0, 0, 0, 0, 1];
        tx.day = vec![base, base + 10, base + 40, base + 40, base + 5];
        tx.amount = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        tx.order = Some(vec![0, 1, 2, 3, 4]);
        let (cust, history) = history_at(&tx, base + 61);
        let features = feature_set(&history);
        let raw = raw_features(Purchases::History(&history), &cust, base + 50, &features).unwrap();
        let p = features.len();
        let get =
            |row: usize, f: Feature| raw.values[row * p + features.iter().position(|&g| g == f).unwrap()];
        assert_eq!(get(0, Feature::Frequency), 4.0);
        assert_eq!(get(0, Feature::MeanGapDays), 20.0);
        assert_eq!(get(0, Feature::LastGapDays), 30.0);
        assert_eq!(get(0, Feature::Purchases30d), 2.0);
        assert_eq!(get(0, Feature::Purchases90d), 4.0);
        assert_eq!(get(1, Feature::MeanGapDays), 45.0);
        assert_eq!(get(1, Feature::LastGapDays), 45.0);
        assert_eq!(get(1, Feature::RecencyDays), 45.0);
    }

    #[test]
    fn return_share_is_by_amount() {
        let mut tx = shop(0);
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        tx.customer_ids = vec!["a".into()];
        tx.customer = vec![0];
        tx.day = vec![base];
        tx.amount = vec![30.0];
        tx.returns.customer = vec![0, 0];
        tx.returns.day = vec![base + 1, base + 60];
        tx.returns.amount = vec![10.0, 99.0];
        let (cust, history) = history_at(&tx, base + 61);
        let features = feature_set(&history);
        assert_eq!(features.last(), Some(&Feature::ReturnShare));
        let raw = raw_features(Purchases::History(&history), &cust, base + 50, &features).unwrap();
        assert_eq!(raw.values.last(), Some(&0.25));
    }

    /// Customers at `as_of` and their history.
    fn history_at(tx: &Transactions, as_of: Day) -> (Customers, History) {
        let cust = customers::summarize(tx, Some(day_to_date(as_of))).unwrap();
        let history = History::build(tx, &cust).unwrap();
        (cust, history)
    }

    fn data_error(r: Result<PropensityReport, Error>) -> String {
        match r {
            Err(Error::Data { message, .. }) => message,
            other => panic!("expected a data error, got {other:?}"),
        }
    }

    #[test]
    fn degenerate_data_is_a_clear_error() {
        let tx = shop(300);
        let cust = customers::summarize(&tx, None).unwrap();
        let long = PropensityParams::default().horizon_days(5000);
        assert!(
            data_error(fit(&History::build(&tx, &cust).unwrap(), &cust, &long))
                .contains("longer than the history")
        );

        let few = shop(10);
        let cust_few = customers::summarize(&few, None).unwrap();
        assert!(data_error(fit(
            &History::build(&few, &cust_few).unwrap(),
            &cust_few,
            &PropensityParams::default()
        ))
        .contains("at least 20"));

        // Everybody buys every 10 days: all bought again.
        let mut all = shop(0);
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        for i in 0..40u32 {
            all.customer_ids.push(format!("c{i}"));
            for k in 0..30 {
                all.customer.push(i);
                all.day.push(base + k * 10);
                all.amount.push(1.0);
            }
        }
        let cust_all = customers::summarize(&all, None).unwrap();
        assert!(data_error(fit(
            &History::build(&all, &cust_all).unwrap(),
            &cust_all,
            &PropensityParams::default()
        ))
        .contains("bought again"));

        assert!(matches!(
            fit(
                &History::default(),
                &Customers::default(),
                &PropensityParams::default()
            ),
            Err(Error::Data { .. })
        ));
        assert!(matches!(
            fit(
                &History::build(&tx, &cust).unwrap(),
                &cust,
                &PropensityParams::default().alpha(-2.0)
            ),
            Err(Error::InvalidParam { param: "alpha", .. })
        ));
    }

    #[test]
    fn polished_fit_is_at_the_optimum() {
        let tx = shop(300);
        let cust = customers::summarize(&tx, None).unwrap();
        // With a penalty the Hessian is positive definite and Newton lands on the optimum. (The
        // generated shop has mean gap = last gap, collinear, so alpha = 0 has no unique optimum.)
        for alpha in [0.1, 1.0, 50.0] {
            let params = PropensityParams::default().alpha(alpha);
            let d = design(&History::build(&tx, &cust).unwrap(), &cust, &params).unwrap();
            let m = fit_logistic(&d.train_x, &d.train_y, &params).unwrap();
            let mut theta = m.coefficients.clone();
            theta.push(m.intercept);
            let (_, grad, _) = objective(&d.train_x, &d.train_y, alpha, &theta, false);
            let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
            assert!(norm < 1e-7, "alpha {alpha}: gradient norm {norm}, model {m:?}");
        }
    }

    #[test]
    fn separable_data_without_penalty_does_not_panic() {
        // Buyers are exactly the customers who bought in the last 30 days before the cut.
        let mut tx = shop(0);
        tx.has_amount = true;
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        for i in 0..40u32 {
            tx.customer_ids.push(format!("c{i}"));
            let active = i % 2 == 0;
            let days: &[Day] = if active { &[0, 80, 95, 130] } else { &[0, 10] };
            for &d in days {
                tx.customer.push(i);
                tx.day.push(base + d);
                tx.amount.push(1.0 + f64::from(i));
            }
        }
        let cust = customers::summarize(&tx, None).unwrap();
        let params = PropensityParams::default().alpha(0.0).horizon_days(35);
        match fit(&History::build(&tx, &cust).unwrap(), &cust, &params) {
            Ok(r) => assert!(r.p_buy.iter().all(|p| p.is_finite())),
            Err(e) => assert!(matches!(e, Error::Data { .. }), "{e}"),
        }
    }

    fn codes(r: &PropensityReport) -> Vec<&str> {
        r.warnings.iter().map(|w| w.code.as_str()).collect()
    }

    #[test]
    fn skill_thresholds() {
        let code = |auc: f64| skill_warning(auc, 90).map(|w| w.code);
        assert_eq!(code(0.45).as_deref(), Some("propensity_no_skill"));
        assert_eq!(code(0.5499).as_deref(), Some("propensity_no_skill"));
        assert_eq!(code(0.55).as_deref(), Some("propensity_weak"));
        assert_eq!(code(0.5999).as_deref(), Some("propensity_weak"));
        assert_eq!(code(0.6), None);
        let w = skill_warning(0.5, 90).unwrap();
        assert!(w.message.contains("no better than chance") && w.message.contains("--horizon-days 30"));
        assert_eq!(w.params["auc"], 0.5);
        assert_eq!(w.columns, ["p_buy", "p_buy_decile"]);
    }

    #[test]
    fn a_good_model_on_a_long_history_has_no_warnings() {
        let tx = shop(300);
        let cust = customers::summarize(&tx, None).unwrap();
        let r = fit(
            &History::build(&tx, &cust).unwrap(),
            &cust,
            &PropensityParams::default(),
        )
        .unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.first_purchase, NaiveDate::from_ymd_opt(2023, 1, 1).unwrap());
        assert_eq!(r.history_days as i64, (r.cut - r.first_purchase).num_days());
        assert!(r.windows.contains(&r.cut.to_string()) && r.windows.contains("held out"));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["warnings"], serde_json::json!([]));
    }

    #[test]
    fn identical_histories_give_a_no_skill_warning() {
        // 40 customers with the same purchases before the cut; half buy after it. Nothing tells
        // them apart, so every validation score ties and the AUC is exactly 0.5.
        let mut tx = shop(0);
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        for i in 0..40u32 {
            tx.customer_ids.push(format!("c{i}"));
            let mut days = vec![0, 100, 200];
            if i % 2 == 0 {
                days.push(320 + (i as Day % 20));
            }
            for d in days {
                tx.customer.push(i);
                tx.day.push(base + d);
                tx.amount.push(10.0);
            }
        }
        let cust = customers::summarize(&tx, None).unwrap();
        let r = fit(
            &History::build(&tx, &cust).unwrap(),
            &cust,
            &PropensityParams::default(),
        )
        .unwrap();
        assert_eq!(r.metrics.roc_auc, 0.5);
        assert_eq!(codes(&r), ["propensity_no_skill"]);
        let w = &r.warnings[0];
        assert_eq!(w.params["auc"], 0.5);
        // One sentence, naming the figure and what to do.
        assert!(w.message.contains("0.50") && w.message.contains("--horizon-days"));
        assert_eq!(w.message.matches(". ").count(), 0, "{}", w.message);
    }

    #[test]
    fn short_history_and_customers_newer_than_the_cut_are_named() {
        // 120 days of data and a 90-day horizon: the cut falls on day 30, so the model trains on
        // 30 days, and ten customers who first bought after day 30 are scored but never trained on.
        let mut tx = shop(0);
        let base = date_to_day(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        let add = |tx: &mut Transactions, id: String, days: &[Day]| {
            let c = tx.customer_ids.len() as u32;
            tx.customer_ids.push(id);
            for &d in days {
                tx.customer.push(c);
                tx.day.push(base + d);
                tx.amount.push(5.0 + f64::from(c));
            }
        };
        for i in 0..40 {
            let first = i % 10;
            if i % 2 == 0 {
                add(&mut tx, format!("old{i}"), &[first, first + 12, 60 + i]);
            } else {
                add(&mut tx, format!("old{i}"), &[first]);
            }
        }
        for i in 0..10 {
            add(&mut tx, format!("new{i}"), &[50 + 6 * i, 119]);
        }
        let cust = customers::summarize(&tx, None).unwrap();
        let r = fit(
            &History::build(&tx, &cust).unwrap(),
            &cust,
            &PropensityParams::default(),
        )
        .unwrap();
        assert_eq!(r.history_days, 30);
        assert_eq!(r.counts.new_after_cut, 10);
        let short = r
            .warnings
            .iter()
            .find(|w| w.code == "propensity_short_history")
            .unwrap();
        assert_eq!(short.params["history_days"], 30);
        assert_eq!(short.params["horizon_days"], 90);
        assert!(short.message.contains("--horizon-days 60"), "{}", short.message);
        let new = r
            .warnings
            .iter()
            .find(|w| w.code == "propensity_new_customers")
            .unwrap();
        assert_eq!(new.params["count"], 10);
        assert_eq!(new.columns, ["p_buy", "p_buy_decile"]);
        // The rule: new customers keep their p_buy (a warning, not a blank).
        assert!(r.p_buy.iter().all(|p| p.is_finite()));
        assert_eq!(r.p_buy.len(), 50);
    }

    #[test]
    fn sentence_reads_recency_the_right_way_round() {
        assert!(sentence(Feature::RecencyDays, -0.8).starts_with("More recent last purchase"));
        assert!(sentence(Feature::Frequency, 0.5).starts_with("More orders"));
        assert!(sentence(Feature::Frequency, 0.001).contains("almost no difference"));
    }
}
