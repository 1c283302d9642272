//! Warnings that travel with the numbers: every section of the Report carries a list of them
//! (a stable `code` the page and the CLI can react to, parameters, and an English sentence), so
//! a figure that should not be trusted says so where it is shown and in the export's notes.

use serde::{Deserialize, Serialize};

/// A count with its noun in the right number, for the English sentences: `count(1, "row",
/// "rows")` is `1 row`, `count(3, "row", "rows")` is `3 rows`.
///
/// ```
/// assert_eq!(clientele::warning::count(1u64, "customer", "customers"), "1 customer");
/// assert_eq!(clientele::warning::count(0u32, "customer", "customers"), "0 customers");
/// ```
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One warning attached to a section of the Report; also the form of every coded message of
/// the reader (date formats, role reasons: [`crate::ingest::messages`]).
///
/// ```
/// use clientele::Warning;
/// let w = Warning::new("propensity_weak", "validation AUC is 0.52: no better than chance.")
///     .with_param("auc", 0.52)
///     .on_columns(&["p_buy", "p_buy_decile"]);
/// assert_eq!(w.code, "propensity_weak");
/// assert_eq!(w.columns, ["p_buy", "p_buy_decile"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct Warning {
    /// Stable identifier, snake_case (`propensity_weak`, `clv_horizon_beyond_history`, …).
    pub code: String,
    /// The sentence a marketer reads (English; the page may word it from `code` + `params`).
    pub message: String,
    /// Figures the message is built from, by name (`{"auc": 0.52}`), for other wordings.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    #[ts(type = "{ [name: string]: number | string | boolean | null }")]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Columns of the per-customer export this warning is about (empty: the section as a whole).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
            params: serde_json::Map::new(),
            columns: Vec::new(),
        }
    }

    /// Adds a named parameter (a number, text or bool).
    pub fn with_param(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// Names the export columns the warning concerns.
    pub fn on_columns(mut self, columns: &[&str]) -> Self {
        self.columns = columns.iter().map(|c| c.to_string()).collect();
        self
    }
}

/// The message alone: what the CLI prints after "note:".
impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
