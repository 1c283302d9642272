//! The lifetime-value report: [`fit`] checks the input, summarises each customer's repeat
//! purchases (fitted window and full history), fits the models ([`super::fit_bgnbd`],
//! [`super::fit_gamma_gamma`]) and assembles the per-customer columns, the holdout check, the
//! "likely gone" list and the warnings into a [`ClvReport`]. The charts' aggregates are in
//! `charts.rs`.

use super::charts::{frequency_label, frequency_recency_matrix, histogram, quantile, repeat_purchase_fit};
use super::compare::{compare_models, comparison_cut};
use super::interval::totals_interval;
use super::summary::{purchase_days_from, repeat_summary_from, summary_cut_message};
use super::{
    fit_gamma_gamma, fit_purchase_model, message, BgNbdFit, CalibrationHoldout, ClvParams, ClvReport,
    GammaGamma, GammaGammaFit, HoldoutRow, LikelyGone, LikelyGoneCustomer, ModelChoice, PAliveShift,
    PurchaseFit, PurchaseModelKind, PurchasePredictions, RepeatSummary, TimeUnit, ANALYSIS,
};
use crate::customers::Customers;
use crate::history::{History, Purchases};
use crate::time::{date_to_day, day_to_date, Day};
use crate::{Error, Warning};

/// |r| above which the frequency–spend correlation is flagged (Gamma-Gamma assumes independence).
const CORRELATION_WARNING: f64 = 0.3;
const LIKELY_GONE_CAP: usize = 100;

/// Discounted CLV of one customer and their expected purchases over the whole horizon:
/// Σ_{m=1..months} margin × spend × (E[Y(m·f)] − E[Y((m−1)·f)]) / (1 + d)^m with f the time
/// units per month (lifetimes `_customer_lifetime_value`).
#[allow(clippy::too_many_arguments)]
pub fn customer_lifetime_value(
    model: &dyn PurchasePredictions,
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

/// Fits the purchase model (and Gamma-Gamma when the file has amounts) and predicts, per customer row of
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
/// let history = clientele::history::History::build(&tx, &customers)?;
/// let report = fit(&history, &customers, &ClvParams::default())?;
/// assert_eq!(report.p_alive.len(), 3);
/// assert!(report.expected_purchases.iter().all(|e| e.is_finite()));
/// println!("{}", report.bgnbd.fit_status.message);
/// # Ok::<(), clientele::Error>(())
/// ```
pub fn fit(history: &History, customers: &Customers, params: &ClvParams) -> Result<ClvReport, Error> {
    fit_from(Purchases::History(history), customers, params)
}

/// [`fit`] on the purchases or on a per-customer summary of them (`docs/summary-contract.md`),
/// which gives the same report (but the tracking curve's observed line) when its CLV cut is
/// the one these options choose.
pub fn fit_from(history: Purchases, customers: &Customers, params: &ClvParams) -> Result<ClvReport, Error> {
    params.check()?;
    if customers.is_empty() {
        return Err(Error::data(ANALYSIS, "there are no customers to model"));
    }
    // The history's rows are the Customers rows.
    let rows: Vec<usize> = (0..customers.len()).collect();
    if history.len() != customers.len() {
        return Err(Error::data(
            ANALYSIS,
            "the customer table does not belong to these transactions",
        ));
    }
    let unit = params.time_unit;
    let as_of_day = date_to_day(customers.as_of);
    let observation_end = as_of_day - 1;
    let data = |m: String| Error::data(ANALYSIS, m);
    let full = repeat_summary_from(history, observation_end, unit).map_err(data)?;

    let calibration_day = calibration_day(params, observation_end)?;
    if let Purchases::Summary(summary) = history {
        summary_cuts_agree(summary, history, params, calibration_day, observation_end)?;
    }
    let window = match calibration_day {
        Some(day) => repeat_summary_from(history, day, unit).map_err(data)?,
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
                .with_code("too_few_customers")
                .with_param("min", 2)
        });
    }
    let pick = |v: &[f64]| fit_rows.iter().map(|&c| v[c]).collect::<Vec<f64>>();
    let (fx, ftx, ft) = (pick(&window.x), pick(&window.t_x), pick(&window.t));
    check_fitted(&fx, &ft)?;
    let (model_choice, purchase_fit, bgnbd) = choose_model(
        history,
        params,
        calibration_day,
        observation_end,
        [&fx, &ftx, &ft],
    );
    let model = &purchase_fit.params;
    let mut warnings = Vec::new();

    // Spend model.
    let (gamma_gamma, coded_gamma_gamma_message) = spend_model(
        history.has_amount(),
        &fx,
        || pick(&window.mean_spend),
        params,
        &mut warnings,
    );
    let spend_model = gamma_gamma
        .as_ref()
        .filter(|g| g.population_mean_spend.is_finite())
        .map(|g| g.params);

    // Per-customer predictions from the full history.
    let horizon_periods = params.horizon_months as f64 * unit.per_month();
    let Predictions {
        expected_purchases,
        p_alive,
        expected_spend,
        clv,
    } = predict(model, spend_model, &full, &rows, params, horizon_periods);

    let frequency_recency = frequency_recency_matrix(model, &fx, &ft, horizon_periods);
    let repeat_purchase_fit = repeat_purchase_fit(model, &fx, &ft);
    let calibration_holdout = calibration_day.map(|cal| {
        calibration_holdout(
            history,
            model,
            cal,
            observation_end,
            unit,
            &fit_rows,
            &fx,
            &ftx,
            &ft,
        )
    });
    let likely_gone = likely_gone(history.has_amount(), customers, &p_alive);

    let mut leading = leading_warnings(
        history.has_amount(),
        &rows,
        &full,
        as_of_day,
        horizon_periods,
        clv.is_some(),
        params,
        &purchase_fit,
        gamma_gamma.as_ref(),
    );
    leading.append(&mut warnings);
    let warnings = leading;

    let total_expected_purchases = expected_purchases.iter().sum();
    let total_clv = clv.as_ref().map(|v| v.iter().sum());
    let column = |v: &[f64]| rows.iter().map(|&c| v[c]).collect::<Vec<f64>>();
    let totals_interval = totals_interval(
        &purchase_fit,
        &column(&full.x),
        &column(&full.t_x),
        &column(&full.t),
        expected_spend.as_deref(),
        params,
        horizon_periods,
        (total_expected_purchases, total_clv),
    );
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
        model_choice,
        purchase_fit,
        bgnbd,
        gamma_gamma,
        gamma_gamma_message: coded_gamma_gamma_message.as_ref().map(|m| m.message.clone()),
        coded_gamma_gamma_message,
        repeat_purchases: rows.iter().map(|&c| full.x[c]).collect(),
        recency: rows.iter().map(|&c| full.t_x[c]).collect(),
        age: rows.iter().map(|&c| full.t[c]).collect(),
        expected_purchases,
        p_alive,
        expected_spend,
        clv,
        total_expected_purchases,
        total_clv,
        totals_interval,
        frequency_recency,
        repeat_purchase_fit,
        calibration_holdout,
        clv_histogram,
        likely_gone,
        warnings,
    })
}

/// Compares the three purchase models on a calibration / holdout split (when the history
/// allows), picks the model (`clv.model`, or the lowest holdout error), and fits it and BG/NBD
/// on the fitted window `fitted` = (x, t_x, T), reusing the comparison's fits when the window is
/// the comparison's calibration period.
fn choose_model(
    history: Purchases,
    params: &ClvParams,
    calibration_day: Option<Day>,
    observation_end: Day,
    fitted: [&[f64]; 3],
) -> (ModelChoice, PurchaseFit, BgNbdFit) {
    let first_day = history.first_day().unwrap_or(observation_end);
    let comparison = comparison_cut(params, calibration_day, first_day, observation_end)
        .and_then(|(cut, rule)| compare_models(history, cut, observation_end, rule, params));
    let (comparison, coded_comparison_message) = match comparison {
        Ok(c) => (Some(c), None),
        Err(message) => (None, Some(message)),
    };
    let same_window = calibration_day.is_some();
    let reuse = |kind: PurchaseModelKind| {
        comparison
            .as_ref()
            .filter(|_| same_window)
            .and_then(|c| c.rows.iter().find(|r| r.model == kind))
            .map(|r| r.fit.clone())
    };
    let [x, t_x, t] = fitted;
    let fit = |kind| {
        reuse(kind)
            .unwrap_or_else(|| fit_purchase_model(kind, x, t_x, t, params.penalizer, params.max_iterations))
    };
    // Auto: the sound calibration fits by holdout error; the first whose fit on the fitted
    // window is plain too (a refit that runs to the edge would need a penalty).
    let mut ranked: Vec<(f64, PurchaseModelKind)> = comparison
        .as_ref()
        .map(|c| {
            c.rows
                .iter()
                .filter(|r| r.fit.fit_status.ok && r.holdout_mae.is_finite())
                .map(|r| (r.holdout_mae, r.model))
                .collect()
        })
        .unwrap_or_default();
    ranked.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut refit_rejected = Vec::new();
    let (chosen, rule, purchase_fit) = match params.model.forced() {
        Some(kind) => (kind, "requested", fit(kind)),
        None if ranked.is_empty() => (
            PurchaseModelKind::Bgnbd,
            "no_comparison",
            fit(PurchaseModelKind::Bgnbd),
        ),
        None => {
            let mut first = None;
            let mut plain = None;
            for &(_, kind) in &ranked {
                let f = fit(kind);
                if f.fit_status.ok && f.fit_status.penalty_used == 0.0 {
                    plain = Some((kind, f));
                    break;
                }
                refit_rejected.push(kind);
                first.get_or_insert((kind, f));
            }
            let (kind, f) = match plain.or(first) {
                Some(found) => found,
                None => (PurchaseModelKind::Bgnbd, fit(PurchaseModelKind::Bgnbd)),
            };
            (kind, "lowest_holdout_error", f)
        }
    };
    // When no refit was plain, the best on the holdout is used after all: none was passed over.
    if refit_rejected.contains(&chosen) {
        refit_rejected.clear();
    }
    let bgnbd = if chosen == PurchaseModelKind::Bgnbd {
        BgNbdFit::from(purchase_fit.clone())
    } else {
        BgNbdFit::from(fit(PurchaseModelKind::Bgnbd))
    };
    let choice = ModelChoice {
        requested: params.model,
        chosen,
        rule: rule.to_string(),
        refit_rejected,
        comparison,
        comparison_message: coded_comparison_message.as_ref().map(|m| m.message.clone()),
        coded_comparison_message,
    };
    (choice, purchase_fit, bgnbd)
}

/// The fitted window must have a repeat buyer and some history.
fn check_fitted(fx: &[f64], ft: &[f64]) -> Result<(), Error> {
    if !fx.iter().any(|&x| x > 0.0) {
        return Err(Error::data(
            ANALYSIS,
            "no customer bought on two different days in the fitted period; the purchase model \
             needs repeat customers",
        )
        .with_code("no_repeat_customers"));
    }
    if !ft.iter().any(|&t| t > 0.0) {
        return Err(Error::data(
            ANALYSIS,
            "every customer first bought on the last day of the fitted period; there is no \
             history to learn from",
        )
        .with_code("no_history_to_learn"));
    }
    Ok(())
}

/// The CLV cut a summary as of `as_of` holds for these options: `calibration_end`, else the
/// model comparison's cut on a history starting on `first_day`; None when the history is too
/// short to compare the models (`docs/summary-contract.md`, `clv_cut`).
pub fn summary_cut_day(
    params: &ClvParams,
    first_day: Day,
    as_of: chrono::NaiveDate,
) -> Result<Option<Day>, Error> {
    params.check()?;
    let observation_end = date_to_day(as_of) - 1;
    let calibration_day = calibration_day(params, observation_end)?;
    Ok(
        comparison_cut(params, calibration_day, first_day, observation_end)
            .ok()
            .map(|c| c.0),
    )
}

/// A summary holds one CLV cut: the one these options choose (`calibration_end`, else the
/// comparison's rule on the summary's first purchase), or the section is unavailable.
fn summary_cuts_agree(
    summary: &crate::ingest::CustomerSummary,
    history: Purchases,
    params: &ClvParams,
    calibration_day: Option<Day>,
    observation_end: Day,
) -> Result<(), Error> {
    let first_day = history.first_day().unwrap_or(observation_end);
    let wanted = comparison_cut(params, calibration_day, first_day, observation_end)
        .ok()
        .map(|c| c.0);
    if wanted.is_some() && wanted != summary.clv_cut.map(date_to_day) {
        let end = wanted.unwrap_or(observation_end);
        return Err(Error::data(ANALYSIS, summary_cut_message(summary, end)));
    }
    Ok(())
}

/// The calibration cut as a day, checked to leave a holdout before the end of the data.
fn calibration_day(params: &ClvParams, observation_end: Day) -> Result<Option<Day>, Error> {
    let Some(date) = params.calibration_end else {
        return Ok(None);
    };
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
    Ok(Some(day))
}

/// The spend model: Gamma-Gamma on the fitted window's repeat buyers with a positive mean spend
/// (`fm` gives the fitted customers' mean spend), or why there is none. Adds
/// `clv_spend_frequency_correlation` to `warnings` when spend follows frequency.
fn spend_model(
    has_amount: bool,
    fx: &[f64],
    fm: impl Fn() -> Vec<f64>,
    params: &ClvParams,
    warnings: &mut Vec<Warning>,
) -> (Option<GammaGammaFit>, Option<Warning>) {
    if !has_amount {
        (
            None,
            Some(message(
                "spend_no_amounts",
                "The file has no amounts, so spend per purchase and lifetime value cannot be \
                 estimated; the purchase predictions are still shown.",
            )),
        )
    } else {
        let fm = fm();
        let repeat: Vec<usize> = (0..fx.len()).filter(|&i| fx[i] > 0.0).collect();
        let used: Vec<usize> = repeat.iter().copied().filter(|&i| fm[i] > 0.0).collect();
        let excluded = repeat.len() - used.len();
        if used.len() < 10 {
            (
                None,
                Some(
                    message(
                        "spend_too_few",
                        format!(
                            "Only {} repeat buyers with a positive spend: too few to model spend per \
                             purchase, so lifetime value is not estimated.",
                            used.len()
                        ),
                    )
                    .with_param("n", used.len()),
                ),
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
                let why = message(
                    "spend_not_finite",
                    format!(
                        "The spend model did not give a finite average spend ({}); lifetime value is \
                         not estimated.",
                        gg.fit_status.message
                    ),
                );
                (Some(gg), Some(why))
            }
        }
    }
}

/// The per-customer columns, from each customer's full history.
struct Predictions {
    expected_purchases: Vec<f64>,
    p_alive: Vec<f64>,
    expected_spend: Option<Vec<f64>>,
    clv: Option<Vec<f64>>,
}

/// Expected purchases, P(alive), and with a spend model expected spend and CLV over the
/// horizon, for every customer row (`rows` index `full`).
fn predict(
    model: &dyn PurchasePredictions,
    spend_model: Option<GammaGamma>,
    full: &RepeatSummary,
    rows: &[usize],
    params: &ClvParams,
    horizon_periods: f64,
) -> Predictions {
    let unit = params.time_unit;
    let n = rows.len();
    let mut expected_purchases = Vec::with_capacity(n);
    let mut p_alive = Vec::with_capacity(n);
    let mut expected_spend = spend_model.map(|_| Vec::with_capacity(n));
    let mut clv = spend_model.map(|_| Vec::with_capacity(n));
    for &c in rows {
        let (x, t_x, age) = (full.x[c], full.t_x[c], full.t[c]);
        p_alive.push(model.p_alive(x, t_x, age));
        match (&spend_model, &mut expected_spend, &mut clv) {
            (Some(gg), Some(spend), Some(values)) => {
                let s = gg.conditional_expected_spend(x, full.mean_spend[c]);
                let (v, e) = customer_lifetime_value(
                    model,
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
    Predictions {
        expected_purchases,
        p_alive,
        expected_spend,
        clv,
    }
}

/// Predictions for the holdout period (after `cal`) against the repeat purchase days that
/// happened, by calibration frequency (`fit_rows` index the history's rows, which are the Customers rows; `fx`, `ftx`,
/// `ft` are the fitted customers' calibration summaries).
#[allow(clippy::too_many_arguments)]
fn calibration_holdout(
    history: Purchases,
    model: &dyn PurchasePredictions,
    cal: Day,
    observation_end: Day,
    unit: TimeUnit,
    fit_rows: &[usize],
    fx: &[f64],
    ftx: &[f64],
    ft: &[f64],
) -> CalibrationHoldout {
    // `fit_from` checked that a summary holds this holdout.
    let holdout =
        purchase_days_from(history, cal, observation_end).unwrap_or_else(|_| vec![0.0; history.len()]);
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
}

/// "Valuable but likely gone": top-quartile value (spend, or purchases without amounts) and
/// P(alive) below 0.5, most valuable first.
fn likely_gone(has_amount: bool, customers: &Customers, p_alive: &[f64]) -> LikelyGone {
    let n = p_alive.len();
    let (values, measure) = if has_amount {
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
    let english = format!(
        "{measure} in the top quarter (at least {value_threshold:.2}) and probability of still \
         being a customer below 0.5; most valuable first, at most {LIKELY_GONE_CAP} listed"
    );
    let coded_rule = if has_amount {
        message("likely_gone_spend", english)
    } else {
        message("likely_gone_purchases", english)
    }
    .with_param("threshold", value_threshold)
    .with_param("cap", LIKELY_GONE_CAP);
    LikelyGone {
        rule: coded_rule.message.clone(),
        coded_rule,
        value_threshold,
        total,
        customers: gone,
    }
}

/// The warnings that lead the list, in order: no spend, a horizon beyond the history, and a
/// penalised purchase or spend fit (with how far the penalty moved P(alive) or the average
/// spend).
#[allow(clippy::too_many_arguments)]
fn leading_warnings(
    has_amount: bool,
    rows: &[usize],
    full: &RepeatSummary,
    as_of_day: Day,
    horizon_periods: f64,
    has_clv: bool,
    params: &ClvParams,
    purchase: &PurchaseFit,
    gamma_gamma: Option<&GammaGammaFit>,
) -> Vec<Warning> {
    let unit = params.time_unit;
    let observation_end = as_of_day - 1;
    let n = rows.len();
    let model = &purchase.params;
    let label = purchase.model.label();
    let mut leading = Vec::new();
    if !has_amount {
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
        if has_clv {
            columns.push("clv");
        }
        leading.push(
            Warning::new(
                "clv_horizon_beyond_history",
                format!(
                    "Expected purchases{} are projected {} months ahead from only {observed} of \
                     purchases, so they extrapolate beyond anything the file shows; {advice}.",
                    if has_clv { " and clv" } else { "" },
                    params.horizon_months
                ),
            )
            .with_param("horizon_days", horizon_days)
            .with_param("history_days", history_days)
            .with_param("horizon_months", params.horizon_months)
            .with_param("has_clv", has_clv)
            .with_param("max_months", months)
            .on_columns(&columns),
        );
    }
    if purchase.fit_status.penalty_used > 0.0 {
        // Measured on the reported column: each customer's P(alive) under the plain fit's last
        // estimate against the penalised one, from the full history.
        let (x, t_x, age): (Vec<f64>, Vec<f64>, Vec<f64>) = (
            rows.iter().map(|&c| full.x[c]).collect(),
            rows.iter().map(|&c| full.t_x[c]).collect(),
            rows.iter().map(|&c| full.t[c]).collect(),
        );
        let shift = purchase
            .unpenalised
            .and_then(|plain| PAliveShift::between(model, &plain, &x, &t_x, &age));
        let penalty = purchase.fit_status.penalty_used;
        let mut columns = vec!["p_alive", "expected_purchases"];
        if has_clv {
            columns.push("clv");
        }
        let warning = match shift {
            Some(s) => Warning::new(
                "clv_penalised_fit",
                format!(
                    "The purchase model ({label}) could not be fitted plainly and was refitted with a \
                     penalty ({penalty}), which moves p_alive by up to {:.2} ({:.3} on average over \
                     the {n} customers) from the plain fit's last estimate, so read p_alive, \
                     expected_purchases and clv as approximate and prefer a longer history or \
                     calibration period.",
                    s.max, s.mean
                ),
            )
            .with_param("max_p_alive_shift", s.max)
            .with_param("mean_p_alive_shift", s.mean)
            .with_param("customers", n),
            None => Warning::new(
                "clv_penalised_fit",
                format!(
                    "The purchase model ({label}) did not converge to finite parameters without a \
                     penalty and was refitted with one ({penalty}), so how far p_alive moved cannot \
                     be measured; read p_alive, expected_purchases and clv as approximate."
                ),
            )
            .with_param("converged", false),
        };
        leading.push(
            warning
                .with_param("penalty", penalty)
                .with_param("model", purchase.model.code())
                .on_columns(&columns),
        );
    }
    if let Some(gg) = gamma_gamma.filter(|g| g.fit_status.penalty_used > 0.0) {
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
    leading
}
