//! Damaged workbooks (the fixtures with bytes flipped, cut short, or junk behind the magic
//! bytes) give an error or some rows, never a panic out of `read_workbook`. Natively a panic
//! inside calamine is caught there (one was found this way: cfb.rs:320 on a cut-short .xls);
//! in wasm it would abort, so cut-short OLE files are refused before calamine sees them, and
//! every .xls container is checked by the `cfb` crate first: fuzzing found a .xls whose FAT
//! claims more sectors than the file has, on which calamine grew a buffer past 24 GB.

use calamine::{Reader, Xlsb};
use clientele::ingest::read_workbook;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::io::Cursor;

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/excel")
        .join(name);
    std::fs::read(path).expect("fixture")
}

fn exercise(bytes: &[u8]) {
    if let Ok(sheet) = read_workbook(bytes, None) {
        let mut csv = Vec::new();
        std::io::Read::read_to_end(&mut sheet.csv_reader(), &mut csv).unwrap();
    }
}

/// Found by `cargo fuzz run ingest` (an OOM at the 2 GB limit): `fuzz_fat_overflow.xls`.
#[test]
fn a_broken_xls_container_is_an_error_not_unbounded_memory() {
    let bytes = fixture("fuzz_fat_overflow.xls");
    let e = read_workbook(&bytes, None).unwrap_err();
    assert!(e.message.contains("container is broken"), "{}", e.message);
    let e = clientele::ingest::read(&bytes, &Default::default()).unwrap_err();
    assert!(
        e.message.starts_with("the workbook could not be read"),
        "{}",
        e.message
    );
}

/// Found by `cargo fuzz run ingest` (a 1.3 TB allocation): a DIMENSIONS record claiming
/// 4 billion rows, which calamine reserves before reading a cell.
#[test]
fn a_sheet_claiming_billions_of_rows_is_an_error() {
    let e = read_workbook(&fixture("fuzz_dimensions.xls"), None).unwrap_err();
    assert!(e.message.contains("4211081317 rows"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a panic in calamine xls.rs:633, an abort in wasm): a
/// sheet entry pointing past the end of the workbook stream.
#[test]
fn a_sheet_entry_past_the_stream_is_an_error_not_a_panic() {
    // The message is the pre-check's: calamine (whose panic would be caught natively and
    // reported as "damaged") is never reached.
    let e = read_workbook(&fixture("fuzz_sheet_offset.xls"), None).unwrap_err();
    assert!(
        e.message.contains("a sheet entry points at byte"),
        "{}",
        e.message
    );
}

/// Found by `cargo fuzz run ingest` (a panic in calamine utils.rs:48 via parse_merge_cells): a
/// MERGECELLS record shorter than its count says.
#[test]
fn a_short_record_is_an_error_not_a_panic() {
    let e = read_workbook(&fixture("fuzz_merge_cells.xls"), None).unwrap_err();
    assert!(e.message.contains("merged cells record at byte"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a 13.9 TB allocation): a sheet entry pointing into the
/// middle of a record, so that calamine reads, from there, a DIMENSIONS record that a walk
/// from the start of the stream never meets. Each sheet is checked from where calamine starts it.
#[test]
fn a_sheet_starting_inside_a_record_is_checked_from_there() {
    let e = read_workbook(&fixture("fuzz_misaligned_sheet.xls"), None).unwrap_err();
    assert!(e.message.contains("4294967199 rows"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a 2.9 TB allocation): a sheet with two DIMENSIONS
/// records, a huge one before a plausible one. calamine reserves at each; the largest counts.
#[test]
fn every_dimensions_record_of_a_sheet_counts() {
    let e = read_workbook(&fixture("fuzz_two_dimensions.xls"), None).unwrap_err();
    assert!(e.message.contains("4294967230 rows"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a panic in calamine's read_rich_extended_string): a
/// shared string whose run count is cut off at the end of the SST record.
#[test]
fn a_damaged_shared_string_table_is_an_error_not_a_panic() {
    let e = read_workbook(&fixture("fuzz_sst.xls"), None).unwrap_err();
    assert!(e.message.contains("shared-string table"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a 1.5 TB allocation): the Workbook stream's directory
/// name carries NULs (a damaged name length). calamine still finds it, so the checks must too.
#[test]
fn a_workbook_stream_under_a_damaged_name_is_still_checked() {
    let e = read_workbook(&fixture("fuzz_stream_name.xls"), None).unwrap_err();
    assert!(e.message.contains("4294967238 rows"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (3.3 GB RSS before the stream-name fix above): the same
/// damaged name hid a sheet whose 669 cells claim 32,801 rows × 2,048 columns, which calamine
/// fills densely. It is refused with the span it claims.
#[test]
fn a_sparse_sheet_under_a_damaged_name_is_refused_with_its_span() {
    let e = read_workbook(&fixture("fuzz_sparse_sheet.xls"), None).unwrap_err();
    assert!(e.message.contains("669 cells"), "{}", e.message);
    assert!(e.message.contains("A1:BZT32801"), "{}", e.message);
}

/// Found by `cargo fuzz run ingest` (a panic at calamine's cfb.rs:320): an unused entry of the
/// header's FAT-sector list names the sector just past the end of the file. The `cfb` crate
/// reads only the entries the header counts; calamine reads all 109.
#[test]
fn a_fat_sector_past_the_end_is_an_error_not_a_panic() {
    let bytes = fixture("fuzz_fat_list.xls");
    let calamine_alone = std::panic::catch_unwind(|| calamine::Xls::new(Cursor::new(&bytes[..])).map(|_| ()));
    assert!(calamine_alone.is_err(), "calamine no longer panics on it");
    let e = read_workbook(&bytes, None).unwrap_err();
    assert!(
        e.message
            .contains("names sector 43 as part of the FAT, past the end of the file (42 sectors)"),
        "{}",
        e.message
    );
}

/// Whether calamine's own xlsb reader panics on `bytes` (opening it, then every sheet), so a
/// fixture is known to reach a real calamine bug; when an upgrade fixes one, this says so.
fn calamine_xlsb_panics(bytes: &[u8]) -> bool {
    std::panic::catch_unwind(|| {
        let mut book = Xlsb::new(Cursor::new(bytes))?;
        for name in book.sheet_names() {
            book.worksheet_range(&name)?;
        }
        Ok::<_, calamine::XlsbError>(())
    })
    .is_err()
}

/// Found by `cargo fuzz run ingest` (a panic in calamine's xlsb read_workbook, `map[key]`), and
/// the same kind of damage at every other place where calamine 0.38 indexes .xlsb records
/// without a check (`make_damaged_xlsb.py`): each is a located error, and calamine alone panics.
#[test]
fn damaged_xlsb_records_are_errors_not_panics() {
    for (name, expected) in [
        (
            "fuzz_xlsb_relationship.xlsb",
            "names relationship \"rId1\", which xl/_rels/workbook.bin.rels does not hold",
        ),
        (
            "xlsb_short_sheet_entry.xlsb",
            "xl/workbook.bin: a sheet entry is 8 bytes, shorter than its 12-byte header",
        ),
        (
            "xlsb_short_dimensions.xlsb",
            "xl/worksheets/sheet1.bin: the sheet's dimensions record",
        ),
        (
            "xlsb_shared_string_index.xlsb",
            "uses shared text number 7, but the workbook holds 1",
        ),
        (
            "xlsb_name_sheet_index.xlsb",
            "defined name 1 has a damaged formula (it refers to external sheet 3 of 0)",
        ),
    ] {
        let bytes = fixture(name);
        assert!(
            calamine_xlsb_panics(&bytes),
            "{name}: calamine no longer panics on it"
        );
        let e = read_workbook(&bytes, None).unwrap_err();
        assert!(e.message.contains(expected), "{name}: {}", e.message);
        assert!(e.message.contains("damaged"), "{name}: {}", e.message);
    }
}

/// A defined name nesting 20,000 formulas: calamine recurses once per level (past a 1 MB wasm
/// stack), so it is never handed the file; the walk itself stops at 64 levels, as Excel does.
#[test]
fn a_formula_nested_past_excel_limits_is_refused_before_calamine_recurses() {
    let e = read_workbook(&fixture("xlsb_deep_formula.xlsb"), None).unwrap_err();
    assert!(e.message.contains("nested more than 64 deep"), "{}", e.message);
}

/// One stray cell at XFD1048576 beside a small table: calamine's dense range would be 17
/// billion cells. The error names the span and what to do.
#[test]
fn a_stray_cell_far_from_the_table_is_an_error_not_an_abort() {
    let e = read_workbook(&fixture("stray_cell.xlsx"), None).unwrap_err();
    assert!(e.message.contains("A1:XFD1048576"), "{}", e.message);
    assert!(e.message.contains("delete the stray cells"), "{}", e.message);
}

#[test]
fn damaged_workbooks_never_panic() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    for name in [
        "two_sheets.xlsx",
        "chinese.xlsx",
        "retail.ods",
        "retail.xls",
        "retail.xlsb",
        "offset.xlsx",
    ] {
        let good = fixture(name);
        for _ in 0..40 {
            let mut bytes = good.clone();
            for _ in 0..rng.gen_range(1..8) {
                let i = rng.gen_range(0..bytes.len());
                bytes[i] = rng.gen();
            }
            exercise(&bytes);
            let cut = rng.gen_range(0..good.len());
            exercise(&good[..cut]);
        }
    }
    for prefix in [
        &b"PK\x03\x04xl/"[..],
        &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
        b"PK\x03\x04content.xml",
    ] {
        for _ in 0..60 {
            let mut bytes = prefix.to_vec();
            let n = rng.gen_range(0..2048);
            bytes.extend((0..n).map(|_| rng.gen::<u8>()));
            exercise(&bytes);
        }
    }
}
