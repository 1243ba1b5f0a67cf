//! What a caller can choose: validations, what to do with bad rows, and the
//! resources (threads, memory budget, temp directory) a run may use.

use std::path::PathBuf;
use std::str::FromStr;

/// What to do with rows that fail validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Report the first bad rows and produce no tables (the default: a figure
    /// computed from a partly broken file should not be published silently).
    #[default]
    Reject,
    /// Leave bad rows out, count them and report how many were skipped.
    Skip,
}

impl FromStr for OnError {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "reject" => Ok(Self::Reject),
            "skip" => Ok(Self::Skip),
            _ => Err(format!("unknown --on-error {s:?}; use reject or skip")),
        }
    }
}

/// An inclusive range of calendar dates, kept as `YYYYMMDD` integers so a
/// row's date is checked with two integer comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: u32,
    pub last: u32,
}

impl Period {
    /// Whole calendar year.
    pub fn year(year: u32) -> Self {
        Self {
            first: year * 10_000 + 101,
            last: year * 10_000 + 1231,
        }
    }

    pub(crate) fn contains(&self, ymd: u32) -> bool {
        (self.first..=self.last).contains(&ymd)
    }
}

impl FromStr for Period {
    type Err = String;
    /// `2022` (a calendar year) or `2022-01-01..2022-06-30` (inclusive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once("..") {
            let parse = |d: &str| {
                crate::parse::parse_iso_date(d.trim().as_bytes())
                    .map(|(y, m, d)| y * 10_000 + m * 100 + d)
                    .ok_or_else(|| format!("bad date {d:?} in period (want YYYY-MM-DD)"))
            };
            let (first, last) = (parse(a)?, parse(b)?);
            if first > last {
                return Err(format!("period {s:?} ends before it starts"));
            }
            return Ok(Self { first, last });
        }
        match s.parse::<u32>() {
            Ok(y) if (1000..=9999).contains(&y) => Ok(Self::year(y)),
            _ => Err(format!(
                "bad period {s:?} (want a year such as 2022, or 2022-01-01..2022-06-30)"
            )),
        }
    }
}

/// Optional checks on top of the always-on format checks.
#[derive(Debug, Clone, Default)]
pub struct Validation {
    /// If set, every agency must be one of these.
    pub agencies: Option<Vec<String>>,
    /// If set, every indicator must be one of these.
    pub indicators: Option<Vec<String>>,
    /// If set, every date must fall inside it.
    pub period: Option<Period>,
}

/// Options of a reach run. `Default` suits a command-line run on a laptop.
#[derive(Debug, Clone)]
pub struct ReachOptions {
    pub validation: Validation,
    pub on_error: OnError,
    /// How many bad rows are described in detail (all are counted).
    pub max_errors: usize,
    /// Worker threads for parsing and counting; 0 means one per core.
    pub threads: usize,
    /// Bytes of compact keys held in memory before they are spilled to a
    /// temporary file. Peak memory is about this plus 40 MiB of buffers.
    pub memory_budget: usize,
    /// Where spill files go; `None` means the system temp directory.
    pub temp_dir: Option<PathBuf>,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
}

impl Default for ReachOptions {
    fn default() -> Self {
        Self {
            validation: Validation::default(),
            on_error: OnError::Reject,
            max_errors: 20,
            threads: 0,
            memory_budget: 160 << 20,
            temp_dir: None,
            progress: false,
        }
    }
}

impl ReachOptions {
    pub(crate) fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}
