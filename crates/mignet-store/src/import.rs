//! Several figures written at once, all or nothing: the write of an import.
//!
//! Each figure is written as `put_figure` writes one (versions, positions, audit), but inside one
//! transaction, so a file with a figure the store refuses leaves the store as it was. An unchanged
//! figure is not rewritten, so importing the same file twice changes nothing the second time.

use crate::audit::{self, Change};
use crate::figures::{StoredFigure, Written};
use crate::{Backend, Store, StoreError};
use mignet_core::model::Figure;
use sqlx::Row;

impl Store {
    /// Creates or replaces each figure in `period`, in one transaction. Each comes with the version the
    /// writer read (0 for a new figure, `None` to skip the check); a figure changed since is refused
    /// with [`StoreError::Conflict`] and nothing is written. `source` (the imported file) is kept in
    /// each audit entry beside the figure after the change.
    pub async fn put_figures(
        &self,
        period: &str,
        figures: &[(Figure, Option<i64>)],
        actor: &str,
        source: &str,
    ) -> Result<Vec<Written>, StoreError> {
        let mut tx = self.pool.begin().await?;
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA defer_foreign_keys = ON")
                    .execute(&mut *tx)
                    .await?
            }
            Backend::Postgres => {
                sqlx::query("SET CONSTRAINTS ALL DEFERRED")
                    .execute(&mut *tx)
                    .await?
            }
        };
        let at = crate::now();
        let mut out = Vec::with_capacity(figures.len());
        let mut any = false;
        for (figure, expected) in figures {
            let id = figure.id.as_str();
            let key = format!("{period}/{id}");
            let row =
                sqlx::query("SELECT version, position FROM figures WHERE period = $1 AND id = $2")
                    .bind(period.to_owned())
                    .bind(id.to_owned())
                    .fetch_optional(&mut *tx)
                    .await?;
            let old = match row {
                None => None,
                Some(r) => {
                    let version: i64 = r.try_get("version")?;
                    let position: i64 = r.try_get("position")?;
                    let figure = crate::read::read_figure(&mut tx, period, id)
                        .await?
                        .ok_or_else(|| StoreError::Corrupt(format!("figure {key} vanished")))?;
                    Some((StoredFigure { figure, version }, position))
                }
            };
            let current = old.as_ref().map_or(0, |(o, _)| o.version);
            if let Some(e) = *expected
                && e != current
            {
                return Err(StoreError::Conflict {
                    key,
                    expected: e,
                    current,
                });
            }
            if let Some((o, _)) = &old
                && &o.figure == figure
            {
                out.push(Written {
                    version: o.version,
                    changed: false,
                });
                continue;
            }
            let position = match &old {
                Some((_, p)) => *p,
                None => sqlx::query(
                    "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM figures WHERE period = $1",
                )
                .bind(period.to_owned())
                .fetch_one(&mut *tx)
                .await?
                .try_get::<i64, _>("next")?,
            };
            if old.is_some() {
                crate::write::delete(&mut tx, "figure", &key).await?;
            }
            crate::write::insert_figure(&mut tx, period, figure).await?;
            let version = current + 1;
            sqlx::query(
                "UPDATE figures SET version = $1, position = $2 WHERE period = $3 AND id = $4",
            )
            .bind(version)
            .bind(position)
            .bind(period.to_owned())
            .bind(id.to_owned())
            .execute(&mut *tx)
            .await?;
            let mut after = serde_json::to_value(figure).expect("serialises");
            after["source"] = serde_json::Value::String(source.to_owned());
            let change = Change {
                action: if old.is_some() { "update" } else { "create" },
                entity: "figure",
                key,
                before: old.map(|(o, _)| serde_json::to_value(o.figure).expect("serialises")),
                after: Some(after),
            };
            audit::record(&mut tx, actor, &at, &change).await?;
            any = true;
            out.push(Written {
                version,
                changed: true,
            });
        }
        if any {
            crate::figures::bump_generation(&mut tx).await?;
        }
        tx.commit().await.map_err(|e| {
            StoreError::Refused(format!(
                "the store refused the figures of {source} for period {period}: {e}"
            ))
        })?;
        self.wrote();
        Ok(out)
    }
}
