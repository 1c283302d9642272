//! What the page receives of a target list: the summary, the planner's answer, the first rows
//! and which filters the file supports. Bounded: no array grows with the customers.

use super::{plan, Group, PlannerParams, SamplePlan, TargetColumns, TargetList, TargetSummary};
use serde::Serialize;

/// Rows of the list shown on the page.
pub const PREVIEW_ROWS: usize = 20;

/// One listed customer in the page's preview.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TargetRow<'a> {
    pub rank: usize,
    pub id: &'a str,
    pub group: Group,
    pub segment: &'a str,
    pub p_buy: Option<f64>,
    pub clv: Option<f64>,
    pub expected_value: Option<f64>,
}

/// The page's view of a list.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TargetView<'a> {
    pub summary: &'a TargetSummary,
    pub plan: Option<SamplePlan>,
    /// Why there is no plan (the planner's invalid input, said as the core says it).
    pub plan_error: Option<String>,
    pub preview: Vec<TargetRow<'a>>,
    /// Filter kinds this file supports (`segment`, `cluster`, `p_buy_decile`, …).
    pub filters_available: Vec<&'static str>,
    /// Filter kinds it does not, with the reason.
    pub filters_unavailable: Vec<(&'static str, String)>,
}

/// The view of `list`, with the planner run on it.
pub fn page_view<'a>(
    cols: &'a TargetColumns,
    list: &'a TargetList,
    planner: &PlannerParams,
) -> TargetView<'a> {
    let s = &list.summary;
    let mean = s.target.mean_p_buy.or(s.holdout.mean_p_buy);
    let (plan, plan_error) = match plan(planner, s.listed as u64, s.holdout.customers as u64, mean) {
        Ok(p) => (Some(p), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let preview = list
        .rows
        .iter()
        .zip(&list.groups)
        .take(PREVIEW_ROWS)
        .enumerate()
        .map(|(k, (&r, &group))| {
            let i = r as usize;
            TargetRow {
                rank: k + 1,
                id: &cols.id[i],
                group,
                segment: cols.segment.get(i).copied().unwrap_or(""),
                p_buy: cols.p_buy.map(|p| p[i]),
                clv: cols.clv.map(|c| c[i]),
                expected_value: cols.expected_value(i),
            }
        })
        .collect();
    let checks: [(&'static str, &'static str, bool); 7] = [
        ("segment", "segment", true),
        ("cluster", "cluster", cols.cluster.is_some()),
        (
            "lifecycle_stage",
            "lifecycle_stage",
            cols.lifecycle_stage.is_some(),
        ),
        ("p_buy_decile", "p_buy", cols.p_buy_decile.is_some()),
        ("p_alive", "p_alive", cols.p_alive.is_some()),
        ("clv", "clv", cols.clv.is_some()),
        ("next_product", "next_product", cols.next_product.is_some()),
    ];
    let reason = |column: &str| {
        cols.unavailable
            .iter()
            .find(|(c, _)| *c == column)
            .map_or_else(|| "unavailable for this file.".to_string(), |(_, r)| r.clone())
    };
    TargetView {
        summary: s,
        plan,
        plan_error,
        preview,
        filters_available: checks.iter().filter(|c| c.2).map(|c| c.0).collect(),
        filters_unavailable: checks
            .iter()
            .filter(|c| !c.2)
            .map(|c| (c.0, reason(c.1)))
            .collect(),
    }
}
