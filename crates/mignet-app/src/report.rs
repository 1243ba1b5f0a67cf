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

/// How many results the web Highlights shows a page: a brief of up to this many is one page, as the
/// PDF prints it; a network of thousands of figures gets pages of a few hundred kilobytes.
pub const BRIEF_LINES_PER_PAGE: usize = 500;

impl App {
    /// The Highlights of a period, as the bytes of a file in `format`. Rendering runs on a blocking
    /// thread (the PDF takes tens to hundreds of milliseconds of CPU), and at most
    /// `TYPESETTING_AT_ONCE` PDFs are typeset at once.
    /// The brief is published: it is made from the public view, with sensitive small counts
    /// withheld ([`App::public_dataset`]).
    /// One page of the web Highlights ([`mignet_report::render_html_page`]): its HTML, or `None`
    /// past the last page.
    pub async fn report_page(
        &self,
        period: &str,
        page: usize,
        lang: &str,
    ) -> Result<Option<String>, AppError> {
        let ds = self.public_dataset().await?;
        Self::period_of(&ds, period)?;
        let (period, lang) = (period.to_owned(), lang.to_owned());
        Ok(crate::blocking(move || {
            mignet_report::render_html_page(&ds, &period, page, BRIEF_LINES_PER_PAGE, &lang)
        })
        .await??
        .map(|(html, _)| html))
    }

    /// The brief's own words are in `lang` (English where the brief does not speak it), and the
    /// dataset's texts in it where they are translated.
    pub async fn report(
        &self,
        period: &str,
        format: ReportFormat,
        lang: &str,
    ) -> Result<Vec<u8>, AppError> {
        let ds = self.public_dataset().await?;
        Self::period_of(&ds, period)?;
        let (period, lang) = (period.to_owned(), lang.to_owned());
        let text = match format {
            ReportFormat::Markdown => {
                crate::blocking(move || {
                    mignet_report::render_in(&ds, &period, mignet_report::Format::Markdown, &lang)
                })
                .await??
            }
            ReportFormat::Html => {
                crate::blocking(move || {
                    mignet_report::render_in(&ds, &period, mignet_report::Format::Html, &lang)
                })
                .await??
            }
            ReportFormat::Pdf => {
                // The permit is held until the typesetting ends; the semaphore is never closed.
                let _permit = self
                    .typesetting
                    .acquire()
                    .await
                    .expect("the typesetting semaphore is never closed");
                return crate::blocking(move || mignet_pdf::render_in(&ds, &period, &lang))
                    .await?
                    .map_err(|e| match e {
                        mignet_pdf::PdfError::Report(e) => AppError::Report(e),
                        // The template or the typesetting failed: nothing the user did.
                        other => crate::ExportError::write("PDF", other).into(),
                    });
            }
        };
        Ok(text.into_bytes())
    }
}
