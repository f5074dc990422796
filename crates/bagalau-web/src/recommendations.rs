//! The cycle's recommendations through `bagalau_app::recommendations`:
//! issued, listed as far as the caller may see them, reported executed and
//! reviewed; and their execution as reporting data. The answers' types
//! (`RecommendationContent`) serve public monitoring's recommendations too.

use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_app::recommendations::RecommendationEntry;
use bagalau_core::recommendation::Recommendation;
use serde::{Deserialize, Serialize};

/// Which recommendations.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct RatesQuery {
    /// The year the recommendations were issued for.
    pub year: i32,
    /// Those due by this day (YYYY-MM-DD; default: the end of the next year).
    #[param(value_type = Option<String>, format = Date)]
    pub cutoff: Option<chrono::NaiveDate>,
}

/// A body's recommendations due by the cutoff and those executed on time.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RateView {
    pub body: String,
    pub due: u32,
    pub on_time: u32,
    /// 100 · on time / due, to two decimals: the indicator's value.
    pub percent: f64,
}

/// The rates of a year's recommendations.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RatesView {
    pub year: i32,
    #[schema(value_type = String, format = Date)]
    pub cutoff: chrono::NaiveDate,
    /// Bodies with nothing due by the cutoff are absent (no value, not zero).
    pub bodies: Vec<RateView>,
}

#[utoipa::path(get, path = "/api/v1/recommendations/rates", params(RatesQuery), security(("bearer" = [])),
    responses((status = 200, description = "Each body's share executed on time", body = RatesView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No recommendation of the year is due by the cutoff"),
        (status = 422, description = "Not a year of four digits", body = crate::ProblemsView)))]
pub(crate) async fn rates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<RatesQuery>,
) -> ApiResult<Json<RatesView>> {
    let actor = actor(&state, &headers).await?;
    let cutoff = match q.cutoff {
        Some(day) => day,
        None => {
            chrono::NaiveDate::from_ymd_opt(q.year.saturating_add(1), 12, 31).ok_or_else(|| {
                bagalau_app::AppError::Invalid(vec![bagalau_app::Problem::of(
                    "year",
                    format!("{} is not a year of four digits", q.year),
                )])
            })?
        }
    };
    let rates = bagalau_app::recommendations::rates(&state.store, &actor, q.year, cutoff).await?;
    Ok(Json(RatesView {
        year: q.year,
        cutoff,
        bodies: rates
            .into_iter()
            .map(|(body, c)| RateView {
                body,
                due: c.due,
                on_time: c.on_time,
                percent: bagalau_app::recommendations::rate(c),
            })
            .collect(),
    }))
}

/// A recommendation to a body, due by a date.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RecommendationRequest {
    /// The assessment year it follows from.
    pub year: i32,
    pub body: String,
    pub text: String,
    /// `YYYY-MM-DD`: executed by the end of this day counts as on time.
    #[schema(value_type = String)]
    pub due: chrono::NaiveDate,
}

/// A body's report on execution.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExecutionReport {
    pub text: String,
    /// SHA-256 of evidence files the caller uploaded (`POST /api/v1/evidence`).
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// The issuer's review of a report: accept, or return with a reason.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewRequest {
    pub accept: bool,
    pub reason: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecommendationFilter {
    /// Only this assessment year.
    pub year: Option<i32>,
    /// Only those not executed after their due date.
    #[serde(default)]
    pub overdue: bool,
}

/// What a recommendation says and where it stands.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationContent {
    /// The assessment year it follows from (for monitoring: the year issued).
    pub year: i32,
    /// The body it is addressed to.
    pub body: String,
    /// Who issued it (outside a monitoring project: its organisation).
    pub issued_by: String,
    pub text: String,
    #[schema(value_type = String, format = Date)]
    pub due: chrono::NaiveDate,
    /// `open`, `reported`, `returned` or `executed`.
    #[schema(value_type = String)]
    pub state: bagalau_core::states::RecommendationState,
    /// The body's latest report on execution.
    pub report: Option<String>,
    #[schema(value_type = Option<String>)]
    pub reported_at: Option<chrono::NaiveDateTime>,
    /// SHA-256 of the evidence files supporting the latest report.
    pub evidence: Vec<String>,
    /// The issuer's reason when returning a report.
    pub review_reason: Option<String>,
}

impl From<Recommendation> for RecommendationContent {
    fn from(r: Recommendation) -> Self {
        RecommendationContent {
            year: r.year,
            body: r.body,
            issued_by: r.issued_by,
            text: r.text,
            due: r.due,
            state: r.state,
            report: r.report,
            reported_at: r.reported_at,
            evidence: r.evidence,
            review_reason: r.review_reason,
        }
    }
}

/// A recommendation of the cycle under its id.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationView {
    pub id: i64,
    pub recommendation: RecommendationContent,
    /// Not executed and past its due date.
    pub overdue: bool,
    pub executed_on_time: bool,
}

impl From<RecommendationEntry> for RecommendationView {
    fn from(e: RecommendationEntry) -> Self {
        RecommendationView {
            id: e.id,
            recommendation: e.recommendation.into(),
            overdue: e.overdue,
            executed_on_time: e.executed_on_time,
        }
    }
}

/// The recommendations the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecommendationsView {
    pub recommendations: Vec<RecommendationView>,
}

#[utoipa::path(post, path = "/api/v1/recommendations", request_body = RecommendationRequest, security(("bearer" = [])),
    responses((status = 200, description = "Issued", body = RecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a coordinator, commission member or assessor, or to the assessor's own body"),
        (status = 409, description = "A due date not after today, or no text"),
        (status = 422, description = "A body not evaluated that year", body = crate::ProblemsView)))]
pub(crate) async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<RecommendationRequest>,
) -> ApiResult<Json<RecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let issued = bagalau_app::recommendations::issue(
        &state.store,
        FrontEnd::Api,
        &actor,
        &bagalau_app::recommendations::Issuing {
            year: req.year,
            body: req.body,
            text: req.text,
            due: req.due,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(issued.into()))
}

#[utoipa::path(get, path = "/api/v1/recommendations", params(RecommendationFilter), security(("bearer" = [])),
    responses((status = 200, description = "The recommendations the caller may see, with overdue and on-time flags", body = RecommendationsView),
        (status = 401, description = "No or an invalid token")))]
pub(crate) async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<RecommendationFilter>,
) -> ApiResult<Json<RecommendationsView>> {
    let actor = actor(&state, &headers).await?;
    let listed = bagalau_app::recommendations::list(
        &state.store,
        &actor,
        filter.year,
        filter.overdue,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(RecommendationsView {
        recommendations: listed.into_iter().map(Into::into).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/report", params(("id" = i64, Path)), request_body = ExecutionReport, security(("bearer" = [])),
    responses((status = 200, description = "Reported; the issuer reviews it", body = RecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of the body"), (status = 404, description = "No such recommendation (or not visible)"),
        (status = 409, description = "Already reported or executed, or no text"),
        (status = 422, description = "Evidence the caller did not upload", body = crate::ProblemsView)))]
pub(crate) async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ExecutionReport>,
) -> ApiResult<Json<RecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let reported = bagalau_app::recommendations::report(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        &req.text,
        &req.evidence,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(reported.into()))
}

#[utoipa::path(post, path = "/api/v1/recommendations/{id}/review", params(("id" = i64, Path)), request_body = ReviewRequest, security(("bearer" = [])),
    responses((status = 200, description = "Accepted (executed) or returned", body = RecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Neither its issuer nor a coordinator"), (status = 404, description = "No such recommendation (or not visible)"),
        (status = 409, description = "Nothing reported to review, or a return without its reason")))]
pub(crate) async fn review(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ReviewRequest>,
) -> ApiResult<Json<RecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let reviewed = bagalau_app::recommendations::review(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        req.accept,
        req.reason.as_deref(),
        &(state.clock)(),
    )
    .await?;
    Ok(Json(reviewed.into()))
}
