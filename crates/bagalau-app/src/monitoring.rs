//! Public monitoring: monitoring organisations and their accreditation,
//! projects, findings with the bodies' replies, and recommendations with
//! their execution, for every front end.
//!
//! Who sees what: organisations and published projects (reported or
//! closed), with their findings, replies and recommendations, are public.
//! Before publication a finding or recommendation is seen only by the
//! organisation's monitors and the reporters of the body it is addressed
//! to; a draft project only by its organisation; a started one also by the
//! keepers of the organisations (coordinators, the authorised body for
//! public services) and the bodies its findings address. Persons' account
//! names are shown only to those who work on the project. The rules are
//! `bagalau_core::monitoring`'s; each write is one audited batch.

use crate::{Actor, AppError, AppResult, FrontEnd, Problem, batch, naive};
use bagalau_core::monitoring::{
    self, Advice, Finding, Known, MonitoringError, Observation, Organisation, Project, ProjectPlan,
    ProjectRecommendation, ProjectStatus, ReplyStatus, Stance, sees_persons,
};
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, Store};
use chrono::{NaiveDate, NaiveDateTime};

impl From<MonitoringError> for AppError {
    fn from(e: MonitoringError) -> Self {
        match e {
            MonitoringError::Rule(rule) => AppError::Rule(rule),
            MonitoringError::Invalid(problems) => AppError::Invalid(
                problems
                    .iter()
                    .map(|p| Problem::of(&p.field, p.message.clone()))
                    .collect(),
            ),
        }
    }
}

/// An organisation, and whether it may act today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationEntry {
    pub organisation: Organisation,
    pub accredited_today: bool,
}

/// A project under its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectEntry {
    pub id: i64,
    pub project: Project,
    pub published: bool,
}

/// A finding under its id, with where it stands on the right of reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingEntry {
    pub id: i64,
    pub finding: Finding,
    pub reply_status: ReplyStatus,
}

/// A recommendation under its id, with its standing.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationEntry {
    pub id: i64,
    pub recommendation: ProjectRecommendation,
    pub overdue: bool,
    pub executed_on_time: bool,
}

/// A project with the findings and recommendations its reader may see.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectView {
    pub project: ProjectEntry,
    pub findings: Vec<FindingEntry>,
    pub recommendations: Vec<RecommendationEntry>,
}

fn project_entry(id: i64, project: Project) -> ProjectEntry {
    let published = project.is_published();
    ProjectEntry {
        id,
        project,
        published,
    }
}

fn finding_entry(id: i64, finding: Finding, today: NaiveDate) -> FindingEntry {
    let reply_status = finding.reply_status(today);
    FindingEntry {
        id,
        finding,
        reply_status,
    }
}

fn recommendation_entry(
    id: i64,
    recommendation: ProjectRecommendation,
    now: NaiveDateTime,
) -> RecommendationEntry {
    RecommendationEntry {
        id,
        overdue: recommendation.recommendation.is_overdue(now),
        executed_on_time: recommendation.recommendation.executed_on_time(),
        recommendation,
    }
}

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

// What a reader is shown: persons' account names only to those who work on
// the project (`sees_persons`); everyone else reads the organisation and
// the body. (A writer is answered with what it wrote.)

fn shown_finding(viewer: Option<&Actor>, organisation: &str, f: Finding) -> Finding {
    if sees_persons(viewer, organisation, Some(&f.observation.body)) {
        f
    } else {
        f.for_the_public(organisation)
    }
}

fn shown_recommendation(viewer: Option<&Actor>, r: ProjectRecommendation) -> ProjectRecommendation {
    if sees_persons(viewer, &r.organisation, Some(&r.recommendation.body)) {
        r
    } else {
        r.for_the_public()
    }
}

fn shown_project(viewer: Option<&Actor>, p: Project) -> Project {
    if sees_persons(viewer, &p.organisation, None) {
        p
    } else {
        p.for_the_public()
    }
}

// ------------------------------------------------------------ reading

async fn organisation(store: &AnyStore, id: &str) -> AppResult<Organisation> {
    store
        .monitoring_organisations()
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or_else(|| AppError::NotFound(format!("no monitoring organisation `{id}`")))
}

async fn project_by_id(store: &AnyStore, id: i64) -> AppResult<Option<Project>> {
    Ok(store
        .monitoring_projects()
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, p)| p))
}

/// A project the viewer may see, with its findings; others are answered
/// as absent, so that ids reveal nothing.
async fn visible_project(
    store: &AnyStore,
    viewer: Option<&Actor>,
    id: i64,
) -> AppResult<(Project, Vec<(i64, Finding)>)> {
    let not_found = || AppError::NotFound(format!("no monitoring project {id}"));
    let p = project_by_id(store, id).await?.ok_or_else(not_found)?;
    let findings = store.monitoring_findings(Some(id)).await?;
    if !sees_project(viewer, &p, &findings) {
        return Err(not_found());
    }
    Ok((p, findings))
}

/// What findings and projects are checked against: the register in force
/// today and the registry's bodies.
async fn known(store: &AnyStore, today: NaiveDate) -> AppResult<Known> {
    let register = store.service_register().await?.ok_or_else(|| {
        AppError::Invalid(vec![Problem::of(
            "services",
            "no Register of public services is stored (`bagalau services register-import`)",
        )])
    })?;
    let services = register
        .at(today)
        .into_iter()
        .map(|(id, s)| (id.to_string(), s.providers.clone()))
        .collect();
    let bodies = match store.registry().await? {
        Some(r) => r.bodies.iter().map(|b| b.id.clone()).collect(),
        None => Default::default(),
    };
    Ok(Known { services, bodies })
}

/// The last day of a body's term to reply to a finding submitted `today`:
/// ten working days on the calendar.
pub fn reply_due(today: NaiveDate) -> AppResult<NaiveDate> {
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
            AppError::Internal(format!(
                "the working-day calendar cannot count the reply term: {e}"
            ))
        })?
        .add(today, monitoring::REPLY_TERM_WORKING_DAYS)
        .ok_or_else(|| {
            AppError::Internal(format!(
                "the working-day calendar ends before the reply term to a finding of {today}"
            ))
        })
}

// ------------------------------------------------------------ organisations

/// Every monitoring organisation (public).
pub async fn organisations(store: &AnyStore, now: &str) -> AppResult<Vec<OrganisationEntry>> {
    let today = naive(now)?.date();
    Ok(store
        .monitoring_organisations()
        .await?
        .into_iter()
        .map(|organisation| OrganisationEntry {
            accredited_today: organisation.accredited_on(today),
            organisation,
        })
        .collect())
}

/// Registers or changes an organisation; without an accreditation, the
/// one on record is kept.
pub async fn register_organisation(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    mut changed: Organisation,
    now: &str,
) -> AppResult<Organisation> {
    if changed.accreditation.is_none() {
        changed.accreditation = store
            .monitoring_organisations()
            .await?
            .into_iter()
            .find(|o| o.id == changed.id)
            .and_then(|o| o.accreditation);
    }
    let organisation = monitoring::register_organisation(actor, changed)?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_organisations.push(organisation.clone());
    store.apply(batch).await?;
    Ok(organisation)
}

/// Revokes an organisation's accreditation from `on`.
pub async fn revoke(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: &str,
    on: NaiveDate,
    reason: &str,
    now: &str,
) -> AppResult<Organisation> {
    monitoring::may_keep_organisations(actor)?;
    let old = organisation(store, id).await?;
    let new = monitoring::revoke(actor, &old, on, reason)?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_organisations.push(new.clone());
    store.apply(batch).await?;
    Ok(new)
}

// ------------------------------------------------------------ projects

/// The projects `viewer` may see (anyone: the published ones), of one
/// organisation or all.
pub async fn projects(
    store: &AnyStore,
    viewer: Option<&Actor>,
    organisation: Option<&str>,
) -> AppResult<Vec<ProjectEntry>> {
    let findings = store.monitoring_findings(None).await?;
    let mut out = Vec::new();
    for (id, p) in store.monitoring_projects().await? {
        if organisation.is_some_and(|o| o != p.organisation) {
            continue;
        }
        let own: Vec<(i64, Finding)> = findings
            .iter()
            .filter(|(_, f)| f.project == id)
            .cloned()
            .collect();
        if sees_project(viewer, &p, &own) {
            out.push(project_entry(id, shown_project(viewer, p)));
        }
    }
    Ok(out)
}

/// Opens a project in draft for the actor's organisation.
pub async fn create_project(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    organisation_id: &str,
    plan: ProjectPlan,
    now: &str,
) -> AppResult<ProjectEntry> {
    let at = naive(now)?;
    if !actor.monitors_for(organisation_id) {
        return Err(AppError::Forbidden(Refusal::NotMonitorOf {
            user: actor.user.clone(),
            organisation: organisation_id.to_string(),
        }));
    }
    let org = organisation(store, organisation_id).await?;
    let known = known(store, at.date()).await?;
    let p = monitoring::create_project(actor, &org, plan, &known, at)?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_projects.push((None, p));
    store.apply(batch).await?;
    let (id, p) = store
        .monitoring_projects()
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the project was not stored".into()))?;
    Ok(project_entry(id, p))
}

/// A project with the findings (and replies) and recommendations `viewer`
/// may see.
pub async fn project(
    store: &AnyStore,
    viewer: Option<&Actor>,
    id: i64,
    now: &str,
) -> AppResult<ProjectView> {
    let now = naive(now)?;
    let (p, findings) = visible_project(store, viewer, id).await?;
    let findings = findings
        .into_iter()
        .filter(|(_, f)| sees_item(viewer, &p, &f.observation.body))
        .map(|(i, f)| finding_entry(i, shown_finding(viewer, &p.organisation, f), now.date()))
        .collect();
    let recommendations = store
        .monitoring_recommendations(Some(id))
        .await?
        .into_iter()
        .filter(|(_, r)| sees_item(viewer, &p, &r.recommendation.body))
        .map(|(i, r)| recommendation_entry(i, shown_recommendation(viewer, r), now))
        .collect();
    Ok(ProjectView {
        project: project_entry(id, shown_project(viewer, p)),
        findings,
        recommendations,
    })
}

/// Moves a project on: `active`, `reported` (publishes its report) or
/// `closed`.
pub async fn change_status(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    status: ProjectStatus,
    now: &str,
) -> AppResult<ProjectEntry> {
    let at = naive(now)?;
    let (old, findings) = visible_project(store, Some(actor), id).await?;
    let org = organisation(store, &old.organisation).await?;
    let new = monitoring::change_status(actor, &org, &old, &findings, status, at)?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_projects.push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(project_entry(id, new))
}

// ------------------------------------------------------------ findings

/// Submits what a monitor observed; the body may reply within the term.
pub async fn submit_finding(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    project: i64,
    observation: Observation,
    now: &str,
) -> AppResult<FindingEntry> {
    let at = naive(now)?;
    let (p, _) = visible_project(store, Some(actor), project).await?;
    let org = organisation(store, &p.organisation).await?;
    let known = known(store, at.date()).await?;
    let f = monitoring::submit_finding(
        actor,
        &org,
        (project, &p),
        observation,
        &known,
        at,
        reply_due(at.date())?,
    )?;
    crate::objections::own_evidence(store, actor, &f.observation.evidence).await?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_findings.push((None, f));
    store.apply(batch).await?;
    let (id, f) = store
        .monitoring_findings(Some(project))
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the finding was not stored".into()))?;
    Ok(finding_entry(id, f, at.date()))
}

/// The findings `viewer` may see, of one project or all, addressed to one
/// body or any.
pub async fn findings(
    store: &AnyStore,
    viewer: Option<&Actor>,
    project: Option<i64>,
    body: Option<&str>,
    now: &str,
) -> AppResult<Vec<FindingEntry>> {
    let today = naive(now)?.date();
    let projects = store.monitoring_projects().await?;
    Ok(store
        .monitoring_findings(project)
        .await?
        .into_iter()
        .filter(|(_, f)| body.is_none_or(|b| b == f.observation.body))
        .filter_map(|(i, f)| {
            let (_, p) = projects.iter().find(|(id, _)| *id == f.project)?;
            sees_item(viewer, p, &f.observation.body)
                .then(|| finding_entry(i, shown_finding(viewer, &p.organisation, f), today))
        })
        .collect())
}

async fn visible_finding(store: &AnyStore, actor: &Actor, id: i64) -> AppResult<Finding> {
    let not_found = || AppError::NotFound(format!("no monitoring finding {id}"));
    let f = store
        .monitoring_findings(None)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, f)| f)
        .ok_or_else(not_found)?;
    let p = project_by_id(store, f.project)
        .await?
        .ok_or_else(not_found)?;
    if !sees_item(Some(actor), &p, &f.observation.body) {
        return Err(not_found());
    }
    Ok(f)
}

/// A body's answer to a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub stance: Stance,
    pub text: String,
    /// SHA-256 of files the replier uploaded.
    pub evidence: Vec<String>,
}

/// The body's answer to finding `id`, within the term.
pub async fn reply(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    answer: &Answer,
    now: &str,
) -> AppResult<FindingEntry> {
    let at = naive(now)?;
    let old = visible_finding(store, actor, id).await?;
    let new = monitoring::reply(
        actor,
        &old,
        answer.stance,
        &answer.text,
        &answer.evidence,
        at,
    )?;
    crate::objections::own_evidence(store, actor, &answer.evidence).await?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_findings.push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(finding_entry(id, new, at.date()))
}

// ------------------------------------------------------------ recommendations

/// Issues a recommendation of the project to a body one of its findings
/// is addressed to.
pub async fn recommend(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    project: i64,
    advice: &Advice,
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let (p, findings) = visible_project(store, Some(actor), project).await?;
    let org = organisation(store, &p.organisation).await?;
    let r = monitoring::recommend(actor, &org, (project, &p), &findings, advice, at)?;
    let mut batch = batch(front, actor, now, None);
    batch.monitoring_recommendations.push((None, r));
    store.apply(batch).await?;
    let (id, r) = store
        .monitoring_recommendations(Some(project))
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the recommendation was not stored".into()))?;
    Ok(recommendation_entry(id, r, at))
}

/// The recommendations `viewer` may see, of one project or all; only the
/// overdue ones if asked.
pub async fn recommendations(
    store: &AnyStore,
    viewer: Option<&Actor>,
    project: Option<i64>,
    overdue_only: bool,
    now: &str,
) -> AppResult<Vec<RecommendationEntry>> {
    let now = naive(now)?;
    let projects = store.monitoring_projects().await?;
    Ok(store
        .monitoring_recommendations(project)
        .await?
        .into_iter()
        .filter(|(_, r)| !overdue_only || r.recommendation.is_overdue(now))
        .filter(|(_, r)| {
            projects
                .iter()
                .find(|(i, _)| *i == r.project)
                .is_some_and(|(_, p)| sees_item(viewer, p, &r.recommendation.body))
        })
        .map(|(i, r)| recommendation_entry(i, shown_recommendation(viewer, r), now))
        .collect())
}

async fn visible_recommendation(
    store: &AnyStore,
    actor: &Actor,
    id: i64,
) -> AppResult<ProjectRecommendation> {
    let not_found = || AppError::NotFound(format!("no monitoring recommendation {id}"));
    let r = store
        .monitoring_recommendations(None)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, r)| r)
        .ok_or_else(not_found)?;
    let p = project_by_id(store, r.project)
        .await?
        .ok_or_else(not_found)?;
    if !sees_item(Some(actor), &p, &r.recommendation.body) {
        return Err(not_found());
    }
    Ok(r)
}

/// The body reports a recommendation executed; the organisation reviews it.
pub async fn report_execution(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    text: &str,
    evidence: &[String],
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let old = visible_recommendation(store, actor, id).await?;
    let new = monitoring::report_execution(actor, &old, text, evidence, at)?;
    crate::objections::own_evidence(store, actor, evidence).await?;
    let mut batch = batch(front, actor, now, None);
    batch
        .monitoring_recommendations
        .push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(recommendation_entry(id, new, at))
}

/// The organisation accepts a reported execution, or returns it with a
/// reason.
pub async fn review_execution(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    accept: bool,
    reason: Option<&str>,
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let old = visible_recommendation(store, actor, id).await?;
    let new = monitoring::review_execution(actor, &old, accept, reason)?;
    let mut batch = batch(front, actor, now, None);
    batch
        .monitoring_recommendations
        .push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(recommendation_entry(id, new, at))
}

// ------------------------------------------------------------ evidence

/// Whether a finding, a reply or an execution report of public monitoring
/// that the actor may see before publication cites the file. Published
/// findings do not open their files to everyone: evidence may show people
/// and their documents, so it stays with those who saw it before.
pub async fn cites(store: &AnyStore, actor: &Actor, sha256: &str) -> AppResult<bool> {
    let projects = store.monitoring_projects().await?;
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
    for (_, f) in store.monitoring_findings(None).await? {
        let cited = f.observation.evidence.contains(&sha)
            || f.reply.as_ref().is_some_and(|r| r.evidence.contains(&sha));
        if cited && sees(f.project, &f.observation.body) {
            return Ok(true);
        }
    }
    for (_, r) in store.monitoring_recommendations(None).await? {
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
