//! Transactions: writes that follow one another, reads that see one moment, and the retry of what
//! failed only because another writer was busy.
//!
//! **Writes take the store's write lock first.** On SQLite a write transaction begins with
//! `BEGIN IMMEDIATE`, which takes the database's write lock at once (waiting up to the busy timeout)
//! instead of at its first write: a deferred transaction that has read and then writes cannot wait for
//! the lock (SQLite answers "database is locked" at once, whatever the busy timeout) because its reads
//! may already be stale. On PostgreSQL a write transaction first locks the one row of
//! `store_generation` (`SELECT ... FOR UPDATE`), which every write updates anyway. Either way what a
//! write reads (a figure's version, the dataset it compares with) stays true until it commits, so a
//! version check cannot pass twice for one version, a new figure cannot be created twice, and two
//! writers never deadlock on rows taken in different orders.
//!
//! **Within one process, writers queue on a gate** before they take a pooled connection, so waiting
//! writers hold no connection and readers are never starved of one; the database's own lock orders
//! the writers of several processes (several `mignet import` or servers on one store).
//!
//! **Retry.** A write that failed only because the database could not order it (SQLite busy or
//! locked after the busy timeout; PostgreSQL serialization failure `40001` or deadlock `40P01`) is run
//! again whole, from its reads, a few times with a short jittered back-off. A version conflict or any
//! other refusal is never retried: it is the answer.
//!
//! **Reads of several tables** (the dataset, one figure with its child rows) run in one read
//! transaction, so they see one moment of the store: on SQLite (WAL) a deferred transaction reads
//! one snapshot, on PostgreSQL `REPEATABLE READ`.

use crate::{Backend, Store, StoreError};
use std::future::Future;
use std::time::Duration;

/// A transaction of the store.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// How many times a write is run again after a transient failure.
const RETRIES: u32 = 6;

/// The first back-off; each retry doubles it, and a random part up to as much again is added.
const FIRST_BACKOFF: Duration = Duration::from_millis(10);

/// How long an SQLite connection waits for another's lock before it gives up (and the write is
/// retried whole).
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Begins a write transaction holding the store's write lock, with foreign keys checked at commit,
/// so that an item can be rewritten as delete plus insert under the rows that refer to it.
pub(crate) async fn begin_write(store: &Store) -> Result<Tx, StoreError> {
    match store.backend {
        Backend::Sqlite => {
            let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
            sqlx::query("PRAGMA defer_foreign_keys = ON")
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
        Backend::Postgres => {
            let mut tx = store.pool.begin().await?;
            sqlx::query("SET CONSTRAINTS ALL DEFERRED")
                .execute(&mut *tx)
                .await?;
            sqlx::query("SELECT generation FROM store_generation WHERE id = 1 FOR UPDATE")
                .fetch_one(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
}

/// Begins a read-only transaction that sees one moment of the store.
pub(crate) async fn begin_read(store: &Store) -> Result<Tx, StoreError> {
    Ok(match store.backend {
        Backend::Sqlite => store.pool.begin().await?,
        Backend::Postgres => {
            store
                .pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
    })
}

/// Commits a write. A failure that a retry may cure stays [`StoreError::Sql`]; any other (a foreign
/// key checked at commit) is the database refusing the write, said by `refused`.
pub(crate) async fn commit(tx: Tx, refused: impl FnOnce() -> String) -> Result<(), StoreError> {
    tx.commit().await.map_err(|e| {
        if is_transient(&e) {
            StoreError::Sql(e)
        } else {
            StoreError::Refused(format!("{}: {e}", refused()))
        }
    })
}

/// Whether the database failed only because it could not order this transaction with another one,
/// so that running the transaction again may succeed.
pub(crate) fn is_transient(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    let Some(code) = db.code() else {
        return false;
    };
    if code.len() == 5 {
        // A PostgreSQL SQLSTATE: serialization_failure, deadlock_detected.
        return matches!(&*code, "40001" | "40P01");
    }
    // An SQLite extended result code, whose low byte is the primary one: SQLITE_BUSY (5) and its
    // variants (BUSY_SNAPSHOT, BUSY_TIMEOUT ...), SQLITE_LOCKED (6).
    code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
}

impl StoreError {
    /// Whether this failure may pass when the same write is run again (see [`is_transient`]).
    pub fn is_transient(&self) -> bool {
        use sqlx::migrate::MigrateError;
        match self {
            StoreError::Sql(e)
            | StoreError::Migrate(MigrateError::Execute(e))
            | StoreError::Migrate(MigrateError::ExecuteMigration(e, _)) => is_transient(e),
            _ => false,
        }
    }
}

/// Counts the retries of one write and sleeps between them.
#[derive(Default)]
pub(crate) struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// After a failed attempt: whether to run it again (after sleeping), or give up with its error.
    pub(crate) async fn again(&mut self, e: &StoreError) -> bool {
        if !e.is_transient() || self.attempt >= RETRIES {
            return false;
        }
        let base = FIRST_BACKOFF * 2u32.pow(self.attempt);
        self.attempt += 1;
        tokio::time::sleep(base + base.mul_f64(jitter())).await;
        true
    }
}

/// A number in [0, 1) that differs between calls and processes, so that writers that collided do
/// not collide again in step.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

impl Store {
    /// Runs one write transaction (`once` begins it with [`begin_write`] and commits it) after the
    /// other writers of this process, and again while it fails transiently.
    pub(crate) async fn retrying<T, Fut>(
        &self,
        mut once: impl FnMut() -> Fut,
    ) -> Result<T, StoreError>
    where
        Fut: Future<Output = Result<T, StoreError>>,
    {
        let _turn = self.writers.lock().await;
        let mut backoff = Backoff::default();
        loop {
            match once().await {
                Err(e) if backoff.again(&e).await => continue,
                other => return other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_is_a_fraction() {
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }
}
