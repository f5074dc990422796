//! The lifecycle's locks, the same for every front end.
//!
//! - A year whose cycle the commission approved is locked: its data are not
//!   imported again, its cycle is not opened again (nor its calendar
//!   changed), so its results are never rescored behind the publication.
//!   What the commission approved changes only through a correction
//!   ([`crate::correction`]): accepted, it opens the year's data until the
//!   commission approves the year again.
//! - The methodology a cycle runs on is adopted: a cycle opens on an
//!   adopted pack only, and once it is open the pack is not replaced (the
//!   same pack again is no change).

use crate::{AppError, AppResult};
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, Store};

/// Where a year stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearState {
    /// No cycle: results assessed outside one (earlier years, imports).
    NoCycle,
    /// Its cycle is open and not yet approved.
    InCycle,
    /// The commission approved it: the cycle's year is published.
    Approved,
    /// Approved, with an accepted correction open: its data may change
    /// until the commission approves it again.
    Correcting,
}

pub async fn year_state(store: &AnyStore, year: i32) -> AppResult<YearState> {
    let Some(opened) = store.cycle_opened_at(year).await? else {
        return Ok(YearState::NoCycle);
    };
    // Once a year's cycle is open, only the commission's approval publishes
    // it ([`crate::publication`]): a version published since is approved.
    // Versions from before (results assessed outside the cycle) are not.
    let opened = instant(&opened)?;
    let mut approved = false;
    for p in store.publications(Some(year)).await? {
        approved |= instant(&p.published_at)? > opened;
    }
    if !approved {
        return Ok(YearState::InCycle);
    }
    Ok(match crate::correction::accepted(store, year).await? {
        Some(_) => YearState::Correcting,
        None => YearState::Approved,
    })
}

fn instant(at: &str) -> AppResult<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(at)
        .map_err(|e| AppError::Internal(format!("a stored time `{at}`: {e}")))
}

/// Refuses changing the data of an approved year.
pub async fn may_change_data(store: &AnyStore, year: i32) -> AppResult<()> {
    if year_state(store, year).await? == YearState::Approved {
        return Err(AppError::Conflict(Refusal::YearApproved { year }));
    }
    Ok(())
}

/// Refuses values that would change an approved year's data (the same
/// values again change nothing and pass).
pub async fn may_write_values<'a>(
    store: &AnyStore,
    values: impl IntoIterator<Item = &'a bagalau_core::data::Observation>,
) -> AppResult<()> {
    let mut by_year: std::collections::BTreeMap<i32, Vec<&bagalau_core::data::Observation>> =
        std::collections::BTreeMap::new();
    for o in values {
        by_year.entry(o.year).or_default().push(o);
    }
    for (year, values) in by_year {
        if year_state(store, year).await? != YearState::Approved {
            continue;
        }
        let stored = store.year_data(year).await?;
        let changes = values.iter().any(|o| {
            stored.values.get(&o.body).and_then(|b| b.get(&o.indicator)) != Some(&o.value)
        });
        if changes {
            return Err(AppError::Conflict(Refusal::YearApproved { year }));
        }
    }
    Ok(())
}

/// Refuses opening again (or changing the calendar of) an approved year's
/// cycle, and opening one on a draft methodology.
pub async fn may_open_cycle(store: &AnyStore, year: i32) -> AppResult<()> {
    if matches!(
        year_state(store, year).await?,
        YearState::Approved | YearState::Correcting
    ) {
        return Err(AppError::Conflict(Refusal::YearApproved { year }));
    }
    // A new cycle opens on an adopted methodology (an open one keeps its own).
    if store.cycle(year).await?.is_none()
        && store.pack(year).await?.is_some()
        && !store.adopted_pack_years().await?.contains(&year)
    {
        return Err(AppError::Conflict(Refusal::PackDraft { year }));
    }
    Ok(())
}

/// Refuses replacing the pack a year's cycle runs on by another one, and
/// the pack of a published year without a reason (a correction).
pub async fn may_replace_pack(
    store: &AnyStore,
    year: i32,
    content_hash: &str,
    reason: Option<&str>,
) -> AppResult<()> {
    let Some(stored) = store.pack(year).await? else {
        return Ok(());
    };
    if stored.methodology.content_hash == content_hash {
        return Ok(());
    }
    if year_state(store, year).await? != YearState::NoCycle {
        return Err(AppError::Conflict(Refusal::PackAdopted { year }));
    }
    let published = store.publications(Some(year)).await?;
    if let Some(last) = published.last()
        && reason.is_none_or(|r| r.trim().is_empty())
    {
        return Err(AppError::Conflict(Refusal::CorrectionNeedsReason {
            year,
            version: last.version,
        }));
    }
    Ok(())
}
