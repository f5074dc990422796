//! Risk-based verification: every body of the year scored for risk from
//! the stored data (`bagalau_core::risk`), the riskiest selected and more
//! drawn in a seed's order, reproducibly (a coordinator's); the verifiers'
//! findings on the bodies selected; the selection and findings read by
//! those who see every body's place in the cycle. On every front end.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::data;
use bagalau_core::risk::{self, Facts, SelectedBy};
use bagalau_store::{AnyStore, FindingRecord, SelectionRecord, Store};
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

// ------------------------------------------------------------ findings

/// A verifier's finding: the corrected value of one indicator of a
/// selected body, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifierFinding {
    pub body: String,
    pub indicator: String,
    /// The corrected value (`None`: no data).
    pub value: Option<f64>,
    pub reason: String,
}

/// A finding recorded: the value before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedFinding {
    pub body: String,
    pub indicator: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

/// Records a verifier's finding on a body selected for verification,
/// during the verification stage: the value is corrected, with the
/// finding's reason as its note; one audited write.
pub async fn record_finding(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    finding: &VerifierFinding,
    now: &str,
) -> AppResult<RecordedFinding> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    let selected = store
        .selection(year)
        .await?
        .iter()
        .any(|r| r.body == finding.body);
    bagalau_core::cycle::may_record_finding(
        actor,
        &finding.body,
        selected,
        &calendar,
        crate::naive(now)?,
    )?;
    let registry = crate::assessment::registry(store).await?;
    if finding.reason.trim().is_empty() {
        return Err(AppError::Required {
            field: "reason",
            refusal: bagalau_core::refusal::Refusal::ReasonRequired,
        });
    }
    let pack = store.pack(year).await?.map(|p| p.methodology);
    if let Err((_, why)) = data::check_value(
        &registry,
        pack.as_ref(),
        year,
        &finding.body,
        &finding.indicator,
        finding.value,
    ) {
        return Err(AppError::Invalid(vec![Problem::of(
            "value",
            format!("{}: {why}", finding.indicator),
        )]));
    }
    let old = store
        .year_data(year)
        .await?
        .get(&finding.body, &finding.indicator);
    let mut batch = crate::batch(front, actor, now, None);
    batch.findings.push(FindingRecord {
        year,
        body: finding.body.clone(),
        indicator: finding.indicator.clone(),
        old_value: old,
        new_value: finding.value,
        reason: finding.reason.clone(),
        verifier: actor.user.clone(),
    });
    batch.observations.push((
        data::Observation {
            year,
            body: finding.body.clone(),
            indicator: finding.indicator.clone(),
            value: finding.value,
            note: Some(format!("verification: {}", finding.reason)),
        },
        "verification".to_string(),
    ));
    store.apply(batch).await?;
    Ok(RecordedFinding {
        body: finding.body.clone(),
        indicator: finding.indicator.clone(),
        old,
        new: finding.value,
    })
}

/// A year's verification: the bodies selected, with their reasons, and the
/// verifiers' findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub selection: Vec<SelectionRecord>,
    pub findings: Vec<FindingRecord>,
}

/// The year's verification, for those who see every body's place in the
/// cycle (a reporter or a monitor never learns whether a body was chosen).
pub async fn verification(store: &AnyStore, actor: &Actor, year: i32) -> AppResult<Verification> {
    if crate::permission::sight(actor)? != crate::permission::Sight::Everything {
        return Err(AppError::Forbidden(
            bagalau_core::refusal::Refusal::SelectionHidden,
        ));
    }
    Ok(Verification {
        selection: store.selection(year).await?,
        findings: store.findings(Some(year)).await?,
    })
}
