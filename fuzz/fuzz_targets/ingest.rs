//! The whole ingest entry point: arbitrary bytes and options (chosen by the first two bytes)
//! → Transactions + QualityReport or a located error; never a panic, and the row accounting
//! always balances.
#![no_main]
use clientele::ingest::{read, IngestOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else { return };
    let options = IngestOptions {
        has_header: [None, Some(true), Some(false)][usize::from(a % 3)],
        delimiter: [None, Some(","), Some(";"), Some("\t"), Some("|"), Some("whitespace")]
            [usize::from((a / 3) % 6)]
        .map(String::from),
        date_order: [None, Some("dmy"), Some("mdy")][usize::from((a / 18) % 3)].map(String::from),
        encoding: [None, Some("utf-8"), Some("gbk"), Some("utf-16le"), Some("windows-1252")]
            [usize::from(b % 5)]
        .map(String::from),
        ..Default::default()
    };
    if let Ok((tx, quality)) = read(rest, &options) {
        let skipped: u64 = quality.skipped.iter().map(|s| s.rows).sum();
        assert_eq!(quality.rows_used + skipped, quality.rows_read, "rows used + skipped = read");
        assert_eq!(tx.customer.len(), tx.day.len());
        assert_eq!(tx.customer.len(), tx.amount.len());
    }
});
