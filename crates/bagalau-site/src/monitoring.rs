//! Public monitoring on the portal: the published reports of accredited
//! organisations (a project's findings with the bodies' replies, and its
//! recommendations with their execution). Only reports a monitor has
//! published are shown; work in progress stays with the organisation and
//! the bodies addressed.

use crate::LangLink;
use crate::i18n::{self, Arg, Catalog, Tr};
use crate::services::{region_name, service_name};
use askama::Template;
use bagalau_core::Lang;
use bagalau_core::monitoring::{
    Finding, Organisation, Project, ProjectRecommendation, ReplyStatus,
};
use bagalau_core::registry::Registry;
use bagalau_services::register::Register;
use chrono::{Datelike, NaiveDate};

/// The monitoring pages' address after the language.
fn after_lang(project: Option<i64>) -> String {
    match project {
        Some(id) => format!("/monitoring/{id}"),
        None => "/monitoring".to_string(),
    }
}

/// The address of the published reports, or of one, in a language.
pub fn monitoring_path(lang: Lang, project: Option<i64>) -> String {
    format!("/{}{}", i18n::code(lang), after_lang(project))
}

fn switch(lang: Lang, project: Option<i64>) -> Vec<LangLink> {
    crate::services::switch(lang, &after_lang(project))
}

/// What the pages name: the register's services, the registry's bodies,
/// the organisations.
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    pub register: Option<&'a Register>,
    pub registry: Option<&'a Registry>,
    pub organisations: &'a [Organisation],
}

impl Names<'_> {
    fn organisation(&self, lang: Lang, id: &str) -> String {
        self.organisations
            .iter()
            .find(|o| o.id == id)
            .map_or_else(|| id.to_string(), |o| o.name.get(lang).to_string())
    }

    fn body(&self, lang: Lang, id: &str, year: i32) -> String {
        self.registry
            .map_or_else(|| id.to_string(), |r| r.display_name(id, year, lang))
    }

    fn service(&self, lang: Lang, id: &str, on: NaiveDate) -> String {
        service_name(self.register, lang, id, on)
    }
}

fn period(tr: &Tr<'_>, p: &Project) -> String {
    format!(
        "{} – {}",
        tr.date(&p.plan.period_from.to_string()),
        tr.date(&p.plan.period_to.to_string())
    )
}

#[derive(Debug)]
pub struct ReportRow {
    pub href: String,
    pub title: String,
    pub organisation: String,
    pub period: String,
    pub findings: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "monitoring_reports.html")]
struct ReportsPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    rows: Vec<ReportRow>,
}

/// The published reports, newest first: each with its organisation, period
/// and how many findings the bodies replied to.
pub fn reports(
    catalog: &Catalog,
    lang: Lang,
    names: &Names<'_>,
    published: &[(i64, Project, Vec<Finding>)],
) -> String {
    let tr = catalog.tr(lang);
    let mut sorted: Vec<&(i64, Project, Vec<Finding>)> = published.iter().collect();
    sorted.sort_by_key(|(id, p, _)| std::cmp::Reverse((p.reported_at, *id)));
    let rows = sorted
        .iter()
        .map(|(id, p, findings)| ReportRow {
            href: monitoring_path(lang, Some(*id)),
            title: p.plan.title.clone(),
            organisation: names.organisation(lang, &p.organisation),
            period: period(&tr, p),
            findings: tr.fmt(
                "monitoring-findings-count",
                &[
                    ("count", Arg::Number(findings.len() as f64)),
                    (
                        "replied",
                        Arg::Number(findings.iter().filter(|f| f.reply.is_some()).count() as f64),
                    ),
                ],
            ),
            published: p
                .reported_at
                .map_or_else(String::new, |at| tr.date(&at.date().to_string())),
        })
        .collect();
    ReportsPage {
        tr,
        title: tr.t("monitoring-title"),
        switch: switch(lang, None),
        demonstration: false,
        rows,
    }
    .render()
    .expect("the monitoring reports template renders")
}

#[derive(Debug)]
pub struct FindingView {
    pub id: i64,
    pub service: String,
    pub body: String,
    pub place: String,
    pub observed: String,
    pub severity: String,
    pub text: String,
    pub evidence: usize,
    pub reply: String,
}

#[derive(Debug)]
pub struct RecommendationView {
    pub id: i64,
    pub body: String,
    pub text: String,
    pub due: String,
    pub state: String,
    pub report: Option<String>,
}

#[derive(Template)]
#[template(path = "monitoring_report.html")]
struct ReportPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    organisation: String,
    period: String,
    published: String,
    services: String,
    regions: String,
    method: String,
    findings: Vec<FindingView>,
    recommendations: Vec<RecommendationView>,
    back: String,
}

/// A published report: the plan, every finding with the body's reply (or
/// that the term ran out without one), and the recommendations.
/// A published project with what the report shows of it.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub id: i64,
    pub project: &'a Project,
    pub findings: &'a [(i64, Finding)],
    pub recommendations: &'a [(i64, ProjectRecommendation)],
    /// Whether a reply may still come depends on the day.
    pub today: NaiveDate,
}

pub fn report(catalog: &Catalog, lang: Lang, names: &Names<'_>, r: Report<'_>) -> String {
    let Report {
        id,
        project,
        findings,
        recommendations,
        today,
    } = r;
    let tr = catalog.tr(lang);
    let year = project.plan.period_to.year();
    let findings = findings
        .iter()
        .map(|(fid, f)| {
            let o = &f.observation;
            let reply = match (&f.reply, f.reply_status(today)) {
                (Some(r), _) => tr.fmt(
                    &format!("monitoring-reply-{}", r.stance.as_str()),
                    &[
                        ("date", Arg::Text(&tr.date(&r.at.date().to_string()))),
                        ("text", Arg::Text(&r.text)),
                    ],
                ),
                (None, ReplyStatus::Awaiting) => tr.fmt(
                    "monitoring-reply-awaiting",
                    &[("date", Arg::Text(&tr.date(&f.reply_due.to_string())))],
                ),
                (None, _) => tr.t("monitoring-reply-none"),
            };
            FindingView {
                id: *fid,
                service: names.service(lang, &o.service, o.observed_on),
                body: names.body(lang, &o.body, year),
                place: match &o.office {
                    Some(office) => format!("{}, {office}", region_name(&tr, &o.region)),
                    None => region_name(&tr, &o.region),
                },
                observed: tr.date(&o.observed_on.to_string()),
                severity: tr.t(&format!("severity-{}", o.severity.as_str())),
                text: o.text.clone(),
                evidence: o.evidence.len(),
                reply,
            }
        })
        .collect();
    let recommendations = recommendations
        .iter()
        .map(|(rid, r)| {
            let rec = &r.recommendation;
            RecommendationView {
                id: *rid,
                body: names.body(lang, &rec.body, year),
                text: rec.text.clone(),
                due: tr.date(&rec.due.to_string()),
                state: tr.t(&format!("rec-state-{}", rec.state.as_str())),
                report: rec.report.clone(),
            }
        })
        .collect();
    ReportPage {
        tr,
        title: project.plan.title.clone(),
        switch: switch(lang, Some(id)),
        demonstration: false,
        organisation: names.organisation(lang, &project.organisation),
        period: period(&tr, project),
        published: project
            .reported_at
            .map_or_else(String::new, |at| tr.date(&at.date().to_string())),
        services: project
            .plan
            .services
            .iter()
            .map(|s| names.service(lang, s, project.plan.period_to))
            .collect::<Vec<_>>()
            .join("; "),
        regions: project
            .plan
            .regions
            .iter()
            .map(|r| region_name(&tr, r))
            .collect::<Vec<_>>()
            .join(", "),
        method: project.plan.method.clone(),
        findings,
        recommendations,
        back: monitoring_path(lang, None),
    }
    .render()
    .expect("the monitoring report template renders")
}

/// The page for a report that is not published (or does not exist): the
/// two are not told apart, so unpublished work does not show.
pub fn not_published(catalog: &Catalog, lang: Lang, id: i64) -> String {
    crate::services::message(
        catalog,
        lang,
        "monitoring-title",
        &after_lang(Some(id)),
        |tr| {
            tr.fmt(
                "monitoring-not-published",
                &[("id", Arg::Text(&id.to_string()))],
            )
        },
    )
}
