//! The Gamma-Gamma model of spend per purchase (Fader & Hardie, "The Gamma-Gamma model of
//! monetary value", note 025): log-likelihood with gradient for fitting on repeat buyers, and
//! each customer's conditional expected spend (a weighted mean of their own and the population's).

use super::math::{digamma, ln_gamma, Portable};
use serde::Serialize;

/// Gamma-Gamma parameters: spend per purchase ~ Gamma(p, ν) with ν ~ Gamma(q, γ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

impl GammaGamma {
    /// Mean spend per purchase in the population, γp/(q−1); infinite when q ≤ 1.
    pub fn population_mean(&self) -> f64 {
        if self.q > 1.0 {
            self.gamma * self.p / (self.q - 1.0)
        } else {
            f64::INFINITY
        }
    }

    /// E[M | x, m̄]: expected spend per purchase of a customer with `x` repeat purchases of mean
    /// `mean_spend` (eq. 5; lifetimes `conditional_expected_average_profit`). For x = 0 this is the
    /// population mean.
    pub fn conditional_expected_spend(&self, x: f64, mean_spend: f64) -> f64 {
        let GammaGamma { p, q, .. } = *self;
        let weight = p * x / (p * x + q - 1.0);
        (1.0 - weight) * self.population_mean() + weight * mean_spend
    }

    /// Log-likelihood of one repeat buyer (x > 0, mean spend m > 0).
    pub fn log_likelihood_one(&self, x: f64, m: f64) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        let px = p * x;
        ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
            + q * gamma.ln_p()
            + (px - 1.0) * m.ln_p()
            + px * x.ln_p()
            - (px + q) * (x * m + gamma).ln_p()
    }
}

/// Repeat buyers grouped by x (the gamma functions depend on x only).
#[derive(Debug, Clone, Default)]
pub(crate) struct GammaGammaData {
    groups: Vec<(f64, Vec<f64>)>,
    pub total_weight: f64,
}

impl GammaGammaData {
    pub fn new(x: &[f64], m: &[f64]) -> Self {
        let mut rows: Vec<(f64, f64)> = x.iter().copied().zip(m.iter().copied()).collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut data = GammaGammaData::default();
        for (x, m) in rows {
            data.total_weight += 1.0;
            match data.groups.last_mut() {
                Some((gx, ms)) if *gx == x => ms.push(m),
                _ => data.groups.push((x, vec![m])),
            }
        }
        data
    }

    /// Total log-likelihood and its gradient with respect to (p, q, γ).
    pub fn log_likelihood_and_gradient(&self, gg: &GammaGamma) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, gamma } = *gg;
        let (lg_q, psi_q, ln_gamma_) = (ln_gamma(q), digamma(q), gamma.ln_p());
        let mut ll = 0.0;
        let mut g = [0.0; 3];
        for (x, ms) in &self.groups {
            let x = *x;
            let px = p * x;
            let c = ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_gamma_ + px * x.ln_p();
            let (psi_pxq, psi_px) = (digamma(px + q), digamma(px));
            for &m in ms {
                let ln_m = m.ln_p();
                let ln_xm = (x * m + gamma).ln_p();
                ll += c + (px - 1.0) * ln_m - (px + q) * ln_xm;
                g[0] += x * (psi_pxq - psi_px + ln_m + x.ln_p() - ln_xm);
                g[1] += psi_pxq - psi_q + ln_gamma_ - ln_xm;
                g[2] += q / gamma - (px + q) / (x * m + gamma);
            }
        }
        (ll, g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let x = [1.0, 1.0, 2.0, 7.0, 300.0];
        let m = [10.0, 35.5, 12.0, 80.0, 20.0];
        let data = GammaGammaData::new(&x, &m);
        let (ll, g) = data.log_likelihood_and_gradient(&gg);
        let direct: f64 = x.iter().zip(&m).map(|(&x, &m)| gg.log_likelihood_one(x, m)).sum();
        assert!((ll - direct).abs() < 1e-9);
        let h = 1e-6;
        let f = |i: usize, d: f64| {
            let mut v = [gg.p, gg.q, gg.gamma];
            v[i] += d;
            data.log_likelihood_and_gradient(&GammaGamma {
                p: v[0],
                q: v[1],
                gamma: v[2],
            })
            .0
        };
        for (i, gi) in g.iter().enumerate() {
            let num = (f(i, h) - f(i, -h)) / (2.0 * h);
            assert!(
                (num - gi).abs() < 1e-4 * (1.0 + gi.abs()),
                "param {i}: {num} vs {gi}"
            );
        }
    }

    #[test]
    fn no_purchases_means_population_mean() {
        let gg = GammaGamma {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        assert_eq!(gg.conditional_expected_spend(0.0, 0.0), gg.population_mean());
        assert!((gg.population_mean() - 15.44 * 6.25 / 2.74).abs() < 1e-12);
    }
}
