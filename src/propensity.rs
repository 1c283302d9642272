//! Propensity: who buys again in the next N days. The history is cut at as-of − N days;
//! behaviour features before the cut predict whether a customer bought in the N days after it
//! (logistic regression with L2, linfa-logistic), checked on held-out customers (ROC AUC, PR
//! AUC, Brier, lift, deciles, calibration). The model is then refit on every customer and scores
//! everyone on their behaviour at the as-of date, for a marketer's target list. Warnings travel
//! with `p_buy`: a validation AUC below 0.6 (below 0.55: no better than chance), a training
//! window shorter than the horizon, and scored customers who first bought after the cut.

use crate::customers::{self, Customers};
use crate::ingest::Transactions;
use crate::money::MoneySum;
use crate::time::{date_to_day, day_to_date, Day};
use crate::{Error, Warning};
use chrono::NaiveDate;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
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

/// One behaviour feature of a customer, measured at a cut date from purchases strictly before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Days from the last purchase to the cut.
    RecencyDays,
    /// Distinct orders (distinct purchase days without an order column).
    Frequency,
    /// Sum of purchase amounts.
    Monetary,
    /// Monetary / frequency.
    AvgOrderValue,
    /// Days from the first purchase to the cut.
    TenureDays,
    /// Mean days between distinct purchase days, (last − first) / (days − 1); for a customer
    /// with a single purchase day it is the tenure (the gap so far, still open).
    MeanGapDays,
    /// Days between the last two distinct purchase days; tenure for a single purchase day.
    LastGapDays,
    /// Orders (as counted by frequency) in the 30 days before the cut.
    Purchases30d,
    /// Orders in the 90 days before the cut.
    Purchases90d,
    /// Orders in the 180 days before the cut.
    Purchases180d,
    /// Returned amount / (purchased + returned amount), before the cut; 0 without returns.
    ReturnShare,
}

impl Feature {
    /// Column name (snake_case, as in the fixtures).
    pub fn name(self) -> &'static str {
        match self {
            Feature::RecencyDays => "recency_days",
            Feature::Frequency => "frequency",
            Feature::Monetary => "monetary",
            Feature::AvgOrderValue => "avg_order_value",
            Feature::TenureDays => "tenure_days",
            Feature::MeanGapDays => "mean_gap_days",
            Feature::LastGapDays => "last_gap_days",
            Feature::Purchases30d => "purchases_30d",
            Feature::Purchases90d => "purchases_90d",
            Feature::Purchases180d => "purchases_180d",
            Feature::ReturnShare => "return_share",
        }
    }

    /// Counts and money are log1p-transformed when `log_transform` is on.
    pub fn is_skewed(self) -> bool {
        matches!(
            self,
            Feature::Frequency
                | Feature::Monetary
                | Feature::AvgOrderValue
                | Feature::Purchases30d
                | Feature::Purchases90d
                | Feature::Purchases180d
        )
    }

    /// What a higher value means, and what a lower one means, in a marketer's words.
    fn phrases(self) -> (&'static str, &'static str) {
        match self {
            Feature::RecencyDays => ("longer since the last purchase", "more recent last purchase"),
            Feature::Frequency => ("more orders", "fewer orders"),
            Feature::Monetary => ("more money spent", "less money spent"),
            Feature::AvgOrderValue => ("larger orders", "smaller orders"),
            Feature::TenureDays => ("longer customer history", "newer customer"),
            Feature::MeanGapDays => (
                "longer usual time between purchases",
                "shorter usual time between purchases",
            ),
            Feature::LastGapDays => (
                "longer gap between the last two purchases",
                "shorter gap between the last two purchases",
            ),
            Feature::Purchases30d => (
                "more orders in the last 30 days",
                "fewer orders in the last 30 days",
            ),
            Feature::Purchases90d => (
                "more orders in the last 90 days",
                "fewer orders in the last 90 days",
            ),
            Feature::Purchases180d => (
                "more orders in the last 180 days",
                "fewer orders in the last 180 days",
            ),
            Feature::ReturnShare => ("more returns", "fewer returns"),
        }
    }
}

/// The features used for a given file: money features only when the file has amounts, the
/// return share only when it has returns.
pub fn feature_set(tx: &Transactions) -> Vec<Feature> {
    let mut out = vec![Feature::RecencyDays, Feature::Frequency];
    if tx.has_amount {
        out.extend([Feature::Monetary, Feature::AvgOrderValue]);
    }
    out.extend([
        Feature::TenureDays,
        Feature::MeanGapDays,
        Feature::LastGapDays,
        Feature::Purchases30d,
        Feature::Purchases90d,
        Feature::Purchases180d,
    ]);
    if tx.has_amount && !tx.returns.customer.is_empty() {
        out.push(Feature::ReturnShare);
    }
    out
}

/// Raw (untransformed) features of every customer with a purchase before `cut`.
struct RawFeatures {
    /// Index into `Transactions::customer_ids`, in `Customers` order.
    tx_customer: Vec<u32>,
    /// Row-major, `features.len()` values per customer.
    values: Vec<f64>,
}

fn raw_features(tx: &Transactions, cut: Day, features: &[Feature]) -> Result<RawFeatures, Error> {
    let summary = customers::summarize(tx, Some(day_to_date(cut)))?;
    let n_tx_customers = tx.customer_ids.len();
    let mut row_of = vec![usize::MAX; n_tx_customers];
    for (row, &c) in summary.tx_customer.iter().enumerate() {
        if let Some(slot) = row_of.get_mut(c as usize) {
            *slot = row;
        }
    }
    let n = summary.len();

    // (customer row, order unit, day) of each purchase before the cut; an order is dated by its
    // latest row so each unit is counted once, as frequency counts it.
    // u32 rows keep this at 12 bytes per purchase row on large files.
    let mut units: Vec<(u32, u32, Day)> = Vec::with_capacity(tx.len());
    for i in 0..tx.len() {
        let (Some(&d), Some(&c)) = (tx.day.get(i), tx.customer.get(i)) else {
            continue;
        };
        if d >= cut {
            continue;
        }
        let Some(&row) = row_of.get(c as usize) else {
            continue;
        };
        if row == usize::MAX {
            continue;
        }
        let unit = match &tx.order {
            Some(order) => order.get(i).copied().unwrap_or(d as u32),
            None => d as u32,
        };
        units.push((row as u32, unit, d));
    }
    units.sort_unstable();
    let mut window = vec![[0u32; 3]; n];
    let mut days: Vec<(u32, Day)> = Vec::with_capacity(units.len());
    let mut k = 0;
    while k < units.len() {
        let (row, unit, _) = units[k];
        let mut last_day = units[k].2;
        while k < units.len() && units[k].0 == row && units[k].1 == unit {
            last_day = last_day.max(units[k].2);
            days.push((row, units[k].2));
            k += 1;
        }
        for (w, span) in [30, 90, 180].iter().enumerate() {
            if last_day >= cut - span {
                window[row as usize][w] += 1;
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    // Mean gap and last gap over distinct purchase days.
    let mut gaps = vec![(f64::NAN, f64::NAN); n];
    let mut k = 0;
    while k < days.len() {
        let row = days[k].0;
        let start = k;
        while k < days.len() && days[k].0 == row {
            k += 1;
        }
        let group = &days[start..k];
        let tenure = f64::from(cut - group[0].1);
        gaps[row as usize] = if group.len() >= 2 {
            let first = group[0].1;
            let last = group[group.len() - 1].1;
            let before_last = group[group.len() - 2].1;
            (
                f64::from(last - first) / (group.len() - 1) as f64,
                f64::from(last - before_last),
            )
        } else {
            (tenure, tenure)
        };
    }

    let mut returned = vec![MoneySum::default(); n];
    let r = &tx.returns;
    for i in 0..r.customer.len() {
        let (Some(&c), Some(&d), Some(&a)) = (r.customer.get(i), r.day.get(i), r.amount.get(i)) else {
            continue;
        };
        if d >= cut {
            continue;
        }
        if let Some(&row) = row_of.get(c as usize) {
            if row != usize::MAX {
                returned[row].add(a.abs());
            }
        }
    }

    let mut values = Vec::with_capacity(n * features.len());
    for row in 0..n {
        for &f in features {
            let v = match f {
                Feature::RecencyDays => f64::from(summary.recency_days[row]),
                Feature::Frequency => f64::from(summary.frequency[row]),
                Feature::Monetary => summary.monetary[row],
                Feature::AvgOrderValue => summary.avg_order_value[row],
                Feature::TenureDays => f64::from(summary.tenure_days[row]),
                Feature::MeanGapDays => gaps[row].0,
                Feature::LastGapDays => gaps[row].1,
                Feature::Purchases30d => f64::from(window[row][0]),
                Feature::Purchases90d => f64::from(window[row][1]),
                Feature::Purchases180d => f64::from(window[row][2]),
                Feature::ReturnShare => {
                    let returned = returned[row].value();
                    let total = summary.monetary[row] + returned;
                    if total > 0.0 {
                        returned / total
                    } else {
                        0.0
                    }
                }
            };
            if !v.is_finite() {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "customer {} has a non-finite {} ({v}); check the amounts in the file",
                        summary.id[row],
                        f.name()
                    ),
                ));
            }
            values.push(v);
        }
    }
    Ok(RawFeatures {
        tx_customer: summary.tx_customer,
        values,
    })
}

fn transform(values: &mut [f64], features: &[Feature], log_transform: bool) {
    if !log_transform || features.is_empty() {
        return;
    }
    for row in values.chunks_mut(features.len()) {
        for (v, f) in row.iter_mut().zip(features) {
            if f.is_skewed() {
                // Counts and money are ≥ 0; max guards log1p against a stray negative.
                *v = libm::log1p(v.max(0.0));
            }
        }
    }
}

/// Mean and standard deviation (population, ddof = 0, as sklearn's `StandardScaler`) per column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scaler {
    pub mean: Vec<f64>,
    /// 1.0 for a constant column, so it standardises to 0 instead of NaN.
    pub std: Vec<f64>,
}

impl Scaler {
    fn fit(values: &[f64], rows: &[usize], p: usize) -> Scaler {
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

    fn apply(&self, values: &[f64], rows: &[usize]) -> Array2<f64> {
        let p = self.mean.len();
        Array2::from_shape_fn((rows.len(), p), |(i, j)| {
            (values[rows[i] * p + j] - self.mean[j]) / self.std[j]
        })
    }
}

/// The exact design of the time split: standardised feature matrices and labels of the
/// training and validation customers. Exposed so tests can hand the identical matrix to
/// scikit-learn.
#[derive(Debug, Clone)]
pub struct PropensityDesign {
    pub as_of: NaiveDate,
    pub cut: NaiveDate,
    pub features: Vec<Feature>,
    /// Customer ids of the training rows, in matrix order.
    pub train_ids: Vec<String>,
    /// Standardised with the training mean / std.
    pub train_x: Array2<f64>,
    pub train_y: Vec<bool>,
    pub validation_ids: Vec<String>,
    /// Standardised with the training mean / std.
    pub validation_x: Array2<f64>,
    pub validation_y: Vec<bool>,
    /// The training-set scaler (on the log1p scale for skewed features).
    pub scaler: Scaler,
    /// Customers with a purchase on or after the cut and none before it: not in the model.
    pub new_after_cut: usize,
    /// First purchase in the file: the training history runs from it to the cut.
    pub first_purchase: NaiveDate,
    /// Days from the first purchase in the file to the cut (the history features can see).
    pub history_days: u32,
}

/// Everything `fit` needs beyond the public design.
struct Prepared {
    design: PropensityDesign,
    /// Transformed (not standardised) features of every customer before the cut.
    values: Vec<f64>,
    labels: Vec<bool>,
}

fn prepare(tx: &Transactions, as_of: NaiveDate, params: &PropensityParams) -> Result<Prepared, Error> {
    params.check()?;
    let Some(&first_day) = tx.day.iter().min() else {
        return Err(Error::data(ANALYSIS, "the file has no purchases"));
    };
    let as_of_day = date_to_day(as_of);
    let cut_day = as_of_day - params.horizon_days as Day;
    let cut = day_to_date(cut_day);
    if cut_day <= first_day {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "the {}-day horizon is longer than the history: the training cut ({cut}) falls on or \
                 before the first purchase ({}); choose a horizon shorter than {} days",
                params.horizon_days,
                day_to_date(first_day),
                as_of_day - first_day
            ),
        ));
    }
    let features = feature_set(tx);
    let p = features.len();
    // cut_day > first_day, so at least one customer bought before the cut.
    let raw = raw_features(tx, cut_day, &features)?;
    let mut values = raw.values;
    transform(&mut values, &features, params.log_transform);
    let n = raw.tx_customer.len();

    // Label: bought at least once in [cut, as_of).
    let mut bought_after = vec![false; tx.customer_ids.len()];
    let mut seen_before = vec![false; tx.customer_ids.len()];
    for &c in &raw.tx_customer {
        if let Some(s) = seen_before.get_mut(c as usize) {
            *s = true;
        }
    }
    for (&d, &c) in tx.day.iter().zip(&tx.customer) {
        if d >= cut_day && d < as_of_day {
            if let Some(b) = bought_after.get_mut(c as usize) {
                *b = true;
            }
        }
    }
    let new_after_cut = bought_after
        .iter()
        .zip(&seen_before)
        .filter(|(b, s)| **b && !**s)
        .count();
    let labels: Vec<bool> = raw
        .tx_customer
        .iter()
        .map(|&c| bought_after.get(c as usize).copied().unwrap_or(false))
        .collect();
    let positives = labels.iter().filter(|&&y| y).count();
    let negatives = n - positives;
    if n < MIN_CUSTOMERS {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "only {n} customers bought before the training cut {cut}; at least {MIN_CUSTOMERS} \
                 are needed (try a shorter horizon or a longer history)"
            ),
        ));
    }
    if positives == 0 || negatives == 0 {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "all {n} customers known at the cut {cut} {} in the {} days after it, so there is \
                 nothing to tell apart; try a different horizon",
                if positives == 0 {
                    "did not buy again"
                } else {
                    "bought again"
                },
                params.horizon_days
            ),
        ));
    }
    if positives < MIN_PER_CLASS || negatives < MIN_PER_CLASS {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "too few customers of one kind to learn from: {positives} bought again and \
                 {negatives} did not in the {} days after {cut}; at least {MIN_PER_CLASS} of each \
                 are needed",
                params.horizon_days
            ),
        ));
    }

    // Seeded split, stratified by label so both sets hold buyers and non-buyers.
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = Xoshiro256Plus::seed_from_u64(params.seed);
    order.shuffle(&mut rng);
    let mut is_validation = vec![false; n];
    for class in [true, false] {
        let members: Vec<usize> = order.iter().copied().filter(|&i| labels[i] == class).collect();
        let k =
            ((members.len() as f64 * params.validation_share).round() as usize).clamp(1, members.len() - 1);
        for &i in &members[..k] {
            is_validation[i] = true;
        }
    }
    let train_rows: Vec<usize> = (0..n).filter(|&i| !is_validation[i]).collect();
    let validation_rows: Vec<usize> = (0..n).filter(|&i| is_validation[i]).collect();
    let scaler = Scaler::fit(&values, &train_rows, p);
    let id = |i: &usize| {
        tx.customer_ids
            .get(raw.tx_customer[*i] as usize)
            .cloned()
            .unwrap_or_default()
    };
    let design = PropensityDesign {
        as_of,
        cut,
        train_ids: train_rows.iter().map(id).collect(),
        train_x: scaler.apply(&values, &train_rows),
        train_y: train_rows.iter().map(|&i| labels[i]).collect(),
        validation_ids: validation_rows.iter().map(id).collect(),
        validation_x: scaler.apply(&values, &validation_rows),
        validation_y: validation_rows.iter().map(|&i| labels[i]).collect(),
        features,
        scaler,
        new_after_cut,
        first_purchase: day_to_date(first_day),
        history_days: (cut_day - first_day) as u32,
    };
    Ok(Prepared {
        design,
        values,
        labels,
    })
}

/// Builds the standardised training and validation matrices exactly as [`fit`] uses them.
pub fn design(
    tx: &Transactions,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<PropensityDesign, Error> {
    Ok(prepare(tx, customers.as_of, params)?.design)
}

/// A fitted linear model on the standardised scale, oriented so that a positive weight raises
/// the chance of buying.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinearModel {
    pub intercept: f64,
    /// One per feature, in `PropensityReport::features` order.
    pub coefficients: Vec<f64>,
}

impl LinearModel {
    fn probability(&self, row: ndarray::ArrayView1<f64>) -> f64 {
        let z = self.intercept
            + row
                .iter()
                .zip(&self.coefficients)
                .map(|(x, w)| x * w)
                .sum::<f64>();
        sigmoid(z)
    }

    fn predict(&self, x: &Array2<f64>) -> Vec<f64> {
        x.rows().into_iter().map(|r| self.probability(r)).collect()
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + libm::exp(-z))
    } else {
        let e = libm::exp(z);
        e / (1.0 + e)
    }
}

/// −log σ(t), without overflow.
fn neg_log_sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        libm::log1p(libm::exp(-t))
    } else {
        -t + libm::log1p(libm::exp(t))
    }
}

/// Objective of linfa-logistic, Σ −log σ(±zᵢ) + α/2 ‖w‖², with its gradient and Hessian in
/// θ = (w, b). Plain sequential loops: the same bits natively and in wasm.
fn objective(
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

/// Solves H d = g for symmetric positive definite H (lower triangle filled), by Cholesky.
fn solve_spd(hess: &[f64], g: &[f64]) -> Option<Vec<f64>> {
    let q = g.len();
    let mut l = vec![0.0; q * q];
    for j in 0..q {
        let mut d = hess[j * q + j];
        for k in 0..j {
            d -= l[j * q + k] * l[j * q + k];
        }
        if d.is_nan() || d <= 1e-300 {
            return None;
        }
        let d = d.sqrt();
        l[j * q + j] = d;
        for i in j + 1..q {
            let mut s = hess[i * q + j];
            for k in 0..j {
                s -= l[i * q + k] * l[j * q + k];
            }
            l[i * q + j] = s / d;
        }
    }
    let mut z = vec![0.0; q];
    for i in 0..q {
        let mut s = g[i];
        for k in 0..i {
            s -= l[i * q + k] * z[k];
        }
        z[i] = s / l[i * q + i];
    }
    let mut d = vec![0.0; q];
    for i in (0..q).rev() {
        let mut s = z[i];
        for k in i + 1..q {
            s -= l[k * q + i] * d[k];
        }
        d[i] = s / l[i * q + i];
    }
    d.iter().all(|v| v.is_finite()).then_some(d)
}

/// One damped Newton step; None when it cannot lower the objective.
fn newton_step(x: &Array2<f64>, y: &[bool], alpha: f64, theta: &[f64]) -> Option<Vec<f64>> {
    let (obj, grad, hess) = objective(x, y, alpha, theta, true);
    let d = solve_spd(&hess, &grad)?;
    let mut scale = 1.0;
    for _ in 0..20 {
        let next: Vec<f64> = theta.iter().zip(&d).map(|(t, d)| t - scale * d).collect();
        let (next_obj, _, _) = objective(x, y, alpha, &next, false);
        if next_obj <= obj {
            return Some(next);
        }
        scale *= 0.5;
    }
    None
}

/// Finishes linfa's L-BFGS solution with Newton steps on the same objective. L-BFGS stops at a
/// gradient tolerance and its matrix products differ in the last bits between CPUs (FMA) and
/// wasm; Newton converges to machine precision, the result is snapped to a 1e-9 grid and one
/// last step is taken from there, so every target starts the final step from the same numbers.
fn polish(x: &Array2<f64>, y: &[bool], alpha: f64, start: &LinearModel) -> LinearModel {
    let mut theta: Vec<f64> = start.coefficients.clone();
    theta.push(start.intercept);
    for _ in 0..10 {
        match newton_step(x, y, alpha, &theta) {
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
    let last = newton_step(x, y, alpha, &snapped).unwrap_or(snapped);
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
        ));
    }
    let out = polish(x, y, params.alpha, &linfa_solution);
    if !out.intercept.is_finite() || out.coefficients.iter().any(|w| !w.is_finite()) {
        return Err(Error::data(
            ANALYSIS,
            "the logistic regression diverged (the classes may be perfectly separable); try a larger alpha",
        ));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Metrics

/// ROC AUC as the Mann-Whitney statistic: the chance a random buyer scores above a random
/// non-buyer, ties counting one half (sklearn `roc_auc_score`). None when a class is missing.
pub fn roc_auc(y: &[bool], p: &[f64]) -> Option<f64> {
    let n = y.len().min(p.len());
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let positives = y[..n].iter().filter(|&&v| v).count();
    let negatives = n - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Sum of mid-ranks (1-based) of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && p[idx[j + 1]] == p[idx[i]] {
            j += 1;
        }
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mid_rank * idx[i..=j].iter().filter(|&&k| y[k]).count() as f64;
        i = j + 1;
    }
    let (np, nn) = (positives as f64, negatives as f64);
    Some((rank_sum - np * (np + 1.0) / 2.0) / (np * nn))
}

/// Indices sorted by score, highest first; ties keep customer order (stable).
fn by_score_desc(p: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..p.len()).collect();
    idx.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    idx
}

/// Average precision, Σ (Rₖ − Rₖ₋₁) Pₖ over distinct score thresholds, highest first
/// (sklearn `average_precision_score`). None without buyers.
pub fn average_precision(y: &[bool], p: &[f64]) -> Option<f64> {
    let n = y.len().min(p.len());
    let positives = y[..n].iter().filter(|&&v| v).count();
    if positives == 0 {
        return None;
    }
    let idx = by_score_desc(&p[..n]);
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut ap = 0.0;
    let mut prev_recall = 0.0;
    let mut i = 0;
    while i < n {
        let threshold = p[idx[i]];
        while i < n && p[idx[i]] == threshold {
            if y[idx[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        let recall = tp as f64 / positives as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - prev_recall) * precision;
        prev_recall = recall;
    }
    Some(ap)
}

/// Brier score: mean squared difference between predicted probability and outcome (0 = perfect).
pub fn brier_score(y: &[bool], p: &[f64]) -> Option<f64> {
    let n = y.len().min(p.len());
    if n == 0 {
        return None;
    }
    let s: f64 = y
        .iter()
        .zip(p)
        .map(|(&y, &p)| {
            let e = p - f64::from(u8::from(y));
            e * e
        })
        .sum();
    Some(s / n as f64)
}

/// One point of the ROC curve: at `threshold`, the shares of non-buyers (fpr) and buyers (tpr)
/// scored at or above it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RocPoint {
    pub fpr: f64,
    pub tpr: f64,
    /// Predicted probability cut-off; +inf is written as 1.0 for the (0, 0) corner.
    pub threshold: f64,
}

/// ROC curve at distinct thresholds, from (0, 0) to (1, 1), thinned to at most
/// `MAX_ROC_POINTS` points for charting.
pub fn roc_curve(y: &[bool], p: &[f64]) -> Vec<RocPoint> {
    let n = y.len().min(p.len());
    let positives = y[..n].iter().filter(|&&v| v).count().max(1) as f64;
    let negatives = (n - y[..n].iter().filter(|&&v| v).count()).max(1) as f64;
    let idx = by_score_desc(&p[..n]);
    let mut points = vec![RocPoint {
        fpr: 0.0,
        tpr: 0.0,
        threshold: 1.0,
    }];
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut i = 0;
    while i < n {
        let threshold = p[idx[i]];
        while i < n && p[idx[i]] == threshold {
            if y[idx[i]] {
                tp += 1;
            } else {
                fp += 1;
            }
            i += 1;
        }
        points.push(RocPoint {
            fpr: fp as f64 / negatives,
            tpr: tp as f64 / positives,
            threshold,
        });
    }
    thin(points, MAX_ROC_POINTS)
}

/// Keeps the first and last points and an even selection in between.
fn thin<T: Clone>(points: Vec<T>, max: usize) -> Vec<T> {
    if points.len() <= max || max < 2 {
        return points;
    }
    let last = points.len() - 1;
    (0..max)
        .map(|k| points[(k * last + (max - 1) / 2) / (max - 1)].clone())
        .collect()
}

/// One point of the cumulative gains curve: contacting the top `share_contacted` of customers
/// by predicted probability reaches `share_of_buyers` of all buyers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GainsPoint {
    pub share_contacted: f64,
    pub share_of_buyers: f64,
}

/// Gains at every whole percent of customers contacted (101 points, 0 % to 100 %).
pub fn gains_curve(y: &[bool], p: &[f64]) -> Vec<GainsPoint> {
    let n = y.len().min(p.len());
    let positives = y[..n].iter().filter(|&&v| v).count();
    let idx = by_score_desc(&p[..n]);
    let mut cum = Vec::with_capacity(n + 1);
    cum.push(0usize);
    for &i in &idx {
        let last = cum.last().copied().unwrap_or(0);
        cum.push(last + usize::from(y[i]));
    }
    (0..=100)
        .map(|pct| {
            let k = (pct * n + 50) / 100;
            GainsPoint {
                share_contacted: pct as f64 / 100.0,
                share_of_buyers: if positives == 0 {
                    0.0
                } else {
                    cum[k.min(n)] as f64 / positives as f64
                },
            }
        })
        .collect()
}

/// One tenth of the customers ranked by predicted probability (decile 1 = highest).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecileRow {
    pub decile: u8,
    pub customers: usize,
    pub buyers: usize,
    /// buyers / customers.
    pub rate: f64,
    /// rate / base rate.
    pub lift: f64,
    pub mean_p_buy: f64,
    pub min_p_buy: f64,
    pub max_p_buy: f64,
}

/// Decile of each customer (1 = highest p) by rank: the i-th highest (0-based, ties in customer
/// order) is in decile 1 + ⌊10 i / n⌋.
pub fn deciles_of(p: &[f64]) -> Vec<u8> {
    let n = p.len();
    let mut out = vec![10u8; n];
    for (rank, &i) in by_score_desc(p).iter().enumerate() {
        out[i] = 1 + (rank * 10 / n.max(1)) as u8;
    }
    out
}

/// The decile table of a labelled set.
pub fn decile_table(y: &[bool], p: &[f64]) -> Vec<DecileRow> {
    let n = y.len().min(p.len());
    let deciles = deciles_of(&p[..n]);
    let positives = y[..n].iter().filter(|&&v| v).count();
    let base = if n == 0 { 0.0 } else { positives as f64 / n as f64 };
    (1..=10u8)
        .map(|d| {
            let members: Vec<usize> = (0..n).filter(|&i| deciles[i] == d).collect();
            let customers = members.len();
            let buyers = members.iter().filter(|&&i| y[i]).count();
            let rate = if customers == 0 {
                0.0
            } else {
                buyers as f64 / customers as f64
            };
            let ps = members.iter().map(|&i| p[i]);
            DecileRow {
                decile: d,
                customers,
                buyers,
                rate,
                lift: if base > 0.0 { rate / base } else { 0.0 },
                mean_p_buy: if customers == 0 {
                    0.0
                } else {
                    ps.clone().sum::<f64>() / customers as f64
                },
                min_p_buy: ps.clone().fold(f64::INFINITY, f64::min).min(1.0),
                max_p_buy: ps.fold(f64::NEG_INFINITY, f64::max).max(0.0),
            }
        })
        .collect()
}

/// One bin of predicted probability: how often its customers actually bought.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub customers: usize,
    pub mean_predicted: f64,
    pub actual_rate: f64,
}

/// Ten equal-width bins of predicted probability (sklearn `calibration_curve`, uniform);
/// empty bins are left out.
pub fn calibration_table(y: &[bool], p: &[f64]) -> Vec<CalibrationBin> {
    let bins = 10usize;
    let mut count = vec![0usize; bins];
    let mut sum_p = vec![0.0; bins];
    let mut buyers = vec![0usize; bins];
    for (&y, &p) in y.iter().zip(p) {
        let b = ((p * bins as f64) as usize).min(bins - 1);
        count[b] += 1;
        sum_p[b] += p;
        buyers[b] += usize::from(y);
    }
    (0..bins)
        .filter(|&b| count[b] > 0)
        .map(|b| CalibrationBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            customers: count[b],
            mean_predicted: sum_p[b] / count[b] as f64,
            actual_rate: buyers[b] as f64 / count[b] as f64,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Report

/// How a feature entered the model.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// What the validation AUC says about the model's skill: `propensity_no_skill` below
/// [`NO_SKILL_AUC`], `propensity_weak` below [`WEAK_AUC`], nothing otherwise.
pub fn skill_warning(auc: f64, horizon_days: u32) -> Option<Warning> {
    let other = if horizon_days > 30 { 30 } else { 90 };
    let (code, message) = if auc < NO_SKILL_AUC {
        (
            "propensity_no_skill",
            format!(
                "Validation AUC is {auc:.2}, no better than chance: p_buy and its deciles do not rank \
                 customers better than a coin toss, so do not use them to pick targets; try another \
                 horizon (--horizon-days {other}) or a file with more history."
            ),
        )
    } else if auc < WEAK_AUC {
        (
            "propensity_weak",
            format!(
                "Validation AUC is {auc:.2}, only a little better than chance: p_buy and its deciles \
                 rank customers weakly, so use them with care; try another horizon \
                 (--horizon-days {other}) or a file with more history."
            ),
        )
    } else {
        return None;
    };
    Some(
        Warning::new(code, message)
            .with_param("auc", auc)
            .on_columns(&COLUMNS),
    )
}

/// `propensity_short_history`: the training window (first purchase to cut) is shorter than
/// the horizon the model predicts.
fn short_history_warning(history_days: u32, horizon_days: u32, cut: NaiveDate) -> Option<Warning> {
    if history_days >= horizon_days {
        return None;
    }
    // Horizon h with h ≤ span − h, so the training window is at least as long as the horizon.
    let suggested = ((history_days + horizon_days) / 2).max(1);
    Some(
        Warning::new(
            "propensity_short_history",
            format!(
                "The model learned from only {history_days} days of purchases before the cut \
                 {cut}, less than the {horizon_days}-day horizon it predicts, so p_buy rests on \
                 little behaviour; use a shorter horizon (--horizon-days {suggested})."
            ),
        )
        .with_param("history_days", history_days)
        .with_param("horizon_days", horizon_days)
        .on_columns(&COLUMNS),
    )
}

/// `propensity_new_customers`: scored customers whose first purchase is on or after the cut.
/// Their p_buy is kept (the rule): the final model was fitted on customers as they stood at the
/// cut, including ones who had just started, so a new customer's features are in its range, but
/// none of these customers was in training and their outcome was never checked.
fn new_customers_warning(count: usize, scored: usize, cut: NaiveDate, horizon_days: u32) -> Option<Warning> {
    if count == 0 {
        return None;
    }
    let share = count as f64 / scored.max(1) as f64;
    let shorter = (horizon_days / 3).max(1);
    Some(
        Warning::new(
            "propensity_new_customers",
            format!(
                "{count} of the {scored} scored customers ({:.0} %) first bought on or after the \
                 training cut {cut}, so the model never saw them in training and their p_buy is an \
                 extrapolation from customers who were new at the cut; treat it as rough, or use a \
                 shorter horizon (--horizon-days {shorter}) so fewer customers fall after the cut.",
                share * 100.0
            ),
        )
        .with_param("count", count)
        .with_param("scored_customers", scored)
        .with_param("cut", cut.to_string())
        .on_columns(&COLUMNS),
    )
}

/// Fits the time-split propensity model, measures it on held-out customers, and scores every
/// customer in `customers` at its as-of date.
///
/// `customers` must come from the same `tx` (it is `customers::summarize(tx, as_of)`); its
/// as-of date sets the end of the label window.
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
/// let report = propensity::fit(&tx, &customers, &PropensityParams::default().horizon_days(60))?;
/// assert_eq!(report.p_buy.len(), customers.len());
/// assert!(report.metrics.roc_auc > 0.5);
/// # Ok::<(), clientele::Error>(())
/// ```
pub fn fit(
    tx: &Transactions,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<PropensityReport, Error> {
    let prepared = prepare(tx, customers.as_of, params)?;
    let design = &prepared.design;
    let features = design.features.clone();
    let p = features.len();

    let train_model = fit_logistic(&design.train_x, &design.train_y, params)?;
    let p_val = train_model.predict(&design.validation_x);
    let y_val = &design.validation_y;
    let missing = || Error::data(ANALYSIS, "the validation set lacks buyers or non-buyers");
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
    let as_of_day = date_to_day(customers.as_of);
    let mut now = raw_features(tx, as_of_day, &features)?;
    transform(&mut now.values, &features, params.log_transform);
    let mut row_of = vec![usize::MAX; tx.customer_ids.len()];
    for (row, &c) in now.tx_customer.iter().enumerate() {
        if let Some(slot) = row_of.get_mut(c as usize) {
            *slot = row;
        }
    }
    let mut rows = Vec::with_capacity(customers.len());
    for (k, &c) in customers.tx_customer.iter().enumerate() {
        match row_of.get(c as usize) {
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
    let p_buy = model.predict(&scaler.apply(&now.values, &rows));
    let cut_day = date_to_day(design.cut);
    let mut before_cut = vec![false; tx.customer_ids.len()];
    for (&d, &c) in tx.day.iter().zip(&tx.customer) {
        if d < cut_day {
            if let Some(b) = before_cut.get_mut(c as usize) {
                *b = true;
            }
        }
    }
    let scored_new = customers
        .tx_customer
        .iter()
        .filter(|&&c| !before_cut.get(c as usize).copied().unwrap_or(false))
        .count();
    let warnings: Vec<Warning> = [
        skill_warning(metrics.roc_auc, params.horizon_days),
        short_history_warning(design.history_days, params.horizon_days, design.cut),
        new_customers_warning(scored_new, customers.len(), design.cut, params.horizon_days),
    ]
    .into_iter()
    .flatten()
    .collect();
    let last_day = |d: NaiveDate| d - chrono::Duration::days(1);
    let windows = format!(
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
        prepared.labels.len(),
        100.0 * params.validation_share,
        last_day(customers.as_of),
        params.horizon_days,
        customers.as_of
    );
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let r = fit(&tx, &cust, &params).unwrap();
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
        let again = fit(&tx, &cust, &params).unwrap();
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
        let other_seed = fit(&tx, &cust, &params.clone().seed(7)).unwrap();
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
        let features = feature_set(&tx);
        let raw = raw_features(&tx, base + 50, &features).unwrap();
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
        let features = feature_set(&tx);
        assert_eq!(features.last(), Some(&Feature::ReturnShare));
        let raw = raw_features(&tx, base + 50, &features).unwrap();
        assert_eq!(raw.values.last(), Some(&0.25));
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
        assert!(data_error(fit(&tx, &cust, &long)).contains("longer than the history"));

        let few = shop(10);
        let cust_few = customers::summarize(&few, None).unwrap();
        assert!(data_error(fit(&few, &cust_few, &PropensityParams::default())).contains("at least 20"));

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
        assert!(data_error(fit(&all, &cust_all, &PropensityParams::default())).contains("bought again"));

        assert!(matches!(
            fit(
                &Transactions::default(),
                &Customers::default(),
                &PropensityParams::default()
            ),
            Err(Error::Data { .. })
        ));
        assert!(matches!(
            fit(&tx, &cust, &PropensityParams::default().alpha(-2.0)),
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
            let d = design(&tx, &cust, &params).unwrap();
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
        match fit(&tx, &cust, &params) {
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
        let r = fit(&tx, &cust, &PropensityParams::default()).unwrap();
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
        let r = fit(&tx, &cust, &PropensityParams::default()).unwrap();
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
        let r = fit(&tx, &cust, &PropensityParams::default()).unwrap();
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
