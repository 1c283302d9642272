//! The whole entry point: arbitrary bytes (and options chosen by the first byte) must give a
//! Report or a located error, never a panic.
#![no_main]
use clientele::report::{analyze, AnalyzeOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut options = AnalyzeOptions::default();
    if let Some((&first, rest)) = data.split_first() {
        options.ingest.has_header = match first % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        options.ingest.delimiter = match (first / 3) % 6 {
            1 => Some(",".into()),
            2 => Some(";".into()),
            3 => Some("\t".into()),
            4 => Some("whitespace".into()),
            _ => None,
        };
        let _ = analyze(rest, &options, &mut |_| {});
    }
});
