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
}

impl App {
    /// A period's data in an exchange format, as the bytes of a file.
    pub async fn export(&self, period: &str, format: ExportFormat) -> Result<Vec<u8>, AppError> {
        let ds = self.dataset().await?;
        let p = Self::period_of(&ds, period)?;
        match format {
            ExportFormat::Json => {
                let doc = mignet_formats::json::period_document(&ds, p);
                let mut out =
                    serde_json::to_vec_pretty(&doc).map_err(|e| AppError::Export(e.to_string()))?;
                out.push(b'\n');
                Ok(out)
            }
            ExportFormat::Xlsx => {
                mignet_formats::xlsx::workbook(&ds, p).map_err(|e| AppError::Export(e.to_string()))
            }
            ExportFormat::Hxl => Ok(mignet_formats::hxl::csv(&ds, p)),
            ExportFormat::Iati => mignet_formats::iati::activities(&ds, p)
                .map_err(|e| AppError::Export(e.to_string())),
        }
    }
}
