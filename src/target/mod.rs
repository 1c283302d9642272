//! Target lists: who to contact in a campaign, and who to hold out to measure it. A
//! [`TargetRecipe`] (filters on segment, cluster, lifecycle stage, p_buy decile, P(alive), CLV
//! and next product, combined with AND; an optional budget of the top N by expected value
//! = p_buy × expected order value, by CLV or by p_buy; a seeded random holdout share) is
//! applied to the Report's per-customer columns by [`build`], a pure function: the same file
//! and recipe give the same list, and the recipe round-trips as JSON (it is written into the
//! CSV's header comment, [`csv`]), so a list can be rebuilt exactly. The sample-size planner
//! ([`planner`]) says how large the holdout must be to detect the uplift that matters.
//!
//! Files: `recipe` (the recipe, its checks and the CLI's `--filter` text), `planner` (power and
//! holdout size), `csv` (the export with its `group` column and recipe header), `view` (what
//! the page receives: summary, plan, the first rows); this file the
//! per-customer columns ([`TargetColumns`]) and [`build`].

mod csv;
pub mod planner;
mod recipe;
mod view;

pub use self::csv::{list_csv, list_csv_chunk, LIST_CSV_HEADER, RECIPE_PREFIX};
pub use planner::{plan, PlannerParams, SamplePlan};
pub use recipe::{parse_filter, Budget, RankBy, TargetFilter, TargetRecipe, FILTER_SYNTAX};
pub use view::{page_view, TargetRow, TargetView, PREVIEW_ROWS};

use crate::report::Report;
use crate::{Error, Warning};
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "target";

/// A customer's group in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Contacted.
    Target,
    /// Not contacted, kept to measure what would have happened anyway.
    Holdout,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Target => "target",
            Group::Holdout => "holdout",
        }
    }
}

/// The per-customer columns a recipe filters and ranks on, aligned with the Report's customer
/// rows; a column is `None` when its analysis is unavailable for the file.
#[derive(Debug, Clone, Default)]
pub struct TargetColumns<'a> {
    pub id: &'a [String],
    /// RFM segment name per customer.
    pub segment: Vec<&'a str>,
    pub cluster: Option<&'a [u8]>,
    pub p_buy: Option<&'a [f64]>,
    pub p_buy_decile: Option<&'a [u8]>,
    pub p_alive: Option<&'a [f64]>,
    pub clv: Option<&'a [f64]>,
    /// Expected order value: the Gamma-Gamma expected spend per order when fitted, else the
    /// customer's own average order value; `None` without amounts.
    pub order_value: Option<&'a [f64]>,
    /// Where `order_value` comes from: `"gamma_gamma"` or `"average_order_value"`.
    pub order_value_source: Option<&'static str>,
    /// Lifecycle stage per customer (snake_case stage name, [`crate::lifecycle`]); `None`
    /// when the lifecycle section is not ok.
    pub lifecycle_stage: Option<Vec<&'a str>>,
    /// The product most associated with what the customer bought and has not bought yet
    /// ([`crate::crosssell`]); `None` when the cross-sell section is not ok.
    pub next_product: Option<Vec<Option<&'a str>>>,
    /// The next product's name from the product-name column, when the file has one.
    pub next_product_name: Option<Vec<Option<&'a str>>>,
    /// Why each unavailable column is missing, by column name, for the error a filter on it gets.
    pub unavailable: Vec<(&'static str, String)>,
}

/// Why a section has no result, for the error a filter on its column gets.
fn reason<T>(s: &crate::report::Section<T>) -> String {
    match s {
        crate::report::Section::Unavailable { reason, .. } => reason.clone(),
        _ => "the analysis was switched off for this run.".to_string(),
    }
}

impl<'a> TargetColumns<'a> {
    /// The columns of a Report.
    pub fn from_report(report: &'a Report) -> Self {
        let c = &report.customers;
        let rfm = &report.rfm;
        let mut cols = TargetColumns {
            id: &c.id,
            segment: (0..c.id.len())
                .map(|i| rfm.segment_name(i).unwrap_or(""))
                .collect(),
            ..Default::default()
        };
        match report.clusters.ok() {
            Some(k) => cols.cluster = Some(&k.label),
            None => cols.unavailable.push(("cluster", reason(&report.clusters))),
        }
        match report.propensity.ok() {
            Some(p) => {
                cols.p_buy = Some(&p.p_buy);
                cols.p_buy_decile = Some(&p.p_buy_decile);
            }
            None => cols.unavailable.push(("p_buy", reason(&report.propensity))),
        }
        match report.clv.ok() {
            Some(v) => {
                cols.p_alive = Some(&v.p_alive);
                cols.clv = v.clv.as_deref();
                if v.clv.is_none() {
                    cols.unavailable.push((
                        "clv",
                        "the file has no amounts, so lifetime value has no spend part.".into(),
                    ));
                }
                if let Some(spend) = v.expected_spend.as_deref() {
                    cols.order_value = Some(spend);
                    cols.order_value_source = Some("gamma_gamma");
                }
            }
            None => {
                cols.unavailable.push(("p_alive", reason(&report.clv)));
                cols.unavailable.push(("clv", reason(&report.clv)));
            }
        }
        if cols.order_value.is_none() {
            if let Some(aov) = c.avg_order_value.as_deref() {
                cols.order_value = Some(aov);
                cols.order_value_source = Some("average_order_value");
            } else {
                cols.unavailable
                    .push(("order_value", "the file has no amounts.".into()));
            }
        }
        match &c.lifecycle_stage {
            Some(stages) => cols.lifecycle_stage = Some(stages.iter().map(|s| s.as_str()).collect()),
            None => cols
                .unavailable
                .push(("lifecycle_stage", reason(&report.lifecycle))),
        }
        match &c.next_product {
            Some(_) => {
                cols.next_product = Some((0..c.id.len()).map(|i| report.next_product(i)).collect());
                cols.next_product_name = Some((0..c.id.len()).map(|i| report.next_product_name(i)).collect());
            }
            None => cols
                .unavailable
                .push(("next_product", reason(&report.cross_sell))),
        }
        cols
    }

    pub fn len(&self) -> usize {
        self.id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    fn missing(&self, column: &'static str, what: &str) -> Error {
        let why = self
            .unavailable
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("it is unavailable for this file.", |(_, r)| r.as_str());
        Error::data(ANALYSIS, format!("{what} needs the {column} column: {why}"))
    }

    /// Expected value per customer: p_buy × expected order value.
    pub fn expected_value(&self, i: usize) -> Option<f64> {
        Some(self.p_buy?.get(i)? * self.order_value?.get(i)?)
    }
}

/// The list a recipe selected: report rows in list order (best first by the ranking), each
/// with its group, and the bounded summary the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetList {
    pub rows: Vec<u32>,
    pub groups: Vec<Group>,
    pub summary: TargetSummary,
}

/// What the page and the CLI show of a list (no per-customer array).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct TargetSummary {
    pub recipe: TargetRecipe,
    /// The ranking used (the recipe's, or the default for the file: expected value, else
    /// p_buy, else CLV); `None` means file order (no score is available).
    pub ranked_by: Option<RankBy>,
    /// Where the expected order value comes from (`"gamma_gamma"`, `"average_order_value"`).
    pub order_value_source: Option<&'static str>,
    /// Customers in the Report.
    pub customers: usize,
    /// Customers that pass every filter.
    pub eligible: usize,
    /// Customers on the list (the budget's top N of the eligible, or all of them).
    pub listed: usize,
    pub target: GroupProfile,
    pub holdout: GroupProfile,
    pub warnings: Vec<Warning>,
}

/// One group of a list: its size and its expected behaviour (so the page can show that the
/// holdout is like the target group).
#[derive(Debug, Clone, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct GroupProfile {
    pub customers: usize,
    /// Mean p_buy (the buying rate expected without a campaign); `None` without propensity.
    pub mean_p_buy: Option<f64>,
    /// Σ p_buy: buyers expected without a campaign.
    pub expected_buyers: Option<f64>,
    /// Σ expected value (p_buy × expected order value).
    pub expected_value: Option<f64>,
    pub mean_clv: Option<f64>,
}

/// Applies `recipe` to the columns: filters (AND), ranking, budget, holdout.
///
/// ```
/// use clientele::target::{build, TargetColumns, TargetRecipe};
/// let bytes = b"customer,date,amount\na,2024-01-02,5\nb,2024-01-03,7\nc,2024-01-09,9\n";
/// let report = clientele::analyze(bytes, &Default::default(), &mut |_| {}).unwrap();
/// let recipe = TargetRecipe { holdout_share: 0.0, ..Default::default() };
/// let list = build(&TargetColumns::from_report(&report), &recipe).unwrap();
/// assert_eq!(list.summary.listed, 3);
/// ```
pub fn build(cols: &TargetColumns, recipe: &TargetRecipe) -> Result<TargetList, Error> {
    recipe.check()?;
    let mut rows: Vec<u32> = Vec::new();
    let tests = recipe
        .filters
        .iter()
        .map(|f| f.test(cols))
        .collect::<Result<Vec<_>, _>>()?;
    for i in 0..cols.len() {
        if tests.iter().all(|t| t(i)) {
            rows.push(i as u32);
        }
    }
    let eligible = rows.len();
    let ranked_by = match recipe.rank_by {
        Some(r) => Some(r),
        None => [RankBy::ExpectedValue, RankBy::PBuy, RankBy::Clv]
            .into_iter()
            .find(|r| r.key(cols).is_ok()),
    };
    if let Some(r) = ranked_by {
        let key = r.key(cols)?;
        rows.sort_by(|&a, &b| key(b as usize).total_cmp(&key(a as usize)).then(a.cmp(&b)));
    }
    let mut warnings = Vec::new();
    if let Some(budget) = &recipe.budget {
        if ranked_by.is_none() {
            return Err(Error::data(
                ANALYSIS,
                "a budget takes the top N by a score, and no score (p_buy, lifetime value) is available for this file.",
            ));
        }
        if (budget.size as usize) > rows.len() {
            warnings.push(
                Warning::new(
                    "target_budget_above_eligible",
                    format!(
                        "The budget is {} but only {} the filters: every one of them is on the list.",
                        crate::warning::count(budget.size, "customer", "customers"),
                        crate::warning::count(rows.len() as u64, "passes", "pass")
                    ),
                )
                .with_param("budget", budget.size)
                .with_param("eligible", rows.len()),
            );
        }
        rows.truncate(budget.size as usize);
    }
    let groups = holdout_groups(cols, &rows, recipe.holdout_share, recipe.seed);
    let profile = |g: Group| {
        group_profile(
            cols,
            rows.iter()
                .zip(&groups)
                .filter(|(_, &x)| x == g)
                .map(|(&r, _)| r as usize),
        )
    };
    let summary = TargetSummary {
        recipe: recipe.clone(),
        ranked_by,
        order_value_source: cols.order_value_source,
        customers: cols.len(),
        eligible,
        listed: rows.len(),
        target: profile(Group::Target),
        holdout: profile(Group::Holdout),
        warnings,
    };
    let mut list = TargetList {
        rows,
        groups,
        summary,
    };
    list.summary.warnings.extend(list_warnings(&list.summary));
    Ok(list)
}

fn list_warnings(s: &TargetSummary) -> Vec<Warning> {
    let mut out = Vec::new();
    if s.listed == 0 {
        out.push(Warning::new(
            "target_empty",
            "No customer passes every filter: loosen a filter to get a list.",
        ));
    } else if s.recipe.holdout_share > 0.0 && s.holdout.customers == 0 {
        out.push(Warning::new(
            "target_no_holdout",
            "The list is too short for its holdout share to hold out even one customer: the campaign cannot be measured against a holdout.",
        ));
    }
    out
}

/// The seeded holdout: the round(share × n) listed customers with the smallest
/// [`holdout_key`] of their id. It depends only on the ids, the seed and the share, not on
/// the file's order, so another tool can rebuild it.
fn holdout_groups(cols: &TargetColumns, rows: &[u32], share: f64, seed: u64) -> Vec<Group> {
    let k = libm::round(share * rows.len() as f64) as usize;
    let mut keyed: Vec<(u64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(pos, &r)| (holdout_key(&cols.id[r as usize], seed), pos))
        .collect();
    keyed.sort_unstable();
    let mut groups = vec![Group::Target; rows.len()];
    for &(_, pos) in keyed.iter().take(k) {
        groups[pos] = Group::Holdout;
    }
    groups
}

/// SplitMix64 of (FNV-1a 64 of the id's UTF-8 bytes) XOR seed: a customer's draw for the
/// holdout, the same in every run and on every machine.
pub fn holdout_key(id: &str, seed: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in id.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = (h ^ seed).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn group_profile(cols: &TargetColumns, rows: impl Iterator<Item = usize>) -> GroupProfile {
    let rows: Vec<usize> = rows.collect();
    let n = rows.len();
    let sum = |col: Option<&[f64]>| col.map(|c| crate::money::sum(rows.iter().map(|&i| c[i])));
    let mean = |s: Option<f64>| s.filter(|_| n > 0).map(|s| s / n as f64);
    let expected_buyers = sum(cols.p_buy);
    let expected_value = (cols.p_buy.is_some() && cols.order_value.is_some())
        .then(|| crate::money::sum(rows.iter().filter_map(|&i| cols.expected_value(i))));
    GroupProfile {
        customers: n,
        mean_p_buy: mean(expected_buyers),
        expected_buyers,
        expected_value,
        mean_clv: mean(sum(cols.clv)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns<'a>(
        ids: &'a [String],
        p: &'a [f64],
        dec: &'a [u8],
        clv: &'a [f64],
        aov: &'a [f64],
    ) -> TargetColumns<'a> {
        TargetColumns {
            id: ids,
            segment: (0..ids.len())
                .map(|i| if i % 2 == 0 { "Champions" } else { "At Risk" })
                .collect(),
            cluster: None,
            p_buy: Some(p),
            p_buy_decile: Some(dec),
            p_alive: None,
            clv: Some(clv),
            order_value: Some(aov),
            order_value_source: Some("average_order_value"),
            lifecycle_stage: None,
            next_product: None,
            next_product_name: None,
            unavailable: vec![("lifecycle_stage", "not computed.".into())],
        }
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn filters_combine_budget_ranks_and_holdout_is_seeded() {
        let ids = ids(100);
        let p: Vec<f64> = (0..100).map(|i| i as f64 / 100.0).collect();
        let dec: Vec<u8> = (0..100).map(|i| 10 - (i / 10) as u8).collect();
        let clv: Vec<f64> = (0..100).map(|i| (100 - i) as f64).collect();
        let aov = vec![10.0; 100];
        let cols = columns(&ids, &p, &dec, &clv, &aov);
        let recipe: TargetRecipe = serde_json::from_str(
            r#"{"filters":[{"kind":"segment","any_of":["Champions"]},{"kind":"p_buy_decile","min":1,"max":5}],
                "budget":{"size":20},"holdout_share":0.25,"seed":7}"#,
        )
        .unwrap();
        let list = build(&cols, &recipe).unwrap();
        // Deciles 1-5 are rows 50..100; Champions are the even rows: 25 eligible.
        assert_eq!(list.summary.eligible, 25);
        assert_eq!(list.summary.listed, 20);
        assert_eq!(list.summary.ranked_by, Some(RankBy::ExpectedValue));
        assert_eq!(list.rows[0], 98);
        assert!(list.rows.windows(2).all(|w| p[w[0] as usize] >= p[w[1] as usize]));
        assert_eq!(list.summary.holdout.customers, 5);
        assert_eq!(list.summary.target.customers, 15);
        // Same recipe, same list; another seed, another holdout of the same size.
        assert_eq!(build(&cols, &recipe).unwrap(), list);
        let other = build(
            &cols,
            &TargetRecipe {
                seed: 8,
                ..recipe.clone()
            },
        )
        .unwrap();
        assert_eq!(other.summary.holdout.customers, 5);
        assert_ne!(other.groups, list.groups);
        // Round trip of the recipe.
        let json = serde_json::to_string(&recipe).unwrap();
        assert_eq!(serde_json::from_str::<TargetRecipe>(&json).unwrap(), recipe);
    }

    #[test]
    fn holdout_does_not_depend_on_row_order() {
        let ids = ids(50);
        let cols_a = TargetColumns {
            id: &ids,
            segment: vec![""; 50],
            ..Default::default()
        };
        let rows: Vec<u32> = (0..50).collect();
        let rev: Vec<u32> = (0..50).rev().collect();
        let a = holdout_groups(&cols_a, &rows, 0.2, 42);
        let b = holdout_groups(&cols_a, &rev, 0.2, 42);
        let held = |rows: &[u32], g: &[Group]| {
            let mut v: Vec<u32> = rows
                .iter()
                .zip(g)
                .filter(|(_, &g)| g == Group::Holdout)
                .map(|(&r, _)| r)
                .collect();
            v.sort();
            v
        };
        assert_eq!(held(&rows, &a), held(&rev, &b));
        assert_eq!(held(&rows, &a).len(), 10);
    }

    #[test]
    fn a_filter_on_a_missing_column_names_why() {
        let ids = ids(3);
        let cols = TargetColumns {
            id: &ids,
            segment: vec![""; 3],
            unavailable: vec![("lifecycle_stage", "not computed by this version.".into())],
            ..Default::default()
        };
        let recipe = TargetRecipe {
            filters: vec![TargetFilter::LifecycleStage {
                any_of: vec!["active".into()],
            }],
            ..Default::default()
        };
        let e = build(&cols, &recipe).unwrap_err().to_string();
        assert!(e.contains("lifecycle_stage column: not computed"), "{e}");
        // No score: file order, and a budget is refused.
        let list = build(&cols, &TargetRecipe::default()).unwrap();
        assert_eq!((list.summary.ranked_by, list.rows.clone()), (None, vec![0, 1, 2]));
        let budget = TargetRecipe {
            budget: Some(Budget { size: 1 }),
            ..Default::default()
        };
        assert!(build(&cols, &budget).is_err());
    }
}
