//! The public pages: rankings and body profiles built from published
//! snapshots only, in Kazakh, Russian or English. Pure: the web layer reads
//! the store and the request, this crate turns view data into HTML.

pub mod chart;
pub mod i18n;
pub mod monitoring;
pub mod opendata;
pub mod ratings;
pub mod refusal;
pub mod services;
pub mod workspace;

use askama::Template;
use bagalau_core::pack::Methodology;
use bagalau_core::publication::Snapshot;
use bagalau_core::registry::Registry;
use bagalau_core::score::{Level, Node};
use bagalau_core::{Kind, Lang};
use i18n::{Arg, Catalog, Tr};

/// The site's stylesheet, served at `/static/site.css`.
pub const STYLESHEET: &str = include_str!("../static/site.css");

/// One published version of a year, as the pages show it.
#[derive(Debug, Clone)]
pub struct Published {
    pub year: i32,
    pub version: i32,
    pub sha256: String,
    pub published_at: String,
    pub reason: Option<String>,
    /// Shared: a snapshot holds every body's whole tree, and pages read many.
    pub snapshot: std::sync::Arc<Snapshot>,
}

/// How a ranking table is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Rank,
    Name,
    Change,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "rank" => Some(Sort::Rank),
            "name" => Some(Sort::Name),
            "change" => Some(Sort::Change),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Sort::Rank => "rank",
            Sort::Name => "name",
            Sort::Change => "change",
        }
    }
}

/// A language-switch entry.
#[derive(Debug)]
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// Links to the same page in every language; `path_and_query` is the
/// current page without any `lang` parameter.
pub(crate) fn switch(lang: Lang, path_and_query: &str) -> Vec<LangLink> {
    let sep = if path_and_query.contains('?') {
        '&'
    } else {
        '?'
    };
    i18n::LANGS
        .into_iter()
        .map(|l| LangLink {
            code: i18n::code(l),
            name: i18n::native_name(l),
            href: format!("{path_and_query}{sep}lang={}", i18n::code(l)),
            current: l == lang,
        })
        .collect()
}

fn kind_name(tr: &Tr<'_>, kind: Kind) -> String {
    match kind {
        Kind::Cgb => tr.t("kind-cgb"),
        _ => tr.t("kind-leb"),
    }
}

pub(crate) fn points(tr: &Tr<'_>, v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_string(), |v| tr.number(v, 2))
}

/// The body's previous-year total, its own or its single predecessor's.
fn previous_total(
    registry: &Registry,
    previous: &Snapshot,
    body: &str,
) -> Option<(f64, Option<String>)> {
    let total = |id: &str| {
        previous
            .bodies
            .iter()
            .find(|b| b.body == id)
            .and_then(|b| b.total)
    };
    if let Some(t) = total(body) {
        return Some((t, None));
    }
    match registry.predecessors(body).as_slice() {
        [single] => total(single).map(|t| (t, Some((*single).to_string()))),
        _ => None,
    }
}

#[derive(Debug)]
pub struct YearLink {
    pub year: i32,
    pub href: String,
    pub current: bool,
}

#[derive(Debug)]
pub struct Header {
    pub label: String,
    pub numeric: bool,
    pub href: Option<String>,
    pub sorted: Option<&'static str>,
}

#[derive(Debug)]
pub struct RankRow {
    pub rank: String,
    pub name: String,
    pub href: String,
    pub total: String,
    pub blocks: Vec<String>,
    pub band: String,
    pub change: String,
}

#[derive(Debug)]
pub struct RankTable {
    pub id: &'static str,
    pub caption: String,
    pub headers: Vec<Header>,
    pub rows: Vec<RankRow>,
}

#[derive(Template)]
#[template(path = "rankings.html")]
struct RankingsPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    years: Vec<YearLink>,
    version_line: String,
    correction: Option<String>,
    /// What the correction changed against the version before.
    corrected: Vec<String>,
    kinds: Vec<KindLink>,
    tables: Vec<RankTable>,
}

#[derive(Debug)]
pub struct KindLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// What a rankings page shows.
#[derive(Debug)]
pub struct RankingsView<'a> {
    pub current: &'a Published,
    /// The latest version of the year before, for the change column.
    pub previous: Option<&'a Published>,
    /// The version this one corrected, if any, to say what changed.
    pub corrected: Option<&'a Published>,
    /// Every published year, for the year links.
    pub years: &'a [i32],
    pub methodology: Option<&'a Methodology>,
    pub registry: &'a Registry,
    pub kind: Option<Kind>,
    pub sort: Sort,
}

pub fn rankings(catalog: &Catalog, lang: Lang, v: &RankingsView<'_>) -> String {
    let tr = catalog.tr(lang);
    let year = v.current.year;
    let kind_param = v
        .kind
        .map_or(String::new(), |k| format!("&kind={}", k.as_str()));
    let here = format!("/rankings/{year}?sort={}{kind_param}", v.sort.key());
    let blocks: Vec<(String, String)> = v
        .methodology
        .map(|m| {
            m.blocks
                .iter()
                .map(|b| (b.id.clone(), b.name.get(lang).to_string()))
                .collect()
        })
        .unwrap_or_default();
    let band_name = |id: &Option<String>| -> String {
        let Some(id) = id else { return String::new() };
        v.methodology
            .and_then(|m| m.bands.iter().find(|b| b.id == *id))
            .map_or_else(|| id.clone(), |b| b.name.get(lang).to_string())
    };
    let previous_year = v.previous.map(|p| p.year).unwrap_or(year - 1);
    let mut tables = Vec::new();
    for (id, kind) in [("cgb", Kind::Cgb), ("leb", Kind::Leb)] {
        if v.kind.is_some_and(|k| k != kind) {
            continue;
        }
        let mut bodies: Vec<_> = v
            .current
            .snapshot
            .bodies
            .iter()
            .filter(|b| b.kind == kind)
            .collect();
        if bodies.is_empty() {
            continue;
        }
        let change_of = |body: &str| {
            v.previous
                .and_then(|p| previous_total(v.registry, &p.snapshot, body))
        };
        let total_of = |b: &&bagalau_core::publication::PublishedBody| b.total;
        match v.sort {
            Sort::Rank => bodies.sort_by_key(|b| (b.rank.is_none(), b.rank)),
            Sort::Name => bodies.sort_by(|a, b| a.name.get(lang).cmp(b.name.get(lang))),
            Sort::Change => bodies.sort_by(|a, b| {
                let delta = |x: &&&bagalau_core::publication::PublishedBody| {
                    total_of(x).zip(change_of(&x.body)).map(|(t, (p, _))| t - p)
                };
                delta(&b)
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&delta(&a).unwrap_or(f64::NEG_INFINITY))
            }),
        }
        let sort_link = |s: Sort| format!("/rankings/{year}?sort={}{kind_param}#{id}", s.key());
        let sorted = |s: Sort| {
            (v.sort == s).then_some(if s == Sort::Change {
                "descending"
            } else {
                "ascending"
            })
        };
        let mut headers = vec![
            Header {
                label: tr.t("col-rank"),
                numeric: true,
                href: Some(sort_link(Sort::Rank)),
                sorted: sorted(Sort::Rank),
            },
            Header {
                label: tr.t("col-body"),
                numeric: false,
                href: Some(sort_link(Sort::Name)),
                sorted: sorted(Sort::Name),
            },
            Header {
                label: tr.t("col-total"),
                numeric: true,
                href: None,
                sorted: None,
            },
        ];
        for (_, name) in &blocks {
            headers.push(Header {
                label: name.clone(),
                numeric: true,
                href: None,
                sorted: None,
            });
        }
        headers.push(Header {
            label: tr.t("col-band"),
            numeric: false,
            href: None,
            sorted: None,
        });
        headers.push(Header {
            label: tr.fmt(
                "col-change",
                &[("year", Arg::Number(f64::from(previous_year)))],
            ),
            numeric: true,
            href: Some(sort_link(Sort::Change)),
            sorted: sorted(Sort::Change),
        });
        let rows = bodies
            .iter()
            .map(|b| {
                let block_points = blocks
                    .iter()
                    .map(|(block, _)| {
                        let node = b
                            .result
                            .tree
                            .children
                            .iter()
                            .find(|n| n.level == Level::Block && n.id == *block);
                        points(&tr, node.and_then(|n| n.points))
                    })
                    .collect();
                let change = match (b.total, change_of(&b.body)) {
                    (Some(t), Some((p, via))) => {
                        let delta = tr.signed(t - p, 2);
                        match via {
                            Some(pred) => format!(
                                "{delta} ({})",
                                tr.fmt(
                                    "change-via",
                                    &[(
                                        "body",
                                        Arg::Text(&v.registry.display_name(
                                            &pred,
                                            previous_year,
                                            lang
                                        ))
                                    )]
                                )
                            ),
                            None => delta,
                        }
                    }
                    _ if v.previous.is_some() => tr.fmt(
                        "change-none",
                        &[("year", Arg::Number(f64::from(previous_year)))],
                    ),
                    _ => "–".into(),
                };
                RankRow {
                    rank: b.rank.map_or_else(|| "–".into(), |r| r.to_string()),
                    name: b.name.get(lang).to_string(),
                    href: format!("/bodies/{}?year={year}", b.body),
                    total: points(&tr, b.total),
                    blocks: block_points,
                    band: band_name(&b.band),
                    change,
                }
            })
            .collect::<Vec<_>>();
        tables.push(RankTable {
            id,
            caption: tr.fmt(
                "rankings-caption",
                &[
                    ("kind", Arg::Text(&kind_name(&tr, kind))),
                    ("year", Arg::Number(f64::from(year))),
                    ("count", Arg::Number(rows.len() as f64)),
                ],
            ),
            headers,
            rows,
        });
    }
    let page = RankingsPage {
        tr,
        title: tr.fmt("rankings-title", &[("year", Arg::Number(f64::from(year)))]),
        switch: switch(lang, &here),
        demonstration: v.current.snapshot.demonstration,
        years: v
            .years
            .iter()
            .map(|y| YearLink {
                year: *y,
                href: format!(
                    "/rankings/{y}{}",
                    v.kind
                        .map_or(String::new(), |k| format!("?kind={}", k.as_str()))
                ),
                current: *y == year,
            })
            .collect(),
        version_line: version_line(&tr, v.current),
        correction: v
            .current
            .reason
            .as_ref()
            .filter(|_| v.current.version > 1)
            .map(|r| tr.fmt("correction-reason", &[("reason", Arg::Text(r))])),
        corrected: v
            .corrected
            .map(|old| bagalau_core::publication::changes(&old.snapshot, &v.current.snapshot))
            .unwrap_or_default(),
        kinds: [
            (None, tr.t("kind-all")),
            (Some(Kind::Cgb), tr.t("kind-cgb")),
            (Some(Kind::Leb), tr.t("kind-leb")),
        ]
        .into_iter()
        .map(|(k, label)| KindLink {
            label,
            href: format!(
                "/rankings/{year}?sort={}{}",
                v.sort.key(),
                k.map_or(String::new(), |k: Kind| format!("&kind={}", k.as_str()))
            ),
            current: k == v.kind,
        })
        .collect(),
        tables,
    };
    page.render().expect("the rankings template renders")
}

fn version_line(tr: &Tr<'_>, p: &Published) -> String {
    tr.fmt(
        "published-version",
        &[
            ("version", Arg::Number(f64::from(p.version))),
            ("date", Arg::Text(&tr.date(&p.published_at))),
            ("sha", Arg::Text(&p.sha256[..p.sha256.len().min(12)])),
        ],
    )
}

#[derive(Debug)]
pub struct BodyYear {
    pub year: i32,
    pub href: String,
    pub current: bool,
    pub total: String,
    pub rank: String,
    pub band: String,
}

#[derive(Debug)]
pub struct TreeRow {
    pub depth: usize,
    pub name: String,
    pub points: String,
    pub max: String,
    pub note: Option<String>,
}

#[derive(Debug)]
pub struct ConclusionView {
    pub direction: String,
    pub by: String,
    pub text: String,
}

#[derive(Debug)]
pub struct BodyLink {
    pub name: String,
    pub href: String,
}

#[derive(Debug)]
pub struct LineageView {
    pub label: String,
    pub bodies: Vec<BodyLink>,
}

#[derive(Template)]
#[template(path = "body.html")]
struct BodyPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    kind: String,
    chart: String,
    years: Vec<BodyYear>,
    scores_title: String,
    rows: Vec<TreeRow>,
    conclusions_title: String,
    conclusions: Vec<ConclusionView>,
    lineage: Vec<LineageView>,
    gpi: Option<GpiView>,
    /// (text, state, overdue)
    recommendations: Vec<(String, String, bool)>,
}

#[derive(Debug)]
pub struct GpiView {
    pub title: String,
    pub summary: String,
    pub risks: Vec<String>,
}

/// What a body's page shows.
#[derive(Debug)]
pub struct BodyView<'a> {
    pub body: &'a str,
    /// The latest version of every published year, oldest first.
    pub published: &'a [Published],
    /// The year shown in detail (else the latest with the body).
    pub year: Option<i32>,
    /// The latest Government Performance Index and its pack (for names).
    pub gpi: Option<(
        &'a bagalau_core::performance::PerformancePack,
        &'a bagalau_core::performance::GpiAssessment,
    )>,
    /// The body's recommendations of published years.
    pub recommendations: &'a [(i64, bagalau_core::recommendation::Recommendation)],
    /// Today, for overdue recommendations.
    pub today: chrono::NaiveDate,
    /// The methodologies of the published years (for names).
    pub methodologies: &'a std::collections::BTreeMap<i32, Methodology>,
    pub registry: &'a Registry,
}

/// A body's profile, or `None` when no published year has it.
pub fn body(catalog: &Catalog, lang: Lang, v: &BodyView<'_>) -> Option<String> {
    let tr = catalog.tr(lang);
    let present: Vec<&Published> = v
        .published
        .iter()
        .filter(|p| p.snapshot.bodies.iter().any(|b| b.body == v.body))
        .collect();
    let shown = match v.year {
        Some(y) => *present.iter().find(|p| p.year == y)?,
        None => *present.last()?,
    };
    let entry = shown.snapshot.bodies.iter().find(|b| b.body == v.body)?;
    let name = entry.name.get(lang).to_string();
    let m = v.methodologies.get(&shown.year);
    let node_name = |n: &Node| -> String {
        let Some(m) = m else { return n.id.clone() };
        let names = match n.level {
            Level::Block => m.blocks.iter().find(|b| b.id == n.id).map(|b| &b.name),
            Level::Direction => m
                .blocks
                .iter()
                .flat_map(|b| &b.directions)
                .find(|d| d.id == n.id)
                .map(|d| &d.name),
            Level::Criterion => m
                .criteria()
                .find(|(_, _, c)| c.id == n.id)
                .map(|(_, _, c)| &c.name),
            Level::Total => None,
        };
        names.map_or_else(|| n.id.clone(), |x| x.get(lang).to_string())
    };
    let mut rows = Vec::new();
    fn walk(
        n: &Node,
        depth: usize,
        rows: &mut Vec<TreeRow>,
        name: &dyn Fn(&Node) -> String,
        tr: &Tr<'_>,
    ) {
        rows.push(TreeRow {
            depth,
            name: name(n),
            points: points(tr, n.points),
            max: tr.number(n.max, 0),
            note: n.points.is_none().then(|| tr.t("not-counted")),
        });
        for c in &n.children {
            walk(c, depth + 1, rows, name, tr);
        }
    }
    for block in &entry.result.tree.children {
        walk(block, 0, &mut rows, &node_name, &tr);
    }
    let here_year = v.year.map_or(String::new(), |y| format!("?year={y}"));
    let here = format!("/bodies/{}{here_year}", v.body);
    let chart_points: Vec<(i32, Option<f64>)> = v
        .published
        .iter()
        .map(|p| {
            (
                p.year,
                p.snapshot
                    .bodies
                    .iter()
                    .find(|b| b.body == v.body)
                    .and_then(|b| b.total),
            )
        })
        .collect();
    let chart = chart::trend(
        "trend",
        &tr.t("body-trend"),
        &tr.fmt("body-trend-desc", &[("name", Arg::Text(&name))]),
        &chart_points,
        |x| tr.number(x, 2),
    );
    let years = present
        .iter()
        .map(|p| {
            let b = p.snapshot.bodies.iter().find(|b| b.body == v.body);
            let band = b.and_then(|b| b.band.clone()).map(|id| {
                v.methodologies
                    .get(&p.year)
                    .and_then(|m| m.bands.iter().find(|x| x.id == id))
                    .map_or(id, |x| x.name.get(lang).to_string())
            });
            BodyYear {
                year: p.year,
                href: format!("/bodies/{}?year={}", v.body, p.year),
                current: p.year == shown.year,
                total: points(&tr, b.and_then(|b| b.total)),
                rank: b
                    .and_then(|b| b.rank)
                    .map_or_else(|| "–".into(), |r| r.to_string()),
                band: band.unwrap_or_default(),
            }
        })
        .collect();
    let conclusions = shown
        .snapshot
        .conclusions
        .iter()
        .filter(|c| c.body == v.body)
        .map(|c| ConclusionView {
            direction: m
                .and_then(|m| {
                    m.blocks
                        .iter()
                        .flat_map(|b| &b.directions)
                        .find(|d| d.id == c.direction)
                })
                .map_or_else(|| c.direction.clone(), |d| d.name.get(lang).to_string()),
            by: tr.fmt(
                "conclusion-by",
                &[(
                    "authority",
                    Arg::Text(&v.registry.display_name(&c.authority, shown.year, lang)),
                )],
            ),
            text: c.text.clone(),
        })
        .collect();
    let link = |id: &str| BodyLink {
        name: v.registry.display_name(id, shown.year, lang),
        href: format!("/bodies/{id}"),
    };
    let mut lineage = Vec::new();
    let from: Vec<BodyLink> = v
        .registry
        .predecessors(v.body)
        .into_iter()
        .map(link)
        .collect();
    if !from.is_empty() {
        lineage.push(LineageView {
            label: tr.t("lineage-from"),
            bodies: from,
        });
    }
    let to: Vec<BodyLink> = v
        .registry
        .successors(v.body)
        .into_iter()
        .map(link)
        .collect();
    if !to.is_empty() {
        lineage.push(LineageView {
            label: tr.t("lineage-to"),
            bodies: to,
        });
    }
    let gpi = v.gpi.and_then(|(pack, a)| {
        let r = a.results.iter().find(|r| r.body == v.body)?;
        let of_kind = a
            .results
            .iter()
            .filter(|x| x.kind == r.kind && x.rank.is_some())
            .count();
        Some(GpiView {
            title: tr.fmt("gpi-title", &[("year", Arg::Number(f64::from(a.year)))]),
            summary: tr.fmt(
                "gpi-summary",
                &[
                    ("score", Arg::Text(&points(&tr, r.gpi))),
                    (
                        "rank",
                        Arg::Text(&r.rank.map_or_else(|| "–".into(), |x| x.to_string())),
                    ),
                    ("count", Arg::Number(of_kind as f64)),
                    ("risks", Arg::Number(r.risk_indicators().count() as f64)),
                ],
            ),
            risks: r
                .spheres
                .iter()
                .filter(|s| s.risk)
                .map(|s| {
                    pack.spheres
                        .iter()
                        .find(|x| x.id == s.sphere)
                        .map_or_else(|| s.sphere.clone(), |x| x.name.get(lang).to_string())
                })
                .collect(),
        })
    });
    let recommendations = v
        .recommendations
        .iter()
        .map(|(id, r)| {
            let state = match r.state {
                bagalau_core::recommendation::RecommendationState::Open => tr.t("rec-state-open"),
                bagalau_core::recommendation::RecommendationState::Reported => {
                    tr.t("rec-state-reported")
                }
                bagalau_core::recommendation::RecommendationState::Returned => {
                    tr.t("rec-state-returned")
                }
                bagalau_core::recommendation::RecommendationState::Executed => {
                    tr.t("rec-state-executed")
                }
            };
            let overdue = r.is_overdue(v.today.and_hms_opt(0, 0, 0).expect("midnight"));
            (
                tr.fmt(
                    "recommendation-due",
                    &[
                        ("id", Arg::Number(*id as f64)),
                        ("due", Arg::Text(&tr.date(&r.due.to_string()))),
                        ("text", Arg::Text(&r.text)),
                    ],
                ),
                state,
                overdue,
            )
        })
        .collect();
    let page = BodyPage {
        gpi,
        recommendations,
        tr,
        title: name,
        switch: switch(lang, &here),
        demonstration: shown.snapshot.demonstration,
        kind: kind_name(&tr, entry.kind),
        chart,
        years,
        scores_title: tr.fmt(
            "body-scores",
            &[("year", Arg::Number(f64::from(shown.year)))],
        ),
        rows,
        conclusions_title: tr.fmt(
            "body-conclusions",
            &[("year", Arg::Number(f64::from(shown.year)))],
        ),
        conclusions,
        lineage,
    };
    Some(page.render().expect("the body template renders"))
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    text: String,
}

/// A page that says nothing is there (404), or nothing is published yet.
pub fn not_found(
    catalog: &Catalog,
    lang: Lang,
    path_and_query: &str,
    nothing_published: bool,
) -> String {
    let tr = catalog.tr(lang);
    let (title, text) = if nothing_published {
        (tr.t("nav-rankings"), tr.t("nothing-published"))
    } else {
        (tr.t("not-found-title"), tr.t("not-found-text"))
    };
    MessagePage {
        tr,
        title,
        switch: switch(lang, path_and_query),
        demonstration: false,
        text,
    }
    .render()
    .expect("the message template renders")
}

#[derive(Debug)]
pub struct FileLink {
    pub format: &'static str,
    pub href: String,
}

#[derive(Debug)]
pub struct TableLinks {
    pub label: String,
    pub files: Vec<FileLink>,
}

#[derive(Debug)]
pub struct VersionRow {
    pub year: i32,
    pub version: String,
    pub published: String,
    pub reason: Option<String>,
    pub tables: Vec<TableLinks>,
}

#[derive(Template)]
#[template(path = "opendata.html")]
struct OpenDataPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    versions: Vec<VersionRow>,
    /// The register of public services: when imported, its files, and a note
    /// when it is the demo's.
    register: Option<(String, Vec<FileLink>, Option<String>)>,
    /// Each published version of the ratings of service quality, newest
    /// first: its year, its line and its files.
    ratings: Vec<(i32, String, Vec<FileLink>)>,
    /// Whether the audit trail has signed checkpoints to keep.
    audit_signed: bool,
}

/// The open-data page: every published version, newest first, with its
/// tables, and the register of public services when one is stored.
pub fn open_data(
    catalog: &Catalog,
    lang: Lang,
    versions: &[Published],
    register: Option<&opendata::RegisterDataset>,
    ratings: &[ratings::RatingsDataset],
    audit_signed: bool,
) -> String {
    let tr = catalog.tr(lang);
    let mut rating_versions: Vec<&ratings::RatingsDataset> = ratings.iter().collect();
    rating_versions.sort_by_key(|d| std::cmp::Reverse((d.publication.year, d.publication.version)));
    let rating_rows = rating_versions
        .iter()
        .map(|d| {
            let p = &d.publication;
            let line = ratings::version_note(&tr, p);
            let files = ratings::RATINGS_FORMATS
                .iter()
                .map(|(format, _)| FileLink {
                    format,
                    href: ratings::ratings_file_path(p.year, Some(p.version), format),
                })
                .collect();
            (p.year, line, files)
        })
        .collect();
    let mut sorted: Vec<&Published> = versions.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse((p.year, p.version)));
    let rows = sorted
        .iter()
        .map(|p| {
            let latest = !versions
                .iter()
                .any(|o| o.year == p.year && o.version > p.version);
            VersionRow {
                year: p.year,
                version: if latest {
                    format!("{} ({})", p.version, tr.t("latest-version"))
                } else {
                    p.version.to_string()
                },
                published: tr.date(&p.published_at),
                reason: p.reason.clone(),
                tables: opendata::TABLES
                    .iter()
                    .map(|(table, _)| TableLinks {
                        label: tr.t(&format!("table-{table}")),
                        files: opendata::FORMATS
                            .iter()
                            .map(|(format, _)| FileLink {
                                format,
                                href: opendata::table_path(p.year, Some(p.version), table, format),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    OpenDataPage {
        tr,
        title: tr.t("open-data-title"),
        switch: switch(lang, "/open-data"),
        demonstration: versions.iter().any(|p| p.snapshot.demonstration),
        versions: rows,
        register: register.map(|r| {
            (
                tr.fmt(
                    "services-imported",
                    &[
                        ("date", Arg::Text(&tr.date(&r.imported_at))),
                        ("sha", Arg::Text(&r.sha256[..r.sha256.len().min(12)])),
                    ],
                ),
                opendata::REGISTER_FORMATS
                    .iter()
                    .map(|(format, _)| FileLink {
                        format,
                        href: opendata::register_path(format),
                    })
                    .collect(),
                r.demonstration.then(|| tr.t("services-demonstration-note")),
            )
        }),
        ratings: rating_rows,
        audit_signed,
    }
    .render()
    .expect("the open-data template renders")
}

#[derive(Debug)]
pub struct CriterionView {
    pub id: String,
    pub name: String,
    pub points: String,
    pub rule: String,
}

#[derive(Debug)]
pub struct DirectionView {
    pub id: String,
    pub name: String,
    pub by: String,
    pub applies: String,
    pub criteria: Vec<CriterionView>,
}

#[derive(Debug)]
pub struct BlockView {
    pub id: String,
    pub name: String,
    pub points: String,
    pub directions: Vec<DirectionView>,
}

#[derive(Template)]
#[template(path = "methodology.html")]
struct MethodologyPage<'a> {
    tr: Tr<'a>,
    title: String,
    subtitle: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    years: Vec<YearLink>,
    changes: Option<(String, String)>,
    blocks: Vec<BlockView>,
    indicators: Vec<(String, String, String)>,
    bands: Vec<(String, String)>,
    sources: Vec<String>,
}

/// A year's methodology, down to each criterion's rule; `years` are the
/// years with a methodology.
pub fn methodology(
    catalog: &Catalog,
    lang: Lang,
    m: &Methodology,
    years: &[i32],
    registry: &Registry,
) -> String {
    let tr = catalog.tr(lang);
    let kinds = |k: &[Kind]| {
        k.iter()
            .map(|k| kind_name(&tr, *k))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let blocks = m
        .blocks
        .iter()
        .map(|b| BlockView {
            id: b.id.clone(),
            name: b.name.get(lang).to_string(),
            points: tr.number(b.points, 0),
            directions: b
                .directions
                .iter()
                .map(|d| DirectionView {
                    id: d.id.clone(),
                    name: d.name.get(lang).to_string(),
                    by: tr.fmt(
                        "assessed-by",
                        &[
                            (
                                "body",
                                Arg::Text(&registry.display_name(&d.authorized_body, m.year, lang)),
                            ),
                            ("points", Arg::Text(&tr.number(d.points, 0))),
                        ],
                    ),
                    applies: tr.fmt("applies-to", &[("kinds", Arg::Text(&kinds(&d.applies_to)))]),
                    criteria: d
                        .criteria
                        .iter()
                        .map(|c| CriterionView {
                            id: c.id.clone(),
                            name: c.name.get(lang).to_string(),
                            points: tr.number(c.points, 0),
                            rule: c.rule_text.clone(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let here = format!("/methodology/{}", m.year);
    let changes = years.contains(&(m.year - 1)).then(|| {
        (
            tr.fmt(
                "methodology-changes-link",
                &[("year", Arg::Number(f64::from(m.year - 1)))],
            ),
            format!("/methodology/{}/changes", m.year),
        )
    });
    MethodologyPage {
        tr,
        title: tr.fmt(
            "methodology-title",
            &[("year", Arg::Number(f64::from(m.year)))],
        ),
        subtitle: m.title.get(lang).to_string(),
        switch: switch(lang, &here),
        demonstration: false,
        years: years
            .iter()
            .map(|y| YearLink {
                year: *y,
                href: format!("/methodology/{y}"),
                current: *y == m.year,
            })
            .collect(),
        changes,
        blocks,
        indicators: m
            .indicators
            .iter()
            .map(|i| {
                (
                    i.id.clone(),
                    i.name.get(lang).to_string(),
                    unit_name(&tr, i.unit),
                )
            })
            .collect(),
        bands: m
            .bands
            .iter()
            .map(|b| (b.name.get(lang).to_string(), tr.number(b.min, 0)))
            .collect(),
        sources: m.sources.clone(),
    }
    .render()
    .expect("the methodology template renders")
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    rows: Vec<(String, String, String, String)>,
    back: String,
    back_label: String,
}

/// What changed in the methodology from `before` to `after`.
pub fn methodology_changes(
    catalog: &Catalog,
    lang: Lang,
    before: &Methodology,
    after: &Methodology,
) -> String {
    let tr = catalog.tr(lang);
    let rows = bagalau_core::diff::diff(before, after)
        .into_iter()
        .map(|c| {
            (
                format!("{} {}", c.element, c.id),
                c.what.replace('_', " "),
                c.before.unwrap_or_default(),
                c.after.unwrap_or_default(),
            )
        })
        .collect();
    ChangesPage {
        tr,
        title: tr.fmt(
            "changes-title",
            &[
                ("before", Arg::Number(f64::from(before.year))),
                ("after", Arg::Number(f64::from(after.year))),
            ],
        ),
        switch: switch(lang, &format!("/methodology/{}/changes", after.year)),
        demonstration: false,
        rows,
        back: format!("/methodology/{}", after.year),
        back_label: tr.fmt(
            "methodology-title",
            &[("year", Arg::Number(f64::from(after.year)))],
        ),
    }
    .render()
    .expect("the changes template renders")
}

/// A page saying the signed-in account may not see this.
pub fn forbidden(catalog: &Catalog, lang: Lang, path_and_query: &str) -> String {
    let tr = catalog.tr(lang);
    MessagePage {
        tr,
        title: tr.t("forbidden-title"),
        switch: switch(lang, path_and_query),
        demonstration: false,
        text: tr.t("forbidden-text"),
    }
    .render()
    .expect("the message template renders")
}

/// Every unit of measure, for the message ids `unit-…`.
pub const UNITS: [bagalau_core::pack::Unit; 9] = {
    use bagalau_core::pack::Unit::*;
    [
        Count, Percent, Share, Ratio, Tenge, Days, Points, Score, Status,
    ]
};

/// A unit of measure in the page's language.
pub fn unit_name(tr: &Tr<'_>, unit: bagalau_core::pack::Unit) -> String {
    tr.t(&format!("unit-{}", format!("{unit:?}").to_lowercase()))
}

#[derive(Debug)]
pub struct NpiRow {
    pub name: String,
    pub unit: String,
    pub value: String,
    pub reference: String,
    pub base: String,
    pub vs_reference: String,
    pub vs_base: String,
}

#[derive(Template)]
#[template(path = "npi.html")]
struct NpiPage<'a> {
    tr: Tr<'a>,
    title: String,
    switch: Vec<LangLink>,
    demonstration: bool,
    intro: String,
    overall: String,
    years: Vec<YearLink>,
    base_label: String,
    vs_base_label: String,
    rows: Vec<NpiRow>,
}

/// The National Progress Index of a year: the country against the OECD
/// average and against the base year, indicator by indicator, largest lag first.
pub fn npi(
    catalog: &Catalog,
    lang: Lang,
    pack: &bagalau_core::performance::PerformancePack,
    result: &bagalau_core::performance::NpiResult,
    years: &[i32],
) -> String {
    let tr = catalog.tr(lang);
    let base = f64::from(result.base_year);
    let value = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| tr.number(x, 2));
    let index = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |x| tr.number(x, 1));
    let rows = result
        .indicators
        .iter()
        .map(|r| {
            let meta = pack.npi.iter().find(|i| i.id == r.indicator);
            NpiRow {
                name: meta.map_or_else(|| r.indicator.clone(), |i| i.name.get(lang).to_string()),
                unit: meta.map_or_else(String::new, |i| i.unit.clone()),
                value: value(r.value),
                reference: value(r.reference),
                base: value(r.base),
                vs_reference: index(r.vs_reference),
                vs_base: index(r.vs_base),
            }
        })
        .collect();
    NpiPage {
        tr,
        title: tr.fmt(
            "npi-title",
            &[("year", Arg::Number(f64::from(result.year)))],
        ),
        switch: switch(lang, &format!("/npi/{}", result.year)),
        demonstration: result.demonstration,
        intro: tr.fmt("npi-intro", &[("base", Arg::Number(base))]),
        overall: tr.fmt(
            "npi-overall",
            &[
                ("reference", Arg::Text(&index(result.vs_reference))),
                ("base_value", Arg::Text(&index(result.vs_base))),
                ("base", Arg::Number(base)),
            ],
        ),
        years: years
            .iter()
            .map(|y| YearLink {
                year: *y,
                href: format!("/npi/{y}"),
                current: *y == result.year,
            })
            .collect(),
        base_label: tr.fmt("col-base", &[("base", Arg::Number(base))]),
        vs_base_label: tr.fmt("col-vs-base", &[("base", Arg::Number(base))]),
        rows,
    }
    .render()
    .expect("the NPI template renders")
}
