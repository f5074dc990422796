//! The yearly cycle's rules, as pure functions: who may do what, when, and
//! in which state. Time is a parameter (`now`), so every deadline can be
//! tested; nothing here stores anything: the caller applies the decisions.
//!
//! Stages: submission → verification → preliminary conclusions → objections
//! → final conclusions → commission → publication. Roles are scoped: a
//! reporter to its body, an assessor to its direction (and the bodies it
//! assesses), and nobody decides an objection against a conclusion they
//! wrote, or assesses their own body.

use chrono::{Datelike, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::refusal::Refusal;
pub use crate::roles::{Actor, Role};
pub use crate::states::{ObjectionState, Stage};

/// The deadline of every stage (inclusive: the stage is open until then).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    pub deadlines: BTreeMap<Stage, NaiveDateTime>,
}

impl Calendar {
    /// Every stage has a deadline, and each comes after the one before.
    pub fn check(&self) -> Result<(), CycleError> {
        let mut previous: Option<(Stage, NaiveDateTime)> = None;
        for stage in Stage::ALL {
            let Some(&d) = self.deadlines.get(&stage) else {
                return Err(CycleError::Calendar(format!(
                    "no deadline for {}",
                    stage.label()
                )));
            };
            if let Some((p, pd)) = previous
                && d <= pd
            {
                return Err(CycleError::Calendar(format!(
                    "the deadline for {} ({d}) is not after the one for {} ({pd})",
                    stage.label(),
                    p.label()
                )));
            }
            previous = Some((stage, d));
        }
        Ok(())
    }

    /// [`Calendar::check`], and the cycle assesses `year`: its stages run
    /// after the year has ended (its data exist only then).
    pub fn check_for(&self, year: i32) -> Result<(), CycleError> {
        self.check()?;
        let first = self.deadline(Stage::Submission);
        if first.year() <= year {
            return Err(CycleError::Calendar(format!(
                "the deadline for {} ({first}) is before {year} has ended: the year's data cannot be reported yet",
                Stage::Submission.label()
            )));
        }
        Ok(())
    }

    pub fn deadline(&self, stage: Stage) -> NaiveDateTime {
        self.deadlines[&stage]
    }

    /// The stage open at `now`: the first whose deadline has not passed.
    pub fn current(&self, now: NaiveDateTime) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| now <= self.deadline(*s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CycleError {
    #[error("not allowed: {0}")]
    Forbidden(Refusal),
    #[error("too late: the deadline for {} was {deadline}", stage.label())]
    Late {
        stage: Stage,
        deadline: NaiveDateTime,
    },
    #[error("too early: {0}")]
    Early(Refusal),
    #[error("not possible now: {0}")]
    State(Refusal),
    #[error("separation of duties: {0}")]
    Duties(Refusal),
    #[error("invalid calendar: {0}")]
    Calendar(String),
}

impl CycleError {
    /// Why, as data (none for a malformed calendar, which is the
    /// coordinator's input, not a rule's refusal).
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            CycleError::Forbidden(r)
            | CycleError::Early(r)
            | CycleError::State(r)
            | CycleError::Duties(r) => Some(r.clone()),
            CycleError::Late { stage, deadline } => Some(Refusal::Closed {
                stage: *stage,
                deadline: *deadline,
            }),
            CycleError::Calendar(_) => None,
        }
    }
}

fn late(stage: Stage, deadline: NaiveDateTime) -> CycleError {
    CycleError::Late { stage, deadline }
}

fn not_open_yet(stage: Stage, opens_after: NaiveDateTime) -> CycleError {
    CycleError::Early(Refusal::NotOpenYet { stage, opens_after })
}

fn not_reporter(actor: &Actor, body: &str) -> CycleError {
    CycleError::Forbidden(Refusal::NotReporter {
        user: actor.user.clone(),
        body: body.to_string(),
    })
}

// ------------------------------------------------------------ submissions

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionState {
    Draft,
    Submitted,
}

/// An extension of the submission deadline for one body, granted by a coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extension {
    pub body: String,
    pub until: NaiveDateTime,
    pub granted_by: String,
    pub reason: String,
}

/// The submission deadline for a body, extensions included.
pub fn submission_deadline(
    calendar: &Calendar,
    extensions: &[Extension],
    body: &str,
) -> NaiveDateTime {
    extensions
        .iter()
        .filter(|e| e.body == body)
        .map(|e| e.until)
        .fold(calendar.deadline(Stage::Submission), NaiveDateTime::max)
}

/// A reporter saves a draft or submits its own body's data before its deadline.
pub fn may_submit(
    actor: &Actor,
    body: &str,
    state: Option<SubmissionState>,
    calendar: &Calendar,
    extensions: &[Extension],
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.reports_for(body) {
        return Err(not_reporter(actor, body));
    }
    let deadline = submission_deadline(calendar, extensions, body);
    if now > deadline {
        return Err(late(Stage::Submission, deadline));
    }
    if state == Some(SubmissionState::Submitted) {
        return Err(CycleError::State(Refusal::AlreadySubmitted {
            body: body.to_string(),
        }));
    }
    Ok(())
}

/// A coordinator extends a body's submission deadline (before the verification deadline).
pub fn may_extend(
    actor: &Actor,
    until: NaiveDateTime,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.has(&Role::Coordinator) {
        return Err(CycleError::Forbidden(Refusal::NotCoordinator {
            user: actor.user.clone(),
        }));
    }
    if until <= now {
        return Err(CycleError::State(Refusal::ExtensionNotInFuture));
    }
    if until >= calendar.deadline(Stage::Verification) {
        return Err(CycleError::State(Refusal::ExtensionAfterVerification {
            deadline: calendar.deadline(Stage::Verification),
        }));
    }
    Ok(())
}

// ------------------------------------------------------------ verification

/// A verifier records a finding (and its correction) for a body selected for
/// verification, during the verification stage: after submissions close,
/// before the verification deadline.
pub fn may_record_finding(
    actor: &Actor,
    body: &str,
    selected: bool,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.has(&Role::Verifier) {
        return Err(CycleError::Forbidden(Refusal::NotVerifier {
            user: actor.user.clone(),
        }));
    }
    if !selected {
        return Err(CycleError::State(Refusal::NotSelected {
            body: body.to_string(),
        }));
    }
    if now <= calendar.deadline(Stage::Submission) {
        return Err(not_open_yet(
            Stage::Verification,
            calendar.deadline(Stage::Submission),
        ));
    }
    if now > calendar.deadline(Stage::Verification) {
        return Err(late(
            Stage::Verification,
            calendar.deadline(Stage::Verification),
        ));
    }
    Ok(())
}

// ------------------------------------------------------------ conclusions and objections

/// A conclusion on one direction for one body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conclusion {
    pub direction: String,
    pub body: String,
    pub author: String,
    pub text: String,
    pub is_final: bool,
}

/// An authorized body's assessor writes the conclusion on its direction; it
/// may not assess itself. Preliminary conclusions are written in the
/// preliminary stage (after submission closed), final ones after objections.
pub fn may_conclude(
    actor: &Actor,
    direction: &str,
    body: &str,
    is_final: bool,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    let Some(authority) = actor.assesses(direction) else {
        return Err(CycleError::Forbidden(Refusal::NotAssessor {
            user: actor.user.clone(),
            direction: direction.to_string(),
        }));
    };
    if authority == body {
        return Err(CycleError::Duties(Refusal::AssessesItself {
            authority: authority.to_string(),
            direction: direction.to_string(),
        }));
    }
    let (stage, opens_after) = if is_final {
        (Stage::Final, Stage::Objections)
    } else {
        (Stage::Preliminary, Stage::Verification)
    };
    if now <= calendar.deadline(opens_after) {
        return Err(not_open_yet(stage, calendar.deadline(opens_after)));
    }
    if now > calendar.deadline(stage) {
        return Err(late(stage, calendar.deadline(stage)));
    }
    Ok(())
}

/// The methodology assigns each direction to one authorized body: only that
/// body's assessors conclude on the direction and decide objections to it.
pub fn check_assignment(
    actor: &Actor,
    direction: &str,
    authorized_body: &str,
) -> Result<(), CycleError> {
    let assigned = actor.roles.iter().any(|r| {
        matches!(r, Role::Assessor { direction: d, authority } if d == direction && authority == authorized_body)
    });
    if assigned {
        Ok(())
    } else {
        Err(CycleError::Forbidden(Refusal::NotAssigned {
            user: actor.user.clone(),
            direction: direction.to_string(),
            authorized_body: authorized_body.to_string(),
        }))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objection {
    pub body: String,
    pub direction: String,
    pub criterion: String,
    pub filed_by: String,
    pub statement: String,
    pub state: ObjectionState,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// SHA-256 of the supporting files (in the evidence store).
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A reporter objects to its own body's preliminary conclusion, per criterion,
/// during the objection stage.
pub fn may_object(
    actor: &Actor,
    body: &str,
    preliminary: Option<&Conclusion>,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.reports_for(body) {
        return Err(not_reporter(actor, body));
    }
    if preliminary.is_none() {
        return Err(CycleError::State(Refusal::NoPreliminary));
    }
    if now <= calendar.deadline(Stage::Preliminary) {
        return Err(not_open_yet(
            Stage::Objections,
            calendar.deadline(Stage::Preliminary),
        ));
    }
    if now > calendar.deadline(Stage::Objections) {
        return Err(late(
            Stage::Objections,
            calendar.deadline(Stage::Objections),
        ));
    }
    Ok(())
}

/// An assessor of the objection's direction accepts or rejects it, with a
/// reason; not the person who wrote the conclusion objected to.
pub fn decide_objection(
    actor: &Actor,
    objection: &mut Objection,
    conclusion: &Conclusion,
    accept: bool,
    reason: &str,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if actor.assesses(&objection.direction).is_none() {
        return Err(CycleError::Forbidden(Refusal::NotAssessor {
            user: actor.user.clone(),
            direction: objection.direction.clone(),
        }));
    }
    if conclusion.author == actor.user {
        return Err(CycleError::Duties(Refusal::WroteConclusion {
            user: actor.user.clone(),
        }));
    }
    if objection.state != ObjectionState::Filed {
        return Err(CycleError::State(Refusal::AlreadyDecided {
            objection_state: objection.state,
        }));
    }
    if reason.trim().is_empty() {
        return Err(CycleError::State(Refusal::ReasonRequired));
    }
    if now > calendar.deadline(Stage::Final) {
        return Err(late(Stage::Final, calendar.deadline(Stage::Final)));
    }
    objection.state = if accept {
        ObjectionState::Accepted
    } else {
        ObjectionState::Rejected
    };
    objection.decided_by = Some(actor.user.clone());
    objection.reason = Some(reason.to_string());
    Ok(())
}

/// The body takes a rejected objection to the commission (before the commission's deadline).
pub fn escalate(
    actor: &Actor,
    objection: &mut Objection,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.reports_for(&objection.body) {
        return Err(not_reporter(actor, &objection.body));
    }
    if objection.state != ObjectionState::Rejected {
        return Err(CycleError::State(Refusal::NotRejected));
    }
    if now > calendar.deadline(Stage::Commission) {
        return Err(late(
            Stage::Commission,
            calendar.deadline(Stage::Commission),
        ));
    }
    objection.state = ObjectionState::Escalated;
    Ok(())
}

/// A commission member rules on an escalated objection.
pub fn rule(
    actor: &Actor,
    objection: &mut Objection,
    uphold: bool,
    reason: &str,
) -> Result<(), CycleError> {
    if !actor.has(&Role::CommissionMember) {
        return Err(CycleError::Forbidden(Refusal::NotCommissionMember {
            user: actor.user.clone(),
        }));
    }
    if objection.state != ObjectionState::Escalated {
        return Err(CycleError::State(Refusal::NotEscalated));
    }
    if reason.trim().is_empty() {
        return Err(CycleError::State(Refusal::ReasonRequired));
    }
    objection.state = if uphold {
        ObjectionState::Upheld
    } else {
        ObjectionState::Dismissed
    };
    objection.decided_by = Some(actor.user.clone());
    objection.reason = Some(reason.to_string());
    Ok(())
}

/// A commission member's expert opinion on the year's results, or on one
/// body's: recorded while the commission sits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opinion {
    pub author: String,
    /// The body it concerns; `None` for the year as a whole.
    pub body: Option<String>,
    pub text: String,
}

/// Commission members record opinions between the final-conclusions deadline
/// and the commission's.
pub fn may_record_opinion(
    actor: &Actor,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.has(&Role::CommissionMember) {
        return Err(CycleError::Forbidden(Refusal::NotCommissionMember {
            user: actor.user.clone(),
        }));
    }
    if now <= calendar.deadline(Stage::Final) {
        return Err(not_open_yet(
            Stage::Commission,
            calendar.deadline(Stage::Final),
        ));
    }
    if now > calendar.deadline(Stage::Commission) {
        return Err(late(
            Stage::Commission,
            calendar.deadline(Stage::Commission),
        ));
    }
    Ok(())
}

/// The commission approves the year's results once every objection is
/// settled and final conclusions exist; approval freezes the publication.
pub fn may_approve(
    actor: &Actor,
    objections: &[Objection],
    final_conclusions: usize,
    calendar: &Calendar,
    now: NaiveDateTime,
) -> Result<(), CycleError> {
    if !actor.has(&Role::CommissionMember) {
        return Err(CycleError::Forbidden(Refusal::NotCommissionMember {
            user: actor.user.clone(),
        }));
    }
    if now <= calendar.deadline(Stage::Final) {
        return Err(not_open_yet(
            Stage::Commission,
            calendar.deadline(Stage::Final),
        ));
    }
    let open: Vec<String> = objections
        .iter()
        .filter(|o| matches!(o.state, ObjectionState::Filed | ObjectionState::Escalated))
        .map(|o| format!("{}/{}", o.body, o.criterion))
        .collect();
    if !open.is_empty() {
        return Err(CycleError::State(Refusal::ObjectionsOpen {
            objections: open.join(", "),
        }));
    }
    if final_conclusions == 0 {
        return Err(CycleError::State(Refusal::NoFinalConclusions));
    }
    Ok(())
}

// ------------------------------------------------------------ what is due

/// The kind of thing to do, with what it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Task {
    Submit,
    Escalate {
        criterion: String,
    },
    Preliminary {
        direction: String,
    },
    Final {
        direction: String,
    },
    Decide {
        criterion: String,
    },
    Rule {
        criterion: String,
    },
    Approve,
    ReportExecution {
        recommendation: i64,
    },
    ReviewReport {
        recommendation: i64,
    },
    /// Reply to a public-monitoring finding addressed to the body, within
    /// its term (the right of reply).
    ReplyToFinding {
        finding: i64,
    },
    ReportMonitoringExecution {
        recommendation: i64,
    },
    ReviewMonitoringReport {
        recommendation: i64,
    },
}

impl Task {
    pub fn describe(&self) -> String {
        match self {
            Task::Submit => "submit the reporting data".into(),
            Task::Escalate { criterion } => format!(
                "decide whether to take the rejected objection on `{criterion}` to the commission"
            ),
            Task::Preliminary { direction } => {
                format!("write the preliminary conclusion on `{direction}`")
            }
            Task::Final { direction } => format!("write the final conclusion on `{direction}`"),
            Task::Decide { criterion } => format!("decide the objection on `{criterion}`"),
            Task::Rule { criterion } => {
                format!("rule on the escalated objection on `{criterion}`")
            }
            Task::Approve => "approve the results of the year".into(),
            Task::ReportExecution { recommendation } => {
                format!("report on the execution of recommendation #{recommendation}")
            }
            Task::ReviewReport { recommendation } => {
                format!("review the report on recommendation #{recommendation}")
            }
            Task::ReplyToFinding { finding } => {
                format!("reply to public-monitoring finding #{finding}")
            }
            Task::ReportMonitoringExecution { recommendation } => format!(
                "report on the execution of public-monitoring recommendation #{recommendation}"
            ),
            Task::ReviewMonitoringReport { recommendation } => {
                format!("review the report on public-monitoring recommendation #{recommendation}")
            }
        }
    }
}

/// Something a person has to do, with its deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Due {
    /// What to do, in English (the interface translates `task`).
    pub what: String,
    #[serde(flatten)]
    pub task: Task,
    pub body: Option<String>,
    pub deadline: NaiveDateTime,
    pub overdue: bool,
}

/// What the cycle knows when listing what is due.
#[derive(Debug, Clone, Default)]
pub struct Progress<'a> {
    /// Bodies evaluated this year.
    pub bodies: &'a [String],
    /// Directions of the methodology.
    pub directions: &'a [String],
    pub submissions: &'a [(String, SubmissionState)],
    pub extensions: &'a [Extension],
    pub conclusions: &'a [Conclusion],
    pub objections: &'a [Objection],
    /// Published already (nothing is due from the commission then).
    pub published: bool,
}

/// The owned data behind a [`Progress`], as loaded from the store.
#[derive(Debug, Clone, Default)]
pub struct ProgressData {
    pub bodies: Vec<String>,
    pub directions: Vec<String>,
    pub submissions: Vec<(String, SubmissionState)>,
    pub extensions: Vec<Extension>,
    pub conclusions: Vec<Conclusion>,
    pub objections: Vec<Objection>,
    pub published: bool,
}

impl ProgressData {
    pub fn view(&self) -> Progress<'_> {
        Progress {
            bodies: &self.bodies,
            directions: &self.directions,
            submissions: &self.submissions,
            extensions: &self.extensions,
            conclusions: &self.conclusions,
            objections: &self.objections,
            published: self.published,
        }
    }
}

/// What is due for this actor: their body's submission, their direction's
/// conclusions, objections waiting for their decision, the commission's
/// rulings and approval. Items whose stage has closed are overdue; nothing
/// is listed before its stage can be worked on.
pub fn due(actor: &Actor, calendar: &Calendar, p: &Progress<'_>, now: NaiveDateTime) -> Vec<Due> {
    let mut out = Vec::new();
    let item = |task: Task, body: Option<&str>, deadline: NaiveDateTime| Due {
        what: task.describe(),
        task,
        body: body.map(str::to_string),
        deadline,
        overdue: now > deadline,
    };
    for role in &actor.roles {
        match role {
            Role::Reporter { body } => {
                let state = p
                    .submissions
                    .iter()
                    .find(|(b, _)| b == body)
                    .map(|(_, s)| *s);
                if state != Some(SubmissionState::Submitted) {
                    out.push(item(
                        Task::Submit,
                        Some(body),
                        submission_deadline(calendar, p.extensions, body),
                    ));
                }
                for o in p
                    .objections
                    .iter()
                    .filter(|o| &o.body == body && o.state == ObjectionState::Rejected)
                {
                    if now <= calendar.deadline(Stage::Commission) {
                        out.push(item(
                            Task::Escalate {
                                criterion: o.criterion.clone(),
                            },
                            Some(body),
                            calendar.deadline(Stage::Commission),
                        ));
                    }
                }
            }
            Role::Assessor {
                direction,
                authority,
            } => {
                if now > calendar.deadline(Stage::Verification) && p.directions.contains(direction)
                {
                    for body in p.bodies.iter().filter(|b| *b != authority) {
                        let has = |fin: bool| {
                            p.conclusions.iter().any(|c| {
                                &c.direction == direction && &c.body == body && c.is_final == fin
                            })
                        };
                        if !has(false) {
                            out.push(item(
                                Task::Preliminary {
                                    direction: direction.clone(),
                                },
                                Some(body),
                                calendar.deadline(Stage::Preliminary),
                            ));
                        } else if now > calendar.deadline(Stage::Objections) && !has(true) {
                            out.push(item(
                                Task::Final {
                                    direction: direction.clone(),
                                },
                                Some(body),
                                calendar.deadline(Stage::Final),
                            ));
                        }
                    }
                }
                for o in p
                    .objections
                    .iter()
                    .filter(|o| &o.direction == direction && o.state == ObjectionState::Filed)
                {
                    let author = p
                        .conclusions
                        .iter()
                        .find(|c| !c.is_final && c.direction == o.direction && c.body == o.body)
                        .map(|c| c.author.as_str());
                    if author != Some(actor.user.as_str()) {
                        out.push(item(
                            Task::Decide {
                                criterion: o.criterion.clone(),
                            },
                            Some(&o.body),
                            calendar.deadline(Stage::Final),
                        ));
                    }
                }
            }
            Role::CommissionMember => {
                for o in p
                    .objections
                    .iter()
                    .filter(|o| o.state == ObjectionState::Escalated)
                {
                    out.push(item(
                        Task::Rule {
                            criterion: o.criterion.clone(),
                        },
                        Some(&o.body),
                        calendar.deadline(Stage::Commission),
                    ));
                }
                if !p.published && now > calendar.deadline(Stage::Final) {
                    out.push(item(
                        Task::Approve,
                        None,
                        calendar.deadline(Stage::Commission),
                    ));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.what.cmp(&b.what)));
    out
}
