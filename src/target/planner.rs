//! The sample-size planner: how many customers the holdout needs so that a campaign that
//! lifts the buying rate from `base_rate` by `min_uplift` (absolute) is detected with 80 %
//! power by a two-sided test at 5 % (the two-proportion normal approximation on Cohen's h,
//! as statsmodels `NormalIndPower` with `proportion_effectsize`), and whether the list is
//! large enough for that at all.

use crate::stats::{cohens_h, per_group_for_power, two_sample_power};
use crate::{Error, Warning};
use serde::{Deserialize, Serialize};

/// What the planner is asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct PlannerParams {
    /// The buying rate expected without the campaign, in (0, 1); absent: the mean p_buy of
    /// the list (the propensity model's own forecast), shown as such.
    pub base_rate: Option<f64>,
    /// The smallest absolute uplift worth detecting (0.02 = 2 percentage points).
    pub min_uplift: f64,
    /// Significance level, two-sided (default 0.05).
    pub alpha: f64,
    /// Power wanted (default 0.8).
    pub power: f64,
}

impl Default for PlannerParams {
    fn default() -> Self {
        PlannerParams {
            base_rate: None,
            min_uplift: 0.02,
            alpha: 0.05,
            power: 0.8,
        }
    }
}

impl PlannerParams {
    pub fn check(&self) -> Result<(), Error> {
        let p = |name: &'static str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(
                    Error::param(name, format!("must be strictly between 0 and 1, got {v}"))
                        .in_option("planner"),
                )
            }
        };
        if let Some(b) = self.base_rate {
            p("base_rate", b)?;
        }
        p("min_uplift", self.min_uplift)?;
        p("alpha", self.alpha)?;
        p("power", self.power)?;
        if let Some(b) = self.base_rate {
            if b + self.min_uplift >= 1.0 {
                return Err(Error::param(
                    "min_uplift",
                    format!(
                        "the base rate {b} plus the uplift {} reaches 100 %",
                        self.min_uplift
                    ),
                )
                .in_option("planner"));
            }
        }
        Ok(())
    }
}

/// The planner's answer.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SamplePlan {
    pub base_rate: f64,
    /// `"given"` or `"mean_p_buy"` (the list's mean p_buy).
    pub base_rate_source: &'static str,
    pub min_uplift: f64,
    pub alpha: f64,
    pub power: f64,
    /// Cohen's h of base_rate + min_uplift against base_rate.
    pub effect_size: f64,
    /// Customers per group with two equal groups (not rounded).
    pub per_group_equal: f64,
    /// The smallest list that can reach the power at all (two equal groups, rounded up).
    pub min_list_size: u64,
    /// Customers on the list.
    pub list_size: u64,
    /// The holdout the list's holdout share gives, and its power.
    pub holdout: u64,
    pub power_at_holdout: f64,
    /// The smallest holdout that reaches the power with the rest of the list as the target
    /// group; `None` when no split of this list does.
    pub holdout_needed: Option<u64>,
    /// The smallest absolute uplift the current split detects with the power wanted.
    pub detectable_uplift: Option<f64>,
    pub warnings: Vec<Warning>,
}

/// Plans the holdout for a list of `list_size` customers of which `holdout` are held out.
/// `mean_p_buy` is the default base rate.
pub fn plan(
    params: &PlannerParams,
    list_size: u64,
    holdout: u64,
    mean_p_buy: Option<f64>,
) -> Result<SamplePlan, Error> {
    params.check()?;
    let (base_rate, base_rate_source) = match (params.base_rate, mean_p_buy) {
        (Some(b), _) => (b, "given"),
        (None, Some(m)) if m > 0.0 && m + params.min_uplift < 1.0 => (m, "mean_p_buy"),
        _ => {
            return Err(Error::param(
                "base_rate",
                "give the buying rate expected without the campaign (no propensity model gives one for this list)",
            )
            .in_option("planner"))
        }
    };
    let h = cohens_h(base_rate + params.min_uplift, base_rate);
    let per_group = per_group_for_power(h, params.alpha, params.power).unwrap_or(f64::INFINITY);
    let min_list_size = (2.0 * per_group.ceil()) as u64;
    let power_of = |hold: u64| {
        two_sample_power(
            h,
            hold as f64,
            (list_size - hold.min(list_size)) as f64,
            params.alpha,
        )
    };
    let power_at_holdout = power_of(holdout);
    // Power rises with the holdout up to half the list: bisect for the smallest enough.
    let half = list_size / 2;
    let holdout_needed = (half > 0 && power_of(half) >= params.power).then(|| {
        let (mut lo, mut hi) = (0u64, half);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if power_of(mid) >= params.power {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    });
    let detectable_uplift = detectable(base_rate, holdout, list_size.saturating_sub(holdout), params);
    let mut plan = SamplePlan {
        base_rate,
        base_rate_source,
        min_uplift: params.min_uplift,
        alpha: params.alpha,
        power: params.power,
        effect_size: h,
        per_group_equal: per_group,
        min_list_size,
        list_size,
        holdout,
        power_at_holdout,
        holdout_needed,
        detectable_uplift,
        warnings: Vec::new(),
    };
    plan.warnings = plan_warnings(&plan);
    Ok(plan)
}

/// The smallest uplift d with power ≥ the power wanted for these group sizes (bisection on d).
fn detectable(base: f64, n1: u64, n2: u64, params: &PlannerParams) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let power = |d: f64| two_sample_power(cohens_h(base + d, base), n1 as f64, n2 as f64, params.alpha);
    let top = 1.0 - base - 1e-12;
    if power(top) < params.power {
        return None;
    }
    let (mut lo, mut hi) = (0.0, top);
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if power(mid) >= params.power {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

fn plan_warnings(p: &SamplePlan) -> Vec<Warning> {
    let pct = |x: f64| format!("{:.1} %", 100.0 * x);
    let mut out = Vec::new();
    match p.holdout_needed {
        None => out.push(
            Warning::new(
                "planner_list_too_small",
                format!(
                    "The list is too small to detect an uplift of {} points on a base rate of {} with {} power: that needs at least {} customers ({} in each group); this list has {}.",
                    100.0 * p.min_uplift,
                    pct(p.base_rate),
                    pct(p.power),
                    p.min_list_size,
                    p.min_list_size / 2,
                    p.list_size
                ),
            )
            .with_param("min_list_size", p.min_list_size)
            .with_param("list_size", p.list_size)
            .with_param("min_uplift", p.min_uplift)
            .with_param("base_rate", p.base_rate)
            .with_param("power", p.power),
        ),
        Some(needed) if p.holdout < needed => out.push(
            Warning::new(
                "planner_holdout_too_small",
                format!(
                    "A holdout of {} gives only {} power to detect {} points of uplift: hold out at least {} ({} of the list).",
                    crate::warning::count(p.holdout, "customer", "customers"),
                    pct(p.power_at_holdout),
                    100.0 * p.min_uplift,
                    needed,
                    pct(needed as f64 / p.list_size.max(1) as f64)
                ),
            )
            .with_param("holdout_needed", needed)
            .with_param("holdout", p.holdout)
            .with_param("power_at_holdout", p.power_at_holdout)
            .with_param("min_uplift", p.min_uplift)
            .with_param("list_size", p.list_size),
        ),
        Some(_) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_planner_finds_the_smallest_holdout() {
        let params = PlannerParams {
            base_rate: Some(0.10),
            min_uplift: 0.02,
            ..Default::default()
        };
        // statsmodels: NormalIndPower().solve_power(proportion_effectsize(0.12, 0.10), alpha=0.05, power=0.8) = 3834.595739884031
        let p = plan(&params, 100_000, 10_000, None).unwrap();
        assert!(
            (p.per_group_equal - 3834.595739884031).abs() < 1e-6,
            "{}",
            p.per_group_equal
        );
        let needed = p.holdout_needed.unwrap();
        assert!(needed < 3835 && needed > 1900, "{needed}");
        let power_of = |h: u64| two_sample_power(p.effect_size, h as f64, (100_000 - h) as f64, 0.05);
        assert!(power_of(needed) >= 0.8 && power_of(needed - 1) < 0.8);
        assert!(p.warnings.is_empty());
        let small = plan(&params, 5_000, 500, None).unwrap();
        assert_eq!(small.holdout_needed, None);
        assert_eq!(small.warnings[0].code, "planner_list_too_small");
        let e = plan(&PlannerParams::default(), 100, 10, None)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("invalid option planner.base_rate"), "{e}");
    }
}
