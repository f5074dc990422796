//! The cycle's administration through the API (`bagalau_app::cycle`):
//! a coordinator opens a year's cycle with its calendar, changes the
//! calendar with a reason, and grants extensions. Thin handlers over the
//! application's use cases.

use crate::{ApiResult, AppState, actor};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use bagalau_app::FrontEnd;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A year's calendar: a deadline per stage.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CalendarRequest {
    /// `submission`, `verification`, `preliminary`, `objections`, `final`,
    /// `commission`, each a date (open until its end) or a date and time (UTC).
    pub deadlines: BTreeMap<String, String>,
    /// Needed to change the calendar of an open cycle.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The calendar in force.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    pub year: i32,
    /// Each stage's deadline (UTC).
    pub deadlines: BTreeMap<String, String>,
}

/// An extension of a body's submission deadline.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ExtensionRequest {
    pub body: String,
    /// A date (until its end) or a date and time (UTC), before the
    /// verification deadline.
    pub until: String,
    pub reason: String,
}

/// A granted extension.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ExtensionView {
    pub year: i32,
    pub body: String,
    pub until: String,
    pub granted_by: String,
    pub reason: String,
}

#[utoipa::path(put, path = "/api/v1/cycles/{year}/calendar", params(("year" = i32, Path)), request_body = CalendarRequest, security(("bearer" = [])),
    responses((status = 200, description = "The cycle is open with this calendar", body = CalendarView),
        (status = 403, description = "Not a coordinator"), (status = 404, description = "No methodology for the year"),
        (status = 409, description = "The year is approved, or its methodology is a draft"),
        (status = 422, description = "A bad calendar, or a change without a reason")))]
pub(crate) async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Json(req): Json<CalendarRequest>,
) -> ApiResult<Json<CalendarView>> {
    let actor = actor(&state, &headers).await?;
    bagalau_app::permission::authorize(&actor, bagalau_app::permission::Action::AdministerCycle)?;
    let calendar = bagalau_app::cycle::calendar(
        "deadlines",
        req.deadlines.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    )
    .map_err(bagalau_app::AppError::Invalid)?;
    let calendar = bagalau_app::cycle::open(
        &state.store,
        FrontEnd::Api,
        &actor,
        year,
        calendar,
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(CalendarView {
        year,
        deadlines: calendar
            .deadlines
            .iter()
            .map(|(stage, at)| {
                (
                    serde_json::to_value(stage)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                )
            })
            .collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/extensions", params(("year" = i32, Path)), request_body = ExtensionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Granted", body = ExtensionView),
        (status = 403, description = "Not a coordinator"), (status = 404, description = "No cycle for the year"),
        (status = 409, description = "Not before the verification deadline, or not in the future"),
        (status = 422, description = "A body not evaluated that year, a bad date, or no reason")))]
pub(crate) async fn extend(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Json(req): Json<ExtensionRequest>,
) -> ApiResult<Json<ExtensionView>> {
    let actor = actor(&state, &headers).await?;
    let e = bagalau_app::cycle::extend(
        &state.store,
        FrontEnd::Api,
        &actor,
        bagalau_app::cycle::NewExtension {
            year,
            body: &req.body,
            until: &req.until,
            reason: &req.reason,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(ExtensionView {
        year,
        body: e.body,
        until: e.until.format("%Y-%m-%dT%H:%M:%S").to_string(),
        granted_by: e.granted_by,
        reason: e.reason,
    }))
}

/// A verification draw.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SelectionRequest {
    /// How many of the riskiest bodies to select.
    pub top: usize,
    /// How many more to draw in the seed's order.
    pub draw: usize,
    /// The draw's seed, announced beforehand so that anyone can repeat it.
    pub seed: u64,
    /// Needed to replace a kept selection.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A body selected for verification, with its risk.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SelectedBody {
    pub body: String,
    /// `risk` or `draw`.
    pub by: String,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// The kept selection.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SelectionView {
    pub year: i32,
    pub seed: u64,
    /// How many bodies were scored.
    pub scored: usize,
    pub selected: Vec<SelectedBody>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/verification", params(("year" = i32, Path)), request_body = SelectionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Drawn and kept: the same seed and data give the same selection", body = SelectionView),
        (status = 403, description = "Not a coordinator"), (status = 404, description = "No cycle for the year"),
        (status = 409, description = "The year is approved"), (status = 422, description = "A new draw without a reason")))]
pub(crate) async fn select(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Json(req): Json<SelectionRequest>,
) -> ApiResult<Json<SelectionView>> {
    let actor = actor(&state, &headers).await?;
    let draw = bagalau_app::verification::Draw {
        year,
        top: req.top,
        draw: req.draw,
        seed: req.seed,
    };
    let (scored, rows) = bagalau_app::verification::select(
        &state.store,
        FrontEnd::Api,
        &actor,
        draw,
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(SelectionView {
        year,
        seed: req.seed,
        scored,
        selected: rows
            .into_iter()
            .map(|r| SelectedBody {
                body: r.body,
                by: r.by,
                score: r.score,
                reasons: r.reasons,
            })
            .collect(),
    }))
}
