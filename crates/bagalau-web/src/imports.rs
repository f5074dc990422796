//! The operational assessment's inputs through the API
//! (`bagalau_app::imports`): methodology packs, the registry of bodies and
//! reporting data, each file checked before anything is written and every
//! problem placed by file, line and column.

use crate::citizens::{FileText, FilesRequest, uploads};
use crate::{ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use bagalau_app::{FrontEnd, Upload};
use serde::{Deserialize, Serialize};

/// Files to import together (all or none), and why: kept with every
/// change on the audit trail (a pack replacing a published year's needs
/// it).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FilesWithReason {
    pub files: Vec<FileText>,
    pub reason: Option<String>,
}

/// One file, and why it is imported (kept on the audit trail).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FileWithReason {
    pub name: String,
    pub text: String,
    pub reason: Option<String>,
}

/// How many packs were kept: each a draft until it is adopted.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MethodologiesImported {
    pub packs: usize,
}

#[utoipa::path(post, path = "/api/v1/methodology/packs", request_body = FilesWithReason, security(("bearer" = [])),
    responses((status = 200, description = "Kept as drafts, each replacing its year's pack", body = MethodologiesImported),
        (status = 403, description = "Not a methodologist"),
        (status = 422, description = "Problems, each placed by file, line and column (a pack adopted for an open cycle, a published year's without a reason): nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_packs(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesWithReason>,
) -> ApiResult<Json<MethodologiesImported>> {
    let actor = actor(&state, &headers).await?;
    let packs = bagalau_app::imports::import_packs(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(MethodologiesImported { packs }))
}

/// The registry kept.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RegistryImported {
    pub bodies: usize,
}

#[utoipa::path(put, path = "/api/v1/registry", request_body = FileWithReason, security(("bearer" = [])),
    responses((status = 200, description = "Kept in place of the registry kept before", body = RegistryImported),
        (status = 403, description = "Not a coordinator"),
        (status = 422, description = "Problems, placed; or a registry the stored packs and values do not fit: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_registry(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(file): JsonBody<FileWithReason>,
) -> ApiResult<Json<RegistryImported>> {
    let actor = actor(&state, &headers).await?;
    let bodies = bagalau_app::imports::import_registry(
        &state.store,
        FrontEnd::Api,
        &actor,
        &Upload {
            name: file.name,
            text: file.text,
        },
        file.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(RegistryImported { bodies }))
}

/// What an import of values did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ValuesImportedView {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

#[utoipa::path(post, path = "/api/v1/data", request_body = FilesWithReason, security(("bearer" = [])),
    responses((status = 200, description = "Imported (the current assessment is recomputed when read)", body = ValuesImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No registry"),
        (status = 422, description = "Problems, each placed by file, line and column (a changed value of an approved year among them): nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_data(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesWithReason>,
) -> ApiResult<Json<ValuesImportedView>> {
    let actor = actor(&state, &headers).await?;
    let imported = bagalau_app::imports::import_data(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(ValuesImportedView {
        new: imported.new,
        changed: imported.changed,
        unchanged: imported.unchanged,
    }))
}

/// A methodology pack that passed the check.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PackCheckedView {
    pub file: String,
    pub id: String,
    pub year: i32,
    pub blocks: usize,
    pub criteria: usize,
    pub indicators: usize,
    pub sha256: String,
}

#[utoipa::path(post, path = "/api/v1/methodology/check", request_body = FilesRequest, security(("bearer" = [])),
    responses((status = 200, description = "Every pack is valid: what each holds (nothing is imported)", body = [PackCheckedView]),
        (status = 422, description = "Problems, each placed by file, line and column", body = crate::ProblemsView)))]
pub(crate) async fn check_packs(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesRequest>,
) -> ApiResult<Json<Vec<PackCheckedView>>> {
    // Any account: it reads nothing stored, but takes the server's time.
    actor(&state, &headers).await?;
    let files = uploads(req.files);
    let checked = tokio::task::spawn_blocking(move || bagalau_app::imports::check_packs(&files))
        .await
        .map_err(|e| crate::ApiError::Internal(format!("the check stopped: {e}")))??;
    Ok(Json(
        checked
            .into_iter()
            .map(|m| PackCheckedView {
                file: m.file,
                id: m.id,
                year: m.year,
                blocks: m.blocks,
                criteria: m.criteria,
                indicators: m.indicators,
                sha256: m.sha256,
            })
            .collect(),
    ))
}
