//! Imports of public-service delivery records, as jobs kept in the store:
//! started by an importer of a provider's records (only its provider's
//! records go in) or a coordinator, run by the front end where blocking is
//! allowed, ended with their outcome; every start and end audited, the
//! job's state read by whoever started it, service analysts and
//! coordinators, from any server on the same database.

use crate::permission::{Action, authorize, provider_scope};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem};
use bagalau_services::deliveries::{DeliveryRecords, ImportOutcome, RecordsFile};
use bagalau_store::{AnyStore, RecordImport, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How often a running import shows, in its job, that it is at work.
pub const HEARTBEAT_SECONDS: u64 = 60;

/// A running import that has not shown itself at work for this long has
/// lost its server (a crash, a redeploy): ten heartbeats missed.
pub const ABANDONED_AFTER_SECONDS: i64 = 600;

/// Rows read between two progress notes in the store.
const PROGRESS_EVERY: u64 = 100_000;

/// The longest file name an import takes.
pub const FILE_NAME_MAX: usize = 120;

/// A file of records received, before its import starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRecords {
    /// The name it was sent as (`deliveries-2024-07.csv`).
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
}

/// The format and stem of a records file's name: letters, digits, `-`,
/// `_` and `.`, ending in `.csv` or `.parquet`.
pub fn format_and_stem(file_name: &str) -> AppResult<(&'static str, String)> {
    let bad = |why: &str| AppError::Invalid(vec![Problem::of("name", why.to_string())]);
    if file_name.is_empty()
        || file_name.chars().count() > FILE_NAME_MAX
        || file_name.starts_with('.')
        || !file_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(bad(&format!(
            "a file name of 1 to {FILE_NAME_MAX} letters, digits, `-`, `_` and `.`, ending in .csv or .parquet"
        )));
    }
    let lower = file_name.to_ascii_lowercase();
    let (format, stem) = if let Some(stem) = lower.strip_suffix(".csv") {
        ("csv", &file_name[..stem.len()])
    } else if let Some(stem) = lower.strip_suffix(".parquet") {
        ("parquet", &file_name[..stem.len()])
    } else {
        return Err(bad("records come as .csv or .parquet"));
    };
    if stem.is_empty() {
        return Err(bad("the file name has no stem before its extension"));
    }
    Ok((format, stem.to_string()))
}

/// Whether `actor` may import a file named `file_name`: what a front end
/// checks before it reads the file's bytes.
pub fn may_import(actor: &Actor, file_name: &str) -> AppResult<()> {
    authorize(actor, Action::ImportProviderRecords)?;
    format_and_stem(file_name).map(|_| ())
}

/// Starts an import of `received` as job `id` (random, given by the front
/// end): checked and kept, state `running`, audited.
pub async fn start_import(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    received: &ReceivedRecords,
    id: &str,
    now: &str,
) -> AppResult<RecordImport> {
    may_import(actor, &received.file_name)?;
    let (format, _) = format_and_stem(&received.file_name)?;
    let mut batch = crate::batch(front, actor, now, None);
    let job = RecordImport {
        id: id.to_string(),
        file_name: received.file_name.clone(),
        content_sha256: received.sha256.clone(),
        size: i64::try_from(received.size).unwrap_or(i64::MAX),
        format: format.to_string(),
        requested_by: batch.actor.clone(),
        requested_at: now.to_string(),
        state: "running".into(),
        finished_at: None,
        outcome: None,
        rows_read: 0,
        heartbeat_at: None,
    };
    batch.record_imports.push(job.clone());
    store.apply(batch).await?;
    Ok(job)
}

/// Runs a started import of the file at `path` (blocking): the actor's
/// providers only, bad rows quarantined in `quarantine`.
pub fn run_import(
    records: &dyn DeliveryRecords,
    actor: &Actor,
    job: &RecordImport,
    path: &Path,
    keep_good_rows: bool,
    quarantine: &Path,
    progress: &mut dyn FnMut(u64),
) -> AppResult<ImportOutcome> {
    let scope = provider_scope(actor)?;
    let (format, stem) = format_and_stem(&job.file_name)?;
    records
        .import(
            RecordsFile {
                path,
                stem: &stem,
                parquet: format == "parquet",
                keep_good_rows,
                providers: scope.as_deref(),
                quarantine,
            },
            progress,
        )
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Runs a started import of the file at `path` to its end on the blocking
/// pool, while its job shows its progress and, every
/// [`HEARTBEAT_SECONDS`], that it is at work (`now` gives the time);
/// `on_rows` hears every count of rows read. The job is not ended here:
/// [`finish_import`] records what this returns.
#[allow(clippy::too_many_arguments)]
pub async fn import_file(
    store: &AnyStore,
    records: Arc<dyn DeliveryRecords>,
    actor: &Actor,
    job: &RecordImport,
    path: PathBuf,
    keep_good_rows: bool,
    quarantine: PathBuf,
    now: impl Fn() -> String,
    mut on_rows: impl FnMut(u64),
) -> AppResult<ImportOutcome> {
    let (rows_tx, mut rows_rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
    let (running_actor, running_job) = (actor.clone(), job.clone());
    let running = tokio::task::spawn_blocking(move || {
        run_import(
            records.as_ref(),
            &running_actor,
            &running_job,
            &path,
            keep_good_rows,
            &quarantine,
            &mut |rows| {
                let _ = rows_tx.send(rows);
            },
        )
    });
    let mut heartbeat = tokio::time::interval(std::time::Duration::from_secs(HEARTBEAT_SECONDS));
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let (mut rows, mut noted) = (0u64, 0u64);
    loop {
        tokio::select! {
            read = rows_rx.recv() => match read {
                Some(n) => {
                    rows = n;
                    on_rows(n);
                    if n < noted + PROGRESS_EVERY {
                        continue;
                    }
                }
                // The import ended (its sender is gone).
                None => break,
            },
            _ = heartbeat.tick() => {}
        }
        noted = rows;
        // A hint: a failed note leaves the job as it was.
        let _ = store
            .record_import_progress(&job.id, i64::try_from(rows).unwrap_or(i64::MAX), &now())
            .await;
    }
    running
        .await
        .unwrap_or_else(|e| Err(AppError::Internal(format!("the import stopped: {e}"))))
}

/// Whether a running job has lost its server: no sign of work (its last
/// heartbeat, or its start) for [`ABANDONED_AFTER_SECONDS`] before `now`.
pub fn abandoned(job: &RecordImport, now: &str) -> bool {
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    let last = job.heartbeat_at.as_deref().unwrap_or(&job.requested_at);
    job.state == "running"
        && matches!((at(last), at(now)), (Some(last), Some(now))
            if (now - last).num_seconds() > ABANDONED_AFTER_SECONDS)
}

/// Ends an abandoned job as failed, after removing whatever of its
/// records its server had added before it stopped; audited as noticed by
/// `actor`.
async fn end_abandoned(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    front: FrontEnd,
    actor: &Actor,
    job: &RecordImport,
    now: &str,
) -> AppResult<RecordImport> {
    let (_, stem) = format_and_stem(&job.file_name)?;
    let removed = records
        .remove(&stem)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let why = format!(
        "the import stopped before it ended (its server stopped showing it at work after {} rows); {removed} files of its records were removed, so nothing of it is kept: import the file again",
        job.rows_read
    );
    finish_import(store, front, actor, job, &Err(AppError::Internal(why)), now).await
}

/// Ends a job with what its run gave: `done` with the outcome, or `failed`
/// with the error (a file that cannot be read as records is the job's
/// failure, not the server's); audited.
pub async fn finish_import(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    job: &RecordImport,
    ran: &AppResult<ImportOutcome>,
    now: &str,
) -> AppResult<RecordImport> {
    let mut ended = job.clone();
    ended.finished_at = Some(now.to_string());
    match ran {
        Ok(outcome) => {
            ended.state = "done".into();
            ended.outcome = Some(
                serde_json::to_string(outcome).map_err(|e| AppError::Internal(e.to_string()))?,
            );
        }
        Err(e) => {
            ended.state = "failed".into();
            ended.outcome = Some(serde_json::json!({ "error": e.to_string() }).to_string());
        }
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.record_imports.push(ended.clone());
    store.apply(batch).await?;
    Ok(ended)
}

/// A job as its reader sees it: the one who started it, service analysts
/// and coordinators; to anyone else it does not exist.
/// A job whose server stopped is ended as it is read (see [`abandoned`]).
pub async fn import_status(
    store: &AnyStore,
    records: &dyn DeliveryRecords,
    front: FrontEnd,
    actor: &Actor,
    id: &str,
    now: &str,
) -> AppResult<RecordImport> {
    let not_found = || AppError::NotFound(format!("no import of records `{id}`"));
    let job = store.record_import(id).await?.ok_or_else(not_found)?;
    let own = job
        .requested_by
        .split_once(':')
        .is_some_and(|(_, name)| name == actor.user);
    if !own && authorize(actor, Action::ReadServiceFigures).is_err() {
        return Err(not_found());
    }
    if abandoned(&job, now) {
        return end_abandoned(store, records, front, actor, &job, now).await;
    }
    Ok(job)
}

/// A job's outcome, read back: the import's, or the error it failed with.
pub fn outcome(job: &RecordImport) -> (Option<ImportOutcome>, Option<String>) {
    let Some(text) = &job.outcome else {
        return (None, None);
    };
    if job.state == "done" {
        (serde_json::from_str(text).ok(), None)
    } else {
        let error = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string));
        (None, error)
    }
}

#[cfg(test)]
mod tests {
    use super::format_and_stem;

    #[test]
    fn a_file_name_gives_its_format_and_stem_or_is_refused() {
        assert_eq!(
            format_and_stem("july-2024.CSV").unwrap(),
            ("csv", "july-2024".to_string())
        );
        assert_eq!(
            format_and_stem("a.b.parquet").unwrap(),
            ("parquet", "a.b".to_string())
        );
        for bad in [
            "",
            "../x.csv",
            "x/y.csv",
            ".csv",
            "x.txt",
            "é.csv",
            ".hidden.csv",
        ] {
            assert!(format_and_stem(bad).is_err(), "{bad}");
        }
        assert!(format_and_stem(&format!("{}.csv", "x".repeat(200))).is_err());
    }
}
