//! Reading in chunks (issue 14, "parallel"): for real files, the export and malformed corpora
//! and generated files with quotes spanning lines, CRLF, a byte-order mark, duplicates and
//! skipped rows on both sides of a cut, the chunked read gives exactly what one pass gives —
//! the same `Transactions` and `QualityReport` (so the same Report bytes, checked too), the
//! same error when there is one — whatever the cuts, including cuts inside quoted fields.
mod common;

use clientele::ingest::{read_table_at, read_table_from, IngestOptions, QualityReport, Table, Transactions};
use clientele::report::{analyze, read_source_and_analyze, AnalyzeOptions, RunError};
use proptest::prelude::*;

type Read = Result<(Table, QualityReport), clientele::ingest::IngestError>;

fn one_pass(bytes: &[u8], options: &IngestOptions) -> Read {
    read_table_from(bytes, Some(bytes.len() as u64), options, &mut |_| true)
}

/// Reads at `seams`; asserts the result is the one-pass one; returns the chunks merged.
fn same_at(bytes: &[u8], seams: &[u64], options: &IngestOptions, want: &Read) -> usize {
    let got = read_table_at(&bytes, seams, options, &mut |_| true);
    let (got, chunks) = match got {
        Ok((t, q, n)) => (Ok((t, q)), n),
        Err(e) => (Err(e), 1),
    };
    match (&got, want) {
        (Ok((Table::Transactions(a), qa)), Ok((Table::Transactions(b), qb))) => {
            assert_same_transactions(a, b, seams);
            assert_eq!(qa, qb, "quality report at seams {seams:?}");
        }
        (Ok((_, qa)), Ok((_, qb))) => {
            // Customer-level tables and summaries are read in one pass (their Debug text holds
            // a HashSet, in no fixed order).
            assert_eq!(chunks, 1, "seams {seams:?}");
            assert_eq!(qa, qb, "quality report at seams {seams:?}");
        }
        _ => assert_eq!(format!("{got:?}"), format!("{want:?}"), "seams {seams:?}"),
    }
    chunks
}

fn assert_same_transactions(a: &Transactions, b: &Transactions, seams: &[u64]) {
    // Field by field, so a failure says which.
    assert_eq!(a.customer_ids, b.customer_ids, "customer ids at seams {seams:?}");
    assert_eq!(a.customer, b.customer, "customers at seams {seams:?}");
    assert_eq!(a.day, b.day, "days at seams {seams:?}");
    assert_eq!(
        a.amount.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        b.amount.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        "amounts at seams {seams:?}"
    );
    assert_eq!(a.order, b.order, "orders at seams {seams:?}");
    assert_eq!(a.product_names, b.product_names, "products at seams {seams:?}");
    assert_eq!(
        a.product_labels, b.product_labels,
        "product names at seams {seams:?}"
    );
    assert_eq!(a, b, "transactions at seams {seams:?}");
}

fn options(name: &str) -> IngestOptions {
    IngestOptions {
        file_name: Some(name.into()),
        today: Some("2026-12-01".into()),
        ..Default::default()
    }
}

/// Every line start as a single cut, then pairs and triples of line starts.
fn line_starts(bytes: &[u8]) -> Vec<u64> {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i as u64 + 1)
        .filter(|&s| (s as usize) < bytes.len())
        .collect()
}

/// Checks one file at every single cut (every line start when `every`, else a spread of
/// them), a few awkward offsets (mid-line, mid-character, just past the BOM) and several
/// cuts at once; returns how many reads were merged from more than one chunk.
fn check_file(bytes: &[u8], options: &IngestOptions, every: bool) -> usize {
    let want = one_pass(bytes, options);
    let starts = line_starts(bytes);
    let step = if every { 1 } else { (starts.len() / 40).max(1) };
    let mut split = 0;
    for s in starts.iter().step_by(step) {
        split += usize::from(same_at(bytes, &[*s], options, &want) > 1);
    }
    let n = bytes.len() as u64;
    for seams in [
        vec![1, 2, 3],
        vec![n / 7, n / 3, n / 2, n * 2 / 3, n.saturating_sub(2)],
        vec![n / 8, n / 4, n * 3 / 8, n / 2, n * 5 / 8, n * 3 / 4, n * 7 / 8],
        starts.iter().step_by(3).copied().collect(),
        starts.clone(),
    ] {
        split += usize::from(same_at(bytes, &seams, options, &want) > 1);
    }
    split
}

#[test]
fn export_corpus_and_malformed_files_read_the_same_in_chunks() {
    let dirs = ["tests/fixtures/exports", "tests/malformed"];
    let mut split = 0;
    let mut files = 0;
    for dir in dirs {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "csv" || e == "txt" || e == "tsv")
            })
            .collect();
        paths.sort();
        for p in paths {
            let bytes = std::fs::read(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            split += check_file(&bytes, &options(&name), bytes.len() < 40_000);
            files += 1;
        }
    }
    assert!(files > 40, "{files} files");
    // Most of these files are read in chunks (the rest fall back to one pass: UTF-16,
    // workbooks, errors, customer tables).
    assert!(split > 200, "only {split} reads were merged from chunks");
}

#[test]
fn shared_small_files_read_the_same_in_chunks() {
    for rel in ["cdnow/CDNOW_sample.txt", "grocery/groceryElog.csv"] {
        let bytes = std::fs::read(common::data_path(rel)).unwrap();
        let split = check_file(&bytes, &options(rel), false);
        assert!(split >= 40, "{rel}: only {split} reads were merged from chunks");
    }
}

/// A file with every hard case near the cuts: quoted cells with commas, quotes and line
/// breaks (CRLF inside and outside quotes), a BOM, exact duplicates of earlier rows,
/// returns, blank lines, ragged rows, stray quotes, product names tallied across the file,
/// day-first evidence only late in the file, non-ASCII ids.
fn generated(rows: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let mut out = String::from("\u{feff}Invoice,Customer ID,Date,StockCode,Description,Quantity,Price\r\n");
    let mut lines: Vec<String> = Vec::new();
    for i in 0..rows {
        let customer = match next(10) {
            0 => String::new(),
            1 => format!("Müller-{}", next(30)),
            _ => format!("C{:03}", next(200)),
        };
        let day = 1 + next(28);
        let month = 1 + next(12);
        let date = if i > rows * 3 / 4 && next(3) == 0 {
            format!("{day}/{month}/2023")
        } else if next(2) == 0 {
            format!("{}/{}/2023", month.min(12), day.min(12))
        } else {
            format!("2023-{month:02}-{day:02}")
        };
        let product = next(40);
        let desc = match next(8) {
            0 => format!("\"MUG, \"\"BLUE\"\"\r\nLARGE {product}\""),
            1 => format!("\"LINE ONE\nLINE TWO {product}\""),
            2 => String::new(),
            _ => format!("ITEM {product} V{}", next(2)),
        };
        let invoice = if next(15) == 0 {
            format!("C{}", 5000 + i / 3)
        } else {
            format!("{}", 5000 + i / 3)
        };
        let qty = match next(20) {
            0 => "-2".to_string(),
            1 => "x".to_string(),
            2 => "0".to_string(),
            _ => format!("{}", 1 + next(5)),
        };
        let line = match next(40) {
            0 => String::new(),
            1 => format!("{invoice},{customer},{date}"),
            2 => format!("{invoice},\"{customer},{date},{product},oops,1,2.5"),
            3 if !lines.is_empty() => lines[next(lines.len() as u64) as usize].clone(),
            _ => format!(
                "{invoice},{customer},{date},P{product},{desc},{qty},{}.{:02}",
                next(20),
                next(100)
            ),
        };
        lines.push(line.clone());
        out.push_str(&line);
        out.push_str(if next(2) == 0 { "\r\n" } else { "\n" });
    }
    out.into_bytes()
}

#[test]
fn generated_files_read_the_same_at_every_cut() {
    for seed in 0..4 {
        let bytes = generated(400, seed);
        let split = check_file(&bytes, &options("generated.csv"), true);
        assert!(
            split > 300,
            "seed {seed}: only {split} reads were merged from chunks"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_cuts_read_the_same(seed in 0u64..1000, cuts in proptest::collection::vec(0.0f64..1.0, 1..8)) {
        let bytes = generated(300, seed);
        let opts = options("generated.csv");
        let want = one_pass(&bytes, &opts);
        let mut seams: Vec<u64> = cuts.iter().map(|c| (c * bytes.len() as f64) as u64).collect();
        seams.sort_unstable();
        same_at(&bytes, &seams, &opts, &want);
    }
}

#[test]
fn a_cut_inside_a_quoted_field_is_moved_past_it() {
    // The cut falls between the two lines of a quoted cell: that chunk is read again joined
    // with the next, and the reading is the single pass's.
    let mut text = String::from("Customer,Date,Amount,Note\n");
    for i in 0..50 {
        text.push_str(&format!("c{i},2024-01-{:02},{i}.5,\"two\nlines\"\n", 1 + i % 28));
    }
    let bytes = text.as_bytes();
    let want = one_pass(bytes, &IngestOptions::default());
    let inside: Vec<u64> = line_starts(bytes)
        .into_iter()
        .filter(|&s| bytes[s as usize..].starts_with(b"lines"))
        .collect();
    assert_eq!(inside.len(), 50);
    // Two cuts: the first inside a quoted cell (joined away), the second at a record start.
    let n = same_at(
        bytes,
        &[inside[10], inside[30] + 7],
        &IngestOptions::default(),
        &want,
    );
    assert_eq!(n, 2, "the cut inside the quotes is joined away, the other kept");
    // Every cut inside quotes.
    same_at(bytes, &inside, &IngestOptions::default(), &want);
}

#[test]
fn online_retail_reads_the_same_in_chunks_and_gives_the_same_report() {
    let rel = "online_retail/online_retail.csv";
    let bytes = std::fs::read(common::data_path(rel)).unwrap();
    let opts = options(rel);
    let want = one_pass(&bytes, &opts);
    for parts in [2, 3, 8] {
        let seams = clientele::ingest::seams(&bytes, parts).unwrap();
        assert_eq!(seams.len(), parts - 1);
        assert_eq!(same_at(&bytes, &seams, &opts, &want), parts);
    }
    // Cuts at awkward places: one byte into the file, mid-line, and the last line.
    let n = bytes.len() as u64;
    same_at(&bytes, &[1, n / 3 + 17, n - 10], &opts, &want);
    drop(want);
    // The Report, byte for byte: one pass against two and four threads.
    let analyze_options = AnalyzeOptions {
        ingest: opts,
        ..Default::default()
    };
    let one = serde_json::to_string(&analyze(&bytes, &analyze_options, &mut |_| {}).unwrap()).unwrap();
    for workers in [2, 4] {
        let report = read_source_and_analyze(&bytes, workers, &analyze_options, &mut |_| {}, |_| {
            Ok::<(), ()>(())
        })
        .unwrap_or_else(|e| match e {
            RunError::Failed(e) => panic!("{e}"),
            RunError::Refused(()) => unreachable!(),
        });
        assert!(
            serde_json::to_string(&report).unwrap() == one,
            "{workers} workers"
        );
    }
}

/// What the page's workers do: each reads one chunk into bytes, one merges them.
fn via_bytes(bytes: &[u8], seams: &[u64], options: &IngestOptions) -> (Read, usize) {
    let mut bounds = vec![0];
    bounds.extend_from_slice(seams);
    bounds.push(bytes.len() as u64);
    let source = bytes;
    let parts: Vec<Vec<u8>> = bounds
        .windows(2)
        .map(|w| clientele::ingest::read_chunk(&source, w[0], w[1], options))
        .collect();
    match clientele::ingest::merge_chunks(&source, seams, &parts, options, &mut |_| true) {
        Ok((t, q, n)) => (Ok((t, q)), n),
        Err(e) => (Err(e), 1),
    }
}

#[test]
fn chunks_handed_over_as_bytes_merge_the_same() {
    for seed in 0..3 {
        let bytes = generated(400, seed);
        let opts = options("generated.csv");
        let want = format!("{:?}", one_pass(&bytes, &opts));
        let cuts: Vec<u64> = [0.2, 0.45, 0.7, 0.9]
            .iter()
            .map(|c| (c * bytes.len() as f64) as u64)
            .collect();
        let source: &[u8] = &bytes;
        let seams = clientele::ingest::seams(&source, 5).unwrap();
        assert_eq!(seams.len(), 4);
        let (got, n) = via_bytes(&bytes, &seams, &opts);
        assert_eq!(format!("{got:?}"), want, "seed {seed}");
        assert!(n > 1, "seed {seed}: merged from {n} chunks");
        // Seams that are not line starts are not the chunks' seams: one pass, same result.
        let (got, _) = via_bytes(&bytes, &cuts, &opts);
        assert_eq!(format!("{got:?}"), want, "seed {seed}");
    }
    // A partial damaged on the way (cut short) is not trusted: one pass, same result.
    let bytes = generated(400, 9);
    let opts = options("generated.csv");
    let source: &[u8] = &bytes;
    let seams = clientele::ingest::seams(&source, 3).unwrap();
    let mut parts: Vec<Vec<u8>> = [0, seams[0], seams[1], bytes.len() as u64]
        .windows(2)
        .map(|w| clientele::ingest::read_chunk(&source, w[0], w[1], &opts))
        .collect();
    let half = parts[1].len() / 2;
    parts[1].truncate(half);
    let (got, n) = clientele::ingest::merge_chunks(&source, &seams, &parts, &opts, &mut |_| true)
        .map(|(t, q, n)| ((t, q), n))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        format!("{:?}", Ok::<_, ()>(got)),
        format!("{:?}", one_pass(&bytes, &opts).map_err(|_| ()))
    );
}
