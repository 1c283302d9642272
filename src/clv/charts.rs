//! Chart-ready aggregates of the lifetime-value report: the frequency × recency grids, the
//! repeat-purchase fit table, the CLV histogram.

use super::{FrequencyRecencyMatrix, Histogram, PurchasePredictions, RepeatPurchaseRow};

const GRID_MAX: usize = 50;
const HISTOGRAM_BINS: usize = 20;

pub(super) fn frequency_label(n: usize) -> String {
    if n >= 7 {
        "7+".to_string()
    } else {
        n.to_string()
    }
}

/// Nearest-rank quantile of finite values.
pub(super) fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

pub(super) fn histogram(values: &[f64]) -> Histogram {
    let top = quantile(values, 0.99);
    let top = if top > 0.0 { top } else { 1.0 };
    let width = top / HISTOGRAM_BINS as f64;
    let edges = (0..=HISTOGRAM_BINS).map(|i| i as f64 * width).collect();
    let mut counts = vec![0u64; HISTOGRAM_BINS];
    let mut overflow = 0;
    for &v in values {
        if v.is_nan() || v > top {
            overflow += 1;
        } else {
            let bin = ((v.max(0.0) / width) as usize).min(HISTOGRAM_BINS - 1);
            counts[bin] += 1;
        }
    }
    Histogram {
        edges,
        counts,
        overflow,
    }
}

pub(super) fn frequency_recency_matrix(
    model: &dyn PurchasePredictions,
    x: &[f64],
    t: &[f64],
    period: f64,
) -> FrequencyRecencyMatrix {
    let max_x = x.iter().copied().fold(0.0, f64::max) as usize;
    let age = t.iter().copied().fold(0.0, f64::max);
    let frequency: Vec<u32> = (0..=max_x.min(GRID_MAX)).map(|f| f as u32).collect();
    let recency: Vec<f64> = (0..=GRID_MAX).map(|j| age * j as f64 / GRID_MAX as f64).collect();
    let mut expected_purchases = Vec::with_capacity(frequency.len());
    let mut p_alive = Vec::with_capacity(frequency.len());
    for &f in &frequency {
        let f = f as f64;
        expected_purchases.push(
            recency
                .iter()
                .map(|&r| model.conditional_expected_purchases(period, f, r, age))
                .collect(),
        );
        p_alive.push(recency.iter().map(|&r| model.p_alive(f, r, age)).collect());
    }
    FrequencyRecencyMatrix {
        frequency,
        recency,
        age,
        period,
        expected_purchases,
        p_alive,
        frequency_capped: max_x > GRID_MAX,
    }
}

pub(super) fn repeat_purchase_fit(
    model: &dyn PurchasePredictions,
    x: &[f64],
    t: &[f64],
) -> Vec<RepeatPurchaseRow> {
    let mut actual = [0u64; 8];
    for &v in x {
        actual[(v as usize).min(7)] += 1;
    }
    // P(X(T) = n) depends on T only: evaluate once per distinct age.
    let mut ages: Vec<f64> = t.to_vec();
    ages.sort_by(f64::total_cmp);
    let mut expected = [0.0f64; 8];
    let mut i = 0;
    while i < ages.len() {
        let mut j = i;
        while j < ages.len() && ages[j] == ages[i] {
            j += 1;
        }
        let count = (j - i) as f64;
        let mut below = 0.0;
        for (n, slot) in expected.iter_mut().enumerate().take(7) {
            let p = model.p_n_purchases(ages[i], n as u32);
            *slot += count * p;
            below += p;
        }
        expected[7] += count * (1.0 - below).max(0.0);
        i = j;
    }
    (0..8)
        .map(|k| RepeatPurchaseRow {
            repeat_purchases: frequency_label(k),
            actual: actual[k],
            expected: expected[k],
        })
        .collect()
}
