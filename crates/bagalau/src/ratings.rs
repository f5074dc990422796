//! `bagalau services ratings` and `publish-ratings`: the ratings of
//! service quality of a year, computed from the records (and the survey),
//! printed, or published as a new immutable version for the portal.

use crate::TableFormat;
use crate::app::App;
use crate::services::read_register;
use anyhow::{Result, anyhow, bail};
use bagalau_analytics::kept::KeptRecords;
use bagalau_services::ratings::{DIMENSIONS, NotRated, Ratings};
use bagalau_services::register::Register;
use comfy_table::{Table, presets::UTF8_BORDERS_ONLY};
use std::path::Path;

/// What `bagalau services ratings` and `publish-ratings` do.
pub enum Action {
    Print {
        by: String,
        published: bool,
        format: TableFormat,
    },
    Publish,
}

/// Prints or publishes the year's ratings, computed by the application's
/// use case on the records under the services directory.
pub async fn run(
    app: &App,
    year: i32,
    register: Option<&Path>,
    questionnaire: Option<&str>,
    action: Action,
    now: &str,
) -> Result<()> {
    let inputs = Inputs {
        records: crate::services::kept_records(&app.config.services.dir)?,
        year,
        register: register.map(read_register).transpose()?,
        questionnaire,
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

/// What the ratings are computed from.
pub struct Inputs<'a> {
    pub records: KeptRecords,
    pub year: i32,
    /// Another register than the one kept (a what-if).
    pub register: Option<Register>,
    /// The satisfaction questionnaire whose kept responses give the survey
    /// components; without it they have no values.
    pub questionnaire: Option<&'a str>,
}

/// The year's ratings computed now, their notes said on standard error.
pub async fn compute(app: &App, inputs: &Inputs<'_>) -> Result<Ratings> {
    let computed = bagalau_app::ratings::compute(
        &app.store,
        &inputs.records,
        &app.acting()?,
        inputs.year,
        inputs.questionnaire,
        inputs.register.clone(),
    )
    .await?;
    for note in &computed.notes {
        eprintln!("{note}");
    }
    Ok(computed.ratings)
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
        let (last, ratings) =
            bagalau_app::ratings::published(&app.store, inputs.year, None).await?;
        eprintln!(
            "{}: version {} published {} by {}",
            inputs.year, last.version, last.published_at, last.published_by
        );
        ratings
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
    if inputs.register.is_some() {
        bail!("--register: published ratings rest on the register kept, not on a file");
    }
    let done = bagalau_app::ratings::publish(
        &app.store,
        &inputs.records,
        bagalau_app::FrontEnd::CommandLine,
        &app.acting()?,
        year,
        inputs.questionnaire,
        app.reason.clone(),
        now,
    )
    .await
    .map_err(|e| match e {
        bagalau_app::AppError::Invalid(problems)
            if problems.iter().any(|p| p.source == "reason") =>
        {
            anyhow!("{}: say why with --reason", problems[0].message)
        }
        other => other.into(),
    })?;
    for note in &done.notes {
        eprintln!("{note}");
    }
    let p = &done.publication;
    if done.unchanged {
        outln!(
            "The ratings of {year} are unchanged: version {} (published {}) stands.",
            p.version,
            p.published_at
        );
        return Ok(());
    }
    let ratings = &done.ratings;
    let rated: usize = ratings
        .dimensions
        .iter()
        .map(|d| d.entries.iter().filter(|e| e.rank.is_some()).count())
        .sum();
    outln!(
        "Published the ratings of {year}, version {} (SHA-256 {}): {rated} groups rated from {} records{}.",
        p.version,
        p.content_sha256,
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
