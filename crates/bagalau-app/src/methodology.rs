//! Methodology packs: a pack is a draft until a methodologist adopts it.
//! Only adopted packs, and those of published years, are public; a cycle
//! opens on an adopted pack only ([`crate::locks`]).

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd};
use bagalau_store::{AnyStore, Store};

/// Adopts the stored pack of a year: true when it was a draft, false when
/// it was adopted already.
pub async fn adopt(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    now: &str,
) -> AppResult<bool> {
    authorize(actor, Action::ImportPack)?;
    if store.pack(year).await?.is_none() {
        return Err(AppError::NotFound(format!(
            "no methodology for {year}: import its pack first"
        )));
    }
    if store.adopted_pack_years().await?.contains(&year) {
        return Ok(false);
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.pack_adoptions.push(year);
    store.apply(batch).await?;
    Ok(true)
}

/// The years whose methodology anyone may read: adopted packs, and the
/// packs of published years.
pub async fn public_years(store: &AnyStore) -> AppResult<Vec<i32>> {
    let adopted = store.adopted_pack_years().await?;
    let published: std::collections::BTreeSet<i32> = store
        .publications(None)
        .await?
        .iter()
        .map(|p| p.year)
        .collect();
    Ok(store
        .pack_years()
        .await?
        .into_iter()
        .filter(|y| adopted.contains(y) || published.contains(y))
        .collect())
}

/// Whether the methodology of `year` is public.
pub async fn is_public(store: &AnyStore, year: i32) -> AppResult<bool> {
    Ok(public_years(store).await?.contains(&year))
}

/// A year's stored methodology as the actor may read it: public ones for
/// anyone, drafts for those who keep or run the assessment.
pub async fn readable(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
) -> AppResult<bagalau_core::pack::Methodology> {
    let keeps_drafts = actor
        .roles
        .iter()
        .any(|r| Action::ImportPack.may(r) || Action::ReadCycle.may(r));
    if !keeps_drafts && !is_public(store, year).await? {
        return Err(AppError::NotFound(format!(
            "no public methodology for {year}"
        )));
    }
    crate::assessment::methodology(store, year).await
}
