//! How well the propensity model ranks and fits on held-out customers: ROC AUC, average
//! precision, Brier score, the ROC and gains curves, deciles, calibration, and the warnings
//! that follow from them (weak skill, a short history, customers newer than the cut).

use super::{COLUMNS, MAX_ROC_POINTS, NO_SKILL_AUC, WEAK_AUC};
use crate::Warning;
use chrono::NaiveDate;
use serde::Serialize;

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
pub(super) fn by_score_desc(p: &[f64]) -> Vec<usize> {
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
pub(super) fn thin<T: Clone>(points: Vec<T>, max: usize) -> Vec<T> {
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
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
            .with_param("other_horizon_days", other)
            .on_columns(&COLUMNS),
    )
}

/// `propensity_short_history`: the training window (first purchase to cut) is shorter than
/// the horizon the model predicts.
pub(super) fn short_history_warning(history_days: u32, horizon_days: u32, cut: NaiveDate) -> Option<Warning> {
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
        .with_param("cut", cut.to_string())
        .with_param("suggested_horizon_days", suggested)
        .on_columns(&COLUMNS),
    )
}

/// `propensity_new_customers`: scored customers whose first purchase is on or after the cut.
/// Their p_buy is kept (the rule): the final model was fitted on customers as they stood at the
/// cut, including ones who had just started, so a new customer's features are in its range, but
/// none of these customers was in training and their outcome was never checked.
pub(super) fn new_customers_warning(
    count: usize,
    scored: usize,
    cut: NaiveDate,
    horizon_days: u32,
) -> Option<Warning> {
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
        .with_param("share", share)
        .with_param("shorter_horizon_days", shorter)
        .on_columns(&COLUMNS),
    )
}
