//! The audit trail for those who keep it: its latest entries, filtered.
//! (Its checkpoints and public keys are public; `bagalau audit verify`
//! checks it whole.)

use crate::permission::{Action, authorize};
use crate::{Actor, AppResult};
use bagalau_core::audit::Entry;
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
