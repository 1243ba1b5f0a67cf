//! The reporting round of a period: how complete it is on a day, and the same as a workbook. The day
//! comes from the caller's [`Clock`], never from the system clock directly, so that a test or an
//! operator can say what day it is.

use crate::{App, AppError, ExportError};
use mignet_core::completeness::{self, Completeness};

/// The day the reporting cycle reads: the system's (UTC), one fixed by the operator (`mignet serve
/// --today 2024-02-20`, `mignet completeness --today ...`) or by a test, or the one written in a
/// file, read each time (`--today @FILE`): a test or a rehearsal moves the day of a running server
/// by writing the file, without waiting for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(String),
    File(std::path::PathBuf),
}

fn not_a_date(date: &str) -> AppError {
    AppError::invalid(
        "today",
        format!("`{date}` is not a date: write it as YYYY-MM-DD, for example 2023-02-15"),
    )
}

fn system_day() -> String {
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
    now.to_string()[..10].to_owned()
}

impl Clock {
    /// A clock fixed on `date`, which must be `YYYY-MM-DD`.
    pub fn fixed(date: &str) -> Result<Clock, AppError> {
        if mignet_core::rules::is_iso_date(date) {
            Ok(Clock::Fixed(date.to_owned()))
        } else {
            Err(not_a_date(date))
        }
    }

    /// The clock a `--today` argument names: `YYYY-MM-DD`, or `@FILE` for the day written in FILE
    /// (which must hold one now).
    pub fn parse(arg: &str) -> Result<Clock, AppError> {
        let Some(path) = arg.strip_prefix('@') else {
            return Clock::fixed(arg);
        };
        let clock = Clock::File(path.into());
        match clock.read_file() {
            Some(Ok(_)) => Ok(clock),
            Some(Err(text)) => Err(not_a_date(&text)),
            None => Err(AppError::invalid(
                "today",
                format!("cannot read the day from {path}: write a date such as 2023-02-15 in it"),
            )),
        }
    }

    /// The day written in the clock's file: `None` when it cannot be read, the text when it is no
    /// date.
    fn read_file(&self) -> Option<Result<String, String>> {
        let Clock::File(path) = self else {
            return None;
        };
        let text = std::fs::read_to_string(path).ok()?;
        let day = text.trim();
        Some(if mignet_core::rules::is_iso_date(day) {
            Ok(day.to_owned())
        } else {
            Err(day.to_owned())
        })
    }

    /// Today as `YYYY-MM-DD`. A clock file that no longer holds a date gives the system's day, with
    /// a warning in the log.
    pub fn today(&self) -> String {
        match self {
            Clock::Fixed(d) => d.clone(),
            Clock::System => system_day(),
            Clock::File(path) => match self.read_file() {
                Some(Ok(day)) => day,
                _ => {
                    tracing::warn!(file = %path.display(), "the clock file holds no date; using the system's day");
                    system_day()
                }
            },
        }
    }
}

impl App {
    /// How complete the round of `period` is on `today`.
    pub async fn completeness(&self, period: &str, today: &str) -> Result<Completeness, AppError> {
        let ds = self.dataset().await?;
        let p = Self::period_of(&ds, period)?;
        Ok(completeness::completeness(p, today))
    }

    /// The round's completeness as an XLSX workbook (written on a blocking thread).
    pub async fn completeness_workbook(
        &self,
        period: &str,
        today: &str,
    ) -> Result<Vec<u8>, AppError> {
        let ds = self.dataset().await?;
        let c = completeness::completeness(Self::period_of(&ds, period)?, today);
        crate::blocking(move || {
            mignet_formats::xlsx::completeness_workbook(&ds, &c)
                .map_err(|e| ExportError::write("XLSX", e).into())
        })
        .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_file_is_read_each_time_and_must_hold_a_date_when_named() {
        let dir = tempfile::tempdir().unwrap();
        let day = dir.path().join("day");
        let arg = format!("@{}", day.display());
        let e = Clock::parse(&arg).err().unwrap().to_string();
        assert!(e.contains("cannot read the day"), "{e}");
        std::fs::write(&day, "someday").unwrap();
        let e = Clock::parse(&arg).err().unwrap().to_string();
        assert!(e.contains("`someday` is not a date"), "{e}");
        std::fs::write(&day, "2024-02-09\n").unwrap();
        let clock = Clock::parse(&arg).unwrap();
        assert_eq!(clock.today(), "2024-02-09");
        std::fs::write(&day, "2024-02-17").unwrap();
        assert_eq!(clock.today(), "2024-02-17", "the day moves with the file");
        assert_eq!(
            Clock::parse("2024-01-01").unwrap(),
            Clock::Fixed("2024-01-01".into())
        );
    }
}
