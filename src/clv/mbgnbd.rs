//! The modified BG/NBD model (Batislam, Denizel & Filiztekin 2007): BG/NBD in which a customer
//! may also drop out right after the first purchase, so a one-time buyer seen long ago is no
//! longer certainly alive. Log-likelihood with gradient on grouped patterns, and the same
//! predictions as BG/NBD; formulas as python lifetimes' `ModifiedBetaGeoFitter`.

use super::bgnbd::{hyp2f1, ln_beta, log_add_exp, Patterns};
use super::math::{digamma, ln_gamma, Portable};
use serde::Serialize;

/// MBG/NBD parameters: purchase rates ~ Gamma(r, α), dropout probability ~ Beta(a, b), with a
/// dropout chance at time 0 too. `alpha` is in the report's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct MbgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl MbgNbd {
    /// Log-likelihood of one customer with `x` repeat purchases, the last at `t_x`, observed for `t`.
    pub fn log_likelihood_one(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let MbgNbd { r, alpha, a, b } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln_p();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x + 1.0) - ln_gamma(b) - ln_gamma(a + b + x + 1.0);
        let a3 = -(r + x) * (alpha + t).ln_p();
        let a4 = a.ln_p() - (b + x).ln_p() - (r + x) * (alpha + t_x).ln_p();
        a1 + a2 + log_add_exp(a3, a4)
    }

    /// P(alive | x, t_x, T): below 1 for one-time buyers too.
    pub fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64 {
        let MbgNbd { r, alpha, a, b } = *self;
        let log_odds_dead = (r + x) * ((alpha + big_t) / (alpha + t_x)).ln_p() + (a / (b + x)).ln_p();
        1.0 / (1.0 + log_odds_dead.exp_p())
    }

    /// E[X(t)] for a new customer.
    pub fn expected_purchases(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let MbgNbd { r, alpha, a, b } = *self;
        if (a - 1.0).abs() < 1e-7 {
            let lo = MbgNbd {
                a: 1.0 - 1e-6,
                ..*self
            };
            let hi = MbgNbd {
                a: 1.0 + 1e-6,
                ..*self
            };
            return 0.5 * (lo.expected_purchases(t) + hi.expected_purchases(t));
        }
        // b/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; z)], z = t/(α+t), through Euler's
        // transformation as in `conditional_expected_purchases`.
        let z = t / (alpha + t);
        match hyp2f1(a + b - r, a - 1.0, a + b, z) {
            Some(s) => b / (a - 1.0) * (1.0 - ((a - 1.0) * (1.0 - z).ln_p()).exp_p() * s),
            // The series did not settle: purchases of a customer who never drops out.
            None => r / alpha * t,
        }
    }

    /// E[Y(t) | x, t_x, T] (lifetimes `conditional_expected_number_of_purchases_up_to_time`),
    /// through Euler's transformation ₂F₁(r+x, b+x+1; c; z)(1−z)^(r+x) = (1−z)^(a−1)
    /// ₂F₁(a+b−r, a−1; c; z) with c = a+b+x, whose series has small parameters for any x.
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let a = self.a;
        // At a = 1 the two factors are ∞ × 0; the expression is smooth there.
        if (a - 1.0).abs() < 1e-7 {
            let lo = MbgNbd {
                a: 1.0 - 1e-6,
                ..*self
            };
            let hi = MbgNbd {
                a: 1.0 + 1e-6,
                ..*self
            };
            return 0.5
                * (lo.conditional_expected_purchases(t, x, t_x, big_t)
                    + hi.conditional_expected_purchases(t, x, t_x, big_t));
        }
        let MbgNbd { r, alpha, b, .. } = *self;
        let c = a + b + x;
        let z = t / (alpha + big_t + t);
        let bracket =
            hyp2f1(a + b - r, a - 1.0, c, z).map(|s| 1.0 - ((a - 1.0) * (1.0 - z).ln_p()).exp_p() * s);
        let numerator = match bracket {
            Some(v) if v.is_finite() => c / (a - 1.0) * v,
            // The series did not settle: purchases of a customer alive all along (an upper bound).
            _ => (r + x) / (alpha + big_t) * t,
        };
        numerator * self.p_alive(x, t_x, big_t)
    }

    /// P(X(t) = n) for a new customer (lifetimes `probability_of_n_purchases_up_to_time`).
    pub fn p_n_purchases(&self, t: f64, n: u32) -> f64 {
        if t <= 0.0 {
            return if n == 0 { 1.0 } else { 0.0 };
        }
        let MbgNbd { r, alpha, a, b } = *self;
        let nf = n as f64;
        let ln_keep = (alpha / (alpha + t)).ln_p();
        let ln_rate = (t / (alpha + t)).ln_p();
        let ln_nbd = |j: f64| {
            let rate_term = if j == 0.0 { 0.0 } else { j * ln_rate };
            ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_keep + rate_term
        };
        let first = (ln_beta(a, b + nf + 1.0) - ln_beta(a, b) + ln_nbd(nf)).exp_p();
        let below: f64 = (0..n).map(|j| ln_nbd(j as f64).exp_p()).sum();
        let second = (ln_beta(a + 1.0, b + nf) - ln_beta(a, b)).exp_p() * (1.0 - below).max(0.0);
        (first + second).clamp(0.0, 1.0)
    }
}

impl Patterns {
    /// Total MBG/NBD log-likelihood and its gradient with respect to (r, α, a, b).
    pub fn mbgnbd_log_likelihood_and_gradient(&self, p: &MbgNbd) -> (f64, [f64; 4]) {
        let MbgNbd { r, alpha, a, b } = *p;
        let (ln_alpha, ln_a, psi_r, psi_b, psi_ab) =
            (alpha.ln_p(), a.ln_p(), digamma(r), digamma(b), digamma(a + b));
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let table = |times: &[f64]| -> Vec<(f64, f64)> {
            times.iter().map(|&t| ((alpha + t).ln_p(), alpha + t)).collect()
        };
        let (at_t, at_tx) = (table(&self.t), table(&self.t_x));
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        for grp in &self.groups {
            let x = grp.x;
            let rx = r + x;
            let c1 = ln_gamma(rx) - lg_r + r * ln_alpha;
            let c2 = lg_ab + ln_gamma(b + x + 1.0) - lg_b - ln_gamma(a + b + x + 1.0);
            let d_r0 = digamma(rx) - psi_r + ln_alpha;
            let d_ab = psi_ab - digamma(a + b + x + 1.0);
            let d_b0 = d_ab + digamma(b + x + 1.0) - psi_b;
            let ln_ab = ln_a - (b + x).ln_p();
            for ((&itx, &it), &w) in grp.t_x.iter().zip(&grp.t).zip(&grp.weight) {
                let (l_t, alpha_t) = at_t[it as usize];
                let (l_tx, alpha_tx) = at_tx[itx as usize];
                let a3 = -rx * l_t;
                let a4 = ln_ab - rx * l_tx;
                let lse = log_add_exp(a3, a4);
                let w3 = (a3 - lse).exp_p();
                let w4 = 1.0 - w3;
                ll += w * (c1 + c2 + lse);
                g[0] += w * (d_r0 - w3 * l_t - w4 * l_tx);
                g[1] += w * (r / alpha - w3 * rx / alpha_t - w4 * rx / alpha_tx);
                g[2] += w * (d_ab + w4 / a);
                g[3] += w * (d_b0 - w4 / (b + x));
            }
        }
        (ll, g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lifetimes 0.11.3 on the CDNOW sample (tests/fixtures/clv/lifetimes_models_cdnow.json).
    const CDNOW: MbgNbd = MbgNbd {
        r: 0.5248431186194373,
        alpha: 6.183084926930682,
        a: 0.8913593963342181,
        b: 1.6140023394929466,
    };

    #[test]
    fn matches_lifetimes_on_single_customers() {
        // Customer 00004: x = 2, t_x = 30.43, T = 38.86; customer 00002: x = 0, T = 38.43.
        let p = CDNOW.p_alive(2.0, 30.428571428571427, 38.857142857142854);
        assert!((p - 0.70613848).abs() < 1e-7, "{p}");
        let p0 = CDNOW.p_alive(0.0, 0.0, 38.42857142857143);
        assert!((p0 - 0.39091713).abs() < 1e-7, "{p0}");
        let e = CDNOW.expected_purchases(39.0);
        assert!((e - 1.1822797516889592).abs() < 1e-9, "{e}");
        assert!((CDNOW.expected_purchases(1.0) - 0.05306032340036761).abs() < 1e-9);
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 1.0, 2.0, 5.0, 150.0];
        let tx = [0.0, 3.0, 10.0, 20.0, 37.0];
        let t = [30.0, 35.0, 38.0, 39.0, 38.5];
        let data = Patterns::new(&x, &tx, &t, 1.0);
        let (ll, _) = data.mbgnbd_log_likelihood_and_gradient(&CDNOW);
        let direct: f64 = (0..5).map(|i| CDNOW.log_likelihood_one(x[i], tx[i], t[i])).sum();
        assert!((ll - direct).abs() < 1e-9);
        crate::clv::assert_gradient_matches([CDNOW.r, CDNOW.alpha, CDNOW.a, CDNOW.b], |[r, alpha, a, b]| {
            data.mbgnbd_log_likelihood_and_gradient(&MbgNbd { r, alpha, a, b })
        });
    }

    #[test]
    fn p_n_sums_to_one() {
        let total: f64 = (0..400).map(|n| CDNOW.p_n_purchases(39.0, n)).sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
    }
}
