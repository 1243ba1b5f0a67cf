//! Rendering the Highlights of a period.

use crate::{App, AppError};

/// The formats of the Highlights brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "md" | "markdown" => Some(Self::Markdown),
            "html" => Some(Self::Html),
            _ => None,
        }
    }
    /// The names `parse` accepts, for messages.
    pub const NAMES: &'static str = "md, html";
}

impl App {
    /// The Highlights of a period, as the bytes of a file in `format`.
    pub async fn report(&self, period: &str, format: ReportFormat) -> Result<Vec<u8>, AppError> {
        let ds = self.dataset().await?;
        Self::period_of(&ds, period)?;
        let text = match format {
            ReportFormat::Markdown => {
                mignet_report::render(&ds, period, mignet_report::Format::Markdown)?
            }
            ReportFormat::Html => mignet_report::render(&ds, period, mignet_report::Format::Html)?,
        };
        Ok(text.into_bytes())
    }
}
