//! Delivery records: their Arrow schema, where their Parquet files live
//! (`<root>/year=YYYY/month=M/*.parquet`), and a seeded generator of
//! realistic records at any scale.

use crate::{Result, io};
use bagalau_services::calendar::WorkingDays;
use bagalau_services::register::{Channel, Deadline, Register, Service};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{
    ArrayRef, Int32Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use datafusion::arrow::compute::{SortColumn, lexsort_to_indices, take_record_batch};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The columns of a delivery record (the partition columns `year` and
/// `month` come from the directories).
pub fn schema() -> SchemaRef {
    let ts = DataType::Timestamp(TimeUnit::Microsecond, None);
    Arc::new(Schema::new(vec![
        Field::new("service", DataType::Utf8, false),
        Field::new("provider", DataType::Utf8, false),
        Field::new("region", DataType::Utf8, false),
        Field::new("office", DataType::Utf8, false),
        Field::new("channel", DataType::Utf8, false),
        Field::new("recipient", DataType::Utf8, false),
        Field::new("requested_at", ts.clone(), false),
        Field::new("delivered_at", ts, true),
        Field::new("extra_documents", DataType::Int32, true),
    ]))
}

/// The records' schema as the engine reads them: the text columns as
/// Arrow string views (a 16-byte view per value, short values inline, long
/// ones pointing into the decoded page) rather than copied into one
/// contiguous buffer. Counting by the six text keys then hashes and compares
/// views: on 10 million clustered records the finest-grain count took 36%
/// less CPU time (docs/benchmarks.md).
pub fn read_schema() -> SchemaRef {
    let fields: Vec<Field> = schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8 => f.as_ref().clone().with_data_type(DataType::Utf8View),
            _ => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The order records are kept in within each run of [`CLUSTER_ROWS`] rows
/// of a file: records of one service, provider, region, office, channel and
/// recipient category lie together, so counting them touches the same few
/// groups row after row instead of jumping across the whole table. On 10
/// million generated records this halves the CPU time of the indicator
/// query, in DataFusion as in DuckDB (docs/benchmarks.md).
pub const CLUSTER_ORDER: [&str; 7] = [
    "service",
    "provider",
    "region",
    "office",
    "channel",
    "recipient",
    "requested_at",
];

/// How many records are sorted together before they are written: enough
/// for long runs of equal keys (65,536 gave most of the gain, 262,144 a
/// little more), small enough that an import holding a run for each of
/// twelve months stays within a few hundred megabytes.
pub const CLUSTER_ROWS: usize = 131_072;

/// `batch` sorted by [`CLUSTER_ORDER`].
pub fn cluster(batch: &RecordBatch) -> Result<RecordBatch> {
    let columns: Vec<SortColumn> = CLUSTER_ORDER
        .iter()
        .map(|name| {
            let values = batch.column_by_name(name).cloned().ok_or_else(|| {
                crate::AnalyticsError::Input(format!("records without a `{name}` column"))
            })?;
            Ok(SortColumn {
                values,
                options: None,
            })
        })
        .collect::<Result<_>>()?;
    let order = lexsort_to_indices(&columns, None)?;
    Ok(take_record_batch(batch, &order)?)
}

/// How record files are written: compressed, the statistics of every page
/// kept (the incremental count fingerprints files, not pages).
pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build()
}

/// The directory of one month's files.
pub fn month_dir(root: &Path, year: i32, month: u32) -> PathBuf {
    root.join(format!("year={year}"))
        .join(format!("month={month}"))
}

pub use bagalau_services::register::{LOCAL_AKIMATS, REGIONS, provider_in};

/// The stem of the demo's files of records (`demonstration.parquet` in
/// each month): anyone can tell them for demonstration data.
pub const DEMO_RECORDS_FILE: &str = "demonstration";

/// Recipient categories, with their share of requests; the last four are
/// vulnerable groups.
pub const RECIPIENTS: [(&str, f64); 8] = [
    ("individual", 0.66),
    ("legal_entity", 0.12),
    ("entrepreneur", 0.08),
    ("pensioner", 0.06),
    ("disabled", 0.03),
    ("large_family", 0.025),
    ("orphan", 0.005),
    ("low_income", 0.01),
];

/// What shapes the generated records.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub year: i32,
    pub rows: u64,
    pub seed: u64,
    /// Share of records delivered late (before each region's own factor).
    pub late: f64,
    /// Share of records of services that are not in the register.
    pub hidden: f64,
    /// Share of records without a delivery date.
    pub undelivered: f64,
    /// Share of requests made on the portal when a service offers it.
    pub portal: f64,
    /// Each month's file is `<file_name>.parquet`.
    pub file_name: String,
}

impl Scenario {
    pub fn new(year: i32, rows: u64, seed: u64) -> Scenario {
        Scenario {
            year,
            rows,
            seed,
            late: 0.01,
            hidden: 0.001,
            undelivered: 0.002,
            portal: 0.8,
            file_name: "part-0".into(),
        }
    }
}

/// Writes `scenario.rows` records of a year under `root`, month by month
/// (one file per month, replacing what was there), in proportion to each
/// month's working days. Returns the number written per month.
pub fn generate(
    root: &Path,
    register: &Register,
    days: &WorkingDays,
    scenario: &Scenario,
    mut progress: impl FnMut(u64),
) -> Result<Vec<(u32, u64)>> {
    let year = scenario.year;
    let working: Vec<NaiveDate> = days
        .days()
        .iter()
        .filter(|d| d.working && d.date.year() == year)
        .map(|d| d.date)
        .collect();
    let per_month: Vec<(u32, Vec<NaiveDate>)> = (1..=12)
        .map(|m| {
            (
                m,
                working.iter().copied().filter(|d| d.month() == m).collect(),
            )
        })
        .collect();
    let total_days = working.len().max(1) as u64;
    let mut written = Vec::new();
    let mut done = 0u64;
    let mut assigned = 0u64;
    for (i, (month, dates)) in per_month.iter().enumerate() {
        let rows = if i == 11 {
            scenario.rows - assigned
        } else {
            scenario.rows * dates.len() as u64 / total_days
        };
        assigned += rows;
        let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed ^ (u64::from(*month) << 56));
        let services: Vec<&Service> = register
            .at(NaiveDate::from_ymd_opt(year, *month, 15).expect("a valid date"))
            .into_values()
            .collect();
        let dir = month_dir(root, year, *month);
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        for old in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let old = old.map_err(io(&dir))?.path();
            std::fs::remove_file(&old).map_err(io(&old))?;
        }
        // Written under a hidden name and renamed when complete, so an
        // interrupted run never leaves a truncated file among the records.
        let path = dir.join(format!(".{}.parquet.partial", scenario.file_name));
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        let mut writer = ArrowWriter::try_new(file, schema(), Some(writer_properties()))?;
        let mut left = rows;
        while left > 0 && !dates.is_empty() && !services.is_empty() {
            let n = left.min(CLUSTER_ROWS as u64) as usize;
            let batch = batch(&mut rng, &services, dates, days, scenario, n)?;
            writer.write(&cluster(&batch)?)?;
            left -= n as u64;
            done += n as u64;
            progress(done);
        }
        writer.close()?;
        let done_path = dir.join(format!("{}.parquet", scenario.file_name));
        std::fs::rename(&path, &done_path).map_err(io(&done_path))?;
        written.push((*month, rows));
    }
    Ok(written)
}

fn batch(
    rng: &mut ChaCha8Rng,
    services: &[&Service],
    dates: &[NaiveDate],
    days: &WorkingDays,
    s: &Scenario,
    n: usize,
) -> Result<RecordBatch> {
    let mut service = StringBuilder::with_capacity(n, n * 12);
    let mut provider = StringBuilder::with_capacity(n, n * 12);
    let mut region = StringBuilder::with_capacity(n, n * 10);
    let mut office = StringBuilder::with_capacity(n, n * 16);
    let mut channel = StringBuilder::with_capacity(n, n * 6);
    let mut recipient = StringBuilder::with_capacity(n, n * 10);
    let mut requested = TimestampMicrosecondBuilder::with_capacity(n);
    let mut delivered = TimestampMicrosecondBuilder::with_capacity(n);
    let mut extra = Int32Builder::with_capacity(n);
    for _ in 0..n {
        // A few services are asked for far more than the rest.
        let pick = (rng.random::<f64>().powi(3) * services.len() as f64) as usize;
        let svc = services[pick.min(services.len() - 1)];
        let hidden = rng.random_bool(s.hidden);
        let r = (rng.random::<f64>().powf(1.5) * REGIONS.len() as f64) as usize;
        let reg = REGIONS[r.min(REGIONS.len() - 1)];
        let ch = if svc.channels.contains(&Channel::Portal) && rng.random_bool(s.portal) {
            Channel::Portal
        } else {
            // Counted and picked in place: no allocation per record.
            let others = || {
                svc.channels
                    .iter()
                    .copied()
                    .filter(|c| *c != Channel::Portal)
            };
            match others().count() {
                0 => Channel::Portal,
                n => others()
                    .nth(rng.random_range(0..n))
                    .expect("an index below the count"),
            }
        };
        let prov = provider_in(
            &svc.providers[rng.random_range(0..svc.providers.len())],
            reg,
        );
        let off = match ch {
            Channel::Psc => format!("psc_{reg}_{}", rng.random_range(1..=8)),
            Channel::Portal => "portal".to_string(),
            Channel::Body => format!("{prov}_{reg}"),
        };
        let mut p = rng.random::<f64>();
        let who = RECIPIENTS
            .iter()
            .find(|(_, share)| {
                p -= share;
                p < 0.0
            })
            .map_or(RECIPIENTS[0].0, |(c, _)| c);
        let day = dates[rng.random_range(0..dates.len())];
        let at = day.and_hms_opt(9, 0, 0).expect("a valid time")
            + Duration::seconds(rng.random_range(0..9 * 3600));
        // Regions differ in discipline: the last ones are late more often.
        let late_share = s.late * (0.5 + r as f64 / REGIONS.len() as f64);
        let late = rng.random_bool(late_share.min(1.0));
        let done_at = if rng.random_bool(s.undelivered) {
            None
        } else {
            delivery(rng, svc.deadline, at, late, days)
        };
        if hidden {
            service.append_value(format!("unlisted_{}", rng.random_range(1..=25)));
        } else {
            service.append_value(&svc.id);
        }
        provider.append_value(&*prov);
        region.append_value(reg);
        office.append_value(off);
        channel.append_value(ch.as_str());
        recipient.append_value(who);
        requested.append_value(micros(at));
        delivered.append_option(done_at.map(micros));
        if rng.random_bool(0.2) {
            extra.append_value(i32::from(rng.random_bool(0.05)));
        } else {
            extra.append_null();
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(service.finish()),
        Arc::new(provider.finish()),
        Arc::new(region.finish()),
        Arc::new(office.finish()),
        Arc::new(channel.finish()),
        Arc::new(recipient.finish()),
        Arc::new(requested.finish()),
        Arc::new(delivered.finish()),
        Arc::new(extra.finish()),
    ];
    Ok(RecordBatch::try_new(schema(), columns)?)
}

/// When a request made at `at` was delivered: within the standard's
/// deadline, or 1 to 5 units after it when `late`.
fn delivery(
    rng: &mut ChaCha8Rng,
    deadline: Deadline,
    at: NaiveDateTime,
    late: bool,
    days: &WorkingDays,
) -> Option<NaiveDateTime> {
    let time = |d: NaiveDate| d.and_hms_opt(rng_hour(at), 0, 0);
    match deadline {
        Deadline::WorkingDays(n) => {
            let k = if late {
                n + rng.random_range(1..=5)
            } else {
                rng.random_range(0..=n)
            };
            let day = if k == 0 {
                at.date()
            } else {
                days.add(at.date(), k)?
            };
            let t = time(day)?;
            Some(t.max(at + Duration::minutes(1)))
        }
        Deadline::CalendarDays(n) => {
            let k = if late {
                n + rng.random_range(1..=5)
            } else {
                rng.random_range(0..=n)
            };
            let t = time(at.date() + Duration::days(i64::from(k)))?;
            Some(t.max(at + Duration::minutes(1)))
        }
        Deadline::Hours(n) | Deadline::Minutes(n) => {
            let limit = i64::from(n)
                * if matches!(deadline, Deadline::Hours(_)) {
                    3600
                } else {
                    60
                };
            let seconds = if late {
                limit + rng.random_range(1..=limit.max(1) * 3)
            } else {
                rng.random_range(1..=limit.max(1))
            };
            Some(at + Duration::seconds(seconds))
        }
    }
}

fn rng_hour(at: NaiveDateTime) -> u32 {
    // Results are handed over in the afternoon of the day they are ready.
    14 + at.and_utc().timestamp() as u32 % 4
}

fn micros(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_micros()
}

/// One delivery record, as imported or written by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub service: String,
    pub provider: String,
    pub region: String,
    pub office: String,
    pub channel: String,
    pub recipient: String,
    pub requested_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub extra_documents: Option<i32>,
}

/// The records as one Arrow batch of [`schema`].
pub fn to_batch(records: &[Record]) -> Result<RecordBatch> {
    let mut cols: Vec<StringBuilder> = (0..6).map(|_| StringBuilder::new()).collect();
    let mut requested = TimestampMicrosecondBuilder::new();
    let mut delivered = TimestampMicrosecondBuilder::new();
    let mut extra = Int32Builder::new();
    for r in records {
        for (b, v) in cols.iter_mut().zip([
            &r.service,
            &r.provider,
            &r.region,
            &r.office,
            &r.channel,
            &r.recipient,
        ]) {
            b.append_value(v);
        }
        requested.append_value(micros(r.requested_at));
        delivered.append_option(r.delivered_at.map(micros));
        extra.append_option(r.extra_documents);
    }
    let mut columns: Vec<ArrayRef> = cols
        .iter_mut()
        .map(|b| Arc::new(b.finish()) as ArrayRef)
        .collect();
    columns.push(Arc::new(requested.finish()));
    columns.push(Arc::new(delivered.finish()));
    columns.push(Arc::new(extra.finish()));
    Ok(RecordBatch::try_new(schema(), columns)?)
}

/// Writes one file of a month's records (`name`.parquet), next to any
/// already there, in the order given (as another system would hand them
/// over; imports and the generator cluster theirs).
pub fn write_file(
    root: &Path,
    year: i32,
    month: u32,
    name: &str,
    records: &[Record],
) -> Result<PathBuf> {
    let dir = month_dir(root, year, month);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(format!("{name}.parquet"));
    let file = std::fs::File::create(&path).map_err(io(&path))?;
    let mut writer = ArrowWriter::try_new(file, schema(), Some(writer_properties()))?;
    writer.write(&to_batch(records)?)?;
    writer.close()?;
    Ok(path)
}
