//! The cycle's administration: opening a year's cycle with its calendar
//! (or changing the calendar, with a reason), and granting a body an
//! extension of its submission deadline. A coordinator's, on every front
//! end.

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_core::cycle::{self, Calendar, Extension, Stage};
use bagalau_store::{AnyStore, Store};
use std::collections::BTreeMap;

/// A deadline as people write it: a date (the stage is open until its end,
/// 23:59:59) or a date and time.
pub fn deadline(text: &str) -> Option<chrono::NaiveDateTime> {
    bagalau_core::checked::datetime(text).ok().or_else(|| {
        bagalau_core::checked::date(text)
            .ok()
            .and_then(|d| d.and_hms_opt(23, 59, 59))
    })
}

/// A calendar from (stage, deadline) texts, `source` naming where they
/// came from; every problem at once.
pub fn calendar<'a>(
    source: &str,
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Calendar, Vec<Problem>> {
    let mut deadlines = BTreeMap::new();
    let mut problems = Vec::new();
    for (key, raw) in entries {
        let stage = Stage::ALL.into_iter().find(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .as_deref()
                == Some(key)
        });
        let Some(stage) = stage else {
            problems.push(Problem::of(
                source,
                format!(
                    "unknown stage `{key}` (submission, verification, preliminary, objections, final, commission)"
                ),
            ));
            continue;
        };
        match deadline(raw) {
            Some(at) => {
                deadlines.insert(stage, at);
            }
            None => problems.push(Problem::of(
                source,
                format!(
                    "`{key}` = `{raw}` is not a date (2024-02-15) or a date-time (2024-02-15T18:00:00)"
                ),
            )),
        }
    }
    if problems.is_empty() {
        Ok(Calendar { deadlines })
    } else {
        Err(problems)
    }
}

/// The calendar of `year`'s cycle, which must have been opened.
pub async fn open_calendar(store: &AnyStore, year: i32) -> AppResult<Calendar> {
    store
        .cycle(year)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no cycle is open for {year}")))
}

/// Opens a year's cycle with its calendar, or changes the calendar of an
/// open one (with a reason).
pub async fn open(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    year: i32,
    calendar: Calendar,
    reason: Option<String>,
    now: &str,
) -> AppResult<Calendar> {
    authorize(actor, Action::AdministerCycle)?;
    if let Err(e) = calendar.check_for(year) {
        return Err(AppError::Invalid(vec![Problem::of(
            "calendar",
            e.to_string(),
        )]));
    }
    if store.pack(year).await?.is_none() {
        return Err(AppError::NotFound(format!(
            "no methodology for {year}: import its pack before opening the cycle"
        )));
    }
    crate::locks::may_open_cycle(store, year).await?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    if store.cycle(year).await?.is_some() && reason.is_none() {
        return Err(AppError::Invalid(vec![Problem::of(
            "reason",
            format!("the {year} cycle is open; changing its calendar needs its reason"),
        )]));
    }
    let mut batch = crate::batch(front, actor, now, reason);
    batch.cycles.push((year, calendar.clone()));
    store.apply(batch).await?;
    Ok(calendar)
}

/// An extension to grant.
#[derive(Debug, Clone)]
pub struct NewExtension<'a> {
    pub year: i32,
    pub body: &'a str,
    /// A date (until its end) or a date and time.
    pub until: &'a str,
    pub reason: &'a str,
}

/// Grants a body more time to submit its data.
pub async fn extend(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    request: NewExtension<'_>,
    now: &str,
) -> AppResult<Extension> {
    let NewExtension {
        year,
        body,
        until,
        reason,
    } = request;
    authorize(actor, Action::AdministerCycle)?;
    let calendar = store
        .cycle(year)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no {year} cycle is open")))?;
    if reason.trim().is_empty() {
        return Err(AppError::Invalid(vec![Problem::of(
            "reason",
            "an extension needs its reason",
        )]));
    }
    let registry = crate::assessment::registry(store).await?;
    if !registry
        .body(body)
        .is_some_and(|b| b.evaluated.contains(&year))
    {
        return Err(AppError::Invalid(vec![Problem::of(
            "body",
            format!(
                "`{}` is not evaluated in {year}",
                bagalau_core::checked::shown(body)
            ),
        )]));
    }
    let until = deadline(until).ok_or_else(|| {
        AppError::Invalid(vec![Problem::of(
            "until",
            format!(
                "`{}` is not a date (2024-02-25) or a date-time",
                bagalau_core::checked::shown(until)
            ),
        )])
    })?;
    cycle::may_extend(actor, until, &calendar, crate::naive(now)?)?;
    let extension = Extension {
        body: body.to_string(),
        until,
        granted_by: front.label(&actor.user),
        reason: reason.trim().to_string(),
    };
    let mut batch = crate::batch(front, actor, now, Some(extension.reason.clone()));
    batch.extensions.push((year, extension.clone()));
    store.apply(batch).await?;
    Ok(extension)
}

// ------------------------------------------------------------ where the cycle stands

/// A body's submission as the cycle shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionStanding {
    pub body: String,
    /// `draft` or `submitted`.
    pub state: &'static str,
    /// Its deadline, extensions included.
    pub deadline: chrono::NaiveDateTime,
}

/// A year's cycle: its calendar, the stage now, and the submissions the
/// actor may see.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleStanding {
    pub year: i32,
    /// `None` once the last stage has ended.
    pub stage: Option<Stage>,
    pub calendar: Calendar,
    pub submissions: Vec<SubmissionStanding>,
}

/// Where the year's cycle stands, as far as the actor sees (a reporter:
/// its own body's submission).
pub async fn standing(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    now: &str,
) -> AppResult<CycleStanding> {
    let sight = crate::permission::sight(actor)?;
    let calendar = open_calendar(store, year).await?;
    let extensions = store.extensions(year).await?;
    let submissions = store
        .submissions(year)
        .await?
        .into_iter()
        .filter(|(b, _)| sight.covers(b))
        .map(|(body, st)| SubmissionStanding {
            deadline: cycle::submission_deadline(&calendar, &extensions, &body),
            state: bagalau_store::state_text(st),
            body,
        })
        .collect();
    Ok(CycleStanding {
        year,
        stage: calendar.current(crate::naive(now)?),
        calendar,
        submissions,
    })
}

/// What accounts' duties in a year are worked out from, read once however
/// many accounts are asked about.
#[derive(Debug, Clone)]
pub struct Duties {
    calendar: Calendar,
    progress: cycle::ProgressData,
    recommendations: Vec<(i64, bagalau_core::recommendation::Recommendation)>,
    findings: Vec<(i64, bagalau_core::monitoring::Finding)>,
    monitoring_recommendations: Vec<(i64, bagalau_core::monitoring::ProjectRecommendation)>,
}

impl Duties {
    /// The year's cycle and progress, and every recommendation and
    /// public-monitoring item (they outlive their cycle).
    pub async fn load(store: &AnyStore, year: i32) -> AppResult<Duties> {
        let (calendar, progress) = bagalau_store::cycle_progress(store, year)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("no cycle is open for {year}")))?;
        Ok(Duties {
            calendar,
            progress,
            recommendations: store.recommendations(None).await?,
            findings: store.monitoring_findings(None).await?,
            monitoring_recommendations: store.monitoring_recommendations(None).await?,
        })
    }

    /// What `actor` has to do: in the cycle, on recommendations of any
    /// year, and on public monitoring (findings to reply to, monitoring
    /// recommendations), with deadlines, overdue ones flagged.
    pub fn of(&self, actor: &Actor, now: &str) -> AppResult<Vec<cycle::Due>> {
        let now = crate::naive(now)?;
        let mut items = cycle::due(actor, &self.calendar, &self.progress.view(), now);
        items.extend(bagalau_core::recommendation::due(
            actor,
            &self.recommendations,
            now,
        ));
        items.extend(bagalau_core::monitoring::due(
            actor,
            &self.findings,
            &self.monitoring_recommendations,
            now,
        ));
        Ok(items)
    }
}

/// What the actor has to do (see [`Duties::of`]).
pub async fn due(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    now: &str,
) -> AppResult<Vec<cycle::Due>> {
    Duties::load(store, year).await?.of(actor, now)
}
