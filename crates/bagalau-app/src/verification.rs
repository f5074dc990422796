//! Risk-based verification: every body of the year scored for risk from
//! the stored data (`bagalau_core::risk`), the riskiest selected and more
//! drawn in a seed's order, reproducibly. A coordinator's, on every front
//! end.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::risk::{self, Facts, SelectedBy};
use bagalau_store::{AnyStore, SelectionRecord, Store};
use std::collections::BTreeMap;

/// How many bodies to select: the `top` riskiest, then `draw` more in the
/// order the `seed` gives.
#[derive(Debug, Clone, Copy)]
pub struct Draw {
    pub year: i32,
    pub top: usize,
    pub draw: usize,
    pub seed: u64,
}

/// The bodies scored and those selected, with their reasons; nothing written.
pub async fn score(store: &AnyStore, d: Draw) -> AppResult<(usize, Vec<SelectionRecord>)> {
    let year = d.year;
    let registry = crate::assessment::registry(store).await?;
    let m = crate::assessment::methodology(store, year).await?;
    let current = store.year_data(year).await?;
    let previous = match store.pack(year - 1).await? {
        Some(_) => Some(store.year_data(year - 1).await?),
        None => None,
    };
    let extensions = store.extensions(year).await?;
    let findings = store.findings(None).await?;
    let mut facts = BTreeMap::new();
    for b in registry.evaluated_in(year) {
        facts.insert(
            b.id.clone(),
            Facts {
                late: extensions.iter().any(|e| e.body == b.id),
                corrections: findings
                    .iter()
                    .filter(|f| f.year == year && f.body == b.id)
                    .count(),
                past_findings: findings
                    .iter()
                    .filter(|f| f.year < year && f.body == b.id)
                    .count(),
            },
        );
    }
    let scores = risk::score(&m, &registry, &current, previous.as_ref(), &facts);
    let chosen = risk::select(&scores, d.top, d.draw, d.seed);
    let rows = chosen
        .iter()
        .map(|c| SelectionRecord {
            body: c.body.clone(),
            by: if c.by == SelectedBy::Risk {
                "risk".into()
            } else {
                "draw".into()
            },
            score: c.score,
            reasons: scores
                .iter()
                .find(|s| s.body == c.body)
                .map(|s| s.reasons.iter().map(|r| r.text.clone()).collect())
                .unwrap_or_default(),
        })
        .collect();
    Ok((scores.len(), rows))
}

/// Draws and keeps the year's selection (a new draw replaces the kept one
/// only with a reason): (bodies scored, bodies selected).
pub async fn select(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    d: Draw,
    reason: Option<String>,
    now: &str,
) -> AppResult<(usize, Vec<SelectionRecord>)> {
    authorize(actor, Action::SelectForVerification)?;
    let year = d.year;
    if store.cycle(year).await?.is_none() {
        return Err(AppError::NotFound(format!("no {year} cycle is open")));
    }
    crate::locks::may_change_data(store, year).await?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    if !store.selection(year).await?.is_empty() && reason.is_none() {
        return Err(AppError::Invalid(vec![Problem::of(
            "reason",
            format!("{year} already has a verification selection; a new draw needs its reason"),
        )]));
    }
    let (scored, rows) = score(store, d).await?;
    let mut batch = crate::batch(front, actor, now, reason);
    batch.selection = Some((year, d.seed, rows.clone()));
    store.apply(batch).await?;
    Ok((scored, rows))
}
