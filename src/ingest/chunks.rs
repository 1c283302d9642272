//! Reading a large text table in parallel: the head is sniffed once (encoding, dialect,
//! header, roles), the bytes are cut into chunks just after line breaks, each chunk is read
//! into a partial on its own thread, and the partials merge into exactly what one pass gives
//! (the same `Transactions` and `QualityReport`, so the same Report bytes).
//!
//! A cut is a record boundary only if no quoted field spans it: a chunk's reader that reaches
//! the end of its bytes inside a quoted field says so, and that chunk is read again joined
//! with the next one. Whatever a chunk cannot decide alone — a workbook, Parquet, a
//! customer-level table or a summary, UTF-16, bytes the decoder replaced, an encoding decided
//! again mid-file, any error — sends the file through the single pass, which then reports it.

use super::reader::{
    customer_level, not_a_table, read_prefix, summary_reader, Decoding, Layout, Progress, SAMPLE_BYTES,
};
use super::{IngestError, IngestErrorKind, IngestOptions, IngestProgress, QualityReport, Table};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// Files smaller than this are read in one pass: threads would not pay for themselves.
pub const PARALLEL_MIN_BYTES: u64 = 8 << 20;
/// The most chunks a file is cut into.
pub const MAX_WORKERS: usize = 8;
/// How far past a cut the next line break is looked for; without one there, no cut.
const SEAM_WINDOW: u64 = 1 << 20;

/// A reader of a range of a [`ByteSource`]: one a thread can take natively.
#[cfg(not(target_arch = "wasm32"))]
pub type RangeReader<'s> = Box<dyn Read + Send + 's>;
/// A reader of a range of a [`ByteSource`] (in wasm no thread takes it: a `Blob` stays put).
#[cfg(target_arch = "wasm32")]
pub type RangeReader<'s> = Box<dyn Read + 's>;

/// What a [`ByteSource`] must be to be read from several threads at once: `Sync` natively,
/// anything in wasm (the page reads its chunks in workers of its own).
#[cfg(not(target_arch = "wasm32"))]
pub trait Shareable: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> Shareable for T {}
/// What a [`ByteSource`] must be to be read from several threads at once: `Sync` natively,
/// anything in wasm (the page reads its chunks in workers of its own).
#[cfg(target_arch = "wasm32")]
pub trait Shareable {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> Shareable for T {}

/// Bytes that can be opened at any range, from several threads at once (natively).
pub trait ByteSource: Shareable {
    /// The size in bytes.
    fn size(&self) -> u64;
    /// A reader of the bytes `start..end`.
    fn open(&self, start: u64, end: u64) -> std::io::Result<RangeReader<'_>>;
}

impl ByteSource for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn open(&self, start: u64, end: u64) -> std::io::Result<RangeReader<'_>> {
        Ok(Box::new(&self[start as usize..end as usize]))
    }
}

impl ByteSource for Vec<u8> {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn open(&self, start: u64, end: u64) -> std::io::Result<RangeReader<'_>> {
        Ok(Box::new(&self[start as usize..end as usize]))
    }
}

/// A file on disk, opened again for every range. (It compiles for wasm32 too, where the CLI is
/// built as a check; there `std::fs` fails at run time and the page never uses it.)
pub struct FileSource {
    path: std::path::PathBuf,
    size: u64,
}

impl FileSource {
    pub fn new(path: impl Into<std::path::PathBuf>) -> std::io::Result<FileSource> {
        let path = path.into();
        let size = std::fs::metadata(&path)?.len();
        Ok(FileSource { path, size })
    }
}

impl ByteSource for FileSource {
    fn size(&self) -> u64 {
        self.size
    }
    fn open(&self, start: u64, end: u64) -> std::io::Result<RangeReader<'_>> {
        use std::io::{Seek, SeekFrom};
        let mut file = std::fs::File::open(&self.path)?;
        file.seek(SeekFrom::Start(start))?;
        Ok(Box::new(std::io::BufReader::with_capacity(
            256 * 1024,
            file.take(end - start),
        )))
    }
}

/// The position just after the first `\n` at or after `at - 1` (so `at` itself when a line
/// starts there), within [`SEAM_WINDOW`]; `None` past the end or without a line break there.
fn line_start(source: &dyn ByteSource, at: u64) -> std::io::Result<Option<u64>> {
    let size = source.size();
    if at == 0 || at >= size {
        return Ok(None);
    }
    let from = at - 1;
    let mut window = Vec::new();
    source
        .open(from, size.min(from + SEAM_WINDOW))?
        .read_to_end(&mut window)?;
    Ok(memchr::memchr(b'\n', &window)
        .map(|i| from + i as u64 + 1)
        .filter(|&s| s < size))
}

/// Where to cut `source` into `parts` chunks of about equal size: just after a line break
/// (`\n`, which in every encoding the chunks are read in is a whole character). Fewer cuts
/// when lines are longer than the chunks.
pub fn seams(source: &dyn ByteSource, parts: usize) -> std::io::Result<Vec<u64>> {
    let size = source.size();
    let parts = parts.max(1) as u64;
    let targets: Vec<u64> = (1..parts).map(|i| size / parts * i).collect();
    line_starts(source, &targets)
}

/// Each offset moved to the next line start; increasing, without repeats.
fn line_starts(source: &dyn ByteSource, offsets: &[u64]) -> std::io::Result<Vec<u64>> {
    let mut out: Vec<u64> = Vec::new();
    for &at in offsets {
        if let Some(s) = line_start(source, at)? {
            if out.last().is_none_or(|&l| s > l) {
                out.push(s);
            }
        }
    }
    Ok(out)
}

/// [`super::read_table_from`] on `workers` threads: a source of at least
/// [`PARALLEL_MIN_BYTES`] is cut into that many chunks (at most [`MAX_WORKERS`]), read at once
/// and merged; the result is the one a single pass gives.
pub fn read_table_parallel(
    source: &dyn ByteSource,
    options: &IngestOptions,
    workers: usize,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport), IngestError> {
    let workers = workers.clamp(1, MAX_WORKERS);
    let cuts = if workers > 1 && source.size() >= PARALLEL_MIN_BYTES {
        seams(source, workers).map_err(|e| io_error(options, e))?
    } else {
        Vec::new()
    };
    read_table_at(source, &cuts, options, progress).map(|(table, quality, _)| (table, quality))
}

/// [`super::read_table_from`] with the source cut at `offsets` (each moved to the next line
/// start); any cuts, any number: the result is the one a single pass gives. Also returns how
/// many chunks were read and merged (1: the file was read in one pass).
pub fn read_table_at(
    source: &dyn ByteSource,
    offsets: &[u64],
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport, usize), IngestError> {
    let size = source.size();
    let seams = line_starts(source, offsets).map_err(|e| io_error(options, e))?;
    if !seams.is_empty() {
        if let Some((decoding, layout)) = sniff(source, options) {
            let read = {
                let mut p = Progress::new(&mut *progress, Rc::new(Cell::new(0)), Some(size));
                super::purchases::read_chunked(&layout, &decoding, &seams, size, source, &mut p, options)?
            };
            if let Some((table, quality, chunks)) = read {
                return Ok((table, quality, chunks));
            }
        }
    }
    let whole = source.open(0, size).map_err(|e| io_error(options, e))?;
    super::reader::read_from(whole, Some(size), options, progress).map(|(table, quality)| (table, quality, 1))
}

/// The partial of the chunk `start..end` of `source` (`start` and `end` from [`seams`]: 0, a
/// seam, or the size) as bytes, for the page's workers: each reads one chunk and hands its
/// bytes to the one that merges them ([`merge_chunks`]). Empty when the chunk cannot be read
/// apart; the merge then reads the file in one pass.
pub fn read_chunk(source: &dyn ByteSource, start: u64, end: u64, options: &IngestOptions) -> Vec<u8> {
    let Some((decoding, layout)) = sniff(source, options) else {
        return Vec::new();
    };
    super::purchases::read_chunk_bytes(&layout, &decoding, (start, end), source, options)
}

/// The table from the chunks' partials ([`read_chunk`], in file order, one per range between
/// `seams`): what [`super::read_table_from`] gives for the whole source. A chunk that ended
/// inside a quoted field is read again here joined with the next; when the partials cannot be
/// merged (a chunk could not be read apart, the bytes are not the chunks of these seams), the
/// source is read in one pass. Also returns the number of chunks merged.
pub fn merge_chunks(
    source: &dyn ByteSource,
    seams: &[u64],
    parts: &[Vec<u8>],
    options: &IngestOptions,
    progress: &mut dyn FnMut(IngestProgress) -> bool,
) -> Result<(Table, QualityReport, usize), IngestError> {
    let size = source.size();
    let valid = line_starts(source, seams).map_err(|e| io_error(options, e))?;
    if !valid.is_empty() && valid == seams {
        if let Some((decoding, layout)) = sniff(source, options) {
            let merged = {
                let mut p = Progress::new(&mut *progress, Rc::new(Cell::new(0)), Some(size));
                super::purchases::merge_chunk_bytes(
                    &layout, &decoding, seams, size, parts, source, &mut p, options,
                )?
            };
            if let Some(merged) = merged {
                return Ok(merged);
            }
        }
    }
    let whole = source.open(0, size).map_err(|e| io_error(options, e))?;
    super::reader::read_from(whole, Some(size), options, progress).map(|(table, quality)| (table, quality, 1))
}

/// The head's decisions (encoding, dialect, header) for a table of purchases in text, as the
/// single pass makes them; `None` for anything else (the single pass reads it).
fn sniff(source: &dyn ByteSource, options: &IngestOptions) -> Option<(Decoding, Layout)> {
    let mut raw = source.open(0, source.size()).ok()?;
    let (prefix, complete) = read_prefix(&mut raw, SAMPLE_BYTES).ok()?;
    if prefix.iter().all(|b| b.is_ascii_whitespace())
        || super::detect_workbook(&prefix).is_some()
        || super::parquet::is_parquet(&prefix)
        || prefix.starts_with(b"PK\x03\x04")
        || prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || not_a_table(&prefix).is_some()
    {
        return None;
    }
    let (decoding, mut text) =
        Decoding::decide(raw, prefix, complete, Rc::new(Cell::new(0)), options).ok()?;
    let layout = Layout::sample(&mut text, options).ok()?;
    let purchases = matches!(summary_reader(&layout, options), Ok(None))
        && matches!(
            customer_level(&layout, options, decoding.encoding_name()),
            Ok(None)
        );
    purchases.then_some((decoding, layout))
}

fn io_error(options: &IngestOptions, e: std::io::Error) -> IngestError {
    super::reader::err(
        options,
        IngestErrorKind::Io,
        format!("the file could not be read: {e}"),
    )
}
