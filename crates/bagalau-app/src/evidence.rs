//! Evidence files: supporting documents of submissions, objections,
//! recommendations' execution and public monitoring, kept once under their
//! SHA-256 in the file store. Uploaded by any account that may write in the
//! cycle (a monitor only for its organisation's work); read by their
//! uploaders, coordinators, and those who see what cites them.

use crate::permission::{Sight, sight};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Role};
use bagalau_core::refusal::Refusal;
use bagalau_store::files::{CheckedFile, FileError, FileStore};
use bagalau_store::{AnyStore, EvidenceRecord, Store};

impl From<FileError> for AppError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::TooLarge { .. } => AppError::TooLarge(e.to_string()),
            FileError::Io { .. } | FileError::Blob(_) => AppError::Internal(e.to_string()),
            _ => AppError::Invalid(vec![Problem::of("file", e.to_string())]),
        }
    }
}

/// Keeps an uploaded file (checked: its type by content, its size, its
/// name) and records who uploaded it; audited.
pub async fn upload(
    store: &AnyStore,
    files: &FileStore,
    front: FrontEnd,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    now: &str,
) -> AppResult<CheckedFile> {
    if actor.roles.iter().all(|r| matches!(r, Role::Monitor)) {
        return Err(AppError::Forbidden(Refusal::MonitorsNoEvidence));
    }
    let stored = files.put(file_name, bytes).await?;
    let mut batch = crate::batch(front, actor, now, None);
    batch.evidence.push(EvidenceRecord {
        sha256: stored.sha256.clone(),
        size: i64::try_from(stored.size).unwrap_or(i64::MAX),
        media_type: stored.media_type.clone(),
        file_name: stored.file_name.clone(),
        uploaded_by: actor.user.clone(),
    });
    store.apply(batch).await?;
    Ok(stored)
}

/// A kept file and its content, for an actor who may see it: one of its
/// uploaders, a coordinator, or whoever sees a recommendation, a
/// submission, an objection or a public-monitoring item citing it (a role
/// that sees no unpublished results sees no cited file). To anyone else
/// it does not exist.
pub async fn download(
    store: &AnyStore,
    files: &FileStore,
    actor: &Actor,
    sha256: &str,
) -> AppResult<(EvidenceRecord, Vec<u8>)> {
    let not_found = || AppError::NotFound(format!("no evidence file {sha256}"));
    let uploads = store.evidence_uploads(sha256).await?;
    let first = uploads.first().cloned().ok_or_else(not_found)?;
    let sight = sight(actor).unwrap_or(Sight::Bodies(Vec::new()));
    let sha = sha256.to_string();
    let visible = actor.has(&Role::Coordinator)
        || uploads.iter().any(|u| u.uploaded_by == actor.user)
        || store
            .recommendations(None)
            .await?
            .iter()
            .any(|(_, r)| r.evidence.contains(&sha) && crate::recommendations::sees(actor, r))
        || store
            .submission_evidence(None)
            .await?
            .iter()
            .any(|(_, body, s)| *s == sha && sight.covers(body))
        || store
            .objections_citing(sha256)
            .await?
            .iter()
            .any(|(_, _, o)| sight.covers(&o.body))
        || crate::monitoring::cites(store, actor, sha256).await?;
    if !visible {
        return Err(not_found());
    }
    let bytes = files.get(sha256).await?.ok_or_else(not_found)?;
    Ok((first, bytes))
}
