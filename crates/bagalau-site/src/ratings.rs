//! The published ratings of public-service quality on the portal: the years
//! published, a year's ratings by provider, sector, region, office and
//! recipient category with the method that made them, and their open-data
//! files. Only published versions are shown, each immutable; a correction
//! is a new version with its reason.

use crate::i18n::{self, Arg, Catalog, Tr};
use crate::services::sector_name;
use crate::{FileLink, LangLink};
use askama::Template;
use bagalau_core::Lang;
use bagalau_core::publication::Publication;
use bagalau_services::ratings::{Entry, NotRated, Ratings};
use serde_json::{Value, json};

/// The formats a year's ratings come in, with their media types.
pub const RATINGS_FORMATS: [(&str, &str); 2] = [
    ("csv", "text/csv; charset=utf-8"),
    ("json", "application/json"),
];

/// The address of a year's ratings file: a version's (immutable), or the
/// latest version's (`version` None), which follows corrections.
pub fn ratings_file_path(year: i32, version: Option<i32>, format: &str) -> String {
    match version {
        Some(v) => format!("/open-data/services/ratings-{year}-v{v}.{format}"),
        None => format!("/open-data/services/ratings-{year}.{format}"),
    }
}

/// What a ratings file name asks for: (year, version, format), or `None`
/// when it is not one (`ratings-2023.csv`, `ratings-2023-v2.json`).
pub fn parse_ratings_file(file: &str) -> Option<(i32, Option<i32>, &'static str)> {
    let (stem, format) = file.rsplit_once('.')?;
    let format = RATINGS_FORMATS.iter().find(|(f, _)| *f == format)?.0;
    let rest = stem.strip_prefix("ratings-")?;
    let (year, version) = match rest.split_once("-v") {
        Some((y, v)) => (y, Some(v.parse::<i32>().ok().filter(|v| *v > 0)?)),
        None => (rest, None),
    };
    let year = year
        .parse::<i32>()
        .ok()
        .filter(|_| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))?;
    Some((year, version, format))
}

/// The ratings pages' address after the language.
fn after_lang(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("/services/ratings/{y}"),
        None => "/services/ratings".to_string(),
    }
}

/// The address of the ratings pages in a language.
pub fn ratings_path(lang: Lang, year: Option<i32>) -> String {
    format!("/{}{}", i18n::code(lang), after_lang(year))
}

/// A published version of a year's ratings, as the open-data page and the
/// catalogue describe it.
#[derive(Debug, Clone)]
pub struct RatingsDataset {
    pub publication: Publication,
    pub demonstration: bool,
}

fn switch(lang: Lang, year: Option<i32>) -> Vec<LangLink> {
    crate::services::switch(lang, &after_lang(year))
}

/// A group's name in the page's language: a provider by the registry's
/// name in the year rated, a sector, region or recipient category by the
/// interface's messages, anything else (an office) by its id.
pub fn group_name(tr: &Tr<'_>, dimension: &str, e: &Entry) -> String {
    if let Some(n) = &e.name {
        return n.get(tr.lang).to_string();
    }
    let key = e.value.replace('_', "-");
    match dimension {
        "sector" => sector_name(tr, &e.value),
        "region" => crate::services::region_name(tr, &e.value),
        "recipient" => tr
            .lookup(&format!("recipient-{key}"))
            .unwrap_or_else(|| e.value.clone()),
        _ => e.value.clone(),
    }
}

#[derive(Debug)]
pub struct YearLink {
    pub year: i32,
    pub href: String,
    pub line: String,
}

#[derive(Template)]
#[template(path = "ratings_years.html")]
struct YearsPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    years: Vec<YearLink>,
}

/// The years whose ratings are published, newest first, each with its
/// latest version; a note when none is.
pub fn years(catalog: &Catalog, lang: Lang, published: &[RatingsDataset]) -> String {
    let tr = catalog.tr(lang);
    let mut latest: Vec<&RatingsDataset> = published
        .iter()
        .filter(|d| {
            !published.iter().any(|o| {
                o.publication.year == d.publication.year
                    && o.publication.version > d.publication.version
            })
        })
        .collect();
    latest.sort_by_key(|d| std::cmp::Reverse(d.publication.year));
    let years = latest
        .iter()
        .map(|d| YearLink {
            year: d.publication.year,
            href: ratings_path(lang, Some(d.publication.year)),
            line: version_line(&tr, &d.publication),
        })
        .collect();
    YearsPage {
        tr,
        title: tr.t("ratings-title"),
        switch: switch(lang, None),
        demonstration: latest.iter().any(|d| d.demonstration),
        years,
    }
    .render()
    .expect("the ratings years template renders")
}

/// A version's line followed by its reason, when it corrects another.
pub(crate) fn version_note(tr: &Tr<'_>, p: &Publication) -> String {
    match &p.reason {
        Some(r) => format!("{} {r}", version_line(tr, p)),
        None => version_line(tr, p),
    }
}

fn version_line(tr: &Tr<'_>, p: &Publication) -> String {
    tr.fmt(
        "ratings-version",
        &[
            ("version", Arg::Number(f64::from(p.version))),
            ("date", Arg::Text(&tr.date(&p.published_at))),
            (
                "sha",
                Arg::Text(&p.content_sha256[..p.content_sha256.len().min(12)]),
            ),
        ],
    )
}

#[derive(Debug)]
pub struct Row {
    pub rank: String,
    pub name: String,
    /// Said of a vulnerable group.
    pub note: Option<String>,
    pub score: String,
    /// The score's share of the width of its bar, in percent.
    pub bar: String,
    pub records: String,
    pub values: Vec<String>,
    pub rated: bool,
}

#[derive(Debug)]
pub struct DimensionView {
    pub id: String,
    pub title: String,
    pub rows: Vec<Row>,
    /// Long tables (offices) start folded.
    pub open: bool,
}

#[derive(Debug)]
pub struct ComponentView {
    pub name: String,
    pub weight: String,
    pub how: String,
}

#[derive(Template)]
#[template(path = "ratings.html")]
struct RatingsPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    version: String,
    correction: Option<String>,
    earlier: Vec<String>,
    summary: String,
    components: Vec<ComponentView>,
    min_records: String,
    downloads: Vec<FileLink>,
    dimensions: Vec<DimensionView>,
    back: String,
}

/// A year's published ratings: the version shown (the latest) with its
/// reason when it corrects one, the earlier versions, the method, the
/// downloads, and one table per breakdown.
pub fn year(
    catalog: &Catalog,
    lang: Lang,
    ratings: &Ratings,
    shown: &Publication,
    versions: &[Publication],
) -> String {
    let tr = catalog.tr(lang);
    let components: Vec<ComponentView> = ratings
        .method
        .components
        .iter()
        .map(|c| ComponentView {
            name: c.name.get(lang).to_string(),
            weight: tr.number(100.0 * c.weight, 0),
            how: match (c.survey_measure(), c.better) {
                (Some(_), _) => tr.t("ratings-component-survey"),
                (None, bagalau_services::ratings::Better::Lower) => tr.t("ratings-component-lower"),
                (None, bagalau_services::ratings::Better::Higher) => {
                    tr.t("ratings-component-higher")
                }
            },
        })
        .collect();
    let dimensions = ratings
        .dimensions
        .iter()
        .map(|d| DimensionView {
            open: d.entries.len() <= 50,
            id: d.dimension.clone(),
            title: tr
                .lookup(&format!("ratings-by-{}", d.dimension))
                .unwrap_or_else(|| d.dimension.clone()),
            rows: d
                .entries
                .iter()
                .map(|e| Row {
                    rank: e.rank.map_or_else(|| "–".to_string(), |r| r.to_string()),
                    name: group_name(&tr, &d.dimension, e),
                    note: (d.dimension == "recipient"
                        && bagalau_services::ratings::VULNERABLE_GROUPS
                            .contains(&e.value.as_str()))
                    .then(|| tr.t("ratings-vulnerable")),
                    score: match (&e.score, &e.not_rated) {
                        (Some(s), _) => tr.number(*s, 2),
                        (None, Some(NotRated::FewRecords { minimum })) => tr.fmt(
                            "ratings-not-rated-few",
                            &[("count", Arg::Number(*minimum as f64))],
                        ),
                        (None, _) => tr.t("ratings-not-rated-none"),
                    },
                    bar: format!("{:.1}", e.score.unwrap_or(0.0).clamp(0.0, 100.0)),
                    records: tr.number(e.records as f64, 0),
                    values: e
                        .values
                        .iter()
                        .map(|v| v.map_or_else(|| "–".to_string(), |v| tr.number(v, 1)))
                        .collect(),
                    rated: e.score.is_some(),
                })
                .collect(),
        })
        .collect();
    let earlier = versions
        .iter()
        .filter(|p| p.version < shown.version)
        .rev()
        .map(|p| version_note(&tr, p))
        .collect();
    RatingsPage {
        tr,
        title: tr.fmt(
            "ratings-year-title",
            &[("year", Arg::Text(&ratings.year.to_string()))],
        ),
        switch: switch(lang, Some(ratings.year)),
        demonstration: ratings.demonstration,
        version: version_line(&tr, shown),
        correction: shown.reason.as_ref().map(|r| {
            tr.fmt(
                "ratings-correction",
                &[
                    ("previous", Arg::Number(f64::from(shown.version - 1))),
                    ("reason", Arg::Text(r)),
                ],
            )
        }),
        earlier,
        summary: {
            let records = tr.number(ratings.records as f64, 0);
            if ratings.respondents == 0 {
                tr.fmt(
                    "ratings-summary-no-survey",
                    &[("records", Arg::Text(&records))],
                )
            } else {
                let respondents = tr.number(ratings.respondents as f64, 0);
                tr.fmt(
                    "ratings-summary",
                    &[
                        ("records", Arg::Text(&records)),
                        ("respondents", Arg::Text(&respondents)),
                    ],
                )
            }
        },
        components,
        min_records: tr.fmt(
            "ratings-min-records",
            &[("count", Arg::Number(ratings.method.min_records as f64))],
        ),
        downloads: RATINGS_FORMATS
            .iter()
            .map(|(format, _)| FileLink {
                format,
                href: ratings_file_path(ratings.year, Some(shown.version), format),
            })
            .collect(),
        dimensions,
        back: ratings_path(lang, None),
    }
    .render()
    .expect("the ratings template renders")
}

/// The page for a year without published ratings.
pub fn not_published(catalog: &Catalog, lang: Lang, year: i32) -> String {
    crate::services::message(
        catalog,
        lang,
        "ratings-title",
        &after_lang(Some(year)),
        |tr| {
            tr.fmt(
                "ratings-not-published",
                &[("year", Arg::Text(&year.to_string()))],
            )
        },
    )
}

/// The catalogue's dataset of one published version of a year's ratings.
pub fn ratings_dataset(base: &str, d: &RatingsDataset) -> Value {
    let p = &d.publication;
    let description = "Ratings of public-service quality by provider body, sector, region, office and recipient category: each group's score (0-100) from deadline compliance, satisfaction, documents beyond the standard and the electronic share, its rank, records and component values";
    let distributions: Vec<Value> = RATINGS_FORMATS
        .iter()
        .map(|(format, media)| {
            json!({
                "@type": "dcat:Distribution",
                "dct:title": format!("ratings-{}-v{}.{format}", p.year, p.version),
                "dct:description": description,
                "dcat:downloadURL": { "@id": format!("{base}{}", ratings_file_path(p.year, Some(p.version), format)) },
                "dcat:mediaType": media,
            })
        })
        .collect();
    json!({
        "@type": "dcat:Dataset",
        "@id": format!("{base}/open-data/services/ratings-{}-v{}", p.year, p.version),
        "dct:identifier": format!("sha256:{}", p.content_sha256),
        "dct:title": [
            { "@language": "kk", "@value": format!("Мемлекеттік қызметтер көрсету сапасының рейтингтері, {}", p.year) },
            { "@language": "ru", "@value": format!("Рейтинги качества оказания государственных услуг, {}", p.year) },
            { "@language": "en", "@value": format!("Ratings of public-service quality, {}", p.year) },
        ],
        "dct:description": description,
        "dct:temporal": { "@type": "dct:PeriodOfTime", "dcat:startDate": format!("{}-01-01", p.year), "dcat:endDate": format!("{}-12-31", p.year) },
        "dct:issued": p.published_at,
        "dcat:version": p.version.to_string(),
        "adms:versionNotes": p.reason,
        "bagalau:demonstration": d.demonstration,
        "dcat:distribution": distributions,
    })
}
