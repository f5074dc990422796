//! The composite-index engine on tables of one's own (COINr's conventions:
//! a data table, a metadata table, a pipeline): every intermediate data set,
//! the results and the statistics, as `bagalau index build` writes them.
//! It reads and writes nothing stored; the caller's role is checked because
//! it takes the server's time.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, Problem, Upload};
use bagalau_index::{Pipeline, build, table};
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

/// Builds the index the tables describe, for an account on a server.
pub fn build_index(actor: &Actor, tables: IndexTables<'_>) -> AppResult<BuiltIndex> {
    authorize(actor, Action::ComputeIndices)?;
    compute(tables)
}

/// Builds the index the tables describe, on one's own machine (the command
/// line needs no account for it: it touches no database).
pub fn compute(tables: IndexTables<'_>) -> AppResult<BuiltIndex> {
    let framework =
        table::read_meta(&tables.meta.name, &tables.meta.text).map_err(|e| table_problems(&e))?;
    let data = table::read_data(&tables.data.name, &tables.data.text, &framework)
        .map_err(|e| table_problems(&e))?;
    let pipeline = match tables.pipeline {
        Some(p) => Pipeline::parse(&p.name, &p.text)
            .map_err(|e| AppError::Invalid(vec![Problem::of(&e.file, e.message)]))?,
        None => Pipeline::default(),
    };
    let built = build(&framework, &data, &pipeline).map_err(|e| {
        AppError::Invalid(vec![Problem {
            source: format!("the pipeline's {} step", e.step),
            line: None,
            column: Some(e.column.clone()),
            message: match &e.unit {
                Some(unit) => format!("unit {unit}: {}", e.message),
                None => e.message.clone(),
            },
        }])
    })?;
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
