//! The states and stages the rules move things through: the cycle's
//! stages, objections, recommendations, monitoring projects. Their own
//! module, so that the refusals (`refusal`) name them without depending on
//! the rules that raise them.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Submission,
    Verification,
    Preliminary,
    Objections,
    Final,
    Commission,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::Submission,
        Stage::Verification,
        Stage::Preliminary,
        Stage::Objections,
        Stage::Final,
        Stage::Commission,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Submission => "submission of reporting data",
            Stage::Verification => "risk-based verification",
            Stage::Preliminary => "preliminary conclusions",
            Stage::Objections => "objections",
            Stage::Final => "final conclusions",
            Stage::Commission => "commission",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionState {
    Filed,
    Accepted,
    Rejected,
    /// Rejected, then taken to the commission by the body.
    Escalated,
    /// The commission's ruling on an escalated objection.
    Upheld,
    Dismissed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationState {
    Open,
    Reported,
    Returned,
    Executed,
}

impl RecommendationState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecommendationState::Open => "open",
            RecommendationState::Reported => "reported",
            RecommendationState::Returned => "returned",
            RecommendationState::Executed => "executed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(RecommendationState::Open),
            "reported" => Some(RecommendationState::Reported),
            "returned" => Some(RecommendationState::Returned),
            "executed" => Some(RecommendationState::Executed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Draft,
    Active,
    /// The report is published: findings, replies and recommendations are public.
    Reported,
    Closed,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 4] = [
        ProjectStatus::Draft,
        ProjectStatus::Active,
        ProjectStatus::Reported,
        ProjectStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Draft => "draft",
            ProjectStatus::Active => "active",
            ProjectStatus::Reported => "reported",
            ProjectStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn is_published(self) -> bool {
        matches!(self, ProjectStatus::Reported | ProjectStatus::Closed)
    }
}
