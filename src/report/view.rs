//! The page's view of a [`Report`]: everything the page shows, without the per-customer
//! arrays, so what the page receives never grows with the number of customers. The
//! per-customer data stays with the caller (the wasm `Analysis` handle) and is read in pages
//! ([`customer_rows`]) or exported in chunks ([`super::customers_csv_chunk`]).
//!
//! Every struct here borrows from the Report: nothing is serialized and then deleted. The CLI's
//! `--json` keeps writing the full [`Report`].

use super::{Report, Section, Summary};
use crate::cluster::{ChosenBy, ClusterProfile, ClusterReport, FeatureScale, KPoint, ScatterSample};
use crate::clv::{
    BgNbdFit, CalibrationHoldout, ClvReport, FrequencyRecencyMatrix, GammaGammaFit, Histogram, ModelChoice,
    PurchaseFit, RepeatPurchaseRow, TimeUnit, TotalsInterval,
};
use crate::cohorts::CohortReport;
use crate::crosssell::{CrossSellParams, CrossSellReport, NextProductCount, ProductPair, SegmentPairs};
use crate::ingest::QualityReport;
use crate::lifecycle::{LifecycleReport, LifecycleStage};
use crate::migration::{MigrationCell, MigrationParams, MigrationReport};
use crate::propensity::{
    CalibrationBin, CoefficientRow, DecileRow, FeatureInfo, GainsPoint, LinearModel, PropensityCounts,
    PropensityMetrics, PropensityParams, PropensityReport, RocPoint,
};
use crate::rfm::{GridCell, RfmReport, ScoreMethod, ScoreRange, SegmentSummary};
use crate::Warning;
use chrono::NaiveDate;
use serde::Serialize;

/// Rows in one page of the customer table (the page's "Top customers" and its next/previous).
pub const PAGE_ROWS: usize = 100;

/// Default bound on the page report's JSON, in bytes. The view holds no per-customer array,
/// so a real report stays far below (tens of kB); a report above it is an error that names
/// the bound ([`page_report_json`]), never a string the browser cannot hold.
pub const PAGE_REPORT_MAX_BYTES: usize = 64 << 20;

/// The Report as the page receives it: every figure, table and chart of the Report, the first
/// page of the customer table, and no per-customer array.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PageReport<'a> {
    pub version: &'a str,
    pub quality: &'a QualityReport,
    pub as_of: NaiveDate,
    pub summary: &'a Summary,
    pub rfm: RfmView<'a>,
    pub clusters: Section<ClusterView<'a>>,
    pub propensity: Section<PropensityView<'a>>,
    pub clv: Section<ClvView<'a>>,
    /// The lifecycle section whole: it holds no per-customer array.
    pub lifecycle: Section<&'a LifecycleReport>,
    pub cross_sell: Section<CrossSellView<'a>>,
    /// The cohort section whole: bounded by months, not customers.
    pub cohorts: Section<&'a CohortReport>,
    pub migration: Section<MigrationView<'a>>,
    /// How [`customer_rows`] orders the customers: `"monetary"` (highest spend first) or
    /// `"frequency"` (without amounts); ties in file order.
    #[ts(type = "\"monetary\" | \"frequency\"")]
    pub customer_order: &'static str,
    /// The first [`PAGE_ROWS`] rows of the customer table in that order.
    pub top_customers: Vec<CustomerRow<'a>>,
}

/// [`RfmReport`] without `r_score`, `f_score`, `m_score` and `segment`.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct RfmView<'a> {
    pub bins: u8,
    pub method: ScoreMethod,
    pub tie_rule: &'a str,
    pub has_monetary: bool,
    pub segments: &'a [SegmentSummary],
    pub grid: &'a [GridCell],
    pub recency_ranges: &'a [ScoreRange],
    pub frequency_ranges: &'a [ScoreRange],
    pub monetary_ranges: &'a [ScoreRange],
    pub warnings: &'a [Warning],
}

/// [`ClusterReport`] without `label` (the scatter is a bounded sample).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ClusterView<'a> {
    pub k: usize,
    pub chosen_by: &'a ChosenBy,
    pub seed: u64,
    pub features: &'a [FeatureScale],
    pub notes: &'a [String],
    pub coded_notes: &'a [Warning],
    pub inertia: f64,
    pub silhouette: f64,
    pub silhouette_sample: usize,
    pub k_curve: &'a [KPoint],
    pub profiles: &'a [ClusterProfile],
    pub scatter: &'a ScatterSample,
    pub warnings: &'a [Warning],
}

/// [`PropensityReport`] without `p_buy` and `p_buy_decile`, plus the count of
/// customers in deciles 1–2 (the target list).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PropensityView<'a> {
    pub params: &'a PropensityParams,
    pub as_of: NaiveDate,
    pub cut: NaiveDate,
    pub first_purchase: NaiveDate,
    pub history_days: u32,
    pub windows: &'a str,
    pub features: &'a [FeatureInfo],
    pub counts: &'a PropensityCounts,
    pub metrics: &'a PropensityMetrics,
    pub deciles: &'a [DecileRow],
    pub calibration: &'a [CalibrationBin],
    pub roc_curve: &'a [RocPoint],
    pub gains_curve: &'a [GainsPoint],
    pub coefficients: &'a [CoefficientRow],
    pub model: &'a LinearModel,
    pub train_model: &'a LinearModel,
    pub warnings: &'a [Warning],
    /// Customers whose `p_buy_decile` is 1 or 2: the rows of the target list.
    pub top_two_deciles: usize,
}

/// [`ClvReport`] without its per-customer arrays; "likely gone" rows carry their expected
/// purchases and CLV inline.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ClvView<'a> {
    pub time_unit: TimeUnit,
    pub as_of: NaiveDate,
    pub observation_end: NaiveDate,
    pub calibration_end: Option<NaiveDate>,
    pub horizon_months: u32,
    pub horizon_periods: f64,
    pub discount_rate: f64,
    pub margin: f64,
    pub model_choice: &'a ModelChoice,
    pub purchase_fit: &'a PurchaseFit,
    pub bgnbd: &'a BgNbdFit,
    pub gamma_gamma: Option<&'a GammaGammaFit>,
    pub gamma_gamma_message: Option<&'a str>,
    pub coded_gamma_gamma_message: Option<&'a Warning>,
    pub total_expected_purchases: f64,
    pub total_clv: Option<f64>,
    pub totals_interval: Option<&'a TotalsInterval>,
    pub frequency_recency: &'a FrequencyRecencyMatrix,
    pub repeat_purchase_fit: &'a [RepeatPurchaseRow],
    pub calibration_holdout: Option<&'a CalibrationHoldout>,
    pub clv_histogram: Option<&'a Histogram>,
    pub likely_gone: LikelyGoneView<'a>,
    pub warnings: &'a [Warning],
}

/// "Valuable but likely gone" with each listed customer's expected purchases and CLV.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct LikelyGoneView<'a> {
    pub rule: &'a str,
    pub coded_rule: &'a Warning,
    pub value_threshold: f64,
    pub total: usize,
    pub customers: Vec<LikelyGoneRow<'a>>,
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct LikelyGoneRow<'a> {
    pub row: usize,
    pub id: &'a str,
    pub value: f64,
    pub p_alive: f64,
    pub expected_purchases: Option<f64>,
    /// None (null) without a spend model.
    pub clv: Option<f64>,
}

/// One customer with every column of the export (and the page's AOV, dates and tenure).
/// Unknown values are None (null), never 0.
#[derive(Debug, Serialize, PartialEq, ts_rs::TS)]
pub struct CustomerRow<'a> {
    /// Position in the file's customer order (0-based): the row of the full Report's arrays.
    pub row: usize,
    pub id: &'a str,
    pub recency_days: i32,
    pub frequency: u32,
    pub monetary: Option<f64>,
    pub avg_order_value: Option<f64>,
    pub first_purchase: NaiveDate,
    pub last_purchase: NaiveDate,
    pub tenure_days: i32,
    pub r_score: Option<u8>,
    pub f_score: Option<u8>,
    pub m_score: Option<u8>,
    pub segment: &'a str,
    pub cluster: Option<u8>,
    pub p_buy: Option<f64>,
    pub p_buy_decile: Option<u8>,
    pub expected_purchases: Option<f64>,
    pub p_alive: Option<f64>,
    pub clv: Option<f64>,
    pub lifecycle_stage: Option<LifecycleStage>,
    /// As written in the file.
    pub next_product: Option<&'a str>,
    /// Its name from the product-name column, as written.
    pub next_product_name: Option<&'a str>,
}

/// [`CrossSellReport`] without the list of every product.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct CrossSellView<'a> {
    pub params: &'a CrossSellParams,
    pub products_bought: usize,
    pub customers: usize,
    pub min_customers: u32,
    pub frequent_products: usize,
    pub pairs: usize,
    pub top_pairs: &'a [ProductPair],
    pub by_segment: &'a [SegmentPairs],
    pub recommended: usize,
    pub top_next_products: &'a [NextProductCount],
    pub warnings: &'a [Warning],
}

/// [`MigrationReport`] without `from_segment` (a cell's customers: [`migration_rows`]).
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct MigrationView<'a> {
    pub params: &'a MigrationParams,
    pub as_of: NaiveDate,
    pub earlier_as_of: NaiveDate,
    pub segments: &'a [String],
    pub cells: &'a [MigrationCell],
    pub stayed: usize,
    pub moved: usize,
    pub new_customers: usize,
    pub warnings: &'a [Warning],
}

fn migration_view(m: &MigrationReport) -> MigrationView<'_> {
    MigrationView {
        params: &m.params,
        as_of: m.as_of,
        earlier_as_of: m.earlier_as_of,
        segments: &m.segments,
        cells: &m.cells,
        stayed: m.stayed,
        moved: m.moved,
        new_customers: m.new_customers,
        warnings: &m.warnings,
    }
}

/// The customers of one migration cell (`from` None: not yet a customer at the earlier date),
/// in the customer table's `order`: `offset .. offset + limit` of them, and how many there are.
/// Empty when the migration section is not ok.
pub fn migration_rows<'a>(
    report: &'a Report,
    order: &[u32],
    from: Option<u8>,
    to: u8,
    offset: usize,
    limit: usize,
) -> (Vec<CustomerRow<'a>>, usize) {
    let Some(m) = report.migration.ok() else {
        return (Vec::new(), 0);
    };
    let in_cell = |&&i: &&u32| {
        m.from_segment.get(i as usize) == Some(&from) && report.rfm.segment.get(i as usize) == Some(&to)
    };
    let total = order.iter().filter(in_cell).count();
    let rows = order
        .iter()
        .filter(in_cell)
        .skip(offset)
        .take(limit)
        .map(|&i| customer_row(report, i as usize))
        .collect();
    (rows, total)
}

fn cross_sell_view(x: &CrossSellReport) -> CrossSellView<'_> {
    CrossSellView {
        params: &x.params,
        products_bought: x.products_bought,
        customers: x.customers,
        min_customers: x.min_customers,
        frequent_products: x.frequent_products,
        pairs: x.pairs,
        top_pairs: &x.top_pairs,
        by_segment: &x.by_segment,
        recommended: x.recommended,
        top_next_products: &x.top_next_products,
        warnings: &x.warnings,
    }
}

fn view_section<'a, T, V>(s: &'a Section<T>, f: impl FnOnce(&'a T) -> V) -> Section<V> {
    match s {
        Section::Ok(t) => Section::Ok(f(t)),
        Section::Unavailable { reason, code, params } => Section::Unavailable {
            reason: reason.clone(),
            code: code.clone(),
            params: params.clone(),
        },
        Section::Skipped => Section::Skipped,
    }
}

fn rfm_view(r: &RfmReport) -> RfmView<'_> {
    RfmView {
        bins: r.bins,
        method: r.method,
        tie_rule: &r.tie_rule,
        has_monetary: r.has_monetary,
        segments: &r.segments,
        grid: &r.grid,
        recency_ranges: &r.recency_ranges,
        frequency_ranges: &r.frequency_ranges,
        monetary_ranges: &r.monetary_ranges,
        warnings: &r.warnings,
    }
}

fn cluster_view(c: &ClusterReport) -> ClusterView<'_> {
    ClusterView {
        k: c.k,
        chosen_by: &c.chosen_by,
        seed: c.seed,
        features: &c.features,
        notes: &c.notes,
        coded_notes: &c.coded_notes,
        inertia: c.inertia,
        silhouette: c.silhouette,
        silhouette_sample: c.silhouette_sample,
        k_curve: &c.k_curve,
        profiles: &c.profiles,
        scatter: &c.scatter,
        warnings: &c.warnings,
    }
}

fn propensity_view(p: &PropensityReport) -> PropensityView<'_> {
    PropensityView {
        params: &p.params,
        as_of: p.as_of,
        cut: p.cut,
        first_purchase: p.first_purchase,
        history_days: p.history_days,
        windows: &p.windows,
        features: &p.features,
        counts: &p.counts,
        metrics: &p.metrics,
        deciles: &p.deciles,
        calibration: &p.calibration,
        roc_curve: &p.roc_curve,
        gains_curve: &p.gains_curve,
        coefficients: &p.coefficients,
        model: &p.model,
        train_model: &p.train_model,
        warnings: &p.warnings,
        top_two_deciles: p.p_buy_decile.iter().filter(|&&d| d <= 2).count(),
    }
}

fn clv_view(v: &ClvReport) -> ClvView<'_> {
    let lg = &v.likely_gone;
    ClvView {
        time_unit: v.time_unit,
        as_of: v.as_of,
        observation_end: v.observation_end,
        calibration_end: v.calibration_end,
        horizon_months: v.horizon_months,
        horizon_periods: v.horizon_periods,
        discount_rate: v.discount_rate,
        margin: v.margin,
        model_choice: &v.model_choice,
        purchase_fit: &v.purchase_fit,
        bgnbd: &v.bgnbd,
        gamma_gamma: v.gamma_gamma.as_ref(),
        gamma_gamma_message: v.gamma_gamma_message.as_deref(),
        coded_gamma_gamma_message: v.coded_gamma_gamma_message.as_ref(),
        total_expected_purchases: v.total_expected_purchases,
        total_clv: v.total_clv,
        totals_interval: v.totals_interval.as_ref(),
        frequency_recency: &v.frequency_recency,
        repeat_purchase_fit: &v.repeat_purchase_fit,
        calibration_holdout: v.calibration_holdout.as_ref(),
        clv_histogram: v.clv_histogram.as_ref(),
        likely_gone: LikelyGoneView {
            rule: &lg.rule,
            coded_rule: &lg.coded_rule,
            value_threshold: lg.value_threshold,
            total: lg.total,
            customers: lg
                .customers
                .iter()
                .map(|c| LikelyGoneRow {
                    row: c.row,
                    id: &c.id,
                    value: c.value,
                    p_alive: c.p_alive,
                    expected_purchases: v.expected_purchases.get(c.row).copied(),
                    clv: v.clv.as_ref().and_then(|x| x.get(c.row)).copied(),
                })
                .collect(),
        },
        warnings: &v.warnings,
    }
}

/// The page's view of `report`, with the first page of `order` ([`customer_order`]).
pub fn page_report<'a>(report: &'a Report, order: &[u32]) -> PageReport<'a> {
    PageReport {
        version: report.version,
        quality: &report.quality,
        as_of: report.as_of,
        summary: &report.summary,
        rfm: rfm_view(&report.rfm),
        clusters: view_section(&report.clusters, cluster_view),
        propensity: view_section(&report.propensity, propensity_view),
        clv: view_section(&report.clv, clv_view),
        lifecycle: view_section(&report.lifecycle, |l| l),
        cross_sell: view_section(&report.cross_sell, cross_sell_view),
        cohorts: view_section(&report.cohorts, |c| c),
        migration: view_section(&report.migration, migration_view),
        customer_order: if report.customers.monetary.is_some() {
            "monetary"
        } else {
            "frequency"
        },
        top_customers: customer_rows(report, order, 0, PAGE_ROWS),
    }
}

/// The page report's JSON could not be delivered: it is larger than the bound.
#[derive(Debug, Clone, PartialEq)]
pub struct TooLarge {
    pub limit: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "The result is too large to hand to the page: its summary passes the limit of {} bytes. \
             Analyse this file with the command-line tool (clientele analyze FILE --json OUT) or in your warehouse.",
            self.limit
        )
    }
}

/// Serialization stops as soon as it passes the limit: the bytes never grow past it.
struct Bounded {
    out: Vec<u8>,
    limit: usize,
}

impl std::io::Write for Bounded {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > self.limit {
            return Err(std::io::Error::other("limit"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The whole Report as JSON (what `serde_json::to_string` writes), through the page report's
/// writer: both then share one copy of the serializers of the sections they have in common,
/// which the wasm core otherwise holds twice (BENCHMARKS.md, "Page size (issue 14)").
pub fn report_json(report: &Report) -> serde_json::Result<String> {
    let mut w = Bounded {
        out: Vec::new(),
        limit: usize::MAX,
    };
    serde_json::to_writer(&mut w, report)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(w.out).unwrap_or_default())
}

/// The page report as JSON, or [`TooLarge`] when it would pass `limit` bytes (checked while
/// writing, so memory stays under the limit).
pub fn page_report_json(report: &Report, order: &[u32], limit: usize) -> Result<String, TooLarge> {
    let mut w = Bounded {
        out: Vec::new(),
        limit,
    };
    match serde_json::to_writer(&mut w, &page_report(report, order)) {
        // serde_json writes UTF-8 only.
        Ok(()) => Ok(String::from_utf8(w.out).unwrap_or_default()),
        Err(_) => Err(TooLarge { limit }),
    }
}

/// The most a browser gives one wasm32 instance: 65,536 pages of 64 KiB.
pub const WASM_MEMORY_BYTES: u64 = 4 << 30;
/// Peak wasm memory per customer, measured on one-row customers (BENCHMARKS.md, "Millions of
/// one-row customers"): ≈ 227 bytes with clusters off and ≈ 405 with clusters on before the
/// campaign analyses (10 M customers peaked at 2,167 and 4,047 MiB); with lifecycle, cohorts,
/// migration and cross-sell on, 1 M → 3 M customers with clusters off grew the peak from 219 to
/// 757 MiB, ≈ 282 bytes per customer, rounded up.
pub const BROWSER_BYTES_PER_CUSTOMER: u64 = 290;
pub const CLUSTER_BYTES_PER_CUSTOMER: u64 = 180;

/// How many customers the browser path can analyse with these analyses switched on.
pub fn browser_customer_limit(run: &super::RunAnalyses) -> usize {
    let per = BROWSER_BYTES_PER_CUSTOMER
        + if run.clusters {
            CLUSTER_BYTES_PER_CUSTOMER
        } else {
            0
        };
    (WASM_MEMORY_BYTES / per) as usize
}

/// More customers than the browser's memory can analyse: said right after reading, before the
/// analysis runs out of memory minutes later.
#[derive(Debug, Clone, PartialEq)]
pub struct TooManyCustomers {
    pub customers: usize,
    pub limit: usize,
    pub clusters: bool,
}

impl std::fmt::Display for TooManyCustomers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Too many customers for this browser: the file has {} customers and the limit is {}{} (a browser gives the analysis at most 4 GiB of memory). \
             Use the command-line tool (clientele analyze FILE), which has no such limit, or your warehouse{}.",
            group(self.customers),
            group(self.limit),
            if self.clusters { " with clustering on" } else { "" },
            if self.clusters { ", or switch clustering off" } else { "" },
        )
    }
}

fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// [`TooManyCustomers`] when `customers` pass [`browser_customer_limit`].
/// `cap`, when given, lowers the limit (a host's own bound, or a test's); it never raises it.
pub fn check_browser_customers(
    customers: usize,
    run: &super::RunAnalyses,
    cap: Option<usize>,
) -> Result<(), TooManyCustomers> {
    let limit = cap.map_or(browser_customer_limit(run), |c| {
        c.min(browser_customer_limit(run))
    });
    if customers > limit {
        return Err(TooManyCustomers {
            customers,
            limit,
            clusters: run.clusters,
        });
    }
    Ok(())
}

/// The customer table's order: highest monetary first (highest frequency without amounts),
/// ties in file order. Rows are indices into the Report's per-customer arrays.
pub fn customer_order(report: &Report) -> Vec<u32> {
    let c = &report.customers;
    let mut order: Vec<u32> = (0..c.id.len() as u32).collect();
    match &c.monetary {
        Some(m) => order.sort_unstable_by(|&a, &b| m[b as usize].total_cmp(&m[a as usize]).then(a.cmp(&b))),
        None => order.sort_unstable_by(|&a, &b| {
            c.frequency[b as usize]
                .cmp(&c.frequency[a as usize])
                .then(a.cmp(&b))
        }),
    }
    order
}

/// Rows `offset .. offset + limit` of the customer table in `order` (fewer at the end).
pub fn customer_rows<'a>(
    report: &'a Report,
    order: &[u32],
    offset: usize,
    limit: usize,
) -> Vec<CustomerRow<'a>> {
    let start = offset.min(order.len());
    let end = offset.saturating_add(limit).min(order.len());
    order[start..end]
        .iter()
        .map(|&i| customer_row(report, i as usize))
        .collect()
}

/// One customer's row, `i` in file order.
pub fn customer_row(report: &Report, i: usize) -> CustomerRow<'_> {
    let c = &report.customers;
    let rfm = &report.rfm;
    let clusters = report.clusters.ok();
    let propensity = report.propensity.ok();
    let clv = report.clv.ok();
    CustomerRow {
        row: i,
        id: &c.id[i],
        recency_days: c.recency_days[i],
        frequency: c.frequency[i],
        monetary: c.monetary.as_ref().and_then(|m| m.get(i)).copied(),
        avg_order_value: c.avg_order_value.as_ref().and_then(|m| m.get(i)).copied(),
        first_purchase: c.first_purchase[i],
        last_purchase: c.last_purchase[i],
        tenure_days: c.tenure_days[i],
        r_score: rfm.r_score.get(i).copied(),
        f_score: rfm.f_score.get(i).copied(),
        m_score: rfm.m_score.as_ref().and_then(|m| m.get(i)).copied(),
        segment: rfm.segment_name(i).unwrap_or(""),
        cluster: clusters.and_then(|c| c.label.get(i)).copied(),
        p_buy: propensity.and_then(|p| p.p_buy.get(i)).copied(),
        p_buy_decile: propensity.and_then(|p| p.p_buy_decile.get(i)).copied(),
        expected_purchases: clv.and_then(|v| v.expected_purchases.get(i)).copied(),
        p_alive: clv.and_then(|v| v.p_alive.get(i)).copied(),
        clv: clv.and_then(|v| v.clv.as_ref()).and_then(|x| x.get(i)).copied(),
        lifecycle_stage: c.lifecycle_stage.as_ref().and_then(|s| s.get(i)).copied(),
        next_product: report.next_product(i),
        next_product_name: report.next_product_name(i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        analyze, customers_csv, customers_csv_chunk, rows_csv_chunk, target_list_csv, target_list_rows,
        AnalyzeOptions, UTF8_BOM,
    };

    /// `n` customers, two purchases each for half of them, over a year.
    fn file(n: usize) -> Vec<u8> {
        let mut s = String::from("customer,date,amount\n");
        for i in 0..n {
            let day = 1 + (i * 7) % 28;
            let month = 1 + (i * 5) % 12;
            s.push_str(&format!(
                "c{i},2023-{month:02}-{day:02},{}.{:02}\n",
                5 + i % 97,
                i % 100
            ));
            if i % 2 == 0 {
                let m2 = 1 + (month + i % 3) % 12;
                s.push_str(&format!("c{i},2024-{m2:02}-{day:02},{}.50\n", 3 + i % 41));
            }
        }
        s.into_bytes()
    }

    fn report(n: usize) -> Report {
        analyze(&file(n), &AnalyzeOptions::default(), &mut |_| {}).unwrap()
    }

    #[test]
    fn report_json_writes_what_serde_json_to_string_writes() {
        let r = report(300);
        assert_eq!(report_json(&r).unwrap(), serde_json::to_string(&r).unwrap());
    }

    #[test]
    fn page_report_has_no_per_customer_arrays_and_a_bounded_size() {
        // Past every cap of the bounded parts (ROC points, likely-gone rows, the scatter
        // sample, lowered here to keep the test quick), the view does not grow with N.
        let mut options = AnalyzeOptions::default();
        options.cluster.scatter_sample = 500;
        options.cluster.k = Some(4);
        let run = |n| analyze(&file(n), &options, &mut |_| {}).unwrap();
        let small = run(2_500);
        let big = run(25_000);
        assert!(small.propensity.ok().is_some() && small.clv.ok().is_some() && small.clusters.ok().is_some());
        let json = |r: &Report| page_report_json(r, &customer_order(r), PAGE_REPORT_MAX_BYTES).unwrap();
        let (a, b) = (json(&small), json(&big));
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert!(v.get("customers").is_none());
        for key in ["r_score", "f_score", "m_score", "segment"] {
            assert!(v["rfm"].get(key).is_none(), "rfm.{key}");
        }
        assert!(v["clusters"].get("label").is_none());
        for key in ["p_buy", "p_buy_decile"] {
            assert!(v["propensity"].get(key).is_none(), "propensity.{key}");
        }
        for key in [
            "repeat_purchases",
            "recency",
            "age",
            "expected_purchases",
            "p_alive",
            "expected_spend",
            "clv",
        ] {
            assert!(v["clv"].get(key).is_none(), "clv.{key}");
        }
        // Ten times the customers: the same size within a few kB (figures differ, shapes do not).
        assert!(b.len() < a.len() + 20_000, "{} vs {}", a.len(), b.len());
        let full = serde_json::to_string(&big).unwrap();
        assert!(b.len() * 4 < full.len(), "{} vs {}", b.len(), full.len());
        // What the page derived from the arrays, now from the core.
        let p = big.propensity.ok().unwrap();
        let top2 = p.p_buy_decile.iter().filter(|&&d| d <= 2).count();
        assert_eq!(v["propensity"]["top_two_deciles"], top2);
        let c = big.clv.ok().unwrap();
        for (row, lg) in v["clv"]["likely_gone"]["customers"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            let i = lg["row"].as_u64().unwrap() as usize;
            assert_eq!(lg["id"], c.likely_gone.customers[row].id);
            assert_eq!(
                lg["expected_purchases"].as_f64().unwrap(),
                c.expected_purchases[i]
            );
            assert_eq!(lg["clv"].as_f64(), c.clv.as_ref().map(|x| x[i]));
        }
        assert_eq!(v["top_customers"].as_array().unwrap().len(), PAGE_ROWS);
        assert_eq!(v["customer_order"], "monetary");
    }

    #[test]
    fn browser_customer_limit_is_the_measured_memory() {
        use crate::report::RunAnalyses;
        let all = RunAnalyses::default();
        let off = RunAnalyses {
            clusters: false,
            propensity: false,
            clv: false,
            ..Default::default()
        };
        // 4 GiB / (290 + 180) bytes with clusters, 4 GiB / 290 without.
        assert!(check_browser_customers(9_000_000, &all, None).is_ok());
        let err = check_browser_customers(10_000_000, &all, None).unwrap_err();
        assert_eq!(err.limit, 9_138_228);
        let text = err.to_string();
        assert!(text.starts_with("Too many customers for this browser: the file has 10,000,000 customers and the limit is 9,138,228 with clustering on"), "{text}");
        assert!(
            text.contains("command-line tool") && text.contains("switch clustering off"),
            "{text}"
        );
        assert!(check_browser_customers(14_000_000, &off, None).is_ok());
        assert!(check_browser_customers(15_000_000, &off, None).is_err());
        // A host's (or a test's) cap lowers the limit and never raises it.
        assert_eq!(
            check_browser_customers(500, &all, Some(100)).unwrap_err().limit,
            100
        );
        assert!(check_browser_customers(100, &all, Some(100)).is_ok());
        assert_eq!(
            check_browser_customers(11_000_000, &all, Some(usize::MAX))
                .unwrap_err()
                .limit,
            9_138_228
        );
    }

    #[test]
    fn too_large_names_the_limit() {
        let r = report(300);
        let order = customer_order(&r);
        let err = page_report_json(&r, &order, 1_000).unwrap_err();
        assert_eq!(err, TooLarge { limit: 1_000 });
        assert!(err.to_string().contains("limit of 1000 bytes"), "{err}");
        assert!(err.to_string().contains("command-line tool"), "{err}");
    }

    #[test]
    fn customer_rows_are_ordered_by_spend_and_paged() {
        let r = report(1_000);
        let order = customer_order(&r);
        let m = r.customers.monetary.as_ref().unwrap();
        let all = customer_rows(&r, &order, 0, usize::MAX);
        assert_eq!(all.len(), 1_000);
        for w in all.windows(2) {
            let (a, b) = (w[0].monetary.unwrap(), w[1].monetary.unwrap());
            assert!(a > b || (a == b && w[0].row < w[1].row));
        }
        let page2 = customer_rows(&r, &order, 100, 100);
        assert_eq!(page2, all[100..200]);
        assert!(customer_rows(&r, &order, 1_000, 100).is_empty());
        assert_eq!(customer_rows(&r, &order, 950, 100).len(), 50);
        // Every column is the Report's.
        let row = &all[0];
        let i = row.row;
        assert_eq!(row.id, r.customers.id[i]);
        assert_eq!(row.monetary, Some(m[i]));
        assert_eq!(row.segment, r.rfm.segment_name(i).unwrap());
        assert_eq!(row.cluster, Some(r.clusters.ok().unwrap().label[i]));
        assert_eq!(row.p_buy, Some(r.propensity.ok().unwrap().p_buy[i]));
        assert_eq!(row.p_alive, Some(r.clv.ok().unwrap().p_alive[i]));
        assert_eq!(row.clv, r.clv.ok().unwrap().clv.as_ref().map(|c| c[i]));
    }

    #[test]
    fn chunked_csv_is_the_full_csv() {
        let r = report(1_003);
        let full = customers_csv(&r);
        for chunk in [1, 7, 100, 1_000, 1_003, 5_000] {
            let mut joined = String::new();
            let mut start = 0;
            while start == 0 || start < 1_003 {
                joined.push_str(&customers_csv_chunk(&r, start, start + chunk, false));
                start += chunk;
            }
            assert_eq!(joined.as_bytes(), full.as_bytes(), "chunk {chunk}");
        }
        let excel = customers_csv_chunk(&r, 0, 10, true);
        assert!(excel.starts_with(UTF8_BOM));
        assert!(excel.as_bytes().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert_eq!(&excel[UTF8_BOM.len()..], customers_csv_chunk(&r, 0, 10, false));
        // A later chunk never carries the BOM or the header.
        assert!(!customers_csv_chunk(&r, 10, 20, true).starts_with(UTF8_BOM));
        let targets = target_list_rows(&r, 2).unwrap();
        let mut joined = String::new();
        let mut start = 0;
        while start == 0 || start < targets.len() {
            joined.push_str(&rows_csv_chunk(&r, &targets, start, start + 37, false));
            start += 37;
        }
        assert_eq!(joined, target_list_csv(&r, 2).unwrap());
    }
}
