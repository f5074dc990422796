//! Risk-based selection of bodies for verification: each body gets a risk
//! score with its reasons (jumps against last year, outliers among its
//! peers, a late or corrected submission, findings of past verifications),
//! the riskiest are selected, and a seeded draw adds some others so that
//! every body can be checked. The same inputs and seed give the same
//! selection.

use crate::Kind;
use crate::data::YearData;
use crate::hash::FieldHasher;
use crate::pack::{Methodology, fmt_num};
use crate::registry::Registry;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A relative change against last year above this share is a jump.
pub const JUMP: f64 = 0.5;
/// Robust z-score above which a value is an outlier among peers (Iglewicz and Hoaglin, 1993).
pub const OUTLIER_Z: f64 = 3.5;

/// What the cycle knows of a body's submission and history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub late: bool,
    pub corrections: usize,
    pub past_findings: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub points: f64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskScore {
    pub body: String,
    pub kind: Kind,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SelectedBy {
    Risk,
    Draw,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    pub body: String,
    pub by: SelectedBy,
    pub score: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Scores every body evaluated in the methodology's year.
pub fn score(
    m: &Methodology,
    registry: &Registry,
    current: &YearData,
    previous: Option<&YearData>,
    facts: &BTreeMap<String, Facts>,
) -> Vec<RiskScore> {
    let bodies: Vec<_> = registry
        .evaluated_in(m.year)
        .into_iter()
        .filter(|b| b.kind != Kind::Other)
        .collect();
    let mut out = Vec::new();
    for b in &bodies {
        let mut reasons = Vec::new();
        let mut jumps = 0;
        let mut outliers = 0;
        for ind in &m.indicators {
            let Some(x) = current.get(&b.id, &ind.id) else {
                continue;
            };
            if let Some(p) = previous.and_then(|p| p.get(&b.id, &ind.id))
                && p != 0.0
            {
                let change = (x - p) / p.abs();
                if change.abs() > JUMP && jumps < 5 {
                    jumps += 1;
                    reasons.push(Reason {
                        points: 1.0,
                        text: format!(
                            "`{}` went from {} to {} ({:+.0}%) against last year",
                            ind.id,
                            fmt_num(p),
                            fmt_num(x),
                            change * 100.0
                        ),
                    });
                }
            }
            let peers: Vec<f64> = bodies
                .iter()
                .filter(|o| o.kind == b.kind)
                .filter_map(|o| current.get(&o.id, &ind.id))
                .collect();
            if peers.len() >= 5 && outliers < 5 {
                let med = median(peers.clone());
                let mad = median(peers.iter().map(|v| (v - med).abs()).collect());
                if mad > 0.0 {
                    let z = 0.6745 * (x - med) / mad;
                    if z.abs() > OUTLIER_Z {
                        outliers += 1;
                        reasons.push(Reason {
                            points: 1.0,
                            text: format!(
                                "`{}` = {} is an outlier among {}s (median {}, robust z {:.1})",
                                ind.id,
                                fmt_num(x),
                                b.kind,
                                fmt_num(med),
                                z
                            ),
                        });
                    }
                }
            }
        }
        let f = facts.get(&b.id).cloned().unwrap_or_default();
        if f.late {
            reasons.push(Reason {
                points: 2.0,
                text: "submitted after the deadline (with an extension)".into(),
            });
        }
        if f.corrections > 0 {
            reasons.push(Reason {
                points: f.corrections.min(3) as f64,
                text: format!("{} correction(s) after submission", f.corrections),
            });
        }
        if f.past_findings > 0 {
            reasons.push(Reason {
                points: 2.0 * f.past_findings.min(2) as f64,
                text: format!("{} finding(s) in past verifications", f.past_findings),
            });
        }
        let score = reasons.iter().map(|r| r.points).sum();
        out.push(RiskScore {
            body: b.id.clone(),
            kind: b.kind,
            score,
            reasons,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.body.cmp(&b.body)));
    out
}

/// The `top` riskiest bodies with a positive score, then `draw` others in
/// an order fixed by the seed (SHA-256 of seed and body id): reproducible,
/// and unpredictable to a body that does not know the seed.
pub fn select(scores: &[RiskScore], top: usize, draw: usize, seed: u64) -> Vec<Selection> {
    let mut chosen: Vec<Selection> = scores
        .iter()
        .filter(|s| s.score > 0.0)
        .take(top)
        .map(|s| Selection {
            body: s.body.clone(),
            by: SelectedBy::Risk,
            score: s.score,
        })
        .collect();
    let mut rest: Vec<(String, &RiskScore)> = scores
        .iter()
        .filter(|s| !chosen.iter().any(|c| c.body == s.body))
        .map(|s| {
            let mut h = FieldHasher::default();
            h.field(&seed.to_le_bytes()).field(s.body.as_bytes());
            (h.finish(), s)
        })
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    chosen.extend(rest.into_iter().take(draw).map(|(_, s)| Selection {
        body: s.body.clone(),
        by: SelectedBy::Draw,
        score: s.score,
    }));
    chosen
}
