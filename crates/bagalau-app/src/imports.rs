//! The imports of the operational assessment's inputs: methodology packs
//! (methodologists), the registry of bodies and reporting data
//! (coordinators). Every file is read and checked against what is stored
//! before anything is written, and each problem is placed by file, line
//! and column; all files or none.

use crate::permission::{Action, authorize};
use crate::{Actor, AppResult, FrontEnd, Problem, Upload};
use bagalau_core::data;
use bagalau_core::pack::{self, Methodology};
use bagalau_core::registry::{self, Registry};
use bagalau_store::AnyStore;
use bagalau_store::{Document, ImportBatch, Store};
use std::collections::{BTreeMap, HashMap};

fn invalid(problems: Vec<Problem>) -> AppResult<()> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::AppError::Invalid(problems))
    }
}

/// Every body a pack names (authorized bodies, body-specific criteria)
/// must be in the registry, and have existed in the pack's year.
pub fn bodies_problem(m: &Methodology, registry: &Registry, source: &str) -> Option<Problem> {
    let unknown: Vec<&str> = m
        .referenced_bodies()
        .into_iter()
        .filter(|id| registry.body(id).is_none())
        .collect();
    if !unknown.is_empty() {
        return Some(Problem::of(
            source,
            format!(
                "the pack names bodies that are not in the registry: {}",
                unknown.join(", ")
            ),
        ));
    }
    let absent: Vec<&str> = m
        .referenced_bodies()
        .into_iter()
        .filter(|id| !registry.exists_in(id, m.year))
        .collect();
    (!absent.is_empty()).then(|| {
        Problem::of(
            source,
            format!(
                "the pack for {} names bodies that did not exist in {}: {}",
                m.year,
                m.year,
                absent.join(", ")
            ),
        )
    })
}

/// Imports methodology packs: each checked, fitting the registry and the
/// values stored for its year, and allowed by the year's lifecycle (the
/// adopted pack of a cycle's year stays; a published year's is replaced
/// only with `reason`). A new pack is a draft until it is adopted.
/// Returns how many were kept.
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
    let mut batch = crate::batch(front, actor, now, reason.clone());
    let mut problems = Vec::new();
    for file in files {
        let parsed = match pack::load(&file.name, &file.text) {
            Ok(parsed) => parsed,
            Err(found) => {
                problems.extend(found.0.iter().map(Problem::from));
                continue;
            }
        };
        if let Some(r) = &registry {
            problems.extend(bodies_problem(&parsed, r, &file.name));
            // The values already stored for that year must fit the new pack.
            let stored = store.year_data(parsed.year).await?;
            for problem in data::check_stored(r, &parsed, &stored) {
                problems.push(Problem::of(&file.name, problem));
            }
        }
        if let Err(e) = crate::locks::may_replace_pack(
            store,
            parsed.year,
            &parsed.content_hash,
            reason.as_deref(),
        )
        .await
        {
            problems.push(Problem::of(&file.name, e.to_string()));
        }
        if batch.packs.iter().any(|p| p.parsed.year == parsed.year) {
            problems.push(Problem::of(
                &file.name,
                format!("a second pack for {} in the same import", parsed.year),
            ));
        }
        batch.packs.push(Document {
            file_name: file.name.clone(),
            text: file.text.clone(),
            parsed,
        });
    }
    invalid(problems)?;
    Ok(store.apply(batch).await?.packs)
}

/// Imports the registry of bodies in place of the stored one: the stored
/// packs and values must still fit (bodies with data stay, keep their kind
/// and years, and every body a pack names still exists). Returns how many
/// bodies it has.
pub async fn import_registry(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    file: &Upload,
    reason: Option<String>,
    now: &str,
) -> AppResult<usize> {
    authorize(actor, Action::ImportRegistry)?;
    let parsed = registry::load(&file.name, &file.text)
        .map_err(|found| crate::AppError::Invalid(found.0.iter().map(Problem::from).collect()))?;
    let mut problems = Vec::new();
    for year in store.pack_years().await? {
        let m = crate::assessment::methodology(store, year).await?;
        let what = format!("the stored {year} methodology");
        problems.extend(bodies_problem(&m, &parsed, &what));
        let stored = store.year_data(year).await?;
        problems.extend(
            data::check_stored(&parsed, &m, &stored)
                .into_iter()
                .map(|p| Problem::of(&file.name, format!("does not fit the data stored: {p}"))),
        );
    }
    invalid(problems)?;
    let batch = ImportBatch {
        registry: Some(Document {
            file_name: file.name.clone(),
            text: file.text.clone(),
            parsed,
        }),
        ..crate::batch(front, actor, now, reason)
    };
    Ok(store.apply(batch).await?.bodies)
}

/// What an import of values did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ValuesImported {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Imports reporting data (CSV: year, body, indicator, value, note):
/// every value checked against the registry and its year's pack, one
/// value per year, body and indicator across the files, and no changed
/// value in an approved year. `reason` (a verification's finding, say) is
/// kept with every change on the audit trail.
pub async fn import_data(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    files: &[Upload],
    reason: Option<String>,
    now: &str,
) -> AppResult<ValuesImported> {
    authorize(actor, Action::ImportData)?;
    let registry = crate::assessment::registry(store).await?;
    let mut packs = BTreeMap::new();
    for year in store.pack_years().await? {
        packs.insert(year, crate::assessment::methodology(store, year).await?);
    }
    let lookup = |y: i32| packs.get(&y);
    let mut seen: HashMap<(i32, String, String), String> = HashMap::new();
    let mut batch = crate::batch(front, actor, now, reason);
    let mut problems = Vec::new();
    for file in files {
        match data::parse_reporting_csv(&file.name, &file.text, &registry, &lookup) {
            Ok(observations) => {
                for o in &observations {
                    let key = (o.year, o.body.clone(), o.indicator.clone());
                    if let Some(first) = seen.insert(key, file.name.clone()) {
                        problems.push(Problem::of(
                            &file.name,
                            format!(
                                "{}, `{}`, `{}` is also in {first}: one value per year, body and indicator",
                                o.year, o.body, o.indicator
                            ),
                        ));
                    }
                }
                batch
                    .observations
                    .extend(observations.into_iter().map(|o| (o, file.name.clone())));
            }
            Err(found) => problems.extend(found.0.iter().map(Problem::from)),
        }
    }
    if let Err(e) =
        crate::locks::may_write_values(store, batch.observations.iter().map(|(o, _)| o)).await
    {
        problems.push(Problem::of("values", e.to_string()));
    }
    invalid(problems)?;
    let counts = store.apply(batch).await?;
    Ok(ValuesImported {
        new: counts.values_new,
        changed: counts.values_changed,
        unchanged: counts.values_unchanged,
    })
}

/// What a checked methodology pack holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PackChecked {
    pub file: String,
    pub id: String,
    pub year: i32,
    pub blocks: usize,
    pub criteria: usize,
    pub indicators: usize,
    pub sha256: String,
}

/// Checks methodology packs without importing them (a methodologist's
/// draft, before it goes in): each read and validated on its own; every
/// problem placed.
pub fn check_packs(files: &[Upload]) -> AppResult<Vec<PackChecked>> {
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match pack::load(&file.name, &file.text) {
            Ok(m) => checked.push(PackChecked {
                file: file.name.clone(),
                criteria: m.criteria().count(),
                blocks: m.blocks.len(),
                indicators: m.indicators.len(),
                id: m.id,
                year: m.year,
                sha256: m.content_hash,
            }),
            Err(found) => problems.extend(found.0.iter().map(Problem::from)),
        }
    }
    invalid(problems)?;
    Ok(checked)
}
