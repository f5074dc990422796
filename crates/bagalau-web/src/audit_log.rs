//! The audit trail's entries for those who keep it (an administrator's
//! token), through `bagalau_app::audit`.

use crate::{ApiResult, AppState, actor};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

/// Which entries.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct LogQuery {
    /// Only entries of this entity (`value`, `complaint`, `user`, …).
    pub entity: Option<String>,
    /// Only entries of this key.
    pub key: Option<String>,
    /// The latest this many (default 100, at most 10,000).
    pub limit: Option<usize>,
}

/// One entry of the trail: who changed what, when, from what to what, and why.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    pub entity: String,
    pub key: String,
    /// The record's canonical content before and after (absent: none).
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    /// The entry's hash, chained to the one before.
    pub hash: String,
}

/// The latest entries that pass the filter, oldest first.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditLogView {
    pub entries: Vec<AuditEntryView>,
    /// Entries in the whole trail.
    pub total: usize,
}

#[utoipa::path(get, path = "/api/v1/audit/log", params(LogQuery), security(("bearer" = [])),
    responses((status = 200, description = "The latest entries", body = AuditLogView),
        (status = 403, description = "Not an administrator")))]
pub(crate) async fn log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LogQuery>,
) -> ApiResult<Json<AuditLogView>> {
    let actor = actor(&state, &headers).await?;
    let filter = bagalau_app::audit::LogFilter {
        entity: q.entity.as_deref(),
        key: q.key.as_deref(),
        limit: q.limit.unwrap_or(100),
    };
    let (entries, total) = bagalau_app::audit::log(&state.store, &actor, filter).await?;
    Ok(Json(AuditLogView {
        entries: entries
            .into_iter()
            .map(|e| AuditEntryView {
                seq: e.seq,
                at: e.at,
                actor: e.actor,
                action: e.action,
                entity: e.entity,
                key: e.key,
                old: e.old,
                new: e.new,
                reason: e.reason,
                hash: e.hash,
            })
            .collect(),
        total,
    }))
}

/// Checkpoints kept outside Bagalau, and public keys to check them with
/// besides the log's own: today's trail must extend each.
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct VerificationRequest {
    /// Signed notes, as `GET /api/v1/audit/checkpoint` gave them.
    #[serde(default)]
    pub checkpoints: Vec<String>,
    /// Public keys (`origin+hash+key`), e.g. of a rotated key.
    #[serde(default)]
    pub public_keys: Vec<String>,
}

/// What the verification found.
#[derive(Serialize, utoipa::ToSchema)]
pub struct VerificationView {
    /// No problem: the chain, the records, the registry's bodies and every
    /// checkpoint hold.
    pub intact: bool,
    pub entries: usize,
    pub records: usize,
    /// The last entry's hash and number.
    pub head_hash: Option<String>,
    pub head_entry: Option<i64>,
    pub problems: Vec<String>,
    /// What holds besides: the latest checkpoint, the consistency proofs.
    pub held: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/audit/verification", request_body = VerificationRequest, security(("bearer" = [])),
    responses((status = 200, description = "The verification (`intact` false with its problems when something was changed outside Bagalau)", body = VerificationView),
        (status = 403, description = "Not an administrator"),
        (status = 422, description = "A public key or checkpoint that is not one", body = crate::ProblemsView)))]
pub(crate) async fn verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::JsonBody(req): crate::JsonBody<VerificationRequest>,
) -> ApiResult<Json<VerificationView>> {
    let actor = actor(&state, &headers).await?;
    let witnesses = bagalau_app::audit::Witnesses {
        checkpoints: req.checkpoints,
        public_keys: req.public_keys,
    };
    let v = bagalau_app::audit::verify(&state.store, &actor, &witnesses).await?;
    let (head_hash, head_entry) = match v.head.clone() {
        Some((hash, seq)) => (Some(hash), Some(seq)),
        None => (None, None),
    };
    Ok(Json(VerificationView {
        intact: v.intact(),
        entries: v.entries,
        records: v.records,
        head_hash,
        head_entry,
        problems: v.problems,
        held: v.held,
    }))
}
