//! RFM scoring: recency, frequency and monetary scores 1..=bins from quantiles of the
//! per-customer summary ([`Customers`]), the named 11-segment map a marketer can act on
//! (who they are, what to do), and per-segment and recency × frequency aggregates for the
//! page. Default scores ([`ScoreMethod::RankMin`]) give equal values equal scores and are
//! reproducible in pandas customer by customer; pandas `qcut(rank(method="first"))` is kept as
//! [`ScoreMethod::RankFirst`]. A file without amounts is scored on R and F only.

use crate::customers::Customers;
use crate::money::MoneySum;
use crate::{Error, Warning};
use serde::{Deserialize, Serialize};

/// How quantile scores are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// The default: equal values share a score, so ties are never split by row order, and a
    /// customer only gets a score every customer with the same value has earned.
    ///
    /// Each measure is oriented so that higher is better (frequency and monetary as they are,
    /// recency as fewer days since the last purchase is better), customers are ranked on that
    /// orientation with pandas `rank(method="min")` (every member of a tie group gets the
    /// group's lowest rank), and rank r gets the score [`ScoreMethod::RankFirst`] gives rank r
    /// (same float edges). In pandas, with `s = pd.qcut(pd.Series(range(1, n + 1)), bins,
    /// labels=False) + 1`: `F = s[frequency.rank(method="min") - 1]`, `M` likewise, and
    /// `R = s[(-recency_days).rank(method="min") - 1]` (no reversal: the orientation did it).
    ///
    /// So customers whose values differ from everyone else's get exactly the score rank-first
    /// gives them on the oriented measure, and every member of a tie group gets the score of
    /// the group's first (lowest) position: equal values always share the lowest score any of
    /// them would get. Scores then hold n / bins customers only roughly, and one can be empty
    /// (when most customers bought once, F 1 holds all of them). For recency, orienting first
    /// means the larger half of an uneven split goes to the least recent customers (n = 6,
    /// b = 5: R = 5, 4, 3, 2, 1, 1 from the most recent down), the mirror of rank-first's.
    /// The sentence shown to users is [`ScoreMethod::tie_rule`].
    #[default]
    RankMin,
    /// pandas `qcut(x.rank(method="first"), bins, labels=False) + 1`: equal-count bins, ties
    /// broken by order of first appearance in the file.
    ///
    /// With n customers and b bins, pandas (3.x, numpy 2.x) computes, for j = 1..b-1,
    /// `p_j = j * (1/b)` (numpy `linspace`), bumped to the next float up when `b * p_j != j`
    /// (pandas rounds non-representable quantiles up), the virtual index `v_j = (n-1) * p_j`,
    /// and the edge `e_j` = numpy's linear interpolation between the ranks `lo = floor(v_j)+1`
    /// and `lo + 1` with weight `t = v_j - floor(v_j)` (`lo + t` when `t < 0.5`, else
    /// `(lo + 1) - (1 - t)`; `e_j = n` when `v_j >= n-1`). Bins are right-closed with the
    /// lowest edge included, so the customer of rank r (1..=n) gets score
    /// `1 + #{j in 1..b-1 : e_j < r}`. In exact arithmetic this is `1 + #{j : (n-1)·j <
    /// (r-1)·b}`; the float steps are reproduced literally because an edge that should be an
    /// integer can land one ulp below it, which moves one customer up a score (n = 19, b = 6:
    /// pandas gives bin sizes 4 3 3 3 2 4, not 4 3 3 3 3 3).
    ///
    /// Ranks: frequency and monetary ascending; recency ascending too, and the score reversed
    /// (`R = b + 1 - score`), as pandas users write `qcut(recency.rank(method="first"), b,
    /// labels=[b, …, 1])`. So among equal values the customer who appeared first in the file
    /// gets the lower F and M score and the higher R score.
    RankFirst,
    /// The R `rfm` package's rule (`rfm_table_order`, rsquaredacademy/rfm, R/utils.R `bins()`
    /// and R/rfm-table-transaction.R `rfm_prep_bins()`): cut points at quantiles of the values
    /// themselves, `c_k = quantile(x, k/b, type = 7) + 1` for k = 1..b-1, bins
    /// `[min, c_1), [c_1, c_2), …, [c_{b-1}, max + 1)`; so score = `1 + #{k : c_k <= x}`
    /// (recency reversed: `b + 1 -` that). Equal values always share a score; bins may be
    /// empty or very uneven when values repeat (most customers buy once). The `+ 1` is the
    /// package's (it assumes whole days and counts). Where R would give NA because `max + 1`
    /// rounds back to `max` (values past 2^53), the top bin is used. Only the cut rule is the
    /// package's: it is applied to our recency, frequency and monetary (the package counts
    /// transaction rows as frequency).
    RQuantile,
}

impl ScoreMethod {
    /// One English sentence saying how ties are scored (the page's footnote, the export notes).
    pub fn tie_rule(self) -> &'static str {
        match self {
            ScoreMethod::RankMin => TIE_RULE_RANK_MIN,
            ScoreMethod::RankFirst => "Ties are split by row order, as pandas qcut(x.rank(method=\"first\"), bins) does: among customers with equal values, the one who appears first in the file gets the lower F and M score and the higher R score.",
            ScoreMethod::RQuantile => "Scores follow the R rfm package's cut points (type-7 quantiles of the values, plus 1), so equal values always share a score and some scores may hold few or no customers.",
        }
    }
}

/// The tie rule of [`ScoreMethod::RankMin`], as shown to users.
pub const TIE_RULE_RANK_MIN: &str = "Equal values share a score: each measure is ordered so that higher is better (for recency, fewer days since the last purchase), customers are ranked with pandas rank(method=\"min\"), and each gets the score that rank would get with rank(method=\"first\") and equal-count bins, so customers with the same value all get the lowest score any of them would get and ties are never split by row order.";

/// Parameters of RFM scoring.
///
/// ```
/// use clientele::rfm::{RfmParams, ScoreMethod};
/// let p = RfmParams::default().with_bins(4).with_method(ScoreMethod::RQuantile);
/// assert!(p.check().is_ok());
/// assert!(RfmParams::default().with_bins(10).check().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct RfmParams {
    /// Number of score bins, 2..=9 (default 5).
    pub bins: u8,
    /// How the quantile cut points are chosen (default [`ScoreMethod::RankMin`]).
    pub method: ScoreMethod,
}

impl Default for RfmParams {
    fn default() -> Self {
        RfmParams {
            bins: 5,
            method: ScoreMethod::RankMin,
        }
    }
}

impl RfmParams {
    /// Smallest and largest number of bins.
    pub const BINS: std::ops::RangeInclusive<u8> = 2..=9;

    /// Sets the number of bins.
    pub fn with_bins(mut self, bins: u8) -> Self {
        self.bins = bins;
        self
    }

    /// Sets the scoring method.
    pub fn with_method(mut self, method: ScoreMethod) -> Self {
        self.method = method;
        self
    }

    /// Validates the parameters once, before any work.
    pub fn check(&self) -> Result<(), Error> {
        if !Self::BINS.contains(&self.bins) {
            return Err(Error::param(
                "bins",
                format!(
                    "must be between {} and {} (got {})",
                    Self::BINS.start(),
                    Self::BINS.end(),
                    self.bins
                ),
            ));
        }
        Ok(())
    }
}

/// One named segment of the map, and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct SegmentSummary {
    pub name: String,
    pub description: String,
    pub action: String,
    pub customers: usize,
    /// Share of customers, 0..=1.
    pub share: f64,
    /// Sum of frequency (orders, or purchase days without an order column).
    pub orders: u64,
    /// Sum of monetary, exact ([`MoneySum`]); 0 when the file has no amounts (see
    /// [`RfmReport::has_monetary`]: then it is unknown, as are the other money fields).
    pub revenue: f64,
    /// Share of revenue, 0..=1 (0 when the file has no amounts).
    pub revenue_share: f64,
    /// Means over the segment's customers; 0 when the segment is empty.
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary: f64,
    /// revenue / orders (0 when there are no orders).
    pub avg_order_value: f64,
}

/// One cell of the recency × frequency grid.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub customers: usize,
    /// Mean monetary of the customers in the cell (0 when empty or without amounts).
    pub mean_monetary: f64,
}

/// The result of RFM scoring; per-customer vectors are aligned with `Customers::id`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct RfmReport {
    pub bins: u8,
    pub method: ScoreMethod,
    /// One English sentence: how equal values are scored ([`ScoreMethod::tie_rule`]); the
    /// page shows it as the footnote of the scores.
    pub tie_rule: String,
    /// False when the file has no amount ([`Customers::has_amount`]): there is no M score
    /// (`m_score` is null, `monetary_ranges` empty) and segments are placed on R × F.
    pub has_monetary: bool,
    pub r_score: Vec<u8>,
    pub f_score: Vec<u8>,
    /// None (JSON null) when the file has no amount.
    pub m_score: Option<Vec<u8>>,
    /// Per customer: index into `segments`.
    pub segment: Vec<u8>,
    /// Every segment of the map, in the map's fixed order (empty ones included).
    pub segments: Vec<SegmentSummary>,
    /// bins × bins cells, r-major.
    pub grid: Vec<GridCell>,
    /// What each R score means in days since the last purchase (element 0 is score 1).
    pub recency_ranges: Vec<ScoreRange>,
    /// What each F score means in orders (element 0 is score 1).
    pub frequency_ranges: Vec<ScoreRange>,
    /// What each M score means in money (element 0 is score 1); empty without amounts.
    pub monetary_ranges: Vec<ScoreRange>,
    /// What not to trust: `rfm_no_monetary` (no amount: columns monetary, m_score),
    /// `rfm_few_customers` (fewer than two customers per score: scores are coarse).
    pub warnings: Vec<Warning>,
}

/// The values behind one score of one dimension, for legends such as "R 5 = bought in the
/// last 12 days". With rank-first scores, tied values can sit in two neighbouring scores, so
/// neighbouring ranges may share an end point; with rank-min and R-quantile they never do.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ScoreRange {
    pub score: u8,
    pub customers: usize,
    /// Smallest and largest value with this score (None when no customer has it).
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A segment of the map: its name, who is in it, and what to do about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub name: &'static str,
    pub description: &'static str,
    /// The description when the file has no amounts (segments placed on R × F only).
    pub description_rf: &'static str,
    pub action: &'static str,
}

/// The 11 segments, in the fixed order of [`RfmReport::segments`].
pub const SEGMENTS: [Segment; 11] = [
    Segment {
        name: "Champions",
        description: "Bought recently, buy often and spend the most.",
        description_rf: "Bought recently and buy the most often.",
        action: "Reward them: early access, loyalty perks; ask for reviews and referrals.",
    },
    Segment {
        name: "Loyal",
        description: "Buy often and spend well, and still come back.",
        description_rf: "Buy often and still come back.",
        action: "Upsell higher-value products; enrol them in the loyalty programme.",
    },
    Segment {
        name: "Potential Loyalist",
        description: "Recent customers with a few orders and average spend.",
        description_rf: "Recent customers with a few orders.",
        action: "Offer membership or a loyalty programme; recommend related products.",
    },
    Segment {
        name: "New",
        description: "Bought very recently, but only once or for little.",
        description_rf: "Bought very recently, but have the fewest orders.",
        action: "Onboard them: welcome series, first-repeat incentive.",
    },
    Segment {
        name: "Promising",
        description: "Fairly recent buyers who have not spent much yet.",
        description_rf: "Fairly recent buyers with few orders yet.",
        action: "Build awareness: free trials, brand content, a small second-order offer.",
    },
    Segment {
        name: "Need Attention",
        description: "Middling recency, frequency and spend; slipping toward sleep.",
        description_rf: "Middling recency and frequency; slipping toward sleep.",
        action: "Reactivate with limited-time offers based on past purchases.",
    },
    Segment {
        name: "About To Sleep",
        description: "Below-average recency and frequency; will be lost if not reactivated.",
        description_rf: "Below-average recency and frequency; will be lost if not reactivated.",
        action: "Share popular products and a discount; reconnect before they go quiet.",
    },
    Segment {
        name: "At Risk",
        description: "Spent and bought often, but not for a long time.",
        description_rf: "Bought often, but not for a long time.",
        action: "Win them back: personal e-mails, renewals, helpful resources.",
    },
    Segment {
        name: "Can't Lose Them",
        description: "Among the biggest and most frequent buyers, but gone for a long time.",
        description_rf: "Among the most frequent buyers, but gone for a long time.",
        action: "Win back at any cost: talk to them, new-product previews, strong offers.",
    },
    Segment {
        name: "Hibernating",
        description: "Last bought long ago, few orders, low spend.",
        description_rf: "Last bought long ago, few orders.",
        action: "Cross-sell other categories and relevant offers; watch the cost.",
    },
    Segment {
        name: "Lost",
        description: "Lowest recency, frequency and spend.",
        description_rf: "Lowest recency and frequency.",
        action: "Try one cheap win-back campaign, otherwise stop spending on them.",
    },
];

const CHAMPIONS: u8 = 0;
const LOYAL: u8 = 1;
const POTENTIAL_LOYALIST: u8 = 2;
const NEW: u8 = 3;
const PROMISING: u8 = 4;
const NEED_ATTENTION: u8 = 5;
const ABOUT_TO_SLEEP: u8 = 6;
const AT_RISK: u8 = 7;
const CANT_LOSE_THEM: u8 = 8;
const HIBERNATING: u8 = 9;
const LOST: u8 = 10;

/// The segment map on the 1–5 scale: `SEGMENT_GRID[5 - r][fm - 1]`, rows R = 5..1.
///
/// It tiles the R × FM plane of the widely used 11-segment map published by Putler ("RFM
/// Analysis For Successful Customer Segmentation", putler.com/rfm-analysis), which gives each
/// segment a range of R and of FM = mean of F and M (Champions R 4–5, FM 4–5; Loyal 2–5, 3–5;
/// Potential Loyalist 3–5, 1–3; New 4–5, ≤ 1; Promising 3–4, ≤ 1; Need Attention 2–3, 2–3;
/// About To Sleep 2–3, ≤ 2; At Risk ≤ 2, 2–5; Can't Lose Them ≤ 1, 4–5; Hibernating 1–2,
/// 1–2; Lost ≤ 2, ≤ 2). Those ranges overlap, and the usual first-match reading of them never
/// reaches New or Promising; so here every cell is given to one segment whose published range
/// contains it, and each of the 11 segments owns at least one cell:
///
/// ```text
///        FM=1            2                   3                   4                 5
/// R=5  New             Potential Loyalist  Potential Loyalist  Champions         Champions
/// R=4  Promising       Potential Loyalist  Loyal               Champions         Champions
/// R=3  About To Sleep  Need Attention      Need Attention      Loyal             Loyal
/// R=2  Hibernating     About To Sleep      At Risk             At Risk           At Risk
/// R=1  Lost            Hibernating         At Risk             Can't Lose Them   Can't Lose Them
/// ```
pub const SEGMENT_GRID: [[u8; 5]; 5] = [
    [NEW, POTENTIAL_LOYALIST, POTENTIAL_LOYALIST, CHAMPIONS, CHAMPIONS],
    [PROMISING, POTENTIAL_LOYALIST, LOYAL, CHAMPIONS, CHAMPIONS],
    [ABOUT_TO_SLEEP, NEED_ATTENTION, NEED_ATTENTION, LOYAL, LOYAL],
    [HIBERNATING, ABOUT_TO_SLEEP, AT_RISK, AT_RISK, AT_RISK],
    [LOST, HIBERNATING, AT_RISK, CANT_LOSE_THEM, CANT_LOSE_THEM],
];

/// Rescales a score 1..=bins to the map's 1–5 scale.
///
/// Score s covers the quantile share ((s-1)/bins, s/bins]; it maps to the 1–5 bin holding the
/// middle of that share: `floor((10s - 5) / (2·bins)) + 1`. The identity for 5 bins; 3 bins →
/// 1, 3, 5; 2 bins → 2, 4; 9 bins → 1, 1, 2, 2, 3, 4, 4, 5, 5. Out-of-range input is clamped.
pub fn to_five(score: u8, bins: u8) -> u8 {
    let bins = u32::from(bins.max(1));
    let s = u32::from(score).clamp(1, bins);
    ((10 * s - 5) / (2 * bins) + 1).min(5) as u8
}

/// The segment (index into [`SEGMENTS`]) of scores on a `bins` scale.
///
/// All scores are first rescaled with [`to_five`]; FM = `floor((F5 + M5) / 2)` (a customer
/// needs both to rank high), or F5 alone when the file has no amounts.
pub fn segment_of(r: u8, f: u8, m: u8, bins: u8, has_monetary: bool) -> u8 {
    let r5 = to_five(r, bins);
    let f5 = to_five(f, bins);
    let fm = if has_monetary {
        (f5 + to_five(m, bins)) / 2
    } else {
        f5
    };
    SEGMENT_GRID[usize::from(5 - r5)][usize::from(fm - 1)]
}

/// Scores every customer and summarizes the segments.
///
/// Errors: an invalid `params` ([`Error::InvalidParam`] naming it), fewer customers than bins,
/// misaligned columns or a non-finite monetary value ([`Error::Data`]).
///
/// ```
/// use clientele::customers::Customers;
/// use clientele::rfm::{score, RfmParams};
///
/// let customers = Customers {
///     id: vec!["a".into(), "b".into(), "c".into(), "d".into()],
///     recency_days: vec![3, 40, 200, 10],
///     frequency: vec![9, 2, 1, 4],
///     monetary: vec![900.0, 80.0, 15.0, 300.0],
///     ..Default::default()
/// };
/// let report = score(&customers, &RfmParams::default().with_bins(2)).unwrap();
/// assert_eq!(report.r_score, vec![2, 1, 1, 2]);
/// assert_eq!(report.f_score, vec![2, 1, 1, 2]);
/// assert_eq!(report.segment_name(0), Some("Champions"));
/// assert_eq!(report.segments.len(), 11);
/// ```
pub fn score(customers: &Customers, params: &RfmParams) -> Result<RfmReport, Error> {
    params.check()?;
    let bins = params.bins;
    let n = customers.len();
    if customers.recency_days.len() != n || customers.frequency.len() != n || customers.monetary.len() != n {
        return Err(Error::data(
            "rfm",
            "the customer table's columns have different lengths",
        ));
    }
    // Fewer customers than bins still score as pandas does (2 customers in 5 bins: 1 and 5);
    // one customer has nobody to be ranked against.
    if n < 2 {
        return Err(Error::data(
            "rfm",
            format!("scores rank customers against each other, and the file has only {n} customer with a purchase"),
        )
        .with_code("too_few_customers")
        .with_param("n", n)
        .with_param("min", 2));
    }
    if n > u32::MAX as usize {
        return Err(Error::data("rfm", "more than 4 billion customers"));
    }
    let has_monetary = customers.has_amount;
    if has_monetary {
        if let Some(i) = customers.monetary.iter().position(|m| !m.is_finite()) {
            return Err(Error::data(
                "rfm",
                format!(
                    "customer {} has a monetary value that is not a number ({})",
                    customers.id.get(i).map_or("?", String::as_str),
                    customers.monetary.get(i).copied().unwrap_or(f64::NAN)
                ),
            ));
        }
    }

    let mut order: Vec<(u64, u32)> = Vec::with_capacity(n);
    let mut r_score = vec![0u8; n];
    let mut f_score = vec![0u8; n];
    let recency = |i: usize| f64::from(customers.recency_days[i]);
    let frequency = |i: usize| f64::from(customers.frequency[i]);
    let monetary = |i: usize| customers.monetary[i];

    // Rank-min orients recency (fewer days is better, so more days sort first) and scores it
    // as is; rank-first and R-quantile sort days ascending and reverse the score.
    let oriented = params.method == ScoreMethod::RankMin;
    let r_keys = customers.recency_days.iter().map(|&d| {
        if oriented {
            u64::MAX - recency_key(d)
        } else {
            recency_key(d)
        }
    });
    let f_keys = customers.frequency.iter().map(|&f| u64::from(f));
    sort_by_key_then_row(&mut order, r_keys);
    let recency_ranges = assign(&mut r_score, &order, params.method, bins, !oriented, recency);
    sort_by_key_then_row(&mut order, f_keys);
    let frequency_ranges = assign(&mut f_score, &order, params.method, bins, false, frequency);
    let (m_score, monetary_ranges) = if has_monetary {
        let mut m_score = vec![0u8; n];
        let m_keys = customers.monetary.iter().map(|&m| monetary_key(m));
        sort_by_key_then_row(&mut order, m_keys);
        let ranges = assign(&mut m_score, &order, params.method, bins, false, monetary);
        (Some(m_score), ranges)
    } else {
        (None, Vec::new())
    };
    drop(order);

    let segment: Vec<u8> = (0..n)
        .map(|i| {
            let m = m_score.as_ref().map_or(1, |m| m[i]);
            segment_of(r_score[i], f_score[i], m, bins, has_monetary)
        })
        .collect();

    let segments = summarize_segments(customers, &segment, has_monetary);
    let grid = recency_frequency_grid(customers, &r_score, &f_score, bins, has_monetary);
    let mut warnings = Vec::new();
    if !has_monetary {
        warnings.push(
            Warning::new(
                "rfm_no_monetary",
                "The file has no amount, so there is no monetary value and no M score: scores and segments use recency and frequency only.",
            )
            .on_columns(&["monetary", "m_score"]),
        );
    }
    if n < 2 * usize::from(bins) {
        let mut columns = vec!["r_score", "f_score"];
        if has_monetary {
            columns.push("m_score");
        }
        columns.push("segment");
        warnings.push(
            Warning::new(
                "rfm_few_customers",
                format!("Only {n} customers for {bins} scores (fewer than two per score): the scores are coarse, and one customer more or less can move the others."),
            )
            .with_param("customers", n)
            .with_param("bins", bins)
            .on_columns(&columns),
        );
    }
    Ok(RfmReport {
        bins,
        method: params.method,
        tie_rule: params.method.tie_rule().to_string(),
        has_monetary,
        r_score,
        f_score,
        m_score,
        segment,
        segments,
        grid,
        recency_ranges,
        frequency_ranges,
        monetary_ranges,
        warnings,
    })
}

/// How many of n customers [`ScoreMethod::RankFirst`] (and, for distinct values, [`ScoreMethod::RankMin`]) puts in each score 1..=bins
/// (element 0 is score 1): the bin sizes of pandas `qcut(range(1, n + 1), bins)`.
///
/// ```
/// assert_eq!(clientele::rfm::rank_first_bin_sizes(7, 5), vec![2, 1, 1, 1, 2]);
/// ```
pub fn rank_first_bin_sizes(n: usize, bins: u8) -> Vec<usize> {
    let bins = bins.clamp(1, 9);
    let bounds = rank_first_bounds(n, bins);
    bounds
        .windows(2)
        .take(usize::from(bins))
        .map(|w| w[1] - w[0])
        .collect()
}

impl RfmReport {
    /// The segment name of customer `i` (aligned with `Customers::id`).
    pub fn segment_name(&self, i: usize) -> Option<&str> {
        let s = *self.segment.get(i)?;
        self.segments.get(usize::from(s)).map(|s| s.name.as_str())
    }
}

fn recency_key(days: i32) -> u64 {
    (i64::from(days) - i64::from(i32::MIN)) as u64
}

/// Orders finite f64 as unsigned integers; -0.0 and 0.0 are the same value, as in pandas.
fn monetary_key(m: f64) -> u64 {
    let bits = if m == 0.0 { 0u64 } else { m.to_bits() };
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Fills `order` with (key, row) sorted by key, then by row: the row order of
/// `rank(method="first")`. Unstable sort on a unique pair = stable sort on the key.
fn sort_by_key_then_row(order: &mut Vec<(u64, u32)>, keys: impl Iterator<Item = u64>) {
    order.clear();
    order.extend(keys.zip(0u32..));
    order.sort_unstable();
}

/// Writes each row's score, given the rows in ascending key order (ties by row), and returns
/// the range of values behind each score. `reversed`: score `bins + 1 - s` (rank-first and
/// R-quantile recency); rank-min recency comes with its keys already oriented instead.
fn assign(
    scores: &mut [u8],
    order: &[(u64, u32)],
    method: ScoreMethod,
    bins: u8,
    reversed: bool,
    value: impl Fn(usize) -> f64,
) -> Vec<ScoreRange> {
    let flip = |s: u8| if reversed { bins + 1 - s } else { s };
    let mut ranges: Vec<ScoreRange> = (1..=bins)
        .map(|score| ScoreRange {
            score,
            customers: 0,
            min: None,
            max: None,
        })
        .collect();
    let mut record = |row: u32, s: u8, v: f64| {
        let s = flip(s);
        scores[row as usize] = s;
        if let Some(range) = ranges.get_mut(usize::from(s) - 1) {
            range.customers += 1;
            range.min = Some(range.min.map_or(v, |m| m.min(v)));
            range.max = Some(range.max.map_or(v, |m| m.max(v)));
        }
    };
    match method {
        ScoreMethod::RankMin => {
            // Every member of a run of equal keys gets the score of the run's first position.
            let bounds = rank_first_bounds(order.len(), bins);
            let mut s = 1u8;
            let mut run_key = None;
            for (pos, &(key, row)) in order.iter().enumerate() {
                if run_key != Some(key) {
                    run_key = Some(key);
                    while pos >= bounds[usize::from(s)] && s < bins {
                        s += 1;
                    }
                }
                record(row, s, value(row as usize));
            }
        }
        ScoreMethod::RankFirst => {
            let bounds = rank_first_bounds(order.len(), bins);
            let mut s = 1u8;
            for (pos, &(_, row)) in order.iter().enumerate() {
                while pos >= bounds[usize::from(s)] && s < bins {
                    s += 1;
                }
                record(row, s, value(row as usize));
            }
        }
        ScoreMethod::RQuantile => {
            let sorted = |k: usize| value(order[k].1 as usize);
            let cuts = r_quantile_cuts(order.len(), bins, sorted);
            let cuts = &cuts[..usize::from(bins) - 1];
            for &(_, row) in order {
                let v = value(row as usize);
                let s = 1 + cuts.iter().filter(|&&c| c <= v).count() as u8;
                record(row, s, v);
            }
        }
    }
    ranges
}

/// `bounds[j]` = how many of the ranks 1..=n pandas `qcut(ranks, bins)` puts in bins 1..=j
/// (see [`ScoreMethod::RankFirst`] for the arithmetic, reproduced float step by float step).
fn rank_first_bounds(n: usize, bins: u8) -> [usize; 10] {
    let mut bounds = [n; 10];
    bounds[0] = 0;
    if n == 0 {
        return bounds;
    }
    let q = f64::from(bins);
    let step = 1.0 / q;
    let last = (n - 1) as f64;
    for j in 1..bins {
        let jf = f64::from(j);
        let mut p = jf * step;
        if q * p != jf {
            p = p.next_up();
        }
        let virtual_index = last * p;
        let edge = if virtual_index >= last {
            n as f64
        } else {
            let below = virtual_index.floor();
            let t = virtual_index - below;
            let (a, b) = (below + 1.0, below + 2.0);
            let diff = b - a;
            if t >= 0.5 {
                b - diff * (1.0 - t)
            } else {
                a + diff * t
            }
        };
        // Right-closed bins: rank r is in bins 1..=j exactly when r <= e_j.
        bounds[usize::from(j)] = (edge.floor().max(0.0) as usize).min(n);
    }
    bounds
}

/// The R `rfm` package's cut points `quantile(x, k/bins, type = 7) + 1`, k = 1..bins-1,
/// from the values in ascending order (`sorted(k)`, 0-based), as R's `quantile.default`
/// computes them: index h = 1 + (n-1)p, `x[lo]` or `(1-γ)·x[lo] + γ·x[hi]` with γ = h - lo.
fn r_quantile_cuts(n: usize, bins: u8, sorted: impl Fn(usize) -> f64) -> [f64; 9] {
    let mut cuts = [f64::INFINITY; 9];
    if n == 0 {
        return cuts;
    }
    let by = 1.0 / f64::from(bins);
    for k in 1..bins {
        let p = f64::from(k) * by;
        let index = 1.0 + (n - 1) as f64 * p;
        let lo = index.floor();
        let hi = index.ceil();
        let lo_i = (lo as usize).clamp(1, n) - 1;
        let hi_i = (hi as usize).clamp(1, n) - 1;
        let mut q = sorted(lo_i);
        let x_hi = sorted(hi_i);
        if index > lo && x_hi != q {
            let h = index - lo;
            q = (1.0 - h) * q + h * x_hi;
        }
        cuts[usize::from(k) - 1] = q + 1.0;
    }
    cuts
}

fn summarize_segments(customers: &Customers, segment: &[u8], has_monetary: bool) -> Vec<SegmentSummary> {
    #[derive(Default, Clone, Copy)]
    struct Sums {
        customers: usize,
        orders: u64,
        revenue: MoneySum,
        recency: f64,
    }
    let mut sums = [Sums::default(); SEGMENTS.len()];
    for (((&s, &r), &f), &m) in segment
        .iter()
        .zip(&customers.recency_days)
        .zip(&customers.frequency)
        .zip(&customers.monetary)
    {
        if let Some(t) = sums.get_mut(usize::from(s)) {
            t.customers += 1;
            t.orders += u64::from(f);
            if has_monetary {
                t.revenue.add(m);
            }
            t.recency += f64::from(r);
        }
    }
    let n = segment.len();
    let mut total = MoneySum::default();
    sums.iter().for_each(|t| total.merge(t.revenue));
    let total_revenue = total.value();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    SEGMENTS
        .iter()
        .zip(sums)
        .map(|(seg, t)| {
            let count = t.customers as f64;
            let revenue = t.revenue.value();
            SegmentSummary {
                name: seg.name.to_string(),
                description: if has_monetary {
                    seg.description
                } else {
                    seg.description_rf
                }
                .to_string(),
                action: seg.action.to_string(),
                customers: t.customers,
                share: ratio(count, n as f64),
                orders: t.orders,
                revenue,
                revenue_share: ratio(revenue, total_revenue),
                mean_recency_days: ratio(t.recency, count),
                mean_frequency: ratio(t.orders as f64, count),
                mean_monetary: ratio(revenue, count),
                avg_order_value: ratio(revenue, t.orders as f64),
            }
        })
        .collect()
}

fn recency_frequency_grid(
    customers: &Customers,
    r_score: &[u8],
    f_score: &[u8],
    bins: u8,
    has_monetary: bool,
) -> Vec<GridCell> {
    let b = usize::from(bins);
    let mut count = vec![0usize; b * b];
    let mut revenue = vec![MoneySum::default(); b * b];
    for ((&r, &f), &m) in r_score.iter().zip(f_score).zip(&customers.monetary) {
        let cell = usize::from(r - 1) * b + usize::from(f - 1);
        if let (Some(c), Some(v)) = (count.get_mut(cell), revenue.get_mut(cell)) {
            *c += 1;
            if has_monetary {
                v.add(m);
            }
        }
    }
    (0..b * b)
        .map(|cell| GridCell {
            r: (cell / b) as u8 + 1,
            f: (cell % b) as u8 + 1,
            customers: count[cell],
            mean_monetary: if count[cell] > 0 {
                revenue[cell].value() / count[cell] as f64
            } else {
                0.0
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customers(recency: &[i32], frequency: &[u32], monetary: &[f64]) -> Customers {
        Customers {
            id: (0..recency.len()).map(|i| format!("c{i}")).collect(),
            recency_days: recency.to_vec(),
            frequency: frequency.to_vec(),
            monetary: monetary.to_vec(),
            ..Default::default()
        }
    }

    /// Scores of ranks 1..=n, from the exact-arithmetic form of the pandas rule.
    fn exact_rank_scores(n: usize, bins: u8) -> Vec<u8> {
        let b = bins as usize;
        (1..=n)
            .map(|r| 1 + (1..b).filter(|&j| (n - 1) * j < (r - 1) * b).count() as u8)
            .collect()
    }

    fn rank_scores(n: usize, bins: u8) -> Vec<u8> {
        let f: Vec<u32> = (1..=n as u32).collect();
        let c = customers(&vec![1; n], &f, &vec![1.0; n]);
        score(&c, &RfmParams::default().with_bins(bins)).unwrap().f_score
    }

    #[test]
    fn bins_out_of_range_name_the_parameter() {
        for bins in [0, 1, 10, 255] {
            match RfmParams::default().with_bins(bins).check() {
                Err(Error::InvalidParam { param, .. }) => assert_eq!(param, "bins"),
                other => panic!("bins = {bins}: {other:?}"),
            }
        }
        for bins in 2..=9 {
            assert!(RfmParams::default().with_bins(bins).check().is_ok());
        }
    }

    #[test]
    fn fewer_customers_than_bins_still_score_but_one_customer_does_not() {
        let c = customers(&[1, 2, 3, 4], &[1, 1, 1, 1], &[1.0; 4]);
        let r = score(&c, &RfmParams::default()).unwrap();
        assert_eq!(r.r_score, [5, 4, 2, 1]);
        let one = customers(&[1], &[1], &[1.0]);
        match score(&one, &RfmParams::default()) {
            Err(Error::Data {
                analysis, message, ..
            }) => {
                assert_eq!(analysis, "rfm");
                assert!(message.contains("only 1 customer"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(score(&Customers::default(), &RfmParams::default()).is_err());
    }

    #[test]
    fn misaligned_or_nan_input_is_an_error_not_a_panic() {
        let mut c = customers(&[1, 2, 3], &[1, 1, 1], &[1.0, 2.0, 3.0]);
        c.frequency.pop();
        assert!(score(&c, &RfmParams::default().with_bins(2)).is_err());
        let c = customers(&[1, 2, 3], &[1, 1, 1], &[1.0, f64::NAN, 3.0]);
        assert!(score(&c, &RfmParams::default().with_bins(2)).is_err());
    }

    #[test]
    fn rank_first_small_n_by_hand() {
        // pandas: qcut(range(1, n+1), b, labels=False) + 1
        assert_eq!(rank_scores(5, 5), vec![1, 2, 3, 4, 5]);
        assert_eq!(rank_scores(6, 5), vec![1, 1, 2, 3, 4, 5]);
        assert_eq!(rank_scores(7, 5), vec![1, 1, 2, 3, 4, 5, 5]);
        assert_eq!(rank_scores(5, 4), vec![1, 1, 2, 3, 4]);
        assert_eq!(rank_scores(3, 2), vec![1, 1, 2]);
        assert_eq!(rank_scores(11, 3), vec![1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3]);
        // Fewer customers than bins (pandas 3.1 output).
        assert_eq!(rank_scores(2, 5), vec![1, 5]);
        assert_eq!(rank_scores(2, 3), vec![1, 3]);
        assert_eq!(rank_scores(3, 5), vec![1, 3, 5]);
        assert_eq!(rank_scores(3, 4), vec![1, 2, 4]);
        assert_eq!(rank_scores(4, 5), vec![1, 2, 4, 5]);
    }

    #[test]
    fn rank_first_reproduces_pandas_float_edges() {
        // n = 19, b = 6: the exact edge e_5 = 1 + 18·5/6 = 16, but 5·(1/6)·18 rounds to just
        // under 15, so pandas puts rank 16 in the top bin (pandas 3.1 counts: 4 3 3 3 2 4).
        let counts = |scores: Vec<u8>| {
            let mut k = [0; 6];
            scores.iter().for_each(|&s| k[s as usize - 1] += 1);
            k
        };
        assert_eq!(counts(rank_scores(19, 6)), [4, 3, 3, 3, 2, 4]);
        assert_eq!(counts(exact_rank_scores(19, 6)), [4, 3, 3, 3, 3, 3]);
        // Elsewhere the two agree; tests/rfm_qcut.rs checks n up to 10^6 against pandas.
        assert_eq!(rank_scores(20, 6), exact_rank_scores(20, 6));
    }

    fn rank_first() -> RfmParams {
        RfmParams::default().with_method(ScoreMethod::RankFirst)
    }

    #[test]
    fn rank_first_ties_follow_order_of_appearance() {
        // All equal: F and M ascend with row order, R descends.
        let c = customers(&[7; 5], &[2; 5], &[10.0; 5]);
        let rep = score(&c, &rank_first()).unwrap();
        assert_eq!(rep.f_score, vec![1, 2, 3, 4, 5]);
        assert_eq!(rep.m_score, Some(vec![1, 2, 3, 4, 5]));
        assert_eq!(rep.r_score, vec![5, 4, 3, 2, 1]);
        // Ties sorted among other values.
        let c = customers(
            &[30, 10, 30, 5, 30, 1],
            &[1, 3, 1, 2, 1, 9],
            &[5.0, 1.0, 5.0, 0.0, 5.0, -0.0],
        );
        let rep = score(&c, &rank_first().with_bins(3)).unwrap();
        // recency ascending 1(c5) 5(c3) 10(c1) 30(c0) 30(c2) 30(c4): ranks 1..6 in that order;
        // qcut 6 into 3: ranks 1-2 → 1, 3-4 → 2, 5-6 → 3; reversed.
        assert_eq!(rep.r_score, vec![2, 2, 1, 3, 1, 3]);
        // frequency ascending 1(c0) 1(c2) 1(c4) 2(c3) 3(c1) 9(c5)
        assert_eq!(rep.f_score, vec![1, 3, 1, 2, 2, 3]);
        // monetary: -0.0 == 0.0, so c3 (first) ranks before c5.
        assert_eq!(rep.m_score, Some(vec![2, 2, 3, 1, 3, 1]));
    }

    #[test]
    fn rank_min_ties_share_the_lowest_score() {
        // All equal: everyone gets the score of rank 1, on every measure.
        let c = customers(&[7; 5], &[2; 5], &[10.0; 5]);
        let rep = score(&c, &RfmParams::default()).unwrap();
        assert_eq!(rep.method, ScoreMethod::RankMin);
        assert_eq!(rep.tie_rule, TIE_RULE_RANK_MIN);
        assert_eq!(rep.r_score, vec![1; 5]);
        assert_eq!(rep.f_score, vec![1; 5]);
        assert_eq!(rep.m_score, Some(vec![1; 5]));
        // The rank-first example above, by hand. pandas, n = 6, b = 3: scores of ranks 1..6
        // are 1 1 2 2 3 3.
        let c = customers(
            &[30, 10, 30, 5, 30, 1],
            &[1, 3, 1, 2, 1, 9],
            &[5.0, 1.0, 5.0, 0.0, 5.0, -0.0],
        );
        let rep = score(&c, &RfmParams::default().with_bins(3)).unwrap();
        // (-recency).rank(method="min"): 30,30,30 → 1; 10 → 4; 5 → 5; 1 → 6.
        assert_eq!(rep.r_score, vec![1, 2, 1, 3, 1, 3]);
        // frequency.rank(method="min"): 1,1,1 → 1; 2 → 4; 3 → 5; 9 → 6.
        assert_eq!(rep.f_score, vec![1, 3, 1, 2, 1, 3]);
        // monetary: 0.0 and -0.0 → 1; 1.0 → 3; 5.0 ×3 → 4.
        assert_eq!(rep.m_score, Some(vec![2, 2, 2, 1, 2, 1]));
        // Row order never matters: the same customers reversed get the same scores.
        let rev = |v: &[u8]| v.iter().rev().copied().collect::<Vec<_>>();
        let c2 = customers(
            &[1, 30, 5, 30, 10, 30],
            &[9, 1, 2, 1, 3, 1],
            &[-0.0, 5.0, 0.0, 5.0, 1.0, 5.0],
        );
        let rep2 = score(&c2, &RfmParams::default().with_bins(3)).unwrap();
        assert_eq!(rep2.r_score, rev(&rep.r_score));
        assert_eq!(rep2.f_score, rev(&rep.f_score));
        assert_eq!(rep2.m_score.map(|m| rev(&m)), rep.m_score);
        // Distinct values: rank-min is rank-first on the oriented measure (recency: n = 6,
        // b = 5 gives 5 4 3 2 1 1 from the most recent down; rank-first gives 5 5 4 3 2 1).
        let c = customers(&[1, 2, 3, 4, 5, 6], &[1, 2, 3, 4, 5, 6], &[1.0; 6]);
        assert_eq!(
            score(&c, &RfmParams::default()).unwrap().r_score,
            [5, 4, 3, 2, 1, 1]
        );
        assert_eq!(score(&c, &rank_first()).unwrap().r_score, [5, 5, 4, 3, 2, 1]);
        assert_eq!(
            score(&c, &RfmParams::default()).unwrap().f_score,
            [1, 1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn rank_min_serde_name_and_default() {
        assert_eq!(RfmParams::default().method, ScoreMethod::RankMin);
        assert_eq!(
            serde_json::to_string(&ScoreMethod::RankMin).unwrap(),
            "\"rank_min\""
        );
        let p: RfmParams = serde_json::from_str(r#"{"method": "rank_first"}"#).unwrap();
        assert_eq!(p.method, ScoreMethod::RankFirst);
        let p: RfmParams = serde_json::from_str("{}").unwrap();
        assert_eq!(p.method, ScoreMethod::RankMin);
        for m in [
            ScoreMethod::RankMin,
            ScoreMethod::RankFirst,
            ScoreMethod::RQuantile,
        ] {
            assert!(m.tie_rule().ends_with('.') && m.tie_rule().len() > 60);
        }
    }

    #[test]
    fn few_customers_are_warned_about() {
        let c = customers(&[1, 2, 3, 4, 5, 6, 7, 8, 9], &[1; 9], &[1.0; 9]);
        let rep = score(&c, &RfmParams::default()).unwrap();
        let w: Vec<&str> = rep.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(w, ["rfm_few_customers"]);
        assert_eq!(
            rep.warnings[0].columns,
            ["r_score", "f_score", "m_score", "segment"]
        );
        let c = customers(&[1; 10], &[1; 10], &[1.0; 10]);
        assert!(score(&c, &RfmParams::default()).unwrap().warnings.is_empty());
    }

    #[test]
    fn r_quantile_by_hand() {
        // x = 1..=10, b = 5: quantiles at p = .2,.4,.6,.8 → index 2.8, 4.6, 6.4, 8.2 →
        // 2.8, 4.6, 6.4, 8.2; cuts + 1 = 3.8, 5.6, 7.4, 9.2.
        let f: Vec<u32> = (1..=10).collect();
        let c = customers(&[1; 10], &f, &[1.0; 10]);
        let rep = score(&c, &RfmParams::default().with_method(ScoreMethod::RQuantile)).unwrap();
        assert_eq!(rep.f_score, vec![1, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
        // Ties share a score; one-time buyers dominate the bottom.
        let c = customers(&[1; 8], &[1, 1, 1, 1, 1, 2, 3, 9], &[1.0; 8]);
        let rep = score(
            &c,
            &RfmParams::default()
                .with_bins(4)
                .with_method(ScoreMethod::RQuantile),
        )
        .unwrap();
        // quantiles at .25, .5, .75: index 2.75, 4.5, 6.25 → 1, 1, 2.25; cuts 2, 2, 3.25.
        assert_eq!(rep.f_score, vec![1, 1, 1, 1, 1, 3, 3, 4]);
        // Recency is reversed: the most recent get the top score.
        let c = customers(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], &[1; 10], &[1.0; 10]);
        let rep = score(&c, &RfmParams::default().with_method(ScoreMethod::RQuantile)).unwrap();
        assert_eq!(rep.r_score, vec![5, 5, 5, 4, 4, 3, 3, 2, 2, 1]);
    }

    #[test]
    fn to_five_rescaling() {
        assert_eq!(
            (1..=5).map(|s| to_five(s, 5)).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5]
        );
        assert_eq!((1..=2).map(|s| to_five(s, 2)).collect::<Vec<_>>(), [2, 4]);
        assert_eq!((1..=3).map(|s| to_five(s, 3)).collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!((1..=4).map(|s| to_five(s, 4)).collect::<Vec<_>>(), [1, 2, 4, 5]);
        assert_eq!(
            (1..=9).map(|s| to_five(s, 9)).collect::<Vec<_>>(),
            [1, 1, 2, 2, 3, 4, 4, 5, 5]
        );
    }

    #[test]
    fn every_score_combination_has_exactly_one_segment() {
        for bins in 2..=9u8 {
            for has_monetary in [true, false] {
                for r in 1..=bins {
                    for f in 1..=bins {
                        for m in 1..=bins {
                            let s = segment_of(r, f, m, bins, has_monetary);
                            assert!((s as usize) < SEGMENTS.len(), "{r}{f}{m}/{bins}");
                        }
                    }
                }
            }
        }
        // On the 1-5 scale every segment is reachable.
        let mut seen = [false; 11];
        for r in 1..=5 {
            for f in 1..=5 {
                for m in 1..=5 {
                    seen[segment_of(r, f, m, 5, true) as usize] = true;
                }
            }
        }
        assert!(seen.iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    fn segment_map_corners() {
        let name = |r, f, m| SEGMENTS[segment_of(r, f, m, 5, true) as usize].name;
        assert_eq!(name(5, 5, 5), "Champions");
        assert_eq!(name(1, 1, 1), "Lost");
        assert_eq!(name(5, 1, 1), "New");
        assert_eq!(name(1, 5, 5), "Can't Lose Them");
        assert_eq!(name(4, 1, 2), "Promising");
        assert_eq!(name(3, 3, 2), "Need Attention");
        // FM rounds down: F=5, M=1 → 3.
        assert_eq!(name(5, 5, 1), "Potential Loyalist");
        // Without amounts only F counts.
        assert_eq!(SEGMENTS[segment_of(5, 5, 1, 5, false) as usize].name, "Champions");
    }

    #[test]
    fn segments_and_grid_add_up() {
        let n = 103;
        let recency: Vec<i32> = (0..n).map(|i| (i * 37 % 101) + 1).collect();
        let frequency: Vec<u32> = (0..n).map(|i| (i as u32 * 13 % 7) + 1).collect();
        let monetary: Vec<f64> = (0..n).map(|i| (i * 29 % 53) as f64 * 1.5).collect();
        let c = customers(&recency, &frequency, &monetary);
        let rep = score(&c, &rank_first().with_bins(4)).unwrap();
        assert_eq!(rep.segments.len(), 11);
        assert_eq!(
            rep.segments.iter().map(|s| s.customers).sum::<usize>(),
            n as usize
        );
        let orders: u64 = frequency.iter().map(|&f| f as u64).sum();
        assert_eq!(rep.segments.iter().map(|s| s.orders).sum::<u64>(), orders);
        let share: f64 = rep.segments.iter().map(|s| s.share).sum();
        let rshare: f64 = rep.segments.iter().map(|s| s.revenue_share).sum();
        assert!((share - 1.0).abs() < 1e-12 && (rshare - 1.0).abs() < 1e-12);
        for s in rep.segments.iter().filter(|s| s.customers > 0) {
            assert!((s.avg_order_value - s.revenue / s.orders as f64).abs() < 1e-9);
        }
        assert_eq!(rep.grid.len(), 16);
        assert_eq!(
            (rep.grid[0].r, rep.grid[0].f, rep.grid[1].f, rep.grid[4].r),
            (1, 1, 2, 2)
        );
        assert_eq!(rep.grid.iter().map(|g| g.customers).sum::<usize>(), n as usize);
        // Equal-count bins: 103 = 26 + 26 + 25 + 26 in each score.
        let mut per_r = [0; 4];
        rep.r_score.iter().for_each(|&r| per_r[r as usize - 1] += 1);
        assert_eq!(per_r.iter().sum::<usize>(), 103);
        assert!(per_r.iter().all(|&k| (25..=26).contains(&k)), "{per_r:?}");
    }

    #[test]
    fn no_amounts_scores_recency_and_frequency_only() {
        for method in [
            ScoreMethod::RankMin,
            ScoreMethod::RankFirst,
            ScoreMethod::RQuantile,
        ] {
            let mut c = customers(&[1, 2, 3, 4, 5, 6], &[6, 5, 4, 3, 2, 1], &[0.0; 6]);
            c.has_amount = false;
            let rep = score(&c, &RfmParams::default().with_bins(3).with_method(method)).unwrap();
            assert!(!rep.has_monetary);
            assert_eq!(rep.m_score, None);
            assert!(rep.monetary_ranges.is_empty());
            assert_eq!(rep.segment_name(0), Some("Champions"));
            assert_eq!(rep.segments[0].description, SEGMENTS[0].description_rf);
            assert!(rep
                .segments
                .iter()
                .all(|s| s.revenue_share == 0.0 && s.revenue == 0.0));
            assert_eq!(rep.warnings[0].code, "rfm_no_monetary");
            assert_eq!(rep.warnings[0].columns, ["monetary", "m_score"]);
            let json = serde_json::to_value(&rep).unwrap();
            assert!(json["m_score"].is_null());
        }
        // Descriptions without amounts never talk about spend.
        for s in SEGMENTS {
            assert!(!s.description_rf.contains("spen"), "{}", s.description_rf);
        }
    }

    #[test]
    fn amounts_that_are_all_zero_are_still_amounts() {
        let c = customers(&[1, 2, 3, 4, 5, 6], &[6, 5, 4, 3, 2, 1], &[0.0; 6]);
        let rep = score(&c, &RfmParams::default().with_bins(3)).unwrap();
        assert!(rep.has_monetary);
        assert_eq!(rep.m_score, Some(vec![1; 6]));
        assert!(rep.warnings.is_empty());
    }

    #[test]
    fn score_ranges_say_what_scores_mean() {
        let c = customers(
            &[1, 2, 3, 4, 5, 6],
            &[1, 1, 1, 2, 5, 8],
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        );
        let rep = score(&c, &rank_first().with_bins(3)).unwrap();
        let span = |r: &ScoreRange| (r.score, r.customers, r.min, r.max);
        // Most recent (1-2 days) get R 3.
        assert_eq!(span(&rep.recency_ranges[2]), (3, 2, Some(1.0), Some(2.0)));
        assert_eq!(span(&rep.recency_ranges[0]), (1, 2, Some(5.0), Some(6.0)));
        // One-time buyers are split over F 1 and F 2 by order of appearance.
        assert_eq!(span(&rep.frequency_ranges[0]), (1, 2, Some(1.0), Some(1.0)));
        assert_eq!(span(&rep.frequency_ranges[1]), (2, 2, Some(1.0), Some(2.0)));
        // R-quantile keeps ties together and may leave a score empty.
        let c = customers(&[1; 6], &[1, 1, 1, 1, 2, 9], &[1.0; 6]);
        let params = RfmParams::default()
            .with_bins(3)
            .with_method(ScoreMethod::RQuantile);
        let rep = score(&c, &params).unwrap();
        // quantiles at 1/3, 2/3: index 2.67, 4.33 → 1, 1.33; cuts 2, 2.33.
        assert_eq!(rep.f_score, vec![1, 1, 1, 1, 2, 3]);
        let empty = score(&customers(&[1; 6], &[1, 1, 1, 1, 1, 9], &[1.0; 6]), &params).unwrap();
        assert_eq!(span(&empty.frequency_ranges[1]), (2, 0, None, None));
        // Rank-min keeps ties together too: the one-time buyers are all F 1.
        let rep = score(&c, &RfmParams::default().with_bins(3)).unwrap();
        assert_eq!(rep.f_score, vec![1, 1, 1, 1, 3, 3]);
        assert_eq!(span(&rep.frequency_ranges[0]), (1, 4, Some(1.0), Some(1.0)));
        assert_eq!(span(&rep.frequency_ranges[1]), (2, 0, None, None));
        // Oriented recency still reports days, smallest to largest.
        let c = customers(&[1, 2, 3, 4, 5, 6], &[1; 6], &[1.0; 6]);
        let rep = score(&c, &RfmParams::default().with_bins(3)).unwrap();
        assert_eq!(span(&rep.recency_ranges[2]), (3, 2, Some(1.0), Some(2.0)));
        assert_eq!(span(&rep.recency_ranges[0]), (1, 2, Some(5.0), Some(6.0)));
    }

    proptest::proptest! {
        #[test]
        fn scores_are_bounded_monotone_and_deterministic(
            rows in proptest::collection::vec((-5i32..400, 0u32..30, -1.0f64..1e4), 1..160),
            bins in 2u8..=9,
            method_index in 0usize..3,
        ) {
            let recency: Vec<i32> = rows.iter().map(|r| r.0).collect();
            let frequency: Vec<u32> = rows.iter().map(|r| r.1).collect();
            // Coarse money so ties happen.
            let monetary: Vec<f64> = rows.iter().map(|r| (r.2 / 500.0).round() * 5.0).collect();
            let c = customers(&recency, &frequency, &monetary);
            let methods = [ScoreMethod::RankMin, ScoreMethod::RankFirst, ScoreMethod::RQuantile];
            let method = methods[method_index];
            let params = RfmParams::default().with_bins(bins).with_method(method);
            let n = rows.len();
            let rep = match score(&c, &params) {
                Ok(rep) => rep,
                Err(Error::Data { .. }) => {
                    proptest::prop_assert!(n < bins as usize);
                    return Ok(());
                }
                Err(e) => return Err(proptest::test_runner::TestCaseError::fail(e.to_string())),
            };
            proptest::prop_assert_eq!(&rep, &score(&c, &params).unwrap());
            let m_score = rep.m_score.clone().expect("amounts");
            let all = rep.r_score.iter().chain(&rep.f_score).chain(&m_score);
            proptest::prop_assert!(all.into_iter().all(|&s| (1..=bins).contains(&s)));
            for i in 0..n {
                for j in 0..n {
                    if recency[i] < recency[j] {
                        proptest::prop_assert!(rep.r_score[i] >= rep.r_score[j]);
                    }
                    if frequency[i] < frequency[j] {
                        proptest::prop_assert!(rep.f_score[i] <= rep.f_score[j]);
                    }
                    if monetary[i] < monetary[j] {
                        proptest::prop_assert!(m_score[i] <= m_score[j]);
                    }
                    if method != ScoreMethod::RankFirst {
                        if frequency[i] == frequency[j] {
                            proptest::prop_assert_eq!(rep.f_score[i], rep.f_score[j]);
                        }
                        if recency[i] == recency[j] {
                            proptest::prop_assert_eq!(rep.r_score[i], rep.r_score[j]);
                        }
                        if monetary[i] == monetary[j] {
                            proptest::prop_assert_eq!(m_score[i], m_score[j]);
                        }
                    }
                }
            }
            if method == ScoreMethod::RankMin {
                // Each tie group gets the lowest rank-first score among its members (F and M:
                // rank-first ranks ascending, the same orientation).
                let first = score(&c, &params.clone().with_method(ScoreMethod::RankFirst)).unwrap();
                let first_m = first.m_score.clone().unwrap();
                for i in 0..n {
                    let f_min = (0..n).filter(|&j| frequency[j] == frequency[i]).map(|j| first.f_score[j]).min();
                    proptest::prop_assert_eq!(Some(rep.f_score[i]), f_min);
                    let m_min = (0..n).filter(|&j| monetary[j] == monetary[i]).map(|j| first_m[j]).min();
                    proptest::prop_assert_eq!(Some(m_score[i]), m_min);
                }
            }
            if method == ScoreMethod::RankFirst {
                let mut sizes = vec![0usize; bins as usize];
                rep.f_score.iter().for_each(|&f| sizes[f as usize - 1] += 1);
                proptest::prop_assert_eq!(sizes, rank_first_bin_sizes(n, bins));
            }
            for ranges in [&rep.recency_ranges, &rep.frequency_ranges, &rep.monetary_ranges] {
                proptest::prop_assert_eq!(ranges.iter().map(|r| r.customers).sum::<usize>(), n);
            }
            proptest::prop_assert_eq!(rep.segments.iter().map(|s| s.customers).sum::<usize>(), n);
            proptest::prop_assert_eq!(rep.grid.iter().map(|g| g.customers).sum::<usize>(), n);
        }
    }
}
