//! `bagalau`: the command-line entry point.

/// `println!` that returns an error instead of panicking when standard
/// output is closed (`bagalau … | head`); `main` ends quietly on that error.
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        writeln!(std::io::stdout())?
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?
    }};
}

mod accounts;
mod app;
mod audit;
mod citizens;
mod config;
mod cycles;
mod demo_cycle;
mod evidence;
mod files;
mod index;
mod monitoring;
mod objections;
mod perf;
mod ratings;
mod render;
mod services;
mod signin;
mod surveys;
mod xlsx;

use anyhow::{Context, Result};
use bagalau_app::permission::{Action, authorize, may_see_results_of, sight};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

// DataFusion allocates and frees many large buffers while it counts
// records; mimalloc keeps them for reuse where the system allocator hands
// them back to the kernel (docs/benchmarks.md has the difference).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "bagalau",
    version,
    about = "Assessment of the effectiveness of state bodies: methodology, data, scores, rankings, explanations."
)]
struct Cli {
    /// Database URL: a file path or sqlite://PATH [env: BAGALAU_DB] [default: bagalau.db]
    #[arg(long, global = true, value_name = "URL")]
    db: Option<String>,
    /// Bagalau's configuration file [default: ./bagalau.toml when present]
    #[arg(long, global = true, value_name = "PATH")]
    config_file: Option<PathBuf>,
    /// Why you make this change: recorded with every write in the audit trail
    #[arg(long, global = true, value_name = "TEXT")]
    reason: Option<String>,
    /// Language of names: kk, ru or en [env: BAGALAU_LANG] [default: en]
    #[arg(long, global = true, value_name = "LANG")]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the database and fill it with the registry of Kazakhstan's
    /// bodies, the methodologies 2019-2023 and generated demonstration data;
    /// compute every year's results.
    Demo {
        /// Seed of the demonstration data [env: BAGALAU_DEMO__SEED] [default: 2010]
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Print the ranking tables of a year (CGBs and LEBs ranked separately).
    Assess {
        #[arg(long)]
        year: i32,
        /// Only this kind of body.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Show how one body's scores were computed, down to every indicator value.
    Explain {
        #[arg(long)]
        year: i32,
        /// Registry id of the body (see `bagalau registry list`).
        #[arg(long)]
        body: String,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
        /// Which assessment to explain.
        #[arg(long, value_enum, default_value_t = IndexArg::Operational)]
        index: IndexArg,
    },
    /// Check and compare methodology packs.
    Methodology {
        #[command(subcommand)]
        command: MethodologyCommand,
    },
    /// Load a methodology pack, a registry or reporting data into the database.
    /// Every file is checked first; if anything is wrong, nothing is written.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Look at the registry of bodies and their lineage.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// The performance assessment: Government Performance Index, risk areas, National Progress Index.
    Performance {
        #[command(subcommand)]
        command: PerformanceCommand,
    },
    /// Composite indices in COINr's table conventions (see docs/composite-index.md).
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
    /// Freeze a year's results as a new publication version (immutable, content-hashed).
    /// A correction of a published year needs --reason.
    Publish {
        #[arg(long)]
        year: i32,
    },
    /// The published versions of a year (or all years), or one version's content.
    Published {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, requires = "year")]
        version: Option<i32>,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
    /// The yearly cycle: open it with its calendar, grant extensions, see where every body stands.
    Cycle {
        #[command(subcommand)]
        command: CycleCommand,
    },
    /// Correct an approved year: a coordinator asks with a reason, a
    /// commission member decides; accepted, the year's data may change
    /// until the commission approves it again (`cycle approve`).
    Correction {
        #[command(subcommand)]
        command: CorrectionCommand,
    },
    /// Risk-based verification: select bodies (risk scores with reasons, plus a seeded draw), list findings.
    Verification {
        #[command(subcommand)]
        command: VerificationCommand,
    },
    /// Write a body's Excel submission template for a year (a sheet per direction, values checked by unit).
    Template {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: String,
        /// Where to write it (default: BODY-YEAR.xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Recommendations to bodies: list them (overdue ones flagged), and the share executed on time as reporting data.
    Recommendation {
        #[command(subcommand)]
        command: RecommendationCommand,
    },
    /// Evidence files: upload one to cite its SHA-256, download one the account may see.
    Evidence {
        #[command(subcommand)]
        command: evidence::EvidenceCommand,
    },
    /// Objections to preliminary conclusions: filed by a body's reporter,
    /// decided by the direction's assessor, escalated to the commission.
    Objection {
        #[command(subcommand)]
        command: objections::ObjectionCommand,
    },
    /// Public monitoring of public services by accredited organisations: organisations, projects, findings, reports.
    Monitoring {
        #[command(subcommand)]
        command: monitoring::MonitoringCommand,
    },
    /// Serve the JSON API (/api/v1, OpenAPI at /api/v1/openapi.json).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Behind a reverse proxy: the header in which it gives the
        /// client's address (its last address counts), e.g.
        /// `X-Forwarded-For`; failed logins are slowed per client address.
        /// Set it only when every request comes through the proxy.
        #[arg(long, env = "BAGALAU_CLIENT_ADDRESS_HEADER")]
        client_address_header: Option<String>,
        /// The site's public address (`https://data.example.kz`), used in
        /// the open-data catalogue's links; without it, the address served on.
        #[arg(long, env = "BAGALAU_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Create a new database and its first administrator, and sign in as
    /// it: the one write without an account (audited as the bootstrap).
    Init {
        /// The administrator's account name.
        #[arg(long)]
        administrator: String,
        /// Further roles of the administrator (coordinator, methodologist, analyst, …; repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Read the password from standard input; without it a password is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Sign in to the database as an account; the command line then acts as
    /// it (its token is kept in ~/.config/bagalau/logins.toml, or give one in BAGALAU_TOKEN).
    Login {
        name: String,
        /// Read the password from standard input instead of asking for it.
        #[arg(long)]
        password_stdin: bool,
        /// Days the sign-in lasts.
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Sign out of the database: the kept token is revoked and forgotten.
    Logout,
    /// The account the command line acts as, and its roles.
    Whoami,
    /// Accounts for the API: people, their scoped roles, API tokens.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The audit trail: every write, hash-chained.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Public services: the register, delivery records (Parquet) and their indicators.
    Services {
        #[command(subcommand)]
        command: ServicesCommand,
    },
    /// Complaints and applications to bodies: their records, and the
    /// indicators of the interaction block counted from them.
    Complaints {
        #[command(subcommand)]
        command: ComplaintsCommand,
    },
    /// Openness on the Open Government portals (Open Data, Open Budgets,
    /// Open NPA, Open Dialogue): records or a body's figures, and their indicators.
    Openness {
        #[command(subcommand)]
        command: OpennessCommand,
    },
    /// Configuration.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Subcommand)]
enum ComplaintsCommand {
    /// Import complaint and application records (CSV; columns in
    /// docs/citizens.md). Every body must be in the registry. All files or
    /// nothing; records imported before are recognised, a changed one refused.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A year's counts (received, overdue, court cases and how they ended,
    /// repeated substantiated) by one breakdown.
    Indicators {
        #[arg(long)]
        year: i32,
        /// body, region, month, kind or channel.
        #[arg(long, default_value = "body")]
        by: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        judging: citizens::Judging,
    },
}

#[derive(Subcommand)]
enum OpennessCommand {
    /// Import openness records or figures (one CSV per kind; the first
    /// column says which: dataset, document, comment, draft, request, or
    /// body,year for figures). All files or nothing.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// A year's openness values per body.
    Indicators {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        #[command(flatten)]
        judging: citizens::Judging,
    },
}

#[derive(Subcommand)]
enum ServicesCommand {
    /// The working-day calendar deadlines are counted on: a year's days off
    /// (holidays, days carried over from a weekend, transfers) and the
    /// weekends made working days, from the built-in calendar and the
    /// additions kept in the database.
    Calendar {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Keep a file of additions to the working-day calendar (movable
    /// holidays, transfers of days off announced after this release) in
    /// the database, in place of the ones kept before (docs/services.md).
    CalendarImport { file: PathBuf },
    /// Write seeded, realistic delivery records of a year (demonstration data),
    /// replacing that year's records.
    Generate {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        rows: u64,
        #[arg(long, default_value_t = 2010)]
        seed: u64,
        /// The register of services (CSV or XLSX) [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
    },
    /// Import delivery records from CSV or Parquet files (columns: service, provider,
    /// region, office, channel, recipient, requested_at, delivered_at,
    /// extra_documents). A bad row stops the file's import; every bad row is
    /// written with its line and reason to FILE.quarantine.csv.
    Import {
        files: Vec<PathBuf>,
        /// Import the good rows and leave the bad ones in the quarantine file.
        #[arg(long)]
        quarantine_mode: bool,
    },
    /// A year's service indicators (deadline compliance, violations, electronic
    /// share, documents beyond the standard, records of services outside the
    /// register) by one breakdown.
    Indicators {
        #[arg(long)]
        year: i32,
        /// The register of services (CSV or XLSX) [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
        /// service, sector, provider, region, office, channel, recipient or month.
        #[arg(long, default_value = "sector")]
        by: String,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// Count the months once, without the cache, and print the
        /// engine's plan with each operator's rows and time instead.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        records: services::RecordFilterArgs,
    },
    /// Write the indicator SQL of a year and the tables it reads besides the
    /// records (standards.parquet), to run it on another engine.
    Sql {
        #[arg(long)]
        year: i32,
        /// The register of services (CSV or XLSX) [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Check a register and write it as CSV or XLSX (by the extension of --to).
    /// Every command that takes --register reads either.
    RegisterConvert {
        #[arg(long)]
        from: PathBuf,
        #[arg(long)]
        to: PathBuf,
    },
    /// Import satisfaction-survey responses from CSV exports of KoBoToolbox
    /// or ODK Central, read by the questionnaire's versions (TOML), into the
    /// database, the questionnaire with them. All files or nothing;
    /// responses imported before are recognised and skipped.
    SurveyImport {
        /// The questionnaire (TOML), kept in the database by its id.
        #[arg(long, value_name = "FILE")]
        questionnaire: PathBuf,
        /// The register of services: every response's service must be in it
        /// [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Satisfaction with one measure of a questionnaire: the weighted share
    /// satisfied and the mean score with 95% intervals, by one breakdown;
    /// groups with fewer respondents than the questionnaire's threshold are
    /// suppressed.
    Satisfaction {
        /// The id of a questionnaire kept by `survey-import`.
        #[arg(long, value_name = "ID")]
        questionnaire: String,
        /// The register (for --by sector) [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
        /// The measure (default: the questionnaire's first).
        #[arg(long)]
        measure: Option<String>,
        /// all, sector, service, region, channel, category, version or month.
        #[arg(long, default_value = "all")]
        by: String,
        /// Raise the suppression threshold (never below the questionnaire's).
        #[arg(long)]
        min_respondents: Option<usize>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// What changed in the register between two dates.
    RegisterDiff {
        /// The register of services (CSV or XLSX) [default: the one stored in the database]
        #[arg(long)]
        register: Option<PathBuf>,
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
    },
    /// Check a register of services (CSV or XLSX) whole and store it in the
    /// database, replacing the stored one; commands run without --register
    /// use it. If anything is wrong, nothing is stored.
    RegisterImport {
        /// The register (CSV, or XLSX with the same columns on its first sheet).
        file: PathBuf,
    },
    /// Ratings of service quality: each provider, sector, region, office and
    /// recipient category of the year scored 0-100 by the services pack's
    /// method (deadline compliance, satisfaction, documents beyond the
    /// standard, electronic share) and ranked; groups with too few records
    /// are listed, not ranked.
    Ratings {
        #[arg(long)]
        year: i32,
        /// The register of services (default: the stored one).
        #[arg(long)]
        register: Option<PathBuf>,
        /// The id of the satisfaction questionnaire whose responses give the survey component.
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
        /// all, provider, sector, region, office or recipient.
        #[arg(long, default_value = "all")]
        by: String,
        /// Show the last published version instead of computing them now.
        #[arg(long)]
        published: bool,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Publish the year's ratings of service quality, as computed now, for
    /// the portal and its open data: a new immutable version, unless they
    /// equal the last one; a correction needs --reason.
    PublishRatings {
        #[arg(long)]
        year: i32,
        /// The register of services (default: the stored one).
        #[arg(long)]
        register: Option<PathBuf>,
        /// The id of the satisfaction questionnaire whose responses give the survey component.
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
    },
    /// The year's values of the methodology's indicators that name a computed
    /// count (`computed = "services:breaches"`, `register:services`,
    /// `survey:overall`), per body, as reporting-data CSV for `bagalau import
    /// data` (year, body_id, indicator_id, value, note).
    ReportData {
        #[arg(long)]
        year: i32,
        /// The register of services (default: the stored one).
        #[arg(long)]
        register: Option<PathBuf>,
        /// The id of the satisfaction questionnaire whose responses give `survey:` values.
        #[arg(long, value_name = "ID")]
        questionnaire: Option<String>,
        /// How complaint and openness records give `complaints:` and `openness:` values.
        #[command(flatten)]
        judging: citizens::Judging,
    },
}

#[derive(Subcommand)]
enum MethodologyCommand {
    /// Validate pack files; every problem is reported with file, line and column.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// List what changed between two methodologies: two years in the database, or two files.
    Diff {
        a: String,
        b: String,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
    /// Adopt the stored pack of a year (a methodologist): an imported pack
    /// is a draft, not public, and no cycle opens on it, until adopted.
    Adopt {
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Returned Excel submission templates (`bagalau template`); all files, or nothing.
    Xlsx {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// One or more methodology packs (TOML), one per year; replaces the stored pack of that year.
    Pack {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// The registry of bodies (TOML); replaces the stored registry.
    Registry { path: PathBuf },
    /// Reporting data (CSV with columns year, body_id, indicator_id, value[, note]).
    Data {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Performance-assessment packs (TOML), one per year.
    Performance {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Statistical and survey series: CSV `entity,indicator,year,value[,source]`, or SDMX-CSV with --sdmx.
    Series {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The files are SDMX-CSV (REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE).
        #[arg(long)]
        sdmx: bool,
    },
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// The bodies evaluated in a year (or all bodies).
    List {
        #[arg(long)]
        year: Option<i32>,
    },
    /// A body's names, reorganisations, predecessors and successors.
    History { body: String },
}

#[derive(Subcommand)]
enum PerformanceCommand {
    /// The Government Performance Index ranking (CGBs and LEBs ranked separately) with risk areas.
    Assess {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// The National Progress Index: the country against the OECD average and against the base year.
    Npi {
        #[arg(long)]
        year: i32,
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum IndexArg {
    /// The operational assessment (points).
    Operational,
    /// The Government Performance Index.
    Gpi,
}

#[derive(Subcommand)]
enum IndexCommand {
    /// Build an index: every intermediate data set, the results and the statistics go to --out.
    Build {
        /// Data table: one row per unit (uCode, uName, group columns, Time, denominators, indicators).
        #[arg(long)]
        data: PathBuf,
        /// Metadata table: iCode, iName, Level, Parent, Weight, Direction, Denominator, Target, Type.
        #[arg(long)]
        meta: PathBuf,
        /// Pipeline file (TOML); without it: min-max to 0-100 and the weighted arithmetic mean.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Folder for the outputs (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// Monte Carlo uncertainty of the ranks and variance-based sensitivity (Saltelli design, Jansen estimators).
    Uncertainty {
        #[arg(long)]
        data: PathBuf,
        #[arg(long)]
        meta: PathBuf,
        /// The nominal pipeline (as for `index build`).
        #[arg(long)]
        config: Option<PathBuf>,
        /// The uncertainty plan (TOML): replications, seed, weight noise per level, alternatives, sensitivity.
        #[arg(long)]
        plan: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum CycleCommand {
    /// Open a year's cycle; the calendar file gives a deadline per stage.
    Open {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        calendar: PathBuf,
    },
    /// Extend a body's submission deadline (needs --reason).
    Extend {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: String,
        /// A date (end of day) or a date-time, UTC.
        #[arg(long)]
        until: String,
    },
    /// The calendar, the current stage and every body's submission.
    Status {
        #[arg(long)]
        year: i32,
    },
    /// The commission's approval of the year, which publishes it (a
    /// commission member; also the approval of an accepted correction).
    Approve {
        #[arg(long)]
        year: i32,
    },
    /// What is due and overdue for an account (or for every account).
    Due {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        user: Option<String>,
    },
    /// Record an expert opinion on the year's results, or on one body's (a
    /// commission member, while the commission sits).
    Opinion {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: Option<String>,
        text: String,
    },
    /// The commission's expert opinions on a year (the commission,
    /// coordinators, methodologists).
    Opinions {
        #[arg(long)]
        year: i32,
    },
    /// Return a body's filled submission template (`bagalau template`) in
    /// the submission stage, as its reporter: saved as a draft, or
    /// submitted with --submit; every value checked, all or nothing.
    Submit {
        /// The workbook: it names its year and body.
        file: PathBuf,
        /// Submit (else save as a draft).
        #[arg(long)]
        submit: bool,
    },
    /// Write a conclusion on a direction for a body (an assessor of the
    /// direction, in the preliminary or final stage).
    Conclude {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        direction: String,
        #[arg(long)]
        body: String,
        /// A final conclusion (else preliminary).
        #[arg(long = "final")]
        is_final: bool,
        text: String,
    },
    /// Record a verifier's finding: the corrected value of one indicator of
    /// a body selected for verification, with its reason.
    Finding {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: String,
        #[arg(long)]
        indicator: String,
        /// The corrected value (leave out with --no-data).
        #[arg(long, conflicts_with = "no_data", required_unless_present = "no_data")]
        value: Option<f64>,
        /// The indicator has no data.
        #[arg(long)]
        no_data: bool,
        #[arg(long)]
        reason: String,
    },
    /// The assessors' conclusions on a year that the account may see.
    Conclusions {
        #[arg(long)]
        year: i32,
        /// Only final (true) or only preliminary (false) ones.
        #[arg(long = "final")]
        is_final: Option<bool>,
        #[arg(long)]
        body: Option<String>,
    },
}

#[derive(Subcommand)]
enum CorrectionCommand {
    /// Ask to correct an approved year (a coordinator; needs --reason).
    Request {
        #[arg(long)]
        year: i32,
    },
    /// Accept or reject a requested correction (a commission member; needs --reason).
    Decide {
        #[arg(long)]
        year: i32,
        #[arg(long)]
        id: i64,
        /// Accept it (without: reject it).
        #[arg(long)]
        accept: bool,
    },
    /// A year's corrections and their states.
    List {
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand)]
enum RecommendationCommand {
    /// Issue a recommendation to a body, as the coordinator.
    Issue {
        /// The assessment year it follows from.
        #[arg(long)]
        year: i32,
        #[arg(long)]
        body: String,
        /// Executed by the end of this day counts as on time.
        #[arg(long)]
        due: chrono::NaiveDate,
        #[arg(long)]
        text: String,
    },
    /// Report a recommendation executed (a reporter of its body).
    Report {
        #[arg(long)]
        id: i64,
        #[arg(long)]
        text: String,
        /// SHA-256 of a supporting file the account uploaded (repeatable).
        #[arg(long)]
        evidence: Vec<String>,
    },
    /// Accept a reported execution, or return it with --reason (its issuer
    /// or a coordinator).
    Review {
        #[arg(long)]
        id: i64,
        /// Accept it (without: return it).
        #[arg(long)]
        accept: bool,
        /// Why it is returned.
        #[arg(long, required_unless_present = "accept")]
        reason: Option<String>,
    },
    /// The recommendations the account may see, with their states; overdue ones flagged.
    List {
        #[arg(long)]
        year: Option<i32>,
        /// Only those not executed after their due date.
        #[arg(long)]
        overdue: bool,
    },
    /// The percentage of each body's recommendations executed on time, as a
    /// reporting-data CSV for a later year's indicator (import it with `import data`).
    Rate {
        /// The assessment year the recommendations follow from.
        #[arg(long)]
        year: i32,
        /// The indicator of the later year's methodology that receives the values.
        #[arg(long)]
        indicator: String,
        /// The year the values are reported for (default: the next one).
        #[arg(long)]
        into_year: Option<i32>,
        /// Count recommendations due by this date (default: the end of the year the values are for).
        #[arg(long)]
        cutoff: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum VerificationCommand {
    /// Score every body for risk and select the riskiest plus a seeded draw.
    Select {
        #[arg(long)]
        year: i32,
        /// How many of the riskiest bodies.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// How many more by the seeded draw.
        #[arg(long, default_value_t = 3)]
        draw: usize,
        #[arg(long)]
        seed: u64,
    },
    /// The selection with its reasons, and the findings.
    List {
        #[arg(long)]
        year: i32,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account, or replace its roles and password.
    Add {
        name: String,
        /// coordinator, methodologist, verifier, commission, monitor, reporter:BODY, assessor:DIRECTION@AUTHORITY (repeatable)
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from standard input; without it a password is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// The accounts and their roles.
    List,
    /// Disable an account: it signs in nowhere and its tokens are revoked.
    Disable { name: String },
    /// Enable a disabled account again (its old tokens stay revoked).
    Enable { name: String },
    /// Revoke every token and session of an account.
    Revoke { name: String },
    /// Create an API token for an account; it is printed once and stored only as a hash.
    Token {
        name: String,
        #[arg(long)]
        label: String,
        /// Days until it expires (default: 90).
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the chain, every stored record against it, and the trail
    /// against its signed checkpoints (those stored and those given);
    /// exits 1 on any problem.
    Verify {
        /// A checkpoint kept elsewhere (from the portal, a publication, an
        /// earlier `audit checkpoint`): today's trail must extend it.
        #[arg(long = "checkpoint", value_name = "FILE")]
        checkpoints: Vec<PathBuf>,
        /// A public key of the log (`<origin>+<key id>+<key>`), for whoever
        /// checks without the configured key.
        #[arg(long = "public-key", value_name = "KEY")]
        public_keys: Vec<String>,
    },
    /// Make a new key to sign the trail's checkpoints; prints its public key.
    Keygen {
        /// The log's name: the host and path where it is published, such
        /// as bagalau.example.kz/audit.
        #[arg(long)]
        origin: String,
        /// The private key's file, created readable by its owner alone.
        #[arg(long, default_value = config::DEFAULT_AUDIT_KEY)]
        out: PathBuf,
    },
    /// Sign a checkpoint of the whole trail now and print it (or write it
    /// to --out): keep it, and `audit verify --checkpoint` shows later that
    /// the trail was only appended to.
    Checkpoint {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The inclusion proof of an entry in the trail a checkpoint signed.
    Prove {
        /// The entry's sequence number.
        #[arg(long)]
        entry: u64,
        /// The checkpoint (default: the latest stored).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        #[arg(long = "public-key", value_name = "KEY")]
        public_keys: Vec<String>,
    },
    /// The latest entries (who, when, what, old and new values, why).
    Log {
        #[arg(long)]
        entity: Option<String>,
        #[arg(long)]
        key: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the commented default configuration file.
    Default,
    /// Print the configuration in effect.
    Show,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Cgb,
    Leb,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

fn main() {
    if let Err(e) = run() {
        // A closed pipe (`bagalau assess | head`) is the reader's choice, not an error.
        if e.chain().any(|c| {
            c.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        }) {
            return;
        }
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let cli = Cli::parse();
    if let Command::Config {
        command: ConfigCommand::Default,
    } = cli.command
    {
        print!("{}", config::DEFAULT_FILE);
        return Ok(());
    }
    let config = config::Config::load(
        cli.config_file.as_deref(),
        config::Flags {
            db: cli.db,
            lang: cli.lang,
        },
    )?;
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log))
        .with_writer(|| QuietStderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(dispatch(cli.command, config, cli.reason))
}

async fn dispatch(command: Command, config: config::Config, reason: Option<String>) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    // Whatever reads or writes the database or the data directories acts
    // as an account, checked before anything is read.
    let need = required(&command);
    // Only `init` and the demo make a database: elsewhere a missing one is
    // said plainly, and not made empty.
    if need != Need::Nothing
        && need != Need::Demo
        && !matches!(command, Command::Init { .. })
        && let Some(path) = bagalau_store::sqlite_path(&config.db)
        && !std::path::Path::new(path).exists()
    {
        anyhow::bail!(
            "no database at {path}: start one with `bagalau init --administrator NAME`, or `bagalau demo`"
        );
    }
    let mut opened = None;
    if !matches!(need, Need::Nothing | Need::Bootstrap | Need::Demo) {
        let app = app::App::open(config.clone(), String::new(), reason.clone()).await?;
        let actor = app.signed_in(&now).await?;
        need.check(&actor)?;
        opened = Some(app.acting_as(actor));
    }
    // Commands that need no database.
    match &command {
        Command::Audit {
            command: AuditCommand::Keygen { origin, out },
        } => return audit::keygen(origin, out),
        Command::Demo { .. }
            if config.audit.key.is_none()
                && !std::path::Path::new(config::DEFAULT_AUDIT_KEY).exists() =>
        {
            // The demo signs its trail as production does, with a key of its own.
            audit::new_key(
                audit::DEMO_ORIGIN,
                std::path::Path::new(config::DEFAULT_AUDIT_KEY),
            )?;
        }
        Command::Methodology {
            command: MethodologyCommand::Check { paths },
        } => return app::check_packs(paths),
        Command::Config {
            command: ConfigCommand::Show,
        } => {
            print!("{}", toml::to_string_pretty(&config)?);
            return Ok(());
        }
        Command::Index {
            command:
                IndexCommand::Build {
                    data,
                    meta,
                    config,
                    out,
                },
        } => {
            return index::build(data, meta, config.as_deref(), out);
        }
        Command::Index {
            command:
                IndexCommand::Uncertainty {
                    data,
                    meta,
                    config,
                    plan,
                    out,
                },
        } => {
            return index::uncertainty(data, meta, config.as_deref(), plan, out);
        }
        Command::Methodology {
            command: MethodologyCommand::Diff { a, b, format },
        } if !app::is_year(a) && !app::is_year(b) => {
            return app::diff_files(a, b, *format);
        }
        // Importing the register writes, as the operator: below, with the store.
        Command::Services { command }
            if !matches!(
                command,
                ServicesCommand::RegisterImport { .. }
                    | ServicesCommand::CalendarImport { .. }
                    | ServicesCommand::ReportData { .. }
                    | ServicesCommand::Ratings { .. }
                    | ServicesCommand::PublishRatings { .. }
                    | ServicesCommand::SurveyImport { .. }
                    | ServicesCommand::Satisfaction { .. }
            ) =>
        {
            let dir = &config.services.dir;
            let db = config.db.as_str();
            return match command {
                ServicesCommand::Calendar { year, format } => {
                    services::calendar(db, *year, *format).await
                }
                ServicesCommand::Generate {
                    year,
                    rows,
                    seed,
                    register,
                } => {
                    services::generate_records(
                        dir,
                        &services::stored_calendar(opened.as_ref(), db).await?,
                        services::RegisterSource::new(register.as_deref(), db),
                        *year,
                        *rows,
                        *seed,
                    )
                    .await
                }
                ServicesCommand::Indicators {
                    year,
                    register,
                    by,
                    format,
                    explain,
                    records,
                } => {
                    let app = opened
                        .as_ref()
                        .ok_or_else(|| anyhow::anyhow!("no account"))?;
                    services::indicators(
                        app,
                        dir,
                        register.as_deref(),
                        &records.request(*year, by),
                        *format,
                        *explain,
                    )
                    .await
                }
                ServicesCommand::Import {
                    files,
                    quarantine_mode,
                } => {
                    let app = opened
                        .as_ref()
                        .ok_or_else(|| anyhow::anyhow!("no account"))?;
                    services::import(app, files, *quarantine_mode, &now).await
                }
                ServicesCommand::Sql {
                    year,
                    register,
                    out,
                } => {
                    services::export_sql(
                        &services::stored_calendar(opened.as_ref(), db).await?,
                        services::RegisterSource::new(register.as_deref(), db),
                        *year,
                        out,
                    )
                    .await
                }
                ServicesCommand::RegisterConvert { from, to } => {
                    services::register_convert(from, to)
                }
                ServicesCommand::RegisterDiff { register, from, to } => {
                    services::register_diff(
                        services::RegisterSource::new(register.as_deref(), db),
                        *from,
                        *to,
                    )
                    .await
                }
                ServicesCommand::RegisterImport { .. }
                | ServicesCommand::CalendarImport { .. }
                | ServicesCommand::ReportData { .. }
                | ServicesCommand::Ratings { .. }
                | ServicesCommand::PublishRatings { .. }
                | ServicesCommand::SurveyImport { .. }
                | ServicesCommand::Satisfaction { .. } => {
                    unreachable!("guarded above")
                }
            };
        }
        _ => {}
    }
    let app = match opened {
        Some(app) => app,
        None => app::App::open(config, "cli:demo".into(), reason).await?,
    };
    match &command {
        Command::Init {
            administrator,
            roles,
            password_stdin,
        } => return app.init(administrator, roles, *password_stdin, &now).await,
        Command::Login {
            name,
            password_stdin,
            days,
        } => return app.login(name, *password_stdin, *days, &now).await,
        Command::Logout => return app.logout(&now).await,
        _ => {}
    }
    let app = match need {
        // Signed in, the demo runs as the account (an administrator's
        // outside a demonstration database); else only as the bootstrap.
        Need::Demo => match app.signed_in(&now).await {
            Ok(actor) => {
                if !app.demo_without_account().await? {
                    authorize(&actor, Action::KeepAccounts)?;
                }
                app.acting_as(actor)
            }
            Err(_) if app.demo_without_account().await? => app,
            Err(e) => return Err(e),
        },
        _ => app,
    };
    match command {
        Command::Whoami => {
            let actor = app.acting()?;
            let roles: Vec<String> = actor.roles.iter().map(|r| r.to_text()).collect();
            outln!(
                "{} ({}) in {}",
                actor.user,
                roles.join(", "),
                app.store.location()
            );
            Ok(())
        }
        Command::Init { .. } | Command::Login { .. } | Command::Logout => {
            unreachable!("handled above")
        }
        Command::Demo { seed } => {
            let seed = seed.unwrap_or(app.config.demo.seed);
            app.demo(seed, &now).await
        }
        Command::Assess { year, kind, format } => {
            let kind = kind.map(|k| match k {
                KindArg::Cgb => bagalau_core::Kind::Cgb,
                KindArg::Leb => bagalau_core::Kind::Leb,
            });
            app.print_assessment(year, kind, format, &now).await
        }
        Command::Explain {
            year,
            body,
            format,
            index,
        } => match index {
            IndexArg::Operational => app.explain(year, &body, format, &now).await,
            IndexArg::Gpi => app.explain_gpi(year, &body, format).await,
        },
        Command::Performance { command } => match command {
            PerformanceCommand::Assess { year, kind, format } => {
                let kind = kind.map(|k| match k {
                    KindArg::Cgb => bagalau_core::Kind::Cgb,
                    KindArg::Leb => bagalau_core::Kind::Leb,
                });
                app.print_gpi(year, kind, format).await
            }
            PerformanceCommand::Npi { year, format } => app.print_npi(year, format).await,
        },
        Command::Methodology {
            command: MethodologyCommand::Diff { a, b, format },
        } => app.diff(&a, &b, format).await,
        Command::Methodology {
            command: MethodologyCommand::Check { .. },
        } => unreachable!("handled above"),
        Command::Methodology {
            command: MethodologyCommand::Adopt { year },
        } => app.adopt_pack(year, &now).await,
        Command::Import { what } => match what {
            ImportCommand::Pack { paths } => app.import_packs(&paths, &now).await,
            ImportCommand::Registry { path } => app.import_registry(&path, &now).await,
            ImportCommand::Data { paths } => app.import_data(&paths, &now).await,
            ImportCommand::Xlsx { paths } => app.import_xlsx(&paths, &now).await,
            ImportCommand::Performance { paths } => {
                app.import_performance_packs(&paths, &now).await
            }
            ImportCommand::Series { paths, sdmx } => app.import_series(&paths, sdmx, &now).await,
        },
        Command::Publish { year } => app.publish(year, &now).await,
        Command::Published {
            year,
            version,
            format,
        } => app.published(year, version, format).await,
        Command::Cycle { command } => match command {
            CycleCommand::Open { year, calendar } => app.cycle_open(year, &calendar, &now).await,
            CycleCommand::Extend { year, body, until } => {
                app.cycle_extend(year, &body, &until, &now).await
            }
            CycleCommand::Status { year } => app.cycle_status(year, &now).await,
            CycleCommand::Approve { year } => app.approve(year, &now).await,
            CycleCommand::Due { year, user } => app.cycle_due(year, user.as_deref(), &now).await,
            CycleCommand::Opinion { year, body, text } => {
                app.cycle_opinion(year, body, &text, &now).await
            }
            CycleCommand::Opinions { year } => app.cycle_opinions(year).await,
            CycleCommand::Submit { file, submit } => app.cycle_submit(&file, submit, &now).await,
            CycleCommand::Conclude {
                year,
                direction,
                body,
                is_final,
                text,
            } => {
                let concluding = bagalau_app::opinions::Concluding {
                    direction,
                    body,
                    text,
                    is_final,
                };
                app.cycle_conclude(year, &concluding, &now).await
            }
            CycleCommand::Finding {
                year,
                body,
                indicator,
                value,
                no_data: _,
                reason,
            } => {
                let finding = bagalau_app::verification::VerifierFinding {
                    body,
                    indicator,
                    value,
                    reason,
                };
                app.cycle_finding(year, &finding, &now).await
            }
            CycleCommand::Conclusions {
                year,
                is_final,
                body,
            } => app.cycle_conclusions(year, is_final, body.as_deref()).await,
        },
        Command::Monitoring { command } => app.monitoring(command, &now).await,
        Command::Objection { command } => app.objection(command, &now).await,
        Command::Evidence { command } => app.evidence(command, &now).await,
        Command::Correction { command } => match command {
            CorrectionCommand::Request { year } => app.correction_request(year, &now).await,
            CorrectionCommand::Decide { year, id, accept } => {
                app.correction_decide(year, id, accept, &now).await
            }
            CorrectionCommand::List { year } => app.correction_list(year).await,
        },
        Command::Template { year, body, out } => {
            app.write_template(year, &body, out.as_deref()).await
        }
        Command::Recommendation { command } => match command {
            RecommendationCommand::Issue {
                year,
                body,
                due,
                text,
            } => {
                app.recommendation_issue(year, &body, due, &text, &now)
                    .await
            }
            RecommendationCommand::List { year, overdue } => {
                app.recommendation_list(year, overdue, &now).await
            }
            RecommendationCommand::Report { id, text, evidence } => {
                app.recommendation_report(id, &text, &evidence, &now).await
            }
            RecommendationCommand::Review { id, accept, reason } => {
                app.recommendation_review(id, accept, reason.as_deref(), &now)
                    .await
            }
            RecommendationCommand::Rate {
                year,
                indicator,
                into_year,
                cutoff,
            } => {
                app.recommendation_rate(year, &indicator, into_year.unwrap_or(year + 1), cutoff)
                    .await
            }
        },
        Command::Verification { command } => match command {
            VerificationCommand::Select {
                year,
                top,
                draw,
                seed,
            } => app.verification_select(year, top, draw, seed, &now).await,
            VerificationCommand::List { year } => app.verification_list(year).await,
        },
        Command::Serve {
            addr,
            client_address_header,
            public_url,
        } => {
            let files = bagalau_store::files::FileStore::open(
                &app.config.evidence.dir,
                app.config.evidence.max_mb as usize * 1024 * 1024,
            )?;
            let state = bagalau_web::AppState {
                records: std::sync::Arc::new(services::kept_records(&app.config.services.dir)?),
                files,
                store: app.store.clone(),
                clock: std::sync::Arc::new(|| chrono::Utc::now().to_rfc3339()),
            };
            outln!(
                "Serving the portal on http://{addr}/ and the API on http://{addr}/api/v1 (OpenAPI: http://{addr}/api/v1/openapi.json) from {}",
                app.store.location()
            );
            let client_address = match client_address_header {
                Some(name) => bagalau_web::ClientAddressFrom::header(&name)
                    .with_context(|| format!("--client-address-header `{name}`"))?,
                None => bagalau_web::ClientAddressFrom::default(),
            };
            if let Some(url) = &public_url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                anyhow::bail!(
                    "--public-url `{url}`: give the site's address, e.g. https://data.example.kz"
                );
            }
            let options = bagalau_web::ServeOptions {
                client_address,
                public_url,
                ..Default::default()
            };
            bagalau_web::serve(state, &addr, options)
                .await
                .with_context(|| format!("cannot serve on {addr}"))
        }
        Command::User { command } => match command {
            UserCommand::Add {
                name,
                roles,
                password_stdin,
            } => app.user_add(&name, &roles, password_stdin, &now).await,
            UserCommand::List => app.user_list().await,
            UserCommand::Disable { name } => app.user_disable(&name, true, &now).await,
            UserCommand::Enable { name } => app.user_disable(&name, false, &now).await,
            UserCommand::Revoke { name } => app.user_revoke(&name, &now).await,
            UserCommand::Token { name, label, days } => {
                app.user_token(&name, &label, days, &now).await
            }
        },
        Command::Audit { command } => match command {
            AuditCommand::Verify {
                checkpoints,
                public_keys,
            } => app.audit_verify(&checkpoints, &public_keys).await,
            AuditCommand::Keygen { .. } => unreachable!("guarded above"),
            AuditCommand::Checkpoint { out } => app.audit_checkpoint(out.as_deref(), &now).await,
            AuditCommand::Prove {
                entry,
                checkpoint,
                public_keys,
            } => {
                app.audit_prove(entry, checkpoint.as_deref(), &public_keys)
                    .await
            }
            AuditCommand::Log { entity, key, limit } => {
                app.audit_log(entity.as_deref(), key.as_deref(), limit)
                    .await
            }
        },
        Command::Registry { command } => match command {
            RegistryCommand::List { year } => app.list_bodies(year).await,
            RegistryCommand::History { body } => app.history(&body).await,
        },
        Command::Services {
            command: ServicesCommand::RegisterImport { file },
        } => services::register_import(&app, &file, &now).await,
        Command::Services {
            command: ServicesCommand::CalendarImport { file },
        } => services::calendar_import(&app, &file, &now).await,
        Command::Services {
            command:
                ServicesCommand::ReportData {
                    year,
                    register,
                    questionnaire,
                    judging,
                },
        } => {
            let dir = app.config.services.dir.clone();
            services::report_data(
                &app,
                &dir,
                register.as_deref(),
                year,
                questionnaire.as_deref(),
                &judging,
            )
            .await
        }
        Command::Services {
            command:
                ServicesCommand::Ratings {
                    year,
                    register,
                    questionnaire,
                    by,
                    published,
                    format,
                },
        } => {
            let action = ratings::Action::Print {
                by,
                published,
                format,
            };
            ratings::run(
                &app,
                year,
                register.as_deref(),
                questionnaire.as_deref(),
                action,
                &now,
            )
            .await
        }
        Command::Services {
            command:
                ServicesCommand::PublishRatings {
                    year,
                    register,
                    questionnaire,
                },
        } => {
            let action = ratings::Action::Publish;
            ratings::run(
                &app,
                year,
                register.as_deref(),
                questionnaire.as_deref(),
                action,
                &now,
            )
            .await
        }
        Command::Complaints {
            command: ComplaintsCommand::Import { files },
        } => citizens::import_complaints(&app, &files, &now).await,
        Command::Complaints {
            command:
                ComplaintsCommand::Indicators {
                    year,
                    by,
                    format,
                    judging,
                },
        } => citizens::complaints_indicators(&app, year, &by, &judging, format).await,
        Command::Openness {
            command: OpennessCommand::Import { files },
        } => citizens::import_openness(&app, &files, &now).await,
        Command::Openness {
            command:
                OpennessCommand::Indicators {
                    year,
                    format,
                    judging,
                },
        } => citizens::openness_indicators(&app, year, &judging, format).await,
        Command::Services {
            command:
                ServicesCommand::SurveyImport {
                    questionnaire,
                    register,
                    files,
                },
        } => surveys::import(&app, &questionnaire, register.as_deref(), &files, &now).await,
        Command::Services {
            command:
                ServicesCommand::Satisfaction {
                    questionnaire,
                    register,
                    measure,
                    by,
                    min_respondents,
                    format,
                },
        } => {
            surveys::satisfaction(
                &app,
                surveys::Report {
                    questionnaire: &questionnaire,
                    register: register.as_deref(),
                    measure: measure.as_deref(),
                    by: &by,
                    min_respondents,
                    format,
                },
            )
            .await
        }
        Command::Config { .. } | Command::Index { .. } | Command::Services { .. } => {
            unreachable!("handled above")
        }
    }
}

/// What a command needs of the one who runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    /// Files in, files or text out: no database, no account.
    Nothing,
    /// The database without an account: `init`, `login`, `logout`.
    Bootstrap,
    /// The demo: without an account in a new or a demonstration database.
    Demo,
    /// Any account (its use case checks further, or it reads what is public).
    Account,
    /// A role the permission table lists for the action.
    May(Action),
    /// The unpublished results of every body, or of one.
    Results(Option<String>),
    /// A body's template: its reporter, or a coordinator.
    Template(String),
}

impl Need {
    fn check(&self, actor: &bagalau_app::Actor) -> Result<()> {
        match self {
            Need::Nothing | Need::Bootstrap | Need::Demo | Need::Account => {}
            Need::May(action) => authorize(actor, *action)?,
            Need::Results(None) => {
                if sight(actor)? != bagalau_app::permission::Sight::Everything {
                    anyhow::bail!(
                        "`{}` sees the unpublished results of its own body only: bagalau explain --year YEAR --body BODY",
                        actor.user
                    );
                }
            }
            Need::Results(Some(body)) => may_see_results_of(actor, body)?,
            Need::Template(body) => {
                if !actor.reports_for(body) {
                    authorize(actor, Action::WriteAnyTemplate)?;
                }
            }
        }
        Ok(())
    }
}

/// What each command needs: the command line's side of the permission
/// table (`bagalau_app::permission`).
fn required(command: &Command) -> Need {
    use Need::*;
    match command {
        Command::Config { .. } | Command::Index { .. } | Command::Serve { .. } => Nothing,
        Command::Audit {
            command: AuditCommand::Keygen { .. },
        } => Nothing,
        Command::Audit { .. } => May(Action::ReadAudit),
        Command::Methodology { command } => match command {
            MethodologyCommand::Check { .. } => Nothing,
            MethodologyCommand::Diff { a, b, .. } if !app::is_year(a) && !app::is_year(b) => {
                Nothing
            }
            MethodologyCommand::Diff { .. } => May(Action::ReadPublic),
            MethodologyCommand::Adopt { .. } => May(Action::ImportPack),
        },
        Command::Init { .. } | Command::Login { .. } | Command::Logout => Bootstrap,
        Command::Whoami => Account,
        Command::Demo { .. } => Demo,
        Command::Assess { .. } => Results(None),
        Command::Explain { body, index, .. } => match index {
            IndexArg::Operational => Results(Some(body.clone())),
            IndexArg::Gpi => May(Action::ReadPerformance),
        },
        Command::Import { what } => May(match what {
            ImportCommand::Pack { .. } | ImportCommand::Performance { .. } => Action::ImportPack,
            ImportCommand::Registry { .. } => Action::ImportRegistry,
            ImportCommand::Data { .. } | ImportCommand::Xlsx { .. } => Action::ImportData,
            ImportCommand::Series { .. } => Action::ImportSeries,
        }),
        Command::Registry { .. } | Command::Published { .. } => May(Action::ReadPublic),
        Command::Performance { .. } => May(Action::ReadPerformance),
        // The use case decides: a year of a cycle is the commission's.
        Command::Publish { .. } => Account,
        Command::Cycle { command } => match command {
            CycleCommand::Open { .. } | CycleCommand::Extend { .. } => May(Action::AdministerCycle),
            CycleCommand::Status { .. } | CycleCommand::Due { .. } => May(Action::ReadCycle),
            // The cycle's rules say who approves.
            CycleCommand::Approve { .. } => Account,
            // Their use cases check the role and the sight.
            CycleCommand::Opinion { .. }
            | CycleCommand::Opinions { .. }
            | CycleCommand::Conclusions { .. }
            | CycleCommand::Submit { .. }
            | CycleCommand::Conclude { .. }
            | CycleCommand::Finding { .. } => Account,
        },
        Command::Verification { command } => match command {
            VerificationCommand::Select { .. } => May(Action::SelectForVerification),
            VerificationCommand::List { .. } => May(Action::ReadSelection),
        },
        Command::Template { body, .. } => Template(body.clone()),
        Command::Correction { command } => match command {
            // The correction's rules say who asks and who decides.
            CorrectionCommand::Request { .. } | CorrectionCommand::Decide { .. } => Account,
            CorrectionCommand::List { .. } => May(Action::ReadCycle),
        },
        Command::Recommendation { command } => match command {
            // The recommendation rules say who issues.
            RecommendationCommand::Issue { .. } => Account,
            RecommendationCommand::List { .. }
            | RecommendationCommand::Report { .. }
            | RecommendationCommand::Review { .. } => Account,
            RecommendationCommand::Rate { .. } => May(Action::RateRecommendations),
        },
        // The cycle's rules and the account's sight decide.
        Command::Objection { .. } | Command::Evidence { .. } => Account,
        Command::Monitoring { command } => match command {
            monitoring::MonitoringCommand::Organisations => May(Action::ReadPublic),
            // What the account may see of them, as through the API.
            monitoring::MonitoringCommand::Projects { .. }
            | monitoring::MonitoringCommand::Findings { .. }
            | monitoring::MonitoringCommand::Export { .. } => Account,
            monitoring::MonitoringCommand::Register { .. }
            | monitoring::MonitoringCommand::Revoke { .. } => {
                May(Action::KeepMonitoringOrganisations)
            }
        },
        // The accounts' use cases check (a token for oneself is anyone's).
        Command::User { .. } => Account,
        Command::Services { command } => match command {
            ServicesCommand::Calendar { .. } | ServicesCommand::RegisterConvert { .. } => Nothing,
            ServicesCommand::RegisterDiff {
                register: Some(_), ..
            } => Nothing,
            ServicesCommand::RegisterDiff { .. } => May(Action::ReadPublic),
            ServicesCommand::Ratings {
                published: true, ..
            } => May(Action::ReadPublic),
            ServicesCommand::Indicators { .. }
            | ServicesCommand::Sql { .. }
            | ServicesCommand::Satisfaction { .. }
            | ServicesCommand::Ratings { .. }
            | ServicesCommand::ReportData { .. } => May(Action::ReadServiceFigures),
            ServicesCommand::Import { .. } => May(Action::ImportProviderRecords),
            ServicesCommand::Generate { .. }
            | ServicesCommand::SurveyImport { .. }
            | ServicesCommand::RegisterImport { .. }
            | ServicesCommand::CalendarImport { .. } => May(Action::ImportServiceData),
            ServicesCommand::PublishRatings { .. } => May(Action::PublishRatings),
        },
        Command::Complaints { command } => match command {
            ComplaintsCommand::Import { .. } => May(Action::ImportProviderRecords),
            ComplaintsCommand::Indicators { .. } => May(Action::ReadServiceFigures),
        },
        Command::Openness { command } => match command {
            OpennessCommand::Import { .. } => May(Action::ImportServiceData),
            OpennessCommand::Indicators { .. } => May(Action::ReadServiceFigures),
        },
    }
}

/// Standard error for logs, ignoring write failures: a closed pipe must not
/// stop (or hang) the program because a log line could not be written.
struct QuietStderr;

impl std::io::Write for QuietStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = std::io::stderr().write_all(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
