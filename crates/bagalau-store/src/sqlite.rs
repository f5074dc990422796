use crate::{Document, ImportBatch, ImportCounts, Result, StoreError, StoredPack};
use bagalau_core::audit;
use bagalau_core::cycle;
use bagalau_core::data::YearData;
use bagalau_core::performance::{self, PerformancePack, Series};
use bagalau_core::publication::Publication;
use bagalau_core::registry::Registry;
use bagalau_core::score::Assessment;
use bagalau_core::{pack, registry};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::path::Path;
use std::str::FromStr;

/// The embedded store: one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    path: String,
    read_only: bool,
    parsed: crate::sql::ParseCache,
    keys: crate::AuditKeys,
}

impl SqliteStore {
    pub fn generation(&self) -> (usize, u64) {
        self.parsed.generation()
    }

    /// Opens (creating if needed) the database at `url`: a file path or
    /// `sqlite://PATH`, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let path = crate::sqlite_path(url).unwrap_or(url);
        if path.is_empty() || url.contains("://") && !url.starts_with("sqlite://") {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        // A database the user may not write (a published copy, say) is opened
        // read-only: it can be queried, and results are computed without being stored.
        let read_only = std::fs::OpenOptions::new()
            .append(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
        let options =
            SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?.foreign_keys(true);
        let options = if read_only {
            options.read_only(true).immutable(true)
        } else {
            options
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(30))
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        let migrator = sqlx::migrate!("./migrations");
        if read_only {
            let latest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
            let applied: Option<i64> =
                sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                    .fetch_one(&pool)
                    .await
                    .unwrap_or(None);
            if applied.unwrap_or(0) < latest {
                return Err(StoreError::ReadOnlyOutdated(path.to_string()));
            }
        } else {
            migrator.run(&pool).await?;
        }
        Ok(Self {
            pool,
            path: path.to_string(),
            read_only,
            parsed: Default::default(),
            keys: Default::default(),
        })
    }

    /// SQLite runs one writer at a time, and write transactions take the
    /// write lock as they begin: no lock of Bagalau's own is needed.
    pub(crate) const WRITE_LOCK: Option<&'static str> = None;

    /// Write transactions take the write lock as they begin. A deferred
    /// transaction that read first could not wait for it: SQLite answers
    /// "database is locked" at once when another writer committed since
    /// its read began. Taken at the start, the lock is waited for (up to
    /// the busy timeout) like any other.
    pub(crate) const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    /// True when the database file may not be written.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        Path::new(&self.path)
    }

    pub fn with_audit_keys(self, keys: crate::AuditKeys) -> Self {
        Self { keys, ..self }
    }

    pub fn audit_keys(&self) -> &crate::AuditKeys {
        &self.keys
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

crate::sql::sql_store!(SqliteStore);
