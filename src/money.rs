//! Exact money sums. Amounts are added in integer millionths of the currency unit, so the
//! order of the rows never changes a total and equal cents compare equal: 50.00 + 36.95 is the
//! same `f64` as 86.95 (a running `f64` sum gives 86.94999999999999 for some orders of lines).
//! A cent is 10,000 units; amounts finer than a millionth are rounded to the nearest one.

/// Millionths of a currency unit per unit.
const SCALE: f64 = 1_000_000.0;

/// A running exact sum of money amounts.
///
/// ```
/// use clientele::money::MoneySum;
/// let mut a = MoneySum::default();
/// for v in [0.1, 0.2] { a.add(v); }
/// assert_eq!(a.value(), 0.3);
/// assert_ne!(0.1 + 0.2, 0.3); // what a running f64 sum gives
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MoneySum {
    units: i128,
}

impl MoneySum {
    /// Adds one amount (any sign). Non-finite amounts are ignored: ingest never produces them.
    #[inline]
    pub fn add(&mut self, amount: f64) {
        if amount.is_finite() {
            self.units += to_units(amount);
        }
    }

    /// Adds another sum.
    #[inline]
    pub fn merge(&mut self, other: MoneySum) {
        self.units += other.units;
    }

    /// The total as the `f64` nearest to its exact decimal value.
    #[inline]
    pub fn value(&self) -> f64 {
        units_to_f64(self.units)
    }

    /// True when nothing (or only zeros) was added.
    pub fn is_zero(&self) -> bool {
        self.units == 0
    }
}

/// The sum of `amounts`, exactly (see [`MoneySum`]).
pub fn sum(amounts: impl IntoIterator<Item = f64>) -> f64 {
    let mut s = MoneySum::default();
    for a in amounts {
        s.add(a);
    }
    s.value()
}

/// Rounds an amount to the nearest millionth, the way a sum holds it: `round(3 × 2.95)` is
/// 8.85, not 8.850000000000001.
pub fn round(amount: f64) -> f64 {
    if amount.is_finite() {
        units_to_f64(to_units(amount))
    } else {
        amount
    }
}

#[inline]
fn to_units(amount: f64) -> i128 {
    // f64 → i128 saturates; amounts past 1.7e32 are not money.
    (amount * SCALE).round() as i128
}

#[inline]
fn units_to_f64(units: i128) -> f64 {
    let sign = if units < 0 { "-" } else { "" };
    let whole = units.unsigned_abs() / 1_000_000;
    let frac = units.unsigned_abs() % 1_000_000;
    if frac == 0 {
        return units.signum() as f64 * whole as f64;
    }
    // Parsing the decimal text gives the f64 nearest the exact value in every case (whole +
    // frac / 1e6 can be one ulp off); it runs once per total, not per row.
    let text = format!("{sign}{whole}.{frac:06}");
    text.parse::<f64>().unwrap_or(units as f64 / SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_cents_are_equal_whatever_the_order() {
        let lines = [19.99, 0.01, 33.3, 33.3, 33.3, 12.05, 1e-7];
        let mut forward = MoneySum::default();
        let mut backward = MoneySum::default();
        for &v in &lines {
            forward.add(v);
        }
        for &v in lines.iter().rev() {
            backward.add(v);
        }
        assert_eq!(forward.value(), backward.value());
        assert_eq!(forward.value(), 131.95);
    }

    #[test]
    fn negatives_and_rounding() {
        assert_eq!(sum([10.0, -2.5, -7.5]), 0.0);
        assert_eq!(sum([-0.015, -0.015]), -0.03);
        assert_eq!(round(3.0 * 2.95), 8.85);
        assert_eq!(sum([1e15, 0.25]), 1e15 + 0.25);
        assert!(MoneySum::default().is_zero());
        assert_eq!(sum([f64::NAN, 2.0]), 2.0);
    }
}
