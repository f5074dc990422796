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

use crate::{ApiError, ApiResult, AppState, actor, caller, now_naive, own_evidence, write_batch};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_core::Names;
use bagalau_core::cycle::Actor;
use bagalau_core::monitoring::{
    self, Accreditation, Advice, Finding, Known, MonitoringError, Observation, Organisation,
    Project, ProjectPlan, ProjectRecommendation, ProjectStatus, Severity, Stance, sees_persons,
};
use bagalau_store::Store;
use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde_json::{Value, json};

impl From<MonitoringError> for ApiError {
    fn from(e: MonitoringError) -> Self {
        match e {
            MonitoringError::Rule(rule) => ApiError::Rule(rule),
            MonitoringError::Invalid(problems) => ApiError::Problems(
                problems
                    .iter()
                    .map(|p| bagalau_app::Problem::of(&p.field, p.message.clone()))
                    .collect(),
            ),
        }
    }
}

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
    crate::ExecutionReport,
    crate::ReviewRequest
)))]
pub(crate) struct MonitoringDoc;

// ------------------------------------------------------------ who sees what

/// Coordinators and the authorised body for public services (who keep the
/// organisations) see projects once started, not their findings.
fn keeps_organisations(actor: &Actor) -> bool {
    monitoring::may_keep_organisations(actor).is_ok()
}

fn sees_project(viewer: Option<&Actor>, p: &Project, findings: &[(i64, Finding)]) -> bool {
    if p.is_published() {
        return true;
    }
    let Some(a) = viewer else { return false };
    a.monitors_for(&p.organisation)
        || (p.status != ProjectStatus::Draft
            && (keeps_organisations(a)
                || findings
                    .iter()
                    .any(|(_, f)| a.reports_for(&f.observation.body))))
}

/// A finding or recommendation of the project, addressed to `body`.
fn sees_item(viewer: Option<&Actor>, p: &Project, body: &str) -> bool {
    p.is_published()
        || viewer.is_some_and(|a| monitoring::sees_unpublished(a, &p.organisation, body))
}

async fn viewer(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<Actor>> {
    caller(state, headers).await
}

// ------------------------------------------------------------ reading

async fn organisation(state: &AppState, id: &str) -> ApiResult<Organisation> {
    state
        .store
        .monitoring_organisations()
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no monitoring organisation `{id}`")))
}

async fn project(state: &AppState, id: i64) -> ApiResult<Project> {
    state
        .store
        .monitoring_projects()
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, p)| p)
        .ok_or_else(|| ApiError::NotFound(format!("no monitoring project {id}")))
}

/// A project the caller may see, with its findings; others answer 404 as
/// if absent, so that ids reveal nothing.
async fn visible_project(
    state: &AppState,
    viewer: Option<&Actor>,
    id: i64,
) -> ApiResult<(Project, Vec<(i64, Finding)>)> {
    let p = project(state, id).await?;
    let findings = state.store.monitoring_findings(Some(id)).await?;
    if !sees_project(viewer, &p, &findings) {
        return Err(ApiError::NotFound(format!("no monitoring project {id}")));
    }
    Ok((p, findings))
}

/// What findings and projects are checked against: the register in force
/// today and the registry's bodies.
async fn known(state: &AppState, today: NaiveDate) -> ApiResult<Known> {
    let register = state.store.service_register().await?.ok_or_else(|| {
        ApiError::Invalid(vec![
            "services: no Register of public services is stored (`bagalau services register-import`)".into(),
        ])
    })?;
    let services = register
        .at(today)
        .into_iter()
        .map(|(id, s)| (id.to_string(), s.providers.clone()))
        .collect();
    let bodies = match state.store.registry().await? {
        Some(r) => r.bodies.iter().map(|b| b.id.clone()).collect(),
        None => Default::default(),
    };
    Ok(Known { services, bodies })
}

/// The last day of a body's term to reply to a finding submitted today.
fn reply_due(today: NaiveDate) -> ApiResult<NaiveDate> {
    use chrono::Datelike;
    let rules = bagalau_services::calendar::Rules::kazakhstan();
    let year = today.year();
    // The term usually ends within the year; near its end it runs into the next.
    let within_year = rules
        .working_days(year, year)
        .ok()
        .and_then(|days| days.add(today, monitoring::REPLY_TERM_WORKING_DAYS));
    if let Some(due) = within_year {
        return Ok(due);
    }
    rules
        .working_days(year, year + 1)
        .map_err(|e| {
            ApiError::Internal(format!(
                "the working-day calendar cannot count the reply term: {e}"
            ))
        })?
        .add(today, monitoring::REPLY_TERM_WORKING_DAYS)
        .ok_or_else(|| {
            ApiError::Internal(format!(
                "the working-day calendar ends before the reply term to a finding of {today}"
            ))
        })
}

fn finding_json(id: i64, f: &Finding, today: NaiveDate) -> Value {
    json!({ "id": id, "finding": f, "reply_status": f.reply_status(today) })
}

fn recommendation_json(id: i64, r: &ProjectRecommendation, now: NaiveDateTime) -> Value {
    json!({ "id": id, "project": r.project, "organisation": r.organisation, "recommendation": r.recommendation,
            "overdue": r.recommendation.is_overdue(now), "executed_on_time": r.recommendation.executed_on_time() })
}

fn project_json(id: i64, p: &Project) -> Value {
    json!({ "id": id, "project": p, "published": p.is_published() })
}

// What a reader is shown: persons' account names only to those who work on
// the project (`sees_persons`); everyone else reads the organisation and
// the body. (A writer is answered with what it wrote.)

fn shown_finding(
    viewer: Option<&Actor>,
    organisation: &str,
    id: i64,
    f: &Finding,
    today: NaiveDate,
) -> Value {
    if sees_persons(viewer, organisation, Some(&f.observation.body)) {
        finding_json(id, f, today)
    } else {
        finding_json(id, &f.for_the_public(organisation), today)
    }
}

fn shown_recommendation(
    viewer: Option<&Actor>,
    id: i64,
    r: &ProjectRecommendation,
    now: NaiveDateTime,
) -> Value {
    if sees_persons(viewer, &r.organisation, Some(&r.recommendation.body)) {
        recommendation_json(id, r, now)
    } else {
        recommendation_json(id, &r.for_the_public(), now)
    }
}

fn shown_project(viewer: Option<&Actor>, p: &Project) -> Project {
    if sees_persons(viewer, &p.organisation, None) {
        p.clone()
    } else {
        p.for_the_public()
    }
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
    responses((status = 200, description = "Every monitoring organisation with its accreditation (public)")))]
async fn list_organisations(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let today = now_naive(&state)?.date();
    let items: Vec<Value> = state
        .store
        .monitoring_organisations()
        .await?
        .iter()
        .map(|o| json!({ "organisation": o, "accredited_today": o.accredited_on(today) }))
        .collect();
    Ok(Json(json!({ "organisations": items })))
}

#[utoipa::path(post, path = "/api/v1/monitoring/organisations", request_body = OrganisationRequest, security(("bearer" = [])),
    responses((status = 200, description = "Registered or changed"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Neither a coordinator nor an assessor of the authorised body for public services"),
        (status = 422, description = "A bad id, an empty name, or an accreditation ending before it starts")))]
async fn register_organisation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<OrganisationRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let existing = state
        .store
        .monitoring_organisations()
        .await?
        .into_iter()
        .find(|o| o.id == req.id);
    let organisation = monitoring::register_organisation(
        &actor,
        Organisation {
            id: req.id,
            name: Names {
                kk: req.name.kk,
                ru: req.name.ru,
                en: req.name.en,
            },
            // Leaving the accreditation out keeps the one on record.
            accreditation: match req.accreditation {
                Some(a) => Some(Accreditation {
                    by: a.by,
                    from: a.from,
                    until: a.until,
                    revoked: None,
                }),
                None => existing.and_then(|o| o.accreditation),
            },
        },
    )?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_organisations.push(organisation.clone());
    state.store.apply(batch).await?;
    Ok(Json(json!({ "organisation": organisation })))
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
    responses((status = 200, description = "Revoked from that day"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a keeper of the organisations, or nothing to revoke"), (status = 404, description = "No such organisation"),
        (status = 422, description = "No reason, or a day before the accreditation began")))]
async fn revoke_accreditation(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(req): Json<RevocationRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    monitoring::may_keep_organisations(&actor).map_err(ApiError::Rule)?;
    let old = organisation(&state, &id).await?;
    let new = monitoring::revoke(&actor, &old, req.on, &req.reason)?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_organisations.push(new.clone());
    state.store.apply(batch).await?;
    Ok(Json(json!({ "organisation": new })))
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
    responses((status = 200, description = "The projects the caller may see: published ones for everyone (no token needed); drafts for their organisation; started ones also for coordinators, the authorised body, and the bodies they concern"),
        (status = 401, description = "An invalid token")))]
async fn list_projects(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<ProjectFilter>,
) -> ApiResult<Json<Value>> {
    let viewer = viewer(&state, &headers).await?;
    let findings = state.store.monitoring_findings(None).await?;
    let mut items = Vec::new();
    for (id, p) in state.store.monitoring_projects().await? {
        if filter
            .organisation
            .as_ref()
            .is_some_and(|o| *o != p.organisation)
        {
            continue;
        }
        let own: Vec<(i64, Finding)> = findings
            .iter()
            .filter(|(_, f)| f.project == id)
            .cloned()
            .collect();
        if sees_project(viewer.as_ref(), &p, &own) {
            items.push(project_json(id, &shown_project(viewer.as_ref(), &p)));
        }
    }
    Ok(Json(json!({ "projects": items })))
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects", request_body = ProjectRequest, security(("bearer" = [])),
    responses((status = 200, description = "Opened in draft"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation, or the organisation is not accredited today"),
        (status = 404, description = "No such organisation"),
        (status = 422, description = "Unknown services, no region, a period ending before it starts, an empty title or method")))]
async fn create_project(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<ProjectRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    if !actor.monitors_for(&req.organisation) {
        return Err(ApiError::Rule(bagalau_core::cycle::CycleError::Forbidden(
            bagalau_core::refusal::Refusal::NotMonitorOf {
                user: actor.user.clone(),
                organisation: req.organisation.clone(),
            },
        )));
    }
    let org = organisation(&state, &req.organisation).await?;
    let known = known(&state, now.date()).await?;
    let plan = ProjectPlan {
        title: req.title,
        services: req.services,
        regions: req.regions,
        period_from: req.period_from,
        period_to: req.period_to,
        method: req.method,
    };
    let p = monitoring::create_project(&actor, &org, plan, &known, now)?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_projects.push((None, p));
    state.store.apply(batch).await?;
    let (id, p) = state
        .store
        .monitoring_projects()
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("the project was not stored".into()))?;
    Ok(Json(project_json(id, &p)))
}

#[utoipa::path(get, path = "/api/v1/monitoring/projects/{id}", params(("id" = i64, Path)),
    responses((status = 200, description = "The project with the findings (and replies) and recommendations the caller may see; a published project's are public"),
        (status = 401, description = "An invalid token"), (status = 404, description = "No such project, or not visible to the caller")))]
async fn project_view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let viewer = viewer(&state, &headers).await?;
    let (p, findings) = visible_project(&state, viewer.as_ref(), id).await?;
    let now = now_naive(&state)?;
    let findings: Vec<Value> = findings
        .iter()
        .filter(|(_, f)| sees_item(viewer.as_ref(), &p, &f.observation.body))
        .map(|(i, f)| shown_finding(viewer.as_ref(), &p.organisation, *i, f, now.date()))
        .collect();
    let recommendations: Vec<Value> = state
        .store
        .monitoring_recommendations(Some(id))
        .await?
        .iter()
        .filter(|(_, r)| sees_item(viewer.as_ref(), &p, &r.recommendation.body))
        .map(|(i, r)| shown_recommendation(viewer.as_ref(), *i, r, now))
        .collect();
    Ok(Json(
        json!({ "id": id, "project": shown_project(viewer.as_ref(), &p), "published": p.is_published(),
        "findings": findings, "recommendations": recommendations }),
    ))
}

/// A project's next status: `active`, `reported` (publishes the report) or `closed`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct StatusRequest {
    #[schema(value_type = String)]
    pub status: ProjectStatus,
}

#[utoipa::path(post, path = "/api/v1/monitoring/projects/{id}/status", params(("id" = i64, Path)), request_body = StatusRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Moved on"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation (a coordinator may close a reported project), or not accredited to start it"),
        (status = 404, description = "No such project, or not visible"),
        (status = 409, description = "Not a next status, or findings still within their reply term")))]
async fn change_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<StatusRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let (old, findings) = visible_project(&state, Some(&actor), id).await?;
    let org = organisation(&state, &old.organisation).await?;
    let new = monitoring::change_status(&actor, &org, &old, &findings, req.status, now)?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_projects.push((Some(id), new.clone()));
    state.store.apply(batch).await?;
    Ok(Json(project_json(id, &new)))
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
    responses((status = 200, description = "Submitted; the body may reply within the term (`reply_due`)"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the project's organisation, or it is not accredited today"),
        (status = 404, description = "No such project, or not visible"), (status = 409, description = "The project is not active"),
        (status = 422, description = "A service, body, region or date outside the project, no text, or evidence the caller did not upload")))]
async fn submit_finding(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<MonitoringFindingRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let (p, _) = visible_project(&state, Some(&actor), id).await?;
    let org = organisation(&state, &p.organisation).await?;
    let known = known(&state, now.date()).await?;
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
    let f = monitoring::submit_finding(
        &actor,
        &org,
        (id, &p),
        observation,
        &known,
        now,
        reply_due(now.date())?,
    )?;
    own_evidence(&state, &actor, &f.observation.evidence).await?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_findings.push((None, f));
    state.store.apply(batch).await?;
    let (fid, f) = state
        .store
        .monitoring_findings(Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("the finding was not stored".into()))?;
    Ok(Json(finding_json(fid, &f, now.date())))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct FindingFilter {
    pub project: Option<i64>,
    /// Only findings addressed to this body.
    pub body: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/monitoring/findings", params(FindingFilter),
    responses((status = 200, description = "The findings the caller may see, with where each stands on the right of reply: published ones for everyone; others for the organisation and the body addressed"),
        (status = 401, description = "An invalid token")))]
async fn list_findings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<FindingFilter>,
) -> ApiResult<Json<Value>> {
    let viewer = viewer(&state, &headers).await?;
    let today = now_naive(&state)?.date();
    let projects = state.store.monitoring_projects().await?;
    let items: Vec<Value> = state
        .store
        .monitoring_findings(filter.project)
        .await?
        .iter()
        .filter(|(_, f)| {
            filter
                .body
                .as_ref()
                .is_none_or(|b| *b == f.observation.body)
        })
        .filter(|(_, f)| {
            projects
                .iter()
                .find(|(i, _)| *i == f.project)
                .is_some_and(|(_, p)| sees_item(viewer.as_ref(), p, &f.observation.body))
        })
        .map(|(i, f)| {
            let organisation = projects
                .iter()
                .find(|(p, _)| *p == f.project)
                .map_or("", |(_, p)| p.organisation.as_str());
            shown_finding(viewer.as_ref(), organisation, *i, f, today)
        })
        .collect();
    Ok(Json(json!({ "findings": items })))
}

async fn visible_finding(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> ApiResult<(Finding, Project)> {
    let not_found = || ApiError::NotFound(format!("no monitoring finding {id}"));
    let f = state
        .store
        .monitoring_findings(None)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, f)| f)
        .ok_or_else(not_found)?;
    let p = project(state, f.project).await?;
    if !sees_item(Some(actor), &p, &f.observation.body) {
        return Err(not_found());
    }
    Ok((f, p))
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
    responses((status = 200, description = "Replied"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of the body addressed"), (status = 404, description = "No such finding, or not visible"),
        (status = 409, description = "Already replied, or the term is over"),
        (status = 422, description = "No text, or evidence the caller did not upload")))]
async fn reply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<ReplyRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let (old, _) = visible_finding(&state, &actor, id).await?;
    let new = monitoring::reply(&actor, &old, req.stance, &req.text, &req.evidence, now)?;
    own_evidence(&state, &actor, &req.evidence).await?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_findings.push((Some(id), new.clone()));
    state.store.apply(batch).await?;
    Ok(Json(finding_json(id, &new, now.date())))
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
    responses((status = 200, description = "Issued"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the project's organisation, or it is not accredited today"),
        (status = 404, description = "No such project, or not visible"),
        (status = 409, description = "The project is not active, a due date not after today, or no text"),
        (status = 422, description = "A body no finding of the project is addressed to")))]
async fn recommend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<MonitoringRecommendationRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let (p, findings) = visible_project(&state, Some(&actor), id).await?;
    let org = organisation(&state, &p.organisation).await?;
    let advice = Advice {
        body: req.body,
        text: req.text,
        due: req.due,
    };
    let r = monitoring::recommend(&actor, &org, (id, &p), &findings, &advice, now)?;
    let mut batch = write_batch(&state, &actor);
    batch.monitoring_recommendations.push((None, r));
    state.store.apply(batch).await?;
    let (rid, r) = state
        .store
        .monitoring_recommendations(Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal("the recommendation was not stored".into()))?;
    Ok(Json(recommendation_json(rid, &r, now)))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecommendationFilter {
    pub project: Option<i64>,
    /// Only those not executed after their due date.
    #[serde(default)]
    pub overdue: bool,
}

#[utoipa::path(get, path = "/api/v1/monitoring/recommendations", params(RecommendationFilter),
    responses((status = 200, description = "The monitoring recommendations the caller may see, with overdue and on-time flags: published ones for everyone; others for the organisation and the body addressed"),
        (status = 401, description = "An invalid token")))]
async fn list_recommendations(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(filter): Query<RecommendationFilter>,
) -> ApiResult<Json<Value>> {
    let viewer = viewer(&state, &headers).await?;
    let now = now_naive(&state)?;
    let projects = state.store.monitoring_projects().await?;
    let items: Vec<Value> = state
        .store
        .monitoring_recommendations(filter.project)
        .await?
        .iter()
        .filter(|(_, r)| !filter.overdue || r.recommendation.is_overdue(now))
        .filter(|(_, r)| {
            projects
                .iter()
                .find(|(i, _)| *i == r.project)
                .is_some_and(|(_, p)| sees_item(viewer.as_ref(), p, &r.recommendation.body))
        })
        .map(|(i, r)| shown_recommendation(viewer.as_ref(), *i, r, now))
        .collect();
    Ok(Json(json!({ "recommendations": items })))
}

async fn visible_recommendation(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> ApiResult<ProjectRecommendation> {
    let not_found = || ApiError::NotFound(format!("no monitoring recommendation {id}"));
    let r = state
        .store
        .monitoring_recommendations(None)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, r)| r)
        .ok_or_else(not_found)?;
    let p = project(state, r.project).await?;
    if !sees_item(Some(actor), &p, &r.recommendation.body) {
        return Err(not_found());
    }
    Ok(r)
}

#[utoipa::path(post, path = "/api/v1/monitoring/recommendations/{id}/report", params(("id" = i64, Path)), request_body = crate::ExecutionReport,
    security(("bearer" = [])),
    responses((status = 200, description = "Reported; the organisation reviews it"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of the body"), (status = 404, description = "No such recommendation, or not visible"),
        (status = 409, description = "Already reported or executed, or no text"),
        (status = 422, description = "Evidence the caller did not upload")))]
async fn report_execution(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<crate::ExecutionReport>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let old = visible_recommendation(&state, &actor, id).await?;
    let new = monitoring::report_execution(&actor, &old, &req.text, &req.evidence, now)?;
    own_evidence(&state, &actor, &req.evidence).await?;
    let mut batch = write_batch(&state, &actor);
    batch
        .monitoring_recommendations
        .push((Some(id), new.clone()));
    state.store.apply(batch).await?;
    Ok(Json(recommendation_json(id, &new, now)))
}

#[utoipa::path(post, path = "/api/v1/monitoring/recommendations/{id}/review", params(("id" = i64, Path)), request_body = crate::ReviewRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Accepted (executed) or returned"), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a monitor of the organisation that issued it"), (status = 404, description = "No such recommendation, or not visible"),
        (status = 409, description = "Nothing reported to review, or a return without its reason")))]
async fn review_execution(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(req): Json<crate::ReviewRequest>,
) -> ApiResult<Json<Value>> {
    let actor = actor(&state, &headers).await?;
    let now = now_naive(&state)?;
    let old = visible_recommendation(&state, &actor, id).await?;
    let new = monitoring::review_execution(&actor, &old, req.accept, req.reason.as_deref())?;
    let mut batch = write_batch(&state, &actor);
    batch
        .monitoring_recommendations
        .push((Some(id), new.clone()));
    state.store.apply(batch).await?;
    Ok(Json(recommendation_json(id, &new, now)))
}

// ------------------------------------------------------------ evidence

/// Whether a finding, a reply or an execution report of public monitoring
/// that the caller may see before publication cites the file. Published
/// findings do not open their files to everyone: evidence may show people
/// and their documents, so it stays with those who saw it before.
pub(crate) async fn cites_for(state: &AppState, actor: &Actor, sha256: &str) -> ApiResult<bool> {
    let projects = state.store.monitoring_projects().await?;
    let organisation_of = |project: i64| {
        projects
            .iter()
            .find(|(i, _)| *i == project)
            .map(|(_, p)| p.organisation.as_str())
    };
    let sees = |project: i64, body: &str| {
        organisation_of(project).is_some_and(|o| monitoring::sees_unpublished(actor, o, body))
    };
    let sha = sha256.to_string();
    for (_, f) in state.store.monitoring_findings(None).await? {
        let cited = f.observation.evidence.contains(&sha)
            || f.reply.as_ref().is_some_and(|r| r.evidence.contains(&sha));
        if cited && sees(f.project, &f.observation.body) {
            return Ok(true);
        }
    }
    for (_, r) in state.store.monitoring_recommendations(None).await? {
        if r.recommendation.evidence.contains(&sha) && sees(r.project, &r.recommendation.body) {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bagalau_core::cycle::Role;

    #[test]
    fn the_reply_term_counts_working_days_on_the_calendar() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Tuesday 3 March 2026: ten working days later, with 8 March (a
        // Sunday, carried to Monday 9 March) off, is Wednesday 18 March.
        assert_eq!(reply_due(d(2026, 3, 3)).unwrap(), d(2026, 3, 18));
        // Friday 2 January 2026: 7 January is off too.
        let due = reply_due(d(2026, 1, 2)).unwrap();
        assert!(due > d(2026, 1, 16), "{due}");
    }

    #[test]
    fn role_keepers_are_coordinators_and_the_public_services_authority() {
        let a = |roles: Vec<Role>| Actor {
            user: "x".into(),
            roles,
        };
        assert!(keeps_organisations(&a(vec![Role::Coordinator])));
        assert!(keeps_organisations(&a(vec![Role::Assessor {
            direction: "services".into(),
            authority: monitoring::PUBLIC_SERVICES_AUTHORITY.into()
        }])));
        assert!(!keeps_organisations(&a(vec![Role::Monitor])));
    }
}
