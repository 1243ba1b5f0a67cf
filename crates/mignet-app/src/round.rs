//! The reporting round of a period: how complete it is on a day, and the same as a workbook. The day
//! comes from the caller's [`Clock`], never from the system clock directly, so that a test or an
//! operator can say what day it is.

use crate::{App, AppError, ExportError};
use mignet_core::completeness::{self, Completeness};

/// The day the reporting cycle reads: the system's (UTC), or one fixed by the operator
/// (`mignet serve --today`, `mignet completeness --today`) or by a test.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    System,
    Fixed(String),
}

impl Clock {
    /// A clock fixed on `date`, which must be `YYYY-MM-DD`.
    pub fn fixed(date: &str) -> Result<Clock, AppError> {
        if mignet_core::rules::is_iso_date(date) {
            Ok(Clock::Fixed(date.to_owned()))
        } else {
            Err(AppError::invalid(
                "today",
                format!("`{date}` is not a date: write it as YYYY-MM-DD, for example 2023-02-15"),
            ))
        }
    }

    /// Today as `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        match self {
            Clock::Fixed(d) => d.clone(),
            Clock::System => {
                let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now());
                now.to_string()[..10].to_owned()
            }
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
