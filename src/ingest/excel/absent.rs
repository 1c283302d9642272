//! The workbook reader's stand-in in a build without the `workbook` feature (the page's first
//! wasm, scripts/lib.sh build_site): it still tells a workbook from text, and answers one with
//! the error kind `WorkbookCoreNeeded`, on which the page loads the build that has calamine and
//! reads the file again. Mirrors the part of `excel.rs`'s API the reader uses; a `Sheet` is
//! never made here.

use super::{IngestError, IngestErrorKind};
use std::convert::Infallible;

mod format;
pub use format::{detect_workbook, WorkbookFormat};

/// Never constructed in this build (see [`read_workbook_named`]).
#[derive(Debug, Clone)]
pub struct Sheet {
    pub names: Vec<String>,
    pub chosen: String,
    pub error_cells: u64,
    never: Infallible,
}

impl Sheet {
    pub fn csv_reader(&self) -> std::io::Empty {
        match self.never {}
    }
}

/// Always the error that asks for the workbook build.
pub fn read_workbook_named(
    _bytes: &[u8],
    _sheet: Option<&str>,
    file: Option<&str>,
) -> Result<Sheet, IngestError> {
    Err(IngestError {
        file: file.map(String::from),
        row: None,
        column: None,
        message: "this is a workbook, and this build of Clientele reads text tables only (it was built \
                  without the `workbook` feature): the page loads workbook support by itself; \
                  elsewhere use the workbook build, or save the sheet as CSV."
            .into(),
        kind: IngestErrorKind::WorkbookCoreNeeded,
    })
}
