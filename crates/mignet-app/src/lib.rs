//! The use cases, written once and called by every front end (the command line now, the web later):
//! load a dataset, check it, render the Highlights, export a period.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mignet_app::AppError> {
//! let app = mignet_app::App::open("mignet.db").await?;
//! app.load(std::path::Path::new("examples/thailand-2022"), "cli").await?;
//! let html = app.report("2022", mignet_app::ReportFormat::Html).await?;
//! # Ok(()) }
//! ```

use mignet_core::{Dataset, Finding};
use mignet_formats::dataset::DatasetError;
use mignet_store::{LoadSummary, Store, StoreError};
use std::path::Path;
use std::sync::Arc;

mod accounts;
mod edit;
mod entry;
mod export;
mod import;
pub mod reach;
mod report;
mod template;

pub use accounts::{NewAccount, NewSession, SESSION_HOURS, random_token};
pub use edit::{fingerprint, item_json};
pub use entry::FigureInput;
pub use export::{ExportFormat, XLSX_MEDIA_TYPE};
pub use import::{ExchangeError, ImportFormat, ImportOutcome, MAX_IMPORT_BYTES};
pub use mignet_formats::workbook::ImportError;
pub use mignet_store::AuditEntry;
pub use report::ReportFormat;
pub use template::{Selection, TemplateOutcome};

/// A problem with one field of what a person typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The dataset folder has errors; nothing was written.
    #[error("the dataset has {} error(s); nothing was written", .0.len())]
    Dataset(Vec<DatasetError>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Report(#[from] mignet_report::ReportError),
    #[error("the store is empty: load a dataset first (`mignet load DIR`)")]
    Empty,
    #[error("the store has no period `{asked}` (it has: {known})")]
    UnknownPeriod { asked: String, known: String },
    #[error("cannot write the export: {0}")]
    Export(String),
    /// What a person typed has errors, each with its field.
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// Not signed in, or signed in with the wrong secret.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} does not exist")]
    NotFound(String),
    /// The item changed since the person opened it; nothing was written.
    #[error("{0}")]
    Changed(String),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }
}

/// What `load` did.
#[derive(Debug)]
pub struct LoadOutcome {
    pub summary: LoadSummary,
    /// The check run on what was loaded: loading succeeds with findings, which the coordinator resolves.
    pub findings: Vec<Finding>,
}

pub struct App {
    store: Store,
    read_model: ReadModel,
}

/// The generation of the store a read model was built from ([`Store::recent_generation`]).
pub type Generation = (i64, u64);

/// How stale the read model may be after another process (such as `mignet load`) wrote to the store.
/// Writes made through this `App` are seen at once.
pub const OTHER_WRITERS_SEEN_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

/// One shared, immutable copy of the dataset per store generation, so that every read (page, API call,
/// use case) answers from memory instead of rebuilding the dataset from the store.
#[derive(Default)]
struct ReadModel {
    current: std::sync::RwLock<Option<(Generation, Arc<Dataset>)>>,
    /// Held while one reader rebuilds the model, so that concurrent readers of a new generation wait
    /// for that one rebuild instead of each starting their own (single flight).
    rebuilding: tokio::sync::Mutex<()>,
}

impl ReadModel {
    fn get(&self, generation: Generation) -> Option<Arc<Dataset>> {
        let current = self.current.read().expect("read model lock");
        current
            .as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, ds)| ds.clone())
    }
}

impl App {
    pub async fn open(db: &str) -> Result<App, AppError> {
        Ok(App {
            store: Store::open(db).await?,
            read_model: ReadModel::default(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The store's generation, as the read model and the caches of rendered pages key on it.
    pub async fn generation(&self) -> Result<Generation, AppError> {
        Ok(self
            .store
            .recent_generation(OTHER_WRITERS_SEEN_WITHIN)
            .await?)
    }

    /// The network's dataset as stored, shared by every reader of the same store generation. An empty
    /// store is [`AppError::Empty`].
    ///
    /// Correct because the generation is read before the dataset: a write that commits while the model
    /// is rebuilt moves the generation on, so the next reader sees a new generation and rebuilds again;
    /// a model is never kept under a generation newer than what it was read from.
    pub async fn dataset(&self) -> Result<Arc<Dataset>, AppError> {
        let generation = self.generation().await?;
        if let Some(ds) = self.read_model.get(generation) {
            return Ok(ds);
        }
        let _one = self.read_model.rebuilding.lock().await;
        if let Some(ds) = self.read_model.get(generation) {
            return Ok(ds);
        }
        let ds = Arc::new(self.store.dataset().await?.ok_or(AppError::Empty)?);
        *self.read_model.current.write().expect("read model lock") = Some((generation, ds.clone()));
        Ok(ds)
    }

    pub(crate) fn period_of<'d>(
        ds: &'d Dataset,
        period: &str,
    ) -> Result<&'d mignet_core::PeriodData, AppError> {
        ds.period(period).ok_or_else(|| AppError::UnknownPeriod {
            asked: period.to_owned(),
            known: ds
                .periods
                .iter()
                .map(|p| p.period.code.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// Reads a dataset folder and writes it to the store in one transaction. A folder with any error
    /// writes nothing and returns every error.
    pub async fn load(&self, dir: &Path, actor: &str) -> Result<LoadOutcome, AppError> {
        let ds = mignet_formats::dataset::read_dir(dir).map_err(AppError::Dataset)?;
        let summary = self.store.save_dataset(&ds, actor).await?;
        let findings = mignet_core::check(&ds, None);
        Ok(LoadOutcome { summary, findings })
    }

    /// The validation rules over the store, or one period of it.
    pub async fn check(&self, period: Option<&str>) -> Result<Vec<Finding>, AppError> {
        let ds = self.dataset().await?;
        if let Some(p) = period {
            Self::period_of(&ds, p)?;
        }
        Ok(mignet_core::check(&ds, period))
    }
}
