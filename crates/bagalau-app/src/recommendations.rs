//! Recommendations to bodies, as the next year's reporting data: the share
//! of each body's recommendations due by a cutoff that were executed on
//! time (the recommendation-execution indicator of the methodology).

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult};
use bagalau_core::recommendation::{OnTime, executed_on_time};
use bagalau_store::{AnyStore, Store};
use chrono::NaiveDate;
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
