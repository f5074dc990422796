//! A body's reporting data in the cycle: saved as a draft or submitted by
//! the body's reporter, within the submission stage (extensions included),
//! every value checked against the registry and the year's methodology;
//! all or nothing, one audited write. The API's JSON, the API's and the
//! workspace's workbooks and the workspace's form all go through it.

use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::cycle::{self, SubmissionState};
use bagalau_core::data;
use bagalau_store::{AnyStore, ImportCounts, Store};

/// One reported value.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedValue {
    pub indicator: String,
    /// `None` reports "no data".
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// What a reporter sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitting {
    pub values: Vec<ReportedValue>,
    /// Submit (else save as a draft).
    pub submit: bool,
    /// SHA-256 of evidence files the reporter uploaded, attached.
    pub evidence: Vec<String>,
}

/// A submission saved.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub state: SubmissionState,
    pub counts: ImportCounts,
}

/// Whether the actor may save or submit the body's data now (role, open
/// cycle, deadline and extensions, state of the submission): cheap, so a
/// front end runs it before reading an upload, and [`save`] again.
pub async fn may_submit(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    body: &str,
    now: &str,
) -> AppResult<()> {
    let calendar = crate::cycle::open_calendar(store, year).await?;
    let extensions = store.extensions(year).await?;
    let current = store
        .submissions(year)
        .await?
        .into_iter()
        .find(|(b, _)| *b == body)
        .map(|(_, s)| s);
    cycle::may_submit(
        actor,
        body,
        current,
        &calendar,
        &extensions,
        crate::naive(now)?,
    )?;
    Ok(())
}

/// Saves the values as a draft or submits them. A value that does not fit
/// is a problem placed on `values[i]`, its column the indicator; then
/// nothing is saved.
pub async fn save(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    body: &str,
    submitting: Submitting,
    now: &str,
) -> AppResult<Saved> {
    may_submit(store, actor, year, body, now).await?;
    let registry = crate::assessment::registry(store).await?;
    let pack = store.pack(year).await?.map(|p| p.methodology);
    let problems: Vec<Problem> = submitting
        .values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            data::check_value(&registry, pack.as_ref(), year, body, &v.indicator, v.value)
                .err()
                .map(|(_, why)| Problem {
                    source: format!("values[{i}]"),
                    line: None,
                    column: Some(v.indicator.clone()),
                    message: why,
                })
        })
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    crate::objections::own_evidence(store, actor, &submitting.evidence).await?;
    let state = if submitting.submit {
        SubmissionState::Submitted
    } else {
        SubmissionState::Draft
    };
    let mut batch = crate::batch(front, actor, now, None);
    batch.observations = submitting
        .values
        .into_iter()
        .map(|v| {
            (
                data::Observation {
                    year,
                    body: body.to_string(),
                    indicator: v.indicator,
                    value: v.value,
                    note: v.note,
                },
                format!("submission:{body}"),
            )
        })
        .collect();
    batch.submissions.push((year, body.to_string(), state));
    batch.submission_evidence = submitting
        .evidence
        .into_iter()
        .map(|sha| (year, body.to_string(), sha))
        .collect();
    let counts = store.apply(batch).await?;
    Ok(Saved { state, counts })
}
