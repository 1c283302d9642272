//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): Poisson purchases at a
//! Gamma(r, α) rate while alive, an exponential lifetime with a Gamma(s, β) rate. Likelihood,
//! P(alive) and expected purchases as in Fader, Hardie & Lee's note "A note on deriving the
//! Pareto/NBD model and related expressions" (2005), on grouped patterns with the gradient.
//!
//! The note writes the likelihood's middle term A₀ as a difference of two Gauss hypergeometric
//! functions ₂F₁(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+t)). Their series crawls (and lifetimes'
//! difference loses every digit) when α and β are far apart or t_x is close to T; both are the
//! Euler integral A₀/(r+s+x) = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, which is evaluated here
//! directly by Gauss–Legendre on a logarithmic scale: stable for any α/β ratio, no
//! cancellation, and the gradient comes from the same nodes.

use super::bgnbd::{log_add_exp, Patterns};
use super::math::{digamma, ln_gamma, Portable};
use serde::Serialize;

/// Pareto/NBD parameters: purchase rates ~ Gamma(r, α), dropout rates ~ Gamma(s, β); α and β
/// in the report's time unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// 6-point Gauss–Legendre nodes and weights on [−1, 1] (positive half; symmetric).
const GL_NODES: [f64; 3] = [
    0.238_619_186_083_196_9,
    0.661_209_386_466_264_5,
    0.932_469_514_203_152,
];
const GL_WEIGHTS: [f64; 3] = [
    0.467_913_934_572_691,
    0.360_761_573_048_138_6,
    0.171_324_492_379_170_3,
];

/// Calls `f(τ, w)` for quadrature nodes of ∫_{t0}^{t1} · dτ on u = ln(m + τ) (`w` includes the
/// Jacobian m + τ). Panels start `4 / steep` wide (an integrand falling like (m+τ)^−steep is
/// resolved) and double up to 2 (the integrand's poles at τ = −α, −β are π away in u): 6 nodes
/// per panel give a relative error near 1e-12 for the CDNOW fits and below 1e-7 at α/β = 10⁻⁶
/// (checked against adaptive quadrature), at 60 % of the cost of 10 nodes.
fn for_each_node(t0: f64, t1: f64, m: f64, steep: f64, mut f: impl FnMut(f64, f64)) {
    let (mut u, u1) = ((m + t0).ln_p(), (m + t1).ln_p());
    let mut width = (4.0 / steep.max(1e-3)).min(2.0);
    while u < u1 {
        let end = (u + width).min(u1);
        let (mid, half) = (0.5 * (u + end), 0.5 * (end - u));
        for (&node, &weight) in GL_NODES.iter().zip(&GL_WEIGHTS) {
            for v in [mid - half * node, mid + half * node] {
                let e = v.exp_p();
                f(e - m, weight * half * e);
            }
        }
        u = end;
        width = (2.0 * width).min(2.0);
    }
}

/// ln ∫_{t0}^{t1} (α+τ)^−p (β+τ)^−q dτ and its derivatives with respect to (p's r, α, q's s, β)
/// (p = r + x, q = s + 1); `None` when the interval is empty.
fn ln_integral(alpha: f64, beta: f64, p: f64, q: f64, t0: f64, t1: f64) -> Option<(f64, [f64; 4])> {
    if t1 <= t0 {
        return None;
    }
    // Scaled by the integrand at t0, its largest value up to the Jacobian: nothing overflows.
    let ln_top = -p * (alpha + t0).ln_p() - q * (beta + t0).ln_p();
    let m = alpha.min(beta);
    let (mut s0, mut d) = (0.0, [0.0; 4]);
    for_each_node(t0, t1, m, p + q, |tau, w| {
        let (la, lb) = ((alpha + tau).ln_p(), (beta + tau).ln_p());
        let g = w * (-p * la - q * lb - ln_top).exp_p();
        s0 += g;
        d[0] -= g * la;
        d[1] -= g * p / (alpha + tau);
        d[2] -= g * lb;
        d[3] -= g * q / (beta + tau);
    });
    (s0 > 0.0).then(|| (s0.ln_p() + ln_top, d.map(|v| v / s0)))
}

impl ParetoNbd {
    /// ln of the two terms of the likelihood after Γ(r+x)α^r β^s / Γ(r): alive at T, and gone
    /// between t_x and T (with its derivatives; `None` when t_x = T).
    fn terms(&self, x: f64, t_x: f64, t: f64) -> (f64, Option<(f64, [f64; 4])>) {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let alive = -(r + x) * (alpha + t).ln_p() - s * (beta + t).ln_p();
        let gone = ln_integral(alpha, beta, r + x, s + 1.0, t_x, t).map(|(l, d)| (s.ln_p() + l, d));
        (alive, gone)
    }

    /// Log-likelihood of one customer with `x` repeat purchases, the last at `t_x`, observed for `t`.
    pub fn log_likelihood_one(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln_p() + s * beta.ln_p();
        match self.terms(x, t_x, t) {
            (alive, Some((gone, _))) => a1 + log_add_exp(alive, gone),
            (alive, None) => a1 + alive,
        }
    }

    /// P(alive | x, t_x, T).
    pub fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64 {
        match self.terms(x, t_x, big_t) {
            (alive, Some((gone, _))) => 1.0 / (1.0 + (gone - alive).exp_p()),
            (_, None) => 1.0,
        }
    }

    /// E[X(t)] for a new customer: rβ / (α(s−1)) [1 − (β/(β+t))^(s−1)].
    pub fn expected_purchases(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let ParetoNbd { r, alpha, s, beta } = *self;
        r / alpha * beta * lifetime_factor(s, beta, t)
    }

    /// E[Y(t) | x, t_x, T] = P(alive) (r+x)(β+T) / ((α+T)(s−1)) [1 − ((β+T)/(β+T+t))^(s−1)].
    pub fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let ParetoNbd { r, alpha, s, beta } = *self;
        self.p_alive(x, t_x, big_t) * (r + x) / (alpha + big_t)
            * (beta + big_t)
            * lifetime_factor(s, beta + big_t, t)
    }

    /// P(X(t) = n) for a new customer: alive throughout, or gone at τ < t, each with the
    /// NBD count up to then.
    pub fn p_n_purchases(&self, t: f64, n: u32) -> f64 {
        if t <= 0.0 {
            return if n == 0 { 1.0 } else { 0.0 };
        }
        let ParetoNbd { r, alpha, s, beta } = *self;
        let nf = n as f64;
        let ln_c = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0);
        let ln_nbd = |tau: f64| {
            let rate = if n == 0 {
                0.0
            } else {
                nf * (tau / (alpha + tau)).ln_p()
            };
            ln_c + r * (alpha / (alpha + tau)).ln_p() + rate
        };
        let alive = (ln_nbd(t) + s * (beta / (beta + t)).ln_p()).exp_p();
        let ln_s_beta = s.ln_p() + s * beta.ln_p();
        let mut gone = 0.0;
        for_each_node(0.0, t, alpha.min(beta), r + nf + s + 1.0, |tau, w| {
            gone += w * (ln_nbd(tau) + ln_s_beta - (s + 1.0) * (beta + tau).ln_p()).exp_p();
        });
        (alive + gone).clamp(0.0, 1.0)
    }
}

/// (1 − (b/(b+t))^(s−1)) / (s−1), and its limit ln((b+t)/b) at s = 1.
fn lifetime_factor(s: f64, b: f64, t: f64) -> f64 {
    let l = (b / (b + t)).ln_p();
    if (s - 1.0).abs() < 1e-9 {
        -l
    } else {
        -libm::expm1((s - 1.0) * l) / (s - 1.0)
    }
}

impl Patterns {
    /// Total Pareto/NBD log-likelihood and its gradient with respect to (r, α, s, β).
    pub fn pnbd_log_likelihood_and_gradient(&self, p: &ParetoNbd) -> (f64, [f64; 4]) {
        let ParetoNbd { r, alpha, s, beta } = *p;
        let (ln_alpha, ln_beta, ln_s) = (alpha.ln_p(), beta.ln_p(), s.ln_p());
        let (psi_r, lg_r) = (digamma(r), ln_gamma(r));
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        for grp in &self.groups {
            let x = grp.x;
            let rx = r + x;
            let c1 = ln_gamma(rx) - lg_r + r * ln_alpha + s * ln_beta;
            let d_r0 = digamma(rx) - psi_r + ln_alpha;
            for ((&itx, &it), &w) in grp.t_x.iter().zip(&grp.t).zip(&grp.weight) {
                let (t_x, t) = (self.t_x[itx as usize], self.t[it as usize]);
                let (l_at, l_bt) = ((alpha + t).ln_p(), (beta + t).ln_p());
                let alive = -rx * l_at - s * l_bt;
                let d_alive = [-l_at, -rx / (alpha + t), -l_bt, -s / (beta + t)];
                let (lse, w1, d_gone) = match ln_integral(alpha, beta, rx, s + 1.0, t_x, t) {
                    Some((l, d)) => {
                        let lse = log_add_exp(alive, ln_s + l);
                        (lse, (alive - lse).exp_p(), [d[0], d[1], 1.0 / s + d[2], d[3]])
                    }
                    None => (alive, 1.0, [0.0; 4]),
                };
                let w2 = 1.0 - w1;
                ll += w * (c1 + lse);
                let d_c1 = [d_r0, r / alpha, ln_beta, s / beta];
                for (k, gk) in g.iter_mut().enumerate() {
                    *gk += w * (d_c1[k] + w1 * d_alive[k] + w2 * d_gone[k]);
                }
            }
        }
        (ll, g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// lifetimes 0.11.3 on the CDNOW sample (tests/fixtures/clv/lifetimes_models_cdnow.json).
    const CDNOW: ParetoNbd = ParetoNbd {
        r: 0.5532770395699573,
        alpha: 10.577683195882047,
        s: 0.6062399480642089,
        beta: 11.668733950474554,
    };

    #[test]
    fn matches_lifetimes_on_single_customers() {
        let p = CDNOW.p_alive(2.0, 30.428571428571427, 38.857142857142854);
        assert!((p - 0.86913427).abs() < 1e-7, "{p}");
        let p0 = CDNOW.p_alive(0.0, 0.0, 38.42857142857143);
        assert!((p0 - 0.29764776).abs() < 1e-7, "{p0}");
        assert!((CDNOW.expected_purchases(39.0) - 1.2134040297642743).abs() < 1e-9);
        assert!((CDNOW.expected_purchases(1.0) - 0.051006376303153626).abs() < 1e-9);
    }

    /// The note's ₂F₁ series at a ratio where it still converges quickly, against the integral.
    #[test]
    fn integral_equals_the_notes_hypergeometric_form() {
        let p = ParetoNbd {
            r: 0.55,
            alpha: 3.0,
            s: 0.6,
            beta: 40.0,
        };
        let (x, t_x, t) = (3.0, 10.0, 39.0);
        let rsx = p.r + p.s + x;
        // α < β: ₂F₁(r+s+x, r+x; r+s+x+1; (β−α)/(β+t)) / (β+t)^(r+s+x).
        let term = |tt: f64| {
            let z = (p.beta - p.alpha) / (p.beta + tt);
            super::super::bgnbd::hyp2f1(rsx, p.r + x, rsx + 1.0, z).unwrap() / (p.beta + tt).powf(rsx)
        };
        let a0 = term(t_x) - term(t);
        let (l, _) = ln_integral(p.alpha, p.beta, p.r + x, p.s + 1.0, t_x, t).unwrap();
        assert!(
            (l.exp() * rsx / a0 - 1.0).abs() < 1e-10,
            "{} vs {a0}",
            l.exp() * rsx
        );
    }

    /// α/β = 10⁻⁶ (z → 1 in the note's ₂F₁) and t_x next to T: the integral against a fine
    /// trapezoid rule, and P(alive) finite and within [0, 1].
    #[test]
    fn stable_for_far_apart_alpha_and_beta() {
        let p = ParetoNbd {
            r: 0.5,
            alpha: 1e-4,
            s: 0.7,
            beta: 100.0,
        };
        let (x, t_x, t) = (40.0, 0.5, 52.0);
        let (l, _) = ln_integral(p.alpha, p.beta, p.r + x, p.s + 1.0, t_x, t).unwrap();
        let f = |tau: f64| (p.alpha + tau).powf(-(p.r + x)) * (p.beta + tau).powf(-(p.s + 1.0));
        // Trapezoid on a log grid.
        let (n, u0, u1) = (200_000, t_x.ln(), t.ln());
        let mut sum = 0.0;
        for i in 0..=n {
            let u = u0 + (u1 - u0) * i as f64 / n as f64;
            let w = if i == 0 || i == n { 0.5 } else { 1.0 };
            sum += w * f(u.exp()) * u.exp();
        }
        let reference = sum * (u1 - u0) / n as f64;
        assert!((l - reference.ln()).abs() < 1e-6, "{l} vs {}", reference.ln());
        for (x, t_x) in [(0.0, 0.0), (1.0, 51.99), (300.0, 51.0), (300.0, 1.0)] {
            let pa = p.p_alive(x, t_x, t);
            assert!((0.0..=1.0).contains(&pa), "{x} {t_x}: {pa}");
            let e = p.conditional_expected_purchases(52.0, x, t_x, t);
            assert!(e.is_finite() && e >= 0.0, "{x} {t_x}: {e}");
            assert!(p.log_likelihood_one(x, t_x, t).is_finite());
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = [0.0, 1.0, 2.0, 5.0, 150.0, 3.0];
        let tx = [0.0, 3.0, 10.0, 20.0, 37.0, 38.5];
        let t = [30.0, 35.0, 38.0, 39.0, 38.5, 38.5];
        let data = Patterns::new(&x, &tx, &t, 1.0);
        let (ll, _) = data.pnbd_log_likelihood_and_gradient(&CDNOW);
        let direct: f64 = (0..6).map(|i| CDNOW.log_likelihood_one(x[i], tx[i], t[i])).sum();
        assert!((ll - direct).abs() < 1e-9);
        crate::clv::assert_gradient_matches(
            [CDNOW.r, CDNOW.alpha, CDNOW.s, CDNOW.beta],
            |[r, alpha, s, beta]| data.pnbd_log_likelihood_and_gradient(&ParetoNbd { r, alpha, s, beta }),
        );
    }

    #[test]
    fn p_n_sums_to_one_and_matches_the_mean() {
        let probs: Vec<f64> = (0..400).map(|n| CDNOW.p_n_purchases(39.0, n)).collect();
        let total: f64 = probs.iter().sum();
        assert!((total - 1.0).abs() < 1e-3, "{total}");
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        assert!((mean - CDNOW.expected_purchases(39.0)).abs() < 1e-2, "{mean}");
    }
}
