//! Rendering the Highlights of a period.

use crate::{App, AppError};

/// The formats of the Highlights brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
    /// The designed brief, typeset by `mignet-pdf`.
    Pdf,
}

impl ReportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "md" | "markdown" => Some(Self::Markdown),
            "html" => Some(Self::Html),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }
    /// The names `parse` accepts, for messages.
    pub const NAMES: &'static str = "md, html, pdf";
}

impl App {
    /// The Highlights of a period, as the bytes of a file in `format`. The PDF is typeset on the calling
    /// thread (tens of milliseconds of CPU); a server calls this from `spawn_blocking` or accepts that.
    pub async fn report(&self, period: &str, format: ReportFormat) -> Result<Vec<u8>, AppError> {
        let ds = self.dataset().await?;
        Self::period_of(&ds, period)?;
        let text = match format {
            ReportFormat::Markdown => {
                mignet_report::render(&ds, period, mignet_report::Format::Markdown)?
            }
            ReportFormat::Html => mignet_report::render(&ds, period, mignet_report::Format::Html)?,
            ReportFormat::Pdf => {
                return mignet_pdf::render(&ds, period).map_err(|e| match e {
                    mignet_pdf::PdfError::Report(e) => AppError::Report(e),
                    // The template or the typesetting failed: nothing the user did, reported as the
                    // export failing with typst's own message.
                    other => AppError::Export(other.to_string()),
                });
            }
        };
        Ok(text.into_bytes())
    }
}
