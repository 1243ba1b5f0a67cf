//! Failed sign-ins, kept in the store so that every server process on it counts the same failures.

use crate::{Store, StoreError};
use sqlx::Row;

/// The most failures the table keeps, whatever their age: past it the oldest go first. Failures are
/// deleted after their window anyway; this bounds the table even under a flood from many addresses.
const MAX_ROWS: i64 = 100_000;

impl Store {
    /// For each key, how many failures it had at or after `since` (seconds since the epoch) and when
    /// the oldest of them was (0 when none).
    pub async fn login_failures(
        &self,
        keys: &[String],
        since: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n, COALESCE(MIN(at), 0) AS oldest FROM login_failures WHERE key_hash = $1 AND at >= $2",
            )
            .bind(k.clone())
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
            out.push((
                row.try_get::<i64, _>("n")?,
                row.try_get::<i64, _>("oldest")?,
            ));
        }
        Ok(out)
    }

    /// Records one failure under each key at `at`, and forgets failures older than `forget_before` (and
    /// the oldest past [`MAX_ROWS`]), in one transaction.
    pub async fn record_login_failure(
        &self,
        keys: &[String],
        at: i64,
        forget_before: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for k in keys {
            sqlx::query("INSERT INTO login_failures (key_hash, at) VALUES ($1, $2)")
                .bind(k.clone())
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM login_failures WHERE id <= (SELECT MAX(id) FROM login_failures) - $1",
        )
        .bind(MAX_ROWS)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures under a key (an account that signed in).
    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key_hash = $1")
            .bind(key.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
