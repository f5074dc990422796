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
