//! The one error type of the core: where the input was wrong ([`IngestError`]), which
//! parameter was invalid, or why the data cannot support an analysis. Every message is a
//! sentence a marketer can act on; nothing in the core panics on user input.

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
    Data { analysis: &'static str, message: String },
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
            Error::Data { analysis, message } => write!(f, "{analysis}: {message}"),
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
