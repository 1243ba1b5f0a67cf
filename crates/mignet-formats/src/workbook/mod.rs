//! The reporting workbook: a template one organisation fills in for one period, read back as figures.
//!
//! - [`template::write`] makes the `.xlsx` template from the framework (docs/workbook.md).
//! - [`xlsx::read`] and [`csv::read`] read a filled-in workbook, or its data sheet saved as CSV, into a
//!   [`Submission`]: typed rows, or every problem of the file at once, each with its sheet, row, column,
//!   what is wrong and what was expected.
//! - [`Submission::figures`] matches a submission against a framework and yields the figures to store,
//!   or every mismatch at once. Nothing here touches the store.
//!
//! Readers never trust the file: sizes are checked before anything is inflated, cells beyond
//! [`limits`] are refused, and formulas, merged cells, hidden rows and hidden columns are reported
//! rather than read (docs/workbook.md, "Hostile files").

// An `ImportError` is a few strings; the readers return it on the cold path of a refused file, where its
// size does not matter and boxing would only make the code harder to read.
#![allow(clippy::result_large_err)]

pub mod csv;
mod parse;
pub mod template;
pub mod xlsx;

pub use parse::{Entry, Submission};

use mignet_core::model::{Indicator, IndicatorKind};
use sha2::{Digest, Sha256};
use std::fmt;

/// The name and version of this workbook layout, kept in the hidden sheet.
pub const FORMAT: &str = "mignet-workbook/1";
/// The sheet agencies fill in.
pub const DATA_SHEET: &str = "Figures";
/// The hidden sheet with the framework version and fingerprint.
pub const META_SHEET: &str = "mignet";
/// The reference lists (places, organisations) the data validations draw from.
pub const LISTS_SHEET: &str = "Lists";
pub const INSTRUCTIONS_SHEET: &str = "Instructions";
/// How many `place N` columns a template has.
pub const PLACE_COLUMNS: usize = 8;
/// How many `co-reporting N` columns a template has.
pub const PARTNER_COLUMNS: usize = 8;

/// The bounds a file must keep; anything past them is refused before it can take memory or time.
pub mod limits {
    /// The largest file read, compressed (.xlsx) or not (.csv).
    pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
    /// The most one zip entry of an .xlsx may inflate to.
    pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
    /// The most all zip entries together may inflate to.
    pub const MAX_TOTAL_BYTES: u64 = 96 * 1024 * 1024;
    /// The most entries a workbook's zip may hold (a template has about 15).
    pub const MAX_ENTRIES: usize = 512;
    /// The most shared strings a workbook may declare.
    pub const MAX_SHARED_STRINGS: u64 = 1_000_000;
    /// Rows and columns of the data sheet (a framework has tens of indicators).
    pub const MAX_ROWS: u32 = 5_000;
    pub const MAX_COLUMNS: u32 = 128;
    /// The longest text cell.
    pub const MAX_CELL_CHARS: usize = 4_000;
    /// The longest CSV line, in bytes.
    pub const MAX_LINE_BYTES: usize = 64 * 1024;
}

/// One problem in an imported file: where it is, what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportError {
    /// The sheet (`Figures`), or `csv` for a CSV file.
    pub sheet: String,
    /// The row (1-based, as a spreadsheet shows it) or, for CSV, the line.
    pub row: Option<u32>,
    /// The column's header (`value`, `place 2`).
    pub column: Option<String>,
    /// The cell (`I5`), for workbooks.
    pub cell: Option<String>,
    pub problem: String,
    pub expected: Option<String>,
}

impl ImportError {
    pub(crate) fn file(sheet: &str, problem: impl Into<String>) -> Self {
        ImportError {
            sheet: sheet.to_owned(),
            row: None,
            column: None,
            cell: None,
            problem: problem.into(),
            expected: None,
        }
    }
    pub(crate) fn expected(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let csv = self.sheet == "csv";
        if csv {
            f.write_str("csv")?;
        } else {
            write!(f, "sheet `{}`", self.sheet)?;
        }
        if let Some(r) = self.row {
            write!(f, ", {} {r}", if csv { "line" } else { "row" })?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column `{c}`")?;
        }
        if let Some(c) = &self.cell {
            write!(f, " (cell {c})")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(e) = &self.expected {
            write!(f, "; expected {e}")?;
        }
        Ok(())
    }
}

/// A spreadsheet column's letters: 0 -> `A`, 27 -> `AB`.
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

pub fn kind_name(kind: IndicatorKind) -> &'static str {
    match kind {
        IndicatorKind::Count => "count",
        IndicatorKind::Percentage => "percentage",
        IndicatorKind::Milestone => "milestone",
    }
}

pub fn parse_kind(s: &str) -> Option<IndicatorKind> {
    match s {
        "count" => Some(IndicatorKind::Count),
        "percentage" => Some(IndicatorKind::Percentage),
        "milestone" => Some(IndicatorKind::Milestone),
        _ => None,
    }
}

/// The fingerprint of a list of indicators as a workbook presents them: SHA-256 over each indicator's
/// code, kind, unit and disaggregation keys, in order. Equal fingerprints mean an import can read the
/// workbook against the framework exactly as it was written.
pub fn fingerprint<'a>(indicators: impl IntoIterator<Item = &'a Indicator>) -> String {
    let mut h = Sha256::new();
    for i in indicators {
        let keys: Vec<&str> = i.disaggregations.iter().map(|d| d.key.as_str()).collect();
        h.update(format!(
            "{}\t{}\t{}\t{}\n",
            i.code,
            kind_name(i.kind),
            i.unit,
            keys.join(",")
        ));
    }
    hex(&h.finalize())
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a file, in hexadecimal, as imports record it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_the_spreadsheet_convention() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(8), "I");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn an_error_names_sheet_row_column_cell_problem_and_expectation() {
        let e = ImportError {
            sheet: "Figures".into(),
            row: Some(5),
            column: Some("value".into()),
            cell: Some("I5".into()),
            problem: "`abc` is not a number".into(),
            expected: Some("a whole number of 0 or more".into()),
        };
        assert_eq!(
            e.to_string(),
            "sheet `Figures`, row 5, column `value` (cell I5): `abc` is not a number; expected a whole number of 0 or more"
        );
    }
}
