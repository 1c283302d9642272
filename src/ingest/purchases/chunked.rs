//! A table of purchases read in chunks: each chunk (a byte range of the file starting at a line
//! start) is read into a partial [`Stream`] with its own row numbers, then the partials are
//! merged in file order into the one a single pass would have built (ids in first-seen order,
//! the first examples of every skip, duplicates across chunks, product-name tallies), and that
//! is finished once. A chunk whose input ended inside a quoted field did not end at a record
//! boundary: it is read again joined with the next one (see [`read`]).

use super::super::chunks::ByteSource;
use super::super::reader::{next_record, ChunkDecoding, Decoding, Layout, Progress};
use super::super::records::Records;
use super::super::{IngestError, IngestErrorKind, IngestOptions, QualityReport, Table};
use super::{DateTally, Interner, Plan, Stream};
use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

/// One chunk read: its partial, the rows it spans (records and blank lines, the header
/// included in the first), and what says whether it can be merged as it is.
pub(super) struct Chunk {
    pub(super) stream: Stream,
    pub(super) rows: u64,
    pub(super) ended_in_quotes: bool,
    /// The decoder replaced bytes or decided the encoding again: the file is read in one pass
    /// (both depend on what came before in the file).
    pub(super) decoded_apart: bool,
}

/// Reads the records of one chunk into a partial.
fn read_records<R: Read>(
    recs: &mut Records<R>,
    plan: &Plan,
    layout: &Layout,
    decoding: &Decoding,
    options: &IngestOptions,
    mut progress: Option<&mut Progress<'_>>,
) -> Result<Chunk, IngestError> {
    let mut stream = Stream::new(plan);
    while let Some(row) = next_record(recs, options)? {
        decoding.undecodable(options, recs, row, Some(&layout.headers))?;
        stream.rows_read += 1;
        if let Some(p) = progress.as_mut() {
            p.every(stream.rows_read, options)?;
        }
        stream.record(recs, row, plan, decoding, options);
    }
    Ok(Chunk {
        stream,
        rows: recs.rows(),
        ended_in_quotes: recs.ended_in_quotes(),
        decoded_apart: decoding.replaced.get() || decoding.switched.get().is_some(),
    })
}

/// Everything a chunk needs, shared by the threads.
struct Shared<'a> {
    plan: Plan,
    layout: &'a Layout,
    decode: ChunkDecoding,
    options: &'a IngestOptions,
    source: &'a dyn ByteSource,
}

impl Shared<'_> {
    /// Reads the chunk `start..end`: from byte 0 (the byte-order mark and the header row
    /// dropped, as a single pass does) or from a line start.
    fn read(&self, start: u64, end: u64, progress: Option<&mut Progress<'_>>) -> Result<Chunk, IngestError> {
        let io = |e: std::io::Error| {
            super::err(
                self.options,
                IngestErrorKind::Io,
                format!("the file could not be read: {e}"),
            )
        };
        let mut raw = self.source.open(start, end).map_err(io)?;
        let first = start == 0;
        let prefix = if first {
            super::super::reader::read_prefix(&mut raw, super::super::reader::SAMPLE_BYTES)
                .map_err(io)?
                .0
        } else {
            Vec::new()
        };
        let bytes_read = match &progress {
            Some(p) => p.bytes_cell(),
            None => Rc::new(Cell::new(start)),
        };
        let (decoding, text) = self.decode.open(raw, prefix, first, bytes_read);
        let mut recs = Records::new(text, self.layout.delimiter);
        recs.set_width(self.layout.width);
        if first && self.layout.has_header {
            if let Some(row) = next_record(&mut recs, self.options)? {
                decoding.undecodable(self.options, &recs, row, None)?;
            }
        }
        read_records(
            &mut recs,
            &self.plan,
            self.layout,
            &decoding,
            self.options,
            progress,
        )
    }
}

/// Reads the chunks `ranges` at once, one thread each, the first on this thread with
/// `progress`.
#[cfg(not(target_arch = "wasm32"))]
fn read_all(
    shared: &Shared<'_>,
    ranges: &[(u64, u64)],
    progress: &mut Progress<'_>,
) -> Vec<Result<Chunk, IngestError>> {
    let (first, rest) = (ranges[0], &ranges[1..]);
    std::thread::scope(|s| {
        let handles: Vec<_> = rest
            .iter()
            .map(|&(a, b)| s.spawn(move || shared.read(a, b, None)))
            .collect();
        let mut out = vec![shared.read(first.0, first.1, Some(progress))];
        for h in handles {
            out.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}

/// Reads the chunks `ranges` one after another (no threads here: the page reads chunks in
/// workers of its own).
#[cfg(target_arch = "wasm32")]
fn read_all(
    shared: &Shared<'_>,
    ranges: &[(u64, u64)],
    progress: &mut Progress<'_>,
) -> Vec<Result<Chunk, IngestError>> {
    let mut out = vec![shared.read(ranges[0].0, ranges[0].1, Some(progress))];
    out.extend(ranges[1..].iter().map(|&(a, b)| shared.read(a, b, None)));
    out
}

/// The chunks' ranges: from the start to the first seam, …, from the last seam to `len`.
fn ranges(seams: &[u64], len: u64) -> Vec<(u64, u64)> {
    let mut ranges = Vec::with_capacity(seams.len() + 1);
    let mut start = 0;
    for &s in seams.iter().chain(std::iter::once(&len)) {
        ranges.push((start, s));
        start = s;
    }
    ranges
}

impl<'a> Shared<'a> {
    /// The plan and the chunks' decoding the head (`layout`, `decoding`) gives, or `None` when
    /// the file is read in one pass (an error in the plan, which the single pass reports; an
    /// encoding a line start does not cut at a character; bytes already replaced or an
    /// encoding decided again in the head).
    fn new(
        layout: &'a Layout,
        decoding: &Decoding,
        options: &'a IngestOptions,
        source: &'a dyn ByteSource,
    ) -> Option<Self> {
        let plan = Plan::new(layout, options, decoding.encoding_name()).ok()?;
        let decode = decoding.for_chunks()?;
        let clean = !decoding.replaced.get() && decoding.switched.get().is_none();
        clean.then_some(Shared {
            plan,
            layout,
            decode,
            options,
            source,
        })
    }
}

/// Reads a table of purchases in the chunks between `seams`, as the head (`layout`,
/// `decoding`) decided, and merges them. `Ok(None)` when the file must be read in one pass
/// instead: an error in a chunk (the single pass finds it and says where), or bytes the
/// decoder replaced or an encoding decided again inside the file. A chunk ending inside a
/// quoted field is read again joined with the next. Also returns the number of chunks merged.
pub(in crate::ingest) fn read(
    layout: &Layout,
    decoding: &Decoding,
    seams: &[u64],
    len: u64,
    source: &dyn ByteSource,
    progress: &mut Progress<'_>,
    options: &IngestOptions,
) -> Result<Option<(Table, QualityReport, usize)>, IngestError> {
    let Some(shared) = Shared::new(layout, decoding, options, source) else {
        return Ok(None);
    };
    let ranges = ranges(seams, len);
    let chunks = read_all(&shared, &ranges, progress);
    merge(&shared, decoding, ranges, chunks, progress)
}

/// The partial of the chunk `start..end` as bytes ([`super::chunk_bytes`]), for a worker of
/// the page to hand to the one that merges; empty when the chunk cannot be read apart (the
/// merge then reads the file in one pass, which says why).
pub(in crate::ingest) fn read_bytes(
    layout: &Layout,
    decoding: &Decoding,
    (start, end): (u64, u64),
    source: &dyn ByteSource,
    options: &IngestOptions,
) -> Vec<u8> {
    let Some(shared) = Shared::new(layout, decoding, options, source) else {
        return Vec::new();
    };
    match shared.read(start, end, None) {
        Ok(chunk) => super::chunk_bytes::encode(&chunk, (start, end)),
        Err(_) => Vec::new(),
    }
}

/// [`read`] with the chunks already read elsewhere, as [`read_bytes`] gave them (in file
/// order, one per range between `seams`).
#[allow(clippy::too_many_arguments)]
pub(in crate::ingest) fn merge_bytes(
    layout: &Layout,
    decoding: &Decoding,
    seams: &[u64],
    len: u64,
    parts: &[Vec<u8>],
    source: &dyn ByteSource,
    progress: &mut Progress<'_>,
    options: &IngestOptions,
) -> Result<Option<(Table, QualityReport, usize)>, IngestError> {
    let Some(shared) = Shared::new(layout, decoding, options, source) else {
        return Ok(None);
    };
    let ranges = ranges(seams, len);
    if parts.len() != ranges.len() {
        return Ok(None);
    }
    let chunks = parts
        .iter()
        .zip(&ranges)
        .map(|(bytes, &range)| {
            super::chunk_bytes::decode(bytes, &shared.plan, range).map_err(|_| {
                super::err(
                    options,
                    IngestErrorKind::Other,
                    "a chunk's partial could not be read back",
                )
            })
        })
        .collect();
    merge(&shared, decoding, ranges, chunks, progress)
}

/// Checks the chunks read (joining a chunk that ended inside a quoted field with the next, and
/// reading the two again), merges them in file order and finishes the table.
fn merge(
    shared: &Shared<'_>,
    decoding: &Decoding,
    mut ranges: Vec<(u64, u64)>,
    mut chunks: Vec<Result<Chunk, IngestError>>,
    progress: &mut Progress<'_>,
) -> Result<Option<(Table, QualityReport, usize)>, IngestError> {
    if let Some(Err(e)) = chunks.first() {
        if e.kind == IngestErrorKind::Cancelled {
            return Err(e.clone());
        }
    }
    let mut i = 0;
    while i < chunks.len() {
        match &chunks[i] {
            Err(_) => return Ok(None),
            Ok(c) if c.decoded_apart => return Ok(None),
            Ok(c) if c.ended_in_quotes && i + 1 < chunks.len() => {
                // The seam after this chunk fell inside a quoted field: join the two.
                let joined = (ranges[i].0, ranges[i + 1].1);
                chunks[i] = shared.read(joined.0, joined.1, None);
                let _joined_away = chunks.remove(i + 1);
                ranges[i] = joined;
                ranges.remove(i + 1);
            }
            Ok(_) => i += 1,
        }
    }
    let count = chunks.len();
    let mut chunks = chunks.into_iter().map(|c| c.expect("errors returned above"));
    let first = chunks.next().expect("one chunk at least");
    let (mut stream, mut offset) = (first.stream, first.rows);
    for c in chunks {
        stream.absorb(c.stream, offset);
        offset += c.rows;
    }
    let options = shared.options;
    progress.set_bytes_read(ranges.last().map_or(0, |r| r.1));
    progress.report(stream.rows_read, options)?;
    let (table, quality) = stream.finish(&shared.plan, shared.layout, decoding, options)?;
    Ok(Some((table, quality, count)))
}

impl Interner {
    /// Interns every text of `later` (in its first-seen order); returns their ids here.
    fn absorb(&mut self, later: &Interner) -> Vec<u32> {
        (0..later.ends.len() as u32)
            .map(|i| self.id(later.text(i)))
            .collect()
    }
}

impl DateTally {
    /// Adds `rows` rows of `date`, whose first rows are `examples` (in file order, after
    /// every row counted so far).
    pub(super) fn add_many(
        &mut self,
        date: super::DateValue,
        rows: u64,
        examples: impl Iterator<Item = u64>,
    ) {
        let next = self.slots.len() as u32;
        let i = *self.index.entry(date).or_insert(next) as usize;
        if i == self.slots.len() {
            self.slots.push((date, 0, Vec::new()));
        }
        let slot = &mut self.slots[i];
        slot.1 += rows;
        let room = 5usize.saturating_sub(slot.2.len());
        slot.2.extend(examples.take(room));
        self.last = None;
    }
}

/// `Some` row of a later chunk, in the file's numbering.
fn shift<T>(v: Option<(u64, T)>, offset: u64) -> Option<(u64, T)> {
    v.map(|(r, t)| (r + offset, t))
}

impl Stream {
    /// Appends the partial of the chunk that follows this one in the file, whose rows start
    /// after `offset` rows: afterwards this is the partial a single pass over both would have
    /// built.
    fn absorb(&mut self, mut later: Stream, offset: u64) {
        let customers = self.customers.absorb(&later.customers);
        let orders = self.orders.absorb(&later.orders);
        let products = self.products.absorb(&later.products);
        let labels = self.labels.absorb(&later.labels);
        let (tx, b) = (&mut self.tx, std::mem::take(&mut later.tx));
        tx.customer
            .extend(b.customer.iter().map(|&c| customers[c as usize]));
        tx.amount.extend_from_slice(&b.amount);
        if let (Some(out), Some(v)) = (tx.order.as_mut(), b.order.as_ref()) {
            out.extend(v.iter().map(|&o| orders[o as usize]));
        }
        if let (Some(out), Some(v)) = (tx.quantity.as_mut(), b.quantity.as_ref()) {
            out.extend_from_slice(v);
        }
        if let (Some(out), Some(v)) = (tx.product.as_mut(), b.product.as_ref()) {
            out.extend(v.iter().map(|&p| products[p as usize]));
        }
        tx.returns
            .customer
            .extend(b.returns.customer.iter().map(|&c| customers[c as usize]));
        // Summed on, one return after another, as a single pass sums them.
        for &a in &b.returns.amount {
            self.returns_amount += a;
        }
        tx.returns.amount.extend_from_slice(&b.returns.amount);
        self.purchase_dates.extend_from_slice(&later.purchase_dates);
        self.return_dates.extend_from_slice(&later.return_dates);
        for (date, rows, examples) in std::mem::take(&mut later.date_rows.slots) {
            self.date_rows
                .add_many(date, rows, examples.into_iter().map(|r| r + offset));
        }
        for (&(p, l), &n) in &later.name_counts {
            *self
                .name_counts
                .entry((products[p as usize], labels[l as usize]))
                .or_default() += n;
        }
        for s in later.skips.report() {
            let examples: Vec<u64> = s.example_rows.iter().map(|r| r + offset).collect();
            self.skips.add_many(s.reason, s.rows, &examples);
        }
        // A row whose twin is in an earlier chunk was the first of its kind in its own. Room
        // first: both sets hash alike (a fixed seed) and `later.seen` iterates in hash order, so
        // inserting into a smaller table would pile its entries into long probe runs (10 M rows
        // of Online Retail × 19 in two chunks: 25 s instead of 13 s).
        self.seen.reserve(later.seen.len());
        for f in &later.seen {
            if !self.seen.insert(*f) {
                self.duplicates += 1;
            }
        }
        self.duplicates += later.duplicates;
        self.absorb_forms(&later, offset);
        self.rows_read += later.rows_read;
        self.zero_rows += later.zero_rows;
        self.dates_ok += later.dates_ok;
        self.amounts_ok += later.amounts_ok;
        self.bad_quantity += later.bad_quantity;
        self.replaced_id_rows += later.replaced_id_rows;
        if self.first_bad_date.is_none() {
            self.first_bad_date = shift(later.first_bad_date.take(), offset);
        }
        if self.first_bad_amount.is_none() {
            self.first_bad_amount = later.first_bad_amount.take().map(|(r, v, c)| (r + offset, v, c));
        }
        if self.first_ragged.is_none() {
            self.first_ragged = shift(later.first_ragged, offset);
        }
        self.first_replaced_id = self
            .first_replaced_id
            .or(later.first_replaced_id.map(|r| r + offset));
        self.first_switched_row = self
            .first_switched_row
            .or(later.first_switched_row.map(|r| r + offset));
        self.unterminated.absorb(&later.unterminated, offset);
        self.currencies.absorb(&later.currencies);
    }

    /// The date forms seen and the day/month evidence, with the first examples in file order.
    fn absorb_forms(&mut self, later: &Stream, offset: u64) {
        let (a, b) = (&mut self.forms, &later.forms);
        if !a.day && b.day {
            a.day = true;
            a.sample_day = b.sample_day.clone();
        }
        if !a.pair && b.pair {
            a.pair = true;
            a.sample_pair = b.sample_pair.clone();
        }
        let (ea, eb) = (&mut a.evidence, &b.evidence);
        ea.day_first_rows += eb.day_first_rows;
        ea.month_first_rows += eb.month_first_rows;
        for (to, from) in [
            (&mut ea.day_first_examples, &eb.day_first_examples),
            (&mut ea.month_first_examples, &eb.month_first_examples),
        ] {
            let room = 5usize.saturating_sub(to.len());
            to.extend(from.iter().take(room).map(|r| r + offset));
        }
    }
}
