//! Errors: per-row problems (with line numbers) and whole-run failures.

use std::fmt;
use std::path::PathBuf;

/// What is wrong with one input row. The offending text is kept (cut to a
/// readable length) so that a person can find and fix the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowErrorKind {
    /// The row has a different number of fields than the header.
    ColumnCount { expected: usize, found: usize },
    /// A required field is empty.
    Empty { column: &'static str },
    /// The agency is not in the list given with `--agencies`.
    UnknownAgency(String),
    /// The indicator is not in the list given with `--indicators`.
    UnknownIndicator(String),
    /// The date is not a valid `YYYY-MM-DD` calendar date.
    BadDate(String),
    /// The date is valid but outside the reporting period.
    OutsidePeriod(String),
    /// The beneficiary is not 16 lowercase hexadecimal characters.
    BadPseudonym(String),
    /// The province is not an ISO 3166-2:TH code such as `TH-10`.
    BadProvince(String),
    /// A text field is not valid UTF-8.
    NotUtf8 { column: &'static str },
    /// A column has more distinct values than the compact key can hold; this
    /// almost always means the columns are shifted or the file is not a
    /// service-record file.
    TooManyValues { column: &'static str, limit: usize },
    /// A row of a file to pseudonymize could not be read or normalised.
    Pseudonymize(String),
}

impl fmt::Display for RowErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ColumnCount { expected, found } => {
                write!(f, "expected {expected} fields, found {found}")
            }
            Self::Empty { column } => write!(f, "empty {column}"),
            Self::UnknownAgency(v) => write!(f, "unknown agency {v:?}"),
            Self::UnknownIndicator(v) => write!(f, "unknown indicator {v:?}"),
            Self::BadDate(v) => write!(f, "bad date {v:?} (want YYYY-MM-DD)"),
            Self::OutsidePeriod(v) => write!(f, "date {v} is outside the period"),
            Self::BadPseudonym(v) => {
                write!(
                    f,
                    "bad beneficiary {v:?} (want 16 lowercase hex characters)"
                )
            }
            Self::BadProvince(v) => write!(f, "bad province code {v:?} (want TH-xx)"),
            Self::NotUtf8 { column } => write!(f, "{column} is not valid UTF-8"),
            Self::TooManyValues { column, limit } => {
                write!(f, "more than {limit} distinct {column} values")
            }
            Self::Pseudonymize(m) => f.write_str(m),
        }
    }
}

/// One bad row: its 1-based line number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub kind: RowErrorKind,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.kind)
    }
}

/// Why a run produced no tables.
#[derive(Debug, thiserror::Error)]
pub enum ReachError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    BadHeader(String),
    /// Rows failed validation in `reject` mode. `errors` holds the first few,
    /// in line order; `total` counts all of them.
    #[error("{total} bad row(s); nothing was written")]
    BadRows { errors: Vec<RowError>, total: u64 },
    #[error("{0}")]
    Invalid(String),
}

impl ReachError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Cut a field for an error message so a corrupt line does not flood the
/// terminal.
pub(crate) fn shown(bytes: &[u8]) -> String {
    const MAX: usize = 40;
    let s = String::from_utf8_lossy(bytes);
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        s.into_owned()
    }
}
