//! The analytical engine for raw public-service records, on Apache
//! DataFusion: delivery records kept as Parquet partitioned by year and
//! month, a seeded generator of realistic records, and the indicator pack's
//! SQL counting them. Every use of DataFusion lives in this crate, so the
//! rest of the workspace builds without it.

pub mod engine;
pub mod import;
pub mod incremental;
pub mod kept;
pub mod records;
pub mod survey_demo;

pub use bagalau_services::pack::{self, IndicatorPack};
pub use bagalau_services::rating_inputs as ratings;
pub use bagalau_services::report;
pub use engine::{Breakdown, Counts};

#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the analytical engine: {0}")]
    Engine(#[from] datafusion::error::DataFusionError),
    #[error("writing Parquet: {0}")]
    Parquet(#[from] datafusion::parquet::errors::ParquetError),
    #[error("Arrow: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    #[error("the indicator pack: {0}")]
    Pack(String),
    #[error(transparent)]
    PackFile(#[from] bagalau_services::pack::PackError),
    #[error(transparent)]
    Rating(#[from] bagalau_services::ratings::RatingError),
    #[error(transparent)]
    Report(#[from] bagalau_services::report::ReportError),
    #[error(transparent)]
    Calendar(#[from] bagalau_services::calendar::CalendarError),
    #[error("{0}")]
    Input(String),
}

pub type Result<T> = std::result::Result<T, AnalyticsError>;

pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> AnalyticsError + '_ {
    move |source| AnalyticsError::Io {
        path: path.display().to_string(),
        source,
    }
}
