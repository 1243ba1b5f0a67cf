//! One figure at a time: the writes of data entry, import and review.
//!
//! Every figure carries a version that each write increments. A writer says which version it read;
//! when the store holds another, the write is refused with [`StoreError::Conflict`] and nothing is
//! overwritten.

use crate::audit::{self, Action, Change, Entity};
use crate::{Store, StoreError};
use mignet_core::model::{Figure, FigureStatus};
use mignet_core::workflow::{self, ReviewAction};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A figure as stored, with its version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFigure {
    pub figure: Figure,
    pub version: i64,
}

/// One step of a figure's review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// Its place in the review log: steps are numbered in the order taken.
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub organisation: Option<String>,
    pub comment: Option<String>,
    /// The content the step was taken on ([`content_hash`]); `None` for steps recorded before
    /// confirmations were bound to content, which therefore confirm nothing.
    pub content: Option<String>,
    /// An approval by the person who entered or imported the figure's content.
    pub same_person: bool,
}

/// The SHA-256 (hexadecimal) of a figure's content: everything but its status, who set it and when.
/// A review step records it, so that a partner's confirmation holds for exactly the content confirmed.
pub fn content_hash(f: &Figure) -> String {
    use sha2::{Digest, Sha256};
    let mut content = f.clone();
    content.status = FigureStatus::Draft;
    content.status_by = None;
    content.status_at = None;
    let json = serde_json::to_vec(&content).expect("a figure serialises");
    Sha256::digest(&json)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Written {
    pub version: i64,
    pub changed: bool,
    /// The store's generation this write made ([`Store::generation`]), when it changed anything: the
    /// state just before it was `generation - 1`, as every write moves the generation by one under
    /// the store's write lock. A reader holding that state can apply the write instead of reading the
    /// store again.
    #[serde(skip)]
    pub generation: Option<i64>,
}

/// A write transaction holding the store's write lock, whose foreign keys are checked at commit, so
/// an item can be rewritten as delete plus insert under the rows that refer to it (`tx.rs`).
pub(crate) async fn begin(
    store: &Store,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
    crate::tx::begin_write(store).await
}

/// What [`Store::recent_generation`] remembers: the database's number, with when it was asked or
/// when a write of this process made it.
#[derive(Debug, Default)]
pub(crate) struct Freshness {
    probed: Mutex<Option<(Instant, i64)>>,
}

/// Moves the store's generation on by one inside a write transaction, and returns the new number.
/// Each write transaction that changes what the dataset holds calls it exactly once.
pub(crate) async fn bump_generation(tx: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "UPDATE store_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation",
    )
    .fetch_one(&mut *tx)
    .await?
    .try_get("generation")
}

async fn current(
    tx: &mut AnyConnection,
    period: &str,
    id: &str,
) -> Result<Option<StoredFigure>, StoreError> {
    let row = sqlx::query("SELECT version FROM figures WHERE period = $1 AND id = $2")
        .bind(period.to_owned())
        .bind(id.to_owned())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let version: i64 = row.try_get("version")?;
    // The figure's child rows are read the same way as for a whole dataset.
    let figure = crate::read::read_figure(tx, period, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("figure {period}/{id} vanished")))?;
    Ok(Some(StoredFigure { figure, version }))
}

fn check_version(
    key: &str,
    expected: Option<i64>,
    current: Option<&StoredFigure>,
) -> Result<(), StoreError> {
    match (expected, current) {
        (Some(e), Some(c)) if e != c.version => Err(StoreError::Conflict {
            key: key.to_owned(),
            expected: e,
            current: c.version,
        }),
        (Some(e), None) if e != 0 => Err(StoreError::Conflict {
            key: key.to_owned(),
            expected: e,
            current: 0,
        }),
        _ => Ok(()),
    }
}

/// Creates or replaces one figure inside the caller's transaction: checks the version the writer read,
/// leaves an unchanged figure alone, keeps the figure's place in the period, increments its version
/// and audits the change. `source` (an imported file) is kept in the audit entry beside the figure.
pub(crate) async fn write_figure(
    tx: &mut AnyConnection,
    period: &str,
    figure: &Figure,
    expected: Option<i64>,
    actor: &str,
    source: Option<&str>,
) -> Result<Written, StoreError> {
    let id = figure.id.as_str();
    let key = format!("{period}/{id}");
    let old = current(tx, period, id).await?;
    check_version(&key, expected, old.as_ref())?;
    if let Some(o) = &old
        && &o.figure == figure
    {
        return Ok(Written {
            version: o.version,
            changed: false,
            generation: None,
        });
    }
    let position = match &old {
        Some(_) => sqlx::query("SELECT position FROM figures WHERE period = $1 AND id = $2")
            .bind(period.to_owned())
            .bind(id.to_owned())
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>("position")?,
        None => sqlx::query(
            "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM figures WHERE period = $1",
        )
        .bind(period.to_owned())
        .fetch_one(&mut *tx)
        .await?
        .try_get::<i64, _>("next")?,
    };
    if old.is_some() {
        crate::write::delete(tx, crate::audit::Item::Figure, &key).await?;
    }
    let version = old.as_ref().map_or(1, |o| o.version + 1);
    crate::write::insert_figure(tx, period, figure, position, version).await?;
    let mut after = serde_json::to_value(figure).expect("serialises");
    if let Some(source) = source {
        after["source"] = serde_json::Value::String(source.to_owned());
    }
    let change = Change {
        action: if old.is_some() {
            Action::Update
        } else {
            Action::Create
        },
        entity: Entity::FIGURE,
        key,
        before: old.map(|o| serde_json::to_value(o.figure).expect("serialises")),
        after: Some(after),
    };
    audit::record(tx, actor, &crate::now(), &change).await?;
    Ok(Written {
        version,
        changed: true,
        generation: None,
    })
}

impl Store {
    /// One figure with its version.
    pub async fn figure(&self, period: &str, id: &str) -> Result<Option<StoredFigure>, StoreError> {
        // The version and the content from one moment: never a version with a later content.
        let mut tx = crate::tx::begin_read(self).await?;
        let found = current(&mut tx, period, id).await?;
        tx.rollback().await?;
        Ok(found)
    }

    /// A number that changes with every write to the store; pages rendered from the store are fresh
    /// while it stays the same.
    pub async fn generation(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT generation FROM store_generation WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("generation")?)
    }

    /// Like [`Store::generation`] without a query on every call: the number as a write made through
    /// this `Store` (or its clones) left it, at once, and within `max_age` after a write made by
    /// another process on the same database (`mignet load` while `mignet serve` runs), since the
    /// database's own number is asked at most once per `max_age`. For caches of what the store holds.
    pub async fn recent_generation(&self, max_age: Duration) -> Result<i64, StoreError> {
        if let Some((at, g)) = *self.fresh.probed.lock().expect("freshness lock")
            && at.elapsed() < max_age
        {
            return Ok(g);
        }
        let g = self.generation().await?;
        self.saw(g);
        Ok(g)
    }

    /// Remembers a generation read or made now. The greater number wins: a write that committed
    /// first may report after one that committed later.
    fn saw(&self, g: i64) {
        let mut probed = self.fresh.probed.lock().expect("freshness lock");
        let newer = probed.is_none_or(|(_, seen)| g >= seen);
        if newer {
            *probed = Some((Instant::now(), g));
        }
    }

    /// Called after each write's commit with the generation it made (not before: a page read
    /// between the two must not be kept under the new number).
    pub(crate) fn wrote(&self, generation: i64) {
        self.saw(generation);
    }

    /// Creates or replaces a figure's content. `expected` is the version the writer read (0 for a new
    /// figure; `None` to skip the check, for imports that match by content). An unchanged figure is not
    /// rewritten. The status is written as given.
    pub async fn put_figure(
        &self,
        period: &str,
        figure: &Figure,
        actor: &str,
        expected: Option<i64>,
    ) -> Result<Written, StoreError> {
        let written = self
            .retrying(|| self.put_figure_once(period, figure, actor, expected))
            .await?;
        if let Some(g) = written.generation {
            self.wrote(g);
        }
        Ok(written)
    }

    async fn put_figure_once(
        &self,
        period: &str,
        figure: &Figure,
        actor: &str,
        expected: Option<i64>,
    ) -> Result<Written, StoreError> {
        let mut tx = begin(self).await?;
        let mut written = write_figure(&mut tx, period, figure, expected, actor, None).await?;
        if !written.changed {
            return Ok(written);
        }
        written.generation = Some(bump_generation(&mut tx).await?);
        crate::tx::commit(tx, || {
            format!("the store refused figure {period}/{}", figure.id)
        })
        .await?;
        Ok(written)
    }

    /// Moves a figure through its review: checks the transition, records who and when, keeps the
    /// comment, and audits the status change.
    // Each argument is one fact of the review step; a struct would only rename them at the one caller.
    ///
    /// The step records the content it was taken on ([`content_hash`] of the figure at `expected`,
    /// read in the same transaction), and whether it is an approval by the person who entered that
    /// content (`same_person`).
    #[allow(clippy::too_many_arguments)]
    pub async fn review_figure(
        &self,
        period: &str,
        id: &str,
        action: ReviewAction,
        organisation: Option<&str>,
        comment: Option<&str>,
        actor: &str,
        expected: Option<i64>,
        same_person: bool,
    ) -> Result<Written, StoreError> {
        let written = self
            .retrying(|| {
                self.review_figure_once(
                    period,
                    id,
                    action,
                    organisation,
                    comment,
                    actor,
                    expected,
                    same_person,
                )
            })
            .await?;
        if let Some(g) = written.generation {
            self.wrote(g);
        }
        Ok(written)
    }

    #[allow(clippy::too_many_arguments)]
    async fn review_figure_once(
        &self,
        period: &str,
        id: &str,
        action: ReviewAction,
        organisation: Option<&str>,
        comment: Option<&str>,
        actor: &str,
        expected: Option<i64>,
        same_person: bool,
    ) -> Result<Written, StoreError> {
        let key = format!("{period}/{id}");
        let mut tx = begin(self).await?;
        let old = current(&mut tx, period, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("figure {key}")))?;
        check_version(&key, expected, Some(&old))?;
        let status = workflow::transition(old.figure.status, action)
            .map_err(|e| StoreError::Refused(format!("figure {id}: {e}")))?;
        let at = crate::now();
        let version = old.version + 1;
        sqlx::query("UPDATE figures SET status = $1, status_by = $2, status_at = $3, version = $4 WHERE period = $5 AND id = $6")
            .bind(status.as_str())
            .bind(actor.to_owned())
            .bind(at.clone())
            .bind(version)
            .bind(period.to_owned())
            .bind(id.to_owned())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO figure_reviews (period, figure, at, actor, action, organisation, comment, content, same_person) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(period.to_owned())
            .bind(id.to_owned())
            .bind(at.clone())
            .bind(actor.to_owned())
            .bind(action.as_str())
            .bind(organisation.map(str::to_owned))
            .bind(comment.map(str::to_owned))
            .bind(content_hash(&old.figure))
            .bind(i64::from(same_person))
            .execute(&mut *tx)
            .await?;
        let mut after = old.figure.clone();
        after.status = status;
        after.status_by = Some(actor.to_owned());
        after.status_at = Some(at.clone());
        let mut after_json = serde_json::to_value(&after).expect("serialises");
        if let Some(c) = comment {
            after_json["comment"] = serde_json::Value::String(c.to_owned());
        }
        if same_person {
            after_json["same_person"] = serde_json::Value::Bool(true);
        }
        // A step that leaves the status as it was says which it was.
        if action == ReviewAction::Endorse {
            after_json["step"] = serde_json::Value::String(action.as_str().into());
        }
        let change = Change {
            action: Action::Status,
            entity: Entity::FIGURE,
            key,
            before: Some(serde_json::to_value(&old.figure).expect("serialises")),
            after: Some(after_json),
        };
        audit::record(&mut tx, actor, &at, &change).await?;
        let generation = bump_generation(&mut tx).await?;
        crate::tx::commit(tx, || {
            format!("the store refused the review of figure {period}/{id}")
        })
        .await?;
        Ok(Written {
            version,
            changed: status != old.figure.status || action == ReviewAction::Confirm,
            generation: Some(generation),
        })
    }

    /// The review steps of a figure, oldest first.
    pub async fn reviews(&self, period: &str, id: &str) -> Result<Vec<Review>, StoreError> {
        let rows = sqlx::query("SELECT id, at, actor, action, organisation, comment, content, same_person FROM figure_reviews WHERE period = $1 AND figure = $2 ORDER BY id")
            .bind(period.to_owned())
            .bind(id.to_owned())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Review {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    organisation: r.try_get("organisation")?,
                    comment: r.try_get("comment")?,
                    content: r.try_get("content")?,
                    same_person: r.try_get::<i64, _>("same_person")? != 0,
                })
            })
            .collect()
    }
}
