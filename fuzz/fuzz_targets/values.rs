//! The value parsers (dates and amounts) on arbitrary text: never a panic; a parsed amount
//! is finite, and a parsed date resolves to a real calendar day either way round.
#![no_main]
use clientele::ingest::{parse_amount, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(x) = parse_amount(text) {
        assert!(x.is_finite(), "{text:?} parsed to {x}");
    }
    if let Some(d) = parse_date(text) {
        let _ = d.resolve(true);
        let _ = d.resolve(false);
    }
});
