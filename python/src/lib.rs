//! The Python module `clientele._core`: thin pyo3 functions over the Clientele core. Options
//! arrive as JSON text (the page's and the CLI's shape), results leave as JSON text, CSV text
//! or dicts of column lists; `clientele/__init__.py` is the documented API around them.

use clientele::fitted::{self, Analysis, Batch, BatchColumns, Fitted, Scores};
use clientele::ingest::{Transactions, SUMMARY_COLUMNS};
use clientele::report::{customers_csv, export_notes, CUSTOMERS_CSV_HEADER};
use clientele::time::day_to_date;
use clientele::AnalyzeOptions;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn options_from(json: &str) -> PyResult<AnalyzeOptions> {
    let mut de = serde_json::Deserializer::from_str(json);
    let options =
        AnalyzeOptions::deserialize_named(&mut de).map_err(|e| PyValueError::new_err(e.to_string()))?;
    options
        .check()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(options)
}

fn err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Reads and analyses a file's bytes; returns a dict with `report` (the Report as JSON text,
/// the bytes of the CLI's `--json`), `customers_csv`, `notes`, and when asked `fitted` (JSON
/// text, or None when the run cannot be scored in batches, with `fitted_error` saying why),
/// `batch` (the summary rows of a transaction file) and `transactions` (its cleaned lines).
#[pyfunction]
#[pyo3(signature = (data, options_json, want_fitted=false, want_batch=false, want_transactions=false))]
fn run<'py>(
    py: Python<'py>,
    data: &[u8],
    options_json: &str,
    want_fitted: bool,
    want_batch: bool,
    want_transactions: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = options_from(options_json)?;
    let analysis: Analysis = fitted::analyze_with_batch(data, &options).map_err(err)?;
    let out = PyDict::new(py);
    let report = &analysis.report;
    out.set_item("report", serde_json::to_string(report).map_err(err)?)?;
    out.set_item("customers_csv", customers_csv(report))?;
    out.set_item("notes", export_notes(report))?;
    if want_fitted {
        match analysis.fitted() {
            Ok(f) => out.set_item("fitted", serde_json::to_string(&f).map_err(err)?)?,
            Err(e) => out.set_item("fitted_error", e.to_string())?,
        }
    }
    if want_batch {
        out.set_item(
            "batch",
            analysis.batch.as_ref().map(|b| batch_dict(py, b)).transpose()?,
        )?;
    }
    if want_transactions {
        out.set_item(
            "transactions",
            analysis
                .transactions
                .as_ref()
                .map(|t| transactions_dict(py, t))
                .transpose()?,
        )?;
    }
    Ok(out)
}

/// The batch as the summary's as-of columns (dates as days since 1970-01-01), with
/// `lifecycle_active_days` (one value per row, as the contract's constant columns),
/// `reactivation_gap_days` and `products` (lists of codes; None when unknown).
fn batch_dict<'py>(py: Python<'py>, b: &Batch) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let s = &b.summary;
    let rows = &s.rows;
    let money = |known: bool, f: fn(&clientele::ingest::SummaryRow) -> f64| {
        known.then(|| rows.iter().map(f).collect::<Vec<f64>>())
    };
    d.set_item("customer_id", &s.id)?;
    d.set_item(
        "first_purchase",
        rows.iter().map(|r| r.first_purchase).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "last_purchase",
        rows.iter().map(|r| r.now.last).collect::<Vec<_>>(),
    )?;
    d.set_item(
        "previous_purchase",
        rows.iter().map(|r| r.now.previous).collect::<Vec<_>>(),
    )?;
    d.set_item("orders", rows.iter().map(|r| r.now.orders).collect::<Vec<_>>())?;
    d.set_item(
        "purchase_days",
        rows.iter().map(|r| r.now.purchase_days).collect::<Vec<_>>(),
    )?;
    d.set_item("monetary", money(s.has_amount, |r| r.now.monetary))?;
    d.set_item("repeat_spend", money(s.has_amount, |r| r.repeat_spend))?;
    d.set_item("returned_amount", money(s.has_returns, |r| r.now.returned))?;
    for (k, name) in ["orders_30d", "orders_90d", "orders_180d"].iter().enumerate() {
        d.set_item(*name, rows.iter().map(|r| r.now.orders_in[k]).collect::<Vec<_>>())?;
    }
    let active = s.lifecycle_active_days;
    d.set_item("lifecycle_active_days", active.map(|a| vec![a; rows.len()]))?;
    d.set_item(
        "reactivation_gap_days",
        active.map(|_| rows.iter().map(|r| r.reactivation_gap_days).collect::<Vec<_>>()),
    )?;
    d.set_item("products", &b.products)?;
    Ok(d)
}

/// The cleaned purchase lines and returns (dates as ISO text), for feeding a warehouse the
/// rows the core kept.
fn transactions_dict<'py>(py: Python<'py>, t: &Transactions) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let ids: Vec<&str> = t
        .customer
        .iter()
        .map(|&c| t.customer_ids[c as usize].as_str())
        .collect();
    let dates: Vec<String> = t.day.iter().map(|&x| day_to_date(x).to_string()).collect();
    d.set_item("customer_id", ids)?;
    d.set_item("date", dates)?;
    d.set_item("amount", t.has_amount.then_some(&t.amount))?;
    d.set_item("order", &t.order)?;
    let r = &t.returns;
    let ids: Vec<&str> = r
        .customer
        .iter()
        .map(|&c| t.customer_ids[c as usize].as_str())
        .collect();
    let dates: Vec<String> = r.day.iter().map(|&x| day_to_date(x).to_string()).collect();
    let returns = PyDict::new(py);
    returns.set_item("customer_id", ids)?;
    returns.set_item("date", dates)?;
    returns.set_item("amount", &r.amount)?;
    d.set_item("returns", returns)?;
    Ok(d)
}

fn column<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, name: &str) -> PyResult<T> {
    match d.get_item(name)? {
        Some(v) => v.extract::<T>().map_err(|e| {
            let e: PyErr = e.into();
            PyValueError::new_err(format!("batch column {name}: {e}"))
        }),
        None => Err(PyValueError::new_err(format!("the batch has no column {name}"))),
    }
}

fn optional<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, name: &str) -> PyResult<Option<T>> {
    match d.get_item(name)? {
        Some(v) if !v.is_none() => Ok(Some(column(d, name)?)),
        _ => Ok(None),
    }
}

/// Dates arrive as days since 1970-01-01 (`clientele/__init__.py` converts them); the batch is
/// as of the fitted model's date.
fn batch_from(d: &Bound<'_, PyDict>, fitted: &Fitted) -> PyResult<Batch> {
    BatchColumns {
        customer_id: column(d, "customer_id")?,
        first_purchase: column(d, "first_purchase")?,
        last_purchase: column(d, "last_purchase")?,
        previous_purchase: column(d, "previous_purchase")?,
        orders: column(d, "orders")?,
        purchase_days: column(d, "purchase_days")?,
        monetary: optional(d, "monetary")?,
        repeat_spend: optional(d, "repeat_spend")?,
        returned_amount: optional(d, "returned_amount")?,
        orders_30d: column(d, "orders_30d")?,
        orders_90d: column(d, "orders_90d")?,
        orders_180d: column(d, "orders_180d")?,
        lifecycle_active_days: optional(d, "lifecycle_active_days")?,
        reactivation_gap_days: optional(d, "reactivation_gap_days")?,
        products: optional(d, "products")?,
    }
    .into_batch(fitted.as_of)
    .map_err(err)
}

fn fitted_from(json: &str) -> PyResult<Fitted> {
    serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("invalid fitted model: {e}")))
}

/// Scores a batch (a dict of column lists, the summary columns) with a fitted model (JSON
/// text); returns the score columns as a dict of lists (None for a model not fitted).
#[pyfunction]
fn score<'py>(
    py: Python<'py>,
    batch: &Bound<'py, PyDict>,
    fitted_json: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let fitted = fitted_from(fitted_json)?;
    let b = batch_from(batch, &fitted)?;
    let s = fitted::score(&b, &fitted).map_err(err)?;
    // Each customer's next product (code, name), when the batch had products.
    type Column<'a> = Vec<Option<&'a str>>;
    let next: Option<(Column, Column)> = s.next_product.as_ref().map(|_| {
        (0..b.len())
            .map(|i| match s.next_product(&fitted, i) {
                Some((code, name)) => (Some(code), (!name.is_empty()).then_some(name)),
                None => (None, None),
            })
            .unzip()
    });
    let unknown: Vec<(String, String, String)> = s
        .unknown
        .iter()
        .map(|u| (u.column.clone(), u.code.clone(), u.reason.clone()))
        .collect();
    let stages: Option<Vec<&str>> = s
        .lifecycle_stage
        .as_ref()
        .map(|v| v.iter().map(|st| st.as_str()).collect());
    let Scores {
        r_score,
        f_score,
        m_score,
        segment,
        cluster,
        p_buy,
        p_buy_decile,
        expected_purchases,
        p_alive,
        clv,
        ..
    } = s;
    let names: Vec<&str> = segment
        .iter()
        .map(|&i| fitted.rfm.segments.get(usize::from(i)).map_or("", String::as_str))
        .collect();
    // Small integers as lists of ints (pyo3 turns a Vec<u8> into bytes).
    let ints = |v: Vec<u8>| v.into_iter().map(u16::from).collect::<Vec<u16>>();
    let d = PyDict::new(py);
    d.set_item("r_score", ints(r_score))?;
    d.set_item("f_score", ints(f_score))?;
    d.set_item("m_score", m_score.map(ints))?;
    d.set_item("segment", names)?;
    d.set_item("cluster", cluster.map(ints))?;
    d.set_item("p_buy", p_buy)?;
    d.set_item("p_buy_decile", p_buy_decile.map(ints))?;
    d.set_item("expected_purchases", expected_purchases)?;
    d.set_item("p_alive", p_alive)?;
    d.set_item("clv", clv)?;
    d.set_item("clv_model", fitted.clv.as_ref().map(|v| v.model.code()))?;
    d.set_item("lifecycle_stage", stages)?;
    let (codes, names) = next.unzip();
    d.set_item("next_product", codes)?;
    d.set_item("next_product_name", names)?;
    // (column, code, reason) of each column left empty.
    d.set_item("unknown", unknown)?;
    Ok(d)
}

/// Scores a batch and writes it as rows of the per-customer export (the CLI's
/// `--customers-csv` columns and cell rules), with the header when `header`.
#[pyfunction]
#[pyo3(signature = (batch, fitted_json, header=true))]
fn score_csv(batch: &Bound<'_, PyDict>, fitted_json: &str, header: bool) -> PyResult<String> {
    let fitted = fitted_from(fitted_json)?;
    let b = batch_from(batch, &fitted)?;
    let s = fitted::score(&b, &fitted).map_err(err)?;
    Ok(fitted::scores_csv(&b, &s, &fitted, header))
}

/// The core's version.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(score_csv, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    // The column lists the core owns, so the Python and Spark glue never restates them.
    m.add(
        "EXPORT_COLUMNS",
        CUSTOMERS_CSV_HEADER.split(',').collect::<Vec<_>>(),
    )?;
    m.add("SUMMARY_COLUMNS", SUMMARY_COLUMNS.to_vec())?;
    m.add("BATCH_COLUMNS", fitted::BATCH_COLUMNS.to_vec())?;
    let types = PyDict::new(m.py());
    for name in SUMMARY_COLUMNS {
        types.set_item(name, clientele::summary::column_type(name).name())?;
    }
    m.add("SUMMARY_COLUMN_TYPES", types)?;
    Ok(())
}
