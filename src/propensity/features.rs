//! Propensity features: each customer's behaviour before a cut, read from the purchase
//! [`History`] (the summary at the cut, purchases in the last 30/90/180 days, the gaps between
//! purchase days, the return share), the log1p transform of skewed features, and the time-split
//! design (labels from the window after the cut, a seeded stratified train/validation split).

use super::model::Scaler;
use super::{PropensityParams, ANALYSIS, MIN_CUSTOMERS, MIN_PER_CLASS};
use crate::customers::Customers;
use crate::history::{History, Purchases};
use crate::ingest::{PurchaseWindow, ORDER_WINDOWS};
use crate::money::MoneySum;
use crate::time::{date_to_day, day_to_date, Day};
use crate::Error;
use chrono::NaiveDate;
use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256Plus;
use serde::{Deserialize, Serialize};

/// One behaviour feature of a customer, measured at a cut date from purchases strictly before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "PropensityFeature")]
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
    pub(super) fn phrases(self) -> (&'static str, &'static str) {
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
pub fn feature_set(history: &History) -> Vec<Feature> {
    features_of(Purchases::History(history))
}

pub(super) fn features_of(purchases: Purchases) -> Vec<Feature> {
    let mut out = vec![Feature::RecencyDays, Feature::Frequency];
    if purchases.has_amount() {
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
    if purchases.has_amount() && purchases.has_returns() {
        out.push(Feature::ReturnShare);
    }
    out
}

/// Raw (untransformed) features of every customer with a purchase before `cut`.
pub(super) struct RawFeatures {
    /// `Customers` (= history) rows, in order.
    pub(super) rows: Vec<u32>,
    /// Row-major, `features.len()` values per customer.
    pub(super) values: Vec<f64>,
}

/// One customer's behaviour before a cut: the summary at the cut (as `customers::summarize`
/// gives it), purchases in the last 30/90/180 days, the mean and last gap between distinct
/// purchase days, and the returned amount.
#[derive(Default)]
pub(crate) struct Behaviour {
    pub(crate) recency: i32,
    pub(crate) frequency: u32,
    pub(crate) monetary: f64,
    pub(crate) tenure: i32,
    pub(crate) gaps: (f64, f64),
    pub(crate) window: [u32; 3],
    pub(crate) returned: f64,
}

impl Behaviour {
    /// From the first purchase day and the purchases before `cut` (`window.last` is Some).
    fn at(first: Day, window: &PurchaseWindow, cut: Day, has_amount: bool) -> Behaviour {
        let last = window.last.unwrap_or(first);
        let tenure = f64::from(cut - first);
        Behaviour {
            recency: cut - last,
            frequency: window.orders,
            monetary: if has_amount { window.monetary } else { 0.0 },
            tenure: cut - first,
            gaps: match window.previous {
                Some(previous) if window.purchase_days >= 2 => (
                    f64::from(last - first) / f64::from(window.purchase_days - 1),
                    f64::from(last - previous),
                ),
                _ => (tenure, tenure),
            },
            window: window.orders_in,
            returned: window.returned,
        }
    }
}

/// Row `r`'s first purchase day and its purchases before `cut` (the figures a summary holds
/// at its cuts); `None` without a purchase before it. `units` is scratch space.
pub fn window_before(
    history: &History,
    r: usize,
    cut: Day,
    units: &mut Vec<(u32, Day)>,
) -> Option<(Day, PurchaseWindow)> {
    let range = history.purchases(r);
    // Day-sorted: the purchases before the cut are a prefix.
    let upto = range.start + history.day[range.clone()].partition_point(|&d| d < cut);
    let days = &history.day[range.start..upto];
    let (&first, &last) = (days.first()?, days.last()?);
    let mut monetary = MoneySum::default();
    for &a in &history.amount[range.start..upto] {
        monetary.add(a);
    }
    // An order is dated by its latest row so each unit is counted once, as frequency counts it.
    units.clear();
    units.extend(
        history.unit[range.start..upto]
            .iter()
            .copied()
            .zip(days.iter().copied()),
    );
    units.sort_unstable();
    let mut out = PurchaseWindow {
        last: Some(last),
        monetary: if history.has_amount { monetary.value() } else { 0.0 },
        ..Default::default()
    };
    let mut k = 0;
    while k < units.len() {
        let unit = units[k].0;
        let mut last_day = units[k].1;
        while k < units.len() && units[k].0 == unit {
            last_day = last_day.max(units[k].1);
            k += 1;
        }
        out.orders += 1;
        for (w, span) in ORDER_WINDOWS.iter().enumerate() {
            if last_day >= cut - span {
                out.orders_in[w] += 1;
            }
        }
    }
    // Distinct purchase days and the one before the last.
    let mut prev = None;
    for &d in days {
        if prev != Some(d) {
            out.purchase_days += 1;
            if prev.is_some() {
                out.previous = prev;
            }
            prev = Some(d);
        }
    }
    let mut returned = MoneySum::default();
    for i in history.returns(r) {
        if history.return_day[i] < cut {
            returned.add(history.return_amount[i].abs());
        }
    }
    out.returned = returned.value();
    Some((first, out))
}

/// The behaviour before `cut` of row `r`; `None` without a purchase before it. A summary
/// answers at its as-of date and its training cut only (`prepare` checks the cut).
pub(crate) fn behaviour(
    purchases: Purchases,
    r: usize,
    cut: Day,
    units: &mut Vec<(u32, Day)>,
) -> Option<Behaviour> {
    let has_amount = purchases.has_amount();
    let (first, window) = match purchases {
        Purchases::History(history) => window_before(history, r, cut, units)?,
        Purchases::Summary(summary) => {
            let row = summary.rows.get(r)?;
            if cut == date_to_day(summary.as_of) {
                (row.first_purchase, row.now)
            } else if summary.training_cut.map(date_to_day) == Some(cut) && row.cut.orders > 0 {
                (row.first_purchase, row.cut)
            } else {
                return None;
            }
        }
    };
    Some(Behaviour::at(first, &window, cut, has_amount))
}

pub(super) fn raw_features(
    history: Purchases,
    customers: &Customers,
    cut: Day,
    features: &[Feature],
) -> Result<RawFeatures, Error> {
    let mut rows = Vec::new();
    let mut values = Vec::with_capacity(history.len() * features.len());
    let mut units = Vec::new();
    for row in 0..history.len() {
        let Some(b) = behaviour(history, row, cut, &mut units) else {
            continue;
        };
        rows.push(row as u32);
        let avg_order_value = b.monetary / b.frequency as f64;
        for &f in features {
            let v = match f {
                Feature::RecencyDays => f64::from(b.recency),
                Feature::Frequency => f64::from(b.frequency),
                Feature::Monetary => b.monetary,
                Feature::AvgOrderValue => avg_order_value,
                Feature::TenureDays => f64::from(b.tenure),
                Feature::MeanGapDays => b.gaps.0,
                Feature::LastGapDays => b.gaps.1,
                Feature::Purchases30d => f64::from(b.window[0]),
                Feature::Purchases90d => f64::from(b.window[1]),
                Feature::Purchases180d => f64::from(b.window[2]),
                Feature::ReturnShare => {
                    let returned = b.returned;
                    let total = b.monetary + returned;
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
                        customers.id.get(row).map(String::as_str).unwrap_or("?"),
                        f.name()
                    ),
                ));
            }
            values.push(v);
        }
    }
    Ok(RawFeatures { rows, values })
}

pub(super) fn transform(values: &mut [f64], features: &[Feature], log_transform: bool) {
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
pub(super) struct Prepared {
    pub(super) design: PropensityDesign,
    /// Transformed (not standardised) features of every customer before the cut.
    pub(super) values: Vec<f64>,
    pub(super) labels: Vec<bool>,
}

pub(super) fn prepare(
    history: Purchases,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<Prepared, Error> {
    params.check()?;
    let as_of = customers.as_of;
    let Some(first_day) = history.first_day() else {
        return Err(Error::data(ANALYSIS, "the file has no purchases"));
    };
    let as_of_day = date_to_day(as_of);
    let cut_day = as_of_day - params.horizon_days as Day;
    let cut = day_to_date(cut_day);
    if let Purchases::Summary(summary) = history {
        summary_cut(summary.training_cut, cut, params.horizon_days)?;
    }
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
        )
        .with_code("horizon_beyond_history")
        .with_param("horizon_days", params.horizon_days)
        .with_param("cut", cut.to_string())
        .with_param("first_purchase", day_to_date(first_day).to_string())
        .with_param("max_days", as_of_day - first_day));
    }
    let features = features_of(history);
    let p = features.len();
    // cut_day > first_day, so at least one customer bought before the cut.
    let raw = raw_features(history, customers, cut_day, &features)?;
    let mut values = raw.values;
    transform(&mut values, &features, params.log_transform);
    let n = raw.rows.len();

    // Label: bought at least once in [cut, as_of) (the history ends before as_of).
    let bought_after: Vec<bool> = (0..history.len())
        .map(|r| {
            history
                .span(r)
                .is_some_and(|(_, d)| d >= cut_day && d < as_of_day)
        })
        .collect();
    let new_after_cut = (0..history.len())
        .filter(|&r| history.span(r).is_some_and(|(d, _)| d >= cut_day))
        .count();
    let labels: Vec<bool> = raw.rows.iter().map(|&r| bought_after[r as usize]).collect();
    let positives = labels.iter().filter(|&&y| y).count();
    let negatives = n - positives;
    if n < MIN_CUSTOMERS {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "only {n} customers bought before the training cut {cut}; at least {MIN_CUSTOMERS} \
                 are needed (try a shorter horizon or a longer history)"
            ),
        )
        .with_code("too_few_customers_at_cut")
        .with_param("n", n)
        .with_param("cut", cut.to_string())
        .with_param("min", MIN_CUSTOMERS));
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
        )
        .with_code(if positives == 0 {
            "nobody_bought_again"
        } else {
            "everybody_bought_again"
        })
        .with_param("n", n)
        .with_param("cut", cut.to_string())
        .with_param("horizon_days", params.horizon_days));
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
        )
        .with_code("too_few_per_class")
        .with_param("positives", positives)
        .with_param("negatives", negatives)
        .with_param("horizon_days", params.horizon_days)
        .with_param("cut", cut.to_string())
        .with_param("min", MIN_PER_CLASS));
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
        customers
            .id
            .get(raw.rows[*i] as usize)
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

/// A summary holds the features at one training cut: the horizon must lead to it.
fn summary_cut(training_cut: Option<NaiveDate>, cut: NaiveDate, horizon_days: u32) -> Result<(), Error> {
    match training_cut {
        Some(t) if t == cut => Ok(()),
        Some(t) => Err(Error::data(
            ANALYSIS,
            format!(
                "this summary holds the customers' behaviour at the training cut {t}, but a {horizon_days}-day horizon needs it at {cut}: compute the summary with this horizon (clientele summary --horizon-days {horizon_days}), or set propensity.horizon_days to the summary's"
            ),
        )),
        None => Err(Error::data(
            ANALYSIS,
            "this summary has no training-cut columns (cut_orders …), so the propensity model has nothing to learn from",
        )),
    }
}

/// Builds the standardised training and validation matrices exactly as [`fit`] uses them.
pub fn design(
    history: &History,
    customers: &Customers,
    params: &PropensityParams,
) -> Result<PropensityDesign, Error> {
    Ok(prepare(Purchases::History(history), customers, params)?.design)
}
