//! The HTTP JSON API, versioned under `/api/v1`, described by the OpenAPI
//! document at `/api/v1/openapi.json`.
//!
//! Every endpoint decides who may see what: published snapshots are public;
//! anything unpublished needs a bearer token of an account whose roles cover
//! it (a reporter sees its own body only). Time is a parameter of the router
//! (`Clock`), so token expiry is testable.

mod accounts;
mod audit_log;
mod citizens;
mod corrections;
mod cycle_admin;
mod imports;
mod index;
mod indicators;
pub mod monitoring;
pub mod pages;
mod performance;
mod ratings;
mod recommendations;
mod records;
mod register;
pub mod workspace;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bagalau_app::permission::Sight;
use bagalau_core::accounts::token_hash;
use bagalau_core::cycle::{self, Actor, CycleError, Role};
use bagalau_core::data;
use bagalau_core::refusal::Refusal;
use bagalau_services::deliveries::DeliveryRecords;
use bagalau_store::files::{FileError, FileStore};
use bagalau_store::{AnyStore, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::sync::Arc;
use utoipa::OpenApi;

mod signin;
pub use signin::{ClientAddress, ClientAddressFrom};
pub(crate) use signin::{SESSION_HOURS, open_session};

/// The current time as RFC 3339, injected so tests control it.
pub type Clock = Arc<dyn Fn() -> String + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub store: AnyStore,
    pub clock: Clock,
    /// Where evidence files are kept.
    pub files: FileStore,
    /// The delivery records of public services, as the analytical engine
    /// counts them (wired in by the binary: this crate never builds the
    /// engine).
    pub records: Arc<dyn DeliveryRecords>,
}

/// A server that keeps no delivery records: every year has none.
pub fn no_records() -> Arc<dyn DeliveryRecords> {
    Arc::new(bagalau_services::deliveries::NoRecords)
}

/// An API error: a status and a message, sent as `{"error": "…"}`; a
/// refusal by the rules also as `"refusal": {"code": "…", …parameters}`, so
/// clients can say it in their own language.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("authentication required: send `Authorization: Bearer <token>`")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(Refusal),
    #[error("{0}")]
    Conflict(Refusal),
    /// The cycle's rules said no: 403 for who, 409 for when and what state.
    #[error("{0}")]
    Rule(CycleError),
    #[error("invalid input: {}", .0.join("; "))]
    Invalid(Vec<String>),
    /// Invalid input with each problem placed (file, line, column).
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Problems(Vec<bagalau_app::Problem>),
    /// A field that may not be left empty.
    #[error("invalid input: {field}: {refusal}")]
    Required {
        field: &'static str,
        refusal: Refusal,
    },
    #[error("{0}")]
    TooLarge(String),
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: i64 },
    /// Too much work in hand (logins being checked): try again shortly.
    #[error("the server is busy: try again in a moment")]
    Busy,
    #[error("wrong account name or password")]
    WrongLogin,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<CycleError> for ApiError {
    fn from(e: CycleError) -> Self {
        ApiError::Rule(e)
    }
}

impl ApiError {
    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Rule(CycleError::Forbidden(_) | CycleError::Duties(_)) => {
                StatusCode::FORBIDDEN
            }
            ApiError::Rule(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) | ApiError::Problems(_) | ApiError::Required { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::WrongLogin => StatusCode::UNAUTHORIZED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Why, as data, when the rules refused.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            ApiError::Forbidden(r) | ApiError::Conflict(r) => Some(r.clone()),
            ApiError::Required { refusal, .. } => Some(refusal.clone()),
            ApiError::Rule(e) => e.refusal(),
            _ => None,
        }
    }
}

impl From<FileError> for ApiError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::TooLarge { .. } => ApiError::TooLarge(e.to_string()),
            FileError::Io { .. } | FileError::Blob(_) => ApiError::Internal(e.to_string()),
            _ => ApiError::Invalid(vec![e.to_string()]),
        }
    }
}

impl From<bagalau_app::AppError> for ApiError {
    fn from(e: bagalau_app::AppError) -> Self {
        use bagalau_app::AppError as E;
        match e {
            E::Unauthenticated => ApiError::Unauthenticated,
            E::Forbidden(r) => ApiError::Forbidden(r),
            E::Conflict(r) => ApiError::Conflict(r),
            E::Rule(r) => ApiError::Rule(r),
            E::Invalid(problems) => ApiError::Problems(problems),
            E::Required { field, refusal } => ApiError::Required { field, refusal },
            E::NotFound(what) => ApiError::NotFound(what),
            E::TooLarge(what) => ApiError::TooLarge(what),
            E::WrongLogin => ApiError::WrongLogin,
            E::TooManyAttempts { seconds } => ApiError::TooManyRequests {
                message: format!(
                    "too many failed logins for this name or from this address: try again in {seconds} s"
                ),
                retry_after: seconds,
            },
            E::Busy => ApiError::Busy,
            E::Store(e) => ApiError::Internal(e.to_string()),
            E::Internal(e) => ApiError::Internal(e),
        }
    }
}

impl From<bagalau_store::StoreError> for ApiError {
    fn from(e: bagalau_store::StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        // What went wrong inside (paths, database messages) goes to the
        // log, under an incident number the client is given instead.
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR {
            let incident = random_bytes::<4>().map(hex::encode).unwrap_or_default();
            tracing::error!(incident, "{self}");
            format!("internal error (incident {incident}): the details are in the server's log")
        } else {
            self.to_string()
        };
        let mut body = json!({ "error": message });
        if let Some(refusal) = self.refusal() {
            body["refusal"] = json!(refusal);
        }
        if let ApiError::Required { field, .. } = &self {
            body["field"] = json!(field);
        }
        // Every invalid input is answered with its problems, placed where
        // the input says where (a file's line and column, a field).
        match &self {
            ApiError::Problems(problems) => body["problems"] = json!(problems),
            ApiError::Invalid(messages) => {
                let problems: Vec<bagalau_app::Problem> = messages
                    .iter()
                    .map(|m| bagalau_app::Problem::of("request", m.clone()))
                    .collect();
                body["problems"] = json!(problems);
            }
            ApiError::Required { field, refusal } => {
                body["problems"] = json!([bagalau_app::Problem::of(field, refusal.to_string())]);
            }
            _ => {}
        }
        let mut r = (status, Json(body)).into_response();
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            ApiError::Busy => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        r
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose shape is wrong is answered as every invalid input
/// is, `422` with the problem placed (`ProblemsView`); the body that cannot
/// be read at all, or is not JSON, keeps axum's answer (400, 413, 415).
pub(crate) struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        match <Json<T> as axum::extract::FromRequest<S>>::from_request(req, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(axum::extract::rejection::JsonRejection::JsonDataError(e)) => Err(
                ApiError::Problems(vec![bagalau_app::Problem::of("body", e.body_text())])
                    .into_response(),
            ),
            Err(other) => Err(other.into_response()),
        }
    }
}

/// Invalid input: the message, and each problem where it is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemsView {
    pub error: String,
    pub problems: Vec<ProblemView>,
}

/// A problem of some input: the file or field, the line and the column
/// when known.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProblemView {
    pub source: String,
    pub line: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

/// Bytes from the operating system's randomness (tokens, ids, salts).
pub(crate) fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| ApiError::Internal(format!("no randomness from the operating system: {e}")))?;
    Ok(bytes)
}

/// A text field that may not be blank: checked before the request's other
/// contents (after the rules), so a person who left it empty learns that first.
fn required(field: &'static str, value: &str, refusal: Refusal) -> ApiResult<()> {
    if value.trim().is_empty() {
        Err(ApiError::Required { field, refusal })
    } else {
        Ok(())
    }
}

/// The account behind the request's bearer token, if any.
async fn caller(state: &AppState, headers: &HeaderMap) -> ApiResult<Option<Actor>> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthenticated)?;
    Ok(Some(
        bagalau_app::identity::actor_for_token(&state.store, token, &(state.clock)()).await?,
    ))
}

/// The stored registry of bodies (`bagalau_app::assessment::registry`).
async fn stored_registry(state: &AppState) -> ApiResult<bagalau_core::registry::Registry> {
    Ok(bagalau_app::assessment::registry(&state.store).await?)
}

/// The stored methodology of a year (`bagalau_app::assessment::methodology`).
async fn stored_pack(state: &AppState, year: i32) -> ApiResult<bagalau_core::pack::Methodology> {
    Ok(bagalau_app::assessment::methodology(&state.store, year).await?)
}

async fn sight(state: &AppState, headers: &HeaderMap) -> ApiResult<Sight> {
    let actor = caller(state, headers)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(bagalau_app::permission::sight(&actor)?)
}

/// That the service answers, and its version.
#[derive(Serialize, utoipa::ToSchema)]
pub struct HealthView {
    /// `ok`.
    pub status: &'static str,
    pub version: &'static str,
}

#[utoipa::path(get, path = "/api/v1/health", responses((status = 200, description = "The service answers", body = HealthView)))]
async fn health() -> Json<HealthView> {
    Json(HealthView {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// A published version of a year's results, as the public is told of it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicationView {
    pub year: i32,
    pub version: i32,
    /// SHA-256 of the frozen content (`GET /api/v1/published/{year}/{version}`).
    pub content_sha256: String,
    pub published_at: String,
    /// The institution: `commission` (approved by the Assessment
    /// Commission) or `operator` (published from the command line).
    pub published_by: String,
    /// Why a version after the first corrected the one before.
    pub reason: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/published", responses((status = 200, description = "Every published version: year, version, sha256, when, by which institution (`commission` or `operator`), why", body = [PublicationView])))]
async fn published(State(state): State<AppState>) -> ApiResult<Json<Vec<PublicationView>>> {
    let list = state
        .store
        .publications(None)
        .await?
        .iter()
        .map(|p| {
            let p = p.for_the_public();
            PublicationView {
                year: p.year,
                version: p.version,
                content_sha256: p.content_sha256,
                published_at: p.published_at,
                published_by: p.published_by,
                reason: p.reason,
            }
        })
        .collect();
    Ok(Json(list))
}

#[utoipa::path(get, path = "/api/v1/published/{year}", params(("year" = i32, Path, description = "Assessment year")),
    responses((status = 200, description = "The latest published version of the year"), (status = 404, description = "Nothing published for that year")))]
async fn published_latest(
    State(state): State<AppState>,
    Path(year): Path<i32>,
) -> ApiResult<Response> {
    let latest = state
        .store
        .publications(Some(year))
        .await?
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("nothing is published for {year}")))?;
    published_version(State(state), Path((year, latest.version))).await
}

#[utoipa::path(get, path = "/api/v1/published/{year}/{version}", params(("year" = i32, Path), ("version" = i32, Path)),
    responses((status = 200, description = "One published version, exactly as frozen"), (status = 404, description = "No such version")))]
async fn published_version(
    State(state): State<AppState>,
    Path((year, version)): Path<(i32, i32)>,
) -> ApiResult<Response> {
    let content = state
        .store
        .publication_content(year, version)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("{year} has no published version {version}")))?;
    // The frozen bytes are served as they were published.
    Ok(([(header::CONTENT_TYPE, "application/json")], content).into_response())
}

/// A checkpoint or keys as text, for anyone to keep and check.
fn plain_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

#[utoipa::path(get, path = "/api/v1/audit/checkpoint",
    responses((status = 200, description = "The audit trail's latest signed checkpoint (a C2SP signed note): keep it, and `bagalau audit verify --checkpoint` later shows whether the trail was only appended to", content_type = "text/plain"),
              (status = 404, description = "The trail is not signed")))]
async fn audit_checkpoint(State(state): State<AppState>) -> ApiResult<Response> {
    let (_, note) = state
        .store
        .latest_audit_checkpoint()
        .await?
        .ok_or_else(|| ApiError::NotFound("the audit trail has no signed checkpoint".into()))?;
    Ok(plain_text(note))
}

#[utoipa::path(get, path = "/api/v1/audit/public-keys",
    responses((status = 200, description = "The public keys the audit trail's checkpoints are signed with, one per line, the current one first", content_type = "text/plain"),
              (status = 404, description = "No audit key is configured")))]
async fn audit_public_keys(State(state): State<AppState>) -> ApiResult<Response> {
    let keys = state.store.audit_keys().public();
    if keys.is_empty() {
        return Err(ApiError::NotFound("no audit key is configured".into()));
    }
    Ok(plain_text(keys.join("\n") + "\n"))
}

#[utoipa::path(get, path = "/api/v1/published/{year}/{version}/checkpoint", params(("year" = i32, Path), ("version" = i32, Path)),
    responses((status = 200, description = "The audit trail's checkpoint signed at the write that published this version", content_type = "text/plain"),
              (status = 404, description = "No such version, or it was published before the trail was signed")))]
async fn published_checkpoint(
    State(state): State<AppState>,
    Path((year, version)): Path<(i32, i32)>,
) -> ApiResult<Response> {
    let note = state
        .store
        .publication_checkpoint(year, version)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("{year} version {version} has no signed checkpoint"))
        })?;
    Ok(plain_text(note))
}

/// The caller's account and roles.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MeView {
    pub name: String,
    /// As written on the account (`reporter:minfin`, `coordinator`…).
    pub roles: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])),
    responses((status = 200, description = "The caller's account and roles", body = MeView), (status = 401, description = "No or an invalid token")))]
async fn me(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<MeView>> {
    let actor = caller(&state, &headers)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    Ok(Json(MeView {
        name: actor.user,
        roles: actor.roles.iter().map(Role::to_text).collect(),
    }))
}

/// A body's place in a year's results.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ResultRowView {
    pub body: String,
    /// `central` or `regional`.
    #[schema(value_type = String)]
    pub kind: bagalau_core::Kind,
    /// Null when nothing could be counted.
    pub total: Option<f64>,
    pub rank: Option<u32>,
    pub band: Option<String>,
}

/// A year's current, unpublished results.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssessmentView {
    pub year: i32,
    /// Always false: published results are under `/api/v1/published`.
    pub published: bool,
    /// Computed from demonstration data, not real results.
    pub demonstration: bool,
    pub methodology_sha256: String,
    pub inputs_sha256: String,
    pub results: Vec<ResultRowView>,
}

#[utoipa::path(get, path = "/api/v1/assessments/{year}", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The current, unpublished results the caller may see (a reporter: its own body)", body = AssessmentView),
        (status = 401, description = "No or an invalid token"), (status = 403, description = "No role that sees unpublished results"),
        (status = 404, description = "No registry, or no methodology for the year")))]
async fn assessment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<AssessmentView>> {
    let actor = actor(&state, &headers).await?;
    let a = bagalau_app::assessment::unpublished(&state.store, &actor, year).await?;
    Ok(Json(AssessmentView {
        year,
        published: false,
        demonstration: a.demonstration,
        methodology_sha256: a.pack_hash,
        inputs_sha256: a.input_hash,
        results: a
            .results
            .into_iter()
            .map(|r| ResultRowView {
                body: r.body,
                kind: r.kind,
                total: r.total,
                rank: r.rank,
                band: r.band,
            })
            .collect(),
    }))
}

/// One body's current, unpublished result.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BodyResultView {
    pub year: i32,
    pub published: bool,
    pub demonstration: bool,
    /// The body's total, rank and band with its explanation tree (blocks,
    /// directions, criteria and indicators, each with its points and why).
    #[schema(value_type = Object)]
    pub result: bagalau_core::score::BodyResult,
}

#[utoipa::path(get, path = "/api/v1/assessments/{year}/bodies/{body}", params(("year" = i32, Path), ("body" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "One body's current explanation tree", body = BodyResultView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Another body's unpublished results"), (status = 404, description = "No result for the body")))]
async fn assessment_body(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
) -> ApiResult<Json<BodyResultView>> {
    let actor = actor(&state, &headers).await?;
    let mut a =
        bagalau_app::assessment::unpublished_body(&state.store, &actor, year, &body).await?;
    let result = a
        .results
        .pop()
        .ok_or_else(|| ApiError::NotFound(format!("no result for `{body}` in {year}")))?;
    Ok(Json(BodyResultView {
        year,
        published: false,
        demonstration: a.demonstration,
        result,
    }))
}

/// The calendar of the year's cycle, or 404 when none is open.
async fn open_cycle(state: &AppState, year: i32) -> ApiResult<cycle::Calendar> {
    Ok(bagalau_app::cycle::open_calendar(&state.store, year).await?)
}

fn now_naive(state: &AppState) -> ApiResult<chrono::NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(&(state.clock)())
        .map(|t| t.naive_utc())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// A body's submission as the cycle shows it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionStandingView {
    pub body: String,
    /// `draft` or `submitted`.
    pub state: String,
    /// Its deadline, extensions included.
    #[schema(value_type = String)]
    pub deadline: chrono::NaiveDateTime,
}

/// Where a year's cycle stands.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CycleView {
    pub year: i32,
    /// The stage now (`submission`, `verification`, `preliminary`,
    /// `objections`, `final`, `commission`); null once the last has ended.
    #[schema(value_type = Option<String>)]
    pub stage: Option<cycle::Stage>,
    /// Each stage's deadline.
    #[schema(value_type = BTreeMap<String, String>)]
    pub calendar: std::collections::BTreeMap<cycle::Stage, chrono::NaiveDateTime>,
    /// The submissions the caller may see.
    pub submissions: Vec<SubmissionStandingView>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The calendar, the current stage, and the submissions the caller may see", body = CycleView),
        (status = 401, description = "No or an invalid token"), (status = 404, description = "No cycle open for the year")))]
async fn cycle_view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<CycleView>> {
    let actor = actor(&state, &headers).await?;
    let standing =
        bagalau_app::cycle::standing(&state.store, &actor, year, &(state.clock)()).await?;
    Ok(Json(CycleView {
        year,
        stage: standing.stage,
        calendar: standing.calendar.deadlines,
        submissions: standing
            .submissions
            .into_iter()
            .map(|s| SubmissionStandingView {
                body: s.body,
                state: s.state.to_string(),
                deadline: s.deadline,
            })
            .collect(),
    }))
}

/// One reported value in a submission.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SubmittedValue {
    pub indicator: String,
    /// `null` reports "no data".
    pub value: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A submission: values to save, and whether to submit (else a draft).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SubmissionRequest {
    pub values: Vec<SubmittedValue>,
    #[serde(default)]
    pub submit: bool,
    /// SHA-256 of evidence files the caller uploaded (`POST /api/v1/evidence`), attached to the submission.
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/submissions/{body}", params(("year" = i32, Path), ("body" = String, Path)),
    request_body = SubmissionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Saved as a draft, or submitted", body = SubmissionView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of that body"), (status = 404, description = "No cycle open for the year"),
        (status = 409, description = "Past the deadline, or already submitted"),
        (status = 422, description = "A value that does not fit the methodology, placed on `values[i]` with its indicator as the column; nothing was saved", body = ProblemsView)))]
async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
    JsonBody(req): JsonBody<SubmissionRequest>,
) -> ApiResult<Json<SubmissionView>> {
    let actor = actor(&state, &headers).await?;
    Ok(Json(
        save_submission(&state, &actor, year, body, req).await?,
    ))
}

/// Saves a submission through the application core, as the API answers it.
async fn save_submission(
    state: &AppState,
    actor: &Actor,
    year: i32,
    body: String,
    req: SubmissionRequest,
) -> ApiResult<SubmissionView> {
    let count = req.values.len();
    let saved = bagalau_app::submissions::save(
        &state.store,
        bagalau_app::FrontEnd::Api,
        actor,
        year,
        &body,
        req.into(),
        &(state.clock)(),
    )
    .await?;
    Ok(SubmissionView {
        body,
        year,
        state: bagalau_store::state_text(saved.state).to_string(),
        values: count,
        new: saved.counts.values_new,
        changed: saved.counts.values_changed,
        unchanged: saved.counts.values_unchanged,
    })
}

impl From<SubmissionRequest> for bagalau_app::submissions::Submitting {
    fn from(req: SubmissionRequest) -> Self {
        bagalau_app::submissions::Submitting {
            values: req.values.into_iter().map(Into::into).collect(),
            submit: req.submit,
            evidence: req.evidence,
        }
    }
}

impl From<SubmittedValue> for bagalau_app::submissions::ReportedValue {
    fn from(v: SubmittedValue) -> Self {
        bagalau_app::submissions::ReportedValue {
            indicator: v.indicator,
            value: v.value,
            note: v.note,
        }
    }
}

/// A submission saved: its state and what changed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SubmissionView {
    pub body: String,
    pub year: i32,
    /// `draft` or `submitted`.
    pub state: String,
    /// Values sent.
    pub values: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// Whether the actor may save or submit the body's data now: run before
/// an upload is read (`bagalau_app::submissions::may_submit`).
pub(crate) async fn check_may_submit(
    state: &AppState,
    actor: &Actor,
    year: i32,
    body: &str,
) -> ApiResult<()> {
    Ok(
        bagalau_app::submissions::may_submit(&state.store, actor, year, body, &(state.clock)())
            .await?,
    )
}

/// Reads a returned workbook on a blocking thread (it is CPU work on
/// untrusted input, bounded by `bagalau_xlsx::bounded`), so the server's
/// request threads stay free.
pub(crate) async fn read_workbook(
    m: bagalau_core::pack::Methodology,
    registry: bagalau_core::registry::Registry,
    body: String,
    bytes: axum::body::Bytes,
) -> ApiResult<Result<Vec<data::Observation>, Vec<bagalau_xlsx::CellProblem>>> {
    tokio::task::spawn_blocking(move || bagalau_xlsx::read(&m, &registry, &body, &bytes))
        .await
        .map_err(|e| ApiError::Internal(format!("reading a workbook: {e}")))
}

async fn actor(state: &AppState, headers: &HeaderMap) -> ApiResult<Actor> {
    caller(state, headers)
        .await?
        .ok_or(ApiError::Unauthenticated)
}

fn write_batch(state: &AppState, actor: &Actor) -> bagalau_store::ImportBatch {
    bagalau_store::ImportBatch {
        at: (state.clock)(),
        actor: format!("api:{}", actor.user),
        ..Default::default()
    }
}

/// A conclusion on a direction for a body.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConclusionRequest {
    pub direction: String,
    pub body: String,
    pub text: String,
    #[serde(default)]
    pub r#final: bool,
}

/// A conclusion written.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConclusionWrittenView {
    pub year: i32,
    pub direction: String,
    pub body: String,
    pub r#final: bool,
    pub author: String,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/conclusions", params(("year" = i32, Path)), request_body = ConclusionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Written", body = ConclusionWrittenView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not an assessor of the direction, or the body assessing itself"),
        (status = 404, description = "No cycle open, or no methodology for the year"), (status = 409, description = "Outside the stage"),
        (status = 422, description = "Unknown direction or body, or no text", body = ProblemsView)))]
async fn conclude(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    JsonBody(req): JsonBody<ConclusionRequest>,
) -> ApiResult<Json<ConclusionWrittenView>> {
    let actor = actor(&state, &headers).await?;
    let c = bagalau_app::opinions::conclude(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        &bagalau_app::opinions::Concluding {
            direction: req.direction,
            body: req.body,
            text: req.text,
            is_final: req.r#final,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(ConclusionWrittenView {
        year,
        direction: c.direction,
        body: c.body,
        r#final: c.is_final,
        author: c.author,
    }))
}

/// An objection to a preliminary conclusion, on one criterion.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ObjectionRequest {
    pub body: String,
    pub direction: String,
    pub criterion: String,
    pub statement: String,
    /// SHA-256 of supporting files the caller uploaded (`POST /api/v1/evidence`).
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/objections", params(("year" = i32, Path)), request_body = ObjectionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Filed", body = ObjectionStepView), (status = 401, description = "No or an invalid token"), (status = 403, description = "Not a reporter of the body"),
        (status = 409, description = "No preliminary conclusion, or outside the objection stage"), (status = 422, description = "Unknown criterion")))]
async fn object(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    JsonBody(req): JsonBody<ObjectionRequest>,
) -> ApiResult<Json<ObjectionStepView>> {
    let actor = actor(&state, &headers).await?;
    let filed = bagalau_app::objections::file(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        bagalau_app::objections::Filing {
            body: req.body,
            direction: req.direction,
            criterion: req.criterion,
            statement: req.statement,
            evidence: req.evidence,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(filed.into()))
}

/// An objection after a step: its id and state.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ObjectionStepView {
    pub id: i64,
    /// `filed`, `accepted`, `rejected`, `escalated`, `upheld` or `dismissed`.
    pub state: String,
    /// Present when an acceptance corrected values (the year is rescored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected: Option<bool>,
}

impl From<bagalau_app::objections::Stepped> for ObjectionStepView {
    fn from(s: bagalau_app::objections::Stepped) -> Self {
        ObjectionStepView {
            id: s.id,
            state: bagalau_store::objection_state_text(s.state).to_string(),
            corrected: s.corrected.then_some(true),
        }
    }
}

/// A decision on an objection, or the commission's ruling.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionRequest {
    /// Accept (decision) or uphold (ruling).
    pub accept: bool,
    pub reason: String,
    /// With an acceptance: corrected values of the objected criterion's
    /// indicators; the year is rescored from them, the old values stay on record.
    #[serde(default)]
    pub corrections: Vec<SubmittedValue>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/objections/{id}/decision", params(("year" = i32, Path), ("id" = i64, Path)), request_body = DecisionRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Decided", body = ObjectionStepView), (status = 403, description = "Not an assessor of the direction, or the author of the conclusion"),
        (status = 404, description = "No such objection"), (status = 409, description = "Already decided, no reason, or too late")))]
async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, id)): Path<(i32, i64)>,
    JsonBody(req): JsonBody<DecisionRequest>,
) -> ApiResult<Json<ObjectionStepView>> {
    let actor = actor(&state, &headers).await?;
    let corrections = req
        .corrections
        .into_iter()
        .map(|v| bagalau_app::objections::CorrectedValue {
            indicator: v.indicator,
            value: v.value,
            note: v.note,
        })
        .collect();
    let decided = bagalau_app::objections::decide(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        id,
        req.accept,
        &req.reason,
        corrections,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(decided.into()))
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/objections/{id}/escalation", params(("year" = i32, Path), ("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Taken to the commission", body = ObjectionStepView), (status = 403, description = "Not a reporter of the body"),
        (status = 409, description = "Not a rejected objection, or too late")))]
async fn escalate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, id)): Path<(i32, i64)>,
) -> ApiResult<Json<ObjectionStepView>> {
    let actor = actor(&state, &headers).await?;
    let stepped = bagalau_app::objections::escalate(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        id,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(stepped.into()))
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/objections/{id}/ruling", params(("year" = i32, Path), ("id" = i64, Path)), request_body = DecisionRequest,
    security(("bearer" = [])),
    responses((status = 200, description = "Ruled", body = ObjectionStepView), (status = 403, description = "Not a commission member"), (status = 409, description = "Not escalated, or no reason")))]
async fn ruling(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, id)): Path<(i32, i64)>,
    JsonBody(req): JsonBody<DecisionRequest>,
) -> ApiResult<Json<ObjectionStepView>> {
    let actor = actor(&state, &headers).await?;
    let stepped = bagalau_app::objections::rule(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        id,
        req.accept,
        &req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(stepped.into()))
}

/// An objection, as far as the caller may see it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ObjectionView {
    pub id: i64,
    pub body: String,
    pub direction: String,
    pub criterion: String,
    pub statement: String,
    pub state: String,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    /// SHA-256 of the evidence cited.
    pub evidence: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/objections", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The objections the caller may see (a reporter: its own body's)", body = [ObjectionView]), (status = 401, description = "No or an invalid token")))]
async fn objections(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<Vec<ObjectionView>>> {
    let actor = actor(&state, &headers).await?;
    let list = bagalau_app::objections::list(&state.store, &actor, year).await?;
    Ok(Json(
        list.into_iter()
            .map(|(id, o)| ObjectionView {
                id,
                state: bagalau_store::objection_state_text(o.state).to_string(),
                body: o.body,
                direction: o.direction,
                criterion: o.criterion,
                statement: o.statement,
                decided_by: o.decided_by,
                reason: o.reason,
                evidence: o.evidence,
            })
            .collect(),
    ))
}

/// The commission's approval of a year's results.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ApprovalRequest {
    /// Recorded with the publication (required for a correction of a published year).
    #[serde(default)]
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/approval", params(("year" = i32, Path)), request_body = ApprovalRequest, security(("bearer" = [])),
    responses((status = 200, description = "Approved: the results are frozen as a new publication version", body = ApprovalView), (status = 403, description = "Not a commission member"),
        (status = 409, description = "Too early, objections still open, no final conclusions, or a correction without a reason")))]
async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Json(req): Json<ApprovalRequest>,
) -> ApiResult<Json<ApprovalView>> {
    let actor = actor(&state, &headers).await?;
    let published = bagalau_app::publication::approve(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        req.reason,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(ApprovalView {
        year,
        version: published.version,
        sha256: published.sha256,
        new: published.new,
    }))
}

/// The publication an approval made (or found: the same results again).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApprovalView {
    pub year: i32,
    pub version: i32,
    /// SHA-256 of the frozen content.
    pub sha256: String,
    /// Whether a new version was frozen.
    pub new: bool,
}

/// A verifier's finding: the corrected value of one indicator, with its reason.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FindingRequest {
    pub body: String,
    pub indicator: String,
    /// The corrected value (`null`: no data).
    pub value: Option<f64>,
    pub reason: String,
}

/// A verifier's finding recorded: the value before and after.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecordedFindingView {
    pub body: String,
    pub indicator: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/findings", params(("year" = i32, Path)), request_body = FindingRequest, security(("bearer" = [])),
    responses((status = 200, description = "Recorded; the value is corrected", body = RecordedFindingView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a verifier"), (status = 404, description = "No cycle open for the year"),
        (status = 409, description = "Body not selected, or outside the verification stage"),
        (status = 422, description = "A value that does not fit, or no reason", body = ProblemsView)))]
async fn finding(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    JsonBody(req): JsonBody<FindingRequest>,
) -> ApiResult<Json<RecordedFindingView>> {
    let actor = actor(&state, &headers).await?;
    let recorded = bagalau_app::verification::record_finding(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        &bagalau_app::verification::VerifierFinding {
            body: req.body,
            indicator: req.indicator,
            value: req.value,
            reason: req.reason,
        },
        &(state.clock)(),
    )
    .await?;
    Ok(Json(RecordedFindingView {
        body: recorded.body,
        indicator: recorded.indicator,
        old: recorded.old,
        new: recorded.new,
    }))
}

/// A body selected for verification, and why.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SelectedBodyView {
    pub body: String,
    /// `risk` or `draw`.
    pub by: String,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A verifier's finding on a selected body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VerificationFindingView {
    pub body: String,
    pub indicator: String,
    pub old: Option<f64>,
    pub new: Option<f64>,
    pub reason: String,
    pub verifier: String,
}

/// A year's verification.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CycleVerificationView {
    pub year: i32,
    pub selection: Vec<SelectedBodyView>,
    pub findings: Vec<VerificationFindingView>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/verification", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The selection with its reasons, and the findings", body = CycleVerificationView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Reporters and monitors do not see the selection")))]
async fn verification(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<CycleVerificationView>> {
    let actor = actor(&state, &headers).await?;
    let v = bagalau_app::verification::verification(&state.store, &actor, year).await?;
    Ok(Json(CycleVerificationView {
        year,
        selection: v
            .selection
            .into_iter()
            .map(|r| SelectedBodyView {
                body: r.body,
                by: r.by,
                score: r.score,
                reasons: r.reasons,
            })
            .collect(),
        findings: v
            .findings
            .into_iter()
            .map(|f| VerificationFindingView {
                body: f.body,
                indicator: f.indicator,
                old: f.old_value,
                new: f.new_value,
                reason: f.reason,
                verifier: f.verifier,
            })
            .collect(),
    }))
}

/// Something the caller has to do, with its deadline.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DueItemView {
    /// What to do, in English (an interface translates `task`).
    pub what: String,
    /// `submit`, `escalate`, `preliminary`, `final`, `decide`, `rule`,
    /// `approve`, `report_execution`, `review_report`, `reply_to_finding`,
    /// `report_monitoring_execution` or `review_monitoring_report`.
    pub task: String,
    /// The criterion of an objection (`escalate`, `decide`, `rule`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// The direction of a conclusion (`preliminary`, `final`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// The recommendation's id (its reports and reviews).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<i64>,
    /// The public-monitoring finding's id (`reply_to_finding`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finding: Option<i64>,
    pub body: Option<String>,
    #[schema(value_type = String)]
    pub deadline: chrono::NaiveDateTime,
    pub overdue: bool,
}

impl From<cycle::Due> for DueItemView {
    fn from(d: cycle::Due) -> Self {
        use cycle::Task;
        let (mut criterion, mut direction, mut recommendation, mut finding) =
            (None, None, None, None);
        let task = match d.task {
            Task::Submit => "submit",
            Task::Escalate { criterion: c } => {
                criterion = Some(c);
                "escalate"
            }
            Task::Preliminary { direction: dir } => {
                direction = Some(dir);
                "preliminary"
            }
            Task::Final { direction: dir } => {
                direction = Some(dir);
                "final"
            }
            Task::Decide { criterion: c } => {
                criterion = Some(c);
                "decide"
            }
            Task::Rule { criterion: c } => {
                criterion = Some(c);
                "rule"
            }
            Task::Approve => "approve",
            Task::ReportExecution { recommendation: r } => {
                recommendation = Some(r);
                "report_execution"
            }
            Task::ReviewReport { recommendation: r } => {
                recommendation = Some(r);
                "review_report"
            }
            Task::ReplyToFinding { finding: f } => {
                finding = Some(f);
                "reply_to_finding"
            }
            Task::ReportMonitoringExecution { recommendation: r } => {
                recommendation = Some(r);
                "report_monitoring_execution"
            }
            Task::ReviewMonitoringReport { recommendation: r } => {
                recommendation = Some(r);
                "review_monitoring_report"
            }
        };
        DueItemView {
            what: d.what,
            task: task.to_string(),
            criterion,
            direction,
            recommendation,
            finding,
            body: d.body,
            deadline: d.deadline,
            overdue: d.overdue,
        }
    }
}

/// What the caller has to do.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DueView {
    pub year: i32,
    pub user: String,
    pub due: Vec<DueItemView>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/due", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "What the caller has to do in the cycle, on recommendations of any year, and on public monitoring (findings to reply to, monitoring recommendations), with deadlines; overdue items flagged", body = DueView), (status = 401, description = "No or an invalid token"),
        (status = 404, description = "No cycle open for the year")))]
async fn due(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<DueView>> {
    let actor = actor(&state, &headers).await?;
    let items = bagalau_app::cycle::due(&state.store, &actor, year, &(state.clock)()).await?;
    Ok(Json(DueView {
        year,
        user: actor.user,
        due: items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct UploadParams {
    /// The file's name; its extension must agree with its content.
    pub name: String,
}

/// A file kept: cite its SHA-256 as evidence.
#[derive(Serialize, utoipa::ToSchema)]
pub struct StoredEvidenceView {
    pub sha256: String,
    pub size: usize,
    /// The type recognised from the content.
    pub media_type: String,
    pub file_name: String,
}

#[utoipa::path(post, path = "/api/v1/evidence", params(UploadParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    security(("bearer" = [])),
    responses((status = 200, description = "Stored: its SHA-256, size and type; cite the SHA-256 as evidence", body = StoredEvidenceView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Monitors without an organisation upload nothing"), (status = 413, description = "Over the size limit"),
        (status = 422, description = "A type not accepted, a disguised file, or a bad name; nothing was stored", body = ProblemsView)))]
async fn upload_evidence(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<UploadParams>,
    body: axum::body::Bytes,
) -> ApiResult<Json<StoredEvidenceView>> {
    let actor = actor(&state, &headers).await?;
    let stored = bagalau_app::evidence::upload(
        &state.store,
        &state.files,
        bagalau_app::FrontEnd::Api,
        &actor,
        &params.name,
        &body,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(StoredEvidenceView {
        sha256: stored.sha256,
        size: stored.size,
        media_type: stored.media_type,
        file_name: stored.file_name,
    }))
}

#[utoipa::path(get, path = "/api/v1/evidence/{sha256}", params(("sha256" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file, as uploaded"), (status = 401, description = "No or an invalid token"),
        (status = 404, description = "No such file, or not visible to the caller (its uploaders, coordinators, and those who see a recommendation or objection citing it)")))]
async fn download_evidence(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let actor = actor(&state, &headers).await?;
    let (first, bytes) =
        bagalau_app::evidence::download(&state.store, &state.files, &actor, &sha256).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(&first.file_name, b"")
    );
    Ok((
        [
            (header::CONTENT_TYPE, first.media_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// Percent-encoding of everything but the unreserved characters and those
/// in `keep`: RFC 5987 file names for `Content-Disposition` (`keep` empty),
/// paths in a query value (`/`), which then cannot break a header.
pub(crate) fn percent_encode(text: &str, keep: &[u8]) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A commission member's expert opinion.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OpinionRequest {
    /// The body it concerns; absent for the year as a whole.
    pub body: Option<String>,
    pub text: String,
}

/// A commission member's expert opinion.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpinionView {
    /// The commission member's account.
    pub author: String,
    /// The body it concerns; none for the year as a whole.
    pub body: Option<String>,
    pub text: String,
}

impl From<cycle::Opinion> for OpinionView {
    fn from(o: cycle::Opinion) -> Self {
        OpinionView {
            author: o.author,
            body: o.body,
            text: o.text,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/opinions", params(("year" = i32, Path)), request_body = OpinionRequest, security(("bearer" = [])),
    responses((status = 200, description = "Recorded", body = OpinionView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a commission member"), (status = 404, description = "No cycle open for the year"),
        (status = 409, description = "Outside the commission stage"),
        (status = 422, description = "No text, or a body not evaluated that year", body = ProblemsView)))]
async fn record_opinion(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    JsonBody(req): JsonBody<OpinionRequest>,
) -> ApiResult<Json<OpinionView>> {
    let actor = actor(&state, &headers).await?;
    let opinion = bagalau_app::opinions::record_opinion(
        &state.store,
        bagalau_app::FrontEnd::Api,
        &actor,
        year,
        req.body,
        &req.text,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(opinion.into()))
}

/// The commission's opinions on a year.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpinionsView {
    pub year: i32,
    pub opinions: Vec<OpinionView>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/opinions", params(("year" = i32, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The commission's expert opinions on the year", body = OpinionsView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Only the commission, coordinators and methodologists see them")))]
async fn opinions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> ApiResult<Json<OpinionsView>> {
    let actor = actor(&state, &headers).await?;
    let opinions = bagalau_app::opinions::opinions(&state.store, &actor, year).await?;
    Ok(Json(OpinionsView {
        year,
        opinions: opinions.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ConclusionFilter {
    /// Only final (`true`) or only preliminary (`false`) conclusions.
    #[serde(rename = "final")]
    pub is_final: Option<bool>,
    /// Only this body's.
    pub body: Option<String>,
}

/// An assessor's conclusion on a direction for a body.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConclusionView {
    pub direction: String,
    pub body: String,
    /// The assessor's account.
    pub author: String,
    pub text: String,
    /// Final (after objections) or preliminary.
    pub is_final: bool,
}

/// The conclusions on a year the caller may see.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ConclusionsView {
    pub year: i32,
    pub conclusions: Vec<ConclusionView>,
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/conclusions", params(("year" = i32, Path), ConclusionFilter), security(("bearer" = [])),
    responses((status = 200, description = "The conclusions the caller may see: an evaluated body its own, coordinators, methodologists, the commission, assessors and verifiers all", body = ConclusionsView),
        (status = 401, description = "No or an invalid token"), (status = 403, description = "A monitor: conclusions are public only once published")))]
async fn conclusions(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<i32>,
    Query(filter): Query<ConclusionFilter>,
) -> ApiResult<Json<ConclusionsView>> {
    let actor = actor(&state, &headers).await?;
    let list = bagalau_app::opinions::conclusions(
        &state.store,
        &actor,
        year,
        filter.is_final,
        filter.body.as_deref(),
    )
    .await?;
    Ok(Json(ConclusionsView {
        year,
        conclusions: list
            .into_iter()
            .map(|c| ConclusionView {
                direction: c.direction,
                body: c.body,
                author: c.author,
                text: c.text,
                is_final: c.is_final,
            })
            .collect(),
    }))
}

/// A person's login: account name and password.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub name: String,
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/login", request_body = LoginRequest,
    responses((status = 200, description = "A session token (shown once) and its expiry", body = SessionView), (status = 401, description = "Wrong name or password"),
        (status = 429, description = "Too many failed logins for the name or from the address: try again after the seconds in Retry-After"),
        (status = 503, description = "Too many logins being checked at once: try again after the seconds in Retry-After")))]
async fn login(
    State(state): State<AppState>,
    client: Option<axum::Extension<ClientAddress>>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<SessionView>> {
    let client = client.as_ref().map(|c| &c.0);
    let (token, expires_at, user) = open_session(&state, client, &req.name, &req.password).await?;
    Ok(Json(SessionView {
        token,
        expires_at,
        name: user.name,
        roles: user.roles,
    }))
}

/// A session opened by a login.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionView {
    /// The bearer token, shown only now.
    pub token: String,
    pub expires_at: String,
    pub name: String,
    pub roles: Vec<String>,
}

/// A token revoked.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RevokedView {
    pub revoked: bool,
}

#[utoipa::path(post, path = "/api/v1/logout", security(("bearer" = [])),
    responses((status = 200, description = "The token used is revoked", body = RevokedView), (status = 401, description = "No or an invalid token")))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Json<RevokedView>> {
    let actor = actor(&state, &headers).await?;
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(ApiError::Unauthenticated)?;
    let mut batch = write_batch(&state, &actor);
    batch.revoked_tokens.push(token_hash(token.trim()));
    state.store.apply(batch).await?;
    Ok(Json(RevokedView { revoked: true }))
}

#[utoipa::path(get, path = "/api/v1/cycles/{year}/submissions/{body}/template", params(("year" = i32, Path), ("body" = String, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "The body's Excel submission template, current values filled in", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, description = "No or an invalid token"), (status = 403, description = "Another body's template, or a monitor"),
        (status = 404, description = "No methodology for the year, or the body is not evaluated")))]
async fn submission_template(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
) -> ApiResult<Response> {
    if let Sight::Bodies(own) = sight(&state, &headers).await?
        && !own.contains(&body)
    {
        return Err(ApiError::Forbidden(Refusal::NotYourTemplate {
            body: body.to_string(),
        }));
    }
    template_download(&state, year, &body).await
}

/// A body's Excel template with its current values, as a download.
pub(crate) async fn template_download(
    state: &AppState,
    year: i32,
    body: &str,
) -> ApiResult<Response> {
    let registry = stored_registry(state).await?;
    let m = stored_pack(state, year).await?;
    let data = state.store.year_data(year).await?;
    let current = m
        .indicators
        .iter()
        .filter_map(|i| data.get(body, &i.id).map(|v| (i.id.clone(), v)))
        .collect();
    let bytes = bagalau_xlsx::template(&m, &registry, body, &current).map_err(|e| match e {
        bagalau_xlsx::TemplateError::UnknownBody(_) => ApiError::NotFound(e.to_string()),
        bagalau_xlsx::TemplateError::Write(_) => ApiError::Internal(e.to_string()),
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{body}-{year}.xlsx\""),
            ),
            // Unpublished values: never kept by a cache, whoever asks.
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// The largest workbook accepted: a template with every indicator is some tens of kilobytes.
const WORKBOOK_LIMIT: usize = 10 * 1024 * 1024;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct WorkbookParams {
    /// Submit (else save as a draft).
    #[serde(default)]
    pub submit: bool,
}

#[utoipa::path(post, path = "/api/v1/cycles/{year}/submissions/{body}/xlsx", params(("year" = i32, Path), ("body" = String, Path), WorkbookParams),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), security(("bearer" = [])),
    responses((status = 200, description = "The workbook's values saved as a draft, or submitted", body = SubmissionView), (status = 401, description = "No or an invalid token"),
        (status = 403, description = "Not a reporter of that body"), (status = 409, description = "Past the deadline, or already submitted"),
        (status = 422, description = "Problems, each with its sheet and cell; nothing was saved")))]
async fn submit_workbook(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((year, body)): Path<(i32, String)>,
    Query(params): Query<WorkbookParams>,
    bytes: axum::body::Bytes,
) -> ApiResult<Json<SubmissionView>> {
    // The role first: nobody learns anything of another body's template.
    let actor = actor(&state, &headers).await?;
    if !actor.reports_for(&body) {
        return Err(CycleError::Forbidden(Refusal::NotReporter {
            user: actor.user.clone(),
            body: body.clone(),
        })
        .into());
    }
    // The rules next, before the workbook is read: a closed cycle or a
    // submitted body costs the server nothing.
    check_may_submit(&state, &actor, year, &body).await?;
    let registry = stored_registry(&state).await?;
    let m = stored_pack(&state, year).await?;
    let observations = read_workbook(m, registry, body.clone(), bytes)
        .await?
        .map_err(|problems| {
            ApiError::Invalid(problems.iter().map(ToString::to_string).collect())
        })?;
    let req = SubmissionRequest {
        values: observations
            .into_iter()
            .map(|o| SubmittedValue {
                indicator: o.indicator,
                value: o.value,
                note: o.note,
            })
            .collect(),
        submit: params.submit,
        evidence: Vec::new(),
    };
    Ok(Json(
        save_submission(&state, &actor, year, body, req).await?,
    ))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bagalau API",
        description = "Assessment of the effectiveness of state bodies: published results, and the cycle's work for the roles that own it."
    ),
    components(schemas(
        SubmissionRequest,
        LoginRequest,
        OpinionRequest,
        recommendations::RecommendationRequest,
        recommendations::ExecutionReport,
        recommendations::ReviewRequest,
        SubmittedValue,
        ConclusionRequest,
        ObjectionRequest,
        DecisionRequest,
        ApprovalRequest,
        FindingRequest,
        corrections::CorrectionRequest,
        corrections::CorrectionDecision,
        corrections::CorrectionView,
        corrections::AdoptionView,
        accounts::AccountView,
        accounts::AccountRequest,
        accounts::AccountState,
        accounts::Revoked,
        cycle_admin::CalendarRequest,
        cycle_admin::CalendarView,
        cycle_admin::ExtensionRequest,
        cycle_admin::ExtensionView,
        cycle_admin::SelectionRequest,
        cycle_admin::SelectedBody,
        cycle_admin::SelectionView,
        ProblemsView,
        ProblemView,
        citizens::FileText,
        citizens::FilesRequest,
        citizens::FileImportedView,
        citizens::RecordsImportedView,
        citizens::QuestionnaireKept,
        citizens::ResponsesImportedView,
        citizens::EstimateView,
        citizens::GroupSatisfaction,
        citizens::SatisfactionView,
        register::RegisterImportedView,
        register::FieldChange,
        register::ServiceChange,
        audit_log::AuditEntryView,
        audit_log::AuditLogView
    ))
)]
struct ApiDoc;

/// One endpoint (or the methods of one path) with its documentation.
type Endpoint = utoipa_axum::router::UtoipaMethodRouter<AppState>;

/// An endpoint that takes bodies up to `max` bytes.
fn limited((schemas, paths, method): Endpoint, max: usize) -> Endpoint {
    (
        schemas,
        paths,
        method.layer(axum::extract::DefaultBodyLimit::max(max)),
    )
}

/// Every endpoint of the API: the one source of the router and of the
/// OpenAPI document (the path and method of each come from its
/// `utoipa::path`). `upload_limit` bounds evidence uploads.
fn endpoints(upload_limit: usize) -> Vec<Endpoint> {
    use utoipa_axum::routes;
    let mut all = vec![
        routes!(health),
        routes!(published),
        routes!(published_latest),
        routes!(published_version),
        routes!(me),
        routes!(assessment),
        routes!(assessment_body),
        routes!(cycle_view),
        routes!(submit),
        routes!(conclude, conclusions),
        routes!(object, objections),
        routes!(decide),
        routes!(escalate),
        routes!(ruling),
        routes!(approve),
        routes!(finding),
        routes!(verification, cycle_admin::select),
        routes!(due),
        routes!(recommendations::list, recommendations::issue),
        routes!(recommendations::report),
        routes!(recommendations::review),
        limited(routes!(upload_evidence), upload_limit),
        routes!(download_evidence),
        routes!(opinions, record_opinion),
        routes!(login),
        routes!(logout),
        routes!(submission_template),
        limited(routes!(submit_workbook), WORKBOOK_LIMIT),
        routes!(audit_checkpoint),
        routes!(audit_public_keys),
        routes!(published_checkpoint),
        routes!(corrections::corrections, corrections::request_correction),
        routes!(corrections::decide_correction),
        routes!(corrections::adopt_methodology),
        routes!(accounts::list, accounts::add),
        routes!(accounts::set_state),
        routes!(accounts::revoke),
        routes!(cycle_admin::open),
        routes!(cycle_admin::extend),
        limited(routes!(citizens::import_complaints), IMPORT_LIMIT),
        limited(routes!(citizens::import_openness), IMPORT_LIMIT),
        routes!(citizens::complaint_indicators),
        routes!(citizens::openness_indicators),
        routes!(citizens::keep_questionnaire),
        limited(routes!(citizens::import_responses), IMPORT_LIMIT),
        routes!(citizens::satisfaction),
        limited(routes!(register::import), IMPORT_LIMIT),
        routes!(register::changes),
        limited(routes!(register::import_calendar), IMPORT_LIMIT),
        routes!(register::calendar),
        routes!(indicators::indicators),
        routes!(ratings::computed),
        routes!(ratings::publish, ratings::published),
        routes!(indicators::report_data),
        routes!(records::import),
        routes!(records::status),
        routes!(audit_log::log),
        routes!(audit_log::verify),
        routes!(recommendations::rates),
        limited(routes!(index::build), IMPORT_LIMIT),
        limited(routes!(index::uncertainty), IMPORT_LIMIT),
        limited(routes!(imports::import_packs), IMPORT_LIMIT),
        limited(routes!(imports::check_packs), IMPORT_LIMIT),
        limited(routes!(imports::import_registry), IMPORT_LIMIT),
        limited(routes!(imports::import_data), IMPORT_LIMIT),
        routes!(performance::gpi),
        routes!(performance::npi),
        limited(routes!(performance::import_packs), IMPORT_LIMIT),
        limited(routes!(performance::import_series), IMPORT_LIMIT),
    ];
    all.extend(monitoring::endpoints());
    all
}

/// The API's router and its OpenAPI document, built together.
fn api(upload_limit: usize) -> utoipa_axum::router::OpenApiRouter<AppState> {
    let mut doc = ApiDoc::openapi();
    doc.merge(<monitoring::MonitoringDoc as OpenApi>::openapi());
    endpoints(upload_limit).into_iter().fold(
        utoipa_axum::router::OpenApiRouter::with_openapi(doc),
        |router, endpoint| router.routes(endpoint),
    )
}

/// Schema names that two different types document (each name must stand
/// for one shape, or a client reads one type as the other).
pub fn clashing_schema_names() -> Vec<String> {
    let mut seen: std::collections::BTreeMap<String, Value> = std::collections::BTreeMap::new();
    let mut clashes = Vec::new();
    let mut documented = ApiDoc::openapi();
    documented.merge(<monitoring::MonitoringDoc as OpenApi>::openapi());
    let listed = documented
        .components
        .map(|c| c.schemas.into_iter().collect::<Vec<_>>())
        .unwrap_or_default();
    let collected = endpoints(0).into_iter().flat_map(|(schemas, _, _)| schemas);
    for (name, schema) in listed.into_iter().chain(collected) {
        let schema = serde_json::to_value(schema).expect("a schema serialises");
        match seen.get(&name) {
            Some(earlier) if *earlier != schema => clashes.push(name),
            Some(_) => {}
            None => {
                seen.insert(name, schema);
            }
        }
    }
    clashes.sort();
    clashes.dedup();
    clashes
}

/// The paths of the API, as documented (and so as routed).
pub fn api_paths() -> Vec<String> {
    openapi()["paths"]
        .as_object()
        .map(|paths| paths.keys().cloned().collect())
        .unwrap_or_default()
}

/// The OpenAPI document, with the bearer scheme the secured paths name.
pub fn openapi() -> Value {
    let api = api(0).into_openapi();
    let mut doc = serde_json::to_value(api).expect("the document serialises");
    doc["components"]["securitySchemes"]["bearer"] = json!({ "type": "http", "scheme": "bearer", "description": "An API token from `bagalau user token`" });
    document_extraction_errors(&mut doc);
    doc
}

/// Adds to every operation the answers the HTTP layer gives before a
/// handler runs, or that any lookup by path gives: a path or query
/// parameter that does not parse (400), or names nothing (404); a
/// body that is not JSON (400), not sent as JSON (415) or not of the
/// expected shape (422); a missing or invalid token (401) where one is
/// needed; a body over the size limit (413) where a file is sent.
fn document_extraction_errors(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            let Some(op) = operation.as_object_mut() else {
                continue;
            };
            let mut add: Vec<(&str, &str)> = Vec::new();
            let parameters = op.get("parameters").and_then(Value::as_array);
            if parameters.is_some_and(|p| !p.is_empty()) {
                add.push(("400", "A parameter that does not parse"));
            }
            if parameters.is_some_and(|p| p.iter().any(|x| x["in"] == "path")) {
                add.push(("404", "No such year, cycle or record"));
            }
            if let Some(body) = op.get("requestBody") {
                add.push(("400", "A body that cannot be read"));
                add.push(("415", "A body not sent with the documented content type"));
                add.push(("422", "A body that does not fit the documented schema"));
                let binary = body["content"]
                    .as_object()
                    .is_some_and(|c| c.keys().any(|k| !k.contains("json")));
                if binary {
                    add.push(("413", "A file over the size limit"));
                }
            }
            if op.get("security").is_some() {
                add.push(("401", "No or an invalid token"));
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut()
                .expect("responses are an object");
            for (status, description) in add {
                responses
                    .entry(status)
                    .or_insert_with(|| json!({ "description": description }));
            }
        }
    }
}

async fn openapi_json() -> Json<Value> {
    // The document does not change while the server runs: made once.
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    Json(DOCUMENT.get_or_init(openapi).clone())
}

/// The largest request of files to import: a year's records of a large
/// body fit; a bigger load goes in several requests.
const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    // One byte over the limit still reaches the file store, which says what the limit is.
    let upload_limit = state.files.max_bytes() + 1;
    let (api, _) = api(upload_limit).split_for_parts();
    // Before a large body is read (imports take up to 64 MiB), its sender
    // must be an account: nobody else makes the server read and parse it.
    let api = api.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        large_bodies_need_an_account,
    ));
    api.route("/api/v1/openapi.json", get(openapi_json))
        .route(pages::PAGE_ROUTES[0], get(pages::home))
        .route(pages::PAGE_ROUTES[1], get(pages::rankings_latest))
        .route(pages::PAGE_ROUTES[2], get(pages::rankings))
        .route(pages::PAGE_ROUTES[3], get(pages::body))
        .route(pages::PAGE_ROUTES[4], get(pages::stylesheet))
        .route(pages::PAGE_ROUTES[5], get(pages::open_data))
        .route(pages::PAGE_ROUTES[6], get(pages::catalogue))
        .route(pages::PAGE_ROUTES[7], get(pages::download))
        .route(pages::PAGE_ROUTES[8], get(pages::methodology_latest))
        .route(pages::PAGE_ROUTES[9], get(pages::methodology))
        .route(pages::PAGE_ROUTES[10], get(pages::methodology_changes))
        .route(pages::PAGE_ROUTES[11], get(pages::npi_latest))
        .route(pages::PAGE_ROUTES[12], get(pages::npi))
        .route(pages::PAGE_ROUTES[13], get(pages::services_home))
        .route(pages::PAGE_ROUTES[14], get(pages::services))
        .route(pages::PAGE_ROUTES[15], get(pages::service))
        .route(pages::PAGE_ROUTES[16], get(pages::register_download))
        .route(pages::PAGE_ROUTES[17], get(pages::ratings_years))
        .route(pages::PAGE_ROUTES[18], get(pages::ratings_year))
        .route(pages::PAGE_ROUTES[19], get(pages::monitoring_reports))
        .route(pages::PAGE_ROUTES[20], get(pages::monitoring_report))
        .route(
            workspace::WORKSPACE_ROUTES[0],
            get(workspace::login_form).post(workspace::login),
        )
        .route(workspace::WORKSPACE_ROUTES[1], post(workspace::logout))
        .route(workspace::WORKSPACE_ROUTES[2], get(workspace::dashboard))
        .route(
            workspace::WORKSPACE_ROUTES[3],
            get(workspace::submission_form).post(workspace::submission_save),
        )
        .route(workspace::WORKSPACE_ROUTES[4], get(workspace::template))
        .route(workspace::WORKSPACE_ROUTES[5], get(workspace::cycle))
        .route(
            workspace::WORKSPACE_ROUTES[6],
            post(workspace::act).layer(axum::extract::DefaultBodyLimit::max(
                upload_limit + 64 * 1024,
            )),
        )
        .route(
            workspace::WORKSPACE_ROUTES[7],
            post(workspace::submission_upload)
                .layer(axum::extract::DefaultBodyLimit::max(WORKBOOK_LIMIT)),
        )
        .layer(axum::middleware::map_response(pages::security_headers))
        .layer(axum::middleware::from_fn(pages::private_answers))
        .with_state(state)
}

/// The largest body an API request may send without a valid token (a
/// sign-in, a small form): anything larger is refused before it is read.
const ANONYMOUS_BODY_LIMIT: u64 = 64 * 1024;

async fn large_bodies_need_an_account(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // The body's length as declared (Content-Length), or unknown (chunked).
    let hint = axum::body::HttpBody::size_hint(request.body());
    let large = hint
        .upper()
        .is_none_or(|upper| upper > ANONYMOUS_BODY_LIMIT);
    let headers = request.headers();
    if large && let Err(e) = actor(&state, headers).await {
        return e.into_response();
    }
    next.run(request).await
}

/// The API called in process, without a socket: for programs that drive it
/// (the demo's cycle) through exactly the checks a remote caller meets.
#[derive(Clone)]
pub struct InProcess {
    router: Router,
}

impl InProcess {
    pub fn new(state: AppState) -> Self {
        Self {
            router: router(state),
        }
    }

    /// Sends one request with a bearer token; answers the status and the
    /// JSON body (`null` when the body is not JSON).
    pub async fn call(
        &self,
        token: &str,
        method: &str,
        uri: &str,
        body: Vec<u8>,
    ) -> Result<(u16, Value), String> {
        use tower::ServiceExt;
        let request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .map_err(|e| e.to_string())?;
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|e| e.to_string())?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }
}

/// How `bagalau serve` serves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where the client's address comes from (a trusted proxy's header).
    pub client_address: ClientAddressFrom,
    /// The site's public address (`https://data.example.kz`), used in the
    /// links of the DCAT catalogue instead of the request's `Host` header,
    /// which anyone can set. None: `http://` and the address served on.
    pub public_url: Option<String>,
    /// How long a client may take to send a request's headers: slow
    /// senders (one header line every few seconds) do not hold a
    /// connection open for longer.
    pub header_read_timeout: std::time::Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            client_address: ClientAddressFrom::default(),
            public_url: None,
            header_read_timeout: std::time::Duration::from_secs(10),
        }
    }
}

/// Serves the router on `addr`: HTTP/1.1 with a deadline for reading each
/// request's headers, every request marked with its client's address and
/// the site's public address.
pub async fn serve(state: AppState, addr: &str, options: ServeOptions) -> std::io::Result<()> {
    serve_on(state, tokio::net::TcpListener::bind(addr).await?, options).await
}

/// [`serve`] on a listener already bound (tests bind port 0).
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    options: ServeOptions,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    tracing::info!("listening on {local}");
    let public = pages::PublicOrigin(
        options
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{local}")),
    );
    let app = router(state);
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, say: wait a little, go on serving.
                tracing::warn!("cannot accept a connection: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let (app, public) = (app.clone(), public.clone());
        let client_address = options.client_address.clone();
        let timeout = options.header_read_timeout;
        tokio::spawn(async move {
            // Each request is marked with its client's address and the
            // site's public address (request extensions the handlers read).
            let service = tower::ServiceExt::map_request(
                app,
                move |mut request: axum::http::Request<hyper::body::Incoming>| {
                    let client = client_address.address(request.headers(), peer.ip());
                    request.extensions_mut().insert(client);
                    request.extensions_mut().insert(public.clone());
                    request.map(axum::body::Body::new)
                },
            );
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(timeout)
                .serve_connection(
                    hyper_util::rt::TokioIo::new(stream),
                    hyper_util::service::TowerToHyperService::new(service),
                )
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!("connection from {peer}: {e}");
            }
        });
    }
}
