//! Publishing a year's results: an immutable, content-hashed version.
//!
//! A year assessed in a cycle is published by the commission's approval
//! only ([`approve`], the cycle's rules deciding when); a year assessed
//! outside a cycle (results from before Bagalau, imported) is published by
//! a coordinator ([`publish_archive`]). Either way a correction of a
//! published year is a new version and needs its reason; publishing the
//! same results again makes no new version.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd};
use bagalau_core::cycle;
use bagalau_core::publication::{Publication, Snapshot, changes};
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, Store};

/// What a publication did.
#[derive(Debug, Clone)]
pub struct Published {
    pub year: i32,
    pub version: i32,
    pub sha256: String,
    /// False when the results equal the last version's (nothing written).
    pub new: bool,
    /// The results rest on demonstration data.
    pub demonstration: bool,
    /// What changed against the previous version (totals, ranks, bands),
    /// when this is a correction.
    pub changes: Option<(i32, Vec<String>)>,
}

/// The commission's approval of a year's results, which publishes them.
pub async fn approve(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    reason: Option<String>,
    now: &str,
) -> AppResult<Published> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    // An accepted correction is approved by the commission whenever it is
    // ready, with the correction's reason unless another is given.
    if let Some((id, c)) = crate::correction::accepted(store, year).await? {
        if !actor.has(&bagalau_core::cycle::Role::CommissionMember) {
            return Err(AppError::Rule(cycle::CycleError::Forbidden(
                Refusal::NotCommissionMember {
                    user: actor.user.clone(),
                },
            )));
        }
        let reason = reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| c.reason.clone());
        return freeze(store, front, actor, year, Some(reason), now, Some((id, c))).await;
    }
    let objections: Vec<cycle::Objection> = store
        .objections(year)
        .await?
        .into_iter()
        .map(|(_, o)| o)
        .collect();
    let finals = store
        .conclusions(year)
        .await?
        .iter()
        .filter(|c| c.is_final)
        .count();
    cycle::may_approve(actor, &objections, finals, &calendar, crate::naive(now)?)?;
    freeze(store, front, actor, year, reason, now, None).await
}

/// Publishes a year that no cycle assessed.
pub async fn publish_archive(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    reason: Option<String>,
    now: &str,
) -> AppResult<Published> {
    authorize(actor, Action::PublishArchive)?;
    if store.cycle(year).await?.is_some() {
        return Err(AppError::Forbidden(Refusal::PublishedByApproval { year }));
    }
    freeze(store, front, actor, year, reason, now, None).await
}

/// Freezes the current results with the final conclusions as the next
/// version, unless they equal the last one; closes the correction it
/// publishes, if any.
async fn freeze(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    reason: Option<String>,
    now: &str,
    correction: Option<(i64, bagalau_core::correction::Correction)>,
) -> AppResult<Published> {
    let reason = reason.filter(|r| !r.trim().is_empty());
    let registry = crate::assessment::registry(store).await?;
    let m = crate::assessment::methodology(store, year).await?;
    let (a, fresh) = crate::assessment::current(store, &registry, &m).await?;
    let conclusions = store.conclusions(year).await?;
    let snapshot =
        Snapshot::from_assessment(&a, &registry).with_final_conclusions(&conclusions, &m);
    let (content, sha256) = snapshot.canonical();
    let versions = store.publications(Some(year)).await?;
    let last = versions.last();
    if let Some(last) = last {
        if last.content_sha256 == sha256 {
            // A correction that changed nothing is closed with the last version.
            if let Some((id, c)) = &correction {
                let mut batch = crate::batch(front, actor, now, reason.clone());
                batch.corrections.push((
                    Some(*id),
                    bagalau_core::correction::published(c, last.version),
                ));
                store.apply(batch).await?;
            }
            return Ok(Published {
                year,
                version: last.version,
                sha256,
                new: false,
                demonstration: a.demonstration,
                changes: None,
            });
        }
        if reason.is_none() {
            return Err(AppError::Conflict(Refusal::CorrectionNeedsReason {
                year,
                version: last.version,
            }));
        }
    }
    let version = last.map_or(1, |v| v.version + 1);
    let changed = match last {
        Some(last) => {
            let old = store
                .publication_content(year, last.version)
                .await?
                .unwrap_or_default();
            let old: Snapshot = serde_json_from(&old)?;
            Some((last.version, changes(&old, &snapshot)))
        }
        None => None,
    };
    let mut batch = crate::batch(front, actor, now, reason.clone());
    if fresh {
        batch.assessments.push(a.clone());
    }
    if let Some((id, c)) = &correction {
        batch
            .corrections
            .push((Some(*id), bagalau_core::correction::published(c, version)));
    }
    batch.publications.push((
        Publication {
            year,
            version,
            content_sha256: sha256.clone(),
            published_at: now.to_string(),
            published_by: front.label(&actor.user),
            reason,
        },
        content,
    ));
    store.apply(batch).await?;
    Ok(Published {
        year,
        version,
        sha256,
        new: true,
        demonstration: a.demonstration,
        changes: changed,
    })
}

fn serde_json_from(text: &str) -> AppResult<Snapshot> {
    serde_json::from_str(text)
        .map_err(|e| AppError::Internal(format!("a stored publication does not read: {e}")))
}
