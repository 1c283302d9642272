//! The `ingest` target with every allocation counted: a run whose live heap exceeds
//! `CLIENTELE_FUZZ_PEAK_MB` (default 1024: the page's budget; a workbook at the bounds of
//! `clientele::ingest::MAX_SHEET_CELLS` and friends stays below ~0.7 GB) is a finding, even
//! where the memory is only reserved and never touched (natively free, but in wasm every
//! reserved byte is real). The allocation that crosses the limit fails, which aborts with
//! "memory allocation of N bytes failed": libFuzzer saves the input as a crash.
//!
//! Each new highest peak is printed (`peak: N MB on a K-byte input`), so a run reports the
//! most any input made the reader hold.
#![no_main]
use clientele::ingest::{read_table_from, Delimiter, IngestOptions, TableKind};
use libfuzzer_sys::fuzz_target;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::OnceLock;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

impl Counting {
    fn take(&self, size: usize) -> bool {
        let live = LIVE.fetch_add(size, Relaxed) + size;
        if live > LIMIT.load(Relaxed) {
            LIVE.fetch_sub(size, Relaxed);
            return false;
        }
        PEAK.fetch_max(live, Relaxed);
        true
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.take(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc(layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !self.take(layout.size()) {
            return std::ptr::null_mut();
        }
        System.alloc_zeroed(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the new block allocated before the old one is freed, as a move does.
        if !self.take(new_size) {
            return std::ptr::null_mut();
        }
        let p = System.realloc(ptr, layout, new_size);
        if p.is_null() {
            LIVE.fetch_sub(new_size, Relaxed);
        } else {
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

static RECORD: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|data: &[u8]| {
    // calamine's panics are caught and reported as damaged workbooks, not findings.
    clientele::ingest::quiet_calamine_panics();
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        let mb = std::env::var("CLIENTELE_FUZZ_PEAK_MB")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(1024);
        LIMIT.store(mb << 20, Relaxed);
    });
    let [a, b, rest @ ..] = data else { return };
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
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
        ..Default::default()
    };
    let _ = read_table_from(rest, Some(rest.len() as u64), &options, &mut |_| true);
    let peak = PEAK.load(Relaxed).saturating_sub(base);
    if peak > RECORD.fetch_max(peak, Relaxed) {
        eprintln!("peak: {} MB on a {}-byte input", peak >> 20, data.len());
    }
});
