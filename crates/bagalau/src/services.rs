//! `bagalau services`: the register of public services, delivery records
//! (generated or imported, kept as Parquet) and the indicators counted from
//! them by the analytical engine.

use crate::TableFormat;
use anyhow::{Context, Result, anyhow, bail};
use bagalau_analytics::IndicatorPack;
use bagalau_analytics::kept::KeptRecords;
use bagalau_analytics::records::{Scenario, generate};
use bagalau_app::AppError;
use bagalau_app::indicators::{IndicatorRow, IndicatorTable, IndicatorsRequest};
use bagalau_services::calendar::{Rules, WorkingDays};
use bagalau_services::deliveries::COUNTS;
use bagalau_services::register::{Change, Register};
use bagalau_store::{AnyStore, Store};
use chrono::NaiveDate;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::path::{Path, PathBuf};

fn is_xlsx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// The register from a CSV file or an XLSX workbook (first sheet, the same columns).
pub fn read_register(path: &Path) -> Result<Register> {
    let read = if is_xlsx(path) {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the register {}", path.display()))?;
        let bagalau_xlsx::ReadTable { header, rows } = bagalau_xlsx::read_table(&bytes)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Register::from_table(&header, rows)
    } else {
        let text = crate::files::read_text(path)?;
        Register::from_csv(&text)
    };
    read.map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {p}", path.display()))
            .collect();
        anyhow::anyhow!("the register was not read:\n{}", lines.join("\n"))
    })
}

/// Where a command takes the register of services from: the file given
/// with `--register`, else the register stored in the database.
#[derive(Debug, Clone, Copy)]
pub struct RegisterSource<'a> {
    pub file: Option<&'a Path>,
    /// The configured database URL.
    pub db: &'a str,
}

impl<'a> RegisterSource<'a> {
    pub fn new(file: Option<&'a Path>, db: &'a str) -> Self {
        RegisterSource { file, db }
    }

    pub async fn load(&self) -> Result<Register> {
        if let Some(file) = self.file {
            return read_register(file);
        }
        // Opening a SQLite file that is not there would create an empty
        // database as a side effect of a command that only reads.
        if is_missing_sqlite_file(self.db) {
            return Err(no_register(self.db));
        }
        let store = AnyStore::open(self.db)
            .await
            .with_context(|| format!("cannot open the database `{}`", self.db))?;
        let register = stored_register(&store).await;
        store.close().await;
        register
    }
}

fn no_register(location: &str) -> anyhow::Error {
    anyhow!(
        "no register: import one with `bagalau services register-import FILE` or pass --register \
         (the database {location} holds none)"
    )
}

pub(crate) async fn stored_register(store: &AnyStore) -> Result<Register> {
    store
        .service_register()
        .await?
        .ok_or_else(|| no_register(&store.location()))
}

fn is_missing_sqlite_file(db: &str) -> bool {
    bagalau_store::sqlite_path(db).is_some_and(|path| !Path::new(path).exists())
}

/// How many services (not versions) the register has.
fn service_count(register: &Register) -> usize {
    register
        .versions()
        .iter()
        .map(|s| s.id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len()
}

/// `bagalau services register-import FILE`: checks a register (CSV or XLSX)
/// whole and stores it, as its canonical CSV, in place of the stored one.
pub async fn register_import(app: &crate::app::App, file: &Path, now: &str) -> Result<()> {
    let register = read_register(file).map_err(|e| anyhow!("{e:#}\nnothing was imported"))?;
    let imported = bagalau_app::services::import_register(
        &app.store,
        bagalau_app::FrontEnd::CommandLine,
        &app.acting()?,
        &file.display().to_string(),
        register,
        now,
    )
    .await
    .map_err(|e| match e {
        bagalau_app::AppError::Invalid(problems) => {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            anyhow!("{}\nnothing was imported", lines.join("\n"))
        }
        e => e.into(),
    })?;
    outln!(
        "Imported the register of public services from {}: {} versions of {} services{}.",
        imported.file,
        imported.versions,
        imported.services,
        if imported.unchanged {
            " (the same as the register stored before)"
        } else {
            ""
        }
    );
    Ok(())
}

/// The delivery records kept at `location` (the `services.dir` setting: a
/// folder or an `s3://` bucket).
pub(crate) fn kept_records(location: &str) -> Result<KeptRecords> {
    KeptRecords::open(location).with_context(|| format!("the delivery records at {location}"))
}

/// The working days `year`'s deadlines are counted on: the year and, when
/// the calendar knows it, the next one (a deadline begun in December ends
/// in January). When it does not, says what is missing and what follows.
pub(crate) fn deadline_days(calendar: &Rules, year: i32) -> Result<WorkingDays> {
    let (days, next_unknown) = calendar.working_days_with_next(year)?;
    if let Some(why) = next_unknown {
        eprintln!(
            "warning: {}",
            bagalau_app::indicators::next_year_unknown(&why, year)
        );
    }
    Ok(days)
}

/// The working-day calendar deadlines are counted on: the built-in one
/// with the additions kept in the database (the built-in one alone before
/// there is a database), read from the command's open store if it has one.
pub async fn stored_calendar(opened: Option<&crate::app::App>, db: &str) -> Result<Rules> {
    if let Some(app) = opened {
        return Ok(bagalau_app::services::calendar(&app.store).await?);
    }
    if is_missing_sqlite_file(db) {
        return Ok(Rules::kazakhstan());
    }
    let store = AnyStore::open(db)
        .await
        .with_context(|| format!("cannot open the database `{db}`"))?;
    let rules = bagalau_app::services::calendar(&store).await;
    store.close().await;
    Ok(rules?)
}

/// `bagalau services calendar-import`: the additions to the working-day
/// calendar, kept in the database in place of the ones kept before.
pub async fn calendar_import(app: &crate::app::App, file: &Path, now: &str) -> Result<()> {
    let upload = crate::files::upload(file)?;
    let imported = bagalau_app::services::import_calendar_additions(
        &app.store,
        bagalau_app::FrontEnd::CommandLine,
        &app.acting()?,
        &upload,
        now,
    )
    .await
    .map_err(|e| crate::files::refused(e, "calendar additions"))?;
    if imported.unchanged {
        outln!(
            "{}: the same calendar additions are kept already",
            imported.file
        );
    } else {
        outln!(
            "{}: calendar additions kept in the database; deadlines are counted with them from now on",
            imported.file
        );
    }
    Ok(())
}

/// `bagalau services calendar`: the days of `year` that are not plain
/// working days or plain weekends, with why.
pub async fn calendar(db: &str, year: i32, format: TableFormat) -> Result<()> {
    let days = bagalau_app::services::days_of(&stored_calendar(None, db).await?, year)?;
    match format {
        TableFormat::Json => {
            outln!("{}", serde_json::to_string_pretty(&days)?);
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(std::io::stdout());
            w.write_record(["date", "weekday", "working", "why"])?;
            for d in &days {
                w.write_record([
                    d.date.to_string(),
                    d.date.format("%a").to_string(),
                    d.working.to_string(),
                    d.why.clone(),
                ])?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let mut table = Table::new();
            table.load_preset(UTF8_BORDERS_ONLY);
            table.set_header(["date", "", "", "why"]);
            for d in &days {
                let what = if d.working { "working" } else { "day off" };
                table.add_row([
                    d.date.to_string(),
                    d.date.format("%a").to_string(),
                    what.to_string(),
                    d.why.clone(),
                ]);
            }
            outln!("{table}");
        }
    }
    Ok(())
}

/// Writes `rows` generated records of `year` (replacing that year's months).
pub async fn generate_records(
    dir: &str,
    calendar: &Rules,
    register: RegisterSource<'_>,
    year: i32,
    rows: u64,
    seed: u64,
) -> Result<()> {
    let register = register.load().await?;
    let days = deadline_days(calendar, year)?;
    let scenario = Scenario::new(year, rows, seed);
    let bar = indicatif::ProgressBar::new(rows);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} records ({per_sec}, {eta})")
            .expect("a valid template"),
    );
    let records = kept_records(dir)?;
    let written = records
        .write_with(|root| generate(root, &register, &days, &scenario, |n| bar.set_position(n)))
        .await?;
    bar.finish_and_clear();
    let total: u64 = written.iter().map(|(_, n)| n).sum();
    outln!(
        "Generated {total} delivery records of {year} (seed {seed}, demonstration data) in {}",
        records.location()
    );
    Ok(())
}

/// The demo's delivery records of `year`: files named so that anyone can
/// tell them for demonstration data.
pub use bagalau_analytics::records::DEMO_RECORDS_FILE;

/// Generates the demo's `rows` records of `year` under `dir`, unless that
/// year already holds records the demo did not write (those are never
/// replaced). Returns how many were written.
pub async fn demo_records(
    dir: &str,
    calendar: &Rules,
    register: &Register,
    year: i32,
    rows: u64,
    seed: u64,
) -> Result<Option<u64>> {
    let records = kept_records(dir)?;
    let demo = format!("/{DEMO_RECORDS_FILE}.parquet");
    if records
        .files_of_year(year)
        .await?
        .iter()
        .any(|key| !key.ends_with(&demo))
    {
        return Ok(None);
    }
    let days = deadline_days(calendar, year)?;
    let mut scenario = Scenario::new(year, rows, seed);
    scenario.file_name = DEMO_RECORDS_FILE.into();
    let written = records
        .write_with(|root| generate(root, register, &days, &scenario, |_| {}))
        .await?;
    Ok(Some(written.iter().map(|(_, n)| n).sum()))
}

/// `bagalau services indicators`: a year's indicators by one breakdown,
/// counted by the application's use case on the records under `dir`.
pub async fn indicators(
    app: &crate::app::App,
    dir: &str,
    register: Option<&Path>,
    request: &IndicatorsRequest,
    format: TableFormat,
    explain: bool,
) -> Result<()> {
    let register = register.map(read_register).transpose()?;
    let records = kept_records(dir)?;
    if explain {
        bagalau_app::permission::authorize(
            &app.acting()?,
            bagalau_app::permission::Action::ReadServiceFigures,
        )?;
        let problems = request.problems();
        if let Some(p) = problems.first() {
            bail!("{p}");
        }
        let year = request.year;
        if !records.has_year(year).await? {
            bail!(
                "no delivery records of {year} in {}: generate or import them first",
                records.location()
            );
        }
        let register = match register {
            Some(r) => r,
            None => stored_register(&app.store).await?,
        };
        let calendar = stored_calendar(Some(app), "").await?;
        let days = deadline_days(&calendar, year)?;
        let ctx = records.session(&register, &days, year, None).await?;
        bagalau_analytics::kept::restrict(&ctx, &request.filter).await?;
        let months: Vec<u32> = (request.first_month..=request.last_month).collect();
        eprint!(
            "{}",
            bagalau_analytics::engine::explain(&ctx, &IndicatorPack::services_v1(), year, &months)
                .await?
        );
        return Ok(());
    }
    let table = bagalau_app::indicators::indicators(
        &app.store,
        &records,
        &app.acting()?,
        request,
        register,
    )
    .await
    .map_err(|e| match e {
        AppError::Invalid(problems) => anyhow!(
            "{}",
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => other.into(),
    })?;
    for note in &table.notes {
        eprintln!("warning: {note}");
    }
    let months = table.months_with_records.len();
    let now = table.months_counted_now.len().min(months);
    eprintln!(
        "{}: {months} months of records; {now} counted now, {} from the cache",
        table.year,
        months - now
    );
    print(&table, format)
}

/// `bagalau services report-data`: the computed values of the year's
/// methodology as reporting-data CSV on standard output, by the
/// application's use case on the records under `dir`.
pub async fn report_data(
    app: &crate::app::App,
    dir: &str,
    register: Option<&Path>,
    year: i32,
    questionnaire: Option<&str>,
    judging: &crate::citizens::Judging,
) -> Result<()> {
    let register = register.map(read_register).transpose()?;
    let data = bagalau_app::report_data::report_data(
        &app.store,
        &kept_records(dir)?,
        &app.acting()?,
        year,
        questionnaire,
        &judging.judged(),
        register,
    )
    .await?;
    for note in &data.notes {
        eprintln!("{note}");
    }
    for l in &data.left_out {
        eprintln!("left out: {} ({}): {} values", l.body, l.why, l.values);
    }
    {
        use std::io::Write as _;
        std::io::stdout().write_all(data.csv.as_bytes())?;
    }
    eprintln!(
        "{} values of {} indicators; check and load them with `bagalau import data FILE.csv`",
        data.values.len(),
        data.values
            .iter()
            .map(|v| v.indicator.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    Ok(())
}

/// The shares printed, as percentages, beside the counts.
const SHARES: [&str; 3] = [
    "deadline_compliance",
    "electronic_share",
    "extra_documents_share",
];

fn print(table: &IndicatorTable, format: TableFormat) -> Result<()> {
    let by = table.by.as_str();
    let value = |r: &IndicatorRow| r.value.clone().unwrap_or_else(|| "(none)".into());
    let count = |r: &IndicatorRow, name: &str| r.counts.get(name).copied().unwrap_or(0);
    let share = |r: &IndicatorRow, id: &str| r.indicators.get(id).copied().flatten();
    match format {
        TableFormat::Json => {
            let items: Vec<serde_json::Value> = table
                .rows
                .iter()
                .map(|r| {
                    let mut o = serde_json::json!({ by: value(r) });
                    for name in COUNTS {
                        o[name] = count(r, name).into();
                    }
                    for s in SHARES {
                        o[s] = share(r, s).into();
                    }
                    o
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&items)?);
        }
        TableFormat::Csv => {
            let mut w = bagalau_csv::Writer::from_writer(std::io::stdout());
            let mut header = vec![by.to_string()];
            header.extend(COUNTS.iter().map(|c| c.to_string()));
            header.extend(SHARES.iter().map(|s| format!("{s}_percent")));
            w.write_record(&header)?;
            for r in &table.rows {
                let mut record = vec![value(r)];
                record.extend(COUNTS.iter().map(|n| count(r, n).to_string()));
                record.extend(
                    SHARES
                        .iter()
                        .map(|s| share(r, s).map_or(String::new(), |x| format!("{x:.2}"))),
                );
                w.write_record(&record)?;
            }
            w.flush()?;
        }
        TableFormat::Table => {
            let mut t = Table::new();
            t.load_preset(UTF8_BORDERS_ONLY);
            t.set_header(vec![
                by,
                "Records",
                "On time %",
                "Violations",
                "Electronic %",
                "Extra documents %",
                "Not in register",
                "No delivery date",
            ]);
            let pct = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.2}"));
            for r in &table.rows {
                t.add_row(vec![
                    value(r),
                    count(r, "records").to_string(),
                    pct(share(r, "deadline_compliance")),
                    count(r, "violations").to_string(),
                    pct(share(r, "electronic_share")),
                    pct(share(r, "extra_documents_share")),
                    count(r, "hidden").to_string(),
                    count(r, "no_delivery_date").to_string(),
                ]);
            }
            outln!("{t}");
        }
    }
    Ok(())
}

/// What changed in the register between two dates.
pub async fn register_diff(
    register: RegisterSource<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<()> {
    let register = register.load().await?;
    let changes = register.diff(from, to);
    if changes.is_empty() {
        outln!("No change in the register between {from} and {to}.");
    }
    for c in changes {
        match c {
            Change::Added(id) => outln!("+ {id}"),
            Change::Removed(id) => outln!("- {id}"),
            Change::Changed(id, fields) => {
                outln!("~ {id}");
                for (field, before, after) in fields {
                    outln!("    {field}: {before} -> {after}");
                }
            }
        }
    }
    Ok(())
}

/// The pack's SQL for a year and its side tables, for another engine.
pub async fn export_sql(
    calendar: &Rules,
    register: RegisterSource<'_>,
    year: i32,
    out: &Path,
) -> Result<()> {
    let register = register.load().await?;
    let days = deadline_days(calendar, year)?;
    bagalau_analytics::engine::write_tables(out, &register, &days, year)?;
    let months: Vec<u32> = (1..=12).collect();
    let sql = IndicatorPack::services_v1().query(year, &months);
    let path = out.join("breakdown.sql");
    std::fs::write(&path, sql).with_context(|| format!("cannot write {}", path.display()))?;
    outln!("Wrote {} with standards.parquet beside it", path.display());
    Ok(())
}

/// Imports records files (CSV or Parquet), one after the other, each as
/// a job of the application core (audited at its start and end, as the
/// API's); each is all or nothing unless `keep_good_rows`.
pub async fn import(
    app: &crate::app::App,
    files: &[PathBuf],
    keep_good_rows: bool,
    now: &str,
) -> Result<()> {
    use bagalau_app::records::{ReceivedRecords, finish_import, import_file, start_import};
    if files.is_empty() {
        bail!("name the CSV files to import");
    }
    let actor = app.acting()?;
    let records: std::sync::Arc<dyn bagalau_services::deliveries::DeliveryRecords> =
        std::sync::Arc::new(kept_records(&app.config.services.dir)?);
    let mut failed = false;
    for (i, path) in files.iter().enumerate() {
        let (sha256, size) = hash_file(path)?;
        // The stem names the files the records are kept in: one the
        // application takes, whatever the file was called.
        let file_name: String = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let received = ReceivedRecords {
            file_name: file_name.trim_start_matches('.').to_string(),
            sha256,
            size,
        };
        // Unique: the command's time, the file's place among those named
        // and its hash.
        let id = format!(
            "cli-{}-{i}-{}",
            now.replace([':', '+', '.'], ""),
            &received.sha256[..12]
        );
        let job = start_import(
            &app.store,
            bagalau_app::FrontEnd::CommandLine,
            &actor,
            &received,
            &id,
            now,
        )
        .await?;
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec})")
                .expect("a valid template"),
        );
        let quarantine = path.with_extension("quarantine.csv");
        let ran = import_file(
            &app.store,
            records.clone(),
            &actor,
            &job,
            path.clone(),
            keep_good_rows,
            quarantine.clone(),
            || chrono::Utc::now().to_rfc3339(),
            |n| bar.set_position(n),
        )
        .await;
        bar.finish_and_clear();
        finish_import(
            &app.store,
            bagalau_app::FrontEnd::CommandLine,
            &actor,
            &job,
            &ran,
            now,
        )
        .await?;
        let outcome = ran.with_context(|| format!("{}", path.display()))?;
        let added: u64 = outcome.added.iter().map(|m| m.records).sum();
        for bad in outcome.bad.iter().take(20) {
            if bad.column.is_empty() {
                eprintln!("{}: line {}: {}", path.display(), bad.line, bad.message);
            } else {
                eprintln!(
                    "{}: line {}, column `{}`: {}",
                    path.display(),
                    bad.line,
                    bad.column,
                    bad.message
                );
            }
        }
        if outcome.bad_rows > 20 {
            eprintln!("{}: … {} bad rows in all", path.display(), outcome.bad_rows);
        }
        if outcome.imported {
            outln!(
                "{}: {added} records imported{}",
                path.display(),
                if outcome.bad_rows > 0 {
                    format!(
                        "; {} bad rows kept in {}",
                        outcome.bad_rows,
                        quarantine.display()
                    )
                } else {
                    String::new()
                }
            );
        } else {
            failed = true;
            outln!(
                "{}: nothing imported: {} bad rows (kept with their lines in {}; fix them, or import the rest with --quarantine-mode)",
                path.display(),
                outcome.bad_rows,
                quarantine.display()
            );
        }
    }
    if failed {
        bail!("some files were not imported");
    }
    Ok(())
}

/// A file's SHA-256 and size, read once.
fn hash_file(path: &Path) -> Result<(String, u64)> {
    use sha2::Digest as _;
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hash = sha2::Sha256::new();
    let size = std::io::copy(&mut file, &mut hash)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok((hex::encode(hash.finalize()), size))
}

/// Reads a register (CSV or XLSX), checks it, and writes it in the other
/// form (by the extension of `to`).
pub fn register_convert(from: &Path, to: &Path) -> Result<()> {
    let register = read_register(from)?;
    let bytes = if is_xlsx(to) {
        let columns: Vec<String> = bagalau_services::register::COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect();
        let rows = register.rows();
        let cells: Vec<Vec<bagalau_xlsx::TableCell<'_>>> = rows
            .iter()
            .map(|r| r.iter().map(|c| bagalau_xlsx::TableCell::Text(c)).collect())
            .collect();
        bagalau_xlsx::table("register", &columns, &cells)?
    } else {
        register.to_export_csv().into_bytes()
    };
    std::fs::write(to, bytes).with_context(|| format!("cannot write {}", to.display()))?;
    outln!(
        "{}: {} versions of {} services",
        to.display(),
        register.versions().len(),
        service_count(&register)
    );
    Ok(())
}

/// Which records, of which months, the indicators count.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct RecordFilterArgs {
    /// The first month counted (1 to 12).
    #[arg(long, default_value_t = 1)]
    pub first_month: u32,
    /// The last month counted (1 to 12).
    #[arg(long, default_value_t = 12)]
    pub last_month: u32,
    /// Only this service's records.
    #[arg(long)]
    pub service: Option<String>,
    /// Only records whose service was in this sector on the day they were requested.
    #[arg(long)]
    pub sector: Option<String>,
    /// Only this provider's records.
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub office: Option<String>,
    /// psc, portal, body and the like.
    #[arg(long)]
    pub channel: Option<String>,
    /// individual or legal.
    #[arg(long)]
    pub recipient: Option<String>,
}

impl RecordFilterArgs {
    pub fn request(&self, year: i32, by: &str) -> IndicatorsRequest {
        IndicatorsRequest {
            year,
            by: by.to_string(),
            first_month: self.first_month,
            last_month: self.last_month,
            filter: bagalau_services::deliveries::Filter {
                service: self.service.clone(),
                sector: self.sector.clone(),
                provider: self.provider.clone(),
                region: self.region.clone(),
                office: self.office.clone(),
                channel: self.channel.clone(),
                recipient: self.recipient.clone(),
            },
        }
    }
}
