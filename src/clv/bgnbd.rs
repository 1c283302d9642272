//! The BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers
//! the easy way"): log-likelihood with its gradient for fitting, and the predictions the report
//! shows (expected purchases, P(alive), P(X(t) = n)). Formulas follow the paper and lifetimes.

use super::math::{digamma, ln_gamma, Portable};
use serde::Serialize;

/// BG/NBD parameters: purchase rates ~ Gamma(r, α), dropout probability ~ Beta(a, b).
/// `alpha` is in the time unit of the report (days or weeks).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

pub(super) fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln(eˣ + eʸ) without overflow.
pub(super) fn log_add_exp(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    let m = x.max(y);
    if m == f64::NEG_INFINITY {
        return m;
    }
    // One of the two terms is e⁰ = 1 exactly: only the other needs exp.
    let other = if x >= y { y } else { x };
    m + (1.0 + (other - m).exp_p()).ln_p()
}

/// Term budget of the ₂F₁ series: enough for z ≤ 0.99 (horizon up to 99 × (α + T)); beyond
/// that the caller's fallback keeps every report bounded in time.
const HYP2F1_MAX_TERMS: u32 = 20_000;

/// Gauss hypergeometric ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1. `None` when it
/// does not settle within the term budget (callers fall back) or is not finite.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(0.0..1.0).contains(&z) || c <= 0.0 {
        return None;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..HYP2F1_MAX_TERMS {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        if term.abs() <= 1e-16 * sum.abs() && k > 2.0 {
            return Some(sum);
        }
    }
    None
}

impl BgNbd {
    /// Log-likelihood of one customer with `x` repeat purchases, the last at `t_x`, observed for `t`.
    pub fn log_likelihood_one(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln_p();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + t).ln_p();
        if x > 0.0 {
            let a4 = a.ln_p() - (b + x - 1.0).ln_p() - (r + x) * (alpha + t_x).ln_p();
            a1 + a2 + log_add_exp(a3, a4)
        } else {
            a1 + a2 + a3
        }
    }

    /// Sum of the log-likelihood over customers (vectors of equal length).
    pub fn log_likelihood(&self, x: &[f64], t_x: &[f64], t: &[f64]) -> f64 {
        x.iter()
            .zip(t_x)
            .zip(t)
            .map(|((&x, &tx), &t)| self.log_likelihood_one(x, tx, t))
            .sum()
    }

    /// E[X(t)]: expected repeat purchases in a period of length `t` for a new customer (eq. 9).
    pub fn expected_purchases(&self, t: f64) -> f64 {
        self.conditional_expected_purchases(t, 0.0, 0.0, 0.0)
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` periods of a customer with `x`
    /// repeat purchases, the last at `t_x`, first purchase `big_t` periods ago (eq. 10; lifetimes
    /// `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// Uses Euler's transformation ₂F₁(r+x, b+x; c; z) = (1−z)^(c−r−b−2x) ₂F₁(c−r−x, c−b−x; c; z)
    /// with c = a+b+x−1, whose series has small parameters for any x, and (α+T)/(α+T+t) = 1−z,
    /// so the bracket becomes 1 − (1−z)^(a−1) ₂F₁(a+b−1−r, a−1; c; z): no overflow for large x.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let a = self.a;
        // At a = 1 the two factors are ∞ × 0; the expression is smooth there.
        if (a - 1.0).abs() < 1e-7 {
            let lo = BgNbd {
                a: 1.0 - 1e-6,
                ..*self
            };
            let hi = BgNbd {
                a: 1.0 + 1e-6,
                ..*self
            };
            return 0.5
                * (lo.conditional_expected_purchases(t, x, t_x, big_t)
                    + hi.conditional_expected_purchases(t, x, t_x, big_t));
        }
        let BgNbd { r, alpha, b, .. } = *self;
        let c = a + b + x - 1.0;
        let z = t / (alpha + big_t + t);
        let bracket =
            hyp2f1(a + b - 1.0 - r, a - 1.0, c, z).map(|s| 1.0 - ((a - 1.0) * (1.0 - z).ln_p()).exp_p() * s);
        let numerator = match bracket {
            Some(v) if v.is_finite() => c / (a - 1.0) * v,
            // Series did not settle (extreme parameters): purchases of a customer who stays
            // alive over the whole period, an upper bound, rather than no number at all.
            _ => (r + x) / (alpha + big_t) * t,
        };
        numerator * self.p_alive(x, t_x, big_t)
    }

    /// P(alive | x, t_x, T) (Fader, Hardie & Lee 2008 note 021; lifetimes
    /// `conditional_probability_alive`): 1 for customers without repeat purchases.
    pub fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64 {
        if x <= 0.0 {
            return 1.0;
        }
        let BgNbd { r, alpha, a, b } = *self;
        let log_odds_dead = (r + x) * ((alpha + big_t) / (alpha + t_x)).ln_p() + (a / (b + x - 1.0)).ln_p();
        1.0 / (1.0 + log_odds_dead.exp_p())
    }

    /// P(X(t) = n): probability that a randomly chosen new customer makes exactly `n` repeat
    /// purchases in a period of length `t` (eq. 8; lifetimes `probability_of_n_purchases_up_to_time`).
    pub fn p_n_purchases(&self, t: f64, n: u32) -> f64 {
        if t <= 0.0 {
            return if n == 0 { 1.0 } else { 0.0 };
        }
        let BgNbd { r, alpha, a, b } = *self;
        let nf = n as f64;
        let ln_keep = (alpha / (alpha + t)).ln_p();
        let ln_rate = (t / (alpha + t)).ln_p();
        // 0 × ln(0) would be NaN for j = 0 when t/(α+t) underflows.
        let ln_nbd = |j: f64| {
            let rate_term = if j == 0.0 { 0.0 } else { j * ln_rate };
            ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_keep + rate_term
        };
        let first = (ln_beta(a, b + nf) - ln_beta(a, b) + ln_nbd(nf)).exp_p();
        let second = if n > 0 {
            let below: f64 = (0..n).map(|j| ln_nbd(j as f64).exp_p()).sum();
            (ln_beta(a + 1.0, b + nf - 1.0) - ln_beta(a, b)).exp_p() * (1.0 - below).max(0.0)
        } else {
            0.0
        };
        (first + second).clamp(0.0, 1.0)
    }
}

/// Customers with the same (x, t_x, T) pattern merged, grouped by x so the gamma functions of
/// x are evaluated once per distinct x (every purchase model's likelihood walks these). Times are indexes into the tables of distinct t_x and
/// T values, so ln(α + t) is taken once per distinct time rather than once per pattern (with
/// daily data there are at most a few thousand distinct times for any number of customers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Patterns {
    pub(super) groups: Vec<XGroup>,
    /// Distinct t_x values (scaled), ascending.
    pub(super) t_x: Vec<f64>,
    /// Distinct T values (scaled), ascending.
    pub(super) t: Vec<f64>,
    pub total_weight: f64,
}

#[derive(Debug, Clone)]
pub(super) struct XGroup {
    pub(super) x: f64,
    /// Per pattern: index into `Patterns::t_x`, index into `Patterns::t`, customers.
    pub(super) t_x: Vec<u32>,
    pub(super) t: Vec<u32>,
    pub(super) weight: Vec<f64>,
}

/// Sorted distinct values of `v`, and a lookup from value to index.
fn distinct(v: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut d: Vec<f64> = v.collect();
    d.sort_by(f64::total_cmp);
    d.dedup_by(|a, b| a.total_cmp(b).is_eq());
    d
}

fn index_of(table: &[f64], v: f64) -> u32 {
    table.binary_search_by(|p| p.total_cmp(&v)).unwrap_or(0) as u32
}

impl Patterns {
    /// Builds the patterns; time is multiplied by `scale` (lifetimes fits with the largest T = 1).
    pub fn new(x: &[f64], t_x: &[f64], t: &[f64], scale: f64) -> Self {
        let mut rows: Vec<(f64, f64, f64)> = x
            .iter()
            .zip(t_x)
            .zip(t)
            .map(|((&x, &tx), &t)| (x, tx * scale, t * scale))
            .collect();
        rows.sort_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.total_cmp(&q.2))
        });
        let mut data = Patterns {
            t_x: distinct(rows.iter().map(|r| r.1)),
            t: distinct(rows.iter().map(|r| r.2)),
            ..Default::default()
        };
        for (x, tx, t) in rows {
            data.total_weight += 1.0;
            let (itx, it) = (index_of(&data.t_x, tx), index_of(&data.t, t));
            match data.groups.last_mut() {
                Some(g) if g.x == x => {
                    let last = g.t_x.len() - 1;
                    if g.t_x[last] == itx && g.t[last] == it {
                        g.weight[last] += 1.0;
                    } else {
                        g.t_x.push(itx);
                        g.t.push(it);
                        g.weight.push(1.0);
                    }
                }
                _ => data.groups.push(XGroup {
                    x,
                    t_x: vec![itx],
                    t: vec![it],
                    weight: vec![1.0],
                }),
            }
        }
        data
    }

    /// Distinct patterns (the cost of one likelihood evaluation).
    pub fn distinct(&self) -> usize {
        self.groups.iter().map(|g| g.weight.len()).sum()
    }

    /// Total BG/NBD log-likelihood and its gradient with respect to (r, α, a, b).
    pub fn log_likelihood_and_gradient(&self, p: &BgNbd) -> (f64, [f64; 4]) {
        let BgNbd { r, alpha, a, b } = *p;
        let (ln_alpha, psi_r, psi_b, psi_ab) = (alpha.ln_p(), digamma(r), digamma(b), digamma(a + b));
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        // α + t and its logarithm once per distinct time.
        let table = |times: &[f64]| -> Vec<(f64, f64)> {
            times.iter().map(|&t| ((alpha + t).ln_p(), alpha + t)).collect()
        };
        let (at_t, at_tx) = (table(&self.t), table(&self.t_x));
        for grp in &self.groups {
            let x = grp.x;
            let rx = r + x;
            let c1 = ln_gamma(rx) - lg_r + r * ln_alpha;
            let c2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
            let d_r0 = digamma(rx) - psi_r + ln_alpha;
            let d_ab = psi_ab - digamma(a + b + x);
            let d_b0 = d_ab + digamma(b + x) - psi_b;
            let ln_ab = if x > 0.0 {
                a.ln_p() - (b + x - 1.0).ln_p()
            } else {
                0.0
            };
            for ((&itx, &it), &w) in grp.t_x.iter().zip(&grp.t).zip(&grp.weight) {
                let (l_t, alpha_t) = at_t[it as usize];
                let a3 = -rx * l_t;
                let (lse, w3, l_tx, alpha_tx) = if x > 0.0 {
                    let (l_tx, alpha_tx) = at_tx[itx as usize];
                    let a4 = ln_ab - rx * l_tx;
                    let lse = log_add_exp(a3, a4);
                    (lse, (a3 - lse).exp_p(), l_tx, alpha_tx)
                } else {
                    (a3, 1.0, 0.0, alpha)
                };
                let w4 = 1.0 - w3;
                ll += w * (c1 + c2 + lse);
                g[0] += w * (d_r0 - w3 * l_t - w4 * l_tx);
                g[1] += w * (r / alpha - w3 * rx / alpha_t - w4 * rx / alpha_tx);
                g[2] += w * (d_ab + if x > 0.0 { w4 / a } else { 0.0 });
                g[3] += w * (d_b0 - if x > 0.0 { w4 / (b + x - 1.0) } else { 0.0 });
            }
        }
        (ll, g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAPER: BgNbd = BgNbd {
        r: 0.2425945,
        alpha: 4.4136019,
        a: 0.7929199,
        b: 2.4258881,
    };

    #[test]
    fn spreadsheet_customer() {
        // Fader, Hardie & Lee's spreadsheet: x = 2, t_x = 30.43, T = 38.86 weeks.
        let e = PAPER.conditional_expected_purchases(39.0, 2.0, 30.43, 38.86);
        let p = PAPER.p_alive(2.0, 30.43, 38.86);
        assert!((e - 1.226).abs() < 5e-4, "{e}");
        assert!((p - 0.727).abs() < 5e-4, "{p}");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 1.0, 2.0, 5.0, 150.0];
        let tx = [0.0, 3.0, 10.0, 20.0, 37.0];
        let t = [30.0, 35.0, 38.0, 39.0, 38.5];
        let data = Patterns::new(&x, &tx, &t, 1.0);
        let (ll, _) = data.log_likelihood_and_gradient(&PAPER);
        assert!((ll - PAPER.log_likelihood(&x, &tx, &t)).abs() < 1e-9);
        crate::clv::assert_gradient_matches([PAPER.r, PAPER.alpha, PAPER.a, PAPER.b], |[r, alpha, a, b]| {
            data.log_likelihood_and_gradient(&BgNbd { r, alpha, a, b })
        });
    }

    #[test]
    fn no_overflow_for_hundreds_of_purchases() {
        let ll = PAPER.log_likelihood_one(400.0, 38.0, 39.0);
        let e = PAPER.conditional_expected_purchases(52.0, 400.0, 38.0, 39.0);
        // lifetimes 0.11.3 gives 14.77367500610128 (a week's silence is long at 10 a week).
        assert!(ll.is_finite() && (e - 14.773675006101).abs() < 1e-8, "{ll} {e}");
    }

    #[test]
    fn p_n_sums_to_one() {
        let total: f64 = (0..400).map(|n| PAPER.p_n_purchases(39.0, n)).sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
    }
}
