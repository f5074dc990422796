//! The current (unpublished) assessment of a year: the stored one when its
//! pack and input hashes match the current inputs, else computed now; read
//! by the roles that see unpublished results, each as far as its sight.

use crate::permission::sight;
use crate::{Actor, AppError, AppResult};
use bagalau_core::data;
use bagalau_core::pack::Methodology;
use bagalau_core::registry::Registry;
use bagalau_core::score::{self, Assessment};
use bagalau_store::{AnyStore, ImportBatch, Store};

/// The stored registry of bodies.
pub async fn registry(store: &AnyStore) -> AppResult<Registry> {
    store.registry().await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "the database {} has no registry yet: run `bagalau demo`, or `bagalau import registry FILE`",
            store.location()
        ))
    })
}

/// The stored methodology of a year.
pub async fn methodology(store: &AnyStore, year: i32) -> AppResult<Methodology> {
    if let Some(p) = store.pack(year).await? {
        return Ok(p.methodology);
    }
    let years = store.pack_years().await?;
    Err(AppError::NotFound(format!(
        "no methodology for {year} in the database (it has: {}); import one with `bagalau import pack FILE`",
        if years.is_empty() {
            "none".to_string()
        } else {
            years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        }
    )))
}

/// A year's current results, and whether they were computed now (no stored
/// assessment matches the current inputs). Nothing is written.
pub async fn current(
    store: &AnyStore,
    registry: &Registry,
    methodology: &Methodology,
) -> AppResult<(Assessment, bool)> {
    let year = methodology.year;
    let values = store.year_data(year).await?;
    let inputs = data::input_hash(registry, year, &values);
    Ok(
        match store
            .assessment(year, &methodology.content_hash, &inputs)
            .await?
        {
            Some(a) => (a, false),
            None => (score::assess(methodology, registry, &values), true),
        },
    )
}

/// As [`current`], keeping results computed now for the next reader (a
/// write, stamped as `batch` says), unless the store is read-only.
pub async fn current_kept(
    store: &AnyStore,
    registry: &Registry,
    methodology: &Methodology,
    batch: ImportBatch,
) -> AppResult<Assessment> {
    let (a, fresh) = current(store, registry, methodology).await?;
    if fresh && !store.is_read_only() {
        store
            .apply(ImportBatch {
                assessments: vec![a.clone()],
                ..batch
            })
            .await?;
    }
    Ok(a)
}

/// The year's current, unpublished results as far as the actor may see
/// them (a reporter: its own body's); nothing is written.
pub async fn unpublished(store: &AnyStore, actor: &Actor, year: i32) -> AppResult<Assessment> {
    let sight = sight(actor)?;
    let registry = registry(store).await?;
    let m = methodology(store, year).await?;
    let (mut a, _) = current(store, &registry, &m).await?;
    a.results.retain(|r| sight.covers(&r.body));
    Ok(a)
}

/// One body's current, unpublished result with its explanation tree, for
/// those who may see it; the assessment's other results are left out.
pub async fn unpublished_body(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    body: &str,
) -> AppResult<Assessment> {
    if !sight(actor)?.covers(body) {
        return Err(AppError::Forbidden(
            bagalau_core::refusal::Refusal::NotYourResults {
                body: body.to_string(),
            },
        ));
    }
    let mut a = unpublished(store, actor, year).await?;
    a.results.retain(|r| r.body == body);
    if a.results.is_empty() {
        return Err(AppError::NotFound(format!(
            "no result for `{body}` in {year}"
        )));
    }
    Ok(a)
}
