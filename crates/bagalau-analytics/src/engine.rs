//! Running the indicator pack on DataFusion: the records' Parquet
//! partitions, the register's standards for each request date as a table, the
//! pack's SQL, and the counts it returns.

use crate::pack::{COUNTS, IndicatorPack};
use crate::{AnalyticsError, Result, records};
use bagalau_services::calendar::WorkingDays;
use bagalau_services::register::{Deadline, Register};
use chrono::{Datelike, NaiveDate};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Date32Builder, Int64Builder, StringBuilder, StringViewBuilder,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::prelude::{SessionConfig, SessionContext};
use std::path::Path;
use std::sync::Arc;

pub use bagalau_services::deliveries::{Breakdown, Counts};

/// The standard of every service of the register for every request date
/// of `year`: its sector, deadline unit, the deadline in seconds (hours and
/// minutes) and the last day of a day-counted deadline (`n` working days
/// on the calendar, or `n` calendar days), from the version in force that
/// day, with the moment that last day ends (`due_before`, midnight starting
/// the next day: a delivery before it is on time, compared without turning
/// each record's time into a date). One equi-join on the service and the
/// request date's midnight (`request_midnight`, a timestamp: engines find a
/// record's midnight by arithmetic, where a cast to a date goes through a
/// calendar conversion per record) then checks each record. A deadline
/// running past the calendar's end has no last day (the record then counts
/// as neither on time nor late).
pub fn standards_batch(register: &Register, days: &WorkingDays, year: i32) -> Result<RecordBatch> {
    let mut service = StringViewBuilder::new();
    let mut request = Date32Builder::new();
    let mut midnight = TimestampMicrosecondBuilder::new();
    let mut sector = StringViewBuilder::new();
    let mut unit = StringBuilder::new();
    let mut seconds = Int64Builder::new();
    let mut last = Date32Builder::new();
    let mut due_before = TimestampMicrosecondBuilder::new();
    for day in days.days().iter().filter(|d| d.date.year() == year) {
        for s in register.at(day.date).values() {
            service.append_value(&s.id);
            let date = days_since_epoch(day.date);
            request.append_value(date);
            midnight.append_value(midnight_micros(date));
            sector.append_value(&s.sector);
            unit.append_value(s.deadline.unit());
            let (secs, end) = match s.deadline {
                Deadline::Hours(h) => (Some(i64::from(h) * 3600), None),
                Deadline::Minutes(m) => (Some(i64::from(m) * 60), None),
                Deadline::WorkingDays(n) => (None, days.add(day.date, n)),
                Deadline::CalendarDays(n) => (
                    None,
                    day.date.checked_add_days(chrono::Days::new(u64::from(n))),
                ),
            };
            seconds.append_option(secs);
            let last_day = end.map(days_since_epoch);
            last.append_option(last_day);
            due_before.append_option(last_day.map(|d| midnight_micros(d + 1)));
        }
    }
    let schema = Arc::new(Schema::new(vec![
        Field::new("service", DataType::Utf8View, false),
        Field::new("request_date", DataType::Date32, false),
        Field::new(
            "request_midnight",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            false,
        ),
        Field::new("sector", DataType::Utf8View, false),
        Field::new("deadline_unit", DataType::Utf8, false),
        Field::new("deadline_seconds", DataType::Int64, true),
        Field::new("last_day", DataType::Date32, true),
        Field::new(
            "due_before",
            DataType::Timestamp(TimeUnit::Microsecond, None),
            true,
        ),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(service.finish()),
        Arc::new(request.finish()),
        Arc::new(midnight.finish()),
        Arc::new(sector.finish()),
        Arc::new(unit.finish()),
        Arc::new(seconds.finish()),
        Arc::new(last.finish()),
        Arc::new(due_before.finish()),
    ];
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// The midnight that begins the day `days` after the epoch, in microseconds.
fn midnight_micros(days: i32) -> i64 {
    const MICROS_PER_DAY: i64 = 86_400 * 1_000_000;
    i64::from(days) * MICROS_PER_DAY
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch")).num_days() as i32
}

/// A session with the records under `root` as `deliveries`, and the
/// standards of the register for every request date of the year.
pub async fn session(
    root: &Path,
    register: &Register,
    days: &WorkingDays,
    year: i32,
    threads: Option<usize>,
) -> Result<SessionContext> {
    let ctx = context(threads)?;
    register_records(&ctx, root)?;
    register_standards(&ctx, register, days, year)?;
    Ok(ctx)
}

/// The scheme under which a session reads the records of a blob store.
const KEPT_RECORDS: &str = "bagalau-blobs://records";

/// A session with the records of the blob store `blobs` (under its
/// `deliveries/`) as `deliveries`, read through the store's own backend (a
/// folder or S3-compatible storage), and the year's standards.
pub async fn session_on_blobs(
    blobs: &bagalau_blobs::BlobStore,
    register: &Register,
    days: &WorkingDays,
    year: i32,
    threads: Option<usize>,
) -> Result<SessionContext> {
    let ctx = context(threads)?;
    let base = url::Url::parse(KEPT_RECORDS).map_err(|e| AnalyticsError::Input(e.to_string()))?;
    ctx.register_object_store(&base, blobs.objects());
    register_records_at(
        &ctx,
        ListingTableUrl::parse(format!("{KEPT_RECORDS}/deliveries/"))?,
    )?;
    register_standards(&ctx, register, days, year)?;
    Ok(ctx)
}

fn register_standards(
    ctx: &SessionContext,
    register: &Register,
    days: &WorkingDays,
    year: i32,
) -> Result<()> {
    let standards = standards_batch(register, days, year)?;
    let table = MemTable::try_new(standards.schema(), vec![vec![standards]])?;
    ctx.register_table("standards", Arc::new(table))?;
    Ok(())
}

/// A session with the settings the indicator query runs best with.
fn context(threads: Option<usize>) -> Result<SessionContext> {
    // DataFusion's own settings may be tuned from the environment
    // (DATAFUSION_EXECUTION_BATCH_SIZE and the like); what is set there wins.
    Ok(SessionContext::new_with_config(tuned(
        SessionConfig::from_env()?,
        threads,
    )))
}

/// The settings the indicator query runs best with, each measured on
/// generated records (docs/benchmarks.md), unless the environment set it.
fn tuned(mut config: SessionConfig, threads: Option<usize>) -> SessionConfig {
    let from_env = |name: &str| std::env::var_os(name).is_some();
    if let Some(t) = threads {
        config = config.with_target_partitions(t);
    }
    let partitions = config.target_partitions();
    if !from_env("DATAFUSION_EXECUTION_BATCH_SIZE") {
        // Four times DataFusion's 8192 rows: on the 100-million-record
        // benchmark 9.1-9.3 s against 9.9-10.6 s with 16,384 and 11.2 s with
        // 65,536 (the finest-grain count's batch no longer fits the cache).
        config = config.with_batch_size(32_768);
    }
    let optimizer = &mut config.options_mut().optimizer;
    if !from_env("DATAFUSION_OPTIMIZER_HASH_JOIN_SINGLE_PARTITION_THRESHOLD") {
        // The standards table (a row per service and day) is small: each
        // partition probes its own copy rather than the records being
        // hash-repartitioned (20 s instead of 25.5 s on the benchmark).
        optimizer.hash_join_single_partition_threshold = 64 << 20;
    }
    if !from_env("DATAFUSION_OPTIMIZER_HASH_JOIN_SINGLE_PARTITION_THRESHOLD_ROWS") {
        // A register of a thousand services has 365,000 standards a year.
        optimizer.hash_join_single_partition_threshold_rows = 4 << 20;
    }
    if !from_env("DATAFUSION_OPTIMIZER_PRESERVE_FILE_PARTITIONS") {
        // Each partition reads whole months (when there are at least as many
        // months as partitions), and the cells, keyed by year and month, are
        // counted where they are read: no second hashing of the cells to
        // merge what each partition counted.
        optimizer.preserve_file_partitions = partitions;
    }
    if !from_env("DATAFUSION_OPTIMIZER_SUBSET_REPARTITION_THRESHOLD") {
        // DataFusion lets a partitioning by year and month stand for one by
        // all the count's keys (which include them) only from this many
        // partitions on; its default (4) would hash the records again here.
        optimizer.subset_repartition_threshold = partitions;
    }
    config
}

/// Registers the records under `root` as the table `deliveries`, with the
/// partition columns `year` and `month`: the one definition of the table,
/// whichever engine (embedded or a Ballista cluster) runs the pack on it.
pub fn register_records(ctx: &SessionContext, root: &Path) -> Result<()> {
    let url = ListingTableUrl::parse(
        std::path::absolute(root)
            .map_err(crate::io(root))?
            .to_string_lossy()
            .as_ref(),
    )?;
    register_records_at(ctx, url)
}

fn register_records_at(ctx: &SessionContext, url: ListingTableUrl) -> Result<()> {
    let options = ListingOptions::new(Arc::new(ParquetFormat::default()))
        .with_file_extension(".parquet")
        .with_table_partition_cols(vec![
            ("year".to_string(), DataType::Int32),
            ("month".to_string(), DataType::Int32),
        ]);
    let config = ListingTableConfig::new(url)
        .with_listing_options(options)
        .with_schema(records::read_schema());
    ctx.register_table("deliveries", Arc::new(ListingTable::try_new(config)?))?;
    Ok(())
}

/// DataFusion's plan of the pack's query on `months` of `year`, run once,
/// with each operator's rows and time (`EXPLAIN ANALYZE`): where a count's
/// time goes.
pub async fn explain(
    ctx: &SessionContext,
    pack: &IndicatorPack,
    year: i32,
    months: &[u32],
) -> Result<String> {
    let sql = format!("EXPLAIN ANALYZE {}", pack.query(year, months));
    let batches = ctx.sql(&sql).await?.collect().await?;
    let mut out = String::new();
    for batch in &batches {
        let Some(plans) = batch.column_by_name("plan") else {
            continue;
        };
        let text = datafusion::arrow::compute::cast(plans, &DataType::Utf8)?;
        let text = text
            .as_any()
            .downcast_ref::<datafusion::arrow::array::StringArray>()
            .ok_or_else(|| AnalyticsError::Pack("EXPLAIN gave no text plan".into()))?;
        for plan in text.iter().flatten() {
            out.push_str(plan);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Counts the records of `months` of `year` with the pack's SQL.
pub async fn count(
    ctx: &SessionContext,
    pack: &IndicatorPack,
    year: i32,
    months: &[u32],
) -> Result<Breakdown> {
    let mut breakdown = Breakdown::default();
    if months.is_empty() {
        return Ok(breakdown);
    }
    let batches = ctx.sql(&pack.query(year, months)).await?.collect().await?;
    for batch in batches {
        let column = |name: &str| {
            batch
                .column_by_name(name)
                .cloned()
                .ok_or_else(|| AnalyticsError::Pack(format!("the SQL returns no `{name}` column")))
        };
        let dimension = column("dimension")?;
        let value = column("value")?;
        let month = column("month")?;
        let counts: Vec<ArrayRef> = COUNTS.iter().map(|c| column(c)).collect::<Result<_>>()?;
        let text = |a: &ArrayRef, i: usize| -> Option<String> {
            if a.is_null(i) {
                return None;
            }
            match a.data_type() {
                DataType::Utf8 => Some(a.as_string::<i32>().value(i).to_string()),
                DataType::Utf8View => Some(a.as_string_view().value(i).to_string()),
                DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i).to_string()),
                _ => None,
            }
        };
        let number = |a: &ArrayRef, i: usize| -> u64 {
            if a.is_null(i) {
                return 0;
            }
            match a.data_type() {
                DataType::Int64 => a.as_primitive::<Int64Type>().value(i) as u64,
                DataType::Int32 => a.as_primitive::<Int32Type>().value(i) as u64,
                _ => 0,
            }
        };
        for i in 0..batch.num_rows() {
            let d = text(&dimension, i).unwrap_or_default();
            let m = number(&month, i) as u32;
            let values: Vec<u64> = counts.iter().map(|a| number(a, i)).collect();
            let c = Counts::from_values(&values);
            breakdown.groups.insert((d, text(&value, i), m), c);
        }
    }
    Ok(breakdown)
}

/// Writes the `standards` table of `year` as Parquet into `dir`, so the
/// pack's SQL can run on another engine over the same records.
pub fn write_tables(dir: &Path, register: &Register, days: &WorkingDays, year: i32) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(crate::io(dir))?;
    let standards = standards_batch(register, days, year)?;
    let path = dir.join("standards.parquet");
    let file = std::fs::File::create(&path).map_err(crate::io(&path))?;
    let mut writer =
        datafusion::parquet::arrow::ArrowWriter::try_new(file, standards.schema(), None)?;
    writer.write(&standards)?;
    writer.close()?;
    Ok(())
}
