//! The Register of public services through the API
//! (`bagalau_app::services`): a coordinator imports it as CSV; anyone reads
//! what changed between two dates (the register is public). The
//! working-day calendar deadlines are counted on, with its additions.

use crate::citizens::FileText;
use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::{FrontEnd, Upload};
use bagalau_services::register::Change;
use serde::{Deserialize, Serialize};

/// What an import of the register did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RegisterImportedView {
    pub file: String,
    /// Versions of standards (a service whose standard changed on a date counts twice).
    pub versions: usize,
    pub services: usize,
    /// The same register was kept already.
    pub unchanged: bool,
}

#[utoipa::path(put, path = "/api/v1/services/register", request_body = FileText, security(("bearer" = [])),
    responses((status = 200, description = "Kept, replacing the register kept before", body = RegisterImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 422, description = "Problems, each placed by line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(file): JsonBody<FileText>,
) -> ApiResult<Json<RegisterImportedView>> {
    let actor = actor(&state, &headers).await?;
    let file = Upload::from(file);
    let imported = bagalau_app::services::import_register_csv(
        &state.store,
        FrontEnd::Api,
        &actor,
        &file,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(RegisterImportedView {
        file: imported.file,
        versions: imported.versions,
        services: imported.services,
        unchanged: imported.unchanged,
    }))
}

/// Between which dates.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ChangesQuery {
    /// The first date (YYYY-MM-DD).
    #[param(value_type = String, format = Date)]
    pub from: chrono::NaiveDate,
    /// The second date (YYYY-MM-DD).
    #[param(value_type = String, format = Date)]
    pub to: chrono::NaiveDate,
}

/// A field of a service's standard that differs.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// A service added, removed or changed between the two dates.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ServiceChange {
    pub service: String,
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// For a changed service, its fields that differ.
    pub fields: Vec<FieldChange>,
}

#[utoipa::path(get, path = "/api/v1/services/register/changes", params(ChangesQuery),
    responses((status = 200, description = "What changed in the register between the dates", body = [ServiceChange]),
        (status = 404, description = "No register is kept")))]
pub(crate) async fn changes(
    State(state): State<AppState>,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Json<Vec<ServiceChange>>> {
    let changes = bagalau_app::services::register_changes(&state.store, q.from, q.to).await?;
    Ok(Json(
        changes
            .into_iter()
            .map(|c| match c {
                Change::Added(service) => ServiceChange {
                    service,
                    change: "added".into(),
                    fields: vec![],
                },
                Change::Removed(service) => ServiceChange {
                    service,
                    change: "removed".into(),
                    fields: vec![],
                },
                Change::Changed(service, fields) => ServiceChange {
                    service,
                    change: "changed".into(),
                    fields: fields
                        .into_iter()
                        .map(|(field, before, after)| FieldChange {
                            field,
                            before,
                            after,
                        })
                        .collect(),
                },
            })
            .collect(),
    ))
}

/// What an import of calendar additions did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarImportedView {
    pub file: String,
    /// The same additions were kept already.
    pub unchanged: bool,
}

#[utoipa::path(put, path = "/api/v1/services/calendar", request_body = FileText, security(("bearer" = [])),
    responses((status = 200, description = "Kept, replacing the additions kept before; deadlines are counted with them from now on", body = CalendarImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 422, description = "Not a calendar file (the problem says where)", body = crate::ProblemsView)))]
pub(crate) async fn import_calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(file): JsonBody<FileText>,
) -> ApiResult<Json<CalendarImportedView>> {
    let actor = actor(&state, &headers).await?;
    let file = Upload::from(file);
    let imported = bagalau_app::services::import_calendar_additions(
        &state.store,
        FrontEnd::Api,
        &actor,
        &file,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(CalendarImportedView {
        file: imported.file,
        unchanged: imported.unchanged,
    }))
}

/// A day that is not a plain working day or weekend.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CalendarDayView {
    #[schema(value_type = String, format = Date)]
    pub date: chrono::NaiveDate,
    /// A weekend worked in exchange for a day off; otherwise a day off.
    pub working: bool,
    pub why: String,
}

#[utoipa::path(get, path = "/api/v1/services/calendar/{year}", params(("year" = i32, Path, description = "A year of four digits")),
    responses((status = 200, description = "The year's days off and worked weekends, in date order", body = [CalendarDayView]),
        (status = 404, description = "A movable holiday's date is not known for the year"),
        (status = 422, description = "Not a year of four digits", body = crate::ProblemsView)))]
pub(crate) async fn calendar(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult<Json<Vec<CalendarDayView>>> {
    let days = bagalau_app::services::calendar_days(&state.store, year).await?;
    Ok(Json(
        days.into_iter()
            .map(|d| CalendarDayView {
                date: d.date,
                working: d.working,
                why: d.why,
            })
            .collect(),
    ))
}
