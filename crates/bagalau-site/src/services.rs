//! The Register of public services on the portal: the services in force on
//! a date, grouped by sector, and each service's standard with its version
//! history. Standards of public services are legal acts, so these pages
//! show the stored register itself, not a published snapshot, to anyone.

use crate::i18n::{self, Arg, Catalog, Tr};
use crate::{FileLink, LangLink, MessagePage};
use askama::Template;
use bagalau_core::Lang;
use bagalau_core::registry::Registry;
use bagalau_services::register::{Channel, Deadline, Register, ResultForm, Service};
use chrono::{Datelike, NaiveDate};

/// The sectors the interface names in every language (message `sector-…`);
/// a register's other sectors are shown by their id.
pub const SECTORS: [&str; 15] = [
    "registration",
    "transport",
    "business",
    "land",
    "construction",
    "education",
    "health",
    "social_protection",
    "housing",
    "justice",
    "taxes",
    "environment",
    "agriculture",
    "culture",
    "trade",
];

/// The stored register as the pages show it.
#[derive(Debug, Clone, Copy)]
pub struct RegisterView<'a> {
    pub register: &'a Register,
    /// When it was imported (RFC 3339).
    pub imported_at: &'a str,
    /// SHA-256 of its canonical CSV.
    pub sha256: &'a str,
    /// The demo's register: the pages say it is not the official one.
    pub demonstration: bool,
    /// For the providers' names, when a registry is stored.
    pub registry: Option<&'a Registry>,
}

/// The date a page shows, and today's (links keep a date other than today).
#[derive(Debug, Clone, Copy)]
pub struct OnDate {
    pub at: NaiveDate,
    pub today: NaiveDate,
}

impl OnDate {
    fn query(self) -> String {
        if self.at == self.today {
            String::new()
        } else {
            format!("?at={}", self.at)
        }
    }
}

/// The address of the list of services in a language.
pub fn list_path(lang: Lang) -> String {
    format!("/{}/services", i18n::code(lang))
}

/// The address of a service's page in a language.
pub fn service_path(lang: Lang, id: &str) -> String {
    format!("/{}/services/{id}", i18n::code(lang))
}

/// The language switch of pages whose address carries the language.
pub(crate) fn switch(lang: Lang, path_after_lang: &str) -> Vec<LangLink> {
    i18n::LANGS
        .into_iter()
        .map(|l| LangLink {
            code: i18n::code(l),
            name: i18n::native_name(l),
            href: format!("/{}{path_after_lang}", i18n::code(l)),
            current: l == lang,
        })
        .collect()
}

pub fn sector_name(tr: &Tr<'_>, sector: &str) -> String {
    tr.lookup(&format!("sector-{}", sector.replace('_', "-")))
        .unwrap_or_else(|| sector.to_string())
}

/// A region's name (message `region-…`), or its code when the interface
/// has none.
pub fn region_name(tr: &Tr<'_>, region: &str) -> String {
    tr.lookup(&format!("region-{}", region.replace('_', "-")))
        .unwrap_or_else(|| region.to_string())
}

/// A service's name in the register in force on a date (else its latest
/// version's), or its id when there is no register or the service is not in it.
pub fn service_name(register: Option<&Register>, lang: Lang, id: &str, on: NaiveDate) -> String {
    let Some(register) = register else {
        return id.to_string();
    };
    let versions: Vec<&Service> = register.versions().iter().filter(|s| s.id == id).collect();
    versions
        .iter()
        .find(|s| s.in_force(on))
        .or_else(|| versions.last())
        .map_or_else(|| id.to_string(), |s| s.name.get(lang).to_string())
}

pub fn deadline(tr: &Tr<'_>, d: Deadline) -> String {
    let count = [("count", Arg::Number(f64::from(d.value())))];
    match d {
        Deadline::WorkingDays(_) => tr.fmt("deadline-working-days", &count),
        Deadline::CalendarDays(_) => tr.fmt("deadline-calendar-days", &count),
        Deadline::Hours(_) => tr.fmt("deadline-hours", &count),
        Deadline::Minutes(_) => tr.fmt("deadline-minutes", &count),
    }
}

pub fn channel(tr: &Tr<'_>, c: Channel) -> String {
    match c {
        Channel::Psc => tr.t("channel-psc"),
        Channel::Portal => tr.t("channel-portal"),
        Channel::Body => tr.t("channel-body"),
    }
}

fn channels(tr: &Tr<'_>, s: &Service) -> String {
    s.channels
        .iter()
        .map(|c| channel(tr, *c))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn result_form(tr: &Tr<'_>, f: ResultForm) -> String {
    match f {
        ResultForm::Electronic => tr.t("result-electronic"),
        ResultForm::Paper => tr.t("result-paper"),
        ResultForm::Both => tr.t("result-both"),
    }
}

pub fn cost(tr: &Tr<'_>, tenge: f64) -> String {
    if tenge == 0.0 {
        return tr.t("cost-free");
    }
    let decimals = if tenge.fract() == 0.0 { 0 } else { 2 };
    tr.fmt(
        "cost-tenge",
        &[("amount", Arg::Text(&tr.number(tenge, decimals)))],
    )
}

fn automated(tr: &Tr<'_>, yes: bool) -> String {
    if yes {
        tr.t("automated-yes")
    } else {
        tr.t("automated-no")
    }
}

fn providers(tr: &Tr<'_>, s: &Service, registry: Option<&Registry>, year: i32) -> String {
    s.providers
        .iter()
        .map(|id| registry.map_or_else(|| id.clone(), |r| r.display_name(id, year, tr.lang)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn period(tr: &Tr<'_>, s: &Service) -> String {
    let from = tr.date(&s.effective_from.to_string());
    match s.effective_to {
        Some(to) => tr.fmt(
            "version-from-to",
            &[
                ("from", Arg::Text(&from)),
                ("to", Arg::Text(&tr.date(&to.to_string()))),
            ],
        ),
        None => tr.fmt("version-from", &[("from", Arg::Text(&from))]),
    }
}

fn imported_line(tr: &Tr<'_>, v: &RegisterView<'_>) -> String {
    tr.fmt(
        "services-imported",
        &[
            ("date", Arg::Text(&tr.date(v.imported_at))),
            ("sha", Arg::Text(&v.sha256[..v.sha256.len().min(12)])),
        ],
    )
}

fn demonstration_note(tr: &Tr<'_>, v: &RegisterView<'_>) -> Option<String> {
    v.demonstration.then(|| tr.t("services-demonstration-note"))
}

fn downloads() -> Vec<FileLink> {
    crate::opendata::REGISTER_FORMATS
        .iter()
        .map(|(format, _)| FileLink {
            format,
            href: crate::opendata::register_path(format),
        })
        .collect()
}

#[derive(Debug)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub href: String,
    pub deadline: String,
    pub channels: String,
    pub cost: String,
    pub result_form: String,
    pub automated: String,
}

#[derive(Debug)]
pub struct SectorView {
    pub name: String,
    pub rows: Vec<ServiceRow>,
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    demonstration_register: Option<String>,
    action: String,
    at: String,
    summary: String,
    imported: String,
    downloads: Vec<FileLink>,
    sectors: Vec<SectorView>,
}

/// The services in force on a date, grouped by sector (sectors and services
/// in the order of their names in the page's language).
pub fn services(catalog: &Catalog, lang: Lang, v: &RegisterView<'_>, on: OnDate) -> String {
    let tr = catalog.tr(lang);
    let date = tr.date(&on.at.to_string());
    let in_force = v.register.at(on.at);
    let mut sectors: Vec<SectorView> = Vec::new();
    for s in in_force.values() {
        let row = ServiceRow {
            id: s.id.clone(),
            name: s.name.get(lang).to_string(),
            href: format!("{}{}", service_path(lang, &s.id), on.query()),
            deadline: deadline(&tr, s.deadline),
            channels: channels(&tr, s),
            cost: cost(&tr, s.cost),
            result_form: result_form(&tr, s.result_form),
            automated: automated(&tr, s.automated),
        };
        let name = sector_name(&tr, &s.sector);
        match sectors.iter_mut().find(|x| x.name == name) {
            Some(sector) => sector.rows.push(row),
            None => sectors.push(SectorView {
                name,
                rows: vec![row],
            }),
        }
    }
    sectors.sort_by(|a, b| a.name.cmp(&b.name));
    for s in &mut sectors {
        s.rows.sort_by(|a, b| a.name.cmp(&b.name));
    }
    let summary = if in_force.is_empty() {
        tr.fmt("services-none-in-force", &[("date", Arg::Text(&date))])
    } else {
        tr.fmt(
            "services-in-force",
            &[
                ("date", Arg::Text(&date)),
                ("count", Arg::Number(in_force.len() as f64)),
            ],
        )
    };
    ServicesPage {
        tr,
        title: tr.t("services-title"),
        switch: switch(lang, &format!("/services{}", on.query())),
        demonstration: false,
        demonstration_register: demonstration_note(&tr, v),
        action: list_path(lang),
        at: on.at.to_string(),
        summary,
        imported: imported_line(&tr, v),
        downloads: downloads(),
        sectors,
    }
    .render()
    .expect("the services template renders")
}

#[derive(Debug)]
pub struct VersionView {
    pub period: String,
    pub current: bool,
    /// What changed against the version before, one line per field.
    pub changes: Vec<String>,
    /// Said when there is no change to list.
    pub note: String,
}

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    demonstration_register: Option<String>,
    id: String,
    sector: String,
    not_in_force: Option<String>,
    standard_caption: String,
    standard: Vec<(String, String)>,
    documents: Vec<String>,
    versions: Vec<VersionView>,
    imported: String,
    back: String,
}

/// A field of a standard: which, its label and its value, in the page's language.
struct Field {
    which: &'static str,
    label: String,
    value: String,
}

/// The fields of a standard that the history compares.
fn fields(tr: &Tr<'_>, s: &Service, registry: Option<&Registry>, year: i32) -> Vec<Field> {
    let field = |which, label, value| Field {
        which,
        label,
        value,
    };
    vec![
        field("name", tr.t("col-service"), s.name.get(tr.lang).to_string()),
        field("sector", tr.t("col-sector"), sector_name(tr, &s.sector)),
        field(
            "providers",
            tr.t("col-providers"),
            providers(tr, s, registry, year),
        ),
        field("channels", tr.t("col-channels"), channels(tr, s)),
        field(
            "deadline",
            tr.t("col-service-deadline"),
            deadline(tr, s.deadline),
        ),
        field("documents", tr.t("col-documents"), s.documents.join("; ")),
        field("cost", tr.t("col-cost"), cost(tr, s.cost)),
        field(
            "result_form",
            tr.t("col-result-form"),
            result_form(tr, s.result_form),
        ),
        field(
            "automated",
            tr.t("col-automated"),
            automated(tr, s.automated),
        ),
    ]
}

/// A service's standard (the version in force on the date, else the latest
/// before it, else the first) and every version with what changed; `None`
/// for a service the register does not have.
pub fn service(
    catalog: &Catalog,
    lang: Lang,
    v: &RegisterView<'_>,
    id: &str,
    on: OnDate,
) -> Option<String> {
    let tr = catalog.tr(lang);
    let mut versions: Vec<&Service> = v
        .register
        .versions()
        .iter()
        .filter(|s| s.id == id)
        .collect();
    versions.sort_by_key(|s| s.effective_from);
    let shown = versions
        .iter()
        .find(|s| s.in_force(on.at))
        .or_else(|| versions.iter().rev().find(|s| s.effective_from <= on.at))
        .or_else(|| versions.first())
        .copied()?;
    let date = tr.date(&on.at.to_string());
    // Providers are named as they were called on the date shown.
    let year = on.at.year();
    let history = versions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let changes: Vec<String> = match i.checked_sub(1).map(|p| versions[p]) {
                None => Vec::new(),
                Some(before) => fields(&tr, before, v.registry, year)
                    .into_iter()
                    .zip(fields(&tr, s, v.registry, year))
                    .filter(|(a, b)| a.value != b.value)
                    .map(|(a, b)| {
                        tr.fmt(
                            "version-change",
                            &[
                                ("field", Arg::Text(&a.label)),
                                ("before", Arg::Text(&a.value)),
                                ("after", Arg::Text(&b.value)),
                            ],
                        )
                    })
                    .collect(),
            };
            VersionView {
                period: period(&tr, s),
                current: std::ptr::eq(*s, shown),
                note: if i == 0 {
                    tr.t("version-first")
                } else {
                    tr.t("version-no-change")
                },
                changes,
            }
        })
        .collect();
    // The name is the page's title, the documents a list of their own.
    let mut standard: Vec<(String, String)> = fields(&tr, shown, v.registry, year)
        .into_iter()
        .filter(|f| !matches!(f.which, "name" | "documents"))
        .map(|f| (f.label, f.value))
        .collect();
    standard.push((tr.t("col-in-force"), period(&tr, shown)));
    let page = ServicePage {
        tr,
        title: shown.name.get(lang).to_string(),
        switch: switch(lang, &format!("/services/{id}{}", on.query())),
        demonstration: false,
        demonstration_register: demonstration_note(&tr, v),
        id: id.to_string(),
        sector: sector_name(&tr, &shown.sector),
        not_in_force: (!shown.in_force(on.at))
            .then(|| tr.fmt("service-not-in-force", &[("date", Arg::Text(&date))])),
        standard_caption: if shown.in_force(on.at) {
            tr.fmt("service-standard", &[("date", Arg::Text(&date))])
        } else {
            tr.t("service-standard-shown")
        },
        standard,
        documents: shown.documents.clone(),
        versions: history,
        imported: imported_line(&tr, v),
        back: format!("{}{}", list_path(lang), on.query()),
    };
    Some(page.render().expect("the service template renders"))
}

/// A page that only says something, titled by the message `title`, on an
/// address that carries the language.
pub(crate) fn message(
    catalog: &Catalog,
    lang: Lang,
    title: &str,
    path_after_lang: &str,
    text: impl FnOnce(&Tr<'_>) -> String,
) -> String {
    let tr = catalog.tr(lang);
    MessagePage {
        tr,
        title: tr.t(title),
        switch: switch(lang, path_after_lang),
        demonstration: false,
        text: text(&tr),
    }
    .render()
    .expect("the message template renders")
}

/// The page when no register of services is stored.
pub fn no_register(catalog: &Catalog, lang: Lang) -> String {
    message(catalog, lang, "services-title", "/services", |tr| {
        tr.t("services-none-stored")
    })
}

/// The page for a date that does not read (`?at=` must be YYYY-MM-DD).
pub fn bad_date(catalog: &Catalog, lang: Lang, text: &str) -> String {
    message(catalog, lang, "services-title", "/services", |tr| {
        tr.fmt("services-bad-date", &[("text", Arg::Text(text))])
    })
}

/// The page for a service the register does not have.
pub fn unknown_service(catalog: &Catalog, lang: Lang, id: &str) -> String {
    message(
        catalog,
        lang,
        "services-title",
        &format!("/services/{id}"),
        |tr| tr.fmt("service-unknown", &[("id", Arg::Text(id))]),
    )
}
