//! The use cases, written once and called by every front end (the command line now, the web later):
//! load a dataset, check it, render the Highlights, export a period.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mignet_app::AppError> {
//! let app = mignet_app::App::open("mignet.db").await?;
//! app.load(std::path::Path::new("examples/thailand-2022"), "cli").await?;
//! let html = app.report("2022", mignet_app::ReportFormat::Html, "en").await?;
//! # Ok(()) }
//! ```

use mignet_core::{Dataset, Finding};
use mignet_formats::dataset::DatasetError;
use mignet_store::{LoadSummary, Store, Written};
use std::path::Path;
use std::sync::Arc;

mod accounts;
pub mod demo;
mod edit;
mod edition;
mod entry;
mod export;
mod history;
mod import;
mod notify;
pub mod reach;
mod report;
mod review;
mod round;
mod template;
mod translate;

pub use accounts::{
    MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, NewAccount, NewSession, SESSION_HOURS,
    SIGN_IN_WINDOW, check_password, random_token,
};
pub use edit::{fingerprint, item_json};
pub use edition::{PublishedEdition, content_hash};
pub use entry::FigureInput;
pub use export::{ExportError, ExportFormat, XLSX_MEDIA_TYPE};
pub use import::{ExchangeError, ImportFormat, ImportOutcome, MAX_IMPORT_BYTES};
pub use mignet_formats::workbook::ImportError;
pub use mignet_store::{
    Account, AuditEntry, AuditFilter, Comment, Edition, EditionFileInfo, FigureVersions,
    OutboxCounts, OutboxMessage, Review, StoreError,
};
pub use notify::{CycleReport, MailSettings, Mailer, message_id, run_scheduler};
pub use report::ReportFormat;
pub use review::{Earlier, ReviewFilter, ReviewItem, ThreadEntry, approval_of};
pub use round::{Clock, NewPeriod, RoundInput, round_fingerprint};
pub use template::{Selection, TemplateOutcome};
pub use translate::TranslationRow;

/// A problem with one field of what a person typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// What a use case can end in besides its value. Each variant is one cause, so that a front end can
/// tell a person's mistake (4xx) from the server's failure (5xx) without reading messages.
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
    /// A period's file could not be made; [`ExportError`] says whether the store's content or the
    /// writer is the cause.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// What a person typed has errors, each with its field.
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// Not signed in, or signed in with the wrong secret.
    #[error("{0}")]
    Unauthorized(String),
    /// Too many failed sign-ins for the account or from the address; the password was not checked.
    #[error("too many failed sign-ins: wait {} minute(s), then try again", .retry_after.as_secs().div_ceil(60).max(1))]
    TooManyAttempts { retry_after: std::time::Duration },
    /// Signed in, but not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} does not exist")]
    NotFound(String),
    /// The item changed since the person opened it; nothing was written.
    #[error("{0}")]
    Changed(String),
    /// Hashing or checking a password failed: the server's fault, never the person's.
    #[error("cannot {action} a password: {source}")]
    Password {
        action: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A file the server writes for itself (such as the demo example it unpacks) could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Work handed to a blocking thread did not finish (it panicked, or the runtime is stopping).
    #[error("a background task did not finish: {0}")]
    Task(#[from] tokio::task::JoinError),
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
    /// Briefs being typeset at once. typst takes a core and tens of megabytes for each, on a blocking
    /// thread; bounding them keeps a burst of PDF downloads from taking every core and the whole
    /// blocking pool (which sign-in and workbooks also need). Waiting is correct: a PDF is the same
    /// whenever it is made.
    typesetting: tokio::sync::Semaphore,
    /// Held while this process reads the logs for messages, so that it reads them once at a time
    /// (another process may read them meanwhile: each message is written once anyway).
    gathering: tokio::sync::Mutex<()>,
}

/// The generation of the store a read model was built from ([`Store::recent_generation`]).
pub type Generation = i64;

/// How stale the read model may be after another process (such as `mignet load`) wrote to the store.
/// Writes made through this `App` are seen at once.
pub const OTHER_WRITERS_SEEN_WITHIN: std::time::Duration = std::time::Duration::from_secs(1);

/// One shared, immutable copy of the dataset per store generation, so that every read (page, API call,
/// use case) answers from memory instead of rebuilding the dataset from the store.
#[derive(Default)]
struct ReadModel {
    current: std::sync::RwLock<Option<(Generation, Model)>>,
    /// Held while one reader rebuilds the model, so that concurrent readers of a new generation wait
    /// for that one rebuild instead of each starting their own (single flight).
    rebuilding: tokio::sync::Mutex<()>,
    /// The public view of the current model (sensitive small counts withheld), with the model it was
    /// made from.
    public: std::sync::RwLock<Option<(Arc<Dataset>, Arc<Dataset>)>>,
    /// How many times the model was read whole from the store ([`App::read_model_builds`]).
    builds: std::sync::atomic::AtomicU64,
}

/// What one store generation holds: the dataset and the version of each figure, read together.
#[derive(Clone)]
struct Model {
    dataset: Arc<Dataset>,
    versions: Arc<mignet_store::FigureVersions>,
}

impl ReadModel {
    fn get(&self, generation: Generation) -> Option<Model> {
        let current = self.current.read().expect("read model lock");
        current
            .as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, m)| m.clone())
    }
}

/// How many briefs are typeset at once (see [`App`]).
const TYPESETTING_AT_ONCE: usize = 2;

/// Runs CPU-bound work (typst, workbooks, Argon2) on tokio's blocking threads, so that the async
/// workers keep answering other requests meanwhile. Outside a runtime it would panic: every caller is
/// an async use case, which runs inside one.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    Ok(tokio::task::spawn_blocking(work).await?)
}

impl App {
    pub async fn open(db: &str) -> Result<App, AppError> {
        Ok(App {
            store: Store::open(db).await?,
            read_model: ReadModel::default(),
            typesetting: tokio::sync::Semaphore::new(TYPESETTING_AT_ONCE),
            gathering: tokio::sync::Mutex::new(()),
        })
    }

    /// Whether the store answers (a server's `/healthz`).
    pub async fn health(&self) -> Result<(), AppError> {
        self.store.generation().await?;
        Ok(())
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
        Ok(self.model().await?.dataset)
    }

    async fn model(&self) -> Result<Model, AppError> {
        let generation = self.generation().await?;
        if let Some(m) = self.read_model.get(generation) {
            return Ok(m);
        }
        let _one = self.read_model.rebuilding.lock().await;
        // Asked again: while this reader waited, a write of this process may have moved the
        // generation on and brought the model along ([`App::apply_figure`]).
        let generation = self.generation().await?;
        if let Some(m) = self.read_model.get(generation) {
            return Ok(m);
        }
        let started = std::time::Instant::now();
        let (ds, versions) = self
            .store
            .dataset_and_versions()
            .await?
            .ok_or(AppError::Empty)?;
        self.read_model
            .builds
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::info!(
            generation,
            figures = versions.len(),
            took_ms = started.elapsed().as_millis() as u64,
            "read model built from the store"
        );
        let m = Model {
            dataset: Arc::new(ds),
            versions: Arc::new(versions),
        };
        *self.read_model.current.write().expect("read model lock") = Some((generation, m.clone()));
        Ok(m)
    }

    /// How many times this `App` has read its read model whole from the store: once per generation
    /// moved by a write of another process, a dataset load or an edit of the framework; not for a
    /// figure entered or reviewed through this `App` ([`App::apply_figure`]).
    pub fn read_model_builds(&self) -> u64 {
        self.read_model
            .builds
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Brings the read model along a one-figure write of this process instead of rebuilding it from
    /// the store on the next read (which takes seconds on a network of 150,000 figures). The write
    /// made `written.generation`; the model is changed only if it holds the state just before (one
    /// generation earlier, as each write moves it by one under the store's write lock), so no other
    /// write is skipped over. The figure is read back as stored, with its version, so the model
    /// holds what a rebuild would; if another write changed it meanwhile, nothing is applied and the
    /// next read rebuilds as before.
    pub(crate) async fn apply_figure(&self, period: &str, id: &str, written: &Written) {
        let Some(generation) = written.generation else {
            return;
        };
        let Ok(Some(stored)) = self.store.figure(period, id).await else {
            return;
        };
        if stored.version != written.version {
            return;
        }
        let _one = self.read_model.rebuilding.lock().await;
        let taken = {
            let mut current = self.read_model.current.write().expect("read model lock");
            match current.take() {
                Some((g, m)) if g + 1 == generation => Some(m),
                other => {
                    *current = other;
                    None
                }
            }
        };
        let Some(mut m) = taken else { return };
        // The public view made from the old dataset is dropped first, so that the dataset is changed
        // in place unless a request still holds it (then it is copied).
        *self.read_model.public.write().expect("public view lock") = None;
        let ds = Arc::make_mut(&mut m.dataset);
        if let Some(p) = ds
            .periods
            .iter_mut()
            .find(|p| p.period.code.as_str() == period)
        {
            // A new figure goes last, as the store places it.
            match p.figures.iter_mut().find(|f| f.id.as_str() == id) {
                Some(f) => *f = stored.figure,
                None => p.figures.push(stored.figure),
            }
            Arc::make_mut(&mut m.versions).set(period, id, stored.version);
            *self.read_model.current.write().expect("read model lock") = Some((generation, m));
        }
    }

    /// The dataset as the public sees it: [`mignet_core::disclosure::protect`] of [`App::dataset`],
    /// with sensitive small counts withheld. Every public output (pages, the public API, the brief,
    /// HXL and IATI) is made from this; signed-in people see [`App::dataset`].
    pub async fn public_dataset(&self) -> Result<Arc<Dataset>, AppError> {
        let ds = self.dataset().await?;
        Ok(self.public_view(ds))
    }

    /// The dataset (exact, or as the public sees it) and the figures' versions, from one read model:
    /// each figure shown with the version of the content shown.
    pub async fn dataset_and_versions(
        &self,
        exact: bool,
    ) -> Result<(Arc<Dataset>, Arc<mignet_store::FigureVersions>), AppError> {
        let m = self.model().await?;
        let ds = if exact {
            m.dataset
        } else {
            self.public_view(m.dataset)
        };
        Ok((ds, m.versions))
    }

    /// The public view of `ds`, made once per read model.
    fn public_view(&self, ds: Arc<Dataset>) -> Arc<Dataset> {
        if !mignet_core::disclosure::withholds_anything(&ds) {
            return ds;
        }
        if let Some((from, public)) = &*self.read_model.public.read().expect("public view lock")
            && Arc::ptr_eq(from, &ds)
        {
            return public.clone();
        }
        let public = Arc::new(mignet_core::disclosure::protect(&ds));
        *self.read_model.public.write().expect("public view lock") =
            Some((ds.clone(), public.clone()));
        public
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
