//! Fitted models that score customers batch by batch: [`Fitted::from_report`] keeps what a
//! finished run learned (RFM score thresholds, cluster scaler and centroids, the propensity
//! model and its decile cuts, the purchase and spend models of lifetime value), as plain data
//! that serialises to JSON; [`score`] applies it to any [`Batch`] of per-customer summary rows.
//! For the Python package and its Spark glue: fit once on the driver, score every partition.

use crate::cluster;
use crate::clv::{
    customer_lifetime_value, GammaGamma, PurchaseModel, PurchaseModelKind, PurchasePredictions, TimeUnit,
};
use crate::customers::Customers;
use crate::history::History;
use crate::ingest::{read_table_from, Table, Transactions};
use crate::propensity::{self, LinearModel};
use crate::report::{analyze_table, analyze_transactions, AnalyzeOptions, Report, CUSTOMERS_CSV_HEADER};
use crate::rfm::{segment_of, ScoreMethod};
use crate::time::{date_to_day, Day};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const ANALYSIS: &str = "fitted";

/// Per-customer summary rows at the fitted as-of date (purchases strictly before it): the
/// as-of columns of the summary contract (`docs/summary-contract.md`), dates as [`Day`]s.
/// Optional money columns are `None` when the file has no amount (or, for `returned_amount`,
/// no returns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    pub customer_id: Vec<String>,
    pub first_purchase: Vec<Day>,
    pub last_purchase: Vec<Day>,
    /// The latest distinct purchase day before `last_purchase`; `None` with one purchase day.
    pub previous_purchase: Vec<Option<Day>>,
    /// Distinct orders (distinct purchase days without an order column): `frequency`.
    pub orders: Vec<u32>,
    pub purchase_days: Vec<u32>,
    /// Exact sum of the purchase amounts.
    pub monetary: Option<Vec<f64>>,
    /// Sum of the amounts of purchase days after the first (Gamma-Gamma's repeat spend).
    pub repeat_spend: Option<Vec<f64>>,
    /// Returned amount (magnitudes) before the as-of date.
    pub returned_amount: Option<Vec<f64>>,
    /// Orders whose latest line is in the 30 / 90 / 180 days before the as-of date.
    pub orders_30d: Vec<u32>,
    pub orders_90d: Vec<u32>,
    pub orders_180d: Vec<u32>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.customer_id.is_empty()
    }

    fn check(&self) -> Result<(), Error> {
        let n = self.len();
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
        ];
        if let Some((name, l)) = lens.iter().find(|(_, l)| *l != n) {
            return Err(Error::data(
                ANALYSIS,
                format!("batch column {name} has {l} rows where customer_id has {n}"),
            ));
        }
        match (0..n).find(|&i| self.orders[i] == 0 || self.purchase_days[i] == 0 || self.last_purchase[i] < self.first_purchase[i]) {
            Some(i) => Err(Error::data(
                ANALYSIS,
                format!(
                    "customer {} has no purchase (orders or purchase_days 0, or last_purchase before first_purchase): a summary row needs at least one",
                    self.customer_id[i]
                ),
            )),
            None => Ok(()),
        }
    }

    /// The batch as the [`Customers`] table the analyses read at `as_of`.
    fn customers(&self, as_of: NaiveDate) -> Customers {
        let end = date_to_day(as_of);
        let has_amount = self.monetary.is_some();
        let monetary = self.monetary.clone().unwrap_or_else(|| vec![0.0; self.len()]);
        Customers {
            as_of,
            id: Vec::new(),
            recency_days: self.last_purchase.iter().map(|&d| end - d).collect(),
            frequency: self.orders.clone(),
            avg_order_value: monetary
                .iter()
                .zip(&self.orders)
                .map(|(m, &f)| m / f as f64)
                .collect(),
            monetary,
            first_purchase: self.first_purchase.clone(),
            last_purchase: self.last_purchase.clone(),
            tenure_days: self.first_purchase.iter().map(|&d| end - d).collect(),
            has_amount,
        }
    }
}

/// The summary rows of every customer of a transaction history at its as-of date: the
/// reference the warehouse SQL is tested against, and the batch that reproduces a run's own
/// per-customer columns.
pub fn batch_from_history(history: &History, customers: &Customers) -> Batch {
    let n = customers.len();
    let has_amount = history.has_amount;
    let mut b = Batch {
        customer_id: customers.id.clone(),
        first_purchase: customers.first_purchase.clone(),
        last_purchase: customers.last_purchase.clone(),
        orders: customers.frequency.clone(),
        monetary: has_amount.then(|| customers.monetary.clone()),
        ..Default::default()
    };
    let end = history.end;
    let full = crate::clv::repeat_summary(history, end - 1, TimeUnit::Days);
    let mut units = Vec::new();
    let mut repeat = Vec::with_capacity(n);
    let mut returned = Vec::with_capacity(n);
    for r in 0..n {
        let days = full.x[r] as u32 + 1;
        b.purchase_days.push(days);
        let first = customers.first_purchase[r];
        let mut spend = crate::money::MoneySum::default();
        for i in history.purchases(r) {
            if history.day[i] > first && history.day[i] < end {
                spend.add(history.amount[i]);
            }
        }
        repeat.push(spend.value());
        let behaviour =
            propensity::behaviour_at(crate::history::Purchases::History(history), r, end, &mut units)
                .unwrap_or_default();
        b.previous_purchase
            .push((days > 1).then(|| customers.last_purchase[r] - behaviour.gaps.1 as i32));
        b.orders_30d.push(behaviour.window[0]);
        b.orders_90d.push(behaviour.window[1]);
        b.orders_180d.push(behaviour.window[2]);
        let mut sum = crate::money::MoneySum::default();
        for i in history.returns(r) {
            if history.return_day[i] < end {
                sum.add(history.return_amount[i].abs());
            }
        }
        returned.push(sum.value());
    }
    if has_amount {
        b.repeat_spend = Some(repeat);
        if history.has_returns {
            b.returned_amount = Some(returned);
        }
    }
    b
}

/// What [`analyze_with_batch`] returns: the Report, and for a transaction file the summary
/// rows of its customers and the transactions they came from.
pub struct Analysis {
    pub report: Report,
    pub batch: Option<Batch>,
    pub transactions: Option<Transactions>,
}

/// [`crate::analyze`] that also keeps the summary rows ([`batch_from_history`]) and the
/// transactions read, so a caller can fit once and check, or hand the cleaned lines on.
pub fn analyze_with_batch(bytes: &[u8], options: &AnalyzeOptions) -> Result<Analysis, Error> {
    options.check()?;
    let (table, quality) = read_table_from(bytes, Some(bytes.len() as u64), &options.ingest, &mut |_| true)?;
    match table {
        Table::Transactions(tx) => {
            let customers = crate::customers::summarize(&tx, options.as_of)?;
            let history = History::build(&tx, &customers)?;
            let batch = batch_from_history(&history, &customers);
            drop(history);
            let report = analyze_transactions(&tx, quality, options, &mut |_| {})?;
            Ok(Analysis {
                report,
                batch: Some(batch),
                transactions: Some(tx),
            })
        }
        other => Ok(Analysis {
            report: analyze_table(other, quality, options, &mut |_| {})?,
            batch: None,
            transactions: None,
        }),
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
        Ok(Fitted {
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
    fn raw(&self, b: &Batch, c: &Customers, i: usize) -> Vec<f64> {
        use propensity::Feature as F;
        let monetary = b.monetary.as_ref().map_or(0.0, |m| m[i]);
        let tenure = f64::from(c.tenure_days[i]);
        let days = b.purchase_days[i];
        self.features
            .iter()
            .map(|f| match f {
                F::RecencyDays => f64::from(c.recency_days[i]),
                F::Frequency => f64::from(b.orders[i]),
                F::Monetary => monetary,
                F::AvgOrderValue => monetary / b.orders[i] as f64,
                F::TenureDays => tenure,
                F::MeanGapDays if days >= 2 => {
                    f64::from(b.last_purchase[i] - b.first_purchase[i]) / f64::from(days - 1)
                }
                F::LastGapDays => {
                    b.previous_purchase[i].map_or(tenure, |p| f64::from(b.last_purchase[i] - p))
                }
                F::MeanGapDays => tenure,
                F::Purchases30d => f64::from(b.orders_30d[i]),
                F::Purchases90d => f64::from(b.orders_90d[i]),
                F::Purchases180d => f64::from(b.orders_180d[i]),
                F::ReturnShare => {
                    let returned = b.returned_amount.as_ref().map_or(0.0, |r| r[i]);
                    let total = monetary + returned;
                    if total > 0.0 {
                        returned / total
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
/// a column is `None` when its model was not fitted.
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
}

/// Scores a batch with a fitted run. Each customer's figures depend on its own row and the
/// fitted models only, so batches can be scored in any order and on any machine.
pub fn score(batch: &Batch, fitted: &Fitted) -> Result<Scores, Error> {
    batch.check()?;
    let n = batch.len();
    let rfm = &fitted.rfm;
    let customers = batch.customers(fitted.as_of);
    let mut s = Scores {
        r_score: customers
            .recency_days
            .iter()
            .map(|&d| rfm.recency.score(-f64::from(d)))
            .collect(),
        f_score: batch
            .orders
            .iter()
            .map(|&f| rfm.frequency.score(f64::from(f)))
            .collect(),
        ..Default::default()
    };
    s.m_score = match (&rfm.monetary, &batch.monetary) {
        (Some(t), Some(m)) => Some(m.iter().map(|&v| t.score(v)).collect()),
        (Some(_), None) => {
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
        let p_buy: Vec<f64> = (0..n).map(|i| p.p_buy(&p.raw(batch, &customers, i))).collect();
        s.p_buy_decile = Some(p_buy.iter().map(|&v| p.decile(v)).collect());
        s.p_buy = Some(p_buy);
    }
    if let Some(v) = &fitted.clv {
        score_clv(batch, &customers, v, &mut s);
    }
    Ok(s)
}

fn score_clv(batch: &Batch, customers: &Customers, v: &ClvFit, s: &mut Scores) {
    let model = PurchaseModel::from_slice(v.model, &v.params);
    let spend_model = v.gamma_gamma.map(|[p, q, gamma]| GammaGamma { p, q, gamma });
    let unit = v.time_unit.days();
    let horizon_periods = v.horizon_months as f64 * v.time_unit.per_month();
    let n = batch.len();
    let (mut expected, mut alive) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut clv = spend_model.map(|_| Vec::with_capacity(n));
    for i in 0..n {
        let x = f64::from(batch.purchase_days[i]) - 1.0;
        let t_x = f64::from(batch.last_purchase[i] - batch.first_purchase[i]) / unit;
        let age = f64::from(customers.tenure_days[i] - 1) / unit;
        alive.push(model.p_alive(x, t_x, age));
        match (&spend_model, &mut clv, &batch.repeat_spend) {
            (Some(gg), Some(values), Some(repeat)) => {
                let mean_spend = if x > 0.0 { repeat[i] / x } else { 0.0 };
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

/// A scored batch as rows of the per-customer export ([`crate::report::customers_csv`]'s
/// columns and cell rules; lifecycle_stage and next_product need each customer's purchases
/// and are left empty), with the header when `header`.
pub fn scores_csv(batch: &Batch, scores: &Scores, fitted: &Fitted, header: bool) -> String {
    use crate::report::{format_money, push_text};
    use std::fmt::Write;
    let mut out = String::with_capacity(96 * (batch.len() + 1));
    let tail = ",".repeat(
        CUSTOMERS_CSV_HEADER
            .split(',')
            .skip_while(|c| *c != "clv_model")
            .count()
            .saturating_sub(1),
    );
    if header {
        out.push_str(CUSTOMERS_CSV_HEADER);
        out.push_str("\r\n");
    }
    for i in 0..batch.len() {
        push_text(&mut out, &batch.customer_id[i]);
        let recency = date_to_day(fitted.as_of) - batch.last_purchase[i];
        let _ = write!(out, ",{},{},", recency, batch.orders[i]);
        if let Some(m) = &batch.monetary {
            out.push_str(&format_money(m[i]));
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
        // The columns after clv_model (lifecycle stage, next product…) need each customer's
        // purchases: empty here.
        out.push_str(&tail);
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let b = Batch {
            customer_id: vec!["a".into()],
            ..Default::default()
        };
        let e = b.check().unwrap_err().to_string();
        assert!(e.contains("first_purchase"), "{e}");
    }
}
