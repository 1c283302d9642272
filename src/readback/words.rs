//! The read-out in words: what is significant and what is not, with the figures, for the page
//! and the CLI alike (codes and parameters travel with each sentence).

use super::{ReadbackReport, SubgroupRow};
use crate::warning::count;
use crate::Warning;

fn pct(x: f64) -> String {
    format!("{:.1} %", 100.0 * x)
}

fn points(x: f64) -> String {
    format!("{:+.1} points", 100.0 * x)
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// The findings, conversion first, then revenue, then the breakdowns.
pub(super) fn findings(r: &ReadbackReport) -> Vec<Warning> {
    let mut out = Vec::new();
    let level = format!("{:.0} %", 100.0 * r.params.alpha);
    let confidence = format!("{:.0} %", 100.0 * (1.0 - r.params.alpha));
    let c = &r.conversion;
    if let (Some(t), Some(h), Some(d), Some(p)) =
        (r.target.rate, r.holdout.rate, c.absolute_uplift, c.p_value)
    {
        let test = if c.test == "fisher_exact" {
            "Fisher's exact test, used because some groups are small"
        } else {
            "two-proportion z-test"
        };
        let interval = c
            .absolute_interval
            .map(|i| format!(" ({confidence} interval {} to {})", points(i.low), points(i.high)))
            .unwrap_or_default();
        let relative = c
            .relative_uplift
            .map(|u| format!(", {:+.1} % relative", 100.0 * u))
            .unwrap_or_default();
        let head = format!(
            "The target group converted at {} and the holdout at {}: an uplift of {}{interval}{relative}.",
            pct(t),
            pct(h),
            points(d)
        );
        let (code, verdict) = match (c.significant, d > 0.0) {
            (true, true) => ("conversion_significant", format!("This is statistically significant at the {level} level ({test}, {}): the campaign very likely raised conversion.", p_text(p))),
            (true, false) => ("conversion_significant_negative", format!("This is statistically significant at the {level} level ({test}, {}): the target group converted less than the holdout.", p_text(p))),
            (false, _) => (
                "conversion_not_significant",
                format!(
                    "This is not statistically significant at the {level} level ({test}, {}): the difference could be chance, so this read-out shows no proven effect on conversion{}.",
                    p_text(p),
                    c.absolute_interval.map(|i| format!(" (an effect anywhere from {} to {} is consistent with the data)", points(i.low), points(i.high))).unwrap_or_default()
                ),
            ),
        };
        out.push(
            Warning::new(code, format!("{head} {verdict}"))
                .with_param("p_value", p)
                .with_param("uplift", d),
        );
    }
    if let (Some(rev), Some(t), Some(h)) = (
        &r.revenue,
        r.target.revenue_per_customer,
        r.holdout.revenue_per_customer,
    ) {
        let head = format!(
            "Revenue per customer: {t:.2} in the target group, {h:.2} in the holdout, a difference of {:+.2} ({confidence} interval {:+.2} to {:+.2}).",
            rev.difference, rev.interval.low, rev.interval.high
        );
        let (code, verdict) = if rev.significant {
            (
                "revenue_significant",
                format!(
                    "Significant at the {level} level (Welch's t-test, {}).",
                    p_text(rev.p_value)
                ),
            )
        } else {
            (
                "revenue_not_significant",
                format!(
                    "Not significant at the {level} level (Welch's t-test, {}): no proven effect on revenue.",
                    p_text(rev.p_value)
                ),
            )
        };
        out.push(Warning::new(code, format!("{head} {verdict}")).with_param("p_value", rev.p_value));
    }
    for (rows, what) in [
        (&r.by_segment, "segment"),
        (&r.by_lifecycle_stage, "lifecycle stage"),
    ] {
        if let Some(w) = breakdown(rows, what, &level) {
            out.push(w);
        }
    }
    out
}

fn breakdown(rows: &[SubgroupRow], what: &str, level: &str) -> Option<Warning> {
    let tested = rows.iter().filter(|r| r.p_adjusted.is_some()).count();
    if tested == 0 {
        return None;
    }
    let significant: Vec<String> = rows
        .iter()
        .filter(|r| r.significant)
        .map(|r| {
            format!(
                "{} ({})",
                r.name,
                r.absolute_uplift.map(points).unwrap_or_default()
            )
        })
        .collect();
    let code = format!("{}_breakdown", what.replace(' ', "_"));
    let message = if significant.is_empty() {
        format!(
            "By {what}: no {what} shows a significant uplift at the {level} level once the {tested} comparisons are accounted for (Holm's correction); differences between {what}s may be chance."
        )
    } else {
        format!(
            "By {what}: significant at the {level} level after Holm's correction for {tested} comparisons: {}. The other {what}s show no proven effect.",
            significant.join(", ")
        )
    };
    Some(
        Warning::new(&code, message)
            .with_param("significant", significant.len())
            .with_param("tested", tested),
    )
}

/// What could make the figures misleading.
pub(super) fn warnings(r: &ReadbackReport) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(m) = &r.list {
        if m.not_on_list > 0 {
            out.push(
                Warning::new(
                    "readback_not_on_list",
                    format!(
                        "{} not on the list ({} {}): {} left out.",
                        count(
                            m.not_on_list,
                            "response row names a customer who is",
                            "response rows name customers who are"
                        ),
                        if m.not_on_list_examples.len() == 1 {
                            "row"
                        } else {
                            "rows"
                        },
                        m.not_on_list_examples
                            .iter()
                            .map(u64::to_string)
                            .collect::<Vec<_>>()
                            .join(", "),
                        if m.not_on_list == 1 { "it was" } else { "they were" }
                    ),
                )
                .with_param("rows", m.not_on_list)
                .with_param(
                    "examples",
                    m.not_on_list_examples
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            );
        }
        if m.without_response > 0 {
            let how = match r.params.missing {
                super::MissingResponses::NotConverted => "counted as not converted (the file is read as listing the buyers); choose \"leave them out\" if the file should cover everyone",
                super::MissingResponses::Exclude => "left out of every figure",
            };
            out.push(
                Warning::new(
                    "readback_without_response",
                    format!(
                        "{} no row in the response file: {how}.",
                        count(m.without_response, "listed customer has", "listed customers have")
                    ),
                )
                .with_param("customers", m.without_response)
                .with_param(
                    "counted",
                    matches!(r.params.missing, super::MissingResponses::NotConverted),
                ),
            );
        }
        if m.group_differs > 0 {
            out.push(
                Warning::new(
                    "readback_group_differs",
                    format!(
                        "{} another group than the list: the list's group was used.",
                        count(m.group_differs, "response row gives", "response rows give")
                    ),
                )
                .with_param("rows", m.group_differs),
            );
        }
    }
    if r.repeated_rows > 0 {
        out.push(
            Warning::new(
                "readback_repeated_customers",
                format!(
                    "{} a customer already seen: {} revenue was added up, and the customer counts as converted if any row says so.",
                    count(r.repeated_rows, "row repeats", "rows repeat"),
                    if r.repeated_rows == 1 { "its" } else { "their" }
                ),
            )
            .with_param("rows", r.repeated_rows),
        );
    }
    let skipped: u64 = r.quality.skipped.iter().map(|s| s.rows).sum();
    if skipped > 0 {
        out.push(
            Warning::new(
                "readback_rows_skipped",
                format!(
                    "{} of the response file could not be used (see the reasons below).",
                    count(skipped, "row", "rows")
                ),
            )
            .with_param("rows", skipped),
        );
    }
    if r.target.customers.min(r.holdout.customers) < 100 {
        out.push(
            Warning::new(
                "readback_small_groups",
                format!(
                    "The smaller group has only {}: only a large effect can show as significant.",
                    count(
                        r.target.customers.min(r.holdout.customers),
                        "customer",
                        "customers"
                    )
                ),
            )
            .with_param("customers", r.target.customers.min(r.holdout.customers)),
        );
    }
    out
}
