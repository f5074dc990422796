//! Publication snapshots: the immutable, content-hashed record of what was
//! published for a year. A correction is a new version with its reason; the
//! old versions stay available.

use crate::cycle::Conclusion;
use crate::hash::sha256_hex;
use crate::pack::Methodology;
use crate::registry::Registry;
use crate::score::{Assessment, BodyResult};
use crate::{Kind, Names};
use serde::{Deserialize, Serialize};

/// What one version publishes: the rankings and every body's full tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub year: i32,
    pub methodology: String,
    pub methodology_sha256: String,
    pub inputs_sha256: String,
    pub demonstration: bool,
    pub bodies: Vec<PublishedBody>,
    /// The final conclusions, per body and direction (absent from versions
    /// published without a cycle, whose text and hash stay as they were).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conclusions: Vec<PublishedConclusion>,
}

/// A final conclusion as published: by the authorized body, not the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedConclusion {
    pub body: String,
    pub direction: String,
    pub authority: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedBody {
    pub body: String,
    pub kind: Kind,
    pub name: Names,
    pub total: Option<f64>,
    pub rank: Option<u32>,
    pub band: Option<String>,
    pub result: BodyResult,
}

impl Snapshot {
    pub fn from_assessment(a: &Assessment, registry: &Registry) -> Snapshot {
        Snapshot {
            year: a.year,
            methodology: a.pack_id.clone(),
            methodology_sha256: a.pack_hash.clone(),
            inputs_sha256: a.input_hash.clone(),
            demonstration: a.demonstration,
            bodies: a
                .results
                .iter()
                .map(|r| PublishedBody {
                    body: r.body.clone(),
                    kind: r.kind,
                    name: registry
                        .name_in_year(&r.body, a.year)
                        .cloned()
                        .unwrap_or_else(|| Names {
                            kk: r.body.clone(),
                            ru: r.body.clone(),
                            en: r.body.clone(),
                        }),
                    total: r.total,
                    rank: r.rank,
                    band: r.band.clone(),
                    result: r.clone(),
                })
                .collect(),
            conclusions: Vec::new(),
        }
    }

    /// Adds the year's final conclusions (preliminary ones are never
    /// published), each under the authorized body of its direction.
    pub fn with_final_conclusions(mut self, conclusions: &[Conclusion], m: &Methodology) -> Self {
        let mut published: Vec<PublishedConclusion> = conclusions
            .iter()
            .filter(|c| c.is_final)
            .map(|c| PublishedConclusion {
                body: c.body.clone(),
                direction: c.direction.clone(),
                authority: m
                    .blocks
                    .iter()
                    .flat_map(|b| &b.directions)
                    .find(|d| d.id == c.direction)
                    .map_or_else(String::new, |d| d.authorized_body.clone()),
                text: c.text.clone(),
            })
            .collect();
        published.sort_by(|a, b| (&a.body, &a.direction).cmp(&(&b.body, &b.direction)));
        self.conclusions = published;
        self
    }

    /// The canonical text (JSON, fields in declaration order) and its SHA-256.
    pub fn canonical(&self) -> (String, String) {
        let text = serde_json::to_string(self).expect("a snapshot serialises");
        let hash = sha256_hex(text.as_bytes());
        (text, hash)
    }
}

/// A stored version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub year: i32,
    pub version: i32,
    pub content_sha256: String,
    pub published_at: String,
    pub published_by: String,
    /// Required for every version after the first: why it was corrected.
    pub reason: Option<String>,
}

impl Publication {
    /// The version as the public is told of it: who decided to publish is
    /// an institution (`commission`: approved by the Assessment Commission
    /// through the API; `operator`: published from the command line), never
    /// a person's account name, which stays on the audit trail.
    pub fn for_the_public(&self) -> Publication {
        let by = if self.published_by.starts_with("api:") {
            "commission"
        } else {
            "operator"
        };
        Publication {
            published_by: by.to_string(),
            ..self.clone()
        }
    }
}

/// What changed between two published versions: bodies whose total, rank or band moved.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for n in &new.bodies {
        match old.bodies.iter().find(|o| o.body == n.body) {
            None => out.push(format!("{}: added", n.body)),
            Some(o) if o.total != n.total || o.rank != n.rank || o.band != n.band => {
                out.push(format!(
                    "{}: total {} → {}, rank {} → {}",
                    n.body,
                    o.total.map_or("-".into(), |t| format!("{t:.2}")),
                    n.total.map_or("-".into(), |t| format!("{t:.2}")),
                    o.rank.map_or("-".into(), |r| r.to_string()),
                    n.rank.map_or("-".into(), |r| r.to_string())
                ))
            }
            Some(_) => {}
        }
    }
    for o in &old.bodies {
        if !new.bodies.iter().any(|n| n.body == o.body) {
            out.push(format!("{}: removed", o.body));
        }
    }
    let key = |c: &PublishedConclusion| (c.body.clone(), c.direction.clone());
    let mut keys: Vec<(String, String)> = old
        .conclusions
        .iter()
        .chain(&new.conclusions)
        .map(key)
        .collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let find = |s: &Snapshot| {
            s.conclusions
                .iter()
                .find(|c| key(c) == k)
                .map(|c| c.text.clone())
        };
        match (find(old), find(new)) {
            (None, Some(_)) => out.push(format!("{}: final conclusion on {} published", k.0, k.1)),
            (Some(_), None) => out.push(format!("{}: final conclusion on {} withdrawn", k.0, k.1)),
            (Some(a), Some(b)) if a != b => {
                out.push(format!("{}: final conclusion on {} rewritten", k.0, k.1))
            }
            _ => {}
        }
    }
    out
}
