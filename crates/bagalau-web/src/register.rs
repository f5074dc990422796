//! The Register of public services through the API
//! (`bagalau_app::services`): a coordinator imports it as CSV; anyone reads
//! what changed between two dates (the register is public).

use crate::citizens::FileText;
use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Query, State};
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
    let file = Upload {
        name: file.name,
        text: file.text,
    };
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
