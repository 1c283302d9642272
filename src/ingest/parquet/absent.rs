//! The Parquet reader's stand-in in a build without the `parquet` feature (the page's first
//! wasm, scripts/lib.sh build_site): it still recognises a Parquet file, and answers it with the
//! error kind `WorkbookCoreNeeded`, on which the page loads its second core (the build with the
//! workbook and Parquet readers) and reads the file again. Mirrors the part of `parquet.rs`'s
//! API the reader uses.

use super::{IngestError, IngestErrorKind};
use std::convert::Infallible;

/// A Parquet file starts (and ends) with these four bytes.
pub fn is_parquet(prefix: &[u8]) -> bool {
    prefix.starts_with(b"PAR1")
}

/// Never constructed in this build (see [`ParquetCsv::open`]).
pub struct ParquetCsv {
    pub description: String,
    pub warnings: Vec<crate::warning::Warning>,
    never: Infallible,
}

impl ParquetCsv {
    /// Always the error that asks for the build with Parquet.
    pub fn open(_bytes: Vec<u8>, file: Option<&str>) -> Result<ParquetCsv, IngestError> {
        Err(IngestError {
            file: file.map(String::from),
            row: None,
            column: None,
            message: "this is a Parquet file, and this build of Clientele reads text tables only (it was built \
                      without the `parquet` feature): the page loads Parquet support by itself; elsewhere use \
                      the build with it, or export the table as CSV."
                .into(),
            kind: IngestErrorKind::WorkbookCoreNeeded,
        })
    }
}

impl std::io::Read for ParquetCsv {
    fn read(&mut self, _out: &mut [u8]) -> std::io::Result<usize> {
        match self.never {}
    }
}
