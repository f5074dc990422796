//! The audit trail: every write is an entry (who, when, what, old and new
//! values, why) whose hash covers the previous entry's hash, so that editing
//! or deleting an entry breaks the chain; and every stored record can be
//! checked against the last content the trail recorded for it, so that a
//! record changed or deleted behind Bagalau's back is found.

use crate::hash::{FieldHasher, sha256_hex};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One audited write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: i64,
    /// RFC 3339.
    pub at: String,
    pub actor: String,
    /// `insert`, `update` or `delete`.
    pub action: String,
    /// `registry`, `pack`, `value`, `assessment`, `performance_pack`, `series`.
    pub entity: String,
    pub key: String,
    /// The record's canonical content before and after (None: absent).
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    /// The previous entry's hash ("" for the first).
    pub prev: String,
    pub hash: String,
}

/// An entry before it is chained.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub entity: &'static str,
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The hash of an entry: SHA-256 over the previous hash and every field
/// (all but `hash` itself).
pub fn entry_hash(e: &Entry) -> String {
    let mut h = FieldHasher::default();
    h.field(e.prev.as_bytes())
        .field(e.seq.to_string().as_bytes())
        .field(e.at.as_bytes())
        .field(e.actor.as_bytes());
    h.field(e.action.as_bytes())
        .field(e.entity.as_bytes())
        .field(e.key.as_bytes());
    for part in [&e.old, &e.new, &e.reason] {
        match part {
            Some(p) => h.field(b"some").field(p.as_bytes()),
            None => h.field(b"none"),
        };
    }
    h.finish()
}

/// Chains changes after the head (`prev`, last `seq`).
pub fn chain(
    changes: Vec<Change>,
    head: (&str, i64),
    at: &str,
    actor: &str,
    reason: Option<&str>,
) -> Vec<Entry> {
    let (mut prev, mut seq) = (head.0.to_string(), head.1);
    changes
        .into_iter()
        .map(|c| {
            seq += 1;
            let action = match (&c.old, &c.new) {
                (None, Some(_)) => "insert",
                (Some(_), Some(_)) => "update",
                _ => "delete",
            };
            let mut e = Entry {
                seq,
                at: at.to_string(),
                actor: actor.to_string(),
                action: action.to_string(),
                entity: c.entity.to_string(),
                key: c.key,
                old: c.old,
                new: c.new,
                reason: reason.map(str::to_string),
                prev: prev.clone(),
                hash: String::new(),
            };
            e.hash = entry_hash(&e);
            prev = e.hash.clone();
            e
        })
        .collect()
}

/// The canonical content of a reporting value.
/// A number as audited content writes it: the shortest text that reads
/// back as the same number, with negative zero as zero (databases store
/// -0.0 as 0.0, and the content is hashed and compared with what was read
/// back).
pub fn number(v: f64) -> String {
    if v == 0.0 {
        "0.0".into()
    } else {
        format!("{v:?}")
    }
}

pub fn value_content(value: Option<f64>, note: Option<&str>, origin: &str) -> String {
    format!(
        "value={}; note={}; origin={origin}",
        value.map_or("none".to_string(), number),
        note.unwrap_or("")
    )
}

/// The canonical content of a series observation.
pub fn series_content(value: f64, source: Option<&str>, origin: &str) -> String {
    format!(
        "value={value:?}; source={}; origin={origin}",
        source.unwrap_or("")
    )
}

/// A stored record as it is now: (entity, key, content).
pub type Record = (String, String, String);

/// What `verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An entry's hash does not match its contents or its predecessor.
    Altered(i64),
    /// Sequence numbers jump: entries were deleted.
    Missing { after: i64, next: i64 },
    /// A record that no entry ever wrote.
    Unrecorded { entity: String, key: String },
    /// A record whose content differs from the last content written.
    Changed { entity: String, key: String },
    /// A record the trail says exists, but that is gone.
    Deleted { entity: String, key: String },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Altered(seq) => {
                write!(f, "audit entry {seq} was altered (its hash does not match)")
            }
            Problem::Missing { after, next } => {
                write!(f, "audit entries between {after} and {next} were deleted")
            }
            Problem::Unrecorded { entity, key } => write!(
                f,
                "{entity} {key} was written outside Bagalau (no audit entry)"
            ),
            Problem::Changed { entity, key } => {
                write!(f, "{entity} {key} was changed outside Bagalau")
            }
            Problem::Deleted { entity, key } => {
                write!(f, "{entity} {key} was deleted outside Bagalau")
            }
        }
    }
}

/// Checks the chain alone: entries altered or missing. `entries` in
/// sequence order.
pub fn verify_chain(entries: &[Entry]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut prev = "";
    let mut last_seq = 0;
    for e in entries {
        if e.seq != last_seq + 1 {
            problems.push(Problem::Missing {
                after: last_seq,
                next: e.seq,
            });
        }
        if entry_hash(e) != e.hash || e.prev != prev {
            problems.push(Problem::Altered(e.seq));
        }
        prev = &e.hash;
        last_seq = e.seq;
    }
    problems
}

/// Checks the chain and every record against it. `entries` in sequence order.
pub fn verify(entries: &[Entry], records: &[Record]) -> Vec<Problem> {
    let mut problems = verify_chain(entries);
    let latest: BTreeMap<(&str, &str), Option<&str>> = entries
        .iter()
        .map(|e| ((e.entity.as_str(), e.key.as_str()), e.new.as_deref()))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (entity, key, content) in records {
        seen.insert((entity.as_str(), key.as_str()));
        match latest.get(&(entity.as_str(), key.as_str())) {
            None | Some(None) => problems.push(Problem::Unrecorded {
                entity: entity.clone(),
                key: key.clone(),
            }),
            Some(Some(last)) if sha256_hex(last.as_bytes()) != sha256_hex(content.as_bytes()) => {
                problems.push(Problem::Changed {
                    entity: entity.clone(),
                    key: key.clone(),
                });
            }
            Some(Some(_)) => {}
        }
    }
    for ((entity, key), last) in &latest {
        if last.is_some() && !seen.contains(&(*entity, *key)) {
            problems.push(Problem::Deleted {
                entity: entity.to_string(),
                key: key.to_string(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_one_way_whatever_their_zero() {
        assert_eq!(number(-0.0), number(0.0));
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(-3.0), "-3.0");
        assert_eq!(
            value_content(Some(-0.0), None, "f"),
            value_content(Some(0.0), None, "f")
        );
    }

    fn sample() -> (Vec<Entry>, Vec<Record>) {
        let changes = vec![
            Change {
                entity: "value",
                key: "2022/minfin/a".into(),
                old: None,
                new: Some(value_content(Some(1.0), None, "f.csv")),
            },
            Change {
                entity: "value",
                key: "2022/minfin/b".into(),
                old: None,
                new: Some(value_content(Some(2.0), None, "f.csv")),
            },
        ];
        let mut entries = chain(
            changes,
            ("", 0),
            "2026-01-01T00:00:00Z",
            "cli:test",
            Some("first load"),
        );
        let update = Change {
            entity: "value",
            key: "2022/minfin/a".into(),
            old: Some(value_content(Some(1.0), None, "f.csv")),
            new: Some(value_content(Some(3.0), None, "g.csv")),
        };
        let head = (entries[1].hash.clone(), 2);
        entries.extend(chain(
            vec![update],
            (&head.0, head.1),
            "2026-01-02T00:00:00Z",
            "cli:test",
            None,
        ));
        let records = vec![
            (
                "value".into(),
                "2022/minfin/a".into(),
                value_content(Some(3.0), None, "g.csv"),
            ),
            (
                "value".into(),
                "2022/minfin/b".into(),
                value_content(Some(2.0), None, "f.csv"),
            ),
        ];
        (entries, records)
    }

    #[test]
    fn an_intact_trail_verifies() {
        let (entries, records) = sample();
        assert_eq!(entries[2].action, "update");
        assert_eq!(verify(&entries, &records), vec![]);
    }

    #[test]
    fn every_tampering_is_found() {
        let (entries, records) = sample();
        let mut e = entries.clone();
        e[0].new = Some(value_content(Some(9.0), None, "f.csv"));
        assert_eq!(verify(&e, &records), vec![Problem::Altered(1)]);
        let mut e = entries.clone();
        e.remove(1);
        assert!(verify(&e, &records).contains(&Problem::Missing { after: 1, next: 3 }));
        let mut r = records.clone();
        r[1].2 = value_content(Some(2.5), None, "f.csv");
        assert_eq!(
            verify(&entries, &r),
            vec![Problem::Changed {
                entity: "value".into(),
                key: "2022/minfin/b".into()
            }]
        );
        let r = vec![records[0].clone()];
        assert_eq!(
            verify(&entries, &r),
            vec![Problem::Deleted {
                entity: "value".into(),
                key: "2022/minfin/b".into()
            }]
        );
        let mut r = records.clone();
        r.push((
            "value".into(),
            "2022/mne/a".into(),
            value_content(Some(1.0), None, "x"),
        ));
        assert_eq!(
            verify(&entries, &r),
            vec![Problem::Unrecorded {
                entity: "value".into(),
                key: "2022/mne/a".into()
            }]
        );
    }
}
