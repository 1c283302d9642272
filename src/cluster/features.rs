//! The design matrix of the clusters: log1p of each behaviour feature, standardised with the
//! population std; money features left out (with a note) when spend cannot separate customers.

use super::{money_known, ClusterParams, Feature, ANALYSIS};
use crate::customers::Customers;
use crate::{Error, Warning};

/// The codes of [`ClusterFeatures::notes`] (`ClusterReport::coded_notes`), worded from
/// `clusters.note.<code>` with the `feature` parameter.
pub const NOTE_CODES: &[&str] = &["feature_zero_spend", "feature_no_amounts"];
use ndarray::Array2;
use serde::Serialize;

/// How one feature was scaled: z = (log1p(x) − mean) / std (population std, as sklearn's
/// `StandardScaler`).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FeatureScale {
    pub feature: Feature,
    /// Mean of log1p(x) over all customers.
    pub mean: f64,
    /// Population standard deviation of log1p(x) over all customers.
    pub std: f64,
}

/// The design matrix the clusters are fitted on.
#[derive(Debug, Clone)]
pub struct ClusterFeatures {
    pub scales: Vec<FeatureScale>,
    /// Standardised values, one row per customer (aligned with `Customers::id`).
    pub scaled: Array2<f64>,
    /// Why the feature list differs from the one asked for (codes of [`NOTE_CODES`]).
    pub notes: Vec<Warning>,
}

impl ClusterFeatures {
    /// The features actually used, in column order.
    pub fn features(&self) -> Vec<Feature> {
        self.scales.iter().map(|s| s.feature).collect()
    }
}

/// Builds the standardised log1p features of every customer.
///
/// Money features are dropped with a note when the file has no amount
/// ([`Customers::has_amount`]) or every customer's spend is 0 (a constant cannot separate
/// customers). Any other constant feature is an error naming it.
pub fn build_features(customers: &Customers, params: &ClusterParams) -> Result<ClusterFeatures, Error> {
    params.check()?;
    let n = customers.len();
    if n == 0 {
        return Err(Error::data(ANALYSIS, "there are no customers to cluster"));
    }
    let mut notes = Vec::new();
    let no_money = !money_known(customers);
    let mut features: Vec<Feature> = Vec::with_capacity(params.features.len());
    for &f in &params.features {
        if no_money && f.needs_money() {
            let (code, why) = if customers.has_amount {
                (NOTE_CODES[0], "every customer's spend is 0")
            } else {
                (NOTE_CODES[1], "the file has no amounts")
            };
            notes.push(
                Warning::new(code, format!("{} left out: {why}", f.name())).with_param("feature", f.name()),
            );
        } else {
            features.push(f);
        }
    }
    if features.is_empty() {
        return Err(Error::data(
            ANALYSIS,
            "no feature is left to cluster on: the file has no amounts; add recency_days or frequency",
        )
        .with_code("no_features_left"));
    }
    let p = features.len();
    let mut values = Vec::with_capacity(n * p);
    for i in 0..n {
        for &f in &features {
            let v = f.value(customers, i);
            if !v.is_finite() {
                return Err(Error::data(
                    ANALYSIS,
                    format!(
                        "customer {} has a non-finite {} ({v}); check the amounts in the file",
                        customers.id.get(i).map_or("?", |s| s.as_str()),
                        f.name()
                    ),
                ));
            }
            // Counts, days and money are ≥ 0; max guards log1p against a stray negative.
            values.push(libm::log1p(v.max(0.0)));
        }
    }
    let mut scales = Vec::with_capacity(p);
    for (j, &f) in features.iter().enumerate() {
        let mut sum = 0.0;
        for i in 0..n {
            sum += values[i * p + j];
        }
        let mean = sum / n as f64;
        let mut ss = 0.0;
        for i in 0..n {
            let d = values[i * p + j] - mean;
            ss += d * d;
        }
        let std = (ss / n as f64).sqrt();
        // Relative threshold: a column equal up to rounding noise is constant.
        if std <= 1e-12 * mean.abs().max(1.0) {
            return Err(Error::data(
                ANALYSIS,
                format!(
                    "{} is the same for every customer, so it cannot separate them; leave it out",
                    f.name()
                ),
            )
            .with_code("constant_feature")
            .with_param("feature", f.name()));
        }
        scales.push(FeatureScale {
            feature: f,
            mean,
            std,
        });
    }
    for row in values.chunks_mut(p) {
        for (v, s) in row.iter_mut().zip(&scales) {
            *v = (*v - s.mean) / s.std;
        }
    }
    let scaled = Array2::from_shape_vec((n, p), values)
        .map_err(|e| Error::data(ANALYSIS, format!("feature matrix: {e}")))?;
    Ok(ClusterFeatures {
        scales,
        scaled,
        notes,
    })
}
