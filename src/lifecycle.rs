//! Lifecycle stages at the as-of date: each customer is new, active, reactivated, at risk or
//! lapsed, from the days of their purchases ([`History`]) and three windows in days. By default
//! the windows are a guess from the file's own rhythm, multiples of the median gap between a
//! customer's consecutive purchase days, and the report says so and shows what other windows
//! would give; the options can set any of them. For the page, the CLI and the target lists.

use crate::customers::Customers;
use crate::history::History;
use crate::money::MoneySum;
use crate::time::Day;
use crate::{Error, Warning};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A customer's stage at the as-of date. The rules, with `r` = days from the last purchase to
/// the as-of date and `t` = days from the first:
/// - `new`: `t <= new_days` (the first purchase is recent; whatever came after it);
/// - `reactivated`: `r <= active_days`, and the first purchase day inside that window came
///   more than `lapsed_days` after the purchase day before it (bought again after a lapse);
/// - `active`: `r <= active_days` otherwise;
/// - `at_risk`: `active_days < r <= lapsed_days`;
/// - `lapsed`: `r > lapsed_days`.
///
/// Serialized as `"new"`, `"active"`, `"reactivated"`, `"at_risk"`, `"lapsed"` (also the export's
/// `lifecycle_stage` cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    New,
    Active,
    Reactivated,
    AtRisk,
    Lapsed,
}

impl LifecycleStage {
    /// Every stage, in the order the report lists them.
    pub const ALL: [LifecycleStage; 5] = [
        LifecycleStage::New,
        LifecycleStage::Active,
        LifecycleStage::Reactivated,
        LifecycleStage::AtRisk,
        LifecycleStage::Lapsed,
    ];

    /// The snake_case name (the export cell, the JSON value).
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleStage::New => "new",
            LifecycleStage::Active => "active",
            LifecycleStage::Reactivated => "reactivated",
            LifecycleStage::AtRisk => "at_risk",
            LifecycleStage::Lapsed => "lapsed",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Parameters of the lifecycle stages. Each window left `None` is derived: `active_days` and
/// `lapsed_days` as `active_multiple` and `lapsed_multiple` × the median gap (rounded to whole
/// days), or, when only one of them is given, the other in the same ratio; `new_days` equals
/// `active_days`.
///
/// ```
/// use clientele::lifecycle::LifecycleParams;
/// assert!(LifecycleParams::default().check().is_ok());
/// let bad = LifecycleParams { active_days: Some(90), lapsed_days: Some(60), ..Default::default() };
/// assert!(bad.check().unwrap_err().to_string().contains("lapsed_days"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct LifecycleParams {
    /// A customer whose first purchase is at most this many days before the as-of date is new.
    pub new_days: Option<u32>,
    /// A last purchase at most this many days before the as-of date is active.
    pub active_days: Option<u32>,
    /// A last purchase more than this many days before the as-of date is lapsed; between the
    /// two windows, at risk. Also the gap that makes a return a reactivation.
    pub lapsed_days: Option<u32>,
    /// The active window as a multiple of the median gap (default 2).
    pub active_multiple: f64,
    /// The lapsed window as a multiple of the median gap (default 4).
    pub lapsed_multiple: f64,
}

impl Default for LifecycleParams {
    fn default() -> Self {
        LifecycleParams {
            new_days: None,
            active_days: None,
            lapsed_days: None,
            active_multiple: 2.0,
            lapsed_multiple: 4.0,
        }
    }
}

/// Longest window, in days (100 years).
const MAX_DAYS: u32 = 36_500;

impl LifecycleParams {
    /// Validates the parameters once, before any work; an error names the field.
    pub fn check(&self) -> Result<(), Error> {
        for (name, v) in [
            ("new_days", self.new_days),
            ("active_days", self.active_days),
            ("lapsed_days", self.lapsed_days),
        ] {
            if let Some(d) = v {
                if !(1..=MAX_DAYS).contains(&d) {
                    return Err(Error::param(
                        name,
                        format!("must be between 1 and {MAX_DAYS} days (got {d})"),
                    ));
                }
            }
        }
        for (name, m) in [
            ("active_multiple", self.active_multiple),
            ("lapsed_multiple", self.lapsed_multiple),
        ] {
            if !(m.is_finite() && m > 0.0 && m <= 100.0) {
                return Err(Error::param(
                    name,
                    format!("must be a multiple above 0 and at most 100 (got {m})"),
                ));
            }
        }
        if self.lapsed_multiple <= self.active_multiple {
            return Err(Error::param(
                "lapsed_multiple",
                format!(
                    "must be larger than active_multiple ({} ≤ {})",
                    self.lapsed_multiple, self.active_multiple
                ),
            ));
        }
        if let (Some(a), Some(l)) = (self.active_days, self.lapsed_days) {
            if l <= a {
                return Err(Error::param(
                    "lapsed_days",
                    format!("must be longer than active_days ({l} ≤ {a})"),
                ));
            }
        }
        Ok(())
    }
}

/// Where the windows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum WindowSource {
    /// Multiples of the file's median gap between purchase days (the default guess).
    MedianGap,
    /// Set in the options (`lifecycle.active_days`, …), at least in part.
    Options,
    /// No customer bought on two different days: fixed 90 / 180 days (a quarter, half a year).
    Fixed,
}

/// The windows used, in days before the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct LifecycleWindows {
    pub new_days: u32,
    pub active_days: u32,
    pub lapsed_days: u32,
    pub source: WindowSource,
}

/// One stage's customers and revenue.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct StageSummary {
    pub stage: LifecycleStage,
    pub customers: usize,
    /// Share of customers, 0..=1.
    pub share: f64,
    /// Customers with one order (one purchase day without an order column), and the rest.
    pub one_time: usize,
    pub repeat: usize,
    /// Exact sum of the stage's customers' monetary; None (null) without amounts.
    pub revenue: Option<f64>,
    /// Share of all revenue, 0..=1; None without amounts.
    pub revenue_share: Option<f64>,
}

/// Other windows the user could choose, with the customers each stage would hold.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LifecycleAlternative {
    /// `"1x/2x median gap"`, `"2x/4x median gap"`, `"3x/6x median gap"`, `"90/180 days"`.
    pub label: String,
    pub windows: LifecycleWindows,
    /// Customers per stage, in [`LifecycleStage::ALL`] order.
    pub customers: Vec<usize>,
    /// These are the windows in use.
    pub chosen: bool,
}

/// The lifecycle section of the Report (the per-customer stages live in the customer table,
/// `customers.lifecycle_stage`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct LifecycleReport {
    pub as_of: NaiveDate,
    /// Median of the gaps between consecutive purchase days of every customer with two or
    /// more (pooled); None when no customer has one.
    pub median_gap_days: Option<f64>,
    /// How many gaps the median is over.
    pub gaps: usize,
    pub windows: LifecycleWindows,
    /// Every stage, in [`LifecycleStage::ALL`] order (empty ones included).
    pub stages: Vec<StageSummary>,
    /// The windows in use and others, with the stage counts they give.
    pub alternatives: Vec<LifecycleAlternative>,
    /// `lifecycle_fixed_windows` (no repeat purchases to measure a gap),
    /// `lifecycle_new_covers_history` (the new window reaches back to the file's first day).
    pub warnings: Vec<Warning>,
}

/// The result: the report and each customer's stage (aligned with `Customers::id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Lifecycle {
    pub report: LifecycleReport,
    pub stage: Vec<LifecycleStage>,
}

/// The fixed fallback windows (no gaps to measure).
const FIXED: (u32, u32) = (90, 180);

/// Assigns every customer a stage at the as-of date (`history.end`).
pub fn stages(
    customers: &Customers,
    history: &History,
    params: &LifecycleParams,
) -> Result<Lifecycle, Error> {
    params.check()?;
    let n = customers.len();
    if history.len() != n || customers.frequency.len() != n {
        return Err(Error::data(
            "lifecycle",
            "the purchase history does not belong to these customers",
        ));
    }
    if n == 0 {
        return Err(Error::data("lifecycle", "no customers"));
    }
    let mut gaps = purchase_day_gaps(history);
    let median_gap_days = median(&mut gaps);
    let windows = choose_windows(params, median_gap_days);
    let stage: Vec<LifecycleStage> = (0..n).map(|r| stage_of(history, r, &windows)).collect();
    let stages = summarize(customers, &stage);
    let mut alternatives: Vec<LifecycleAlternative> = candidate_windows(median_gap_days)
        .into_iter()
        .map(|(label, w)| {
            let counts = count(history, &w);
            let chosen = (w.new_days, w.active_days, w.lapsed_days)
                == (windows.new_days, windows.active_days, windows.lapsed_days);
            LifecycleAlternative {
                label,
                windows: w,
                customers: counts,
                chosen,
            }
        })
        .collect();
    if !alternatives.iter().any(|a| a.chosen) {
        alternatives.insert(
            0,
            LifecycleAlternative {
                label: "options".into(),
                windows,
                customers: stages.iter().map(|s| s.customers).collect(),
                chosen: true,
            },
        );
    }
    let mut warnings = Vec::new();
    if windows.source == WindowSource::Fixed {
        warnings.push(
            Warning::new(
                "lifecycle_fixed_windows",
                format!(
                    "No customer bought on two different days, so the file has no gap between purchases to size the windows from: lifecycle stages use fixed windows of {} and {} days.",
                    FIXED.0, FIXED.1
                ),
            )
            .with_param("active_days", FIXED.0)
            .with_param("lapsed_days", FIXED.1)
            .on_columns(&["lifecycle_stage"]),
        );
    }
    let first = customers
        .first_purchase
        .iter()
        .min()
        .copied()
        .unwrap_or(history.end);
    let span = (history.end - first).max(0) as u32;
    if windows.new_days >= span {
        warnings.push(
            Warning::new(
                "lifecycle_new_covers_history",
                format!(
                    "The new-customer window ({} days) reaches back to the file's first purchase ({span} days before the as-of date): every customer counts as new.",
                    windows.new_days
                ),
            )
            .with_param("new_days", windows.new_days)
            .with_param("history_days", span)
            .on_columns(&["lifecycle_stage"]),
        );
    }
    Ok(Lifecycle {
        report: LifecycleReport {
            as_of: customers.as_of,
            median_gap_days,
            gaps: gaps.len(),
            windows,
            stages,
            alternatives,
            warnings,
        },
        stage,
    })
}

/// Gaps in days between consecutive distinct purchase days, every customer pooled.
fn purchase_day_gaps(history: &History) -> Vec<u32> {
    let mut gaps = Vec::new();
    for r in 0..history.len() {
        let days = &history.day[history.purchases(r)];
        for w in days.windows(2) {
            if w[1] > w[0] {
                gaps.push((w[1] - w[0]) as u32);
            }
        }
    }
    gaps
}

/// The median (the mean of the two middle values for an even count), as pandas gives it.
fn median(values: &mut [u32]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let m = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[m] as f64
    } else {
        (values[m - 1] as f64 + values[m] as f64) / 2.0
    })
}

/// `multiple` × `gap`, rounded half up to whole days, at least 1.
fn days_of(multiple: f64, gap: f64) -> u32 {
    ((multiple * gap + 0.5).floor() as u32).clamp(1, MAX_DAYS)
}

fn choose_windows(params: &LifecycleParams, median_gap: Option<f64>) -> LifecycleWindows {
    let ratio = params.lapsed_multiple / params.active_multiple;
    let (active, lapsed, source) = match (params.active_days, params.lapsed_days, median_gap) {
        (Some(a), Some(l), _) => (a, l, WindowSource::Options),
        (Some(a), None, _) => (a, days_of(ratio, a as f64).max(a + 1), WindowSource::Options),
        (None, Some(l), _) => (
            days_of(1.0 / ratio, l as f64).min(l - 1).max(1),
            l,
            WindowSource::Options,
        ),
        (None, None, Some(g)) => {
            let a = days_of(params.active_multiple, g);
            (
                a,
                days_of(params.lapsed_multiple, g).max(a + 1),
                WindowSource::MedianGap,
            )
        }
        (None, None, None) => (FIXED.0, FIXED.1, WindowSource::Fixed),
    };
    let source = if params.new_days.is_some() {
        WindowSource::Options
    } else {
        source
    };
    LifecycleWindows {
        new_days: params.new_days.unwrap_or(active),
        active_days: active,
        lapsed_days: lapsed.max(active + 1),
        source,
    }
}

/// The windows shown as alternatives: 1×/2×, 2×/4×, 3×/6× the median gap, and 90/180 days.
fn candidate_windows(median_gap: Option<f64>) -> Vec<(String, LifecycleWindows)> {
    let mut out = Vec::new();
    if let Some(g) = median_gap {
        for (a, l) in [(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)] {
            let active = days_of(a, g);
            out.push((
                format!("{a}x/{l}x median gap"),
                LifecycleWindows {
                    new_days: active,
                    active_days: active,
                    lapsed_days: days_of(l, g).max(active + 1),
                    source: WindowSource::MedianGap,
                },
            ));
        }
    }
    out.push((
        "90/180 days".into(),
        LifecycleWindows {
            new_days: FIXED.0,
            active_days: FIXED.0,
            lapsed_days: FIXED.1,
            source: WindowSource::Fixed,
        },
    ));
    out
}

/// The stage of `History` row `r` (see [`LifecycleStage`] for the rules).
fn stage_of(history: &History, r: usize, w: &LifecycleWindows) -> LifecycleStage {
    let days = &history.day[history.purchases(r)];
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return LifecycleStage::Lapsed;
    };
    stage_from(
        history.end,
        first,
        last,
        reactivation_gap(history, r, w.active_days),
        w,
    )
}

/// The windows [`stages`] uses on this history: the options', else the median-gap guess.
pub fn windows_of(history: &History, params: &LifecycleParams) -> LifecycleWindows {
    let mut gaps = purchase_day_gaps(history);
    choose_windows(params, median(&mut gaps))
}

/// Days from the purchase day before the first one inside the active window (the
/// `active_days` days before the as-of date) to that first one: None when the customer bought
/// nothing inside the window or nothing before it. A per-customer summary's
/// `reactivation_gap_days`.
pub fn reactivation_gap(history: &History, r: usize, active_days: u32) -> Option<u32> {
    let days = &history.day[history.purchases(r)];
    let before = |d: Day| (history.end - d).max(0) as u32;
    let i = days.partition_point(|&d| before(d) > active_days);
    let prev = days[..i].last()?;
    days.get(i).map(|&d| (d - prev) as u32)
}

/// The stage at the as-of day `end` of a customer who first bought on `first`, last on `last`,
/// with [`reactivation_gap`] `gap` over `w.active_days` (see [`LifecycleStage`] for the rules):
/// the one definition the run and a batch of summary rows share.
pub fn stage_from(end: Day, first: Day, last: Day, gap: Option<u32>, w: &LifecycleWindows) -> LifecycleStage {
    let before = |d: Day| (end - d).max(0) as u32;
    if before(first) <= w.new_days {
        return LifecycleStage::New;
    }
    let recency = before(last);
    if recency > w.lapsed_days {
        return LifecycleStage::Lapsed;
    }
    if recency > w.active_days {
        return LifecycleStage::AtRisk;
    }
    match gap {
        Some(g) if g > w.lapsed_days => LifecycleStage::Reactivated,
        _ => LifecycleStage::Active,
    }
}

fn count(history: &History, w: &LifecycleWindows) -> Vec<usize> {
    let mut counts = vec![0usize; LifecycleStage::ALL.len()];
    for r in 0..history.len() {
        counts[stage_of(history, r, w) as usize] += 1;
    }
    counts
}

fn summarize(customers: &Customers, stage: &[LifecycleStage]) -> Vec<StageSummary> {
    let k = LifecycleStage::ALL.len();
    let (mut count, mut one_time) = (vec![0usize; k], vec![0usize; k]);
    let mut revenue = vec![MoneySum::default(); k];
    let mut total = MoneySum::default();
    for (i, &s) in stage.iter().enumerate() {
        let s = s as usize;
        count[s] += 1;
        one_time[s] += usize::from(customers.frequency[i] <= 1);
        revenue[s].add(customers.monetary[i]);
        total.add(customers.monetary[i]);
    }
    let n = stage.len().max(1) as f64;
    let total = total.value();
    LifecycleStage::ALL
        .iter()
        .enumerate()
        .map(|(s, &st)| StageSummary {
            stage: st,
            customers: count[s],
            share: count[s] as f64 / n,
            one_time: one_time[s],
            repeat: count[s] - one_time[s],
            revenue: customers.has_amount.then(|| revenue[s].value()),
            revenue_share: customers.has_amount.then(|| {
                if total > 0.0 {
                    revenue[s].value() / total
                } else {
                    0.0
                }
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Customers by purchase days (as-of = day 1000).
    fn setup(days: &[&[Day]]) -> (Customers, History) {
        crate::history::fixture(days)
    }

    fn params(new: u32, active: u32, lapsed: u32) -> LifecycleParams {
        LifecycleParams {
            new_days: Some(new),
            active_days: Some(active),
            lapsed_days: Some(lapsed),
            ..Default::default()
        }
    }

    #[test]
    fn stages_follow_the_windows() {
        use LifecycleStage::*;
        let (c, h) = setup(&[
            &[980],           // first purchase 20 days ago: new
            &[500, 960, 990], // bought in the window, 460 days after the purchase before: reactivated
            &[900, 950, 990], // steady: active
            &[500, 880],      // 120 days ago: at risk
            &[500, 700],      // 300 days ago: lapsed
            &[400, 800, 990], // came back after 190 days, but 800 is outside the window: at 990 the gap was 190 > 180: reactivated
            &[950],           // one purchase 50 days ago, first purchase outside the new window: active
        ]);
        let out = stages(&c, &h, &params(30, 90, 180)).unwrap();
        assert_eq!(
            out.stage,
            [New, Reactivated, Active, AtRisk, Lapsed, Reactivated, Active]
        );
        let s = &out.report.stages;
        assert_eq!(s.iter().map(|s| s.customers).collect::<Vec<_>>(), [1, 2, 2, 1, 1]);
        assert_eq!((s[1].one_time, s[1].repeat), (1, 1));
        assert_eq!(s[1].revenue, Some(40.0));
        assert_eq!(out.report.windows.source, WindowSource::Options);
        // The windows in use are listed first when they are not one of the alternatives.
        assert!(out.report.alternatives[0].chosen && out.report.alternatives[0].label == "options");
    }

    #[test]
    fn reactivation_needs_the_gap_before_the_window() {
        use LifecycleStage::*;
        // Two purchases inside the window after a long gap; a gap exactly the lapsed window is
        // not a lapse.
        let (c, h) = setup(&[&[100, 950, 960], &[770, 950]]);
        let out = stages(&c, &h, &params(10, 90, 180)).unwrap();
        assert_eq!(out.stage, [Reactivated, Active]);
    }

    #[test]
    fn default_windows_are_multiples_of_the_median_gap() {
        // Gaps: 10, 20, 30 (median 20) → active 40, lapsed 80, new 40.
        let (c, h) = setup(&[&[900, 910, 930], &[800, 830], &[995]]);
        let out = stages(&c, &h, &LifecycleParams::default()).unwrap();
        let r = &out.report;
        assert_eq!((r.median_gap_days, r.gaps), (Some(20.0), 3));
        assert_eq!(
            (
                r.windows.new_days,
                r.windows.active_days,
                r.windows.lapsed_days,
                r.windows.source
            ),
            (40, 40, 80, WindowSource::MedianGap)
        );
        assert_eq!(
            out.stage,
            [
                LifecycleStage::AtRisk,
                LifecycleStage::Lapsed,
                LifecycleStage::New
            ]
        );
        let chosen: Vec<_> = r.alternatives.iter().filter(|a| a.chosen).collect();
        assert_eq!(chosen.len(), 1);
        assert_eq!(chosen[0].label, "2x/4x median gap");
        assert_eq!(r.alternatives.len(), 4);
        // Only the active window given: lapsed in the default ratio.
        let p = LifecycleParams {
            active_days: Some(50),
            ..Default::default()
        };
        let w = stages(&c, &h, &p).unwrap().report.windows;
        assert_eq!((w.active_days, w.lapsed_days, w.new_days), (50, 100, 50));
    }

    #[test]
    fn no_repeat_purchases_fall_back_to_fixed_windows_with_a_warning() {
        let (c, h) = setup(&[&[100], &[500], &[990]]);
        let out = stages(&c, &h, &LifecycleParams::default()).unwrap();
        assert_eq!(out.report.median_gap_days, None);
        assert_eq!(out.report.windows.source, WindowSource::Fixed);
        assert_eq!(out.report.warnings[0].code, "lifecycle_fixed_windows");
        assert_eq!(out.report.warnings[0].columns, ["lifecycle_stage"]);
    }

    #[test]
    fn invalid_options_name_their_field() {
        let e = LifecycleParams {
            active_days: Some(0),
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(e.option_path().as_deref(), Some("active_days"));
        let e = LifecycleParams {
            active_multiple: 5.0,
            ..Default::default()
        }
        .check()
        .unwrap_err();
        assert_eq!(e.option_path().as_deref(), Some("lapsed_multiple"));
        assert_eq!(LifecycleStage::parse("at_risk"), Some(LifecycleStage::AtRisk));
        assert_eq!(
            serde_json::to_string(&LifecycleStage::AtRisk).unwrap(),
            "\"at_risk\""
        );
    }
}
