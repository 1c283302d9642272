//! Transcendental functions for the fits, from the `libm` crate. `f64::ln` and `f64::exp`
//! call the platform's C library, whose last bits differ between a native build (glibc) and
//! wasm32, so the same file would give a slightly different Report in the browser; these
//! software implementations give the same bits on every target.

/// `ln` and `exp` that are bit-identical across targets.
pub(crate) trait Portable {
    fn ln_p(self) -> f64;
    fn exp_p(self) -> f64;
}

impl Portable for f64 {
    #[inline]
    fn ln_p(self) -> f64 {
        libm::log(self)
    }
    #[inline]
    fn exp_p(self) -> f64 {
        libm::exp(self)
    }
}

/// ln Γ(x) for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The digamma function ψ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10,
/// then the asymptotic series (truncation error below 3e-14 there).
pub(crate) fn digamma(mut x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NAN;
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series =
        f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f * (1.0 / 132.0)))));
    acc + libm::log(x) - 0.5 / x - series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = −γ (Euler–Mascheroni), ψ(1/2) = −γ − 2 ln 2, ψ(10) from tables.
        let euler = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + euler).abs() < 1e-13);
        assert!((digamma(0.5) + euler + 2.0 * std::f64::consts::LN_2).abs() < 1e-13);
        assert!((digamma(10.0) - 2.251_752_589_066_721).abs() < 1e-13);
        assert!(digamma(0.0).is_nan());
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!((ln_gamma(0.5) - 0.5 * std::f64::consts::PI.ln()).abs() < 1e-14);
        assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-12);
    }
}
