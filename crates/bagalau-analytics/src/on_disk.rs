//! The delivery records kept in a directory (`deliveries/year=/month=/`),
//! counted on DataFusion, with each month's counts cached beside them
//! (`cache/`): the engine behind the application's [`DeliveryRecords`].

use crate::engine::{count, session};
use crate::incremental::count_year;
use crate::{IndicatorPack, Result};
use bagalau_services::deliveries::{
    BAD_ROWS_KEPT, BadRecord, Counted, Counting, DeliveryRecords, Filter, ImportOutcome,
    MonthAdded, Question, RecordsError, RecordsFile,
};
use datafusion::functions::expr_fn::date_trunc;
use datafusion::logical_expr::JoinType;
use datafusion::prelude::{SessionContext, col, lit};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The records under a services directory.
#[derive(Debug, Clone)]
pub struct RecordsOnDisk {
    root: PathBuf,
    cache: PathBuf,
}

impl RecordsOnDisk {
    /// The records under `services_dir/deliveries`, their counts cached
    /// under `services_dir/cache`.
    pub fn new(services_dir: &Path) -> RecordsOnDisk {
        RecordsOnDisk {
            root: services_dir.join("deliveries"),
            cache: services_dir.join("cache"),
        }
    }

    /// Where the records are.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `months` of `year` hold the demo's generated records.
    pub fn has_demonstration_records(
        &self,
        year: i32,
        months: &std::ops::RangeInclusive<u32>,
    ) -> bool {
        let name = format!("{}.parquet", crate::records::DEMO_RECORDS_FILE);
        months.clone().any(|m| {
            crate::records::month_dir(&self.root, year, m)
                .join(&name)
                .is_file()
        })
    }

    /// Whether `year` has a folder of records.
    pub fn has_year(&self, year: i32) -> bool {
        self.root.join(format!("year={year}")).is_dir()
    }

    async fn counted(&self, question: Question<'_>) -> Result<Option<Counted>> {
        if !self.has_year(question.year) {
            return Ok(None);
        }
        let pack = IndicatorPack::services_v1();
        let demonstration = self.has_demonstration_records(question.year, &question.months);
        let ctx = session(
            &self.root,
            question.register,
            question.days,
            question.year,
            None,
        )
        .await?;
        if question.filter.is_empty() {
            let (breakdown, counted_now) = count_year(
                &ctx,
                &pack,
                &self.root,
                &self.cache,
                question.year,
                question.inputs,
            )
            .await?;
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
}

impl DeliveryRecords for RecordsOnDisk {
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
        let target = crate::import::Target {
            root: &self.root,
            name: file.stem,
            quarantine: file.quarantine,
            keep_good_rows: file.keep_good_rows,
            providers: file.providers,
        };
        let report = if file.parquet {
            crate::import::import_parquet(input, target, progress).map_err(failed)?
        } else {
            crate::import::import_csv(input, target, progress).map_err(failed)?
        };
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

/// The records of a directory as the application's port.
pub fn on_disk(services_dir: &Path) -> Arc<dyn DeliveryRecords> {
    Arc::new(RecordsOnDisk::new(services_dir))
}
