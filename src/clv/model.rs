//! The three purchase models behind one interface: which one ([`PurchaseModelKind`]), its
//! fitted parameters ([`PurchaseModel`]) and the predictions every report figure is made of
//! ([`PurchasePredictions`]), so the report, the charts and CLV do not care which was chosen.

use super::{BgNbd, MbgNbd, ParetoNbd, Patterns};
use serde::{Deserialize, Serialize};

/// A purchase model (BG/NBD, modified BG/NBD, Pareto/NBD).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseModelKind {
    Bgnbd,
    Mbgnbd,
    Pnbd,
}

impl PurchaseModelKind {
    pub const ALL: [PurchaseModelKind; 3] = [
        PurchaseModelKind::Bgnbd,
        PurchaseModelKind::Mbgnbd,
        PurchaseModelKind::Pnbd,
    ];

    /// The model's name as the literature writes it.
    pub fn label(self) -> &'static str {
        match self {
            PurchaseModelKind::Bgnbd => "BG/NBD",
            PurchaseModelKind::Mbgnbd => "MBG/NBD",
            PurchaseModelKind::Pnbd => "Pareto/NBD",
        }
    }

    /// The option / export code (`bgnbd`, `mbgnbd`, `pnbd`).
    pub fn code(self) -> &'static str {
        match self {
            PurchaseModelKind::Bgnbd => "bgnbd",
            PurchaseModelKind::Mbgnbd => "mbgnbd",
            PurchaseModelKind::Pnbd => "pnbd",
        }
    }

    /// Parameter names in the order of [`PurchaseModel::to_vec`].
    pub fn parameter_names(self) -> [&'static str; 4] {
        match self {
            PurchaseModelKind::Bgnbd | PurchaseModelKind::Mbgnbd => ["r", "alpha", "a", "b"],
            PurchaseModelKind::Pnbd => ["r", "alpha", "s", "beta"],
        }
    }

    /// Indexes of the parameters measured in time units (rescaled with time).
    pub(crate) fn time_parameters(self) -> &'static [usize] {
        match self {
            PurchaseModelKind::Bgnbd | PurchaseModelKind::Mbgnbd => &[1],
            PurchaseModelKind::Pnbd => &[1, 3],
        }
    }
}

/// Fitted parameters of one of the purchase models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PurchaseModel {
    Bgnbd(BgNbd),
    Mbgnbd(MbgNbd),
    Pnbd(ParetoNbd),
}

impl PurchaseModel {
    pub fn kind(&self) -> PurchaseModelKind {
        match self {
            PurchaseModel::Bgnbd(_) => PurchaseModelKind::Bgnbd,
            PurchaseModel::Mbgnbd(_) => PurchaseModelKind::Mbgnbd,
            PurchaseModel::Pnbd(_) => PurchaseModelKind::Pnbd,
        }
    }

    /// Parameters from a vector in [`PurchaseModelKind::parameter_names`] order (NaN if short).
    pub fn from_slice(kind: PurchaseModelKind, v: &[f64]) -> PurchaseModel {
        let g = |i: usize| v.get(i).copied().unwrap_or(f64::NAN);
        match kind {
            PurchaseModelKind::Bgnbd => PurchaseModel::Bgnbd(BgNbd {
                r: g(0),
                alpha: g(1),
                a: g(2),
                b: g(3),
            }),
            PurchaseModelKind::Mbgnbd => PurchaseModel::Mbgnbd(MbgNbd {
                r: g(0),
                alpha: g(1),
                a: g(2),
                b: g(3),
            }),
            PurchaseModelKind::Pnbd => PurchaseModel::Pnbd(ParetoNbd {
                r: g(0),
                alpha: g(1),
                s: g(2),
                beta: g(3),
            }),
        }
    }

    pub fn to_vec(&self) -> Vec<f64> {
        match *self {
            PurchaseModel::Bgnbd(BgNbd { r, alpha, a, b })
            | PurchaseModel::Mbgnbd(MbgNbd { r, alpha, a, b }) => {
                vec![r, alpha, a, b]
            }
            PurchaseModel::Pnbd(ParetoNbd { r, alpha, s, beta }) => vec![r, alpha, s, beta],
        }
    }

    pub fn log_likelihood_one(&self, x: f64, t_x: f64, t: f64) -> f64 {
        match self {
            PurchaseModel::Bgnbd(m) => m.log_likelihood_one(x, t_x, t),
            PurchaseModel::Mbgnbd(m) => m.log_likelihood_one(x, t_x, t),
            PurchaseModel::Pnbd(m) => m.log_likelihood_one(x, t_x, t),
        }
    }
}

impl Patterns {
    /// The log-likelihood and gradient of `model` over the patterns.
    pub(crate) fn model_log_likelihood_and_gradient(&self, model: &PurchaseModel) -> (f64, [f64; 4]) {
        match model {
            PurchaseModel::Bgnbd(m) => self.log_likelihood_and_gradient(m),
            PurchaseModel::Mbgnbd(m) => self.mbgnbd_log_likelihood_and_gradient(m),
            PurchaseModel::Pnbd(m) => self.pnbd_log_likelihood_and_gradient(m),
        }
    }
}

/// What every purchase model predicts for a customer with `x` repeat purchases, the last at
/// `t_x`, first purchase `big_t` time units before the end of the data.
pub trait PurchasePredictions {
    /// Probability the customer is still buying.
    fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64;
    /// Expected purchases in the next `t` time units.
    fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64;
    /// Expected repeat purchases of a new customer in `t` time units.
    fn expected_purchases(&self, t: f64) -> f64;
    /// Probability that a new customer makes exactly `n` repeat purchases in `t` time units.
    fn p_n_purchases(&self, t: f64, n: u32) -> f64;
}

macro_rules! predictions {
    ($t:ty) => {
        impl PurchasePredictions for $t {
            fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64 {
                <$t>::p_alive(self, x, t_x, big_t)
            }
            fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
                <$t>::conditional_expected_purchases(self, t, x, t_x, big_t)
            }
            fn expected_purchases(&self, t: f64) -> f64 {
                <$t>::expected_purchases(self, t)
            }
            fn p_n_purchases(&self, t: f64, n: u32) -> f64 {
                <$t>::p_n_purchases(self, t, n)
            }
        }
    };
}
predictions!(BgNbd);
predictions!(MbgNbd);
predictions!(ParetoNbd);

impl PurchasePredictions for PurchaseModel {
    fn p_alive(&self, x: f64, t_x: f64, big_t: f64) -> f64 {
        match self {
            PurchaseModel::Bgnbd(m) => m.p_alive(x, t_x, big_t),
            PurchaseModel::Mbgnbd(m) => m.p_alive(x, t_x, big_t),
            PurchaseModel::Pnbd(m) => m.p_alive(x, t_x, big_t),
        }
    }
    fn conditional_expected_purchases(&self, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
        match self {
            PurchaseModel::Bgnbd(m) => m.conditional_expected_purchases(t, x, t_x, big_t),
            PurchaseModel::Mbgnbd(m) => m.conditional_expected_purchases(t, x, t_x, big_t),
            PurchaseModel::Pnbd(m) => m.conditional_expected_purchases(t, x, t_x, big_t),
        }
    }
    fn expected_purchases(&self, t: f64) -> f64 {
        match self {
            PurchaseModel::Bgnbd(m) => m.expected_purchases(t),
            PurchaseModel::Mbgnbd(m) => m.expected_purchases(t),
            PurchaseModel::Pnbd(m) => m.expected_purchases(t),
        }
    }
    fn p_n_purchases(&self, t: f64, n: u32) -> f64 {
        match self {
            PurchaseModel::Bgnbd(m) => m.p_n_purchases(t, n),
            PurchaseModel::Mbgnbd(m) => m.p_n_purchases(t, n),
            PurchaseModel::Pnbd(m) => m.p_n_purchases(t, n),
        }
    }
}
