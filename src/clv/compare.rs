//! Choosing the purchase model on evidence a user can see: the history is split into a
//! calibration and a holdout period (the caller's `calibration_end`, else the last third of the
//! history and at least 8 weeks), all three models are fitted on calibration and compared on
//! the holdout (per-customer mean absolute error of holdout purchases, the weekly cumulative
//! repeat-purchase tracking curve of Fader, Hardie & Lee 2005, calibration log-likelihood and
//! BIC). `auto` takes the lowest holdout error among the sound fits.

use super::summary::{purchase_days_from, repeat_summary_from};
use super::{
    fit_purchase_model, message, ClvParams, ModelComparison, ModelComparisonRow, PurchaseModelKind,
    PurchasePredictions, TrackingCurve,
};
use crate::history::{History, Purchases};
use crate::time::{day_to_date, Day};
use crate::Warning;

/// The holdout is at least this long (8 weeks), and so is the calibration period.
pub(super) const MIN_HOLDOUT_DAYS: i32 = 56;
/// At most this many points on the tracking curve (weekly up to 5 years).
const MAX_TRACKING_POINTS: i32 = 260;

/// The calibration cut for the comparison: `requested` when given, else the last third of the
/// history (or `holdout_days`), at least [`MIN_HOLDOUT_DAYS`]; `Err` with the reason when the
/// history is too short for both periods.
pub(super) fn comparison_cut(
    params: &ClvParams,
    requested: Option<Day>,
    first_day: Day,
    observation_end: Day,
) -> Result<(Day, String), Warning> {
    if let Some(day) = requested {
        return Ok((day, "calibration_end".to_string()));
    }
    let span = observation_end - first_day + 1;
    let (holdout, rule) = match params.holdout_days {
        Some(d) => (d as i32, "holdout_days"),
        None => (((span + 2) / 3).max(MIN_HOLDOUT_DAYS), "last_third"),
    };
    if span - holdout < MIN_HOLDOUT_DAYS {
        return Err(message(
            "comparison_too_short",
            format!(
                "The history spans {span} days: too short for a calibration period and a holdout of {holdout} days \
                 (each needs at least {MIN_HOLDOUT_DAYS}), so the purchase models are not compared."
            ),
        )
        .with_param("span", span)
        .with_param("holdout", holdout)
        .with_param("min", MIN_HOLDOUT_DAYS));
    }
    Ok((observation_end - holdout, rule.to_string()))
}

/// Why a summary cannot give the comparison's calibration window ending on `cut`: code
/// `comparison_summary_cut` (the summary's purchases end on `held_to`, its CLV cut is `clv_cut`)
/// or `comparison_summary_no_cut`, the comparison needing `needed`.
fn summary_cut(history: Purchases, cut: Day, english: String) -> Warning {
    let Purchases::Summary(s) = history else {
        return message("comparison_summary_no_cut", english);
    };
    let held_to = (s.as_of - chrono::Duration::days(1)).to_string();
    let w = match s.clv_cut {
        Some(c) => message("comparison_summary_cut", english).with_param("clv_cut", c.to_string()),
        None => message("comparison_summary_no_cut", english),
    };
    w.with_param("held_to", held_to)
        .with_param("needed", day_to_date(cut).to_string())
}

/// Fits the three models on purchases up to `cut` and compares them on `cut < day ≤ end`.
pub(super) fn compare_models(
    history: Purchases,
    cut: Day,
    observation_end: Day,
    split_rule: String,
    params: &ClvParams,
) -> Result<ModelComparison, Warning> {
    let unit = params.time_unit;
    let window = repeat_summary_from(history, cut, unit).map_err(|m| summary_cut(history, cut, m))?;
    let cohort: Vec<usize> = (0..history.len()).filter(|&c| window.present[c]).collect();
    let pick = |v: &[f64]| cohort.iter().map(|&c| v[c]).collect::<Vec<f64>>();
    let (x, t_x, t) = (pick(&window.x), pick(&window.t_x), pick(&window.t));
    if cohort.len() < 2 || !x.iter().any(|&v| v > 0.0) || !t.iter().any(|&v| v > 0.0) {
        return Err(message(
            "comparison_too_few",
            format!(
                "Too few customers bought repeatedly before {} to fit the models on a calibration period, \
                 so they are not compared.",
                day_to_date(cut)
            ),
        )
        .with_param("cut", day_to_date(cut).to_string()));
    }
    let holdout =
        purchase_days_from(history, cut, observation_end).map_err(|m| summary_cut(history, cut, m))?;
    let actual: Vec<f64> = cohort.iter().map(|&c| holdout[c]).collect();
    let duration = (observation_end - cut) as f64 / unit.days();
    let first_days: Vec<Day> = cohort
        .iter()
        .map(|&c| cut - (window.t[c] * unit.days()).round() as Day)
        .collect();
    let mut rows = Vec::new();
    for kind in PurchaseModelKind::ALL {
        let fit = fit_purchase_model(kind, &x, &t_x, &t, params.penalizer, params.max_iterations);
        let model = fit.params;
        let (mut abs, mut predicted) = (0.0, 0.0);
        for i in 0..x.len() {
            let e = model.conditional_expected_purchases(duration, x[i], t_x[i], t[i]);
            let e = if e.is_finite() { e } else { 0.0 };
            abs += (e - actual[i]).abs();
            predicted += e;
        }
        rows.push(ModelComparisonRow {
            model: kind,
            holdout_mae: abs / x.len() as f64,
            holdout_predicted: predicted,
            fit,
        });
    }
    let tracking = tracking_curve(history, &cohort, &first_days, &rows, observation_end, unit.days());
    let best = rows
        .iter()
        .filter(|r| r.fit.fit_status.ok && r.holdout_mae.is_finite())
        .min_by(|a, b| a.holdout_mae.total_cmp(&b.holdout_mae))
        .map(|r| r.model);
    Ok(ModelComparison {
        calibration_end: day_to_date(cut),
        holdout_end: day_to_date(observation_end),
        holdout_periods: duration,
        split_rule,
        customers: cohort.len(),
        holdout_actual: actual.iter().sum(),
        rows,
        tracking,
        best,
    })
}

/// Each cohort customer's repeat purchase days up to `end`, counted in the period holding them.
fn observed_repeat_days(
    history: &History,
    cohort: &[usize],
    period_end: &[Day],
    end: Day,
    counts: &mut [f64],
) {
    for &c in cohort {
        let days = &history.day[history.purchases(c)];
        let mut prev: Option<Day> = days.first().copied();
        for &d in days.iter().skip(1).filter(|&&d| d <= end) {
            if prev != Some(d) {
                let k = period_end.partition_point(|&e| e < d);
                if let Some(slot) = counts.get_mut(k) {
                    *slot += 1.0;
                }
                prev = Some(d);
            }
        }
    }
}

/// Cumulative repeat purchase days of the calibration cohort, observed (from the purchases
/// only: a summary does not hold the days, and `actual` is then empty) and as each model
/// expects for customers who first bought on their first day (Σᵢ E[X(d − sᵢ)]), at the end of
/// every week (or longer periods for long histories) from the first purchase to `end`.
fn tracking_curve(
    history: Purchases,
    cohort: &[usize],
    first_days: &[Day],
    rows: &[ModelComparisonRow],
    end: Day,
    unit_days: f64,
) -> TrackingCurve {
    let start = first_days.iter().copied().min().unwrap_or(end);
    let span = end - start + 1;
    let step = 7.max((span + MAX_TRACKING_POINTS - 1) / MAX_TRACKING_POINTS);
    let points = ((span + step - 1) / step).max(1);
    let period_end: Vec<Day> = (1..=points).map(|k| (start + k * step - 1).min(end)).collect();
    // Observed: each repeat purchase day in the period that contains it.
    let mut counts = vec![0.0; period_end.len()];
    match history {
        Purchases::History(history) => observed_repeat_days(history, cohort, &period_end, end, &mut counts),
        Purchases::Summary(_) => counts.clear(),
    }
    let mut total = 0.0;
    let actual: Vec<f64> = counts
        .iter()
        .map(|v| {
            total += v;
            total
        })
        .collect();
    // Expected: customers grouped by first day.
    let mut firsts: Vec<Day> = first_days.to_vec();
    firsts.sort_unstable();
    let mut groups: Vec<(Day, f64)> = Vec::new();
    for d in firsts {
        match groups.last_mut() {
            Some((g, n)) if *g == d => *n += 1.0,
            _ => groups.push((d, 1.0)),
        }
    }
    // E[X(τ)] once per whole number of days τ: every (period end − first day) is one of them.
    let predicted = rows
        .iter()
        .map(|row| {
            let by_day: Vec<f64> = (0..span.max(1))
                .map(|tau| row.fit.params.expected_purchases(tau as f64 / unit_days))
                .map(|e| if e.is_finite() { e } else { 0.0 })
                .collect();
            period_end
                .iter()
                .map(|&e| {
                    groups
                        .iter()
                        .take_while(|(d, _)| *d <= e)
                        .map(|&(d, n)| n * by_day.get((e - d) as usize).copied().unwrap_or(0.0))
                        .sum()
                })
                .collect()
        })
        .collect();
    TrackingCurve {
        period_end: period_end.into_iter().map(day_to_date).collect(),
        actual,
        models: rows.iter().map(|r| r.model).collect(),
        predicted,
    }
}
