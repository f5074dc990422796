//! Satisfaction questionnaires: what each version of a form asks, which
//! questions say who was served where, and which are the measures scored
//! for the satisfaction indices. Written in TOML by the methodology team;
//! each version carries the identifier the form tool exports with every
//! response (KoBoToolbox's `__version__`, ODK's `FormVersion`), so every
//! response is read by the version it was given under.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a question tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The register's id of the service received.
    Service,
    Region,
    /// Where it was received (`psc`, `portal`, `body`).
    Channel,
    /// The recipient category (vulnerable groups among them).
    Category,
    /// The response's sampling weight.
    Weight,
    /// A scored question of the index.
    Measure,
}

/// An answer the form offers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The value the form stores (XLSForm's choice `name`).
    pub name: String,
    /// The score, for measures; none for "don't know" and the like, which
    /// leave the response out of that measure.
    pub score: Option<f64>,
    /// The labels in the form's languages (an export "with labels" writes them).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question's name in the form (without its group path).
    pub name: String,
    pub role: Role,
    /// For measures: the measure it scores. Versions that reword a question
    /// keep the measure, so the index runs across versions.
    pub measure: Option<String>,
    /// For measures: the lowest score that counts as satisfied.
    pub satisfied_at_least: Option<f64>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub choices: Vec<Choice>,
}

impl Question {
    /// The choice a cell's text stands for: its name, one of its labels,
    /// or, for a scored choice, its score written as a number.
    pub fn choice(&self, text: &str) -> Option<&Choice> {
        let text = text.trim();
        self.choices.iter().find(|c| c.name == text).or_else(|| {
            self.choices.iter().find(|c| {
                c.labels.values().any(|l| l.trim() == text)
                    || c.score.is_some_and(|s| text.parse::<f64>() == Ok(s))
            })
        })
    }

    /// Whether a column header names this question: its name or a label,
    /// alone or after a group path ending in `separator`.
    pub fn is_named_by(&self, header: &str, separator: char) -> bool {
        let header = header.trim();
        let names =
            || std::iter::once(self.name.as_str()).chain(self.labels.values().map(String::as_str));
        names().any(|n| {
            header == n
                || header
                    .strip_suffix(n)
                    .is_some_and(|path| path.ends_with(separator) && path.len() > 1)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Version {
    /// As the form tool exports it with each response.
    pub id: String,
    pub questions: Vec<Question>,
}

impl Version {
    pub fn question(&self, role: Role) -> Option<&Question> {
        self.questions.iter().find(|q| q.role == role)
    }

    pub fn measures(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.role == Role::Measure)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questionnaire {
    pub id: String,
    pub names: bagalau_core::Names,
    /// No published figure rests on fewer respondents.
    #[serde(default = "default_min_respondents")]
    pub min_respondents: usize,
    pub versions: Vec<Version>,
}

fn default_min_respondents() -> usize {
    crate::survey::DEFAULT_MIN_RESPONDENTS
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QuestionnaireError {
    #[error("the questionnaire is not valid TOML: {0}")]
    Toml(String),
    #[error("the questionnaire has no version")]
    NoVersion,
    #[error("version `{0}` is defined twice")]
    DuplicateVersion(String),
    #[error("version `{version}`: no question has the role `{role}`")]
    MissingRole { version: String, role: &'static str },
    #[error("version `{version}`: more than one question has the role `{role}`")]
    RepeatedRole { version: String, role: &'static str },
    #[error("version `{version}`: the question `{question}` is defined twice")]
    DuplicateQuestion { version: String, question: String },
    #[error("version `{version}`, question `{question}`: {problem}")]
    Measure {
        version: String,
        question: String,
        problem: &'static str,
    },
    #[error("version `{version}`: no measure")]
    NoMeasure { version: String },
    #[error("min_respondents must be at least 1")]
    NoThreshold,
    /// The id names the folder its responses are kept in: only an
    /// identifier, never a path (`../../elsewhere`).
    #[error(
        "the questionnaire's id `{0}` is not an identifier (1 to 64 lowercase letters, digits, `_` and `-`)"
    )]
    BadId(String),
}

/// Whether a questionnaire id is an identifier that can name a folder.
fn is_identifier(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

impl Questionnaire {
    pub fn from_toml(text: &str) -> Result<Questionnaire, QuestionnaireError> {
        let q: Questionnaire =
            toml::from_str(text).map_err(|e| QuestionnaireError::Toml(e.to_string()))?;
        q.check()?;
        Ok(q)
    }

    fn check(&self) -> Result<(), QuestionnaireError> {
        if !is_identifier(&self.id) {
            let shown: String = self.id.chars().take(80).collect();
            return Err(QuestionnaireError::BadId(shown));
        }
        if self.versions.is_empty() {
            return Err(QuestionnaireError::NoVersion);
        }
        if self.min_respondents == 0 {
            return Err(QuestionnaireError::NoThreshold);
        }
        let mut seen = BTreeSet::new();
        for v in &self.versions {
            if !seen.insert(&v.id) {
                return Err(QuestionnaireError::DuplicateVersion(v.id.clone()));
            }
            let mut names = BTreeSet::new();
            for q in &v.questions {
                if !names.insert(&q.name) {
                    return Err(QuestionnaireError::DuplicateQuestion {
                        version: v.id.clone(),
                        question: q.name.clone(),
                    });
                }
            }
            for (role, name, required) in [
                (Role::Service, "service", true),
                (Role::Region, "region", true),
                (Role::Channel, "channel", false),
                (Role::Category, "category", false),
                (Role::Weight, "weight", false),
            ] {
                match v.questions.iter().filter(|q| q.role == role).count() {
                    0 if required => {
                        return Err(QuestionnaireError::MissingRole {
                            version: v.id.clone(),
                            role: name,
                        });
                    }
                    0 | 1 => {}
                    _ => {
                        return Err(QuestionnaireError::RepeatedRole {
                            version: v.id.clone(),
                            role: name,
                        });
                    }
                }
            }
            let mut measures = BTreeSet::new();
            for q in v.measures() {
                let problem = if q.measure.is_none() {
                    Some("a measure question names its `measure`")
                } else if q.satisfied_at_least.is_none() {
                    Some("a measure question says `satisfied_at_least`")
                } else if !q.choices.iter().any(|c| c.score.is_some()) {
                    Some("a measure question has scored choices")
                } else if q
                    .choices
                    .iter()
                    .filter_map(|c| c.score)
                    .chain(q.satisfied_at_least)
                    .any(|x| !x.is_finite())
                {
                    Some("scores and `satisfied_at_least` are finite numbers (not nan or inf)")
                } else if !measures.insert(q.measure.clone()) {
                    Some("another question of this version scores the same measure")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(QuestionnaireError::Measure {
                        version: v.id.clone(),
                        question: q.name.clone(),
                        problem,
                    });
                }
            }
            if measures.is_empty() {
                return Err(QuestionnaireError::NoMeasure {
                    version: v.id.clone(),
                });
            }
        }
        Ok(())
    }

    pub fn version(&self, id: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// Every measure of any version, in order of first appearance.
    pub fn measures(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in &self.versions {
            for q in v.measures() {
                let m = q.measure.clone().unwrap_or_default();
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        out
    }
}
