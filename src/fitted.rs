//! Fitted models that score customers batch by batch: [`Fitted::from_report`] keeps what a
//! finished run learned (RFM score thresholds, cluster scaler and centroids, the propensity
//! model and its decile cuts, the purchase and spend models of lifetime value, the lifecycle
//! windows; [`Analysis::fitted`] adds the co-purchase model next products come from), as plain
//! data that serialises to JSON; [`score`] applies it to any [`Batch`]: per-customer summary
//! rows (`crate::summary`, the one definition of every per-customer figure) and, when known,
//! each customer's products. What a model or a batch cannot tell is left empty and said
//! ([`Unknown`]). For the Python package and its Spark glue: fit once on the driver, score every
//! partition.

use crate::cluster;
use crate::clv::{
    customer_lifetime_value, GammaGamma, PurchaseModel, PurchaseModelKind, PurchasePredictions, TimeUnit,
};
use crate::crosssell::CoPurchase;
use crate::customers::Customers;
use crate::history::History;
use crate::ingest::{read_table_from, CustomerSummary, PurchaseWindow, SummaryRow, Table, Transactions};
use crate::lifecycle::{stage_from, LifecycleStage, LifecycleWindows};
use crate::propensity::{self, LinearModel};
use crate::report::{analyze_table, analyze_transactions, AnalyzeOptions, Report, Section};
use crate::rfm::{segment_of, ScoreMethod};
use crate::summary::SummaryParams;
use crate::time::{date_to_day, Day};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "fitted";

/// The customers to score: their summary rows (`docs/summary-contract.md`; the as-of columns
/// are read, and `reactivation_gap_days` for lifecycle stages) and, when known, the products
/// each bought before the as-of date (codes as written) for next products. The one definition
/// of a customer's statistics is [`crate::summary`]'s: scoring transactions is summarising
/// them ([`batch_of`]) and scoring the summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub summary: CustomerSummary,
    /// Each customer's distinct products, aligned with `summary.id`; None when unknown (a
    /// summary carries no products).
    pub products: Option<Vec<Vec<String>>>,
}

/// A batch as columns (dates as [`Day`]s), the shape the Python package hands over: the as-of
/// columns of the summary contract. Optional money columns are `None` when the file has no
/// amount (or, for `returned_amount`, no returns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BatchColumns {
    pub customer_id: Vec<String>,
    pub first_purchase: Vec<Day>,
    pub last_purchase: Vec<Day>,
    pub previous_purchase: Vec<Option<Day>>,
    pub orders: Vec<u32>,
    pub purchase_days: Vec<u32>,
    pub monetary: Option<Vec<f64>>,
    pub repeat_spend: Option<Vec<f64>>,
    pub returned_amount: Option<Vec<f64>>,
    pub orders_30d: Vec<u32>,
    pub orders_90d: Vec<u32>,
    pub orders_180d: Vec<u32>,
    /// With `reactivation_gap_days`, what lifecycle stages need (None: stages unknown).
    pub lifecycle_active_days: Option<u32>,
    pub reactivation_gap_days: Option<Vec<Option<u32>>>,
    pub products: Option<Vec<Vec<String>>>,
}

/// The columns [`BatchColumns`] holds, in the contract's names: what `score` reads. They are
/// the summary contract's columns `score` needs, in the contract's order (a test checks them
/// against [`crate::ingest::SUMMARY_COLUMNS`]).
pub const BATCH_COLUMNS: [&str; 12] = [
    "customer_id",
    "first_purchase",
    "last_purchase",
    "previous_purchase",
    "orders",
    "purchase_days",
    "monetary",
    "repeat_spend",
    "returned_amount",
    "orders_30d",
    "orders_90d",
    "orders_180d",
];

impl BatchColumns {
    /// The batch at the as-of date `as_of` (the fitted model's); a column of another length
    /// than `customer_id` is an error naming it.
    pub fn into_batch(self, as_of: NaiveDate) -> Result<Batch, Error> {
        let n = self.customer_id.len();
        let lens = [
            ("first_purchase", self.first_purchase.len()),
            ("last_purchase", self.last_purchase.len()),
            ("previous_purchase", self.previous_purchase.len()),
            ("orders", self.orders.len()),
            ("purchase_days", self.purchase_days.len()),
            ("monetary", self.monetary.as_ref().map_or(n, Vec::len)),
            ("repeat_spend", self.repeat_spend.as_ref().map_or(n, Vec::len)),
            (
                "returned_amount",
                self.returned_amount.as_ref().map_or(n, Vec::len),
            ),
            ("orders_30d", self.orders_30d.len()),
            ("orders_90d", self.orders_90d.len()),
            ("orders_180d", self.orders_180d.len()),
            (
                "reactivation_gap_days",
                self.reactivation_gap_days.as_ref().map_or(n, Vec::len),
            ),
            ("products", self.products.as_ref().map_or(n, Vec::len)),
        ];
        if let Some((name, l)) = lens.iter().find(|(_, l)| *l != n) {
            return Err(Error::data(
                ANALYSIS,
                format!("batch column {name} has {l} rows where customer_id has {n}"),
            ));
        }
        let money = |v: &Option<Vec<f64>>, i: usize| v.as_ref().map_or(0.0, |v| v[i]);
        let rows = (0..n)
            .map(|i| SummaryRow {
                first_purchase: self.first_purchase[i],
                now: PurchaseWindow {
                    last: Some(self.last_purchase[i]),
                    previous: self.previous_purchase[i],
                    orders: self.orders[i],
                    purchase_days: self.purchase_days[i],
                    monetary: money(&self.monetary, i),
                    returned: money(&self.returned_amount, i),
                    orders_in: [self.orders_30d[i], self.orders_90d[i], self.orders_180d[i]],
                },
                repeat_spend: money(&self.repeat_spend, i),
                reactivation_gap_days: self.reactivation_gap_days.as_ref().and_then(|g| g[i]),
                ..Default::default()
            })
            .collect();
        let has_amount = self.monetary.is_some();
        Ok(Batch {
            summary: CustomerSummary {
                as_of,
                has_order: true,
                has_amount,
                has_returns: has_amount && self.returned_amount.is_some(),
                lifecycle_active_days: self
                    .lifecycle_active_days
                    .filter(|_| self.reactivation_gap_days.is_some()),
                id: self.customer_id,
                rows,
                ..Default::default()
            },
            products: self.products,
        })
    }
}

impl Batch {
    pub fn len(&self) -> usize {
        self.summary.len()
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_empty()
    }

    /// Customers `a..e` of the batch.
    pub fn slice(&self, a: usize, e: usize) -> Batch {
        Batch {
            summary: CustomerSummary {
                id: self.summary.id[a..e].to_vec(),
                rows: self.summary.rows[a..e].to_vec(),
                as_of: self.summary.as_of,
                training_cut: self.summary.training_cut,
                clv_cut: self.summary.clv_cut,
                has_order: self.summary.has_order,
                has_amount: self.summary.has_amount,
                has_returns: self.summary.has_returns,
                lifecycle_active_days: self.summary.lifecycle_active_days,
            },
            products: self.products.as_ref().map(|p| p[a..e].to_vec()),
        }
    }

    fn check(&self, fitted: &Fitted) -> Result<(), Error> {
        if self.summary.as_of != fitted.as_of {
            return Err(Error::data(
                ANALYSIS,
                format!(
                    "the batch's summary is as of {} and the model was fitted as of {}: compute the summary at the fitted date",
                    self.summary.as_of, fitted.as_of
                ),
            ));
        }
        let bad = self.summary.rows.iter().position(|r| {
            r.now.orders == 0 || r.now.purchase_days == 0 || r.now.last.is_none_or(|l| l < r.first_purchase)
        });
        match bad {
            Some(i) => Err(Error::data(
                ANALYSIS,
                format!(
                    "customer {} has no purchase (orders or purchase_days 0, or last_purchase before first_purchase): a summary row needs at least one",
                    self.summary.id[i]
                ),
            )),
            None => Ok(()),
        }
    }
}

/// The batch of every customer of a transaction history at its as-of date: its summary
/// ([`crate::summary::from_history`] at the dates and windows `params` give) and each
/// customer's products.
pub fn batch_of(history: &History, customers: &Customers, params: &SummaryParams) -> Result<Batch, Error> {
    Ok(Batch {
        summary: crate::summary::from_history(history, customers, params)?,
        products: CoPurchase::baskets_of(history),
    })
}

/// What [`analyze_with_batch`] returns: the Report, and for a transaction file the batch of
/// its customers, the transactions they came from and the co-purchase model of its products.
pub struct Analysis {
    pub report: Report,
    pub batch: Option<Batch>,
    pub transactions: Option<Transactions>,
    pub co_purchase: Option<CoPurchase>,
}

impl Analysis {
    /// The run's fitted models ([`Fitted::from_report`] with the co-purchase model).
    pub fn fitted(&self) -> Result<Fitted, Error> {
        let mut f = Fitted::from_report(&self.report)?;
        if f.next_product.is_none() && self.report.cross_sell.ok().is_some() {
            f.next_product = self.co_purchase.clone();
            f.unknown.retain(|u| !u.column.starts_with("next_product"));
        }
        Ok(f)
    }
}

/// [`crate::analyze`] that also keeps the batch of a transaction file's customers
/// ([`batch_of`] at the run's options), the transactions read and the co-purchase model, so a
/// caller can fit once and check, or hand the cleaned lines on.
pub fn analyze_with_batch(bytes: &[u8], options: &AnalyzeOptions) -> Result<Analysis, Error> {
    options.check()?;
    let (table, quality) = read_table_from(bytes, Some(bytes.len() as u64), &options.ingest, &mut |_| true)?;
    match table {
        Table::Transactions(tx) => {
            let customers = crate::customers::summarize(&tx, options.as_of)?;
            let history = History::build(&tx, &customers)?;
            let batch = batch_of(&history, &customers, &SummaryParams::of(options))?;
            let co_purchase = if options.run.cross_sell {
                CoPurchase::of_history(&history, &options.cross_sell)?
            } else {
                None
            };
            drop(history);
            let report = analyze_transactions(&tx, quality, options, &mut |_| {})?;
            Ok(Analysis {
                report,
                batch: Some(batch),
                transactions: Some(tx),
                co_purchase,
            })
        }
        other => Ok(Analysis {
            report: analyze_table(other, quality, options, &mut |_| {})?,
            batch: None,
            transactions: None,
            co_purchase: None,
        }),
    }
}

/// An export column a fitted model or a batch leaves empty, and why (unknown, never a made-up
/// value): `code` as the Report's unavailable sections word it, `reason` in English.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unknown {
    pub column: String,
    pub code: String,
    pub reason: String,
}

impl Unknown {
    fn new(column: &str, code: &str, reason: impl Into<String>) -> Unknown {
        Unknown {
            column: column.into(),
            code: code.into(),
            reason: reason.into(),
        }
    }
}

/// RFM score thresholds on one measure, oriented so that higher is better: a value scores
/// 1 + the number of thresholds it exceeds. `above[L − 2]` is the largest value the fitted
/// customers had with a score below L (`None`: none had, so every value scores at least L).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub above: Vec<Option<f64>>,
}

impl Thresholds {
    /// From the fitted customers' (oriented value, score) pairs.
    fn fit(values: impl Iterator<Item = f64>, scores: &[u8], bins: u8) -> Thresholds {
        let mut above: Vec<Option<f64>> = vec![None; usize::from(bins.saturating_sub(1))];
        for (v, &s) in values.zip(scores) {
            for (j, slot) in above.iter_mut().enumerate() {
                if usize::from(s) < j + 2 {
                    *slot = Some(slot.map_or(v, |t: f64| t.max(v)));
                }
            }
        }
        Thresholds { above }
    }

    fn score(&self, v: f64) -> u8 {
        1 + self.above.iter().filter(|t| t.is_none_or(|t| v > t)).count() as u8
    }
}

/// RFM as fitted: thresholds per measure and the segment names in segment order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmFit {
    pub bins: u8,
    pub method: ScoreMethod,
    /// On −recency_days (fewer days is better).
    pub recency: Thresholds,
    pub frequency: Thresholds,
    /// `None` when the file had no amount.
    pub monetary: Option<Thresholds>,
    pub segments: Vec<String>,
}

/// k-means as fitted: the features with their log1p-scale mean and std, and the centroids in
/// label order (cluster 1 first), in standardised units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterFit {
    pub features: Vec<cluster::Feature>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub centroids: Vec<Vec<f64>>,
    /// What the k-means fit ran on when it was not every customer's row (the Report's
    /// `cluster_fit_on_patterns` / `cluster_fit_on_sample` warning: distinct patterns with
    /// weights, or a seeded sample and its size); empty when it ran on every row.
    #[serde(default)]
    pub fitted_on: Vec<crate::Warning>,
}

/// The propensity model as fitted: features (log1p or not), scaler, coefficients, and the
/// lowest p_buy of deciles 1..=9 among the fitted customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropensityFit {
    pub features: Vec<propensity::Feature>,
    pub log1p: Vec<bool>,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub intercept: f64,
    pub coefficients: Vec<f64>,
    pub decile_min: Vec<f64>,
}

/// Lifetime value as fitted: the purchase model, the spend model, the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvFit {
    pub model: PurchaseModelKind,
    /// In [`PurchaseModelKind::parameter_names`] order.
    pub params: Vec<f64>,
    /// Gamma-Gamma p, q, γ; `None` without a spend model.
    pub gamma_gamma: Option<[f64; 3]>,
    pub time_unit: TimeUnit,
    pub horizon_months: u32,
    pub discount_rate: f64,
    pub margin: f64,
}

/// Everything needed to score customers like the run that fitted it. Serialises to JSON
/// (`serde_json`), so a Spark driver can ship it to its executors; read it back with
/// serde_json's `float_roundtrip` feature (as the Python package does), which parses every
/// number to the bits it was written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    pub version: String,
    pub as_of: NaiveDate,
    pub has_amount: bool,
    pub rfm: RfmFit,
    pub clusters: Option<ClusterFit>,
    pub propensity: Option<PropensityFit>,
    pub clv: Option<ClvFit>,
    /// The lifecycle windows of the run; None without a lifecycle section.
    #[serde(default)]
    pub lifecycle: Option<LifecycleWindows>,
    /// The co-purchase model next products come from; None without one (a summary or a file
    /// without products, or fitted from a Report alone).
    #[serde(default)]
    pub next_product: Option<CoPurchase>,
    /// The export columns this model leaves empty, and why.
    #[serde(default)]
    pub unknown: Vec<Unknown>,
}

/// Why `columns` are empty when `section` is not ok (None when it is).
fn unknown_of<T>(section: &Section<T>, columns: &[&str], switch: &str) -> Vec<Unknown> {
    let (code, reason) = match section {
        Section::Ok(_) => return Vec::new(),
        Section::Unavailable { reason, code, .. } => (code.clone(), reason.clone()),
        Section::Skipped => (
            "skipped".to_string(),
            format!("the analysis was switched off (run.{switch})"),
        ),
    };
    columns
        .iter()
        .map(|c| Unknown::new(c, &code, reason.clone()))
        .collect()
}

impl Fitted {
    /// Keeps the fitted models of a finished run. Rank-first RFM scores split ties by file
    /// order, which a batch cannot know: use `rank_min` or `r_quantile` to score in batches.
    pub fn from_report(report: &Report) -> Result<Fitted, Error> {
        let rfm = &report.rfm;
        if rfm.method == ScoreMethod::RankFirst {
            return Err(Error::param(
                "method",
                "rank_first splits equal values by their order in the file, which a batch of customers cannot know; use rank_min or r_quantile to score in batches",
            )
            .in_option("rfm"));
        }
        let c = &report.customers;
        let rfm_fit = RfmFit {
            bins: rfm.bins,
            method: rfm.method,
            recency: Thresholds::fit(
                c.recency_days.iter().map(|&d| -f64::from(d)),
                &rfm.r_score,
                rfm.bins,
            ),
            frequency: Thresholds::fit(c.frequency.iter().map(|&f| f64::from(f)), &rfm.f_score, rfm.bins),
            monetary: match (&c.monetary, &rfm.m_score) {
                (Some(m), Some(s)) => Some(Thresholds::fit(m.iter().copied(), s, rfm.bins)),
                _ => None,
            },
            segments: rfm.segments.iter().map(|s| s.name.clone()).collect(),
        };
        let mut unknown = unknown_of(&report.lifecycle, &["lifecycle_stage"], "lifecycle");
        let products = ["next_product", "next_product_name"];
        unknown.extend(unknown_of(&report.cross_sell, &products, "cross_sell"));
        if report.cross_sell.ok().is_some() {
            unknown.extend(products.iter().map(|c| {
                Unknown::new(
                    c,
                    "no_co_purchase_model",
                    "fitted from a Report, which keeps the top pairs and not every pair: fit from the transactions to score next products",
                )
            }));
        }
        Ok(Fitted {
            lifecycle: report.lifecycle.ok().map(|l| l.windows),
            next_product: None,
            unknown,
            version: env!("CARGO_PKG_VERSION").to_string(),
            as_of: report.as_of,
            has_amount: report.summary.has_amount,
            rfm: rfm_fit,
            clusters: report.clusters.ok().map(|k| cluster_fit(report, k)).transpose()?,
            propensity: report.propensity.ok().map(propensity_fit),
            clv: report.clv.ok().map(|v| ClvFit {
                model: v.purchase_fit.model,
                params: v.purchase_fit.params.to_vec(),
                gamma_gamma: v
                    .gamma_gamma
                    .as_ref()
                    .filter(|g| g.population_mean_spend.is_finite())
                    .map(|g| [g.params.p, g.params.q, g.params.gamma]),
                time_unit: v.time_unit,
                horizon_months: v.horizon_months,
                discount_rate: v.discount_rate,
                margin: v.margin,
            }),
        })
    }
}

/// Centroids = the mean standardised features of each cluster's members (the k-means fixed
/// point the labels came from).
fn cluster_fit(report: &Report, k: &cluster::ClusterReport) -> Result<ClusterFit, Error> {
    let c = &report.customers;
    let customers = Customers {
        as_of: report.as_of,
        id: Vec::new(),
        recency_days: c.recency_days.clone(),
        frequency: c.frequency.clone(),
        monetary: c.monetary.clone().unwrap_or_else(|| vec![0.0; c.id.len()]),
        avg_order_value: c.avg_order_value.clone().unwrap_or_else(|| vec![0.0; c.id.len()]),
        first_purchase: c.first_purchase.iter().map(|&d| date_to_day(d)).collect(),
        last_purchase: c.last_purchase.iter().map(|&d| date_to_day(d)).collect(),
        tenure_days: c.tenure_days.clone(),
        has_amount: report.summary.has_amount,
    };
    let fit = ClusterFit {
        features: k.features.iter().map(|s| s.feature).collect(),
        mean: k.features.iter().map(|s| s.mean).collect(),
        std: k.features.iter().map(|s| s.std).collect(),
        centroids: Vec::new(),
        fitted_on: k
            .warnings
            .iter()
            .filter(|w| w.code.starts_with("cluster_fit_on"))
            .cloned()
            .collect(),
    };
    let p = fit.features.len();
    let mut sums = vec![vec![0.0; p]; k.k];
    let mut counts = vec![0usize; k.k];
    let mut row = vec![0.0; p];
    for (i, &label) in k.label.iter().enumerate() {
        fit.standardise(&customers, i, &mut row)?;
        let l = usize::from(label) - 1;
        counts[l] += 1;
        sums[l].iter_mut().zip(&row).for_each(|(s, v)| *s += v);
    }
    let centroids = sums
        .into_iter()
        .zip(counts)
        .map(|(s, n)| s.into_iter().map(|v| v / n.max(1) as f64).collect())
        .collect();
    Ok(ClusterFit { centroids, ..fit })
}

impl ClusterFit {
    fn standardise(&self, customers: &Customers, i: usize, row: &mut [f64]) -> Result<(), Error> {
        for (j, f) in self.features.iter().enumerate() {
            let v = f.value(customers, i);
            if !v.is_finite() {
                return Err(Error::data(ANALYSIS, format!("{} is not a number", f.name())));
            }
            row[j] = (libm::log1p(v.max(0.0)) - self.mean[j]) / self.std[j];
        }
        Ok(())
    }

    /// The label (1..=k) of the nearest centroid; ties to the lower label.
    fn label(&self, row: &[f64]) -> u8 {
        let mut best = (f64::INFINITY, 0usize);
        for (l, c) in self.centroids.iter().enumerate() {
            let d: f64 = c.iter().zip(row).map(|(a, b)| (a - b) * (a - b)).sum();
            if d < best.0 {
                best = (d, l);
            }
        }
        (best.1 + 1) as u8
    }
}

fn propensity_fit(p: &propensity::PropensityReport) -> PropensityFit {
    let mut decile_min = vec![f64::INFINITY; 9];
    for (&v, &d) in p.p_buy.iter().zip(&p.p_buy_decile) {
        if let Some(m) = decile_min.get_mut(usize::from(d).wrapping_sub(1)) {
            *m = m.min(v);
        }
    }
    PropensityFit {
        features: p.features.iter().map(|f| f.feature).collect(),
        log1p: p.features.iter().map(|f| f.log1p).collect(),
        mean: p.features.iter().map(|f| f.mean).collect(),
        std: p.features.iter().map(|f| f.std).collect(),
        intercept: p.model.intercept,
        coefficients: p.model.coefficients.clone(),
        decile_min,
    }
}

impl PropensityFit {
    fn raw(&self, row: &SummaryRow, c: &Customers, i: usize) -> Vec<f64> {
        use propensity::Feature as F;
        let w = &row.now;
        let monetary = c.monetary[i];
        let tenure = f64::from(c.tenure_days[i]);
        let last = c.last_purchase[i];
        self.features
            .iter()
            .map(|f| match f {
                F::RecencyDays => f64::from(c.recency_days[i]),
                F::Frequency => f64::from(w.orders),
                F::Monetary => monetary,
                F::AvgOrderValue => monetary / w.orders as f64,
                F::TenureDays => tenure,
                F::MeanGapDays if w.purchase_days >= 2 => {
                    f64::from(last - row.first_purchase) / f64::from(w.purchase_days - 1)
                }
                F::LastGapDays => w.previous.map_or(tenure, |p| f64::from(last - p)),
                F::MeanGapDays => tenure,
                F::Purchases30d => f64::from(w.orders_in[0]),
                F::Purchases90d => f64::from(w.orders_in[1]),
                F::Purchases180d => f64::from(w.orders_in[2]),
                F::ReturnShare => {
                    let total = monetary + w.returned;
                    if total > 0.0 {
                        w.returned / total
                    } else {
                        0.0
                    }
                }
            })
            .collect()
    }

    fn p_buy(&self, raw: &[f64]) -> f64 {
        let row: Vec<f64> = raw
            .iter()
            .zip(&self.log1p)
            .enumerate()
            .map(|(j, (&v, &log))| {
                let v = if log { libm::log1p(v.max(0.0)) } else { v };
                (v - self.mean[j]) / self.std[j]
            })
            .collect();
        let model = LinearModel {
            intercept: self.intercept,
            coefficients: self.coefficients.clone(),
        };
        model.probability(ndarray::ArrayView1::from(row.as_slice()))
    }

    fn decile(&self, p: f64) -> u8 {
        1 + self.decile_min.iter().take_while(|&&m| p < m).count() as u8
    }
}

/// The per-customer columns of a scored batch (the export's columns after the summary ones);
/// a column is `None` when its model was not fitted or the batch cannot tell (`unknown` says
/// why).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    pub r_score: Vec<u8>,
    pub f_score: Vec<u8>,
    pub m_score: Option<Vec<u8>>,
    /// Index into [`RfmFit::segments`].
    pub segment: Vec<u8>,
    pub cluster: Option<Vec<u8>>,
    pub p_buy: Option<Vec<f64>>,
    pub p_buy_decile: Option<Vec<u8>>,
    pub expected_purchases: Option<Vec<f64>>,
    pub p_alive: Option<Vec<f64>>,
    pub clv: Option<Vec<f64>>,
    pub lifecycle_stage: Option<Vec<LifecycleStage>>,
    /// Index into the fitted co-purchase model's products; None in a row: nothing to recommend.
    pub next_product: Option<Vec<Option<u32>>>,
    /// The export columns left empty, and why (the fitted model's and this batch's).
    pub unknown: Vec<Unknown>,
}

/// Scores a batch with a fitted run. Each customer's figures depend on its own row and the
/// fitted models only, so batches can be scored in any order and on any machine.
pub fn score(batch: &Batch, fitted: &Fitted) -> Result<Scores, Error> {
    batch.check(fitted)?;
    let n = batch.len();
    let rfm = &fitted.rfm;
    let customers = crate::customers::from_summary(&batch.summary);
    let rows = &batch.summary.rows;
    let mut s = Scores {
        r_score: customers
            .recency_days
            .iter()
            .map(|&d| rfm.recency.score(-f64::from(d)))
            .collect(),
        f_score: customers
            .frequency
            .iter()
            .map(|&f| rfm.frequency.score(f64::from(f)))
            .collect(),
        unknown: fitted.unknown.clone(),
        ..Default::default()
    };
    s.m_score = match (&rfm.monetary, batch.summary.has_amount) {
        (Some(t), true) => Some(customers.monetary.iter().map(|&v| t.score(v)).collect()),
        (Some(_), false) => {
            return Err(Error::data(
                ANALYSIS,
                "the model was fitted with amounts and the batch has no monetary column",
            ))
        }
        _ => None,
    };
    s.segment = (0..n)
        .map(|i| {
            let m = s.m_score.as_ref().map_or(1, |m| m[i]);
            segment_of(s.r_score[i], s.f_score[i], m, rfm.bins, rfm.monetary.is_some())
        })
        .collect();
    if let Some(k) = &fitted.clusters {
        let mut row = vec![0.0; k.features.len()];
        let mut labels = Vec::with_capacity(n);
        for i in 0..n {
            k.standardise(&customers, i, &mut row)?;
            labels.push(k.label(&row));
        }
        s.cluster = Some(labels);
    }
    if let Some(p) = &fitted.propensity {
        let p_buy: Vec<f64> = (0..n).map(|i| p.p_buy(&p.raw(&rows[i], &customers, i))).collect();
        s.p_buy_decile = Some(p_buy.iter().map(|&v| p.decile(v)).collect());
        s.p_buy = Some(p_buy);
    }
    if let Some(v) = &fitted.clv {
        score_clv(batch, &customers, v, &mut s);
    }
    score_lifecycle(batch, &customers, fitted, &mut s);
    score_next_product(batch, fitted, &mut s);
    Ok(s)
}

fn score_lifecycle(batch: &Batch, customers: &Customers, fitted: &Fitted, s: &mut Scores) {
    let Some(w) = &fitted.lifecycle else {
        return;
    };
    let end = date_to_day(fitted.as_of);
    match batch.summary.lifecycle_active_days {
        Some(a) if a == w.active_days => {
            s.lifecycle_stage = Some(
                batch
                    .summary
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| stage_from(end, r.first_purchase, customers.last_purchase[i], r.reactivation_gap_days, w))
                    .collect(),
            );
        }
        Some(a) => s.unknown.push(Unknown::new(
            "lifecycle_stage",
            "batch_lifecycle_window",
            format!(
                "the batch's reactivation_gap_days are measured over a {a}-day active window and the model's is {} days: compute the summary with lifecycle.active_days = {}",
                w.active_days, w.active_days
            ),
        )),
        None => s.unknown.push(Unknown::new(
            "lifecycle_stage",
            "batch_without_reactivation_gaps",
            "the batch has no reactivation_gap_days and lifecycle_active_days (a warehouse summary does not carry them): a lifecycle stage needs the gap before the first purchase inside the active window",
        )),
    }
}

fn score_next_product(batch: &Batch, fitted: &Fitted, s: &mut Scores) {
    let Some(model) = &fitted.next_product else {
        return;
    };
    match &batch.products {
        Some(products) => {
            let baskets = model.indices(products.iter().map(Vec::as_slice));
            s.next_product = Some(model.next_products(baskets.into_iter()));
        }
        None => s.unknown.extend(["next_product", "next_product_name"].iter().map(|c| {
            Unknown::new(
                c,
                "batch_without_products",
                "the batch has no products (a per-customer summary carries none): a next product needs each customer's products",
            )
        })),
    }
}

fn score_clv(batch: &Batch, customers: &Customers, v: &ClvFit, s: &mut Scores) {
    let model = PurchaseModel::from_slice(v.model, &v.params);
    let spend_model = v.gamma_gamma.map(|[p, q, gamma]| GammaGamma { p, q, gamma });
    let unit = v.time_unit.days();
    let horizon_periods = v.horizon_months as f64 * v.time_unit.per_month();
    let n = batch.len();
    let (mut expected, mut alive) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut clv = spend_model.map(|_| Vec::with_capacity(n));
    for (i, row) in batch.summary.rows.iter().enumerate() {
        let x = f64::from(row.now.purchase_days) - 1.0;
        let t_x = f64::from(customers.last_purchase[i] - row.first_purchase) / unit;
        let age = f64::from(customers.tenure_days[i] - 1) / unit;
        alive.push(model.p_alive(x, t_x, age));
        match (&spend_model, &mut clv, batch.summary.has_amount) {
            (Some(gg), Some(values), true) => {
                let mean_spend = if x > 0.0 { row.repeat_spend / x } else { 0.0 };
                let spend = gg.conditional_expected_spend(x, mean_spend);
                let (value, e) = customer_lifetime_value(
                    &model,
                    x,
                    t_x,
                    age,
                    spend,
                    v.horizon_months,
                    v.discount_rate,
                    v.margin,
                    v.time_unit,
                );
                values.push(value);
                expected.push(e);
            }
            _ => expected.push(model.conditional_expected_purchases(horizon_periods, x, t_x, age)),
        }
    }
    s.expected_purchases = Some(expected);
    s.p_alive = Some(alive);
    s.clv = clv.filter(|c| c.len() == n);
}

impl Scores {
    /// Customer `i`'s next product (code) and its name ("" without one).
    pub fn next_product<'a>(&self, fitted: &'a Fitted, i: usize) -> Option<(&'a str, &'a str)> {
        let p = (*self.next_product.as_ref()?.get(i)?)? as usize;
        let model = fitted.next_product.as_ref()?;
        Some((
            model.products.get(p)?.as_str(),
            model.names.get(p).map_or("", String::as_str),
        ))
    }
}

/// A scored batch as rows of the per-customer export ([`crate::report::customers_csv`]'s
/// columns and cell rules; a column the batch cannot tell is empty, `scores.unknown` says why),
/// with the header when `header`.
pub fn scores_csv(batch: &Batch, scores: &Scores, fitted: &Fitted, header: bool) -> String {
    use crate::report::{format_money, push_text, CUSTOMERS_CSV_HEADER};
    use std::fmt::Write;
    let mut out = String::with_capacity(96 * (batch.len() + 1));
    if header {
        out.push_str(CUSTOMERS_CSV_HEADER);
        out.push_str("\r\n");
    }
    let end = date_to_day(fitted.as_of);
    for (i, row) in batch.summary.rows.iter().enumerate() {
        push_text(&mut out, &batch.summary.id[i]);
        let recency = end - row.now.last.unwrap_or(row.first_purchase);
        let _ = write!(out, ",{},{},", recency, row.now.orders);
        if batch.summary.has_amount {
            out.push_str(&format_money(row.now.monetary));
        }
        let _ = write!(out, ",{},{},", scores.r_score[i], scores.f_score[i]);
        if let Some(m) = &scores.m_score {
            let _ = write!(out, "{}", m[i]);
        }
        out.push(',');
        push_text(
            &mut out,
            fitted
                .rfm
                .segments
                .get(usize::from(scores.segment[i]))
                .map_or("", String::as_str),
        );
        out.push(',');
        if let Some(c) = &scores.cluster {
            let _ = write!(out, "{}", c[i]);
        }
        out.push(',');
        match (&scores.p_buy, &scores.p_buy_decile) {
            (Some(p), Some(d)) => {
                let _ = write!(out, "{:.6},{}", p[i], d[i]);
            }
            _ => out.push(','),
        }
        out.push(',');
        match (&scores.expected_purchases, &scores.p_alive, &fitted.clv) {
            (Some(e), Some(a), Some(v)) => {
                let _ = write!(out, "{:.6},{:.6},", e[i], a[i]);
                if let Some(c) = &scores.clv {
                    out.push_str(&format_money(c[i]));
                }
                out.push(',');
                out.push_str(v.model.code());
            }
            _ => out.push_str(",,,"),
        }
        out.push(',');
        if let Some(stage) = scores.lifecycle_stage.as_ref().map(|s| s[i]) {
            out.push_str(stage.as_str());
        }
        out.push(',');
        if let Some((code, name)) = scores.next_product(fitted, i) {
            push_text(&mut out, code);
            out.push(',');
            push_text(&mut out, name);
        } else {
            out.push(',');
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_batch_columns_are_the_contracts_in_its_order() {
        use crate::ingest::SUMMARY_COLUMNS;
        let at: Vec<usize> = BATCH_COLUMNS
            .iter()
            .map(|c| {
                SUMMARY_COLUMNS
                    .iter()
                    .position(|s| s == c)
                    .unwrap_or_else(|| panic!("{c} is not a contract column"))
            })
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    }

    #[test]
    fn thresholds_reproduce_the_fitted_scores_and_place_new_values_between() {
        let values = [1.0, 1.0, 2.0, 5.0, 5.0, 9.0];
        let scores = [1u8, 1, 2, 2, 2, 3];
        let t = Thresholds::fit(values.iter().copied(), &scores, 3);
        for (v, s) in values.iter().zip(scores) {
            assert_eq!(t.score(*v), s);
        }
        assert_eq!(t.score(0.0), 1);
        assert_eq!(t.score(1.5), 2);
        assert_eq!(t.score(100.0), 3);
    }

    #[test]
    fn a_score_no_customer_had_below_is_the_floor() {
        let t = Thresholds::fit([3.0, 4.0].into_iter(), &[2, 3], 3);
        assert_eq!(t.above, vec![None, Some(3.0)]);
        assert_eq!(t.score(-10.0), 2);
    }

    #[test]
    fn batch_columns_of_different_lengths_are_named() {
        let b = BatchColumns {
            customer_id: vec!["a".into()],
            ..Default::default()
        };
        let e = b.into_batch(NaiveDate::default()).unwrap_err().to_string();
        assert!(e.contains("first_purchase"), "{e}");
    }
}
