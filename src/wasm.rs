//! The wasm-bindgen boundary: the only module that names wasm-bindgen, js-sys or web-sys.
//! It translates JS values to core types and back, and nothing else: bytes or a `Blob` in,
//! an [`Analysis`] handle out, whose report and CSV export come from the core.

use crate::ingest::{self, IngestError};
use crate::report::{self, view, AnalyzeOptions, Progress, Report};
use crate::Error;
use crate::{readback, target};
use js_sys::{Function, Object, Reflect, Uint8Array};
use std::io::Read;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, FileReaderSync};

/// The options (`AnalyzeOptions`, `Role`, `ScoreMethod`, …), generated from the Rust types by
/// ts-rs: tests/ts_contract.rs writes src/options.d.ts and fails when it is stale.
#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = include_str!("options.d.ts");

/// The Report (`Analysis.report()`, the CLI's `--json`), the page report
/// (`Analysis.pageReport()`, `CustomerRow`) and every type in them, generated from the Rust
/// types by ts-rs: tests/ts_contract.rs writes src/report.d.ts and fails when it is stale.
#[wasm_bindgen(typescript_custom_section)]
const TS_REPORT: &str = include_str!("report.d.ts");

/// The progress callback's argument and the thrown error.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** A progress step: stage name, overall fraction 0..1, bytes and rows read so far. */
export interface AnalyzeProgress { stage: string; fraction: number; bytes_read: number; rows_read: number }
/** The located error thrown by `analyze` / `analyzeBlob`. `file` is the file's name (from the
 * error, else `ingest.file_name`), also for the analyses' errors (kind `data`, `invalid_option`);
 * fields without a value are absent, never null. */
export interface ClienteleError extends Error { file?: string; row?: number; column?: string; kind: string; code?: string; params?: { [name: string]: number | string | boolean } }
"#;

/// Makes a panic legible in the console; the widget reports it instead of dying silently.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The result of one run, kept on the wasm side so the export is written by the core.
#[wasm_bindgen]
pub struct Analysis {
    report: Report,
    /// The customer table's order (computed on first use), and the target list's rows by
    /// `max_decile`.
    order: std::cell::OnceCell<Vec<u32>>,
    targets: std::cell::RefCell<Option<(u8, Option<Vec<u32>>)>>,
    /// The last list built by `buildTargetList` (the campaign's target list with its holdout).
    campaign: std::cell::RefCell<Option<target::TargetList>>,
    /// How many chunks the file was read in (1: one pass).
    chunks: u32,
}

impl Analysis {
    fn new(report: Report) -> Self {
        Analysis {
            report,
            order: Default::default(),
            targets: Default::default(),
            campaign: Default::default(),
            chunks: 1,
        }
    }

    fn order(&self) -> &[u32] {
        self.order.get_or_init(|| view::customer_order(&self.report))
    }

    fn with_targets<R>(&self, max_decile: u8, f: impl FnOnce(Option<&[u32]>) -> R) -> R {
        let mut cache = self.targets.borrow_mut();
        if cache.as_ref().is_none_or(|(d, _)| *d != max_decile) {
            *cache = Some((max_decile, report::target_list_rows(&self.report, max_decile)));
        }
        f(cache.as_ref().and_then(|(_, rows)| rows.as_deref()))
    }
}

/// The bounded side of the handle: the page report, the customer table in pages, the export
/// in chunks. No result here grows with the number of customers beyond what was asked for.
#[wasm_bindgen]
impl Analysis {
    /// The page's report (no per-customer arrays; the first page of the customer table) as
    /// JSON text. Throws an error of kind `result_too_large` naming `limit` when the JSON would
    /// pass `max_bytes` (default 64 MiB).
    #[wasm_bindgen(js_name = pageReportJson)]
    pub fn page_report_json(&self, max_bytes: Option<f64>) -> Result<String, JsValue> {
        let limit = max_bytes.map_or(view::PAGE_REPORT_MAX_BYTES, |b| b.max(0.0) as usize);
        view::page_report_json(&self.report, self.order(), limit).map_err(|e| {
            let err = js_sys::Error::new(&e.to_string());
            let _ = Reflect::set(&err, &"kind".into(), &"result_too_large".into());
            let _ = Reflect::set(&err, &"limit".into(), &(e.limit as f64).into());
            err.into()
        })
    }

    /// The page's report as a plain JS object (see `pageReportJson`).
    #[wasm_bindgen(js_name = pageReport, unchecked_return_type = "PageReport")]
    pub fn page_report(&self, max_bytes: Option<f64>) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&self.page_report_json(max_bytes)?)
    }

    /// How many chunks the file was read in, by as many workers ([`analyze_chunks`]); 1 when
    /// one worker read it in one pass.
    #[wasm_bindgen(js_name = readChunks)]
    pub fn read_chunks(&self) -> u32 {
        self.chunks
    }

    /// Number of customers (rows of the customer table and of the export).
    #[wasm_bindgen(js_name = customerCount)]
    pub fn customer_count(&self) -> u32 {
        self.report.customers.id.len() as u32
    }

    /// Rows `offset .. offset + limit` of the customer table, highest monetary first (highest
    /// frequency without amounts), ties in file order; every column of the export.
    #[wasm_bindgen(js_name = customerRows, unchecked_return_type = "CustomerRow[]")]
    pub fn customer_rows(&self, offset: u32, limit: u32) -> Result<JsValue, JsValue> {
        let rows = view::customer_rows(&self.report, self.order(), offset as usize, limit as usize);
        let json =
            serde_json::to_string(&rows).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
        js_sys::JSON::parse(&json)
    }

    /// The customers of one cell of the segment migration matrix (`from` undefined: not yet a
    /// customer at the earlier date), in the customer table's order: `{ rows, total }`.
    #[wasm_bindgen(
        js_name = migrationRows,
        unchecked_return_type = "{ rows: CustomerRow[]; total: number }"
    )]
    pub fn migration_rows(
        &self,
        from: Option<u8>,
        to: u8,
        offset: u32,
        limit: u32,
    ) -> Result<JsValue, JsValue> {
        let (rows, total) = view::migration_rows(
            &self.report,
            self.order(),
            from,
            to,
            offset as usize,
            limit as usize,
        );
        let json = serde_json::to_string(&serde_json::json!({ "rows": rows, "total": total }))
            .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
        js_sys::JSON::parse(&json)
    }

    /// Customers `start .. end` (file order) of the per-customer CSV: concatenated from 0 to
    /// `customerCount()`, the chunks are the bytes of `customersCsv()`; `bom` puts the UTF-8
    /// byte order mark first ("CSV for Excel").
    #[wasm_bindgen(js_name = customersCsvChunk)]
    pub fn customers_csv_chunk(&self, start: u32, end: u32, bom: bool) -> String {
        report::customers_csv_chunk(&self.report, start as usize, end as usize, bom)
    }

    /// Rows in the target list of deciles 1..=`max_decile`; `undefined` without propensity.
    #[wasm_bindgen(js_name = targetListCount)]
    pub fn target_list_count(&self, max_decile: u8) -> Option<u32> {
        self.with_targets(max_decile, |rows| rows.map(|r| r.len() as u32))
    }

    /// Rows `start .. end` of the target list as CSV, as `customersCsvChunk`.
    #[wasm_bindgen(js_name = targetListCsvChunk)]
    pub fn target_list_csv_chunk(&self, max_decile: u8, start: u32, end: u32, bom: bool) -> Option<String> {
        self.with_targets(max_decile, |rows| {
            rows.map(|r| report::rows_csv_chunk(&self.report, r, start as usize, end as usize, bom))
        })
    }
}

#[wasm_bindgen]
impl Analysis {
    /// The Report as JSON text (the exact bytes the CLI's `--json` writes).
    #[wasm_bindgen(js_name = reportJson)]
    pub fn report_json(&self) -> Result<String, JsValue> {
        view::report_json(&self.report).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
    }

    /// The Report as a plain JS object.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&self.report_json()?)
    }

    /// The target list: customers in propensity deciles 1..=`max_decile`, most likely buyer
    /// first, same columns as the full export; `undefined` when propensity is unavailable.
    #[wasm_bindgen(js_name = targetListCsv)]
    pub fn target_list_csv(&self, max_decile: u8) -> Option<String> {
        report::target_list_csv(&self.report, max_decile)
    }

    /// The per-customer CSV export (same bytes as `clientele analyze --customers-csv`).
    #[wasm_bindgen(js_name = customersCsv)]
    pub fn customers_csv(&self) -> String {
        report::customers_csv(&self.report)
    }

    /// Notes on the per-customer CSV: one line per warning that names export columns, the
    /// tie rule, and the columns the file cannot fill (empty when there is nothing to say).
    /// The same text as `clientele analyze --customers-csv OUT` writes to `OUT.notes.txt`.
    #[wasm_bindgen(js_name = exportNotes)]
    pub fn export_notes(&self) -> String {
        report::export_notes(&self.report)
    }
}

/// The campaign: a target list built from a recipe (held here; the page gets its bounded view
/// and the CSV in chunks) and the read-back of a response file against it.
#[wasm_bindgen]
impl Analysis {
    /// Builds the target list of `recipe_json` (a `TargetRecipe`) and runs the planner
    /// (`planner_json`, a `PlannerParams`; defaults when absent); returns the `TargetView` as
    /// JSON. The list is held for `targetCsvChunk` and `readbackJson`. An invalid recipe throws
    /// an error naming its field (kind `invalid_option` or `data`).
    #[wasm_bindgen(js_name = buildTargetList)]
    pub fn build_target_list(
        &self,
        recipe_json: &str,
        planner_json: Option<String>,
    ) -> Result<String, JsValue> {
        let recipe = target::TargetRecipe::from_json(recipe_json).map_err(|e| to_js_error(e, None))?;
        let planner: target::PlannerParams = match planner_json.as_deref() {
            Some(text) if !text.trim().is_empty() => serde_json::from_str(text)
                .map_err(|e| to_js_error(crate::Error::param("planner", e.to_string()), None))?,
            _ => Default::default(),
        };
        let cols = target::TargetColumns::from_report(&self.report);
        let list = target::build(&cols, &recipe).map_err(|e| to_js_error(e, None))?;
        let json = serde_json::to_string(&target::page_view(&cols, &list, &planner))
            .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
        *self.campaign.borrow_mut() = Some(list);
        Ok(json)
    }

    /// Customers on the list built last; `undefined` before one is built.
    #[wasm_bindgen(js_name = campaignListCount)]
    pub fn campaign_list_count(&self) -> Option<u32> {
        self.campaign.borrow().as_ref().map(|l| l.rows.len() as u32)
    }

    /// Rows `start .. end` of the list built last as CSV (comment lines with the recipe and
    /// the header come with the chunk at 0); `undefined` before one is built.
    #[wasm_bindgen(js_name = campaignListCsvChunk)]
    pub fn campaign_list_csv_chunk(&self, start: u32, end: u32, bom: bool) -> Option<String> {
        let cols = target::TargetColumns::from_report(&self.report);
        let as_of = self.report.as_of.to_string();
        self.campaign
            .borrow()
            .as_ref()
            .map(|l| target::list_csv_chunk(&cols, l, &as_of, start as usize, end as usize, bom))
    }

    /// The read-back of a response file (`responses`: a `File` or `Blob`, read in slices as
    /// `analyzeBlob` reads, so the file never becomes one JS string) as `ReadbackReport` JSON,
    /// against `list` (a target list CSV's bytes) or, without it, the list built last (if
    /// any). `options_json`: `{ "responses": ResponseOptions, "params": ReadbackParams }`.
    #[wasm_bindgen(js_name = readbackJson)]
    pub fn readback_json(
        &self,
        responses: Blob,
        list: Option<Vec<u8>>,
        list_name: Option<String>,
        options_json: Option<String>,
    ) -> Result<String, JsValue> {
        #[derive(serde::Deserialize, Default)]
        #[serde(default, deny_unknown_fields)]
        struct Options {
            responses: crate::ingest::ResponseOptions,
            params: readback::ReadbackParams,
        }
        let options: Options = match options_json.as_deref() {
            Some(text) if !text.trim().is_empty() => serde_json::from_str(text)
                .map_err(|e| to_js_error(crate::Error::param("readback", e.to_string()), None))?,
            _ => Options::default(),
        };
        let file = options.responses.file_name.clone();
        let campaign = match list {
            Some(bytes) => Some(
                readback::CampaignList::from_csv(&bytes, list_name.as_deref())
                    .map_err(|e| to_js_error(e, list_name.as_deref()))?,
            ),
            None => self.campaign.borrow().as_ref().map(|l| {
                readback::CampaignList::from_target(&target::TargetColumns::from_report(&self.report), l)
            }),
        };
        let (rows, quality) =
            crate::ingest::read_responses_from(BlobReader::new(responses)?, &options.responses)
                .map_err(|e| to_js_error(e.into(), file.as_deref()))?;
        let out = readback::readback(&rows, quality, campaign.as_ref(), &options.params)
            .map_err(|e| to_js_error(e, file.as_deref()))?;
        serde_json::to_string(&out).map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
    }
}

/// Analyses a whole file held in memory.
#[wasm_bindgen]
pub fn analyze(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "((p: AnalyzeProgress) => void) | null | undefined")]
    progress: Option<Function>,
) -> Result<Analysis, JsValue> {
    let options = parse_options(options)?;
    let file = options.ingest.file_name.clone();
    let mut report_progress = progress_callback(progress.as_ref());
    let report = report::analyze(bytes, &options, &mut report_progress)
        .map_err(|e| to_js_error(e, file.as_deref()))?;
    Ok(Analysis::new(report))
}

/// Analyses a `File` or `Blob` read in slices with `FileReaderSync` (Web Worker only), so the
/// file never becomes one JS string and memory follows the kept rows.
#[wasm_bindgen(js_name = analyzeBlob)]
pub fn analyze_blob(
    blob: Blob,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "((p: AnalyzeProgress) => void) | null | undefined")]
    progress: Option<Function>,
    max_customers: Option<f64>,
) -> Result<Analysis, JsValue> {
    let options = parse_options(options)?;
    let mut report_progress = progress_callback(progress.as_ref());
    let total = blob.size() as u64;
    let reader = BlobReader::new(blob)?;
    let report = report::read_and_analyze(reader, Some(total), &options, &mut report_progress, |table| {
        check_browser_customers(table, &options, max_customers)
    })
    .map_err(|e| match e {
        report::RunError::Failed(e) => to_js_error(e, options.ingest.file_name.as_deref()),
        report::RunError::Refused(e) => e,
    })?;
    Ok(Analysis::new(report))
}

/// A `Blob` read at any range, slice by slice (`FileReaderSync`, Web Worker only).
struct BlobSource {
    blob: Blob,
}

impl ingest::ByteSource for BlobSource {
    fn size(&self) -> u64 {
        self.blob.size() as u64
    }
    fn open(&self, start: u64, end: u64) -> std::io::Result<ingest::RangeReader<'_>> {
        let slice = self
            .blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(|e| std::io::Error::other(format!("could not read the file: {e:?}")))?;
        let reader = BlobReader::new(slice)
            .map_err(|e| std::io::Error::other(format!("could not read the file: {e:?}")))?;
        Ok(Box::new(reader))
    }
}

/// Where to cut a large file into `parts` chunks for the page's workers: byte offsets just
/// after line breaks (fewer when lines are longer than the chunks).
#[wasm_bindgen(js_name = chunkSeams)]
pub fn chunk_seams(blob: Blob, parts: u32) -> Result<Vec<f64>, JsValue> {
    let source = BlobSource { blob };
    let seams = ingest::seams(&source, parts as usize)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    Ok(seams.into_iter().map(|s| s as f64).collect())
}

/// One chunk (`start..end`, from [`chunk_seams`]) of a file read into its partial, as bytes
/// to transfer to the worker that merges ([`analyze_chunks`]); empty when the chunk cannot be
/// read apart (the merge then reads the file in one pass).
#[wasm_bindgen(js_name = readChunk)]
pub fn read_chunk(
    blob: Blob,
    start: f64,
    end: f64,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let options = parse_options(options)?;
    let source = BlobSource { blob };
    Ok(ingest::read_chunk(
        &source,
        start as u64,
        end as u64,
        &options.ingest,
    ))
}

/// [`analyze_blob`] from the chunks' partials (`parts`, one `Uint8Array` per range between
/// `seams`, in file order): the same Report as one worker reading the whole file.
#[wasm_bindgen(js_name = analyzeChunks)]
pub fn analyze_chunks(
    blob: Blob,
    seams: Vec<f64>,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array[]")] parts: js_sys::Array,
    #[wasm_bindgen(unchecked_param_type = "AnalyzeOptions | undefined")] options: JsValue,
    #[wasm_bindgen(unchecked_param_type = "((p: AnalyzeProgress) => void) | null | undefined")]
    progress: Option<Function>,
    max_customers: Option<f64>,
) -> Result<Analysis, JsValue> {
    let options = parse_options(options)?;
    let mut report_progress = progress_callback(progress.as_ref());
    let source = BlobSource { blob };
    let seams: Vec<u64> = seams.into_iter().map(|s| s as u64).collect();
    let parts: Vec<Vec<u8>> = parts.iter().map(|p| Uint8Array::new(&p).to_vec()).collect();
    let mut chunks = 1;
    let report = report::analyze_after(
        &options,
        &mut report_progress,
        |table| check_browser_customers(table, &options, max_customers),
        |options, reading| {
            ingest::merge_chunks(&source, &seams, &parts, &options.ingest, reading).map(|(t, q, n)| {
                chunks = n;
                (t, q)
            })
        },
    )
    .map_err(|e| match e {
        report::RunError::Failed(e) => to_js_error(e, options.ingest.file_name.as_deref()),
        report::RunError::Refused(e) => e,
    })?;
    let mut analysis = Analysis::new(report);
    analysis.chunks = chunks as u32;
    Ok(analysis)
}

/// The early "too many customers for this browser" error, right after reading (transactions:
/// the distinct customers are known then), with `kind`, `customers`, `limit` and `file`.
/// `max_customers` (a host's or a test's own bound) can only lower the measured limit.
fn check_browser_customers(
    table: &ingest::Table,
    options: &AnalyzeOptions,
    max_customers: Option<f64>,
) -> Result<(), JsValue> {
    let ingest::Table::Transactions(tx) = table else {
        return Ok(());
    };
    let cap = max_customers.map(|m| m.max(0.0) as usize);
    view::check_browser_customers(tx.customer_ids.len(), &options.computed(), cap).map_err(|e| {
        let err = js_sys::Error::new(&e.to_string());
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&err, &k.into(), &v);
        };
        set("kind", "too_many_customers".into());
        set("customers", (e.customers as f64).into());
        set("limit", (e.limit as f64).into());
        if let Some(file) = &options.ingest.file_name {
            set("file", file.as_str().into());
        }
        err.into()
    })
}

/// The options, with `ingest.today` filled from the browser's clock (its local day) when the
/// page did not give one: the core itself never reads a clock.
fn parse_options(options: JsValue) -> Result<AnalyzeOptions, JsValue> {
    let mut parsed: AnalyzeOptions = if options.is_undefined() || options.is_null() {
        AnalyzeOptions::default()
    } else {
        // The file's name, if the options carry one, so that even this error names the file.
        let file_name = Reflect::get(&options, &"ingest".into())
            .ok()
            .filter(|v| v.is_object())
            .and_then(|ingest| Reflect::get(&ingest, &"file_name".into()).ok())
            .and_then(|v| v.as_string());
        let parsed = AnalyzeOptions::deserialize_named(serde_wasm_bindgen::Deserializer::from(options))
            .map_err(|mut e| {
                // serde-wasm-bindgen's errors are JS errors, whose text starts with "Error: ".
                if let Some(m) = e.message.strip_prefix("Error: ") {
                    e.message = m.to_string();
                }
                let err = js_sys::Error::new(&e.to_string());
                let _ = Reflect::set(&err, &"kind".into(), &"invalid_option".into());
                let _ = Reflect::set(&err, &"param".into(), &e.path.as_str().into());
                if let Some(file) = &file_name {
                    let _ = Reflect::set(&err, &"file".into(), &file.into());
                }
                JsValue::from(err)
            })?;
        parsed.check().map_err(|e| to_js_error(e, file_name.as_deref()))?;
        parsed
    };
    if parsed.ingest.today.is_none() {
        let now = js_sys::Date::new_0();
        parsed.ingest.today = Some(format!(
            "{:04}-{:02}-{:02}",
            now.get_full_year(),
            now.get_month() + 1,
            now.get_date()
        ));
    }
    Ok(parsed)
}

fn progress_callback(progress: Option<&Function>) -> impl FnMut(Progress) + '_ {
    move |p: Progress| {
        if let Some(f) = progress {
            let obj = Object::new();
            let _ = Reflect::set(&obj, &"stage".into(), &p.stage.into());
            let _ = Reflect::set(&obj, &"fraction".into(), &p.fraction.into());
            let _ = Reflect::set(&obj, &"bytes_read".into(), &(p.bytes_read as f64).into());
            let _ = Reflect::set(&obj, &"rows_read".into(), &(p.rows_read as f64).into());
            let _ = f.call1(&JsValue::NULL, &obj);
        }
    }
}

/// A JS `Error` carrying the core's sentence, plus `file`, `row`, `column` and `kind` fields.
/// `file` is the core error's file, else `file_name` (the options' `ingest.file_name`), so
/// that errors of the analyses (kind `data`, `invalid_option`), which know no file, name it.
/// `code` and `params` ([`Error::code`], [`Error::params`]) let the page word it in the
/// reader's language. Fields without a value are absent, never `null`.
fn to_js_error(e: Error, file_name: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &k.into(), &v);
    };
    set("code", e.code().into());
    let params = e.params();
    if !params.is_empty() {
        let obj = Object::new();
        for (k, v) in &params {
            let v: JsValue = match v {
                serde_json::Value::Number(n) => n.as_f64().unwrap_or(f64::NAN).into(),
                serde_json::Value::Bool(b) => (*b).into(),
                serde_json::Value::String(s) => s.as_str().into(),
                other => other.to_string().into(),
            };
            let _ = Reflect::set(&obj, &k.as_str().into(), &v);
        }
        set("params", obj.into());
    }
    let own_file = match &e {
        Error::Ingest(IngestError { file, .. }) => file.as_deref(),
        _ => None,
    };
    if let Some(file) = own_file.or(file_name).filter(|f| !f.is_empty()) {
        set("file", file.into());
    }
    match &e {
        Error::Ingest(IngestError {
            row, column, kind, ..
        }) => {
            if let Some(row) = row {
                set("row", (*row as f64).into());
            }
            if let Some(column) = column {
                set("column", column.as_str().into());
            }
            let kind = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from));
            set("kind", kind.unwrap_or_else(|| "ingest".into()).into());
        }
        Error::InvalidParam { .. } => {
            set("kind", "invalid_option".into());
            set("param", e.option_path().unwrap_or_default().into());
        }
        Error::Data { analysis, .. } => {
            set("kind", "data".into());
            set("analysis", (*analysis).into());
        }
        Error::Cancelled => set("kind", "cancelled".into()),
    }
    err.into()
}

/// `std::io::Read` over a Blob, one slice at a time through `FileReaderSync`.
struct BlobReader {
    blob: Blob,
    reader: FileReaderSync,
    size: f64,
    offset: f64,
    chunk: Vec<u8>,
    pos: usize,
}

/// Slice size: large enough to amortise the JS call, small enough to keep memory flat.
const SLICE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

impl BlobReader {
    fn new(blob: Blob) -> Result<Self, JsValue> {
        let reader = FileReaderSync::new()?;
        let size = blob.size();
        Ok(BlobReader {
            blob,
            reader,
            size,
            offset: 0.0,
            chunk: Vec::new(),
            pos: 0,
        })
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
            if self.offset >= self.size {
                return Ok(0);
            }
            let end = (self.offset + SLICE_BYTES).min(self.size);
            let slice = self
                .blob
                .slice_with_f64_and_f64(self.offset, end)
                .and_then(|s| self.reader.read_as_array_buffer(&s))
                .map_err(|e| std::io::Error::other(format!("could not read the file: {e:?}")))?;
            let bytes = Uint8Array::new(&slice);
            self.chunk.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut self.chunk);
            self.pos = 0;
            self.offset = end;
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
