//! A refusal by the rules, said in the reader's language: bodies and
//! directions by their names, stages and states by their labels, dates and
//! times in the language's style.

use crate::i18n::{Arg, Tr};
use bagalau_core::refusal::Refusal;

/// How bodies and directions are named on the page.
pub struct Names<'a> {
    pub body: &'a dyn Fn(&str) -> String,
    pub direction: &'a dyn Fn(&str) -> String,
}

impl Names<'_> {
    /// Codes as they are, where no registry or methodology is at hand.
    pub const CODES: Names<'static> = Names {
        body: &str::to_string,
        direction: &str::to_string,
    };
}

/// The Fluent id of a refusal's message: `refusal-` and its code.
pub fn message_id(code: &str) -> String {
    format!("refusal-{}", code.replace('_', "-"))
}

pub fn explain(tr: &Tr<'_>, refusal: &Refusal, names: &Names<'_>) -> String {
    use Refusal::*;
    let body = |b: &str| (names.body)(b);
    let direction = |d: &str| (names.direction)(d);
    let at = |t: &chrono::NaiveDateTime| tr.datetime(&t.format("%Y-%m-%dT%H:%M").to_string());
    let day = |d: &chrono::NaiveDate| tr.date(&d.to_string());
    let stage = |s: &bagalau_core::cycle::Stage| tr.t(&format!("stage-{}", wire_name(s)));
    let project_status_label = |s: &bagalau_core::monitoring::ProjectStatus| {
        tr.t(&format!("monitoring-status-{}", s.as_str()))
    };
    let mut number = None;
    let text: Vec<(&str, String)> = match refusal {
        NotReporter { user, body: b } => vec![("user", user.clone()), ("body", body(b))],
        NotCoordinator { user }
        | NotVerifier { user }
        | NotCommissionMember { user }
        | NoUnpublishedSight { user }
        | WroteConclusion { user } => vec![("user", user.clone())],
        NotAssessor { user, direction: d } => {
            vec![("user", user.clone()), ("direction", direction(d))]
        }
        NotAssigned {
            user,
            direction: d,
            authorized_body,
        } => vec![
            ("user", user.clone()),
            ("direction", direction(d)),
            ("authorized_body", body(authorized_body)),
        ],
        NotIssuer { issuer } => vec![("issuer", issuer.clone())],
        NotPermitted { user, action } => vec![("user", user.clone()), ("action", action.clone())],
        PublishedByApproval { year }
        | YearApproved { year }
        | PackAdopted { year }
        | PackDraft { year }
        | NotApproved { year }
        | CorrectionOpen { year } => {
            vec![("year", year.to_string())]
        }
        NotYourResults { body: b }
        | NotYourTemplate { body: b }
        | IssuesToItself { body: b }
        | AlreadySubmitted { body: b }
        | NotSelected { body: b } => vec![("body", body(b))],
        AssessesItself {
            authority,
            direction: d,
        } => vec![("authority", body(authority)), ("direction", direction(d))],
        NotOpenYet {
            stage: s,
            opens_after,
        } => vec![("stage", stage(s)), ("opens_after", at(opens_after))],
        Closed { stage: s, deadline } => vec![("stage", stage(s)), ("deadline", at(deadline))],
        ExtensionAfterVerification { deadline } => vec![("deadline", at(deadline))],
        DueNotAfterToday { due, today } => vec![("due", day(due)), ("today", day(today))],
        AlreadyDecided { objection_state } => vec![(
            "objection_state",
            tr.t(&format!("objection-state-{}", wire_name(objection_state))),
        )],
        ObjectionsOpen { objections } => vec![("objections", objections.clone())],
        RecommendationNotOpen {
            recommendation_state,
        }
        | NotReported {
            recommendation_state,
        } => vec![(
            "recommendation_state",
            tr.t(&format!("rec-state-{}", recommendation_state.as_str())),
        )],
        CorrectionNeedsReason { year, version } => {
            number = Some(("version", *version as f64));
            vec![("year", year.to_string())]
        }
        MayNotAccredit { user } => vec![("user", user.clone())],
        NotMonitorOf { user, organisation } => {
            vec![
                ("user", user.clone()),
                ("organisation", organisation.clone()),
            ]
        }
        NotAccredited { organisation, on } => {
            vec![("organisation", organisation.clone()), ("on", day(on))]
        }
        ProjectNotActive { project_status } => {
            vec![("project_status", project_status_label(project_status))]
        }
        ProjectTransition { from, to } => vec![
            ("from", project_status_label(from)),
            ("to", project_status_label(to)),
        ],
        RepliesPending { findings, until } => {
            vec![("findings", findings.clone()), ("until", day(until))]
        }
        ReplyTermOver { due } => vec![("due", day(due))],
        MayNotIssue | SelectionHidden | MonitorsNoEvidence | OpinionsHidden | FormExpired
        | NoPreliminary | NotRejected | NotEscalated | NoFinalConclusions | ConclusionGone
        | ExtensionNotInFuture | AlreadyReplied | ReasonRequired | TextRequired | AccountsExist
        | CorrectionDecided => Vec::new(),
    };
    let mut args: Vec<(&str, Arg<'_>)> = text.iter().map(|(k, v)| (*k, Arg::Text(v))).collect();
    if let Some((k, n)) = number {
        args.push((k, Arg::Number(n)));
    }
    tr.fmt(&message_id(&refusal.code()), &args)
}

/// A stage's or state's name as the API sends it (`objections`, `filed`, …),
/// which is also how the message ids name it.
fn wire_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Why an action was not done: the rules' refusal, said in the reader's
/// language, or a reason given as text (the API's own words for what has no
/// code, such as a value that does not fit the form).
#[derive(Debug, Clone, PartialEq)]
pub enum Why {
    Refused(Refusal),
    Said(String),
}

impl Why {
    /// From an API error answer: `{"error": …, "refusal": {"code": …}}`.
    pub fn from_answer(message: &str, answer: &serde_json::Value) -> Why {
        serde_json::from_value::<Refusal>(answer["refusal"].clone())
            .map_or_else(|_| Why::Said(message.to_string()), Why::Refused)
    }

    pub fn say(&self, tr: &Tr<'_>, names: &Names<'_>) -> String {
        match self {
            Why::Refused(r) => explain(tr, r, names),
            Why::Said(text) => text.clone(),
        }
    }
}
