//! Bagalau's storage. One [`Store`] interface; [`SqliteStore`] is the
//! embedded default (a PostgreSQL implementation follows behind the same
//! interface). This is the only crate that knows SQL.
//!
//! Every write goes through [`Store::apply`] with an [`ImportBatch`] and runs
//! in one transaction: it all lands or none of it does.

mod sqlite;

pub use sqlite::SqliteStore;

use bagalau_core::data::{Observation, YearData};
use bagalau_core::pack::Methodology;
use bagalau_core::performance::{self, PerformancePack, Series};
use bagalau_core::registry::Registry;
use bagalau_core::score::Assessment;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL `{0}` (use a file path or sqlite://PATH)")]
    UnsupportedUrl(String),
    #[error("the database {0} is read-only: nothing can be written to it")]
    ReadOnly(String),
    #[error(
        "the database {0} is read-only and was made by an older Bagalau: open a writable copy once to upgrade it"
    )]
    ReadOnlyOutdated(String),
    #[error("stored {what} no longer validates: {message}")]
    Corrupt { what: String, message: String },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A document (registry or pack) with the file it came from.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub file_name: String,
    pub text: String,
    pub parsed: T,
}

/// Everything one command writes, applied atomically.
#[derive(Debug, Default)]
pub struct ImportBatch {
    pub registry: Option<Document<Registry>>,
    pub packs: Vec<Document<Methodology>>,
    /// Values with their origin (a file name, or `demonstration`).
    pub observations: Vec<(Observation, String)>,
    pub assessments: Vec<Assessment>,
    pub performance_packs: Vec<Document<PerformancePack>>,
    /// Series observations with their origin.
    pub series: Vec<(performance::Observation, String)>,
    /// RFC 3339 time of the import (time is a parameter, never read here).
    pub at: String,
}

/// What an import changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    pub bodies: usize,
    pub packs: usize,
    pub values_new: usize,
    pub values_changed: usize,
    pub values_unchanged: usize,
    pub assessments: usize,
    pub performance_packs: usize,
    pub series_new: usize,
    pub series_changed: usize,
    pub series_unchanged: usize,
}

/// Where a year's stored pack came from.
#[derive(Debug, Clone)]
pub struct StoredPack {
    pub file_name: String,
    pub methodology: Methodology,
}

/// The storage interface. Async so that a PostgreSQL implementation can sit
/// behind it unchanged.
#[allow(async_fn_in_trait)]
pub trait Store {
    async fn apply(&self, batch: ImportBatch) -> Result<ImportCounts>;
    async fn registry(&self) -> Result<Option<Registry>>;
    async fn pack(&self, year: i32) -> Result<Option<StoredPack>>;
    async fn pack_years(&self) -> Result<Vec<i32>>;
    async fn year_data(&self, year: i32) -> Result<YearData>;
    async fn assessment(
        &self,
        year: i32,
        pack_hash: &str,
        input_hash: &str,
    ) -> Result<Option<Assessment>>;
    /// How many reporting values came from each origin.
    async fn value_origins(&self) -> Result<Vec<(String, i64)>>;
    async fn performance_pack(&self, year: i32) -> Result<Option<PerformancePack>>;
    async fn performance_years(&self) -> Result<Vec<i32>>;
    /// Every series value (the series are small: indicators × years).
    async fn series(&self) -> Result<Series>;
}
