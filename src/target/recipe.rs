//! The recipe of a target list: typed filters, the ranking, the budget, the holdout share and
//! its seed. It round-trips as JSON (the CSV's header comment holds it) and checks itself
//! once, naming the bad field (`target.filters[1].max`). [`parse_filter`] reads the CLI's
//! `--filter KIND=VALUES` text.

use super::{TargetColumns, ANALYSIS};
use crate::Error;
use serde::{Deserialize, Serialize};

/// How a list is ranked (and a budget's top N taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// p_buy × expected order value.
    ExpectedValue,
    /// Lifetime value over the CLV horizon.
    Clv,
    /// Chance of buying within the propensity horizon.
    PBuy,
}

impl RankBy {
    pub fn name(self) -> &'static str {
        match self {
            RankBy::ExpectedValue => "expected_value",
            RankBy::Clv => "clv",
            RankBy::PBuy => "p_buy",
        }
    }

    /// The score per row, or why it is unavailable.
    pub(super) fn key<'c>(self, cols: &'c TargetColumns) -> Result<Box<dyn Fn(usize) -> f64 + 'c>, Error> {
        let what = format!("ranking by {}", self.name());
        match self {
            RankBy::ExpectedValue => {
                let p = cols.p_buy.ok_or_else(|| cols.missing("p_buy", &what))?;
                let v = cols
                    .order_value
                    .ok_or_else(|| cols.missing("order_value", &what))?;
                Ok(Box::new(move |i| p[i] * v[i]))
            }
            RankBy::Clv => {
                let c = cols.clv.ok_or_else(|| cols.missing("clv", &what))?;
                Ok(Box::new(move |i| c[i]))
            }
            RankBy::PBuy => {
                let p = cols.p_buy.ok_or_else(|| cols.missing("p_buy", &what))?;
                Ok(Box::new(move |i| p[i]))
            }
        }
    }
}

/// The most customers on a list: the top `size` by the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub size: u64,
}

/// One filter; a customer must pass every filter of the recipe. Within a filter, `any_of`
/// means one of the values; bounds are inclusive and either may be absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TargetFilter {
    /// RFM segment names, as the Report names them (`Champions`, `At Risk`).
    Segment { any_of: Vec<String> },
    /// Cluster labels 1..=k.
    Cluster { any_of: Vec<u8> },
    /// Lifecycle stages (snake_case: `new`, `active`, `at_risk`, …).
    LifecycleStage { any_of: Vec<String> },
    /// p_buy deciles, 1 = the most likely tenth.
    PBuyDecile { min: u8, max: u8 },
    /// P(alive) between the bounds.
    PAlive {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    /// Lifetime value between the bounds.
    Clv {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
    },
    /// The suggested next product, as written in the file: its code, or its name from the
    /// product-name column.
    NextProduct { any_of: Vec<String> },
}

/// A row test built from a filter.
type RowTest<'c> = Box<dyn Fn(usize) -> bool + 'c>;

impl TargetFilter {
    pub fn kind(&self) -> &'static str {
        match self {
            TargetFilter::Segment { .. } => "segment",
            TargetFilter::Cluster { .. } => "cluster",
            TargetFilter::LifecycleStage { .. } => "lifecycle_stage",
            TargetFilter::PBuyDecile { .. } => "p_buy_decile",
            TargetFilter::PAlive { .. } => "p_alive",
            TargetFilter::Clv { .. } => "clv",
            TargetFilter::NextProduct { .. } => "next_product",
        }
    }

    /// The test of one row; a filter on a column the file lacks is an error saying why.
    pub(super) fn test<'c>(&'c self, cols: &'c TargetColumns) -> Result<RowTest<'c>, Error> {
        let what = format!("the {} filter", self.kind());
        let within = |x: f64, min: &Option<f64>, max: &Option<f64>| {
            min.is_none_or(|m| x >= m) && max.is_none_or(|m| x <= m)
        };
        Ok(match self {
            TargetFilter::Segment { any_of } => {
                Box::new(move |i| any_of.iter().any(|s| s == cols.segment[i]))
            }
            TargetFilter::Cluster { any_of } => {
                let c = cols.cluster.ok_or_else(|| cols.missing("cluster", &what))?;
                Box::new(move |i| any_of.contains(&c[i]))
            }
            TargetFilter::LifecycleStage { any_of } => {
                let s = cols
                    .lifecycle_stage
                    .as_ref()
                    .ok_or_else(|| cols.missing("lifecycle_stage", &what))?;
                Box::new(move |i| any_of.iter().any(|x| x == s[i]))
            }
            TargetFilter::PBuyDecile { min, max } => {
                let d = cols.p_buy_decile.ok_or_else(|| cols.missing("p_buy", &what))?;
                Box::new(move |i| (*min..=*max).contains(&d[i]))
            }
            TargetFilter::PAlive { min, max } => {
                let p = cols.p_alive.ok_or_else(|| cols.missing("p_alive", &what))?;
                Box::new(move |i| within(p[i], min, max))
            }
            TargetFilter::Clv { min, max } => {
                let c = cols.clv.ok_or_else(|| cols.missing("clv", &what))?;
                Box::new(move |i| within(c[i], min, max))
            }
            TargetFilter::NextProduct { any_of } => {
                let n = cols
                    .next_product
                    .as_ref()
                    .ok_or_else(|| cols.missing("next_product", &what))?;
                // A product as the file writes it: its code, or its name when the file has one.
                let names = cols.next_product_name.as_ref();
                Box::new(move |i| {
                    let name = names.and_then(|v| v[i]);
                    n[i].is_some_and(|p| any_of.iter().any(|x| x == p || Some(x.as_str()) == name))
                })
            }
        })
    }

    fn check(&self, at: usize) -> Result<(), String> {
        let bounds = |min: &Option<f64>, max: &Option<f64>, unit: Option<(f64, f64)>| -> Result<(), String> {
            for (name, v) in [("min", min), ("max", max)] {
                if let Some(v) = v {
                    if !v.is_finite() || unit.is_some_and(|(lo, hi)| *v < lo || *v > hi) {
                        return Err(format!(
                            "filters[{at}].{name}: {v} is not a {}",
                            if unit.is_some() {
                                "probability between 0 and 1"
                            } else {
                                "finite number"
                            }
                        ));
                    }
                }
            }
            match (min, max) {
                (Some(a), Some(b)) if a > b => Err(format!("filters[{at}]: min {a} is above max {b}")),
                _ => Ok(()),
            }
        };
        let any = |n: usize| {
            if n == 0 {
                Err(format!("filters[{at}].any_of: name at least one value"))
            } else {
                Ok(())
            }
        };
        match self {
            TargetFilter::LifecycleStage { any_of } => {
                any(any_of.len())?;
                match any_of
                    .iter()
                    .find(|s| crate::lifecycle::LifecycleStage::parse(s).is_none())
                {
                    Some(bad) => Err(format!(
                        "filters[{at}].any_of: \"{bad}\" is not a lifecycle stage (stages: {})",
                        crate::lifecycle::LifecycleStage::ALL
                            .map(|s| s.as_str())
                            .join(", ")
                    )),
                    None => Ok(()),
                }
            }
            TargetFilter::Segment { any_of } | TargetFilter::NextProduct { any_of } => any(any_of.len()),
            TargetFilter::Cluster { any_of } => any(any_of.len()),
            TargetFilter::PBuyDecile { min, max } => {
                if !(1..=10).contains(min) || !(1..=10).contains(max) || min > max {
                    Err(format!(
                        "filters[{at}]: deciles run 1 (most likely) to 10, min ≤ max; got {min} to {max}"
                    ))
                } else {
                    Ok(())
                }
            }
            TargetFilter::PAlive { min, max } => bounds(min, max, Some((0.0, 1.0))),
            TargetFilter::Clv { min, max } => bounds(min, max, None),
        }
    }
}

/// Everything that defines a list: apply it to the same file and get the same customers in
/// the same groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default, deny_unknown_fields)]
pub struct TargetRecipe {
    /// Every filter must hold (none: every customer).
    pub filters: Vec<TargetFilter>,
    /// The ranking; absent, expected value when the file allows it, else p_buy, else CLV.
    pub rank_by: Option<RankBy>,
    /// Keep only the top N by the ranking.
    pub budget: Option<Budget>,
    /// Share of the list held out (not contacted) to measure the campaign, in [0, 0.9]
    /// (default 0.1).
    pub holdout_share: f64,
    /// Seed of the holdout draw (default 42).
    pub seed: u64,
}

impl Default for TargetRecipe {
    fn default() -> Self {
        TargetRecipe {
            filters: Vec::new(),
            rank_by: None,
            budget: None,
            holdout_share: 0.1,
            seed: 42,
        }
    }
}

impl TargetRecipe {
    /// Validates the recipe; the error names the field (`invalid option target.holdout_share: …`).
    pub fn check(&self) -> Result<(), Error> {
        if !(0.0..=0.9).contains(&self.holdout_share) {
            return Err(Error::param(
                "holdout_share",
                format!(
                    "must be between 0 and 0.9 (e.g. 0.1 for 10 %), got {}",
                    self.holdout_share
                ),
            )
            .in_option("target"));
        }
        if self.budget.as_ref().is_some_and(|b| b.size == 0) {
            return Err(Error::param("budget", "the budget must be at least 1 customer").in_option("target"));
        }
        for (at, f) in self.filters.iter().enumerate() {
            f.check(at)
                .map_err(|m| Error::param("filters", m).in_option("target"))?;
        }
        Ok(())
    }

    /// Reads a recipe from JSON; a wrong field names its path (`filters[0].min: …`).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let recipe: TargetRecipe = serde_path_to_error::deserialize(de).map_err(|e| {
            Error::data(
                ANALYSIS,
                format!("the recipe is not valid at {}: {}", e.path(), e.inner()),
            )
        })?;
        recipe.check()?;
        Ok(recipe)
    }
}

/// The `--filter` syntax, for the CLI's usage text.
pub const FILTER_SYNTAX: &str = "segment=NAME[,NAME…] | cluster=K[,K…] | lifecycle=STAGE[,STAGE…] | \
decile=A-B (p_buy deciles, 1 = most likely) | p_alive=MIN-MAX | clv=MIN-MAX (either bound may be empty: clv=100-) | \
next_product=PRODUCT[,PRODUCT…] (codes or names as the file writes them)";

/// Reads `KIND=VALUES` (see [`FILTER_SYNTAX`]).
pub fn parse_filter(text: &str) -> Result<TargetFilter, String> {
    let (kind, values) = text
        .split_once('=')
        .ok_or_else(|| format!("--filter: expected KIND=VALUES, found \"{text}\"; kinds: {FILTER_SYNTAX}"))?;
    let list = || -> Vec<String> {
        values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let range = |what: &str| -> Result<(Option<f64>, Option<f64>), String> {
        let (a, b) = values.split_once('-').unwrap_or((values, values));
        let num = |s: &str| -> Result<Option<f64>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            s.parse::<f64>()
                .map(Some)
                .map_err(|_| format!("--filter {what}: expected MIN-MAX numbers, found \"{values}\""))
        };
        Ok((num(a)?, num(b)?))
    };
    let kind = kind.trim().to_ascii_lowercase().replace('-', "_");
    let filter = match kind.as_str() {
        "segment" => TargetFilter::Segment { any_of: list() },
        "lifecycle" | "lifecycle_stage" => TargetFilter::LifecycleStage { any_of: list() },
        "next_product" => TargetFilter::NextProduct { any_of: list() },
        "cluster" => TargetFilter::Cluster {
            any_of: list()
                .iter()
                .map(|v| {
                    v.parse::<u8>()
                        .map_err(|_| format!("--filter cluster: \"{v}\" is not a cluster number"))
                })
                .collect::<Result<_, _>>()?,
        },
        "decile" | "p_buy_decile" => {
            let (a, b) = range("decile")?;
            let d = |x: Option<f64>, default: u8| x.map_or(default, |v| v.clamp(0.0, 255.0) as u8);
            TargetFilter::PBuyDecile {
                min: d(a, 1),
                max: d(b, 10),
            }
        }
        "p_alive" => {
            let (min, max) = range("p_alive")?;
            TargetFilter::PAlive { min, max }
        }
        "clv" => {
            let (min, max) = range("clv")?;
            TargetFilter::Clv { min, max }
        }
        other => {
            return Err(format!(
                "--filter: unknown kind \"{other}\"; kinds: {FILTER_SYNTAX}"
            ))
        }
    };
    filter.check(0).map_err(|m| {
        format!(
            "--filter {text}: {}",
            m.trim_start_matches("filters[0]")
                .trim_start_matches(['.', ':', ' '])
        )
    })?;
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_from_the_command_line() {
        assert_eq!(
            parse_filter("segment=Champions, At Risk").unwrap(),
            TargetFilter::Segment {
                any_of: vec!["Champions".into(), "At Risk".into()]
            }
        );
        assert_eq!(
            parse_filter("decile=1-2").unwrap(),
            TargetFilter::PBuyDecile { min: 1, max: 2 }
        );
        assert_eq!(
            parse_filter("decile=3").unwrap(),
            TargetFilter::PBuyDecile { min: 3, max: 3 }
        );
        assert_eq!(
            parse_filter("clv=100-").unwrap(),
            TargetFilter::Clv {
                min: Some(100.0),
                max: None
            }
        );
        assert_eq!(
            parse_filter("p_alive=0.5-1").unwrap(),
            TargetFilter::PAlive {
                min: Some(0.5),
                max: Some(1.0)
            }
        );
        assert!(parse_filter("p_alive=0.5-2").unwrap_err().contains("probability"));
        assert!(parse_filter("decile=0-3").is_err());
        assert!(parse_filter("colour=red").unwrap_err().contains("unknown kind"));
        assert!(parse_filter("cluster=a").is_err());
        assert_eq!(
            parse_filter("lifecycle=at_risk,lapsed").unwrap(),
            TargetFilter::LifecycleStage {
                any_of: vec!["at_risk".into(), "lapsed".into()]
            }
        );
        assert!(parse_filter("lifecycle=sleepy")
            .unwrap_err()
            .contains("stages: new, active"));
    }

    #[test]
    fn recipe_errors_name_the_field() {
        let e = TargetRecipe::from_json(r#"{"holdout_share": 0.95}"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("invalid option target.holdout_share"), "{e}");
        let e = TargetRecipe::from_json(r#"{"filters":[{"kind":"clv","min":"x"}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("filters[0]"), "{e}");
        let e = TargetRecipe::from_json(r#"{"filters":[{"kind":"p_buy_decile","min":4,"max":2}]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("target.filters") && e.contains("filters[0]"), "{e}");
        let e = TargetRecipe::from_json(r#"{"holdout":0.1}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown field"), "{e}");
        assert_eq!(TargetRecipe::from_json("{}").unwrap(), TargetRecipe::default());
    }
}
