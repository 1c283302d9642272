//! The serializable result of one run, and [`analyze`], the entry point from bytes to
//! [`Report`]. The page and the CLI render this and recompute nothing.

use crate::customers::{self, Customers};
use crate::ingest::{self, IngestOptions, QualityReport};
use crate::Error;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Options for one run; every field defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AnalyzeOptions {
    pub ingest: IngestOptions,
    /// Date every day-count is measured from; default the day after the last purchase.
    pub as_of: Option<NaiveDate>,
}

/// A progress step reported to the caller (the page's progress bar).
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub stage: &'static str,
    /// 0.0 ..= 1.0 within the whole run.
    pub fraction: f64,
}

/// Everything the page shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub quality: QualityReport,
    pub as_of: NaiveDate,
    pub customers: usize,
}

/// Bytes in, Report out.
pub fn analyze(
    bytes: &[u8],
    options: &AnalyzeOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, Error> {
    progress(Progress {
        stage: "reading",
        fraction: 0.0,
    });
    let (tx, quality) = ingest::read(bytes, &options.ingest)?;
    progress(Progress {
        stage: "summarizing",
        fraction: 0.5,
    });
    let cust: Customers = customers::summarize(&tx, options.as_of)?;
    progress(Progress {
        stage: "done",
        fraction: 1.0,
    });
    Ok(Report {
        quality,
        as_of: cust.as_of,
        customers: cust.len(),
    })
}
