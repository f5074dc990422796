//! Correcting an approved year (`bagalau_core::correction`'s rules): a
//! coordinator asks with a reason, a commission member decides; an accepted
//! correction opens the year's data until the commission approves the year
//! again ([`crate::publication::approve`]), which publishes a new version
//! with the correction's reason and closes it.

use crate::locks::{YearState, year_state};
use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd};
use bagalau_core::correction::{self, Correction};
use bagalau_store::{AnyStore, Store};

/// A coordinator asks to correct an approved year; returns its id.
pub async fn request(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    reason: &str,
    now: &str,
) -> AppResult<(i64, Correction)> {
    let approved = year_state(store, year).await? == YearState::Approved;
    let existing: Vec<Correction> = store
        .corrections(year)
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    let c = correction::request(actor, year, reason, approved, &existing)?;
    let mut batch = crate::batch(front, actor, now, Some(c.reason.clone()));
    batch.corrections.push((None, c));
    store.apply(batch).await?;
    store
        .corrections(year)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the correction was not kept".into()))
}

/// A decision on a requested correction.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub year: i32,
    pub id: i64,
    pub accept: bool,
    pub reason: &'a str,
}

/// A commission member accepts or rejects a requested correction.
pub async fn decide(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    decision: Decision<'_>,
    now: &str,
) -> AppResult<Correction> {
    let Decision {
        year,
        id,
        accept,
        reason,
    } = decision;
    let (_, current) = store
        .corrections(year)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .ok_or_else(|| AppError::NotFound(format!("no correction {id} of {year}")))?;
    let decided = correction::decide(actor, &current, accept, reason)?;
    let mut batch = crate::batch(front, actor, now, decided.decision.clone());
    batch.corrections.push((Some(id), decided.clone()));
    store.apply(batch).await?;
    Ok(decided)
}

/// A year's corrections, for those who run or judge the assessment.
pub async fn list(store: &AnyStore, actor: &Actor, year: i32) -> AppResult<Vec<(i64, Correction)>> {
    authorize(actor, Action::ReadCycle)?;
    Ok(store.corrections(year).await?)
}

/// The accepted correction of a year, if one is open.
pub async fn accepted(store: &AnyStore, year: i32) -> AppResult<Option<(i64, Correction)>> {
    Ok(store
        .corrections(year)
        .await?
        .into_iter()
        .find(|(_, c)| c.state == correction::CorrectionState::Accepted))
}
