//! The audit trail for those who keep it: its latest entries, filtered,
//! and its verification, whole (its checkpoints and public keys are
//! public).

use crate::permission::{Action, authorize};
use crate::{Actor, AppError, AppResult, Problem};
use bagalau_core::audit::Entry;
use bagalau_core::transparency::{self, Tree};
use bagalau_store::{AnyStore, Store};

/// Which entries.
#[derive(Debug, Clone, Default)]
pub struct LogFilter<'a> {
    pub entity: Option<&'a str>,
    pub key: Option<&'a str>,
    /// The latest this many (at most [`MOST_ENTRIES`]).
    pub limit: usize,
}

/// The most entries one read returns.
pub const MOST_ENTRIES: usize = 10_000;

/// The latest entries that pass the filter, oldest first, and how many
/// entries the trail holds.
pub async fn log(
    store: &AnyStore,
    actor: &Actor,
    filter: LogFilter<'_>,
) -> AppResult<(Vec<Entry>, usize)> {
    authorize(actor, Action::ReadAudit)?;
    let entries = store.audit_entries().await?;
    let total = entries.len();
    let mut shown: Vec<Entry> = entries
        .into_iter()
        .rev()
        .filter(|e| {
            filter.entity.is_none_or(|x| e.entity == x) && filter.key.is_none_or(|k| e.key == k)
        })
        .take(filter.limit.min(MOST_ENTRIES))
        .collect();
    shown.reverse();
    Ok((shown, total))
}

/// What a verification found: the trail's size and head, what failed (in
/// words), and what holds beyond the chain (checkpoints, proofs).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    pub entries: usize,
    pub records: usize,
    /// The last entry's hash and number (None for an empty trail).
    pub head: Option<(String, i64)>,
    pub problems: Vec<String>,
    /// What holds: the latest signed checkpoint, each consistency proof.
    pub held: Vec<String>,
}

impl Verification {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checkpoints kept elsewhere (an auditor's, a journalist's) and public
/// keys to check them with, besides the log's own.
#[derive(Debug, Clone, Default)]
pub struct Witnesses {
    /// Signed notes, as `bagalau audit checkpoint` prints them.
    pub checkpoints: Vec<String>,
    pub public_keys: Vec<String>,
}

/// The largest checkpoint note accepted (a few lines).
pub const MOST_CHECKPOINT_BYTES: usize = 64 * 1024;

/// Verifies the whole trail: every entry's chained hash, every record
/// against the entry that wrote it, the bodies table against the
/// registry, and the checkpoints (stored and given) against the Merkle
/// tree of the entries: a rewritten history shows, even when the chain
/// was rebuilt by someone who can write the database.
pub async fn verify(
    store: &AnyStore,
    actor: &Actor,
    witnesses: &Witnesses,
) -> AppResult<Verification> {
    authorize(actor, Action::ReadAudit)?;
    let mut invalid = Vec::new();
    for (i, key) in witnesses.public_keys.iter().enumerate() {
        if let Err(e) = transparency::check_public_key(key) {
            invalid.push(Problem::of(&format!("public key {}", i + 1), e.to_string()));
        }
    }
    for (i, note) in witnesses.checkpoints.iter().enumerate() {
        if note.len() > MOST_CHECKPOINT_BYTES {
            invalid.push(Problem::of(
                &format!("checkpoint {}", i + 1),
                "not a checkpoint (a note of a few lines)",
            ));
        }
    }
    if !invalid.is_empty() {
        return Err(AppError::Invalid(invalid));
    }
    let entries = store.audit_entries().await?;
    let records = store.audit_records().await?;
    let mut problems: Vec<String> = bagalau_core::audit::verify(&entries, &records)
        .iter()
        .map(ToString::to_string)
        .collect();
    // The bodies table is derived from the registry: it must match it.
    if let Some(registry) = store.registry().await? {
        let mut expected: Vec<(String, String, String, String, String)> = registry
            .bodies
            .iter()
            .map(|b| {
                (
                    b.id.clone(),
                    b.kind.as_str().to_string(),
                    b.name.kk.clone(),
                    b.name.ru.clone(),
                    b.name.en.clone(),
                )
            })
            .collect();
        expected.sort();
        if store.body_rows().await? != expected {
            problems.push(
                "the bodies table differs from the stored registry (changed outside Bagalau)"
                    .into(),
            );
        }
    }
    let mut held = Vec::new();
    checkpoints(store, &entries, witnesses, &mut problems, &mut held).await?;
    Ok(Verification {
        entries: entries.len(),
        records: records.len(),
        head: entries.last().map(|e| (e.hash.clone(), e.seq)),
        problems,
        held,
    })
}

/// The checkpoints' part of a verification.
async fn checkpoints(
    store: &AnyStore,
    entries: &[Entry],
    witnesses: &Witnesses,
    problems: &mut Vec<String>,
    held: &mut Vec<String>,
) -> AppResult<()> {
    let stored = store.audit_checkpoints().await?;
    let given = &witnesses.checkpoints;
    let mut keys = store.audit_keys().public();
    keys.extend(witnesses.public_keys.iter().cloned());
    if stored.is_empty()
        && given.is_empty()
        && store.audit_keys().signing.is_some()
        && !entries.is_empty()
    {
        problems.push(
            "the audit key is configured, and the trail has no checkpoint: its checkpoints were deleted, or nothing was written since the key was configured (then bagalau audit checkpoint signs it)".into(),
        );
        return Ok(());
    }
    if stored.is_empty() && given.is_empty() {
        held.push(
            "The trail is not signed: no checkpoint vouches for it (configure audit.key; bagalau audit keygen makes one).".into(),
        );
        return Ok(());
    }
    if keys.is_empty() {
        problems.push(format!(
            "{} checkpoint(s) cannot be checked: no public key of the log is known (give one, or configure audit.key)",
            stored.len() + given.len()
        ));
        return Ok(());
    }
    let tree = Tree::of(entries.iter().map(|e| e.hash.as_str()));
    let report = transparency::check(&tree, &stored, given, &keys);
    problems.extend(report.problems.iter().map(ToString::to_string));
    if let Some(latest) = &report.latest {
        held.push(format!(
            "{} checkpoint(s) signed by the log's key; the latest signs {latest}.",
            stored.len()
        ));
    }
    for (head, proof) in &report.proofs {
        held.push(format!(
            "Today's trail ({} entries) extends the checkpoint of {head}: consistency proof of {} hash(es):",
            tree.size(),
            proof.len()
        ));
        held.extend(proof.iter().map(|h| format!("  {h}")));
    }
    Ok(())
}
