//! Objections to preliminary conclusions, once for every front end: a
//! body's reporter files one on a criterion (with evidence it uploaded),
//! another assessor of the direction decides it (an acceptance may correct
//! the values the objected criterion reads, and only those), a rejected
//! one may be taken to the commission, which rules. The cycle's rules
//! (`bagalau_core::cycle`) say who and when; this module what is read and
//! written.

use crate::permission::sight;
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::cycle::{self, CycleError, Objection, ObjectionState};
use bagalau_core::data;
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, Store};

/// Evidence cited in a write must be files the writer uploaded.
pub async fn own_evidence(store: &AnyStore, actor: &Actor, evidence: &[String]) -> AppResult<()> {
    let mut problems = Vec::new();
    for (i, sha) in evidence.iter().enumerate() {
        let uploads = store.evidence_uploads(sha).await?;
        if !uploads.iter().any(|u| u.uploaded_by == actor.user) {
            problems.push(Problem::of(
                &format!("evidence[{i}]"),
                format!("you have uploaded no file with SHA-256 `{sha}`"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// An objection as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub body: String,
    pub direction: String,
    pub criterion: String,
    pub statement: String,
    /// SHA-256 of files the reporter uploaded.
    pub evidence: Vec<String>,
}

/// A corrected value an accepted objection brings.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectedValue {
    pub indicator: String,
    /// `None` reports "no data".
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// An objection after a step: its id, its state and whether values were
/// corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stepped {
    pub id: i64,
    pub state: ObjectionState,
    pub corrected: bool,
}

async fn find(store: &AnyStore, year: i32, id: i64) -> AppResult<Objection> {
    store
        .objections(year)
        .await?
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, o)| o)
        .ok_or_else(|| AppError::NotFound(format!("no objection {id} in {year}")))
}

async fn save(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    id: i64,
    o: Objection,
    now: &str,
) -> AppResult<Stepped> {
    let state = o.state;
    let mut batch = crate::batch(front, actor, now, None);
    batch.objections.push((year, Some(id), o));
    store.apply(batch).await?;
    Ok(Stepped {
        id,
        state,
        corrected: false,
    })
}

/// Files an objection to a preliminary conclusion.
pub async fn file(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    filing: Filing,
    now: &str,
) -> AppResult<Stepped> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    let conclusions = store.conclusions(year).await?;
    let preliminary = conclusions
        .iter()
        .find(|c| !c.is_final && c.direction == filing.direction && c.body == filing.body);
    cycle::may_object(
        actor,
        &filing.body,
        preliminary,
        &calendar,
        crate::naive(now)?,
    )?;
    let pack = crate::assessment::methodology(store, year).await?;
    if !pack
        .criteria()
        .any(|(_, d, c)| d.id == filing.direction && c.id == filing.criterion)
    {
        return Err(AppError::Invalid(vec![Problem::of(
            "criterion",
            format!(
                "`{}` is not a criterion of `{}` in {year}",
                filing.criterion, filing.direction
            ),
        )]));
    }
    if filing.statement.trim().is_empty() {
        return Err(AppError::Required {
            field: "statement",
            refusal: Refusal::TextRequired,
        });
    }
    own_evidence(store, actor, &filing.evidence).await?;
    let o = Objection {
        body: filing.body,
        direction: filing.direction,
        criterion: filing.criterion,
        filed_by: actor.user.clone(),
        statement: filing.statement,
        state: ObjectionState::Filed,
        decided_by: None,
        reason: None,
        evidence: filing.evidence,
    };
    let mut batch = crate::batch(front, actor, now, None);
    batch.objections.push((year, None, o));
    store.apply(batch).await?;
    let id = store
        .objections(year)
        .await?
        .last()
        .map(|(id, _)| *id)
        .ok_or_else(|| AppError::Internal("the objection filed is not kept".into()))?;
    Ok(Stepped {
        id,
        state: ObjectionState::Filed,
        corrected: false,
    })
}

/// The indicators an accepted objection on `criterion` of `direction` may
/// correct: those its rule reads, and no other.
pub fn correctable(
    pack: &bagalau_core::pack::Methodology,
    direction: &str,
    criterion: &str,
) -> Vec<String> {
    pack.criteria()
        .find(|(_, d, c)| d.id == direction && c.id == criterion)
        .map(|(_, _, c)| {
            c.rule
                .indicators()
                .into_iter()
                .map(|i| pack.indicators[i].id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Another assessor of the direction decides an objection; an acceptance
/// may bring corrected values of the objected criterion's indicators, from
/// which the year is rescored (the old values stay on record).
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    id: i64,
    accept: bool,
    reason: &str,
    corrections: Vec<CorrectedValue>,
    now: &str,
) -> AppResult<Stepped> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    let mut o = find(store, year, id).await?;
    // The role first: others learn nothing of the objection's state.
    if actor.assesses(&o.direction).is_none() {
        return Err(CycleError::Forbidden(Refusal::NotAssessor {
            user: actor.user.clone(),
            direction: o.direction.clone(),
        })
        .into());
    }
    let pack = crate::assessment::methodology(store, year).await?;
    if let Some(d) = pack
        .blocks
        .iter()
        .flat_map(|b| &b.directions)
        .find(|d| d.id == o.direction)
    {
        cycle::check_assignment(actor, &d.id, &d.authorized_body)?;
    }
    let conclusion = store
        .conclusions(year)
        .await?
        .into_iter()
        .find(|c| !c.is_final && c.direction == o.direction && c.body == o.body)
        .ok_or(AppError::Conflict(Refusal::ConclusionGone))?;
    cycle::decide_objection(
        actor,
        &mut o,
        &conclusion,
        accept,
        reason,
        &calendar,
        crate::naive(now)?,
    )?;
    if corrections.is_empty() {
        return save(store, front, actor, year, id, o, now).await;
    }
    if !accept {
        return Err(AppError::Invalid(vec![Problem::of(
            "corrections",
            "only an accepted objection corrects data",
        )]));
    }
    let registry = crate::assessment::registry(store).await?;
    let allowed = correctable(&pack, &o.direction, &o.criterion);
    let mut problems = Vec::new();
    for (i, v) in corrections.iter().enumerate() {
        let field = format!("corrections[{i}]");
        if !allowed.contains(&v.indicator) {
            problems.push(Problem::of(
                &field,
                format!(
                    "`{}` is not read by the criterion `{}` (it reads {})",
                    v.indicator,
                    o.criterion,
                    allowed.join(", ")
                ),
            ));
        } else if let Err((_, why)) =
            data::check_value(&registry, Some(&pack), year, &o.body, &v.indicator, v.value)
        {
            problems.push(Problem::of(&format!("{field} ({})", v.indicator), why));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.observations = corrections
        .into_iter()
        .map(|v| {
            let note = v.note.or_else(|| Some(format!("objection {id} accepted")));
            (
                data::Observation {
                    year,
                    body: o.body.clone(),
                    indicator: v.indicator,
                    value: v.value,
                    note,
                },
                format!("objection:{id}"),
            )
        })
        .collect();
    let state = o.state;
    batch.objections.push((year, Some(id), o));
    store.apply(batch).await?;
    Ok(Stepped {
        id,
        state,
        corrected: true,
    })
}

/// The body's reporter takes a rejected objection to the commission.
pub async fn escalate(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    id: i64,
    now: &str,
) -> AppResult<Stepped> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    let mut o = find(store, year, id).await?;
    cycle::escalate(actor, &mut o, &calendar, crate::naive(now)?)?;
    save(store, front, actor, year, id, o, now).await
}

/// The commission rules on an escalated objection.
#[allow(clippy::too_many_arguments)]
pub async fn rule(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    id: i64,
    uphold: bool,
    reason: &str,
    now: &str,
) -> AppResult<Stepped> {
    let mut o = find(store, year, id).await?;
    cycle::rule(actor, &mut o, uphold, reason)?;
    save(store, front, actor, year, id, o, now).await
}

/// The objections of `year` the actor may see (a reporter its own body's).
pub async fn list(store: &AnyStore, actor: &Actor, year: i32) -> AppResult<Vec<(i64, Objection)>> {
    let sight = sight(actor)?;
    Ok(store
        .objections(year)
        .await?
        .into_iter()
        .filter(|(_, o)| sight.covers(&o.body))
        .collect())
}
