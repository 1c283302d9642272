//! The whole ingest entry point: arbitrary bytes and options (chosen by the first two bytes)
//! → Transactions or a customer-level table + QualityReport, or a located error; never a
//! panic outside calamine (see `clientele::ingest::quiet_calamine_panics`), and the row accounting always
//! balances.
#![no_main]
use clientele::ingest::{read_table_from, DateOrder, Delimiter, IngestOptions, Table, TableKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // calamine's panics are caught and reported as damaged workbooks, not findings.
    clientele::ingest::quiet_calamine_panics();
    let [a, b, rest @ ..] = data else { return };
    let options = IngestOptions {
        has_header: [None, Some(true), Some(false)][usize::from(a % 3)],
        delimiter: [
            None,
            Some(Delimiter::Byte(b',')),
            Some(Delimiter::Byte(b';')),
            Some(Delimiter::Byte(b'\t')),
            Some(Delimiter::Byte(b'|')),
            Some(Delimiter::Whitespace),
        ][usize::from((a / 3) % 6)],
        date_order: [None, Some(DateOrder::Dmy), Some(DateOrder::Mdy)][usize::from((a / 18) % 3)],
        encoding: [
            None,
            Some("utf-8"),
            Some("gbk"),
            Some("utf-16le"),
            Some("windows-1252"),
        ][usize::from(b % 5)]
        .map(String::from),
        table: [
            None,
            None,
            Some(TableKind::Transactions),
            Some(TableKind::Customers),
        ][usize::from((b / 5) % 4)],
        keep_zero_amount: b & 0x80 != 0,
        ..Default::default()
    };
    let balanced = |q: &clientele::ingest::QualityReport| {
        let skipped: u64 = q.skipped.iter().map(|s| s.rows).sum();
        assert_eq!(q.rows_used + skipped, q.rows_read, "rows used + skipped = read");
    };
    match read_table_from(rest, Some(rest.len() as u64), &options, &mut |_| true) {
        Ok((Table::Transactions(tx), quality)) => {
            balanced(&quality);
            assert_eq!(tx.customer.len(), tx.day.len());
            assert_eq!(tx.customer.len(), tx.amount.len());
        }
        Ok((Table::Customers(level), quality)) => {
            if let Ok((customers, quality)) = clientele::customers::from_level(level, None, quality) {
                balanced(&quality);
                assert_eq!(customers.len() as u64, quality.rows_used);
                assert!(customers.recency_days.iter().all(|&r| r >= 1));
                assert!(customers
                    .tenure_days
                    .iter()
                    .zip(&customers.recency_days)
                    .all(|(t, r)| t >= r));
            }
        }
        Ok((Table::Summary(summary), quality)) => {
            assert_eq!(summary.id.len(), summary.rows.len());
            assert_eq!(quality.rows_used, summary.len() as u64);
        }
        Err(_) => {}
    }
});
