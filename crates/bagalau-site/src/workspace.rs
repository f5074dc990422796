//! The pages people work in after signing in: the sign-in form, the
//! dashboard of what is due, the reporting-data form.

use crate::i18n::{Arg, Catalog, Tr};
pub use crate::refusal::{Names, Why};
use crate::{LangLink, switch};
use askama::Template;
use bagalau_core::Lang;
use bagalau_core::cycle::{
    Actor, Calendar, Conclusion, Due, Objection, ObjectionState, Role, Stage, SubmissionState, Task,
};
use bagalau_core::pack::Methodology;
use bagalau_core::recommendation::{Recommendation, RecommendationState};
use bagalau_core::registry::Registry;
use std::collections::BTreeMap;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    csrf: &'a str,
    next: &'a str,
    name: &'a str,
    error: Option<String>,
}

/// Why a sign-in failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInError {
    Wrong,
    Locked,
    Expired,
}

/// The sign-in form; the name typed is kept after an error.
pub fn login(
    catalog: &Catalog,
    lang: Lang,
    csrf: &str,
    next: &str,
    name: &str,
    error: Option<SignInError>,
) -> String {
    let tr = catalog.tr(lang);
    LoginPage {
        tr,
        title: tr.t("sign-in-title"),
        switch: switch(lang, "/login"),
        demonstration: false,
        csrf,
        next,
        name,
        error: error.map(|e| match e {
            SignInError::Wrong => tr.t("sign-in-wrong"),
            SignInError::Locked => tr.t("sign-in-locked"),
            SignInError::Expired => tr.t("form-expired"),
        }),
    }
    .render()
    .expect("the sign-in template renders")
}

#[derive(Debug)]
pub struct DueRow {
    pub what: String,
    pub href: Option<String>,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Debug)]
pub struct SubmissionLink {
    pub label: String,
    pub href: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    signed_in: String,
    csrf: &'a str,
    due: Vec<DueRow>,
    submissions: Vec<SubmissionLink>,
    cycles: Vec<(String, String)>,
}

fn state_text(tr: &Tr<'_>, state: Option<SubmissionState>) -> String {
    match state {
        None => tr.t("state-not-started"),
        Some(SubmissionState::Draft) => tr.t("state-draft"),
        Some(SubmissionState::Submitted) => tr.t("state-submitted"),
    }
}

/// What a signed-in person sees first.
pub struct DashboardView<'a> {
    pub user: &'a str,
    pub roles: &'a [String],
    pub csrf: &'a str,
    /// (year, item) for every open cycle, and recommendations.
    pub due: &'a [(i32, Due)],
    /// (year, body, state) of the bodies the person reports for.
    pub submissions: &'a [(i32, String, Option<SubmissionState>)],
    pub registry: &'a Registry,
    pub methodologies: &'a std::collections::BTreeMap<i32, Methodology>,
}

pub fn dashboard(catalog: &Catalog, lang: Lang, v: &DashboardView<'_>) -> String {
    let tr = catalog.tr(lang);
    let body_name = |id: &Option<String>, year: i32| {
        id.as_deref()
            .map_or_else(String::new, |b| v.registry.display_name(b, year, lang))
    };
    let direction_name = |id: &str, year: i32| {
        v.methodologies
            .get(&year)
            .and_then(|m| {
                m.blocks
                    .iter()
                    .flat_map(|b| &b.directions)
                    .find(|d| d.id == id)
            })
            .map_or_else(|| id.to_string(), |d| d.name.get(lang).to_string())
    };
    let criterion_name = |id: &str, year: i32| {
        v.methodologies
            .get(&year)
            .and_then(|m| m.criteria().find(|(_, _, c)| c.id == id))
            .map_or_else(|| id.to_string(), |(_, _, c)| c.name.get(lang).to_string())
    };
    let due = v
        .due
        .iter()
        .map(|(year, d)| {
            let body = body_name(&d.body, *year);
            let (id, args, href): (&str, Vec<(&str, String)>, Option<String>) = match &d.task {
                Task::Submit => (
                    "task-submit",
                    vec![("body", body.clone())],
                    d.body
                        .as_ref()
                        .map(|b| format!("/workspace/{year}/submissions/{b}")),
                ),
                Task::Escalate { criterion } => (
                    "task-escalate",
                    vec![
                        ("body", body.clone()),
                        ("criterion", criterion_name(criterion, *year)),
                    ],
                    None,
                ),
                Task::Preliminary { direction } => (
                    "task-preliminary",
                    vec![
                        ("body", body.clone()),
                        ("direction", direction_name(direction, *year)),
                    ],
                    None,
                ),
                Task::Final { direction } => (
                    "task-final",
                    vec![
                        ("body", body.clone()),
                        ("direction", direction_name(direction, *year)),
                    ],
                    None,
                ),
                Task::Decide { criterion } => (
                    "task-decide",
                    vec![
                        ("body", body.clone()),
                        ("criterion", criterion_name(criterion, *year)),
                    ],
                    None,
                ),
                Task::Rule { criterion } => (
                    "task-rule",
                    vec![
                        ("body", body.clone()),
                        ("criterion", criterion_name(criterion, *year)),
                    ],
                    None,
                ),
                Task::Approve => ("task-approve", vec![], None),
                Task::ReportExecution { recommendation } => (
                    "task-report-execution",
                    vec![
                        ("body", body.clone()),
                        ("recommendation", recommendation.to_string()),
                    ],
                    None,
                ),
                Task::ReviewReport { recommendation } => (
                    "task-review-report",
                    vec![
                        ("body", body.clone()),
                        ("recommendation", recommendation.to_string()),
                    ],
                    None,
                ),
                Task::ReplyToFinding { finding } => (
                    "task-reply-finding",
                    vec![("body", body.clone()), ("finding", finding.to_string())],
                    None,
                ),
                Task::ReportMonitoringExecution { recommendation } => (
                    "task-report-monitoring",
                    vec![
                        ("body", body.clone()),
                        ("recommendation", recommendation.to_string()),
                    ],
                    None,
                ),
                Task::ReviewMonitoringReport { recommendation } => (
                    "task-review-monitoring",
                    vec![
                        ("body", body.clone()),
                        ("recommendation", recommendation.to_string()),
                    ],
                    None,
                ),
            };
            let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(k, v)| (*k, Arg::Text(v))).collect();
            DueRow {
                what: tr.fmt(id, &args),
                href,
                deadline: format!(
                    "{} {}",
                    tr.date(&d.deadline.format("%Y-%m-%d").to_string()),
                    d.deadline.format("%H:%M")
                ),
                overdue: d.overdue,
            }
        })
        .collect();
    let submissions = v
        .submissions
        .iter()
        .map(|(year, body, state)| SubmissionLink {
            label: format!("{}, {year}", v.registry.display_name(body, *year, lang)),
            href: format!("/workspace/{year}/submissions/{body}"),
            state: state_text(&tr, *state),
        })
        .collect();
    DashboardPage {
        tr,
        title: tr.t("workspace-title"),
        switch: switch(lang, "/workspace"),
        demonstration: false,
        signed_in: tr.fmt(
            "workspace-signed-in",
            &[
                ("name", Arg::Text(v.user)),
                ("roles", Arg::Text(&v.roles.join(", "))),
            ],
        ),
        csrf: v.csrf,
        due,
        submissions,
        cycles: v
            .methodologies
            .keys()
            .rev()
            .map(|y| {
                (
                    tr.fmt("cycle-work-title", &[("year", Arg::Number(f64::from(*y)))]),
                    format!("/workspace/{y}"),
                )
            })
            .collect(),
    }
    .render()
    .expect("the dashboard template renders")
}

#[derive(Debug)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub unit: String,
    pub value: String,
    pub stored: String,
    pub error: Option<String>,
}

#[derive(Debug)]
pub struct FieldGroup {
    pub name: String,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "submission.html")]
struct SubmissionPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    state: String,
    deadline: String,
    template_href: String,
    upload_action: String,
    action: String,
    csrf: &'a str,
    message: Option<String>,
    failed: bool,
    readonly: bool,
    groups: Vec<FieldGroup>,
}

/// What happened to the last attempt to save the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    None,
    Saved,
    Submitted,
    /// Values not accepted (count); their messages are on the fields.
    Invalid(usize),
    /// Refused as a whole (late, already submitted…), with the reason.
    Refused(Why),
}

/// The reporting-data form of a body and year.
pub struct SubmissionView<'a> {
    pub year: i32,
    pub body: &'a str,
    pub methodology: &'a Methodology,
    pub registry: &'a Registry,
    pub state: Option<SubmissionState>,
    pub deadline: chrono::NaiveDateTime,
    /// The values stored now, by indicator.
    pub stored: &'a std::collections::BTreeMap<String, Option<f64>>,
    /// What the person typed, by indicator (kept after an error).
    pub typed: &'a std::collections::BTreeMap<String, String>,
    /// Messages by indicator.
    pub errors: &'a std::collections::BTreeMap<String, String>,
    pub outcome: Outcome,
    pub csrf: &'a str,
}

pub fn submission(catalog: &Catalog, lang: Lang, v: &SubmissionView<'_>) -> String {
    let tr = catalog.tr(lang);
    let kind = v.registry.body(v.body).map(|b| b.kind);
    let mut groups = Vec::new();
    for d in v.methodology.blocks.iter().flat_map(|b| &b.directions) {
        if !kind.is_some_and(|k| d.applies_to.contains(&k)) {
            continue;
        }
        let mut ids: Vec<usize> = Vec::new();
        for c in d
            .criteria
            .iter()
            .filter(|c| kind.is_some_and(|k| c.applies(v.body, k)))
        {
            for i in c.rule.indicators() {
                if !ids.contains(&i) {
                    ids.push(i);
                }
            }
        }
        let fields: Vec<Field> = ids
            .into_iter()
            .map(|i| &v.methodology.indicators[i])
            .filter(|ind| kind.is_some_and(|k| ind.applies_to.contains(&k)))
            .map(|ind| {
                let stored = v.stored.get(&ind.id).copied();
                let stored_text = match stored {
                    Some(Some(x)) => {
                        tr.fmt("current-value", &[("value", Arg::Text(&tr.number(x, 2)))])
                    }
                    Some(None) => {
                        tr.fmt("current-value", &[("value", Arg::Text(&tr.t("no-data")))])
                    }
                    None => String::new(),
                };
                let value = v
                    .typed
                    .get(&ind.id)
                    .cloned()
                    .unwrap_or_else(|| match stored {
                        Some(Some(x)) => plain_number(&tr, x),
                        _ => String::new(),
                    });
                Field {
                    id: ind.id.clone(),
                    label: ind.name.get(lang).to_string(),
                    unit: crate::unit_name(&tr, ind.unit),
                    value,
                    stored: stored_text,
                    error: v.errors.get(&ind.id).cloned(),
                }
            })
            .collect();
        if !fields.is_empty() {
            groups.push(FieldGroup {
                name: d.name.get(lang).to_string(),
                fields,
            });
        }
    }
    let (message, failed) = match &v.outcome {
        Outcome::None => (None, false),
        Outcome::Saved => (Some(tr.t("submission-saved")), false),
        Outcome::Submitted => (Some(tr.t("submission-submitted")), false),
        Outcome::Invalid(n) => (
            Some(tr.fmt("submission-errors", &[("count", Arg::Number(*n as f64))])),
            true,
        ),
        Outcome::Refused(why) => {
            let body_name = |b: &str| v.registry.display_name(b, v.year, lang);
            let direction_name = |d: &str| direction_name(v.methodology, d, lang);
            let names = Names {
                body: &body_name,
                direction: &direction_name,
            };
            let why = why.say(&tr, &names);
            (
                Some(tr.fmt("submission-refused", &[("reason", Arg::Text(&why))])),
                true,
            )
        }
    };
    let here = format!("/workspace/{}/submissions/{}", v.year, v.body);
    SubmissionPage {
        tr,
        title: tr.fmt(
            "submission-title",
            &[
                (
                    "body",
                    Arg::Text(&v.registry.display_name(v.body, v.year, lang)),
                ),
                ("year", Arg::Number(f64::from(v.year))),
            ],
        ),
        switch: switch(lang, &here),
        demonstration: false,
        state: tr.fmt(
            "submission-state",
            &[("state", Arg::Text(&state_text(&tr, v.state)))],
        ),
        deadline: tr.fmt(
            "submission-deadline",
            &[(
                "deadline",
                Arg::Text(&format!(
                    "{} {}",
                    tr.date(&v.deadline.format("%Y-%m-%d").to_string()),
                    v.deadline.format("%H:%M")
                )),
            )],
        ),
        template_href: format!("{here}/template.xlsx"),
        upload_action: format!("{here}/xlsx"),
        action: here,
        csrf: v.csrf,
        message,
        failed,
        readonly: v.state == Some(SubmissionState::Submitted),
        groups,
    }
    .render()
    .expect("the submission template renders")
}

/// A stored value as a person would type it: no grouping, the language's
/// decimal separator.
fn plain_number(tr: &Tr<'_>, x: f64) -> String {
    let text = format!("{x}");
    match tr.lang {
        Lang::En => text,
        Lang::Kk | Lang::Ru => text.replace('.', ","),
    }
}

/// Reads a number as people type it: a comma or a point as the decimal
/// separator, spaces (also no-break) between thousands; `None` when empty.
/// A text that is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

pub fn parse_number(text: &str) -> Result<Option<f64>, NotANumber> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| {
            if c == ',' {
                '.'
            } else if c == '\u{2212}' {
                '-'
            } else {
                c
            }
        })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or(NotANumber)
}

#[cfg(test)]
mod tests {
    use super::{NotANumber, parse_number};

    #[test]
    fn numbers_as_people_type_them() {
        assert_eq!(parse_number(" 12,5 "), Ok(Some(12.5)));
        assert_eq!(parse_number("1 234,5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("1\u{a0}234.5"), Ok(Some(1234.5)));
        assert_eq!(parse_number("\u{2212}3"), Ok(Some(-3.0)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("abc"), Err(NotANumber));
        assert_eq!(parse_number("1,2,3"), Err(NotANumber));
        assert_eq!(parse_number("inf"), Err(NotANumber));
    }
}

// ------------------------------------------------------------ a year's cycle

/// A year's cycle as a signed-in person works on it.
pub struct CycleData<'a> {
    pub year: i32,
    pub actor: &'a Actor,
    pub calendar: &'a Calendar,
    pub now: chrono::NaiveDateTime,
    pub methodology: &'a Methodology,
    pub registry: &'a Registry,
    pub submissions: &'a [(String, SubmissionState)],
    pub conclusions: &'a [Conclusion],
    pub objections: &'a [(i64, Objection)],
    /// (body, risk score, reasons) of the verification selection.
    pub selection: &'a [(String, f64, Vec<String>)],
    pub recommendations: &'a [(i64, Recommendation)],
    /// The engine's current points and maximum, by (body, direction).
    pub scores: &'a BTreeMap<(String, String), (Option<f64>, f64)>,
    pub published: bool,
    pub csrf: &'a str,
    /// The last action succeeded.
    pub done: bool,
    /// The form that failed and why; what was typed in it.
    pub failed: Option<(&'a str, Why)>,
    pub typed: &'a BTreeMap<String, String>,
}

pub struct ReporterPart {
    pub body: String,
    pub name: String,
    pub submission_href: String,
    pub submission_state: String,
    pub conclusions_title: String,
    pub conclusions: Vec<(String, String)>,
    /// (id, name, selected) of the criteria open to an objection.
    pub criteria: Vec<(String, String, bool)>,
    pub statement: String,
    pub error: Option<String>,
    pub objections: Vec<ObjectionRow>,
    pub recommendations: Vec<RecommendationPart>,
}

pub struct ObjectionRow {
    pub id: i64,
    pub title: String,
    pub criterion: String,
    pub statement: String,
    pub state: String,
    pub reason: String,
    pub escalate: bool,
    pub error: Option<String>,
    pub typed: String,
}

pub struct RecommendationPart {
    pub id: i64,
    pub title: String,
    pub state: String,
    pub can_report: bool,
    pub error: Option<String>,
    pub typed: String,
}

pub struct AssessmentPart {
    pub direction: String,
    pub title: String,
    pub bodies: Vec<(String, String, bool)>,
    pub text: String,
    pub is_final: bool,
    pub error: Option<String>,
    /// (body, preliminary?, final?, the engine's points of the direction)
    pub rows: Vec<(String, String, String, String)>,
    pub objections: Vec<ObjectionRow>,
}

pub struct VerifierPart {
    pub bodies: Vec<(String, String, bool)>,
    pub indicators: Vec<(String, String, bool)>,
    pub value: String,
    pub reason: String,
    pub error: Option<String>,
}

pub struct IssuerPart {
    pub bodies: Vec<(String, String, bool)>,
    pub text: String,
    pub due: String,
    pub error: Option<String>,
    pub to_review: Vec<RecommendationPart>,
}

pub struct CommissionPart {
    pub finals_title: String,
    /// (body, direction, text) of every final conclusion.
    pub finals: Vec<(String, String, String)>,
    pub escalated: Vec<ObjectionRow>,
    pub bodies: Vec<(String, String)>,
    pub opinion_text: String,
    pub opinion_error: Option<String>,
    pub approve_reason: String,
    pub approve_error: Option<String>,
    pub approve_label: String,
}

#[derive(Template)]
#[template(path = "cycle.html")]
struct CyclePage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    stage: String,
    done: Option<String>,
    published: bool,
    published_text: String,
    act: String,
    csrf: &'a str,
    reporters: Vec<ReporterPart>,
    assessments: Vec<AssessmentPart>,
    verifier: Option<VerifierPart>,
    selection: Vec<(String, String, String)>,
    progress: Vec<(String, String, usize, usize, usize, bool)>,
    commission: Option<CommissionPart>,
    issuer: Option<IssuerPart>,
}

fn objection_state(tr: &Tr<'_>, s: ObjectionState) -> String {
    let id = match s {
        ObjectionState::Filed => "objection-state-filed",
        ObjectionState::Accepted => "objection-state-accepted",
        ObjectionState::Rejected => "objection-state-rejected",
        ObjectionState::Escalated => "objection-state-escalated",
        ObjectionState::Upheld => "objection-state-upheld",
        ObjectionState::Dismissed => "objection-state-dismissed",
    };
    tr.t(id)
}

fn recommendation_state(tr: &Tr<'_>, s: RecommendationState) -> String {
    let id = match s {
        RecommendationState::Open => "rec-state-open",
        RecommendationState::Reported => "rec-state-reported",
        RecommendationState::Returned => "rec-state-returned",
        RecommendationState::Executed => "rec-state-executed",
    };
    tr.t(id)
}

fn stage_name(tr: &Tr<'_>, stage: Option<Stage>) -> String {
    let id = match stage {
        None => "stage-closed",
        Some(Stage::Submission) => "stage-submission",
        Some(Stage::Verification) => "stage-verification",
        Some(Stage::Preliminary) => "stage-preliminary",
        Some(Stage::Objections) => "stage-objections",
        Some(Stage::Final) => "stage-final",
        Some(Stage::Commission) => "stage-commission",
    };
    tr.t(id)
}

/// The page of a year's cycle: a part for each of the person's roles.
pub fn cycle(catalog: &Catalog, lang: Lang, d: &CycleData<'_>) -> String {
    let tr = catalog.tr(lang);
    let year = d.year;
    let m = d.methodology;
    let name = |b: &str| d.registry.display_name(b, year, lang);
    let direction_name = |id: &str| direction_name(m, id, lang);
    let criterion_name = |id: &str| {
        m.criteria()
            .find(|(_, _, c)| c.id == id)
            .map_or_else(|| id.to_string(), |(_, _, c)| c.name.get(lang).to_string())
    };
    let names = Names {
        body: &name,
        direction: &direction_name,
    };
    let error_of = |form: &str| {
        d.failed
            .as_ref()
            .filter(|(f, _)| *f == form)
            .map(|(_, why)| refused(catalog, lang, &why.say(&tr, &names)))
    };
    let typed_in = |form: &str, field: &str| {
        if d.failed.as_ref().is_some_and(|(f, _)| *f == form) {
            d.typed.get(field).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let evaluated: Vec<String> = d
        .registry
        .evaluated_in(year)
        .into_iter()
        .filter(|b| b.kind != bagalau_core::Kind::Other)
        .map(|b| b.id.clone())
        .collect();
    let objection_row = |id: i64, o: &Objection, form: &str| ObjectionRow {
        id,
        title: format!("{}: {}", name(&o.body), criterion_name(&o.criterion)),
        criterion: criterion_name(&o.criterion),
        statement: o.statement.clone(),
        state: objection_state(&tr, o.state),
        reason: o.reason.clone().unwrap_or_default(),
        escalate: o.state == ObjectionState::Rejected && d.actor.reports_for(&o.body),
        error: error_of(form),
        typed: typed_in(
            form,
            if form.starts_with("escalate") {
                ""
            } else {
                "reason"
            },
        ),
    };

    let mut reporters = Vec::new();
    for role in &d.actor.roles {
        let Role::Reporter { body } = role else {
            continue;
        };
        if !evaluated.contains(body) {
            continue;
        }
        let preliminary: Vec<&Conclusion> = d
            .conclusions
            .iter()
            .filter(|c| !c.is_final && c.body == *body)
            .collect();
        let form = format!("object-{body}");
        let chosen = typed_in(&form, "criterion");
        let criteria = m
            .criteria()
            .filter(|(_, dir, _)| preliminary.iter().any(|c| c.direction == dir.id))
            .map(|(_, _, c)| (c.id.clone(), c.name.get(lang).to_string(), c.id == chosen))
            .collect();
        reporters.push(ReporterPart {
            body: body.clone(),
            name: name(body),
            submission_href: format!("/workspace/{year}/submissions/{body}"),
            submission_state: state_text(
                &tr,
                d.submissions
                    .iter()
                    .find(|(b, _)| b == body)
                    .map(|(_, s)| *s),
            ),
            conclusions_title: tr.fmt(
                "section-own-conclusions",
                &[("body", Arg::Text(&name(body)))],
            ),
            conclusions: preliminary
                .iter()
                .map(|c| (direction_name(&c.direction), c.text.clone()))
                .collect(),
            criteria,
            statement: typed_in(&form, "statement"),
            error: error_of(&form),
            objections: d
                .objections
                .iter()
                .filter(|(_, o)| o.body == *body)
                .map(|(id, o)| objection_row(*id, o, &format!("escalate-{id}")))
                .collect(),
            recommendations: d
                .recommendations
                .iter()
                .filter(|(_, r)| r.body == *body)
                .map(|(id, r)| {
                    let form = format!("report-{id}");
                    RecommendationPart {
                        id: *id,
                        title: tr.fmt(
                            "recommendation-due",
                            &[
                                ("id", Arg::Number(*id as f64)),
                                ("due", Arg::Text(&tr.date(&r.due.to_string()))),
                                ("text", Arg::Text(&r.text)),
                            ],
                        ),
                        state: recommendation_state(&tr, r.state),
                        can_report: matches!(
                            r.state,
                            RecommendationState::Open | RecommendationState::Returned
                        ),
                        error: error_of(&form),
                        typed: typed_in(&form, "text"),
                    }
                })
                .collect(),
        });
    }

    let mut assessments = Vec::new();
    for role in &d.actor.roles {
        let Role::Assessor {
            direction,
            authority,
        } = role
        else {
            continue;
        };
        let Some(dir) = m
            .blocks
            .iter()
            .flat_map(|b| &b.directions)
            .find(|x| x.id == *direction && x.authorized_body == *authority)
        else {
            continue;
        };
        let form = format!("conclude-{direction}");
        let chosen = typed_in(&form, "body");
        let bodies: Vec<&String> = evaluated
            .iter()
            .filter(|b| {
                *b != authority
                    && d.registry
                        .body(b)
                        .is_some_and(|x| dir.applies_to.contains(&x.kind))
            })
            .collect();
        let has = |b: &str, fin: bool| {
            if d.conclusions
                .iter()
                .any(|c| c.direction == *direction && c.body == b && c.is_final == fin)
            {
                "✓".to_string()
            } else {
                "–".to_string()
            }
        };
        assessments.push(AssessmentPart {
            direction: direction.clone(),
            title: tr.fmt(
                "section-conclusions",
                &[("direction", Arg::Text(dir.name.get(lang)))],
            ),
            bodies: bodies
                .iter()
                .map(|b| ((*b).clone(), name(b), **b == chosen))
                .collect(),
            text: typed_in(&form, "text"),
            is_final: typed_in(&form, "final") == "true",
            error: error_of(&form),
            rows: bodies
                .iter()
                .map(|b| {
                    let points = d
                        .scores
                        .get(&((*b).clone(), direction.clone()))
                        .map_or_else(
                            || "–".to_string(),
                            |(p, max)| {
                                format!("{} / {}", crate::points(&tr, *p), tr.number(*max, 0))
                            },
                        );
                    (name(b), has(b, false), has(b, true), points)
                })
                .collect(),
            objections: d
                .objections
                .iter()
                .filter(|(_, o)| o.direction == *direction && o.state == ObjectionState::Filed)
                .map(|(id, o)| objection_row(*id, o, &format!("decide-{id}")))
                .collect(),
        });
    }

    let verifier = d.actor.has(&Role::Verifier).then(|| {
        let chosen_body = typed_in("finding", "body");
        let chosen_indicator = typed_in("finding", "indicator");
        VerifierPart {
            bodies: d
                .selection
                .iter()
                .map(|(b, _, _)| (b.clone(), name(b), *b == chosen_body))
                .collect(),
            indicators: m
                .indicators
                .iter()
                .map(|i| {
                    (
                        i.id.clone(),
                        format!("{} ({})", i.name.get(lang), i.id),
                        i.id == chosen_indicator,
                    )
                })
                .collect(),
            value: typed_in("finding", "value"),
            reason: typed_in("finding", "reason"),
            error: error_of("finding"),
        }
    });
    let sees_all = d.actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Coordinator | Role::Verifier | Role::Methodologist | Role::CommissionMember
        )
    });
    let selection = if sees_all {
        d.selection
            .iter()
            .map(|(b, score, reasons)| (name(b), tr.number(*score, 1), reasons.join("; ")))
            .collect()
    } else {
        Vec::new()
    };
    let coordinator = d.actor.has(&Role::Coordinator) || d.actor.has(&Role::Methodologist);
    let progress = if coordinator {
        let extensions: [bagalau_core::cycle::Extension; 0] = [];
        evaluated
            .iter()
            .map(|b| {
                let state = d.submissions.iter().find(|(x, _)| x == b).map(|(_, s)| *s);
                let late = state != Some(SubmissionState::Submitted)
                    && d.now > bagalau_core::cycle::submission_deadline(d.calendar, &extensions, b);
                (
                    name(b),
                    state_text(&tr, state),
                    d.conclusions
                        .iter()
                        .filter(|c| c.body == *b && !c.is_final)
                        .count(),
                    d.conclusions
                        .iter()
                        .filter(|c| c.body == *b && c.is_final)
                        .count(),
                    d.objections.iter().filter(|(_, o)| o.body == *b).count(),
                    late,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let finals: Vec<(String, String, String)> = d
        .conclusions
        .iter()
        .filter(|c| c.is_final)
        .map(|c| (name(&c.body), direction_name(&c.direction), c.text.clone()))
        .collect();
    let commission = d
        .actor
        .has(&Role::CommissionMember)
        .then(|| CommissionPart {
            finals_title: tr.fmt(
                "final-conclusions-list",
                &[("count", Arg::Number(finals.len() as f64))],
            ),
            finals: finals.clone(),
            escalated: d
                .objections
                .iter()
                .filter(|(_, o)| o.state == ObjectionState::Escalated)
                .map(|(id, o)| objection_row(*id, o, &format!("rule-{id}")))
                .collect(),
            bodies: evaluated.iter().map(|b| (b.clone(), name(b))).collect(),
            opinion_text: typed_in("opinion", "text"),
            opinion_error: error_of("opinion"),
            approve_reason: typed_in("approve", "reason"),
            approve_error: error_of("approve"),
            approve_label: tr.fmt("approve-year", &[("year", Arg::Number(f64::from(year)))]),
        });
    let issues = d.actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Coordinator | Role::CommissionMember | Role::Assessor { .. }
        )
    });
    let issuer = issues.then(|| {
        let chosen = typed_in("issue", "body");
        IssuerPart {
            bodies: evaluated
                .iter()
                .map(|b| (b.clone(), name(b), *b == chosen))
                .collect(),
            text: typed_in("issue", "text"),
            due: typed_in("issue", "due"),
            error: error_of("issue"),
            to_review: d
                .recommendations
                .iter()
                .filter(|(_, r)| {
                    r.state == RecommendationState::Reported
                        && (r.issued_by == d.actor.user || d.actor.has(&Role::Coordinator))
                })
                .map(|(id, r)| {
                    let form = format!("review-{id}");
                    RecommendationPart {
                        id: *id,
                        title: format!(
                            "{}: {}",
                            name(&r.body),
                            tr.fmt(
                                "recommendation-due",
                                &[
                                    ("id", Arg::Number(*id as f64)),
                                    ("due", Arg::Text(&tr.date(&r.due.to_string()))),
                                    ("text", Arg::Text(&r.text)),
                                ],
                            )
                        ),
                        state: r.report.clone().unwrap_or_default(),
                        can_report: false,
                        error: error_of(&form),
                        typed: typed_in(&form, "reason"),
                    }
                })
                .collect(),
        }
    });
    CyclePage {
        tr,
        title: tr.fmt(
            "cycle-work-title",
            &[("year", Arg::Number(f64::from(year)))],
        ),
        switch: switch(lang, &format!("/workspace/{year}")),
        demonstration: false,
        stage: tr.fmt(
            "cycle-stage",
            &[(
                "stage",
                Arg::Text(&stage_name(&tr, d.calendar.current(d.now))),
            )],
        ),
        done: d.done.then(|| tr.t("action-done")),
        published: d.published,
        published_text: tr.fmt(
            "published-already",
            &[("year", Arg::Number(f64::from(year)))],
        ),
        act: format!("/workspace/{year}/act"),
        csrf: d.csrf,
        reporters,
        assessments,
        verifier,
        selection,
        progress,
        commission,
        issuer,
    }
    .render()
    .expect("the cycle template renders")
}

/// Why a value does not fit its indicator's unit, in the language (the
/// same ranges as `Unit::check`, which the API applies).
pub fn out_of_range(tr: &Tr<'_>, unit: bagalau_core::pack::Unit, value: f64) -> Option<String> {
    use bagalau_core::pack::Unit;
    unit.check(value).err()?;
    Some(tr.t(match unit {
        Unit::Count => "value-count-negative",
        Unit::Percent => "value-percent-range",
        Unit::Share => "value-share-range",
        Unit::Status => "value-status-choice",
        _ => "value-not-finite",
    }))
}

/// A direction's name in the language (its id when the methodology lacks it).
fn direction_name(m: &Methodology, id: &str, lang: Lang) -> String {
    m.blocks
        .iter()
        .flat_map(|b| &b.directions)
        .find(|x| x.id == id)
        .map_or_else(|| id.to_string(), |x| x.name.get(lang).to_string())
}

/// The message for an action refused by the rules.
pub fn refused(catalog: &Catalog, lang: Lang, reason: &str) -> String {
    // (also used for a workbook that could not be read)
    catalog
        .tr(lang)
        .fmt("action-refused", &[("reason", Arg::Text(reason))])
}

/// A problem of an uploaded workbook, with its sheet and cell, in the language.
pub fn cell_problem(tr: &Tr<'_>, p: &bagalau_xlsx::CellProblem) -> String {
    use bagalau_xlsx::Issue;
    let number = |v: Option<f64>| {
        v.map_or_else(
            || tr.t("xlsx-empty"),
            |v| tr.number(v, if v.fract() == 0.0 { 0 } else { 2 }),
        )
    };
    let issue = match &p.issue {
        Issue::NotAWorkbook { .. } => tr.t("xlsx-not-a-workbook"),
        Issue::NotEvaluated { body, year } => tr.fmt(
            "xlsx-not-evaluated",
            &[
                ("body", Arg::Text(body)),
                ("year", Arg::Text(&year.to_string())),
            ],
        ),
        Issue::NotATemplate => tr.t("xlsx-not-a-template"),
        Issue::WrongTemplate { found, expected } => tr.fmt(
            "xlsx-wrong-template",
            &[
                ("found", Arg::Text(found)),
                ("expected", Arg::Text(expected)),
            ],
        ),
        Issue::NotADirection => tr.t("xlsx-not-a-direction"),
        Issue::Unreadable { .. } => tr.t("xlsx-unreadable"),
        Issue::ValueWithoutIndicator => tr.t("xlsx-value-without-indicator"),
        Issue::NotAnIndicatorOfSheet { indicator } => tr.fmt(
            "xlsx-not-an-indicator",
            &[("indicator", Arg::Text(indicator))],
        ),
        Issue::NotANumber { text } => tr.fmt("xlsx-not-a-number", &[("text", Arg::Text(text))]),
        Issue::OutOfRange {
            indicator,
            value,
            unit,
        } => {
            let why = out_of_range(tr, *unit, *value).unwrap_or_default();
            tr.fmt(
                "xlsx-out-of-range",
                &[
                    ("indicator", Arg::Text(indicator)),
                    ("value", Arg::Text(&number(Some(*value)))),
                    ("why", Arg::Text(&why)),
                ],
            )
        }
        Issue::Conflicting {
            indicator,
            here,
            there,
            other_sheet,
        } => tr.fmt(
            "xlsx-conflicting",
            &[
                ("indicator", Arg::Text(indicator)),
                ("here", Arg::Text(&number(*here))),
                ("there", Arg::Text(&number(*there))),
                ("other_sheet", Arg::Text(other_sheet)),
            ],
        ),
        Issue::NotAYear { text } => tr.fmt("xlsx-not-a-year", &[("text", Arg::Text(text))]),
        Issue::TooLarge { .. } => tr.t("xlsx-too-large"),
        Issue::OutsideTemplate => tr.t("xlsx-outside-template"),
        Issue::MissingSheet => tr.t("xlsx-missing-sheet"),
        Issue::FormulaWithoutValue => tr.t("xlsx-formula-without-value"),
    };
    match (p.sheet.is_empty(), p.cell.is_empty()) {
        (true, _) => issue,
        (false, true) => tr.fmt(
            "xlsx-where-sheet",
            &[("sheet", Arg::Text(&p.sheet)), ("issue", Arg::Text(&issue))],
        ),
        (false, false) => tr.fmt(
            "xlsx-where-cell",
            &[
                ("sheet", Arg::Text(&p.sheet)),
                ("cell", Arg::Text(&p.cell)),
                ("issue", Arg::Text(&issue)),
            ],
        ),
    }
}
