//! What the cycle's experts write, read and recorded once for every front
//! end: the commission members' expert opinions (recorded while the
//! commission sits, seen by the commission, coordinators and
//! methodologists) and the assessors' conclusions (each body sees its own;
//! the cycle's officials all; a monitor none before publication).

use crate::permission::sight;
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::cycle::{self, Conclusion, Opinion, Role};
use bagalau_core::refusal::Refusal;
use bagalau_store::{AnyStore, Store};

/// Records a commission member's opinion on the year (or on `body`).
pub async fn record_opinion(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    body: Option<String>,
    text: &str,
    now: &str,
) -> AppResult<Opinion> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    cycle::may_record_opinion(actor, &calendar, crate::naive(now)?)?;
    if text.trim().is_empty() {
        return Err(AppError::Required {
            field: "text",
            refusal: Refusal::TextRequired,
        });
    }
    if let Some(body) = &body {
        let registry = crate::assessment::registry(store).await?;
        if !registry.exists_in(body, year) {
            return Err(AppError::Invalid(vec![Problem::of(
                "body",
                format!("`{body}` is not in the {year} registry"),
            )]));
        }
    }
    let opinion = Opinion {
        author: actor.user.clone(),
        body,
        text: text.trim().to_string(),
    };
    let mut batch = crate::batch(front, actor, now, None);
    batch.opinions.push((year, opinion.clone()));
    store.apply(batch).await?;
    Ok(opinion)
}

/// The commission's opinions on `year`.
pub async fn opinions(store: &AnyStore, actor: &Actor, year: i32) -> AppResult<Vec<Opinion>> {
    let sees = actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::CommissionMember | Role::Coordinator | Role::Methodologist
        )
    });
    if !sees {
        return Err(AppError::Forbidden(Refusal::OpinionsHidden));
    }
    Ok(store.opinions(year).await?)
}

/// The conclusions on `year` the actor may see: only final (`Some(true)`)
/// or preliminary (`Some(false)`) ones, or one body's, when asked.
pub async fn conclusions(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    is_final: Option<bool>,
    body: Option<&str>,
) -> AppResult<Vec<Conclusion>> {
    let sight = sight(actor)?;
    Ok(store
        .conclusions(year)
        .await?
        .into_iter()
        .filter(|c| sight.covers(&c.body))
        .filter(|c| is_final.is_none_or(|f| c.is_final == f) && body.is_none_or(|b| b == c.body))
        .collect())
}

/// An assessor's conclusion on a direction for a body, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concluding {
    pub direction: String,
    pub body: String,
    pub text: String,
    /// A final conclusion (else preliminary).
    pub is_final: bool,
}

/// Writes an assessor's conclusion in its stage: the direction must be the
/// year's and assigned to the assessor's authority, the body one evaluated
/// that year; a body never assesses itself. Audited.
pub async fn conclude(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    concluding: &Concluding,
    now: &str,
) -> AppResult<Conclusion> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    cycle::may_conclude(
        actor,
        &concluding.direction,
        &concluding.body,
        concluding.is_final,
        &calendar,
        crate::naive(now)?,
    )?;
    if concluding.text.trim().is_empty() {
        return Err(AppError::Required {
            field: "text",
            refusal: Refusal::TextRequired,
        });
    }
    let pack = crate::assessment::methodology(store, year).await?;
    let registry = crate::assessment::registry(store).await?;
    let mut problems = Vec::new();
    match pack
        .blocks
        .iter()
        .flat_map(|b| &b.directions)
        .find(|d| d.id == concluding.direction)
    {
        Some(d) => cycle::check_assignment(actor, &d.id, &d.authorized_body)?,
        None => problems.push(Problem::of(
            "direction",
            format!(
                "`{}` is not in the {year} methodology",
                concluding.direction
            ),
        )),
    }
    if !registry
        .body(&concluding.body)
        .is_some_and(|b| b.evaluated.contains(&year))
    {
        problems.push(Problem::of(
            "body",
            format!("`{}` is not evaluated in {year}", concluding.body),
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let c = Conclusion {
        direction: concluding.direction.clone(),
        body: concluding.body.clone(),
        author: actor.user.clone(),
        text: concluding.text.clone(),
        is_final: concluding.is_final,
    };
    let mut batch = crate::batch(front, actor, now, None);
    batch.conclusions.push((year, c.clone()));
    store.apply(batch).await?;
    Ok(c)
}
