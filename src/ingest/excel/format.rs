//! Which kind of workbook some bytes are, from their first bytes alone: shared by the workbook
//! reader (`excel.rs`) and by the text-only build's stand-in (`absent.rs`), which must still
//! tell a workbook from text to say that it needs the workbook build.

/// Which kind of workbook some bytes are, told by their magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookFormat {
    /// Office Open XML (zip with `xl/workbook.xml`): .xlsx, .xlsm.
    Xlsx,
    /// Excel binary workbook (zip with `xl/workbook.bin`).
    Xlsb,
    /// Legacy Excel 97-2003 (OLE compound file), or an encrypted .xlsx (also OLE).
    Xls,
    /// OpenDocument spreadsheet (zip with `content.xml`).
    Ods,
}

/// Tells a workbook from other bytes: `PK\x03\x04` zip holding `xl/` parts → xlsx / xlsb,
/// zip holding `content.xml` → ods, OLE `D0 CF 11 E0` → xls. `None` for anything else
/// (text tables, other zips).
///
/// ```
/// use clientele::ingest::{detect_workbook, WorkbookFormat};
/// assert_eq!(detect_workbook(b"customer,date\n"), None);
/// assert_eq!(detect_workbook(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), Some(WorkbookFormat::Xls));
/// ```
pub fn detect_workbook(bytes: &[u8]) -> Option<WorkbookFormat> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Some(WorkbookFormat::Xls);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    // Part names are stored as plain bytes in the local headers and the central directory.
    let has = |name: &[u8]| memchr::memmem::find(bytes, name).is_some();
    if has(b"xl/workbook.bin") {
        Some(WorkbookFormat::Xlsb)
    } else if has(b"xl/") {
        Some(WorkbookFormat::Xlsx)
    } else if has(b"content.xml") {
        Some(WorkbookFormat::Ods)
    } else {
        None
    }
}
