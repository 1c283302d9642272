//! RFM scoring: recency, frequency and monetary scores 1..=bins from quantiles of the
//! per-customer summary, and a named segment map a marketer can act on.
//!
//! CONTRACT (types fixed; the scoring itself is being implemented).

use crate::customers::Customers;
use crate::Error;
use serde::{Deserialize, Serialize};

/// How quantile scores are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreMethod {
    /// pandas `qcut(x.rank(method="first"), bins)`: equal-count bins, ties broken by order of
    /// first appearance in the file.
    #[default]
    RankFirst,
    /// The R `rfm` package's rule: cut points at quantiles of the values themselves.
    RQuantile,
}

/// Parameters of RFM scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RfmParams {
    /// Number of score bins, 2..=9 (default 5).
    pub bins: u8,
    pub method: ScoreMethod,
}

impl Default for RfmParams {
    fn default() -> Self {
        RfmParams {
            bins: 5,
            method: ScoreMethod::RankFirst,
        }
    }
}

/// One named segment of the map, and what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSummary {
    pub name: String,
    pub description: String,
    pub action: String,
    pub customers: usize,
    /// Share of customers, 0..=1.
    pub share: f64,
    pub orders: u64,
    pub revenue: f64,
    /// Share of revenue, 0..=1.
    pub revenue_share: f64,
    pub mean_recency_days: f64,
    pub mean_frequency: f64,
    pub mean_monetary: f64,
    pub avg_order_value: f64,
}

/// One cell of the recency × frequency grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridCell {
    pub r: u8,
    pub f: u8,
    pub customers: usize,
    /// Mean monetary of the customers in the cell (0 when empty).
    pub mean_monetary: f64,
}

/// The result of RFM scoring; per-customer vectors are aligned with `Customers::id`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RfmReport {
    pub bins: u8,
    pub method: ScoreMethod,
    pub r_score: Vec<u8>,
    pub f_score: Vec<u8>,
    pub m_score: Vec<u8>,
    /// Per customer: index into `segments`.
    pub segment: Vec<u8>,
    /// Every segment of the map, in the map's fixed order (empty ones included).
    pub segments: Vec<SegmentSummary>,
    /// bins × bins cells, r-major.
    pub grid: Vec<GridCell>,
}

/// Scores every customer and summarizes the segments.
pub fn score(customers: &Customers, params: &RfmParams) -> Result<RfmReport, Error> {
    let _ = (customers, params);
    Err(Error::data("rfm", "not implemented yet"))
}
