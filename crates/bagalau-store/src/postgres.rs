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
use sqlx::postgres::{PgPool, PgPoolOptions};

/// The production store: a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// The URL without its password, for messages.
    path: String,
    read_only: bool,
    parsed: crate::sql::ParseCache,
    keys: crate::AuditKeys,
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl PgStore {
    /// Every write transaction takes this transaction-scoped lock first:
    /// writes run one after another in any number of server processes, as
    /// on SQLite, so ids, the audit chain's sequence and login reservations
    /// never race. The number is arbitrary and used for nothing else.
    pub(crate) const WRITE_LOCK: Option<&'static str> =
        Some("SELECT pg_advisory_xact_lock(7419120)");

    pub(crate) const BEGIN_WRITE: &'static str = "BEGIN";

    pub fn generation(&self) -> (usize, u64) {
        self.parsed.generation()
    }

    /// Connects to `postgres://…` and applies pending migrations.
    pub async fn open(url: &str) -> Result<Self> {
        let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self {
            pool,
            path: redact(url),
            read_only: false,
            parsed: Default::default(),
            keys: Default::default(),
        })
    }

    pub fn location(&self) -> &str {
        &self.path
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

crate::sql::sql_store!(PgStore);

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            super::redact("postgres://bagalau:secret@db:5432/b"),
            "postgres://bagalau:***@db:5432/b"
        );
        assert_eq!(
            super::redact("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
