//! Exporting a period's data in the formats the field reads.

use crate::{App, AppError};

/// The export formats of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    /// A workbook for the secretariat: every figure of every status, with provenance.
    Xlsx,
    /// CSV with HXL hashtags: approved figures only.
    Hxl,
    /// IATI 2.03 activity XML: approved figures only.
    Iati,
}

impl ExportFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Self::Json),
            "xlsx" => Some(Self::Xlsx),
            "hxl" => Some(Self::Hxl),
            "iati" => Some(Self::Iati),
            _ => None,
        }
    }
    /// The names `parse` accepts, for messages.
    pub const NAMES: &'static str = "json, xlsx, hxl, iati";
    pub const ALL: [Self; 4] = [Self::Json, Self::Xlsx, Self::Hxl, Self::Iati];

    /// The name `parse` accepts.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Xlsx => "xlsx",
            Self::Hxl => "hxl",
            Self::Iati => "iati",
        }
    }
    /// Whether the file carries approved figures only, and so may be given to anyone; the others hold
    /// figures of every status, for people who may see what is not yet approved.
    pub fn approved_only(self) -> bool {
        matches!(self, Self::Hxl | Self::Iati)
    }
    /// The file's name for a period, as a download offers it.
    pub fn file_name(self, period: &str) -> String {
        match self {
            Self::Json => format!("mignet-{period}.json"),
            Self::Xlsx => format!("mignet-{period}.xlsx"),
            Self::Hxl => format!("mignet-{period}-hxl.csv"),
            Self::Iati => format!("mignet-{period}-iati.xml"),
        }
    }
    /// The file's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Xlsx => XLSX_MEDIA_TYPE,
            Self::Hxl => "text/csv; charset=utf-8",
            Self::Iati => "application/xml",
        }
    }
}

/// The media type of an .xlsx workbook.
pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Why a period's file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store's content does not make this file yet (an IATI file needs approved figures and the
    /// period's dates): the person can change that.
    #[error(transparent)]
    Unavailable(#[from] mignet_formats::iati::IatiError),
    /// Writing the file failed: the server's fault, with the writer's own error as the cause.
    #[error("cannot write the {format} file")]
    Write {
        format: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl ExportError {
    pub(crate) fn write(
        format: &'static str,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> ExportError {
        ExportError::Write {
            format,
            source: Box::new(e),
        }
    }
}

impl App {
    /// A period's data in an exchange format, as the bytes of a file. The workbook is written on a
    /// blocking thread: it takes long enough on a large network to hold up other requests.
    /// The files anyone may have (HXL, IATI) are made from the public view, with sensitive small
    /// counts withheld ([`App::public_dataset`]); JSON and XLSX, for people who see unapproved figures,
    /// hold the exact values.
    pub async fn export(&self, period: &str, format: ExportFormat) -> Result<Vec<u8>, AppError> {
        let ds = if format.approved_only() {
            self.public_dataset().await?
        } else {
            self.dataset().await?
        };
        self.export_from(ds, period, format).await
    }

    /// A period's file in `format`, made from `ds`.
    pub(crate) async fn export_from(
        &self,
        ds: std::sync::Arc<mignet_core::Dataset>,
        period: &str,
        format: ExportFormat,
    ) -> Result<Vec<u8>, AppError> {
        Self::period_of(&ds, period)?;
        let period = period.to_owned();
        crate::blocking(move || {
            let p = Self::period_of(&ds, &period)?;
            Ok(match format {
                ExportFormat::Json => {
                    let doc = mignet_formats::json::period_document(&ds, p);
                    let mut out = serde_json::to_vec_pretty(&doc)
                        .map_err(|e| ExportError::write("JSON", e))?;
                    out.push(b'\n');
                    out
                }
                ExportFormat::Xlsx => mignet_formats::xlsx::workbook(&ds, p)
                    .map_err(|e| ExportError::write("XLSX", e))?,
                ExportFormat::Hxl => mignet_formats::hxl::csv(&ds, p),
                ExportFormat::Iati => {
                    mignet_formats::iati::activities(&ds, p).map_err(ExportError::from)?
                }
            })
        })
        .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_parses_back_from_its_name_and_only_hxl_and_iati_are_public() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(f.name()), Some(f));
            assert!(ExportFormat::NAMES.contains(f.name()));
        }
        let public: Vec<_> = ExportFormat::ALL
            .into_iter()
            .filter(|f| f.approved_only())
            .collect();
        assert_eq!(public, [ExportFormat::Hxl, ExportFormat::Iati]);
    }
}
