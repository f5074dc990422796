//! Correcting an approved year through the API (`bagalau_app::correction`),
//! and adopting a methodology (`bagalau_app::methodology`): thin handlers
//! over the application's use cases.

use crate::{ApiResult, AppState, actor, required};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_core::correction::Correction;
use bagalau_core::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// A coordinator's request to correct an approved year.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CorrectionRequest {
    /// Why the approved results must change.
    pub reason: String,
}

/// A commission member's decision on a requested correction.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CorrectionDecision {
    pub accept: bool,
    pub reason: String,
}

/// A correction of an approved year.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CorrectionView {
    pub id: i64,
    pub year: i32,
    pub requested_by: String,
    pub reason: String,
    /// `requested`, `accepted`, `rejected` or `published`.
    pub state: String,
    pub decided_by: Option<String>,
    /// Why it was accepted or rejected.
    pub decision: Option<String>,
    /// The publication version that closed it.
    pub version: Option<i32>,
}

impl CorrectionView {
    fn of(id: i64, c: Correction) -> CorrectionView {
        CorrectionView {
            id,
            year: c.year,
            requested_by: c.requested_by,
            reason: c.reason,
            state: c.state.as_str().to_string(),
            decided_by: c.decided_by,
            decision: c.decision,
            version: c.version,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/corrections", params(("year" = i32, Path)), request_body = CorrectionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Requested: a commission member decides it", body = CorrectionView),
        (status = 403, description = "Not a coordinator"), (status = 409, description = "The year is not approved, or a correction of it is open"),
        (status = 422, description = "No reason")))]
pub(crate) async fn request_correction(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Json(req): Json<CorrectionRequest>,
) -> ApiResult<Json<CorrectionView>> {
    let actor = actor(&state, &headers).await?;
    required("reason", &req.reason, Refusal::ReasonRequired)?;
    let (id, c) = bagalau_app::correction::request(
        &state.store,
        FrontEnd::Api,
        &actor,
        year,
        &req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(CorrectionView::of(id, c)))
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/corrections/{id}/decision", params(("year" = i32, Path), ("id" = i64, Path)),
    request_body = CorrectionDecision, security(("bearer" = [])),
    responses((status = 200, description = "Decided; accepted, the year's data may change until the commission approves it again", body = CorrectionView),
        (status = 403, description = "Not a commission member"), (status = 404, description = "No such correction"),
        (status = 409, description = "Decided already"), (status = 422, description = "No reason")))]
pub(crate) async fn decide_correction(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, id)): Path<(i32, i64)>,
    Json(req): Json<CorrectionDecision>,
) -> ApiResult<Json<CorrectionView>> {
    let actor = actor(&state, &headers).await?;
    required("reason", &req.reason, Refusal::ReasonRequired)?;
    let c = bagalau_app::correction::decide(
        &state.store,
        FrontEnd::Api,
        &actor,
        bagalau_app::correction::Decision {
            year,
            id,
            accept: req.accept,
            reason: &req.reason,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(CorrectionView::of(id, c)))
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/corrections", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The year's corrections, oldest first", body = Vec<CorrectionView>),
        (status = 401, description = "No or an invalid token"), (status = 403, description = "No role that runs or judges the assessment")))]
pub(crate) async fn corrections(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<Vec<CorrectionView>>> {
    let actor = actor(&state, &headers).await?;
    let list = bagalau_app::correction::list(&state.store, &actor, year).await?;
    Ok(Json(
        list.into_iter()
            .map(|(id, c)| CorrectionView::of(id, c))
            .collect(),
    ))
}

/// A methodology's adoption.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AdoptionView {
    pub year: i32,
    /// False when it was adopted already.
    pub adopted_now: bool,
}

#[utoipa::path(post, path = "/api/v1/methodology/{year}/adoption", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Adopted: the methodology is public and its cycle may open", body = AdoptionView),
        (status = 403, description = "Not a methodologist"), (status = 404, description = "No pack for the year")))]
pub(crate) async fn adopt_methodology(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<AdoptionView>> {
    let actor = actor(&state, &headers).await?;
    let adopted_now = bagalau_app::methodology::adopt(
        &state.store,
        FrontEnd::Api,
        &actor,
        year,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(AdoptionView { year, adopted_now }))
}
