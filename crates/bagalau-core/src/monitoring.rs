//! Public monitoring of public services: accredited non-governmental
//! organisations run monitoring projects on chosen services, submit
//! findings with evidence, and address recommendations to the bodies that
//! provide the services; each body answers its findings within a term (the
//! right of reply) and reports on the execution of its recommendations.
//!
//! Projects: draft → active → reported → closed. Findings and
//! recommendations are written while a project is active; the report is
//! published (`reported`) once every finding has its reply or its term for a
//! reply has run out, and from then on the project's findings, replies and
//! recommendations are public. Until then only the organisation's monitors
//! and the body a finding or recommendation is addressed to see it.
//!
//! Recommendations are the cycle's [`Recommendation`]s (the same states,
//! overdue and on-time rules); only who issues and who reviews differ.
//! Time is a parameter: `now` is the caller's clock, and the last day of a
//! reply term is worked out by the caller on the working-day calendar.

use crate::Names;
use crate::cycle::{Actor, CycleError, Role};
use crate::recommendation::{self, Recommendation, RecommendationState};
use crate::refusal::Refusal;
pub use crate::states::ProjectStatus;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Working days a body has to reply to a finding, counted from the day
/// after it was submitted. Bagalau's default, not a term found in the law:
/// see `docs/monitoring.md` for the sources checked.
pub const REPLY_TERM_WORKING_DAYS: u32 = 10;

/// The registry id of the authorised body for public services (the Agency
/// for Civil Service Affairs, to which the methodology assigns the
/// public-services direction): its assessors keep the list of monitoring
/// organisations, as coordinators do.
pub const PUBLIC_SERVICES_AUTHORITY: &str = "acsa";

/// A field of the input that does not make sense, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonitoringError {
    /// Who, when or in which state: the rules said no.
    #[error(transparent)]
    Rule(#[from] CycleError),
    /// The input itself: every problem found, each naming its field.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
}

/// Problems found while checking an input, all reported at once.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, "may not be empty");
        }
    }

    fn done(self) -> Result<(), MonitoringError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(MonitoringError::Invalid(self.0))
        }
    }
}

/// Times are recorded to the second, the precision the store keeps them
/// in, so that the audited content and the stored record agree.
fn to_the_second(now: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    now.with_nanosecond(0).unwrap_or(now)
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn check_evidence(problems: &mut Problems, evidence: &[String]) {
    for (i, sha) in evidence.iter().enumerate() {
        if !is_sha256(sha) {
            problems.add(
                format!("evidence[{i}]"),
                format!("`{sha}` is not a SHA-256 (64 hexadecimal digits)"),
            );
        }
    }
}

// ------------------------------------------------------------ organisations

/// The revocation of an accreditation: from that day on, the organisation
/// may not act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    pub on: NaiveDate,
    pub reason: String,
}

/// An organisation's accreditation for public monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accreditation {
    /// Who accredited it (the body and its decision, as written on it).
    pub by: String,
    pub from: NaiveDate,
    /// The last day it holds.
    pub until: NaiveDate,
    #[serde(default)]
    pub revoked: Option<Revocation>,
}

impl Accreditation {
    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.until && self.revoked.as_ref().is_none_or(|r| day < r.on)
    }
}

/// A monitoring organisation: an NGO or a group of civil-society experts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Lower-case letters, digits and `_`: it is the scope of the role
    /// `monitor:ID`.
    pub id: String,
    pub name: Names,
    pub accreditation: Option<Accreditation>,
}

impl Organisation {
    pub fn accredited_on(&self, day: NaiveDate) -> bool {
        self.accreditation.as_ref().is_some_and(|a| a.holds_on(day))
    }

    /// What the audit trail records of it.
    pub fn audit_content(&self) -> String {
        let accreditation = match &self.accreditation {
            None => "not accredited".to_string(),
            Some(a) => format!(
                "accredited by {} from {} until {}{}",
                a.by,
                a.from,
                a.until,
                a.revoked.as_ref().map_or(String::new(), |r| format!(
                    "; revoked on {} because: {}",
                    r.on, r.reason
                ))
            ),
        };
        format!(
            "{} / {} / {}; {accreditation}",
            self.name.kk, self.name.ru, self.name.en
        )
    }
}

/// Coordinators and the authorised body for public services keep the list
/// of monitoring organisations and their accreditations.
pub fn may_keep_organisations(actor: &Actor) -> Result<(), CycleError> {
    let allowed = actor.roles.iter().any(|r| match r {
        Role::Coordinator => true,
        Role::Assessor { authority, .. } => authority == PUBLIC_SERVICES_AUTHORITY,
        _ => false,
    });
    if allowed {
        Ok(())
    } else {
        Err(CycleError::Forbidden(Refusal::MayNotAccredit {
            user: actor.user.clone(),
        }))
    }
}

fn check_accreditation(problems: &mut Problems, a: &Accreditation) {
    problems.required("accreditation.by", &a.by);
    if a.until < a.from {
        problems.add(
            "accreditation.until",
            format!("{} is before the start, {}", a.until, a.from),
        );
    }
    if let Some(r) = &a.revoked {
        problems.required("accreditation.revoked.reason", &r.reason);
    }
}

/// Registers an organisation, or changes its names or its accreditation
/// (a renewal replaces the accreditation; the audit trail keeps the old one).
pub fn register_organisation(
    actor: &Actor,
    organisation: Organisation,
) -> Result<Organisation, MonitoringError> {
    may_keep_organisations(actor)?;
    let mut problems = Problems::default();
    if !is_id(&organisation.id) {
        problems.add(
            "id",
            format!(
                "`{}` is not an id (lower-case letters, digits and `_`)",
                organisation.id
            ),
        );
    }
    problems.required("name.kk", &organisation.name.kk);
    problems.required("name.ru", &organisation.name.ru);
    problems.required("name.en", &organisation.name.en);
    if let Some(a) = &organisation.accreditation {
        check_accreditation(&mut problems, a);
    }
    problems.done()?;
    let trim = |s: &str| s.trim().to_string();
    Ok(Organisation {
        id: organisation.id,
        name: Names {
            kk: trim(&organisation.name.kk),
            ru: trim(&organisation.name.ru),
            en: trim(&organisation.name.en),
        },
        accreditation: organisation.accreditation.map(|a| Accreditation {
            by: trim(&a.by),
            ..a
        }),
    })
}

/// Revokes an organisation's accreditation from a day on (not before it
/// was granted), with its reason.
pub fn revoke(
    actor: &Actor,
    organisation: &Organisation,
    on: NaiveDate,
    reason: &str,
) -> Result<Organisation, MonitoringError> {
    may_keep_organisations(actor)?;
    let Some(a) = &organisation.accreditation else {
        return Err(CycleError::Forbidden(Refusal::NotAccredited {
            organisation: organisation.id.clone(),
            on,
        })
        .into());
    };
    let mut problems = Problems::default();
    problems.required("reason", reason);
    if on < a.from {
        problems.add(
            "on",
            format!("{on} is before the accreditation began ({})", a.from),
        );
    }
    problems.done()?;
    Ok(Organisation {
        accreditation: Some(Accreditation {
            revoked: Some(Revocation {
                on,
                reason: reason.trim().to_string(),
            }),
            ..a.clone()
        }),
        ..organisation.clone()
    })
}

/// The actor monitors for the organisation, and the organisation is
/// accredited on the day.
fn accredited_monitor(
    actor: &Actor,
    organisation: &Organisation,
    day: NaiveDate,
) -> Result<(), CycleError> {
    member(actor, &organisation.id)?;
    if !organisation.accredited_on(day) {
        return Err(CycleError::Forbidden(Refusal::NotAccredited {
            organisation: organisation.id.clone(),
            on: day,
        }));
    }
    Ok(())
}

fn member(actor: &Actor, organisation: &str) -> Result<(), CycleError> {
    if actor.monitors_for(organisation) {
        Ok(())
    } else {
        Err(CycleError::Forbidden(Refusal::NotMonitorOf {
            user: actor.user.clone(),
            organisation: organisation.to_string(),
        }))
    }
}

// ------------------------------------------------------------ projects

/// What a monitor proposes when creating a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectPlan {
    pub title: String,
    /// Services by their id in the Register of public services.
    pub services: Vec<String>,
    /// The regions (or cities) where the services are observed.
    pub regions: Vec<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// How the services are observed (visits, test requests, interviews…).
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub organisation: String,
    #[serde(flatten)]
    pub plan: ProjectPlan,
    pub status: ProjectStatus,
    pub created_by: String,
    /// When the report was published.
    pub reported_at: Option<NaiveDateTime>,
}

impl Project {
    pub fn is_published(&self) -> bool {
        self.status.is_published()
    }

    /// The project as shown to those outside it: the organisation, not the
    /// account of the person who opened it.
    pub fn for_the_public(&self) -> Project {
        Project {
            created_by: self.organisation.clone(),
            ..self.clone()
        }
    }

    pub fn audit_content(&self) -> String {
        let p = &self.plan;
        format!(
            "{}: {}; services={}; regions={}; {}..{}; method={}; status={}; by {}{}",
            self.organisation,
            p.title,
            p.services.join(","),
            p.regions.join(","),
            p.period_from,
            p.period_to,
            p.method,
            self.status.as_str(),
            self.created_by,
            self.reported_at
                .map_or(String::new(), |t| format!("; reported at {t}"))
        )
    }
}

/// What the rules check findings and projects against: the services in
/// force (by id, with the bodies providing them) and the bodies of the
/// registry.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub services: BTreeMap<String, Vec<String>>,
    pub bodies: BTreeSet<String>,
}

/// A monitor of an accredited organisation opens a project in draft.
pub fn create_project(
    actor: &Actor,
    organisation: &Organisation,
    plan: ProjectPlan,
    known: &Known,
    now: NaiveDateTime,
) -> Result<Project, MonitoringError> {
    accredited_monitor(actor, organisation, now.date())?;
    let mut problems = Problems::default();
    problems.required("title", &plan.title);
    problems.required("method", &plan.method);
    if plan.services.is_empty() {
        problems.add("services", "name at least one service");
    }
    for (i, s) in plan.services.iter().enumerate() {
        if !known.services.contains_key(s) {
            problems.add(
                format!("services[{i}]"),
                format!("`{s}` is not in the Register of public services"),
            );
        } else if plan.services[..i].contains(s) {
            problems.add(format!("services[{i}]"), format!("`{s}` is named twice"));
        }
    }
    if plan.regions.is_empty() {
        problems.add("regions", "name at least one region");
    }
    for (i, r) in plan.regions.iter().enumerate() {
        problems.required(&format!("regions[{i}]"), r);
    }
    if plan.period_to < plan.period_from {
        problems.add(
            "period_to",
            format!(
                "{} is before the start, {}",
                plan.period_to, plan.period_from
            ),
        );
    }
    problems.done()?;
    Ok(Project {
        organisation: organisation.id.clone(),
        plan: ProjectPlan {
            title: plan.title.trim().to_string(),
            method: plan.method.trim().to_string(),
            regions: plan.regions.iter().map(|r| r.trim().to_string()).collect(),
            ..plan
        },
        status: ProjectStatus::Draft,
        created_by: actor.user.clone(),
        reported_at: None,
    })
}

/// Moves a project on. Its organisation's monitors start it (while
/// accredited) and publish its report, once no finding awaits a reply
/// within its term; they or a coordinator close a reported project.
pub fn change_status(
    actor: &Actor,
    organisation: &Organisation,
    project: &Project,
    findings: &[(i64, Finding)],
    to: ProjectStatus,
    now: NaiveDateTime,
) -> Result<Project, MonitoringError> {
    use ProjectStatus::*;
    let today = now.date();
    match (project.status, to) {
        (Draft, Active) => accredited_monitor(actor, organisation, today)?,
        (Active, Reported) => {
            member(actor, &organisation.id)?;
            let pending: Vec<&(i64, Finding)> = findings
                .iter()
                .filter(|(_, f)| f.reply_status(today) == ReplyStatus::Awaiting)
                .collect();
            if let Some(until) = pending.iter().map(|(_, f)| f.reply_due).max() {
                let ids: Vec<String> = pending.iter().map(|(id, _)| format!("#{id}")).collect();
                return Err(CycleError::State(Refusal::RepliesPending {
                    findings: ids.join(", "),
                    until,
                })
                .into());
            }
        }
        (Reported, Closed) => {
            if !actor.has(&Role::Coordinator) {
                member(actor, &organisation.id)?;
            }
        }
        (from, to) => {
            member(actor, &organisation.id)?;
            return Err(CycleError::State(Refusal::ProjectTransition { from, to }).into());
        }
    }
    Ok(Project {
        status: to,
        reported_at: if to == Reported {
            Some(to_the_second(now))
        } else {
            project.reported_at
        },
        ..project.clone()
    })
}

// ------------------------------------------------------------ findings

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A defect that does not keep anyone from the service.
    Minor,
    /// A breach of the service's standard (term, documents, cost, channel).
    Major,
    /// A refusal or a demand outside the law; rights at stake.
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// What a monitor observed, as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The service, by its id in the register; one of the project's.
    pub service: String,
    /// The body providing it (registry id), to which the finding is addressed.
    pub body: String,
    /// One of the project's regions.
    pub region: String,
    /// The office or service point visited, if any.
    #[serde(default)]
    pub office: Option<String>,
    pub observed_on: NaiveDate,
    pub text: String,
    pub severity: Severity,
    /// SHA-256 of evidence files the monitor uploaded.
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Accepts,
    Disputes,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Accepts => "accepts",
            Stance::Disputes => "disputes",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accepts" => Some(Stance::Accepts),
            "disputes" => Some(Stance::Disputes),
            _ => None,
        }
    }
}

/// The body's answer to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub by: String,
    pub at: NaiveDateTime,
    pub stance: Stance,
    pub text: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub project: i64,
    #[serde(flatten)]
    pub observation: Observation,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    /// The last day for the body's reply.
    pub reply_due: NaiveDate,
    pub reply: Option<Reply>,
}

/// Where a finding stands on the body's right of reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    Replied,
    /// The term runs: the body may still reply.
    Awaiting,
    /// The term ran out without a reply: the finding stands as submitted.
    StandsWithoutReply,
}

impl Finding {
    /// The finding as shown to those outside its project: the organisation
    /// submitted it and the body replied, not persons' accounts.
    pub fn for_the_public(&self, organisation: &str) -> Finding {
        Finding {
            submitted_by: organisation.to_string(),
            reply: self.reply.as_ref().map(|r| Reply {
                by: self.observation.body.clone(),
                ..r.clone()
            }),
            ..self.clone()
        }
    }

    pub fn reply_status(&self, today: NaiveDate) -> ReplyStatus {
        if self.reply.is_some() {
            ReplyStatus::Replied
        } else if today <= self.reply_due {
            ReplyStatus::Awaiting
        } else {
            ReplyStatus::StandsWithoutReply
        }
    }

    pub fn audit_content(&self) -> String {
        let o = &self.observation;
        format!(
            "project {}: {} by {} in {}{} on {}; {}: {}; evidence={}; by {} at {}; reply due {}{}",
            self.project,
            o.service,
            o.body,
            o.region,
            o.office
                .as_ref()
                .map_or(String::new(), |x| format!(" ({x})")),
            o.observed_on,
            o.severity.as_str(),
            o.text,
            o.evidence.join(","),
            self.submitted_by,
            self.submitted_at,
            self.reply_due,
            self.reply.as_ref().map_or(String::new(), |r| format!(
                "; reply by {} at {}: {}: {}; evidence={}",
                r.by,
                r.at,
                r.stance.as_str(),
                r.text,
                r.evidence.join(",")
            ))
        )
    }
}

/// A monitor of the project's organisation, accredited today, submits a
/// finding on an active project. `reply_due` is the last day of the body's
/// term for a reply ([`REPLY_TERM_WORKING_DAYS`] working days from today,
/// worked out by the caller on the calendar).
pub fn submit_finding(
    actor: &Actor,
    organisation: &Organisation,
    (project_id, project): (i64, &Project),
    observation: Observation,
    known: &Known,
    now: NaiveDateTime,
    reply_due: NaiveDate,
) -> Result<Finding, MonitoringError> {
    let today = now.date();
    accredited_monitor(actor, organisation, today)?;
    if project.organisation != organisation.id {
        return Err(CycleError::Forbidden(Refusal::NotMonitorOf {
            user: actor.user.clone(),
            organisation: project.organisation.clone(),
        })
        .into());
    }
    if project.status != ProjectStatus::Active {
        return Err(CycleError::State(Refusal::ProjectNotActive {
            project_status: project.status,
        })
        .into());
    }
    let o = &observation;
    let mut problems = Problems::default();
    if !project.plan.services.contains(&o.service) {
        problems.add(
            "service",
            format!("`{}` is not among the project's services", o.service),
        );
    }
    if !known.bodies.contains(&o.body) {
        problems.add("body", format!("`{}` is not in the registry", o.body));
    } else if let Some(providers) = known.services.get(&o.service)
        && !providers.is_empty()
        && !providers.contains(&o.body)
    {
        problems.add(
            "body",
            format!(
                "`{}` does not provide `{}` (its providers: {})",
                o.body,
                o.service,
                providers.join(", ")
            ),
        );
    }
    if !project.plan.regions.iter().any(|r| r == o.region.trim()) {
        problems.add(
            "region",
            format!("`{}` is not among the project's regions", o.region),
        );
    }
    if o.observed_on < project.plan.period_from || o.observed_on > project.plan.period_to {
        problems.add(
            "observed_on",
            format!(
                "{} is outside the project's period, {} to {}",
                o.observed_on, project.plan.period_from, project.plan.period_to
            ),
        );
    } else if o.observed_on > today {
        problems.add(
            "observed_on",
            format!("{} is after today, {today}", o.observed_on),
        );
    }
    problems.required("text", &o.text);
    check_evidence(&mut problems, &o.evidence);
    if reply_due <= today {
        problems.add(
            "reply_due",
            format!("{reply_due} is not after today, {today}"),
        );
    }
    problems.done()?;
    Ok(Finding {
        project: project_id,
        observation: Observation {
            region: observation.region.trim().to_string(),
            text: observation.text.trim().to_string(),
            office: observation
                .office
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty()),
            ..observation
        },
        submitted_by: actor.user.clone(),
        submitted_at: to_the_second(now),
        reply_due,
        reply: None,
    })
}

/// The body's reporter answers a finding addressed to it, once, by the end
/// of the term: accepting it or disputing it, with its own evidence.
pub fn reply(
    actor: &Actor,
    finding: &Finding,
    stance: Stance,
    text: &str,
    evidence: &[String],
    now: NaiveDateTime,
) -> Result<Finding, MonitoringError> {
    let body = &finding.observation.body;
    if !actor.reports_for(body) {
        return Err(CycleError::Forbidden(Refusal::NotReporter {
            user: actor.user.clone(),
            body: body.clone(),
        })
        .into());
    }
    if finding.reply.is_some() {
        return Err(CycleError::State(Refusal::AlreadyReplied).into());
    }
    if now.date() > finding.reply_due {
        return Err(CycleError::State(Refusal::ReplyTermOver {
            due: finding.reply_due,
        })
        .into());
    }
    let mut problems = Problems::default();
    problems.required("text", text);
    check_evidence(&mut problems, evidence);
    problems.done()?;
    Ok(Finding {
        reply: Some(Reply {
            by: actor.user.clone(),
            at: to_the_second(now),
            stance,
            text: text.trim().to_string(),
            evidence: evidence.to_vec(),
        }),
        ..finding.clone()
    })
}

/// Who sees what is not published yet: the organisation's monitors, and
/// the reporters of the body it is addressed to.
pub fn sees_unpublished(actor: &Actor, organisation: &str, body: &str) -> bool {
    actor.monitors_for(organisation) || actor.reports_for(body)
}

/// Who sees the accounts of the people who worked on a project (its
/// monitors, the body addressed, the coordinator): everyone else sees the
/// organisation and the body instead.
pub fn sees_persons(actor: Option<&Actor>, organisation: &str, body: Option<&str>) -> bool {
    actor.is_some_and(|a| {
        a.monitors_for(organisation)
            || body.is_some_and(|b| a.reports_for(b))
            || a.roles.contains(&crate::cycle::Role::Coordinator)
    })
}

// ------------------------------------------------------------ recommendations

/// A recommendation from a monitoring project to a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectRecommendation {
    pub project: i64,
    pub organisation: String,
    pub recommendation: Recommendation,
}

impl ProjectRecommendation {
    /// The recommendation as shown outside its project: issued by the
    /// organisation, not by a person's account.
    pub fn for_the_public(&self) -> ProjectRecommendation {
        let mut public = self.clone();
        public.recommendation.issued_by = self.organisation.clone();
        public
    }

    pub fn audit_content(&self) -> String {
        format!(
            "project {} of {}: {}",
            self.project,
            self.organisation,
            self.recommendation.audit_content()
        )
    }
}

/// What a recommendation asks of a body, and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    pub body: String,
    pub text: String,
    pub due: NaiveDate,
}

/// A monitor of the project's organisation, accredited today, recommends
/// to a body that one of the project's findings is addressed to, while the
/// project is active. The recommendation's year is that of the end of the
/// project's period.
pub fn recommend(
    actor: &Actor,
    organisation: &Organisation,
    (project_id, project): (i64, &Project),
    findings: &[(i64, Finding)],
    advice: &Advice,
    now: NaiveDateTime,
) -> Result<ProjectRecommendation, MonitoringError> {
    use chrono::Datelike;
    accredited_monitor(actor, organisation, now.date())?;
    if project.organisation != organisation.id {
        return Err(CycleError::Forbidden(Refusal::NotMonitorOf {
            user: actor.user.clone(),
            organisation: project.organisation.clone(),
        })
        .into());
    }
    if project.status != ProjectStatus::Active {
        return Err(CycleError::State(Refusal::ProjectNotActive {
            project_status: project.status,
        })
        .into());
    }
    let body = advice.body.as_str();
    let addressed = findings
        .iter()
        .any(|(_, f)| f.project == project_id && f.observation.body == body);
    if !addressed {
        return Err(MonitoringError::Invalid(vec![Problem {
            field: "body".into(),
            message: format!("no finding of the project is addressed to `{body}`"),
        }]));
    }
    let recommendation = recommendation::open(
        project.plan.period_to.year(),
        body,
        &actor.user,
        &advice.text,
        advice.due,
        now,
    )?;
    Ok(ProjectRecommendation {
        project: project_id,
        organisation: organisation.id.clone(),
        recommendation,
    })
}

/// The body reports on execution: the cycle's rule, unchanged.
pub fn report_execution(
    actor: &Actor,
    r: &ProjectRecommendation,
    text: &str,
    evidence: &[String],
    now: NaiveDateTime,
) -> Result<ProjectRecommendation, MonitoringError> {
    let recommendation = recommendation::report(actor, &r.recommendation, text, evidence, now)?;
    Ok(ProjectRecommendation {
        recommendation,
        ..r.clone()
    })
}

/// Any monitor of the organisation that issued it accepts the body's
/// report (executed) or returns it with a reason. The organisation need
/// not be accredited any more: following up its own recommendations is
/// what public monitoring is for.
pub fn review_execution(
    actor: &Actor,
    r: &ProjectRecommendation,
    accept: bool,
    reason: Option<&str>,
) -> Result<ProjectRecommendation, MonitoringError> {
    member(actor, &r.organisation)?;
    let recommendation = recommendation::settle(&r.recommendation, accept, reason)?;
    Ok(ProjectRecommendation {
        recommendation,
        ..r.clone()
    })
}

/// What public monitoring asks of this actor: the findings addressed to
/// their body that await its reply (until the last day of the term; after
/// it the finding stands and nothing is asked), and the monitoring
/// recommendations to report on or to review, as the cycle's are.
pub fn due(
    actor: &Actor,
    findings: &[(i64, Finding)],
    recommendations: &[(i64, ProjectRecommendation)],
    now: NaiveDateTime,
) -> Vec<crate::cycle::Due> {
    use crate::cycle::{Due, Task};
    let mut out = Vec::new();
    for (id, f) in findings {
        if f.reply_status(now.date()) == ReplyStatus::Awaiting
            && actor.reports_for(&f.observation.body)
        {
            let task = Task::ReplyToFinding { finding: *id };
            let deadline = f
                .reply_due
                .and_hms_opt(23, 59, 59)
                .expect("the end of a day");
            out.push(Due {
                what: task.describe(),
                task,
                body: Some(f.observation.body.clone()),
                deadline,
                overdue: now > deadline,
            });
        }
    }
    for (id, r) in recommendations {
        let rec = &r.recommendation;
        let task = match rec.state {
            RecommendationState::Open | RecommendationState::Returned
                if actor.reports_for(&rec.body) =>
            {
                Task::ReportMonitoringExecution { recommendation: *id }
            }
            // Any monitor of the organisation reviews, not only the author.
            RecommendationState::Reported
                if actor.roles.iter().any(|role| {
                    matches!(role, Role::OrganisationMonitor { organisation } if *organisation == r.organisation)
                }) =>
            {
                Task::ReviewMonitoringReport { recommendation: *id }
            }
            _ => continue,
        };
        out.push(Due {
            what: task.describe(),
            task,
            body: Some(rec.body.clone()),
            deadline: rec.deadline(),
            overdue: now > rec.deadline(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn at(m: u32, d: u32) -> NaiveDateTime {
        day(m, d).and_hms_opt(10, 0, 0).unwrap()
    }

    fn actor(user: &str, roles: &[&str]) -> Actor {
        Actor {
            user: user.into(),
            roles: roles.iter().map(|r| Role::parse(r).unwrap()).collect(),
        }
    }

    fn names(s: &str) -> Names {
        Names {
            kk: format!("{s} kk"),
            ru: format!("{s} ru"),
            en: format!("{s} en"),
        }
    }

    fn organisation() -> Organisation {
        Organisation {
            id: "adal".into(),
            name: names("Adal"),
            accreditation: Some(Accreditation {
                by: "acsa, order 12".into(),
                from: day(1, 1),
                until: day(12, 31),
                revoked: None,
            }),
        }
    }

    fn known() -> Known {
        Known {
            services: BTreeMap::from([
                ("s1".to_string(), vec!["mia".to_string(), "moj".to_string()]),
                ("s2".to_string(), Vec::new()),
            ]),
            bodies: ["mia", "moj", "minfin"].map(String::from).into(),
        }
    }

    fn plan() -> ProjectPlan {
        ProjectPlan {
            title: " Passports ".into(),
            services: vec!["s1".into(), "s2".into()],
            regions: vec!["almaty".into()],
            period_from: day(2, 1),
            period_to: day(4, 30),
            method: "test visits".into(),
        }
    }

    fn observation() -> Observation {
        Observation {
            service: "s1".into(),
            body: "mia".into(),
            region: "almaty".into(),
            office: Some("PSC No. 3".into()),
            observed_on: day(2, 10),
            text: "asked for a document the standard does not list".into(),
            severity: Severity::Major,
            evidence: vec!["ab".repeat(32)],
        }
    }

    fn active_project() -> Project {
        let monitor = actor("aigerim", &["monitor:adal"]);
        let p = create_project(&monitor, &organisation(), plan(), &known(), at(1, 20)).unwrap();
        change_status(
            &monitor,
            &organisation(),
            &p,
            &[],
            ProjectStatus::Active,
            at(1, 21),
        )
        .unwrap()
    }

    fn refusal(e: MonitoringError) -> Refusal {
        match e {
            MonitoringError::Rule(r) => r.refusal().unwrap(),
            other => panic!("not a rule: {other}"),
        }
    }

    fn fields(e: MonitoringError) -> Vec<String> {
        match e {
            MonitoringError::Invalid(p) => p.into_iter().map(|p| p.field).collect(),
            other => panic!("not invalid input: {other}"),
        }
    }

    #[test]
    fn accreditation_holds_from_its_first_to_its_last_day_until_revoked() {
        let mut o = organisation();
        assert!(!o.accredited_on(day(1, 1).pred_opt().unwrap()));
        assert!(o.accredited_on(day(1, 1)));
        assert!(o.accredited_on(day(12, 31)));
        let coordinator = actor("c", &["coordinator"]);
        o = revoke(&coordinator, &o, day(6, 1), "conflict of interest").unwrap();
        assert!(o.accredited_on(day(5, 31)));
        assert!(!o.accredited_on(day(6, 1)));
        assert!(o.audit_content().contains("revoked on 2026-06-01"));
        assert_eq!(
            fields(revoke(&coordinator, &organisation(), day(6, 1), " ").unwrap_err()),
            vec!["reason"]
        );
    }

    #[test]
    fn coordinators_and_the_public_services_authority_keep_the_list() {
        for who in [
            actor("c", &["coordinator"]),
            actor("a", &["assessor:services@acsa"]),
        ] {
            assert!(register_organisation(&who, organisation()).is_ok());
        }
        for who in [
            actor("a", &["assessor:budget@audit_chamber"]),
            actor("m", &["monitor:adal"]),
            actor("r", &["reporter:mia"]),
        ] {
            assert_eq!(
                refusal(register_organisation(&who, organisation()).unwrap_err()).code(),
                "may_not_accredit"
            );
        }
        let mut bad = organisation();
        bad.id = "Adal NGO".into();
        bad.name.ru = String::new();
        bad.accreditation.as_mut().unwrap().until = day(1, 1).pred_opt().unwrap();
        assert_eq!(
            fields(register_organisation(&actor("c", &["coordinator"]), bad).unwrap_err()),
            vec!["id", "name.ru", "accreditation.until"]
        );
    }

    #[test]
    fn only_monitors_of_an_accredited_organisation_open_projects() {
        let p = create_project(
            &actor("aigerim", &["monitor:adal"]),
            &organisation(),
            plan(),
            &known(),
            at(1, 20),
        )
        .unwrap();
        assert_eq!(p.status, ProjectStatus::Draft);
        assert_eq!(p.plan.title, "Passports");
        let other = actor("x", &["monitor:other"]);
        assert_eq!(
            refusal(
                create_project(&other, &organisation(), plan(), &known(), at(1, 20)).unwrap_err()
            ),
            Refusal::NotMonitorOf {
                user: "x".into(),
                organisation: "adal".into()
            }
        );
        // The day after the accreditation ends, nothing new is opened.
        let late = NaiveDate::from_ymd_opt(2027, 1, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            refusal(
                create_project(
                    &actor("aigerim", &["monitor:adal"]),
                    &organisation(),
                    plan(),
                    &known(),
                    late
                )
                .unwrap_err()
            )
            .code(),
            "not_accredited"
        );
        let mut bad = plan();
        bad.services = vec!["s1".into(), "nope".into(), "s1".into()];
        bad.regions = vec![];
        bad.period_to = day(1, 1);
        assert_eq!(
            fields(
                create_project(
                    &actor("aigerim", &["monitor:adal"]),
                    &organisation(),
                    bad,
                    &known(),
                    at(1, 20)
                )
                .unwrap_err()
            ),
            vec!["services[1]", "services[2]", "regions", "period_to"]
        );
    }

    #[test]
    fn findings_are_checked_against_the_project_and_the_register() {
        let monitor = actor("aigerim", &["monitor:adal"]);
        let p = active_project();
        let f = submit_finding(
            &monitor,
            &organisation(),
            (1, &p),
            observation(),
            &known(),
            at(2, 11),
            day(2, 25),
        )
        .unwrap();
        assert_eq!(f.reply_status(day(2, 25)), ReplyStatus::Awaiting);
        assert_eq!(f.reply_status(day(2, 26)), ReplyStatus::StandsWithoutReply);
        let mut bad = observation();
        bad.service = "s9".into();
        bad.body = "minfin".into();
        bad.region = "astana".into();
        bad.observed_on = day(5, 1);
        bad.text = "  ".into();
        bad.evidence = vec!["not a hash".into()];
        assert_eq!(
            fields(
                submit_finding(
                    &monitor,
                    &organisation(),
                    (1, &p),
                    bad,
                    &known(),
                    at(2, 11),
                    day(2, 25)
                )
                .unwrap_err()
            ),
            vec!["service", "region", "observed_on", "text", "evidence[0]"]
        );
        // A body that does not provide the service.
        let mut wrong = observation();
        wrong.body = "minfin".into();
        assert_eq!(
            fields(
                submit_finding(
                    &monitor,
                    &organisation(),
                    (1, &p),
                    wrong,
                    &known(),
                    at(2, 11),
                    day(2, 25)
                )
                .unwrap_err()
            ),
            vec!["body"]
        );
        // A draft project takes no findings.
        let draft = Project {
            status: ProjectStatus::Draft,
            ..p.clone()
        };
        assert_eq!(
            refusal(
                submit_finding(
                    &monitor,
                    &organisation(),
                    (1, &draft),
                    observation(),
                    &known(),
                    at(2, 11),
                    day(2, 25)
                )
                .unwrap_err()
            ),
            Refusal::ProjectNotActive {
                project_status: ProjectStatus::Draft
            }
        );
    }

    #[test]
    fn the_body_replies_once_within_its_term() {
        let p = active_project();
        let f = submit_finding(
            &actor("aigerim", &["monitor:adal"]),
            &organisation(),
            (1, &p),
            observation(),
            &known(),
            at(2, 11),
            day(2, 25),
        )
        .unwrap();
        let mia = actor("mia_staff", &["reporter:mia"]);
        let moj = actor("moj_staff", &["reporter:moj"]);
        assert_eq!(
            refusal(reply(&moj, &f, Stance::Accepts, "ok", &[], at(2, 12)).unwrap_err()).code(),
            "not_reporter"
        );
        assert_eq!(
            fields(reply(&mia, &f, Stance::Disputes, " ", &[], at(2, 12)).unwrap_err()),
            vec!["text"]
        );
        assert_eq!(
            refusal(reply(&mia, &f, Stance::Accepts, "ok", &[], at(2, 26)).unwrap_err()),
            Refusal::ReplyTermOver { due: day(2, 25) }
        );
        let replied = reply(
            &mia,
            &f,
            Stance::Disputes,
            "the document is required by order 5",
            &["cd".repeat(32)],
            day(2, 25).and_hms_opt(23, 0, 0).unwrap(),
        )
        .unwrap();
        assert_eq!(replied.reply_status(day(3, 30)), ReplyStatus::Replied);
        // Kept to the second, as stored, whatever the clock's precision.
        let precise = at(2, 12) + chrono::Duration::nanoseconds(724_915_686);
        let stored_time = reply(&mia, &f, Stance::Accepts, "ok", &[], precise).unwrap();
        assert_eq!(stored_time.reply.unwrap().at, at(2, 12));
        assert!(replied.audit_content().contains("disputes"));
        assert_eq!(
            refusal(reply(&mia, &replied, Stance::Accepts, "ok", &[], at(2, 20)).unwrap_err()),
            Refusal::AlreadyReplied
        );
    }

    #[test]
    fn the_report_waits_for_replies_or_the_end_of_their_term() {
        let monitor = actor("aigerim", &["monitor:adal"]);
        let p = active_project();
        let f = submit_finding(
            &monitor,
            &organisation(),
            (7, &p),
            observation(),
            &known(),
            at(2, 11),
            day(2, 25),
        )
        .unwrap();
        let findings = vec![(3, f.clone())];
        let early = change_status(
            &monitor,
            &organisation(),
            &p,
            &findings,
            ProjectStatus::Reported,
            at(2, 20),
        );
        assert_eq!(
            refusal(early.unwrap_err()),
            Refusal::RepliesPending {
                findings: "#3".into(),
                until: day(2, 25)
            }
        );
        let reported = change_status(
            &monitor,
            &organisation(),
            &p,
            &findings,
            ProjectStatus::Reported,
            at(2, 26),
        )
        .unwrap();
        assert!(reported.is_published());
        assert_eq!(reported.reported_at, Some(at(2, 26)));
        assert_eq!(
            refusal(
                change_status(
                    &monitor,
                    &organisation(),
                    &reported,
                    &findings,
                    ProjectStatus::Active,
                    at(2, 27)
                )
                .unwrap_err()
            ),
            Refusal::ProjectTransition {
                from: ProjectStatus::Reported,
                to: ProjectStatus::Active
            }
        );
        // A coordinator closes a reported project; another organisation does not.
        assert!(
            change_status(
                &actor("c", &["coordinator"]),
                &organisation(),
                &reported,
                &findings,
                ProjectStatus::Closed,
                at(3, 1)
            )
            .is_ok()
        );
        assert_eq!(
            refusal(
                change_status(
                    &actor("x", &["monitor:other"]),
                    &organisation(),
                    &reported,
                    &findings,
                    ProjectStatus::Closed,
                    at(3, 1)
                )
                .unwrap_err()
            )
            .code(),
            "not_monitor_of"
        );
    }

    #[test]
    fn recommendations_follow_the_cycles_rules() {
        let monitor = actor("aigerim", &["monitor:adal"]);
        let colleague = actor("daulet", &["monitor:adal"]);
        let p = active_project();
        let f = submit_finding(
            &monitor,
            &organisation(),
            (1, &p),
            observation(),
            &known(),
            at(2, 11),
            day(2, 25),
        )
        .unwrap();
        let findings = vec![(1, f)];
        assert_eq!(
            fields(
                recommend(
                    &monitor,
                    &organisation(),
                    (1, &p),
                    &findings,
                    &Advice {
                        body: "moj".into(),
                        text: "train staff".into(),
                        due: day(6, 1)
                    },
                    at(2, 12)
                )
                .unwrap_err()
            ),
            vec!["body"]
        );
        assert_eq!(
            refusal(
                recommend(
                    &monitor,
                    &organisation(),
                    (1, &p),
                    &findings,
                    &Advice {
                        body: "mia".into(),
                        text: "train staff".into(),
                        due: day(2, 12)
                    },
                    at(2, 12)
                )
                .unwrap_err()
            )
            .code(),
            "due_not_after_today"
        );
        let r = recommend(
            &monitor,
            &organisation(),
            (1, &p),
            &findings,
            &Advice {
                body: "mia".into(),
                text: "publish the list of documents at every office".into(),
                due: day(6, 1),
            },
            at(2, 12),
        )
        .unwrap();
        assert_eq!(r.recommendation.year, 2026);
        assert_eq!(r.recommendation.state, RecommendationState::Open);
        let mia = actor("mia_staff", &["reporter:mia"]);
        let reported = report_execution(&mia, &r, "posted", &[], at(5, 30)).unwrap();
        assert_eq!(
            refusal(
                review_execution(&actor("x", &["monitor:other"]), &reported, true, None)
                    .unwrap_err()
            )
            .code(),
            "not_monitor_of"
        );
        // Any monitor of the organisation reviews, not only the author.
        let executed = review_execution(&colleague, &reported, true, None).unwrap();
        assert!(executed.recommendation.executed_on_time());
        let late = report_execution(&mia, &r, "posted", &[], at(6, 2)).unwrap();
        let late = review_execution(&colleague, &late, true, None).unwrap();
        assert!(!late.recommendation.executed_on_time());
        assert!(r.recommendation.is_overdue(at(6, 2)));
    }

    #[test]
    fn unpublished_work_is_seen_by_the_organisation_and_the_body_only() {
        assert!(sees_unpublished(
            &actor("m", &["monitor:adal"]),
            "adal",
            "mia"
        ));
        assert!(sees_unpublished(
            &actor("r", &["reporter:mia"]),
            "adal",
            "mia"
        ));
        for other in [
            actor("m", &["monitor:other"]),
            actor("m", &["monitor"]),
            actor("r", &["reporter:moj"]),
            actor("c", &["coordinator"]),
        ] {
            assert!(!sees_unpublished(&other, "adal", "mia"), "{other:?}");
        }
    }

    #[test]
    fn the_body_is_asked_to_reply_within_the_term_and_monitors_to_review() {
        let monitor = actor("aigerim", &["monitor:adal"]);
        let p = active_project();
        let f = submit_finding(
            &monitor,
            &organisation(),
            (1, &p),
            observation(),
            &known(),
            at(2, 11),
            day(2, 25),
        )
        .unwrap();
        let findings = vec![(7, f)];
        let mia = actor("mia_staff", &["reporter:mia"]);
        let items = due(&mia, &findings, &[], at(2, 12));
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].task,
            crate::cycle::Task::ReplyToFinding { finding: 7 }
        );
        assert_eq!(items[0].body.as_deref(), Some("mia"));
        assert_eq!(
            items[0].deadline,
            day(2, 25).and_hms_opt(23, 59, 59).unwrap()
        );
        assert!(!items[0].overdue);
        // Nothing for another body, nor after the term (the finding stands).
        assert!(due(&actor("m", &["reporter:moj"]), &findings, &[], at(2, 12)).is_empty());
        assert!(due(&mia, &findings, &[], at(2, 26)).is_empty());
        let r = recommend(
            &monitor,
            &organisation(),
            (1, &p),
            &findings,
            &Advice {
                body: "mia".into(),
                text: "publish the list of documents at every office".into(),
                due: day(6, 1),
            },
            at(2, 26),
        )
        .unwrap();
        let open = vec![(3, r.clone())];
        let items = due(&mia, &[], &open, at(6, 2));
        assert_eq!(
            items[0].task,
            crate::cycle::Task::ReportMonitoringExecution { recommendation: 3 }
        );
        assert!(items[0].overdue);
        assert!(due(&monitor, &[], &open, at(3, 1)).is_empty());
        let reported = vec![(
            3,
            report_execution(&mia, &r, "posted", &[], at(5, 30)).unwrap(),
        )];
        let colleague = actor("dana", &["monitor:adal"]);
        let items = due(&colleague, &[], &reported, at(5, 31));
        assert_eq!(
            items[0].task,
            crate::cycle::Task::ReviewMonitoringReport { recommendation: 3 }
        );
        assert!(due(&actor("x", &["monitor:other"]), &[], &reported, at(5, 31)).is_empty());
        assert!(due(&mia, &[], &reported, at(5, 31)).is_empty());
    }
}
