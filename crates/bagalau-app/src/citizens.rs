//! Complaints and applications to bodies, and the records of the Open
//! Government portals: imported into the store, all files or none, each
//! record kept once and never overwritten (an edit at the source is a new
//! fact to correct there), and read back for the indicators of the
//! interaction block.

use crate::permission::{Action, authorize, provider_scope};
use crate::{Actor, AppError, AppResult, FrontEnd, Problem, Upload};
use bagalau_services::complaints::{self, Complaint, Counts, Terms};
use bagalau_services::kept::{keyed_rows, table};
use bagalau_services::openness::{self, BodyValues, Kind, Records};
use bagalau_store::{AnyStore, Family, KeptRecord, Store};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What one file of an import held.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileImported {
    pub file: String,
    /// The kind of records (`complaints`, an openness kind, `responses`).
    pub kind: String,
    pub records: usize,
    /// Records new to the store.
    pub added: usize,
    /// Records kept before, unchanged.
    pub again: usize,
    /// Survey responses rejected by the tool's reviewers: kept, not counted.
    pub rejected: usize,
}

/// What an import did: each file, and how many records of each kind are
/// kept now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordsImported {
    pub files: Vec<FileImported>,
    pub kept: BTreeMap<String, usize>,
}

/// A problem of a services reader, placed in its file.
pub(crate) fn placed(file: &str, p: &bagalau_services::Problem) -> Problem {
    Problem {
        source: file.to_string(),
        line: (p.line > 0).then_some(p.line),
        column: (!p.column.is_empty()).then(|| p.column.clone()),
        message: p.message.clone(),
    }
}

/// The rows of a family's records that are not kept yet, with the file
/// each came from: `canonical` is the whole set after the import; `origin`
/// says which file gave each key.
pub(crate) fn new_rows(
    family: Family,
    part: &str,
    canonical: &str,
    key_columns: &[&str],
    stored: &BTreeSet<String>,
    origin: &BTreeMap<String, String>,
) -> Vec<KeptRecord> {
    keyed_rows(canonical, key_columns)
        .into_iter()
        .filter(|(key, _)| !stored.contains(key))
        .map(|(key, content)| KeptRecord {
            family,
            part: part.to_string(),
            origin: origin.get(&key).cloned().unwrap_or_default(),
            key,
            content,
        })
        .collect()
}

fn unreadable(what: &str, p: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("the kept {what} no longer read: {p}"))
}

async fn known_bodies(store: &AnyStore) -> AppResult<impl Fn(&str) -> bool> {
    let registry = crate::assessment::registry(store).await?;
    Ok(move |id: &str| registry.body(id).is_some())
}

const COMPLAINT_KEY: [&str; 2] = ["body", "id"];

/// A record's body and its id column (a figure's body and year).
fn openness_key(kind: Kind) -> [&'static str; 2] {
    if kind == Kind::Aggregates {
        ["body", "year"]
    } else {
        ["body", kind.columns()[0]]
    }
}

async fn kept_complaints(store: &AnyStore) -> AppResult<Option<Vec<Complaint>>> {
    complaints_of(&store.kept_records(Family::Complaint, None).await?)
}

/// The complaints kept as `rows`, read back (None for no rows).
fn complaints_of(rows: &[KeptRecord]) -> AppResult<Option<Vec<Complaint>>> {
    if rows.is_empty() {
        return Ok(None);
    }
    let text = table(
        &complaints::to_csv(&[]),
        rows.iter().map(|r| r.content.as_str()),
    );
    complaints::read(&text, |_| true)
        .map(Some)
        .map_err(|p| unreadable("complaints", &p[0]))
}

async fn kept_openness(store: &AnyStore) -> AppResult<Option<Records>> {
    openness_of(&store.kept_records(Family::Openness, None).await?)
}

/// The openness records kept as `rows`, read back (None for no rows).
fn openness_of(rows: &[KeptRecord]) -> AppResult<Option<Records>> {
    if rows.is_empty() {
        return Ok(None);
    }
    let mut all = Records::default();
    for kind in Kind::ALL {
        let of_kind: Vec<&str> = rows
            .iter()
            .filter(|r| r.part == kind.as_str())
            .map(|r| r.content.as_str())
            .collect();
        if of_kind.is_empty() {
            continue;
        }
        let text = table(&Records::default().to_csv(kind), of_kind);
        let (_, records) =
            openness::read(&text, |_| true).map_err(|p| unreadable("openness records", &p[0]))?;
        all.merge(kind, records)
            .map_err(|c| unreadable("openness records", &c[0]))?;
    }
    Ok(Some(all))
}

/// The complaints kept (None before the first import).
pub async fn complaints(store: &AnyStore, actor: &Actor) -> AppResult<Option<Vec<Complaint>>> {
    authorize(actor, Action::ReadServiceFigures)?;
    kept_complaints(store).await
}

/// The openness records kept (None before the first import).
pub async fn openness(store: &AnyStore, actor: &Actor) -> AppResult<Option<Records>> {
    authorize(actor, Action::ReadServiceFigures)?;
    kept_openness(store).await
}

/// Imports complaint records: every file read and checked (bodies in the
/// registry, nothing after `today`, an importer's own provider only), the
/// records not kept before added; all files or none.
pub async fn import_complaints(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    files: &[Upload],
    today: NaiveDate,
    now: &str,
) -> AppResult<RecordsImported> {
    let scope = provider_scope(actor)?;
    let known = known_bodies(store).await?;
    let rows = store.kept_records(Family::Complaint, None).await?;
    let mut kept = complaints_of(&rows)?.unwrap_or_default();
    let stored: BTreeSet<String> = rows.into_iter().map(|r| r.key).collect();
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut origin = BTreeMap::new();
    for file in files {
        let read = match complaints::read_new(&file.text, &known, today) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| placed(&file.name, p)));
                continue;
            }
        };
        if let Some(own) = &scope {
            let mut others: Vec<&str> = read
                .iter()
                .map(|r| r.body.as_str())
                .filter(|b| !own.iter().any(|o| o == b))
                .collect();
            others.sort_unstable();
            others.dedup();
            if !others.is_empty() {
                problems.push(Problem::of(
                    &file.name,
                    format!(
                        "records of {}: this account imports only {}'s",
                        others.join(", "),
                        own.join(", ")
                    ),
                ));
                continue;
            }
        }
        for (key, _) in keyed_rows(&complaints::to_csv(&read), &COMPLAINT_KEY) {
            origin.entry(key).or_insert_with(|| file.name.clone());
        }
        let records = read.len();
        match complaints::merge(&mut kept, read, |r| (r.body.clone(), r.id.clone())) {
            Ok(added) => report.push(FileImported {
                file: file.name.clone(),
                kind: "complaints".into(),
                records,
                added: added.added,
                again: added.again,
                rejected: 0,
            }),
            Err(conflicts) => {
                problems.extend(conflicts.iter().map(|c| Problem::of(&file.name, c.clone())))
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut batch = crate::batch(front, actor, now, None);
    batch.kept_records = new_rows(
        Family::Complaint,
        "",
        &complaints::to_csv(&kept),
        &COMPLAINT_KEY,
        &stored,
        &origin,
    );
    if !batch.kept_records.is_empty() {
        store.apply(batch).await?;
    }
    Ok(RecordsImported {
        files: report,
        kept: BTreeMap::from([("complaints".to_string(), kept.len())]),
    })
}

/// Imports records of the Open Government portals: files of any kind (the
/// header says which), checked together (an aggregate may not contradict
/// the records it sums up); all files or none.
pub async fn import_openness(
    store: &AnyStore,
    front: FrontEnd,
    actor: &Actor,
    files: &[Upload],
    today: NaiveDate,
    now: &str,
) -> AppResult<RecordsImported> {
    authorize(actor, Action::ImportServiceData)?;
    let known = known_bodies(store).await?;
    let rows = store.kept_records(Family::Openness, None).await?;
    let mut kept = openness_of(&rows)?.unwrap_or_default();
    let mut stored: BTreeMap<Kind, BTreeSet<String>> = BTreeMap::new();
    for r in rows {
        if let Some(kind) = Kind::ALL.into_iter().find(|k| k.as_str() == r.part) {
            stored.entry(kind).or_default().insert(r.key);
        }
    }
    let mut problems = Vec::new();
    let mut report = Vec::new();
    let mut origin: BTreeMap<Kind, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let (kind, read) = match openness::read_new(&file.text, &known, today) {
            Ok(read) => read,
            Err(found) => {
                problems.extend(found.iter().map(|p| placed(&file.name, p)));
                continue;
            }
        };
        let of_kind = origin.entry(kind).or_default();
        for (key, _) in keyed_rows(&read.to_csv(kind), &openness_key(kind)) {
            of_kind.entry(key).or_insert_with(|| file.name.clone());
        }
        let records = read.len(kind);
        match kept.merge(kind, read) {
            Ok(added) => report.push(FileImported {
                file: file.name.clone(),
                kind: kind.as_str().into(),
                records,
                added: added.added,
                again: added.again,
                rejected: 0,
            }),
            Err(conflicts) => {
                problems.extend(conflicts.iter().map(|c| Problem::of(&file.name, c.clone())))
            }
        }
    }
    if problems.is_empty() {
        problems.extend(
            openness::conflicts(&kept)
                .iter()
                .map(|e| Problem::of("openness records", e.to_string())),
        );
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut batch = crate::batch(front, actor, now, None);
    for (kind, from) in &origin {
        batch.kept_records.extend(new_rows(
            Family::Openness,
            kind.as_str(),
            &kept.to_csv(*kind),
            &openness_key(*kind),
            &stored.get(kind).cloned().unwrap_or_default(),
            from,
        ));
    }
    if !batch.kept_records.is_empty() {
        store.apply(batch).await?;
    }
    Ok(RecordsImported {
        files: report,
        kept: Kind::ALL
            .into_iter()
            .filter(|k| kept.len(*k) > 0)
            .map(|k| (k.as_str().to_string(), kept.len(k)))
            .collect(),
    })
}

/// How records are judged: the day unanswered ones are judged on and the
/// legal terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judging {
    pub as_of: NaiveDate,
    pub terms: Terms,
    /// The least public discussion of a draft legal act, in calendar days.
    pub discussion_days: u32,
}

impl Judging {
    /// The law's terms, judged on `as_of`.
    pub fn on(as_of: NaiveDate) -> Judging {
        Judging {
            as_of,
            terms: Terms::default(),
            discussion_days: DISCUSSION_DAYS,
        }
    }
}

/// The least public discussion of a draft legal act (Law on Legal Acts,
/// art. 19: ten calendar days).
pub const DISCUSSION_DAYS: u32 = 10;

fn counting_problem(e: impl std::fmt::Display) -> AppError {
    AppError::Invalid(vec![Problem::of("records", e.to_string())])
}

/// The year's complaint counts of the kept records, grouped by one of
/// [`complaints::BREAKDOWNS`]; None when no records are kept.
pub async fn complaint_indicators(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    by: &str,
    judging: &Judging,
) -> AppResult<Option<BTreeMap<String, Counts>>> {
    authorize(actor, Action::ReadServiceFigures)?;
    crate::services::four_digit_year(year)?;
    let Some(group_of) = complaints::breakdown(by) else {
        return Err(AppError::Invalid(vec![Problem::of(
            "by",
            format!(
                "`{}` is not a breakdown (one of {})",
                bagalau_core::checked::shown(by),
                complaints::BREAKDOWNS.join(", ")
            ),
        )]));
    };
    let Some(records) = kept_complaints(store).await? else {
        return Ok(None);
    };
    let calendar = crate::services::calendar(store).await?;
    let counting = complaints::Counting {
        year,
        as_of: judging.as_of,
        terms: judging.terms,
        calendar: &calendar,
    };
    complaints::count(&records, counting, group_of)
        .map(Some)
        .map_err(counting_problem)
}

/// The year's openness values per body of the kept records; None when no
/// records are kept.
pub async fn openness_indicators(
    store: &AnyStore,
    actor: &Actor,
    year: i32,
    judging: &Judging,
) -> AppResult<Option<BTreeMap<String, BodyValues>>> {
    authorize(actor, Action::ReadServiceFigures)?;
    crate::services::four_digit_year(year)?;
    let Some(records) = kept_openness(store).await? else {
        return Ok(None);
    };
    let calendar = crate::services::calendar(store).await?;
    let counting = openness::Counting {
        year,
        as_of: judging.as_of,
        discussion_days: judging.discussion_days,
        dialogue_working_days: judging.terms.application_working_days,
        calendar: &calendar,
    };
    openness::values(&records, counting)
        .map(Some)
        .map_err(counting_problem)
}
