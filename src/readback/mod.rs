//! Campaign read-back: did contacting the target group raise conversion (and revenue) over
//! the holdout? From a response file ([`crate::ingest::read_responses`]) and, optionally, the
//! target list it belongs to ([`CampaignList`]: the list's groups win over the file's, and its
//! segment and lifecycle columns give the breakdowns), [`readback`] computes conversion per
//! group with Wilson 95 % intervals, the absolute uplift (Newcombe interval) and relative
//! uplift (log-ratio interval), the pooled two-proportion z-test and Fisher's exact test (the
//! one used for the verdict when an expected cell count is below 5), revenue per customer with
//! Welch's t-test, and the uplift by segment and lifecycle stage with Holm-adjusted p-values;
//! then says in words what is and is not significant ([`ReadbackReport::findings`]).
//!
//! Files: `list` reads a target list back (its CSV, or the list just built); `words` writes the
//! findings; this file the figures.

mod list;
mod words;

pub use list::{CampaignList, ListEntry};

use crate::ingest::{ResponseGroup, ResponseQuality, ResponseRows};
use crate::stats::{self, Interval};
use crate::target::Group;
use crate::{Error, Warning};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const ANALYSIS: &str = "readback";

/// What to do with listed customers the response file does not mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MissingResponses {
    /// They did not convert (response files often list only the buyers). Default.
    #[default]
    NotConverted,
    /// Leave them out of every figure.
    Exclude,
}

/// Parameters of the read-back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct ReadbackParams {
    /// Significance level, two-sided (default 0.05: 95 % intervals).
    pub alpha: f64,
    pub missing: MissingResponses,
}

impl Default for ReadbackParams {
    fn default() -> Self {
        ReadbackParams {
            alpha: 0.05,
            missing: MissingResponses::NotConverted,
        }
    }
}

/// One group's outcome.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct GroupOutcome {
    pub customers: u64,
    pub converted: u64,
    pub rate: Option<f64>,
    pub rate_interval: Option<Interval>,
    /// Σ revenue, per customer (converted or not) and its sample standard deviation; `None`
    /// without a revenue column.
    pub revenue: Option<f64>,
    pub revenue_per_customer: Option<f64>,
    pub revenue_sd: Option<f64>,
}

/// Conversion, target against holdout.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct ConversionTest {
    /// rate(target) − rate(holdout), with Newcombe's interval.
    pub absolute_uplift: Option<f64>,
    pub absolute_interval: Option<Interval>,
    /// rate(target) / rate(holdout) − 1, with the log-ratio interval.
    pub relative_uplift: Option<f64>,
    pub relative_interval: Option<Interval>,
    pub z: Option<f64>,
    pub z_p_value: Option<f64>,
    pub fisher_p_value: Option<f64>,
    /// The sample odds ratio (None when a cell is 0).
    pub odds_ratio: Option<f64>,
    /// The smallest expected cell count of the 2×2 table: below 5, Fisher's test decides.
    pub min_expected_count: Option<f64>,
    /// `"z_test"` or `"fisher_exact"`: the test behind `p_value`.
    pub test: &'static str,
    pub p_value: Option<f64>,
    pub significant: bool,
}

/// Revenue per customer, target against holdout (Welch's t-test).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RevenueTest {
    pub difference: f64,
    pub interval: Interval,
    pub t: f64,
    pub df: f64,
    pub p_value: f64,
    pub significant: bool,
}

/// The uplift within one segment or lifecycle stage.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SubgroupRow {
    pub name: String,
    pub target: GroupOutcome,
    pub holdout: GroupOutcome,
    pub absolute_uplift: Option<f64>,
    pub test: &'static str,
    pub p_value: Option<f64>,
    /// Holm-adjusted over the rows of this breakdown that have a p-value.
    pub p_adjusted: Option<f64>,
    pub significant: bool,
}

/// How the response file matched the list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, ts_rs::TS)]
pub struct ListMatch {
    pub customers: u64,
    pub target: u64,
    pub holdout: u64,
    pub recipe: Option<crate::target::TargetRecipe>,
    /// Listed customers without a response row (counted as not converted, or left out).
    pub without_response: u64,
    /// Response rows whose customer is not on the list (not used), with examples.
    pub not_on_list: u64,
    pub not_on_list_examples: Vec<u64>,
    /// Response rows whose group differs from the list's (the list's is used).
    pub group_differs: u64,
}

/// The read-out: every figure the page and `clientele readback --json` show.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ReadbackReport {
    pub quality: ResponseQuality,
    pub list: Option<ListMatch>,
    pub params: ReadbackParams,
    /// Response rows that repeated a customer already seen (revenue added, converted if any).
    pub repeated_rows: u64,
    pub target: GroupOutcome,
    pub holdout: GroupOutcome,
    pub conversion: ConversionTest,
    pub revenue: Option<RevenueTest>,
    pub by_segment: Vec<SubgroupRow>,
    pub by_lifecycle_stage: Vec<SubgroupRow>,
    /// What is and is not significant, in sentences (codes: `conversion_significant`, …).
    pub findings: Vec<Warning>,
    pub warnings: Vec<Warning>,
}

/// One customer's outcome.
struct Outcome {
    group: Group,
    converted: bool,
    revenue: f64,
    /// Index into the list, when there is one.
    entry: Option<usize>,
}

/// The read-out of `rows` (read with `quality`) against `list` when given.
pub fn readback(
    rows: &ResponseRows,
    quality: ResponseQuality,
    list: Option<&CampaignList>,
    params: &ReadbackParams,
) -> Result<ReadbackReport, Error> {
    if !(params.alpha > 0.0 && params.alpha < 0.5) {
        return Err(Error::param(
            "alpha",
            format!("must be between 0 and 0.5, got {}", params.alpha),
        )
        .in_option("readback"));
    }
    let (outcomes, list_match, repeated_rows) = match_rows(rows, list, params)?;
    let has_revenue = rows.revenue.is_some();
    let pick = |g: Group| outcomes.iter().filter(move |o| o.group == g);
    let target = outcome(pick(Group::Target), has_revenue, params.alpha);
    let holdout = outcome(pick(Group::Holdout), has_revenue, params.alpha);
    if target.customers == 0 || holdout.customers == 0 {
        return Err(Error::data(
            ANALYSIS,
            format!(
                "the read-back compares the target group with the holdout, and the {} group has no customer in the response file{}.",
                if target.customers == 0 { "target" } else { "holdout" },
                if list.is_some() { " and the list" } else { "" }
            ),
        )
        .with_code(if target.customers == 0 {
            "no_target_responses"
        } else {
            "no_holdout_responses"
        }));
    }
    let conversion = conversion_test(&target, &holdout, params.alpha);
    let revenue = has_revenue
        .then(|| revenue_test(&outcomes, params.alpha))
        .flatten();
    let breakdown = |name: fn(&ListEntry) -> Option<&str>| match list {
        Some(l) => subgroups(
            &outcomes,
            |o| o.entry.and_then(|e| name(&l.entries[e])),
            has_revenue,
            params.alpha,
        ),
        None => Vec::new(),
    };
    let by_segment = breakdown(|e| e.segment.as_deref());
    let by_lifecycle_stage = breakdown(|e| e.lifecycle_stage.as_deref());
    let mut report = ReadbackReport {
        quality,
        list: list_match,
        params: params.clone(),
        repeated_rows,
        target,
        holdout,
        conversion,
        revenue,
        by_segment,
        by_lifecycle_stage,
        findings: Vec::new(),
        warnings: Vec::new(),
    };
    report.findings = words::findings(&report);
    report.warnings = words::warnings(&report);
    Ok(report)
}

type Matched = (Vec<Outcome>, Option<ListMatch>, u64);

/// One outcome per customer: rows of the same customer merged, groups from the list when
/// there is one, listed customers without a row added as not converted (unless excluded).
fn match_rows(
    rows: &ResponseRows,
    list: Option<&CampaignList>,
    params: &ReadbackParams,
) -> Result<Matched, Error> {
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(rows.customer.len());
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut repeated = 0u64;
    let mut m = list.map(|l| ListMatch {
        customers: l.entries.len() as u64,
        target: l.entries.iter().filter(|e| e.group == Group::Target).count() as u64,
        holdout: l.entries.iter().filter(|e| e.group == Group::Holdout).count() as u64,
        recipe: l.recipe.clone(),
        ..Default::default()
    });
    if list.is_none() && rows.group.iter().all(Option::is_none) {
        return Err(Error::data(
            ANALYSIS,
            "the response file has no group column (target / holdout): give the target list it belongs to (--list list.csv), or add the group to the file.",
        )
        .with_code("no_group_column"));
    }
    for (k, id) in rows.customer.iter().enumerate() {
        let revenue = rows.revenue.as_ref().map_or(0.0, |r| r[k]);
        if let Some(&at) = seen.get(id.as_str()) {
            repeated += 1;
            let o: &mut Outcome = &mut outcomes[at];
            o.converted |= rows.converted[k];
            o.revenue += revenue;
            continue;
        }
        let file_group = rows.group[k].map(|g| match g {
            ResponseGroup::Target => Group::Target,
            ResponseGroup::Holdout => Group::Holdout,
        });
        let (group, entry) = match (list, m.as_mut()) {
            (Some(l), Some(m)) => match l.find(id) {
                Some(e) => {
                    let g = l.entries[e].group;
                    if file_group.is_some_and(|f| f != g) {
                        m.group_differs += 1;
                    }
                    (g, Some(e))
                }
                None => {
                    m.not_on_list += 1;
                    if m.not_on_list_examples.len() < 5 {
                        m.not_on_list_examples.push(rows.row[k]);
                    }
                    continue;
                }
            },
            _ => match file_group {
                Some(g) => (g, None),
                None => continue,
            },
        };
        seen.insert(id.as_str(), outcomes.len());
        outcomes.push(Outcome {
            group,
            converted: rows.converted[k],
            revenue,
            entry,
        });
    }
    if let (Some(l), Some(m)) = (list, m.as_mut()) {
        for (e, entry) in l.entries.iter().enumerate() {
            if !seen.contains_key(entry.id.as_str()) {
                m.without_response += 1;
                if params.missing == MissingResponses::NotConverted {
                    outcomes.push(Outcome {
                        group: entry.group,
                        converted: false,
                        revenue: 0.0,
                        entry: Some(e),
                    });
                }
            }
        }
    }
    Ok((outcomes, m, repeated))
}

fn outcome<'a>(group: impl Iterator<Item = &'a Outcome>, has_revenue: bool, alpha: f64) -> GroupOutcome {
    let (mut n, mut x) = (0u64, 0u64);
    let mut revenue: Vec<f64> = Vec::new();
    for o in group {
        n += 1;
        x += u64::from(o.converted);
        revenue.push(o.revenue);
    }
    let (total, mean, sd) = if has_revenue && n > 0 {
        let total = crate::money::sum(revenue.iter().copied());
        let mean = total / n as f64;
        let sd = (n > 1)
            .then(|| libm::sqrt(revenue.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1) as f64));
        (Some(total), Some(mean), sd)
    } else {
        (None, None, None)
    };
    GroupOutcome {
        customers: n,
        converted: x,
        rate: (n > 0).then(|| x as f64 / n as f64),
        rate_interval: stats::wilson(x, n, alpha),
        revenue: total,
        revenue_per_customer: mean,
        revenue_sd: sd,
    }
}

/// The conversion comparison of two groups (the target first).
pub fn conversion_test(t: &GroupOutcome, h: &GroupOutcome, alpha: f64) -> ConversionTest {
    let (x1, n1, x2, n2) = (t.converted, t.customers, h.converted, h.customers);
    if n1 == 0 || n2 == 0 {
        return ConversionTest {
            test: "z_test",
            ..Default::default()
        };
    }
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let z = stats::two_proportion_z(x1, n1, x2, n2);
    let (odds, fisher) = stats::fisher_exact(x1, n1 - x1, x2, n2 - x2);
    let total = (n1 + n2) as f64;
    let conv = (x1 + x2) as f64;
    let min_expected = [
        n1 as f64 * conv / total,
        n1 as f64 * (total - conv) / total,
        n2 as f64 * conv / total,
        n2 as f64 * (total - conv) / total,
    ]
    .into_iter()
    .fold(f64::INFINITY, f64::min);
    let (test, p_value) = if min_expected < 5.0 || z.is_none() {
        ("fisher_exact", Some(fisher))
    } else {
        ("z_test", z.map(|z| z.1))
    };
    ConversionTest {
        absolute_uplift: Some(p1 - p2),
        absolute_interval: stats::newcombe(x1, n1, x2, n2, alpha),
        relative_uplift: (x2 > 0).then(|| p1 / p2 - 1.0),
        relative_interval: stats::ratio_log_interval(x1, n1, x2, n2, alpha).map(|i| Interval {
            low: i.low - 1.0,
            high: i.high - 1.0,
        }),
        z: z.map(|z| z.0),
        z_p_value: z.map(|z| z.1),
        fisher_p_value: Some(fisher),
        odds_ratio: odds.is_finite().then_some(odds),
        min_expected_count: Some(min_expected),
        test,
        p_value,
        significant: p_value.is_some_and(|p| p < alpha),
    }
}

fn revenue_test(outcomes: &[Outcome], alpha: f64) -> Option<RevenueTest> {
    let moments = |g: Group| {
        let v: Vec<f64> = outcomes
            .iter()
            .filter(|o| o.group == g)
            .map(|o| o.revenue)
            .collect();
        let n = v.len() as u64;
        let mean = crate::money::sum(v.iter().copied()) / n.max(1) as f64;
        let var = if n > 1 {
            v.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        (n, mean, var)
    };
    let (n1, m1, v1) = moments(Group::Target);
    let (n2, m2, v2) = moments(Group::Holdout);
    let w = stats::welch(n1, m1, v1, n2, m2, v2, alpha)?;
    Some(RevenueTest {
        difference: w.difference,
        interval: w.interval,
        t: w.t,
        df: w.df,
        p_value: w.p_value,
        significant: w.p_value < alpha,
    })
}

/// The uplift per subgroup (named by `name`; customers without a name are left out), ordered
/// by customers, largest first; p-values Holm-adjusted within the breakdown.
fn subgroups<'a>(
    outcomes: &'a [Outcome],
    name: impl Fn(&Outcome) -> Option<&'a str>,
    has_revenue: bool,
    alpha: f64,
) -> Vec<SubgroupRow> {
    let mut names: Vec<&str> = Vec::new();
    let mut members: HashMap<&str, Vec<&Outcome>> = HashMap::new();
    for o in outcomes {
        if let Some(n) = name(o).filter(|n| !n.is_empty()) {
            members.entry(n).or_insert_with(|| {
                names.push(n);
                Vec::new()
            });
            if let Some(m) = members.get_mut(n) {
                m.push(o);
            }
        }
    }
    let mut rows: Vec<SubgroupRow> = names
        .iter()
        .map(|n| {
            let m = &members[n];
            let t = outcome(
                m.iter().copied().filter(|o| o.group == Group::Target),
                has_revenue,
                alpha,
            );
            let h = outcome(
                m.iter().copied().filter(|o| o.group == Group::Holdout),
                has_revenue,
                alpha,
            );
            let c = conversion_test(&t, &h, alpha);
            SubgroupRow {
                name: n.to_string(),
                absolute_uplift: c.absolute_uplift,
                test: c.test,
                p_value: c.p_value,
                p_adjusted: None,
                significant: false,
                target: t,
                holdout: h,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.target.customers + b.holdout.customers)
            .cmp(&(a.target.customers + a.holdout.customers))
            .then(a.name.cmp(&b.name))
    });
    let tested: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].p_value.is_some()).collect();
    let adjusted = stats::holm(&tested.iter().filter_map(|&i| rows[i].p_value).collect::<Vec<_>>());
    for (&i, p) in tested.iter().zip(adjusted) {
        rows[i].p_adjusted = Some(p);
        rows[i].significant = p < alpha;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_responses, ResponseOptions};

    fn run(text: &str, list: Option<&CampaignList>) -> Result<ReadbackReport, Error> {
        let (rows, q) = read_responses(text.as_bytes(), &ResponseOptions::default())?;
        readback(&rows, q, list, &ReadbackParams::default())
    }

    #[test]
    fn groups_rates_and_tests() {
        let mut text = String::from("customer_id,group,converted,revenue\n");
        for i in 0..200 {
            let (g, conv) = if i < 100 {
                ("target", i % 5 == 0)
            } else {
                ("holdout", i % 10 == 0)
            };
            text.push_str(&format!(
                "c{i},{g},{},{}\n",
                u8::from(conv),
                if conv { "20.00" } else { "0" }
            ));
        }
        let r = run(&text, None).unwrap();
        assert_eq!((r.target.customers, r.target.converted), (100, 20));
        assert_eq!((r.holdout.customers, r.holdout.converted), (100, 10));
        assert!((r.conversion.absolute_uplift.unwrap() - 0.1).abs() < 1e-12);
        assert!((r.conversion.relative_uplift.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(r.conversion.test, "z_test");
        assert!(r.revenue.is_some());
        assert_eq!(
            r.findings[0].code,
            if r.conversion.significant {
                "conversion_significant"
            } else {
                "conversion_not_significant"
            }
        );
    }

    #[test]
    fn the_list_decides_groups_and_fills_missing_customers() {
        let list = CampaignList::from_csv(
            b"# recipe: {\"holdout_share\":0.5}\r\ncustomer_id,group,segment\r\na,target,Champions\r\nb,holdout,Champions\r\nc,target,At Risk\r\nd,holdout,At Risk\r\n",
            Some("list.csv"),
        )
        .unwrap();
        assert_eq!(list.recipe.as_ref().unwrap().holdout_share, 0.5);
        let r = run(
            "customer_id,group,converted\na,holdout,1\nz,target,1\nc,target,0\nc,target,1\n",
            Some(&list),
        )
        .unwrap();
        let m = r.list.as_ref().unwrap();
        assert_eq!((m.not_on_list, m.group_differs, m.without_response), (1, 1, 2));
        assert_eq!(r.repeated_rows, 1);
        // a (target, converted), c (target, converted on its second row), b and d (holdout, no row).
        assert_eq!(
            (
                r.target.customers,
                r.target.converted,
                r.holdout.customers,
                r.holdout.converted
            ),
            (2, 2, 2, 0)
        );
        assert_eq!(r.conversion.test, "fisher_exact");
        assert_eq!(r.by_segment.len(), 2);
        // Without a list and without a group column: an error that says what to do.
        let e = run("customer_id,converted\na,1\n", None).unwrap_err().to_string();
        assert!(e.contains("--list"), "{e}");
    }
}
