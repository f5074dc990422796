//! The delivery records kept in the blob store (`deliveries/year=/month=/`,
//! a folder or S3-compatible storage), counted on DataFusion reading the
//! store's own backend, with each month's counts cached beside them
//! (`cache/`): the engine behind the application's [`DeliveryRecords`].
//! Two servers given one bucket read, count, cache and import as one.

use crate::engine::{count, session_on_blobs};
use crate::incremental::{count_year, failed, month_prefix};
use crate::{AnalyticsError, IndicatorPack, Result};
use bagalau_blobs::BlobStore;
use bagalau_services::calendar::WorkingDays;
use bagalau_services::deliveries::{
    BAD_ROWS_KEPT, BadRecord, Counted, Counting, DeliveryRecords, Filter, ImportOutcome,
    MonthAdded, Question, RecordsError, RecordsFile, Removing,
};
use bagalau_services::register::Register;
use datafusion::functions::expr_fn::date_trunc;
use datafusion::logical_expr::JoinType;
use datafusion::prelude::{SessionContext, col, lit};
use std::path::Path;
use std::sync::Arc;

/// The records of a blob store.
#[derive(Debug, Clone)]
pub struct KeptRecords {
    blobs: BlobStore,
}

impl KeptRecords {
    /// The records of the store at `location`: a folder (created if
    /// missing) or `s3://BUCKET[/PREFIX]` (see [`BlobStore::open`]).
    pub fn open(location: &str) -> Result<KeptRecords> {
        Ok(KeptRecords::on(BlobStore::open(location).map_err(failed)?))
    }

    /// The records of an open blob store.
    pub fn on(blobs: BlobStore) -> KeptRecords {
        KeptRecords { blobs }
    }

    /// The records under the folder `dir` (`dir/deliveries`).
    pub fn in_folder(dir: &Path) -> Result<KeptRecords> {
        KeptRecords::open(&dir.display().to_string())
    }

    /// Where the records are, as configured.
    pub fn location(&self) -> &str {
        self.blobs.location()
    }

    /// The records' folder, for a store in a folder (the engines that
    /// read files by path, such as a cluster's, need one).
    pub fn folder(&self) -> Option<std::path::PathBuf> {
        self.blobs.directory().map(|d| d.join("deliveries"))
    }

    /// Whether `months` of `year` hold the demo's generated records.
    pub async fn has_demonstration_records(
        &self,
        year: i32,
        months: &std::ops::RangeInclusive<u32>,
    ) -> Result<bool> {
        let name = format!("{}.parquet", crate::records::DEMO_RECORDS_FILE);
        for m in months.clone() {
            let key = format!("{}{name}", month_prefix(year, m));
            if self.blobs.exists(&key).await.map_err(failed)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The keys of `year`'s files.
    pub async fn files_of_year(&self, year: i32) -> Result<Vec<String>> {
        self.blobs
            .list(&format!("deliveries/year={year}/"))
            .await
            .map_err(failed)
    }

    /// Whether `year` has records.
    pub async fn has_year(&self, year: i32) -> Result<bool> {
        Ok(!self
            .blobs
            .list(&format!("deliveries/year={year}/"))
            .await
            .map_err(failed)?
            .is_empty())
    }

    /// A session over these records and the year's standards.
    pub async fn session(
        &self,
        register: &Register,
        days: &WorkingDays,
        year: i32,
        threads: Option<usize>,
    ) -> Result<SessionContext> {
        session_on_blobs(&self.blobs, register, days, year, threads).await
    }

    /// Writes records with `write`, given the folder to write
    /// `year=/month=/NAME.parquet` files into: the records' own folder for
    /// a store in a folder; for object storage a temporary folder whose
    /// files are then sent to the store (each replacing what it names).
    pub async fn write_with<T>(&self, write: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
        if let Some(folder) = self.folder() {
            return write(&folder);
        }
        let staging = tempfile::tempdir().map_err(crate::io(Path::new("a temporary folder")))?;
        let written = write(staging.path())?;
        for (key, path) in files_under(staging.path())? {
            self.blobs
                .put_file(&format!("deliveries/{key}"), &path)
                .await
                .map_err(failed)?;
        }
        Ok(written)
    }

    async fn counted(&self, question: Question<'_>) -> Result<Option<Counted>> {
        if !self.has_year(question.year).await? {
            return Ok(None);
        }
        let pack = IndicatorPack::services_v1();
        let demonstration = self
            .has_demonstration_records(question.year, &question.months)
            .await?;
        let ctx = self
            .session(question.register, question.days, question.year, None)
            .await?;
        if question.filter.is_empty() {
            let (breakdown, counted_now) =
                count_year(&ctx, &pack, &self.blobs, question.year, question.inputs).await?;
            return Ok(Some(Counted {
                breakdown: breakdown.within(&question.months),
                counted_now: counted_now
                    .into_iter()
                    .filter(|m| question.months.contains(m))
                    .collect(),
                demonstration,
            }));
        }
        // A filtered count is its own question: counted now, never cached.
        restrict(&ctx, question.filter).await?;
        let months: Vec<u32> = question.months.clone().collect();
        let breakdown = count(&ctx, &pack, question.year, &months).await?;
        let counted_now = breakdown.months().into_iter().collect();
        Ok(Some(Counted {
            breakdown,
            counted_now,
            demonstration,
        }))
    }

    /// Sends the months' files an import staged under `staging` to the
    /// store, none if any of their names is taken; on a failure the ones
    /// sent are taken back, so the import adds all its months or none.
    async fn send(&self, staging: &Path, stem: &str, months: &[(i32, u32)]) -> Result<()> {
        let key =
            |(year, month): (i32, u32)| format!("{}{stem}.parquet", month_prefix(year, month));
        for &m in months {
            if self.blobs.exists(&key(m)).await.map_err(failed)? {
                return Err(AnalyticsError::Input(format!(
                    "{} exists in {}: records were imported under the name `{stem}` before",
                    key(m),
                    self.blobs.location()
                )));
            }
        }
        let mut sent = Vec::new();
        for &(year, month) in months {
            let path =
                crate::records::month_dir(staging, year, month).join(format!("{stem}.parquet"));
            match self.blobs.put_file(&key((year, month)), &path).await {
                Ok(()) => sent.push(key((year, month))),
                Err(e) => {
                    for k in &sent {
                        let _ = self.blobs.delete(k).await;
                    }
                    return Err(failed(e));
                }
            }
        }
        Ok(())
    }

    /// Removes the files an import named `stem` added, in every month: what
    /// an import whose server stopped midway may have left.
    pub async fn remove_import(&self, stem: &str) -> Result<usize> {
        let name = format!("/{stem}.parquet");
        let mut removed = 0;
        for key in self.blobs.list("deliveries/").await.map_err(failed)? {
            if key.ends_with(&name) {
                self.blobs.delete(&key).await.map_err(failed)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// The Parquet files under a folder, with their paths relative to it.
fn files_under(root: &Path) -> Result<Vec<(String, std::path::PathBuf)>> {
    let mut out = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(crate::io(&dir))? {
            let path = entry.map_err(crate::io(&dir))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                let relative = path
                    .strip_prefix(root)
                    .map_err(|e| AnalyticsError::Input(e.to_string()))?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((relative, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

impl DeliveryRecords for KeptRecords {
    fn count<'a>(&'a self, question: Question<'a>) -> Counting<'a> {
        Box::pin(async move {
            self.counted(question)
                .await
                .map_err(|e| RecordsError(e.to_string()))
        })
    }

    fn import(
        &self,
        file: RecordsFile<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> std::result::Result<ImportOutcome, RecordsError> {
        let failed = |e: crate::AnalyticsError| RecordsError(e.to_string());
        let input = std::fs::File::open(file.path)
            .map_err(|e| RecordsError(format!("{}: {e}", file.path.display())))?;
        // A folder store takes the files by renaming them into place; object
        // storage gets them from a temporary folder once all are written.
        let (staging, root) = match self.folder() {
            Some(folder) => (None, folder),
            None => {
                let staging = tempfile::tempdir()
                    .map_err(|e| RecordsError(format!("a temporary folder: {e}")))?;
                let root = staging.path().to_path_buf();
                (Some(staging), root)
            }
        };
        let target = crate::import::Target {
            root: &root,
            name: file.stem,
            quarantine: file.quarantine,
            keep_good_rows: file.keep_good_rows,
            providers: file.providers,
        };
        let mut report = if file.parquet {
            crate::import::import_parquet(input, target, progress).map_err(failed)?
        } else {
            crate::import::import_csv(input, target, progress).map_err(failed)?
        };
        if let (Some(staging), true) = (&staging, report.imported) {
            let months: Vec<(i32, u32)> = report.added.keys().copied().collect();
            let sent = blocking(self.send(staging.path(), file.stem, &months));
            if let Err(e) = sent {
                report.imported = false;
                return Err(failed(e));
            }
        }
        Ok(ImportOutcome {
            imported: report.imported,
            added: report
                .added
                .iter()
                .map(|(&(year, month), &records)| MonthAdded {
                    year,
                    month,
                    records,
                })
                .collect(),
            bad_rows: report.bad.len(),
            bad: report
                .bad
                .into_iter()
                .take(BAD_ROWS_KEPT)
                .map(|b| BadRecord {
                    line: b.line,
                    column: b.column,
                    message: b.message,
                })
                .collect(),
        })
    }

    fn remove<'a>(&'a self, stem: &'a str) -> Removing<'a> {
        Box::pin(async move {
            self.remove_import(stem)
                .await
                .map_err(|e| RecordsError(e.to_string()))
        })
    }
}

/// Puts a view of the records that pass `filter` in place of the session's
/// `deliveries`, so the pack's SQL runs unchanged. Values are literals of
/// the plan, never spliced into SQL text. A record's sector is its
/// standard's on the day it was requested: a semi-join on the standards of
/// that sector, as the pack's SQL joins them.
pub async fn restrict(ctx: &SessionContext, filter: &Filter) -> Result<()> {
    let mut records = ctx.table("deliveries").await?;
    for (column, value) in filter.conditions() {
        if column != "sector" {
            records = records.filter(col(column).eq(lit(value)))?;
        }
    }
    if let Some(sector) = &filter.sector {
        let standards = ctx
            .table("standards")
            .await?
            .filter(col("sector").eq(lit(sector.as_str())))?
            .select(vec![
                col("service").alias("standard_service"),
                col("request_midnight").alias("standard_midnight"),
            ])?;
        records = records.join_on(
            standards,
            JoinType::LeftSemi,
            [
                col("service").eq(col("standard_service")),
                date_trunc(lit("day"), col("requested_at")).eq(col("standard_midnight")),
            ],
        )?;
    }
    ctx.deregister_table("deliveries")?;
    ctx.register_table("deliveries", records.into_view())?;
    Ok(())
}

/// Runs `work` to its end from blocking code: on the runtime that started
/// this thread's blocking task, or on one of its own where there is none.
fn blocking<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) => handle.block_on(work),
        Err(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(crate::io(Path::new("a runtime")))?
            .block_on(work),
    }
}

/// The records of the blob store at `location` as the application's port.
pub fn kept(location: &str) -> Result<Arc<dyn DeliveryRecords>> {
    Ok(Arc::new(KeptRecords::open(location)?))
}
