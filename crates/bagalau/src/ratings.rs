//! `bagalau services ratings` and `publish-ratings`: the ratings of
//! service quality of a year, computed from the records (and the survey),
//! printed, or published as a new immutable version for the portal.

use crate::TableFormat;
use crate::app::App;
use crate::services::{deliveries, read_register, stored_register};
use anyhow::{Result, anyhow, bail};
use bagalau_analytics::IndicatorPack;
use bagalau_analytics::ratings::{SurveyShares, ratings, survey_shares};
use bagalau_core::publication::Publication;
use bagalau_services::questionnaire::Questionnaire;
use bagalau_services::ratings::{DIMENSIONS, NotRated, Ratings};
use bagalau_store::{ImportBatch, Store};
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::collections::BTreeMap;
use std::path::Path;

/// What the ratings are computed from.
pub struct Inputs<'a> {
    pub dir: &'a str,
    /// The working-day calendar deadlines are counted on.
    pub calendar: &'a bagalau_services::calendar::Rules,
    pub year: i32,
    /// A register file; the stored one when absent.
    pub register: Option<&'a Path>,
    /// The satisfaction questionnaire whose stored responses give the
    /// survey components; without it they have no values.
    pub questionnaire: Option<&'a Questionnaire>,
}

/// True when the year's records include the demo's (`demonstration.parquet`).
fn has_demonstration_records(dir: &str, year: i32) -> bool {
    let name = format!("{}.parquet", crate::services::DEMO_RECORDS_FILE);
    std::fs::read_dir(deliveries(dir).join(format!("year={year}")))
        .into_iter()
        .flatten()
        .flatten()
        .any(|month| month.path().join(&name).is_file())
}

/// What `bagalau services ratings` and `publish-ratings` do.
pub enum Action {
    Print {
        by: String,
        published: bool,
        format: TableFormat,
    },
    Publish,
}

/// Reads the questionnaire named, then prints or publishes the year's ratings.
pub async fn run(
    app: &App,
    year: i32,
    register: Option<&Path>,
    questionnaire: Option<&str>,
    action: Action,
    now: &str,
) -> Result<()> {
    let questionnaire = match questionnaire {
        Some(id) => Some(bagalau_app::surveys::questionnaire(&app.store, id).await?),
        None => None,
    };
    let calendar = bagalau_app::services::calendar(&app.store).await?;
    let inputs = Inputs {
        dir: &app.config.services.dir,
        calendar: &calendar,
        year,
        register,
        questionnaire: questionnaire.as_ref(),
    };
    match action {
        Action::Print {
            by,
            published,
            format,
        } => print(app, &inputs, &by, published, format).await,
        Action::Publish => publish(app, &inputs, now).await,
    }
}

/// The year's ratings by the shipped pack's method, providers named as in
/// the registry that year.
pub async fn compute(app: &App, inputs: &Inputs<'_>) -> Result<Ratings> {
    let Inputs {
        dir,
        calendar,
        year,
        register,
        questionnaire,
    } = *inputs;
    let (register, demonstration_register) = match register {
        Some(file) => (read_register(file)?, false),
        None => (
            stored_register(&app.store).await?,
            app.store
                .service_register_import()
                .await?
                .is_some_and(|s| s.is_demonstration()),
        ),
    };
    if !deliveries(dir).join(format!("year={year}")).is_dir() {
        bail!(
            "no delivery records of {year} under {dir}: import them with `bagalau services import` first"
        );
    }
    let breakdown = crate::services::count_records(dir, calendar, &register, year).await?;
    let pack = IndicatorPack::services_v1();
    let method = pack
        .rating
        .as_ref()
        .ok_or_else(|| anyhow!("the services pack has no rating method"))?;
    let mut survey: BTreeMap<String, SurveyShares> = BTreeMap::new();
    let measures: Vec<&str> = method
        .components
        .iter()
        .filter_map(|c| c.survey_measure())
        .collect();
    match questionnaire {
        Some(q) => {
            let responses = bagalau_app::surveys::responses(&app.store, &app.acting()?, q).await?;
            for measure in measures {
                let shares =
                    survey_shares(&responses, &register, year, measure, q.min_respondents)?;
                eprintln!(
                    "{year}: {} respondents answered `{measure}`; no share rests on fewer than {}",
                    shares.respondents, q.min_respondents
                );
                survey.insert(measure.to_string(), shares);
            }
        }
        None if !measures.is_empty() => eprintln!(
            "no --questionnaire: the survey components ({}) have no values; their weight goes to the others",
            measures.join(", ")
        ),
        None => {}
    }
    let mut out = ratings(
        &pack,
        year,
        &breakdown,
        &survey,
        demonstration_register || has_demonstration_records(dir, year),
    )?;
    if let Some(registry) = app.store.registry().await? {
        for d in out
            .dimensions
            .iter_mut()
            .filter(|d| d.dimension == "provider")
        {
            for e in &mut d.entries {
                e.name = registry.name_in_year(&e.value, year).cloned();
            }
        }
    }
    Ok(out)
}

/// The ratings as computed now, or as last published (`published`).
pub async fn print(
    app: &App,
    inputs: &Inputs<'_>,
    by: &str,
    published: bool,
    format: TableFormat,
) -> Result<()> {
    if by != "all" && !DIMENSIONS.contains(&by) {
        bail!("--by {by}: one of all, {}", DIMENSIONS.join(", "));
    }
    let ratings = if published {
        let year = inputs.year;
        let Some(last) = app.store.service_ratings(Some(year)).await?.pop() else {
            bail!(
                "no ratings of {year} are published: `bagalau services publish-ratings --year {year}`"
            );
        };
        let text = app
            .store
            .service_ratings_content(year, last.version)
            .await?
            .ok_or_else(|| anyhow!("version {} of {year} has no content", last.version))?;
        eprintln!(
            "{year}: version {} published {} by {}",
            last.version, last.published_at, last.published_by
        );
        Ratings::from_json(&text)?
    } else {
        compute(app, inputs).await?
    };
    let mut shown = ratings.clone();
    shown
        .dimensions
        .retain(|d| by == "all" || d.dimension == by);
    match format {
        TableFormat::Json => outln!("{}", serde_json::to_string_pretty(&shown)?),
        TableFormat::Csv => {
            use std::io::Write as _;
            std::io::stdout().write_all(shown.to_csv().as_bytes())?;
        }
        TableFormat::Table => {
            if ratings.demonstration {
                outln!(
                    "DEMONSTRATION DATA: these ratings rest on generated records or the demo's register."
                );
            }
            for d in &shown.dimensions {
                let mut t = Table::new();
                t.load_preset(UTF8_BORDERS_ONLY);
                let mut header = vec![
                    "Rank".to_string(),
                    d.dimension.clone(),
                    "Score".into(),
                    "Records".into(),
                ];
                header.extend(
                    ratings
                        .method
                        .components
                        .iter()
                        .map(|c| format!("{} % (×{})", c.name.en, c.weight)),
                );
                t.set_header(header);
                for e in &d.entries {
                    let label = match &e.name {
                        Some(n) => format!("{} ({})", n.en, e.value),
                        None => e.value.clone(),
                    };
                    let mut row = vec![
                        e.rank.map_or("–".into(), |r| r.to_string()),
                        label,
                        match (&e.score, &e.not_rated) {
                            (Some(s), _) => format!("{s:.2}"),
                            (None, Some(NotRated::FewRecords { minimum })) => {
                                format!("not rated: under {minimum} records")
                            }
                            (None, _) => "not rated: no data".into(),
                        },
                        e.records.to_string(),
                    ];
                    row.extend(
                        e.values
                            .iter()
                            .map(|v| v.map_or("–".into(), |v| format!("{v:.2}"))),
                    );
                    t.add_row(row);
                }
                outln!("Rating by {} ({}):\n{t}", d.dimension, ratings.year);
            }
        }
    }
    Ok(())
}

/// Publishes the year's ratings as computed now: a new version, unless
/// they equal the last one; a version after the first needs `--reason`.
pub async fn publish(app: &App, inputs: &Inputs<'_>, now: &str) -> Result<()> {
    let year = inputs.year;
    let ratings = compute(app, inputs).await?;
    let content = ratings.to_json();
    let sha256 = bagalau_core::hash::sha256_hex(content.as_bytes());
    let versions = app.store.service_ratings(Some(year)).await?;
    if let Some(last) = versions.last()
        && last.content_sha256 == sha256
    {
        outln!(
            "The ratings of {year} are unchanged: version {} (published {}) stands.",
            last.version,
            last.published_at
        );
        return Ok(());
    }
    let version = versions.last().map_or(1, |p| p.version + 1);
    if version > 1 && app.reason.is_none() {
        bail!(
            "the ratings of {year} are published already (version {}): a new version corrects it; say why with --reason",
            version - 1
        );
    }
    let publication = Publication {
        year,
        version,
        content_sha256: sha256.clone(),
        published_at: now.to_string(),
        published_by: app.actor.clone(),
        reason: app.reason.clone(),
    };
    app.store
        .apply(ImportBatch {
            service_ratings: vec![(publication, content)],
            ..app.batch(now)
        })
        .await?;
    let rated: usize = ratings
        .dimensions
        .iter()
        .map(|d| d.entries.iter().filter(|e| e.rank.is_some()).count())
        .sum();
    outln!(
        "Published the ratings of {year}, version {version} (SHA-256 {sha256}): {rated} groups rated from {} records{}.",
        ratings.records,
        if ratings.demonstration {
            "; DEMONSTRATION DATA"
        } else {
            ""
        }
    );
    outln!(
        "On the portal: /en/services/ratings/{year}; open data: /open-data/services/ratings-{year}.csv"
    );
    Ok(())
}
