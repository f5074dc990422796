//! The indicator pack's SQL on an Apache DataFusion Ballista cluster: a
//! scheduler that plans the query and executors that run its stages, for
//! record sets that outgrow one machine. The query is the pack's own text and
//! its rows are folded by the embedded engine's `engine::count`, so the two
//! engines are compared on identical SQL and identical folding.
//!
//! Ballista's executors cannot be handed an in-memory table: the records and
//! the standards table are Parquet files read by every executor at the same
//! path (a shared filesystem), and listed by the scheduler when it plans.
//! Ballista sits in its own crate, like DataFusion in `bagalau-analytics`, so
//! the rest of the workspace does not build it.

pub mod cluster;

use bagalau_analytics::{AnalyticsError, Breakdown, IndicatorPack, engine};
use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::error::DataFusionError;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};
use std::path::{Path, PathBuf};

/// The file `engine::write_tables` writes the standards table to.
pub const STANDARDS_FILE: &str = "standards.parquet";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("`{0}` is not a Ballista scheduler URL (df://host:port)")]
    SchedulerUrl(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{0}: no standards table; write it first (`bagalau-cluster indicators` does, and so does `bagalau services sql`)"
    )]
    NoStandards(String),
    #[error("{what}: {source}")]
    Network {
        what: String,
        source: std::io::Error,
    },
    #[error("{0}: no delivery records there")]
    NoRecords(String),
    #[error("the query on the cluster: {0}")]
    Query(#[from] DataFusionError),
    #[error("Ballista: {0}")]
    Ballista(#[from] ballista_core::error::BallistaError),
    #[error(transparent)]
    Analytics(#[from] AnalyticsError),
    #[error("{0}")]
    Cluster(String),
}

pub type Result<T> = std::result::Result<T, ClusterError>;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A scheduler's address from its URL, `df://host:port`.
pub fn scheduler_address(url: &str) -> Result<(String, u16)> {
    let bad = || ClusterError::SchedulerUrl(url.to_string());
    let rest = url.strip_prefix("df://").ok_or_else(bad)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = rest.rsplit_once(':').ok_or_else(bad)?;
    let port: u16 = port.parse().map_err(|_| bad())?;
    if host.is_empty() || host.contains('/') {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

/// Where the cluster reads the pack's two tables: the records'
/// `year=/month=` partitions under `records`, and `standards.parquet` in
/// `tables`. Both must be at the same path on the scheduler and on every
/// executor.
#[derive(Debug, Clone)]
pub struct Tables {
    pub records: PathBuf,
    pub tables: PathBuf,
}

impl Tables {
    /// The tables' absolute paths (the executors do not share the caller's
    /// working directory), checked to exist here.
    pub fn new(records: &Path, tables: &Path) -> Result<Tables> {
        let records = std::path::absolute(records).map_err(io(records))?;
        let tables = std::path::absolute(tables).map_err(io(tables))?;
        if !records.is_dir() {
            return Err(ClusterError::NoRecords(records.display().to_string()));
        }
        if !tables.join(STANDARDS_FILE).is_file() {
            return Err(ClusterError::NoStandards(
                tables.join(STANDARDS_FILE).display().to_string(),
            ));
        }
        Ok(Tables { records, tables })
    }

    pub fn standards(&self) -> PathBuf {
        self.tables.join(STANDARDS_FILE)
    }
}

/// A session whose queries run on the Ballista scheduler at `scheduler_url`,
/// with `deliveries` and `standards` registered as Parquet listing tables.
/// `partitions` is how many partitions each stage is split into (DataFusion's
/// target partitions; by default this machine's cores), which bounds how many
/// executor slots a stage can use at once.
pub async fn session(
    scheduler_url: &str,
    tables: &Tables,
    partitions: Option<usize>,
) -> Result<SessionContext> {
    scheduler_address(scheduler_url)?;
    let mut config = SessionConfig::new_with_ballista();
    if let Some(n) = partitions {
        config = config.with_target_partitions(n.max(1));
    }
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let ctx = SessionContext::remote_with_state(scheduler_url, state).await?;
    engine::register_records(&ctx, &tables.records)?;
    let standards = tables.standards();
    ctx.register_parquet(
        "standards",
        standards.to_string_lossy(),
        ParquetReadOptions::default(),
    )
    .await?;
    Ok(ctx)
}

/// The pack's counts of `months` of `year` (every breakdown, month by month),
/// computed on the cluster: the same `Breakdown` as the embedded engine's.
pub async fn count(
    scheduler_url: &str,
    tables: &Tables,
    pack: &IndicatorPack,
    year: i32,
    months: &[u32],
) -> Result<Breakdown> {
    let ctx = session(scheduler_url, tables, None).await?;
    Ok(engine::count(&ctx, pack, year, months).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheduler_urls_name_a_host_and_a_port() {
        assert_eq!(
            scheduler_address("df://127.0.0.1:50050").unwrap(),
            ("127.0.0.1".to_string(), 50050)
        );
        assert_eq!(
            scheduler_address("df://scheduler.internal:7000/").unwrap(),
            ("scheduler.internal".to_string(), 7000)
        );
        for bad in [
            "http://127.0.0.1:50050",
            "df://127.0.0.1",
            "df://:50050",
            "df://host:port",
            "df://host:70000",
        ] {
            assert!(
                matches!(scheduler_address(bad), Err(ClusterError::SchedulerUrl(_))),
                "{bad} was taken"
            );
        }
    }
}
