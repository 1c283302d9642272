//! Every workbook on which calamine 0.38 panics, recurses without end or allocates without
//! bound, found by `cargo fuzz run ingest` (`fuzz_*`) or by reading calamine for the same kind
//! of bug: each must be a located error out of `read_workbook`.
//!
//! - What would exhaust memory or the stack (`Aborts`, `Bound`) is refused before calamine sees it, on
//!   every target, natively and in headless Chromium: the container check and the area, cell
//!   and text bounds in `src/ingest/excel.rs` and `excel/bounds.rs`, and the .xlsb formula depth
//!   in `excel/xlsb_check.rs`.
//! - What only makes calamine panic (`Panics`: an index past a short record) is left to it: natively
//!   `catch_unwind` makes it "the workbook is damaged: …", naming the file and the sheet. In
//!   wasm (panic = abort) the same panic is a trap of the page's worker, which `www/worker.js`
//!   reports as a damaged file ("The analysis engine stopped on this file …", kind `crash`)
//!   before the page starts a fresh worker; a trap cannot be caught inside a wasm-bindgen
//!   test, so these fixtures are read natively only.
//!
//! Fixtures in `tests/fixtures/excel/` (`make_damaged_xlsb.py` makes the `xlsb_*` ones).
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use clientele::ingest::read_workbook;

struct Finding {
    file: &'static str,
    bytes: &'static [u8],
    /// What calamine alone does with it (read by the native-only test).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    calamine: Calamine,
    /// Text the error must hold.
    needles: &'static [&'static str],
}

#[derive(PartialEq)]
enum Calamine {
    /// Panics: caught natively (checked below, so a calamine upgrade that fixes it is noticed);
    /// a trap in wasm, so not read in the browser.
    Panics,
    /// Allocates terabytes, or recurses past the stack: refused before calamine reads it.
    Aborts,
    /// Reads it correctly given the memory (natively, 10 M shared strings fit in 1 GiB), but
    /// past what the page can hold in wasm: refused before calamine reads it, the bound being
    /// the page's budget rather than a calamine bug.
    Bound,
}

/// The error natively for a panic in calamine.
const DAMAGED: &[&str] = &["the workbook is damaged: "];

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("fixtures/excel/", $name)).as_slice(),
        )
    };
}

/// The workbooks of the malformed corpus that expand to gigabytes.
macro_rules! corpus {
    ($name:literal) => {
        ($name, include_bytes!(concat!("malformed/", $name)).as_slice())
    };
}

fn finding(
    (file, bytes): (&'static str, &'static [u8]),
    calamine: Calamine,
    needles: &'static [&'static str],
) -> Finding {
    Finding {
        file,
        bytes,
        calamine,
        needles,
    }
}

fn findings() -> Vec<Finding> {
    use Calamine::*;
    vec![
        // A FAT claiming more sectors than the file, a chain pointing back on itself: calamine
        // grew a buffer past 24 GB.
        finding(
            fixture!("fuzz_fat_overflow.xls"),
            Aborts,
            &["container is broken"],
        ),
        // A DIMENSIONS record of 4 billion rows: calamine reserves 1.3 TB before any cell.
        finding(fixture!("fuzz_dimensions.xls"), Aborts, &["4211081317 rows"]),
        // A sheet entry past the end of the workbook stream: a panic at xls.rs:633.
        finding(fixture!("fuzz_sheet_offset.xls"), Panics, DAMAGED),
        // A MERGECELLS record shorter than its count: a panic at utils.rs:48.
        finding(fixture!("fuzz_merge_cells.xls"), Panics, DAMAGED),
        // A sheet entry pointing inside a record, where calamine then reads a DIMENSIONS record
        // of 4 billion rows that a walk from the stream's start never meets (13.9 TB).
        finding(
            fixture!("fuzz_misaligned_sheet.xls"),
            Aborts,
            &["4294967199 rows"],
        ),
        // A huge DIMENSIONS record before a plausible one: calamine reserves at each (2.9 TB).
        finding(fixture!("fuzz_two_dimensions.xls"), Aborts, &["4294967230 rows"]),
        // A shared string cut short in the SST: a panic in read_rich_extended_string.
        finding(fixture!("fuzz_sst.xls"), Panics, DAMAGED),
        // The Workbook stream's directory name followed by NULs: calamine still finds it, and
        // reserved 1.5 TB for its DIMENSIONS.
        finding(fixture!("fuzz_stream_name.xls"), Aborts, &["4294967238 rows"]),
        // The same damaged name over 669 cells claiming 32,801 × 2,048: 3.3 GB, filled densely.
        finding(
            fixture!("fuzz_sparse_sheet.xls"),
            Aborts,
            &["669 cells", "A1:BZT32801"],
        ),
        // An unused slot of the header's FAT-sector list names the sector just past the file:
        // the `cfb` crate reads only the slots the header counts, calamine all 109 (cfb.rs:320).
        finding(fixture!("fuzz_fat_list.xls"), Panics, DAMAGED),
        // .xlsb whose workbook relationships part lost its name: `map[key]` in read_workbook.
        finding(fixture!("fuzz_xlsb_relationship.xlsb"), Panics, DAMAGED),
        // The other places calamine's .xlsb reader indexes without a check.
        finding(fixture!("xlsb_short_sheet_entry.xlsb"), Panics, DAMAGED),
        finding(fixture!("xlsb_short_dimensions.xlsb"), Panics, DAMAGED),
        finding(fixture!("xlsb_shared_string_index.xlsb"), Panics, DAMAGED),
        finding(fixture!("xlsb_name_sheet_index.xlsb"), Panics, DAMAGED),
        // A defined name nesting 20,000 formulas: calamine recurses once per level, past a
        // 1 MB stack; the walk stops at 64 levels, as Excel does.
        finding(
            fixture!("xlsb_deep_formula.xlsb"),
            Aborts,
            &["nested more than 64 deep"],
        ),
        // One stray cell at XFD1048576 beside a small table: `worksheet_range` would allocate
        // 17 billion cells. The error names the span and what to do.
        finding(
            fixture!("stray_cell.xlsx"),
            Aborts,
            &["A1:XFD1048576", "delete the stray cells"],
        ),
        // Tiny workbooks that expand to gigabytes (issue 12, finding 3): each made the page
        // allocate 1.9-3.3 GB and abort ("capacity overflow"). Refused before calamine
        // expands them, under the bounds of `clientele::ingest::MAX_SHEET_CELLS` and friends.
        // An 802-byte .ods: one row repeated 1,048,576 times over 95 columns (99.6 M cells).
        finding(
            corpus!("50_bomb_repeated.ods"),
            Aborts,
            &[
                "\"Orders\" expands to more than 8,388,608 cells by row 1",
                "1,048,576 rows × 95 columns",
                "save the sheet as CSV",
            ],
        ),
        // A 778-byte .ods whose one cell holds `<text:s text:c="2000000000"/>`: calamine writes
        // out two billion spaces one by one (42 s and 5.9 GB before it aborted).
        finding(
            corpus!("55_bomb_spaces.ods"),
            Aborts,
            &["\"Orders\" expands to more than 128 MB of text by row 1"],
        ),
        // 10 M one-digit cells in 0.3 MB: they were all collected before the area was checked.
        finding(
            corpus!("51_bomb_many_cells.xlsx"),
            Aborts,
            &["more than 8,388,608 cells"],
        ),
        // uniqueCount="4000000000": calamine reserves 96 GB.
        finding(
            corpus!("52_bomb_unique_count.xlsx"),
            Aborts,
            &["declares 4,000,000,000 shared texts (uniqueCount)"],
        ),
        // The same count behind a `>` inside the sst tag's quoted xmlns value (found by the
        // `ingest` fuzzer): the byte scan ended the tag there and never saw uniqueCount.
        finding(
            corpus!("56_fuzz_quoted_gt_unique_count.xlsx"),
            Aborts,
            &["declares 4,000,000,000 shared texts (uniqueCount)"],
        ),
        // 10 M shared strings.
        finding(
            corpus!("53_bomb_shared_strings.xlsx"),
            Bound,
            &["more than 8,388,608 shared texts"],
        ),
        // One 1 MB shared string in 10,000 cells: a copy in each (10 GB).
        finding(
            corpus!("54_bomb_shared_clone.xlsx"),
            Aborts,
            &["in the sheet \"Orders\"", "more than 128 MB of text by cell A135"],
        ),
    ]
}

/// The findings this target reads: all natively, the ones refused before calamine in wasm (see the top).
fn readable_here() -> impl Iterator<Item = Finding> {
    findings()
        .into_iter()
        .filter(|f| cfg!(not(target_arch = "wasm32")) || f.calamine != Calamine::Panics)
}

#[test]
fn every_finding_is_a_located_error() {
    for f in readable_here() {
        let e = read_workbook(f.bytes, None).unwrap_err();
        for needle in f.needles {
            assert!(e.message.contains(needle), "{}: {}", f.file, e.message);
        }
    }
}

/// Through the whole entry point too: the error is the workbook's, not a text-sniffing one.
/// (The two that take seconds to measure, 10 M cells and 10 M shared strings, go through the
/// entry point in `tests/malformed_corpus.rs`; twice in one test would outlast the browser
/// driver's 20-second wait in Chromium.)
#[test]
fn the_entry_point_reports_them_as_unreadable_workbooks() {
    for f in readable_here().filter(|f| f.bytes.len() < 100_000) {
        let e = clientele::ingest::read(f.bytes, &Default::default()).unwrap_err();
        assert!(
            e.message.contains("workbook") || e.message.contains("sheet"),
            "{}: {}",
            f.file,
            e.message
        );
    }
}

/// Each `Panics` fixture still reaches a real calamine bug: calamine alone, opening the file
/// and reading every sheet, panics. When an upgrade fixes one, this fails, and the pre-check
/// for it can go.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn calamine_alone_still_panics_on_them() {
    use calamine::{open_workbook_auto_from_rs, Reader};
    use std::io::Cursor;
    for f in findings().into_iter().filter(|f| f.calamine == Calamine::Panics) {
        let outcome = std::panic::catch_unwind(|| {
            let mut book = open_workbook_auto_from_rs(Cursor::new(f.bytes))?;
            for name in book.sheet_names() {
                book.worksheet_range(&name)?;
            }
            Ok::<_, calamine::Error>(())
        });
        assert!(outcome.is_err(), "{}: calamine no longer panics on it", f.file);
    }
}

/// Natively, each `Panics` fixture is calamine's panic caught: "the workbook is damaged: …",
/// with the file named (and the sheet, when calamine panicked reading one).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn caught_panics_name_the_file() {
    for f in findings().into_iter().filter(|f| f.calamine == Calamine::Panics) {
        let e = clientele::ingest::read_workbook_named(f.bytes, None, Some(f.file)).unwrap_err();
        assert_eq!(e.file.as_deref(), Some(f.file));
        assert!(
            e.message.starts_with("the workbook is damaged: ") && e.message.contains("save the sheet as CSV"),
            "{}: {}",
            f.file,
            e.message
        );
    }
}

/// The page's memory budget (as `fuzz/fuzz_targets/ingest_peak.rs`): what calamine alone may
/// reserve reading a fixture before it counts as exhausting memory.
#[cfg(all(unix, not(target_arch = "wasm32")))]
const BUDGET_KIB: u64 = 1 << 20;

/// Each `Aborts` fixture still makes calamine alone exhaust memory or the stack: read in a
/// child process (this test binary, [`calamine_alone_in_a_child`]) under a 1 GiB address-space
/// limit (`ulimit -v`), on a thread with a 1 MiB stack, calamine must die on it (a failed
/// allocation or a stack overflow aborts). The day a calamine upgrade reads one within those
/// limits, the child exits cleanly and this fails: the refusal before calamine may then go
/// (for the area, cell and text bounds, only if the page's own budget still holds).
#[cfg(all(unix, not(target_arch = "wasm32")))]
#[test]
fn calamine_alone_still_exhausts_memory_or_stack_on_them() {
    let exe = std::env::current_exe().unwrap();
    for f in findings().into_iter().filter(|f| f.calamine == Calamine::Aborts) {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {BUDGET_KIB}; exec \"$0\" \"$@\""))
            .arg(&exe)
            .args([
                "--exact",
                "calamine_alone_in_a_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("WORKBOOK_FINDING", f.file)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            (!out.status.success() || stdout.contains("calamine panicked"))
                && !stdout.contains("calamine coped"),
            "{}: calamine alone now reads it within 1 GiB and a 1 MiB stack ({})",
            f.file,
            stdout
                .lines()
                .find(|l| l.contains("calamine coped"))
                .unwrap_or("")
        );
    }
}

/// The child of [`calamine_alone_still_exhausts_memory_or_stack_on_them`]: does nothing unless
/// `WORKBOOK_FINDING` names a fixture, then reads it with calamine alone and, if calamine
/// comes back with a value or an error, says so.
#[cfg(all(unix, not(target_arch = "wasm32")))]
#[test]
fn calamine_alone_in_a_child() {
    use calamine::{open_workbook_auto_from_rs, Reader};
    use std::io::Cursor;
    let Ok(name) = std::env::var("WORKBOOK_FINDING") else {
        return;
    };
    let f = findings().into_iter().find(|f| f.file == name).unwrap();
    let outcome = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let mut book = open_workbook_auto_from_rs(Cursor::new(f.bytes))?;
            for name in book.sheet_names() {
                book.worksheet_range(&name)?;
            }
            Ok::<_, calamine::Error>(())
        })
        .unwrap()
        .join();
    // A panic is no cure: in this test profile (overflow checks on) calamine's size
    // arithmetic can panic where the release build (the CLI, the page) wraps and reserves
    // terabytes (fuzz_misaligned_sheet.xls).
    match outcome {
        Ok(Ok(())) => println!("calamine coped: read it"),
        Ok(Err(e)) => println!("calamine coped: refused it ({e})"),
        Err(_) => println!("calamine panicked"),
    }
}
