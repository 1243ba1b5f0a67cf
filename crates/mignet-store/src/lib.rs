//! The store: one interface over SQLite (the embedded default, a file) and PostgreSQL (for a shared
//! deployment), with the same schema, the same queries and the same behaviour on both.
//!
//! Both databases are reached through sqlx's `Any` driver with one SQL text per query (`$1` placeholders,
//! which both accept) and only the column types `Any` decodes on both: 64-bit integers, doubles and text.
//! Booleans are integers 0/1, dates and times ISO 8601 text, lists child tables. The DDL differs only in
//! its types, so each database has its own migrations folder; both are applied on open.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mignet_store::StoreError> {
//! let store = mignet_store::Store::open("mignet.db").await?;          // or "postgres://..."
//! let dataset = store.dataset().await?;                               // None while empty
//! # Ok(()) }
//! ```

mod accounts;
mod audit;
mod batch;
mod comments;
mod editions;
mod figures;
mod import;
mod outbox;
mod reach;
mod read;
mod throttle;
mod tx;
mod write;

pub use accounts::Account;
pub use audit::{AuditEntry, AuditFilter};
pub use comments::Comment;
pub use editions::{Edition, EditionFile, EditionFileInfo, NewEdition};
pub use figures::{Review, StoredFigure, Written, content_hash};
pub use outbox::{LoggedReview, LoggedSave, NewMessage, OutboxCounts, OutboxMessage};
pub use reach::{DbBadRow, DbReach, DbReachError, DbReachOptions, reach_in_postgres};
pub use read::FigureVersions;
pub use write::LoadSummary;

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("the store holds a value it cannot read back: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0} does not exist")]
    NotFound(String),
    /// Someone else saved the item since the writer read it.
    #[error(
        "{key} was changed by someone else since you opened it (you had version {expected}, the store has version {current}); reload it, then make your change again"
    )]
    Conflict {
        key: String,
        expected: i64,
        current: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open store.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    fresh: std::sync::Arc<figures::Freshness>,
    /// Taken by each write transaction of this process before it takes a connection (`tx.rs`).
    writers: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// Turns what a user gives as `--db` into a database URL: a `postgres://` URL stays as it is, a
/// `sqlite:` URL too, and anything else is a path to an SQLite file, created when missing.
pub fn database_url(db: &str) -> (String, Backend) {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        (db.to_owned(), Backend::Postgres)
    } else if db.starts_with("sqlite:") {
        (db.to_owned(), Backend::Sqlite)
    } else {
        (format!("sqlite://{db}?mode=rwc"), Backend::Sqlite)
    }
}

impl Store {
    /// Opens (creating an SQLite file if needed) and migrates the store. An SQLite store runs in WAL
    /// mode (readers never block the writer, nor the writer readers), with a busy timeout on every
    /// connection and `synchronous = NORMAL` (durable at each checkpoint, never corrupt).
    pub async fn open(db: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend) = database_url(db);
        let open_error = |source| StoreError::Open {
            url: redact(&url),
            source,
        };
        // Writers wait for their turn without a connection (`tx.rs`), so the pool serves readers.
        let mut options = AnyPoolOptions::new().max_connections(8);
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    let busy = format!(
                        "PRAGMA busy_timeout = {}",
                        tx::SQLITE_BUSY_TIMEOUT.as_millis()
                    );
                    sqlx::query(sqlx::AssertSqlSafe(busy))
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA synchronous = NORMAL")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            });
        }
        let pool = options.connect(&url).await.map_err(open_error)?;
        let store = Store {
            pool,
            backend,
            fresh: Default::default(),
            writers: Default::default(),
        };
        if backend == Backend::Sqlite {
            // WAL is a property of the file: set once, every later connection (of any process) uses it.
            store
                .retrying(|| async {
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .fetch_one(&store.pool)
                        .await?;
                    Ok::<(), StoreError>(())
                })
                .await?;
        }
        let mut backoff = tx::Backoff::default();
        loop {
            let migrated = match backend {
                Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&store.pool).await,
                Backend::Postgres => {
                    sqlx::migrate!("./migrations/postgres")
                        .run(&store.pool)
                        .await
                }
            };
            match migrated.map_err(StoreError::from) {
                // Several processes opening a new store at once: one migrates, the others wait.
                Err(e) if backoff.again(&e).await => continue,
                other => break other?,
            }
        }
        Ok(store)
    }

    /// The journal mode of an SQLite store (`wal`), or `None` on PostgreSQL.
    pub async fn sqlite_journal_mode(&self) -> Result<Option<String>, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let row = sqlx::query("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(sqlx::Row::try_get::<String, _>(&row, 0)?))
    }

    /// SQLite's own check of the file (`PRAGMA integrity_check`): `ok`, or what is wrong; `None` on
    /// PostgreSQL.
    pub async fn sqlite_integrity(&self) -> Result<Option<String>, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let rows = sqlx::query("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        let lines: Result<Vec<String>, _> = rows
            .iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, 0))
            .collect();
        Ok(Some(lines?.join("\n")))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Hides a password in a URL before it reaches a message.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The current time as RFC 3339 text, to the second, in UTC.
pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_an_sqlite_file_and_a_postgres_url_stays() {
        assert_eq!(
            database_url("mignet.db"),
            ("sqlite://mignet.db?mode=rwc".into(), Backend::Sqlite)
        );
        assert_eq!(database_url("postgres://u@h/db").1, Backend::Postgres);
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://me:secret@host/db"),
            "postgres://me:***@host/db"
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }
}
