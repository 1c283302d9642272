//! The one error type of the core: where the input was wrong ([`IngestError`]), which
//! parameter was invalid, or why the data cannot support an analysis. Every message is a
//! sentence a marketer can act on; nothing in the core panics on user input. Each error also
//! has a stable [`Error::code`] with [`Error::params`], from which the page words it in the
//! reader's language (the English sentence stays for the CLI and logs).

use crate::ingest::IngestError;
use std::fmt;

/// Everything that can go wrong between bytes and a [`crate::Report`].
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The file could not be read as a table of transactions or customers.
    Ingest(IngestError),
    /// A parameter is out of range; `param` is its name in its section of the options and
    /// `section` that section (`clv`, `cluster`, …) once known: [`Error::option_path`] gives
    /// the full path, `clv.horizon_months`.
    InvalidParam {
        section: Option<&'static str>,
        param: &'static str,
        message: String,
    },
    /// The data is valid but cannot support this analysis (too few customers, one class only, …).
    /// `code` names the case (`needs_transactions`, `too_few_customers`, …; empty when none was
    /// given) and `params` the figures of its sentence, for other wordings.
    Data {
        analysis: &'static str,
        message: String,
        code: &'static str,
        params: serde_json::Map<String, serde_json::Value>,
    },
    /// The user cancelled the run.
    Cancelled,
}

impl Error {
    pub fn param(param: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidParam {
            section: None,
            param,
            message: message.into(),
        }
    }
    /// Puts an invalid parameter in its section of the options (`rfm`, `cluster`,
    /// `propensity`, `clv`, `ingest`); other errors pass through unchanged.
    pub fn in_option(self, section: &'static str) -> Self {
        match self {
            Error::InvalidParam {
                section: None,
                param,
                message,
            } => Error::InvalidParam {
                section: Some(section),
                param,
                message,
            },
            other => other,
        }
    }
    /// The invalid option's path in the options object (`clv.horizon_months`, or the bare
    /// name before its section is known); `None` for other errors.
    pub fn option_path(&self) -> Option<String> {
        match self {
            Error::InvalidParam {
                section: Some(s),
                param,
                ..
            } => Some(format!("{s}.{param}")),
            Error::InvalidParam { param, .. } => Some((*param).to_string()),
            _ => None,
        }
    }
    pub fn data(analysis: &'static str, message: impl Into<String>) -> Self {
        Error::Data {
            analysis,
            message: message.into(),
            code: "",
            params: serde_json::Map::new(),
        }
    }

    /// Names a data error's case with a stable code (`no_product_column`); other errors pass
    /// through unchanged.
    pub fn with_code(mut self, name: &'static str) -> Self {
        if let Error::Data { code, .. } = &mut self {
            *code = name;
        }
        self
    }

    /// Adds a figure of a data error's sentence by name; other errors pass through unchanged.
    pub fn with_param(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        if let Error::Data { params, .. } = &mut self {
            params.insert(name.to_string(), value.into());
        }
        self
    }

    /// The stable code of the error, for wording it in another language: the ingest error's
    /// kind (`no_date_column`, …), `invalid_option`, the data error's own code (or
    /// `<analysis>_unavailable` without one), `cancelled`.
    pub fn code(&self) -> String {
        match self {
            Error::Ingest(e) => serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_else(|| "ingest".into()),
            Error::InvalidParam { .. } => "invalid_option".into(),
            Error::Data { code, .. } if !code.is_empty() => (*code).to_string(),
            Error::Data { analysis, .. } => format!("{analysis}_unavailable"),
            Error::Cancelled => "cancelled".into(),
        }
    }

    /// The figures of the error's sentence by name (`path` of an invalid option, a data
    /// error's parameters); empty when there are none.
    pub fn params(&self) -> serde_json::Map<String, serde_json::Value> {
        match self {
            Error::InvalidParam { .. } => {
                let mut m = serde_json::Map::new();
                m.insert("path".into(), self.option_path().unwrap_or_default().into());
                m
            }
            Error::Data { params, .. } => params.clone(),
            _ => serde_json::Map::new(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Ingest(e) => write!(f, "{e}"),
            Error::InvalidParam { message, .. } => {
                let path = self.option_path().unwrap_or_default();
                write!(f, "invalid option {path}: {message}")
            }
            Error::Data {
                analysis, message, ..
            } => write!(f, "{analysis}: {message}"),
            Error::Cancelled => write!(f, "cancelled"),
        }
    }
}

impl std::error::Error for Error {}

impl From<IngestError> for Error {
    fn from(e: IngestError) -> Self {
        Error::Ingest(e)
    }
}
