//! Clientele: private customer analytics that runs in the browser.
//!
//! A transaction (or customer-level) export goes in as bytes; a [`Report`] comes out.
//! The flow runs one way (see `DESIGN.md` in the shared folder):
//!
//! ```text
//! bytes ─ingest─▶ Transactions + QualityReport ─summarize─▶ Customers + History ─▶ rfm / cluster / propensity / clv ─▶ Report
//!       ├────────▶ CustomerRows (a customer-level table) ─from_customer_rows─▶ Customers
//!       └────────▶ CustomerSummary (a per-customer summary) ─from_summary─▶ Customers (+ the models' statistics)
//! ```
//!
//! The modules form layers, each importing only those before it: time → ingest → customers →
//! history → analyses → report.
//!
//! Module map:
//! - [`ingest`]: bytes → [`ingest::Transactions`] + [`ingest::QualityReport`] (encoding, dialect,
//!   header, column roles, typed values, counted skips).
//! - [`customers`]: transactions or customer rows → the per-customer summary at an as-of date
//!   ([`customers::Customers`]).
//! - [`history`]: each customer's purchases before the as-of date, day-sorted (CSR), built once;
//!   propensity and CLV read it, never the raw rows.
//! - [`rfm`]: quantile scores and the named segment map.
//! - [`cluster`]: k-means (linfa) on scaled behaviour features, choosing k, profiles.
//! - [`propensity`]: who buys again in the next N days (logistic regression, linfa).
//! - [`clv`]: BG/NBD and Gamma-Gamma lifetime value.
//! - [`cohorts`]: retention by month of first purchase × months since.
//! - [`migration`]: RFM segments at an earlier as-of date against today's.
//! - [`crosssell`]: product pairs (support, confidence, lift) and each customer's next product.
//! - [`lifecycle`]: new / active / reactivated / at risk / lapsed at the as-of date.
//! - [`summary`]: transactions → the per-customer summary of `docs/summary-contract.md` (what a
//!   warehouse computes), and its CSV; read back, it gives the same figures.
//! - [`report`]: the serializable result the page and the CLI render, the one read-then-analyse
//!   run both call ([`report::read_and_analyze`]) and the cross-analysis views (cluster × segment).
//! - [`target`]: target lists from the Report's per-customer columns (filters, budget, seeded
//!   holdout, a recipe that round-trips as JSON) and the holdout's sample-size planner.
//! - [`readback`]: a campaign's response file against its list: conversion and revenue per
//!   group, uplift, significance ([`stats`]: the tests, checked against scipy / statsmodels).
//! - [`time`]: [`time::Day`] and date ↔ day, used by ingest and every analysis.
//! - [`numerics`]: the deterministic polish loops (Lloyd, Newton) and the one Cholesky, for
//!   identical bits natively and in wasm.
//! - [`money`]: exact money sums; [`warning`]: the warnings each section carries.
//! - `wasm` (wasm32 only): the one thin wasm-bindgen boundary.
//!
//! The core is plain Rust with no wasm types; it runs natively for tests, benches, fuzzing and
//! the `clientele` CLI.

pub mod cluster;
pub mod clv;
pub mod cohorts;
pub mod crosssell;
pub mod customers;
pub mod error;
pub mod export_cell;
pub mod fitted;
pub mod history;
pub mod ingest;
pub mod lifecycle;
pub mod migration;
pub mod money;
pub mod numerics;
pub mod propensity;
pub mod readback;
pub mod report;
pub mod rfm;
pub mod stats;
pub mod summary;
pub mod target;
pub mod time;
pub mod warning;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::Error;
pub use report::{analyze, AnalyzeOptions, Progress, Report};
pub use warning::Warning;
