//! Importing a filled-in reporting workbook (.xlsx) or its CSV form (docs/workbook.md).
//!
//! The rules: every problem of the file is reported at once and a file with any problem writes
//! nothing; the period must be in the store and open (the coordinator opens it, the import never
//! creates it); each figure's id is `IMP-<organisation>-<indicator>`, so importing the same file again
//! changes nothing; figures enter as submitted (a joint figure as a draft until each co-reporting
//! organisation has confirmed its content), with the file (name and SHA-256) as their evidence
//! unless the row gives its own link, and in every audit entry; a figure under review (submitted) or
//! approved is never overwritten with different values.

use crate::{App, AppError};
use mignet_core::access::Actor;
use mignet_core::model::FigureStatus;
use mignet_core::{Dataset, Figure, OrgCode, PeriodStatus};
use mignet_formats::workbook::{self, ImportError, Submission};

/// Why an import or a template was refused.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// The file has problems, each with its sheet, row and column; nothing was written.
    #[error("{} problem(s) in {file}; nothing was written", .problems.len())]
    Problems {
        file: String,
        problems: Vec<ImportError>,
    },
    /// The file's name says neither .xlsx nor .csv.
    #[error("{file}: mignet imports .xlsx workbooks made by `mignet template` and their .csv form")]
    UnknownFormat { file: String },
    /// The file reports for a period the store does not have.
    #[error(
        "the store has no period `{period}`: the coordinator opens it first (add periods/{period}/period.toml with status = \"open\" and framework = \"{framework}\" to the dataset folder and run `mignet load DIR`), then imports again"
    )]
    NoPeriod { period: String, framework: String },
    /// The file reports for a closed period.
    #[error("period {period} is closed: figures are imported only into an open period")]
    PeriodClosed { period: String },
    /// The file is readable but the account may not import it.
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<mignet_store::StoreError> for ExchangeError {
    fn from(e: mignet_store::StoreError) -> Self {
        ExchangeError::App(e.into())
    }
}

/// The largest file an import reads; a front end reads no more than this (plus one byte, to tell).
pub const MAX_IMPORT_BYTES: u64 = workbook::limits::MAX_FILE_BYTES;

/// How many times an import is decided again after another writer moved one of its figures.
const IMPORT_ATTEMPTS: usize = 4;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    pub organisation: String,
    pub period: String,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Things the coordinator should know that do not stop the import.
    pub notes: Vec<String>,
}

/// The file formats an import reads, by the file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Xlsx,
    Csv,
}

impl ImportFormat {
    pub fn of(file_name: &str) -> Option<Self> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") {
            Some(Self::Xlsx)
        } else if lower.ends_with(".csv") {
            Some(Self::Csv)
        } else {
            None
        }
    }
}

impl App {
    /// Reads `bytes` (the file called `file_name`) and writes its figures as `actor`, in one
    /// transaction, or nothing. For the shell, whose user may import any organisation's workbook.
    pub async fn import(
        &self,
        file_name: &str,
        bytes: &[u8],
        actor: &str,
    ) -> Result<ImportOutcome, ExchangeError> {
        self.import_checked(file_name, bytes, actor, |_| true).await
    }

    /// [`App::import`] by a signed-in account: the workbook's organisation must be one whose workbooks
    /// the account may exchange ([`Actor::may_exchange_workbook`]); otherwise nothing is written.
    pub async fn import_as(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<ImportOutcome, ExchangeError> {
        self.import_checked(file_name, bytes, &actor.email, |org| {
            actor.may_exchange_workbook(org)
        })
        .await
    }

    /// The versions an import writes against are the ones it read itself a moment before, not ones a
    /// person saw: when another writer (another import of the same organisation) moved a figure in
    /// between, the import is decided again on what the store holds now, as it would have been had
    /// it come a moment later. A person's stale version is never retried this way.
    async fn import_checked(
        &self,
        file_name: &str,
        bytes: &[u8],
        actor: &str,
        may_import_for: impl Fn(&OrgCode) -> bool,
    ) -> Result<ImportOutcome, ExchangeError> {
        let mut attempt = 0;
        loop {
            match self
                .import_once(file_name, bytes, actor, &may_import_for)
                .await
            {
                Err(ExchangeError::App(AppError::Store(mignet_store::StoreError::Conflict {
                    ..
                }))) if attempt < IMPORT_ATTEMPTS => attempt += 1,
                other => return other,
            }
        }
    }

    async fn import_once(
        &self,
        file_name: &str,
        bytes: &[u8],
        actor: &str,
        may_import_for: &impl Fn(&OrgCode) -> bool,
    ) -> Result<ImportOutcome, ExchangeError> {
        let problems = |problems| ExchangeError::Problems {
            file: file_name.to_owned(),
            problems,
        };
        let format = ImportFormat::of(file_name).ok_or_else(|| ExchangeError::UnknownFormat {
            file: file_name.to_owned(),
        })?;
        // Reading a workbook (unzipping, parsing XML) takes long enough on a large file to hold up
        // other requests: a blocking thread does it, on a copy of the bytes (at most
        // MAX_IMPORT_BYTES), together with the file's hash.
        let owned = bytes.to_vec();
        let (sub, sha256) = crate::blocking(move || {
            let sub = match format {
                ImportFormat::Xlsx => workbook::xlsx::read(&owned),
                ImportFormat::Csv => workbook::csv::read_bytes(&owned),
            };
            (sub, workbook::sha256_hex(&owned))
        })
        .await?;
        let sub = sub.map_err(problems)?;
        if !may_import_for(&sub.organisation) {
            return Err(ExchangeError::Forbidden(format!(
                "this workbook reports for {}; you may import only your own organisation's workbooks",
                sub.organisation
            )));
        }
        let ds = self.dataset().await?;
        let period = sub.period.as_str();
        let p = Self::period_of(&ds, period).map_err(|_| ExchangeError::NoPeriod {
            period: period.to_owned(),
            framework: ds.framework.version.clone(),
        })?;
        if p.period.status != PeriodStatus::Open {
            return Err(ExchangeError::PeriodClosed {
                period: period.to_owned(),
            });
        }
        let source = format!("import:{file_name} sha256:{sha256}");
        let figures = sub.figures(&ds, &source).map_err(problems)?;
        let mut notes = Vec::new();
        if sub.same_framework(&ds) == Some(false)
            && let Some(m) = &sub.meta
        {
            notes.push(format!(
                "the workbook was made from framework {} and matched indicator by indicator (same code, same kind) against framework {}",
                m.framework, ds.framework.version
            ));
        }
        notes.extend(duplicates(&ds, period, &sub));
        let now = now_rfc3339();
        let mut writes = Vec::new();
        let mut refused = Vec::new();
        let mut unchanged = 0;
        for (entry, mut f) in sub.entries.iter().zip(figures) {
            let stored = self.store().figure(period, f.id.as_str()).await?;
            f.status_by = Some(actor.to_owned());
            f.status_at = Some(now.clone());
            for e in mignet_core::limits::figure(&f) {
                refused.push(ImportError {
                    sheet: sub.sheet.clone(),
                    row: Some(entry.row),
                    column: Some(e.field.clone()),
                    cell: None,
                    problem: format!("the {} {}", e.field, e.message),
                    expected: Some(format!(
                        "at most {} characters",
                        if e.field == "note" {
                            mignet_core::limits::MAX_NOTE
                        } else {
                            mignet_core::limits::MAX_EVIDENCE
                        }
                    )),
                });
            }
            // The same values from another file keep the first file as their evidence, so that the
            // content (and the partners' confirmations of it) stays the same.
            if let Some(s) = &stored
                && same_content(&s.figure, &f)
            {
                f.evidence = s.figure.evidence.clone();
            }
            // A joint figure names other organisations: it is submitted in their name only once each
            // has confirmed this content, exactly as when it is typed in a form; until then it is a
            // draft they confirm (the reporting organisation agrees by its workbook).
            if f.is_joint() {
                let missing = self
                    .awaiting_agreement(period, &f, Some(&sub.organisation))
                    .await?;
                if !missing.is_empty() {
                    f.status = FigureStatus::Draft;
                    notes.push(format!(
                        "figure {} is joint: it stays a draft until {} confirm(s) it; then {} submits it (or imports the workbook again)",
                        f.id,
                        missing.join(", "),
                        sub.organisation
                    ));
                }
            }
            match stored {
                // Under review or approved with the same values: unchanged (an approved figure stays
                // approved). A draft or returned figure with the same values is submitted again.
                Some(s)
                    if matches!(
                        s.figure.status,
                        FigureStatus::Submitted | FigureStatus::Approved
                    ) && same_content(&s.figure, &f) =>
                {
                    unchanged += 1;
                }
                Some(s)
                    if matches!(
                        s.figure.status,
                        FigureStatus::Submitted | FigureStatus::Approved
                    ) =>
                {
                    refused.push(ImportError {
                        sheet: sub.sheet.clone(),
                        row: Some(entry.row),
                        column: Some("value".into()),
                        cell: None,
                        problem: format!(
                            "figure {} is {} and differs from this row",
                            f.id,
                            s.figure.status.as_str()
                        ),
                        expected: Some(format!(
                            "the figure as it is, or ask the coordinator to {} it first",
                            if s.figure.status == FigureStatus::Approved {
                                "reopen"
                            } else {
                                "return"
                            }
                        )),
                    });
                }
                // A draft waiting for its partners, imported again with the same values: unchanged.
                Some(s)
                    if s.figure.status == FigureStatus::Draft
                        && f.status == FigureStatus::Draft
                        && same_content(&s.figure, &f) =>
                {
                    unchanged += 1;
                }
                Some(s) => writes.push((f, Some(s.version))),
                None => writes.push((f, Some(0))),
            }
        }
        if !refused.is_empty() {
            return Err(problems(refused));
        }
        let written = if writes.is_empty() {
            Vec::new()
        } else {
            self.store()
                .put_figures(period, &writes, actor, &source)
                .await?
        };
        // The reporting organisation's agreement to each joint figure it wrote, bound to the
        // content written, as a confirmation in the figure's review trail.
        let by_import = format!("confirmed by {source}");
        for ((f, _), w) in writes.iter().zip(&written) {
            if f.is_joint() && w.changed {
                self.store()
                    .review_figure(
                        period,
                        f.id.as_str(),
                        mignet_core::workflow::ReviewAction::Confirm,
                        Some(sub.organisation.as_str()),
                        Some(by_import.as_str()),
                        actor,
                        Some(w.version),
                        false,
                    )
                    .await?;
            }
        }
        let created = writes
            .iter()
            .zip(&written)
            .filter(|((_, v), w)| *v == Some(0) && w.changed)
            .count();
        let updated = written.iter().filter(|w| w.changed).count() - created;
        unchanged += written.iter().filter(|w| !w.changed).count();
        Ok(ImportOutcome {
            organisation: sub.organisation.to_string(),
            period: period.to_owned(),
            created,
            updated,
            unchanged,
            notes,
        })
    }
}

/// Equal but for who set the status and when, and for which file brought it: the same values from
/// another file (the CSV form of a workbook already imported) keep the first file as their evidence.
fn same_content(stored: &Figure, new: &Figure) -> bool {
    let mut a = stored.clone();
    a.status = new.status;
    a.status_by = new.status_by.clone();
    a.status_at = new.status_at.clone();
    let from_file = |f: &Figure| {
        f.evidence
            .as_deref()
            .is_some_and(|e| e.starts_with("import:"))
    };
    if from_file(&a) && from_file(new) {
        a.evidence = new.evidence.clone();
    }
    &a == new
}

/// Figures of the period entered otherwise (not by import) for the same organisation and indicator:
/// both would be counted, so the coordinator is told.
fn duplicates(ds: &Dataset, period: &str, sub: &Submission) -> Vec<String> {
    let Some(p) = ds.period(period) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in &sub.entries {
        for f in &p.figures {
            if f.indicator == e.indicator
                && !f.id.as_str().starts_with("IMP-")
                && f.organisations.contains(&sub.organisation)
            {
                out.push(format!(
                    "period {period} also has figure {} for {} on indicator {}: check that they are not the same work counted twice",
                    f.id, sub.organisation, e.indicator
                ));
            }
        }
    }
    out
}

/// The current time as RFC 3339 text in UTC, to the second.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_is_rfc_3339_in_utc() {
        let t = now_rfc3339();
        assert_eq!(t.len(), 20, "{t}");
        assert!(
            t.starts_with("20") && t.ends_with('Z') && &t[10..11] == "T",
            "{t}"
        );
    }

    #[test]
    fn the_format_follows_the_extension() {
        assert_eq!(ImportFormat::of("iom-2023.XLSX"), Some(ImportFormat::Xlsx));
        assert_eq!(ImportFormat::of("iom.csv"), Some(ImportFormat::Csv));
        assert_eq!(ImportFormat::of("iom.ods"), None);
    }
}
