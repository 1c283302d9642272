//! The statistics a campaign needs, in plain Rust over `libm` (the same bits natively and in
//! wasm): the normal and Student t distributions, Wilson and Newcombe intervals for
//! proportions, the pooled two-proportion z-test, Fisher's exact test, Welch's t-test, Holm's
//! adjustment and the two-proportion power calculation. Each is checked against scipy /
//! statsmodels (tests/fixtures/campaign/make_stats_fixture.py, tests/campaign_stats.rs).

/// P(Z ≤ x) for a standard normal Z.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// P(Z > x) for a standard normal Z (accurate in the far tail).
pub fn normal_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

/// The standard normal quantile: x with P(Z ≤ x) = p, for p in (0, 1). Acklam's rational
/// approximation refined by two Newton steps on [`normal_cdf`] (error below 1e-15).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut x = if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log1p(-p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    for _ in 0..2 {
        // Newton on the tail that is small, so the difference keeps its digits.
        let err = if x < 0.0 {
            normal_cdf(x) - p
        } else {
            (1.0 - p) - normal_sf(x)
        };
        let density = libm::exp(-0.5 * x * x) / (2.0 * std::f64::consts::PI).sqrt();
        if density > 0.0 {
            x -= err / density;
        }
    }
    x
}

/// ln Γ(x) for x > 0.
fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The regularized incomplete beta function I_x(a, b), by its continued fraction (Lentz).
pub fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * libm::log(x) + b * libm::log1p(-x);
    let front = libm::exp(ln_front);
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(x, a, b) / a
    } else {
        1.0 - front * beta_fraction(1.0 - x, b, a) / b
    }
}

fn beta_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (two-sided p-value).
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    incomplete_beta(df / (df + t * t), df / 2.0, 0.5)
}

/// The Student t quantile: t with P(T ≤ t) = p, by bisection on [`t_two_sided_p`].
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        return 0.0;
    }
    let upper_tail = if p > 0.5 { 1.0 - p } else { p };
    // Two-sided p of |t| is twice the upper tail.
    let target = 2.0 * upper_tail;
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    while t_two_sided_p(hi, df) > target {
        hi *= 2.0;
        if hi > 1e12 {
            break;
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_two_sided_p(mid, df) > target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-15 * hi.max(1.0) {
            break;
        }
    }
    let t = 0.5 * (lo + hi);
    if p > 0.5 {
        t
    } else {
        -t
    }
}

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// The Wilson score interval for `x` successes in `n` trials at confidence 1 − `alpha`
/// (statsmodels `proportion_confint(method="wilson")`); `None` for n = 0.
pub fn wilson(x: u64, n: u64, alpha: f64) -> Option<Interval> {
    if n == 0 {
        return None;
    }
    let z = normal_quantile(1.0 - alpha / 2.0);
    let (n, p) = (n as f64, x as f64 / n as f64);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * libm::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom;
    Some(Interval {
        low: (center - half).max(0.0),
        high: (center + half).min(1.0),
    })
}

/// Newcombe's hybrid score interval for p₁ − p₂ (statsmodels
/// `confint_proportions_2indep(method="newcomb")`); `None` when a group is empty.
pub fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, alpha: f64) -> Option<Interval> {
    let (w1, w2) = (wilson(x1, n1, alpha)?, wilson(x2, n2, alpha)?);
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let d = p1 - p2;
    Some(Interval {
        low: d - libm::sqrt((p1 - w1.low).powi(2) + (w2.high - p2).powi(2)),
        high: d + libm::sqrt((w1.high - p1).powi(2) + (p2 - w2.low).powi(2)),
    })
}

/// The interval for the ratio p₁ / p₂ on the log scale (Katz; statsmodels
/// `confint_proportions_2indep(compare="ratio", method="log")`); `None` when either count is
/// 0 (the ratio or its log is not finite).
pub fn ratio_log_interval(x1: u64, n1: u64, x2: u64, n2: u64, alpha: f64) -> Option<Interval> {
    if x1 == 0 || x2 == 0 || n1 == 0 || n2 == 0 {
        return None;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let ratio = (x1 / n1) / (x2 / n2);
    let se = libm::sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
    let z = normal_quantile(1.0 - alpha / 2.0);
    Some(Interval {
        low: ratio * libm::exp(-z * se),
        high: ratio * libm::exp(z * se),
    })
}

/// The pooled two-proportion z-test of p₁ = p₂ (statsmodels `proportions_ztest`): z and the
/// two-sided p-value; `None` when a group is empty or every customer (or none) converted.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<(f64, f64)> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (fx1, fn1, fx2, fn2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let pooled = (fx1 + fx2) / (fn1 + fn2);
    let var = pooled * (1.0 - pooled) * (1.0 / fn1 + 1.0 / fn2);
    if var <= 0.0 {
        return None;
    }
    let z = (fx1 / fn1 - fx2 / fn2) / libm::sqrt(var);
    Some((z, 2.0 * normal_sf(z.abs())))
}

/// Fisher's exact test of the 2×2 table [[a, b], [c, d]], two-sided as scipy's `fisher_exact`
/// (the tables at most as probable as the observed one, with scipy's relative tolerance 1e-7),
/// and the sample odds ratio (a·d)/(b·c) (∞ or NaN as scipy when a cell is 0).
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> (f64, f64) {
    let odds = if b == 0 || c == 0 {
        if a == 0 || d == 0 {
            f64::NAN
        } else {
            f64::INFINITY
        }
    } else {
        (a as f64 * d as f64) / (b as f64 * c as f64)
    };
    let (row1, col1, n) = (a + b, a + c, a + b + c + d);
    if row1 == 0 || col1 == 0 || row1 == n || col1 == n {
        return (odds, 1.0);
    }
    // x = the top-left cell, hypergeometric over its support.
    let lo = (row1 + col1).saturating_sub(n);
    let hi = row1.min(col1);
    let ln_choose =
        |n: u64, k: u64| ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0);
    let ln_total = ln_choose(n, col1);
    let ln_pmf = |x: u64| ln_choose(row1, x) + ln_choose(n - row1, col1 - x) - ln_total;
    let observed = ln_pmf(a);
    let bound = observed + libm::log1p(1e-7);
    let mut p = 0.0;
    for x in lo..=hi {
        let l = ln_pmf(x);
        if l <= bound {
            p += libm::exp(l);
        }
    }
    (odds, p.min(1.0))
}

/// Welch's unequal-variance t-test of mean₁ = mean₂ from each group's count, mean and sample
/// variance (ddof 1), as scipy's `ttest_ind(equal_var=False)`, with the interval for the
/// difference of means at confidence 1 − `alpha`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub t: f64,
    pub df: f64,
    pub p_value: f64,
    pub difference: f64,
    pub interval: Interval,
}

/// See [`Welch`]; `None` when a group has fewer than 2 values or both variances are 0.
pub fn welch(n1: u64, mean1: f64, var1: f64, n2: u64, mean2: f64, var2: f64, alpha: f64) -> Option<Welch> {
    if n1 < 2 || n2 < 2 {
        return None;
    }
    let (a, b) = (var1 / n1 as f64, var2 / n2 as f64);
    let se2 = a + b;
    if se2 <= 0.0 || !se2.is_finite() {
        return None;
    }
    let se = libm::sqrt(se2);
    let difference = mean1 - mean2;
    let t = difference / se;
    let df = se2 * se2 / (a * a / (n1 as f64 - 1.0) + b * b / (n2 as f64 - 1.0));
    let q = t_quantile(1.0 - alpha / 2.0, df);
    Some(Welch {
        t,
        df,
        p_value: t_two_sided_p(t, df),
        difference,
        interval: Interval {
            low: difference - q * se,
            high: difference + q * se,
        },
    })
}

/// Holm's step-down adjustment of p-values (statsmodels `multipletests(method="holm")`), in
/// the order given.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut out = vec![0.0; m];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        let adjusted = ((m - rank) as f64 * p[i]).min(1.0);
        running = running.max(adjusted);
        out[i] = running;
    }
    out
}

/// Cohen's h between two proportions (statsmodels `proportion_effectsize(p1, p2)`).
pub fn cohens_h(p1: f64, p2: f64) -> f64 {
    2.0 * libm::asin(libm::sqrt(p1)) - 2.0 * libm::asin(libm::sqrt(p2))
}

/// The power of a two-sided test at level `alpha` for effect size `h` (Cohen's h) with `n1`
/// and `n2` customers, as statsmodels `NormalIndPower().power(h, n1, alpha, ratio=n2/n1)`.
pub fn two_sample_power(h: f64, n1: f64, n2: f64, alpha: f64) -> f64 {
    if n1 <= 0.0 || n2 <= 0.0 {
        return 0.0;
    }
    let crit = normal_quantile(1.0 - alpha / 2.0);
    let shift = h.abs() * libm::sqrt(1.0 / (1.0 / n1 + 1.0 / n2));
    normal_sf(crit - shift) + normal_cdf(-crit - shift)
}

/// The customers per group (equal groups, not rounded) for power `power` at level `alpha`,
/// effect size `h`: statsmodels `NormalIndPower().solve_power(h, alpha=…, power=…, ratio=1)`.
/// `None` for h = 0.
pub fn per_group_for_power(h: f64, alpha: f64, power: f64) -> Option<f64> {
    if h == 0.0 || !h.is_finite() {
        return None;
    }
    let z = normal_quantile(1.0 - alpha / 2.0) + normal_quantile(power);
    // The closed form ignores the far tail; bisection adds it back (a tiny correction).
    let start = 2.0 * (z / h).powi(2);
    let (mut lo, mut hi) = (start * 0.5, start * 1.5);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if two_sample_power(h, mid, mid, alpha) < power {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_inverts_the_cdf() {
        for p in [1e-12, 0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.999999] {
            let x = normal_quantile(p);
            assert!((normal_cdf(x) - p).abs() < 1e-14 * p.max(1e-2), "{p}: {x}");
        }
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-14);
    }

    #[test]
    fn t_distribution_matches_known_values() {
        // scipy.stats.t.ppf(0.975, 10) = 2.2281388519649385
        assert!((t_quantile(0.975, 10.0) - 2.2281388519649385).abs() < 1e-10);
        // scipy.stats.t.sf(2.0, 5) * 2 = 0.10193947882985835
        assert!((t_two_sided_p(2.0, 5.0) - 0.10193947882985835).abs() < 1e-12);
    }

    #[test]
    fn fisher_matches_scipy_on_a_small_table() {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]]) = (20.0, 0.03496503496503495)
        let (odds, p) = fisher_exact(8, 2, 1, 5);
        assert_eq!(odds, 20.0);
        assert!((p - 0.03496503496503495).abs() < 1e-12, "{p}");
    }

    #[test]
    fn holm_is_monotone() {
        let adj = holm(&[0.01, 0.04, 0.03, 0.5]);
        assert_eq!(adj, vec![0.04, 0.09, 0.09, 0.5]);
    }
}
