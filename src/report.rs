//! The serializable result of one run, and [`read_and_analyze`], the one "read, then analyse"
//! sequence with its progress stages that the page (`wasm.rs`) and the CLI both call ([`analyze`]
//! for bytes in memory). Views that need several analyses are assembled here, after the sections
//! ran ([`cluster_segments`]: cluster × RFM segment). The page and the CLI render the
//! [`Report`] and recompute nothing; the per-customer CSV export is written here once
//! ([`customers_csv`]) so the page and the CLI give the same bytes, with its companion notes
//! ([`export_notes`]: what the columns mean and what not to trust).

use crate::cluster::{self, ClusterParams, ClusterReport, SegmentCount};
use crate::clv::{self, ClvParams, ClvReport};
use crate::cohorts::{self, CohortParams, CohortReport};
use crate::crosssell::{self, CrossSellParams, CrossSellReport};
use crate::customers::{self, Customers};
use crate::history::{History, Purchases};
use crate::ingest::{
    self, day_to_date, CustomerSummary, IngestOptions, IngestProgress, QualityReport, Table, Transactions,
};
use crate::lifecycle::{self, LifecycleParams, LifecycleReport, LifecycleStage};
use crate::migration::{self, MigrationParams, MigrationReport};
use crate::money;
use crate::propensity::{self, PropensityParams, PropensityReport};
use crate::rfm::{self, RfmParams, RfmReport};
use crate::{Error, Warning};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod view;

/// Options for one run; every field defaults, so `{}` is a valid options object.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct AnalyzeOptions {
    pub ingest: IngestOptions,
    /// Date every day-count is measured from; default the day after the last purchase.
    pub as_of: Option<NaiveDate>,
    pub rfm: RfmParams,
    pub cluster: ClusterParams,
    pub propensity: PropensityParams,
    pub clv: ClvParams,
    /// Lifecycle stages' windows (derived from the file by default).
    pub lifecycle: LifecycleParams,
    /// Product pairs and next products (when the file has a product column).
    pub cross_sell: CrossSellParams,
    /// Cohort retention: how many monthly cohorts.
    pub cohorts: CohortParams,
    /// Segment migration: the earlier as-of date.
    pub migration: MigrationParams,
    /// Which of the optional analyses to run (all by default).
    pub run: RunAnalyses,
    /// The sections asked for (None, the default: all). RFM is always computed (every other
    /// view reads its segments); a section not listed is not computed and reads `unavailable`
    /// with the code `not_requested`. An unknown name is refused, naming `sections[i]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<SectionName>>,
}

impl AnalyzeOptions {
    /// Checks the parameters of RFM and of every analysis that will run, before any work;
    /// an invalid one is named by its path (`invalid option clv.horizon_months: …`).
    pub fn check(&self) -> Result<(), Error> {
        self.rfm.check().map_err(|e| e.in_option("rfm"))?;
        let run = self.computed();
        if run.clusters {
            self.cluster.check().map_err(|e| e.in_option("cluster"))?;
        }
        if run.propensity {
            self.propensity.check().map_err(|e| e.in_option("propensity"))?;
        }
        if run.clv {
            self.clv.check().map_err(|e| e.in_option("clv"))?;
        }
        if run.lifecycle {
            self.lifecycle.check().map_err(|e| e.in_option("lifecycle"))?;
        }
        if run.cross_sell {
            self.cross_sell.check().map_err(|e| e.in_option("cross_sell"))?;
        }
        if run.cohorts {
            self.cohorts.check().map_err(|e| e.in_option("cohorts"))?;
        }
        if run.migration {
            self.migration.check().map_err(|e| e.in_option("migration"))?;
        }
        Ok(())
    }

    /// Whether `section` is asked for (`sections`; all when None).
    pub fn requested(&self, section: SectionName) -> bool {
        self.sections.as_ref().is_none_or(|s| s.contains(&section))
    }

    /// The analyses that will run: switched on (`run`) and asked for (`sections`).
    pub fn computed(&self) -> RunAnalyses {
        let on = |section| self.run.on(section) && self.requested(section);
        RunAnalyses {
            clusters: on(SectionName::Clusters),
            propensity: on(SectionName::Propensity),
            clv: on(SectionName::Clv),
            lifecycle: on(SectionName::Lifecycle),
            cross_sell: on(SectionName::CrossSell),
            cohorts: on(SectionName::Cohorts),
            migration: on(SectionName::Migration),
        }
    }

    /// Reads options from any serde deserializer (JSON text or value in the CLI, a JS value in
    /// the page); a value of the wrong type or an unknown variant names its path
    /// (`invalid option clv.horizon_months: invalid type: string "x", expected u32`).
    pub fn deserialize_named<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, OptionsError> {
        serde_path_to_error::deserialize(d).map_err(|e| OptionsError {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })
    }
}

/// Options that could not be read: where (`clv.horizon_months`, `.` for the whole object)
/// and what serde said.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionsError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.path.as_str() {
            "." | "" => write!(f, "invalid options: {}", self.message),
            path => write!(f, "invalid option {path}: {}", self.message),
        }
    }
}

/// A section of the Report, as `sections` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SectionName {
    /// Always computed; accepted so a list can say what it shows.
    Rfm,
    Clusters,
    Propensity,
    Clv,
    Lifecycle,
    CrossSell,
    Cohorts,
    Migration,
}

impl SectionName {
    /// Every name, in Report order.
    pub const ALL: [SectionName; 8] = [
        SectionName::Rfm,
        SectionName::Clusters,
        SectionName::Propensity,
        SectionName::Clv,
        SectionName::Lifecycle,
        SectionName::CrossSell,
        SectionName::Cohorts,
        SectionName::Migration,
    ];

    /// The name as options and the Report spell it (`cross_sell`).
    pub fn as_str(self) -> &'static str {
        match self {
            SectionName::Rfm => "rfm",
            SectionName::Clusters => "clusters",
            SectionName::Propensity => "propensity",
            SectionName::Clv => "clv",
            SectionName::Lifecycle => "lifecycle",
            SectionName::CrossSell => "cross_sell",
            SectionName::Cohorts => "cohorts",
            SectionName::Migration => "migration",
        }
    }
}

/// Switches for the analyses beyond RFM; each defaults to on.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct RunAnalyses {
    pub clusters: bool,
    pub propensity: bool,
    pub clv: bool,
    pub lifecycle: bool,
    pub cross_sell: bool,
    pub cohorts: bool,
    pub migration: bool,
}

impl RunAnalyses {
    /// The switch of `section` (RFM has none: always on).
    pub fn on(&self, section: SectionName) -> bool {
        match section {
            SectionName::Rfm => true,
            SectionName::Clusters => self.clusters,
            SectionName::Propensity => self.propensity,
            SectionName::Clv => self.clv,
            SectionName::Lifecycle => self.lifecycle,
            SectionName::CrossSell => self.cross_sell,
            SectionName::Cohorts => self.cohorts,
            SectionName::Migration => self.migration,
        }
    }
}

impl Default for RunAnalyses {
    fn default() -> Self {
        RunAnalyses {
            clusters: true,
            propensity: true,
            clv: true,
            lifecycle: true,
            cross_sell: true,
            cohorts: true,
            migration: true,
        }
    }
}

/// The outcome of an optional analysis: its result, or why there is none. Serialized with a
/// `status` tag (`"ok"` with the result's fields beside it, `"unavailable"` with a `reason`,
/// or `"skipped"` when the options turned it off), so the page can say why a section is empty.
/// An unavailable section's `code` and `params` (absent when the core gave none) let the page
/// word the reason in the reader's language; `reason` is the English sentence.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Section<T> {
    Ok(T),
    Unavailable {
        reason: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        code: String,
        #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
        #[ts(type = "{ [name: string]: number | string | boolean | null }")]
        params: serde_json::Map<String, serde_json::Value>,
    },
    Skipped,
}

impl<T> Section<T> {
    /// The result, when there is one.
    pub fn ok(&self) -> Option<&T> {
        match self {
            Section::Ok(t) => Some(t),
            _ => None,
        }
    }

    /// Splits an ok result into the section's part and a per-customer part kept elsewhere
    /// (None unless ok).
    fn split<S, P>(self, f: impl FnOnce(T) -> (S, P)) -> (Section<S>, Option<P>) {
        match self {
            Section::Ok(t) => {
                let (s, p) = f(t);
                (Section::Ok(s), Some(p))
            }
            Section::Unavailable { reason, code, params } => {
                (Section::Unavailable { reason, code, params }, None)
            }
            Section::Skipped => (Section::Skipped, None),
        }
    }

    /// Runs an analysis unless switched off (`run`: `Skipped`) or not asked for (`sections`:
    /// `Unavailable` with the code `not_requested`); a data problem becomes `Unavailable` with
    /// the message, while invalid options stay errors (the caller asked for something impossible).
    fn run(
        options: &AnalyzeOptions,
        section: SectionName,
        f: impl FnOnce() -> Result<T, Error>,
    ) -> Result<Self, Error> {
        if !options.run.on(section) {
            return Ok(Section::Skipped);
        }
        if !options.requested(section) {
            return Ok(Section::Unavailable {
                reason: NOT_REQUESTED.to_string(),
                code: "not_requested".to_string(),
                params: serde_json::Map::new(),
            });
        }
        match f() {
            Ok(t) => Ok(Section::Ok(t)),
            Err(Error::Data {
                message,
                code,
                params,
                ..
            }) => Ok(Section::Unavailable {
                reason: message,
                code: code.to_string(),
                params,
            }),
            Err(e) => Err(e),
        }
    }
}

/// A progress step reported to the caller (the page's progress bar).
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// What is running: `"reading"`, `"customers"`, `"rfm"`, …, `"done"`.
    pub stage: &'static str,
    /// 0.0 ..= 1.0 within the whole run.
    pub fraction: f64,
    /// Bytes of the file read so far, when reading.
    pub bytes_read: u64,
    /// Rows read so far, when reading.
    pub rows_read: u64,
}

impl Progress {
    fn stage(stage: &'static str, fraction: f64) -> Self {
        Progress {
            stage,
            fraction,
            bytes_read: 0,
            rows_read: 0,
        }
    }
}

/// Headline figures of the file.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct Summary {
    pub customers: usize,
    /// Sum of frequency: orders, or purchase days without an order column (`frequency_unit`).
    pub orders: u64,
    /// What `orders` and `frequency` count: `"orders"` when the file has an order column (and
    /// for customer-level tables), `"purchase_days"` otherwise.
    #[ts(type = "\"orders\" | \"purchase_days\"")]
    pub frequency_unit: String,
    /// Exact sum of every customer's monetary ([`money`]); None (null) when the file has no
    /// amount: unknown, not 0.
    pub revenue: Option<f64>,
    /// False when the file had no amounts: monetary figures are unavailable, not zero.
    pub has_amount: bool,
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
}

/// The per-customer table, columnar, every column aligned with `id`.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct CustomerTable {
    pub id: Vec<String>,
    pub recency_days: Vec<i32>,
    pub frequency: Vec<u32>,
    /// None (null) when the file has no amount.
    pub monetary: Option<Vec<f64>>,
    /// monetary / frequency; None (null) when the file has no amount.
    pub avg_order_value: Option<Vec<f64>>,
    pub first_purchase: Vec<NaiveDate>,
    pub last_purchase: Vec<NaiveDate>,
    pub tenure_days: Vec<i32>,
    /// Each customer's lifecycle stage at the as-of date ([`LifecycleStage`]); None (null) when
    /// the lifecycle section is not ok (a customer-level table, or switched off).
    pub lifecycle_stage: Option<Vec<LifecycleStage>>,
    /// Each customer's next product, an index into `cross_sell.products` (null: none); None
    /// (null) when the cross-sell section is not ok (no product column, or switched off).
    pub next_product: Option<Vec<Option<u32>>>,
}

impl CustomerTable {
    /// Moves the columns (no copy of the ids: at millions of customers each copy is hundreds
    /// of megabytes of wasm memory).
    fn from_customers(
        c: Customers,
        lifecycle_stage: Option<Vec<LifecycleStage>>,
        next_product: Option<Vec<Option<u32>>>,
    ) -> Self {
        CustomerTable {
            first_purchase: c.first_purchase.iter().map(|&d| day_to_date(d)).collect(),
            last_purchase: c.last_purchase.iter().map(|&d| day_to_date(d)).collect(),
            id: c.id,
            recency_days: c.recency_days,
            frequency: c.frequency,
            monetary: c.has_amount.then_some(c.monetary),
            avg_order_value: c.has_amount.then_some(c.avg_order_value),
            tenure_days: c.tenure_days,
            lifecycle_stage,
            next_product,
        }
    }
}

/// Everything the page shows, as plain data.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Report {
    /// Crate version that produced the report.
    pub version: &'static str,
    pub quality: QualityReport,
    /// The as-of date every recency and tenure is measured from.
    pub as_of: NaiveDate,
    pub summary: Summary,
    pub customers: CustomerTable,
    pub rfm: RfmReport,
    /// Customer clusters: k-means on scaled behaviour features.
    pub clusters: Section<ClusterReport>,
    /// Who will buy again in the next N days.
    pub propensity: Section<PropensityReport>,
    /// Lifetime value: BG/NBD + Gamma-Gamma.
    pub clv: Section<ClvReport>,
    /// Lifecycle stages: counts and revenue per stage, the windows and their alternatives (each
    /// customer's stage is `customers.lifecycle_stage`).
    pub lifecycle: Section<LifecycleReport>,
    /// Cross-sell: product pairs overall and per segment (each customer's next product is
    /// `customers.next_product`).
    pub cross_sell: Section<CrossSellReport>,
    /// Cohort retention by month of first purchase.
    pub cohorts: Section<CohortReport>,
    /// RFM segments at an earlier as-of date against today's.
    pub migration: Section<MigrationReport>,
}

impl Report {
    /// Customer `i`'s next product as written in the file.
    pub fn next_product(&self, i: usize) -> Option<&str> {
        let p = (*self.customers.next_product.as_ref()?.get(i)?)?;
        self.cross_sell.ok()?.products.get(p as usize).map(String::as_str)
    }

    /// Customer `i`'s next product's name from the product-name column, when the file has one.
    pub fn next_product_name(&self, i: usize) -> Option<&str> {
        let p = (*self.customers.next_product.as_ref()?.get(i)?)?;
        let name = self.cross_sell.ok()?.product_names.get(p as usize)?;
        (!name.is_empty()).then_some(name.as_str())
    }
}

/// Bytes in, Report out. `progress` is called at each stage ([`read_and_analyze`] on a byte slice).
pub fn analyze(
    bytes: &[u8],
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    read_and_analyze(bytes, Some(bytes.len() as u64), options, progress, |_| {
        Ok::<(), std::convert::Infallible>(())
    })
    .map_err(|e| match e {
        RunError::Failed(e) => e,
        RunError::Refused(never) => match never {},
    })
}

/// Share of the progress the reading takes (by bytes read, when the size is known); the
/// analyses share the rest (the stages of [`analyze_table`]).
pub const READING_SHARE: f64 = 0.6;

/// Why [`read_and_analyze`] stopped: the file could not be read or analysed, or the caller's check after
/// reading refused the table.
#[derive(Debug)]
pub enum RunError<E> {
    Failed(Error),
    Refused(E),
}

/// The one "read, then analyse" sequence that the page (`wasm.rs`) and the CLI both run:
/// streams `reader` (memory follows the kept rows, not the file size; `total_bytes`, when
/// known, drives the "reading" progress up to [`READING_SHARE`]), lets the caller check the
/// table read (`after_read`: the page's early customer bound), then analyses it with the
/// progress stages of [`analyze_table`]. Invalid options are refused before the first byte.
pub fn read_and_analyze<R: std::io::Read, E>(
    reader: R,
    total_bytes: Option<u64>,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
    after_read: impl FnOnce(&Table) -> Result<(), E>,
) -> Result<Report, RunError<E>> {
    analyze_after(options, progress, after_read, |options, reading| {
        ingest::read_table_from(reader, total_bytes, &options.ingest, reading)
    })
}

/// [`read_and_analyze`] for bytes that can be opened at any range (a file on disk): a large
/// source is read on `workers` threads ([`ingest::read_table_parallel`]); the Report is the
/// same, byte for byte.
pub fn read_source_and_analyze<E>(
    source: &dyn ingest::ByteSource,
    workers: usize,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
    after_read: impl FnOnce(&Table) -> Result<(), E>,
) -> Result<Report, RunError<E>> {
    analyze_after(options, progress, after_read, |options, reading| {
        ingest::read_table_parallel(source, &options.ingest, workers, reading)
    })
}

/// Checks the options, reads with `read` (reporting its progress), lets the caller check the
/// table, and analyses it: [`read_and_analyze`] for a table read another way (the page's
/// chunks merged, [`ingest::merge_chunks`]).
pub fn analyze_after<E>(
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
    after_read: impl FnOnce(&Table) -> Result<(), E>,
    read: impl FnOnce(
        &AnalyzeOptions,
        &mut dyn FnMut(IngestProgress) -> bool,
    ) -> Result<(Table, QualityReport), ingest::IngestError>,
) -> Result<Report, RunError<E>> {
    options.check().map_err(RunError::Failed)?;
    progress(Progress::stage("reading", 0.0));
    let mut reading = |p: IngestProgress| {
        let fraction = p
            .total_bytes
            .filter(|&t| t > 0)
            .map_or(0.0, |t| READING_SHARE * p.bytes_read as f64 / t as f64);
        progress(Progress {
            stage: "reading",
            fraction,
            bytes_read: p.bytes_read,
            rows_read: p.rows_read,
        });
        true
    };
    let (table, quality) = read(options, &mut reading).map_err(|e| RunError::Failed(e.into()))?;
    after_read(&table).map_err(RunError::Refused)?;
    analyze_table(table, quality, options, progress).map_err(RunError::Failed)
}

/// The analysis half of [`analyze`], for callers that read the file themselves (streaming,
/// with [`ingest::read_table_from`]): transactions get every analysis; a customer-level table
/// gets RFM and clusters, and propensity and lifetime value say they need the purchase history.
pub fn analyze_table(
    table: Table,
    quality: QualityReport,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    options.check()?;
    match table {
        Table::Transactions(tx) => analyze_transactions(&tx, quality, options, progress),
        Table::Customers(level) => {
            progress(Progress::stage("customers", 0.6));
            let (cust, quality) = customers::from_level(level, options.as_of, quality)?;
            analyze_customers(None, cust, quality, options, progress)
        }
        Table::Summary(summary) => analyze_summary(&summary, quality, options, progress),
    }
}

/// [`analyze_table`] for a per-customer summary (`docs/summary-contract.md`): RFM, clusters,
/// propensity and lifetime value give the figures of the transactions it was computed from;
/// an as-of date other than the summary's is refused, naming both.
pub fn analyze_summary(
    summary: &CustomerSummary,
    quality: QualityReport,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    if let Some(asked) = options.as_of.filter(|&d| d != summary.as_of) {
        return Err(Error::param(
            "as_of",
            format!(
                "this summary was computed as of {}; an as-of date of {asked} needs a summary computed then (clientele summary --as-of {asked})",
                summary.as_of
            ),
        ));
    }
    progress(Progress::stage("customers", 0.6));
    let cust = customers::from_summary(summary);
    analyze_customers(
        Some(Purchases::Summary(summary)),
        cust,
        quality,
        options,
        progress,
    )
}

/// [`analyze_table`] for transactions already read.
pub fn analyze_transactions(
    tx: &Transactions,
    quality: QualityReport,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    progress(Progress::stage("customers", 0.6));
    let cust = customers::summarize(tx, options.as_of)?;
    let history = History::build(tx, &cust)?;
    analyze_customers(
        Some(Purchases::History(&history)),
        cust,
        quality,
        options,
        progress,
    )
}

/// Why a section that `sections` leaves out has no result.
const NOT_REQUESTED: &str = "this section was not asked for (the sections option), so it was not computed.";

/// Why propensity and lifetime value are unavailable for a customer-level table.
const NEEDS_HISTORY: &str = "this file has one row per customer (a customer-level table), not the purchases themselves: this model learns from the dates of each purchase, so it needs a transaction export (one row per order or order line).";

/// Why the analyses that read every purchase day are unavailable for a summary.
const NEEDS_PURCHASES: &str = "this file is a per-customer summary (one row per customer with the statistics the models need), not the purchases themselves: this analysis needs each purchase (a transaction export).";

fn analyze_customers(
    basis: Option<Purchases>,
    owned: Customers,
    quality: QualityReport,
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    progress(Progress::stage("rfm", 0.7));
    let cust = &owned;
    let rfm = rfm::score(cust, &options.rfm)?;
    progress(Progress::stage("clusters", 0.75));
    let mut clusters = Section::run(options, SectionName::Clusters, || {
        cluster::cluster(cust, &options.cluster)
    })?;
    if let Section::Ok(c) = &mut clusters {
        cluster_segments(c, &rfm);
    }
    let needs_history = || match basis {
        Some(Purchases::Summary(_)) => Error::data("history", NEEDS_PURCHASES).with_code("needs_purchases"),
        _ => Error::data("history", NEEDS_HISTORY).with_code("needs_transactions"),
    };
    let history = match basis {
        Some(Purchases::History(h)) => Some(h),
        _ => None,
    };
    progress(Progress::stage("propensity", 0.8));
    let propensity = Section::run(options, SectionName::Propensity, || match basis {
        Some(b) => propensity::fit_from(b, cust, &options.propensity),
        None => Err(needs_history()),
    })?;
    progress(Progress::stage("clv", 0.9));
    let clv = Section::run(options, SectionName::Clv, || match basis {
        Some(b) => clv::fit_from(b, cust, &options.clv),
        None => Err(needs_history()),
    })?;
    progress(Progress::stage("lifecycle", 0.95));
    let (lifecycle, lifecycle_stage) = Section::run(options, SectionName::Lifecycle, || match history {
        Some(h) => lifecycle::stages(cust, h, &options.lifecycle),
        None => Err(needs_history()),
    })?
    .split(|l| (l.report, l.stage));
    let (cross_sell, next_product) = Section::run(options, SectionName::CrossSell, || match history {
        Some(h) => crosssell::cross_sell(cust, h, &rfm, &options.cross_sell),
        None => Err(needs_history()),
    })?
    .split(|x| (x.report, x.next_product));
    let cohorts = Section::run(options, SectionName::Cohorts, || match history {
        Some(h) => cohorts::cohorts(cust, h, &options.cohorts),
        None => Err(needs_history()),
    })?;
    let migration = Section::run(options, SectionName::Migration, || match history {
        Some(h) => migration::migration(cust, h, &rfm, &options.rfm, &options.migration),
        None => Err(needs_history()),
    })?;
    // The quality report says what frequency counts; a report built without one (tests
    // calling this with a default QualityReport) falls back to the transactions themselves.
    let frequency_unit = match (quality.frequency_unit.as_str(), basis) {
        ("", Some(h)) if !h.has_order() => "purchase_days",
        ("", _) => "orders",
        (unit, _) => unit,
    }
    .to_string();
    let summary = Summary {
        customers: cust.len(),
        orders: cust.frequency.iter().map(|&f| f as u64).sum(),
        frequency_unit,
        revenue: cust.has_amount.then(|| money::sum(cust.monetary.iter().copied())),
        has_amount: cust.has_amount,
        first_purchase: cust.first_purchase.iter().min().map(|&d| day_to_date(d)),
        last_purchase: cust.last_purchase.iter().max().map(|&d| day_to_date(d)),
    };
    progress(Progress::stage("done", 1.0));
    Ok(Report {
        version: env!("CARGO_PKG_VERSION"),
        quality,
        as_of: cust.as_of,
        summary,
        customers: CustomerTable::from_customers(owned, lifecycle_stage, next_product),
        rfm,
        clusters,
        propensity,
        clv,
        lifecycle,
        cross_sell,
        cohorts,
        migration,
    })
}

/// The cluster × RFM segment view, computed here because it needs both sections: each cluster
/// profile's three largest RFM segments among its members ([`cluster::ClusterProfile::top_segments`]).
pub fn cluster_segments(clusters: &mut ClusterReport, rfm: &RfmReport) {
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); clusters.profiles.len()];
    for (i, &l) in clusters.label.iter().enumerate() {
        if let Some(m) = members.get_mut(usize::from(l).wrapping_sub(1)) {
            m.push(i);
        }
    }
    for (profile, rows) in clusters.profiles.iter_mut().zip(&members) {
        profile.top_segments = top_segments(rfm, rows);
    }
}

/// The three largest RFM segments among `rows`; ties by segment order in the RFM report.
fn top_segments(rfm: &RfmReport, rows: &[usize]) -> Vec<SegmentCount> {
    let mut counts = vec![0usize; rfm.segments.len()];
    for &i in rows {
        if let Some(c) = rfm.segment.get(i).and_then(|&s| counts.get_mut(usize::from(s))) {
            *c += 1;
        }
    }
    let mut idx: Vec<usize> = (0..counts.len()).filter(|&s| counts[s] > 0).collect();
    idx.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    idx.into_iter()
        .take(3)
        .filter_map(|s| {
            rfm.segments.get(s).map(|seg| SegmentCount {
                segment: seg.name.clone(),
                customers: counts[s],
            })
        })
        .collect()
}

/// The header of the per-customer export. Columns of an analysis that is unavailable for the
/// file are left empty, so the header is the same for every file.
pub const CUSTOMERS_CSV_HEADER: &str = "customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,\
segment,cluster,p_buy,p_buy_decile,expected_purchases,p_alive,clv,clv_model,lifecycle_stage,next_product,next_product_name";

/// The export's columns that hold money in the file's currency: the page's Export buttons and
/// `clientele analyze --csv-header words` name the currency after them when it is known
/// (`monetary (EUR)`); [`CUSTOMERS_CSV_HEADER`], the machine header, never does.
pub const EXPORT_MONEY_COLUMNS: &[&str] = &["monetary", "clv"];

/// The per-customer CSV export: the same bytes from the page and the CLI.
///
/// Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// tab, CR or LF, also after invisible characters or in full-width form, or containing `|`;
/// plain signed numbers such as `-5` excepted) are prefixed with `'`; cells are quoted per
/// RFC 4180 when needed. The rule, after OWASP: [`crate::export_cell`]. Rows end in
/// CRLF, as RFC 4180 and Excel expect. Unknown values are empty cells, never 0 (`monetary`
/// and `m_score` when the file has no amount); [`export_notes`] says why.
pub fn customers_csv(report: &Report) -> String {
    customers_csv_rows(report, 0..report.customers.id.len())
}

/// The UTF-8 byte order mark that "CSV for Excel" puts first: Excel on Windows reads a CSV
/// without it in the system's legacy code page, so accented names come out garbled.
pub const UTF8_BOM: &str = "\u{feff}";

/// Customers `start .. end` (file order) of [`customers_csv`]: the header comes with the
/// chunk that starts at 0 (after [`UTF8_BOM`] when `bom`), so the chunks `0..a`, `a..b`, …,
/// `..n` concatenated are the bytes of [`customers_csv`] (with the BOM first when asked). The
/// page builds its export from such chunks, so no single string grows with the customers.
pub fn customers_csv_chunk(report: &Report, start: usize, end: usize, bom: bool) -> String {
    let n = report.customers.id.len();
    let (start, end) = (start.min(n), end.min(n).max(start.min(n)));
    csv_chunk(report, start == 0, bom, start..end)
}

/// The rows of the target list ([`target_list_csv`]), in its order; `None` when the propensity
/// model is unavailable for the file.
pub fn target_list_rows(report: &Report, max_decile: u8) -> Option<Vec<u32>> {
    let p = report.propensity.ok()?;
    let mut rows: Vec<u32> = (0..report.customers.id.len() as u32)
        .filter(|&i| p.p_buy_decile.get(i as usize).is_some_and(|&d| d <= max_decile))
        .collect();
    rows.sort_by(|&a, &b| {
        p.p_buy[b as usize]
            .total_cmp(&p.p_buy[a as usize])
            .then(a.cmp(&b))
    });
    Some(rows)
}

/// Rows `start .. end` of `rows` (from [`target_list_rows`]) as a chunk of the target list:
/// the header (after the BOM when `bom`) with the chunk that starts at 0, as
/// [`customers_csv_chunk`].
pub fn rows_csv_chunk(report: &Report, rows: &[u32], start: usize, end: usize, bom: bool) -> String {
    let n = rows.len();
    let (start, end) = (start.min(n), end.min(n).max(start.min(n)));
    csv_chunk(
        report,
        start == 0,
        bom,
        rows[start..end].iter().map(|&i| i as usize),
    )
}

fn csv_chunk(report: &Report, header: bool, bom: bool, rows: impl IntoIterator<Item = usize>) -> String {
    let mut out = String::new();
    if header && bom {
        out.push_str(UTF8_BOM);
    }
    let body = customers_csv_rows(report, rows);
    if header {
        out.push_str(&body);
    } else {
        out.push_str(&body[CUSTOMERS_CSV_HEADER.len() + 2..]);
    }
    out
}

/// The target list: the per-customer CSV (same columns and cell rules as [`customers_csv`])
/// of the customers whose `p_buy_decile` is at most `max_decile` (1 = the most likely tenth),
/// most likely buyer first. `None` when the propensity model is unavailable for the file.
pub fn target_list_csv(report: &Report, max_decile: u8) -> Option<String> {
    let p = report.propensity.ok()?;
    let mut rows: Vec<usize> = (0..report.customers.id.len())
        .filter(|&i| p.p_buy_decile.get(i).is_some_and(|&d| d <= max_decile))
        .collect();
    rows.sort_by(|&a, &b| p.p_buy[b].total_cmp(&p.p_buy[a]).then(a.cmp(&b)));
    Some(customers_csv_rows(report, rows))
}

fn customers_csv_rows(report: &Report, rows: impl IntoIterator<Item = usize>) -> String {
    use std::fmt::Write;
    let c = &report.customers;
    let rfm = &report.rfm;
    let clusters = report.clusters.ok();
    let propensity = report.propensity.ok();
    let clv = report.clv.ok();
    let rows = rows.into_iter();
    let mut out = String::with_capacity(96 * (rows.size_hint().0 + 1));
    out.push_str(CUSTOMERS_CSV_HEADER);
    out.push_str("\r\n");
    for i in rows {
        push_text(&mut out, &c.id[i]);
        let _ = write!(out, ",{},{},", c.recency_days[i], c.frequency[i]);
        if let Some(m) = c.monetary.as_ref().and_then(|m| m.get(i)) {
            out.push_str(&format_money(*m));
        }
        for scores in [Some(&rfm.r_score), Some(&rfm.f_score), rfm.m_score.as_ref()] {
            out.push(',');
            if let Some(s) = scores.and_then(|s| s.get(i)) {
                let _ = write!(out, "{s}");
            }
        }
        out.push(',');
        push_text(&mut out, rfm.segment_name(i).unwrap_or(""));
        out.push(',');
        if let Some(label) = clusters.and_then(|c| c.label.get(i)) {
            let _ = write!(out, "{label}");
        }
        out.push(',');
        if let Some(p) = propensity {
            let _ = write!(out, "{:.6},{}", p.p_buy[i], p.p_buy_decile[i]);
        } else {
            out.push(',');
        }
        out.push(',');
        if let Some(v) = clv {
            let _ = write!(out, "{:.6},{:.6},", v.expected_purchases[i], v.p_alive[i]);
            if let Some(value) = v.clv.as_ref().and_then(|values| values.get(i)) {
                out.push_str(&format_money(*value));
            }
            // The purchase model behind expected_purchases, p_alive and clv.
            out.push(',');
            out.push_str(v.purchase_fit.model.code());
        } else {
            out.push_str(",,,");
        }
        out.push(',');
        if let Some(stage) = c.lifecycle_stage.as_ref().and_then(|s| s.get(i)) {
            out.push_str(stage.as_str());
        }
        out.push(',');
        if let Some(p) = report.next_product(i) {
            push_text(&mut out, p);
        }
        out.push(',');
        if let Some(p) = report.next_product_name(i) {
            push_text(&mut out, p);
        }
        out.push_str("\r\n");
    }
    out
}

/// Every warning of every section, in Report order (rfm, clusters, propensity, clv, lifecycle,
/// cross-sell, cohorts, migration).
pub fn section_warnings(report: &Report) -> Vec<&Warning> {
    let mut out: Vec<&Warning> = report.rfm.warnings.iter().collect();
    if let Some(c) = report.clusters.ok() {
        out.extend(&c.warnings);
    }
    if let Some(p) = report.propensity.ok() {
        out.extend(&p.warnings);
    }
    if let Some(v) = report.clv.ok() {
        out.extend(&v.warnings);
    }
    if let Some(l) = report.lifecycle.ok() {
        out.extend(&l.warnings);
    }
    if let Some(x) = report.cross_sell.ok() {
        out.extend(&x.warnings);
    }
    if let Some(c) = report.cohorts.ok() {
        out.extend(&c.warnings);
    }
    if let Some(m) = report.migration.ok() {
        out.extend(&m.warnings);
    }
    out
}

/// The companion notes of the per-customer export ("notes.txt" on the page,
/// `<name>.notes.txt` beside the CLI's `--customers-csv`): plain text, one line each for the
/// as-of date, what frequency counts, how scores treat ties, the columns that are unknown for
/// this file (empty cells), and every section warning that names export columns
/// (`p_buy, p_buy_decile: …`). Empty only when there is nothing to say.
///
/// ```
/// let bytes = b"customer,date,amount\na,2024-01-02,5\nb,2024-01-03,7\nc,2024-01-09,9\n";
/// let report = clientele::analyze(bytes, &Default::default(), &mut |_| {}).unwrap();
/// let notes = clientele::report::export_notes(&report);
/// assert!(notes.starts_with("as of 2024-01-10:"));
/// assert!(notes.contains("Equal values share a score"));
/// ```
pub fn export_notes(report: &Report) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !report.customers.id.is_empty() {
        lines.push(format!(
            "as of {}: recency_days counts the days from each customer's last purchase to this date.",
            report.as_of
        ));
        if report.summary.frequency_unit == "purchase_days" {
            lines.push(
                "frequency: counts purchase days (distinct days with a purchase), not orders: the file has no order column."
                    .to_string(),
            );
        }
        let rfm = &report.rfm;
        let scores = if rfm.m_score.is_some() {
            "r_score, f_score, m_score"
        } else {
            "r_score, f_score"
        };
        let method = serde_json::to_value(rfm.method)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        lines.push(format!(
            "{scores} ({method}, {} bins): {}",
            rfm.bins, rfm.tie_rule
        ));
    }
    if let Some(v) = report.clv.ok() {
        let choice = &v.model_choice;
        let why = match choice.rule.as_str() {
            "requested" => "as requested (clv.model)".to_string(),
            "lowest_holdout_error" => match &choice.comparison {
                Some(c) => format!(
                    "the lowest holdout error of the three models (holdout {} to {})",
                    c.calibration_end, c.holdout_end
                ),
                None => "the lowest holdout error".to_string(),
            },
            _ => "the default, as the models could not be compared on a holdout".to_string(),
        };
        lines.push(format!(
            "clv_model: expected_purchases, p_alive and clv come from {} ({why}).",
            v.purchase_fit.model.label()
        ));
    }
    let mut unknown: Vec<&str> = Vec::new();
    if !report.summary.has_amount {
        unknown.extend(["monetary", "m_score"]);
        if report.clv.ok().is_some_and(|v| v.clv.is_none()) {
            unknown.push("clv");
        }
        lines.push(format!(
            "{}: unknown — the file has no amount column (these cells are empty, not 0).",
            unknown.join(", ")
        ));
    }
    for w in section_warnings(report) {
        if w.columns.is_empty() || w.columns.iter().all(|c| unknown.contains(&c.as_str())) {
            continue;
        }
        lines.push(format!("{}: {}", w.columns.join(", "), w.message));
    }
    if lines.is_empty() {
        return String::new();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Money as plain decimal text, rounded to cents (the sums are of parsed decimal text).
pub(crate) fn format_money(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" {
        "0.00".into()
    } else {
        s
    }
}

/// Writes one text cell, neutralised against formula injection and quoted when needed
/// (the rule: [`crate::export_cell`]).
pub(crate) fn push_text(out: &mut String, cell: &str) {
    crate::export_cell::push_csv_text(out, cell);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_neutralised_and_quoted() {
        let mut s = String::new();
        push_text(&mut s, "=HYPERLINK(\"x\")");
        assert_eq!(s, "\"'=HYPERLINK(\"\"x\"\")\"");
        s.clear();
        push_text(&mut s, "00017");
        assert_eq!(s, "00017");
        s.clear();
        push_text(&mut s, "a,b");
        assert_eq!(s, "\"a,b\"");
        s.clear();
        push_text(&mut s, "-1");
        assert_eq!(s, "-1");
        s.clear();
        push_text(&mut s, "-A1");
        assert_eq!(s, "\"'-A1\"");
    }

    const SMALL: &[u8] = b"customer,date,amount\nA1,2024-01-01,10.00\nB2,2024-01-05,20.50\nA1,2024-01-10,5.00\nC3,2024-01-10,7.25\nD4,2024-01-02,3.00\nE5,2024-01-03,42.00\nF6,2024-01-04,1.99\nE5,2024-01-08,8.00\n";

    #[test]
    fn export_notes_list_column_warnings_once() {
        let mut report = analyze(SMALL, &AnalyzeOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(report.summary.revenue, Some(97.74));
        assert_eq!(report.summary.frequency_unit, "purchase_days");
        // 6 customers in 5 bins: coarse scores.
        assert_eq!(report.rfm.warnings[0].code, "rfm_few_customers");
        let notes = export_notes(&report);
        let lines: Vec<&str> = notes.lines().collect();
        assert_eq!(
            lines[0],
            "as of 2024-01-11: recency_days counts the days from each customer's last purchase to this date."
        );
        assert!(lines[1].starts_with("frequency: counts purchase days"));
        assert!(
            lines[2].starts_with("r_score, f_score, m_score (rank_min, 5 bins): Equal values share a score")
        );
        // Ten days of history: too short to compare the purchase models, so BG/NBD by default.
        assert_eq!(
            lines[3],
            "clv_model: expected_purchases, p_alive and clv come from BG/NBD (the default, as the \
             models could not be compared on a holdout)."
        );
        assert!(lines[4].starts_with("r_score, f_score, m_score, segment: Only 6 customers for 5 scores"));
        // Lifetime value warns that 12 months extrapolate, and its fit needed the penalty.
        assert!(lines[5].starts_with("expected_purchases: Expected purchases are projected 12 months ahead"));
        assert!(lines[6].starts_with(
            "p_alive, expected_purchases: The purchase model (BG/NBD) could not be fitted plainly"
        ));
        // Ten days of history: every customer is new for the lifecycle windows.
        assert!(lines[7].starts_with("lifecycle_stage: The new-customer window"));
        assert_eq!(lines.len(), 8, "{notes}");
        // A section-wide warning (no columns) is not an export note; one on columns is.
        report.rfm.warnings.push(Warning::new("x", "section wide"));
        report
            .rfm
            .warnings
            .push(Warning::new("y", "not to be trusted").on_columns(&["p_buy"]));
        let notes = export_notes(&report);
        assert!(!notes.contains("section wide"));
        assert!(notes.lines().any(|l| l == "p_buy: not to be trusted"), "{notes}");
        // rfm's three, lifetime value's two, lifecycle's one, and the cohorts' partial month.
        let codes: Vec<&str> = section_warnings(&report)
            .iter()
            .map(|w| w.code.as_str())
            .collect();
        assert_eq!(codes.len(), 7, "{codes:?}");
        assert_eq!(
            codes[5..],
            ["lifecycle_new_covers_history", "cohorts_partial_month"]
        );
    }

    #[test]
    fn unknown_amounts_are_null_and_empty_cells() {
        let bytes = b"customer,date\nA1,2024-01-01\nB2,2024-01-05\nA1,2024-01-10\nC3,2024-01-10\n";
        let report = analyze(bytes, &AnalyzeOptions::default(), &mut |_| {}).unwrap();
        assert!(!report.summary.has_amount);
        assert_eq!(report.summary.revenue, None);
        assert_eq!(report.customers.monetary, None);
        assert_eq!(report.rfm.m_score, None);
        let csv = customers_csv(&report);
        let rows: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(rows[0], CUSTOMERS_CSV_HEADER);
        // customer_id, recency, frequency, monetary (empty), r, f, m (empty), segment, …
        let a1: Vec<&str> = rows[1].split(',').collect();
        assert_eq!((a1[0], a1[3], a1[6]), ("A1", "", ""));
        assert!(!a1[4].is_empty() && !a1[5].is_empty() && !a1[7].is_empty());
        let notes = export_notes(&report);
        assert!(notes.contains("monetary, m_score"), "{notes}");
        assert!(
            notes.contains(": unknown — the file has no amount column"),
            "{notes}"
        );
        // rfm_no_monetary names only unknown columns: said once, by the unknown line.
        assert_eq!(notes.matches("m_score").count(), 1, "{notes}");
    }

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(format_money(12.0), "12.00");
        assert_eq!(format_money(0.1 + 0.2), "0.30");
        assert_eq!(format_money(-0.0), "0.00");
    }
}
