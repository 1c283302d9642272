//! A chunk's partial as bytes, to hand from one worker to another (the page's workers share no
//! memory): little-endian numbers and length-prefixed columns, ids as their interned texts
//! once each, never one string per row. Read back only by the same build that wrote it.

use super::super::currency::CurrencyTally;
use super::super::reader::{Skips, StrayQuotes};
use super::super::values::{DateValue, OrderEvidence};
use super::super::SkipReason;
use super::chunked::Chunk;
use super::{DateForms, DateTally, Interner, Plan, Stream};

const MAGIC: &[u8; 8] = b"CLCHUNK1";

/// Every skip reason, in a fixed order: its position is its code here.
#[derive(Default)]
struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn text(&mut self, v: &str) {
        self.u64(v.len() as u64);
        self.0.extend_from_slice(v.as_bytes());
    }
    fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.u32(x));
    }
    fn u64s(&mut self, v: &[u64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.u64(x));
    }
    fn f64s(&mut self, v: &[f64]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&x| self.f64(x));
    }
    fn date(&mut self, v: DateValue) {
        match v {
            DateValue::Day(d) => {
                self.u8(0);
                self.u32(d as u32);
            }
            DateValue::Pair { first, second, year } => {
                self.u8(1);
                self.u8(first);
                self.u8(second);
                self.u32(year as u32);
            }
        }
    }
    fn dates(&mut self, v: &[DateValue]) {
        self.u64(v.len() as u64);
        v.iter().for_each(|&d| self.date(d));
    }
    fn opt<T>(&mut self, v: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(x) => {
                self.u8(1);
                f(self, x);
            }
        }
    }
    fn interner(&mut self, i: &Interner) {
        self.text(&i.arena);
        self.u64s(&i.ends.iter().map(|&e| e as u64).collect::<Vec<_>>());
    }
}

/// Bytes that end early or hold a value out of range.
#[derive(Debug)]
pub(in crate::ingest) struct Damaged;

struct In<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> In<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], Damaged> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(Damaged)?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, Damaged> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, Damaged> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| Damaged)?))
    }
    fn u64(&mut self) -> Result<u64, Damaged> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| Damaged)?))
    }
    fn f64(&mut self) -> Result<f64, Damaged> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn len(&mut self, item: usize) -> Result<usize, Damaged> {
        let n = usize::try_from(self.u64()?).map_err(|_| Damaged)?;
        // A length cannot promise more items than there are bytes left.
        if n.saturating_mul(item) > self.bytes.len() - self.at {
            return Err(Damaged);
        }
        Ok(n)
    }
    fn text(&mut self) -> Result<String, Damaged> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| Damaged)
    }
    fn u32s(&mut self) -> Result<Vec<u32>, Damaged> {
        let n = self.len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }
    fn u64s(&mut self) -> Result<Vec<u64>, Damaged> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    fn f64s(&mut self) -> Result<Vec<f64>, Damaged> {
        let n = self.len(8)?;
        (0..n).map(|_| self.f64()).collect()
    }
    fn date(&mut self) -> Result<DateValue, Damaged> {
        match self.u8()? {
            0 => Ok(DateValue::Day(self.u32()? as i32)),
            1 => Ok(DateValue::Pair {
                first: self.u8()?,
                second: self.u8()?,
                year: self.u32()? as i32,
            }),
            _ => Err(Damaged),
        }
    }
    fn dates(&mut self) -> Result<Vec<DateValue>, Damaged> {
        let n = self.len(5)?;
        (0..n).map(|_| self.date()).collect()
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T, Damaged>) -> Result<Option<T>, Damaged> {
        match self.u8()? {
            0 => Ok(None),
            1 => f(self).map(Some),
            _ => Err(Damaged),
        }
    }
    /// Texts end to end and where each ends: interned again in that order.
    fn interner(&mut self) -> Result<Interner, Damaged> {
        let arena = self.text()?;
        let ends = self.u64s()?;
        let mut out = Interner::default();
        let mut start = 0usize;
        for e in ends {
            let e = usize::try_from(e).map_err(|_| Damaged)?;
            let text = arena.get(start..e).ok_or(Damaged)?;
            out.id(text);
            start = e;
        }
        Ok(out)
    }
}

/// The chunk of the bytes `range` of the file, as bytes.
pub(in crate::ingest) fn encode(chunk: &Chunk, range: (u64, u64)) -> Vec<u8> {
    let mut o = Out::default();
    o.0.extend_from_slice(MAGIC);
    o.u64(range.0);
    o.u64(range.1);
    o.u64(chunk.rows);
    o.u8(u8::from(chunk.ended_in_quotes));
    o.u8(u8::from(chunk.decoded_apart));
    let s = &chunk.stream;
    let tx = &s.tx;
    o.u32s(&tx.customer);
    o.f64s(&tx.amount);
    o.opt(tx.order.as_deref(), |o, v| o.u32s(v));
    o.opt(tx.quantity.as_deref(), |o, v| o.f64s(v));
    o.opt(tx.product.as_deref(), |o, v| o.u32s(v));
    o.u32s(&tx.returns.customer);
    o.f64s(&tx.returns.amount);
    o.dates(&s.purchase_dates);
    o.dates(&s.return_dates);
    o.u64(s.date_rows.slots.len() as u64);
    for (d, n, rows) in &s.date_rows.slots {
        o.date(*d);
        o.u64(*n);
        o.u64s(rows);
    }
    for i in [&s.customers, &s.orders, &s.products, &s.labels] {
        o.interner(i);
    }
    // Sorted, so the same partial always gives the same bytes.
    let mut names: Vec<(u32, u32, u32)> = s.name_counts.iter().map(|(&(p, l), &n)| (p, l, n)).collect();
    names.sort_unstable();
    o.u64(names.len() as u64);
    for (p, l, n) in names {
        o.u32(p);
        o.u32(l);
        o.u32(n);
    }
    let skips = s.skips.report();
    o.u64(skips.len() as u64);
    for k in &skips {
        o.u8(SkipReason::ALL.iter().position(|r| *r == k.reason).unwrap_or(0) as u8);
        o.u64(k.rows);
        o.u64s(&k.example_rows);
    }
    let mut seen: Vec<u64> = s.seen.iter().copied().collect();
    seen.sort_unstable();
    o.u64s(&seen);
    encode_forms(&mut o, &s.forms);
    for v in [
        s.rows_read,
        s.duplicates,
        s.zero_rows,
        s.dates_ok,
        s.amounts_ok,
        s.bad_quantity,
        s.replaced_id_rows,
    ] {
        o.u64(v);
    }
    o.f64(s.returns_amount);
    o.opt(s.first_bad_date.as_ref(), |o, (r, t)| {
        o.u64(*r);
        o.text(t);
    });
    o.opt(s.first_bad_amount.as_ref(), |o, (r, t, c)| {
        o.u64(*r);
        o.text(t);
        o.u64(*c as u64);
    });
    o.opt(s.first_ragged, |o, (r, n)| {
        o.u64(r);
        o.u64(n as u64);
    });
    o.opt(s.first_replaced_id, |o, r| o.u64(r));
    o.opt(s.first_switched_row, |o, r| o.u64(r));
    o.u64(s.unterminated.rows);
    o.u64s(&s.unterminated.examples);
    o.u64(s.currencies.counts.len() as u64);
    for (value, rows) in &s.currencies.counts {
        o.text(value);
        o.u64(*rows);
    }
    o.0
}

fn encode_forms(o: &mut Out, f: &DateForms) {
    o.u8(u8::from(f.day));
    o.u8(u8::from(f.pair));
    o.opt(f.sample_day.as_deref(), |o, t| o.text(t));
    o.opt(f.sample_pair.as_deref(), |o, t| o.text(t));
    let e = &f.evidence;
    o.u64(e.day_first_rows);
    o.u64(e.month_first_rows);
    o.u64s(&e.day_first_examples);
    o.u64s(&e.month_first_examples);
}

/// A chunk from its bytes, for a file whose head gave `plan`: it must be the chunk of the
/// bytes `range`.
pub(in crate::ingest) fn decode(bytes: &[u8], plan: &Plan, range: (u64, u64)) -> Result<Chunk, Damaged> {
    let mut i = In { bytes, at: 0 };
    if i.take(MAGIC.len())? != MAGIC || (i.u64()?, i.u64()?) != range {
        return Err(Damaged);
    }
    let rows = i.u64()?;
    let ended_in_quotes = i.u8()? != 0;
    let decoded_apart = i.u8()? != 0;
    let mut s = Stream::new(plan);
    s.tx.customer = i.u32s()?;
    s.tx.amount = i.f64s()?;
    s.tx.order = i.opt(In::u32s)?;
    s.tx.quantity = i.opt(In::f64s)?;
    s.tx.product = i.opt(In::u32s)?;
    s.tx.returns.customer = i.u32s()?;
    s.tx.returns.amount = i.f64s()?;
    s.purchase_dates = i.dates()?;
    s.return_dates = i.dates()?;
    let mut tally = DateTally::default();
    for _ in 0..i.len(5)? {
        let d = i.date()?;
        let n = i.u64()?;
        tally.add_many(d, n, i.u64s()?.into_iter());
    }
    s.date_rows = tally;
    s.customers = i.interner()?;
    s.orders = i.interner()?;
    s.products = i.interner()?;
    s.labels = i.interner()?;
    for _ in 0..i.len(12)? {
        let (p, l, n) = (i.u32()?, i.u32()?, i.u32()?);
        s.name_counts.insert((p, l), n);
    }
    let mut skips = Skips::default();
    for _ in 0..i.len(9)? {
        let reason = *SkipReason::ALL.get(i.u8()? as usize).ok_or(Damaged)?;
        let n = i.u64()?;
        skips.add_many(reason, n, &i.u64s()?);
    }
    s.skips = skips;
    s.seen = i.u64s()?.into_iter().collect();
    s.forms = decode_forms(&mut i)?;
    for v in [
        &mut s.rows_read,
        &mut s.duplicates,
        &mut s.zero_rows,
        &mut s.dates_ok,
        &mut s.amounts_ok,
        &mut s.bad_quantity,
        &mut s.replaced_id_rows,
    ] {
        *v = i.u64()?;
    }
    s.returns_amount = i.f64()?;
    s.first_bad_date = i.opt(|i| Ok((i.u64()?, i.text()?)))?;
    s.first_bad_amount = i.opt(|i| Ok((i.u64()?, i.text()?, i.u64()? as usize)))?;
    s.first_ragged = i.opt(|i| Ok((i.u64()?, i.u64()? as usize)))?;
    s.first_replaced_id = i.opt(In::u64)?;
    s.first_switched_row = i.opt(In::u64)?;
    s.unterminated = StrayQuotes {
        rows: i.u64()?,
        examples: i.u64s()?,
    };
    let mut currencies = Vec::new();
    for _ in 0..i.len(9)? {
        currencies.push((i.text()?, i.u64()?));
    }
    s.currencies = CurrencyTally::from_counts(currencies);
    let ids_fit = |v: &[u32], n: usize| v.iter().all(|&x| (x as usize) < n);
    let (nc, no, np) = (s.customers.ends.len(), s.orders.ends.len(), s.products.ends.len());
    let fits = ids_fit(&s.tx.customer, nc)
        && ids_fit(&s.tx.returns.customer, nc)
        && s.tx.order.as_deref().is_none_or(|v| ids_fit(v, no))
        && s.tx.product.as_deref().is_none_or(|v| ids_fit(v, np))
        && s.name_counts
            .keys()
            .all(|&(p, l)| (p as usize) < np && (l as usize) < s.labels.ends.len())
        && i.at == bytes.len();
    if !fits {
        return Err(Damaged);
    }
    Ok(Chunk {
        stream: s,
        rows,
        ended_in_quotes,
        decoded_apart,
    })
}

fn decode_forms(i: &mut In<'_>) -> Result<DateForms, Damaged> {
    Ok(DateForms {
        day: i.u8()? != 0,
        pair: i.u8()? != 0,
        sample_day: i.opt(In::text)?,
        sample_pair: i.opt(In::text)?,
        evidence: OrderEvidence {
            day_first_rows: i.u64()?,
            month_first_rows: i.u64()?,
            day_first_examples: i.u64s()?,
            month_first_examples: i.u64s()?,
        },
    })
}
