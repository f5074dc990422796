//! Ratings of public-service quality: the providers, sectors, regions,
//! offices and recipient categories of a year ranked by a score made of the
//! service indicators (deadline compliance, documents asked beyond the
//! standard, the electronic share) and the satisfaction survey.
//!
//! The method is part of the versioned indicator pack (`[rating]` in
//! `pack.toml`): each component names a pack indicator, a share in percent,
//! or `survey:<measure>`, the weighted share of respondents satisfied. A
//! group's score is the weighted mean of its components on a 0-100 scale
//! (a component where lower is better counts as 100 minus its value); a
//! component without data (no denominator, a survey figure suppressed under
//! its threshold) is left out and its weight shared by the others, as the
//! operational methodology redistributes the points of a criterion not
//! counted. Groups with fewer records than the method's minimum are listed
//! but not ranked. Pure: values in, ratings out.

use bagalau_core::Names;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The recipient categories that are vulnerable groups (persons with
/// disabilities, large families, orphans, low-income families), which the
/// ratings single out.
pub const VULNERABLE_GROUPS: [&str; 4] = ["disabled", "large_family", "orphan", "low_income"];

/// The breakdowns rated, in the order the ratings list them.
pub const DIMENSIONS: [&str; 5] = ["provider", "sector", "region", "office", "recipient"];

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RatingError {
    #[error("the rating method: {0}")]
    Method(String),
    #[error("group {dimension}={value}: {message}")]
    Group {
        dimension: String,
        value: String,
        message: String,
    },
}

/// Whether a higher or a lower value of a component is better.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

/// One part of the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// A pack indicator's id (a share in percent), or `survey:<measure>`.
    pub source: String,
    pub weight: f64,
    #[serde(default)]
    pub better: Better,
    pub name: Names,
}

impl Component {
    /// The survey measure this component takes its share satisfied from.
    pub fn survey_measure(&self) -> Option<&str> {
        self.source.strip_prefix("survey:")
    }
}

/// How the ratings are made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Groups with fewer delivery records are listed, not ranked: a rate
    /// of a handful of records says little.
    pub min_records: u64,
    #[serde(rename = "component")]
    pub components: Vec<Component>,
}

impl Method {
    /// Every problem of the method, at once.
    pub fn check(&self) -> Result<(), RatingError> {
        let mut problems = Vec::new();
        if self.min_records == 0 {
            problems.push("min_records must be at least 1".to_string());
        }
        if self.components.is_empty() {
            problems.push("it has no component".to_string());
        }
        let mut seen = BTreeSet::new();
        for c in &self.components {
            if !(c.weight.is_finite() && c.weight > 0.0) {
                problems.push(format!(
                    "component `{}`: the weight must be a positive number, not {}",
                    c.source, c.weight
                ));
            }
            if !seen.insert(c.source.as_str()) {
                problems.push(format!("component `{}` is given twice", c.source));
            }
            if c.survey_measure() == Some("") {
                problems.push("component `survey:` names no measure".to_string());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RatingError::Method(problems.join("; ")))
        }
    }
}

/// One group's inputs: its records and each component's value in percent,
/// in the order of the method's components (`None` where there is no data).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub dimension: String,
    pub value: String,
    pub records: u64,
    pub values: Vec<Option<f64>>,
}

/// Why a group has no rank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotRated {
    /// Fewer records than the method's minimum.
    FewRecords { minimum: u64 },
    /// No component has a value.
    NoData,
}

/// A group's place in its rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub value: String,
    /// The name of a provider body in the year rated (other groups are
    /// named by the interface's messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Names>,
    pub records: u64,
    /// Each component's value in percent, rounded to 0.01.
    pub values: Vec<Option<f64>>,
    /// 0-100, rounded to 0.01; `None` when not rated.
    pub score: Option<f64>,
    /// 1 is best; equal scores share a rank (1, 2, 2, 4).
    pub rank: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_rated: Option<NotRated>,
}

/// The rating of one breakdown: rated groups by rank, then the others by value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionRating {
    pub dimension: String,
    pub entries: Vec<Entry>,
}

/// A year's ratings, as they are published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    pub year: i32,
    /// The indicator pack whose counts and method they come from (`services v1`).
    pub pack: String,
    /// Built on demonstration data (the demo's register or records).
    pub demonstration: bool,
    /// The year's delivery records counted.
    pub records: u64,
    /// Survey respondents behind the satisfaction components (0 without a survey).
    pub respondents: u64,
    pub method: Method,
    pub dimensions: Vec<DimensionRating>,
}

impl Ratings {
    /// The canonical text that is published and hashed.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("ratings serialise")
    }

    pub fn from_json(text: &str) -> Result<Ratings, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn dimension(&self, dimension: &str) -> Option<&DimensionRating> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// Every entry as one table: the columns of [`Ratings::csv_header`].
    pub fn to_csv(&self) -> String {
        let mut w = bagalau_csv::Writer::from_writer(Vec::new());
        w.write_record(self.csv_header())
            .expect("writing to memory");
        for d in &self.dimensions {
            for e in &d.entries {
                let mut row = vec![
                    self.year.to_string(),
                    d.dimension.clone(),
                    e.value.clone(),
                    e.name.as_ref().map_or(String::new(), |n| n.en.clone()),
                    e.rank.map_or(String::new(), |r| r.to_string()),
                    e.score.map_or(String::new(), |s| format!("{s:.2}")),
                    e.records.to_string(),
                ];
                row.extend(
                    e.values
                        .iter()
                        .map(|v| v.map_or(String::new(), |v| format!("{v:.2}"))),
                );
                row.push(match &e.not_rated {
                    None => String::new(),
                    Some(NotRated::FewRecords { minimum }) => {
                        format!("fewer than {minimum} records")
                    }
                    Some(NotRated::NoData) => "no data".to_string(),
                });
                w.write_record(&row).expect("writing to memory");
            }
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
    }

    /// year, dimension, value, name, rank, score, records, one column per
    /// component (its source, `_percent`), not_rated.
    pub fn csv_header(&self) -> Vec<String> {
        let mut header: Vec<String> = [
            "year",
            "dimension",
            "value",
            "name",
            "rank",
            "score",
            "records",
        ]
        .map(String::from)
        .to_vec();
        header.extend(
            self.method
                .components
                .iter()
                .map(|c| format!("{}_percent", c.source.replace(':', "_"))),
        );
        header.push("not_rated".into());
        header
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The score of a group from its component values: the weighted mean of
/// those present, each oriented so that higher is better.
pub fn score(method: &Method, values: &[Option<f64>]) -> Option<f64> {
    let (mut sum, mut weights) = (0.0, 0.0);
    for (c, v) in method.components.iter().zip(values) {
        if let Some(v) = v {
            let oriented = match c.better {
                Better::Higher => *v,
                Better::Lower => 100.0 - v,
            };
            sum += c.weight * oriented;
            weights += c.weight;
        }
    }
    (weights > 0.0).then(|| sum / weights)
}

/// Rates every group: the dimensions in the order of [`DIMENSIONS`] (others
/// after them, by name), each group ranked within its dimension.
pub fn rate(method: &Method, groups: Vec<Group>) -> Result<Vec<DimensionRating>, RatingError> {
    method.check()?;
    let mut dimensions: Vec<DimensionRating> = Vec::new();
    for g in groups {
        let problem = |message: String| RatingError::Group {
            dimension: g.dimension.clone(),
            value: g.value.clone(),
            message,
        };
        if g.values.len() != method.components.len() {
            return Err(problem(format!(
                "{} values for {} components",
                g.values.len(),
                method.components.len()
            )));
        }
        if let Some(v) = g
            .values
            .iter()
            .flatten()
            .find(|v| !(v.is_finite() && (0.0..=100.0).contains(*v)))
        {
            return Err(problem(format!("{v} is not a percentage")));
        }
        let values: Vec<Option<f64>> = g.values.iter().map(|v| v.map(round2)).collect();
        let (score, not_rated) = if g.records < method.min_records {
            (
                None,
                Some(NotRated::FewRecords {
                    minimum: method.min_records,
                }),
            )
        } else {
            // Scored from the unrounded values; the score itself is
            // rounded, and ranks follow the published score.
            match score(method, &g.values) {
                Some(s) => (Some(round2(s)), None),
                None => (None, Some(NotRated::NoData)),
            }
        };
        let entry = Entry {
            value: g.value,
            name: None,
            records: g.records,
            values,
            score,
            rank: None,
            not_rated,
        };
        match dimensions.iter_mut().find(|d| d.dimension == g.dimension) {
            Some(d) => d.entries.push(entry),
            None => dimensions.push(DimensionRating {
                dimension: g.dimension,
                entries: vec![entry],
            }),
        }
    }
    for d in &mut dimensions {
        if d.entries
            .iter()
            .map(|e| &e.value)
            .collect::<BTreeSet<_>>()
            .len()
            != d.entries.len()
        {
            return Err(RatingError::Method(format!(
                "a group of `{}` is given twice",
                d.dimension
            )));
        }
        d.entries.sort_by(|a, b| match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.value.cmp(&b.value)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.value.cmp(&b.value),
        });
        let scores: Vec<Option<f64>> = d.entries.iter().map(|e| e.score).collect();
        for e in &mut d.entries {
            e.rank = e
                .score
                .map(|s| 1 + scores.iter().flatten().filter(|x| **x > s).count() as u32);
        }
    }
    let order = |d: &str| {
        DIMENSIONS
            .iter()
            .position(|x| *x == d)
            .unwrap_or(DIMENSIONS.len())
    };
    dimensions.sort_by(|a, b| {
        order(&a.dimension)
            .cmp(&order(&b.dimension))
            .then_with(|| a.dimension.cmp(&b.dimension))
    });
    Ok(dimensions)
}
