//! Damaged workbooks (the fixtures with bytes flipped, cut short, or junk behind the magic
//! bytes) give an error or some rows, never a panic out of `read_workbook`. Natively a panic
//! inside calamine is caught there (one was found this way: cfb.rs:320 on a cut-short .xls);
//! in wasm it would abort, so cut-short OLE files are refused before calamine sees them, and
//! every .xls container is checked by the `cfb` crate first: fuzzing found a .xls whose FAT
//! claims more sectors than the file has, on which calamine grew a buffer past 24 GB. The
//! files the fuzzer found are in `tests/workbook_findings.rs`, which also runs in the browser.

use clientele::ingest::read_workbook;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

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
