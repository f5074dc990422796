//! The cycle's recommendations to bodies: issued, listed as far as the
//! actor may see them, reported executed by the body and reviewed by the
//! issuer; and, as the next year's reporting data, the share of each body's
//! recommendations due by a cutoff that were executed on time (the
//! recommendation-execution indicator of the methodology).

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Role, batch, naive};
use bagalau_core::recommendation::{self, OnTime, Recommendation, executed_on_time};
use bagalau_store::{AnyStore, Store};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::BTreeMap;

/// Per body, its recommendations of `year` due by `cutoff` and those
/// executed on time; bodies with nothing due are absent (no value, not
/// zero).
pub async fn rates(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    cutoff: NaiveDate,
) -> AppResult<BTreeMap<String, OnTime>> {
    authorize(actor, Action::RateRecommendations)?;
    crate::services::four_digit_year(year)?;
    let recommendations: Vec<_> = store
        .recommendations(Some(year))
        .await?
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let rates = executed_on_time(&recommendations, cutoff);
    if rates.is_empty() {
        return Err(AppError::NotFound(format!(
            "no {year} recommendation is due by {cutoff}"
        )));
    }
    Ok(rates)
}

/// The percent executed on time, rounded to two decimals as reporting data
/// is written.
pub fn rate(c: OnTime) -> f64 {
    (c.percent() * 100.0).round() / 100.0
}

// ------------------------------------------------------------ the cycle's recommendations

/// A recommendation of the cycle under its id, with its standing.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationEntry {
    pub id: i64,
    pub recommendation: Recommendation,
    pub overdue: bool,
    pub executed_on_time: bool,
}

fn entry(id: i64, recommendation: Recommendation, now: NaiveDateTime) -> RecommendationEntry {
    RecommendationEntry {
        id,
        overdue: recommendation.is_overdue(now),
        executed_on_time: recommendation.executed_on_time(),
        recommendation,
    }
}

/// Who sees a recommendation: its body's reporters, its issuer,
/// coordinators, methodologists and the commission.
pub fn sees(actor: &Actor, r: &Recommendation) -> bool {
    actor.user == r.issued_by
        || actor.reports_for(&r.body)
        || actor.roles.iter().any(|role| {
            matches!(
                role,
                Role::Coordinator | Role::Methodologist | Role::CommissionMember
            )
        })
}

/// A recommendation to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuing {
    /// The assessment year it follows from.
    pub year: i32,
    /// A body of that year's registry.
    pub body: String,
    pub text: String,
    /// Executed by the end of this day counts as on time.
    pub due: NaiveDate,
}

/// Issues a recommendation.
pub async fn issue(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    issuing: &Issuing,
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let Issuing {
        year,
        body,
        text,
        due,
    } = issuing;
    let (year, body) = (*year, body.as_str());
    let r = recommendation::issue(actor, year, body, text, *due, at)?;
    let in_registry = store
        .registry()
        .await?
        .is_some_and(|registry| registry.exists_in(body, year));
    if !in_registry {
        return Err(AppError::Invalid(vec![Problem::of(
            "body",
            format!("`{body}` is not in the {year} registry"),
        )]));
    }
    let mut batch = batch(front, actor, now, None);
    batch.recommendations.push((None, r));
    store.apply(batch).await?;
    let (id, r) = store
        .recommendations(Some(year))
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("the recommendation was not stored".into()))?;
    Ok(entry(id, r, at))
}

/// The recommendations the actor may see, of one year or all; only the
/// overdue ones if asked.
pub async fn list(
    store: &AnyStore,
    actor: &Actor,
    year: Option<i32>,
    overdue_only: bool,
    now: &str,
) -> AppResult<Vec<RecommendationEntry>> {
    let at = naive(now)?;
    Ok(store
        .recommendations(year)
        .await?
        .into_iter()
        .filter(|(_, r)| sees(actor, r) && (!overdue_only || r.is_overdue(at)))
        .map(|(id, r)| entry(id, r, at))
        .collect())
}

/// A recommendation the actor may see; others are answered as absent, so
/// that ids do not reveal what was issued to whom.
async fn visible(store: &AnyStore, actor: &Actor, id: i64) -> AppResult<Recommendation> {
    store
        .recommendations(None)
        .await?
        .into_iter()
        .find(|(i, r)| *i == id && sees(actor, r))
        .map(|(_, r)| r)
        .ok_or_else(|| AppError::NotFound(format!("no recommendation {id}")))
}

/// The body reports a recommendation executed; its issuer reviews it.
pub async fn report(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    text: &str,
    evidence: &[String],
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let old = visible(store, actor, id).await?;
    let new = recommendation::report(actor, &old, text, evidence, at)?;
    crate::objections::own_evidence(store, actor, evidence).await?;
    let mut batch = batch(front, actor, now, None);
    batch.recommendations.push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(entry(id, new, at))
}

/// The issuer (or a coordinator) accepts a reported execution, or returns
/// it with a reason.
pub async fn review(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    id: i64,
    accept: bool,
    reason: Option<&str>,
    now: &str,
) -> AppResult<RecommendationEntry> {
    let at = naive(now)?;
    let old = visible(store, actor, id).await?;
    let new = recommendation::review(actor, &old, accept, reason)?;
    let mut batch = batch(front, actor, now, None);
    batch.recommendations.push((Some(id), new.clone()));
    store.apply(batch).await?;
    Ok(entry(id, new, at))
}
