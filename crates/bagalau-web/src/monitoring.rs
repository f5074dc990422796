//! The public-monitoring API under `/api/v1/monitoring`: monitoring
//! organisations and their accreditation, projects, findings with the
//! bodies' replies, and recommendations with their execution.
//!
//! Who sees what: organisations and published projects (reported or
//! closed), with their findings, replies and recommendations, are public
//! and need no token. Before publication a finding or recommendation is
//! seen only by the organisation's monitors and the reporters of the body
//! it is addressed to; a draft project only by its organisation. The rules
//! are `bagalau_core::monitoring`'s; this layer reads, checks scope, and
//! writes one audited batch per request.

use crate::{ApiResult, AppState, JsonBody, actor, caller};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use bagalau_app::monitoring::{self as app, FindingEntry, ProjectEntry, RecommendationEntry};
use bagalau_core::Names;
use bagalau_core::cycle::Actor;
use bagalau_core::monitoring::{
    Accreditation, Advice, Observation, Organisation, Project, ProjectPlan, ProjectStatus,
    ReplyStatus, Severity, Stance,
};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The endpoints of public monitoring, each with its documentation.
pub(crate) fn endpoints() -> Vec<crate::Endpoint> {
    use utoipa_axum::routes;
    vec![
        routes!(list_organisations, register_organisation),
        routes!(revoke_accreditation),
        routes!(list_projects, create_project),
        routes!(project_view),
        routes!(change_status),
        routes!(submit_finding),
        routes!(recommend),
        routes!(list_findings),
        routes!(reply),
        routes!(list_recommendations),
        routes!(report_execution),
        routes!(review_execution),
    ]
}

#[derive(utoipa::OpenApi)]
#[openapi(components(schemas(
    OrganisationRequest,
    NamesRequest,
    AccreditationRequest,
    RevocationRequest,
    ProjectRequest,
    StatusRequest,
    MonitoringFindingRequest,
    ReplyRequest,
    MonitoringRecommendationRequest,
    crate::recommendations::ExecutionReport,
    crate::recommendations::ReviewRequest
)))]
pub(crate) struct MonitoringDoc;

async fn viewer(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<Actor>> {
    caller(state, headers).await
}

fn now(state: &AppState) -> String {
    (state.clock)()
}

/// A name in the three languages.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NamesContent {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

/// The revocation of an accreditation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevocationContent {
    /// The first day the organisation may not act.
    #[schema(value_type = String, format = Date)]
    pub on: NaiveDate,
    pub reason: String,
}

/// An accreditation, from its first to its last day.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccreditationContent {
    pub by: String,
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub until: NaiveDate,
    pub revoked: Option<RevocationContent>,
}

/// A monitoring organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationContent {
    pub id: String,
    pub name: NamesContent,
    pub accreditation: Option<AccreditationContent>,
}

impl From<Organisation> for OrganisationContent {
    fn from(o: Organisation) -> Self {
        OrganisationContent {
            id: o.id,
            name: NamesContent {
                kk: o.name.kk,
                ru: o.name.ru,
                en: o.name.en,
            },
            accreditation: o.accreditation.map(|a| AccreditationContent {
                by: a.by,
                from: a.from,
                until: a.until,
                revoked: a.revoked.map(|r| RevocationContent {
                    on: r.on,
                    reason: r.reason,
                }),
            }),
        }
    }
}

/// An organisation as registered or changed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationView {
    pub organisation: OrganisationContent,
}

/// An organisation, and whether it may act today.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationEntryView {
    pub organisation: OrganisationContent,
    pub accredited_today: bool,
}

/// Every monitoring organisation.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationsView {
    pub organisations: Vec<OrganisationEntryView>,
}

/// A monitoring project (persons' accounts only for those who work on it).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProjectContent {
    pub organisation: String,
    pub title: String,
    /// Ids of the Register of public services.
    pub services: Vec<String>,
    pub regions: Vec<String>,
    #[schema(value_type = String, format = Date)]
    pub period_from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub period_to: NaiveDate,
    pub method: String,
    /// `draft`, `active`, `reported` or `closed`.
    #[schema(value_type = String)]
    pub status: ProjectStatus,
    pub created_by: String,
    /// When the report was published.
    #[schema(value_type = Option<String>)]
    pub reported_at: Option<NaiveDateTime>,
}

impl From<Project> for ProjectContent {
    fn from(p: Project) -> Self {
        ProjectContent {
            organisation: p.organisation,
            title: p.plan.title,
            services: p.plan.services,
            regions: p.plan.regions,
            period_from: p.plan.period_from,
            period_to: p.plan.period_to,
            method: p.plan.method,
            status: p.status,
            created_by: p.created_by,
            reported_at: p.reported_at,
        }
    }
}

/// A project under its id.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringProjectView {
    pub id: i64,
    pub project: ProjectContent,
    /// Reported or closed: public, with its findings and recommendations.
    pub published: bool,
}

impl From<ProjectEntry> for MonitoringProjectView {
    fn from(p: ProjectEntry) -> Self {
        MonitoringProjectView {
            id: p.id,
            project: p.project.into(),
            published: p.published,
        }
    }
}

/// The projects the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringProjectsView {
    pub projects: Vec<MonitoringProjectView>,
}

/// The body's answer to a finding.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReplyContent {
    pub by: String,
    #[schema(value_type = String)]
    pub at: NaiveDateTime,
    /// `accepts` or `disputes`.
    #[schema(value_type = String)]
    pub stance: Stance,
    pub text: String,
    pub evidence: Vec<String>,
}

/// What a monitor observed, with the body's reply.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FindingContent {
    pub project: i64,
    pub service: String,
    /// The body it is addressed to.
    pub body: String,
    pub region: String,
    pub office: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub observed_on: NaiveDate,
    pub text: String,
    /// `minor`, `major` or `critical`.
    #[schema(value_type = String)]
    pub severity: Severity,
    pub evidence: Vec<String>,
    pub submitted_by: String,
    #[schema(value_type = String)]
    pub submitted_at: NaiveDateTime,
    /// The last day of the body's term to reply.
    #[schema(value_type = String, format = Date)]
    pub reply_due: NaiveDate,
    pub reply: Option<ReplyContent>,
}

/// A finding under its id, with where it stands on the right of reply.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringFindingView {
    pub id: i64,
    pub finding: FindingContent,
    /// `replied`, `awaiting` or `stands_without_reply`.
    #[schema(value_type = String)]
    pub reply_status: ReplyStatus,
}

impl From<FindingEntry> for MonitoringFindingView {
    fn from(e: FindingEntry) -> Self {
        let f = e.finding;
        let o = f.observation;
        MonitoringFindingView {
            id: e.id,
            reply_status: e.reply_status,
            finding: FindingContent {
                project: f.project,
                service: o.service,
                body: o.body,
                region: o.region,
                office: o.office,
                observed_on: o.observed_on,
                text: o.text,
                severity: o.severity,
                evidence: o.evidence,
                submitted_by: f.submitted_by,
                submitted_at: f.submitted_at,
                reply_due: f.reply_due,
                reply: f.reply.map(|r| ReplyContent {
                    by: r.by,
                    at: r.at,
                    stance: r.stance,
                    text: r.text,
                    evidence: r.evidence,
                }),
            },
        }
    }
}

/// The findings the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringFindingsView {
    pub findings: Vec<MonitoringFindingView>,
}

/// A monitoring recommendation under its id, with its standing.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringRecommendationView {
    pub id: i64,
    pub project: i64,
    pub organisation: String,
    pub recommendation: crate::recommendations::RecommendationContent,
    /// Not executed and past its due date.
    pub overdue: bool,
    pub executed_on_time: bool,
}

impl From<RecommendationEntry> for MonitoringRecommendationView {
    fn from(e: RecommendationEntry) -> Self {
        MonitoringRecommendationView {
            id: e.id,
            project: e.recommendation.project,
            organisation: e.recommendation.organisation,
            recommendation: e.recommendation.recommendation.into(),
            overdue: e.overdue,
            executed_on_time: e.executed_on_time,
        }
    }
}

/// The monitoring recommendations the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringRecommendationsView {
    pub recommendations: Vec<MonitoringRecommendationView>,
}

/// A project with the findings (and replies) and recommendations the
/// caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonitoringProjectDetail {
    pub id: i64,
    pub project: ProjectContent,
    pub published: bool,
    pub findings: Vec<MonitoringFindingView>,
    pub recommendations: Vec<MonitoringRecommendationView>,
}

// ------------------------------------------------------------ organisations

/// A name in the three languages.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct NamesRequest {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

/// An accreditation, from its first to its last day.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AccreditationRequest {
    /// Who accredited the organisation, and by which decision.
    pub by: String,
    #[schema(value_type = String)]
    pub from: NaiveDate,
    #[schema(value_type = String)]
    pub until: NaiveDate,
}

/// A monitoring organisation, new or changed (a new accreditation replaces the old, on record).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrganisationRequest {
    /// Lower-case letters, digits and `_`; the scope of the role `monitor:ID`.
    pub id: String,
    pub name: NamesRequest,
    pub accreditation: Option<AccreditationRequest>,
}

#[utoipa::path(get, path = "/api/v1/monitoring/organisations",
    responses((status = 200, description = "Every monitoring organisation with its accreditation (public)", body = OrganisationsView)))]
async fn list_organisations(State(state): State<AppState>) -> ApiResult<Json<OrganisationsView>> {
    let organisations = app::organisations(&state.store, &now(&state))
        .await?
        .into_iter()
        .map(|o| OrganisationEntryView {
            organisation: o.organisation.into(),
            accredited_today: o.accredited_today,
        })
        .collect();
    Ok(Json(OrganisationsView { organisations }))
}

#[utoipa::path(post, path = "/api/v1/monitoring/organisations", request_body = OrganisationRequest, security(("bearer" = [])),
    responses((status = 200, description = "Registered or changed", body = OrganisationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Neither a coordinator nor an assessor of the authorised body for public services"),
        (status = 422, description = "A bad id, an empty name, or an accreditation ending before it starts", body = crate::ProblemsView)))]
async fn register_organisation(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<OrganisationRequest>,
) -> ApiResult<Json<OrganisationView>> {
    let actor = actor(&state, &headers).await?;
    let changed = Organisation {
        id: req.id,
        name: Names {
            kk: req.name.kk,
            ru: req.name.ru,
            en: req.name.en,
        },
        // Leaving the accreditation out keeps the one on record.
        accreditation: req.accreditation.map(|a| Accreditation {
            by: a.by,
            from: a.from,
            until: a.until,
            revoked: None,
        }),
    };
    let organisation =
        app::register_organisation(&state.store, FrontEnd::Api, &actor, changed, &now(&state))
            .await?;
    Ok(Json(OrganisationView {
        organisation: organisation.into(),
    }))
}

/// The revocation of an accreditation.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct RevocationRequest {
    /// The first day the organisation may not act.
    #[schema(value_type = String)]
    pub on: NaiveDate,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/monitoring/organisations/{id}/revocation", params(("id" = String, Path)), request_body = RevocationRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Revoked from that day", body = OrganisationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a keeper of the organisations, or nothing to revoke"), (status = 404, description = "No such organisation"),
        (status = 422, description = "No reason, or a day before the accreditation began", body = crate::ProblemsView)))]
async fn revoke_accreditation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<RevocationRequest>,
) -> ApiResult<Json<OrganisationView>> {
    let actor = actor(&state, &headers).await?;
    let new = app::revoke(
        &state.store,
        FrontEnd::Api,
        &actor,
        &id,
        req.on,
        &req.reason,
        &now(&state),
    )
    .await?;
    Ok(Json(OrganisationView {
        organisation: new.into(),
    }))
}

// ------------------------------------------------------------ projects

/// A new monitoring project, opened in draft.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProjectRequest {
    /// The caller's organisation (its role `monitor:ID`).
    pub organisation: String,
    pub title: String,
    /// Ids of the Register of public services.
    pub services: Vec<String>,
    pub regions: Vec<String>,
    #[schema(value_type = String)]
    pub period_from: NaiveDate,
    #[schema(value_type = String)]
    pub period_to: NaiveDate,
    pub method: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ProjectFilter {
    /// Only this organisation's projects.
    pub organisation: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/monitoring/projects", params(ProjectFilter),
    responses((status = 200, description = "The projects the caller may see: published ones for everyone (no token needed); drafts for their organisation; started ones also for coordinators, the authorised body, and the bodies they concern", body = MonitoringProjectsView),
        (status = 401, description = "An invalid token")))]
async fn list_projects(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<ProjectFilter>,
) -> ApiResult<Json<MonitoringProjectsView>> {
    let viewer = viewer(&state, &headers).await?;
    let projects = app::projects(
        &state.store,
        viewer.as_ref(),
        filter.organisation.as_deref(),
    )
    .await?
    .into_iter()
    .map(Into::into)
    .collect();
    Ok(Json(MonitoringProjectsView { projects }))
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects", request_body = ProjectRequest, security(("bearer" = [])),
    responses((status = 200, description = "Opened in draft", body = MonitoringProjectView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation, or the organisation is not accredited today"),
        (status = 404, description = "No such organisation"),
        (status = 422, description = "Unknown services, no region, a period ending before it starts, an empty title or method", body = crate::ProblemsView)))]
async fn create_project(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<ProjectRequest>,
) -> ApiResult<Json<MonitoringProjectView>> {
    let actor = actor(&state, &headers).await?;
    let plan = ProjectPlan {
        title: req.title,
        services: req.services,
        regions: req.regions,
        period_from: req.period_from,
        period_to: req.period_to,
        method: req.method,
    };
    let p = app::create_project(
        &state.store,
        FrontEnd::Api,
        &actor,
        &req.organisation,
        plan,
        &now(&state),
    )
    .await?;
    Ok(Json(p.into()))
}

#[utoipa::path(get, path = "/api/v1/monitoring/projects/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "The project with the findings (and replies) and recommendations the caller may see; a published project's are public", body = MonitoringProjectDetail),
        (status = 401, description = "An invalid token"), (status = 404, description = "No such project, or not visible to the caller")))]
async fn project_view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<MonitoringProjectDetail>> {
    let viewer = viewer(&state, &headers).await?;
    let view = app::project(&state.store, viewer.as_ref(), id, &now(&state)).await?;
    Ok(Json(MonitoringProjectDetail {
        id,
        project: view.project.project.into(),
        published: view.project.published,
        findings: view.findings.into_iter().map(Into::into).collect(),
        recommendations: view.recommendations.into_iter().map(Into::into).collect(),
    }))
}

/// A project's next status: `active`, `reported` (publishes the report) or `closed`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    #[schema(value_type = String)]
    pub status: ProjectStatus,
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects/{id}/status", params(("id" = i64, Path)), request_body = StatusRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Moved on", body = MonitoringProjectView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation (a coordinator may close a reported project), or not accredited to start it"),
        (status = 404, description = "No such project, or not visible"),
        (status = 409, description = "Not a next status, or findings still within their reply term"),
        (status = 422, description = "A body that is not the JSON documented", body = crate::ProblemsView)))]
async fn change_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<StatusRequest>,
) -> ApiResult<Json<MonitoringProjectView>> {
    let actor = actor(&state, &headers).await?;
    let p = app::change_status(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        req.status,
        &now(&state),
    )
    .await?;
    Ok(Json(p.into()))
}

// ------------------------------------------------------------ findings

/// What a monitor observed.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MonitoringFindingRequest {
    /// One of the project's services.
    pub service: String,
    /// The body providing it (registry id): the finding is addressed to it.
    pub body: String,
    /// One of the project's regions.
    pub region: String,
    pub office: Option<String>,
    #[schema(value_type = String)]
    pub observed_on: NaiveDate,
    pub text: String,
    /// `minor`, `major` or `critical`.
    #[schema(value_type = String)]
    pub severity: Severity,
    /// SHA-256 of evidence files the caller uploaded (`POST /api/v1/evidence`).
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects/{id}/findings", params(("id" = i64, Path)), request_body = MonitoringFindingRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Submitted; the body may reply within the term (`reply_due`)", body = MonitoringFindingView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the project's organisation, or it is not accredited today"),
        (status = 404, description = "No such project, or not visible"), (status = 409, description = "The project is not active"),
        (status = 422, description = "A service, body, region or date outside the project, no text, or evidence the caller did not upload", body = crate::ProblemsView)))]
async fn submit_finding(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<MonitoringFindingRequest>,
) -> ApiResult<Json<MonitoringFindingView>> {
    let actor = actor(&state, &headers).await?;
    let observation = Observation {
        service: req.service,
        body: req.body,
        region: req.region,
        office: req.office,
        observed_on: req.observed_on,
        text: req.text,
        severity: req.severity,
        evidence: req.evidence,
    };
    let f = app::submit_finding(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        observation,
        &now(&state),
    )
    .await?;
    Ok(Json(f.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FindingFilter {
    pub project: Option<i64>,
    /// Only findings addressed to this body.
    pub body: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/monitoring/findings", params(FindingFilter),
    responses((status = 200, description = "The findings the caller may see, with where each stands on the right of reply: published ones for everyone; others for the organisation and the body addressed", body = MonitoringFindingsView),
        (status = 401, description = "An invalid token")))]
async fn list_findings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<FindingFilter>,
) -> ApiResult<Json<MonitoringFindingsView>> {
    let viewer = viewer(&state, &headers).await?;
    let findings = app::findings(
        &state.store,
        viewer.as_ref(),
        filter.project,
        filter.body.as_deref(),
        &now(&state),
    )
    .await?
    .into_iter()
    .map(Into::into)
    .collect();
    Ok(Json(MonitoringFindingsView { findings }))
}

/// The body's answer to a finding.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReplyRequest {
    /// `accepts` or `disputes`.
    #[schema(value_type = String)]
    pub stance: Stance,
    pub text: String,
    /// SHA-256 of evidence files the caller uploaded.
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/monitoring/findings/{id}/reply", params(("id" = i64, Path)), request_body = ReplyRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Replied", body = MonitoringFindingView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of the body addressed"), (status = 404, description = "No such finding, or not visible"),
        (status = 409, description = "Already replied, or the term is over"),
        (status = 422, description = "No text, or evidence the caller did not upload", body = crate::ProblemsView)))]
async fn reply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ReplyRequest>,
) -> ApiResult<Json<MonitoringFindingView>> {
    let actor = actor(&state, &headers).await?;
    let f = app::reply(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        &app::Answer {
            stance: req.stance,
            text: req.text,
            evidence: req.evidence,
        },
        &now(&state),
    )
    .await?;
    Ok(Json(f.into()))
}

// ------------------------------------------------------------ recommendations

/// A recommendation from the project to a body one of its findings is addressed to.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct MonitoringRecommendationRequest {
    pub body: String,
    pub text: String,
    /// `YYYY-MM-DD`: executed by the end of this day counts as on time.
    #[schema(value_type = String)]
    pub due: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects/{id}/recommendations", params(("id" = i64, Path)),
    request_body = MonitoringRecommendationRequest, security(("bearer" = [])),
    responses((status = 200, description = "Issued", body = MonitoringRecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the project's organisation, or it is not accredited today"),
        (status = 404, description = "No such project, or not visible"),
        (status = 409, description = "The project is not active, a due date not after today, or no text"),
        (status = 422, description = "A body no finding of the project is addressed to", body = crate::ProblemsView)))]
async fn recommend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<MonitoringRecommendationRequest>,
) -> ApiResult<Json<MonitoringRecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let advice = Advice {
        body: req.body,
        text: req.text,
        due: req.due,
    };
    let r = app::recommend(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        &advice,
        &now(&state),
    )
    .await?;
    Ok(Json(r.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecommendationFilter {
    pub project: Option<i64>,
    /// Only those not executed after their due date.
    #[serde(default)]
    pub overdue: bool,
}

#[utoipa::path(get, path = "/api/v1/monitoring/recommendations", params(RecommendationFilter),
    responses((status = 200, description = "The monitoring recommendations the caller may see, with overdue and on-time flags: published ones for everyone; others for the organisation and the body addressed", body = MonitoringRecommendationsView),
        (status = 401, description = "An invalid token")))]
async fn list_recommendations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<RecommendationFilter>,
) -> ApiResult<Json<MonitoringRecommendationsView>> {
    let viewer = viewer(&state, &headers).await?;
    let recommendations = app::recommendations(
        &state.store,
        viewer.as_ref(),
        filter.project,
        filter.overdue,
        &now(&state),
    )
    .await?
    .into_iter()
    .map(Into::into)
    .collect();
    Ok(Json(MonitoringRecommendationsView { recommendations }))
}

#[utoipa::path(post, path = "/api/v1/monitoring/recommendations/{id}/report", params(("id" = i64, Path)), request_body = crate::recommendations::ExecutionReport,
    security(("bearer" = [])),
    responses((status = 200, description = "Reported; the organisation reviews it", body = MonitoringRecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of the body"), (status = 404, description = "No such recommendation, or not visible"),
        (status = 409, description = "Already reported or executed, or no text"),
        (status = 422, description = "Evidence the caller did not upload", body = crate::ProblemsView)))]
async fn report_execution(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<crate::recommendations::ExecutionReport>,
) -> ApiResult<Json<MonitoringRecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let r = app::report_execution(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        &req.text,
        &req.evidence,
        &now(&state),
    )
    .await?;
    Ok(Json(r.into()))
}

#[utoipa::path(post, path = "/api/v1/monitoring/recommendations/{id}/review", params(("id" = i64, Path)), request_body = crate::recommendations::ReviewRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Accepted (executed) or returned", body = MonitoringRecommendationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation that issued it"), (status = 404, description = "No such recommendation, or not visible"),
        (status = 409, description = "Nothing reported to review, or a return without its reason"),
        (status = 422, description = "A body that is not the JSON documented", body = crate::ProblemsView)))]
async fn review_execution(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<crate::recommendations::ReviewRequest>,
) -> ApiResult<Json<MonitoringRecommendationView>> {
    let actor = actor(&state, &headers).await?;
    let r = app::review_execution(
        &state.store,
        FrontEnd::Api,
        &actor,
        id,
        req.accept,
        req.reason.as_deref(),
        &now(&state),
    )
    .await?;
    Ok(Json(r.into()))
}
