//! The comment thread of a figure: what its focal points and the coordinators say about it between
//! review steps. Comments are only ever added.

use crate::{Store, StoreError};
use sqlx::Row;

/// A comment on a figure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Comment {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub text: String,
    /// The id of the figure's last review step when it was written (0 before any).
    pub after_review: i64,
}

impl Store {
    /// Adds `text` by `actor` to the thread of figure `id` of `period`, with its audit entry, under
    /// the store's write lock (`tx.rs`: the audit trail's ids grow in commit order); returns it as
    /// stored.
    pub async fn add_comment(
        &self,
        period: &str,
        id: &str,
        actor: &str,
        text: &str,
    ) -> Result<Comment, StoreError> {
        let at = crate::now();
        self.retrying(|| async {
            let mut tx = crate::tx::begin_write(self).await?;
            let row = sqlx::query("INSERT INTO figure_comments (period, figure, at, actor, text, after_review) SELECT $1, $2, $3, $4, $5, COALESCE(MAX(id), 0) FROM figure_reviews WHERE period = $1 AND figure = $2 RETURNING id, after_review")
                .bind(period.to_owned())
                .bind(id.to_owned())
                .bind(at.clone())
                .bind(actor.to_owned())
                .bind(text.to_owned())
                .fetch_one(&mut *tx)
                .await?;
            let comment = Comment {
                id: row.try_get("id")?,
                at: at.clone(),
                actor: actor.to_owned(),
                text: text.to_owned(),
                after_review: row.try_get("after_review")?,
            };
            let change = crate::audit::Change {
                action: crate::audit::Action::Create,
                entity: crate::audit::Entity::Comment,
                key: format!("{period}/{id}/{}", comment.id),
                before: None,
                after: Some(serde_json::json!({"text": text})),
            };
            crate::audit::record(&mut tx, actor, &at, &change).await?;
            crate::tx::commit(tx, || format!("a comment on {id}")).await?;
            Ok(comment)
        })
        .await
    }

    /// The thread of figure `id` of `period`, oldest first.
    pub async fn comments(&self, period: &str, id: &str) -> Result<Vec<Comment>, StoreError> {
        let rows = sqlx::query("SELECT id, at, actor, text, after_review FROM figure_comments WHERE period = $1 AND figure = $2 ORDER BY id")
            .bind(period.to_owned())
            .bind(id.to_owned())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Comment {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor: r.try_get("actor")?,
                    text: r.try_get("text")?,
                    after_review: r.try_get("after_review")?,
                })
            })
            .collect()
    }
}
