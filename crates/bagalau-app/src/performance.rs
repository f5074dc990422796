//! The performance assessment (since 2020): the Government Performance
//! Index with its risk areas, read before publication by the roles that
//! own it; the National Progress Index, public like the national
//! statistics it is computed from; and the inputs of both, performance
//! packs (methodologists) and statistical series (coordinators), each
//! import all files or none with its problems placed.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Upload};
use bagalau_core::performance::{self, GpiAssessment, NpiResult, PerformancePack, SeriesLayout};
use bagalau_store::{AnyStore, Document, Store};

/// The performance pack of `year`.
pub async fn pack(store: &AnyStore, year: i32) -> AppResult<PerformancePack> {
    if let Some(pack) = store.performance_pack(year).await? {
        return Ok(pack);
    }
    let years = store.performance_years().await?;
    let kept = if years.is_empty() {
        "none".to_string()
    } else {
        years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    Err(AppError::NotFound(format!(
        "no performance pack for {year} in the database (it has: {kept}); import one with `bagalau import performance FILE`"
    )))
}

/// The Government Performance Index of `year`, with the pack it is
/// computed by.
pub async fn gpi(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
) -> AppResult<(PerformancePack, GpiAssessment)> {
    authorize(actor, Action::ReadPerformance)?;
    let registry = crate::assessment::registry(store).await?;
    let pack = pack(store, year).await?;
    let series = store.series().await?;
    let assessment = performance::gpi(&pack, &registry, &series);
    Ok((pack, assessment))
}

/// The National Progress Index of `year`: public.
pub async fn npi(store: &AnyStore, year: i32) -> AppResult<(PerformancePack, NpiResult)> {
    let pack = pack(store, year).await?;
    let series = store.series().await?;
    let result = performance::npi(&pack, &series, year);
    Ok((pack, result))
}

/// Imports performance packs: each checked, and the bodies it names known
/// to the registry for its year; all or none. Returns how many were kept.
pub async fn import_packs(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    files: &[Upload],
    reason: Option<String>,
    now: &str,
) -> AppResult<usize> {
    authorize(actor, Action::ImportPack)?;
    let registry = store.registry().await?;
    let mut batch = crate::batch(front, actor, now, reason);
    let mut problems = Vec::new();
    for file in files {
        match performance::load(&file.name, &file.text) {
            Ok(pack) => {
                if let Some(r) = &registry {
                    let unknown: Vec<&str> = pack
                        .referenced_bodies()
                        .into_iter()
                        .filter(|b| !r.exists_in(b, pack.year))
                        .collect();
                    if !unknown.is_empty() {
                        problems.push(Problem::of(
                            &file.name,
                            format!(
                                "the pack names bodies that are not in the registry for {}: {}",
                                pack.year,
                                unknown.join(", ")
                            ),
                        ));
                    }
                }
                batch.performance_packs.push(Document {
                    file_name: file.name.clone(),
                    text: file.text.clone(),
                    parsed: pack,
                });
            }
            Err(found) => problems.extend(found.0.iter().map(Problem::from)),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    Ok(store.apply(batch).await?.performance_packs)
}

/// What an import of series did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SeriesImported {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// The latest pack the observations were checked against.
    pub checked_against: i32,
}

/// Imports statistical series (tidy CSV or SDMX-CSV): an observation is
/// valid when any kept pack knows its indicator and body; all files or
/// none.
pub async fn import_series(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    files: &[Upload],
    layout: SeriesLayout,
    reason: Option<String>,
    now: &str,
) -> AppResult<SeriesImported> {
    authorize(actor, Action::ImportSeries)?;
    let registry = crate::assessment::registry(store).await?;
    let years = store.performance_years().await?;
    let Some(&latest) = years.last() else {
        return Err(AppError::NotFound(
            "import a performance pack first: series are checked against its indicators".into(),
        ));
    };
    let mut packs = Vec::new();
    for year in &years {
        packs.push(pack(store, *year).await?);
    }
    let mut batch = crate::batch(front, actor, now, reason);
    let mut problems = Vec::new();
    for file in files {
        match performance::parse_series(&file.name, &file.text, layout) {
            Ok(observations) => {
                for o in &observations {
                    let one = std::slice::from_ref(o);
                    let known = packs
                        .iter()
                        .any(|p| performance::check_series(&file.name, one, p, &registry).is_ok());
                    if !known
                        && let Some(latest) = packs.last()
                        && let Err(found) =
                            performance::check_series(&file.name, one, latest, &registry)
                    {
                        problems.extend(found.0.iter().map(Problem::from));
                    }
                }
                batch
                    .series
                    .extend(observations.into_iter().map(|o| (o, file.name.clone())));
            }
            Err(found) => problems.extend(found.0.iter().map(Problem::from)),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let counts = store.apply(batch).await?;
    Ok(SeriesImported {
        new: counts.series_new,
        changed: counts.series_changed,
        unchanged: counts.series_unchanged,
        checked_against: latest,
    })
}
