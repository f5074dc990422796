//! Recommendations and orders issued to evaluated bodies after an assessment,
//! and the monitoring of their execution: the body reports, the issuer
//! accepts or returns the report, and the share executed on time becomes an
//! indicator for the next cycle's methodology.
//!
//! States: open → reported → executed, or reported → returned → reported …
//! A recommendation is executed on time when the report that was accepted
//! arrived by the end of its due date.

use crate::cycle::{Actor, CycleError, Due, Role, Task};
use crate::refusal::Refusal;
pub use crate::states::RecommendationState;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The assessment year the recommendation follows from.
    pub year: i32,
    pub body: String,
    pub issued_by: String,
    pub text: String,
    pub due: NaiveDate,
    pub state: RecommendationState,
    /// The body's latest report on execution.
    pub report: Option<String>,
    pub reported_at: Option<NaiveDateTime>,
    /// SHA-256 of the evidence files supporting the latest report.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The issuer's reason when returning a report.
    pub review_reason: Option<String>,
}

impl Recommendation {
    /// The last moment of the due date.
    pub fn deadline(&self) -> NaiveDateTime {
        self.due
            .and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"))
    }

    /// Not executed and past its due date.
    pub fn is_overdue(&self, now: NaiveDateTime) -> bool {
        self.state != RecommendationState::Executed && now > self.deadline()
    }

    pub fn executed_on_time(&self) -> bool {
        self.state == RecommendationState::Executed
            && self.reported_at.is_some_and(|at| at <= self.deadline())
    }

    /// What the audit trail records of it.
    pub fn audit_content(&self) -> String {
        format!(
            "{}/{} due {} by {}: {}; state={}{}{}{}",
            self.year,
            self.body,
            self.due,
            self.issued_by,
            self.text,
            self.state.as_str(),
            self.report
                .as_ref()
                .map_or(String::new(), |r| format!("; report: {r}")),
            if self.evidence.is_empty() {
                String::new()
            } else {
                format!("; evidence: {}", self.evidence.join(","))
            },
            self.review_reason
                .as_ref()
                .map_or(String::new(), |r| format!("; returned because: {r}")),
        )
    }
}

fn issues_recommendations(actor: &Actor) -> bool {
    actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Coordinator | Role::CommissionMember | Role::Assessor { .. }
        )
    })
}

/// A coordinator, a commission member or an authorized body's assessor issues
/// a recommendation; an authorized body never to itself. The due date must be
/// after today.
pub fn issue(
    actor: &Actor,
    year: i32,
    body: &str,
    text: &str,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<Recommendation, CycleError> {
    if !issues_recommendations(actor) {
        return Err(CycleError::Forbidden(Refusal::MayNotIssue));
    }
    let coordinator_or_commission =
        actor.has(&Role::Coordinator) || actor.has(&Role::CommissionMember);
    let own_body = actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Assessor { authority, .. } if authority == body));
    if !coordinator_or_commission && own_body {
        return Err(CycleError::Duties(Refusal::IssuesToItself {
            body: body.to_string(),
        }));
    }
    open(year, body, &actor.user, text, due, now)
}

/// A new open recommendation, once the issuer's right to issue it is
/// settled: it needs a text and a due date after today. Shared by the
/// cycle's recommendations and those of public monitoring.
pub fn open(
    year: i32,
    body: &str,
    issued_by: &str,
    text: &str,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<Recommendation, CycleError> {
    if text.trim().is_empty() {
        return Err(CycleError::State(Refusal::TextRequired));
    }
    if due <= now.date() {
        return Err(CycleError::State(Refusal::DueNotAfterToday {
            due,
            today: now.date(),
        }));
    }
    Ok(Recommendation {
        year,
        body: body.to_string(),
        issued_by: issued_by.to_string(),
        text: text.trim().to_string(),
        due,
        state: RecommendationState::Open,
        report: None,
        reported_at: None,
        evidence: Vec::new(),
        review_reason: None,
    })
}

/// The body's reporter reports execution of an open or returned
/// recommendation, with the SHA-256 of its evidence files. Late reports are accepted (and count as late).
pub fn report(
    actor: &Actor,
    r: &Recommendation,
    text: &str,
    evidence: &[String],
    now: NaiveDateTime,
) -> Result<Recommendation, CycleError> {
    if !actor.reports_for(&r.body) {
        return Err(CycleError::Forbidden(Refusal::NotReporter {
            user: actor.user.clone(),
            body: r.body.clone(),
        }));
    }
    if !matches!(
        r.state,
        RecommendationState::Open | RecommendationState::Returned
    ) {
        return Err(CycleError::State(Refusal::RecommendationNotOpen {
            recommendation_state: r.state,
        }));
    }
    if text.trim().is_empty() {
        return Err(CycleError::State(Refusal::TextRequired));
    }
    Ok(Recommendation {
        state: RecommendationState::Reported,
        report: Some(text.trim().to_string()),
        reported_at: Some(now),
        evidence: evidence.to_vec(),
        review_reason: None,
        ..r.clone()
    })
}

/// The issuer (or a coordinator) accepts a report, or returns it with a reason.
pub fn review(
    actor: &Actor,
    r: &Recommendation,
    accept: bool,
    reason: Option<&str>,
) -> Result<Recommendation, CycleError> {
    if actor.user != r.issued_by && !actor.has(&Role::Coordinator) {
        return Err(CycleError::Forbidden(Refusal::NotIssuer {
            issuer: r.issued_by.clone(),
        }));
    }
    settle(r, accept, reason)
}

/// The decision on a report, once the reviewer's right to decide is
/// settled: accepted (executed), or returned with its reason. Shared by the
/// cycle's recommendations and those of public monitoring.
pub fn settle(
    r: &Recommendation,
    accept: bool,
    reason: Option<&str>,
) -> Result<Recommendation, CycleError> {
    if r.state != RecommendationState::Reported {
        return Err(CycleError::State(Refusal::NotReported {
            recommendation_state: r.state,
        }));
    }
    if accept {
        return Ok(Recommendation {
            state: RecommendationState::Executed,
            review_reason: None,
            ..r.clone()
        });
    }
    let reason = reason
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or(CycleError::State(Refusal::ReasonRequired))?;
    Ok(Recommendation {
        state: RecommendationState::Returned,
        review_reason: Some(reason.to_string()),
        ..r.clone()
    })
}

/// How many of a body's recommendations were due, and how many of those were
/// executed on time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OnTime {
    pub due: u32,
    pub on_time: u32,
}

impl OnTime {
    pub fn percent(self) -> f64 {
        100.0 * f64::from(self.on_time) / f64::from(self.due)
    }
}

/// Per body, its recommendations due by `cutoff` and those executed on time.
/// Bodies with nothing due by then are absent (no value, not zero).
pub fn executed_on_time(
    recommendations: &[Recommendation],
    cutoff: NaiveDate,
) -> BTreeMap<String, OnTime> {
    let mut counts: BTreeMap<String, OnTime> = BTreeMap::new();
    for r in recommendations.iter().filter(|r| r.due <= cutoff) {
        let c = counts.entry(r.body.clone()).or_default();
        c.due += 1;
        c.on_time += u32::from(r.executed_on_time());
    }
    counts
}

/// What recommendations ask of this actor: their body's open or returned
/// ones to report on, and the reports waiting for the issuer's review.
pub fn due(
    actor: &Actor,
    recommendations: &[(i64, Recommendation)],
    now: NaiveDateTime,
) -> Vec<Due> {
    let mut out = Vec::new();
    for (id, r) in recommendations {
        let task = match r.state {
            RecommendationState::Open | RecommendationState::Returned
                if actor.reports_for(&r.body) =>
            {
                Task::ReportExecution {
                    recommendation: *id,
                }
            }
            RecommendationState::Reported if actor.user == r.issued_by => Task::ReviewReport {
                recommendation: *id,
            },
            _ => continue,
        };
        out.push(Due {
            what: task.describe(),
            task,
            body: Some(r.body.clone()),
            deadline: r.deadline(),
            overdue: now > r.deadline(),
        });
    }
    out
}
