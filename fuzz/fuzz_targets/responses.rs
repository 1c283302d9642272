//! The response-file reader and the read-back on arbitrary bytes: never a panic. A file read
//! accounts for every row (used + skipped = read), every used row has an id, and the read-back
//! either gives finite rates in [0, 1] or a located error (no group: an error that says so).
#![no_main]
use clientele::ingest::{read_responses, ResponseOptions};
use clientele::readback::{readback, ReadbackParams};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    // A response workbook's calamine panics are caught and reported as damaged workbooks, not
    // findings (as in the ingest target).
    clientele::ingest::quiet_calamine_panics();
    let options = ResponseOptions {
        file_name: Some("responses.csv".into()),
        ..Default::default()
    };
    let Ok((rows, quality)) = read_responses(bytes, &options) else {
        return;
    };
    let skipped: u64 = quality.skipped.iter().map(|s| s.rows).sum();
    assert_eq!(quality.rows_used + skipped, quality.rows_read);
    assert_eq!(rows.customer.len() as u64, quality.rows_used);
    assert!(rows.customer.iter().all(|c| !c.is_empty()));
    if let Ok(r) = readback(&rows, quality, None, &ReadbackParams::default()) {
        for g in [&r.target, &r.holdout] {
            assert!(g.rate.is_none_or(|p| (0.0..=1.0).contains(&p)));
        }
        if let Some(p) = r.conversion.p_value {
            assert!((0.0..=1.0).contains(&p), "p = {p}");
        }
    }
});
