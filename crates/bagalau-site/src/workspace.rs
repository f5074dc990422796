//! The pages people work in after signing in: the sign-in form, the
//! dashboard of what is due, the reporting-data form.

use crate::i18n::{Arg, Catalog, Tr};
use crate::{LangLink, switch};
use askama::Template;
use bagalau_core::Lang;
use bagalau_core::cycle::{Due, SubmissionState, Task};
use bagalau_core::pack::Methodology;
use bagalau_core::registry::Registry;

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
    Refused(String),
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
        Outcome::Refused(why) => (
            Some(tr.fmt("submission-refused", &[("reason", Arg::Text(why))])),
            true,
        ),
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
