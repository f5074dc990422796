//! The composite-index engine through the API (`bagalau_app::index`): an
//! index built from tables sent with the request, answered with every
//! intermediate table as `bagalau index build` writes them. The work runs
//! on a blocking thread, off the threads that answer requests.

use crate::citizens::FileText;
use crate::{ApiError, ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use bagalau_app::Upload;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The tables of an index, in COINr's conventions (docs/composite-index.md).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct IndexRequest {
    /// One row per unit: uCode, uName, group columns, Time, denominators, indicators.
    pub data: FileText,
    /// iCode, iName, Level, Parent, Weight, Direction, Denominator, Target, Type.
    pub meta: FileText,
    /// The pipeline (TOML); without it, min-max to 0-100 and the weighted
    /// arithmetic mean.
    pub pipeline: Option<FileText>,
}

/// A unit's score on the index and its rank.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndexUnitView {
    pub code: String,
    pub name: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
}

/// A unit screened out, and the share of its indicators with data.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ScreenedUnit {
    pub code: String,
    pub availability: f64,
}

/// The index built.
#[derive(Serialize, utoipa::ToSchema)]
pub struct IndexView {
    /// The top aggregate's code.
    pub index: String,
    /// The time point built, for panel data.
    pub time: Option<i64>,
    pub indicators: usize,
    pub aggregates: usize,
    pub levels: u32,
    pub units: Vec<IndexUnitView>,
    pub screened_out: Vec<ScreenedUnit>,
    /// Indicators whose outliers were treated, with how.
    pub treated: Vec<String>,
    /// Every table `bagalau index build` writes (Raw.csv … Aggregated.csv,
    /// results.csv, indicator_stats.csv, aggregate_stats.csv), as CSV.
    pub tables: BTreeMap<String, String>,
}

#[utoipa::path(post, path = "/api/v1/index/builds", request_body = IndexRequest, security(("bearer" = [])),
    responses((status = 200, description = "The index, its units' scores and ranks, and every table", body = IndexView),
        (status = 403, description = "Not a coordinator, methodologist, commission member or analyst"),
        (status = 422, description = "Problems placed by table, row and column, or by the pipeline's step", body = crate::ProblemsView)))]
pub(crate) async fn build(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<IndexRequest>,
) -> ApiResult<Json<IndexView>> {
    let actor = actor(&state, &headers).await?;
    let (data, meta) = (Upload::from(req.data), Upload::from(req.meta));
    let pipeline = req.pipeline.map(Upload::from);
    let built = tokio::task::spawn_blocking(move || {
        bagalau_app::index::build_index(
            &actor,
            bagalau_app::index::IndexTables {
                data: &data,
                meta: &meta,
                pipeline: pipeline.as_ref(),
            },
        )
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the index build stopped: {e}")))??;
    Ok(Json(IndexView {
        index: built.index,
        time: built.time,
        indicators: built.indicators,
        aggregates: built.aggregates,
        levels: built.levels,
        units: built
            .units
            .into_iter()
            .map(|u| IndexUnitView {
                code: u.code,
                name: u.name,
                score: u.score,
                rank: u.rank,
            })
            .collect(),
        screened_out: built
            .screened_out
            .into_iter()
            .map(|(code, availability)| ScreenedUnit { code, availability })
            .collect(),
        treated: built.treated,
        tables: built.tables,
    }))
}

/// The tables of an index and the uncertainty plan.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct UncertaintyRequest {
    pub data: FileText,
    pub meta: FileText,
    /// The nominal pipeline (as for a build).
    pub pipeline: Option<FileText>,
    /// The plan (TOML): replications, seed, weight noise per level,
    /// alternatives, sensitivity (docs/composite-index.md).
    pub plan: FileText,
}

/// A unit's ranks over the replications.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UnitRanksView {
    pub code: String,
    pub name: String,
    pub nominal: u32,
    pub median: f64,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    /// Share of replications whose rank moved by more than `rank_shift`.
    pub shifted: f64,
}

/// An uncertain input's sensitivity indices with their 95% bootstrap
/// intervals (low, high).
#[derive(Serialize, utoipa::ToSchema)]
pub struct SensitivityView {
    pub input: String,
    pub first_order: f64,
    pub first_order_low: f64,
    pub first_order_high: f64,
    pub total_order: f64,
    pub total_order_low: f64,
    pub total_order_high: f64,
}

/// What the analysis found.
#[derive(Serialize, utoipa::ToSchema)]
pub struct UncertaintyView {
    pub replications: usize,
    /// Model runs made (Monte Carlo plus sensitivity).
    pub runs: usize,
    pub rank_shift: u32,
    pub inputs: Vec<String>,
    pub units: Vec<UnitRanksView>,
    pub sensitivity: Vec<SensitivityView>,
    /// `ranks.csv` and `sensitivity.csv`, as `bagalau index uncertainty` writes them.
    pub tables: BTreeMap<String, String>,
}

#[utoipa::path(post, path = "/api/v1/index/uncertainty", request_body = UncertaintyRequest, security(("bearer" = [])),
    responses((status = 200, description = "The ranks' uncertainty and the inputs' sensitivity", body = UncertaintyView),
        (status = 403, description = "Not a coordinator, methodologist, commission member or analyst"),
        (status = 422, description = "Problems placed by table, row and column; a plan over the server's 10,000 replications", body = crate::ProblemsView)))]
pub(crate) async fn uncertainty(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<UncertaintyRequest>,
) -> ApiResult<Json<UncertaintyView>> {
    let actor = actor(&state, &headers).await?;
    let (data, meta, plan) = (
        Upload::from(req.data),
        Upload::from(req.meta),
        Upload::from(req.plan),
    );
    let pipeline = req.pipeline.map(Upload::from);
    // One core is left to the requests.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .max(1);
    let u = tokio::task::spawn_blocking(move || {
        bagalau_app::index::uncertainty(
            &actor,
            bagalau_app::index::IndexTables {
                data: &data,
                meta: &meta,
                pipeline: pipeline.as_ref(),
            },
            &plan,
            threads,
        )
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the analysis stopped: {e}")))??;
    Ok(Json(UncertaintyView {
        replications: u.replications,
        runs: u.runs,
        rank_shift: u.rank_shift,
        inputs: u.inputs,
        units: u
            .units
            .into_iter()
            .map(|u| UnitRanksView {
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
        sensitivity: u
            .sensitivity
            .into_iter()
            .map(|s| SensitivityView {
                input: s.input,
                first_order: s.first_order,
                first_order_low: s.first_order_ci.0,
                first_order_high: s.first_order_ci.1,
                total_order: s.total_order,
                total_order_low: s.total_order_ci.0,
                total_order_high: s.total_order_ci.1,
            })
            .collect(),
        tables: u.tables,
    }))
}
