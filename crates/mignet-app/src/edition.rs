//! Publishing a period: its Highlights and exports frozen as an edition, served unchanged ever after.
//!
//! An edition is made from the public view of the period's approved figures, the same view every
//! public output is made from. Its content hash is the SHA-256 of its files' names and hashes, so
//! that two editions with the same hash hold the same bytes; publishing again with nothing changed
//! is refused, and a correction makes the next edition with its errata
//! (`mignet_core::edition::errata`).

use crate::{App, AppError, ExportFormat, ReportFormat};
use mignet_core::access::Actor;
use mignet_core::edition::{Erratum, Line};
use mignet_store::{Edition, EditionFile, NewEdition, StoreError};
use sha2::{Digest, Sha256};

/// An edition with its errata read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublishedEdition {
    #[serde(flatten)]
    pub edition: Edition,
    /// What changed from the edition before; empty for the first.
    pub errata: Vec<Erratum>,
}

impl PublishedEdition {
    fn of(edition: Edition) -> Result<PublishedEdition, AppError> {
        let errata = serde_json::from_str(&edition.errata).map_err(|e| {
            StoreError::Corrupt(format!(
                "the errata of edition {} of {}: {e}",
                edition.number, edition.period
            ))
        })?;
        Ok(PublishedEdition { edition, errata })
    }

    /// The path its file `name` is served at.
    pub fn href(&self, name: &str) -> String {
        format!(
            "/editions/{}/{}/{name}",
            self.edition.period, self.edition.number
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The content hash of an edition's files: the SHA-256 of each file's name and hash, one line each.
pub fn content_hash(files: &[EditionFile]) -> String {
    let list: String = files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.name))
        .collect();
    hex(list.as_bytes())
}

impl App {
    /// Publishes `period` as its next edition, if `actor` coordinates the network.
    pub async fn publish(&self, actor: &Actor, period: &str) -> Result<PublishedEdition, AppError> {
        if !actor.coordinates() {
            return Err(AppError::Forbidden(
                "only the network's coordinators publish a period".into(),
            ));
        }
        self.publish_as(&actor.name, period).await
    }

    /// Publishes `period` as its next edition in the name of `by` (the command line's operator).
    /// Refused when the period has no approved figure, or when nothing changed since its last
    /// edition.
    pub async fn publish_as(&self, by: &str, period: &str) -> Result<PublishedEdition, AppError> {
        let ds = self.public_dataset().await?;
        Self::period_of(&ds, period)?;
        let lines = mignet_core::edition::lines(&ds, period);
        if lines.is_empty() {
            return Err(AppError::invalid(
                "period",
                format!("{period} has no approved figure yet: approve its figures, then publish"),
            ));
        }
        let files = self.edition_files(period).await?;
        let hash = content_hash(&files);
        let previous = self.store.editions(Some(period)).await?.into_iter().next();
        let errata = match &previous {
            None => Vec::new(),
            Some(p) if p.content_hash == hash => {
                return Err(AppError::invalid(
                    "period",
                    format!(
                        "nothing changed since edition {} of {period}, published {}: there is nothing to correct",
                        p.number, p.published_at
                    ),
                ));
            }
            Some(p) => {
                let before: Vec<Line> = serde_json::from_str(&p.lines).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "the figures of edition {} of {period}: {e}",
                        p.number
                    ))
                })?;
                let errata = mignet_core::edition::errata(&before, &lines);
                if errata.is_empty() {
                    vec![Erratum {
                        figure: String::new(),
                        label: mignet_core::edition::OTHER_CHANGES.into(),
                        was: None,
                        now: None,
                    }]
                } else {
                    errata
                }
            }
        };
        let lines = serde_json::to_string(&lines).expect("lines serialise");
        let errata = serde_json::to_string(&errata).expect("errata serialise");
        let new = NewEdition {
            period,
            published_by: by,
            content_hash: &hash,
            lines: &lines,
            errata: &errata,
            files: &files,
        };
        let after = previous.map_or(0, |p| p.number);
        let edition = self.store.publish_edition(&new, after).await.map_err(|e| match e {
            StoreError::Conflict { current, .. } => AppError::Changed(format!(
                "edition {current} of {period} was published meanwhile: look at it before publishing again"
            )),
            other => other.into(),
        })?;
        tracing::info!(period, number = edition.number, hash = %edition.content_hash, "edition published");
        PublishedEdition::of(edition)
    }

    /// The files of a new edition of `period`, in the order they are listed: the Highlights, then the
    /// exports, each made from the public view of the approved figures.
    async fn edition_files(&self, period: &str) -> Result<Vec<EditionFile>, AppError> {
        let mut files = Vec::new();
        for (format, ext, media) in [
            (ReportFormat::Html, "html", "text/html; charset=utf-8"),
            (ReportFormat::Pdf, "pdf", "application/pdf"),
        ] {
            let bytes = self
                .report(period, format, mignet_report::words::ENGLISH)
                .await?;
            files.push(file(format!("highlights-{period}.{ext}"), media, bytes));
        }
        let ds = self.public_dataset().await?;
        let approved = std::sync::Arc::new(mignet_core::edition::published_view(&ds));
        for format in ExportFormat::ALL {
            let bytes = self.export_from(approved.clone(), period, format).await?;
            files.push(file(format.file_name(period), format.media_type(), bytes));
        }
        Ok(files)
    }

    /// The editions of `period`, or of every period: newest first within a period.
    pub async fn editions(&self, period: Option<&str>) -> Result<Vec<PublishedEdition>, AppError> {
        self.store
            .editions(period)
            .await?
            .into_iter()
            .map(PublishedEdition::of)
            .collect()
    }

    /// The latest edition of each period that has one, the newest period first.
    pub async fn latest_editions(&self) -> Result<Vec<PublishedEdition>, AppError> {
        let mut out: Vec<PublishedEdition> = Vec::new();
        for e in self.editions(None).await? {
            if out.iter().all(|o| o.edition.period != e.edition.period) {
                out.push(e);
            }
        }
        out.reverse();
        Ok(out)
    }

    /// One file of an edition, as published.
    pub async fn edition_file(
        &self,
        period: &str,
        number: i64,
        name: &str,
    ) -> Result<EditionFile, AppError> {
        self.store
            .edition_file(period, number, name)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{name} of edition {number} of {period}")))
    }
}

fn file(name: String, media_type: &str, bytes: Vec<u8>) -> EditionFile {
    EditionFile {
        name,
        media_type: media_type.to_owned(),
        sha256: hex(&bytes),
        bytes,
    }
}
