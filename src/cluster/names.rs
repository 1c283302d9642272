//! A cluster's plain-language name as parts the page and the CLI word in their language
//! (`clusters.name.*` in `www/i18n/<lang>/clusters.js`): when its customers last bought, how
//! often and how much, and a suffix telling namesakes apart. The English name is built from the
//! same parts ([`ClusterName::english`]).

use serde::Serialize;

/// When a cluster's customers last bought, against everyone's median.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NameWhen {
    Recent,
    Lapsed,
}

/// How often and how much a cluster's customers buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NameWhat {
    LoyalBigSpenders,
    FrequentSmallSpenders,
    FrequentBuyers,
    OccasionalBigSpenders,
    OccasionalLowSpenders,
    OccasionalBuyers,
    BigOneTimers,
    OneTimers,
}

/// What sets apart clusters that would have the same name (in label order: by spend, or by
/// order count without amounts); the tiers carry their place in `tier`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum NameSuffix {
    LowerSpend,
    HigherSpend,
    FewerOrders,
    MoreOrders,
    SpendTier,
    OrderTier,
}

/// A cluster's name in parts: `clusters.name.when.<when>`, `clusters.name.what.<what>`,
/// `clusters.name.suffix.<suffix>` (with `{i}` of `{n}` for the tiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ClusterName {
    pub when: NameWhen,
    pub what: NameWhat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub suffix: Option<NameSuffix>,
    /// For `spend_tier` / `order_tier`: this cluster's tier (1-based) and how many there are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tier: Option<[u32; 2]>,
}

impl NameWhen {
    pub const ALL: [NameWhen; 2] = [NameWhen::Recent, NameWhen::Lapsed];
    pub fn key(self) -> &'static str {
        match self {
            NameWhen::Recent => "recent",
            NameWhen::Lapsed => "lapsed",
        }
    }
}

impl NameWhat {
    pub const ALL: [NameWhat; 8] = [
        NameWhat::LoyalBigSpenders,
        NameWhat::FrequentSmallSpenders,
        NameWhat::FrequentBuyers,
        NameWhat::OccasionalBigSpenders,
        NameWhat::OccasionalLowSpenders,
        NameWhat::OccasionalBuyers,
        NameWhat::BigOneTimers,
        NameWhat::OneTimers,
    ];
    /// The English words; the catalogue key is the same with `_` for spaces and hyphens.
    pub fn english(self) -> &'static str {
        match self {
            NameWhat::LoyalBigSpenders => "loyal big spenders",
            NameWhat::FrequentSmallSpenders => "frequent small spenders",
            NameWhat::FrequentBuyers => "frequent buyers",
            NameWhat::OccasionalBigSpenders => "occasional big spenders",
            NameWhat::OccasionalLowSpenders => "occasional low spenders",
            NameWhat::OccasionalBuyers => "occasional buyers",
            NameWhat::BigOneTimers => "big one-timers",
            NameWhat::OneTimers => "one-timers",
        }
    }
    pub fn key(self) -> String {
        self.english().replace([' ', '-'], "_")
    }
}

impl NameSuffix {
    pub const ALL: [NameSuffix; 6] = [
        NameSuffix::LowerSpend,
        NameSuffix::HigherSpend,
        NameSuffix::FewerOrders,
        NameSuffix::MoreOrders,
        NameSuffix::SpendTier,
        NameSuffix::OrderTier,
    ];
    pub fn key(self) -> &'static str {
        match self {
            NameSuffix::LowerSpend => "lower_spend",
            NameSuffix::HigherSpend => "higher_spend",
            NameSuffix::FewerOrders => "fewer_orders",
            NameSuffix::MoreOrders => "more_orders",
            NameSuffix::SpendTier => "spend_tier",
            NameSuffix::OrderTier => "order_tier",
        }
    }
}

impl ClusterName {
    /// The English name: "recent loyal big spenders", "lapsed one-timers (higher spend)",
    /// "recent frequent buyers (order tier 2 of 3)".
    pub fn english(&self) -> String {
        let base = format!("{} {}", self.when.key(), self.what.english());
        let suffix = match (self.suffix, self.tier) {
            (None, _) => return base,
            (Some(NameSuffix::SpendTier), Some([i, n])) => format!("spend tier {i} of {n}"),
            (Some(NameSuffix::OrderTier), Some([i, n])) => format!("order tier {i} of {n}"),
            (Some(s), _) => s.key().replace('_', " "),
        };
        format!("{base} ({suffix})")
    }
}

/// The name read from a cluster's medians (see [`super::cluster`]): recent or lapsed against
/// the overall median recency; one-time, occasional or frequent buyers; big or small spenders
/// when money is known (`big`).
pub(super) fn base_name(recent: bool, med_f: f64, overall_f: f64, big: Option<bool>) -> ClusterName {
    let when = if recent {
        NameWhen::Recent
    } else {
        NameWhen::Lapsed
    };
    #[derive(PartialEq)]
    enum Rhythm {
        OneTime,
        Occasional,
        Frequent,
    }
    let rhythm = if med_f <= 1.0 {
        Rhythm::OneTime
    } else if med_f > overall_f {
        Rhythm::Frequent
    } else {
        Rhythm::Occasional
    };
    let what = match (rhythm, big) {
        (Rhythm::Frequent, Some(true)) => NameWhat::LoyalBigSpenders,
        (Rhythm::Frequent, Some(false)) => NameWhat::FrequentSmallSpenders,
        (Rhythm::Frequent, None) => NameWhat::FrequentBuyers,
        (Rhythm::Occasional, Some(true)) => NameWhat::OccasionalBigSpenders,
        (Rhythm::Occasional, Some(false)) => NameWhat::OccasionalLowSpenders,
        (Rhythm::Occasional, None) => NameWhat::OccasionalBuyers,
        (Rhythm::OneTime, Some(true)) => NameWhat::BigOneTimers,
        (Rhythm::OneTime, _) => NameWhat::OneTimers,
    };
    ClusterName {
        when,
        what,
        suffix: None,
        tier: None,
    }
}

/// Names in label order (ascending spend, then frequency), made unique: a suffix by position
/// among the namesakes reads as a spend (or order count) tier.
pub(super) fn make_names_unique(names: &mut [ClusterName], has_money: bool) {
    let bases: Vec<ClusterName> = names.to_vec();
    for (i, name) in names.iter_mut().enumerate() {
        let same: Vec<usize> = (0..bases.len()).filter(|&j| bases[j] == bases[i]).collect();
        if same.len() < 2 {
            continue;
        }
        let rank = same.iter().position(|&j| j == i).unwrap_or(0);
        let (low, high, tier) = if has_money {
            (
                NameSuffix::LowerSpend,
                NameSuffix::HigherSpend,
                NameSuffix::SpendTier,
            )
        } else {
            (
                NameSuffix::FewerOrders,
                NameSuffix::MoreOrders,
                NameSuffix::OrderTier,
            )
        };
        if same.len() == 2 {
            name.suffix = Some(if rank == 0 { low } else { high });
        } else {
            name.suffix = Some(tier);
            name.tier = Some([rank as u32 + 1, same.len() as u32]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_medians() {
        let en = |n: ClusterName| n.english();
        assert_eq!(
            en(base_name(true, 8.0, 2.0, Some(true))),
            "recent loyal big spenders"
        );
        assert_eq!(en(base_name(false, 1.0, 2.0, Some(false))), "lapsed one-timers");
        assert_eq!(
            en(base_name(false, 1.0, 2.0, Some(true))),
            "lapsed big one-timers"
        );
        assert_eq!(en(base_name(true, 5.0, 2.0, None)), "recent frequent buyers");
        assert_eq!(en(base_name(true, 2.0, 2.0, None)), "recent occasional buyers");
    }

    #[test]
    fn namesakes_get_a_suffix() {
        let one = base_name(true, 8.0, 2.0, Some(true));
        let mut two = [one, one];
        make_names_unique(&mut two, true);
        assert_eq!(two[0].english(), "recent loyal big spenders (lower spend)");
        assert_eq!(two[1].english(), "recent loyal big spenders (higher spend)");
        let mut three = [one, one, one];
        make_names_unique(&mut three, false);
        assert_eq!(
            three[2].english(),
            "recent loyal big spenders (order tier 3 of 3)"
        );
        assert_eq!(
            serde_json::to_value(three[2]).unwrap(),
            serde_json::json!({"when": "recent", "what": "loyal_big_spenders", "suffix": "order_tier", "tier": [3, 3]})
        );
    }
}
