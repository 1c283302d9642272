//! Parquet in (issue 19): arbitrary bytes (the seeds are small valid Parquet files: transactions
//! with dates, timestamps, decimals and dictionary strings, and a per-customer summary) through
//! the whole entry point → a table + QualityReport, or a located error; never a panic, and the
//! row accounting always balances.
#![no_main]
use clientele::ingest::{read_table_from, IngestOptions, Table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = IngestOptions {
        file_name: Some("fuzz.parquet".into()),
        ..Default::default()
    };
    match read_table_from(data, Some(data.len() as u64), &options, &mut |_| true) {
        Ok((Table::Transactions(tx), q)) => {
            let skipped: u64 = q.skipped.iter().map(|s| s.rows).sum();
            assert_eq!(q.rows_used + skipped, q.rows_read);
            assert_eq!(tx.customer.len(), tx.day.len());
        }
        Ok((Table::Summary(s), q)) => {
            assert_eq!(s.id.len(), s.rows.len());
            assert_eq!(q.rows_used, s.len() as u64);
        }
        Ok((Table::Customers(_), _)) | Err(_) => {}
    }
});
