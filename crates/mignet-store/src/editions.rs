//! Published editions: a period's files as they were published, never changed once written.
//!
//! Editions of a period are numbered from 1 in the order published. Publishing reads the last
//! number and writes the next under the store's write lock (`tx.rs`), and is refused when the last
//! edition is no longer the one the publisher compared with: two coordinators publishing at once
//! make one edition, not two with the same errata.

use crate::{Store, StoreError};
use sqlx::Row;

/// A file of an edition.
#[derive(Debug, Clone)]
pub struct EditionFile {
    pub name: String,
    pub media_type: String,
    /// SHA-256 of `bytes`, hexadecimal.
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// An edition to write.
#[derive(Debug, Clone)]
pub struct NewEdition<'a> {
    pub period: &'a str,
    pub published_by: &'a str,
    pub content_hash: &'a str,
    /// JSON of the edition's published figures (`mignet_core::edition::Line`).
    pub lines: &'a str,
    /// JSON of the changes from the edition before (`mignet_core::edition::Erratum`).
    pub errata: &'a str,
    pub files: &'a [EditionFile],
}

/// A file of an edition, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditionFileInfo {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub size: i64,
}

/// A published edition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edition {
    pub period: String,
    pub number: i64,
    /// RFC 3339, UTC.
    pub published_at: String,
    pub published_by: String,
    pub content_hash: String,
    /// JSON, as written.
    #[serde(skip)]
    pub lines: String,
    #[serde(skip)]
    pub errata: String,
    pub files: Vec<EditionFileInfo>,
}

impl Store {
    /// Writes the next edition of `new.period`, if its last edition is still number `after` (0 for
    /// none); returns it as stored. Recorded in the audit trail.
    pub async fn publish_edition(
        &self,
        new: &NewEdition<'_>,
        after: i64,
    ) -> Result<Edition, StoreError> {
        let at = crate::now();
        let generation = self.retrying(|| async {
            let mut tx = crate::tx::begin_write(self).await?;
            let last: Option<i64> =
                sqlx::query("SELECT MAX(number) AS last FROM editions WHERE period = $1")
                    .bind(new.period.to_owned())
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("last")?;
            let last = last.unwrap_or(0);
            if last != after {
                return Err(StoreError::Conflict {
                    key: format!("the editions of {}", new.period),
                    expected: after,
                    current: last,
                });
            }
            let number = last + 1;
            sqlx::query("INSERT INTO editions (period, number, published_at, published_by, content_hash, lines, errata) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(new.period.to_owned())
                .bind(number)
                .bind(at.clone())
                .bind(new.published_by.to_owned())
                .bind(new.content_hash.to_owned())
                .bind(new.lines.to_owned())
                .bind(new.errata.to_owned())
                .execute(&mut *tx)
                .await?;
            for f in new.files {
                sqlx::query("INSERT INTO edition_files (period, number, name, media_type, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(new.period.to_owned())
                    .bind(number)
                    .bind(f.name.clone())
                    .bind(f.media_type.clone())
                    .bind(f.sha256.clone())
                    .bind(f.bytes.clone())
                    .execute(&mut *tx)
                    .await?;
            }
            let change = crate::audit::Change {
                action: crate::audit::Action::Create,
                entity: crate::audit::Entity::Edition,
                key: format!("{}/{number}", new.period),
                before: None,
                after: Some(serde_json::json!({
                    "content_hash": new.content_hash,
                    "files": new.files.iter().map(|f| &f.name).collect::<Vec<_>>(),
                })),
            };
            crate::audit::record(&mut tx, new.published_by, &at, &change).await?;
            // Pages that show the latest edition are made again.
            let generation = crate::figures::bump_generation(&mut tx).await?;
            crate::tx::commit(tx, || format!("edition {number} of {}", new.period)).await?;
            Ok(generation)
        })
        .await?;
        self.wrote(generation);
        let editions = self.editions(Some(new.period)).await?;
        editions
            .into_iter()
            .find(|e| e.number == after + 1)
            .ok_or_else(|| StoreError::NotFound(format!("edition {} of {}", after + 1, new.period)))
    }

    /// The editions of `period` (or of every period), newest first within a period, periods in
    /// order of their code.
    pub async fn editions(&self, period: Option<&str>) -> Result<Vec<Edition>, StoreError> {
        let rows = sqlx::query("SELECT period, number, published_at, published_by, content_hash, lines, errata FROM editions WHERE $1 = '' OR period = $1 ORDER BY period, number DESC")
            .bind(period.unwrap_or("").to_owned())
            .fetch_all(&self.pool)
            .await?;
        let files = sqlx::query("SELECT period, number, name, media_type, sha256, CAST(LENGTH(bytes) AS BIGINT) AS size FROM edition_files WHERE $1 = '' OR period = $1 ORDER BY period, number, name")
            .bind(period.unwrap_or("").to_owned())
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(Edition {
                    period: r.try_get("period")?,
                    number: r.try_get("number")?,
                    published_at: r.try_get("published_at")?,
                    published_by: r.try_get("published_by")?,
                    content_hash: r.try_get("content_hash")?,
                    lines: r.try_get("lines")?,
                    errata: r.try_get("errata")?,
                    files: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for r in &files {
            let period: String = r.try_get("period")?;
            let number: i64 = r.try_get("number")?;
            let size: i64 = r.try_get::<Option<i64>, _>("size")?.unwrap_or(0);
            if let Some(e) = out
                .iter_mut()
                .find(|e| e.period == period && e.number == number)
            {
                e.files.push(EditionFileInfo {
                    name: r.try_get("name")?,
                    media_type: r.try_get("media_type")?,
                    sha256: r.try_get("sha256")?,
                    size,
                });
            }
        }
        Ok(out)
    }

    /// One file of an edition, as published.
    pub async fn edition_file(
        &self,
        period: &str,
        number: i64,
        name: &str,
    ) -> Result<Option<EditionFile>, StoreError> {
        let row = sqlx::query("SELECT name, media_type, sha256, bytes FROM edition_files WHERE period = $1 AND number = $2 AND name = $3")
            .bind(period.to_owned())
            .bind(number)
            .bind(name.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(EditionFile {
                name: r.try_get("name")?,
                media_type: r.try_get("media_type")?,
                sha256: r.try_get("sha256")?,
                bytes: r.try_get("bytes")?,
            })
        })
        .transpose()
    }
}
