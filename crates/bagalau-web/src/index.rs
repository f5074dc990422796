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

fn upload(f: FileText) -> Upload {
    Upload {
        name: f.name,
        text: f.text,
    }
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
    let (data, meta) = (upload(req.data), upload(req.meta));
    let pipeline = req.pipeline.map(upload);
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
