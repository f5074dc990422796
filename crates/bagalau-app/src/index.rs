//! The composite-index engine on tables of one's own (COINr's conventions:
//! a data table, a metadata table, a pipeline): every intermediate data set,
//! the results and the statistics, as `bagalau index build` writes them.
//! It reads and writes nothing stored; the caller's role is checked because
//! it takes the server's time.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, Problem, Upload};
use bagalau_index::{Data, Framework, Pipeline, build, table};
use std::collections::BTreeMap;

/// The tables an index is built from; without a pipeline, min-max to
/// 0-100 and the weighted arithmetic mean.
#[derive(Debug, Clone, Copy)]
pub struct IndexTables<'a> {
    pub data: &'a Upload,
    pub meta: &'a Upload,
    pub pipeline: Option<&'a Upload>,
}

/// A unit's score on the index and its rank.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
}

/// What a build gives: the index's code, the time point built, each unit's
/// result, the units screened out (with their data availability), and the
/// tables `bagalau index build` writes, by file name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BuiltIndex {
    pub index: String,
    pub time: Option<i64>,
    /// How many indicators and aggregates the framework has, over how
    /// many levels.
    pub indicators: usize,
    pub aggregates: usize,
    pub levels: u32,
    pub units: Vec<UnitResult>,
    pub screened_out: Vec<(String, f64)>,
    /// Indicators whose outliers were treated, with how.
    pub treated: Vec<String>,
    pub tables: BTreeMap<String, String>,
}

fn table_problems(e: &table::TableErrors) -> AppError {
    AppError::Invalid(
        e.0.iter()
            .map(|t| Problem {
                source: t.table.clone(),
                line: (t.row > 0).then_some(t.row),
                column: (!t.column.is_empty()).then(|| t.column.clone()),
                message: t.message.clone(),
            })
            .collect(),
    )
}

/// The framework, the data and the pipeline the tables give.
fn read_tables(tables: IndexTables<'_>) -> AppResult<(Framework, Data, Pipeline)> {
    let framework =
        table::read_meta(&tables.meta.name, &tables.meta.text).map_err(|e| table_problems(&e))?;
    let data = table::read_data(&tables.data.name, &tables.data.text, &framework)
        .map_err(|e| table_problems(&e))?;
    let pipeline = match tables.pipeline {
        Some(p) => Pipeline::parse(&p.name, &p.text)
            .map_err(|e| AppError::Invalid(vec![Problem::of(&e.file, e.message)]))?,
        None => Pipeline::default(),
    };
    Ok((framework, data, pipeline))
}

/// A pipeline step that could not run, named with its column.
fn build_problem(e: &bagalau_index::pipeline::BuildError) -> AppError {
    AppError::Invalid(vec![Problem {
        source: format!("the pipeline's {} step", e.step),
        line: None,
        column: Some(e.column.clone()),
        message: match &e.unit {
            Some(unit) => format!("unit {unit}: {}", e.message),
            None => e.message.clone(),
        },
    }])
}

/// Builds the index the tables describe, for an account on a server.
pub fn build_index(actor: &Actor, tables: IndexTables<'_>) -> AppResult<BuiltIndex> {
    authorize(actor, Action::ComputeIndices)?;
    compute(tables)
}

/// Builds the index the tables describe, on one's own machine (the command
/// line needs no account for it: it touches no database).
pub fn compute(tables: IndexTables<'_>) -> AppResult<BuiltIndex> {
    let (framework, data, pipeline) = read_tables(tables)?;
    let built = build(&framework, &data, &pipeline).map_err(|e| build_problem(&e))?;
    let mut files: BTreeMap<String, String> = built
        .datasets
        .iter()
        .map(|d| (format!("{}.csv", d.name), d.to_csv()))
        .collect();
    files.insert("results.csv".into(), built.results_csv(&framework));
    files.insert("indicator_stats.csv".into(), built.indicator_stats_csv());
    files.insert("aggregate_stats.csv".into(), built.aggregate_stats_csv());
    Ok(BuiltIndex {
        units: built
            .units
            .iter()
            .zip(built.scores.iter().zip(&built.ranks))
            .map(|(u, (score, rank))| UnitResult {
                code: u.code.clone(),
                name: u.name.clone(),
                score: *score,
                rank: *rank,
            })
            .collect(),
        treated: built
            .indicators
            .iter()
            .filter(|s| s.treatment != bagalau_index::pipeline::Treatment::None)
            .map(|s| format!("{} ({})", s.code, s.treatment))
            .collect(),
        indicators: framework.indicators.len(),
        aggregates: framework.aggregates.len(),
        levels: framework.levels(),
        index: built.index,
        time: built.time,
        screened_out: built.screened_out,
        tables: files,
    })
}

/// The most replications (and Saltelli base samples) a server runs for one
/// request: enough for stable 5%-95% rank intervals (the JRC's audits use
/// 1,000 to 4,000); more is for one's own machine (`bagalau index
/// uncertainty`).
pub const MOST_REPLICATIONS: usize = 10_000;

/// A unit's ranks over the replications.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitUncertainty {
    pub code: String,
    pub name: String,
    pub nominal: u32,
    pub median: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    /// Share of replications whose rank moved by more than the plan's
    /// `rank_shift`.
    pub shifted: f64,
}

/// An uncertain input's first-order and total-order sensitivity indices,
/// with 95% bootstrap intervals.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InputSensitivity {
    pub input: String,
    pub first_order: f64,
    pub first_order_ci: (f64, f64),
    pub total_order: f64,
    pub total_order_ci: (f64, f64),
}

/// What an uncertainty analysis gives, with the tables `bagalau index
/// uncertainty` writes (`ranks.csv`, `sensitivity.csv`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Uncertainty {
    pub replications: usize,
    pub runs: usize,
    pub rank_shift: u32,
    pub inputs: Vec<String>,
    pub units: Vec<UnitUncertainty>,
    pub sensitivity: Vec<InputSensitivity>,
    pub tables: BTreeMap<String, String>,
}

/// Monte Carlo uncertainty of the ranks and variance-based sensitivity,
/// for an account on a server: at most [`MOST_REPLICATIONS`], on at most
/// `threads` threads (the server keeps the others for its requests).
pub fn uncertainty(
    actor: &Actor,
    tables: IndexTables<'_>,
    plan: &Upload,
    threads: usize,
) -> AppResult<Uncertainty> {
    authorize(actor, Action::ComputeIndices)?;
    let parsed = bagalau_index::uncertainty::Plan::parse(&plan.name, &plan.text)
        .map_err(|e| AppError::Invalid(vec![Problem::of(&e.file, e.message)]))?;
    for (what, n) in [
        ("replications", parsed.replications),
        ("sensitivity samples", parsed.sensitivity_samples),
        ("bootstrap samples", parsed.bootstrap),
    ] {
        if n > MOST_REPLICATIONS {
            return Err(AppError::Invalid(vec![Problem::of(
                &plan.name,
                format!(
                    "{n} {what}: a server runs at most {MOST_REPLICATIONS}; run more with `bagalau index uncertainty` on your own machine"
                ),
            )]));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| AppError::Internal(format!("no threads for the analysis: {e}")))?;
    pool.install(|| analysis(tables, &parsed))
}

/// The uncertainty analysis, on the threads of the pool it runs in.
fn analysis(
    tables: IndexTables<'_>,
    plan: &bagalau_index::uncertainty::Plan,
) -> AppResult<Uncertainty> {
    let (framework, data, pipeline) = read_tables(tables)?;
    let analysis = bagalau_index::uncertainty::analyse(&framework, &data, &pipeline, plan, &|_| {})
        .map_err(|e| match e {
            bagalau_index::uncertainty::UncertaintyError::Config(c) => {
                AppError::Invalid(vec![Problem::of(&c.file, c.message)])
            }
            bagalau_index::uncertainty::UncertaintyError::Build(b) => build_problem(&b),
        })?;
    let tables = BTreeMap::from([
        ("ranks.csv".to_string(), analysis.ranks_csv(plan.rank_shift)),
        ("sensitivity.csv".to_string(), analysis.sensitivity_csv()),
    ]);
    Ok(Uncertainty {
        replications: analysis.replications,
        runs: analysis.runs,
        rank_shift: plan.rank_shift,
        inputs: analysis.inputs,
        units: analysis
            .units
            .into_iter()
            .map(|u| UnitUncertainty {
                code: u.code,
                name: u.name,
                nominal: u.nominal,
                median: u.median,
                mean: u.mean,
                p05: u.p05,
                p95: u.p95,
                shifted: u.shifted,
            })
            .collect(),
        sensitivity: analysis
            .sensitivity
            .into_iter()
            .map(|s| InputSensitivity {
                input: s.input,
                first_order: s.first_order,
                first_order_ci: s.first_order_ci,
                total_order: s.total_order,
                total_order_ci: s.total_order_ci,
            })
            .collect(),
        tables,
    })
}
