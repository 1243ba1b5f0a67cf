//! Reading and writing mignet's exchange formats. Streams and files in, validated domain values out;
//! domain values in, bytes out. No database access.
//!
//! - [`dataset`]: the human-editable folder of TOML files (`mignet load DIR`), see docs/dataset-format.md.
//! - [`json`]: the JSON export of a period, with a documented, stable shape.
//! - [`workbook`]: the reporting template (.xlsx) and the import of filled-in workbooks and CSV files.
//! - [`hxl`]: CSV with HXL hashtags of a period's approved figures (docs/exports.md).
//! - [`iati`]: the IATI 2.03 activity XML of a period's approved figures (docs/exports.md).
//! - [`xlsx`]: a workbook of a period's figures of every status, for the secretariat (docs/exports.md).
//!
//! ```no_run
//! let dataset = mignet_formats::dataset::read_dir(std::path::Path::new("examples/thailand-2022"))
//!     .map_err(|errors| errors.len());
//! ```

pub mod dataset;
pub mod hxl;
pub mod iati;
pub mod json;
pub mod workbook;
pub mod xlsx;
