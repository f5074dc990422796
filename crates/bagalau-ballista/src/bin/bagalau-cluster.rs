//! `bagalau-cluster`: a Ballista scheduler or executor for Bagalau's
//! public-service indicators, and the indicators counted on such a cluster.

use anyhow::{Context, Result, bail};
use bagalau_analytics::pack::COUNTS;
use bagalau_analytics::{Breakdown, IndicatorPack, engine};
use bagalau_ballista::cluster::{Distribution, ExecutorOptions, Scheduler, run_executor};
use bagalau_ballista::{Tables, scheduler_address};
use bagalau_services::calendar::Rules;
use bagalau_services::deliveries::DIMENSIONS;
use bagalau_services::register::Register;
use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Parser)]
#[command(
    version,
    about = "Bagalau's public-service indicators on an Apache DataFusion Ballista cluster"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum DistributionArg {
    RoundRobin,
    Bias,
}

#[derive(Subcommand)]
enum Command {
    /// Runs a Ballista scheduler.
    Scheduler {
        #[arg(long, default_value = "0.0.0.0:50050")]
        bind: SocketAddr,
        /// The name executors and clients reach the scheduler by.
        #[arg(long)]
        external_host: Option<String>,
        /// How a stage's tasks are handed to the executors.
        #[arg(long, value_enum, default_value = "round-robin")]
        distribution: DistributionArg,
    },
    /// Runs a Ballista executor that registers with the scheduler.
    Executor {
        /// The scheduler, HOST:PORT.
        #[arg(long)]
        scheduler: String,
        /// Where it serves its results to the others (Arrow Flight).
        #[arg(long, default_value = "0.0.0.0:50051")]
        bind: SocketAddr,
        /// Where the scheduler pushes tasks to it (default: the bind port + 1).
        #[arg(long)]
        grpc_port: Option<u16>,
        /// The name the scheduler and other executors reach it by.
        #[arg(long)]
        external_host: Option<String>,
        /// Tasks run at once (default: the machine's cores).
        #[arg(long, default_value_t = 0)]
        concurrency: usize,
        /// Where shuffle files are written (default: a temporary directory).
        #[arg(long)]
        work_dir: Option<PathBuf>,
    },
    /// Counts a year's indicators on the cluster and prints them as CSV.
    Indicators {
        /// The scheduler's URL, df://HOST:PORT.
        #[arg(long)]
        scheduler: String,
        /// The records' root (year=YYYY/month=M/*.parquet), at the same path
        /// on every executor.
        #[arg(long)]
        records: PathBuf,
        /// The register of services (CSV).
        #[arg(long)]
        register: PathBuf,
        /// Additions to the built-in working-day calendar (the format of
        /// files `bagalau services calendar-import` keeps).
        #[arg(long)]
        calendar: Option<PathBuf>,
        #[arg(long)]
        year: i32,
        /// Months to count (default: all twelve).
        #[arg(long, value_delimiter = ',')]
        months: Vec<u32>,
        /// Where the standards table is written (default: beside the records).
        #[arg(long)]
        tables: Option<PathBuf>,
        /// The year's counts by one breakdown; every group by month when left out.
        #[arg(long)]
        by: Option<String>,
        /// Partitions per stage (default: this machine's cores).
        #[arg(long)]
        partitions: Option<usize>,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(run(cli.command))
}

async fn run(command: Command) -> Result<()> {
    match command {
        Command::Scheduler {
            bind,
            external_host,
            distribution,
        } => {
            let distribution = match distribution {
                DistributionArg::RoundRobin => Distribution::RoundRobin,
                DistributionArg::Bias => Distribution::Bias,
            };
            let scheduler = Scheduler::start(bind, external_host.as_deref(), distribution).await?;
            eprintln!("Ballista scheduler listening on {}", scheduler.addr());
            scheduler.serve().await?;
        }
        Command::Executor {
            scheduler,
            bind,
            grpc_port,
            external_host,
            concurrency,
            work_dir,
        } => {
            let (host, port) = scheduler_address(&format!("df://{scheduler}"))
                .with_context(|| format!("--scheduler {scheduler}: not HOST:PORT"))?;
            let grpc_port = match grpc_port {
                Some(p) => p,
                None => bind
                    .port()
                    .checked_add(1)
                    .context("--bind: no port after it for --grpc-port")?,
            };
            let mut options = ExecutorOptions::new((host, port), bind, grpc_port);
            options.external_host = external_host;
            options.concurrency = concurrency;
            options.work_dir = work_dir;
            options.connect_timeout = Duration::from_secs(60);
            eprintln!(
                "Ballista executor on {bind} (tasks on port {grpc_port}), scheduler {scheduler}"
            );
            run_executor(options).await?;
        }
        Command::Indicators {
            scheduler,
            records,
            register,
            calendar,
            year,
            months,
            tables,
            by,
            partitions,
        } => {
            if let Some(by) = &by
                && !DIMENSIONS.contains(&by.as_str())
            {
                bail!(
                    "--by {by}: not a breakdown (one of {})",
                    DIMENSIONS.join(", ")
                );
            }
            let months: Vec<u32> = if months.is_empty() {
                (1..=12).collect()
            } else {
                months
            };
            if let Some(m) = months.iter().find(|m| !(1..=12).contains(*m)) {
                bail!("--months: {m} is not a month");
            }
            if !records.join(format!("year={year}")).is_dir() {
                bail!(
                    "no delivery records of {year} under {}: generate or import them first",
                    records.display()
                );
            }
            let register = read_register(&register)?;
            let mut rules = Rules::kazakhstan();
            if let Some(path) = &calendar {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("reading the calendar additions {}", path.display())
                })?;
                rules = rules
                    .with_additions(&text)
                    .with_context(|| path.display().to_string())?;
            }
            // Deliveries late in December end in the next year.
            let (days, next_unknown) = rules.working_days_with_next(year)?;
            if let Some(why) = next_unknown {
                eprintln!(
                    "warning: {why}. Until it is, deadlines of {year} that run into {} are neither on time nor late (--calendar).",
                    year + 1
                );
            }
            let tables = tables.unwrap_or_else(|| records.clone());
            engine::write_tables(&tables, &register, &days, year)?;
            let tables = Tables::new(&records, &tables)?;
            let ctx = bagalau_ballista::session(&scheduler, &tables, partitions).await?;
            let pack = IndicatorPack::services_v1();
            let breakdown = engine::count(&ctx, &pack, year, &months)
                .await
                .with_context(|| format!("counting {year} on the cluster at {scheduler}"))?;
            print!("{}", csv(&breakdown, by.as_deref()));
        }
    }
    Ok(())
}

fn read_register(path: &Path) -> Result<Register> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the register {}", path.display()))?;
    Register::from_csv(&text).map_err(|problems| {
        let lines: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {p}", path.display()))
            .collect();
        anyhow::anyhow!("{}", lines.join("\n"))
    })
}

/// The counts as CSV: the year's counts of one breakdown's values, or every
/// group month by month.
fn csv(breakdown: &Breakdown, by: Option<&str>) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    match by {
        Some(dimension) => {
            out.push_str(&format!("{dimension},{}\n", COUNTS.join(",")));
            // The month groups carry no value: the month is their key.
            let rows: Vec<(Option<String>, bagalau_analytics::Counts)> = if dimension == "month" {
                breakdown
                    .groups
                    .iter()
                    .filter(|((d, _, _), _)| d == "month")
                    .map(|((_, _, m), c)| (Some(m.to_string()), c.clone()))
                    .collect()
            } else {
                breakdown.year(dimension).into_iter().collect()
            };
            for (value, counts) in rows {
                let numbers: Vec<String> =
                    COUNTS.iter().map(|c| counts.get(c).to_string()).collect();
                out.push_str(&format!(
                    "{},{}\n",
                    quote(value.as_deref().unwrap_or("")),
                    numbers.join(",")
                ));
            }
        }
        None => {
            out.push_str(&format!("dimension,value,month,{}\n", COUNTS.join(",")));
            for ((dimension, value, month), counts) in &breakdown.groups {
                let numbers: Vec<String> =
                    COUNTS.iter().map(|c| counts.get(c).to_string()).collect();
                out.push_str(&format!(
                    "{dimension},{},{month},{}\n",
                    quote(value.as_deref().unwrap_or("")),
                    numbers.join(",")
                ));
            }
        }
    }
    out
}
