//! Citizens' records through the API: complaints and applications, the
//! Open Government portals' records, satisfaction-survey questionnaires
//! and responses (`bagalau_app::citizens`, `bagalau_app::surveys`). Files
//! are sent as JSON (a name and the text of each), all of a request's
//! files or none imported; problems come back placed (file, line, column).

use crate::{ApiError, ApiResult, AppState, JsonBody, actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use bagalau_app::citizens::RecordsImported;
use bagalau_app::{FrontEnd, Upload};
use bagalau_services::survey::Estimate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One file: its name (the problems found in it name it) and its text.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FileText {
    pub name: String,
    pub text: String,
}

/// Files to import together: all or none.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct FilesRequest {
    pub files: Vec<FileText>,
}

impl From<FileText> for Upload {
    fn from(f: FileText) -> Upload {
        Upload {
            name: f.name,
            text: f.text,
        }
    }
}

pub(crate) fn uploads(files: Vec<FileText>) -> Vec<Upload> {
    files.into_iter().map(Upload::from).collect()
}

/// What one file of an import held.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FileImportedView {
    pub file: String,
    /// `complaints`, an openness kind, or `responses`.
    pub kind: String,
    pub records: usize,
    /// New to the store.
    pub added: usize,
    /// Kept before, unchanged.
    pub again: usize,
    /// Survey responses rejected by the tool's reviewers (kept, not counted).
    pub rejected: usize,
}

/// What a records import did, and how many records of each kind are kept.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RecordsImportedView {
    pub files: Vec<FileImportedView>,
    pub kept: BTreeMap<String, usize>,
}

fn files_view(files: Vec<bagalau_app::citizens::FileImported>) -> Vec<FileImportedView> {
    files
        .into_iter()
        .map(|f| FileImportedView {
            file: f.file,
            kind: f.kind,
            records: f.records,
            added: f.added,
            again: f.again,
            rejected: f.rejected,
        })
        .collect()
}

impl From<RecordsImported> for RecordsImportedView {
    fn from(r: RecordsImported) -> Self {
        RecordsImportedView {
            files: files_view(r.files),
            kept: r.kept,
        }
    }
}

/// Today by the server's clock: records cannot say that something
/// happened after it.
fn today(now: &str) -> ApiResult<chrono::NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(now)
        .map(|t| t.date_naive())
        .map_err(|e| ApiError::Internal(format!("the clock's time `{now}`: {e}")))
}

#[utoipa::path(post, path = "/api/v1/complaints", request_body = FilesRequest, security(("bearer" = [])),
    responses((status = 200, description = "Imported: the records not kept before added", body = RecordsImportedView),
        (status = 403, description = "Neither a coordinator nor an importer of these bodies' records"),
        (status = 404, description = "No registry of bodies"),
        (status = 422, description = "Problems, each placed by file, line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_complaints(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesRequest>,
) -> ApiResult<Json<RecordsImportedView>> {
    let actor = actor(&state, &headers).await?;
    let now = (state.clock)();
    let imported = bagalau_app::citizens::import_complaints(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        today(&now)?,
        &now,
    )
    .await?;
    Ok(Json(imported.into()))
}

#[utoipa::path(post, path = "/api/v1/openness", request_body = FilesRequest, security(("bearer" = [])),
    responses((status = 200, description = "Imported: the records not kept before added", body = RecordsImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No registry of bodies"),
        (status = 422, description = "Problems, each placed by file, line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_openness(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<FilesRequest>,
) -> ApiResult<Json<RecordsImportedView>> {
    let actor = actor(&state, &headers).await?;
    let now = (state.clock)();
    let imported = bagalau_app::citizens::import_openness(
        &state.store,
        FrontEnd::Api,
        &actor,
        &uploads(req.files),
        today(&now)?,
        &now,
    )
    .await?;
    Ok(Json(imported.into()))
}

/// A questionnaire kept.
#[derive(Serialize, utoipa::ToSchema)]
pub struct QuestionnaireKept {
    pub id: String,
    /// False when the same text was kept already.
    pub changed: bool,
}

#[utoipa::path(put, path = "/api/v1/questionnaires/{id}", params(("id" = String, Path, description = "The questionnaire's id, as its TOML says")),
    request_body = FileText, security(("bearer" = [])),
    responses((status = 200, description = "Kept", body = QuestionnaireKept),
        (status = 403, description = "Not a coordinator"),
        (status = 422, description = "Not a questionnaire, another id than the path's, or other measures than those of the responses kept", body = crate::ProblemsView)))]
pub(crate) async fn keep_questionnaire(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(file): JsonBody<FileText>,
) -> ApiResult<Json<QuestionnaireKept>> {
    let actor = actor(&state, &headers).await?;
    let file = Upload::from(file);
    let (id, changed) = bagalau_app::surveys::keep_questionnaire(
        &state.store,
        FrontEnd::Api,
        &actor,
        Some(&id),
        &file,
        &(state.clock)(),
    )
    .await?;
    Ok(Json(QuestionnaireKept { id, changed }))
}

/// What a survey import did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ResponsesImportedView {
    pub questionnaire: String,
    pub files: Vec<FileImportedView>,
    /// Responses to the questionnaire kept now.
    pub kept: usize,
}

#[utoipa::path(post, path = "/api/v1/questionnaires/{id}/responses", params(("id" = String, Path)),
    request_body = FilesRequest, security(("bearer" = [])),
    responses((status = 200, description = "Imported: the responses not kept before added", body = ResponsesImportedView),
        (status = 403, description = "Not a coordinator"),
        (status = 404, description = "No such questionnaire kept, or no register of services"),
        (status = 422, description = "Problems, each placed by file, line and column: nothing imported", body = crate::ProblemsView)))]
pub(crate) async fn import_responses(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<FilesRequest>,
) -> ApiResult<Json<ResponsesImportedView>> {
    let actor = actor(&state, &headers).await?;
    let imported = bagalau_app::surveys::import_responses(
        &state.store,
        FrontEnd::Api,
        &actor,
        bagalau_app::surveys::QuestionnaireSource::Kept(&id),
        None,
        &uploads(req.files),
        &(state.clock)(),
    )
    .await?;
    Ok(Json(ResponsesImportedView {
        questionnaire: imported.questionnaire,
        files: files_view(imported.files),
        kept: imported.kept,
    }))
}

/// Which satisfaction estimates.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct SatisfactionQuery {
    /// One of the questionnaire's measures (default: its first).
    pub measure: Option<String>,
    /// `all`, `sector`, `service`, `region`, `channel`, `category`,
    /// `version` or `month` (default `all`).
    pub by: Option<String>,
    /// A higher suppression threshold than the questionnaire's.
    pub min_respondents: Option<usize>,
}

/// One estimate: shown with its 95% interval, or suppressed (fewer
/// respondents than the threshold).
#[derive(Serialize, utoipa::ToSchema)]
pub struct EstimateView {
    pub respondents: usize,
    pub suppressed: bool,
    /// Kish's effective number of respondents.
    pub effective_respondents: Option<f64>,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl From<&Estimate> for EstimateView {
    fn from(e: &Estimate) -> Self {
        match *e {
            Estimate::Shown {
                respondents,
                effective,
                value,
                low,
                high,
            } => EstimateView {
                respondents,
                suppressed: false,
                effective_respondents: Some(effective),
                value: Some(value),
                low: Some(low),
                high: Some(high),
            },
            Estimate::Suppressed { respondents } => EstimateView {
                respondents,
                suppressed: true,
                effective_respondents: None,
                value: None,
                low: None,
                high: None,
            },
        }
    }
}

/// A group's satisfaction: the weighted share satisfied (percent) and the
/// weighted mean score.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupSatisfaction {
    pub group: String,
    pub satisfied: EstimateView,
    pub mean: EstimateView,
}

/// The estimates of one measure by one breakdown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SatisfactionView {
    pub questionnaire: String,
    pub measure: String,
    pub by: String,
    pub min_respondents: usize,
    pub groups: Vec<GroupSatisfaction>,
}

#[utoipa::path(get, path = "/api/v1/questionnaires/{id}/satisfaction", params(("id" = String, Path), SatisfactionQuery), security(("bearer" = [])),
    responses((status = 200, description = "The estimates", body = SatisfactionView),
        (status = 403, description = "Neither a coordinator nor a public-service analyst"),
        (status = 404, description = "No such questionnaire kept, or no responses to it"),
        (status = 422, description = "Not a measure or breakdown, or a threshold under the questionnaire's", body = crate::ProblemsView)))]
pub(crate) async fn satisfaction(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<SatisfactionQuery>,
) -> ApiResult<Json<SatisfactionView>> {
    let actor = actor(&state, &headers).await?;
    let request = bagalau_app::surveys::SatisfactionRequest {
        questionnaire: &id,
        measure: q.measure.as_deref(),
        by: q.by.as_deref().unwrap_or("all"),
        min_respondents: q.min_respondents,
    };
    let s = bagalau_app::surveys::satisfaction(&state.store, &actor, request, None).await?;
    Ok(Json(SatisfactionView {
        questionnaire: s.questionnaire,
        measure: s.measure,
        by: s.by,
        min_respondents: s.min_respondents,
        groups: s
            .groups
            .iter()
            .map(|g| GroupSatisfaction {
                group: g.group.clone(),
                satisfied: (&g.satisfied).into(),
                mean: (&g.mean).into(),
            })
            .collect(),
    }))
}

/// How the records are judged; the law's terms unless given.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct JudgingQuery {
    /// The year the records were received in.
    pub year: i32,
    /// The day unanswered records are judged on (YYYY-MM-DD; default today).
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Term of an application (and of an Open Dialogue request without a
    /// due date), in working days (default 15).
    pub application_days: Option<u32>,
    /// Term of a complaint, in working days (default 20).
    pub complaint_days: Option<u32>,
    /// The least public discussion of a draft legal act, in calendar days
    /// (default 10).
    pub discussion_days: Option<u32>,
}

impl JudgingQuery {
    pub(crate) fn judging(&self, state: &AppState) -> ApiResult<bagalau_app::citizens::Judging> {
        let as_of = match self.as_of {
            Some(day) => day,
            None => today(&(state.clock)())?,
        };
        let mut judging = bagalau_app::citizens::Judging::on(as_of);
        if let Some(days) = self.application_days {
            judging.terms.application_working_days = days;
        }
        if let Some(days) = self.complaint_days {
            judging.terms.complaint_working_days = days;
        }
        if let Some(days) = self.discussion_days {
            judging.discussion_days = days;
        }
        Ok(judging)
    }
}

/// Which complaint counts.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ComplaintsQuery {
    /// `body` (default), `region`, `month`, `kind` or `channel`.
    pub by: Option<String>,
}

/// The counts of one group's complaints and applications received in the
/// year, with the shares the interaction block scores.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ComplaintGroupView {
    pub group: String,
    pub total: u64,
    pub answered: u64,
    /// Not answered and not yet due on the day judged.
    pub pending: u64,
    pub overdue: u64,
    pub court_cases: u64,
    pub court_justified: u64,
    pub repeated_substantiated: u64,
    pub overdue_percent: Option<f64>,
    pub court_justified_percent: Option<f64>,
    pub repeated_substantiated_percent: Option<f64>,
}

/// The year's counts by one breakdown.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ComplaintIndicatorsView {
    pub year: i32,
    pub by: String,
    #[schema(value_type = String, format = Date)]
    pub as_of: chrono::NaiveDate,
    pub groups: Vec<ComplaintGroupView>,
}

#[utoipa::path(get, path = "/api/v1/complaints/indicators", params(JudgingQuery, ComplaintsQuery), security(("bearer" = [])),
    responses((status = 200, description = "The counts by the breakdown", body = ComplaintIndicatorsView),
        (status = 403, description = "Neither a coordinator nor a public-service analyst"),
        (status = 404, description = "No complaint records are kept"),
        (status = 422, description = "Not a breakdown or not a year; a deadline past the calendar's end", body = crate::ProblemsView)))]
pub(crate) async fn complaint_indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(judging): Query<JudgingQuery>,
    Query(q): Query<ComplaintsQuery>,
) -> ApiResult<Json<ComplaintIndicatorsView>> {
    let actor = actor(&state, &headers).await?;
    let judged = judging.judging(&state)?;
    let by = q.by.unwrap_or_else(|| "body".into());
    let counts = bagalau_app::citizens::complaint_indicators(
        &state.store,
        &actor,
        judging.year,
        &by,
        &judged,
    )
    .await?
    .ok_or_else(|| ApiError::NotFound("no complaint records are kept".into()))?;
    Ok(Json(ComplaintIndicatorsView {
        year: judging.year,
        by,
        as_of: judged.as_of,
        groups: counts
            .into_iter()
            .map(|(group, c)| ComplaintGroupView {
                overdue_percent: c.overdue_percent(),
                court_justified_percent: c.court_justified_percent(),
                repeated_substantiated_percent: c.repeated_substantiated_percent(),
                group,
                total: c.total,
                answered: c.answered,
                pending: c.pending,
                overdue: c.overdue,
                court_cases: c.court_cases,
                court_justified: c.court_justified,
                repeated_substantiated: c.repeated_substantiated,
            })
            .collect(),
    }))
}

/// One openness value and where it comes from.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpennessValueView {
    pub value: f64,
    /// Counted from this many records; absent for a figure the body reported.
    pub records: Option<u64>,
}

/// A body's openness values for the year, by name (`datasets_planned`,
/// `dialogue_on_time`…).
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpennessBodyView {
    pub body: String,
    pub values: BTreeMap<String, OpennessValueView>,
}

/// The year's openness values of every body with records.
#[derive(Serialize, utoipa::ToSchema)]
pub struct OpennessIndicatorsView {
    pub year: i32,
    #[schema(value_type = String, format = Date)]
    pub as_of: chrono::NaiveDate,
    pub bodies: Vec<OpennessBodyView>,
}

#[utoipa::path(get, path = "/api/v1/openness/indicators", params(JudgingQuery), security(("bearer" = [])),
    responses((status = 200, description = "The values per body", body = OpennessIndicatorsView),
        (status = 403, description = "Neither a coordinator nor a public-service analyst"),
        (status = 404, description = "No openness records are kept"),
        (status = 422, description = "Not a year; records that contradict each other; a deadline past the calendar's end", body = crate::ProblemsView)))]
pub(crate) async fn openness_indicators(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(judging): Query<JudgingQuery>,
) -> ApiResult<Json<OpennessIndicatorsView>> {
    let actor = actor(&state, &headers).await?;
    let judged = judging.judging(&state)?;
    let values =
        bagalau_app::citizens::openness_indicators(&state.store, &actor, judging.year, &judged)
            .await?
            .ok_or_else(|| ApiError::NotFound("no openness records are kept".into()))?;
    Ok(Json(OpennessIndicatorsView {
        year: judging.year,
        as_of: judged.as_of,
        bodies: values
            .into_iter()
            .map(|(body, values)| OpennessBodyView {
                body,
                values: values
                    .iter()
                    .map(|(name, v)| {
                        let records = match v.source {
                            bagalau_services::openness::Source::Records(n) => Some(n),
                            bagalau_services::openness::Source::Aggregate => None,
                        };
                        (
                            name.to_string(),
                            OpennessValueView {
                                value: v.value,
                                records,
                            },
                        )
                    })
                    .collect(),
            })
            .collect(),
    }))
}
