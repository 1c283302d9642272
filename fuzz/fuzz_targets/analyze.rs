//! The whole entry point: arbitrary bytes (and options chosen by the first two bytes) must give
//! a Report or a located error, never a panic.
//!
//! Byte 0 picks how the file is read (header, delimiter), as before. Byte 1 picks the
//! analysis options, so one run covers the option space a page or CLI user can reach and not
//! only the defaults; the defaults keep a quarter of the inputs in each choice:
//! - bits 0-1: lifetime value's optimizer budget: 500 (default), 10, 40, 100 iterations;
//! - bits 2-3: clusters: k by silhouette with 10 restarts (default), by silhouette with one
//!   restart, k = 2 + (bit 4) with two restarts, k = 20 (more clusters than most inputs have
//!   customers) with one restart;
//! - bit 5: lifetime value in days instead of weeks;
//! - bit 6: RFM scores by `RankFirst` instead of `RankMin`;
//! - bit 7: the propensity model on raw instead of log-transformed features.
//!
//! Budgets below the defaults reach the fallback paths (non-converged fits, ridge retries)
//! more often, and make an execution about as cheap as the reading it follows.
#![no_main]
use clientele::clv::TimeUnit;
use clientele::ingest::Delimiter;
use clientele::report::{analyze, AnalyzeOptions};
use clientele::rfm::ScoreMethod;
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// One worker thread, and the analysis runs on it: ndarray's parallel loops (inside linfa)
/// then run inline, as in the browser, which has no threads. Without this every tiny input
/// pays rayon's cross-thread hand-offs (sched_yield, futex), about 90% of the time natively.
static POOL: LazyLock<rayon::ThreadPool> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
});

fn options(read: u8, analysis: u8) -> AnalyzeOptions {
    let mut options = AnalyzeOptions::default();
    options.ingest.has_header = match read % 3 {
        0 => None,
        1 => Some(true),
        _ => Some(false),
    };
    options.ingest.delimiter = match (read / 3) % 6 {
        1 => Some(Delimiter::Byte(b',')),
        2 => Some(Delimiter::Byte(b';')),
        3 => Some(Delimiter::Byte(b'\t')),
        4 => Some(Delimiter::Whitespace),
        _ => None,
    };
    options.clv.max_iterations = [500, 10, 40, 100][usize::from(analysis & 3)];
    match (analysis >> 2) & 3 {
        0 => {}
        1 => options.cluster.n_runs = 1,
        2 => {
            options.cluster.k = Some(2 + usize::from((analysis >> 4) & 1));
            options.cluster.n_runs = 2;
        }
        _ => {
            options.cluster.k = Some(20);
            options.cluster.n_runs = 1;
        }
    }
    if analysis & 0x20 != 0 {
        options.clv.time_unit = TimeUnit::Days;
    }
    if analysis & 0x40 != 0 {
        options.rfm.method = ScoreMethod::RankFirst;
    }
    if analysis & 0x80 != 0 {
        options.propensity.log_transform = false;
    }
    options
}

fuzz_target!(|data: &[u8]| {
    // calamine's panics are caught and reported as damaged workbooks, not findings.
    clientele::ingest::quiet_calamine_panics();
    if let [read, analysis, rest @ ..] = data {
        let options = options(*read, *analysis);
        let _ = POOL.install(|| analyze(rest, &options, &mut |_| {}));
    }
});
