//! Imports of delivery records through the API (`bagalau_app::records`):
//! the file streams to a temporary file (never whole in memory), the job
//! is kept in the store and answered at once (202), the import runs on the
//! blocking pool, and anyone allowed polls the job for its progress and
//! outcome, on any server of the same database.

use crate::{ApiError, ApiResult, AppState, actor};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bagalau_app::records::{ReceivedRecords, finish_import, import_file, start_import};
use bagalau_app::{AppError, FrontEnd};
use bagalau_store::RecordImport;
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;

/// The largest file of records one request takes (a month of a large
/// country's deliveries as CSV is well under it).
pub const RECORDS_LIMIT: u64 = 4 << 30;

/// The file sent.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct RecordsQuery {
    /// The file's name, ending in `.csv` or `.parquet`: its stem names the
    /// files the records are kept in, and a name already imported is
    /// refused (the job fails saying so), so the same records are not
    /// added twice.
    pub name: String,
    /// Import the good rows even when some are bad (default: all or nothing).
    pub keep_good_rows: Option<bool>,
}

/// Records added to a month.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MonthAddedView {
    pub year: i32,
    pub month: u32,
    pub records: u64,
}

/// A row not imported, placed by its line (a Parquet file's row number)
/// and column.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BadRecordView {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// An import of records, and where it stands.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecordImportView {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
    /// `csv` or `parquet`.
    pub format: String,
    pub requested_at: String,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// Rows read so far (a hint while running).
    pub rows_read: i64,
    pub finished_at: Option<String>,
    /// Done: whether the good rows went in.
    pub imported: Option<bool>,
    pub added: Vec<MonthAddedView>,
    pub bad_rows: usize,
    /// The first thousand bad rows.
    pub bad: Vec<BadRecordView>,
    /// Failed: why.
    pub error: Option<String>,
}

impl From<RecordImport> for RecordImportView {
    fn from(job: RecordImport) -> Self {
        let (outcome, error) = bagalau_app::records::outcome(&job);
        let outcome = outcome.unwrap_or_default();
        let done = job.state == "done";
        RecordImportView {
            imported: done.then_some(outcome.imported),
            added: outcome
                .added
                .into_iter()
                .map(|m| MonthAddedView {
                    year: m.year,
                    month: m.month,
                    records: m.records,
                })
                .collect(),
            bad_rows: outcome.bad_rows,
            bad: outcome
                .bad
                .into_iter()
                .map(|b| BadRecordView {
                    line: b.line,
                    column: b.column,
                    message: b.message,
                })
                .collect(),
            error,
            id: job.id,
            file_name: job.file_name,
            sha256: job.content_sha256,
            size: job.size,
            format: job.format,
            requested_at: job.requested_at,
            state: job.state,
            rows_read: job.rows_read,
            finished_at: job.finished_at,
        }
    }
}

/// Streams `body` into a new temporary file, hashing it; refuses one over
/// [`RECORDS_LIMIT`]. The writing happens on the blocking pool.
async fn receive(body: Body) -> ApiResult<(tempfile::NamedTempFile, String, u64)> {
    let internal = |e: std::io::Error| ApiError::Internal(format!("a temporary file: {e}"));
    let file = tempfile::NamedTempFile::new().map_err(internal)?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(16);
    let writer = tokio::task::spawn_blocking(
        move || -> std::io::Result<(tempfile::NamedTempFile, String, u64)> {
            let mut file = file;
            let mut hash = Sha256::new();
            let mut size = 0u64;
            {
                let mut out = std::io::BufWriter::new(file.as_file_mut());
                while let Some(chunk) = rx.blocking_recv() {
                    hash.update(&chunk);
                    size += chunk.len() as u64;
                    out.write_all(&chunk)?;
                }
                out.flush()?;
            }
            Ok((file, hex::encode(hash.finalize()), size))
        },
    );
    let mut body = body;
    let mut received = 0u64;
    let mut refused = None;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => {
                refused = Some(ApiError::Invalid(vec![format!(
                    "the body could not be read: {e}"
                )]));
                break;
            }
        };
        let Ok(chunk) = frame.into_data() else {
            continue;
        };
        received += chunk.len() as u64;
        if received > RECORDS_LIMIT {
            refused = Some(ApiError::TooLarge(format!(
                "a file of records takes at most {} GiB: send the months apart",
                RECORDS_LIMIT >> 30
            )));
            break;
        }
        if tx.send(chunk).await.is_err() {
            break;
        }
    }
    drop(tx);
    let written = writer
        .await
        .map_err(|e| ApiError::Internal(format!("writing the file: {e}")))?
        .map_err(internal)?;
    match refused {
        Some(e) => Err(e),
        None => Ok(written),
    }
}

#[utoipa::path(post, path = "/api/v1/services/records", params(RecordsQuery),
    request_body(content = String, description = "The file's bytes: CSV (text/csv) or Parquet (application/octet-stream), streamed", content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses((status = 202, description = "The import started; poll the job at its Location", body = RecordImportView),
        (status = 401, description = "No account"),
        (status = 403, description = "Neither an importer of a provider's records nor a coordinator"),
        (status = 413, description = "Over 4 GiB"),
        (status = 422, description = "Not a .csv or .parquet name, or one with other characters", body = crate::ProblemsView)))]
pub(crate) async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<RecordsQuery>,
    body: Body,
) -> ApiResult<Response> {
    let actor = actor(&state, &headers).await?;
    // The cheap refusals before a byte is read.
    bagalau_app::records::may_import(&actor, &query.name)?;
    let (file, sha256, size) = receive(body).await?;
    let received = ReceivedRecords {
        file_name: query.name.clone(),
        sha256,
        size,
    };
    let id = hex::encode(crate::random_bytes::<16>()?);
    let job = start_import(
        &state.store,
        FrontEnd::Api,
        &actor,
        &received,
        &id,
        &(state.clock)(),
    )
    .await?;
    let keep_good_rows = query.keep_good_rows.unwrap_or(false);
    tokio::spawn(run(state.clone(), actor, job.clone(), file, keep_good_rows));
    let location = format!("/api/v1/services/records/imports/{}", job.id);
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(RecordImportView::from(job)),
    )
        .into_response())
}

/// Runs a started import to its end, its job showing its progress, and
/// records how it ended.
async fn run(
    state: AppState,
    actor: bagalau_app::Actor,
    job: RecordImport,
    file: tempfile::NamedTempFile,
    keep_good_rows: bool,
) {
    let ran = match tempfile::Builder::new()
        .suffix(".quarantine.csv")
        .tempfile()
    {
        Err(e) => Err(AppError::Internal(format!("a temporary file: {e}"))),
        Ok(quarantine) => {
            let clock = state.clock.clone();
            import_file(
                &state.store,
                state.records.clone(),
                &actor,
                &job,
                file.path().to_path_buf(),
                keep_good_rows,
                quarantine.path().to_path_buf(),
                move || clock(),
                |_| {},
            )
            .await
        }
    };
    drop(file);
    if let Err(e) = finish_import(
        &state.store,
        FrontEnd::Api,
        &actor,
        &job,
        &ran,
        &(state.clock)(),
    )
    .await
    {
        tracing::error!(
            job = job.id,
            "cannot record the end of an import of records: {e}"
        );
    }
}

#[utoipa::path(get, path = "/api/v1/services/records/imports/{id}",
    params(("id" = String, Path, description = "The job's id, as the import answered")),
    security(("bearer" = [])),
    responses((status = 200, description = "Where the import stands, and its outcome once done", body = RecordImportView),
        (status = 401, description = "No account"),
        (status = 404, description = "No such import, or not one the account may see")))]
pub(crate) async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<RecordImportView>> {
    let actor = actor(&state, &headers).await?;
    let job = bagalau_app::records::import_status(
        &state.store,
        state.records.as_ref(),
        FrontEnd::Api,
        &actor,
        &id,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(job.into()))
}
