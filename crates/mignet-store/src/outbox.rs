//! The outbox: messages written before they are sent, sent until the mail server accepts them, each
//! once however many processes send from the store.
//!
//! **Once per cause.** A message's key names its cause and recipient (`mignet_core::notify`); the
//! table keeps one row per key, so an event read twice is written once.
//!
//! **Once per send.** A sender claims rows by setting their lease in the future, in one statement
//! that only takes rows whose lease has run out: on PostgreSQL the rows are picked `FOR UPDATE SKIP
//! LOCKED`, so two servers claiming at once take different rows without waiting for each other; on
//! SQLite the statement is one write, which the database runs one at a time. A row is marked sent
//! once the server accepted it. A sender that dies in between leaves the row to be claimed again when
//! its lease runs out (the one case where a message can arrive twice: it was accepted but the store
//! never heard).
//!
//! **Events are read from the logs they are written in.** Review steps (`figure_reviews`) and saved
//! figures (`audit`) are written in the transaction of the change itself; the outbox reads them after
//! a cursor. Writers of the store take its write lock before they write (`tx.rs`), so log ids grow
//! in commit order and a cursor never passes an entry still to be committed.

use crate::{Backend, Store, StoreError};
use sqlx::Row;

/// A message to write to the outbox (`mignet_core::notify::Message` in the store's words).
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub key: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub link: &'a str,
}

/// A message of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When the mail server accepted it (RFC 3339); `None` while it waits.
    pub sent_at: Option<String>,
}

/// A review step of the log, after the cursor.
#[derive(Debug, Clone)]
pub struct LoggedReview {
    pub id: i64,
    pub period: String,
    pub figure: String,
    pub action: String,
    pub actor: String,
    pub organisation: Option<String>,
    pub comment: Option<String>,
}

/// A figure created or changed, from the audit trail, after the cursor.
#[derive(Debug, Clone)]
pub struct LoggedSave {
    pub id: i64,
    /// `PERIOD/FIGURE`, or `PERIOD/FIGURE/N` for a comment.
    pub key: String,
    pub actor: String,
    /// The comment's text; `None` for a saved figure.
    pub comment: Option<String>,
}

/// How many messages wait, failed at least once, and were sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct OutboxCounts {
    pub waiting: i64,
    pub failing: i64,
    pub sent: i64,
}

const COLUMNS: &str =
    "id, key, recipient, subject, body, link, created_at, attempts, last_error, sent_at";

fn message(r: &sqlx::any::AnyRow) -> Result<OutboxMessage, StoreError> {
    Ok(OutboxMessage {
        id: r.try_get("id")?,
        key: r.try_get("key")?,
        recipient: r.try_get("recipient")?,
        subject: r.try_get("subject")?,
        body: r.try_get("body")?,
        link: r.try_get("link")?,
        created_at: r.try_get("created_at")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        sent_at: r.try_get("sent_at")?,
    })
}

impl Store {
    /// Where the outbox's reading of the review log and the audit trail stands.
    pub async fn outbox_cursors(&self) -> Result<(i64, i64), StoreError> {
        let rows = sqlx::query("SELECT source, last_id FROM outbox_cursor")
            .fetch_all(&self.pool)
            .await?;
        let mut reviews = 0;
        let mut audit = 0;
        for r in rows {
            let source: String = r.try_get("source")?;
            let last: i64 = r.try_get("last_id")?;
            match source.as_str() {
                "reviews" => reviews = last,
                "audit" => audit = last,
                _ => {}
            }
        }
        Ok((reviews, audit))
    }

    /// Review steps after `after`, oldest first, at most `limit`.
    pub async fn reviews_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LoggedReview>, StoreError> {
        let rows = sqlx::query("SELECT id, period, figure, action, actor, organisation, comment FROM figure_reviews WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(LoggedReview {
                    id: r.try_get("id")?,
                    period: r.try_get("period")?,
                    figure: r.try_get("figure")?,
                    action: r.try_get("action")?,
                    actor: r.try_get("actor")?,
                    organisation: r.try_get("organisation")?,
                    comment: r.try_get("comment")?,
                })
            })
            .collect()
    }

    /// Figures created or changed and comments written after audit entry `after`, oldest first, at
    /// most `limit`; with the
    /// last audit entry read, so that a reader passes over the other entries too.
    pub async fn figure_saves_after(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<(Vec<LoggedSave>, i64), StoreError> {
        let rows = sqlx::query("SELECT id, entity, action, entity_key, actor, after FROM audit WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut last = after;
        let mut saves = Vec::new();
        for r in &rows {
            last = r.try_get("id")?;
            let entity: String = r.try_get("entity")?;
            let action: String = r.try_get("action")?;
            use crate::audit::{Action, Entity};
            let is = |e: Entity, a: Action| entity == e.as_str() && action == a.as_str();
            let comment = is(Entity::Comment, Action::Create);
            if comment || is(Entity::FIGURE, Action::Create) || is(Entity::FIGURE, Action::Update) {
                let text = if comment {
                    let after: Option<String> = r.try_get("after")?;
                    after
                        .and_then(|a| serde_json::from_str::<serde_json::Value>(&a).ok())
                        .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_owned))
                } else {
                    None
                };
                saves.push(LoggedSave {
                    id: last,
                    key: r.try_get("entity_key")?,
                    actor: r.try_get("actor")?,
                    comment: text,
                });
            }
        }
        Ok((saves, last))
    }

    /// Writes messages (one per key: a key already there is left as it is) and, with `read_to`, moves
    /// the cursors of the review log and the audit trail forward to those entries, in one
    /// transaction. Returns how many messages were new.
    pub async fn enqueue(
        &self,
        messages: &[NewMessage<'_>],
        read_to: Option<(i64, i64)>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let at = crate::now();
        let mut new = 0;
        for m in messages {
            new += sqlx::query("INSERT INTO outbox (key, recipient, subject, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING")
                .bind(m.key.to_owned())
                .bind(m.recipient.to_owned())
                .bind(m.subject.to_owned())
                .bind(m.body.to_owned())
                .bind(m.link.to_owned())
                .bind(at.clone())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        let cursors = read_to.map_or_else(Vec::new, |(reviews, audit)| {
            vec![("reviews", reviews), ("audit", audit)]
        });
        for (source, last) in cursors {
            sqlx::query("UPDATE outbox_cursor SET last_id = $1 WHERE source = $2 AND last_id < $1")
                .bind(last)
                .bind(source)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(new)
    }

    /// Claims up to `limit` unsent messages numbered above `after` for `lease` seconds from `now`
    /// (seconds since the epoch): those due for a try at `due_by` whose lease ran out. No two claims
    /// overlap.
    pub async fn claim_outbox(
        &self,
        now: i64,
        due_by: i64,
        after: i64,
        lease: i64,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET lease_until = $1, attempts = attempts + 1 WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 AND lease_until <= $3 AND id > $4 ORDER BY id LIMIT $5{lock}) RETURNING {COLUMNS}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now + lease)
            .bind(due_by)
            .bind(now)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows.iter().map(message).collect::<Result<Vec<_>, _>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    /// The mail server accepted message `id`.
    pub async fn outbox_sent(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, last_error = NULL, lease_until = 0 WHERE id = $2",
        )
        .bind(crate::now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sending message `id` failed with `error`; it is tried again from `retry_at` (seconds since the
    /// epoch).
    pub async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET last_error = $1, next_attempt_at = $2, lease_until = 0 WHERE id = $3")
            .bind(error.to_owned())
            .bind(retry_at)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The newest messages to `recipient`, at most `limit`.
    pub async fn messages_to(
        &self,
        recipient: &str,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT $2"
        )))
        .bind(recipient.to_owned())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message).collect()
    }

    /// Every message, oldest first (for the operator and the tests).
    pub async fn outbox(&self) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM outbox ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message).collect()
    }

    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        let r = sqlx::query("SELECT COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0) AS waiting, COALESCE(SUM(CASE WHEN sent_at IS NULL AND attempts > 0 THEN 1 ELSE 0 END), 0) AS failing, COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END), 0) AS sent FROM outbox")
            .fetch_one(&self.pool)
            .await?;
        Ok(OutboxCounts {
            waiting: r.try_get("waiting")?,
            failing: r.try_get("failing")?,
            sent: r.try_get("sent")?,
        })
    }
}
